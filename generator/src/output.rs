//! The generated output as an in-memory file set, and its two consumers: writing it to disk
//! (only what changed, atomically per file) and checking it against the disk (a drift report).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Generated files: workspace-relative path (with `/`) to bytes. Ordered, so every walk over
/// it is deterministic.
pub type FileSet = BTreeMap<String, Vec<u8>>;

/// What `write` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files that did not exist.
    pub created: Vec<String>,
    /// Files whose bytes changed.
    pub updated: Vec<String>,
    /// Files the generator no longer produces.
    pub removed: Vec<String>,
    /// Files left as they were.
    pub unchanged: usize,
}

/// Lists every file under `<workspace>/<dir>`, workspace-relative, skipping `target/` folders.
pub fn existing_files(workspace: &Path, dir: &str) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let root = workspace.join(dir);
    if !root.exists() {
        return Ok(out);
    }
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else {
                let rel = path
                    .strip_prefix(workspace)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(rel);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes `files` under `workspace`; `owned` are the folders the generator owns
/// (`generated/<api>`): files in them that `files` does not hold are removed, nothing outside
/// them is ever touched. Unchanged files are not rewritten, so their mtime stays.
pub fn write(workspace: &Path, files: &FileSet, owned: &[String]) -> std::io::Result<WriteReport> {
    let mut report = WriteReport::default();
    for (rel, bytes) in files {
        if !owned.iter().any(|o| rel.starts_with(&format!("{o}/"))) {
            return Err(std::io::Error::other(format!(
                "refusing to write `{rel}` outside the generated folders"
            )));
        }
        let path = workspace.join(rel);
        match std::fs::read(&path) {
            Ok(old) if &old == bytes => {
                report.unchanged += 1;
                continue;
            }
            Ok(_) => report.updated.push(rel.clone()),
            Err(_) => report.created.push(rel.clone()),
        }
        write_atomic(&path, bytes)?;
    }
    for dir in owned {
        for rel in existing_files(workspace, dir)? {
            if !files.contains_key(&rel) {
                std::fs::remove_file(workspace.join(&rel))?;
                report.removed.push(rel);
            }
        }
        remove_empty_dirs(&workspace.join(dir))?;
    }
    Ok(report)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.sdkgen-tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn remove_empty_dirs(dir: &Path) -> std::io::Result<bool> {
    if !dir.is_dir() {
        return Ok(false);
    }
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            if entry.file_name() == "target" || !remove_empty_dirs(&entry.path())? {
                empty = false;
            }
        } else {
            empty = false;
        }
    }
    if empty {
        std::fs::remove_dir(dir)?;
    }
    Ok(empty)
}

/// The difference between a file set and the disk.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Drift {
    /// (path, unified diff) for files whose bytes differ.
    pub stale: Vec<(String, String)>,
    /// Files the generator produces that are not on disk.
    pub missing: Vec<String>,
    /// Files on disk in an owned folder that the generator does not produce.
    pub unexpected: Vec<String>,
}

impl Drift {
    /// Whether the disk matches.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.unexpected.is_empty()
    }

    /// A readable report, ending with the command that fixes it.
    pub fn report(&self, fix: &str) -> String {
        let mut out = String::new();
        for (path, diff) in &self.stale {
            let _ = writeln!(out, "stale: {path}\n{diff}");
        }
        for path in &self.missing {
            let _ = writeln!(out, "missing: {path}");
        }
        for path in &self.unexpected {
            let _ = writeln!(
                out,
                "unexpected: {path} (the generator does not produce it)"
            );
        }
        let _ = writeln!(
            out,
            "{} stale, {} missing, {} unexpected. Run `{fix}` to bring generated/ up to date.",
            self.stale.len(),
            self.missing.len(),
            self.unexpected.len()
        );
        out
    }
}

/// Most diff lines shown per stale file.
pub const MAX_DIFF_LINES: usize = 80;

/// Compares `files` with the disk within the `owned` folders.
pub fn check(workspace: &Path, files: &FileSet, owned: &[String]) -> std::io::Result<Drift> {
    let mut drift = Drift::default();
    for (rel, bytes) in files {
        match std::fs::read(workspace.join(rel)) {
            Ok(old) if &old == bytes => {}
            Ok(old) => drift
                .stale
                .push((rel.clone(), unified_diff(rel, &old, bytes))),
            Err(_) => drift.missing.push(rel.clone()),
        }
    }
    for dir in owned {
        for rel in existing_files(workspace, dir)? {
            if !files.contains_key(&rel) {
                drift.unexpected.push(rel);
            }
        }
    }
    Ok(drift)
}

/// A unified diff from the file on disk to the generated one, capped at `MAX_DIFF_LINES`.
pub fn unified_diff(path: &str, old: &[u8], new: &[u8]) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= MAX_DIFF_LINES {
        return text;
    }
    let mut out = lines[..MAX_DIFF_LINES].join("\n");
    let _ = write!(
        out,
        "\n... {} more diff lines not shown",
        lines.len() - MAX_DIFF_LINES
    );
    out
}
