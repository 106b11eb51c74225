//! The front-end of Losant's own API description: the folder `schemas/` of Losant's JavaScript
//! client (`apiInfo.json`: every resource and action; one JSON Schema per definition name;
//! `apiExamples.json`: example payloads by definition name) and `globalParams.json`, with our
//! overlay (OpenAPI Overlay 1.0) applied first, read into the same [`Spec`] and source map the
//! spec format gives.
//!
//! A spec folder is read this way when it has no `api.yaml` and holds `schemas/apiInfo.json`.
//! The overlay's JSONPath targets address one document made of the vendor's files, each under
//! the key of its stem, the definitions under `definitions` (the vendor's own `$ref`s say
//! `#/definitions/<name>`, which resolves only across the whole set of files):
//!
//! ```text
//! { "apiInfo": {...}, "apiExamples": {...}, "globalParams": [...],
//!   "definitions": { "<name>": <schemas/<name>.json>, ... } }
//! ```
//!
//! and API-wide keys of ours are added to its root (`$`). After the overlay, each part is again
//! the file it came from, so problems name the vendor file and its JSON pointer. Schemas are
//! normalized by the OpenAPI front-end's [`Schemas`]: a definition is a component named by its
//! file stem.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::load::{read_tree, Loaded, SourceMap, Workspace};
use crate::openapi::document::{Documents, Place};
use crate::openapi::overlay;
use crate::openapi::schemas::Schemas;
use crate::openapi::tree::{boolean, entry, list, map, number, string};
use crate::spec::{self, Api, Resource, Spec};
use crate::yaml::{Key, Node, NodeValue, Pos};

/// The file that makes a spec folder one of Losant's descriptions (relative to the folder).
pub const API_INFO: &str = "schemas/apiInfo.json";
/// The examples by definition name.
const API_EXAMPLES: &str = "apiExamples";
/// The parameters every action accepts (relative to the folder).
const GLOBAL_PARAMS: &str = "globalParams.json";

/// Our keys at the root of the described document (added by the overlay), each with what it
/// becomes in `api.yaml`.
const ROOT_KEYS: &[(&str, &str)] = &[
    ("x-title", "title"),
    ("x-description", "description"),
    ("x-version", "version"),
    ("x-crate", "crate"),
    ("x-docs-url", "docs_url"),
    ("x-servers", "servers"),
    ("x-auth", "auth"),
    ("x-headers", "headers"),
    ("x-errors", "errors"),
    ("x-rate-limit", "rate_limit"),
    ("x-request-id-header", "request_id_header"),
];

/// Whether a spec folder holds Losant's API description.
pub(crate) fn is_description(workspace: &Workspace) -> bool {
    workspace.exists(&format!("{}/{API_INFO}", workspace.spec_dir))
}

/// Reads a Losant description folder into a spec. The definitions' JSON is read first without
/// positions; when anything is wrong it is read again with them, so every problem the
/// front-end finds has its line and column (`apiInfo.json` and `globalParams.json` are always
/// read with them).
pub(crate) fn load(workspace: &Workspace) -> (Option<Loaded>, Vec<Diagnostic>) {
    let (loaded, diags) = load_with(workspace, false);
    if diags.is_empty() {
        return (loaded, diags);
    }
    let (loaded, mut diags) = load_with(workspace, true);
    // A resource's parameters are read with each of its actions: each problem once.
    let mut seen = std::collections::BTreeSet::new();
    diags.retain(|d| seen.insert(d.to_string()));
    (loaded, diags)
}

/// One file of the description as read.
struct File {
    rel: String,
    node: Node,
}

