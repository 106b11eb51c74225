//! The OpenAPI front-end: a vendor's OpenAPI 3.0 or 3.1 document (YAML or JSON, with `$ref`s
//! inside it and to sibling files), with our overlay (OpenAPI Overlay 1.0) applied first, read
//! into the same [`Spec`] and source map the spec format gives, so that
//! validation, lowering and rendering run unchanged.
//!
//! A spec folder is read this way when it has no `api.yaml` and holds `overlay.yaml` (whose
//! `extends` names the document beside it) or `openapi.yaml`/`openapi.yml`/`openapi.json`.
//! What the document lacks comes from `x-` keys (documented in `spec/README.md`), which the
//! overlay adds. Every value keeps the position it has in the vendor document (or the overlay),
//! so later problems point there; the front-end's own problems carry the JSON pointer of the
//! vendor document as their path.
//!
//! - [`document`]: the files, `$ref`s and JSON pointers;
//! - [`overlay`]: the Overlay 1.0 actions;
//! - [`schemas`]: schemas normalized into the spec format's subset;
//! - [`operations`]: tags into resources, operations into actions, and what is left out;
//! - [`names`]: the rule that names resources and actions;
//! - [`tree`]: builders of located trees.

pub mod document;
pub mod names;
pub mod operations;
pub mod overlay;
pub mod schemas;
pub mod tree;

use std::collections::BTreeMap;

use document::{Documents, Place};
use tree::{boolean, entry, list, map, string};

use crate::diag::Diagnostic;
use crate::load::{read_tree, Loaded, SourceMap, Workspace};
use crate::spec::{self, Api, Resource, Spec};
use crate::yaml::{Node, NodeValue, Pos};

/// The files that make a spec folder an OpenAPI one, in the order they are looked for.
const DOCUMENT_NAMES: &[&str] = &["openapi.yaml", "openapi.yml", "openapi.json"];

/// Where an OpenAPI spec starts: the overlay (if any) and the document.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `overlay.yaml`, workspace-relative, when there is one.
    pub overlay: Option<String>,
    /// The document, workspace-relative, when known without reading the overlay.
    pub document: Option<String>,
}

/// The entry of an OpenAPI spec folder, or `None` when the folder is not one.
pub(crate) fn find_entry(workspace: &Workspace) -> Option<Entry> {
    let dir = workspace.spec_dir;
    let overlay = format!("{dir}/overlay.yaml");
    if workspace.exists(&overlay) {
        return Some(Entry {
            overlay: Some(overlay),
            document: None,
        });
    }
    DOCUMENT_NAMES
        .iter()
        .map(|name| format!("{dir}/{name}"))
        .find(|rel| workspace.exists(rel))
        .map(|document| Entry {
            overlay: None,
            document: Some(document),
        })
}

