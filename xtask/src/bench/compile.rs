//! `cargo xtask bench --cargo-check`: what a generated crate costs the team that builds it.
//!
//! The synthetic crate of `--check-actions` actions (1,000 by default) is generated twice: by
//! this generator, and by the generator of a base revision (`--base`, default `HEAD~1`), built
//! once per commit into `target/sdkgen/bench-base/` and reused. Both crates are checked in
//! one target folder whose dependencies a small crate of each side built first (not timed),
//! then alternately, `--check-runs` times each, with `cargo check --lib` and
//! `CARGO_INCREMENTAL=0`. Each run's wall time and peak memory (the largest resident set of
//! cargo and the rustc it waited for, from `wait4`) are recorded; the table shows medians.
//! Also: lines of `src/` per action, and the check of this side's crate with only one
//! resource's feature on.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// What `--cargo-check` is asked to do.
pub struct Options<'a> {
    /// The revision to compare with.
    pub base: &'a str,
    /// Timed runs per crate.
    pub runs: usize,
    /// Actions of the synthetic crate.
    pub actions: usize,
    /// The repository's generated crates to time beside the synthetic one: `(folder under
    /// generated/, the resource whose feature alone is also timed)`.
    pub vendor: &'a [(String, String)],
}

/// A generated crate of the repository, timed in the same runs as the synthetic crate.
struct Vendor {
    folder: String,
    resource: String,
    /// The features of a build with only `resource`.
    features: Vec<String>,
    all: Vec<Measure>,
    one: Vec<Measure>,
}

/// One side of the comparison: a synthetic workspace and what it generated.
struct Side {
    label: String,
    dir: PathBuf,
    /// Lines of `src/**/*.rs`.
    src_lines: usize,
    /// Features to check the one-resource build with, if the crate has resource features.
    one_resource: Option<(String, Vec<String>)>,
    runs: Vec<Measure>,
}

