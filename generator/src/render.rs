//! Rendering: IR through tera templates into files. Rust output is collected in a [`Batch`] and
//! formatted at the end, all files at once ([`crate::format`]), so generated code is
//! rustfmt-clean whatever the template's whitespace. The runtime's Rust files are copied as
//! they are ([`copy_verbatim`]).

use std::path::Path;

use serde::Serialize;

use crate::output::FileSet;

/// A rendering failure.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The templates folder could not be read or a template does not compile.
    #[error("templates: {0}")]
    Templates(String),
    /// A template failed while rendering.
    #[error("template `{template}` failed: {message}")]
    Template {
        /// Template name.
        template: String,
        /// The tera message with its causes.
        message: String,
    },
    /// Formatting the rendered Rust failed.
    #[error(transparent)]
    Format(#[from] crate::format::FormatError),
}

/// Largest template accepted.
pub const MAX_TEMPLATE_BYTES: u64 = 8 * 1024 * 1024;

/// What `templates/` holds: the tera templates, and the runtime's Rust files, which every crate
/// gets unchanged ([`copy_verbatim`]).
#[derive(Debug)]
pub struct Templates {
    /// The templates (`*.tera`), named by their path under `templates/` (`rust/lib.rs.tera`).
    pub tera: tera::Tera,
    /// The Rust files (`*.rs`, e.g. `rust/runtime/client.rs`), by the same kind of name, as
    /// they are (with LF line ends). Each parses as Rust.
    pub verbatim: std::collections::BTreeMap<String, String>,
}

/// Loads every template (`*.tera`) and runtime file (`*.rs`) under `templates/`. They are read
/// like spec files: only regular files (or links to them inside `templates/`); folders are
/// entered only when they are real folders, and named pipes, sockets and devices are never
/// opened.
pub fn load_templates(dir: &Path) -> Result<Templates, RenderError> {
    let mut tera = tera::Tera::default();
    let mut files = Vec::new();
    collect(dir, "", &mut files)?;
    files.sort();
    let mut sources = Vec::new();
    let mut verbatim = std::collections::BTreeMap::new();
    for name in files {
        let bytes = crate::files::read_regular_within(
            dir,
            Path::new(&name),
            "templates/",
            MAX_TEMPLATE_BYTES,
        )
        .map_err(|e| RenderError::Templates(format!("templates/{name}: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            RenderError::Templates(format!("templates/{name}: file is not valid UTF-8"))
        })?;
        if name.ends_with(".rs") {
            let text = text.replace("\r\n", "\n");
            if let Err(e) = syn::parse_file(&text) {
                let at = e.span().start();
                return Err(RenderError::Templates(format!(
                    "templates/{name}:{}:{}: not valid Rust: {e}",
                    at.line,
                    at.column + 1
                )));
            }
            verbatim.insert(name, text);
        } else {
            sources.push((name, text));
        }
    }
    tera.add_raw_templates(sources)
        .map_err(|e| RenderError::Templates(chain(&e)))?;
    tera.autoescape_on(vec![]);
    tera.register_filter("lit", filter_lit);
    tera.register_filter("doc", filter_doc);
    tera.register_filter("cell", filter_cell);
    tera.register_filter("md", filter_md);
    tera.register_filter("toml", filter_toml);
    Ok(Templates { tera, verbatim })
}

/// The names (`rust/lib.rs.tera`, `rust/runtime/client.rs`) of the templates and runtime files
/// under `root/rel`.
fn collect(root: &Path, rel: &str, out: &mut Vec<String>) -> Result<(), RenderError> {
    let shown = |name: &str| {
        if name.is_empty() {
            root.display().to_string()
        } else {
            format!("templates/{name}")
        }
    };
    let cannot = |name: &str, e: std::io::Error| {
        RenderError::Templates(format!("cannot read {}: {e}", shown(name)))
    };
    let entries = std::fs::read_dir(root.join(rel)).map_err(|e| cannot(rel, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| cannot(rel, e))?;
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let name = if rel.is_empty() {
            file_name
        } else {
            format!("{rel}/{file_name}")
        };
        // The entry's own type: links are not followed to decide.
        let kind = crate::files::EntryKind::of(&entry.file_type().map_err(|e| cannot(&name, e))?);
        match kind {
            crate::files::EntryKind::Folder => collect(root, &name, out)?,
            // A template or runtime file, or whatever stands under such a name: the reader
            // decides.
            _ if Path::new(&name)
                .extension()
                .is_some_and(|e| e == "tera" || e == "rs") =>
            {
                out.push(name)
            }
            crate::files::EntryKind::Symlink
                if std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()) =>
            {
                return Err(RenderError::Templates(format!(
                    "{}: is a symbolic link to a folder; folders under templates/ are entered \
                     only when they are real folders",
                    shown(&name)
                )));
            }
            // Other files (the runtime's notes, editor files) are not templates: not opened.
            _ => {}
        }
    }
    Ok(())
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

fn arg_str(v: &tera::Value) -> String {
    match v {
        tera::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn filter_lit(
    v: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(crate::rust::lit(&arg_str(v))))
}

fn filter_doc(
    v: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(crate::rust::doc_attrs(&arg_str(v))))
}

/// A TOML basic string: JSON string escaping is valid TOML.
fn filter_toml(
    v: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(
        serde_json::Value::String(arg_str(v)).to_string(),
    ))
}

