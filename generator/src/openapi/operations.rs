//! Operations into resources and actions: a tag is a resource, an operation an action (names by
//! [`super::names`]). An operation the pipeline cannot express yet is left out with its reason
//! (see [`Excluded`]), never dropped silently.

use std::collections::BTreeMap;

use super::document::{Documents, Place};
use super::names;
use super::schemas::Schemas;
use super::tree::{boolean, entry, list, map, number, string};
use crate::diag::Diagnostic;
use crate::spec::{is_json_media, media_essence};
use crate::yaml::{Key, Node, NodeValue};

/// HTTP methods of a path item, in the order OpenAPI lists them.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// An operation left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Excluded {
    /// Its tag (or path group).
    pub tag: String,
    /// `GET /path`.
    pub operation: String,
    /// Its `operationId` (or the name made for it).
    pub id: String,
    /// Why it is left out.
    pub reason: String,
}

/// The resources read, and the operations left out.
#[derive(Debug, Default)]
pub struct Read {
    /// Resource trees (the shape of `resources/<name>.yaml`) by resource name, with the file
    /// their positions are in.
    pub resources: BTreeMap<String, (String, Node)>,
    /// Operations of included tags left out.
    pub excluded: Vec<Excluded>,
    /// Operations of tags the include list leaves out, by tag.
    pub not_included: BTreeMap<String, usize>,
}

/// One operation as found.
struct Operation<'d> {
    tag: String,
    method: &'static str,
    path: String,
    id: String,
    node: &'d Node,
    place: Place,
    path_item: &'d Node,
    path_place: Place,
}

