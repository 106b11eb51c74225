//! The spec comparison (`cargo xtask diff`): the corpus of spec edits gives its expected
//! reports and covers every class, and the real specs compare as the examples say.

#[allow(dead_code)]
mod common;

use std::path::Path;

use sdkgen::diff::corpus as diff_corpus;
use sdkgen::diff::{Class, Side};
use sdkgen::load::MemoryFiles;

/// The files of a real spec folder, as `load_memory` reads them.
fn spec_files(root: &Path, api: &str) -> MemoryFiles {
    let mut files = MemoryFiles::new();
    for sub in ["", "resources", "schemas"] {
        let dir = root.join("spec").join(api).join(sub);
        // A spec read from a vendor document has no `resources/` or `schemas/` folder.
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.path().is_file() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let rel = if sub.is_empty() {
                    format!("spec/{api}/{name}")
                } else {
                    format!("spec/{api}/{sub}/{name}")
                };
                files.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    files
}

fn side(files: &MemoryFiles, api: &str, rev: Option<&str>) -> Side {
    let loaded = sdkgen::frontend::load_memory(files, &format!("spec/{api}"));
    Side::new(loaded, rev.map(str::to_string)).unwrap()
}

fn edit(files: &mut MemoryFiles, file: &str, from: &str, to: &str) {
    let text = String::from_utf8(files[file].clone()).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} in {file}");
    files.insert(file.to_string(), text.replacen(from, to, 1).into_bytes());
}

/// The report of a real spec against itself after `change`.
fn report_after(
    api: &str,
    change: impl FnOnce(&mut MemoryFiles),
) -> sdkgen::diff::report::ApiReport {
    let old_files = spec_files(&common::workspace(), api);
    let mut new_files = old_files.clone();
    change(&mut new_files);
    let old = side(&old_files, api, Some("HEAD"));
    let new = side(&new_files, api, None);
    sdkgen::diff::report::api_report(&old, &new).unwrap()
}

#[test]
fn every_corpus_case_gives_its_expected_report() {
    let problems = diff_corpus::check(&common::workspace(), false).unwrap();
    assert!(
        problems.is_empty(),
        "{}\nRun `cargo xtask diff-corpus --bless` and review the diff.",
        problems.join("\n")
    );
}

#[test]
fn the_corpus_covers_every_class_and_the_tricky_cases() {
    let root = common::workspace();
    let base_files = diff_corpus::base_files(&root).unwrap();
    let base = diff_corpus::base_side(&base_files).unwrap();
    let cases = diff_corpus::cases(&root, &base_files).unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut worst = std::collections::BTreeMap::new();
    for case in &cases {
        let (report, _) = diff_corpus::report(&base, case).unwrap();
        worst.insert(case.name.clone(), report.worst());
    }
    for class in [
        Class::BreaksRust,
        Class::BreaksRequests,
        Class::Compatible,
        Class::DocsOnly,
    ] {
        assert!(
            worst.values().filter(|w| **w == Some(class)).count() >= 4,
            "fewer than 4 cases of {class:?}: {worst:?}"
        );
    }
    // The tricky cases, and the class each must get.
    for (case, class) in [
        ("rename-action", Class::BreaksRust),
        ("rename-field", Class::BreaksRust),
        ("field-moved-into-ref", Class::BreaksRust),
        ("union-gains-alternative", Class::Compatible),
        ("field-optional-to-nullable", Class::BreaksRust),
        ("shared-schema-tightened", Class::BreaksRequests),
        ("param-enum-value-removed", Class::BreaksRust),
        ("scope-removed", Class::DocsOnly),
        ("add-action", Class::Compatible),
        ("method-changes", Class::BreaksRequests),
    ] {
        assert_eq!(worst[case], Some(class), "{case}");
    }
    assert_eq!(worst["nothing-changes"], None);
}

#[test]
fn a_real_spec_read_from_memory_equals_itself() {
    let root = common::workspace();
    for api in ["losant", "mist"] {
        let files = spec_files(&root, api);
        let old = side(&files, api, Some("HEAD"));
        let new = Side::new(sdkgen::frontend::load(&root, &format!("spec/{api}")), None).unwrap();
        let changes = sdkgen::diff::compare(&old, &new);
        assert!(changes.is_empty(), "{api}: {changes:#?}");
    }
}

#[test]
fn removing_a_losant_scope_value_is_docs_only() {
    let file = "spec/losant/overlay.yaml";
    let report = report_after("losant", |files| {
        let text = String::from_utf8(files[file].clone()).unwrap();
        // The first action's last scope.
        let line = "    - applicationApiToken.delete\n";
        let at = text.find(line).unwrap();
        let mut cut = text.clone();
        cut.replace_range(at..at + line.len(), "");
        files.insert(file.to_string(), cut.into_bytes());
    });
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    let change = &report.changes[0];
    assert_eq!(change.class, Class::DocsOnly);
    assert!(change
        .change
        .contains("`applicationApiToken.delete` no longer listed"));
    assert!(change.at.line.is_some());
    // A patch release above the crate's version, whatever it is now.
    let v = report.version.unwrap();
    let (major_minor, patch) = v.previous.rsplit_once('.').unwrap();
    let next = format!("{major_minor}.{}", patch.parse::<u64>().unwrap() + 1);
    assert_eq!(v.required, next, "{v:?}");
}

