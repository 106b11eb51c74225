//! The `diff` command: each API's spec at a git revision against the working tree, its
//! changes classed by [`crate::diff`], the crate version they require under Cargo's semver
//! rules, and the report for people (grouped, coloured on a terminal), as JSON for tools, or
//! as a new section of `spec/<api>/CHANGELOG.md`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::diff::{Change, Class, Group, Side};
use crate::git::GitError;

/// Why a comparison could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// git could not read the old side.
    #[error(transparent)]
    Git(#[from] GitError),
    /// One side's spec has problems; all of them are listed.
    #[error("the spec at {side} has problems:\n{diags}")]
    Spec {
        /// `HEAD` or `the working tree`.
        side: String,
        /// The problems.
        diags: Diagnostics,
    },
    /// A crate version is not a semver version.
    #[error("{file}: crate version `{version}` is not a semver version: {message}")]
    Version {
        /// The `api.yaml` it is in.
        file: String,
        /// The text.
        version: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
}

/// How much a version must move for a set of changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    /// Nothing changed.
    None,
    /// A patch release (documentation, compatible changes of a `0.x` crate).
    Patch,
    /// A compatible release: the minor version of a `1.x` crate.
    Compatible,
    /// A breaking release: the major version, or the minor of a `0.x` crate.
    Breaking,
}

/// The smallest version after `previous` that Cargo's semver rules allow for changes of the
/// worst class `worst` (`None`: no change). Cargo treats `0.x.y` and `0.x.z` as compatible and
/// `0.0.x` as incompatible with every other version; a breaking change of `0.x` bumps the
/// minor, of `0.0.x` the patch.
pub fn required_version(
    previous: &semver::Version,
    worst: Option<Class>,
) -> (semver::Version, Bump) {
    let (major, minor, patch) = (previous.major, previous.minor, previous.patch);
    let bump = match worst {
        None => return (previous.clone(), Bump::None),
        Some(c) if c.is_breaking() => Bump::Breaking,
        Some(Class::Compatible) => Bump::Compatible,
        Some(_) => Bump::Patch,
    };
    let v = |a, b, c| semver::Version::new(a, b, c);
    let next = match (bump, major, minor) {
        (Bump::Breaking, 0, 0) => v(0, 0, patch + 1),
        (Bump::Breaking, 0, _) => v(0, minor + 1, 0),
        (Bump::Breaking, _, _) => v(major + 1, 0, 0),
        (Bump::Compatible, 0, _) => v(0, minor, patch + 1),
        (Bump::Compatible, _, _) => v(major, minor + 1, 0),
        _ => v(major, minor, patch + 1),
    };
    // A pre-release (`1.0.0-rc.1`) already sorts below its release, which is then enough.
    let next = if !previous.pre.is_empty() && bump != Bump::Breaking {
        v(major, minor, patch)
    } else {
        next
    };
    (next, bump)
}

/// The crate version a report asks for, against the one the spec declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionCheck {
    /// `crate.version` at the base revision.
    pub previous: String,
    /// `crate.version` in the working tree.
    pub declared: String,
    /// The smallest version the changes allow.
    pub required: String,
    /// How far that is from the previous version.
    pub bump: Bump,
    /// Whether the declared version is at least the required one.
    pub ok: bool,
}

/// Whether an API is on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// On both sides: compared.
    Both,
    /// Only in the working tree.
    Added,
    /// Only at the base revision.
    Removed,
}

/// One API's part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ApiReport {
    /// The API's name.
    pub api: String,
    /// Whether it is on both sides.
    pub presence: Presence,
    /// Every change, sorted by group.
    pub changes: Vec<Change>,
    /// For each schema with a change, the actions that send or receive it.
    pub used_by: BTreeMap<String, Vec<String>>,
    /// The version rule, when the API is on both sides.
    pub version: Option<VersionCheck>,
}

