//! sdkgen: turns a machine-readable API spec (`spec/<api>/`) into a Rust SDK crate and markdown
//! reference pages (`generated/<api>/`), through the templates and the runtime files in
//! `templates/`.
//!
//! The pipeline is plain functions over plain data:
//! [`load`](frontend::load) → [`validate`](validate::validate) → [`lower`](lower::lower) →
//! [`render`] → [`FileSet`], which [`output::write`] writes and
//! [`output::check`] compares with the disk.
//!
//! # Module map
//!
//! Reading the spec:
//! - [`files`]: what kind of file a path is, and reading regular files with a size limit;
//! - [`yaml`]: YAML (and JSON) into a tree that remembers line and column;
//! - [`spec`]: the spec as typed data, and the shape of every spec file;
//! - [`frontend`]: which front-end reads a spec folder (the YAML format, OpenAPI or Losant's description);
//! - [`load`]: a spec folder of our YAML format, shape-checked, into a [`spec::Spec`];
//! - [`losant_api`]: Losant's own API description (`apiInfo.json`, its JSON Schemas, examples
//!   and global parameters) with our Overlay 1.0 overlay, into the same [`spec::Spec`];
//! - [`openapi`]: a vendor's OpenAPI 3.0/3.1 document with our Overlay 1.0 overlay, into the
//!   same [`spec::Spec`];
//! - [`text`]: the character rules for each kind of spec text;
//! - [`diag`]: diagnostics with file, line, column and spec path.
//!
//! Checking it:
//! - [`validate`]: whole-spec checks (references, paths, collisions, values against schemas);
//! - [`rules`]: what a name, URL, path or value must be, one sentence per problem;
//! - [`schema`]: schema helpers shared by validation, lowering and test data;
//! - [`secrets`]: which properties carry a credential, by a rule on names and formats;
//! - [`unions`]: how a union's alternatives are told apart, in which order they are tried and
//!   which overlap (used by lowering and test data);
//! - [`path`]: path templates, parsed once;
//! - [`graph`]: strongly connected components of the schema reference graph.
//!
//! Lowering it into the IR:
//! - [`ir`]: the IR, as data (types, serde behaviour, parameters, paths, texts);
//! - [`lower`]: puts the crate's IR together from the passes below;
//! - [`types`]: schemas into types and models;
//! - [`client_ir`]: resources and actions into handles and request builders;
//! - [`webhooks`]: webhook topics into the event enum, and their signature headers;
//! - [`testdata`]: what the generated tests send, expect and round-trip;
//! - [`features`]: the cargo feature of each resource, and the models each needs;
//! - [`names`]: Rust names for spec names, and the names the runtime reserves.
//!
//! Writing the output:
//! - [`rust`]: the Rust text of IR values, the one place Rust text is written;
//! - [`markdown`]: escaping of spec text for each place in a page;
//! - [`templates`]: which template renders which file;
//! - [`pages`]: the reference pages' contexts;
//! - [`render`]: tera templates into files, with a cache of whole files by template and data;
//! - [`format`](mod@format): syn, prettyplease and rustfmt over the rendered Rust, with a cache;
//! - [`output`]: the file set, written to disk or compared with it;
//! - [`pipeline`]: every stage of a run in order, and the drift check;
//! - [`commands`]: the `generate`, `check` and `bless` commands;
//! - [`fixtures`]: the test fixtures' expected reports and output snapshots, checked and blessed;
//! - [`par`]: a parallel map on scoped threads.
//!
//! Comparing two versions of a spec:
//! - [`diff`]: every change between two checked specs, classed by what it does to users of
//!   the crate (breaks Rust code, breaks requests, compatible, docs only); its `report` gives the
//!   version a set of changes requires, the report for people and as JSON, the changelog and the
//!   `diff` command; its `corpus` the spec edits that prove the comparison;
//! - [`git`]: a spec folder as it was at a git revision, read without a checkout.