fn read(
    workspace: &Workspace,
    rel: &str,
    located: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<File> {
    let tree = read_tree(workspace, rel, diags)?;
    // Resources and parameters are rebuilt from these two, so their positions are needed for
    // the problems validation finds later.
    let located = located || rel.ends_with(API_INFO) || rel.ends_with(GLOBAL_PARAMS);
    let node = match (located, tree.unlocated_text) {
        (true, Some(text)) => match crate::yaml::parse(&text) {
            Ok(node) => node,
            Err(_) => tree.node,
        },
        _ => tree.node,
    };
    Some(File {
        rel: rel.to_string(),
        node,
    })
}

fn load_with(workspace: &Workspace, located: bool) -> (Option<Loaded>, Vec<Diagnostic>) {
    let dir = workspace.spec_dir;
    let mut diags = Vec::new();
    let folder_name = dir.rsplit('/').next().unwrap_or(dir).to_string();
    if let Some(problem) = crate::rules::api_name_problem(&folder_name) {
        diags.push(Diagnostic::new(dir, None, "", problem));
    }
    let overlay_rel = format!("{dir}/overlay.yaml");
    let overlay = if workspace.exists(&overlay_rel) {
        read_tree(workspace, &overlay_rel, &mut diags).and_then(|tree| {
            let before = diags.len();
            overlay::check(&tree.node, &overlay_rel, &mut diags);
            match overlay::extends(&tree.node) {
                Some(API_INFO) => {}
                other => diags.push(Diagnostic::new(
                    &overlay_rel,
                    tree.node
                        .get("extends")
                        .map_or(Some(tree.node.pos), |n| Some(n.pos)),
                    "extends",
                    format!(
                        "the overlay of a Losant description extends `{API_INFO}`, not {}",
                        other.map_or("nothing".to_string(), |o| format!("`{o}`"))
                    ),
                )),
            }
            (diags.len() == before).then_some(tree.node)
        })
    } else {
        None
    };
    // The vendor's files.
    let schema_files = crate::load::list_files(workspace, "schemas", &["json"], &mut diags);
    let mut definitions: Vec<File> = Vec::new();
    let mut api_info = None;
    let mut examples = None;
    for (stem, rel) in &schema_files {
        let Some(file) = read(workspace, rel, located, &mut diags) else {
            continue;
        };
        match stem.as_str() {
            "apiInfo" => api_info = Some(file),
            API_EXAMPLES => examples = Some(file),
            _ => definitions.push(file),
        }
    }
    let globals = read(
        workspace,
        &format!("{dir}/{GLOBAL_PARAMS}"),
        located,
        &mut diags,
    );
    let (Some(api_info), Some(globals)) = (api_info, globals) else {
        return (None, diags);
    };
    let examples = examples.map_or_else(|| map(Pos { line: 1, col: 1 }, Vec::new()), |f| f.node);
    // One document for the overlay.
    let pos = api_info.node.pos;
    let mut whole = map(
        pos,
        vec![
            entry(pos, "apiInfo", api_info.node),
            entry(pos, API_EXAMPLES, examples),
            entry(pos, "globalParams", globals.node),
            entry(
                pos,
                "definitions",
                map(
                    pos,
                    definitions
                        .into_iter()
                        .map(|f| {
                            let stem = stem_of(&f.rel);
                            entry(f.node.pos, &stem, f.node)
                        })
                        .collect(),
                ),
            ),
        ],
    );
    if let Some(node) = &overlay {
        overlay::apply(&mut whole, node, &overlay_rel, &mut diags);
    }
    // Back into files.
    let NodeValue::Map(parts) = whole.value else {
        return (None, diags);
    };
    let mut root_keys: Vec<(Key, Node)> = Vec::new();
    let mut api_info = None;
    let mut examples = None;
    let mut globals = None;
    let mut definitions: Vec<(Key, Node)> = Vec::new();
    for (key, node) in parts {
        match key.name.as_str() {
            "apiInfo" => api_info = Some(node),
            API_EXAMPLES => examples = Some(node),
            "globalParams" => globals = Some(node),
            "definitions" => {
                if let NodeValue::Map(defs) = node.value {
                    definitions = defs;
                }
            }
            _ => root_keys.push((key, node)),
        }
    }
    let (Some(mut api_info), Some(mut globals)) = (api_info, globals) else {
        return (None, diags);
    };
    let examples = examples.unwrap_or_else(|| map(pos, Vec::new()));
    let info_rel = format!("{dir}/{API_INFO}");
    let globals_rel = format!("{dir}/{GLOBAL_PARAMS}");
    let mut docs = Documents {
        main: info_rel.clone(),
        files: BTreeMap::new(),
    };
    for (_, node) in &mut definitions {
        rewrite_refs(node, 0);
    }
    for (_, node) in &mut definitions {
        crate::secrets::mark_secrets(node, 0);
    }
    for (_, node) in &mut definitions {
        rust_patterns(node, 0);
    }
    one_type_per_shape(&mut definitions);
    for (key, mut node) in definitions {
        // A definition's example: `apiExamples.json` under its name.
        if let (NodeValue::Map(entries), Some(example)) = (&mut node.value, examples.get(&key.name))
        {
            if !entries.iter().any(|(k, _)| k.name == "examples") {
                entries.push(entry(
                    example.pos,
                    "examples",
                    list(example.pos, vec![example.clone()]),
                ));
            }
        }
        docs.files
            .insert(format!("{dir}/schemas/{}.json", key.name), node);
    }
    rewrite_refs(&mut api_info, 0);
    rewrite_refs(&mut globals, 0);
    rust_patterns(&mut api_info, 0);
    rust_patterns(&mut globals, 0);
    docs.files.insert(info_rel.clone(), api_info);
    docs.files.insert(globals_rel.clone(), globals);
    let root = map(pos, root_keys);
    let read = read_spec(
        &docs,
        &root,
        &examples,
        &folder_name,
        &overlay_rel,
        &mut diags,
    );
    let changelog = crate::load::read_changelog(workspace, &mut diags);
    let loaded = read.map(|(api, api_tree, resources, schemas, excluded)| {
        let mut sources = SourceMap::default();
        let file = sources.add_file(&overlay_rel);
        sources.record(file, "api", tree_of(api_tree));
        let mut typed_resources = Vec::new();
        for (name, node) in resources {
            let path = format!("resources.{name}");
            let before = diags.len();
            crate::load::check_shape(&node, &spec::RESOURCE, &path, &info_rel, &mut diags);
            let typed = if diags.len() == before {
                crate::load::typed::<Resource>(&node, &info_rel, &path, &mut diags)
            } else {
                None
            };
            let file = sources.add_file(&info_rel);
            sources.record(file, &path, tree_of(node));
            typed_resources.extend(typed);
        }
        let mut schema_values = BTreeMap::new();
        for (name, (rel, node)) in schemas {
            let path = format!("schemas.{name}");
            crate::load::check_schema(&node, &path, &rel, &mut diags);
            schema_values.insert(name, node.to_json());
            let file = sources.add_file(&rel);
            sources.record(file, &path, tree_of(node));
        }
        Loaded {
            spec: Spec {
                api,
                resources: typed_resources,
                schemas: schema_values,
                source: dir.to_string(),
                broken_schemas: Default::default(),
                changelog,
                excluded,
            },
            sources,
        }
    });
    (loaded, diags)
}

fn tree_of(node: Node) -> crate::load::Tree {
    crate::load::Tree {
        node,
        unlocated_text: None,
    }
}

/// The stem of a file name (`spec/x/schemas/apiToken.json` → `apiToken`).
fn stem_of(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".json").unwrap_or(name).to_string()
}

