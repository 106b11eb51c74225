//! Formatting of rendered Rust, for a whole run at once.
//!
//! Every rendered `.rs` text is parsed by syn (a template that emits invalid Rust is an error
//! naming the template and the item) and printed by prettyplease, on all cores; rustfmt then
//! gives the result exactly the layout `cargo fmt` would. rustfmt runs once per core (not once
//! per file), each time on a batch of files of about equal size (see `rustfmt_files`).
//!
//! Formatting is a pure function of the rendered text and the formatter, so its results are
//! kept in a cache (see [`FormatCache`]): a file whose rendered text did not change since the
//! last run is not parsed or formatted again.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::par::parallel;

/// Why formatting failed.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// A template produced Rust that does not parse.
    #[error("template `{template}` produced invalid Rust in {item} (line {line} of its output): {message}\n{excerpt}")]
    InvalidRust {
        /// Template name.
        template: String,
        /// The item around the error.
        item: String,
        /// Line of the rendered text.
        line: usize,
        /// The syn message.
        message: String,
        /// A few lines of the rendered text around the error.
        excerpt: String,
    },
    /// rustfmt could not run, or refused a file.
    #[error("rustfmt: {message}")]
    Rustfmt {
        /// What went wrong, naming the output files.
        message: String,
    },
    /// A scratch file for rustfmt could not be written or read back.
    #[error("formatting {file}: {message}")]
    Io {
        /// The output file (or scratch item) concerned.
        file: String,
        /// What went wrong.
        message: String,
    },
}

/// One rendered Rust file waiting to be formatted.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The template that rendered it (for error messages).
    pub template: String,
    /// Workspace-relative output path, e.g. `generated/losant/src/lib.rs`.
    pub out: String,
    /// The rendered text.
    pub text: String,
}

/// A cache of formatted files under a folder (by default `target/sdkgen/format/`), one
/// sub-folder per output crate. An entry is named by a 128-bit hash of the rendered text and
/// of everything that decides how it is formatted (this generator's version and the rustfmt
/// binary), so an entry is never stale: it is either found or not. After each run the entries
/// a crate no longer uses are removed, so the cache holds one generation per crate.
///
/// The cache is a speed-up, not a trust boundary, but an entry is not used blindly: it starts
/// with a checksum of the formatted text it holds, and an entry whose text no longer matches
/// (edited, truncated, half-written) is a miss and is written again. Only regular files are
/// read from it.
#[derive(Debug, Clone)]
pub struct FormatCache {
    dir: PathBuf,
}

/// The first line of an entry, before the checksum of the text that follows it.
const ENTRY_HEADER: &str = "// sdkgen format cache entry, xxh3-128 of the text below: ";

/// An entry: the header line with the text's checksum, then the text.
fn encode_entry(text: &str) -> String {
    format!("{ENTRY_HEADER}{}\n{text}", checksum(text))
}

/// The text of an entry whose checksum matches it.
fn decode_entry(entry: &str) -> Option<&str> {
    let (header, text) = entry.split_once('\n')?;
    let sum = header.strip_prefix(ENTRY_HEADER)?;
    (sum == checksum(text)).then_some(text)
}