/// Running markdown text ([`crate::markdown::inline`]).
fn filter_md(
    v: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(crate::markdown::inline(&arg_str(v))))
}

fn filter_cell(
    v: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(tera::Value::String(crate::markdown::cell(&arg_str(v))))
}

/// The kind of a generated file, which decides its header comment and post-processing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Rust source: parsed and formatted.
    Rust,
    /// TOML.
    Toml,
    /// Markdown.
    Markdown,
}

impl Kind {
    /// The kind of an output path.
    pub fn of(path: &str) -> Kind {
        if path.ends_with(".rs") {
            Kind::Rust
        } else if path.ends_with(".toml") {
            Kind::Toml
        } else {
            Kind::Markdown
        }
    }
}

/// The `@generated` header line for a file.
pub fn header(kind: Kind, source: &str) -> String {
    // The source is a checked folder name; should one ever hold a line break or a comment
    // end, it is escaped rather than allowed out of the header line.
    let source: String = source
        .escape_debug()
        .collect::<String>()
        .replace("-->", "--\\>");
    let text = format!(
        "@generated by sdkgen from {source} and templates/; do not edit. Regenerate with `cargo xtask generate`."
    );
    match kind {
        Kind::Rust => format!("// {text}\n"),
        Kind::Toml => format!("# {text}\n"),
        Kind::Markdown => format!("<!-- {text} -->\n"),
    }
}

/// Files rendered so far: finished ones (TOML, markdown) and Rust texts waiting for
/// [`Batch::finish`], which formats them all at once.
#[derive(Debug, Default)]
pub struct Batch {
    files: FileSet,
    rust: Vec<(crate::format::Pending, String)>,
}

impl Batch {
    /// Moves every file of `other` into this batch.
    pub fn append(&mut self, other: Batch) {
        self.files.extend(other.files);
        self.rust.extend(other.rust);
    }

    /// Formats the Rust files (through `cache` when given) and returns every file.
    pub fn finish(
        self,
        cache: Option<&crate::format::FormatCache>,
    ) -> Result<FileSet, RenderError> {
        let mut files = self.files;
        let (pending, headers): (Vec<_>, Vec<_>) = self.rust.into_iter().unzip();
        let formatted = crate::format::format_all(pending, cache)?;
        for ((out, body), header) in formatted.into_iter().zip(headers) {
            files.insert(out, format!("{header}{body}").into_bytes());
        }
        Ok(files)
    }
}

/// Runs `n` rendering jobs on all cores, each into a batch of its own, then appends their
/// files to `batch` in job order (so the output does not depend on scheduling). The first
/// failing job's error is returned.
pub fn render_parallel(
    n: usize,
    batch: &mut Batch,
    job: impl Fn(usize, &mut Batch) -> Result<(), RenderError> + Sync,
) -> Result<(), RenderError> {
    let results = crate::par::parallel(n, |i| {
        let mut own = Batch::default();
        job(i, &mut own).map(|()| own)
    });
    for result in results {
        batch.append(result?);
    }
    Ok(())
}

