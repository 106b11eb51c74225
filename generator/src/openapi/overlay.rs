//! The OpenAPI Overlay Specification 1.0: `overlay: 1.0.0`, `info` (`title`, `version`),
//! `extends` (the document it applies to, a file beside it), and `actions`, each a JSONPath
//! (RFC 9535) `target` with an `update` (merged into every node it matches: mappings key by
//! key, recursively; a list target gets the update's items appended; other values replaced)
//! or `remove: true` (every match removed from its parent), applied in order. An action whose
//! target matches nothing is an error that names it: the vendor document changed under it.

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diag::{did_you_mean, Diagnostic};
use crate::yaml::{Node, NodeValue};

/// The keys of an overlay document.
const KEYS: &[&str] = &["overlay", "info", "extends", "actions"];
/// The keys of an action.
const ACTION_KEYS: &[&str] = &["target", "description", "update", "remove"];

/// The file an overlay `extends`, if it names one.
pub fn extends(overlay: &Node) -> Option<&str> {
    overlay.get("extends")?.as_str()
}

/// Checks an overlay's shape; problems are diagnostics in `file`.
pub fn check(overlay: &Node, file: &str, diags: &mut Vec<Diagnostic>) {
    let at = |node: &Node, path: &str, message: String| {
        Diagnostic::new(file, Some(node.pos), path, message)
    };
    let Some(entries) = overlay.as_map() else {
        diags.push(at(
            overlay,
            "",
            format!("expected an overlay (a mapping), found {}", overlay.kind()),
        ));
        return;
    };
    for (key, _) in entries {
        if !KEYS.contains(&key.name.as_str()) && !key.name.starts_with("x-") {
            let mut d = Diagnostic::new(
                file,
                Some(key.pos),
                &key.name,
                format!("unknown overlay key `{}`", key.name),
            );
            if let Some(h) = did_you_mean(&key.name, KEYS.iter().copied()) {
                d = d.with_hint(h);
            }
            diags.push(d);
        }
    }
    match overlay.get("overlay").and_then(Node::as_str) {
        Some(v) if v.starts_with("1.0.") => {}
        Some(v) => diags.push(at(
            overlay,
            "overlay",
            format!("overlay version `{v}` is not 1.0.x"),
        )),
        None => diags.push(at(
            overlay,
            "overlay",
            "an overlay starts with `overlay: 1.0.0`".into(),
        )),
    }
    match overlay.get("info") {
        Some(info)
            if info.get("title").and_then(Node::as_str).is_some()
                && info.get("version").and_then(Node::as_str).is_some() => {}
        Some(info) => diags.push(at(
            info,
            "info",
            "`info` needs a `title` and a `version` (strings)".into(),
        )),
        None => diags.push(at(overlay, "info", "missing required key `info`".into())),
    }
    match overlay.get("actions").map(|a| &a.value) {
        Some(NodeValue::Seq(actions)) => {
            for (i, action) in actions.iter().enumerate() {
                let path = format!("actions[{i}]");
                let Some(keys) = action.as_map() else {
                    diags.push(at(action, &path, "an action is a mapping".into()));
                    continue;
                };
                for (key, _) in keys {
                    if !ACTION_KEYS.contains(&key.name.as_str()) && !key.name.starts_with("x-") {
                        let mut d = Diagnostic::new(
                            file,
                            Some(key.pos),
                            &format!("{path}.{}", key.name),
                            format!("unknown action key `{}`", key.name),
                        );
                        if let Some(h) = did_you_mean(&key.name, ACTION_KEYS.iter().copied()) {
                            d = d.with_hint(h);
                        }
                        diags.push(d);
                    }
                }
                match action.get("target").and_then(Node::as_str) {
                    Some(target) => {
                        if let Err(e) = JsonPath::parse(target) {
                            diags.push(at(
                                action,
                                &format!("{path}.target"),
                                format!("`{target}` is not a JSONPath (RFC 9535): {e}"),
                            ));
                        }
                    }
                    None => diags.push(at(
                        action,
                        &path,
                        "an action needs a `target` (a JSONPath string)".into(),
                    )),
                }
                let remove = matches!(
                    action.get("remove").map(|r| &r.value),
                    Some(NodeValue::Bool(true))
                );
                if !remove && action.get("update").is_none() {
                    diags.push(at(
                        action,
                        &path,
                        "an action needs an `update` or `remove: true`".into(),
                    ));
                }
            }
        }
        _ => diags.push(at(overlay, "actions", "`actions` must be a list".into())),
    }
}

