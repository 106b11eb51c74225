//! `cargo xtask examples`: every Rust example a downstream team can read (the README, the
//! reference pages in `docs/`, and the rustdoc of `src/`) compiled in a fresh crate outside the
//! workspace, which depends on the generated crate and tokio and on nothing else, as a user's
//! crate would.
//!
//! The crate's own doctests cannot prove this: rustdoc compiles them with every dependency of
//! the crate in scope (`futures_util`, `chrono`, `serde_json`, ...), so an example that names
//! one compiles there and fails in a user's crate.
//!
//! Each example becomes a module of one library crate (`target/sdkgen/examples/<api>/`), made
//! the way rustdoc makes a doctest: hidden lines (`# `) kept, the code wrapped in `fn main`
//! unless it has one. The crate is built with `cargo test --no-run` in the workspace's target
//! folder, so the dependencies the workspace built are reused where their features agree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// One Rust example and where a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The file it is in, relative to the repository (`generated/losant/README.md`).
    pub file: String,
    /// The line of its opening fence in that file (1-based).
    pub line: usize,
    /// Its code as written, hidden lines (`# `) included.
    pub code: String,
}

/// Which fenced blocks rustdoc compiles: no language, or `rust`, and attributes it knows; not
/// `ignore` or `compile_fail`, which it does not build as they stand.
fn compiled(info: &str) -> bool {
    let mut rust = true;
    for token in info
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        match token {
            "rust" | "no_run" | "should_panic" | "test_harness" => {}
            t if t.starts_with("edition") => {}
            "ignore" | "compile_fail" => return false,
            _ => rust = false,
        }
    }
    rust
}

/// The compiled code blocks of a markdown text whose first line is line `first_line` of `file`
/// (indented blocks included: rustdoc compiles those too).
fn markdown_examples(text: &str, file: &str, first_line: usize, out: &mut Vec<Example>) {
    let mut current: Option<(usize, String)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let rust = match &kind {
                    CodeBlockKind::Fenced(info) => compiled(info),
                    CodeBlockKind::Indented => true,
                };
                if rust {
                    let line = first_line + text[..range.start].matches('\n').count();
                    current = Some((line, String::new()));
                }
            }
            Event::Text(t) => {
                if let Some((_, code)) = current.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((line, code)) = current.take() {
                    out.push(Example {
                        file: file.to_owned(),
                        line,
                        code,
                    });
                }
            }
            _ => {}
        }
    }
}

/// The doc comments of a Rust file as rustdoc reads them: each run of `///` (or `//!`) lines
/// is one markdown text, with the indentation common to its lines removed. Returns each text
/// with the line (1-based) it starts at.
fn doc_comments(source: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut kind = "";
    let mut start = 0;
    let flush = |run: &mut Vec<&str>, start: usize, blocks: &mut Vec<(usize, String)>| {
        if run.is_empty() {
            return;
        }
        let indent = run
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        let text: Vec<&str> = run.iter().map(|l| l.get(indent..).unwrap_or("")).collect();
        blocks.push((start, text.join("\n") + "\n"));
        run.clear();
    };
    for (i, line) in source.lines().enumerate() {
        let trimmed = line.trim_start();
        let this = if trimmed.starts_with("///") && !trimmed.starts_with("////") {
            "///"
        } else if trimmed.starts_with("//!") {
            "//!"
        } else {
            ""
        };
        if this != kind {
            flush(&mut run, start, &mut blocks);
            kind = this;
            start = i + 1;
        }
        if !this.is_empty() {
            run.push(&trimmed[3..]);
        }
    }
    flush(&mut run, start, &mut blocks);
    blocks
}

/// Every example of the generated crate in `dir` (`rel` is the same folder relative to the
/// repository): its README, its pages and its rustdoc, in that order.
pub fn extract(dir: &Path, rel: &str) -> anyhow::Result<Vec<Example>> {
    let mut out = Vec::new();
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let readme = dir.join("README.md");
    if readme.is_file() {
        markdown_examples(&read(&readme)?, &format!("{rel}/README.md"), 1, &mut out);
    }
    for (base, ext) in [("docs", "md"), ("src", "rs")] {
        let mut files = Vec::new();
        walk(&dir.join(base), ext, &mut files)?;
        files.sort();
        for path in files {
            let text = read(&path)?;
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let name = format!("{rel}/{name}");
            if ext == "md" {
                markdown_examples(&text, &name, 1, &mut out);
            } else {
                for (line, doc) in doc_comments(&text) {
                    markdown_examples(&doc, &name, line, &mut out);
                }
            }
        }
    }
    Ok(out)
}

fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, ext, out)?;
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    Ok(())
}

