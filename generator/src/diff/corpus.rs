//! The corpus of spec edits that proves [`crate::diff`] (`generator/tests/diff-corpus/`): one
//! small base spec, and per case the edits that make the new side, the report the comparison
//! must give (`expected.txt`, rewritten by `cargo xtask diff-corpus --bless`), and a snippet of
//! downstream Rust that uses the changed items.
//!
//! The compile test ([`compile`]) is the ground truth for "breaks Rust code": it generates the
//! base crate and every case's crate into one cargo workspace with one target folder, puts
//! every snippet in a crate that depends on the base crate (which must compile) and each
//! snippet in a crate of its own that depends on its case's crate, runs one `cargo check`, and
//! maps the failures back to the cases: a snippet must fail exactly where the case is classed
//! as breaking Rust code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diff::report::{ApiReport, Report, Style};
use crate::diff::{Class, Side};
use crate::load::MemoryFiles;

/// The corpus folder, relative to the repository.
pub const DIR: &str = "generator/tests/diff-corpus";
/// The spec folder of the base and of every case, as reports name it.
pub const SPEC_DIR: &str = "spec/shop";

/// Why the corpus could not be read or run.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// A corpus file is missing or malformed.
    #[error("{0}")]
    Corpus(String),
    /// A file or command failed.
    #[error("{0}")]
    Io(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    about: String,
    edits: Vec<Edit>,
    uses: String,
}

/// One edit of a case: replace text that occurs exactly once, write a whole file, or delete
/// one. File names are relative to the spec folder.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    with: Option<String>,
    #[serde(default)]
    write: Option<String>,
    #[serde(default)]
    delete: bool,
}

/// One case of the corpus.
#[derive(Debug, Clone)]
pub struct Case {
    /// The folder name.
    pub name: String,
    /// What the edit is.
    pub about: String,
    /// Downstream Rust using the items the edit touches.
    pub uses: String,
    /// The new side's files.
    pub files: MemoryFiles,
}

fn read(path: &Path) -> Result<String, CorpusError> {
    std::fs::read_to_string(path)
        .map_err(|e| CorpusError::Io(format!("cannot read {}: {e}", path.display())))
}

/// The base spec's files, keyed as [`crate::frontend::load_memory`] reads them.
pub fn base_files(root: &Path) -> Result<MemoryFiles, CorpusError> {
    let dir = root.join(DIR).join("base").join(SPEC_DIR);
    let mut files = MemoryFiles::new();
    let mut stack = vec![(dir, SPEC_DIR.to_string())];
    while let Some((dir, rel)) = stack.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| CorpusError::Io(format!("cannot read {}: {e}", dir.display())))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                stack.push((path, format!("{rel}/{name}")));
            } else {
                files.insert(format!("{rel}/{name}"), read(&path)?.into_bytes());
            }
        }
    }
    Ok(files)
}

/// Every case, sorted by name, with its edits applied to `base`.
pub fn cases(root: &Path, base: &MemoryFiles) -> Result<Vec<Case>, CorpusError> {
    let dir = root.join(DIR).join("cases");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| CorpusError::Io(format!("cannot read {}: {e}", dir.display())))?
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let file = dir.join(&name).join("case.yaml");
            let text = read(&file)?;
            let case: CaseFile = serde_yaml::from_str(&text)
                .map_err(|e| CorpusError::Corpus(format!("{DIR}/cases/{name}/case.yaml: {e}")))?;
            let files = apply(base, &case.edits)
                .map_err(|e| CorpusError::Corpus(format!("{DIR}/cases/{name}: {e}")))?;
            Ok(Case {
                name,
                about: case.about,
                uses: case.uses,
                files,
            })
        })
        .collect()
}

