//! A valid but hostile spec (keywords as names, names that collide after case conversion,
//! comment terminators, template syntax, HTML, emoji and RTL text in every description, a
//! 600-value enum, 64-deep nesting, a recursive schema) must give a crate that builds, passes
//! its own generated tests and clippy, and pages that keep every string.

use std::path::Path;
use std::process::Command;

mod common;
use common::{copy_dir, workspace};

fn cargo(args: &[&str], manifest: &Path) {
    // A target folder of its own, kept between runs, so the dependencies build once.
    let target = workspace().join("target/adversarial");
    let out = Command::new(env!("CARGO"))
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cargo {} failed:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_adversarial_spec_builds_passes_its_tests_and_clippy() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(
        &workspace().join("generator/tests/fixtures/adversarial/spec"),
        &root.join("spec"),
    );
    copy_dir(&workspace().join("templates"), &root.join("templates"));
    let generated = sdkgen::generate(root, &[]).unwrap_or_else(|e| panic!("{e}"));
    sdkgen::output::write(root, &generated.files, &generated.owned).unwrap();
    let krate = root.join("generated/adversarial");
    // The workspace's lock file pins the same dependency versions the real crates use.
    std::fs::copy(workspace().join("Cargo.lock"), krate.join("Cargo.lock")).unwrap();
    let manifest = krate.join("Cargo.toml");
    cargo(&["test", "--quiet"], &manifest);
    cargo(&["clippy", "--quiet", "--all-targets"], &manifest);
    // The gating rule: the crate builds with each resource's feature alone (CI builds only a
    // few chosen features of the real crates, so this is where every one of them is proven).
    let features =
        sdkgen::lower::lower(&sdkgen::load_checked(root, "spec/adversarial").unwrap()).features;
    assert!(features.list.len() > 1, "{:?}", features.list);
    for feature in std::iter::once("").chain(features.list.iter().map(String::as_str)) {
        let features = format!("rustls,{feature}");
        let features = features.trim_end_matches(',');
        cargo(
            &[
                "check",
                "--quiet",
                "--lib",
                "--no-default-features",
                "--features",
                features,
            ],
            &manifest,
        );
    }

    // Names: keywords become raw identifiers, colliding names are numbered, digits are prefixed.
    // Every model file, as one text.
    let mut models = String::new();
    let mut files: Vec<_> = std::fs::read_dir(krate.join("src/models"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        models.push_str(&std::fs::read_to_string(file).unwrap());
    }
    for needle in [
        "pub r#type: String",
        "pub r#match:",
        "pub self_:",
        "pub api_token:",
        "pub api_token2:",
        "pub n_2fa:",
        "pub struct Self_",
        "pub struct Crate",
    ] {
        assert!(models.contains(needle), "src/models/ lacks `{needle}`");
    }
    // Names the crate already uses are never taken twice: a resource named like a `Client`
    // method, an action like a handle's trait method, parameters like request members, and
    // schemas like prelude, crate or test types all get numbered names, and every accessor is
    // there.
    let accessors = std::fs::read_to_string(krate.join("src/resources/mod.rs")).unwrap();
    for needle in [
        "pub fn base_url2(&self)",
        "pub fn builder2(&self)",
        "pub fn clone2(&self)",
        "pub fn bare(&self)",
        "pub fn crate_(&self)",
    ] {
        assert!(
            accessors.contains(needle),
            "resources/mod.rs lacks `{needle}`"
        );
    }
    let builder = std::fs::read_to_string(krate.join("src/resources/builder.rs")).unwrap();
    for needle in [
        "pub fn clone2(&self, call2: impl Into<String>)",
        "pub fn stream2(",
        "pub fn send2(",
        "pub fn globals2(",
        "body: MockBody",
    ] {
        assert!(builder.contains(needle), "builder.rs lacks `{needle}`");
    }
    for needle in [
        "pub struct OptionBody",
        "pub struct MockBody",
        "pub struct ValueBody",
        "pub result: Option<CallBody>",
    ] {
        assert!(models.contains(needle), "src/models/ lacks `{needle}`");
    }
    // Every description is kept intact in the rustdoc (rustfmt prints doc attributes as `///`).
    let nasty = "/// Ends a comment */ and \"quotes\", back\\slash, {{ tera }}, {% raw %}, pipe | cell, \\`\\`\\`rust";
    assert!(
        models.contains(nasty),
        "the hostile description was altered in src/models/"
    );

    // The pages keep every description, summary and scope, escaped for their place.
    let spec = sdkgen::load_checked(root, "spec/adversarial").unwrap();
    let page = std::fs::read_to_string(krate.join("docs/crate.md")).unwrap();
    let hostile = spec
        .resources
        .iter()
        .find(|r| r.name == "crate")
        .expect("the adversarial spec has the `crate` resource");
    for (name, action) in &hostile.actions {
        for p in &action.params {
            assert!(
                page.contains(&sdkgen::markdown::cell(&p.description)),
                "{name}: parameter `{}` description altered",
                p.name
            );
        }
        for r in action.responses.iter().chain(&action.errors) {
            assert!(
                page.contains(&sdkgen::markdown::cell(&r.description)),
                "{name}: response {} description altered",
                r.code
            );
        }
        for scope in &action.scopes {
            assert!(
                page.contains(&sdkgen::markdown::inline(scope)),
                "{name}: scope `{scope}` missing"
            );
        }
    }
}
