//! The `generate` and `check` commands, shared by `cargo xtask` and the `sdkgen` binary, and
//! `cargo xtask bless`, which rewrites the generator's fixture expectations.
//! Each prints its report and returns whether it succeeded.

use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

/// `println!` that does not panic when stdout is closed early (`cargo xtask check | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// The command that regenerates the given APIs.
pub fn fix_command(apis: &[String]) -> String {
    let mut cmd = "cargo xtask generate".to_string();
    for a in apis {
        cmd.push_str(&format!(" --api {a}"));
    }
    cmd
}

/// Regenerates everything in memory, then writes only what changed. Writes nothing when any
/// stage fails.
pub fn generate(root: &Path, apis: &[String], options: &crate::pipeline::Options) -> bool {
    let started = Instant::now();
    let generated = match crate::pipeline::generate_with(root, apis, options) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was written.");
            return false;
        }
    };
    match crate::output::write(root, &generated.files, &generated.owned) {
        Ok(report) => {
            for line in report.lines() {
                say!("{line}");
            }
            let t = generated.timings;
            say!(
                "stages: load {:.1?}, validate {:.1?}, lower {:.1?}, render {:.1?}, format {:.1?}",
                t.load,
                t.validate,
                t.lower,
                t.render,
                t.format
            );
            say!(
                "{} in {:.0?} (generation {:.0?})",
                report.summary(),
                started.elapsed(),
                generated.elapsed
            );
            true
        }
        // A refusal already says that nothing was written.
        Err(e @ crate::output::OutputError::Blocked(_)) => {
            eprintln!("{e}");
            false
        }
        Err(e) => {
            eprintln!("writing generated/ failed: {e}");
            false
        }
    }
}

/// Regenerates in memory and compares with the disk; prints the drift report.
pub fn check(root: &Path, apis: &[String], options: &crate::pipeline::Options) -> bool {
    match crate::pipeline::check_workspace(root, apis, options) {
        Ok(outcome) => {
            say!("generation took {:.1?}", outcome.generation);
            if outcome.drift.is_clean() {
                say!("generated/ is current ({} files)", outcome.files);
                true
            } else {
                let _ = write!(
                    std::io::stdout().lock(),
                    "{}",
                    outcome.drift.report(&fix_command(apis))
                );
                false
            }
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!(
                "generated/ cannot be checked until this is fixed; then run `{}`.",
                fix_command(apis)
            );
            false
        }
    }
}

/// Rewrites every fixture's expectation (`cargo xtask bless`); lists what changed.
pub fn bless(root: &Path, options: &crate::pipeline::Options) -> bool {
    let started = Instant::now();
    let blessed = match crate::fixtures::bless(root, options) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{e}");
            return false;
        }
    };
    for line in blessed.files.lines() {
        say!("{line}");
    }
    for problem in &blessed.problems {
        eprintln!("{problem}\n");
    }
    say!("{} in {:.0?}", blessed.files.summary(), started.elapsed());
    if blessed.files.changed() {
        say!(
            "review the changes with `git diff -- {}` before committing them",
            crate::fixtures::DIR
        );
    }
    if !blessed.problems.is_empty() {
        eprintln!(
            "{} fixture(s) could not be blessed and were left as they were",
            blessed.problems.len()
        );
    }
    blessed.problems.is_empty()
}

/// Compares every fixture with its expectation without writing (`cargo xtask bless --check`).
pub fn check_fixtures(root: &Path, options: &crate::pipeline::Options) -> bool {
    match crate::fixtures::check(root, options) {
        Ok(problems) if problems.is_empty() => {
            say!("every fixture gives its committed expectation");
            true
        }
        Ok(problems) => {
            for problem in &problems {
                say!("{problem}\n");
            }
            say!(
                "{} fixture(s) differ. Run `{}` to accept the current output, then review the diff.",
                problems.len(),
                crate::fixtures::BLESS
            );
            false
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    }
}