/// The code rustdoc compiles for an example: hidden lines shown (`# x` is `x`, `#` alone an
/// empty line, `##` a literal `#`), inner attributes returned apart (they belong to a crate),
/// and the rest wrapped in `fn main` unless it has one.
fn doctest(code: &str) -> (Vec<String>, String) {
    let mut attrs = Vec::new();
    let mut body = String::new();
    for line in code.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let shown = if trimmed == "#" {
            String::new()
        } else if trimmed.starts_with("##") {
            // `##x` is the literal line `#x`.
            format!("{indent}{}", &trimmed[1..])
        } else if let Some(rest) = trimmed.strip_prefix("# ") {
            rest.to_owned()
        } else {
            line.to_owned()
        };
        if shown.trim_start().starts_with("#![") {
            attrs.push(shown.trim().to_owned());
        } else {
            body.push_str(&shown);
            body.push('\n');
        }
    }
    if !body.contains("fn main") {
        body = format!("fn main() {{\n{body}}}\n");
    }
    (attrs, body)
}

/// The manifest of the fresh crate: the generated crate (with its test server, as a user's
/// tests turn it on) and tokio, and the workspace's profiles so that the dependencies it
/// already built are reused.
fn manifest(package: &str, sdk_path: &str, profiles: &str) -> String {
    format!(
        "# Written by `cargo xtask examples`: a user's crate, outside the workspace.\n\
         [package]\nname = \"{package}-examples\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[lib]\npath = \"src/lib.rs\"\ndoctest = false\n\n\
         [dependencies]\n{package} = {{ path = \"{sdk_path}\" }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n\
         # The examples' `cfg(feature = \"test-server\")` is this crate's feature, as it would\n\
         # be in a user's crate; on, it turns on the generated crate's test server.\n\
         [features]\ndefault = [\"test-server\"]\ntest-server = [\"{package}/test-server\"]\n\n\
         [workspace]\n\n{profiles}"
    )
}

/// The `[profile.*]` tables of the workspace manifest, as they stand.
fn profiles(workspace_manifest: &str) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in workspace_manifest.lines() {
        if line.starts_with('[') {
            keep = line.starts_with("[profile");
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A module name for an example: where it is, as an identifier.
fn module_name(example: &Example, index: usize) -> String {
    let stem = example
        .file
        .rsplit('/')
        .next()
        .unwrap_or("example")
        .split('.')
        .next()
        .unwrap_or("example");
    let mut name = String::from("ex");
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else {
            name.push('_');
        }
    }
    format!("{name}_{index:03}_l{}", example.line)
}

/// Writes the fresh crate of one generated crate into `work` and returns its examples. Files
/// are written only when their text changed, so a run with no change rebuilds nothing.
pub fn write_crate(
    root: &Path,
    api: &str,
    work: &Path,
) -> anyhow::Result<(String, Vec<(String, Example)>)> {
    let rel = format!("generated/{api}");
    let dir = root.join(&rel);
    let cargo_toml = std::fs::read_to_string(dir.join("Cargo.toml"))
        .with_context(|| format!("cannot read {rel}/Cargo.toml"))?;
    let package = cargo_toml
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .map(|n| n.trim().trim_matches('"').to_owned())
        .with_context(|| format!("{rel}/Cargo.toml names no package"))?;
    let examples = extract(&dir, &rel)?;
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))
        .context("cannot read the workspace's Cargo.toml")?;
    // `work` is `target/sdkgen/examples/<api>`, four levels below the repository.
    let sdk_path = format!("../../../../{rel}");
    put(
        &work.join("Cargo.toml"),
        &manifest(&package, &sdk_path, &profiles(&workspace)),
    )?;
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        // The workspace's versions, already downloaded and built; cargo prunes the rest.
        if !work.join("Cargo.lock").exists() {
            put(&work.join("Cargo.lock"), &lock)?;
        }
    }
    let lib_rs = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap_or_default();
    let mut lib = String::from(
        "// Written by `cargo xtask examples`: one module per example of the generated crate.\n\
         #![allow(unused, clippy::all)]\n",
    );
    // A crate whose examples need a deeper macro recursion says so (and its users' crates
    // need the same attribute).
    for line in lib_rs.lines() {
        if line.starts_with("#![recursion_limit") {
            lib.push_str(line);
            lib.push('\n');
        }
    }
    let mut modules = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    for (i, example) in examples.iter().enumerate() {
        let name = module_name(example, i);
        let (own_attrs, body) = doctest(&example.code);
        for a in own_attrs {
            if !attrs.contains(&a) {
                attrs.push(a);
            }
        }
        let text = format!(
            "// {}:{} (the example's code, as rustdoc compiles it)\n{body}",
            example.file, example.line
        );
        put(&work.join("src").join(format!("{name}.rs")), &text)?;
        modules.push((name, example.clone()));
    }
    for a in attrs {
        lib.push_str(&a);
        lib.push('\n');
    }
    for (name, _) in &modules {
        let _ = writeln!(lib, "mod {name};");
    }
    put(&work.join("src/lib.rs"), &lib)?;
    // Modules of examples that no longer exist would be dead files; remove them.
    if let Ok(entries) = std::fs::read_dir(work.join("src")) {
        for entry in entries.flatten() {
            let path = entry.path();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            if stem != "lib" && !modules.iter().any(|(n, _)| n == stem) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
    }
    Ok((package, modules))
}