/// The tera context of a value, built once and shared by every template rendered from it.
pub fn context<C: Serialize>(template: &str, value: &C) -> Result<tera::Context, RenderError> {
    tera::Context::from_serialize(value).map_err(|e| RenderError::Template {
        template: template.into(),
        message: chain(&e),
    })
}

/// Renders one template into `batch` at `out`.
pub fn render_into(
    tera: &tera::Tera,
    template: &str,
    ctx: &tera::Context,
    out: &str,
    source: &str,
    batch: &mut Batch,
) -> Result<(), RenderError> {
    let text = tera
        .render(template, ctx)
        .map_err(|e| RenderError::Template {
            template: template.into(),
            message: chain(&e),
        })?;
    let kind = Kind::of(out);
    let header = header(kind, source);
    match kind {
        Kind::Rust => batch.rust.push((
            crate::format::Pending {
                template: template.into(),
                out: out.into(),
                text,
            },
            header,
        )),
        _ => {
            batch.files.insert(
                out.to_string(),
                format!("{header}{}", normalize(&text)).into_bytes(),
            );
        }
    }
    Ok(())
}

/// Puts the runtime file `name` of the templates into `batch` at `out` as it is, after the
/// header. It is not formatted: the workspace formats, compiles and lints it where it stands
/// (`generator/runtime-check`), so it is rustfmt-clean already.
pub fn copy_verbatim(
    templates: &Templates,
    name: &str,
    out: &str,
    source: &str,
    batch: &mut Batch,
) -> Result<(), RenderError> {
    let text = templates
        .verbatim
        .get(name)
        .ok_or_else(|| RenderError::Templates(format!("templates/{name}: not found")))?;
    let header = header(Kind::of(out), source);
    batch
        .files
        .insert(out.to_string(), format!("{header}{text}").into_bytes());
    Ok(())
}

/// Adds a file whose text comes from the spec as it is (a changelog), after the `@generated`
/// header of its kind.
pub fn insert_text(out: &str, source: &str, text: &str, batch: &mut Batch) {
    let header = header(Kind::of(out), source);
    batch
        .files
        .insert(out.to_string(), format!("{header}{text}").into_bytes());
}

/// Renders one template from a value of its own.
pub fn render_value<C: Serialize>(
    tera: &tera::Tera,
    template: &str,
    value: &C,
    out: &str,
    source: &str,
    batch: &mut Batch,
) -> Result<(), RenderError> {
    render_into(
        tera,
        template,
        &context(template, value)?,
        out,
        source,
        batch,
    )
}

/// LF endings, no trailing spaces, runs of blank lines collapsed, one final newline.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.replace("\r\n", "\n").lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_makes_lf_and_single_blank_lines() {
        assert_eq!(normalize("a  \r\n\r\n\r\nb\n\n"), "a\n\nb\n");
    }

    #[test]
    fn runtime_files_are_kept_as_they_are_and_must_parse() {
        let dir = tempfile::tempdir().unwrap();
        let runtime = dir.path().join("rust/runtime");
        std::fs::create_dir_all(&runtime).unwrap();
        std::fs::write(runtime.join("ok.rs"), "fn  a() {}\r\n// {{ not tera }}\r\n").unwrap();
        std::fs::write(runtime.join("notes.md"), "not loaded").unwrap();
        let templates = load_templates(dir.path()).unwrap();
        assert_eq!(
            templates.verbatim.keys().collect::<Vec<_>>(),
            ["rust/runtime/ok.rs"]
        );
        assert_eq!(
            templates.verbatim["rust/runtime/ok.rs"],
            "fn  a() {}\n// {{ not tera }}\n"
        );
        std::fs::write(runtime.join("broken.rs"), "fn a() {}\nfn (").unwrap();
        let error = load_templates(dir.path()).unwrap_err().to_string();
        assert!(
            error.contains("templates/rust/runtime/broken.rs:2:4: not valid Rust"),
            "{error}"
        );
    }
}