/// A value removed from one alternative of a union of strings (Losant's token scopes, one
/// Rust type with a constant per value) is one change, with the constant it removes under it.
#[test]
fn removing_a_value_of_a_union_of_strings_is_one_change() {
    // The scopes are a definition of the overlay's (one type for the scopes of a token).
    let file = "spec/losant/overlay.yaml";
    let report = report_after("losant", |files| {
        edit(
            files,
            file,
            "        - all.Instance.bounded\n        - all.Instance.read\n",
            "        - all.Instance.bounded\n",
        )
    });
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    let change = &report.changes[0];
    assert_eq!(change.class, Class::BreaksRust);
    assert!(
        change.subject.contains("`all.Instance.read`"),
        "{change:#?}"
    );
    assert_eq!(change.rust, ["`ApiTokenScope::ALL_INSTANCE_READ` removed"]);
}

#[test]
fn adding_an_optional_mist_field_is_classed_by_the_addition_table() {
    let report = report_after("mist", |files| {
        edit(
            files,
            "spec/mist/overlay.yaml",
            "actions:\n",
            "actions:\n  - target: $.components.schemas.user_apitoken.properties\n    update:\n      note: {type: string, description: A note.}\n",
        )
    });
    let added: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.subject.starts_with("field `note`"))
        .collect();
    assert_eq!(added.len(), 1, "{:#?}", report.changes);
    let expected = if sdkgen::diff::addition_breaks_rust(sdkgen::diff::Addition::OptionalField) {
        Class::BreaksRust
    } else {
        Class::Compatible
    };
    assert_eq!(added[0].class, expected);
    assert!(added[0]
        .rust
        .iter()
        .any(|r| r.contains("UserApitoken::note")));
    assert!(report.used_by["user_apitoken"].len() >= 2);
}

#[test]
fn json_output_names_every_change_with_its_class() {
    let root = common::workspace();
    let base_files = diff_corpus::base_files(&root).unwrap();
    let base = diff_corpus::base_side(&base_files).unwrap();
    let cases = diff_corpus::cases(&root, &base_files).unwrap();
    let case = cases
        .iter()
        .find(|c| c.name == "remove-query-param")
        .unwrap();
    let (api, _) = diff_corpus::report(&base, case).unwrap();
    let report = sdkgen::diff::report::Report {
        base: "base".into(),
        commit: String::new(),
        apis: vec![api],
        generator_changed: vec![],
    };
    let json: serde_json::Value =
        serde_json::from_str(&sdkgen::diff::report::json(&report)).unwrap();
    let change = &json["apis"][0]["changes"][0];
    assert_eq!(change["class"], "breaks_rust");
    assert_eq!(change["group"]["kind"], "action");
    assert_eq!(change["at"]["rev"], "base");
    assert_eq!(json["apis"][0]["version"]["required"], "0.2.0");
}

#[test]
fn the_crate_ships_the_spec_changelog_as_a_generated_file() {
    let root = common::workspace();
    let mut files = spec_files(&root, "mist");
    files.insert(
        "spec/mist/CHANGELOG.md".into(),
        b"# Changelog\r\n\r\n## 0.1.0\r\n\r\nFirst version.\r\n".to_vec(),
    );
    let s = side(&files, "mist", None);
    let templates = sdkgen::render::load_templates(&root.join("templates")).unwrap();
    let mut batch = sdkgen::render::Batch::default();
    sdkgen::templates::render_crate(&templates, &s.spec, &s.ir, &mut batch).unwrap();
    let out = batch.finish(None).unwrap();
    let text = String::from_utf8(out["generated/mist/CHANGELOG.md"].clone()).unwrap();
    assert!(
        text.starts_with("<!-- @generated by sdkgen from spec/mist"),
        "{text}"
    );
    assert!(
        text.ends_with("# Changelog\n\n## 0.1.0\n\nFirst version.\n"),
        "{text}"
    );
    // Without one, there is none.
    let mut files = spec_files(&root, "mist");
    files.remove("spec/mist/CHANGELOG.md");
    let plain = side(&files, "mist", None);
    let mut batch = sdkgen::render::Batch::default();
    sdkgen::templates::render_crate(&templates, &plain.spec, &plain.ir, &mut batch).unwrap();
    assert!(!batch
        .finish(None)
        .unwrap()
        .contains_key("generated/mist/CHANGELOG.md"));
}
