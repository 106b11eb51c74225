//! The generated output as an in-memory file set, and its two consumers: writing it to disk
//! (only what changed, atomically per file) and checking it against the disk (a drift report).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use crate::files::EntryKind;

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

impl WriteReport {
    /// One line per file written or removed (`created <path>`, ...).
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.created
            .iter()
            .map(|f| format!("created {f}"))
            .chain(self.updated.iter().map(|f| format!("updated {f}")))
            .chain(self.removed.iter().map(|f| format!("removed {f}")))
    }

    /// `N created, N updated, N removed, N unchanged`.
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} updated, {} removed, {} unchanged",
            self.created.len(),
            self.updated.len(),
            self.removed.len(),
            self.unchanged
        )
    }

    /// Whether any file was written or removed.
    pub fn changed(&self) -> bool {
        !(self.created.is_empty() && self.updated.is_empty() && self.removed.is_empty())
    }
}

/// Why `write` or `check` could not do its work. `write` decides this before its first write, so
/// when it fails this way nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Entries stand in the way (links, special files, a file where a folder must be): they are
    /// listed, and nothing was written.
    #[error("{}", blocked_message(.0))]
    Blocked(Vec<Obstacle>),
    /// A generated path is not inside a folder the generator owns.
    #[error("refusing to write `{0}`: it is not inside a folder the generator owns")]
    Outside(String),
    /// The file system failed.
    #[error("`{path}`: {source}")]
    Io {
        /// The workspace-relative path.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
}

fn blocked_message(obstacles: &[Obstacle]) -> String {
    let mut out =
        String::from("entries under the generated folders stand in the way; nothing was written:");
    for o in obstacles {
        let _ = write!(out, "\n  {o}");
    }
    out.push_str("\nremove them, then run the command again.");
    out
}

fn io_error(path: &str) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_string(),
        source,
    }
}

/// An entry under a generated folder that the generator will not touch or go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Obstacle {
    /// Workspace-relative path.
    pub path: String,
    /// What is there (its own kind: a link is not followed to find it).
    pub found: EntryKind,
}

impl std::fmt::Display for Obstacle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = &self.path;
        match self.found {
            EntryKind::File => write!(f, "`{path}` is a regular file where a folder must be"),
            EntryKind::Folder => write!(f, "`{path}` is a folder where a generated file goes"),
            kind => write!(
                f,
                "`{path}` is {}; the generator never follows, writes or deletes through links \
                 or special files under its folders",
                kind.describe()
            ),
        }
    }
}

/// What is on disk under the generated folders, found without following any link.
#[derive(Debug, Default)]
struct Survey {
    /// Regular files, workspace-relative.
    files: BTreeSet<String>,
    /// Real folders.
    folders: BTreeSet<String>,
    /// `target/` folders: not walked, not managed.
    skipped: BTreeSet<String>,
    /// Links and special files.
    special: Vec<Obstacle>,
}

impl Survey {
    /// Walks the top-level folders (`generated`) of the `owned` folders, whole.
    fn of_owned(workspace: &Path, owned: &[String]) -> Result<Survey, OutputError> {
        let mut tops = BTreeSet::new();
        for dir in owned {
            let parts = components(dir).ok_or_else(|| OutputError::Outside(dir.clone()))?;
            tops.insert(parts[0].to_string());
        }
        let mut survey = Survey::default();
        for top in tops {
            survey.add(workspace, &top)?;
        }
        Ok(survey)
    }

    /// Adds the folder `dir` (workspace-relative) and everything under it. The folders on the
    /// way to it must be real folders; whatever else stands there is recorded.
    fn add(&mut self, workspace: &Path, dir: &str) -> Result<(), OutputError> {
        let parts = components(dir).ok_or_else(|| OutputError::Outside(dir.to_string()))?;
        let mut rel = String::new();
        for part in parts {
            if !rel.is_empty() {
                rel.push('/');
            }
            rel.push_str(part);
            match EntryKind::of_path(&workspace.join(&rel)).map_err(io_error(&rel))? {
                None => return Ok(()),
                Some(EntryKind::Folder) => {
                    self.folders.insert(rel.clone());
                }
                // A regular file where a folder must be is in the way like a link.
                Some(found) => {
                    self.special.push(Obstacle { path: rel, found });
                    return Ok(());
                }
            }
        }
        self.walk(workspace, dir)
    }

    fn walk(&mut self, workspace: &Path, dir: &str) -> Result<(), OutputError> {
        let entries = std::fs::read_dir(workspace.join(dir)).map_err(io_error(dir))?;
        for entry in entries {
            let entry = entry.map_err(io_error(dir))?;
            let rel = format!("{dir}/{}", entry.file_name().to_string_lossy());
            // The entry's own type: a link is reported, never followed.
            let kind = EntryKind::of(&entry.file_type().map_err(io_error(&rel))?);
            match kind {
                EntryKind::Folder if entry.file_name() == "target" => {
                    self.skipped.insert(rel);
                }
                EntryKind::Folder => {
                    self.folders.insert(rel.clone());
                    self.walk(workspace, &rel)?;
                }
                EntryKind::File => {
                    self.files.insert(rel);
                }
                found => self.special.push(Obstacle { path: rel, found }),
            }
        }
        Ok(())
    }