fn put(path: &Path, text: &str) -> anyhow::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The APIs with a generated crate, or those named.
fn apis(root: &Path, only: &[String]) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root.join("generated")).context("cannot list generated/")? {
        let path = entry?.path();
        if path.join("Cargo.toml").is_file() {
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                found.push(name.to_owned());
            }
        }
    }
    found.sort();
    for name in only {
        if !found.contains(name) {
            bail!(
                "no generated crate `{name}`; the APIs are: {}",
                found.join(", ")
            );
        }
    }
    if !only.is_empty() {
        found.retain(|n| only.contains(n));
    }
    Ok(found)
}

/// `cargo xtask examples`: builds every API's examples in a fresh crate; true when all compile.
pub fn run(root: &Path, only: &[String]) -> anyhow::Result<bool> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| root.join("target"), PathBuf::from);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut ok = true;
    for api in apis(root, only)? {
        let started = std::time::Instant::now();
        let work = root.join("target/sdkgen/examples").join(&api);
        let (package, modules) = write_crate(root, &api, &work)?;
        let out = std::process::Command::new(&cargo)
            .current_dir(&work)
            .args(["test", "--no-run", "--lib", "--message-format=json"])
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .with_context(|| "cannot run cargo".to_string())?;
        let mut failed = std::collections::BTreeMap::<String, Vec<String>>::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
                continue;
            }
            // The span in an example's module (another may point into a dependency).
            let spans = msg["message"]["spans"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let file = spans
                .iter()
                .filter_map(|s| s["file_name"].as_str())
                .find(|f| f.starts_with("src/"))
                .unwrap_or_default()
                .to_owned();
            let rendered = msg["message"]["rendered"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let module = Path::new(&file)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_owned();
            failed.entry(module).or_default().push(rendered);
        }
        for (module, errors) in &failed {
            let place = modules
                .iter()
                .find(|(n, _)| n == module)
                .map_or_else(String::new, |(_, e)| format!("{}:{}", e.file, e.line));
            println!("example at {place} does not compile outside the crate:");
            for e in errors {
                println!("{e}");
            }
        }
        if !out.status.success() {
            ok = false;
            if failed.is_empty() {
                println!(
                    "{package}: cargo failed without a compiler error:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        println!(
            "{package}: {} of {} examples compile in a crate that depends only on {package} and tokio ({:.0?})",
            modules.len() - failed.len(),
            modules.len(),
            started.elapsed()
        );
    }
    Ok(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_blocks_are_those_rustdoc_compiles() {
        for info in [
            "",
            "rust",
            "rust,no_run",
            "no_run",
            "should_panic",
            "rust,edition2021",
        ] {
            assert!(compiled(info), "{info:?}");
        }
        for info in ["text", "json", "toml", "sh", "rust,ignore", "compile_fail"] {
            assert!(!compiled(info), "{info:?}");
        }
    }

    #[test]
    fn examples_are_found_with_their_lines() {
        let text =
            "# Title\n\n```rust,no_run\nlet a = 1;\n```\n\n```json\n{}\n```\n\n    let b = 2;\n";
        let mut out = Vec::new();
        markdown_examples(text, "x.md", 1, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].line, out[0].code.as_str()), (3, "let a = 1;\n"));
        assert_eq!((out[1].line, out[1].code.as_str()), (11, "let b = 2;\n"));
    }

    #[test]
    fn doc_comments_are_unindented_runs() {
        let source = "//! Crate.\n//!\n//! ```\n//! let x = 1;\n//! ```\nuse a;\n/// An item.\n///\n///     let y = 2;\nfn f() {}\n";
        let blocks = doc_comments(source);
        assert_eq!(blocks.len(), 2);
        assert_eq!(
            blocks[0],
            (1, "Crate.\n\n```\nlet x = 1;\n```\n".to_owned())
        );
        assert_eq!(blocks[1].0, 7);
        let mut out = Vec::new();
        for (line, doc) in &blocks {
            markdown_examples(doc, "lib.rs", *line, &mut out);
        }
        assert_eq!(out.len(), 2, "{out:?}");
        assert_eq!((out[0].line, out[0].code.as_str()), (3, "let x = 1;\n"));
        assert_eq!((out[1].line, out[1].code.as_str()), (9, "let y = 2;\n"));
    }

    #[test]
    fn hidden_lines_are_compiled_and_code_is_wrapped_in_main() {
        let (attrs, body) =
            doctest("# #![allow(dead_code)]\n# async fn run() {\nlet a = 1;\n#\n# }\n");
        assert_eq!(attrs, ["#![allow(dead_code)]"]);
        assert_eq!(body, "fn main() {\nasync fn run() {\nlet a = 1;\n\n}\n}\n");
        let (_, body) = doctest("fn main() {}\n");
        assert_eq!(body, "fn main() {}\n");
    }
}
