//! `cargo xtask generate` regenerates `generated/` from `spec/` and `templates/`;
//! `cargo xtask check` proves the committed output is current.

use std::path::Path;
use std::process::ExitCode;

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
    /// Regenerate `generated/<api>/` (all APIs, or those named with --api).
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    // xtask lives one level below the workspace root.
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.parent().unwrap_or(here);
    let ok = match cli.command {
        Command::Generate { apis } => sdkgen::commands::generate(root, &apis),
        Command::Check { apis } => sdkgen::commands::check(root, &apis),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