/// `#/definitions/<name>[/rest]` → `<name>.json[#/rest]`: the definition's own file, beside
/// the others, so that the reader of `$ref`s finds it.
fn rewrite_refs(node: &mut Node, depth: usize) {
    if depth > crate::yaml::MAX_DEPTH {
        return;
    }
    match &mut node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                if key.name == "$ref" {
                    if let NodeValue::String(text) = &mut value.value {
                        if let Some(rest) = text.strip_prefix("#/definitions/") {
                            *text = match rest.split_once('/') {
                                Some((name, tail)) => format!("{name}.json#/{tail}"),
                                None => format!("{rest}.json"),
                            };
                        }
                    }
                } else {
                    rewrite_refs(value, depth + 1);
                }
            }
        }
        NodeValue::Seq(items) => items.iter_mut().for_each(|i| rewrite_refs(i, depth + 1)),
        _ => {}
    }
}

/// Keys whose values are data, not schemas: a `pattern` in them is not a regular expression.
const VALUE_DATA_KEYS: &[&str] = &["examples", "example", "default", "enum", "const"];

/// Every `pattern` (and `patternProperties` key) in the Rust regex dialect, by
/// [`rust_pattern`]: the vendor writes them for JavaScript.
fn rust_patterns(node: &mut Node, depth: usize) {
    if depth > crate::yaml::MAX_DEPTH {
        return;
    }
    match &mut node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries.iter_mut() {
                if VALUE_DATA_KEYS.contains(&key.name.as_str()) {
                    continue;
                }
                match (key.name.as_str(), &mut value.value) {
                    ("pattern", NodeValue::String(text)) => *text = rust_pattern(text),
                    ("patternProperties", NodeValue::Map(props)) => {
                        for (k, _) in props.iter_mut() {
                            k.name = rust_pattern(&k.name);
                        }
                        rust_patterns(value, depth + 1);
                    }
                    _ => rust_patterns(value, depth + 1),
                }
            }
        }
        NodeValue::Seq(items) => items.iter_mut().for_each(|v| rust_patterns(v, depth + 1)),
        _ => {}
    }
}

/// A JavaScript regular expression in the dialect of Rust's `regex` crate, as far as braces
/// go: JavaScript reads a `{` that does not start a repetition (`{n}`, `{n,}`, `{n,m}`) as
/// itself, and a `}` that closes none as itself too; Rust refuses both, so they are escaped
/// (`.*{{.+}}.*` → `.*\{\{.+\}\}.*`). Escaped characters and braces in a character class
/// are kept as they are.
pub(crate) fn rust_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                out.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    out.push(next);
                    i += 1;
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is JavaScript's empty class; it still ends it.
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '{' if !in_class => match repetition_len(&chars[i..]) {
                Some(len) => {
                    out.extend(&chars[i..i + len]);
                    i += len;
                    continue;
                }
                None => out.push_str("\\{"),
            },
            '}' if !in_class => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// The length of the repetition (`{n}`, `{n,}`, `{n,m}`) at the start of `chars`, if one is.
