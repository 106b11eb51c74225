//! How the alternatives of a `oneOf`/`anyOf` are told apart when a value is read. Lowering
//! uses this analysis to merge string alternatives into one open string type, to take `null`
//! out as nullability, and to order the alternatives so that none swallows a later one where
//! their shapes differ. Where two alternatives read the same values (no discriminator, the
//! same kind, the same required properties), the union is still generated: the one tried
//! first wins (the rule of `spec/README.md`), and the later one is marked as overlapping it so
//! that its type documents which alternative an ambiguous value becomes.

use serde_json::Value;

use crate::schema::{is_object_with_props, resolve, string_enum, types_of, union_alternatives};
use crate::spec::Spec;

/// The JSON kind of value an alternative reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number (tried after `Integer`).
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    Array,
    /// An object.
    Object,
    /// `null`.
    Null,
    /// Any value: the union's raw catch-all reads it.
    Any,
}

impl Kind {
    /// The variant name an alternative of this kind gets when nothing names it better.
    pub fn label(self) -> &'static str {
        match self {
            Kind::String => "String",
            Kind::Integer => "Integer",
            Kind::Number => "Number",
            Kind::Boolean => "Boolean",
            Kind::Array => "Array",
            Kind::Object => "Object",
            Kind::Null => "Null",
            Kind::Any => "Value",
        }
    }
}

/// One alternative as a value is matched against it.
#[derive(Debug, Clone)]
pub struct Alternative<'a> {
    /// Its schema, as written in the union.
    pub schema: &'a Value,
    /// The kind of value it reads.
    pub kind: Kind,
    /// For an object: the discriminating property and the values it takes here.
    pub tag: Option<(String, Vec<String>)>,
    /// For an object: its required properties.
    pub required: Vec<String>,
    /// For the string alternative that stands for several: every value they document
    /// together (`None` when it stands for itself alone).
    pub strings: Option<Vec<String>>,
    /// Where an earlier alternative reads every value this one would read: its index in the
    /// order of trial, and why. A value both read becomes the earlier one; this one reads only
    /// what the earlier one refuses to decode.
    pub overlaps: Option<Overlap>,
}

/// An alternative tried earlier that reads the same values as a later one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The earlier alternative's index in the order of trial.
    pub earlier: usize,
    /// Why no shape tells the two apart (`both read integers`).
    pub why: String,
}

/// The alternatives of a union, with nested unions (that add nothing of their own) inlined.
pub fn flatten(alts: &[Value]) -> Vec<&Value> {
    let mut out = Vec::new();
    flatten_into(alts, &mut out, 0);
    out
}

fn flatten_into<'a>(alts: &'a [Value], out: &mut Vec<&'a Value>, depth: usize) {
    for alt in alts {
        let nested = union_alternatives(alt).filter(|_| {
            depth < crate::schema::MAX_SCHEMA_DEPTH
                && alt.as_object().is_some_and(|m| {
                    m.keys().all(|k| {
                        matches!(
                            k.as_str(),
                            "oneOf" | "anyOf" | "title" | "description" | "examples"
                        )
                    })
                })
        });
        match nested {
            Some(inner) => flatten_into(inner, out, depth + 1),
            None => out.push(alt),
        }
    }
}

/// The kind of value a schema reads (refs followed).
pub fn kind_of(spec: &Spec, s: &Value) -> Kind {
    let s = resolve(spec, s);
    if s.get("x-untyped").is_some() {
        return Kind::Any;
    }
    if string_enum(s).is_some() {
        return Kind::String;
    }
    if let Some(Value::Array(values)) = s.get("enum") {
        if values.iter().all(Value::is_null) && !values.is_empty() {
            return Kind::Null;
        }
    }
    match s.get("const") {
        Some(Value::String(_)) => return Kind::String,
        Some(Value::Null) => return Kind::Null,
        _ => {}
    }
    if is_object_with_props(s) {
        return Kind::Object;
    }
    match types_of(s).as_slice() {
        ["string"] => Kind::String,
        ["integer"] => Kind::Integer,
        ["number"] => Kind::Number,
        ["boolean"] => Kind::Boolean,
        ["array"] => Kind::Array,
        ["object"] => Kind::Object,
        ["null"] => Kind::Null,
        _ => Kind::Any,
    }
}

