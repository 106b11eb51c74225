//! The whole output of the valid and adversarial fixtures is committed under
//! `tests/fixtures/<case>/generated/`, so a change in lowering or in the templates shows as a
//! reviewable diff there. These tests regenerate each in memory and compare it with the
//! committed tree (files added, removed and changed), and prove that `cargo xtask bless`
//! (`sdkgen::fixtures::bless`) brings stale expectations back in line and then has nothing to do.

use std::path::Path;

use sdkgen::fixtures::{self, DIR};

mod common;
use common::{copy_dir, workspace};

fn assert_current(case: &str) {
    let root = workspace();
    if let Some(problem) = fixtures::check_snapshot(&root, case, &sdkgen::Options::default()) {
        panic!("{problem}");
    }
}

#[test]
fn the_valid_fixture_output_is_committed() {
    assert_current("valid");
}

#[test]
fn the_adversarial_fixture_output_is_committed() {
    assert_current("adversarial");
}

/// The public OpenAPI samples, read by the OpenAPI front-end (the petstore with an overlay,
/// the museum without one); their crates are workspace members, so `cargo test --workspace`
/// compiles and tests them.
#[test]
fn the_openapi_fixture_outputs_are_committed() {
    assert_current("openapi-petstore");
    assert_current("openapi-museum");
}

/// All are found by `bless`, and no other fixture folder escapes the check.
#[test]
fn every_snapshot_fixture_is_checked() {
    let cases = fixtures::snapshot_cases(&workspace()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cases,
        [
            "adversarial",
            "losant-description",
            "openapi-museum",
            "openapi-petstore",
            "valid"
        ]
    );
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository in a temp folder: the templates, the valid fixture with its committed output,
/// and two invalid fixtures.
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let (from, to) = (workspace(), tmp.path());
    copy_dir(&from.join("templates"), &to.join("templates"));
    for case in [
        "valid",
        "invalid/unknown-key-api",
        "invalid/api-name-not-folder-name",
    ] {
        copy_dir(&from.join(DIR).join(case), &to.join(DIR).join(case));
    }
    tmp
}

#[test]
fn bless_rewrites_every_stale_expectation_then_check_is_clean() {
    let tmp = repository();
    let root = tmp.path();
    let fixtures_dir = root.join(DIR);
    assert_eq!(
        fixtures::check(root, &sdkgen::Options::default()).unwrap(),
        Vec::<String>::new(),
        "the copied fixtures start out current"
    );

    // A committed report without one of its two diagnostics: each line it has is still in the
    // report, so only the exact comparison notices.
    let expected = fixtures_dir.join("invalid/unknown-key-api/expected.txt");
    let full = std::fs::read_to_string(&expected).unwrap();
    let (first, rest) = full
        .split_once("error: spec/shop/api.yaml:2:1")
        .expect("the fixture reports the unknown key");
    assert!(first.contains("missing required key `title`"), "{full}");
    std::fs::write(&expected, format!("error: spec/shop/api.yaml:2:1{rest}")).unwrap();
    // The output: a hand edit, a deleted file, a file and a whole API it does not produce.
    let output = fixtures_dir.join("valid/generated");
    append(&output.join("shop/src/lib.rs"), "// a hand edit\n");
    std::fs::remove_file(output.join("shop/docs/index.md")).unwrap();
    write(&output.join("shop/notes.md"), "stale\n");
    write(
        &output.join("gone/README.md"),
        "an API the fixture no longer has\n",
    );
    // An invalid fixture whose spec is fine has no report to keep.
    copy_dir(
        &fixtures_dir.join("valid/spec"),
        &fixtures_dir.join("invalid/loads-cleanly/spec"),
    );
    write(
        &fixtures_dir.join("invalid/loads-cleanly/expected.txt"),
        "kept\n",
    );

    let problems = fixtures::check(root, &sdkgen::Options::default()).unwrap();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    let all = problems.join("\n\n");
    for needle in [
        "invalid fixture `loads-cleanly`: spec/shop loads without problems",
        "invalid fixture `unknown-key-api`: the report differs from \
         generator/tests/fixtures/invalid/unknown-key-api/expected.txt",
        "+error: spec/shop/api.yaml:1:1: missing required key `title`",
        "snapshot fixture `valid`: the committed output in generator/tests/fixtures/valid/generated/",
        "stale: generated/shop/src/lib.rs",
        "-// a hand edit",
        "missing: generated/shop/docs/index.md",
        "unexpected: generated/shop/notes.md",
        "unexpected: generated/gone/README.md",
        "Run `cargo xtask bless`",
    ] {
        assert!(all.contains(needle), "no `{needle}` in:\n{all}");
    }

    // With the format cache `cargo xtask bless` uses: it lives under the repository's target/,
    // never inside a fixture.
    let blessed = fixtures::bless(root, &sdkgen::Options::cached(root)).unwrap();
    let valid = format!("{DIR}/valid/generated");
    assert_eq!(
        blessed.files.updated,
        [
            format!("{DIR}/invalid/unknown-key-api/expected.txt"),
            format!("{valid}/shop/src/lib.rs"),
        ]
    );
    assert_eq!(
        blessed.files.created,
        [format!("{valid}/shop/docs/index.md")]
    );
    assert_eq!(
        blessed.files.removed,
        [
            format!("{valid}/gone/README.md"),
            format!("{valid}/shop/notes.md"),
        ]
    );
    assert_eq!(blessed.problems.len(), 1, "{:#?}", blessed.problems);
    assert!(blessed.problems[0].contains("loads-cleanly"));
    assert_eq!(
        std::fs::read_to_string(fixtures_dir.join("invalid/loads-cleanly/expected.txt")).unwrap(),
        "kept\n",
        "a fixture with no report to keep is left as it was"
    );
    assert_eq!(std::fs::read_to_string(&expected).unwrap(), full);
    assert!(
        !output.join("gone").exists(),
        "the emptied folder is removed"
    );
    for case in ["valid", "invalid/unknown-key-api"] {
        assert!(
            !fixtures_dir.join(case).join("target").exists(),
            "a format cache was made inside the fixture `{case}`"
        );
    }

    std::fs::remove_dir_all(fixtures_dir.join("invalid/loads-cleanly")).unwrap();
    assert_eq!(
        fixtures::check(root, &sdkgen::Options::default()).unwrap(),
        Vec::<String>::new()
    );
    let again = fixtures::bless(root, &sdkgen::Options::cached(root)).unwrap();
    assert_eq!(
        (
            again.files.created,
            again.files.updated,
            again.files.removed,
            again.problems
        ),
        (vec![], vec![], vec![], vec![]),
        "a second bless has nothing to write"
    );
    assert!(again.files.unchanged > 2);
}
