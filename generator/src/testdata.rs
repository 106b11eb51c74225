//! The generated tests' data: the examples each test round-trips, the smallest valid value of a
//! schema where the spec shows none, the secrets `Debug` must hide, and each action's documented
//! request, answer and errors.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::ir::{
    ActionTest, ErrorCase, ExampleCase, FieldProbe, Lit, Model, OutsideType, ParamIr, TypeRef,
    ValueProbe,
};
use crate::names::{self, Scope};
use crate::path::PathTemplate;
use crate::schema::resolve;
use crate::spec::{Action, ParamIn, QueryStyle, Spec};
use crate::types::Lowerer;

/// A JSON value as the generated tests and pages show it: indented, unless the indentation
/// would make it many times longer than the value itself (every line of a deeply nested value
/// is indented by two spaces per level, so a large example at the deepest nesting a spec allows
/// grew several hundred times), then compact.
pub fn example_text(v: &Value) -> String {
    let compact = v.to_string();
    // Real examples indent to less than twice their length.
    let cap = compact.len().saturating_mul(8).saturating_add(64 << 10);
    let mut out = Capped {
        text: Vec::new(),
        cap,
    };
    match serde_json::to_writer_pretty(&mut out, v) {
        Ok(()) => String::from_utf8(out.text).unwrap_or(compact),
        Err(_) => compact,
    }
}

