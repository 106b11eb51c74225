//! `cargo xtask generate` regenerates `generated/` from `spec/` and `templates/`;
//! `cargo xtask check` proves the committed output is current.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "xtask",
    about = "Regenerate or check the generated SDK crates and pages"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate generated/<api>/ (all APIs, or those named with --api).
    Generate {
        /// Only this API (repeatable).
        #[arg(long = "api")]
        apis: Vec<String>,
    },
    /// Fail with a diff when generated/ does not match spec/ and templates/.
    Check {
        /// Only this API (repeatable).
        #[arg(long = "api")]
        apis: Vec<String>,
    },
}

fn workspace() -> PathBuf {
    // xtask lives one level below the workspace root.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.parent().unwrap_or(here).to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace();
    match cli.command {
        Command::Generate { apis } => generate(&root, &apis),
        Command::Check { apis } => check(&root, &apis),
    }
}

fn fix_command(apis: &[String]) -> String {
    let mut cmd = "cargo xtask generate".to_string();
    for a in apis {
        cmd.push_str(&format!(" --api {a}"));
    }
    cmd
}

fn generate(root: &Path, apis: &[String]) -> ExitCode {
    let started = Instant::now();
    let generated = match sdkgen::generate(root, apis) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("nothing was written.");
            return ExitCode::FAILURE;
        }
    };
    match sdkgen::output::write(root, &generated.files, &generated.owned) {
        Ok(report) => {
            for f in &report.created {
                println!("created {f}");
            }
            for f in &report.updated {
                println!("updated {f}");
            }
            for f in &report.removed {
                println!("removed {f}");
            }
            println!(
                "{} created, {} updated, {} removed, {} unchanged in {:.0?} (generation {:.0?})",
                report.created.len(),
                report.updated.len(),
                report.removed.len(),
                report.unchanged,
                started.elapsed(),
                generated.timings.total()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("writing generated/ failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(root: &Path, apis: &[String]) -> ExitCode {
    match sdkgen::check_workspace(root, apis) {
        Ok(outcome) => {
            println!("generation took {:.1?}", outcome.generation);
            if outcome.drift.is_clean() {
                println!("generated/ is current ({} files)", outcome.files);
                ExitCode::SUCCESS
            } else {
                print!("{}", outcome.drift.report(&fix_command(apis)));
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