#[derive(Clone, Copy)]
struct Measure {
    wall: Duration,
    /// User and system time of cargo and the rustc it waited for: less disturbed than wall
    /// time by other work on a shared machine.
    cpu: Duration,
    peak_kib: u64,
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Runs the compile-time benchmark and prints its table.
pub fn run(root: &Path, opts: &Options<'_>) -> Result<()> {
    let base_rev = git(
        root,
        &[
            "rev-parse",
            "--verify",
            &format!("{}^{{commit}}", opts.base),
        ],
    )
    .with_context(|| format!("--base {}: not a commit", opts.base))?;
    let short = &base_rev[..base_rev.len().min(10)];
    eprintln!(
        "xtask bench: building the generator at {} ({short}) ...",
        opts.base
    );
    let base_xtask = base_generator(root, &base_rev)?;

    let tmp = tempfile::tempdir()?;
    // Kept between runs: the dependencies are built once.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("sdkgen/bench-check");
    let mut sides = Vec::new();
    for (label, generator) in [
        (
            format!("base {} ({short})", opts.base),
            Some(base_xtask.as_path()),
        ),
        ("this tree".to_string(), None),
    ] {
        let name = if generator.is_some() { "base" } else { "head" };
        // A 10-action crate of the same generator builds the dependencies (not timed).
        let warm = tmp.path().join(format!("{name}-warm"));
        workspace(root, &warm, 10, generator)?;
        eprintln!("xtask bench: building the dependencies of the {label} crate (not timed) ...");
        let m = check(&warm, &target, &[])?;
        if !m.0 {
            bail!("cargo check of the 10-action crate of the {label} generator failed");
        }
        let dir = tmp.path().join(name);
        workspace(root, &dir, opts.actions, generator)?;
        let src_lines = count_lines(&dir.join("generated/bench/src"))?;
        let one_resource = one_resource_features(&dir.join("generated/bench/Cargo.toml"))?;
        if let Some((_, features)) = &one_resource {
            // The one-resource build resolves the dependencies' features anew: build them.
            let m = check(&warm, &target, features)?;
            if !m.0 {
                bail!("cargo check of the 10-action crate with {features:?} failed");
            }
        }
        sides.push(Side {
            label,
            dir,
            src_lines,
            one_resource,
            runs: Vec::new(),
        });
    }

    let mut vendors = Vec::new();
    for (folder, resource) in opts.vendor {
        let dir = root.join("generated").join(folder);
        let Some((_, features)) = resource_features(&dir.join("Cargo.toml"), Some(resource))?
        else {
            bail!("generated/{folder} has no resource feature `{resource}`");
        };
        // Its dependencies' features differ from the synthetic crate's: built once, not timed.
        eprintln!("xtask bench: building generated/{folder} once (not timed) ...");
        for f in [&[][..], &features[..]] {
            if !check(&dir, &target, f)?.0 {
                bail!("cargo check of generated/{folder} failed");
            }
        }
        vendors.push(Vendor {
            folder: folder.clone(),
            resource: resource.clone(),
            features,
            all: Vec::new(),
            one: Vec::new(),
        });
    }

    for run in 0..opts.runs.max(1) {
        for v in &mut vendors {
            let dir = root.join("generated").join(&v.folder);
            eprintln!(
                "xtask bench: cargo check of generated/{}, run {} of {} ...",
                v.folder,
                run + 1,
                opts.runs
            );
            for (features, into) in [(&[][..], &mut v.all), (&v.features[..], &mut v.one)] {
                touch(&dir.join("src/lib.rs"))?;
                let (ok, m) = check(&dir, &target, features)?;
                if !ok {
                    bail!("cargo check of generated/{} failed", v.folder);
                }
                into.push(m);
            }
        }
        for side in &mut sides {
            eprintln!(
                "xtask bench: cargo check of the {} crate, run {} of {} ...",
                side.label,
                run + 1,
                opts.runs
            );
            touch(&side.dir.join("generated/bench/src/lib.rs"))?;
            let (ok, m) = check(&side.dir, &target, &[])?;
            if !ok {
                bail!("cargo check of the {} crate failed", side.label);
            }
            side.runs.push(m);
        }
    }
    let mut one = Vec::new();
    if let Some(side) = sides.last() {
        if let Some((resource, features)) = &side.one_resource {
            for _ in 0..opts.runs.max(1) {
                touch(&side.dir.join("generated/bench/src/lib.rs"))?;
                let (ok, m) = check(&side.dir, &target, features)?;
                if !ok {
                    bail!("cargo check with only the `{resource}` feature failed");
                }
                one.push(m);
            }
        }
    }

    println!(
        "\ncargo check --lib of the {}-action synthetic crate (CARGO_INCREMENTAL=0, dependencies \
         prebuilt, not timed); median of {} runs, the two crates alternately:\n",
        opts.actions,
        opts.runs.max(1)
    );
    println!(
        "{:<28} {:>8} {:>8} {:>14} {:>10} {:>12}",
        "generator", "wall s", "CPU s", "peak RSS MiB", "src lines", "lines/action"
    );
    for side in &sides {
        let m = medians(&side.runs);
        println!(
            "{:<28} {:>8.1} {:>8.1} {:>14.0} {:>10} {:>12.1}",
            side.label,
            m.wall.as_secs_f64(),
            m.cpu.as_secs_f64(),
            m.peak_kib as f64 / 1024.0,
            side.src_lines,
            side.src_lines as f64 / opts.actions as f64
        );
    }
    let head = sides.last().context("no crate was checked")?;
    println!("  (each run, wall s / CPU s / peak MiB:)");
    for side in &sides {
        let runs: Vec<String> = side
            .runs
            .iter()
            .map(|m| {
                format!(
                    "{:.1}/{:.1}/{:.0}",
                    m.wall.as_secs_f64(),
                    m.cpu.as_secs_f64(),
                    m.peak_kib as f64 / 1024.0
                )
            })
            .collect();
        println!("  {:<26} {}", side.label, runs.join("  "));
    }
    let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
    let m = medians(&head.runs);
    let (secs, mib) = (m.wall.as_secs_f64(), m.peak_kib as f64 / 1024.0);
    println!("\ntargets (this tree):");
    println!(
        "  cargo check of {} actions <= 20 s: {secs:.1} s, {}",
        opts.actions,
        verdict(secs <= 20.0)
    );
    println!(
        "  ... and <= 2 GiB: {mib:.0} MiB, {}",
        verdict(mib <= 2048.0)
    );
    match (&head.one_resource, one.is_empty()) {
        (Some((resource, _)), false) => {
            let m = medians(&one);
            let s = m.wall.as_secs_f64();
            println!(
                "  one resource's feature (`{resource}`) < 2 s: {s:.2} s ({:.2} s CPU, {:.0} MiB), {}",
                m.cpu.as_secs_f64(),
                m.peak_kib as f64 / 1024.0,
                verdict(s < 2.0)
            );
        }
        _ => println!("  one resource's feature < 2 s: the crate has no resource features"),
    }
    let lines = head.src_lines as f64 / opts.actions as f64;
    println!(
        "  <= 120 lines of src/ per action: {lines:.1}, {}",
        verdict(lines <= 120.0)
    );
    if !vendors.is_empty() {
        let (synth_wall, synth) = (m.wall.as_secs_f64(), m.cpu.as_secs_f64());
        println!(
            "\nthe repository's crates, in the same runs (medians; ratios to the synthetic \
             crate's {synth_wall:.1} s wall, {synth:.1} s CPU):\n"
        );
        println!(
            "{:<34} {:>8} {:>8} {:>14} {:>10} {:>10}",
            "crate and features", "wall s", "CPU s", "peak RSS MiB", "wall ratio", "CPU ratio"
        );
        for v in &vendors {
            for (label, runs) in [
                (format!("generated/{} (all)", v.folder), &v.all),
                (format!("generated/{} ({})", v.folder, v.resource), &v.one),
            ] {
                let m = medians(runs);
                println!(
                    "{:<34} {:>8.1} {:>8.1} {:>14.0} {:>10.2} {:>10.2}",
                    label,
                    m.wall.as_secs_f64(),
                    m.cpu.as_secs_f64(),
                    m.peak_kib as f64 / 1024.0,
                    m.wall.as_secs_f64() / synth_wall,
                    m.cpu.as_secs_f64() / synth
                );
            }
        }
    }
    Ok(())
}

/// The median wall time and the median peak of `runs`.
fn medians(runs: &[Measure]) -> Measure {
    fn median<T: Ord + Copy + Default>(mut v: Vec<T>) -> T {
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or_default()
    }
    Measure {
        wall: median(runs.iter().map(|m| m.wall).collect()),
        cpu: median(runs.iter().map(|m| m.cpu).collect()),
        peak_kib: median(runs.iter().map(|m| m.peak_kib).collect()),
    }
}

fn git(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The release `xtask` of commit `rev`, built once (from `git archive`) and kept in
/// `target/sdkgen/bench-base/`. It is built in this workspace's target folder, so that only the
/// generator's own crates are compiled, not the dependencies they share with this tree; this
/// tree's `xtask` binary is linked back in place afterwards.
fn base_generator(root: &Path, rev: &str) -> Result<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let cache = target.join("sdkgen/bench-base");
    let exe = cache.join(format!("xtask-{rev}"));
    if exe.is_file() {
        return Ok(exe);
    }
    let src = cache.join(format!("src-{rev}"));
    if src.exists() {
        std::fs::remove_dir_all(&src)?;
    }
    std::fs::create_dir_all(&src)?;
    extract(root, rev, ".", &src)?;
    // `git archive` gives every file its commit's time. Cargo tells the generator's crates of
    // both trees apart by their path relative to the workspace (the same here) and then by
    // modification time, so files older than this tree's last build would pass for built:
    // the base would be this tree's generator. Now is newer than any build.
    touch_all(&src)?;
    let build = |dir: &Path| -> Result<()> {
        let status = Command::new(cargo())
            .args(["build", "--quiet", "--release", "-p", "xtask"])
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(dir)
            .status()
            .context("cannot run cargo")?;
        if !status.success() {
            bail!("cannot build the generator in {}", dir.display());
        }
        Ok(())
    };
    build(&src).with_context(|| format!("commit {rev}"))?;
    std::fs::copy(target.join("release/xtask"), &exe)?;
    build(root).context("this tree's xtask")?;
    // The templates are taken from git when a workspace is written.
    std::fs::remove_dir_all(&src)?;
    Ok(exe)
}

/// Writes the synthetic workspace of `actions` actions at `dir` and generates its crate: with
/// this generator and templates, or with the base generator (`generator`) and the templates
/// of its commit. The spec is this tree's in both cases.
fn workspace(root: &Path, dir: &Path, actions: usize, generator: Option<&Path>) -> Result<()> {
    super::synth_workspace(root, dir, actions)?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"generated/bench\"]\n",
    )?;
    match generator {
        None => {
            let g = sdkgen::generate(dir, &[]).map_err(|e| anyhow::anyhow!("{e}"))?;
            sdkgen::output::write(dir, &g.files, &g.owned)?;
            // The repository's lock file pins the generated crates' dependencies.
            std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        }
        Some(exe) => {
            let rev = exe
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_prefix("xtask-"))
                .context("base generator name")?;
            std::fs::remove_dir_all(dir.join("templates"))?;
            extract(root, rev, "templates", dir)?;
            extract(root, rev, "Cargo.lock", dir)?;
            let status = Command::new(exe)
                .arg("generate")
                // The base xtask finds its workspace as the parent of this folder.
                .env("CARGO_MANIFEST_DIR", dir.join("xtask"))
                .current_dir(dir)
                .stdout(std::process::Stdio::null())
                .status()
                .context("cannot run the base generator")?;
            if !status.success() {
                bail!("the base generator failed on the synthetic spec");
            }
        }
    }
    Ok(())
}