/// Reads an OpenAPI spec folder into a spec.
pub(crate) fn load(workspace: &Workspace, entry: &Entry) -> (Option<Loaded>, Vec<Diagnostic>) {
    let dir = workspace.spec_dir;
    let mut diags = Vec::new();
    let folder_name = dir.rsplit('/').next().unwrap_or(dir).to_string();
    if let Some(problem) = crate::rules::api_name_problem(&folder_name) {
        diags.push(Diagnostic::new(dir, None, "", problem));
    }
    let overlay = entry.overlay.as_ref().and_then(|rel| {
        let tree = read_tree(workspace, rel, &mut diags)?;
        let before = diags.len();
        overlay::check(&tree.node, rel, &mut diags);
        (diags.len() == before).then_some((rel.clone(), tree.node))
    });
    let document = match (&entry.document, &overlay) {
        (Some(d), _) => d.clone(),
        (None, Some((rel, node))) => match overlay::extends(node) {
            Some(name) if !name.contains('/') && !name.contains("://") => format!("{dir}/{name}"),
            Some(name) => {
                diags.push(Diagnostic::new(
                    rel,
                    node.get("extends").map(|n| n.pos),
                    "extends",
                    format!("`extends: {name}` must name a file beside the overlay"),
                ));
                return (None, diags);
            }
            None => {
                diags.push(Diagnostic::new(rel, Some(node.pos), "extends", "the overlay must name the document it applies to in `extends` (a file beside it)"));
                return (None, diags);
            }
        },
        (None, None) => return (None, diags),
    };
    let Some(tree) = read_tree(workspace, &document, &mut diags) else {
        return (None, diags);
    };
    let mut root = tree.node;
    // Credentials by the rule on names and formats; the overlay then adds what the rule cannot
    // see, or takes a mark back with `x-secret: false`.
    crate::secrets::mark_secrets(&mut root, 0);
    if let Some((rel, node)) = &overlay {
        overlay::apply(&mut root, node, rel, &mut diags);
    }
    let mut docs = Documents {
        main: document.clone(),
        files: BTreeMap::from([(document.clone(), root)]),
    };
    docs.load_siblings(workspace, &mut diags);
    let read = read_spec(&docs, &folder_name, &mut diags);
    let changelog = crate::load::read_changelog(workspace, &mut diags);
    let loaded = read.map(|(api, api_tree, resources, schemas, excluded)| {
        let mut sources = SourceMap::default();
        let file = sources.add_file(&document);
        sources.record(file, "api", tree_of(api_tree));
        let mut typed_resources = Vec::new();
        for (name, (rel, node)) in resources {
            let path = format!("resources.{name}");
            let before = diags.len();
            crate::load::check_shape(&node, &spec::RESOURCE, &path, rel.as_str(), &mut diags);
            let typed = if diags.len() == before {
                crate::load::typed::<Resource>(&node, &rel, &path, &mut diags)
            } else {
                None
            };
            let file = sources.add_file(&rel);
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

/// What [`read_spec`] gives: the API (typed and as a tree), resource trees, schema trees and
/// the lines of `EXCLUDED.md`.
type ReadSpec = (
    Api,
    Node,
    BTreeMap<String, (String, Node)>,
    BTreeMap<String, (String, Node)>,
    Vec<String>,
);

/// The whole document as spec trees.
fn read_spec(docs: &Documents, api_name: &str, diags: &mut Vec<Diagnostic>) -> Option<ReadSpec> {
    let root = docs.root(&docs.main)?;
    let main = Place {
        file: docs.main.clone(),
        pointer: "#".into(),
    };
    let version = root.get("openapi").and_then(Node::as_str);
    match version {
        Some(v) if v.starts_with("3.0.") || v.starts_with("3.1.") => {}
        Some(v) => {
            diags.push(
                main.key("openapi")
                    .diag(root, format!("OpenAPI version `{v}` is not 3.0 or 3.1")),
            );
            return None;
        }
        None => {
            diags.push(main.diag(root, "not an OpenAPI document: `openapi: 3.x.y` is missing"));
            return None;
        }
    }
    let info = root.get("info");
    let Some(info) = info else {
        diags.push(main.diag(root, "missing required key `info`"));
        return None;
    };
    let (servers, base_from_server) = servers(root, &main, diags);
    // `x-base-path`: a leading part every path shares (Mist's `/api/v1`) that the base path
    // holds instead, so resource paths start after it.
    let strip = info
        .get("x-base-path")
        .and_then(Node::as_str)
        .unwrap_or("")
        .to_string();
    if !strip.is_empty() && (!strip.starts_with('/') || strip.ends_with('/')) {
        diags.push(main.key("info").key("x-base-path").diag(
            info,
            format!("`x-base-path` `{strip}` must start with `/` and not end with one"),
        ));
        return None;
    }
    let base_path = format!("{base_from_server}{strip}");
    let include: Option<Vec<String>> = info.get("x-include-tags").map(|n| match &n.value {
        NodeValue::Seq(items) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        _ => {
            diags.push(
                main.key("info")
                    .key("x-include-tags")
                    .diag(n, "`x-include-tags` must be a list of tag names"),
            );
            Vec::new()
        }
    });
    let mut schemas = schemas::Schemas::new(docs);
    let read = operations::read(docs, &mut schemas, &strip, include.as_deref(), diags);
    // The document's webhooks are read only when the overlay says where a delivery names its
    // topic (`info.x-webhooks`); OpenAPI has no word for it.
    let x_webhooks = info.get("x-webhooks");
    let topics = match x_webhooks {
        Some(_) => operations::webhook_topics(docs, &mut schemas, diags),
        None => Vec::new(),
    };
    schemas.finish();
    diags.append(&mut schemas.diags);
    let auth = auth(docs, root, &main, diags)?;
    let pos = info.pos;
    let text = |key: &str| info.get(key).and_then(Node::as_str);
    let mut api = vec![
        entry(pos, "name", string(pos, api_name)),
        entry(
            pos,
            "title",
            string(pos, text("x-title").or(text("title")).unwrap_or(api_name)),
        ),
    ];
    if let Some(d) = text("x-description").or(text("description")) {
        api.push(entry(pos, "description", string(pos, d)));
    }
    api.push(entry(
        pos,
        "version",
        string(pos, text("version").unwrap_or("0")),
    ));
    let krate = info.get("x-crate").cloned().unwrap_or_else(|| {
        map(
            pos,
            vec![
                entry(pos, "name", string(pos, &format!("{api_name}-sdk"))),
                entry(pos, "version", string(pos, "0.1.0")),
            ],
        )
    });
    api.push(entry(krate.pos, "crate", krate));
    let docs_url = text("x-docs-url").or_else(|| root.get("externalDocs")?.get("url")?.as_str());
    if let Some(url) = docs_url {
        api.push(entry(pos, "docs_url", string(pos, url)));
    }
    if !base_path.is_empty() {
        api.push(entry(pos, "base_path", string(pos, &base_path)));
    }
    api.push(entry(pos, "servers", servers));
    api.push(entry(auth.pos, "auth", auth));
    if let Some(headers) = info.get("x-headers") {
        api.push(entry(headers.pos, "headers", headers.clone()));
    }
    if let Some(rate) = text("x-rate-limit") {
        api.push(entry(pos, "rate_limit", string(pos, rate)));
    }
    if let Some(header) = text("x-request-id-header") {
        api.push(entry(pos, "request_id_header", string(pos, header)));
    }
    if let Some(webhooks) = x_webhooks {
        api.push(entry(
            webhooks.pos,
            "webhooks",
            with_topics(webhooks, topics),
        ));
    }
    let api_tree = map(pos, api);
    let before = diags.len();
    crate::load::check_shape(&api_tree, &spec::API, "api", &docs.main, diags);
    let typed = if diags.len() == before {
        crate::load::typed::<Api>(&api_tree, &docs.main, "api", diags)
    } else {
        None
    }?;
    let unread_webhooks = match root.get("webhooks").and_then(Node::as_map) {
        Some(all) if x_webhooks.is_none() && !all.is_empty() => all.len(),
        _ => 0,
    };
    let mut excluded: Vec<String> = read
        .excluded
        .iter()
        .map(|e| {
            format!(
                "- `{}` (`{}`, tag {}): {}",
                e.operation, e.id, e.tag, e.reason
            )
        })
        .collect();
    for (tag, count) in &read.not_included {
        excluded.push(format!(
            "- tag {tag}: {count} operation{} not yet included (`x-include-tags`)",
            if *count == 1 { "" } else { "s" }
        ));
    }
    if unread_webhooks > 0 {
        excluded.push(format!(
            "- webhooks: {unread_webhooks} not read, as the document does not say where a delivery names its topic (`info.x-webhooks`)"
        ));
    }
    let schemas = schemas.done;
    Some((typed, api_tree, read.resources, schemas, excluded))
}

/// `info.x-webhooks` (our format's `webhooks`: topic, signatures, description, and topics of
/// its own) with the document's webhook topics after its own.
fn with_topics(webhooks: &Node, topics: Vec<Node>) -> Node {
    let NodeValue::Map(entries) = &webhooks.value else {
        // Not a mapping: the shape check reports it.
        return webhooks.clone();
    };
    let mut entries = entries.clone();
    match entries.iter_mut().find(|(k, _)| k.name == "topics") {
        Some((_, own)) => {
            if let NodeValue::Seq(items) = &mut own.value {
                items.extend(topics);
            }
        }
        None => entries.push(entry(webhooks.pos, "topics", list(webhooks.pos, topics))),
    }
    map(webhooks.pos, entries)
}

/// The servers (variables replaced by their defaults; each other value of an enumerated
/// variable an alternate server), and the path they share, which becomes the base path.
fn servers(root: &Node, main: &Place, diags: &mut Vec<Diagnostic>) -> (Node, String) {
    let pos = root.pos;
    let items = match root.get("servers").map(|s| &s.value) {
        Some(NodeValue::Seq(items)) if !items.is_empty() => items.as_slice(),
        _ => {
            diags.push(main.key("servers").diag(
                root,
                "the document lists no server; add one with its absolute URL in the overlay",
            ));
            return (list(pos, Vec::new()), String::new());
        }
    };
    let mut expanded: Vec<(String, String, Option<String>, bool, Pos)> = Vec::new();
    let explicit_default = items.iter().any(|s| {
        matches!(
            s.get("x-default").map(|d| &d.value),
            Some(NodeValue::Bool(true))
        )
    });
    for (i, server) in items.iter().enumerate() {
        let place = main.key("servers").index(i);
        let Some(url) = server.get("url").and_then(Node::as_str) else {
            diags.push(place.diag(server, "a server needs a `url`"));
            continue;
        };
        let mut url = url.to_string();
        let mut alternates: Vec<(String, String)> = Vec::new();
        for (var, spec) in server
            .get("variables")
            .and_then(Node::as_map)
            .unwrap_or(&[])
        {
            let placeholder = format!("{{{}}}", var.name);
            let default = spec.get("default").and_then(Node::as_str).unwrap_or("");
            if let Some(NodeValue::Seq(values)) = spec.get("enum").map(|e| &e.value) {
                for v in values
                    .iter()
                    .filter_map(Node::as_str)
                    .filter(|v| *v != default)
                {
                    alternates.push((format!("{} = {v}", var.name), url.replace(&placeholder, v)));
                }
            }
            url = url.replace(&placeholder, default);
            alternates
                .iter_mut()
                .for_each(|(_, u)| *u = u.replace(&placeholder, default));
        }
        if !url.starts_with("http://") && !url.starts_with("https://") {
            diags.push(place.key("url").diag(server, format!("server URL `{url}` is not absolute; give the server's absolute URL in the overlay")));
            continue;
        }
        let name = server
            .get("x-name")
            .and_then(Node::as_str)
            .or_else(|| server.get("description").and_then(Node::as_str))
            .map_or_else(|| host(&url).to_string(), str::to_string);
        let description = server
            .get("x-name")
            .and(server.get("description"))
            .and_then(Node::as_str)
            .map(str::to_string);
        let default = if explicit_default {
            matches!(
                server.get("x-default").map(|d| &d.value),
                Some(NodeValue::Bool(true))
            )
        } else {
            i == 0
        };
        expanded.push((
            name.clone(),
            url.trim_end_matches('/').to_string(),
            description.clone(),
            default,
            server.pos,
        ));
        for (label, alt) in alternates {
            expanded.push((
                format!("{name} ({label})"),
                alt.trim_end_matches('/').to_string(),
                description.clone(),
                false,
                server.pos,
            ));
        }
    }
    // The path every server shares becomes the base path.
    let paths: Vec<String> = expanded
        .iter()
        .map(|(_, u, _, _, _)| url_path(u).to_string())
        .collect();
    let shared = paths
        .first()
        .filter(|p| paths.iter().all(|q| q == *p))
        .cloned()
        .unwrap_or_default();
    let nodes = expanded
        .into_iter()
        .map(|(name, url, description, default, p)| {
            let url = url
                .strip_suffix(shared.as_str())
                .unwrap_or(&url)
                .to_string();
            let mut e = vec![
                entry(p, "name", string(p, &name)),
                entry(p, "url", string(p, &url)),
            ];
            if let Some(d) = description {
                e.push(entry(p, "description", string(p, &d)));
            }
            if default {
                e.push(entry(p, "default", boolean(p, true)));
            }
            map(p, e)
        })
        .collect();
    (list(pos, nodes), shared)
}

/// The host of an absolute URL.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

/// The path of an absolute URL (`""` for none).
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find('/').map_or("", |i| &rest[i..])
}

/// How the token is sent: the first security scheme the spec format can express, in the order
/// of the document's `security` (else of `securitySchemes`): HTTP bearer, OAuth 2 and OpenID
/// Connect (`Authorization: Bearer <token>`), an API key in a header (alone, or after the
/// prefix `x-auth-prefix` gives, e.g. Mist's `Token`) or in the query, HTTP basic
/// (`Authorization: Basic <token>`, the token being the base64 of `user:password`). A document
/// without security schemes documents no authentication: the crate sends a bearer token only
/// if one is set. `info.x-auth` replaces the choice.
fn auth(docs: &Documents, root: &Node, main: &Place, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    if let Some(auth) = root.get("info").and_then(|i| i.get("x-auth")) {
        return Some(auth.clone());
    }
    let schemes_place = main.key("components").key("securitySchemes");
    let schemes = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Node::as_map)
        .unwrap_or(&[]);
    let mut order: Vec<String> = Vec::new();
    if let Some(NodeValue::Seq(reqs)) = root.get("security").map(|s| &s.value) {
        for req in reqs {
            for (k, _) in req.as_map().unwrap_or(&[]) {
                if !order.contains(&k.name) {
                    order.push(k.name.clone());
                }
            }
        }
    }
    for (k, _) in schemes {
        if !order.contains(&k.name) {
            order.push(k.name.clone());
        }
    }
    let mut seen = Vec::new();
    for name in &order {
        let Some((_, scheme)) = schemes.iter().find(|(k, _)| &k.name == name) else {
            continue;
        };
        let Ok((_, scheme)) = docs.resolve(&schemes_place.key(name), scheme) else {
            continue;
        };
        let pos = scheme.pos;
        let get = |k: &str| scheme.get(k).and_then(Node::as_str);
        let description = get("description").unwrap_or("").to_string();
        let made = |header: &str, prefix: Option<&str>, description: String| {
            let mut entries = vec![entry(pos, "header", string(pos, header))];
            if let Some(prefix) = prefix {
                entries.push(entry(pos, "prefix", string(pos, prefix)));
            }
            entries.push(entry(pos, "description", string(pos, &description)));
            map(pos, entries)
        };
        let kind = get("type").unwrap_or("");
        let scheme_name = get("scheme").map(str::to_ascii_lowercase);
        seen.push(format!("`{name}` ({kind})"));
        match (kind, scheme_name.as_deref()) {
            ("http", Some("bearer")) | ("oauth2", _) | ("openIdConnect", _) => {
                let text = if description.is_empty() {
                    "A bearer token.".to_string()
                } else {
                    description
                };
                return Some(made(
                    "Authorization",
                    Some(get("x-auth-prefix").unwrap_or("Bearer")),
                    text,
                ));
            }
            ("http", Some("basic")) => {
                let text = format!("{}The token is the base64 encoding of `user:password` (HTTP basic authentication).", if description.is_empty() { String::new() } else { format!("{description} ") });
                return Some(made("Authorization", Some("Basic"), text));
            }
            ("apiKey", _) => {
                let (Some(key), Some(place)) = (get("name"), get("in")) else {
                    continue;
                };
                let or_default = |what: String| {
                    if description.is_empty() {
                        what
                    } else {
                        description.clone()
                    }
                };
                match place {
                    "header" => {
                        let text = or_default(format!("An API key, sent in the `{key}` header."));
                        return Some(made(key, get("x-auth-prefix"), text));
                    }
                    "query" => {
                        let text =
                            or_default(format!("An API key, sent as the `{key}` query parameter."));
                        return Some(map(
                            pos,
                            vec![
                                entry(pos, "query", string(pos, key)),
                                entry(pos, "description", string(pos, &text)),
                            ],
                        ));
                    }
                    // A cookie: not sent by the client.
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if seen.is_empty() {
        let pos = root.pos;
        return Some(map(
            pos,
            vec![
                entry(pos, "header", string(pos, "Authorization")),
                entry(pos, "prefix", string(pos, "Bearer")),
                entry(
                    pos,
                    "description",
                    string(pos, "The API documents no authentication: leave the token unset. A token, if set, is sent as a bearer token."),
                ),
            ],
        ));
    }
    diags.push(Diagnostic::new(
        &docs.main,
        Some(root.pos),
        "#/components/securitySchemes",
        format!(
            "no security scheme the spec format can send (bearer, OAuth 2, basic, or an API key in a header or the query); found {}",
            if seen.is_empty() { "none".to_string() } else { seen.join(", ") }
        ),
    )
    .with_hint("add `info.x-auth: {header, prefix, description}` (or `{query, description}`) in the overlay"));
    None
}

/// The text of `generated/<api>/EXCLUDED.md` for a spec read from an OpenAPI document, or
/// `None` for a spec in our own format.
pub fn excluded_page(spec: &Spec) -> Option<String> {
    if spec.excluded.is_empty() {
        return None;
    }
    let mut out = format!(
        "<!-- @generated by sdkgen from {}; run `cargo xtask generate` to update -->\n\n# Operations not in this crate\n\nThe vendor document has these operations; this crate leaves them out, each for the reason given.\n\n",
        spec.source
    );
    for line in &spec.excluded {
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}
