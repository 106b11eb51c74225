//! Helpers and tests of the whole-spec checks.

use super::*;
use crate::test_support::shop_with;

/// The value checks' report, run as one document and run the old way (a validator per
/// schema); both must be the same.
fn value_reports(files: &[(String, String)]) -> Vec<String> {
    let tmp = shop_with(files);
    let (loaded, _) = crate::frontend::load(tmp.path(), "spec/shop");
    let loaded = loaded.expect("the spec loads");
    let (_, values) = check_structure(&loaded.spec, &loaded.sources);
    let new: Vec<String> = values.run().iter().map(ToString::to_string).collect();
    let (_, values) = check_structure(&loaded.spec, &loaded.sources);
    let old: Vec<String> = values
        .run_standalone()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(new, old, "files: {files:#?}");
    new
}

fn schema(name: &str, text: &str) -> (String, String) {
    (format!("schemas/{name}.yaml"), text.to_string())
}

/// Schemas that do not compile (bad patterns, dangling refs, wrong keyword values, `$id`)
/// beside others that do: the checks of the sound ones report what they reported as
/// validators of their own, in the same order, and the others report nothing. Schema
/// names and property names that need escaping in a pointer are found too.
#[test]
fn value_checks_report_what_standalone_validators_reported() {
    let cases: Vec<Vec<(String, String)>> = vec![
        // Sound, with refs and wrong values at several depths.
        vec![
            schema("a", "type: object\nproperties:\n  b: {$ref: b}\n  n: {type: integer, default: x}\nexamples:\n  - {b: {s: 1}, n: 2}\n  - {b: {s: ok}, n: no, extra: 1}\n"),
            schema("b", "type: object\nproperties:\n  s: {type: string, minLength: 3, examples: [ab, abc]}\n  a: {$ref: a}\nrequired: [s]\nexamples:\n  - {}\n"),
        ],
        // Property and schema names that need escaping.
        vec![
            schema("we ird%41~é#", "type: object\nproperties:\n  \"a b\": {type: integer, default: x}\n  \"%41\": {type: integer, default: y}\n  \"~1/x\": {type: object, properties: {\"#\": {type: string, default: 1}}}\n  \"é{}'\\\"\": {type: boolean, default: 3}\nexamples:\n  - {\"a b\": z}\n"),
            schema("user", "type: object\nproperties:\n  w: {$ref: \"we ird%41~é#\"}\nexamples:\n  - {w: {\"a b\": q}}\n"),
        ],
        // A bad pattern in one property; defaults beside it, refs to it.
        vec![
            schema("bad", "type: object\nproperties:\n  p: {type: string, pattern: \"[a-\"}\n  q: {type: integer, default: x}\n  r: {type: object, properties: {s: {type: integer, default: y}}}\nexamples:\n  - {p: 1}\n"),
            schema("user", "type: object\nproperties:\n  b: {$ref: bad}\n  c: {type: integer, default: z}\nexamples:\n  - {b: 1, c: 2}\n"),
            schema("far", "type: object\nproperties:\n  u: {$ref: user}\nexamples:\n  - {u: 1}\n"),
        ],
        // A dangling ref, a wrong keyword value, a bool schema, `$ref` with siblings.
        vec![
            schema("dangling", "type: object\nproperties:\n  x: {$ref: nowhere}\n  y: {type: string, default: 1}\nexamples:\n  - {x: 1, y: 2}\n"),
            schema("wrongkw", "type: string\nminLength: -1\nexamples: [1]\n"),
            schema("typo", "type: strin\nexamples: [1]\nproperties:\n  a: {type: integer, default: x}\n"),
            schema("bools", "type: object\nadditionalProperties: false\nproperties:\n  any: true\n  none: false\nexamples:\n  - {any: 1, none: 2, other: 3}\n"),
            schema("siblings", "$ref: item\ntype: integer\nexamples:\n  - {name: 1}\n  - 5\n"),
        ],
        // `$schema` of a sub-schema, a property named like a data key, `$id`.
        vec![
            schema("meta", "$schema: \"http://json-schema.org/draft-07/schema#\"\ntype: object\nproperties:\n  m: {$schema: \"http://json-schema.org/draft-07/schema#\", type: integer, default: x}\n  default: {type: integer, default: y, examples: [z]}\n  enum: {$ref: item}\nexamples:\n  - {m: 1, default: 2, enum: {name: 3}}\n"),
            schema("withid", "$id: \"http://example.com/x\"\ntype: object\nproperties:\n  i: {$ref: item}\n  n: {type: integer, default: x}\nexamples:\n  - {i: {name: 4}}\n"),
            schema("idcaller", "type: object\nproperties:\n  w: {$ref: withid}\n  k: {type: integer, default: y}\nexamples:\n  - {w: {i: {name: 5}}}\n"),
        ],
    ];
    let mut reported = 0;
    for files in &cases {
        reported += value_reports(files).len();
    }
    assert!(reported > 20, "{reported}");
}

/// Random webs of schemas that reference each other, some broken, with right and wrong
/// examples: the same report as the validators of their own gave.
#[test]
fn value_checks_agree_with_standalone_validators_on_random_webs() {
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for _ in 0..12 {
        let count = 3 + next(8) as usize;
        let mut files = Vec::new();
        for k in 0..count {
            let mut text = String::from("type: object\nproperties:\n");
            for f in 0..1 + next(3) {
                let prop = match next(7) {
                    0 | 1 => format!("{{$ref: s{}}}", next(count as u64)),
                    2 => "{type: string, pattern: \"^[a-z]+$\", default: Ab}".to_string(),
                    3 => "{type: integer, minimum: 2, default: 1}".to_string(),
                    4 => format!("{{type: array, items: {{$ref: s{}}}}}", next(count as u64)),
                    5 => "{type: [string, \"null\"], enum: [a, b, null], default: c}".to_string(),
                    _ => "{type: object, properties: {z: {type: boolean, default: 0}}}".to_string(),
                };
                text.push_str(&format!("  f{f}: {prop}\n"));
            }
            match next(10) {
                0 => text.push_str("  broken: {type: string, pattern: \"(\"}\n"),
                1 => text.push_str("  lost: {$ref: missing}\n"),
                _ => {}
            }
            text.push_str("examples:\n");
            for _ in 0..1 + next(2) {
                let value = match next(5) {
                    0 => "{f0: 1, f1: x, f2: [1]}",
                    1 => "{f0: {f0: {f0: true}}, f1: []}",
                    2 => "{}",
                    3 => "{f0: abc, f1: 3, f2: {z: 1}}",
                    _ => "{f0: null, f1: {f1: [{}]}}",
                };
                text.push_str(&format!("  - {value}\n"));
            }
            files.push(schema(&format!("s{k}"), &text));
        }
        value_reports(&files);
    }
}