fn checksum(text: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

impl FormatCache {
    /// A cache in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The cache a workspace uses: `$CARGO_TARGET_DIR/sdkgen/format` when that is set, else
    /// `<workspace>/target/sdkgen/format`.
    pub fn for_workspace(workspace: &Path) -> Self {
        let target = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) if !dir.is_empty() => workspace.join(dir),
            _ => workspace.join("target"),
        };
        Self::new(target.join("sdkgen").join("format"))
    }

    /// A cache in the folder `name` inside this one's, apart from its groups (which are named
    /// after output folders, `generated-<api>`): the render cache keeps whole files there,
    /// stored and checked the same way.
    pub(crate) fn nested(&self, name: &str) -> FormatCache {
        FormatCache::new(self.dir.join(name))
    }

    fn entry(&self, group: &str, key: &str) -> PathBuf {
        self.dir.join(group).join(format!("{key}.rs"))
    }

    /// The text of a sound entry. Anything else (missing, not a regular file, too large for a
    /// generated file, checksum wrong) is a miss.
    pub(crate) fn get(&self, group: &str, key: &str) -> Option<String> {
        let dir = self.dir.join(group);
        let name = format!("{key}.rs");
        let bytes =
            crate::files::read_regular_within(&dir, Path::new(&name), "", MAX_ENTRY_BYTES).ok()?;
        let entry = String::from_utf8(bytes).ok()?;
        decode_entry(&entry).map(str::to_string)
    }

    /// Stores an entry, replacing whatever is there (only misses are stored, and a damaged
    /// entry is a miss); a cache that cannot be written only costs speed, never correctness.
    pub(crate) fn put(&self, group: &str, key: &str, text: &str) {
        self.put_all(group, &[(key, text)]);
    }

    /// [`FormatCache::put`] of many entries of one group, on all cores.
    pub(crate) fn put_all<K, T>(&self, group: &str, entries: &[(K, T)])
    where
        K: AsRef<str> + Sync,
        T: AsRef<str> + Sync,
    {
        let dir = self.dir.join(group);
        if entries.is_empty()
            || std::fs::create_dir_all(&dir).is_err()
            || !self.is_real_group(group)
        {
            return;
        }
        parallel(entries.len(), |i| {
            let (key, text) = &entries[i];
            write_entry(&self.entry(group, key.as_ref()), text.as_ref());
        });
    }

    /// Whether a group's folder is a real folder: the cache writes and deletes in it, and
    /// never does so through a link.
    fn is_real_group(&self, group: &str) -> bool {
        matches!(
            crate::files::EntryKind::of_path(&self.dir.join(group)),
            Ok(Some(crate::files::EntryKind::Folder))
        )
    }

    /// Removes the entries of `group` that are not in `used`.
    pub(crate) fn prune(&self, group: &str, used: &HashSet<String>) {
        if !self.is_real_group(group) {
            return;
        }
        let Ok(entries) = std::fs::read_dir(self.dir.join(group)) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = name.strip_suffix(".rs").unwrap_or(&name);
            if !used.contains(key) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Writes an entry over whatever is there, in place. A run that stops halfway, or two runs
/// writing one entry at once, can leave it torn; its checksum then fails and it is a miss. So
/// neither a temporary file and a rename nor a new file is needed: a file made anew takes a
/// new inode, and after many removals ext4 took seconds to find them (8,000 entries: 5 s
/// against 0.5 s in place). A link in the entry's place is never followed (`O_NOFOLLOW`).
fn write_entry(path: &Path, text: &str) {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        return;
    }
    if let Ok(mut file) = options.open(path) {
        let _ = file.write_all(encode_entry(text).as_bytes());
    }
}

/// The crate folder an output belongs to (`generated/<api>`): the cache's group.
pub(crate) fn group_of(out: &str) -> String {
    let mut parts = out.splitn(3, '/');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        (Some(a), None) => a.to_string(),
        _ => "root".to_string(),
    }
}

/// Formats every pending file; returns `(out, formatted text)` in the input order. The cache
/// keeps only the entries this run used.
pub fn format_all(
    pending: Vec<Pending>,
    cache: Option<&FormatCache>,
) -> Result<Vec<(String, String)>, FormatError> {
    format_files(pending, cache, true)
}