fn apply(base: &MemoryFiles, edits: &[Edit]) -> Result<MemoryFiles, String> {
    let mut files = base.clone();
    for e in edits {
        let key = format!("{SPEC_DIR}/{}", e.file);
        match (&e.replace, &e.with, &e.write, e.delete) {
            (Some(old), Some(new), None, false) => {
                let text = files
                    .get(&key)
                    .map(|b| String::from_utf8_lossy(b).into_owned())
                    .ok_or_else(|| format!("{}: no such file in the base", e.file))?;
                let found = text.matches(old.as_str()).count();
                if found != 1 {
                    return Err(format!(
                        "{}: the text to replace occurs {found} times; it must occur once:\n{old}",
                        e.file
                    ));
                }
                files.insert(key, text.replacen(old.as_str(), new, 1).into_bytes());
            }
            (None, None, Some(text), false) => {
                files.insert(key, text.clone().into_bytes());
            }
            (None, None, None, true) => {
                files
                    .remove(&key)
                    .ok_or_else(|| format!("{}: no such file to delete", e.file))?;
            }
            _ => {
                return Err(format!(
                    "{}: an edit is `replace` with `with`, `write`, or `delete: true`",
                    e.file
                ))
            }
        }
    }
    Ok(files)
}

/// Loads one side of the corpus; `crate_name` renames the crate (the compile test needs one
/// package name per case).
fn side(files: &MemoryFiles, rev: Option<&str>, crate_name: Option<&str>) -> Result<Side, String> {
    let (mut loaded, diags) = crate::frontend::load_memory(files, SPEC_DIR);
    if let (Some(l), Some(name)) = (loaded.as_mut(), crate_name) {
        l.spec.api.krate.name = name.to_string();
    }
    Side::new((loaded, diags), rev.map(str::to_string)).map_err(|d| d.to_string())
}

/// The base side, as reports name it (`base:spec/shop/...`).
pub fn base_side(base: &MemoryFiles) -> Result<Side, CorpusError> {
    side(base, Some("base"), None).map_err(|e| CorpusError::Corpus(format!("the base spec: {e}")))
}

/// A case's report, and its text as `expected.txt` holds it.
pub fn report(base: &Side, case: &Case) -> Result<(ApiReport, String), String> {
    let new = side(&case.files, None, None)?;
    let api = crate::diff::report::api_report(base, &new).map_err(|e| e.to_string())?;
    let report = Report {
        base: "base".into(),
        commit: String::new(),
        apis: vec![api],
        generator_changed: Vec::new(),
    };
    let text = format!(
        "{}\n\n{}",
        case.about.trim(),
        crate::diff::report::human(&report, Style::new(false))
    );
    let api = report.apis.into_iter().next().ok_or("no report")?;
    Ok((api, text))
}

fn expected_path(root: &Path, case: &str) -> PathBuf {
    root.join(DIR).join("cases").join(case).join("expected.txt")
}

/// Compares every case's report with its `expected.txt` (or writes them, with `bless`);
/// returns one problem per case that differs.
pub fn check(root: &Path, bless: bool) -> Result<Vec<String>, CorpusError> {
    let base_files = base_files(root)?;
    let base = base_side(&base_files)?;
    let mut problems = Vec::new();
    for case in cases(root, &base_files)? {
        let text = match report(&base, &case) {
            Ok((_, text)) => text,
            Err(e) => {
                problems.push(format!("{}: {e}", case.name));
                continue;
            }
        };
        let path = expected_path(root, &case.name);
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected == text {
            continue;
        }
        if bless {
            std::fs::write(&path, &text)
                .map_err(|e| CorpusError::Io(format!("cannot write {}: {e}", path.display())))?;
            continue;
        }
        let diff = similar::TextDiff::from_lines(&expected, &text)
            .unified_diff()
            .header("expected.txt", "now")
            .to_string();
        problems.push(format!(
            "{DIR}/cases/{}/expected.txt differs:\n{diff}",
            case.name
        ));
    }
    Ok(problems)
}

