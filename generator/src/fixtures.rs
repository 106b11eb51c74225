//! The generator's own fixtures (`generator/tests/fixtures/`) and what each must give, in one
//! place for the tests that check them and `cargo xtask bless` that rewrites them:
//!
//! - `invalid/<case>/`: a broken spec (`spec/<api>/`) and `expected.txt`, the exact report a
//!   maintainer sees for it ([`invalid_report`]).
//! - every other folder (`valid/`, `adversarial/`): a workspace with a `spec/`, rendered through
//!   the repository's `templates/`, and its whole output committed under `generated/`
//!   ([`check_snapshot`]).
//!
//! So every change of a diagnostic or of the output is a diff in the repository that a reviewer
//! reads, and [`bless`] is the one way to accept it.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::files::EntryKind;
use crate::{Error, Options};

/// Where the fixtures live, relative to the repository root.
pub const DIR: &str = "generator/tests/fixtures";

/// The folder of broken specs, under [`DIR`].
pub const INVALID: &str = "invalid";

/// The command that rewrites every fixture's expectation from the current generator.
pub const BLESS: &str = "cargo xtask bless";

/// The folder of a snapshot fixture that holds its output. The whole folder is owned, so the
/// files of an API the fixture no longer has show as unexpected (and `bless` removes them).
pub const OUTPUT: &str = "generated";

/// The fixture folder `case` under `kind` (`invalid`, or empty for a snapshot fixture),
/// repository-relative.
fn rel_dir(kind: &str, case: &str) -> String {
    if kind.is_empty() {
        format!("{DIR}/{case}")
    } else {
        format!("{DIR}/{kind}/{case}")
    }
}

/// The repository-relative path of an invalid fixture's expected report.
pub fn expected_file(case: &str) -> String {
    format!("{}/expected.txt", rel_dir(INVALID, case))
}

/// The sorted names of the folders in `<base>/<rel>`, except `skip`; errors name `rel`.
fn folders(base: &Path, rel: &str, skip: &str) -> Result<Vec<String>, Error> {
    let failed = |e: std::io::Error| Error::Io(format!("cannot read the folder {rel}: {e}"));
    let mut names = Vec::new();
    for entry in std::fs::read_dir(base.join(rel)).map_err(failed)? {
        let entry = entry.map_err(failed)?;
        let is_folder = entry
            .file_type()
            .is_ok_and(|t| EntryKind::of(&t) == EntryKind::Folder);
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_folder && name != skip {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The invalid fixtures of the repository at `root`, sorted.
pub fn invalid_cases(root: &Path) -> Result<Vec<String>, Error> {
    folders(root, &format!("{DIR}/{INVALID}"), "")
}

/// The snapshot fixtures (every fixture folder but `invalid/`), sorted.
pub fn snapshot_cases(root: &Path) -> Result<Vec<String>, Error> {
    folders(root, DIR, INVALID)
}

/// The spec folder of a fixture workspace (`spec/<api>`, the first API folder by name).
pub fn spec_dir(case_dir: &Path) -> String {
    let apis = folders(case_dir, "spec", "").unwrap_or_default();
    format!(
        "spec/{}",
        apis.first().map(String::as_str).unwrap_or("missing")
    )
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_string())
}

/// The report an invalid fixture gives now, as its `expected.txt` holds it: the exact text of
/// [`crate::pipeline::load_checked`]'s diagnostics, with a final newline. `Err` says why there is no
/// report to keep: the spec loads cleanly, the generator panics, a whole run
/// ([`crate::pipeline::generate`]) reports something else, or the report names a folder of this machine.
pub fn invalid_report(root: &Path, case: &str) -> Result<String, String> {
    let dir = root.join(DIR).join(INVALID).join(case);
    let spec = spec_dir(&dir);
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let checked = crate::pipeline::load_checked(&dir, &spec);
        // A whole run lowers a sound spec while its values are checked: it must fail the same
        // way, and not panic on the way. The fixture has no templates, so a spec that passed
        // every check would fail here too, and compiling the real ones 200 times costs seconds.
        let generated = crate::pipeline::generate(&dir, &[]);
        (checked, generated)
    }));
    let name = format!("invalid fixture `{case}`");
    let (checked, generated) = run.map_err(|p| {
        format!(
            "{name}: the generator panicked: {}",
            panic_message(p.as_ref())
        )
    })?;
    let report = match checked {
        Ok(_) => return Err(format!("{name}: {spec} loads without problems")),
        Err(diags) => diags.to_string(),
    };
    match generated {
        Err(Error::Spec(diags)) if diags.to_string() == report => {}
        Err(other) => {
            return Err(format!(
                "{name}: generate reported\n{other}\ninstead of\n{report}"
            ))
        }
        Ok(_) => return Err(format!("{name}: load_checked fails but generate succeeds")),
    }
    // Diagnostics name files relative to the workspace (`spec/<api>/...`); a folder of this
    // machine in one would make the expectation differ between checkouts. The fixture's own
    // folder lies inside the repository, so looking for the repository's path finds either.
    let machine = root.display().to_string();
    if report.contains(&machine) {
        return Err(format!(
            "{name}: the report names the machine path `{machine}`; diagnostics must name files \
             relative to the workspace:\n{report}"
        ));
    }
    Ok(report + "\n")
}