impl ApiReport {
    /// The worst class among the changes.
    pub fn worst(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.class).max()
    }
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The base revision as given (`HEAD`, `main`).
    pub base: String,
    /// The commit it names.
    pub commit: String,
    /// Each API.
    pub apis: Vec<ApiReport>,
    /// Generator and template files that differ from the base: their effect on the crates is
    /// not classed by this report.
    pub generator_changed: Vec<String>,
}

impl Report {
    /// Whether every API declares at least the version its changes require.
    pub fn versions_ok(&self) -> bool {
        !self
            .apis
            .iter()
            .any(|a| a.version.as_ref().is_some_and(|v| !v.ok))
    }
}

fn parse_version(file: &str, text: &str) -> Result<semver::Version, DiffError> {
    semver::Version::parse(text).map_err(|e| DiffError::Version {
        file: file.to_string(),
        version: text.to_string(),
        message: e.to_string(),
    })
}

/// Compares two loaded sides of one API.
pub fn api_report(old: &Side, new: &Side) -> Result<ApiReport, DiffError> {
    let changes = crate::diff::compare(old, new);
    let file = format!("{}/api.yaml", new.spec.source);
    let previous = parse_version(&file, &old.spec.api.krate.version)?;
    let declared = parse_version(&file, &new.spec.api.krate.version)?;
    let worst = changes.iter().map(|c| c.class).max();
    let (required, bump) = required_version(&previous, worst);
    let used_new = crate::diff::used_by(&new.spec);
    let used_old = crate::diff::used_by(&old.spec);
    let mut used_by = BTreeMap::new();
    for c in &changes {
        if let Group::Schema { schema } = &c.group {
            if let Some(users) = used_new.get(schema).or_else(|| used_old.get(schema)) {
                used_by.insert(schema.clone(), users.clone());
            }
        }
    }
    Ok(ApiReport {
        api: new.spec.api.name.clone(),
        presence: Presence::Both,
        changes,
        used_by,
        version: Some(VersionCheck {
            previous: previous.to_string(),
            ok: declared >= required,
            declared: declared.to_string(),
            required: required.to_string(),
            bump,
        }),
    })
}

/// Compares every API (or those named) at `base` with the working tree of `workspace`.
pub fn build(workspace: &Path, base: &str, apis: &[String]) -> Result<Report, DiffError> {
    let commit = crate::git::resolve(workspace, base)?;
    let mut names = crate::git::apis_at(workspace, &commit)?;
    let now = crate::pipeline::list_apis(workspace).map_err(|e| DiffError::Io(e.to_string()))?;
    names.extend(now.iter().cloned());
    names.sort();
    names.dedup();
    for api in apis {
        if !names.contains(api) {
            return Err(DiffError::Io(format!(
                "spec/{api}: no such API at {base} or in the working tree; the APIs are: {}",
                names.join(", ")
            )));
        }
    }
    let mut out = Vec::new();
    for api in names {
        if !apis.is_empty() && !apis.contains(&api) {
            continue;
        }
        let dir = format!("spec/{api}");
        let files = crate::git::spec_at(workspace, &commit, &dir)?;
        let here = now.contains(&api);
        let presence = match (files.is_empty(), here) {
            (false, true) => Presence::Both,
            (true, _) => Presence::Added,
            (false, false) => Presence::Removed,
        };
        if presence != Presence::Both {
            out.push(ApiReport {
                api,
                presence,
                changes: Vec::new(),
                used_by: BTreeMap::new(),
                version: None,
            });
            continue;
        }
        // The two sides are read, checked and lowered on a core each.
        let (old, new) = std::thread::scope(|scope| {
            let old = scope.spawn(|| {
                Side::base(
                    crate::frontend::load_memory(&files, &dir),
                    Some(base.to_string()),
                )
            });
            let new = Side::new(crate::frontend::load(workspace, &dir), None);
            let old = old
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (old, new)
        });
        let old = old.map_err(|diags| DiffError::Spec {
            side: base.to_string(),
            diags,
        })?;
        let new = new.map_err(|diags| DiffError::Spec {
            side: "the working tree".to_string(),
            diags,
        })?;
        out.push(api_report(&old, &new)?);
    }
    let generator_changed =
        crate::git::changed_since(workspace, &commit, &["generator/src", "templates"])?;
    Ok(Report {
        base: base.to_string(),
        commit,
        apis: out,
        generator_changed,
    })
}