fn repetition_len(chars: &[char]) -> Option<usize> {
    let digits = |from: usize| {
        chars[from..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let n = digits(1);
    if n == 0 {
        return None;
    }
    let mut at = 1 + n;
    if chars.get(at) == Some(&',') {
        at += 1 + digits(at + 1);
    }
    (chars.get(at) == Some(&'}')).then_some(at + 1)
}

/// The keywords that only document a schema: two schemas that differ only in these at their
/// top have one shape.
const DOC_KEYS: &[&str] = &["$schema", "$comment", "title", "description", "examples"];

/// The shape of an object schema (its JSON without the documenting keywords at its top), or
/// `None` for a schema that is not an object with properties (a string type is no shape of its
/// own).
fn shape(node: &Node) -> Option<String> {
    let NodeValue::Map(entries) = &node.value else {
        return None;
    };
    if !entries.iter().any(|(k, _)| k.name == "properties") {
        return None;
    }
    let mut json = node.to_json();
    if let serde_json::Value::Object(map) = &mut json {
        for key in DOC_KEYS {
            map.shift_remove(*key);
        }
    }
    Some(json.to_string())
}

/// One type for one shape: an object schema written out inside a definition that has the shape
/// of a whole definition becomes a `$ref` to that definition, so it is one Rust type named after
/// the definition. A shape that two definitions share is left as it is (no choice between
/// them that a new definition could change), so adding a definition never renames another.
fn one_type_per_shape(definitions: &mut [(Key, Node)]) {
    let mut owners: BTreeMap<String, Option<String>> = BTreeMap::new();
    for (key, node) in definitions.iter() {
        if let Some(shape) = shape(node) {
            owners
                .entry(shape)
                .and_modify(|owner| *owner = None)
                .or_insert_with(|| Some(key.name.clone()));
        }
    }
    for (key, node) in definitions.iter_mut() {
        replace_copies(node, &key.name, &owners, 0, true);
    }
}

fn replace_copies(
    node: &mut Node,
    definition: &str,
    owners: &BTreeMap<String, Option<String>>,
    depth: usize,
    root: bool,
) {
    if depth > crate::yaml::MAX_DEPTH {
        return;
    }
    if !root {
        if let Some(Some(owner)) = shape(node).and_then(|s| owners.get(&s)) {
            // A definition that holds a copy of itself stays as it is.
            if owner != definition {
                let pos = node.pos;
                *node = map(
                    pos,
                    vec![entry(pos, "$ref", string(pos, &format!("{owner}.json")))],
                );
                return;
            }
        }
    }
    match &mut node.value {
        NodeValue::Map(entries) => entries
            .iter_mut()
            .for_each(|(_, v)| replace_copies(v, definition, owners, depth + 1, false)),
        NodeValue::Seq(items) => items
            .iter_mut()
            .for_each(|v| replace_copies(v, definition, owners, depth + 1, false)),
        _ => {}
    }
}

/// What [`read_spec`] gives: the API (typed and as a tree), resource trees, schema trees and
/// the lines of `EXCLUDED.md`.
type ReadSpec = (
    Api,
    Node,
    BTreeMap<String, Node>,
    BTreeMap<String, (String, Node)>,
    Vec<String>,
);

fn read_spec<'d>(
    docs: &'d Documents,
    root: &Node,
    examples: &'d Node,
    api_name: &str,
    overlay_rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<ReadSpec> {
    let info = docs.root(&docs.main)?;
    let info_place = Place {
        file: docs.main.clone(),
        pointer: "#".into(),
    };
    let pos = root.pos;
    let mut schemas = Schemas::new(docs);
    // The include list.
    let include: Option<Vec<String>> = root.get("x-include-resources").map(|n| match &n.value {
        NodeValue::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => {
            diags.push(Diagnostic::new(
                overlay_rel,
                Some(n.pos),
                "$.x-include-resources",
                "`x-include-resources` must be a list of resource names",
            ));
            Vec::new()
        }
    });
    let resources = info.as_map().unwrap_or(&[]);
    if let Some(include) = &include {
        for name in include {
            if !resources.iter().any(|(k, _)| &k.name == name) {
                diags.push(Diagnostic::new(
                    overlay_rel,
                    root.get("x-include-resources").map(|n| n.pos),
                    "$.x-include-resources",
                    format!("`x-include-resources` names the resource `{name}`, which `{API_INFO}` does not have"),
                ));
            }
        }
    }
    let mut out = BTreeMap::new();
    let mut excluded = Vec::new();
    let mut not_included = Vec::new();
    for (key, resource) in resources {
        let name = &key.name;
        let place = info_place.key(name);
        let count = resource
            .get("actions")
            .and_then(Node::as_map)
            .map_or(0, <[_]>::len);
        if include.as_ref().is_some_and(|inc| !inc.contains(name)) {
            not_included.push(format!(
                "- resource `{name}`: {count} action{} not yet included (`x-include-resources`)",
                if count == 1 { "" } else { "s" }
            ));
            continue;
        }
        let ctx = Context { examples };
        if let Some(tree) = read_resource(
            &ctx,
            &mut schemas,
            name,
            &place,
            resource,
            &mut excluded,
            diags,
        ) {
            out.insert(name.clone(), tree);
        }
    }
    // The parameters every action accepts.
    let globals_rel = docs
        .files
        .keys()
        .find(|k| k.ends_with(GLOBAL_PARAMS))
        .cloned()
        .unwrap_or_default();
    let globals_place = Place {
        file: globals_rel.clone(),
        pointer: "#".into(),
    };
    let mut global_params = Vec::new();
    match docs.root(&globals_rel).map(|n| &n.value) {
        Some(NodeValue::Seq(items)) => {
            for (i, p) in items.iter().enumerate() {
                let ctx = Context { examples };
                match param(&ctx, &mut schemas, &globals_place.index(i), p, diags) {
                    Ok(Some(Param::Plain(node))) => global_params.push(node),
                    Ok(_) => diags.push(globals_place.index(i).diag(
                        p,
                        "a parameter every action accepts must be in the path, query or header",
                    )),
                    Err(reason) => diags.push(globals_place.index(i).diag(p, reason)),
                }
            }
        }
        _ => diags.push(globals_place.diag(root, "expected a list of parameters")),
    }
    schemas.finish();
    diags.append(&mut schemas.diags);
    // The API as a whole.
    let mut api = vec![entry(pos, "name", string(pos, api_name))];
    for (ours, theirs) in ROOT_KEYS {
        if let Some(value) = root.get(ours) {
            api.push(entry(value.pos, theirs, value.clone()));
        }
    }
    if !global_params.is_empty() {
        api.push(entry(pos, "parameters", list(pos, global_params)));
    }
    for (required, key) in [
        ("x-title", "title"),
        ("x-version", "version"),
        ("x-crate", "crate"),
        ("x-servers", "servers"),
        ("x-auth", "auth"),
    ] {
        if root.get(required).is_none() {
            diags.push(Diagnostic::new(
                overlay_rel,
                None,
                &format!("$.{required}"),
                format!(
                    "the description has no `{key}`; the overlay adds it as `{required}` at `$`"
                ),
            ));
        }
    }
    let api_tree = map(pos, api);
    let before = diags.len();
    crate::load::check_shape(&api_tree, &spec::API, "api", overlay_rel, diags);
    let typed = if diags.len() == before {
        crate::load::typed::<Api>(&api_tree, overlay_rel, "api", diags)
    } else {
        None
    }?;
    excluded.extend(not_included);
    Some((typed, api_tree, out, schemas.done, excluded))
}

/// What reading an action needs besides the schemas.
struct Context<'d> {
    examples: &'d Node,
}

/// One resource as a tree of `resources/<name>.yaml`'s shape.
fn read_resource<'d>(
    ctx: &Context<'d>,
    schemas: &mut Schemas<'d>,
    name: &str,
    place: &Place,
    resource: &'d Node,
    excluded: &mut Vec<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let pos = resource.pos;
    let Some(path) = resource.get("path").and_then(Node::as_str) else {
        diags.push(place.diag(resource, format!("resource `{name}` has no `path`")));
        return None;
    };
    let title = resource
        .get("x-title")
        .and_then(Node::as_str)
        .map_or_else(|| title_of(name), str::to_string);
    // The vendor's own wording on every page without a description of its own.
    let description = resource
        .get("description")
        .and_then(Node::as_str)
        .map_or_else(
            || format!("Details on the various actions that can be performed on the {} resource, including the expected parameters and the potential responses.", title_of(name)),
            str::to_string,
        );
    let mut actions = Vec::new();
    for (key, action) in resource
        .get("actions")
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        let at = place.key("actions").key(&key.name);
        let method = action.get("method").and_then(Node::as_str).unwrap_or("");
        let suffix = action.get("path").and_then(Node::as_str).unwrap_or("");
        match read_action(ctx, schemas, name, resource, place, &at, action, diags) {
            Ok(node) => actions.push(entry(key.pos, &key.name, node)),
            Err(reason) => excluded.push(format!(
                "- `{method} {path}{suffix}` (`{name}.{}`, resource `{name}`): {reason}",
                key.name
            )),
        }
    }
    if actions.is_empty() {
        return None;
    }
    Some(map(
        pos,
        vec![
            entry(pos, "name", string(pos, name)),
            entry(pos, "title", string(pos, &title)),
            entry(pos, "description", string(pos, &description)),
            entry(pos, "path", string(pos, path)),
            entry(pos, "actions", map(pos, actions)),
        ],
    ))
}