/// Compares an invalid fixture's committed `expected.txt` with its current report: `None` when
/// they are the same text, else a message naming the fixture with a unified diff from the
/// committed text to the current one.
pub fn compare_report(case: &str, expected: &str, current: &str) -> Option<String> {
    if expected == current {
        return None;
    }
    let file = expected_file(case);
    let diff = similar::TextDiff::from_lines(expected, current)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{file} (committed)"),
            &format!("{file} (current report)"),
        )
        .to_string();
    Some(format!(
        "invalid fixture `{case}`: the report differs from {file}:\n{diff}\
         If the new report is right, run `{BLESS}` and commit the change."
    ))
}

/// Checks every invalid fixture; one message per fixture that does not give exactly its
/// `expected.txt` (empty when all do).
pub fn check_invalid(root: &Path) -> Result<Vec<String>, Error> {
    let cases = invalid_cases(root)?;
    let results = crate::par::parallel(cases.len(), |i| {
        let case = &cases[i];
        let report = invalid_report(root, case)?;
        let expected = std::fs::read_to_string(root.join(expected_file(case)))
            .map_err(|e| format!("invalid fixture `{case}`: cannot read expected.txt: {e}"))?;
        compare_report(case, &expected, &report).map_or(Ok(()), Err)
    });
    Ok(results.into_iter().filter_map(Result::err).collect())
}

/// Generates a snapshot fixture in memory: its `spec/` through the repository's templates.
/// The format cache is the caller's choice in `options` (none, or the repository's in
/// `target/`), never one inside the fixture: nothing but its `generated/` is written there.
pub fn generate_snapshot(
    root: &Path,
    case: &str,
    options: &Options,
) -> Result<crate::pipeline::Generated, Error> {
    crate::pipeline::generate_from(
        &root.join(rel_dir("", case)),
        &root.join("templates"),
        &[],
        options,
    )
}

/// Regenerates a snapshot fixture in memory and compares it with its committed `generated/`:
/// `None` when they are the same files with the same bytes, else a message naming the fixture
/// with the drift report (a unified diff per changed file, missing and unexpected files).
pub fn check_snapshot(root: &Path, case: &str, options: &Options) -> Option<String> {
    let dir = rel_dir("", case);
    let generated = match generate_snapshot(root, case, options) {
        Ok(g) => g,
        Err(e) => return Some(format!("snapshot fixture `{case}` does not generate:\n{e}")),
    };
    match crate::output::check(&root.join(&dir), &generated.files, &[OUTPUT.to_string()]) {
        Ok(drift) if drift.is_clean() => None,
        Ok(drift) => Some(format!(
            "snapshot fixture `{case}`: the committed output in {dir}/{OUTPUT}/ differs from \
             what the generator makes now (paths relative to {dir}/):\n{}",
            drift.report(BLESS)
        )),
        Err(e) => Some(format!(
            "snapshot fixture `{case}`: cannot compare {dir}/{OUTPUT}/: {e}"
        )),
    }
}

/// Checks every fixture: every invalid one's report and every snapshot's output. One message
/// per fixture that differs (empty when all match).
pub fn check(root: &Path, options: &Options) -> Result<Vec<String>, Error> {
    let mut problems = check_invalid(root)?;
    for case in snapshot_cases(root)? {
        problems.extend(check_snapshot(root, &case, options));
    }
    Ok(problems)
}

/// What [`bless`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Blessed {
    /// The files written, removed (a snapshot's output the generator no longer makes) and left
    /// as they were, repository-relative.
    pub files: crate::output::WriteReport,
    /// Fixtures that could not be blessed, with why; their files were left as they were.
    pub problems: Vec<String>,
}

