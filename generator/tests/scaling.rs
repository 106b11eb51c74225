//! Hostile specs that once hit a quadratic path or a silent depth cut-off: each must be accepted
//! with the meaning it has, or refused with a located diagnostic. No timings here (see
//! `cargo xtask bench --safety`); these prove the behaviour at the sizes the bench times.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_dir, workspace};

/// A workspace in a temp folder: the repository's templates and a copy of the valid `shop`
/// fixture, with `extra` (path under `spec/shop/`, text) files added.
fn shop_with(extra: &[(String, String)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/spec/shop"),
        &root.join("spec/shop"),
    );
    copy_dir(&workspace().join("templates"), &root.join("templates"));
    for (rel, text) in extra {
        let path = root.join("spec/shop").join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    (tmp, root)
}

fn file(rel: &str, text: impl Into<String>) -> (String, String) {
    (rel.to_string(), text.into())
}

/// The generated text of one file.
fn generated(g: &sdkgen::Generated, path: &str) -> String {
    let bytes = g
        .files
        .get(path)
        .unwrap_or_else(|| panic!("no {path} among {:?}", g.files.keys().collect::<Vec<_>>()));
    String::from_utf8(bytes.clone()).unwrap()
}

/// The spec's report (all its problems), or "" when it is clean.
fn report(root: &Path) -> String {
    match sdkgen::load_checked(root, "spec/shop") {
        Ok(_) => String::new(),
        Err(diags) => diags.to_string(),
    }
}

/// Follows `pub type A = B;` lines of the generated models from `ty` to the type at the end.
fn through_aliases(models: &str, ty: &str) -> String {
    let mut ty = ty.to_string();
    for _ in 0..10_000 {
        let prefix = format!("pub type {ty} = ");
        match models.lines().find_map(|l| l.trim().strip_prefix(&prefix)) {
            Some(target) => ty = target.trim_end_matches(';').to_string(),
            None => return ty,
        }
    }
    panic!("the aliases of {ty} go round");
}

/// `s1: {$ref: s2}` ... `s70: {type: string, format: uuid}`: a field `$ref: s1` is a UUID,
/// however long the chain (it was followed for 64 hops: the generated test's answer gave the
/// field `{}`, which is no UUID). A secret at the end of such a chain is found in examples.
#[test]
fn a_long_alias_chain_keeps_its_type() {
    let mut files: Vec<(String, String)> = Vec::new();
    for k in 1..70 {
        files.push(file(
            &format!("schemas/s{k}.yaml"),
            format!("$ref: s{}\n", k + 1),
        ));
        files.push(file(
            &format!("schemas/t{k}.yaml"),
            format!("$ref: t{}\n", k + 1),
        ));
    }
    files.push(file("schemas/s70.yaml", "type: string\nformat: uuid\n"));
    files.push(file("schemas/t70.yaml", "type: string\nx-secret: true\n"));
    files.push(file(
        "schemas/holder.yaml",
        "title: Holder\ntype: object\nproperties:\n  key: {$ref: s1}\n  token: {$ref: t1}\nrequired: [key]\nexamples:\n  - {key: 6f1e0c1a-3d3c-4f61-9a51-2b8e1c7d9a10, token: the-token-at-the-end}\n",
    ));
    files.push(file(
        "resources/holder.yaml",
        "name: holder\ntitle: Holder\ndescription: Holds a key.\npath: /holders/{holderId}\nactions:\n  get:\n    summary: Gets a holder\n    method: GET\n    params:\n      - {name: holderId, in: path, required: true, description: The id, schema: {type: string}}\n    responses:\n      - {code: 200, description: The holder, schema: {$ref: holder}}\n",
    ));
    // The action's answer in the generated test is the smallest holder: its key must be a UUID.
    files.push(file(
        "schemas/holder.yaml",
        "title: Holder\ntype: object\nproperties:\n  key: {$ref: s1}\n  token: {$ref: t1}\nrequired: [key]\n",
    ));
    files.push(file(
        "schemas/wallet.yaml",
        "title: Wallet\ntype: object\nproperties:\n  holder: {$ref: holder}\nexamples:\n  - {holder: {key: 6f1e0c1a-3d3c-4f61-9a51-2b8e1c7d9a10, token: the-token-at-the-end}}\n",
    ));
    let (_tmp, root) = shop_with(&files);
    let g = sdkgen::generate(&root, &[]).unwrap_or_else(|e| panic!("{e}"));
    // Every model file, as one text.
    let models: String = g
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("generated/shop/src/models/"))
        .map(|(_, bytes)| String::from_utf8(bytes.clone()).unwrap())
        .collect();
    assert!(models.contains("pub key: S1,"), "{models}");
    assert_eq!(through_aliases(&models, "S1"), "uuid::Uuid");
    assert!(models.contains("pub token: Option<T1>,"), "{models}");
    assert_eq!(through_aliases(&models, "T1"), "crate::Secret");
    let client = generated(&g, "generated/shop/tests/client.rs");
    assert!(
        client.contains(r#"{\"key\":\"00000000-0000-0000-0000-000000000000\"}"#),
        "the answer of holder.get is not the smallest holder:\n{}",
        client
            .lines()
            .filter(|l| l.contains("key"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let examples = generated(&g, "generated/shop/tests/examples.rs");
    assert!(
        examples.contains(r#"hiding "the-token-at-the-end""#),
        "{examples}"
    );
}

/// A cycle of `$ref`s names no type: refused with the cycle, however long, once.
#[test]
fn alias_cycles_of_any_length_are_refused() {
    let mut files: Vec<(String, String)> = (1..=70)
        .map(|k| {
            file(
                &format!("schemas/a{k:02}.yaml"),
                format!("$ref: a{:02}\n", k % 70 + 1),
            )
        })
        .collect();
    files.push(file("schemas/me.yaml", "$ref: me\n"));
    // A chain into the cycle is not a cycle of its own.
    files.push(file("schemas/into.yaml", "$ref: a35\n"));
    let (_tmp, root) = shop_with(&files);
    let report = report(&root);
    let cycle: Vec<String> = (1..=70).chain([1]).map(|k| format!("a{k:02}")).collect();
    assert!(
        report.contains(&format!(
            "spec/shop/schemas/a01.yaml:1:1: schema `a01` is a `$ref` to itself ({}); a chain of `$ref`s must end at a schema that is not a `$ref`",
            cycle.join(" -> ")
        )),
        "{report}"
    );
    assert!(
        report.contains(
            "spec/shop/schemas/me.yaml:1:1: schema `me` is a `$ref` to itself (me -> me)"
        ),
        "{report}"
    );
    assert_eq!(
        report.matches("is a `$ref` to itself").count(),
        2,
        "{report}"
    );
    assert!(!report.contains("through required fields"), "{report}");
}

/// A cycle through required fields has no finite value, however long (cycles longer than 64
/// schemas went unreported, and the generated tests' values were cut short).
#[test]
fn long_required_cycles_are_refused() {
    let files: Vec<(String, String)> = (1..=70)
        .map(|k| {
            file(
                &format!("schemas/c{k:02}.yaml"),
                format!(
                    "type: object\nproperties:\n  next: {{$ref: c{:02}}}\nrequired: [next]\n",
                    k % 70 + 1
                ),
            )
        })
        .collect();
    let (_tmp, root) = shop_with(&files);
    let report = report(&root);
    let cycle: Vec<String> = (1..=70).chain([1]).map(|k| format!("c{k:02}")).collect();
    assert!(
        report.contains(&format!(
            "spec/shop/schemas/c01.yaml:1:1: schema `c01` contains itself through required fields ({}); no finite value fits it",
            cycle.join(" -> ")
        )),
        "{report}"
    );
    assert_eq!(
        report.matches("through required fields").count(),
        1,
        "{report}"
    );
}

/// Schema `s<k>` of `n`, as the bench's `refs` case writes it: it refers to the next one and
/// to the one at half its number (so each reaches all), with an example that nests the next.
fn web_schema(k: usize, n: usize, name: &str) -> String {
    let id = |k: usize| format!("00000000-0000-4000-8000-{k:012}");
    let mut text = format!(
        "title: S{k}\ntype: object\nproperties:\n  id: {{type: string, format: uuid}}\n  name: {{type: string, minLength: 1}}\n"
    );
    if k < n {
        text.push_str(&format!("  next: {{$ref: s{}}}\n", k + 1));
    }
    if k > 1 {
        text.push_str(&format!("  parent: {{$ref: s{}}}\n", k / 2));
    }
    text.push_str("required: [id]\nexamples:\n");
    if k < n {
        text.push_str(&format!(
            "  - {{id: {}, name: {name}, next: {{id: {}}}}}\n",
            id(k),
            id(k + 1)
        ));
    } else {
        text.push_str(&format!("  - {{id: {}, name: {name}}}\n", id(k)));
    }
    text
}

/// 3,000 schemas that reference each other, each with an example, are checked (in time and
/// memory that grow with the square of their number, the checks once took 1.3 GB at 1,000): a
/// clean web is accepted, and a wrong example is found where it is, also beside a schema that
/// does not compile.
#[test]
fn three_thousand_schemas_that_reference_each_other_are_checked() {
    let n = 3_000;
    let web = |k: usize| {
        file(
            &format!("schemas/s{k}.yaml"),
            web_schema(k, n, &format!("S{k}")),
        )
    };
    let mut files: Vec<(String, String)> = (1..=n).map(web).collect();
    let (_tmp, root) = shop_with(&files);
    assert_eq!(report(&root), "");

    // A wrong example (a name that is a number), deep in the web.
    files[1_499] = file("schemas/s1500.yaml", web_schema(1_500, n, "7"));
    let (_tmp, root) = shop_with(&files);
    let wrong = "spec/shop/schemas/s1500.yaml:10:5: example does not match its schema: at `/name`: 7 is not of type \"string\"";
    let report_one = report(&root);
    assert!(report_one.contains(wrong), "{report_one}");
    assert_eq!(report_one.matches("does not match its schema").count(), 1);

    // And a schema whose pattern does not compile, which every other one reaches: its own
    // problem is reported; the examples of the schemas that reach it are not checked, as a
    // standalone validator of each could not be built; the others still are.
    files.push(file(
        "schemas/broken.yaml",
        "type: object\nproperties:\n  code: {type: string, pattern: \"[a-\"}\nexamples:\n  - {code: 1}\n",
    ));
    files.push(file(
        "schemas/lonely.yaml",
        "type: object\nproperties:\n  n: {type: integer}\nexamples:\n  - {n: x}\n",
    ));
    let mut s1 = web_schema(1, n, "S1");
    s1 = s1.replace("  name:", "  broken: {$ref: broken}\n  name:");
    files[0] = file("schemas/s1.yaml", s1);
    let (_tmp, root) = shop_with(&files);
    let report_two = report(&root);
    assert!(
        report_two.contains(
            "spec/shop/schemas/broken.yaml:3:24: pattern `[a-` is not a valid regular expression"
        ),
        "{report_two}"
    );
    assert!(!report_two.contains(wrong), "{report_two}");
    assert!(
        report_two.contains("spec/shop/schemas/lonely.yaml:5:5: example does not match its schema: at `/n`: \"x\" is not of type \"integer\""),
        "{report_two}"
    );
    assert_eq!(report_two.matches("\n    at ").count(), 2, "{report_two}");
}

/// Deep nesting in a spec file is refused at the line and column where it passes the limit,
/// in flow and block style and in JSON, however deep it goes.
#[test]
fn deep_nesting_in_a_spec_file_is_refused_where_it_passes_the_limit() {
    let levels = 200_000;
    for (name, text, at) in [
        (
            "flow.yaml",
            format!(
                "title: Deep\nexamples:\n  - {{b: {}{}}}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
            // yaml-rust2 counts flow levels in a byte: the 256th flow level (this file's
            // 255th bracket) is refused.
            "3:263",
        ),
        (
            "block.yaml",
            format!("title: Deep\nexamples:\n  - {}x\n", "- ".repeat(levels)),
            "3:513",
        ),
        (
            "deep.json",
            format!(
                "{{\"title\": \"Deep\", \"examples\": [{}{}]}}\n",
                "[".repeat(levels),
                "]".repeat(levels)
            ),
            "1:285",
        ),
    ] {
        let (_tmp, root) = shop_with(&[file(&format!("schemas/{name}"), text)]);
        let report = report(&root);
        assert!(
            report.contains(&format!(
                "spec/shop/schemas/{name}:{at}: nesting deeper than 256 levels"
            )),
            "{name}: {report}"
        );
    }
}

/// A resource `things` whose `get` answers with `schema` and gives no example.
fn answering(schema: &str) -> (String, String) {
    file(
        "resources/things.yaml",
        format!("name: things\ntitle: Things\ndescription: Things.\npath: /things\nactions:\n  get:\n    summary: Gets things\n    method: GET\n    responses:\n      - {{code: 200, description: The things, schema: {schema}}}\n"),
    )
}

/// Without an example, the generated tests answer with the smallest value of the response
/// schema. One that would be cut short (it was, silently, past 64 levels), never end, or
/// hold millions of values is refused at the schema; a tree with an empty list of children
/// is fine.
#[test]
fn smallest_values_that_cannot_be_written_are_refused() {
    let refused = |files: Vec<(String, String)>, what: &str| {
        let (_tmp, root) = shop_with(&files);
        let report = report(&root);
        let expected = format!(
            "spec/shop/resources/things.yaml:10:46: the generated tests use the smallest value of this schema where the spec gives no example, and that value {what}"
        );
        assert!(report.contains(&expected), "{expected}\n{report}");
        assert!(report.contains("hint: give an `example`"), "{report}");
    };
    // 70 schemas, each requiring the next.
    let mut files: Vec<(String, String)> = (1..70)
        .map(|k| {
            file(
                &format!("schemas/r{k}.yaml"),
                format!(
                    "type: object\nproperties:\n  next: {{$ref: r{}}}\nrequired: [next]\n",
                    k + 1
                ),
            )
        })
        .collect();
    files.push(file("schemas/r70.yaml", "type: string\n"));
    files.push(answering("{$ref: r1}"));
    refused(files, "nests deeper than 64 levels");
    // A list that must hold at least one of itself.
    refused(
        vec![
            file(
                "schemas/node.yaml",
                "type: object\nproperties:\n  kids: {type: array, minItems: 1, items: {$ref: node}}\nrequired: [kids]\n",
            ),
            answering("{$ref: node}"),
        ],
        "contains itself (no finite value fits it)",
    );
    // Two required fields of the next schema, 40 times: 2^40 values.
    let mut files: Vec<(String, String)> = (1..40)
        .map(|k| {
            file(
                &format!("schemas/b{k}.yaml"),
                format!(
                    "type: object\nproperties:\n  l: {{$ref: b{n}}}\n  r: {{$ref: b{n}}}\nrequired: [l, r]\n",
                    n = k + 1
                ),
            )
        })
        .collect();
    files.push(file("schemas/b40.yaml", "type: integer\n"));
    files.push(answering("{$ref: b1}"));
    refused(files, "holds more than 100000 values");

    // A tree whose children may be none: accepted, answered with no children.
    let (_tmp, root) = shop_with(&[
        file(
            "schemas/tree.yaml",
            "title: Tree\ntype: object\nproperties:\n  name: {type: string}\n  kids: {type: array, items: {$ref: tree}}\nrequired: [name, kids]\n",
        ),
        answering("{$ref: tree}"),
    ]);
    let g = sdkgen::generate(&root, &[]).unwrap_or_else(|e| panic!("{e}"));
    let client = generated(&g, "generated/shop/tests/client.rs");
    assert!(
        client.contains(r#"{\"kids\":[],\"name\":\"\"}"#)
            || client.contains(r#"{\"name\":\"\",\"kids\":[]}"#),
        "{}",
        client
            .lines()
            .filter(|l| l.contains("kids"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