    /// Where a generated file stands: on disk, not yet, or behind an obstacle (which is
    /// recorded in `blocked` unless it is one of the special entries already listed).
    fn target(&self, rel: &str, blocked: &mut Vec<Obstacle>) -> Result<Target, OutputError> {
        let parts = components(rel).ok_or_else(|| OutputError::Outside(rel.to_string()))?;
        let mut prefix = String::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                prefix.push('/');
            }
            prefix.push_str(part);
            let last = i + 1 == parts.len();
            if self.special.iter().any(|o| o.path == prefix) {
                return Ok(Target::Blocked);
            }
            if self.skipped.contains(&prefix) {
                return Err(OutputError::Outside(rel.to_string()));
            }
            match (
                last,
                self.files.contains(&prefix),
                self.folders.contains(&prefix),
            ) {
                (true, true, _) => return Ok(Target::File),
                (true, _, true) | (false, true, _) => {
                    let found = if last {
                        EntryKind::Folder
                    } else {
                        EntryKind::File
                    };
                    if !blocked.iter().any(|o| o.path == prefix) {
                        blocked.push(Obstacle {
                            path: prefix,
                            found,
                        });
                    }
                    return Ok(Target::Blocked);
                }
                (false, false, true) => {}
                // Nothing there: neither is anything below it.
                _ => return Ok(Target::Absent),
            }
        }
        Ok(Target::Absent)
    }
}

/// Where a generated file stands on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A regular file is there.
    File,
    /// Nothing is there (folders on the way are real folders or missing).
    Absent,
    /// A link, special file or wrong kind of entry is on the way.
    Blocked,
}

/// The normal components of a workspace-relative path (`None` for `..`, `.`, roots and empty
/// parts).
fn components(rel: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = rel.split('/').collect();
    parts
        .iter()
        .all(|p| !p.is_empty() && *p != "." && *p != ".." && !p.contains('\\'))
        .then_some(parts)
}

/// Whether `rel` lies inside one of the `owned` folders.
fn is_owned(rel: &str, owned: &[String]) -> bool {
    owned.iter().any(|o| {
        rel.strip_prefix(o.as_str())
            .is_some_and(|r| r.starts_with('/'))
    })
}

/// What a run would do, decided from the disk before anything is written.
struct Plan {
    survey: Survey,
    /// Entries that stand in the way: the links and special files, then wrong kinds.
    obstacles: Vec<Obstacle>,
    /// For each file of the set, in its order.
    targets: Vec<Target>,
}

impl Plan {
    fn new(workspace: &Path, files: &FileSet, owned: &[String]) -> Result<Plan, OutputError> {
        for rel in files.keys() {
            if !is_owned(rel, owned) || components(rel).is_none() {
                return Err(OutputError::Outside(rel.clone()));
            }
        }
        let survey = Survey::of_owned(workspace, owned)?;
        let mut wrong_kind = Vec::new();
        let targets = files
            .keys()
            .map(|rel| survey.target(rel, &mut wrong_kind))
            .collect::<Result<Vec<_>, _>>()?;
        let mut obstacles = survey.special.clone();
        obstacles.extend(wrong_kind);
        obstacles.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Plan {
            survey,
            obstacles,
            targets,
        })
    }

    /// Files on disk in the owned folders that the set does not hold.
    fn extra<'a>(&'a self, files: &'a FileSet, owned: &'a [String]) -> Vec<String> {
        self.survey
            .files
            .iter()
            .filter(|rel| is_owned(rel, owned) && !files.contains_key(*rel))
            .cloned()
            .collect()
    }
}

/// Lists every regular file under `<workspace>/<dir>`, workspace-relative and sorted, skipping
/// `target/` folders. No link is followed: a link or special file on the way fails the listing
/// with its path.
pub fn existing_files(workspace: &Path, dir: &str) -> Result<Vec<String>, OutputError> {
    let mut survey = Survey::default();
    survey.add(workspace, dir)?;
    if let Some(o) = survey.special.first() {
        return Err(OutputError::Blocked(vec![o.clone()]));
    }
    let prefix = format!("{dir}/");
    Ok(survey
        .files
        .into_iter()
        .filter(|f| f.starts_with(&prefix))
        .collect())
}