/// Rewrites every fixture's expectation from the current generator and templates: each
/// invalid fixture's `expected.txt` with its current report, and each snapshot fixture's
/// `generated/` with its current output (files it no longer makes are removed). A file whose
/// bytes did not change is not written. A fixture with no report to keep (see
/// [`invalid_report`]) or whose spec does not generate is left as it is and listed in
/// [`Blessed::problems`].
pub fn bless(root: &Path, options: &Options) -> Result<Blessed, Error> {
    let mut blessed = Blessed::default();
    let cases = invalid_cases(root)?;
    let reports = crate::par::parallel(cases.len(), |i| invalid_report(root, &cases[i]));
    for (case, report) in cases.iter().zip(reports) {
        let report = match report {
            Ok(r) => r,
            Err(problem) => {
                blessed.problems.push(problem);
                continue;
            }
        };
        let rel = expected_file(case);
        let path = root.join(&rel);
        match EntryKind::of_path(&path) {
            Ok(Some(EntryKind::File)) => {
                let old = std::fs::read(&path)
                    .map_err(|e| Error::Io(format!("cannot read {rel}: {e}")))?;
                if old == report.as_bytes() {
                    blessed.files.unchanged += 1;
                    continue;
                }
                blessed.files.updated.push(rel.clone());
            }
            Ok(None) => blessed.files.created.push(rel.clone()),
            Ok(Some(kind)) => {
                blessed.problems.push(format!(
                    "invalid fixture `{case}`: {rel} is {}; it must be a regular file",
                    kind.describe()
                ));
                continue;
            }
            Err(e) => return Err(Error::Io(format!("cannot read {rel}: {e}"))),
        }
        write_file(&path, report.as_bytes())
            .map_err(|e| Error::Io(format!("cannot write {rel}: {e}")))?;
    }
    for case in snapshot_cases(root)? {
        let dir = rel_dir("", &case);
        let generated = match generate_snapshot(root, &case, options) {
            Ok(g) => g,
            Err(e) => {
                blessed
                    .problems
                    .push(format!("snapshot fixture `{case}` does not generate:\n{e}"));
                continue;
            }
        };
        let report =
            crate::output::write(&root.join(&dir), &generated.files, &[OUTPUT.to_string()])
                .map_err(|e| Error::Io(format!("writing {dir}/{OUTPUT}/ failed: {e}")))?;
        let shown = |files: Vec<String>| files.into_iter().map(|f| format!("{dir}/{f}"));
        blessed.files.created.extend(shown(report.created));
        blessed.files.updated.extend(shown(report.updated));
        blessed.files.removed.extend(shown(report.removed));
        blessed.files.unchanged += report.unchanged;
    }
    Ok(blessed)
}

/// Replaces a file through a sibling temporary, so an interrupted run leaves the old text or
/// the new one.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let tmp: PathBuf = path.with_file_name(format!(".{name}.bless-tmp"));
    let mut file = std::fs::File::create(&tmp)?;
    let written = file.write_all(bytes);
    drop(file);
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "error: spec/shop/api.yaml:1:1: api name `shops` must equal the spec \
                       folder name `shop`\n    at api.name\n1 problem found in the spec\n";

    #[test]
    fn the_same_report_passes() {
        assert_eq!(compare_report("case", ONE, ONE), None);
    }

    #[test]
    fn an_extra_diagnostic_fails_with_a_diff_naming_the_fixture() {
        let two = "error: spec/shop/api.yaml:1:1: api name `shops` must equal the spec folder \
                   name `shop`\n    at api.name\nerror: spec/shop/api.yaml:2:1: unknown key \
                   `titel`\n    at api\n2 problems found in the spec\n";
        // Every line of the committed report is still in the new one: only the whole text
        // catches the extra diagnostic.
        assert!(ONE
            .lines()
            .filter(|l| !l.starts_with('1'))
            .all(|l| two.contains(l)));
        let message = compare_report("api-name", ONE, two).expect("an extra diagnostic passed");
        assert!(
            message.starts_with(
                "invalid fixture `api-name`: the report differs from \
                 generator/tests/fixtures/invalid/api-name/expected.txt"
            ),
            "{message}"
        );
        for line in [
            "--- generator/tests/fixtures/invalid/api-name/expected.txt (committed)",
            "+++ generator/tests/fixtures/invalid/api-name/expected.txt (current report)",
            "+error: spec/shop/api.yaml:2:1: unknown key `titel`",
            "-1 problem found in the spec",
            "+2 problems found in the spec",
            " error: spec/shop/api.yaml:1:1: api name `shops`",
        ] {
            assert!(
                message.lines().any(|l| l.starts_with(line)),
                "no `{line}` in:\n{message}"
            );
        }
        assert!(message.ends_with(&format!("run `{BLESS}` and commit the change.")));
    }

    #[test]
    fn a_missing_diagnostic_or_final_newline_fails() {
        assert!(compare_report("case", ONE, "1 problem found in the spec\n").is_some());
        assert!(compare_report("case", ONE, ONE.trim_end()).is_some());
        assert!(compare_report("case", ONE, &ONE.replace("1:1", "1:2")).is_some());
    }
}
