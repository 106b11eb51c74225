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
    /// A checksum of every template's name and text: part of every [`RenderCache`] key.
    pub fingerprint: String,
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
    let mut fingerprint = xxhash_rust::xxh3::Xxh3::new();
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
        for part in [name.as_bytes(), &[0], text.as_bytes(), &[0]] {
            fingerprint.update(part);
        }
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
    tera.register_filter("toml", filter_json_string);
    tera.register_filter("json", filter_json_string);
    Ok(Templates {
        tera,
        verbatim,
        fingerprint: format!("{:032x}", fingerprint.digest128()),
    })
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

/// A JSON string, which is also a valid TOML basic string (`toml`).
fn filter_json_string(
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
    /// JSON: checked to parse. It has no comments, so its template writes the [`notice`] as
    /// its `@generated` member.
    Json,
}

impl Kind {
    /// The kind of an output path.
    pub fn of(path: &str) -> Kind {
        if path.ends_with(".rs") {
            Kind::Rust
        } else if path.ends_with(".toml") {
            Kind::Toml
        } else if path.ends_with(".json") {
            Kind::Json
        } else {
            Kind::Markdown
        }
    }
}

/// What every file made from `source` says after `@generated`.
pub fn notice(source: &str) -> String {
    // The source is a checked folder name; should one ever hold a line break or a comment
    // end, it is escaped rather than allowed out of the header line.
    let source: String = source
        .escape_debug()
        .collect::<String>()
        .replace("-->", "--\\>");
    format!(
        "by sdkgen from {source} and templates/; do not edit. Regenerate with `cargo xtask generate`."
    )
}

/// The `@generated` header line for a file (none for JSON: see [`Kind::Json`]).
pub fn header(kind: Kind, source: &str) -> String {
    let text = format!("@generated {}", notice(source));
    match kind {
        Kind::Rust => format!("// {text}\n"),
        Kind::Toml => format!("# {text}\n"),
        Kind::Markdown => format!("<!-- {text} -->\n"),
        Kind::Json => String::new(),
    }
}

/// Finished files of earlier runs, by what made them: the template, the output path, and the
/// data rendered (streamed into the key, never kept), under an identity of everything else
/// that decides the output (this build of the generator, the templates, the formatter). A
/// warm run of an unchanged API renders and formats nothing; an edit renders only the files
/// whose data changed. Each output has one entry (its slot, named after its path), holding the
/// key it was made from and the file; a new key overwrites the slot. Entries are stored and
/// checked like the format cache's, in its folder (`render/`).
#[derive(Debug, Clone)]
pub struct RenderCache {
    store: crate::format::FormatCache,
    identity: std::sync::Arc<str>,
}

impl RenderCache {
    /// The render cache in `format`'s folder, for output rendered through `templates`.
    pub fn beside(format: &crate::format::FormatCache, templates: &Templates) -> Self {
        let identity = format!(
            "{} templates {} build {}",
            crate::format::formatter_identity(),
            templates.fingerprint,
            build_identity()
        );
        RenderCache {
            store: format.nested("render"),
            identity: identity.into(),
        }
    }

    /// The key of the file `out` rendered by `template` from `value` (with `extra`, text
    /// rendered beside it); `None` if the value cannot be serialised (rendering then reports it).
    pub fn key(
        &self,
        template: &str,
        out: &str,
        value: &impl Serialize,
        extra: &[&str],
    ) -> Option<String> {
        let mut hasher = HashWriter(xxhash_rust::xxh3::Xxh3::new());
        for part in [&*self.identity, template, out]
            .into_iter()
            .chain(extra.iter().copied())
        {
            hasher.0.update(part.as_bytes());
            hasher.0.update(&[0]);
        }
        serde_json::to_writer(&mut hasher, value).ok()?;
        Some(format!("{:032x}", hasher.0.digest128()))
    }
}

/// The name of an output's entry: a checksum of its path (one flat folder per group).
fn slot(out: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(out.as_bytes()))
}

/// An entry: the key on its first line, then the file.
fn slot_entry(key: &str, text: &str) -> String {
    format!("{key}\n{text}")
}

/// A `Write` that feeds a hasher, so that a value is hashed as JSON without being built.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// This build of the generator, for the render cache: the running executable's path, size and
/// modification time, so that a rebuilt generator (a changed filter or IR type) never reuses
/// another build's output.
fn build_identity() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            let meta = std::fs::metadata(&exe).ok()?;
            let modified = meta
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            Some(format!(
                "{}:{}:{}",
                exe.display(),
                meta.len(),
                modified.as_nanos()
            ))
        })
        // Unknown: a key that no later run shares.
        .unwrap_or_else(|| format!("unknown {:?}", std::time::SystemTime::now()))
}

/// Files rendered so far: finished ones (TOML, markdown, and files the render cache had) and
/// Rust texts waiting for [`Batch::finish`], which formats them all at once.
#[derive(Debug, Default)]
pub struct Batch {
    files: FileSet,
    rust: Vec<(crate::format::Pending, String)>,
    cache: Option<RenderCache>,
    /// Every output rendered through the cache: its key, and whether it was rendered afresh
    /// (to be stored once finished) rather than taken from the cache.
    keys: Vec<(String, String, bool)>,
}

impl Batch {
    /// An empty batch that renders through `cache`.
    pub fn with_cache(cache: Option<RenderCache>) -> Self {
        Batch {
            cache,
            ..Batch::default()
        }
    }

    /// Moves every file of `other` into this batch.
    pub fn append(&mut self, other: Batch) {
        self.files.extend(other.files);
        self.rust.extend(other.rust);
        self.keys.extend(other.keys);
    }