/// A writer that refuses to grow past `cap` bytes.
struct Capped {
    text: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + bytes.len() > self.cap {
            return Err(std::io::Error::other("longer than the cap"));
        }
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The round-trip cases of the generated tests: every example of a named schema, of a body and
/// of a documented answer, each with the secrets `Debug` must not show.
pub(crate) fn examples(l: &mut Lowerer<'_>, lib: &str) -> Vec<ExampleCase> {
    let spec = l.spec;
    let outside = |ty: TypeRef| OutsideType {
        lib: lib.to_string(),
        ty,
    };
    let mut out = Vec::new();
    let mut scope = Scope::default();
    for (name, s) in &spec.schemas {
        if let Some(Value::Array(examples)) = s.get("examples") {
            for (i, e) in examples.iter().enumerate() {
                out.push(ExampleCase {
                    test: scope.claim(format!(
                        "schema_{}_example_{}",
                        names::snake_part(name),
                        i + 1
                    )),
                    ty: outside(TypeRef::Model(l.named[name].clone())),
                    json: Lit(example_text(e)),
                    origin: Lit(format!("schemas.{name}.examples[{i}]")),
                    secrets: secrets(spec, s, e),
                });
            }
        }
    }
    for r in &spec.resources {
        for (aname, a) in &r.actions {
            let base = format!(
                "{}_{}",
                names::snake_part(&r.name),
                names::snake_part(aname)
            );
            let mut cases = Vec::new();
            if let Some(b) = &a.body {
                if let Some(ex) = &b.example {
                    cases.push((
                        format!("{base}_request"),
                        &b.schema,
                        ex,
                        true,
                        format!("resources.{}.actions.{aname}.body.example", r.name),
                    ));
                }
            }
            for (i, resp) in a.responses.iter().chain(a.errors.iter()).enumerate() {
                if let (Some(s), Some(ex)) = (&resp.schema, &resp.example) {
                    cases.push((
                        format!("{base}_response_{}", resp.code),
                        s,
                        ex,
                        false,
                        format!(
                            "resources.{}.actions.{aname}.responses[{i}].example",
                            r.name
                        ),
                    ));
                }
            }
            for (test, schema, ex, request, origin) in cases {
                let ty = outside(l.type_of(schema, &names::camel(&test), request));
                let secrets = secrets(spec, schema, ex);
                out.push(ExampleCase {
                    test: scope.claim(test),
                    ty,
                    json: Lit(example_text(ex)),
                    origin: Lit(origin),
                    secrets,
                });
            }
        }
    }
    out
}

/// The string values at `x-secret` places of an example that `Debug` output cannot show by
/// chance: of 4 characters or more, and in no key, no other string of the example and no word
/// `Debug` writes itself (`Secret(<redacted>)`), in any letter case. (An example whose secret
/// is `"password"` beside a field `password`, or `"string"` beside other `"string"`s, proves
/// nothing about secrecy.)
fn secrets(spec: &Spec, schema: &Value, example: &Value) -> Vec<Lit> {
    let mut out = Vec::new();
    collect_secrets(spec, schema, example, &mut out);
    let mut texts = vec!["Secret(<redacted>) Some None".to_lowercase()];
    let mut strings: Vec<String> = Vec::new();
    let mut work = vec![example];
    while let Some(v) = work.pop() {
        match v {
            Value::Object(map) => {
                texts.extend(map.keys().map(|k| k.to_lowercase()));
                work.extend(map.values());
            }
            Value::Array(items) => work.extend(items),
            Value::String(s) => strings.push(s.clone()),
            _ => {}
        }
    }
    out.sort();
    // How often a text stands at a secret place, and how often anywhere in the example.
    let count = |list: &[String], text: &str| list.iter().filter(|s| *s == text).count();
    let mut kept = out.clone();
    kept.dedup();
    kept.into_iter()
        .filter(|secret| {
            let lower = secret.to_lowercase();
            secret.len() >= 4
                && count(&strings, secret) <= count(&out, secret)
                && !texts.iter().any(|t| t.contains(&lower))
                && !strings
                    .iter()
                    .any(|s| s != secret && s.to_lowercase().contains(&lower))
        })
        .map(Lit)
        .collect()
}

/// Walks the example beside its schema, without recursion and without a depth limit: each
/// (schema, value) pair once, since a value is matched against its schema's alternatives
/// where it stands, and an alternative may lead back to where it started. `$ref` chains are
/// followed to their end, as the types are.
fn collect_secrets(spec: &Spec, schema: &Value, value: &Value, out: &mut Vec<String>) {
    let mut seen: HashSet<(*const Value, *const Value)> = HashSet::new();
    let mut work = vec![(schema, value)];
    while let Some((schema, value)) = work.pop() {
        let schema = resolve(spec, schema);
        if !seen.insert((std::ptr::from_ref(schema), std::ptr::from_ref(value))) {
            continue;
        }
        if schema.get("x-secret") == Some(&Value::Bool(true)) {
            if let Value::String(s) = value {
                out.push(s.clone());
            }
            continue;
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = schema.get("properties") {
                    for (k, v) in map {
                        if let Some(p) = props.get(k) {
                            work.push((p, v));
                        }
                    }
                }
                for key in ["oneOf", "anyOf", "allOf"] {
                    if let Some(Value::Array(alts)) = schema.get(key) {
                        for alt in alts {
                            work.push((alt, value));
                        }
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item) = schema.get("items") {
                    for v in items {
                        work.push((item, v));
                    }
                }
            }
            _ => {}
        }
    }
}

/// A value for the tests: the schema's first example, else the smallest value it accepts.
pub(crate) fn schema_example(spec: &Spec, s: &Value) -> Value {
    minimal_instance(spec, s, 0)
}

/// The smallest value a schema accepts, for the tests of actions whose spec shows no example:
/// the schema's own example, default, const or first enum value where it has one, else only the
/// required properties, empty arrays, zero numbers, `false`, and date-time, date and uuid
/// strings of the right form.
///
/// The spec checks refuse a schema whose smallest value this would build endlessly, or too deep
/// or too large to write into a test (`validate::sample` follows these same steps), so the
/// depth guard never cuts a value short; it only keeps the stack safe.
pub(crate) fn minimal_instance(spec: &Spec, s: &Value, depth: usize) -> Value {
    let s = resolve(spec, s);
    if depth > crate::schema::MAX_SCHEMA_DEPTH {
        return Value::Null;
    }
    let first = |key: &str| s.get(key).and_then(Value::as_array).and_then(|a| a.first());
    if let Some(v) = first("examples")
        .or_else(|| s.get("default"))
        .or_else(|| s.get("const"))
    {
        return v.clone();
    }
    if let Some(v) = first("enum") {
        return v.clone();
    }
    if let Some(alt) = first("oneOf").or_else(|| first("anyOf")) {
        return minimal_instance(spec, alt, depth + 1);
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        let mut merged = serde_json::Map::new();
        for part in parts {
            if let Value::Object(m) = minimal_instance(spec, part, depth + 1) {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    let ty = crate::schema::sample_type(s);
    match ty {
        "object" => {
            let mut out = serde_json::Map::new();
            let props = s.get("properties");
            for name in crate::schema::required_names(s) {
                let value = props
                    .and_then(|p| p.get(name))
                    .map_or(Value::Null, |p| minimal_instance(spec, p, depth + 1));
                out.insert(name.to_string(), value);
            }
            Value::Object(out)
        }
        "array" => {
            let n = crate::schema::sample_items(s);
            // No item is built for an empty list (a tree's `children` would be built forever).
            let item = match s.get("items") {
                Some(i) if n > 0 => minimal_instance(spec, i, depth + 1),
                _ => Value::Null,
            };
            Value::Array(vec![item; n])
        }
        "string" => Value::String(
            match s.get("format").and_then(Value::as_str) {
                Some("date-time") => "1970-01-01T00:00:00Z",
                Some("date") => "1970-01-01",
                Some("uuid") => "00000000-0000-0000-0000-000000000000",
                _ => "",
            }
            .to_string(),
        ),
        "integer" | "number" => s.get("minimum").cloned().unwrap_or(Value::from(0)),
        "boolean" => Value::Bool(false),
        "null" => Value::Null,
        _ => Value::Object(serde_json::Map::new()),
    }
}

/// A parameter's example as the tests send it: a date-time that is not written in UTC (`Z` or
/// `+00:00`) becomes the Unix epoch, since the SDK sends every date-time in UTC and the test must
/// know the text it expects (see [`param_texts`]).
pub(crate) fn sendable_example(ty: &TypeRef, v: Value) -> Value {
    match (ty, v) {
        (TypeRef::Vec(item), Value::Array(items)) => Value::Array(
            items
                .into_iter()
                .map(|i| sendable_example(item, i))
                .collect(),
        ),
        (TypeRef::DateTime, Value::String(s)) if utc_text(&s).is_none() => {
            Value::String("1970-01-01T00:00:00Z".into())
        }
        (_, v) => v,
    }
}

/// The texts the runtime's `ParamValue` writes for a parameter's value of type `ty`: numbers as
/// Rust prints them, a date-time as RFC 3339 in UTC with the fewest fraction digits (in groups
/// of three) that keep it, a list one text per item.
pub(crate) fn param_texts(ty: &TypeRef, v: &Value) -> Vec<String> {
    match (ty, v) {
        (TypeRef::Vec(item), Value::Array(items)) => {
            items.iter().flat_map(|i| param_texts(item, i)).collect()
        }
        (TypeRef::DateTime, Value::String(s)) => vec![utc_text(s).unwrap_or_else(|| s.clone())],
        (TypeRef::F64, Value::Number(n)) => match n.as_f64() {
            Some(f) => vec![f.to_string()],
            None => vec![n.to_string()],
        },
        // A number the vendor documents as a string (`x-rust-type: integer`) is sent as the
        // number it holds.
        (TypeRef::I64 | TypeRef::I32, Value::String(s)) => match s.trim().parse::<i64>() {
            Ok(n) => vec![n.to_string()],
            Err(_) => vec![s.clone()],
        },
        _ => vec![crate::rust::wire_text(v)],
    }
}

/// The query pairs the runtime writes for a query parameter's example, in its style.
fn styled_pairs(p: &ParamIr, example: &Value) -> Vec<(String, String)> {
    let name = &p.wire.0;
    let texts = &p.example_texts;
    match p.style {
        QueryStyle::Form => texts.iter().map(|t| (name.clone(), t.clone())).collect(),
        QueryStyle::Comma => vec![(name.clone(), texts.join(","))],
        QueryStyle::Space => vec![(name.clone(), texts.join(" "))],
        QueryStyle::Pipe => vec![(name.clone(), texts.join("|"))],
        QueryStyle::Brackets => texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("{name}[{i}]"), t.clone()))
            .collect(),
        // The generated tests compare JSON texts as JSON values.
        QueryStyle::Json => vec![(name.clone(), example.to_string())],
        QueryStyle::DeepObject => {
            fn flatten(key: String, v: &Value, out: &mut Vec<(String, String)>) {
                match v {
                    Value::Object(fields) => {
                        for (field, inner) in fields {
                            flatten(format!("{key}[{field}]"), inner, out);
                        }
                    }
                    Value::Array(items) => {
                        for (i, inner) in items.iter().enumerate() {
                            flatten(format!("{key}[{i}]"), inner, out);
                        }
                    }
                    Value::Null => {}
                    other => out.push((key, crate::rust::wire_text(other))),
                }
            }
            let mut out = Vec::new();
            flatten(name.clone(), example, &mut out);
            out
        }
    }
}

/// An RFC 3339 date-time in UTC as chrono writes it (`SecondsFormat::AutoSi`, `Z`):
/// `None` for another offset or text that is not a date-time.
fn utc_text(s: &str) -> Option<String> {
    let (date, time) = s.split_once(['T', 't'])?;
    let (clock, zone) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, "Z")
    } else {
        let at = time.rfind(['+', '-'])?;
        (&time[..at], &time[at..])
    };
    if !matches!(zone, "Z" | "+00:00" | "-00:00") || date.len() != 10 {
        return None;
    }
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    if hms.len() != 8 || !fraction.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 9 {
        return None;
    }
    let digits = fraction.trim_end_matches('0');
    let width = match digits.len() {
        0 => 0,
        1..=3 => 3,
        4..=6 => 6,
        _ => 9,
    };
    let fraction = if width == 0 {
        String::new()
    } else {
        format!(".{digits:0<width$}")
    };
    Some(format!("{date}T{hms}{fraction}Z"))
}

