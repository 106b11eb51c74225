//! Schema helpers shared by validation, lowering and the generated tests' data: following
//! `$ref`s, finding them, and reading what kind of schema a schema is.

use serde_json::Value;

use crate::spec::Spec;

/// Deepest a schema may nest (through properties, items and refs) before the generator refuses it.
pub const MAX_SCHEMA_DEPTH: usize = 64;

/// Enums with more values than this become a string newtype with associated constants: 500
/// variants cost compile time and every match, constants cost nothing.
pub const MAX_ENUM_VARIANTS: usize = 64;

/// All `$ref` targets in a schema, with the spec path of each.
pub fn refs_in(schema: &Value, path: &str, out: &mut Vec<(String, String)>) {
    walk_refs(schema, &mut path.to_string(), &mut |name, at| {
        out.push((name.to_string(), at.to_string()));
    });
}

/// The schema a `$ref` chain ends at (`s` itself when it is no ref), however long the chain. A
/// missing target ends the chain where it is; a chain that runs into a cycle (refused by the
/// checks, see `alias_cycles`) ends at a schema of the cycle.
pub fn resolve<'a>(spec: &'a Spec, s: &'a Value) -> &'a Value {
    let next = |v: &'a Value| {
        v.get("$ref")
            .and_then(Value::as_str)
            .and_then(|n| spec.schemas.get(n))
    };
    // Two walkers, one twice as fast: the fast one finds the end, or meets the slow one in a
    // cycle, in steps proportional to the chain; nothing is allocated.
    let (mut slow, mut fast) = (s, s);
    loop {
        let Some(one) = next(fast) else { return fast };
        let Some(two) = next(one) else { return one };
        fast = two;
        slow = next(slow).unwrap_or(slow);
        if std::ptr::eq(slow, fast) {
            return fast;
        }
    }
}

/// All `$ref` targets in a schema, without their paths.
pub fn ref_targets(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_refs(schema, &mut String::new(), &mut |name, _| {
        out.push(name.to_string());
    });
    out
}

/// Calls `found(target, path)` for every `$ref` in a schema. `at` is the path so far; it grows
/// and shrinks in place, so a path is written out only for a ref.
fn walk_refs(schema: &Value, at: &mut String, found: &mut impl FnMut(&str, &str)) {
    let len = at.len();
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                if matches!(k.as_str(), "examples" | "default" | "enum" | "const") {
                    continue;
                }
                at.push('.');
                at.push_str(k);
                if k == "$ref" {
                    if let Value::String(name) = v {
                        found(name, at);
                    }
                } else {
                    walk_refs(v, at, found);
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, it) in items.iter().enumerate() {
                use std::fmt::Write as _;
                let _ = write!(at, "[{i}]");
                walk_refs(it, at, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// The JSON type the generated tests' smallest value of a schema takes: its first non-null
/// type, `object` for a schema with properties and no type, else `""` (any).
pub fn sample_type(s: &Value) -> &str {
    match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if s.get("properties").is_some() => "object",
        _ => "",
    }
}

/// How many items the generated tests' smallest value of an array schema holds: its
/// `minItems`, at most 4.
pub fn sample_items(s: &Value) -> usize {
    let n = s
        .get("minItems")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        .min(4);
    usize::try_from(n).unwrap_or(4)
}

/// The names a schema lists under `required`.
pub fn required_names(s: &Value) -> impl Iterator<Item = &str> {
    s.get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

/// The JSON-Schema types a schema names.
pub fn types_of(s: &Value) -> Vec<&str> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
}

/// The values of a string enum, if the schema is one.
pub fn string_enum(s: &Value) -> Option<Vec<String>> {
    let values = s.get("enum")?.as_array()?;
    let types: Vec<&str> = types_of(s).into_iter().filter(|t| *t != "null").collect();
    if !(types.is_empty() || types == ["string"]) {
        return None;
    }
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let non_null = values.iter().filter(|v| !v.is_null()).count();
    (strings.len() == non_null && !strings.is_empty()).then_some(strings)
}

/// Whether a schema lists properties (and so becomes a struct).
pub fn is_object_with_props(s: &Value) -> bool {
    s.get("properties").and_then(Value::as_object).is_some()
}

/// The alternatives of a `oneOf` or `anyOf` schema, if it has any.
pub fn union_alternatives(s: &Value) -> Option<&[Value]> {
    s.get("oneOf")
        .or_else(|| s.get("anyOf"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .filter(|a| !a.is_empty())
}
