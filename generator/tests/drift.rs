//! The drift check: the repository's own `generated/` must be current, and every kind of
//! drift must be caught and fixed by `generate`.

use std::path::Path;
use std::process::Command;

mod common;
use common::{copy_dir, workspace};

/// `cargo test` fails on drift with the same report `cargo xtask check` prints.
#[test]
fn committed_generated_tree_is_current() {
    let outcome = sdkgen::check_workspace(&workspace(), &[], &sdkgen::Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        outcome.drift.is_clean(),
        "{}",
        outcome.drift.report("cargo xtask generate")
    );
}

/// A temporary copy of the parts of the tree the generator reads and writes.
fn tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["spec", "templates", "generated"] {
        copy_dir(&workspace().join(dir), &tmp.path().join(dir));
    }
    tmp
}

fn check_report(root: &Path) -> Option<String> {
    let outcome = sdkgen::check_workspace(root, &[], &sdkgen::Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    (!outcome.drift.is_clean()).then(|| outcome.drift.report("cargo xtask generate"))
}

fn regenerate(root: &Path) {
    let g = sdkgen::generate(root, &[]).unwrap_or_else(|e| panic!("{e}"));
    sdkgen::output::write(root, &g.files, &g.owned).unwrap();
}

fn append(path: &Path, text: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    s.push_str(text);
    std::fs::write(path, s).unwrap();
}

#[test]
fn an_edited_generated_file_is_stale_then_fixed() {
    let t = tree();
    let file = t.path().join("generated/mist/src/models/mod.rs");
    append(&file, "// a hand edit\n");
    let report = check_report(t.path()).expect("drift not detected");
    assert!(
        report.contains("stale: generated/mist/src/models/mod.rs"),
        "{report}"
    );
    assert!(
        report.contains("-// a hand edit"),
        "the diff shows the edit: {report}"
    );
    assert!(report.contains("cargo xtask generate"), "{report}");
    regenerate(t.path());
    assert_eq!(check_report(t.path()), None);
}

#[test]
fn a_deleted_generated_file_is_missing_then_restored() {
    let t = tree();
    std::fs::remove_file(t.path().join("generated/mist/src/support.rs")).unwrap();
    let report = check_report(t.path()).expect("drift not detected");
    assert!(
        report.contains("missing: generated/mist/src/support.rs"),
        "{report}"
    );
    regenerate(t.path());
    assert_eq!(check_report(t.path()), None);
}

#[test]
fn an_extra_file_is_unexpected_then_removed() {
    let t = tree();
    std::fs::write(t.path().join("generated/mist/src/extra.rs"), "// stray\n").unwrap();
    let report = check_report(t.path()).expect("drift not detected");
    assert!(
        report.contains("unexpected: generated/mist/src/extra.rs"),
        "{report}"
    );
    regenerate(t.path());
    assert!(!t.path().join("generated/mist/src/extra.rs").exists());
    assert_eq!(check_report(t.path()), None);
}

#[test]
fn an_edited_spec_makes_output_stale() {
    let t = tree();
    let file = t.path().join("spec/mist/overlay.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let text = original.replace("version: 0.2.0", "version: 0.2.1");
    assert_ne!(text, original, "the overlay's crate version is not 0.2.0");
    std::fs::write(&file, text).unwrap();
    let report = check_report(t.path()).expect("drift not detected");
    assert!(
        report.contains("stale: generated/mist/Cargo.toml"),
        "{report}"
    );
    regenerate(t.path());
    assert_eq!(check_report(t.path()), None);
}

#[test]
fn an_edited_template_or_runtime_file_makes_output_stale() {
    let t = tree();
    append(
        &t.path().join("templates/rust/api.rs.tera"),
        "\n/// Added by a template edit.\npub const TEMPLATE_EDIT: u8 = 1;\n",
    );
    // A runtime file is copied as it is: its edit shows unformatted.
    append(
        &t.path().join("templates/rust/runtime/support.rs"),
        "\n/// Added by a runtime edit.\npub const RUNTIME_EDIT :u8=1;\n",
    );
    let report = check_report(t.path()).expect("drift not detected");
    for (file, line) in [
        ("api.rs", "+pub const TEMPLATE_EDIT: u8 = 1;"),
        ("support.rs", "+pub const RUNTIME_EDIT :u8=1;"),
    ] {
        assert!(
            report.contains(&format!("stale: generated/mist/src/{file}")),
            "{report}"
        );
        assert!(report.contains(line), "{report}");
    }
    regenerate(t.path());
    assert_eq!(check_report(t.path()), None);
}

fn snapshot(root: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    sdkgen::output::existing_files(root, "generated")
        .unwrap()
        .into_iter()
        .map(|rel| {
            let p = root.join(&rel);
            let mtime = std::fs::metadata(&p).unwrap().modified().unwrap();
            (rel, std::fs::read(&p).unwrap(), mtime)
        })
        .collect()
}

#[test]
fn a_broken_spec_leaves_generated_untouched() {
    let t = tree();
    // A change that would alter the output, plus a defect: nothing may be written.
    let file = t.path().join("spec/mist/overlay.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let text = original.replace("version: 0.2.0", "version: 0.3.0");
    assert_ne!(text, original, "the overlay's crate version is not 0.2.0");
    std::fs::write(&file, format!("{text}\nunknown_key: 1\n")).unwrap();
    let before = snapshot(t.path());
    let err = sdkgen::generate(t.path(), &[]).expect_err("a broken spec must fail");
    assert!(err.to_string().contains("spec/mist/overlay.yaml:"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .arg("--workspace")
        .arg(t.path())
        .arg("generate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown overlay key `unknown_key`"));
    assert_eq!(
        snapshot(t.path()),
        before,
        "generated/ changed although generation failed"
    );
}

#[test]
fn unchanged_files_keep_their_mtime() {
    let t = tree();
    let before = snapshot(t.path());
    std::thread::sleep(std::time::Duration::from_millis(20));
    regenerate(t.path());
    assert_eq!(snapshot(t.path()), before);
}

/// A rustfmt configuration in the user's home (here one that narrows lines to 60 columns)
/// must not change the generated layout: the committed tree stays current.
#[test]
fn a_rustfmt_config_in_the_users_home_does_not_change_the_output() {
    let t = tree();
    let home = tempfile::tempdir().unwrap();
    let narrow = "max_width = 60\n";
    std::fs::create_dir_all(home.path().join(".config/rustfmt")).unwrap();
    std::fs::write(home.path().join(".config/rustfmt/rustfmt.toml"), narrow).unwrap();
    std::fs::write(home.path().join(".rustfmt.toml"), narrow).unwrap();
    // rustup and cargo keep finding their real homes.
    let real_home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let rustup_home =
        std::env::var_os("RUSTUP_HOME").unwrap_or_else(|| real_home.join(".rustup").into());
    let cargo_home =
        std::env::var_os("CARGO_HOME").unwrap_or_else(|| real_home.join(".cargo").into());
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("RUSTUP_HOME", rustup_home)
        .env("CARGO_HOME", cargo_home)
        .arg("--workspace")
        .arg(t.path())
        .args(["check", "--no-cache"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_is_identical_across_working_directories_and_locales() {
    let (a, b) = (tree(), tree());
    let elsewhere = tempfile::tempdir().unwrap();
    for (root, cwd, tz, lang) in [
        (a.path(), a.path(), "UTC", "C"),
        (b.path(), elsewhere.path(), "Asia/Kolkata", "de_DE.UTF-8"),
    ] {
        std::fs::remove_dir_all(root.join("generated")).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
            .current_dir(cwd)
            .env("TZ", tz)
            .env("LANG", lang)
            .env("LC_ALL", lang)
            .arg("--workspace")
            .arg(root)
            .arg("generate")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let files = |root: &Path| -> Vec<(String, Vec<u8>)> {
        snapshot(root).into_iter().map(|(p, b, _)| (p, b)).collect()
    };
    let (fa, fb) = (files(a.path()), files(b.path()));
    assert!(!fa.is_empty());
    assert_eq!(fa, fb);
    // And both equal the committed tree.
    let committed: Vec<(String, Vec<u8>)> = files(&workspace());
    assert_eq!(fa, committed);
}

#[test]
fn a_typo_in_the_losant_description_is_reported_with_file_line_and_column() {
    let t = tree();
    let file = t.path().join("spec/losant/schemas/apiInfo.json");
    let text = std::fs::read_to_string(&file).unwrap();
    // The vendor file is one line: the column is the place of the parameter.
    let needle = r#"{"description":"ID associated with the application","example":"575ec8687ae143cd83dc4a97","in":"path","name":"applicationId""#;
    let resource = text
        .find(r#""applicationApiToken":{"#)
        .expect("the resource");
    let at = resource + text[resource..].find(needle).expect("its first parameter");
    let col = at + 1;
    let broken = format!(
        "{}{}{}",
        &text[..at],
        needle.replace(r#""in":"path""#, r#""in":"paht""#),
        &text[at + needle.len()..]
    );
    std::fs::write(&file, broken).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .arg("--workspace")
        .arg(t.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!(
        "spec/losant/schemas/apiInfo.json:1:{col}: parameter `applicationId` is `in: paht`"
    );
    assert!(stderr.contains(&want), "expected `{want}` in:\n{stderr}");
    assert!(
        stderr.contains("#/applicationApiToken/params/0/in"),
        "{stderr}"
    );
}

/// Runs `sdkgen generate` on `root` with a stand-in rustfmt made of `script`.
fn generate_with_formatter(root: &Path, script: &str) -> std::process::Output {
    let fake = root.join("fake-rustfmt");
    std::fs::write(&fake, script).unwrap();
    let mut perms = std::fs::metadata(&fake).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&fake, perms).unwrap();
    Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .env("RUSTFMT", &fake)
        .arg("--workspace")
        .arg(root)
        .arg("generate")
        .output()
        .unwrap()
}

/// A formatter that fails must fail the run with its message, which names the output files
/// (not their scratch copies), and nothing is written.
#[test]
fn a_failing_formatter_fails_generation() {
    let t = tree();
    let before = snapshot(t.path());
    let out = generate_with_formatter(
        t.path(),
        "#!/bin/sh\nfor f in \"$@\"; do case $f in *.rs) echo \"boom: out of luck in $f\" >&2;; esac; done\nexit 3\n",
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rustfmt rejected the output"), "{stderr}");
    assert!(
        stderr.contains("boom: out of luck in generated/"),
        "{stderr}"
    );
    assert!(!stderr.contains("f-0.rs"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(snapshot(t.path()), before);
}

/// A formatter that empties the files it is given must fail the run, not yield empty files.
#[test]
fn a_formatter_that_empties_files_fails_generation() {
    let t = tree();
    let before = snapshot(t.path());
    let script = "#!/bin/sh\nfor f in \"$@\"; do case \"$f\" in *.rs) : > \"$f\";; esac; done\n";
    let out = generate_with_formatter(t.path(), script);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("rustfmt emptied"), "{stderr}");
    assert_eq!(snapshot(t.path()), before);
}

/// The caches are checked, not trusted: edited cache entries together with the same edit of
/// `generated/` are still reported stale, and the entries are written again.
#[test]
fn edited_cache_entries_do_not_hide_drift() {
    let t = tree();
    let cache = tempfile::tempdir().unwrap();
    let options = sdkgen::Options {
        format_cache: Some(sdkgen::format::FormatCache::new(cache.path())),
    };
    let apis = ["mist".to_string()];
    let check =
        || sdkgen::check_workspace(t.path(), &apis, &options).unwrap_or_else(|e| panic!("{e}"));
    assert!(check().drift.is_clean());
    // The entry of src/models/mod.rs holds the file without its `@generated` line.
    let file = t.path().join("generated/mist/src/models/mod.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    let body = text.split_once('\n').unwrap().1;
    let entry = std::fs::read_dir(cache.path().join("generated-mist"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().ends_with(body))
        .expect("a cache entry for src/models/mod.rs");
    // The render cache's entry of src/models/mod.rs holds the whole file.
    let whole = std::fs::read_dir(cache.path().join("render/generated-mist"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| std::fs::read_to_string(p).unwrap().ends_with(&text))
        .expect("a render cache entry for src/models/mod.rs");
    let edit = "// a hand edit, in the caches too\n";
    append(&entry, edit);
    append(&whole, edit);
    append(&file, edit);
    let report = check().drift.report("cargo xtask generate");
    assert!(
        report.contains("stale: generated/mist/src/models/mod.rs"),
        "{report}"
    );
    assert!(!std::fs::read_to_string(&entry).unwrap().contains(edit));
    assert!(!std::fs::read_to_string(&whole).unwrap().contains(edit));
}

/// The render cache gives exactly what rendering gives, and only for the same input: a warm
/// run writes what an uncached run writes, and an edit of a spec or of a template is rendered
/// afresh (from the cache of the run before it, not around it).
#[test]
fn the_render_cache_serves_only_what_the_same_input_renders() {
    let t = tree();
    let cache = tempfile::tempdir().unwrap();
    let options = sdkgen::Options {
        format_cache: Some(sdkgen::format::FormatCache::new(cache.path())),
    };
    let generated = |options: &sdkgen::Options| {
        sdkgen::generate_with(t.path(), &[], options)
            .unwrap_or_else(|e| panic!("{e}"))
            .files
    };
    let entries = || {
        let mut all = Vec::new();
        for group in std::fs::read_dir(cache.path().join("render")).unwrap() {
            for entry in std::fs::read_dir(group.unwrap().path()).unwrap() {
                let path = entry.unwrap().path();
                let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
                all.push((path, modified));
            }
        }
        all.sort();
        all
    };
    let uncached = generated(&sdkgen::Options::default());
    assert_eq!(generated(&options), uncached, "cold run");
    let stored = entries();
    assert!(stored.len() > 50, "{} entries", stored.len());
    assert_eq!(generated(&options), uncached, "warm run");
    // Served from the cache: no entry was written again.
    assert_eq!(entries(), stored);

    let spec = t.path().join("spec/mist/overlay.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let edited_text = text.replace("version: 0.2.0", "version: 0.2.1");
    assert_ne!(
        edited_text, text,
        "the overlay's crate version is not 0.2.0"
    );
    std::fs::write(&spec, edited_text).unwrap();
    let edited = generated(&options);
    assert_eq!(edited, generated(&sdkgen::Options::default()));
    let toml = String::from_utf8(edited["generated/mist/Cargo.toml"].clone()).unwrap();
    assert!(toml.contains("version = \"0.2.1\""), "{toml}");

    append(
        &t.path().join("templates/markdown/schema.md.tera"),
        "\nAdded by a template edit.\n",
    );
    let edited = generated(&options);
    assert_eq!(edited, generated(&sdkgen::Options::default()));
    let page = edited
        .iter()
        .find(|(out, _)| out.starts_with("generated/mist/docs/schemas/"))
        .map(|(_, bytes)| String::from_utf8(bytes.clone()).unwrap())
        .unwrap();
    assert!(page.contains("Added by a template edit."), "{page}");
}
