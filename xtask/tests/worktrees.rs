//! One xtask binary serves every checkout that shares its target folder (git worktrees with a
//! global `CARGO_TARGET_DIR`, a CI cache): `cargo xtask check` must check the worktree it runs
//! in, never the one the binary was built from.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository these tests are built from: only a source of files to copy.
fn source() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Copies a file or folder, leaving out `target/` folders.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != "target" {
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        }
    } else {
        std::fs::copy(from, to).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
}

/// Runs git in `dir` with an identity and no user or system configuration (CI has none).
fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=xtask test",
            "-c",
            "user.email=xtask-test@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs the one xtask binary under test in `cwd`, with the run-time `CARGO_MANIFEST_DIR`
/// that `cargo run` would set (or none), and a target folder shared by every run.
fn xtask(cwd: &Path, manifest_dir: Option<&Path>, target: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xtask"));
    cmd.args(args)
        .current_dir(cwd)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_MANIFEST_DIR");
    if let Some(dir) = manifest_dir {
        cmd.env("CARGO_MANIFEST_DIR", dir);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn check_looks_at_the_worktree_it_runs_in() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, target) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("target"),
    );
    // What `cargo locate-project` needs (the workspace's manifests and their targets) and
    // what the generator reads and checks.
    for part in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo",
        ".gitignore",
        "spec",
        "templates",
        "generated",
        "generator/Cargo.toml",
        "generator/src",
        "xtask/Cargo.toml",
        "xtask/src",
    ] {
        let to = a.join(part);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        copy(&source().join(part), &to);
    }
    git(&a, &["init", "-q"]);
    git(&a, &["add", "-A"]);
    git(&a, &["commit", "-q", "-m", "a copy of the workspace"]);
    git(&a, &["worktree", "add", "-q", b.to_str().unwrap()]);
    // B's generated/ goes stale; A's stays current.
    let readme = b.join("generated/mist/README.md");
    let mut stale = std::fs::read_to_string(&readme).unwrap();
    stale.push_str("a hand edit\n");
    std::fs::write(&readme, stale).unwrap();

    // As `cargo xtask check` runs it: CARGO_MANIFEST_DIR names the worktree's xtask folder.
    let out = xtask(&b, Some(&b.join("xtask")), &target, &["check"]);
    assert!(!out.status.success(), "B is stale:\n{}", text(&out));
    assert!(
        text(&out).contains("stale: generated/mist/README.md"),
        "{}",
        text(&out)
    );
    let out = xtask(&a, Some(&a.join("xtask")), &target, &["check"]);
    assert!(out.status.success(), "A is current:\n{}", text(&out));

    // Run directly, from anywhere inside a worktree: cargo locates the workspace.
    let out = xtask(&b.join("generated/mist"), None, &target, &["check"]);
    assert!(!out.status.success(), "B is stale:\n{}", text(&out));
    assert!(
        text(&out).contains("stale: generated/mist/README.md"),
        "{}",
        text(&out)
    );
    let out = xtask(&a.join("spec"), None, &target, &["check"]);
    assert!(out.status.success(), "A is current:\n{}", text(&out));
}

#[test]
fn no_workspace_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target");
    let out = xtask(tmp.path(), None, &target, &["check"]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("cannot find the workspace"),
        "{}",
        text(&out)
    );
    let out = xtask(
        tmp.path(),
        Some(&tmp.path().join("xtask")),
        &target,
        &["check"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("whose parent holds no Cargo.toml"),
        "{}",
        text(&out)
    );
}