/// `applicationApiTokens` → `Application Api Tokens`.
fn title_of(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 0 {
            out.push(c.to_ascii_uppercase());
        } else {
            if c.is_ascii_uppercase() {
                out.push(' ');
            }
            out.push(c);
        }
    }
    out
}

/// A parameter read: one of the table, or the body.
enum Param {
    Plain(Node),
    Body(Node),
}

#[allow(clippy::too_many_arguments)]
fn read_action<'d>(
    ctx: &Context<'d>,
    schemas: &mut Schemas<'d>,
    resource_name: &str,
    resource: &'d Node,
    resource_place: &Place,
    place: &Place,
    action: &'d Node,
    diags: &mut Vec<Diagnostic>,
) -> Result<Node, String> {
    let pos = action.pos;
    let event_stream = matches!(
        action.get("sseStream").map(|n| &n.value),
        Some(NodeValue::Bool(true))
    );
    let summary = action
        .get("x-title")
        .or_else(|| action.get("summary"))
        .and_then(Node::as_str)
        .map_or_else(|| title_of(resource_name), str::to_string);
    let mut entries = vec![entry(pos, "summary", string(pos, &summary))];
    // `denyOauthTokens`: the vendor pages say it in the action's text.
    let deny_oauth = matches!(
        action.get("denyOauthTokens").map(|n| &n.value),
        Some(NodeValue::Bool(true))
    )
    .then_some("OAuth-issued user tokens may not call this action.");
    let description: Vec<&str> = action
        .get("description")
        .and_then(Node::as_str)
        .into_iter()
        .chain(deny_oauth)
        .collect();
    if !description.is_empty() {
        entries.push(entry(
            pos,
            "description",
            string(pos, &description.join("\n\n")),
        ));
    }
    let Some(method) = action.get("method").and_then(Node::as_str) else {
        diags.push(place.diag(action, "an action needs a `method`"));
        return Err("it has no method".into());
    };
    entries.push(entry(pos, "method", string(pos, method)));
    if let Some(suffix) = action.get("path") {
        entries.push(entry(suffix.pos, "path", suffix.clone()));
    }
    // Scopes: ours as the pages list them, else the resource's and the action's own.
    let scopes = match action.get("x-scopes") {
        Some(s) => s.clone(),
        None => {
            let mut found: Vec<Node> = Vec::new();
            for owner in [resource, action] {
                if let Some(NodeValue::Seq(items)) = owner.get("auth").map(|a| &a.value) {
                    found.extend(items.iter().cloned());
                }
            }
            list(pos, found)
        }
    };
    if !matches!(&scopes.value, NodeValue::Seq(s) if s.is_empty()) {
        entries.push(entry(scopes.pos, "scopes", scopes));
    }
    let mut params = Vec::new();
    let mut body = None;
    for (owner, owner_place) in [(resource, resource_place), (action, place)] {
        let Some(NodeValue::Seq(items)) = owner.get("params").map(|p| &p.value) else {
            continue;
        };
        for (i, p) in items.iter().enumerate() {
            match param(ctx, schemas, &owner_place.key("params").index(i), p, diags)? {
                Some(Param::Plain(node)) => params.push(node),
                Some(Param::Body(node)) => body = Some(node),
                None => {}
            }
        }
    }
    entries.push(entry(pos, "params", list(pos, params)));
    if let Some(body) = body {
        entries.push(entry(body.pos, "body", body));
    }
    let mut responses = Vec::new();
    let mut errors = Vec::new();
    let statuses = action
        .get("responses")
        .and_then(Node::as_map)
        .unwrap_or(&[]);
    for (code, response) in statuses {
        let at = place.key("responses").key(&code.name);
        let Ok(status) = code.name.parse::<u64>() else {
            diags.push(at.diag(response, format!("status `{}` is not a number", code.name)));
            continue;
        };
        let rpos = response.pos;
        let mut r = vec![
            entry(rpos, "code", number(code.pos, status)),
            entry(
                rpos,
                "description",
                string(
                    rpos,
                    response
                        .get("description")
                        .and_then(Node::as_str)
                        .unwrap_or(""),
                ),
            ),
        ];
        if let Some(schema) = response.get("schema") {
            r.push(entry(
                schema.pos,
                "schema",
                schemas.schema(&at.key("schema"), schema),
            ));
        }
        // A server-sent event stream: each event's data is of its events' one schema (any
        // JSON where they differ).
        if event_stream && (200..300).contains(&status) {
            r.push(entry(rpos, "media", string(rpos, "text/event-stream")));
            let events = response
                .get("sseEvents")
                .and_then(Node::as_map)
                .unwrap_or(&[]);
            let mut event_schemas = events.iter().filter_map(|(name, e)| {
                let schema = e.get("schema")?;
                Some((at.key("sseEvents").key(&name.name).key("schema"), schema))
            });
            let first = event_schemas.next();
            let same = first.as_ref().is_some_and(|(_, s)| {
                event_schemas.all(|(_, other)| other.to_json() == s.to_json())
            });
            if let (Some((schema_at, schema)), true) = (first, same) {
                r.push(entry(
                    schema.pos,
                    "schema",
                    schemas.schema(&schema_at, schema),
                ));
            }
        }
        if (200..300).contains(&status) {
            responses.push(map(rpos, r));
        } else {
            errors.push(map(rpos, r));
        }
    }
    if responses.is_empty() {
        return Err("documents no success status".into());
    }
    entries.push(entry(pos, "responses", list(pos, responses)));
    if !errors.is_empty() {
        entries.push(entry(pos, "errors", list(pos, errors)));
    }
    if let Some(p) = action.get("x-paginated") {
        entries.push(entry(p.pos, "paginated", p.clone()));
    }
    if let Some(l) = action.get("x-linked") {
        entries.push(entry(l.pos, "linked", l.clone()));
    }
    Ok(map(pos, entries))
}