/// [`format_all`]; the cache's unused entries are removed only if `prune` (a run that took some
/// files whole from the render cache did not format them, and their entries are not unused).
pub(crate) fn format_files(
    pending: Vec<Pending>,
    cache: Option<&FormatCache>,
    prune: bool,
) -> Result<Vec<(String, String)>, FormatError> {
    let identity = cache.map(|_| formatter_identity());
    let keys: Vec<Option<String>> = pending
        .iter()
        .map(|p| identity.as_deref().map(|id| key(id, &p.text)))
        .collect();
    let mut done: Vec<Option<String>> = pending
        .iter()
        .zip(&keys)
        .map(|(p, key)| match (cache, key) {
            (Some(cache), Some(key)) => cache.get(&group_of(&p.out), key),
            _ => None,
        })
        .collect();
    let misses: Vec<usize> = (0..pending.len()).filter(|&i| done[i].is_none()).collect();
    if !misses.is_empty() {
        let printed = parallel(misses.len(), |j| {
            let p = &pending[misses[j]];
            parse_and_print_cleared(&p.template, &p.text)
        })
        .into_iter()
        .collect::<Result<Vec<String>, FormatError>>()?;
        let formatted = rustfmt_files(&pending, &misses, &printed)?;
        for (&i, text) in misses.iter().zip(formatted) {
            if let (Some(cache), Some(key)) = (cache, &keys[i]) {
                cache.put(&group_of(&pending[i].out), key, &text);
            }
            done[i] = Some(text);
        }
    }
    if let (Some(cache), true) = (cache, prune) {
        let mut used: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        for (p, key) in pending.iter().zip(&keys) {
            if let Some(key) = key {
                used.entry(group_of(&p.out))
                    .or_default()
                    .insert(key.clone());
            }
        }
        for (group, keys) in &used {
            cache.prune(group, keys);
        }
    }
    Ok(pending
        .into_iter()
        .zip(done)
        .map(|(p, text)| (p.out, text.unwrap_or_default()))
        .collect())
}

/// Bump when anything in this pipeline changes its output for the same input, or the format
/// of a cache entry changes.
const PIPELINE_VERSION: u32 = 4;

/// Largest cache entry read: a generated file is far smaller.
const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

fn key(identity: &str, text: &str) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(identity.as_bytes());
    hasher.update(&[0]);
    hasher.update(text.as_bytes());
    format!("{:032x}", hasher.digest128())
}

/// The edition of the generated crates (their manifests say the same), whose style rustfmt
/// follows.
const EDITION: &str = "2024";

/// What decides the formatting besides the text, found without starting a process: this
/// generator's version, and the rustfmt binary (its path, size and mtime; for rustup's proxy
/// also rustup's settings and toolchains, which decide the binary it starts).
pub(crate) fn formatter_identity() -> String {
    let mut id = format!(
        "sdkgen {} pipeline {PIPELINE_VERSION} edition {EDITION}",
        env!("CARGO_PKG_VERSION")
    );
    let stamp = |path: &Path| -> String {
        match std::fs::metadata(path) {
            Ok(m) => format!(
                "{}:{}:{:?}",
                path.display(),
                m.len(),
                m.modified().ok().and_then(|t| t
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()
                    .map(|d| d.as_nanos()))
            ),
            Err(_) => format!("{}:missing", path.display()),
        }
    };
    match std::env::var_os("RUSTFMT") {
        Some(program) => {
            id.push_str(" RUSTFMT=");
            id.push_str(&stamp(Path::new(&program)));
        }
        None => match find_in_path("rustfmt") {
            Some(path) => {
                id.push(' ');
                id.push_str(&stamp(&path));
                if rustup_behind(&path).is_some() {
                    let home = std::env::var_os("RUSTUP_HOME")
                        .map(PathBuf::from)
                        .or_else(|| {
                            std::env::var_os("HOME").map(|h| Path::new(&h).join(".rustup"))
                        });
                    if let Some(home) = home {
                        id.push(' ');
                        id.push_str(&stamp(&home.join("settings.toml")));
                        id.push(' ');
                        id.push_str(&stamp(&home.join("toolchains")));
                    }
                    if let Some(toolchain) = std::env::var_os("RUSTUP_TOOLCHAIN") {
                        id.push_str(" toolchain=");
                        id.push_str(&toolchain.to_string_lossy());
                    }
                }
            }
            None => id.push_str(" no-rustfmt"),
        },
    }
    id
}