/// One step of a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Applies the overlay's actions to `doc`, in order. The overlay must have passed [`check`].
pub fn apply(doc: &mut Node, overlay: &Node, file: &str, diags: &mut Vec<Diagnostic>) {
    let Some(NodeValue::Seq(actions)) = overlay.get("actions").map(|a| &a.value) else {
        return;
    };
    // JSONPath runs on a JSON copy, kept in step with the located tree.
    let mut json = doc.to_json();
    for (i, action) in actions.iter().enumerate() {
        let Some(target) = action.get("target").and_then(Node::as_str) else {
            continue;
        };
        let Ok(path) = JsonPath::parse(target) else {
            continue;
        };
        let mut matches: Vec<Vec<Step>> = path
            .query_located(&json)
            .locations()
            .map(|location| {
                location
                    .iter()
                    .map(|element| match element {
                        serde_json_path::PathElement::Name(name) => Step::Key(name.to_string()),
                        serde_json_path::PathElement::Index(index) => Step::Index(*index),
                    })
                    .collect()
            })
            .collect();
        if matches.is_empty() {
            diags.push(Diagnostic::new(
                file,
                action.get("target").map(|t| t.pos),
                &format!("actions[{i}].target"),
                format!("target `{target}` matches nothing in the document; the vendor document changed under this action"),
            ));
            continue;
        }
        let remove = matches!(
            action.get("remove").map(|r| &r.value),
            Some(NodeValue::Bool(true))
        );
        if remove {
            // Later items first, so earlier indices stay valid.
            matches.sort();
            for steps in matches.iter().rev() {
                if let Some((last, parent)) = steps.split_last() {
                    remove_node(doc, parent, last);
                    remove_json(&mut json, parent, last);
                }
            }
            continue;
        }
        let Some(update) = action.get("update") else {
            continue;
        };
        let update_json = update.to_json();
        for steps in &matches {
            if let Some(node) = node_at(doc, steps) {
                if !merge_node(node, update) {
                    diags.push(Diagnostic::new(
                        file,
                        Some(update.pos),
                        &format!("actions[{i}].update"),
                        format!("target `{target}` matches a value that is neither a mapping nor a list, so nothing can be merged into it; target its parent"),
                    ));
                    break;
                }
            }
            if let Some(value) = json_at(&mut json, steps) {
                merge_json(value, &update_json);
            }
        }
    }
}