/// Reads every operation of the document (of the tags in `include`, when given). `strip` is
/// the leading part of every path that the base path holds instead (`info.x-base-path`).
pub fn read<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    strip: &str,
    include: Option<&[String]>,
    diags: &mut Vec<Diagnostic>,
) -> Read {
    let mut out = Read::default();
    let Some(root) = docs.root(&docs.main) else {
        return out;
    };
    let main = Place {
        file: docs.main.clone(),
        pointer: "#".into(),
    };
    let mut operations: Vec<Operation<'d>> = Vec::new();
    let paths_place = main.key("paths");
    for (path_key, item) in root.get("paths").and_then(Node::as_map).unwrap_or(&[]) {
        let item_place = paths_place.key(&path_key.name);
        let Some(path) = path_key
            .name
            .strip_prefix(strip)
            .filter(|rest| rest.starts_with('/') && rest.len() > 1)
        else {
            diags.push(Diagnostic::new(
                &docs.main,
                Some(path_key.pos),
                &item_place.pointer,
                format!(
                    "path `{}` does not start with `x-base-path` `{strip}` followed by a segment",
                    path_key.name
                ),
            ));
            continue;
        };
        let (item_place, item) = match docs.resolve(&item_place, item) {
            Ok(found) => found,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        for &method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let place = item_place.key(method);
            let id = op.get("operationId").and_then(Node::as_str).map_or_else(
                || names::synthetic_operation_id(method, path),
                str::to_string,
            );
            let tag = op
                .get("tags")
                .and_then(|t| match &t.value {
                    NodeValue::Seq(items) => items.first()?.as_str(),
                    _ => None,
                })
                .map_or_else(|| path_group(path), str::to_string);
            operations.push(Operation {
                tag,
                method,
                path: path.to_string(),
                id,
                node: op,
                place,
                path_item: item,
                path_place: item_place.clone(),
            });
        }
    }
    // Tags in the order the document lists them, then the others in order of use.
    let tag_nodes: Vec<(String, &Node, Place)> = match root.get("tags").map(|t| &t.value) {
        Some(NodeValue::Seq(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                Some((
                    t.get("name")?.as_str()?.to_string(),
                    t,
                    main.key("tags").index(i),
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    if let Some(include) = include {
        for tag in include {
            if !operations.iter().any(|o| &o.tag == tag) {
                diags.push(Diagnostic::new(
                    &docs.main,
                    None,
                    "#/info/x-include-tags",
                    format!("`x-include-tags` names the tag `{tag}`, which no operation has"),
                ));
            }
        }
    }
    let mut groups: indexmap::IndexMap<String, Vec<Operation<'d>>> = indexmap::IndexMap::new();
    for op in operations {
        if include.is_some_and(|inc| !inc.contains(&op.tag)) {
            *out.not_included.entry(op.tag.clone()).or_default() += 1;
            continue;
        }
        groups.entry(op.tag.clone()).or_default().push(op);
    }
    for (tag, ops) in groups {
        let tag_node = tag_nodes.iter().find(|(name, _, _)| *name == tag);
        let pos = tag_node.map_or(ops[0].node.pos, |(_, n, _)| n.pos);
        let resource = tag_node
            .and_then(|(_, n, _)| n.get("x-name")?.as_str())
            .map_or_else(|| names::resource_name(&tag), str::to_string);
        if let Some((file, _)) = out.resources.get(&resource) {
            diags.push(Diagnostic::new(
                file,
                Some(pos),
                &ops[0].place.pointer,
                format!("the tag `{tag}` is named `{resource}` in the spec, as is another tag; give one an `x-name`"),
            ));
            continue;
        }
        // Action names: the rule, or the whole operation id for names taken twice.
        let by_rule: Vec<String> = ops
            .iter()
            .map(|o| {
                o.node
                    .get("x-name")
                    .and_then(Node::as_str)
                    .map_or_else(|| names::action_name(&o.id, &tag), str::to_string)
            })
            .collect();
        let mut actions: Vec<(Key, Node)> = Vec::new();
        let mut built: Vec<(String, String, Node)> = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            let name = if by_rule.iter().filter(|n| **n == by_rule[i]).count() > 1
                && op.node.get("x-name").is_none()
            {
                names::lower_camel(&names::words(&op.id))
            } else {
                by_rule[i].clone()
            };
            let relative = op.path.clone();
            match action(docs, schemas, op, diags) {
                Ok(node) => {
                    built.push((name, relative, node));
                }
                Err(reason) => out.excluded.push(Excluded {
                    tag: tag.clone(),
                    operation: format!("{} {strip}{}", op.method.to_ascii_uppercase(), op.path),
                    id: op.id.clone(),
                    reason,
                }),
            }
        }
        if built.is_empty() {
            continue;
        }
        let prefix = common_prefix(built.iter().map(|(_, p, _)| p.as_str()));
        if prefix.is_empty() {
            diags.push(Diagnostic::new(
                &docs.main,
                Some(pos),
                &ops[0].place.pointer,
                format!("the operations of tag `{tag}` share no leading path segment; a resource needs one (give some of them another tag in the overlay)"),
            ));
            continue;
        }
        for (name, relative, node) in built {
            let NodeValue::Map(mut entries) = node.value else {
                continue;
            };
            let suffix = &relative[prefix.len()..];
            if !suffix.is_empty() {
                entries.insert(3, entry(node.pos, "path", string(node.pos, suffix)));
            }
            if actions.iter().any(|(k, _)| k.name == name) {
                diags.push(Diagnostic::new(
                    &docs.main,
                    Some(node.pos),
                    "",
                    format!("two operations of tag `{tag}` are both named `{name}`; give one an `x-name`"),
                ));
                continue;
            }
            actions.push(entry(node.pos, &name, map(node.pos, entries)));
        }
        let description = tag_node
            .and_then(|(_, n, _)| n.get("description")?.as_str())
            .unwrap_or("");
        let title = tag_node
            .and_then(|(_, n, _)| n.get("x-title")?.as_str())
            .unwrap_or(&tag);
        let tree = map(
            pos,
            vec![
                entry(pos, "name", string(pos, &resource)),
                entry(pos, "title", string(pos, title)),
                entry(pos, "description", string(pos, description)),
                entry(pos, "path", string(pos, &prefix)),
                entry(pos, "actions", map(pos, actions)),
            ],
        );
        out.resources.insert(resource, (docs.main.clone(), tree));
    }
    out
}

/// The group of an untagged operation: the first literal segment of its path.
fn path_group(path: &str) -> String {
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .unwrap_or("root")
        .to_string()
}

/// The longest run of whole leading segments the paths share.
fn common_prefix<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    let mut prefix: Option<Vec<&str>> = None;
    for path in paths {
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        prefix = Some(match prefix {
            None => segments,
            Some(p) => p
                .iter()
                .zip(&segments)
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| *a)
                .collect(),
        });
    }
    prefix
        .unwrap_or_default()
        .iter()
        .map(|s| format!("/{s}"))
        .collect()
}

/// The JSON media type of a `content` mapping (`application/json`, else any `+json`), with
/// every media type it lists.
fn json_media(content: &Node) -> (Option<(&str, &Node)>, Vec<String>) {
    let entries = content.as_map().unwrap_or(&[]);
    let types: Vec<String> = entries.iter().map(|(k, _)| k.name.clone()).collect();
    let found = entries
        .iter()
        .find(|(k, _)| media_essence(&k.name) == "application/json")
        .or_else(|| entries.iter().find(|(k, _)| is_json_media(&k.name)))
        .map(|(k, v)| (k.name.as_str(), v));
    (found, types)
}

/// The example of a media type (or parameter): `example`, else the first of `examples`.
fn example_of(docs: &Documents, place: &Place, node: &Node) -> Option<Node> {
    if let Some(e) = node.get("example") {
        return Some(e.clone());
    }
    let (_, first) = node.get("examples")?.as_map()?.first()?;
    let (_, resolved) = docs.resolve(place, first).ok()?;
    resolved.get("value").cloned()
}

/// The first line of a text, and the rest (trimmed).
fn first_line(text: &str) -> (String, Option<String>) {
    let text = text.trim();
    match text.split_once('\n') {
        Some((first, rest)) => {
            let rest = rest.trim();
            (
                first.trim().to_string(),
                (!rest.is_empty()).then(|| rest.to_string()),
            )
        }
        None => (text.to_string(), None),
    }
}

/// One operation as an action tree, or the reason it is left out.
fn action<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    op: &Operation<'d>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Node, String> {
    let node = op.node;
    let pos = node.pos;
    if matches!(op.method, "options" | "trace") {
        return Err(format!(
            "method {} is not one the spec format has",
            op.method.to_ascii_uppercase()
        ));
    }
    // Title: `x-title`, else `summary` unless it only repeats the operationId, else the first
    // line of `description`.
    let summary = node.get("summary").and_then(Node::as_str).map(str::trim);
    let description = node.get("description").and_then(Node::as_str);
    let (title, rest) = match (node.get("x-title").and_then(Node::as_str), summary) {
        (Some(t), _) => (t.to_string(), description.map(str::to_string)),
        (None, Some(s))
            if !s.is_empty() && !s.eq_ignore_ascii_case(&op.id) && !s.contains('\n') =>
        {
            (s.to_string(), description.map(str::to_string))
        }
        _ => match description {
            Some(d) if !d.trim().is_empty() => first_line(d),
            _ => (op.id.clone(), None),
        },
    };
    let mut entries = vec![entry(pos, "summary", string(pos, &title))];
    if let Some(rest) = rest.filter(|r| !r.trim().is_empty()) {
        entries.push(entry(pos, "description", string(pos, rest.trim())));
    }
    entries.push(entry(
        pos,
        "method",
        string(pos, &op.method.to_ascii_uppercase()),
    ));
    // Scopes of the operation's security requirements (oauth2 and openIdConnect list them).
    let security = node
        .get("security")
        .or_else(|| docs.root(&docs.main)?.get("security"));
    let mut scopes = Vec::new();
    if let Some(NodeValue::Seq(reqs)) = security.map(|s| &s.value) {
        for req in reqs {
            for (_, list_node) in req.as_map().unwrap_or(&[]) {
                if let NodeValue::Seq(items) = &list_node.value {
                    for s in items.iter().filter_map(Node::as_str) {
                        if !scopes.contains(&s) {
                            scopes.push(s);
                        }
                    }
                }
            }
        }
    }
    if !scopes.is_empty() {
        entries.push(entry(
            pos,
            "scopes",
            list(pos, scopes.iter().map(|s| string(pos, s)).collect()),
        ));
    }
    let mut params = params(docs, schemas, op, diags)?;
    let mut json_body = None;
    if let Some(body) = node.get("requestBody") {
        match request_body(docs, schemas, &op.place.key("requestBody"), body, diags)? {
            Some(Sent::Json(body)) => json_body = Some(body),
            Some(Sent::Parts(parts)) => {
                if let NodeValue::Seq(items) = &mut params.value {
                    items.extend(parts);
                }
            }
            None => {}
        }
    }
    entries.push(entry(pos, "params", params));
    if let Some(body) = json_body {
        entries.push(entry(body.pos, "body", body));
    }
    let (responses, errors) = responses(docs, schemas, op, diags)?;
    entries.push(entry(pos, "responses", responses));
    if !matches!(&errors.value, NodeValue::Seq(e) if e.is_empty()) {
        entries.push(entry(pos, "errors", errors));
    }
    if let Some(p) = node.get("x-paginated") {
        entries.push(entry(p.pos, "paginated", p.clone()));
    }
    if let Some(l) = node.get("x-linked") {
        entries.push(entry(l.pos, "linked", l.clone()));
    }
    Ok(map(pos, entries))
}

/// The parameters of an operation (those of its path item first, replaced by the operation's
/// own of the same name and location).
fn params<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    op: &Operation<'d>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Node, String> {
    let mut found: Vec<(String, String, Place, &'d Node)> = Vec::new();
    for (owner, place) in [(op.path_item, &op.path_place), (op.node, &op.place)] {
        let Some(NodeValue::Seq(items)) = owner.get("parameters").map(|p| &p.value) else {
            continue;
        };
        for (i, item) in items.iter().enumerate() {
            let at = place.key("parameters").index(i);
            let (at, p) = match docs.resolve(&at, item) {
                Ok(found) => found,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let name = p
                .get("name")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string();
            let location = p
                .get("in")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_string();
            found.retain(|(n, l, _, _)| !(n == &name && l == &location));
            found.push((name, location, at, p));
        }
    }
    let mut out = Vec::new();
    for (name, location, at, p) in found {
        let pos = p.pos;
        match location.as_str() {
            "path" | "query" | "header" => {}
            "cookie" => {
                return Err(format!(
                    "parameter `{name}` is a cookie, which the spec format cannot send"
                ))
            }
            other => {
                diags.push(at.key("in").diag(p, format!("parameter `{name}` is `in: {other}`; expected path, query, header or cookie")));
                continue;
            }
        }
        // OpenAPI: these header parameters are ignored (the client sets them).
        if location == "header"
            && ["accept", "content-type", "authorization"]
                .contains(&name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let Some(schema) = p.get("schema") else {
            if p.get("content").is_some() {
                return Err(format!(
                    "parameter `{name}` is encoded as `content`, which the spec format cannot send"
                ));
            }
            diags.push(at.diag(p, format!("parameter `{name}` has no `schema`")));
            continue;
        };
        if let Some(style) = p.get("style").and_then(Node::as_str) {
            let plain = matches!(
                (location.as_str(), style),
                ("path", "simple") | ("query", "form") | ("header", "simple")
            );
            if !plain {
                return Err(format!("parameter `{name}` is sent in style `{style}`, which the runtime cannot send yet"));
            }
        }
        let required = location == "path"
            || matches!(
                p.get("required").map(|r| &r.value),
                Some(NodeValue::Bool(true))
            );
        let mut entries = vec![
            entry(pos, "name", string(pos, &name)),
            entry(pos, "in", string(pos, &location)),
            entry(pos, "required", boolean(pos, required)),
            entry(
                pos,
                "description",
                string(
                    pos,
                    &p.get("description")
                        .and_then(Node::as_str)
                        .filter(|d| !d.trim().is_empty())
                        .map_or_else(
                            || format!("The `{name}` {location} parameter."),
                            str::to_string,
                        ),
                ),
            ),
            entry(
                schema.pos,
                "schema",
                schemas.schema(&at.key("schema"), schema),
            ),
        ];
        if let Some(example) = example_of(docs, &at, p) {
            entries.push(entry(example.pos, "example", example));
        }
        if let Some(reason) = p.get("x-example-outside-enum") {
            entries.push(entry(reason.pos, "x-example-outside-enum", reason.clone()));
        }
        out.push(map(pos, entries));
    }
    Ok(list(op.node.pos, out))
}

/// What an operation's request body becomes: the action's JSON body, or the parts of its form.
enum Sent {
    Json(Node),
    Parts(Vec<Node>),
}

/// Whether a form's schema has a file (a binary string property): an upload, sent as a form
/// even where the operation also takes JSON.
fn has_file_property(docs: &Documents, place: &Place, schema: &Node) -> bool {
    let Ok((_, schema)) = docs.resolve(place, schema) else {
        return false;
    };
    let Some(properties) = schema.get("properties").and_then(Node::as_map) else {
        return false;
    };
    properties
        .iter()
        .any(|(_, p)| is_binary(p) || p.get("items").is_some_and(is_binary))
}

/// Whether a schema is a file's content: a binary string (3.0's `format: binary`, 3.1's
/// `contentMediaType` or `contentEncoding`).
fn is_binary(schema: &Node) -> bool {
    schema.get("format").and_then(Node::as_str) == Some("binary")
        || schema.get("contentMediaType").is_some()
        || schema.get("contentEncoding").is_some()
}

/// The parts of a `multipart/form-data` body: one parameter `in: part` per property of its
/// schema (a binary string is a file), required where the schema requires it.
fn form_parts<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    place: &Place,
    media_node: &'d Node,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Node>, String> {
    let Some(schema) = media_node.get("schema") else {
        return Err("request body is a form without a schema".to_string());
    };
    let (place, schema) = match docs.resolve(&place.key("schema"), schema) {
        Ok(found) => found,
        Err(d) => {
            diags.push(d);
            return Ok(Vec::new());
        }
    };
    let Some(properties) = schema.get("properties").and_then(Node::as_map) else {
        return Err("request body is a form whose schema lists no properties (parts)".to_string());
    };
    let required: Vec<&str> = match schema.get("required").map(|r| &r.value) {
        Some(NodeValue::Seq(names)) => names.iter().filter_map(Node::as_str).collect(),
        _ => Vec::new(),
    };
    let mut parts = Vec::new();
    for (key, property) in properties {
        let name = key.name.as_str();
        let pos = property.pos;
        let description = property
            .get("description")
            .and_then(Node::as_str)
            .filter(|d| !d.trim().is_empty())
            .map_or_else(|| format!("The `{name}` part of the form."), str::to_string);
        let at = place.key("properties").key(name);
        // A file's content, however the document says it: the spec format's binary string.
        let schema = if is_binary(property) {
            map(
                pos,
                vec![
                    entry(pos, "type", string(pos, "string")),
                    entry(pos, "format", string(pos, "binary")),
                ],
            )
        } else {
            schemas.schema(&at, property)
        };
        parts.push(map(
            pos,
            vec![
                entry(pos, "name", string(pos, name)),
                entry(pos, "in", string(pos, "part")),
                entry(pos, "required", boolean(pos, required.contains(&name))),
                entry(pos, "description", string(pos, &description)),
                entry(pos, "schema", schema),
            ],
        ));
    }
    Ok(parts)
}

/// The request body, `None` when it has no content.
fn request_body<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    place: &Place,
    body: &'d Node,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Sent>, String> {
    let (place, body) = match docs.resolve(place, body) {
        Ok(found) => found,
        Err(d) => {
            diags.push(d);
            return Ok(None);
        }
    };
    let Some(content) = body.get("content") else {
        return Ok(None);
    };
    let (json, types) = json_media(content);
    let form = content
        .as_map()
        .unwrap_or(&[])
        .iter()
        .find(|(k, _)| media_essence(&k.name) == "multipart/form-data");
    // A form with a file is an upload: sent as a form even where JSON is offered too (JSON
    // cannot carry the file).
    if let Some((key, media_node)) = form {
        let media_place = place.key("content").key(&key.name);
        let upload = media_node
            .get("schema")
            .is_some_and(|s| has_file_property(docs, &media_place.key("schema"), s));
        if json.is_none() || upload {
            return form_parts(docs, schemas, &media_place, media_node, diags)
                .map(|parts| Some(Sent::Parts(parts)));
        }
    }
    let Some((media, media_node)) = json else {
        return Err(format!(
            "request body is {}, which the runtime cannot send yet",
            types.join(" or ")
        ));
    };
    let pos = body.pos;
    let media_place = place.key("content").key(media);
    let Some(schema) = media_node.get("schema") else {
        return Err("request body has no schema".to_string());
    };
    let mut entries = vec![
        entry(
            pos,
            "name",
            string(
                pos,
                body.get("x-name").and_then(Node::as_str).unwrap_or("body"),
            ),
        ),
        entry(
            pos,
            "description",
            string(
                pos,
                body.get("description")
                    .and_then(Node::as_str)
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or("The request body."),
            ),
        ),
        entry(
            pos,
            "required",
            boolean(
                pos,
                matches!(
                    body.get("required").map(|r| &r.value),
                    Some(NodeValue::Bool(true))
                ),
            ),
        ),
        entry(
            schema.pos,
            "schema",
            schemas.schema(&media_place.key("schema"), schema),
        ),
    ];
    if let Some(example) = example_of(docs, &media_place, media_node) {
        entries.push(entry(example.pos, "example", example));
    }
    Ok(Some(Sent::Json(map(pos, entries))))
}

/// Success responses and error responses.
fn responses<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    op: &Operation<'d>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Node, Node), String> {
    let pos = op.node.pos;
    let Some(all) = op.node.get("responses").and_then(Node::as_map) else {
        return Err("documents no responses".to_string());
    };
    let mut success = Vec::new();
    let mut success_schemas = Vec::new();
    // Success statuses answered with a file or an event stream.
    let mut success_files = 0;
    let mut errors = Vec::new();
    for (code_key, response) in all {
        let Ok(code) = code_key.name.parse::<u16>() else {
            // `default` and ranges such as `4XX` have no one status to map.
            continue;
        };
        if !(100..=599).contains(&code) {
            continue;
        }
        let at = op.place.key("responses").key(&code_key.name);
        let (at, response) = match docs.resolve(&at, response) {
            Ok(found) => found,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let rpos = response.pos;
        let description = response
            .get("description")
            .and_then(Node::as_str)
            .unwrap_or("");
        let mut entries = vec![
            entry(rpos, "code", number(rpos, code.into())),
            entry(rpos, "description", string(rpos, description)),
        ];
        let is_success = (200..300).contains(&code);
        if let Some(content) = response
            .get("content")
            .filter(|c| c.as_map().is_some_and(|m| !m.is_empty()))
        {
            let (json, types) = json_media(content);
            match json {
                Some((media, media_node)) => {
                    let media_place = at.key("content").key(media);
                    if let Some(schema) = media_node.get("schema") {
                        let normalized = schemas.schema(&media_place.key("schema"), schema);
                        if is_success {
                            success_schemas.push(normalized.to_json());
                        }
                        entries.push(entry(schema.pos, "schema", normalized));
                        if let Some(example) = example_of(docs, &media_place, media_node) {
                            entries.push(entry(example.pos, "example", example));
                        }
                    } else if is_success {
                        success_schemas.push(serde_json::Value::Null);
                    }
                }
                // A success answer in another media type: a file, or an event stream (whose
                // schema is each event's data).
                None if is_success => {
                    let (key, media_node) = content
                        .as_map()
                        .and_then(|m| {
                            m.iter()
                                .find(|(k, _)| crate::spec::is_event_stream(&k.name))
                                .or_else(|| m.first())
                        })
                        .map(|(k, n)| (k.name.as_str(), n))
                        .ok_or_else(|| format!("answers status {code} in no media type"))?;
                    if types.len() > 1 && !crate::spec::is_event_stream(key) {
                        return Err(format!(
                            "answers {} with status {code}; the spec format takes one file type",
                            types.join(" or ")
                        ));
                    }
                    entries.push(entry(rpos, "media", string(rpos, key)));
                    let media_place = at.key("content").key(key);
                    match media_node.get("schema") {
                        Some(schema) if crate::spec::is_event_stream(key) => {
                            let normalized = schemas.schema(&media_place.key("schema"), schema);
                            success_schemas.push(normalized.to_json());
                            entries.push(entry(schema.pos, "schema", normalized));
                        }
                        _ => success_schemas.push(serde_json::json!({"media": key})),
                    }
                    success_files += 1;
                }
                // An error answered in another media type: its status and meaning still map.
                None => {}
            }
        } else if is_success {
            success_schemas.push(serde_json::Value::Null);
        }
        let tree = map(rpos, entries);
        if is_success {
            success.push(tree);
        } else if code >= 400 {
            errors.push(tree);
        }
    }
    if success.is_empty() {
        return Err("documents no success status (2XX)".to_string());
    }
    // Statuses that all answer the same body are one outcome, which the first documents;
    // statuses with different bodies are the outcomes of an enum, told apart by status.
    if success_schemas.windows(2).all(|w| w[0] == w[1]) {
        success.truncate(1);
    } else if success_files > 0 {
        return Err("answers a file or an event stream beside other success statuses, which the runtime cannot return yet".to_string());
    }
    Ok((list(pos, success), list(pos, errors)))
}

/// The topics of the document's `webhooks` (OpenAPI 3.1), in our format's shape
/// (`{name, description, schema}`): a topic is named by its key (or the operation's `x-topic`,
/// where deliveries name it otherwise), described by its operation's `description` (else its
/// `summary`), and its payload is the JSON schema of the operation's request body. A webhook
/// without a JSON body is reported.
pub fn webhook_topics<'d>(
    docs: &'d Documents,
    schemas: &mut Schemas<'d>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Node> {
    let Some(root) = docs.root(&docs.main) else {
        return Vec::new();
    };
    let main = Place {
        file: docs.main.clone(),
        pointer: "#".into(),
    };
    let place = main.key("webhooks");
    let mut topics = Vec::new();
    for (key, item) in root.get("webhooks").and_then(Node::as_map).unwrap_or(&[]) {
        let (item_place, item) = match docs.resolve(&place.key(&key.name), item) {
            Ok(found) => found,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let Some((method, op)) = METHODS.iter().find_map(|&m| Some((m, item.get(m)?))) else {
            diags.push(item_place.diag(item, format!("webhook `{}` has no operation", key.name)));
            continue;
        };
        let op_place = item_place.key(method);
        let text = |k: &str| {
            op.get(k)
                .and_then(Node::as_str)
                .filter(|t| !t.trim().is_empty())
        };
        let name = text("x-topic").unwrap_or(&key.name);
        let description = text("description")
            .or(text("summary"))
            .map_or_else(|| format!("The `{name}` webhook."), str::to_string);
        let body_place = op_place.key("requestBody");
        let schema = op.get("requestBody").and_then(|body| {
            let (body_place, body) = docs.resolve(&body_place, body).ok()?;
            let content = body.get("content")?;
            let (json, _) = json_media(content);
            let (media, media_node) = json?;
            let schema = media_node.get("schema")?;
            let at = body_place.key("content").key(media).key("schema");
            Some(schemas.schema(&at, schema))
        });
        let Some(schema) = schema else {
            diags.push(op_place.diag(
                op,
                format!(
                    "webhook `{}` has no JSON request body schema for its payload",
                    key.name
                ),
            ));
            continue;
        };
        let pos = op.pos;
        topics.push(map(
            pos,
            vec![
                entry(key.pos, "name", string(key.pos, name)),
                entry(pos, "description", string(pos, &description)),
                entry(schema.pos, "schema", schema),
            ],
        ));
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_take_the_longest_shared_leading_segments() {
        assert_eq!(
            common_prefix(
                ["/orgs/{org_id}/apitokens", "/orgs/{org_id}/apitokens/{id}"].into_iter()
            ),
            "/orgs/{org_id}/apitokens"
        );
        assert_eq!(common_prefix(["/pet", "/pets"].into_iter()), "");
        assert_eq!(
            common_prefix(["/user/login", "/user/{name}"].into_iter()),
            "/user"
        );
    }

    #[test]
    fn untagged_operations_group_by_first_literal_segment() {
        assert_eq!(path_group("/pets/{id}"), "pets");
        assert_eq!(path_group("/{id}"), "root");
    }

    #[test]
    fn titles_split_at_the_first_line() {
        assert_eq!(
            first_line("Create Org API Token\nNote that the key is shown once."),
            (
                "Create Org API Token".to_string(),
                Some("Note that the key is shown once.".to_string())
            )
        );
        assert_eq!(first_line(" One line "), ("One line".to_string(), None));
    }

    #[test]
    fn json_media_prefers_application_json() {
        let node =
            crate::yaml::parse("application/vnd.api+json: {a: 1}\napplication/json: {b: 2}\n")
                .unwrap();
        let (found, types) = json_media(&node);
        assert_eq!(found.map(|(m, _)| m), Some("application/json"));
        assert_eq!(types.len(), 2);
        let node = crate::yaml::parse("multipart/form-data: {a: 1}\n").unwrap();
        assert!(json_media(&node).0.is_none());
    }
}
