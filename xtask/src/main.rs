//! `cargo xtask generate` regenerates `generated/` from `spec/` and `templates/`;
//! `cargo xtask check` proves the committed output is current;
//! `cargo xtask bless` rewrites the generator's fixture expectations (`generator/tests/fixtures/`);
//! `cargo xtask diff` classes the spec changes since a git revision (see `README.md`);
//! `cargo xtask examples` compiles every example of the generated crates' README, pages and
//! rustdoc in a fresh crate outside the workspace;
//! `cargo xtask bench` times the generator (see `BENCHMARKS.md`).

mod bench;
mod examples;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::{Parser, Subcommand};

// The generator allocates many small strings and JSON values on all cores; with mimalloc the
// warm 5,000-action run takes about a third less time than with the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "Regenerate or check the generated SDK crates and pages, and bless the generator's fixtures"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated/<api>/` (all APIs, or those named with --api).
    Generate {
        /// Only this API (repeatable).
        #[arg(long = "api")]
        apis: Vec<String>,
        /// Format every file again instead of using the format cache in `target/sdkgen/`.
        #[arg(long)]
        no_cache: bool,
    },
    /// Fail with a diff when generated/ does not match spec/ and templates/.
    Check {
        /// Only this API (repeatable).
        #[arg(long = "api")]
        apis: Vec<String>,
        /// Format every file again instead of using the format cache in `target/sdkgen/`.
        #[arg(long)]
        no_cache: bool,
    },
    /// Rewrite the generator's fixture expectations from the current generator and templates:
    /// each invalid spec's `expected.txt` and the committed `generated/` of the valid and
    /// adversarial fixtures. Writes only what changed; review the result with `git diff`.
    Bless {
        /// Only compare, writing nothing: fail with a diff when a fixture's expectation is stale.
        #[arg(long)]
        check: bool,
        /// Format every file again instead of using the format cache in `target/sdkgen/`.
        #[arg(long)]
        no_cache: bool,
    },
    /// Class every spec change since a git revision by what it does to users of the crate,
    /// and say which crate version the changes require.
    Diff(DiffArgs),
    /// The corpus of spec edits (`generator/tests/diff-corpus/`): compare every case's report
    /// with its `expected.txt`, rewrite them (`--bless`), or compile downstream code against
    /// the crates of both sides (`--compile`, the ground truth for "breaks Rust code").
    DiffCorpus {
        /// Rewrite each case's `expected.txt`.
        #[arg(long)]
        bless: bool,
        /// Run the compile test (in `target/diff-corpus/`).
        #[arg(long)]
        compile: bool,
        /// Run cargo-semver-checks on the crates of both sides of every case (in
        /// `target/diff-corpus-semver/`; the tool from `$CARGO_SEMVER_CHECKS` or `PATH`).
        #[arg(long, conflicts_with_all = ["bless", "compile"])]
        semver_checks: bool,
    },
    /// Compile every Rust example of each generated crate (README, reference pages, rustdoc)
    /// in a fresh crate outside the workspace that depends only on that crate and tokio, as a
    /// user's crate does (in `target/sdkgen/examples/<api>/`, built in the workspace's target
    /// folder).
    Examples {
        /// Only this API (repeatable).
        #[arg(long = "api")]
        apis: Vec<String>,
    },
    /// Time the generator on synthetic specs of 10 to 5,000 actions and on spec/ (release build).
    Bench(bench::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match workspace_root() {
        Ok(root) => root,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let root = root.as_path();
    let ok = match cli.command {
        Command::Generate { apis, no_cache } => {
            sdkgen::commands::generate(root, &apis, &options(root, no_cache))
        }
        Command::Check { apis, no_cache } => {
            sdkgen::commands::check(root, &apis, &options(root, no_cache))
        }
        Command::Bless { check, no_cache } => {
            let options = options(root, no_cache);
            if check {
                sdkgen::commands::check_fixtures(root, &options)
            } else {
                sdkgen::commands::bless(root, &options)
            }
        }
        Command::Diff(args) => sdkgen::diff::report::run(root, &args.options()),
        Command::DiffCorpus {
            bless,
            compile,
            semver_checks,
        } => {
            if semver_checks {
                diff_corpus_semver_checks(root)
            } else {
                diff_corpus(root, bless, compile)
            }
        }
        Command::Examples { apis } => match examples::run(root, &apis) {
            Ok(ok) => ok,
            Err(e) => {
                eprintln!("error: {e:#}");
                false
            }
        },
        Command::Bench(args) => match bench::run(root, args) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("error: {e:#}");
                false
            }
        },
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The workspace to work on, found at run time: one xtask binary can serve several checkouts
/// (git worktrees sharing a target folder), so no path is compiled in. `cargo run` (and so
/// `cargo xtask`) sets `CARGO_MANIFEST_DIR` to this package's folder, one level below the
/// root; without it, cargo is asked for the workspace around the current folder.
fn workspace_root() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        let root = dir
            .parent()
            .filter(|root| root.join("Cargo.toml").is_file())
            .with_context(|| {
                format!(
                    "CARGO_MANIFEST_DIR is `{}`, whose parent holds no Cargo.toml; run this \
                     through `cargo xtask` from the workspace",
                    dir.display()
                )
            })?;
        return Ok(root.to_path_buf());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(&cargo)
        .args(["locate-project", "--workspace", "--message-format", "plain"])
        .output()
        .with_context(|| {
            format!(
                "cannot find the workspace: CARGO_MANIFEST_DIR is not set (run this through \
                 `cargo xtask`) and `{} locate-project` could not be run",
                Path::new(&cargo).display()
            )
        })?;
    if !out.status.success() {
        bail!(
            "cannot find the workspace: CARGO_MANIFEST_DIR is not set (run this through \
             `cargo xtask`) and `cargo locate-project --workspace` failed in the current folder: \
             {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let manifest = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    match manifest.parent() {
        Some(root) if manifest.is_file() => Ok(root.to_path_buf()),
        _ => bail!(
            "cannot find the workspace: `cargo locate-project` gave `{}`",
            manifest.display()
        ),
    }
}

/// `cargo xtask diff-corpus`.
fn diff_corpus(root: &Path, bless: bool, compile: bool) -> bool {
    use sdkgen::diff::corpus;
    let started = std::time::Instant::now();
    if compile {
        let work = root.join("target").join("diff-corpus");
        let outcomes = match corpus::compile(root, &work) {
            Ok(o) => o,
            Err(e) => {
                eprintln!("error: {e}");
                return false;
            }
        };
        let mut ok = true;
        for o in &outcomes {
            let class = o.class.map_or("no change", |c| c.label());
            let compiled = if o.compiles { "compiles" } else { "fails" };
            let verdict = if o.agrees() { "agrees" } else { "DISAGREES" };
            println!("{:<36} {:<17} {:<9} {verdict}", o.case, class, compiled);
            if !o.agrees() {
                ok = false;
                if let Some(e) = &o.error {
                    println!("{e}");
                }
            }
        }
        println!(
            "{} cases compiled against both sides in {:.0?}; {}",
            outcomes.len(),
            started.elapsed(),
            if ok {
                "every class agrees with the compiler"
            } else {
                "some classes disagree with the compiler"
            }
        );
        return ok;
    }
    match corpus::check(root, bless) {
        Ok(problems) if problems.is_empty() => {
            println!(
                "every case gives its expected report ({:.0?})",
                started.elapsed()
            );
            true
        }
        Ok(problems) => {
            for p in &problems {
                println!("{p}");
            }
            println!(
                "{} case(s) differ; `cargo xtask diff-corpus --bless` accepts the current reports",
                problems.len()
            );
            false
        }
        Err(e) => {
            eprintln!("error: {e}");
            false
        }
    }
}

/// `cargo xtask diff-corpus --semver-checks`: cargo-semver-checks' verdict per case, printed
/// as the rows of the agreement table (`generator/tests/diff-corpus/AGREEMENT.md`).
fn diff_corpus_semver_checks(root: &Path) -> bool {
    use sdkgen::diff::corpus;
    let started = std::time::Instant::now();
    let tool = corpus::semver_checks_tool();
    let version = match corpus::semver_checks_version(&tool) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "error: cannot run `{} semver-checks` ({e}).\n\
                 Install it with `cargo install cargo-semver-checks --locked` (0.51 or newer, \
                 for rustc 1.93 or newer), or point CARGO_SEMVER_CHECKS at its binary.",
                Path::new(&tool).display()
            );
            return false;
        }
    };
    println!("{version}; rustdoc JSON of every side built with RUSTC_BOOTSTRAP=1\n");
    println!("| case | our class | cargo-semver-checks | lints |");
    println!("|---|---|---|---|");
    let work = root.join("target").join("diff-corpus-semver");
    let mut errors = Vec::new();
    let result = corpus::semver_checks(root, &work, &tool, &mut |v| {
        let class = v.class.map_or("no change", |c| c.label());
        let verdict = match (&v.error, v.passed) {
            (Some(e), _) => {
                errors.push(format!("{}: {e}", v.case));
                "no verdict"
            }
            (None, true) => "passes",
            (None, false) => "fails",
        };
        let lints = v
            .lints
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", ");
        println!("| {} | {class} | {verdict} | {lints} |", v.case);
    });
    let verdicts = match result {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return false;
        }
    };
    for e in &errors {
        eprintln!("{e}");
    }
    let agree = verdicts.iter().filter(|v| v.agrees()).count();
    println!(
        "\n{} cases in {:.0?}: cargo-semver-checks agrees with our class on {agree} (it fails \
         exactly the cases classed as breaking Rust code)",
        verdicts.len(),
        started.elapsed()
    );
    errors.is_empty()
}

/// `cargo xtask diff`.
#[derive(clap::Args)]
struct DiffArgs {
    /// The git revision to compare the working tree's specs with.
    #[arg(long, default_value = "HEAD")]
    base: String,
    /// Only this API (repeatable).
    #[arg(long = "api")]
    apis: Vec<String>,
    /// Fail when an API's `crate.version` is lower than its changes require (for CI, with
    /// `--base` the target branch).
    #[arg(long)]
    check: bool,
    /// Write the changes as a section of `spec/<api>/CHANGELOG.md` (shipped in the crate).
    #[arg(long)]
    changelog: bool,
    /// `human` (grouped, coloured on a terminal) or `json`.
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    format: String,
}

impl DiffArgs {
    fn options(self) -> sdkgen::diff::report::DiffOptions {
        use std::io::IsTerminal as _;
        sdkgen::diff::report::DiffOptions {
            base: self.base,
            apis: self.apis,
            check: self.check,
            changelog: self.changelog,
            json: self.format == "json",
            color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// The workspace's format cache, unless `--no-cache`.
fn options(workspace: &Path, no_cache: bool) -> sdkgen::Options {
    if no_cache {
        sdkgen::Options::default()
    } else {
        sdkgen::Options::cached(workspace)
    }
}