/// Terminal colours for the classes, or none.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Colours when `color` is true.
    pub fn new(color: bool) -> Self {
        Style { color }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn class(self, class: Class) -> String {
        let code = match class {
            Class::BreaksRust => "1;31",
            Class::BreaksRequests => "1;33",
            Class::Compatible => "32",
            Class::DocsOnly => "2",
        };
        self.paint(code, class.label())
    }
}

/// The report for people: per API the version rule, then the changes grouped by resource and
/// action (schemas last, with the actions that use them), each with its class and location.
pub fn human(report: &Report, style: Style) -> String {
    let mut out = String::new();
    for api in &report.apis {
        let head = style.paint("1", &format!("spec/{}", api.api));
        match api.presence {
            Presence::Added => {
                out.push_str(&format!(
                    "{head}: new since {}; no earlier version to compare with\n\n",
                    report.base
                ));
                continue;
            }
            Presence::Removed => {
                out.push_str(&format!(
                    "{head}: removed since {}; its crate is no longer generated\n\n",
                    report.base
                ));
                continue;
            }
            Presence::Both => {}
        }
        let n = api.changes.len();
        out.push_str(&format!(
            "{head}: {n} change{} since {}\n",
            if n == 1 { "" } else { "s" },
            report.base
        ));
        if let Some(v) = &api.version {
            let verdict = if v.ok {
                style.paint("32", "ok")
            } else {
                style.paint("1;31", "too low")
            };
            out.push_str(&format!(
                "  crate version: {} at {}, {} now; these changes require at least {} ({}): {verdict}\n",
                v.previous,
                report.base,
                v.declared,
                v.required,
                match v.bump {
                    Bump::None => "no change",
                    Bump::Patch => "a patch release",
                    Bump::Compatible => "a compatible release",
                    Bump::Breaking => "a breaking release",
                }
            ));
        }
        let mut group: Option<&Group> = None;
        for c in &api.changes {
            if group != Some(&c.group) {
                group = Some(&c.group);
                let mut title = c.group.title();
                if let Group::Schema { schema } = &c.group {
                    if let Some(users) = api.used_by.get(schema) {
                        title.push_str(&format!(" (used by {})", users_text(users)));
                    }
                }
                out.push_str(&format!("\n  {}\n", style.paint("1", &title)));
            }
            out.push_str(&format!(
                "    {}: {}  [{}]\n",
                style.class(c.class),
                what(c),
                c.at
            ));
            for r in c.rust.iter().filter(|r| **r != c.change) {
                out.push_str(&format!("        Rust: {r}\n"));
            }
            for w in &c.wire {
                out.push_str(&format!("        wire: {w}\n"));
            }
        }
        out.push('\n');
    }
    if !report.generator_changed.is_empty() {
        out.push_str(&format!(
            "The generator or templates also changed since {} ({} file{}); their effect on the \
             crates is not classed here (the fixture compile test and cargo-semver-checks cover \
             it).\n",
            report.base,
            report.generator_changed.len(),
            if report.generator_changed.len() == 1 {
                ""
            } else {
                "s"
            }
        ));
    }
    out
}

/// The item and what happened to it.
fn what(c: &Change) -> String {
    if c.subject.is_empty() {
        c.change.clone()
    } else {
        format!("{} {}", c.subject, c.change)
    }
}

fn users_text(users: &[String]) -> String {
    const SHOWN: usize = 4;
    if users.len() <= SHOWN {
        users.join(", ")
    } else {
        format!(
            "{} and {} more",
            users[..SHOWN].join(", "),
            users.len() - SHOWN
        )
    }
}

