//! The spec comparison of schemas: types, values, rules, properties and alternatives, walked
//! through references, with the actions that send or receive each.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::schema::{required_names, types_of};
use crate::spec::{Param, Spec};

use super::spec_side::{At, Cx};
use super::Class;

impl<'a> Cx<'a> {
    pub(super) fn schemas(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, a) in &old.spec.schemas {
            let key = format!("schemas.{name}");
            match new.spec.schemas.get(name) {
                None => self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("schema `{name}`"),
                    "removed",
                    None,
                    At::Old(&key),
                ),
                Some(b) => {
                    let w = Walk {
                        key: key.clone(),
                        subject: format!("schema `{name}`"),
                        loc: key.clone(),
                        request: self.request_old.contains(name) || self.request_new.contains(name),
                        depth: 0,
                    };
                    self.walk(&w, a, b);
                }
            }
        }
        for name in new.spec.schemas.keys() {
            if !old.spec.schemas.contains_key(name) {
                let key = format!("schemas.{name}");
                self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("schema `{name}`"),
                    "added",
                    None,
                    At::New(&key),
                );
            }
        }
    }

    /// Compares two schemas in the same place. Named schemas referred to on both sides by the
    /// same name are compared once, as schemas; a `$ref` that changes is compared by what it
    /// leads to, so moving an inline object into a named schema changes nothing on the wire.
    pub(super) fn walk(&mut self, w: &Walk, a: &Value, b: &Value) {
        if a == b || w.depth > 8 {
            return;
        }
        let (ra, rb) = (a.get("$ref"), b.get("$ref"));
        if ra.is_some() && ra == rb {
            return;
        }
        if let (Some(x), Some(y)) = (ra.and_then(Value::as_str), rb.and_then(Value::as_str)) {
            self.push(
                if w.request {
                    Class::BreaksRequests
                } else {
                    Class::Compatible
                },
                &w.key,
                w.subject.clone(),
                format!("refers to schema `{y}` instead of `{x}`"),
                Some(if w.request {
                    format!("requests send a `{y}` where they sent a `{x}`")
                } else {
                    format!("the server answers with a `{y}` where it sent a `{x}`")
                }),
                At::New(&w.loc),
            );
            return;
        }
        if ra.is_some() || rb.is_some() {
            let a2 = crate::schema::resolve(&self.old.spec, a);
            let b2 = crate::schema::resolve(&self.new.spec, b);
            let inner = Walk {
                depth: w.depth + 1,
                ..w.clone()
            };
            // Locations stay at the reference: that is the line that changed.
            self.walk_resolved(&inner, a2, b2);
            return;
        }
        self.walk_resolved(w, a, b);
    }

    pub(super) fn walk_resolved(&mut self, w: &Walk, a: &Value, b: &Value) {
        if a == b {
            return;
        }
        let (Some(ao), Some(bo)) = (a.as_object(), b.as_object()) else {
            self.push(
                Class::Compatible,
                &w.key,
                w.subject.clone(),
                "schema changes",
                None,
                At::New(&w.loc),
            );
            return;
        };
        let tight = if w.request {
            Class::BreaksRequests
        } else {
            Class::Compatible
        };
        for doc in ["description", "title", "$comment", "examples", "deprecated"] {
            if ao.get(doc) != bo.get(doc) {
                self.docs(&w.key, &w.subject, doc, At::New(&w.loc));
            }
        }
        // Types: null is looked at on its own (it decides `Option` and `Nullable`).
        let (ta, tb) = (types_of(a), types_of(b));
        let (na, nb) = (ta.contains(&"null"), tb.contains(&"null"));
        let strip = |t: Vec<&str>| -> Vec<String> {
            t.into_iter()
                .filter(|t| *t != "null")
                .map(str::to_string)
                .collect()
        };
        let (sa, sb) = (strip(ta), strip(tb));
        if sa != sb || ao.get("format") != bo.get("format") {
            let show = |t: &[String], f: Option<&Value>| {
                let t = if t.is_empty() {
                    "any".to_string()
                } else {
                    t.join(" or ")
                };
                match f.and_then(Value::as_str) {
                    Some(f) => format!("{t} ({f})"),
                    None => t,
                }
            };
            self.push(
                tight,
                &w.key,
                w.subject.clone(),
                format!(
                    "type changes from {} to {}",
                    show(&sa, ao.get("format")),
                    show(&sb, bo.get("format"))
                ),
                w.request
                    .then(|| "values of the old type are no longer accepted".to_string()),
                At::New(&w.loc),
            );
        }
        if na != nb {
            let (class, what, wire) = if nb {
                (Class::Compatible, "becomes nullable", None)
            } else {
                (
                    tight,
                    "is no longer nullable",
                    w.request.then(|| "null is no longer accepted".to_string()),
                )
            };
            self.push(
                class,
                &w.key,
                w.subject.clone(),
                what,
                wire,
                At::New(&w.loc),
            );
        }
        self.enum_values(w, ao.get("enum"), bo.get("enum"));
        if ao.get("default") != bo.get("default") {
            self.push(
                Class::BreaksRequests,
                &w.key,
                w.subject.clone(),
                format!(
                    "default changes from {} to {}",
                    shown(ao.get("default")),
                    shown(bo.get("default"))
                ),
                Some("requests that leave it out get a different value".into()),
                At::New(&w.loc),
            );
        }
        self.rules(w, a, b, tight);
        for ext in [
            "x-secret",
            "x-epoch",
            "x-untyped",
            "x-rust-name",
            "readOnly",
            "writeOnly",
        ] {
            if ao.get(ext) != bo.get(ext) {
                self.push(
                    Class::Compatible,
                    &w.key,
                    w.subject.clone(),
                    format!("`{ext}` changes"),
                    None,
                    At::New(&w.loc),
                );
            }
        }
        self.properties(w, a, b, tight);
        for (kw, what) in [("items", "items"), ("additionalProperties", "values")] {
            if let (Some(x), Some(y)) = (ao.get(kw), bo.get(kw)) {
                let inner = w.child(kw, &format!("{what} of {}", w.subject));
                self.walk(&inner, x, y);
            } else if ao.get(kw) != bo.get(kw) {
                self.push(
                    Class::Compatible,
                    &w.key,
                    w.subject.clone(),
                    format!("`{kw}` changes"),
                    None,
                    At::New(&w.loc),
                );
            }
        }
        if ao.get("patternProperties") != bo.get("patternProperties") {
            self.push(
                Class::Compatible,
                &w.key,
                w.subject.clone(),
                "`patternProperties` change",
                None,
                At::New(&w.loc),
            );
        }
        self.alternatives(w, a, b, tight);
    }

    pub(super) fn enum_values(&mut self, w: &Walk, a: Option<&Value>, b: Option<&Value>) {
        let values = |v: Option<&Value>| -> Vec<Value> {
            v.and_then(Value::as_array).cloned().unwrap_or_default()
        };
        let (va, vb) = (values(a), values(b));
        if a.is_none() || b.is_none() {
            if a.is_some() != b.is_some() {
                let (class, what) = if a.is_some() {
                    (Class::Compatible, "no longer lists its accepted values")
                } else {
                    (
                        if w.request {
                            Class::BreaksRequests
                        } else {
                            Class::Compatible
                        },
                        "now lists its accepted values",
                    )
                };
                self.push(
                    class,
                    &w.key,
                    w.subject.clone(),
                    what,
                    None,
                    At::New(&w.loc),
                );
            }
            return;
        }
        for v in &va {
            if !vb.contains(v) {
                let text = enum_text(v);
                self.push(
                    if w.request {
                        Class::BreaksRequests
                    } else {
                        Class::Compatible
                    },
                    &format!("{}.enum.{text}", w.key),
                    format!("value `{text}` of {}", w.subject),
                    "removed",
                    Some(if w.request {
                        "a value the server accepted is no longer documented".into()
                    } else {
                        "the server no longer documents it".into()
                    }),
                    At::New(&w.loc),
                );
            }
        }
        for v in &vb {
            if !va.contains(v) {
                let text = enum_text(v);
                self.push(
                    Class::Compatible,
                    &format!("{}.enum.{text}", w.key),
                    format!("value `{text}` of {}", w.subject),
                    "added",
                    None,
                    At::New(&w.loc),
                );
            }
        }
    }

    /// Value rules: a rule added or made stricter refuses values that were accepted.
    pub(super) fn rules(&mut self, w: &Walk, a: &Value, b: &Value, tight: Class) {
        const LOWER: &[&str] = &[
            "minLength",
            "minItems",
            "minimum",
            "exclusiveMinimum",
            "minProperties",
        ];
        const UPPER: &[&str] = &[
            "maxLength",
            "maxItems",
            "maximum",
            "exclusiveMaximum",
            "maxProperties",
        ];
        const OTHER: &[&str] = &["pattern", "multipleOf", "const", "uniqueItems"];
        for kw in LOWER.iter().chain(UPPER).chain(OTHER) {
            let (x, y) = (a.get(*kw), b.get(*kw));
            if x == y {
                continue;
            }
            let stricter = match (x.and_then(Value::as_f64), y.and_then(Value::as_f64)) {
                (Some(x), Some(y)) if LOWER.contains(kw) => y > x,
                (Some(x), Some(y)) if UPPER.contains(kw) => y < x,
                _ => y.is_some(),
            };
            let (class, wire) = if stricter {
                (
                    tight,
                    w.request
                        .then(|| "values that were accepted may be refused".to_string()),
                )
            } else {
                (Class::Compatible, None)
            };
            self.push(
                class,
                &w.key,
                w.subject.clone(),
                format!("`{kw}` changes from {} to {}", shown(x), shown(y)),
                wire,
                At::New(&w.loc),
            );
        }
    }

    pub(super) fn properties(&mut self, w: &Walk, a: &Value, b: &Value, tight: Class) {
        let empty = serde_json::Map::new();
        let pa = a
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let pb = b
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let (ra, rb): (BTreeSet<&str>, BTreeSet<&str>) =
            (required_names(a).collect(), required_names(b).collect());
        for (name, x) in pa {
            let key = format!("{}.properties.{name}", w.key);
            let subject = format!("field `{name}` of {}", w.subject);
            let Some(y) = pb.get(name) else {
                self.push_whole(
                    Class::Compatible,
                    &key,
                    subject,
                    "removed",
                    Some("the server no longer documents it".into()),
                    At::New(&w.loc),
                );
                continue;
            };
            let loc = format!("{}.properties.{name}", w.loc);
            let (was, is) = (ra.contains(name.as_str()), rb.contains(name.as_str()));
            if was != is {
                let (class, what, wire) = if is {
                    (
                        tight,
                        "becomes required",
                        w.request
                            .then(|| "requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, "becomes optional", None)
                };
                self.push(class, &key, subject.clone(), what, wire, At::New(&loc));
            }
            let inner = Walk {
                key,
                subject,
                loc,
                request: w.request,
                depth: w.depth,
            };
            self.walk(&inner, x, y);
        }
        for name in pb.keys() {
            if !pa.contains_key(name) {
                let required = rb.contains(name.as_str());
                let (class, wire) = if required && w.request {
                    (
                        Class::BreaksRequests,
                        Some("requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, None)
                };
                self.push_whole(
                    class,
                    &format!("{}.properties.{name}", w.key),
                    format!("field `{name}` of {}", w.subject),
                    if required {
                        "added, required"
                    } else {
                        "added, optional"
                    },
                    wire,
                    At::New(&format!("{}.properties.{name}", w.loc)),
                );
            }
        }
    }

    pub(super) fn alternatives(&mut self, w: &Walk, a: &Value, b: &Value, tight: Class) {
        for kw in ["oneOf", "anyOf", "allOf"] {
            let list = |v: &Value| v.get(kw).and_then(Value::as_array).cloned();
            let (la, lb) = (list(a), list(b));
            if la == lb {
                continue;
            }
            let (la, lb) = (la.unwrap_or_default(), lb.unwrap_or_default());
            for (i, (x, y)) in la.iter().zip(&lb).enumerate() {
                let inner = w.child(
                    &format!("{kw}[{i}]"),
                    &format!("alternative {} of {}", i + 1, w.subject),
                );
                self.walk(&inner, x, y);
            }
            if lb.len() > la.len() {
                self.push(
                    Class::Compatible,
                    &w.key,
                    w.subject.clone(),
                    format!("gains {} `{kw}` alternative(s)", lb.len() - la.len()),
                    None,
                    At::New(&w.loc),
                );
            } else if la.len() > lb.len() {
                self.push(
                    tight,
                    &w.key,
                    w.subject.clone(),
                    format!("loses {} `{kw}` alternative(s)", la.len() - lb.len()),
                    w.request
                        .then(|| "values of the lost alternatives are refused".to_string()),
                    At::New(&w.loc),
                );
            }
        }
    }
}

/// Where a schema walk is: the key its findings take, how the report names it, its spec
/// path on the new side, and whether it is sent in requests.
#[derive(Debug, Clone)]
pub(super) struct Walk {
    pub(super) key: String,
    pub(super) subject: String,
    pub(super) loc: String,
    pub(super) request: bool,
    pub(super) depth: usize,
}

impl Walk {
    pub(super) fn child(&self, step: &str, subject: &str) -> Walk {
        Walk {
            key: format!("{}.{step}", self.key),
            subject: subject.to_string(),
            loc: format!("{}.{step}", self.loc),
            request: self.request,
            depth: self.depth,
        }
    }
}

/// Path parameters renamed: the old and new positions of the path parameters whose names are
/// only on one side, paired in path order (a placeholder keeps its place in the URL).
pub(super) fn renamed_path_params(o: &[Param], n: &[Param]) -> Vec<(usize, usize)> {
    let only = |a: &[Param], b: &[Param]| -> Vec<usize> {
        a.iter()
            .enumerate()
            .filter(|(_, p)| {
                p.location == crate::spec::ParamIn::Path && !b.iter().any(|q| q.name == p.name)
            })
            .map(|(i, _)| i)
            .collect()
    };
    only(o, n).into_iter().zip(only(n, o)).collect()
}

/// Whether two path templates give the same URLs: equal but for the names of their
/// placeholders.
pub(super) fn same_path(a: &str, b: &str) -> bool {
    let shape = |p: &str| -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in p.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push_str("{}");
                }
                '}' => inside = false,
                _ if inside => {}
                c => out.push(c),
            }
        }
        out
    };
    shape(a) == shape(b)
}

