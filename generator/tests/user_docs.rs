//! The rustdoc of the generated crates speaks to their users: of the crate, never of the
//! generator's files (its runtime folder, private items such as `api::ROUTES`), and its lines
//! read as written (`//! This crate`, not `//!This crate`).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_generated_rustdoc_never_names_the_generators_files() {
    let generated = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&generated).unwrap() {
        let src = entry.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    assert!(!files.is_empty(), "no generated crate found");
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            let Some(doc) = trimmed
                .strip_prefix("///")
                .or_else(|| trimmed.strip_prefix("//!"))
            else {
                continue;
            };
            let at = format!("{}:{}", file.display(), i + 1);
            // Whole names only: an API path such as `/alarmtemplates/` or a segment of one
            // (`/orgs/{org_id}/templates/{template_id}`) is not the folder.
            let names = |word: &str| {
                doc.match_indices(word).any(|(at, _)| {
                    !doc[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '/')
                })
            };
            for word in ["templates/", "runtime/", "api::ROUTES", "copied unchanged"] {
                if names(word) {
                    problems.push(format!("{at}: names `{word}`: {line}"));
                }
            }
            if !doc.is_empty() && !doc.starts_with([' ', '/']) {
                problems.push(format!("{at}: no space after the doc marker: {line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