/// One probe per named struct schema with an object example: a field the SDK does not know
/// must be kept.
pub(crate) fn field_probes(
    spec: &Spec,
    named: &HashMap<String, String>,
    models: &[Model],
) -> Vec<FieldProbe> {
    let structs: HashSet<&str> = models
        .iter()
        .filter(|m| matches!(m, Model::Struct { .. }))
        .map(Model::name)
        .collect();
    let mut out = Vec::new();
    for (name, s) in &spec.schemas {
        let rust = &named[name];
        if !structs.contains(rust.as_str()) {
            continue;
        }
        let first = s
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|ex| ex.first())
            .filter(|e| e.is_object());
        if let Some(first) = first {
            out.push(FieldProbe {
                test: format!("unknown_field_is_kept_by_{}", names::snake_part(name)),
                ty: rust.clone(),
                json: Lit(first.to_string()),
            });
        }
    }
    out
}

/// One probe per enum: a value the SDK does not know must be kept and sent back.
pub(crate) fn value_probes(models: &[Model]) -> Vec<ValueProbe> {
    models
        .iter()
        .filter_map(|m| match m {
            Model::Enum { name, .. } => Some(ValueProbe {
                test: format!("unknown_value_is_kept_by_{}", names::snake_part(name)),
                ty: name.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// For every union (in `models` and in the resource modules), a value of each alternative:
/// the alternative's own example where the spec has one, else its smallest value, with the
/// discriminating property set to the alternative's first value.
pub(crate) fn union_probes(spec: &Spec, models: &[Model]) -> Vec<crate::ir::UnionProbe> {
    let mut scope = Scope::default();
    let mut out = Vec::new();
    {
        for m in models {
            let Model::Union { name, variants, .. } = m else {
                continue;
            };
            for v in variants {
                let mut value = minimal_instance(spec, &v.schema, 0);
                if let (Some(tag), Value::Object(map)) = (&v.tag, &mut value) {
                    if let Some(first) = tag.values.first() {
                        map.insert(tag.field.0.clone(), Value::String(first.0.clone()));
                    }
                }
                // A number alternative comes after the integer one: give it a fraction.
                if v.kind == crate::ir::ValueKind::Number && (value.is_i64() || value.is_u64()) {
                    value = serde_json::json!(value.as_f64().unwrap_or(0.0) + 0.5);
                }
                // Where an earlier alternative reads the same values, the value becomes that
                // one if it decodes there (the rule the union's documentation states).
                // The first variant tried whose kind, discriminating value and required
                // properties fit and into which the value decodes.
                let expected = match v.overlaps {
                    Some(_) => variants
                        .iter()
                        .take_while(|u| !std::ptr::eq(*u, v))
                        .find(|u| {
                            u.kind == v.kind
                                && u.tag.as_ref().is_none_or(|t| {
                                    value
                                        .get(&t.field.0)
                                        .and_then(Value::as_str)
                                        .is_some_and(|x| t.values.iter().any(|w| w.0 == x))
                                })
                                && decodes(spec, &u.schema, &value, 0)
                        })
                        .unwrap_or(v),
                    None => v,
                };
                out.push(crate::ir::UnionProbe {
                    test: scope.claim(if expected.name == v.name {
                        format!(
                            "{}_reads_{}",
                            names::snake_part(name),
                            names::snake_part(&v.name)
                        )
                    } else {
                        format!(
                            "{}_reads_a_value_of_{}_as_{}",
                            names::snake_part(name),
                            names::snake_part(&v.name),
                            names::snake_part(&expected.name)
                        )
                    }),
                    ty: name.clone(),
                    variant: expected.name.clone(),
                    json: Lit(value.to_string()),
                });
            }
        }
    }
    out
}

/// Whether the generated type of schema `s` decodes `value`, as far as its shape says: the
/// kind of value, an object's required properties and the types of those it has. Constraints
/// the generated types do not check (patterns, bounds) are not checked here either; a union
/// reads any value (its catch-all keeps what no alternative reads).
pub(crate) fn decodes(spec: &Spec, s: &Value, value: &Value, depth: usize) -> bool {
    use crate::unions::{kind_of, Kind};
    let s = resolve(spec, s);
    if depth > crate::schema::MAX_SCHEMA_DEPTH || crate::schema::union_alternatives(s).is_some() {
        return true;
    }
    if value.is_null() && crate::unions::is_nullable(spec, s) {
        return true;
    }
    match kind_of(spec, s) {
        Kind::Any => true,
        Kind::Null => value.is_null(),
        Kind::String => match (value, s.get("format").and_then(Value::as_str)) {
            (Value::String(t), Some("date-time" | "date" | "uuid")) => !t.is_empty(),
            (v, _) => v.is_string(),
        },
        Kind::Integer => value.is_i64() || value.is_u64(),
        Kind::Number => value.is_number(),
        Kind::Boolean => value.is_boolean(),
        Kind::Array => match (value, s.get("items")) {
            (Value::Array(items), Some(item)) => {
                items.iter().all(|v| decodes(spec, item, v, depth + 1))
            }
            (v, _) => v.is_array(),
        },
        Kind::Object => {
            let Value::Object(map) = value else {
                return false;
            };
            let props = s.get("properties").and_then(Value::as_object);
            let required: Vec<&str> = crate::schema::required_names(s).collect();
            required.iter().all(|r| map.contains_key(*r))
                && map.iter().all(|(k, v)| match props.and_then(|p| p.get(k)) {
                    // An optional property reads `null` as absent.
                    Some(p) => {
                        (v.is_null() && !required.contains(&k.as_str()))
                            || decodes(spec, p, v, depth + 1)
                    }
                    None => true,
                })
        }
    }
}

/// The documented meaning of a status code, as an `ErrorKind` variant.
pub fn error_kind(code: u16) -> &'static str {
    match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        429 => "RateLimited",
        500..=599 => "ServerError",
        _ => "Other",
    }
}

/// Percent-encodes one path segment the way the generated runtime does.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The example body an action's test sends (and its doc example shows): the spec's example,
/// else the smallest value of the body's schema.
pub(crate) fn body_example(spec: &Spec, a: &Action) -> Option<Lit> {
    let b = a.body.as_ref()?;
    let example = b
        .example
        .clone()
        .unwrap_or_else(|| schema_example(spec, &b.schema));
    Some(Lit(example.to_string()))
}

/// What an action's generated test sends and expects: the path and query filled with the
/// parameters' examples, the documented answer (with at least one item for a paged action),
/// and each documented error with its kind and message.
pub(crate) fn action_test(
    spec: &Spec,
    a: &Action,
    path: &PathTemplate,
    required: &[ParamIr],
    optional: &[ParamIr],
    has_response_body: bool,
) -> ActionTest {
    // The segments the call's arguments (each path parameter's example) give.
    let test_path = path.fill(|name| {
        required
            .iter()
            .find(|p| p.location == ParamIn::Path && p.wire.0 == name)
            .and_then(|p| p.example_segment.as_ref())
            .map_or_else(|| encode_segment("example"), |s| s.0.clone())
    });
    // One pair per text the runtime writes (a list repeats the name per item).
    let mut query = Vec::new();
    for p in optional
        .iter()
        .chain(required)
        .filter(|p| p.location == ParamIn::Query)
    {
        match (&p.example_expr, &p.always) {
            (Some(example), _) => {
                for (key, text) in styled_pairs(p, &example.value) {
                    query.push((Lit(key), Lit(text)));
                }
            }
            (None, Some(default)) => query.push((p.wire.clone(), default.clone())),
            (None, None) => {}
        }
    }
    let success = a.responses.first();
    let mut response_example = success.and_then(|s| {
        s.example
            .clone()
            .or_else(|| s.schema.as_ref().map(|sc| schema_example(spec, sc)))
    });
    // The paging test repeats the answer's first item: an answer without one gets the
    // smallest item its schema accepts.
    let items_field =
        (a.paginated.as_ref().map(|pg| &pg.items)).or(a.linked.as_ref().map(|l| &l.items));
    if let (Some(items_field), Some(Value::Object(answer)), Some(schema)) = (
        items_field,
        &mut response_example,
        success.and_then(|s| s.schema.as_ref()),
    ) {
        let has_item = answer
            .get(items_field)
            .and_then(Value::as_array)
            .is_some_and(|items| !items.is_empty());
        let item_schema = resolve(spec, schema)
            .get("properties")
            .and_then(|p| p.get(items_field))
            // The items property may be a `$ref` to a named array schema.
            .and_then(|p| resolve(spec, p).get("items"));
        if let (false, Some(item_schema)) = (has_item, item_schema) {
            let item = schema_example(spec, item_schema);
            answer.insert(items_field.clone(), Value::Array(vec![item]));
        }
    }
    let mut errors = Vec::new();
    let mut codes = Vec::new();
    for e in a.errors.iter().chain(spec.api.errors.iter()) {
        if codes.contains(&e.code) {
            continue;
        }
        codes.push(e.code);
        let body = e
            .example
            .clone()
            .or_else(|| e.schema.as_ref().map(|s| schema_example(spec, s)))
            .unwrap_or(Value::Object(Default::default()));
        let message = ["message", "detail"]
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
            .map(|m| Lit(m.to_string()));
        errors.push(ErrorCase {
            status: e.code,
            kind: error_kind(e.code),
            body: Lit(body.to_string()),
            message,
        });
    }
    // The other documented outcomes: each status with its documented (or smallest) answer.
    let outcomes = a
        .responses
        .iter()
        .skip(1)
        .map(|r| {
            let answer = r.schema.as_ref().map(|sc| {
                r.example
                    .clone()
                    .unwrap_or_else(|| schema_example(spec, sc))
            });
            let variant = crate::names::outcome_variant(r.code);
            (r.code, variant, answer.map(|e| Lit(e.to_string())))
        })
        .collect();
    ActionTest {
        path: Lit(test_path),
        query,
        outcomes,
        status: success.map_or(200, |s| s.code),
        response: if has_response_body {
            response_example.map(|e| Lit(e.to_string()))
        } else {
            None
        },
        errors,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::TypeRef;
    use serde_json::json;

    /// The generated tests expect the texts the runtime writes: a date-time in UTC as chrono's
    /// `to_rfc3339_opts(AutoSi, true)` gives it, numbers as Rust prints them, a list per item.
    #[test]
    fn param_texts_are_what_the_runtime_writes() {
        let texts = |ty: &TypeRef, v| super::param_texts(ty, &v);
        let dt = TypeRef::DateTime;
        for (example, sent) in [
            ("2016-06-13T04:00:00.000Z", "2016-06-13T04:00:00Z"),
            ("2016-06-13T04:00:00Z", "2016-06-13T04:00:00Z"),
            ("2016-06-13t04:00:00.5+00:00", "2016-06-13T04:00:00.500Z"),
            (
                "2016-06-13T04:00:00.1234-00:00",
                "2016-06-13T04:00:00.123400Z",
            ),
            (
                "2016-06-13T04:00:00.123456789Z",
                "2016-06-13T04:00:00.123456789Z",
            ),
        ] {
            assert_eq!(texts(&dt, json!(example)), [sent], "{example}");
        }
        // Another offset is not predicted: such an example is replaced before it is sent.
        assert_eq!(super::utc_text("2016-06-13T06:00:00+02:00"), None);
        assert_eq!(
            super::sendable_example(&dt, json!("2016-06-13T06:00:00+02:00")),
            json!("1970-01-01T00:00:00Z")
        );
        assert_eq!(texts(&TypeRef::F64, json!(2.0)), ["2"]);
        assert_eq!(texts(&TypeRef::F64, json!(0.25)), ["0.25"]);
        assert_eq!(texts(&TypeRef::I64, json!("010")), ["10"]);
        assert_eq!(
            texts(&TypeRef::vec(TypeRef::I64), json!([1, 2])),
            ["1", "2"]
        );
        assert_eq!(texts(&TypeRef::Bool, json!(true)), ["true"]);
    }

    /// Examples are indented as before, unless indenting would make them many times longer.
    #[test]
    fn example_text_is_indented_unless_that_multiplies_it() {
        let small = serde_json::json!({"a": [1, {"b": "c"}], "d": null});
        assert_eq!(
            super::example_text(&small),
            serde_json::to_string_pretty(&small).unwrap()
        );
        let mut deep = serde_json::Value::Array((0..20_000).map(serde_json::Value::from).collect());
        for _ in 0..250 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        assert_eq!(super::example_text(&deep), deep.to_string());
    }
}