/// Whether a schema admits `null`: `type` lists it, or a union has a `null` alternative.
pub fn is_nullable(spec: &Spec, s: &Value) -> bool {
    types_of(s).contains(&"null")
        || union_alternatives(s)
            .is_some_and(|alts| flatten(alts).iter().any(|a| kind_of(spec, a) == Kind::Null))
}

/// What a union becomes.
#[derive(Debug)]
pub enum Shape<'a> {
    /// Nothing but `null` (and raw values): a raw JSON value.
    Raw,
    /// One alternative besides `null`: its type.
    Single(&'a Value),
    /// Only strings: one open string type with every documented value (none: a plain string).
    Strings(Vec<String>),
    /// Alternatives to tell apart, in the order they are tried. String alternatives are merged
    /// into the first of them (its schema stands for all); raw alternatives are left to the
    /// union's catch-all. An alternative that an earlier one overlaps says so.
    Union(Vec<Alternative<'a>>),
}

/// Analyses a union's alternatives (as flattened by [`flatten`]). Every union can be read:
/// alternatives that no shape tells apart are tried in a stated order and the first wins.
pub fn shape<'a>(spec: &'a Spec, alts: &[&'a Value]) -> Shape<'a> {
    let kinds: Vec<Kind> = alts.iter().map(|a| kind_of(spec, a)).collect();
    let real: Vec<usize> = (0..alts.len())
        .filter(|&i| !matches!(kinds[i], Kind::Null | Kind::Any))
        .collect();
    if real.is_empty() {
        return Shape::Raw;
    }
    // One alternative beside `null` is that type; beside a raw one (a value of several types,
    // `{type: [string, number]}`), it is a union of one variant whose catch-all keeps the rest.
    if real.len() == 1 && !kinds.contains(&Kind::Any) {
        return Shape::Single(alts[real[0]]);
    }
    if !kinds.contains(&Kind::Any) && real.iter().all(|&i| kinds[i] == Kind::String) {
        return Shape::Strings(string_values(spec, real.iter().map(|&i| alts[i])));
    }
    let tag_name = discriminator(spec, alts, &kinds);
    let string_alts: Vec<&Value> = real
        .iter()
        .filter(|&&i| kinds[i] == Kind::String)
        .map(|&i| alts[i])
        .collect();
    let mut out: Vec<(usize, Alternative<'a>)> = Vec::new();
    let mut string_seen = false;
    for &i in &real {
        let kind = kinds[i];
        if kind == Kind::String {
            if string_seen {
                continue;
            }
            string_seen = true;
        }
        let s = resolve(spec, alts[i]);
        let (tag, required) = if kind == Kind::Object {
            let tag = tag_name.as_ref().and_then(|name| {
                let p = s.get("properties")?.get(name)?;
                let values = tag_values(spec, p)?;
                Some((name.clone(), values))
            });
            let required = crate::schema::required_names(s)
                .map(str::to_string)
                .collect();
            (tag, required)
        } else {
            (None, Vec::new())
        };
        out.push((
            i,
            Alternative {
                schema: alts[i],
                kind,
                tag,
                required,
                // One variant reads every string: it documents the values of them all.
                strings: (kind == Kind::String && string_alts.len() > 1)
                    .then(|| string_values(spec, string_alts.iter().copied())),
                overlaps: None,
            },
        ));
    }
    // Tried in this order: by kind (integers before other numbers), tagged objects before
    // untagged ones, objects with more required properties before those with fewer (an object
    // that reads only `a` would also read every object that has `a` and `b`).
    out.sort_by(|(i, a), (j, b)| {
        a.kind
            .cmp(&b.kind)
            .then(b.tag.is_some().cmp(&a.tag.is_some()))
            .then(b.required.len().cmp(&a.required.len()))
            .then(i.cmp(j))
    });
    // Where no shape tells two apart, the earlier reads a value both read: the later is marked
    // with the first alternative that overlaps it.
    let mut alternatives: Vec<Alternative<'a>> = out.into_iter().map(|(_, a)| a).collect();
    for n in 1..alternatives.len() {
        let overlap = (0..n).find_map(|m| {
            swallows(&alternatives[m], &alternatives[n]).map(|why| Overlap { earlier: m, why })
        });
        alternatives[n].overlaps = overlap;
    }
    Shape::Union(alternatives)
}

/// Why alternative `a`, tried first, may read every value that `b` would read (by shape: the
/// same kind, and for objects the same required or discriminating properties); `None` when a
/// shape tells them apart.
fn swallows(a: &Alternative<'_>, b: &Alternative<'_>) -> Option<String> {
    if a.kind != b.kind {
        return None;
    }
    if a.kind != Kind::Object {
        return Some(format!(
            "both read {}",
            match a.kind {
                Kind::Integer => "integers",
                Kind::Number => "numbers",
                Kind::Boolean => "booleans",
                Kind::Array => "arrays",
                _ => "the same values",
            }
        ));
    }
    match (&a.tag, &b.tag) {
        (Some((_, x)), Some((_, y))) => {
            let shared: Vec<&String> = x.iter().filter(|v| y.contains(v)).collect();
            if shared.is_empty() || a.required != b.required {
                return None;
            }
            Some(format!(
                "both are objects whose discriminating property may be {}, with the same required properties",
                shared
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
        (Some(_), None) => None,
        (None, _) => {
            let mut x = a.required.clone();
            let mut y = b.required.clone();
            x.sort();
            y.sort();
            (x == y).then(|| {
                if x.is_empty() {
                    "both are objects without a required or discriminating property".to_string()
                } else {
                    format!(
                        "both are objects that require exactly {} and have no discriminating property",
                        x.iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            })
        }
    }
}

/// The property that tells the object alternatives apart: one that some object alternative
/// fixes to string values (`const` or an `enum` small enough to be an enum), the first such in
/// spec order.
fn discriminator(spec: &Spec, alts: &[&Value], kinds: &[Kind]) -> Option<String> {
    alts.iter()
        .zip(kinds)
        .filter(|(_, k)| **k == Kind::Object)
        .filter_map(|(a, _)| resolve(spec, a).get("properties")?.as_object())
        .flat_map(|props| props.iter())
        .find(|(_, p)| tag_values(spec, p).is_some())
        .map(|(name, _)| name.clone())
}

/// The string values a property is fixed to (`const`, or an `enum` of strings).
fn tag_values(spec: &Spec, p: &Value) -> Option<Vec<String>> {
    let p = resolve(spec, p);
    if let Some(Value::String(c)) = p.get("const") {
        return Some(vec![c.clone()]);
    }
    string_enum(p).filter(|v| v.len() <= crate::schema::MAX_ENUM_VARIANTS)
}

/// Every documented value of some string alternatives, each once, in spec order.
pub fn string_values<'a>(spec: &'a Spec, alts: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for alt in alts {
        let s = resolve(spec, alt);
        let values = string_enum(s).or_else(|| match s.get("const") {
            Some(Value::String(c)) => Some(vec![c.clone()]),
            _ => None,
        });
        for v in values.into_iter().flatten() {
            if seen.insert(v.clone()) {
                out.push(v);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The valid `shop` spec with one more schema `probe`, loaded.
    fn spec_with(probe: &str) -> Spec {
        let tmp = crate::test_support::shop_with(&[(
            "schemas/probe.yaml".to_string(),
            probe.to_string(),
        )]);
        let (loaded, _) = crate::frontend::load(tmp.path(), "spec/shop");
        loaded.expect("the spec loads").spec
    }

    fn shape_of(spec: &Spec) -> Shape<'_> {
        let alts = union_alternatives(&spec.schemas["probe"]).unwrap();
        shape(spec, &flatten(alts))
    }

    #[test]
    fn string_alternatives_become_one_open_string_type() {
        let spec = spec_with(
            "oneOf:\n  - oneOf:\n      - {type: string, enum: [a, b]}\n      - {type: string, enum: [b, c]}\n  - {type: string}\n  - {const: d}\n",
        );
        match shape_of(&spec) {
            Shape::Strings(values) => assert_eq!(values, ["a", "b", "c", "d"]),
            other => panic!("{other:?}"),
        }
    }

    /// Beside other kinds, the string alternatives share one variant, which documents the values
    /// of all of them (not only the first one's).
    #[test]
    fn string_alternatives_beside_others_share_one_variant_with_every_value() {
        let spec = spec_with(
            "oneOf:\n  - {type: string, enum: [a, b]}\n  - {type: integer}\n  - {type: string, enum: [c]}\n",
        );
        match shape_of(&spec) {
            Shape::Union(alts) => {
                let strings: Vec<_> = alts.iter().filter(|a| a.kind == Kind::String).collect();
                assert_eq!(strings.len(), 1);
                assert_eq!(
                    strings[0].strings.as_deref(),
                    Some(&["a", "b", "c"].map(String::from)[..])
                );
                let integer = alts.iter().find(|a| a.kind == Kind::Integer).unwrap();
                assert_eq!(integer.strings, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_null_alternative_is_nullability() {
        let spec = spec_with("oneOf:\n  - {type: integer, minimum: 1}\n  - {type: 'null'}\n");
        assert!(matches!(shape_of(&spec), Shape::Single(_)));
        assert!(is_nullable(&spec, &spec.schemas["probe"]));
        let plain = spec_with("type: integer\n");
        assert!(!is_nullable(&plain, &plain.schemas["probe"]));
    }

    /// Integers before numbers, tagged objects before untagged ones, more required properties
    /// first; raw alternatives are left to the catch-all.
    #[test]
    fn alternatives_are_tried_so_that_none_swallows_a_later_one() {
        let spec = spec_with(
            "anyOf:\n  - {type: object, properties: {a: {type: string}}, required: [a]}\n  - {type: number}\n  - {type: object, properties: {a: {type: string}, b: {type: string}}, required: [a, b]}\n  - {type: object, properties: {kind: {const: x}, a: {type: string}}}\n  - {}\n  - {type: integer}\n",
        );
        let Shape::Union(alts) = shape_of(&spec) else {
            panic!("a union")
        };
        let order: Vec<(Kind, Option<&str>, usize)> = alts
            .iter()
            .map(|a| {
                (
                    a.kind,
                    a.tag.as_ref().map(|(f, _)| f.as_str()),
                    a.required.len(),
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                (Kind::Integer, None, 0),
                (Kind::Number, None, 0),
                (Kind::Object, Some("kind"), 0),
                (Kind::Object, None, 2),
                (Kind::Object, None, 1),
            ]
        );
    }

    /// Alternatives that no shape tells apart are accepted: the one tried first wins, and each
    /// later one names the first earlier one that reads its values.
    #[test]
    fn an_ambiguous_union_is_accepted_and_the_first_in_order_wins() {
        let spec = spec_with(
            "oneOf:\n  - {type: array}\n  - {type: object, properties: {a: {type: string}}, required: [a]}\n  - {type: object, properties: {a: {type: integer}, c: {type: string}}, required: [a]}\n  - {type: integer, minimum: 0}\n  - {type: integer, maximum: 10}\n",
        );
        let Shape::Union(alts) = shape_of(&spec) else {
            panic!("a union")
        };
        let kinds: Vec<Kind> = alts.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Integer,
                Kind::Integer,
                Kind::Array,
                Kind::Object,
                Kind::Object
            ]
        );
        assert_eq!(alts[0].overlaps, None);
        assert_eq!(
            alts[1].overlaps,
            Some(Overlap {
                earlier: 0,
                why: "both read integers".into()
            })
        );
        assert_eq!(alts[2].overlaps, None);
        assert_eq!(alts[3].overlaps, None);
        // Document order decides between objects that require the same properties.
        assert_eq!(alts[3].schema["properties"]["a"]["type"], "string");
        let later = alts[4]
            .overlaps
            .as_ref()
            .expect("the later object overlaps");
        assert_eq!(later.earlier, 3);
        assert!(later.why.contains("require exactly `a`"), "{}", later.why);
        let tagged = spec_with(
            "oneOf:\n  - {type: object, properties: {t: {const: x}}}\n  - {type: object, properties: {t: {enum: [y]}}}\n",
        );
        let Shape::Union(alts) = shape_of(&tagged) else {
            panic!("a union")
        };
        assert!(alts.iter().all(|a| a.overlaps.is_none()));
    }
}