/// syn keeps every text it parses in a per-thread source map (for span locations): it is
/// cleared after each run, so peak memory stays at the runs in flight, not all of them. No span
/// outlives `parse_and_print`, whose result is plain text.
fn parse_and_print_cleared(template: &str, text: &str) -> Result<String, FormatError> {
    let result = parse_and_print(template, text).map(|printed| spaced(&printed));
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

fn parse_and_print(template: &str, text: &str) -> Result<String, FormatError> {
    match syn::parse_file(text) {
        Ok(file) => Ok(prettyplease::unparse(&file)),
        Err(err) => {
            let line = err.span().start().line;
            let lines: Vec<&str> = text.lines().collect();
            let item = lines[..line.min(lines.len())]
                .iter()
                .rev()
                .find_map(|l| item_name(l))
                .unwrap_or_else(|| "the file's top level".to_string());
            let from = line.saturating_sub(3);
            let excerpt = lines
                .iter()
                .enumerate()
                .skip(from)
                .take(5)
                .map(|(i, l)| format!("{:>5} | {l}", i + 1))
                .collect::<Vec<_>>()
                .join("\n");
            Err(FormatError::InvalidRust {
                template: template.into(),
                item,
                line,
                message: err.to_string(),
                excerpt,
            })
        }
    }
}

/// prettyplease puts no blank line between items. Hand-written code has one between every two
/// items of a file, module, impl or trait, except between two `use` declarations and between
/// two `mod name;` declarations; rustfmt keeps such a line. The printed text is parsed again
/// (the positions are then lines of the printed text) and a blank line added above each item
/// that needs one; text that does not parse (prettyplease printed it, so it does) is returned
/// as it is.
fn spaced(printed: &str) -> String {
    let Ok(file) = syn::parse_file(printed) else {
        return printed.to_string();
    };
    let mut above = BTreeSet::new();
    items_apart(&file.items, &mut above);
    let mut out = String::with_capacity(printed.len() + 2 * above.len());
    let mut previous_blank = true;
    for (i, line) in printed.lines().enumerate() {
        if above.contains(&(i + 1)) && !previous_blank {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous_blank = line.trim().is_empty();
    }
    out
}

/// The first line of a syntax node (its attributes and doc comments included).
fn first_line(node: &impl quote::ToTokens) -> Option<usize> {
    let first = node.to_token_stream().into_iter().next()?;
    Some(first.span().start().line)
}

/// Records the first line of every item of `items` that wants a blank line above it, and of
/// every item of the modules, impls and traits among them.
fn items_apart(items: &[syn::Item], above: &mut BTreeSet<usize>) {
    let grouped = |item: &syn::Item| match item {
        syn::Item::Use(_) => Some(0),
        syn::Item::Mod(m) if m.content.is_none() => Some(1),
        _ => None,
    };
    for (i, item) in items.iter().enumerate() {
        let apart = i > 0 && (grouped(item).is_none() || grouped(item) != grouped(&items[i - 1]));
        if apart {
            above.extend(first_line(item));
        }
        match item {
            syn::Item::Mod(syn::ItemMod {
                content: Some((_, inner)),
                ..
            }) => items_apart(inner, above),
            syn::Item::Impl(imp) => {
                above.extend(imp.items.iter().skip(1).filter_map(first_line));
            }
            syn::Item::Trait(tr) => {
                above.extend(tr.items.iter().skip(1).filter_map(first_line));
            }
            _ => {}
        }
    }
}

fn item_name(line: &str) -> Option<String> {
    let t = line
        .trim_start()
        .trim_start_matches("pub ")
        .trim_start_matches("async ");
    for kw in [
        "struct ", "enum ", "fn ", "impl ", "mod ", "type ", "trait ",
    ] {
        if let Some(rest) = t.strip_prefix(kw) {
            let name: String = rest
                .chars()
                .take_while(|c| {
                    c.is_alphanumeric()
                        || *c == '_'
                        || *c == '<'
                        || *c == ' '
                        || *c == '>'
                        || *c == ':'
                })
                .collect();
            return Some(format!("`{}{}`", kw, name.trim()));
        }
    }
    None
}

/// The out-of-line modules (`mod name;`) a printed file declares at its top level, with any
/// visibility (`pub`, `pub(crate)`, `pub(in path)`, ...).
fn declared_modules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = match line.strip_prefix("pub") {
                Some(vis) if vis.starts_with(' ') => &vis[1..],
                Some(vis) if vis.starts_with('(') => vis.split_once(") ")?.1,
                _ => line,
            };
            let name = rest.strip_prefix("mod ")?.strip_suffix(';')?;
            let name = name.strip_prefix("r#").unwrap_or(name);
            (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .then(|| name.to_string())
        })
        .collect()
}