fn node_at<'a>(node: &'a mut Node, steps: &[Step]) -> Option<&'a mut Node> {
    let mut node = node;
    for step in steps {
        node = match (&mut node.value, step) {
            (NodeValue::Map(entries), Step::Key(k)) => entries
                .iter_mut()
                .find(|(key, _)| &key.name == k)
                .map(|(_, v)| v)?,
            (NodeValue::Seq(items), Step::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn json_at<'a>(value: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    let mut value = value;
    for step in steps {
        value = match (value, step) {
            (Value::Object(m), Step::Key(k)) => m.get_mut(k)?,
            (Value::Array(a), Step::Index(i)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn remove_node(doc: &mut Node, parent: &[Step], last: &Step) {
    let Some(parent) = node_at(doc, parent) else {
        return;
    };
    match (&mut parent.value, last) {
        (NodeValue::Map(entries), Step::Key(k)) => entries.retain(|(key, _)| &key.name != k),
        (NodeValue::Seq(items), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
        }
        _ => {}
    }
}

fn remove_json(doc: &mut Value, parent: &[Step], last: &Step) {
    let Some(parent) = json_at(doc, parent) else {
        return;
    };
    match (parent, last) {
        (Value::Object(m), Step::Key(k)) => {
            m.shift_remove(k);
        }
        (Value::Array(a), Step::Index(i)) if *i < a.len() => {
            a.remove(*i);
        }
        _ => {}
    }
}

/// Merges `update` into `target`; `false` when the target cannot take it.
fn merge_node(target: &mut Node, update: &Node) -> bool {
    match (&mut target.value, &update.value) {
        (NodeValue::Map(entries), NodeValue::Map(updates)) => {
            for (key, value) in updates {
                match entries.iter_mut().find(|(k, _)| k.name == key.name) {
                    Some((_, existing))
                        if matches!(existing.value, NodeValue::Map(_))
                            && matches!(value.value, NodeValue::Map(_)) =>
                    {
                        merge_node(existing, value);
                    }
                    Some((_, existing)) => *existing = value.clone(),
                    None => entries.push((key.clone(), value.clone())),
                }
            }
            true
        }
        (NodeValue::Seq(items), NodeValue::Seq(more)) => {
            items.extend(more.iter().cloned());
            true
        }
        (NodeValue::Seq(items), _) => {
            items.push(update.clone());
            true
        }
        _ => false,
    }
}

fn merge_json(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(entries), Value::Object(updates)) => {
            for (key, value) in updates {
                match entries.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge_json(existing, value)
                    }
                    Some(existing) => *existing = value.clone(),
                    None => {
                        entries.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), other) => items.push(other.clone()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn run(doc: &str, overlay: &str) -> (Value, Vec<String>) {
        let mut doc = parse(doc).unwrap();
        let overlay = parse(overlay).unwrap();
        let mut diags = Vec::new();
        check(&overlay, "overlay.yaml", &mut diags);
        if diags.is_empty() {
            apply(&mut doc, &overlay, "overlay.yaml", &mut diags);
        }
        (
            doc.to_json(),
            diags.iter().map(ToString::to_string).collect(),
        )
    }

    const HEAD: &str = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn update_merges_mappings_and_appends_to_lists() {
        let (doc, diags) = run(
            "info: {title: A, x: {a: 1}}\ntags: [{name: a}]\n",
            &format!("{HEAD}actions:\n  - target: $.info\n    update: {{title: B, x: {{b: 2}}}}\n  - target: $.tags\n    update: {{name: b}}\n"),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            doc,
            serde_json::json!({"info": {"title": "B", "x": {"a": 1, "b": 2}}, "tags": [{"name": "a"}, {"name": "b"}]})
        );
    }

    #[test]
    fn remove_takes_every_match_out() {
        let (doc, diags) = run(
            "paths: {/a: {get: {x: 1}, post: {x: 2}}}\nlist: [1, 2, 3]\n",
            &format!("{HEAD}actions:\n  - target: $.paths.*.post\n    remove: true\n  - target: $.list[0,2]\n    remove: true\n"),
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            doc,
            serde_json::json!({"paths": {"/a": {"get": {"x": 1}}}, "list": [2]})
        );
    }

    #[test]
    fn a_target_that_matches_nothing_is_named() {
        let (_, diags) = run(
            "info: {title: A}\n",
            &format!("{HEAD}actions:\n  - target: $.paths['/gone'].get\n    description: vendor typo\n    update: {{summary: x}}\n"),
        );
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .starts_with("overlay.yaml:4:13: target `$.paths['/gone'].get` matches nothing"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn malformed_overlays_are_reported_together() {
        let (_, diags) = run("a: 1\n", "overlay: 2.0.0\nactions:\n  - targte: $.a\n");
        let text = diags.join("\n");
        assert!(
            text.contains("overlay version `2.0.0` is not 1.0.x"),
            "{text}"
        );
        assert!(text.contains("missing required key `info`"), "{text}");
        assert!(text.contains("unknown action key `targte`"), "{text}");
        assert!(text.contains("did you mean `target`?"), "{text}");
        assert!(text.contains("an action needs a `target`"), "{text}");
    }
}
