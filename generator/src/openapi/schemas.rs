//! OpenAPI schemas into the JSON Schema subset of the spec format (`spec/README.md`, schema
//! keywords). OpenAPI-only keywords are normalized into keywords the format has:
//!
//! - 3.0 `nullable: true` → `null` added to `type` (or, without a `type`, an `anyOf` with a
//!   `{type: "null"}` alternative); 3.1 type lists stay as they are;
//! - 3.0 `example` → `examples: [example]`; 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum`
//!   → the 3.1 numeric form;
//! - `$ref` to `#/components/schemas/<name>` (or to a sibling file's component, or to a whole
//!   sibling file) → `{$ref: <name>}`; a `$ref` to anything else is inlined;
//! - `allOf` whose parts are all objects → one object (properties and `required` merged, the
//!   outer keys winning); other `allOf`s stay;
//! - `discriminator` → the tag property of each mapped component schema takes the values
//!   the mapping gives it (`const` for one, `enum` for several), so the union tells its
//!   alternatives apart by that property;
//! - keywords that only document (`xml`, `externalDocs`, `discriminator`, `$id`, `$anchor`,
//!   `contentMediaType`, `contentEncoding`, vendor `x-` keys) are dropped; so are keywords that
//!   only narrow what is valid and that the format cannot express (`not`, `if`/`then`/`else`,
//!   `contains`, `dependentRequired`, `propertyNames`, `unevaluatedProperties`, ...): the SDK
//!   then accepts a little more than the server, never less. `prefixItems` drops `items`
//!   typing (the items stay raw JSON).
//!
//! Only the component schemas that the included operations reach are read.

use std::collections::BTreeMap;

use super::document::{Documents, Place};
use super::tree::{entry, list, map, string};
use crate::diag::Diagnostic;
use crate::yaml::{Node, NodeValue};

/// Deepest schema nesting followed.
const MAX_DEPTH: usize = 64;

/// Keywords copied as they are (their values are not schemas).
const PLAIN: &[&str] = &[
    "$schema",
    "$comment",
    "title",
    "description",
    "type",
    "required",
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "minimum",
    "maximum",
    "multipleOf",
    "default",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
    "x-secret",
    "x-epoch",
    "x-untyped",
    "x-rust-name",
    "x-rust-type",
];

/// The schemas of a document as the spec format has them.
pub struct Schemas<'d> {
    docs: &'d Documents,
    /// The spec name of each component reached.
    names: BTreeMap<Place, String>,
    /// Which component took each spec name.
    taken: BTreeMap<String, Place>,
    /// Components reached but not yet read.
    queue: Vec<Place>,
    /// Normalized component schemas by spec name, with their file.
    pub done: BTreeMap<String, (String, Node)>,
    /// Discriminator values by component: the tag property and its values.
    tags: BTreeMap<Place, (String, Vec<String>)>,
    /// Places being inlined (a `$ref` loop through inlined schemas stops here).
    inlining: Vec<Place>,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
}

/// What a `$ref` names.
enum Target<'d> {
    /// A component schema: referred to by name.
    Component(String),
    /// Anything else: read in place.
    Inline(Place, &'d Node),
}

impl<'d> Schemas<'d> {
    /// Schemas of `docs`, with the discriminator mappings of every component read up front.
    pub fn new(docs: &'d Documents) -> Self {
        let mut s = Schemas {
            docs,
            names: BTreeMap::new(),
            taken: BTreeMap::new(),
            queue: Vec::new(),
            done: BTreeMap::new(),
            tags: BTreeMap::new(),
            inlining: Vec::new(),
            diags: Vec::new(),
        };
        for (file, root) in &docs.files {
            let place = Place {
                file: file.clone(),
                pointer: "#".into(),
            };
            s.collect_discriminators(&place, root, 0);
        }
        s
    }