/// Formats the misses (as printed) with rustfmt and returns them in the same order.
///
/// The scratch copies go to memory (`/dev/shm`) when `TMPDIR` is not set and that folder
/// exists: on a disk, opening and writing thousands of small files twice costs more than
/// formatting them. A memory folder that is full or refuses files (some containers give it
/// only 64 MiB) is given up for the temp folder, where any error is then reported.
fn rustfmt_files(
    pending: &[Pending],
    misses: &[usize],
    printed: &[String],
) -> Result<Vec<String>, FormatError> {
    if let Some(memory) = memory_folder() {
        if let Ok(formatted) = rustfmt_in(&memory, pending, misses, printed) {
            return Ok(formatted);
        }
    }
    rustfmt_in(&std::env::temp_dir(), pending, misses, printed)
}

fn memory_folder() -> Option<PathBuf> {
    if std::env::var_os("TMPDIR").is_some() {
        return None;
    }
    let shm = Path::new("/dev/shm");
    (cfg!(target_os = "linux") && shm.is_dir()).then(|| shm.to_path_buf())
}

/// [`rustfmt_files`] in a scratch folder under `base`.
///
/// Every file is formatted as a crate root of its own, `f-<n>.rs` in one scratch folder, beside
/// an empty file for each `mod name;` it declares: rustfmt reads the children it finds, and
/// through `lib.rs` would otherwise format a whole crate in one process. So the files can be
/// split into batches of about equal size, one rustfmt per core. (A module name cannot contain
/// `-`, so no child placeholder can take a root's name; the placeholders are all empty, so
/// roots that declare the same name can share one.)
fn rustfmt_in(
    base: &Path,
    pending: &[Pending],
    misses: &[usize],
    printed: &[String],
) -> Result<Vec<String>, FormatError> {
    let scratch = tempfile::Builder::new()
        .prefix("sdkgen-format-")
        .tempdir_in(base)
        .map_err(|e| fail("a scratch folder", format!("cannot create it: {e}")))?;
    let roots: Vec<String> = (0..printed.len()).map(|k| format!("f-{k}.rs")).collect();
    let children: BTreeSet<String> = printed
        .iter()
        .flat_map(|text| declared_modules(text))
        .collect();
    // An empty `rustfmt.toml` beside the files: rustfmt takes the first one it finds from a
    // file's folder up, and without one a config in the user's home would change the layout.
    let empty = children
        .iter()
        .map(|name| format!("{name}.rs"))
        .chain([CONFIG.to_string()]);
    for file in empty {
        std::fs::write(scratch.path().join(file), "")
            .map_err(|e| fail("a scratch file", format!("cannot write it: {e}")))?;
    }
    // Largest first, each to the lightest batch. rustfmt's time follows lines more closely
    // than bytes (long string literals cost little).
    let weight: Vec<usize> = printed
        .iter()
        .map(|t| t.matches('\n').count() + 1)
        .collect();
    let mut order: Vec<usize> = (0..printed.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(weight[k]));
    let workers = std::thread::available_parallelism()
        .map_or(1, |w| w.get())
        .clamp(1, order.len().max(1));
    let mut batches: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); workers];
    for k in order {
        let lightest = batches
            .iter_mut()
            .min_by_key(|(weight, _)| *weight)
            .expect("at least one batch");
        lightest.0 += weight[k];
        lightest.1.push(k);
    }
    let results = parallel(batches.len(), |b| {
        let batch = &batches[b].1;
        for &k in batch {
            if let Err(e) = std::fs::write(scratch.path().join(&roots[k]), &printed[k]) {
                let out = &pending[misses[k]].out;
                return Err(fail(out, format!("cannot write its scratch copy: {e}")));
            }
        }
        let files: Vec<&str> = batch.iter().map(|&k| roots[k].as_str()).collect();
        run_rustfmt(scratch.path(), &files).map_err(|mut e| {
            // Name the output files, not their scratch copies (`f-1.rs` is no part of
            // `f-11.rs`).
            if let FormatError::Rustfmt { message } = &mut e {
                for &k in batch {
                    *message = message.replace(&roots[k], &pending[misses[k]].out);
                }
            }
            e
        })?;
        batch
            .iter()
            .map(|&k| {
                let p = &pending[misses[k]];
                let text = std::fs::read_to_string(scratch.path().join(&roots[k]))
                    .map_err(|e| fail(&p.out, format!("rustfmt lost it: {e}")))?;
                if text.trim().is_empty() && !printed[k].trim().is_empty() {
                    return Err(fail(&p.out, "rustfmt emptied it".into()));
                }
                Ok((k, text))
            })
            .collect::<Result<Vec<_>, _>>()
    });
    let mut formatted = vec![String::new(); printed.len()];
    for result in results {
        for (k, text) in result? {
            formatted[k] = text;
        }
    }
    Ok(formatted)
}