    /// The cache key of `out` (rendered by `template` from `value`), if this batch has a
    /// cache; the file itself is taken into the batch if the cache holds it.
    fn lookup(
        &mut self,
        template: &str,
        out: &str,
        value: &impl Serialize,
        extra: &[&str],
    ) -> Lookup {
        let Some(cache) = &self.cache else {
            return Lookup::Uncached;
        };
        let Some(key) = cache.key(template, out, value, extra) else {
            return Lookup::Uncached;
        };
        let found = cache
            .store
            .get(&crate::format::group_of(out), &slot(out))
            .and_then(|entry| {
                let (made_from, text) = entry.split_once('\n')?;
                (made_from == key).then(|| text.to_string())
            });
        self.keys.push((out.to_string(), key, found.is_none()));
        match found {
            Some(text) => {
                self.files.insert(out.to_string(), text.into_bytes());
                Lookup::Hit
            }
            None => Lookup::Miss,
        }
    }

    /// [`Batch::lookup`] of several files rendered from one value (each by its template into
    /// its output), which is hashed once for all of them.
    pub(crate) fn lookup_shared(
        &mut self,
        files: &[(&str, String)],
        value: &impl Serialize,
        source: &str,
    ) -> Vec<Lookup> {
        let base = match &self.cache {
            Some(cache) => cache.key("", "", value, &[source]),
            None => None,
        };
        files
            .iter()
            .map(|(template, out)| match &base {
                Some(base) => self.lookup(template, out, base, &[]),
                None => Lookup::Uncached,
            })
            .collect()
    }

    /// Formats the Rust files (through `cache` when given) and returns every file, after
    /// storing the files rendered afresh in the render cache.
    pub fn finish(
        self,
        cache: Option<&crate::format::FormatCache>,
    ) -> Result<FileSet, RenderError> {
        let mut files = self.files;
        let (pending, headers): (Vec<_>, Vec<_>) = self.rust.into_iter().unzip();
        let rust_hits = self
            .keys
            .iter()
            .any(|(out, _, fresh)| Kind::of(out) == Kind::Rust && !fresh);
        let formatted = crate::format::format_files(pending, cache, !rust_hits)?;
        for ((out, body), header) in formatted.into_iter().zip(headers) {
            files.insert(out, format!("{header}{body}").into_bytes());
        }
        if let Some(render) = &self.cache {
            let mut used: std::collections::BTreeMap<String, std::collections::HashSet<String>> =
                std::collections::BTreeMap::new();
            let mut fresh: std::collections::BTreeMap<String, Vec<(String, String)>> =
                std::collections::BTreeMap::new();
            for (out, key, rendered) in &self.keys {
                let group = crate::format::group_of(out);
                if *rendered {
                    if let Some(text) = files.get(out).and_then(|b| std::str::from_utf8(b).ok()) {
                        fresh
                            .entry(group.clone())
                            .or_default()
                            .push((slot(out), slot_entry(key, text)));
                    }
                }
                used.entry(group).or_default().insert(slot(out));
            }
            for (group, entries) in &fresh {
                render.store.put_all(group, entries);
            }
            for (group, keys) in &used {
                render.store.prune(group, keys);
            }
        }
        Ok(files)
    }
}

/// What the render cache had for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// No cache, or no key: render.
    Uncached,
    /// The file is in the batch.
    Hit,
    /// Render it; it is stored once finished.
    Miss,
}

/// Runs `n` rendering jobs on all cores, each into a batch of its own, then appends their
/// files to `batch` in job order (so the output does not depend on scheduling). The first
/// failing job's error is returned.
pub fn render_parallel(
    n: usize,
    batch: &mut Batch,
    job: impl Fn(usize, &mut Batch) -> Result<(), RenderError> + Sync,
) -> Result<(), RenderError> {
    let cache = batch.cache.clone();
    let results = crate::par::parallel(n, |i| {
        let mut own = Batch::with_cache(cache.clone());
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
            if kind == Kind::Json {
                if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(&text) {
                    return Err(RenderError::Template {
                        template: template.into(),
                        message: format!("{out} is not JSON: {e}"),
                    });
                }
            }
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

/// Renders one template from a value of its own (or takes the file from the render cache).
pub fn render_value<C: Serialize>(
    tera: &tera::Tera,
    template: &str,
    value: &C,
    out: &str,
    source: &str,
    batch: &mut Batch,
) -> Result<(), RenderError> {
    if batch.lookup(template, out, value, &[source]) == Lookup::Hit {
        return Ok(());
    }
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

    /// JSON has no comments: a `.json` output gets no header, and one that does not parse is
    /// refused with its template and path, never written.
    #[test]
    fn json_outputs_must_parse() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("ok", r#"{"a": {{ v | json }}, "b": [1]}"#)
            .unwrap();
        tera.add_raw_template("broken", r#"{"a": {{ v }}}"#)
            .unwrap();
        tera.register_filter("json", filter_json_string);
        let mut ctx = tera::Context::new();
        ctx.insert("v", "quote \" and line\nbreak");
        let mut batch = Batch::with_cache(None);
        render_into(&tera, "ok", &ctx, "out/ok.json", "spec/x", &mut batch).unwrap();
        let written = String::from_utf8(batch.files["out/ok.json"].clone()).unwrap();
        let value: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(value["a"], "quote \" and line\nbreak");
        let error = render_into(&tera, "broken", &ctx, "out/bad.json", "spec/x", &mut batch)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("broken") && error.contains("out/bad.json is not JSON"),
            "{error}"
        );
        assert!(!batch.files.contains_key("out/bad.json"));
    }
}