/// Keys of a vendor parameter that describe its value (its schema).
const VALUE_KEYS: &[&str] = &[
    "type",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "format",
    "deprecated",
    "x-rust-type",
    "x-epoch",
    "x-secret",
];

/// One vendor parameter (`in`: path, query, header, body, multipart) as a parameter or the body
/// of the spec format; `Err` when the action cannot be sent yet.
fn param<'d>(
    ctx: &Context<'d>,
    schemas: &mut Schemas<'d>,
    place: &Place,
    p: &'d Node,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Param>, String> {
    let pos = p.pos;
    let name = p.get("name").and_then(Node::as_str).unwrap_or_default();
    let location = p.get("in").and_then(Node::as_str).unwrap_or_default();
    let description = p
        .get("description")
        .and_then(Node::as_str)
        .filter(|d| !d.trim().is_empty())
        .map_or_else(
            || format!("The `{name}` {location} parameter."),
            str::to_string,
        );
    let required = location == "path"
        || matches!(
            p.get("required").map(|r| &r.value),
            Some(NodeValue::Bool(true))
        );
    let kind = p.get("type").and_then(Node::as_str);
    match location {
        // A part of the action's form: a file where its type is `file`.
        "multipart" => {
            let schema = if kind == Some("file") {
                map(
                    pos,
                    vec![
                        entry(pos, "type", string(pos, "string")),
                        entry(pos, "format", string(pos, "binary")),
                    ],
                )
            } else {
                let keys = VALUE_KEYS
                    .iter()
                    .filter_map(|k| p.get(k).map(|v| entry(v.pos, k, v.clone())))
                    .collect();
                map(pos, keys)
            };
            return Ok(Some(Param::Plain(map(
                pos,
                vec![
                    entry(pos, "name", string(pos, name)),
                    entry(pos, "in", string(pos, "part")),
                    entry(pos, "required", boolean(pos, required)),
                    entry(pos, "description", string(pos, &description)),
                    entry(pos, "schema", schema),
                ],
            ))));
        }
        "body" => {
            let Some(schema) = p.get("schema") else {
                diags.push(place.diag(p, format!("body parameter `{name}` has no `schema`")));
                return Ok(None);
            };
            let mut entries = vec![
                entry(pos, "name", string(pos, name)),
                entry(pos, "description", string(pos, &description)),
                entry(pos, "required", boolean(pos, required)),
                entry(
                    schema.pos,
                    "schema",
                    schemas.schema(&place.key("schema"), schema),
                ),
            ];
            // The example of the definition the body names.
            let example = p.get("x-example").cloned().or_else(|| {
                let reference = schema.get("$ref")?.as_str()?;
                let definition = reference.strip_suffix(".json")?;
                ctx.examples.get(definition).cloned()
            });
            if let Some(example) = example {
                entries.push(entry(example.pos, "example", example));
            }
            return Ok(Some(Param::Body(map(pos, entries))));
        }
        "path" | "query" | "header" => {}
        other => {
            diags.push(place.key("in").diag(
                p,
                format!("parameter `{name}` is `in: {other}`; expected path, query, header, body or multipart"),
            ));
            return Ok(None);
        }
    }
    // Lists and schema'd values, as the official clients send them: an object typed `object`
    // (the advanced `query` filters) as one JSON text, a list as bracket keys with indexes
    // (`keywords[0]=gps`), any other value with a schema flattened into bracket keys (objects
    // by field, lists by index).
    let styled = match (kind, p.get("schema")) {
        (Some("object"), Some(schema)) => Some(("json", schemas.schema(&place.key("schema"), schema))),
        (Some("array"), None) => {
            let items = p.get("items").map_or_else(
                || map(pos, vec![entry(pos, "type", string(pos, "string"))]),
                |items| schemas.schema(&place.key("items"), items),
            );
            let schema = map(
                pos,
                vec![
                    entry(pos, "type", string(pos, "array")),
                    entry(pos, "items", items),
                ],
            );
            Some(("brackets", schema))
        }
        (_, Some(schema)) => Some(("deep-object", schemas.schema(&place.key("schema"), schema))),
        (Some("object"), None) => {
            return Err(format!(
                "its query parameter `{name}` is an object without a schema, which the spec format cannot type"
            ))
        }
        _ => None,
    };
    if let Some((style, schema)) = styled {
        let mut entries = vec![
            entry(pos, "name", string(pos, name)),
            entry(pos, "in", string(pos, location)),
            entry(pos, "required", boolean(pos, required)),
            entry(pos, "description", string(pos, &description)),
            entry(pos, "schema", schema),
            entry(pos, "style", string(pos, style)),
        ];
        if let Some(example) = p.get("example") {
            entries.push(entry(example.pos, "example", example.clone()));
        }
        return Ok(Some(Param::Plain(map(pos, entries))));
    }
    let string_typed = kind == Some("string");
    let value = |node: &Node| -> Node {
        // Vendor query values typed `string` whose default or example is a number (page
        // numbers, milliseconds since the epoch) or a boolean: the same text as a string.
        match (&node.value, string_typed) {
            (NodeValue::Number(n), true) => string(node.pos, &n.to_string()),
            (NodeValue::Bool(b), true) => string(node.pos, if *b { "true" } else { "false" }),
            _ => node.clone(),
        }
    };
    let schema_entries: Vec<(Key, Node)> = VALUE_KEYS
        .iter()
        .filter_map(|k| p.get(k).map(|v| entry(v.pos, k, v.clone())))
        .collect();
    let mut entries = vec![
        entry(pos, "name", string(pos, name)),
        entry(pos, "in", string(pos, location)),
        entry(pos, "required", boolean(pos, required)),
        entry(pos, "description", string(pos, &description)),
        entry(pos, "schema", map(pos, schema_entries)),
    ];
    for key in ["default", "example"] {
        if let Some(v) = p.get(key) {
            entries.push(entry(v.pos, key, value(v)));
        }
    }
    if let Some(reason) = p.get("x-example-outside-enum") {
        entries.push(entry(reason.pos, "x-example-outside-enum", reason.clone()));
    }
    Ok(Some(Param::Plain(map(pos, entries))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_literal_braces_are_escaped_for_rust() {
        let cases = [
            // Literal braces: a `{` that starts no repetition, a `}` that closes none.
            (".*{{.+}}.*", r".*\{\{.+\}\}.*"),
            ("a{b}", r"a\{b\}"),
            ("{", r"\{"),
            ("}", r"\}"),
            ("x{,3}", r"x\{,3\}"),
            ("x{1,2", r"x\{1,2"),
            ("x{a,1}", r"x\{a,1\}"),
            // Real repetitions stay.
            ("^[A-Fa-f\\d]{24}$", "^[A-Fa-f\\d]{24}$"),
            (".{12,}$", ".{12,}$"),
            (
                "^(?!\\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$",
                "^(?!\\.{1,2}$)[0-9a-zA-Z_.-]{1,255}$",
            ),
            ("a{2}{b}", r"a{2}\{b\}"),
            // Escaped braces stay escaped, and an escaped backslash escapes nothing after it.
            (r"\{x\}", r"\{x\}"),
            (r"\\{x}", r"\\\{x\}"),
            // Braces in a character class are literal in both dialects.
            ("[{}]+", "[{}]+"),
            ("[^{]{2}}", r"[^{]{2}\}"),
            (r"[\]{]{x}", r"[\]{]\{x\}"),
        ];
        for (js, rust) in cases {
            assert_eq!(rust_pattern(js), rust, "{js}");
            if !js.contains("(?!") {
                let compiled = jsonschema::options()
                    .build(&serde_json::json!({"type": "string", "pattern": rust_pattern(js)}));
                assert!(compiled.is_ok(), "{js} → {rust}");
            }
        }
        // The translation keeps what JavaScript matches.
        let rust = rust_pattern(".*{{.+}}.*");
        let schema = serde_json::json!({"type": "string", "pattern": rust});
        let validator = jsonschema::options().build(&schema).expect("compiles");
        assert!(validator.is_valid(&serde_json::json!("id-{{ctx.id}}")));
        assert!(!validator.is_valid(&serde_json::json!("5f0c1a2b3c4d5e6f7a8b9c0d")));
    }

    #[test]
    fn patterns_in_schemas_and_property_keys_are_translated_but_not_examples() {
        let mut defs = definitions(
            r#"{"d": {"type": "object",
                "properties": {"x": {"type": "string", "pattern": ".*{{.+}}.*",
                                     "examples": [{"pattern": "{a}"}]}},
                "patternProperties": {"^{x}$": {"type": "string"}}}}"#,
        );
        for (_, node) in &mut defs {
            rust_patterns(node, 0);
        }
        let json = json_of(&defs, "d");
        assert_eq!(json["properties"]["x"]["pattern"], r".*\{\{.+\}\}.*");
        assert_eq!(json["properties"]["x"]["examples"][0]["pattern"], "{a}");
        assert!(json["patternProperties"].get(r"^\{x\}$").is_some());
    }

    #[test]
    fn titles_split_camel_case_words() {
        assert_eq!(title_of("applicationApiTokens"), "Application Api Tokens");
        assert_eq!(title_of("me"), "Me");
    }

    fn definitions(json: &str) -> Vec<(Key, Node)> {
        let node = crate::yaml::parse_json(json).unwrap();
        match node.value {
            NodeValue::Map(entries) => entries,
            _ => panic!("a mapping"),
        }
    }

    fn json_of(defs: &[(Key, Node)], name: &str) -> serde_json::Value {
        defs.iter()
            .find(|(k, _)| k.name == name)
            .unwrap()
            .1
            .to_json()
    }

    #[test]
    fn a_second_copy_of_a_shape_adds_no_type() {
        let thing = r#"{"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}}"#;
        let mut defs = definitions(&format!(
            r#"{{"thing": {thing},
                "things": {{"type": "object", "properties": {{"items": {{"type": "array", "items": {{"title": "Thing", "type": "object", "properties": {{"id": {{"type": "string"}}, "n": {{"type": "integer"}}}}}}}}}}}},
                "other": {{"type": "object", "properties": {{"id": {{"type": "string"}}}}}}}}"#
        ));
        one_type_per_shape(&mut defs);
        // The copy (its title aside) is the definition; a different shape stays written out.
        assert_eq!(
            json_of(&defs, "things")["properties"]["items"]["items"],
            serde_json::json!({"$ref": "thing.json"})
        );
        assert_eq!(
            json_of(&defs, "thing"),
            serde_json::from_str::<serde_json::Value>(thing).unwrap()
        );
        assert!(json_of(&defs, "other")["properties"]["id"]
            .get("$ref")
            .is_none());
    }

    #[test]
    fn a_shape_two_definitions_share_stays_written_out() {
        let shape = r#"{"type": "object", "properties": {"id": {"type": "string"}}}"#;
        let mut defs = definitions(&format!(
            r#"{{"a": {shape}, "b": {shape}, "c": {{"type": "object", "properties": {{"x": {shape}}}}}}}"#
        ));
        one_type_per_shape(&mut defs);
        assert_eq!(
            json_of(&defs, "c")["properties"]["x"],
            serde_json::from_str::<serde_json::Value>(shape).unwrap()
        );
    }

    #[test]
    fn definition_refs_name_the_definition_file() {
        let mut node = crate::yaml::parse_json(
            r##"{"a": {"$ref": "#/definitions/apiToken"}, "b": [{"$ref": "#/definitions/q/properties/x"}], "c": {"$ref": "#/x"}}"##,
        )
        .unwrap();
        rewrite_refs(&mut node, 0);
        let json = node.to_json();
        assert_eq!(json["a"]["$ref"], "apiToken.json");
        assert_eq!(json["b"][0]["$ref"], "q.json#/properties/x");
        assert_eq!(json["c"]["$ref"], "#/x");
    }
}