    /// The spec name of a component schema at `place`, or `None` when the place is not one.
    fn component_name(&mut self, place: &Place) -> Option<String> {
        if let Some(name) = self.names.get(place) {
            return Some(name.clone());
        }
        let raw = if place.pointer == "#" {
            let stem = place.file.rsplit('/').next()?;
            stem.split('.').next()?.to_string()
        } else {
            let rest = place.pointer.strip_prefix("#/components/schemas/")?;
            if rest.contains('/') {
                return None;
            }
            rest.replace("~1", "/").replace("~0", "~")
        };
        let mut name: String = raw
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            name.insert(0, 's');
        }
        if let Some(other) = self.taken.get(&name) {
            if other != place {
                let (file, pointer) = (&other.file, &other.pointer);
                self.diags.push(Diagnostic::new(
                    &place.file,
                    None,
                    &place.pointer,
                    format!(
                        "component schema is named `{name}` in the spec, as is {file} {pointer}; \
                         rename one with `x-rust-name` is not enough: give the components \
                         distinct names"
                    ),
                ));
                return None;
            }
        }
        self.taken.insert(name.clone(), place.clone());
        self.names.insert(place.clone(), name.clone());
        self.queue.push(place.clone());
        Some(name)
    }

    /// What the `$ref` of `node` (at `place`) names.
    fn target(&mut self, place: &Place, node: &'d Node) -> Option<Target<'d>> {
        let reference = node.get("$ref")?;
        let Some(text) = reference.as_str() else {
            self.diags
                .push(place.key("$ref").diag(reference, "`$ref` must be a string"));
            return None;
        };
        let Some((file, tokens)) = self.docs.target(&place.file, text) else {
            self.diags.push(place.key("$ref").diag(
                reference,
                format!("`{text}` is not a reference this reader follows (a JSON pointer in this file or a sibling file)"),
            ));
            return None;
        };
        let target_place = Place {
            file: file.clone(),
            pointer: super::document::pointer_of(&tokens),
        };
        let Some(target) = self
            .docs
            .root(&file)
            .and_then(|root| super::document::walk(root, &tokens))
        else {
            self.diags.push(
                place
                    .key("$ref")
                    .diag(reference, format!("`$ref` `{text}` names nothing")),
            );
            return None;
        };
        if let Some(name) = self.component_name(&target_place) {
            return Some(Target::Component(name));
        }
        Some(Target::Inline(target_place, target))
    }

    /// Reads every component reached so far, and those they reach.
    pub fn finish(&mut self) {
        while let Some(place) = self.queue.pop() {
            let Some(name) = self.names.get(&place).cloned() else {
                continue;
            };
            let tokens: Vec<String> = place
                .pointer
                .trim_start_matches('#')
                .split('/')
                .skip(1)
                .map(|t| t.replace("~1", "/").replace("~0", "~"))
                .collect();
            let Some(node) = self
                .docs
                .root(&place.file)
                .and_then(|root| super::document::walk(root, &tokens))
            else {
                continue;
            };
            let mut schema = self.schema(&place, node);
            if let Some((property, values)) = self.tags.get(&place).cloned() {
                schema = with_tag(schema, &property, &values);
            }
            self.done.insert(name, (place.file.clone(), schema));
        }
    }

    /// One schema, normalized.
    pub fn schema(&mut self, place: &Place, node: &'d Node) -> Node {
        self.schema_at(place, node, 0)
    }

    fn schema_at(&mut self, place: &Place, node: &'d Node, depth: usize) -> Node {
        let pos = node.pos;
        if depth > MAX_DEPTH {
            return untyped(node, "nested too deeply to type");
        }
        let entries = match &node.value {
            NodeValue::Map(entries) => entries,
            NodeValue::Bool(true) => return map(pos, Vec::new()),
            NodeValue::Bool(false) => return untyped(node, "a schema that accepts no value"),
            _ => {
                self.diags.push(place.diag(
                    node,
                    format!("expected a schema (a mapping), found {}", node.kind()),
                ));
                return untyped(node, "not a schema");
            }
        };
        let nullable = matches!(
            node.get("nullable").map(|n| &n.value),
            Some(NodeValue::Bool(true))
        );
        let mut out: Vec<(crate::yaml::Key, Node)> = Vec::new();
        // A `$ref`: by name, or read in place, with its sibling keys on top.
        if node.get("$ref").is_some() {
            match self.target(place, node) {
                Some(Target::Component(name)) => {
                    out.push(entry(pos, "$ref", string(pos, &name)));
                }
                Some(Target::Inline(target_place, target)) => {
                    if self.inlining.contains(&target_place) {
                        return untyped(
                            node,
                            "a reference loop through schemas that are not components",
                        );
                    }
                    self.inlining.push(target_place.clone());
                    let inlined = self.schema_at(&target_place, target, depth + 1);
                    self.inlining.pop();
                    if let NodeValue::Map(e) = inlined.value {
                        out = e;
                    }
                }
                None => return untyped(node, "an unreadable reference"),
            }
            // OpenAPI 3.0 ignores the keys beside a `$ref`; 3.1 reads the documenting ones.
            for (key, value) in entries {
                if matches!(
                    key.name.as_str(),
                    "description"
                        | "title"
                        | "readOnly"
                        | "writeOnly"
                        | "deprecated"
                        | "default"
                        | "examples"
                        | "x-secret"
                        | "x-epoch"
                        | "x-rust-name"
                ) {
                    set(&mut out, &key.name, value.clone(), key.pos);
                }
            }
            if nullable {
                return nullable_union(pos, out);
            }
            return map(pos, out);
        }
        let discriminator = node.get("discriminator");
        for (key, value) in entries {
            let child = place.key(&key.name);
            let k = key.name.as_str();
            match k {
                "properties" | "patternProperties" => {
                    let Some(props) = value.as_map() else {
                        continue;
                    };
                    let mut normalized = Vec::new();
                    for (name, prop) in props {
                        let schema = self.schema_at(&child.key(&name.name), prop, depth + 1);
                        normalized.push((name.clone(), schema));
                    }
                    out.push((
                        key.clone(),
                        Node {
                            pos: value.pos,
                            value: NodeValue::Map(normalized),
                        },
                    ));
                }
                "items" => {
                    if let NodeValue::Seq(_) = value.value {
                        continue;
                    }
                    let schema = self.schema_at(&child, value, depth + 1);
                    out.push((key.clone(), schema));
                }
                "additionalProperties" => match value.value {
                    NodeValue::Bool(_) => out.push((key.clone(), value.clone())),
                    _ => {
                        let schema = self.schema_at(&child, value, depth + 1);
                        out.push((key.clone(), schema));
                    }
                },
                "oneOf" | "anyOf" | "allOf" => {
                    let NodeValue::Seq(items) = &value.value else {
                        continue;
                    };
                    let alternatives: Vec<Node> = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.schema_at(&child.index(i), item, depth + 1))
                        .collect();
                    out.push((key.clone(), list(value.pos, alternatives)));
                }
                "example" if node.get("examples").is_none() => {
                    out.push(entry(
                        key.pos,
                        "examples",
                        list(value.pos, vec![value.clone()]),
                    ));
                }
                "examples" => {
                    // 3.1 lists them; a mapping here is a misplaced media-type `examples`.
                    if matches!(value.value, NodeValue::Seq(_)) {
                        out.push((key.clone(), value.clone()));
                    }
                }
                "exclusiveMinimum" | "exclusiveMaximum" => match &value.value {
                    NodeValue::Bool(true) => {
                        let bound = if k == "exclusiveMinimum" {
                            "minimum"
                        } else {
                            "maximum"
                        };
                        if let Some(limit) = node.get(bound) {
                            out.push((key.clone(), limit.clone()));
                        }
                    }
                    NodeValue::Bool(false) => {}
                    _ => out.push((key.clone(), value.clone())),
                },
                "minimum" | "maximum" => {
                    let exclusive = if k == "minimum" {
                        "exclusiveMinimum"
                    } else {
                        "exclusiveMaximum"
                    };
                    if !matches!(
                        node.get(exclusive).map(|n| &n.value),
                        Some(NodeValue::Bool(true))
                    ) {
                        out.push((key.clone(), value.clone()));
                    }
                }
                // An empty list says nothing (3.0 forbids it; some documents have it).
                "required" if !matches!(&value.value, NodeValue::Seq(items) if items.is_empty()) => {
                    out.push((key.clone(), value.clone()));
                }
                "enum" => {
                    let mut value = value.clone();
                    if nullable {
                        if let NodeValue::Seq(items) = &mut value.value {
                            if !items.iter().any(|i| i.value == NodeValue::Null) {
                                items.push(Node {
                                    pos: value.pos,
                                    value: NodeValue::Null,
                                });
                            }
                        }
                    }
                    out.push((key.clone(), value));
                }
                "required" | "example" => {}
                _ if PLAIN.contains(&k) => out.push((key.clone(), value.clone())),
                _ => {}
            }
        }
        if let Some(discriminator) = discriminator {
            self.read_discriminator(place, node, discriminator);
        }
        if nullable {
            match out.iter_mut().find(|(k, _)| k.name == "type") {
                Some((_, t)) => add_null(t),
                None => return nullable_union(pos, out),
            }
        }
        let merged = merge_all_of(self, pos, out);
        map(pos, merged)
    }

    /// A discriminator read where it stands: checks that it names a property.
    fn read_discriminator(&mut self, place: &Place, node: &Node, discriminator: &Node) {
        if discriminator
            .get("propertyName")
            .and_then(Node::as_str)
            .is_none()
        {
            self.diags.push(
                place
                    .key("discriminator")
                    .diag(discriminator, "`discriminator` needs a `propertyName`"),
            );
        }
        let _ = node;
    }

    /// Every `discriminator` with `oneOf`/`anyOf` alternatives that are component `$ref`s: the
    /// values each component's tag property takes.
    fn collect_discriminators(&mut self, place: &Place, node: &'d Node, depth: usize) {
        if depth > crate::yaml::MAX_DEPTH {
            return;
        }
        match &node.value {
            NodeValue::Map(entries) => {
                if let Some(d) = node.get("discriminator") {
                    self.discriminator_values(place, node, d);
                }
                for (key, value) in entries {
                    self.collect_discriminators(&place.key(&key.name), value, depth + 1);
                }
            }
            NodeValue::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.collect_discriminators(&place.index(i), item, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn discriminator_values(&mut self, place: &Place, node: &'d Node, d: &Node) {
        let Some(property) = d.get("propertyName").and_then(Node::as_str) else {
            return;
        };
        let alternatives = node
            .get("oneOf")
            .or_else(|| node.get("anyOf"))
            .and_then(|n| match &n.value {
                NodeValue::Seq(items) => Some(items),
                _ => None,
            });
        let Some(alternatives) = alternatives else {
            return;
        };
        let mapping: Vec<(String, String)> = d
            .get("mapping")
            .and_then(Node::as_map)
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.name.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        for alt in alternatives {
            let Some(reference) = alt.get("$ref").and_then(Node::as_str) else {
                continue;
            };
            let Some((file, tokens)) = self.docs.target(&place.file, reference) else {
                continue;
            };
            let target = Place {
                file,
                pointer: super::document::pointer_of(&tokens),
            };
            let short = tokens.last().cloned().unwrap_or_default();
            let mut values: Vec<String> = mapping
                .iter()
                .filter(|(_, to)| {
                    to == reference
                        || *to == short
                        || self
                            .docs
                            .target(&place.file, to)
                            .is_some_and(|(f, t)| f == target.file && t == tokens)
                })
                .map(|(value, _)| value.clone())
                .collect();
            if values.is_empty() {
                values.push(short);
            }
            self.tags.insert(target, (property.to_string(), values));
        }
    }
}

/// `{x-untyped: reason}` at a node's position.
fn untyped(node: &Node, reason: &str) -> Node {
    map(
        node.pos,
        vec![entry(node.pos, "x-untyped", string(node.pos, reason))],
    )
}

/// Sets `key` of a mapping's entries (replacing it when present).
fn set(entries: &mut Vec<(crate::yaml::Key, Node)>, key: &str, value: Node, pos: crate::yaml::Pos) {
    match entries.iter_mut().find(|(k, _)| k.name == key) {
        Some((_, v)) => *v = value,
        None => entries.push(entry(pos, key, value)),
    }
}

/// `type` with `null` added.
fn add_null(t: &mut Node) {
    let null = Node {
        pos: t.pos,
        value: NodeValue::String("null".into()),
    };
    match &mut t.value {
        NodeValue::Seq(items) => {
            if !items.iter().any(|i| i.as_str() == Some("null")) {
                items.push(null);
            }
        }
        _ => {
            let one = t.clone();
            t.value = NodeValue::Seq(vec![one, null]);
        }
    }
}

/// A schema that also admits `null`: `anyOf: [schema, {type: null}]`, documentation kept outside.
fn nullable_union(pos: crate::yaml::Pos, entries: Vec<(crate::yaml::Key, Node)>) -> Node {
    let (outer, inner): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(k, _)| {
        matches!(
            k.name.as_str(),
            "title" | "description" | "readOnly" | "writeOnly" | "deprecated"
        )
    });
    let null = map(pos, vec![entry(pos, "type", string(pos, "null"))]);
    let mut out = outer;
    out.push(entry(pos, "anyOf", list(pos, vec![map(pos, inner), null])));
    map(pos, out)
}

/// A component schema whose tag property takes the discriminator's values.
fn with_tag(schema: Node, property: &str, values: &[String]) -> Node {
    let pos = schema.pos;
    let NodeValue::Map(mut entries) = schema.value else {
        return schema;
    };
    let tag = if let [one] = values {
        map(
            pos,
            vec![
                entry(pos, "type", string(pos, "string")),
                entry(pos, "const", string(pos, one)),
            ],
        )
    } else {
        map(
            pos,
            vec![
                entry(pos, "type", string(pos, "string")),
                entry(
                    pos,
                    "enum",
                    list(pos, values.iter().map(|v| string(pos, v)).collect()),
                ),
            ],
        )
    };
    let props = entries.iter_mut().find(|(k, _)| k.name == "properties");
    match props {
        Some((
            _,
            Node {
                value: NodeValue::Map(props),
                ..
            },
        )) => {
            match props.iter_mut().find(|(k, _)| k.name == property) {
                Some((_, existing)) => {
                    // Keep its documentation, replace what values it takes.
                    let doc: Vec<_> = existing
                        .as_map()
                        .map(|m| {
                            m.iter()
                                .filter(|(k, _)| matches!(k.name.as_str(), "description" | "title"))
                                .cloned()
                                .collect()
                        })
                        .unwrap_or_default();
                    let NodeValue::Map(mut tag_entries) = tag.value else {
                        return map(pos, entries);
                    };
                    tag_entries.extend(doc);
                    *existing = map(existing.pos, tag_entries);
                }
                None => props.push(entry(pos, property, tag)),
            }
        }
        _ => return map(pos, entries),
    }
    map(pos, entries)
}

/// `allOf` parts that are all plain objects, merged into the schema that holds them.
fn merge_all_of(
    schemas: &mut Schemas<'_>,
    pos: crate::yaml::Pos,
    mut out: Vec<(crate::yaml::Key, Node)>,
) -> Vec<(crate::yaml::Key, Node)> {
    let Some(at) = out.iter().position(|(k, _)| k.name == "allOf") else {
        return out;
    };
    let NodeValue::Seq(parts) = &out[at].1.value else {
        return out;
    };
    // Parts that are component references are read in place for the merge.
    let mut resolved = Vec::new();
    for part in parts {
        let part = match part.get("$ref").and_then(Node::as_str) {
            Some(name) => match schemas.done_or_read(name) {
                Some(schema) => schema,
                None => return out,
            },
            None => part.clone(),
        };
        let plain = part.as_map().is_some_and(|m| {
            m.iter().all(|(k, v)| match k.name.as_str() {
                "type" => v.as_str() == Some("object"),
                "oneOf"
                | "anyOf"
                | "allOf"
                | "$ref"
                | "additionalProperties"
                | "patternProperties" => false,
                _ => true,
            })
        });
        if !plain {
            return out;
        }
        resolved.push(part);
    }
    out.remove(at);
    let mut properties: Vec<(crate::yaml::Key, Node)> = Vec::new();
    let mut required: Vec<Node> = Vec::new();
    let mut rest: Vec<(crate::yaml::Key, Node)> = Vec::new();
    let own = std::mem::take(&mut out);
    for (key, value) in resolved
        .iter()
        .flat_map(|p| p.as_map().unwrap_or(&[]).iter())
        .chain(own.iter())
    {
        match key.name.as_str() {
            "properties" => {
                for (name, schema) in value.as_map().unwrap_or(&[]) {
                    match properties.iter_mut().find(|(k, _)| k.name == name.name) {
                        Some((_, v)) => *v = schema.clone(),
                        None => properties.push((name.clone(), schema.clone())),
                    }
                }
            }
            "required" => {
                if let NodeValue::Seq(items) = &value.value {
                    for item in items {
                        if !required.iter().any(|r| r.value == item.value) {
                            required.push(item.clone());
                        }
                    }
                }
            }
            _ => set(&mut rest, &key.name, value.clone(), key.pos),
        }
    }
    if !rest.iter().any(|(k, _)| k.name == "type") {
        rest.insert(0, entry(pos, "type", string(pos, "object")));
    }
    let mut merged = rest;
    if !properties.is_empty() {
        merged.push(entry(pos, "properties", map(pos, properties)));
    }
    if !required.is_empty() {
        merged.push(entry(pos, "required", list(pos, required)));
    }
    merged
}

impl Schemas<'_> {
    /// A component schema by spec name, normalized (read now if it was not yet).
    fn done_or_read(&mut self, name: &str) -> Option<Node> {
        if let Some((_, schema)) = self.done.get(name) {
            return Some(schema.clone());
        }
        let place = self.taken.get(name)?.clone();
        if self.inlining.contains(&place) {
            return None;
        }
        self.inlining.push(place.clone());
        let tokens: Vec<String> = place
            .pointer
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        let node = self
            .docs
            .root(&place.file)
            .and_then(|root| super::document::walk(root, &tokens));
        let schema = node.map(|n| self.schema(&place, n));
        self.inlining.pop();
        schema
    }
}