/// Sets the modification time of every file under `dir` to now.
fn touch_all(dir: &Path) -> Result<()> {
    let now = std::time::SystemTime::now();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            touch_all(&path)?;
        } else {
            std::fs::File::options()
                .write(true)
                .open(&path)?
                .set_modified(now)
                .with_context(|| format!("cannot touch {}", path.display()))?;
        }
    }
    Ok(())
}

/// Writes `path` (a file or folder) of commit `rev` under `dir`.
fn extract(root: &Path, rev: &str, path: &str, dir: &Path) -> Result<()> {
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", rev, path])
        .current_dir(root)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .context("cannot run git archive")?;
    let status = Command::new("tar")
        .args(["-x", "-f", "-"])
        .current_dir(dir)
        .stdin(archive.stdout.take().context("git archive has no output")?)
        .status()
        .context("cannot run tar")?;
    if !archive.wait()?.success() || !status.success() {
        bail!("cannot unpack {path} of commit {rev}");
    }
    Ok(())
}

/// Marks the crate changed, so that the next check compiles it again (and only it).
fn touch(file: &Path) -> Result<()> {
    let f = std::fs::OpenOptions::new().write(true).open(file)?;
    f.set_modified(std::time::SystemTime::now())?;
    Ok(())
}

/// `cargo check --lib` of the workspace at `dir` (with `features` and no default features, if
/// any are given): whether it passed, its wall time and peak memory.
fn check(dir: &Path, target: &Path, features: &[String]) -> Result<(bool, Measure)> {
    let mut cmd = Command::new(cargo());
    cmd.args(["check", "--quiet", "--offline", "--lib"])
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(dir);
    if !features.is_empty() {
        cmd.args(["--no-default-features", "--features", &features.join(",")]);
    }
    let start = Instant::now();
    let child = cmd.spawn().context("cannot run cargo")?;
    let (ok, cpu, peak_kib) = wait_peak(child)?;
    Ok((
        ok,
        Measure {
            wall: start.elapsed(),
            cpu,
            peak_kib,
        },
    ))
}