/// Writes `files` under `workspace`; `owned` are the folders the generator owns
/// (`generated/<api>`): files in them that `files` does not hold are removed, nothing outside
/// them is ever touched. Unchanged files are not rewritten, so their mtime stays.
///
/// The whole top folder (`generated/`) and every path to be written are looked at first,
/// without following links: a symbolic link, named pipe, socket or device anywhere in it, or
/// an entry of the wrong kind on the way to a file, fails the run before anything is written
/// ([`OutputError::Blocked`]). So nothing is ever written, read or deleted through a link.
pub fn write(
    workspace: &Path,
    files: &FileSet,
    owned: &[String],
) -> Result<WriteReport, OutputError> {
    let plan = Plan::new(workspace, files, owned)?;
    if !plan.obstacles.is_empty() {
        return Err(OutputError::Blocked(plan.obstacles));
    }
    let extra = plan.extra(files, owned);
    let mut report = WriteReport::default();
    for ((rel, bytes), target) in files.iter().zip(&plan.targets) {
        let path = workspace.join(rel);
        if *target == Target::File {
            if read_regular(&path).map_err(io_error(rel))? == *bytes {
                report.unchanged += 1;
                continue;
            }
            report.updated.push(rel.clone());
        } else {
            report.created.push(rel.clone());
        }
        write_atomic(&path, bytes).map_err(io_error(rel))?;
    }
    for rel in extra {
        std::fs::remove_file(workspace.join(&rel)).map_err(io_error(&rel))?;
        report.removed.push(rel);
    }
    for dir in owned {
        remove_empty_dirs(&workspace.join(dir)).map_err(io_error(dir))?;
    }
    Ok(report)
}

/// Reads a file the survey found regular, checking again from the opened handle.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    if EntryKind::of_path(path)? != Some(EntryKind::File) {
        return Err(std::io::Error::other(
            "changed while generating: no longer a regular file",
        ));
    }
    let mut file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "changed while generating: no longer a regular file",
        ));
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Writes a sibling temporary file and renames it over `path`. The temporary is created new
/// (`O_EXCL`), so an entry planted under its name is never written through; the rename
/// replaces `path` itself, never what it might point to.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.sdkgen-tmp"));
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
    };
    let mut file = match create() {
        // A leftover of an interrupted run (the survey found it a regular file).
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(&tmp)?;
            create()?
        }
        other => other?,
    };
    let written = file.write_all(bytes);
    drop(file);
    written
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// Removes the empty folders under `dir` (and `dir` when it ends up empty); `target/` folders
/// and anything that is not a real folder are left alone.
fn remove_empty_dirs(dir: &Path) -> std::io::Result<bool> {
    if EntryKind::of_path(dir)? != Some(EntryKind::Folder) {
        return Ok(false);
    }
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let is_folder = EntryKind::of(&entry.file_type()?) == EntryKind::Folder;
        if !is_folder || entry.file_name() == "target" || !remove_empty_dirs(&entry.path())? {
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
    /// Links, special files and entries of the wrong kind under the generated folders; the
    /// files behind them are not compared, and `generate` refuses to run until they are gone.
    pub blocked: Vec<Obstacle>,
}

impl Drift {
    /// Whether the disk matches.
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty()
            && self.missing.is_empty()
            && self.unexpected.is_empty()
            && self.blocked.is_empty()
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
        for obstacle in &self.blocked {
            let _ = writeln!(out, "blocked: {obstacle}");
        }
        let _ = write!(
            out,
            "{} stale, {} missing, {} unexpected",
            self.stale.len(),
            self.missing.len(),
            self.unexpected.len()
        );
        if self.blocked.is_empty() {
            let _ = writeln!(out, ". Run `{fix}` to bring generated/ up to date.");
        } else {
            let _ = writeln!(
                out,
                ", {} blocked. Remove the blocked entries, then run `{fix}` to bring generated/ \
                 up to date.",
                self.blocked.len()
            );
        }
        out
    }
}

/// Most diff lines shown per stale file.
pub const MAX_DIFF_LINES: usize = 80;

/// Compares `files` with the disk within the `owned` folders. Nothing is followed or read
/// through a link: links, special files and entries of the wrong kind are reported as
/// [`Drift::blocked`], and the files behind them are not compared.
pub fn check(workspace: &Path, files: &FileSet, owned: &[String]) -> Result<Drift, OutputError> {
    let plan = Plan::new(workspace, files, owned)?;
    let mut drift = Drift {
        unexpected: plan.extra(files, owned),
        ..Drift::default()
    };
    for ((rel, bytes), target) in files.iter().zip(&plan.targets) {
        match target {
            Target::File => {
                let old = read_regular(&workspace.join(rel)).map_err(io_error(rel))?;
                if old != *bytes {
                    drift
                        .stale
                        .push((rel.clone(), unified_diff(rel, &old, bytes)));
                }
            }
            Target::Absent => drift.missing.push(rel.clone()),
            Target::Blocked => {}
        }
    }
    drift.blocked = plan.obstacles;
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