pub mod client_ir;
pub mod commands;
pub mod diag;
pub mod diff;
pub mod features;
pub mod files;
pub mod fixtures;
pub mod format;
pub mod frontend;
pub mod git;
pub mod graph;
pub mod ir;
pub mod load;
pub mod losant_api;
pub mod lower;
pub mod markdown;
pub mod names;
pub mod openapi;
pub mod output;
pub mod pages;
pub mod par;
pub mod path;
pub mod pipeline;
pub mod render;
pub mod rules;
pub mod rust;
pub mod schema;
pub mod secrets;
pub mod spec;
pub mod templates;
#[cfg(test)]
mod test_support;
pub mod testdata;
pub mod text;
pub mod types;
pub mod unions;
pub mod validate;
pub mod webhooks;
pub mod yaml;

pub use diag::{Diagnostic, Diagnostics};
pub use output::FileSet;
pub use pipeline::{
    check_workspace, generate, generate_from, generate_with, list_apis, load_checked, CheckOutcome,
    Error, Generated, Options, Timings,
};

#[cfg(test)]
mod tests {
    /// The module map at the top of this file names every module, and only modules that exist.
    #[test]
    fn the_module_map_matches_the_modules() {
        let source = include_str!("lib.rs");
        let declared: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("pub mod ")?.strip_suffix(';'))
            .collect();
        let map: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("//! - [`")?.split('`').next())
            .collect();
        let mut sorted_map = map.clone();
        sorted_map.sort_unstable();
        let mut sorted_declared = declared.clone();
        sorted_declared.sort_unstable();
        assert_eq!(
            sorted_map, sorted_declared,
            "module map {map:?}, modules {declared:?}"
        );
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for module in declared {
            assert!(
                dir.join(format!("{module}.rs")).is_file()
                    || dir.join(module).join("mod.rs").is_file(),
                "{module}.rs or {module}/mod.rs"
            );
        }
    }

    /// The modules a module's code names (`crate::<module>`), comment lines left out: the
    /// module of a file is its first component under `src/`.
    fn module_imports() -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut imports = std::collections::BTreeMap::<_, std::collections::BTreeSet<_>>::new();
        let mut stack = vec![src.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(&src).unwrap();
                let top = rel
                    .components()
                    .next()
                    .unwrap()
                    .as_os_str()
                    .to_string_lossy();
                let module = top.trim_end_matches(".rs").to_string();
                if module == "lib" || module == "bin" || path.extension().is_none_or(|e| e != "rs")
                {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code: String = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect::<Vec<_>>()
                    .join("\n");
                let named = imports.entry(module.clone()).or_default();
                for (at, _) in code.match_indices("crate::") {
                    let rest = &code[at + "crate::".len()..];
                    // `crate::{a, b::c}` names `a` and `b`; `crate::a::b` names `a`.
                    let group = match rest.strip_prefix('{') {
                        Some(inner) => &inner[..inner.find('}').unwrap_or(inner.len())],
                        None => rest,
                    };
                    let parts: Vec<&str> = if rest.starts_with('{') {
                        group.split(',').collect()
                    } else {
                        vec![group]
                    };
                    for part in parts {
                        let part = part.trim_start();
                        let end = part
                            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .unwrap_or(part.len());
                        let other = &part[..end];
                        if other != module && other.starts_with(|c: char| c.is_ascii_lowercase()) {
                            named.insert(other.to_string());
                        }
                    }
                }
            }
        }
        imports
    }

    /// No module reaches back to itself through the modules it imports: the stages depend on
    /// each other in one direction (a cycle is reported with its modules).
    #[test]
    fn modules_do_not_import_each_other() {
        let imports = module_imports();
        let names: Vec<&String> = imports.keys().collect();
        let index = |m: &str| names.iter().position(|n| *n == m);
        let edges: Vec<Vec<usize>> = imports
            .values()
            .map(|named| named.iter().filter_map(|m| index(m)).collect())
            .collect();
        let component = crate::graph::components(&edges);
        let mut cycles = std::collections::BTreeMap::<usize, Vec<&str>>::new();
        for (i, c) in component.iter().enumerate() {
            cycles.entry(*c).or_default().push(names[i]);
        }
        let cycles: Vec<_> = cycles.into_values().filter(|c| c.len() > 1).collect();
        assert!(
            cycles.is_empty(),
            "modules that import each other: {cycles:?}"
        );
        // The check sees imports at all: the pipeline names the stages it runs.
        assert!(imports["pipeline"].contains("validate") && imports["pipeline"].contains("lower"));
    }
}