/// Waits for `child` and returns whether it succeeded, the CPU time of it and of the processes
/// it waited for, and their largest resident set in KiB (`wait4`'s `ru_maxrss`: rustc's peak,
/// as cargo waits for every rustc it starts).
fn wait_peak(child: std::process::Child) -> Result<(bool, Duration, u64)> {
    let pid = libc::pid_t::try_from(child.id()).context("process id")?;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of the plain C struct.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet waited for (std's handle is dropped without
        // waiting), and both pointers are to live locals.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e).context("wait4");
        }
    }
    drop(child);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let time = |t: libc::timeval| {
        Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
            + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
    };
    let cpu = time(usage.ru_utime) + time(usage.ru_stime);
    Ok((ok, cpu, u64::try_from(usage.ru_maxrss).unwrap_or(0)))
}

/// Lines of every `.rs` file under `dir`.
fn count_lines(dir: &Path) -> Result<usize> {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            n += count_lines(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            n += std::fs::read_to_string(&path)?.lines().count();
        }
    }
    Ok(n)
}

/// The first resource's feature of a generated crate, and the features of a build with only
/// that resource: the crate's other default features (`default` but its resources) and it.
/// `None` when the crate has no resource features (`full`).
fn one_resource_features(manifest: &Path) -> Result<Option<(String, Vec<String>)>> {
    resource_features(manifest, None)
}

/// The features of a build with only `resource`'s feature (the first resource's if `None`): the
/// crate's other default features and it. `None` when the crate has no such resource feature.
fn resource_features(
    manifest: &Path,
    resource: Option<&str>,
) -> Result<Option<(String, Vec<String>)>> {
    let text = std::fs::read_to_string(manifest)?;
    // `key = [...]` in `[features]`, on one line or several.
    let list = |key: &str| -> Option<Vec<String>> {
        let mut in_features = false;
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.starts_with('[') {
                in_features = line.trim() == "[features]";
                continue;
            }
            let Some((k, v)) = line.split_once('=') else {
                continue;
            };
            if !in_features || k.trim() != key {
                continue;
            }
            let mut value = v.to_string();
            while !value.contains(']') {
                value.push_str(lines.next()?);
            }
            let value = value.trim().trim_start_matches('[');
            let value = value.split(']').next().unwrap_or_default();
            return Some(
                value
                    .split(',')
                    .map(|s| s.trim().trim_matches('"').to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            );
        }
        None
    };
    let (Some(all), Some(default)) = (list("full"), list("default")) else {
        return Ok(None);
    };
    let Some(first) = (match resource {
        Some(r) => all.iter().find(|f| *f == r).cloned(),
        None => all.first().cloned(),
    }) else {
        return Ok(None);
    };
    let mut features: Vec<String> = default.into_iter().filter(|f| f != "full").collect();
    features.push(first.clone());
    Ok(Some((first, features)))
}
