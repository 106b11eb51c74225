//! A spec folder as it was at a git revision, read with `git ls-tree` and `git cat-file`
//! (no checkout, the working tree is not touched), and which other folders changed since.

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::load::MemoryFiles;

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// git could not be started.
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
    /// git refused (an unknown revision, not a repository).
    #[error("`git {command}` failed: {message}")]
    Failed {
        /// The git command line, after `git`.
        command: String,
        /// What git said.
        message: String,
    },
    /// git answered something this reader does not understand.
    #[error("unexpected output from `git {0}`")]
    Output(String),
}

fn git(workspace: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(workspace)
        .args(args)
        .output()
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            command: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
}

/// The commit a revision names (`HEAD`, `main`, `origin/main~3`), checked to exist.
pub fn resolve(workspace: &Path, rev: &str) -> Result<String, GitError> {
    // `--end-of-options` keeps a revision that starts with `-` from being read as an option.
    let out = git(
        workspace,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| match e {
        GitError::Failed { command, .. } => GitError::Failed {
            command,
            message: format!("`{rev}` names no commit"),
        },
        other => other,
    })?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// The files under `folder` (workspace-relative, e.g. `spec`) at `commit`, workspace-relative.
fn files_at(workspace: &Path, commit: &str, folder: &str) -> Result<Vec<String>, GitError> {
    let out = git(
        workspace,
        &["ls-tree", "-r", "-z", "--name-only", commit, "--", folder],
    )?;
    Ok(out
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect())
}

/// The API folders of `spec/` at `commit`, sorted.
pub fn apis_at(workspace: &Path, commit: &str) -> Result<Vec<String>, GitError> {
    let mut apis: Vec<String> = files_at(workspace, commit, "spec")?
        .iter()
        .filter_map(|f| {
            let rest = f.strip_prefix("spec/")?;
            let (api, _) = rest.split_once('/')?;
            Some(api.to_string())
        })
        .collect();
    apis.dedup();
    Ok(apis)
}

/// Every file of `spec_dir` (`spec/losant`) at `commit`, keyed by workspace-relative path;
/// empty when the folder did not exist there. The blobs are read in one `git cat-file --batch`.
pub fn spec_at(workspace: &Path, commit: &str, spec_dir: &str) -> Result<MemoryFiles, GitError> {
    let names = files_at(workspace, commit, &format!("{spec_dir}/"))?;
    let mut files = MemoryFiles::new();
    if names.is_empty() {
        return Ok(files);
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(workspace)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::Spawn)?;
    let mut request = String::new();
    for name in &names {
        // `./` makes the path relative to `-C`, where the workspace may be below the top.
        request.push_str(&format!("{commit}:./{name}\n"));
    }
    // A writer thread: git answers while it reads, and a full pipe would otherwise stall both.
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| GitError::Output("cat-file".into()))?;
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let out = child.wait_with_output().map_err(GitError::Spawn)?;
    writer
        .join()
        .map_err(|_| GitError::Output("cat-file".into()))?
        .map_err(GitError::Spawn)?;
    if !out.status.success() {
        return Err(GitError::Failed {
            command: "cat-file --batch".into(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    let mut rest = out.stdout.as_slice();
    for name in names {
        let bad = || GitError::Output("cat-file --batch".into());
        let end = rest.iter().position(|b| *b == b'\n').ok_or_else(bad)?;
        let header = String::from_utf8_lossy(&rest[..end]).into_owned();
        let mut parts = header.split(' ');
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        if kind != Some("blob") {
            return Err(GitError::Output(format!(
                "cat-file --batch (for {name}: {header})"
            )));
        }
        let size: usize = size.and_then(|s| s.parse().ok()).ok_or_else(bad)?;
        let body = rest.get(end + 1..end + 1 + size).ok_or_else(bad)?;
        files.insert(name, body.to_vec());
        rest = rest.get(end + 2 + size..).ok_or_else(bad)?;
    }
    Ok(files)
}

/// The files under `folders` that differ between `commit` and the working tree (committed or
/// not), sorted.
pub fn changed_since(
    workspace: &Path,
    commit: &str,
    folders: &[&str],
) -> Result<Vec<String>, GitError> {
    let mut args = vec!["diff", "--relative", "--name-only", "-z", commit, "--"];
    args.extend(folders);
    let out = git(workspace, &args)?;
    let mut names: Vec<String> = out
        .split(|b| *b == 0)
        .filter(|name| !name.is_empty())
        .map(|name| String::from_utf8_lossy(name).into_owned())
        .collect();
    names.sort();
    Ok(names)
}