/// What the compile test found for one case.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The case.
    pub case: String,
    /// The worst class the comparison gives.
    pub class: Option<Class>,
    /// Whether the snippet compiled against the new side's crate.
    pub compiles: bool,
    /// The first compiler error, if any.
    pub error: Option<String>,
    /// Whether the case's generated crate itself failed to compile.
    pub generator_bug: bool,
}

impl Outcome {
    /// Whether the class and the compiler agree.
    pub fn agrees(&self) -> bool {
        !self.generator_bug && (self.class == Some(Class::BreaksRust)) != self.compiles
    }
}

/// A Rust module name for a case.
fn ident(case: &str) -> String {
    format!("case_{}", case.replace('-', "_"))
}

/// Writes `text` to `path` unless it already holds it (unchanged files keep cargo's
/// fingerprints fresh between runs).
fn put(path: &Path, text: &[u8]) -> Result<(), CorpusError> {
    if std::fs::read(path).is_ok_and(|t| t == text) {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CorpusError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(path, text)
        .map_err(|e| CorpusError::Io(format!("cannot write {}: {e}", path.display())))
}

/// Generates a side's crate into `dir` (only its `Cargo.toml` and `src/`: `cargo check` needs
/// no more).
fn write_crate(
    templates: &crate::render::Templates,
    side: &Side,
    dir: &Path,
    cache: Option<&crate::format::FormatCache>,
) -> Result<(), CorpusError> {
    let mut batch = crate::render::Batch::default();
    crate::templates::render_crate(templates, &side.spec, &side.ir, &mut batch)
        .map_err(|e| CorpusError::Io(e.to_string()))?;
    let files = batch
        .finish(cache)
        .map_err(|e| CorpusError::Io(e.to_string()))?;
    let prefix = format!("generated/{}/", side.spec.api.name);
    for (path, bytes) in files.iter() {
        let Some(rel) = path.strip_prefix(&prefix) else {
            continue;
        };
        if rel == "Cargo.toml"
            || rel == "README.md"
            || rel.starts_with("src/")
            || rel.starts_with("docs/")
        {
            put(&dir.join(rel), bytes)?;
        }
    }
    Ok(())
}

fn user_manifest(name: &str, sdk: &str, sdk_path: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = \
         false\n\n[dependencies]\nsdk = {{ package = \"{sdk}\", path = \"{sdk_path}\" }}\n"
    )
}

/// Runs the compile test in `work` (a folder it owns; kept between runs so that the
/// dependencies are built once). Returns one outcome per case.
pub fn compile(root: &Path, work: &Path) -> Result<Vec<Outcome>, CorpusError> {
    let base_files = base_files(root)?;
    let base = base_side(&base_files)?;
    let cases = cases(root, &base_files)?;
    let templates = crate::render::load_templates(&root.join("templates"))
        .map_err(|e| CorpusError::Io(e.to_string()))?;
    let cache = crate::format::FormatCache::for_workspace(root);
    let mut members = Vec::new();
    let mut classes = BTreeMap::new();
    let base_named =
        side(&base_files, Some("base"), Some("corpus-base")).map_err(CorpusError::Corpus)?;
    write_crate(
        &templates,
        &base_named,
        &work.join("crates/base"),
        Some(&cache),
    )?;
    members.push("crates/base".to_string());
    let mut all = String::from("#![allow(unused, dead_code, clippy::all)]\n");
    let sides: Vec<Result<(Side, Option<Class>), CorpusError>> =
        crate::par::parallel(cases.len(), |i| {
            let case = &cases[i];
            let (report, _) = report(&base, case)
                .map_err(|e| CorpusError::Corpus(format!("{}: {e}", case.name)))?;
            let named = side(&case.files, None, Some(&format!("corpus-{}", case.name)))
                .map_err(|e| CorpusError::Corpus(format!("{}: {e}", case.name)))?;
            Ok((named, report.worst()))
        });
    for (case, built) in cases.iter().zip(sides) {
        let (named, class) = built?;
        classes.insert(case.name.clone(), class);
        let dir = format!("crates/{}", case.name);
        write_crate(&templates, &named, &work.join(&dir), Some(&cache))?;
        members.push(dir);
        let user = format!("uses/{}", case.name);
        put(
            &work.join(&user).join("Cargo.toml"),
            user_manifest(
                &format!("use-{}", case.name),
                &format!("corpus-{}", case.name),
                &format!("../../crates/{}", case.name),
            )
            .as_bytes(),
        )?;
        put(
            &work.join(&user).join("src/lib.rs"),
            format!("#![allow(unused, dead_code)]\n{}", case.uses).as_bytes(),
        )?;
        members.push(user);
        all.push_str(&format!("mod {};\n", ident(&case.name)));
        put(
            &work.join(format!("uses/base/src/{}.rs", ident(&case.name))),
            case.uses.as_bytes(),
        )?;
    }
    put(
        &work.join("uses/base/Cargo.toml"),
        user_manifest("use-base", "corpus-base", "../../crates/base").as_bytes(),
    )?;
    put(&work.join("uses/base/src/lib.rs"), all.as_bytes())?;
    members.push("uses/base".to_string());
    let manifest = format!(
        "# Written by `cargo xtask diff-corpus --compile`.\n[workspace]\nresolver = \
         \"2\"\nmembers = [\n{}]\n",
        members
            .iter()
            .map(|m| format!("    \"{m}\",\n"))
            .collect::<String>()
    );
    put(&work.join("Cargo.toml"), manifest.as_bytes())?;
    // The repository's lock file: the same dependency versions, already downloaded.
    if !work.join("Cargo.lock").exists() {
        if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
            put(&work.join("Cargo.lock"), &lock)?;
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(work)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .env("CARGO_TARGET_DIR", work.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| CorpusError::Io(format!("cannot run cargo: {e}")))?;
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut base_errors: BTreeSet<String> = BTreeSet::new();
    let mut crate_errors: BTreeMap<String, String> = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
            continue;
        }
        let target = msg["target"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let rendered = msg["message"]["rendered"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if target == "use_base" {
            let file = msg["message"]["spans"][0]["file_name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            base_errors.insert(format!("{file}: {rendered}"));
        } else if let Some(case) = target.strip_prefix("use_") {
            errors.entry(case.replace('_', "-")).or_insert(rendered);
        } else if let Some(case) = target.strip_prefix("corpus_") {
            // A generated crate that does not compile is a generator bug; the case says so.
            crate_errors
                .entry(case.replace('_', "-"))
                .or_insert(rendered);
        } else {
            return Err(CorpusError::Io(format!(
                "the generated crate {target} does not compile:\n{rendered}"
            )));
        }
    }
    if !base_errors.is_empty() {
        return Err(CorpusError::Corpus(format!(
            "a snippet does not compile against the base crate (fix its `uses`):\n{}",
            base_errors.into_iter().collect::<Vec<_>>().join("\n")
        )));
    }
    if !out.status.success() && errors.is_empty() {
        return Err(CorpusError::Io(format!(
            "cargo check failed without a compiler error:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(cases
        .iter()
        .map(|c| Outcome {
            case: c.name.clone(),
            class: classes.get(&c.name).copied().flatten(),
            compiles: !errors.contains_key(&c.name) && !crate_errors.contains_key(&c.name),
            error: crate_errors
                .get(&c.name)
                .map(|e| format!("the generated crate does not compile (a generator bug):\n{e}"))
                .or_else(|| errors.get(&c.name).cloned()),
            generator_bug: crate_errors.contains_key(&c.name),
        })
        .collect())
}

/// What cargo-semver-checks said about one case (see [`semver_checks`]).
#[derive(Debug, Clone)]
pub struct SemverVerdict {
    /// The case.
    pub case: String,
    /// The worst class the comparison gives.
    pub class: Option<Class>,
    /// Whether cargo-semver-checks found nothing that needs a major release.
    pub passed: bool,
    /// The lints that failed, by name (`enum_variant_missing`).
    pub lints: Vec<String>,
    /// What went wrong when the tool gave no verdict (it could not read a rustdoc file).
    pub error: Option<String>,
}

impl SemverVerdict {
    /// Whether the tool and our class agree: it fails exactly the cases classed as breaking
    /// Rust code.
    pub fn agrees(&self) -> bool {
        self.error.is_none() && (self.class == Some(Class::BreaksRust)) != self.passed
    }
}

/// The package name both sides get for cargo-semver-checks, which compares one crate with
/// itself.
const SEMVER_PACKAGE: &str = "corpus-semver";
/// The version both sides get: the tool is asked about a minor release of a `1.x` crate, so
/// that exactly the changes that need a major release fail it.
const SEMVER_VERSION: &str = "1.0.0";

/// The command that runs cargo-semver-checks: `$CARGO_SEMVER_CHECKS` if set, else
/// `cargo-semver-checks` from `PATH`.
pub fn semver_checks_tool() -> std::ffi::OsString {
    std::env::var_os("CARGO_SEMVER_CHECKS")
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "cargo-semver-checks".into())
}

/// The tool's version line, or why it cannot be run.
pub fn semver_checks_version(tool: &std::ffi::OsStr) -> Result<String, String> {
    let out = std::process::Command::new(tool)
        .args(["semver-checks", "--version"])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The failed lints named in cargo-semver-checks' output (`--- failure <lint>: ...`).
pub fn failed_lints(output: &str) -> Vec<String> {
    let mut lints: Vec<String> = output
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--- failure "))
        .filter_map(|rest| rest.split(':').next())
        .map(|lint| lint.trim().to_string())
        .filter(|lint| !lint.is_empty())
        .collect();
    lints.sort();
    lints.dedup();
    lints
}

/// One side, generated as the one package cargo-semver-checks compares, in a folder of its own
/// (a workspace root, so that cargo looks no further up).
fn write_semver_crate(
    templates: &crate::render::Templates,
    files: &MemoryFiles,
    dir: &Path,
    cache: &crate::format::FormatCache,
    lock: Option<&[u8]>,
) -> Result<(), CorpusError> {
    let (mut loaded, diags) = crate::frontend::load_memory(files, SPEC_DIR);
    if let Some(l) = loaded.as_mut() {
        l.spec.api.krate.name = SEMVER_PACKAGE.to_string();
        l.spec.api.krate.version = SEMVER_VERSION.to_string();
    }
    let side = Side::new((loaded, diags), None).map_err(|d| CorpusError::Corpus(d.to_string()))?;
    write_crate(templates, &side, dir, Some(cache))?;
    let manifest = dir.join("Cargo.toml");
    let text = read(&manifest)?;
    if !text.contains("\n[workspace]\n") {
        put(&manifest, format!("{text}\n[workspace]\n").as_bytes())?;
    }
    if let (Some(lock), false) = (lock, dir.join("Cargo.lock").exists()) {
        put(&dir.join("Cargo.lock"), lock)?;
    }
    Ok(())
}

/// Builds the rustdoc JSON of the crate in `dir` (stable rustc, with `RUSTC_BOOTSTRAP=1` for
/// the unstable JSON output) in the shared `target`, and copies it to `json`.
fn rustdoc_json(dir: &Path, target: &Path, json: &Path) -> Result<(), CorpusError> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .arg("rustdoc")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .args(["--lib", "--quiet", "--"])
        .args(["-Z", "unstable-options", "--output-format", "json"])
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .output()
        .map_err(|e| CorpusError::Io(format!("cannot run cargo: {e}")))?;
    if !out.status.success() {
        return Err(CorpusError::Io(format!(
            "cargo rustdoc failed for {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let built = target
        .join("doc")
        .join(format!("{}.json", SEMVER_PACKAGE.replace('-', "_")));
    std::fs::copy(&built, json).map_err(|e| {
        CorpusError::Io(format!(
            "cannot copy {} to {}: {e}",
            built.display(),
            json.display()
        ))
    })?;
    Ok(())
}

/// The second opinion on "breaks Rust code": for the base and every case, generates the crate
/// (as one package name and version, each in a folder of `work`), builds its rustdoc JSON in
/// one shared target folder, and runs `tool` (cargo-semver-checks) on the base's JSON against
/// each case's as a minor release. `progress` is told each case as it is checked.
pub fn semver_checks(
    root: &Path,
    work: &Path,
    tool: &std::ffi::OsStr,
    progress: &mut dyn FnMut(&SemverVerdict),
) -> Result<Vec<SemverVerdict>, CorpusError> {
    let base_files = base_files(root)?;
    let base = base_side(&base_files)?;
    let cases = cases(root, &base_files)?;
    let templates = crate::render::load_templates(&root.join("templates"))
        .map_err(|e| CorpusError::Io(e.to_string()))?;
    let cache = crate::format::FormatCache::for_workspace(root);
    let lock = std::fs::read(root.join("Cargo.lock")).ok();
    let target = work.join("target");
    let json_dir = work.join("json");
    std::fs::create_dir_all(&json_dir)
        .map_err(|e| CorpusError::Io(format!("cannot create {}: {e}", json_dir.display())))?;
    let base_dir = work.join("crates").join("base");
    write_semver_crate(&templates, &base_files, &base_dir, &cache, lock.as_deref())?;
    let base_json = json_dir.join("base.json");
    rustdoc_json(&base_dir, &target, &base_json)?;
    let mut verdicts = Vec::new();
    for case in &cases {
        let (report, _) =
            report(&base, case).map_err(|e| CorpusError::Corpus(format!("{}: {e}", case.name)))?;
        let dir = work.join("crates").join(&case.name);
        write_semver_crate(&templates, &case.files, &dir, &cache, lock.as_deref())?;
        let json = json_dir.join(format!("{}.json", case.name));
        rustdoc_json(&dir, &target, &json)?;
        let out = std::process::Command::new(tool)
            .arg("semver-checks")
            .arg("--baseline-rustdoc")
            .arg(&base_json)
            .arg("--current-rustdoc")
            .arg(&json)
            .args(["--release-type", "minor", "--color", "never"])
            .output()
            .map_err(|e| CorpusError::Io(format!("cannot run cargo-semver-checks: {e}")))?;
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let lints = failed_lints(&text);
        let passed = out.status.success();
        let error = (!passed && lints.is_empty()).then(|| text.trim().to_string());
        let verdict = SemverVerdict {
            case: case.name.clone(),
            class: report.worst(),
            passed,
            lints,
            error,
        };
        progress(&verdict);
        verdicts.push(verdict);
    }
    Ok(verdicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_failed_lints_are_read_from_the_tools_output() {
        let output = "     Parsing corpus-semver v1.0.0 (current)\n\
            \x20    Checked [   0.012s] 120 checks: 118 pass, 2 fail, 0 warn, 0 skip\n\n\
            --- failure enum_variant_missing: pub enum variant removed or renamed ---\n\n\
            Description:\nA publicly-visible enum has at least one variant that is no longer available.\n\
            --- failure method_parameter_count_changed: pub method parameter count changed ---\n\
            --- failure enum_variant_missing: pub enum variant removed or renamed ---\n\
            \x20    Summary semver requires new major version: 2 major and 0 minor checks failed\n";
        assert_eq!(
            failed_lints(output),
            ["enum_variant_missing", "method_parameter_count_changed"]
        );
        assert!(failed_lints("     Summary no semver update required\n").is_empty());
    }
}