fn fail(file: &str, message: String) -> FormatError {
    FormatError::Io {
        file: file.into(),
        message,
    }
}

/// The name of rustfmt's configuration file in the scratch folder (empty: the defaults, which
/// `cargo fmt` uses on the generated crates).
const CONFIG: &str = "rustfmt.toml";

/// rustfmt runs in the scratch folder with the configuration written there ([`CONFIG`]), so
/// neither a `rustfmt.toml` of the caller's nor one in the user's home can change the output.
fn run_rustfmt(dir: &Path, files: &[&str]) -> Result<(), FormatError> {
    if files.is_empty() {
        return Ok(());
    }
    let output = std::process::Command::new(rustfmt_program())
        .args(["--edition", EDITION, "--quiet", "--config-path", CONFIG])
        .args(files)
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| FormatError::Rustfmt {
            message: format!(
                "cannot run rustfmt ({e}); install it with `rustup component add rustfmt`"
            ),
        })?;
    if !output.status.success() {
        return Err(FormatError::Rustfmt {
            message: format!(
                "rustfmt rejected the output ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
        });
    }
    Ok(())
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The rustfmt to run: `$RUSTFMT`, else `rustfmt` from `PATH`. When that is rustup's proxy,
/// the binary it would start (asked once, from the temp folder, so the default toolchain) is
/// run directly: the proxy costs a second process start.
fn rustfmt_program() -> std::ffi::OsString {
    static RESOLVED: std::sync::OnceLock<std::ffi::OsString> = std::sync::OnceLock::new();
    if let Some(program) = std::env::var_os("RUSTFMT") {
        return program;
    }
    RESOLVED
        .get_or_init(|| resolve_rustup_proxy().unwrap_or_else(|| "rustfmt".into()))
        .clone()
}

/// rustup, when `rustfmt` is its proxy (the same file).
fn rustup_behind(rustfmt: &Path) -> Option<PathBuf> {
    find_in_path("rustup").filter(|rustup| same_file(rustfmt, rustup))
}

fn resolve_rustup_proxy() -> Option<std::ffi::OsString> {
    let rustup = rustup_behind(&find_in_path("rustfmt")?)?;
    let out = std::process::Command::new(&rustup)
        .args(["which", "rustfmt"])
        .current_dir(std::env::temp_dir())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let path = String::from_utf8(out.stdout).ok()?;
    let path = PathBuf::from(path.trim());
    (out.status.success() && path.is_file()).then(|| path.into_os_string())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(out: &str, text: &str) -> Pending {
        Pending {
            template: format!("t/{out}"),
            out: out.into(),
            text: text.into(),
        }
    }

    #[test]
    fn invalid_rust_names_template_and_item() {
        let err = format_all(
            vec![pending(
                "generated/x/src/models.rs",
                "pub struct Good;\npub struct Bad {\n  x: ,\n}\n",
            )],
            None,
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("t/generated/x/src/models.rs"), "{msg}");
        assert!(msg.contains("`struct Bad"), "{msg}");
    }

    /// A syntax error deep in a large file is reported at its line.
    #[test]
    fn errors_in_large_files_keep_their_line() {
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!("pub struct S{i} {{ pub x: u8 }}\n"));
        }
        text.push_str("pub struct Bad {\n  x: ,\n}\n");
        let err = format_all(vec![pending("generated/x/src/models.rs", &text)], None).unwrap_err();
        match err {
            FormatError::InvalidRust { line, item, .. } => {
                assert_eq!(line, 20_002);
                assert_eq!(item, "`struct Bad`");
            }
            other => panic!("{other}"),
        }
    }

    /// Items of a file, an inline module, an impl and a trait are one blank line apart, as in
    /// hand-written code; `use` and `mod name;` declarations stay together, and statements of
    /// a function body are not moved apart.
    #[test]
    fn items_are_one_blank_line_apart() {
        let text =
            "use a::b;\nuse c::d;\nmod x;\nmod y;\n/// A.\n#[derive(Debug)]\npub struct A;\n\
                    impl A {\n/// One.\nfn one() { let a = 1; let b = 2; }\nconst TWO: u8 = 2;\n}\n\
                    trait T { fn f(); fn g(); }\nmod m { struct P; struct Q; }\n";
        let formatted = format_all(vec![pending("generated/x/src/lib.rs", text)], None).unwrap();
        let expected = "use a::b;\nuse c::d;\n\nmod x;\nmod y;\n\n/// A.\n#[derive(Debug)]\npub struct A;\n\n\
                        impl A {\n    /// One.\n    fn one() {\n        let a = 1;\n        let b = 2;\n    }\n\n    \
                        const TWO: u8 = 2;\n}\n\ntrait T {\n    fn f();\n\n    fn g();\n}\n\n\
                        mod m {\n    struct P;\n\n    struct Q;\n}\n";
        assert_eq!(formatted[0].1, expected);
    }

    #[test]
    fn declared_modules_are_the_out_of_line_ones_at_top_level() {
        assert_eq!(
            declared_modules(
                "pub mod a;\nmod r#type;\npub(crate) mod c;\n    mod nested;\nmod d {}\n\
                 pub(in crate::x) mod e;\npub(super) mod f;\npubmod g;\n"
            ),
            ["a", "type", "c", "e", "f"]
        );
    }

    /// Files that declare modules, their module files and files of their own all come out as
    /// rustfmt formats each, and a second run with a cache gives the same bytes without
    /// formatting.
    #[test]
    fn every_file_comes_out_as_rustfmt_formats_it_and_is_cached() {
        let files = vec![
            pending(
                "generated/x/src/lib.rs",
                "pub mod a;\npub mod b;\nfn  top( ) {}\n",
            ),
            pending("generated/x/src/a.rs", "pub fn a( x:u8)->u8{ x }\n"),
            pending("generated/x/src/b/mod.rs", "pub mod c;\n"),
            pending("generated/x/src/b/c.rs", "pub struct C{pub x:u8}\n"),
            pending(
                "generated/x/tests/t.rs",
                "#[test] fn t(){ assert!(true) }\n",
            ),
        ];
        let first = format_all(files.clone(), None).unwrap();
        let expect = [
            "pub mod a;\npub mod b;\n\nfn top() {}\n",
            "pub fn a(x: u8) -> u8 {\n    x\n}\n",
            "pub mod c;\n",
            "pub struct C {\n    pub x: u8,\n}\n",
            "#[test]\nfn t() {\n    assert!(true)\n}\n",
        ];
        for ((out, text), want) in first.iter().zip(expect) {
            assert_eq!(text, want, "{out}");
        }
        let dir = tempfile::tempdir().unwrap();
        let cache = FormatCache::new(dir.path());
        assert_eq!(format_all(files.clone(), Some(&cache)).unwrap(), first);
        let entries = std::fs::read_dir(dir.path().join("generated-x"))
            .unwrap()
            .count();
        assert_eq!(entries, files.len());
        // A sound entry is used without formatting: prove it by planting a marker in one,
        // with the checksum of the planted text.
        let key = key(&formatter_identity(), &files[1].text);
        let entry = cache.entry("generated-x", &key);
        let planted = "// from the cache\npub fn a(x: u8) -> u8 {\n    x\n}\n";
        std::fs::write(&entry, encode_entry(planted)).unwrap();
        let again = format_all(files.clone(), Some(&cache)).unwrap();
        assert_eq!(again[1].1, planted);
        // An entry whose text was edited without its checksum is a miss: the file is formatted
        // again, and the entry is written again.
        let sound = std::fs::read_to_string(&entry).unwrap();
        let edited = sound.replace("// from the cache", "// edited in the cache");
        std::fs::write(&entry, &edited).unwrap();
        let again = format_all(files.clone(), Some(&cache)).unwrap();
        assert_eq!(again, first);
        assert_eq!(
            std::fs::read_to_string(&entry).unwrap(),
            encode_entry(&first[1].1)
        );
        // So is an entry without a header, or with a damaged one.
        for damaged in [planted.to_string(), edited.replacen("xxh3-128", "xxh3", 1)] {
            std::fs::write(&entry, damaged).unwrap();
            assert_eq!(format_all(files.clone(), Some(&cache)).unwrap(), first);
        }
        std::fs::write(&entry, encode_entry(planted)).unwrap();
        // A changed root whose module child comes from the cache: the root is formatted, the
        // child is kept as cached.
        let mut changed = files.clone();
        changed[0].text = "pub mod a;\npub mod b;\nfn  top( ) { }\nfn  more( ) {}\n".into();
        let out = format_all(changed, Some(&cache)).unwrap();
        assert_eq!(
            out[0].1,
            "pub mod a;\npub mod b;\n\nfn top() {}\n\nfn more() {}\n"
        );
        assert_eq!(out[1].1, planted);
        assert_eq!(out[3].1, first[3].1);
        // Entries no longer used are pruned.
        let fewer = files[4..].to_vec();
        format_all(fewer, Some(&cache)).unwrap();
        let entries = std::fs::read_dir(dir.path().join("generated-x"))
            .unwrap()
            .count();
        assert_eq!(entries, 1);
    }

    /// A group folder that is a link is neither written nor pruned through: the files where
    /// it points stay as they were.
    #[test]
    fn the_cache_does_not_write_or_delete_through_a_linked_group() {
        let files = vec![pending(
            "generated/x/src/a.rs",
            "pub fn a( x:u8)->u8{ x }\n",
        )];
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::write(elsewhere.path().join("keep.rs"), "// keep\n").unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("generated-x")).unwrap();
        let cache = FormatCache::new(dir.path());
        let out = format_all(files, Some(&cache)).unwrap();
        assert_eq!(out[0].1, "pub fn a(x: u8) -> u8 {\n    x\n}\n");
        let left: Vec<_> = std::fs::read_dir(elsewhere.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["keep.rs"]);
    }

    /// An entry is rewritten in place, but a link standing where an entry goes is not written
    /// through: the file it points to stays as it was (and the link is no entry either).
    #[cfg(unix)]
    #[test]
    fn an_entry_is_never_written_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("keep.rs");
        std::fs::write(&target, "// keep\n").unwrap();
        let cache = FormatCache::new(dir.path());
        cache.put("generated-x", "k1", "first");
        assert_eq!(cache.get("generated-x", "k1").as_deref(), Some("first"));
        cache.put("generated-x", "k1", "second, shorter");
        assert_eq!(
            cache.get("generated-x", "k1").as_deref(),
            Some("second, shorter")
        );
        std::os::unix::fs::symlink(&target, dir.path().join("generated-x/k2.rs")).unwrap();
        cache.put("generated-x", "k2", "through the link");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "// keep\n");
        assert_eq!(cache.get("generated-x", "k2"), None);
    }

    /// The scratch copies can live in any folder (memory or the temp folder, the fallback):
    /// the result is the same, and the scratch folder is removed afterwards.
    #[test]
    fn rustfmt_gives_the_same_files_from_any_scratch_base() {
        let files = [
            pending("generated/x/src/lib.rs", "pub mod a;\nfn  top( ) {}\n"),
            pending("generated/x/src/a.rs", "pub fn a( x:u8)->u8{ x }\n"),
        ];
        let printed: Vec<String> = files.iter().map(|f| f.text.clone()).collect();
        let misses = [0, 1];
        let base = tempfile::tempdir().unwrap();
        let on_disk = rustfmt_in(base.path(), &files, &misses, &printed).unwrap();
        assert_eq!(
            on_disk,
            [
                "pub mod a;\nfn top() {}\n",
                "pub fn a(x: u8) -> u8 {\n    x\n}\n"
            ]
        );
        assert_eq!(rustfmt_files(&files, &misses, &printed).unwrap(), on_disk);
        assert_eq!(std::fs::read_dir(base.path()).unwrap().count(), 0);
    }
}