pub(super) fn shown(v: Option<&Value>) -> String {
    match v {
        None => "none".to_string(),
        Some(v) => format!("`{v}`"),
    }
}

pub(super) fn enum_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The named schemas a spec sends: those a parameter or body refers to, and those they reach.
pub(super) fn request_schemas(spec: &Spec) -> BTreeSet<String> {
    let mut todo: Vec<String> = Vec::new();
    for p in &spec.api.parameters {
        todo.extend(crate::schema::ref_targets(&p.schema));
    }
    for r in &spec.resources {
        for a in r.actions.values() {
            for p in &a.params {
                todo.extend(crate::schema::ref_targets(&p.schema));
            }
            if let Some(b) = &a.body {
                todo.extend(crate::schema::ref_targets(&b.schema));
            }
        }
    }
    reach(spec, todo)
}

pub(super) fn reach(spec: &Spec, mut todo: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            if let Some(s) = spec.schemas.get(&name) {
                todo.extend(crate::schema::ref_targets(s));
            }
        }
    }
    seen
}

/// For each named schema, the actions that send or receive it (directly or through other
/// schemas), as `resource.action`.
pub fn used_by(spec: &Spec) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &spec.resources {
        for (aname, a) in &r.actions {
            let mut refs = Vec::new();
            for p in &a.params {
                refs.extend(crate::schema::ref_targets(&p.schema));
            }
            if let Some(b) = &a.body {
                refs.extend(crate::schema::ref_targets(&b.schema));
            }
            for resp in &a.responses {
                if let Some(s) = &resp.schema {
                    refs.extend(crate::schema::ref_targets(s));
                }
            }
            for name in reach(spec, refs) {
                out.entry(name)
                    .or_default()
                    .push(format!("{}.{aname}", r.name));
            }
        }
    }
    out
}