/// The report as JSON (pretty, with a trailing line break).
pub fn json(report: &Report) -> String {
    // Plain data of strings, numbers and lists: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// One line of a markdown list: no line break. The report's texts mark names and values as
/// code spans themselves; the names are checked spec names.
fn md(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// A new changelog section for one API: the declared version as its heading, then the
/// changes by class.
pub fn changelog_section(report: &Report, api: &ApiReport) -> String {
    let version = api
        .version
        .as_ref()
        .map_or("unreleased", |v| v.declared.as_str());
    let mut out = format!("## {version}\n\n");
    if api.changes.is_empty() {
        out.push_str(&format!(
            "No change to the spec since `{}`.\n",
            md(&report.base)
        ));
        return out;
    }
    out.push_str(&format!(
        "Changes to the spec since `{}`, by what they do to code using this crate.\n",
        md(&report.base)
    ));
    for class in [
        Class::BreaksRust,
        Class::BreaksRequests,
        Class::Compatible,
        Class::DocsOnly,
    ] {
        let changes: Vec<&Change> = api.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let title = match class {
            Class::BreaksRust => "Breaks Rust code",
            Class::BreaksRequests => "Breaks requests",
            Class::Compatible => "Compatible",
            Class::DocsOnly => "Documentation",
        };
        out.push_str(&format!("\n### {title}\n\n"));
        for c in changes {
            let mut line = format!("- {}: {}", c.group.title(), what(c));
            let rust: Vec<&String> = c.rust.iter().filter(|r| **r != c.change).collect();
            if !rust.is_empty() {
                line.push_str(&format!(
                    "; Rust: {}",
                    rust.iter()
                        .map(|r| r.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            if !c.wire.is_empty() {
                line.push_str(&format!("; wire: {}", c.wire.join("; ")));
            }
            out.push_str(&md(&line));
            out.push('\n');
        }
    }
    out
}

/// `existing` (a changelog, or nothing) with `section` in it: a section with the same heading
/// is replaced, otherwise the new one goes above the newest.
pub fn update_changelog(existing: Option<&str>, crate_name: &str, section: &str) -> String {
    let existing = match existing {
        Some(text) => text.replace("\r\n", "\n"),
        None => format!(
            "# Changelog\n\nChanges to the `{crate_name}` crate, written by `cargo xtask diff \
             --changelog` and edited by its maintainers.\n"
        ),
    };
    let heading = section.lines().next().unwrap_or_default();
    let lines: Vec<&str> = existing.lines().collect();
    let sections: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("## "))
        .map(|(i, _)| i)
        .collect();
    let same = sections.iter().position(|&i| lines[i] == heading);
    let (start, end) = match same {
        Some(k) => (
            sections[k],
            sections.get(k + 1).copied().unwrap_or(lines.len()),
        ),
        None => {
            let at = sections.first().copied().unwrap_or(lines.len());
            (at, at)
        }
    };
    let mut out = String::new();
    for l in &lines[..start] {
        out.push_str(l);
        out.push('\n');
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(section);
    if end < lines.len() {
        out.push('\n');
        for l in &lines[end..] {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// What `cargo xtask diff` was asked for.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// The base revision (`HEAD` when empty).
    pub base: String,
    /// Only these APIs (all when empty).
    pub apis: Vec<String>,
    /// Fail when a declared crate version is lower than required.
    pub check: bool,
    /// Write each API's changes as a section of `spec/<api>/CHANGELOG.md`.
    pub changelog: bool,
    /// Print JSON instead of text.
    pub json: bool,
    /// Colour the text.
    pub color: bool,
}

/// Runs `cargo xtask diff`: prints the report, writes changelogs if asked, and returns
/// whether it succeeded (with `check`, whether every crate version is high enough).
pub fn run(workspace: &Path, options: &DiffOptions) -> bool {
    let base = if options.base.is_empty() {
        "HEAD"
    } else {
        options.base.as_str()
    };
    let report = match build(workspace, base, &options.apis) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    if options.json {
        print!("{}", json(&report));
    } else {
        print!("{}", human(&report, Style::new(options.color)));
    }
    let mut ok = true;
    if options.changelog {
        for api in &report.apis {
            if api.presence == Presence::Removed {
                continue;
            }
            let rel = format!("spec/{}/CHANGELOG.md", api.api);
            let path = workspace.join(&rel);
            let existing = match std::fs::read_to_string(&path) {
                Ok(t) => Some(t),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => {
                    eprintln!("error: cannot read {rel}: {e}");
                    ok = false;
                    continue;
                }
            };
            let crate_name = crate::pipeline::load_checked(workspace, &format!("spec/{}", api.api))
                .map(|s| s.api.krate.name)
                .unwrap_or_else(|_| api.api.clone());
            let text = update_changelog(
                existing.as_deref(),
                &crate_name,
                &changelog_section(&report, api),
            );
            if existing.as_deref() == Some(text.as_str()) {
                eprintln!("{rel}: already current");
                continue;
            }
            match std::fs::write(&path, text) {
                Ok(()) => eprintln!("wrote {rel}"),
                Err(e) => {
                    eprintln!("error: cannot write {rel}: {e}");
                    ok = false;
                }
            }
        }
    }
    if options.check && !report.versions_ok() {
        for api in &report.apis {
            if let Some(v) = api.version.as_ref().filter(|v| !v.ok) {
                eprintln!(
                    "error: spec/{}/api.yaml: crate version {} is lower than the {} these \
                     changes require; set `crate.version` to {} or higher",
                    api.api, v.declared, v.required, v.required
                );
            }
        }
        ok = false;
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> semver::Version {
        semver::Version::parse(text).unwrap()
    }

    #[test]
    fn required_versions_follow_cargo_semver() {
        let cases = [
            ("0.1.0", Some(Class::BreaksRust), "0.2.0", Bump::Breaking),
            (
                "0.1.3",
                Some(Class::BreaksRequests),
                "0.2.0",
                Bump::Breaking,
            ),
            ("0.1.3", Some(Class::Compatible), "0.1.4", Bump::Compatible),
            ("0.1.3", Some(Class::DocsOnly), "0.1.4", Bump::Patch),
            ("0.0.4", Some(Class::BreaksRust), "0.0.5", Bump::Breaking),
            ("1.2.3", Some(Class::BreaksRust), "2.0.0", Bump::Breaking),
            ("1.2.3", Some(Class::Compatible), "1.3.0", Bump::Compatible),
            ("1.2.3", Some(Class::DocsOnly), "1.2.4", Bump::Patch),
            ("1.2.3", None, "1.2.3", Bump::None),
            (
                "2.0.0-rc.1",
                Some(Class::Compatible),
                "2.0.0",
                Bump::Compatible,
            ),
        ];
        for (previous, worst, required, bump) in cases {
            let (got, got_bump) = required_version(&v(previous), worst);
            assert_eq!((got.to_string(), got_bump), (required.to_string(), bump));
        }
    }

    #[test]
    fn a_changelog_section_replaces_its_own_version_and_goes_above_older_ones() {
        let first = update_changelog(None, "shop-sdk", "## 0.2.0\n\nA.\n");
        assert!(first.starts_with("# Changelog\n\n"));
        assert!(first.ends_with("\n\n## 0.2.0\n\nA.\n"), "{first}");
        let again = update_changelog(Some(&first), "shop-sdk", "## 0.2.0\n\nB.\n");
        assert!(
            again.ends_with("## 0.2.0\n\nB.\n") && !again.contains("A."),
            "{again}"
        );
        let newer = update_changelog(Some(&again), "shop-sdk", "## 0.3.0\n\nC.\n");
        let (c, b) = (
            newer.find("## 0.3.0").unwrap(),
            newer.find("## 0.2.0").unwrap(),
        );
        assert!(c < b, "{newer}");
        assert_eq!(
            update_changelog(Some(&newer), "x", "## 0.3.0\n\nC.\n"),
            newer
        );
    }
}
