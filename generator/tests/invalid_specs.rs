//! Every broken spec under `tests/fixtures/invalid/<case>/` must fail to load with exactly the
//! report in its `expected.txt` (the whole text a maintainer sees, so an extra or changed
//! diagnostic fails too), fail a whole run with the same report, and never panic. A mismatch
//! prints a unified diff; `cargo xtask bless` rewrites the expectations (see
//! `sdkgen::fixtures`).

use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

#[test]
fn every_invalid_fixture_gives_exactly_its_expected_report() {
    let cases = sdkgen::fixtures::invalid_cases(root()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        cases.len() >= 15,
        "expected at least 15 invalid fixtures, found {}",
        cases.len()
    );
    let failures = sdkgen::fixtures::check_invalid(root()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        failures.is_empty(),
        "{}\n\n{} of {} invalid fixtures differ",
        failures.join("\n\n"),
        failures.len(),
        cases.len()
    );
}

#[test]
fn the_valid_fixture_loads_cleanly() {
    let case = fixtures().join("valid");
    if let Err(diags) = sdkgen::load_checked(&case, "spec/shop") {
        panic!("{diags}");
    }
}

/// A file over the size limit is refused before it is read (made at test time: the repository
/// does not carry an 8 MiB fixture).
#[test]
fn an_oversized_file_is_refused_with_its_size() {
    let mut text = String::from("description: |\n");
    while text.len() <= sdkgen::load::MAX_FILE_BYTES as usize {
        text.push_str("  padding padding padding padding padding padding padding padding\n");
    }
    let tmp = valid_with("schemas/huge.yaml", &text);
    let report = sdkgen::load_checked(tmp.path(), "spec/shop")
        .unwrap_err()
        .to_string();
    assert!(
        report.contains(&format!(
            "spec/shop/schemas/huge.yaml: file is {} bytes; spec files may be at most",
            text.len()
        )),
        "{report}"
    );
}

/// Nesting deeper than the parser's limit is an error with a position, not a stack overflow.
#[test]
fn nesting_beyond_the_limit_is_refused() {
    let deep = "[".repeat(sdkgen::yaml::MAX_DEPTH + 10) + &"]".repeat(sdkgen::yaml::MAX_DEPTH + 10);
    let problems = sdkgen::yaml::parse(&format!("a: {deep}\n")).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.message.contains("nesting deeper than")),
        "{problems:?}"
    );
}

/// A copy of the valid spec with one more file, in a temporary workspace.
fn valid_with(file: &str, text: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let valid = fixtures().join("valid/spec/shop");
    let spec = tmp.path().join("spec/shop");
    for sub in ["", "resources", "schemas"] {
        std::fs::create_dir_all(spec.join(sub)).unwrap();
        for entry in std::fs::read_dir(valid.join(sub)).unwrap().flatten() {
            if entry.path().is_file() {
                std::fs::copy(entry.path(), spec.join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    std::fs::write(spec.join(file), text).unwrap();
    tmp
}

/// Names that no fixture can be committed with (a device name cannot be checked out on
/// Windows, names that differ only in case not on macOS) are made at test time: each is
/// refused at its file, before it can become a page that overwrites another.
#[test]
fn file_names_that_collide_on_some_file_system_are_refused() {
    let resource = |name: &str| {
        format!(
            "name: {name}\ntitle: X\ndescription: X\npath: /x\nactions:\n  get:\n    summary: Get\n    method: GET\n    responses:\n      - {{code: 204, description: Nothing}}\n"
        )
    };
    let schema = "type: object\nproperties:\n  a: {type: string}\n";
    let cases = [
        ("schemas/con.yaml", schema.to_string(), "spec/shop/schemas/con.yaml:1:1: schema `con` names a device on Windows"),
        ("schemas/AUX.json", "{\"type\": \"string\"}".to_string(), "spec/shop/schemas/AUX.json:1:1: schema `AUX` names a device on Windows"),
        ("schemas/Com1.yaml", schema.to_string(), "spec/shop/schemas/Com1.yaml:1:1: schema `Com1` names a device on Windows"),
        ("resources/nul.yaml", resource("nul"), "spec/shop/resources/nul.yaml:1:1: resource `nul` names a device on Windows"),
        ("resources/LPT3.yaml", resource("LPT3"), "spec/shop/resources/LPT3.yaml:1:1: resource `LPT3` names a device on Windows"),
        ("resources/Index.yaml", resource("Index"), "spec/shop/resources/Index.yaml:1:1: resource `Index` would have the page `docs/index.md`"),
        ("resources/Item.yaml", resource("Item"), "spec/shop/resources/item.yaml:1:1: resource `item` collides with `Item`: both become the module `item` in Rust"),
        ("schemas/ITEM.yaml", schema.to_string(), "spec/shop/schemas/item.yaml:1:1: schema `item` differs from `ITEM` only in case"),
    ];
    let mut failures = Vec::new();
    for (file, text, expected) in cases {
        let tmp = valid_with(file, &text);
        match sdkgen::load_checked(tmp.path(), "spec/shop") {
            Ok(_) => failures.push(format!("{file}: accepted")),
            Err(diags) => {
                let report = diags.to_string();
                if !report.contains(expected) {
                    failures.push(format!("{file}: missing `{expected}` in:\n{report}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
