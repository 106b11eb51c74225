//! Reads a spec folder: every file is parsed into a located tree, checked against the shape of
//! the spec format (unknown keys, wrong types, missing keys), and turned into typed data. Every
//! problem of every file is collected; nothing stops at the first one.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::{did_you_mean, Diagnostic};
use crate::files::{EntryKind, ReadError};
use crate::spec::{self, Api, Field, Resource, Shape, Spec, SCHEMA_KEYWORDS, SCHEMA_TYPES};
use crate::text::{self, TextKind};
use crate::yaml::{self, Node, NodeValue, Pos};

/// Largest spec file accepted.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// Most resource or schema files a spec may have.
pub const MAX_FILES: usize = 10_000;

/// Where each spec path is written: file and position. The located tree of each file is kept,
/// and a spec path (`resources.items.actions.get.params[2].name`) is walked through it only when
/// a diagnostic needs its position, so a clean spec pays nothing for positions.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<String>,
    roots: Vec<Root>,
}

/// One file's tree in a [`SourceMap`].
#[derive(Debug, Clone)]
struct Root {
    /// Index into [`SourceMap::files`].
    file: usize,
    /// The spec path of the file's root.
    path: String,
    tree: Tree,
    /// The located tree of an unlocated one, parsed when first needed.
    located: std::sync::OnceLock<Option<Node>>,
}

/// A parsed file: a located tree, or one read quickly without positions
/// ([`yaml::parse_json`]) with the text to find them in when a diagnostic needs them.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    pub(crate) node: Node,
    pub(crate) unlocated_text: Option<String>,
}

impl SourceMap {
    pub(crate) fn add_file(&mut self, file: &str) -> usize {
        self.files.push(file.to_string());
        self.files.len() - 1
    }

    pub(crate) fn record(&mut self, file: usize, path: &str, tree: Tree) {
        self.roots.push(Root {
            file,
            path: path.to_string(),
            tree,
            located: std::sync::OnceLock::new(),
        });
    }

    /// The file and position of the deepest node on `spec_path` (a map entry is positioned at
    /// its key, a sequence item at the item).
    fn locate(&self, spec_path: &str) -> Option<(usize, Pos)> {
        // The file whose root path is the longest prefix of the spec path.
        let (file, rest, root) = self
            .roots
            .iter()
            .filter_map(|root| {
                let rest = spec_path.strip_prefix(root.path.as_str())?;
                (rest.is_empty() || rest.starts_with(['.', '['])).then_some((root.file, rest, root))
            })
            .max_by_key(|(_, rest, _)| std::cmp::Reverse(rest.len()))?;
        let root = match &root.tree.unlocated_text {
            None => &root.tree.node,
            Some(text) => root
                .located
                .get_or_init(|| yaml::parse(text).ok())
                .as_ref()
                .unwrap_or(&root.tree.node),
        };
        let mut pos = root.pos;
        let mut node = root;
        let mut rest = rest;
        loop {
            if let Some(after) = rest.strip_prefix('[') {
                let Some((index, tail)) = after.split_once(']') else {
                    break;
                };
                let (Ok(i), NodeValue::Seq(items)) = (index.parse::<usize>(), &node.value) else {
                    break;
                };
                let Some(item) = items.get(i) else { break };
                node = item;
                pos = item.pos;
                rest = tail;
            } else if let Some(after) = rest.strip_prefix('.') {
                let NodeValue::Map(entries) = &node.value else {
                    break;
                };
                // Keys may themselves hold `.` or `[`: the longest key that fits wins.
                let found = entries
                    .iter()
                    .filter(|(key, _)| {
                        after
                            .strip_prefix(key.name.as_str())
                            .is_some_and(|tail| tail.is_empty() || tail.starts_with(['.', '[']))
                    })
                    .max_by_key(|(key, _)| key.name.len());
                let Some((key, value)) = found else { break };
                node = value;
                pos = key.pos;
                rest = &after[key.name.len()..];
            } else {
                break;
            }
        }
        Some((file, pos))
    }

    /// A diagnostic at the spec path, positioned at the nearest recorded ancestor.
    pub fn diag(&self, spec_path: &str, message: impl Into<String>) -> Diagnostic {
        match self.locate(spec_path) {
            Some((file, pos)) => Diagnostic::new(&self.files[file], Some(pos), spec_path, message),
            None => Diagnostic::new(
                self.files.first().map_or("", String::as_str),
                None,
                spec_path,
                message,
            ),
        }
    }
}

/// A spec and the map from spec paths to source positions.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The typed spec (parts that failed to load are missing).
    pub spec: Spec,
    /// Positions, for later diagnostics.
    pub sources: SourceMap,
}

/// Workspace-relative file names (`spec/losant/api.yaml`) and their bytes: a spec folder read
/// from somewhere other than the disk, such as a git revision.
pub type MemoryFiles = BTreeMap<String, Vec<u8>>;

/// Reads a spec folder in our YAML format (`api.yaml`, `resources/`, `schemas/`); which
/// front-end reads a folder is [`crate::frontend`]'s choice. File names in diagnostics are
/// relative to the workspace. Returns the loaded spec and every problem found while loading.
pub(crate) fn load_spec_format(workspace: &Workspace) -> (Option<Loaded>, Vec<Diagnostic>) {
    let spec_dir = workspace.spec_dir;
    let mut diags = Vec::new();
    let mut sources = SourceMap::default();
    let folder_name = Path::new(spec_dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    // The folder name becomes `generated/<api>/` and the `@generated` header of every file.
    if let Some(problem) = crate::rules::api_name_problem(&folder_name) {
        diags.push(Diagnostic::new(spec_dir, None, "", problem));
    }
    let api_rel = format!("{spec_dir}/api.yaml");
    let api = read_tree(workspace, &api_rel, &mut diags).and_then(|tree| {
        let file = sources.add_file(&api_rel);
        check_shape(&tree.node, &spec::API, "api", &api_rel, &mut diags);
        let api = typed::<Api>(&tree.node, &api_rel, "api", &mut diags);
        sources.record(file, "api", tree);
        api
    });
    if let Some(api) = &api {
        if api.name != folder_name {
            diags.push(sources.diag(
                "api.name",
                format!(
                    "api name `{}` must equal the spec folder name `{folder_name}`",
                    api.name
                ),
            ));
        }
    }

    let mut resources = Vec::new();
    let files = list_files(workspace, "resources", &["yaml", "yml"], &mut diags);
    // Each file is parsed, checked and typed on all cores.
    let trees = read_trees(workspace, &files, &mut diags, |node, (stem, rel), diags| {
        let path = format!("resources.{stem}");
        let before = diags.len();
        check_shape(node, &spec::RESOURCE, &path, rel, diags);
        if diags.len() == before {
            typed::<Resource>(node, rel, &path, diags)
        } else {
            None
        }
    });
    for ((stem, rel), tree) in files.into_iter().zip(trees) {
        let Some((tree, typed)) = tree else {
            continue;
        };
        let path = format!("resources.{stem}");
        let file = sources.add_file(&rel);
        sources.record(file, &path, tree);
        if let Some(resource) = typed {
            if resource.name != stem {
                diags.push(sources.diag(
                    &format!("{path}.name"),
                    format!(
                        "resource name `{}` must equal its file name `{stem}`",
                        resource.name
                    ),
                ));
            }
            resources.push(resource);
        }
    }

    let mut schemas = BTreeMap::new();
    // Schema files that exist but did not load: references to them are not reported again.
    let mut broken = std::collections::BTreeSet::new();
    let files = list_files(workspace, "schemas", &["yaml", "yml", "json"], &mut diags);
    let trees = read_trees(workspace, &files, &mut diags, |node, (stem, rel), diags| {
        check_schema(node, &format!("schemas.{stem}"), rel, diags);
        node.to_json()
    });
    for ((stem, rel), tree) in files.into_iter().zip(trees) {
        let Some((tree, schema)) = tree else {
            broken.insert(stem);
            continue;
        };
        let path = format!("schemas.{stem}");
        if schemas.contains_key(&stem) {
            diags.push(Diagnostic::new(
                &rel,
                None,
                &path,
                format!("schema `{stem}` is defined by two files; keep one"),
            ));
            continue;
        }
        let file = sources.add_file(&rel);
        schemas.insert(stem, schema);
        sources.record(file, &path, tree);
    }

    let changelog = read_changelog(workspace, &mut diags);
    let loaded = api.map(|api| Loaded {
        spec: Spec {
            api,
            resources,
            schemas,
            source: spec_dir.to_string(),
            broken_schemas: broken,
            changelog,
            excluded: Vec::new(),
        },
        sources,
    });
    (loaded, diags)
}

/// `CHANGELOG.md` of the spec folder, if there is one: UTF-8 text, with LF line ends.
pub(crate) fn read_changelog(workspace: &Workspace, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let rel = format!("{}/CHANGELOG.md", workspace.spec_dir);
    let present = match workspace.memory {
        Some(memory) => memory.contains_key(&rel),
        None => !matches!(
            EntryKind::of_path(&workspace.root.join(&rel)),
            Ok(None) | Err(_)
        ),
    };
    if !present {
        return None;
    }
    let bytes = read_spec_file(workspace, &rel)
        .map_err(|message| diags.push(Diagnostic::new(&rel, None, "", message)))
        .ok()?;
    match String::from_utf8(bytes) {
        Ok(text) => Some(text.replace("\r\n", "\n")),
        Err(_) => {
            diags.push(Diagnostic::new(
                &rel,
                None,
                "",
                "file is not valid UTF-8; save it as UTF-8",
            ));
            None
        }
    }
}

/// The `*.yaml` (etc.) files of a sub-folder, sorted, as (stem, relative path).
pub(crate) fn list_files(
    workspace: &Workspace,
    sub: &str,
    exts: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let rel_dir = format!("{}/{sub}", workspace.spec_dir);
    if let Some(memory) = workspace.memory {
        let prefix = format!("{rel_dir}/");
        let names = memory
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix))
            .map(|name| match name.split_once('/') {
                Some((folder, _)) => (folder.to_string(), true),
                None => (name.to_string(), false),
            })
            .collect::<std::collections::BTreeSet<_>>();
        return select_files(&rel_dir, names, exts, diags);
    }
    let dir = workspace.root.join(workspace.spec_dir).join(sub);
    // The folder itself: a link could lead anywhere, so it is not followed.
    match EntryKind::of_path(&dir) {
        Ok(None) => return Vec::new(),
        Ok(Some(EntryKind::Folder)) | Err(_) => {}
        Ok(Some(kind)) => {
            diags.push(Diagnostic::new(
                &rel_dir,
                None,
                "",
                format!(
                    "expected a folder, found {}; links are not followed",
                    kind.describe()
                ),
            ));
            return Vec::new();
        }
    }
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(err) => {
            diags.push(Diagnostic::new(
                &rel_dir,
                None,
                "",
                format!("cannot read folder: {err}"),
            ));
            return Vec::new();
        }
    };
    // The entry's own type: a link to a folder is not a nested folder, and what a link or
    // special file is, `read_tree` decides without opening it.
    let names = entries
        .flatten()
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            (name, entry.file_type().is_ok_and(|t| t.is_dir()))
        })
        .collect();
    select_files(&rel_dir, names, exts, diags)
}

/// The entries of a spec sub-folder, as (name, is a folder), that are spec files: sorted
/// (stem, relative path) pairs; anything else is reported.
fn select_files(
    rel_dir: &str,
    names: std::collections::BTreeSet<(String, bool)>,
    exts: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, is_folder) in names {
        let rel = format!("{rel_dir}/{name}");
        if is_folder {
            diags.push(Diagnostic::new(
                &rel,
                None,
                "",
                format!("unexpected folder in `{rel_dir}`; spec files are not nested"),
            ));
            continue;
        }
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), e.to_string()),
            None => (name.clone(), String::new()),
        };
        if !exts.contains(&ext.as_str()) {
            diags.push(Diagnostic::new(
                &rel,
                None,
                "",
                format!(
                    "unexpected file in `{rel_dir}`; expected files ending in {}",
                    exts.iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            continue;
        }
        out.push((stem, rel));
    }
    out.sort();
    if out.len() > MAX_FILES {
        diags.push(Diagnostic::new(
            rel_dir,
            None,
            "",
            format!("{} files; at most {MAX_FILES} are accepted", out.len()),
        ));
        out.truncate(MAX_FILES);
    }
    out
}

/// Reads and parses files and runs `process` on each tree, on all cores; problems become
/// diagnostics, in file order.
fn read_trees<T: Send>(
    workspace: &Workspace,
    files: &[(String, String)],
    diags: &mut Vec<Diagnostic>,
    process: impl Fn(&Node, &(String, String), &mut Vec<Diagnostic>) -> T + Sync,
) -> Vec<Option<(Tree, T)>> {
    let results = crate::par::parallel(files.len(), |i| {
        let mut found = Vec::new();
        let node = read_tree(workspace, &files[i].1, &mut found).map(|mut tree| {
            let before = found.len();
            let mut processed = process(&tree.node, &files[i], &mut found);
            // Problems in a tree read without positions: read it again with them.
            if found.len() > before {
                if let Some(located) = tree
                    .unlocated_text
                    .as_deref()
                    .and_then(|t| yaml::parse(t).ok())
                {
                    found.truncate(before);
                    tree = Tree {
                        node: located,
                        unlocated_text: None,
                    };
                    processed = process(&tree.node, &files[i], &mut found);
                }
            }
            (tree, processed)
        });
        (node, found)
    });
    results
        .into_iter()
        .map(|(node, found)| {
            diags.extend(found);
            node
        })
        .collect()
}

/// The workspace as the loader of one spec folder sees it: files are read only inside
/// `<root>/<spec_dir>`.
pub(crate) struct Workspace<'a> {
    pub(crate) root: &'a Path,
    pub(crate) spec_dir: &'a str,
    /// Files held in memory, read instead of the disk.
    pub(crate) memory: Option<&'a MemoryFiles>,
}

impl Workspace<'_> {
    /// Whether a workspace-relative file is there (nothing is opened).
    pub(crate) fn exists(&self, rel: &str) -> bool {
        match self.memory {
            Some(memory) => memory.contains_key(rel),
            None => !matches!(EntryKind::of_path(&self.root.join(rel)), Ok(None) | Err(_)),
        }
    }
}

/// A UTF-8 byte order mark: YAML allows one, but it would become part of the first key.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads and parses one file; problems become diagnostics.
pub(crate) fn read_tree(
    workspace: &Workspace,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Tree> {
    let bytes = match read_spec_file(workspace, rel) {
        Ok(bytes) => bytes,
        Err(message) => {
            diags.push(Diagnostic::new(rel, None, "", message));
            return None;
        }
    };
    if bytes.starts_with(BOM) {
        diags.push(Diagnostic::new(
            rel,
            Some(Pos { line: 1, col: 1 }),
            "",
            "file starts with a UTF-8 byte order mark; save it as UTF-8 without one",
        ));
        return None;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
            diags.push(Diagnostic::new(
                rel,
                Some(Pos { line, col }),
                "",
                "file is not valid UTF-8; save it as UTF-8",
            ));
            return None;
        }
    };
    if text.trim().is_empty() {
        diags.push(Diagnostic::new(
            rel,
            Some(Pos { line: 1, col: 1 }),
            "",
            "file is empty",
        ));
        return None;
    }
    // JSON is read quickly, without positions; they are found only if a diagnostic needs one.
    if rel.ends_with(".json") {
        if let Some(node) = yaml::parse_json(&text).filter(|n| n.value != NodeValue::Null) {
            return Some(Tree {
                node,
                unlocated_text: Some(text),
            });
        }
    }
    match yaml::parse(&text) {
        Ok(node) if node.value == NodeValue::Null => {
            diags.push(Diagnostic::new(
                rel,
                Some(Pos { line: 1, col: 1 }),
                "",
                "file is empty (it holds only comments)",
            ));
            None
        }
        Ok(node) => Some(Tree {
            node,
            unlocated_text: None,
        }),
        Err(problems) => {
            diags.extend(
                problems
                    .into_iter()
                    .map(|p| Diagnostic::new(rel, Some(p.pos), "", p.message)),
            );
            None
        }
    }
}

/// The bytes of a spec file: a regular file (or a link to one) inside the spec folder, of at
/// most [`MAX_FILE_BYTES`]. Links out of the folder, named pipes, sockets and devices are
/// refused from their metadata, before anything is opened.
fn read_spec_file(workspace: &Workspace, rel: &str) -> Result<Vec<u8>, String> {
    let folder = workspace.spec_dir;
    let Some(inside) = rel.strip_prefix(folder).map(|r| r.trim_start_matches('/')) else {
        return Err(format!("file is not inside the spec folder `{folder}`"));
    };
    if let Some(memory) = workspace.memory {
        return match memory.get(rel) {
            None => Err("file is missing; every spec folder needs it".to_string()),
            Some(bytes) if bytes.len() as u64 > MAX_FILE_BYTES => Err(format!(
                "file is {} bytes; spec files may be at most {MAX_FILE_BYTES} bytes",
                bytes.len()
            )),
            Some(bytes) => Ok(bytes.clone()),
        };
    }
    let read = crate::files::read_regular_within(
        &workspace.root.join(folder),
        Path::new(inside),
        &format!("{folder}/"),
        MAX_FILE_BYTES,
    );
    read.map_err(|err| match err {
        ReadError::Missing => "file is missing; every spec folder needs it".to_string(),
        ReadError::TooLarge { size, .. } => {
            format!("file is {size} bytes; spec files may be at most {MAX_FILE_BYTES} bytes")
        }
        ReadError::Grew(_) => format!(
            "file grew beyond {MAX_FILE_BYTES} bytes while it was read; spec files may be at \
             most {MAX_FILE_BYTES} bytes"
        ),
        other => other.to_string(),
    })
}

pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    node: &Node,
    rel: &str,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match serde_json::from_value::<T>(node.to_json()) {
        Ok(t) => Some(t),
        Err(err) => {
            // The shape check reports the cause with a position; this only fires if the two
            // disagree, and then it still says which file.
            if !diags.iter().any(|d| d.file == rel) {
                diags.push(Diagnostic::new(
                    rel,
                    Some(node.pos),
                    path,
                    format!("cannot read spec: {err}"),
                ));
            }
            None
        }
    }
}

fn key_path(path: &str, key: &str) -> String {
    format!("{path}.{key}")
}

/// Checks a node against the shape of the spec format.
pub fn check_shape(
    node: &Node,
    shape: &Shape,
    path: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let wrong = |expected: &str| {
        let mut d = Diagnostic::new(
            file,
            Some(node.pos),
            path,
            format!("expected {expected}, found {}", node.kind()),
        );
        if expected == "a string" && matches!(node.value, NodeValue::Number(_) | NodeValue::Bool(_))
        {
            d = d.with_hint("put the value in quotes to make it a string");
        }
        d
    };
    match shape {
        Shape::Any => check_data(node, path, file, diags),
        Shape::Str | Shape::Prose => match node.as_str() {
            None => diags.push(wrong("a string")),
            Some(s) => {
                let kind = if matches!(shape, Shape::Str) {
                    TextKind::Line
                } else {
                    TextKind::Prose
                };
                if let Some(problem) = text::problem(s, kind) {
                    diags.push(Diagnostic::new(
                        file,
                        Some(node.pos),
                        path,
                        format!("`{}` {problem}", field_name(path)),
                    ));
                }
            }
        },
        Shape::Bool => {
            if !matches!(node.value, NodeValue::Bool(_)) {
                diags.push(wrong("`true` or `false`"));
            }
        }
        Shape::Code => match &node.value {
            NodeValue::Number(n) if n.as_u64().is_some_and(|c| (100..=599).contains(&c)) => {}
            NodeValue::Number(n) => diags.push(Diagnostic::new(
                file,
                Some(node.pos),
                path,
                format!("`{n}` is not an HTTP status code (100 to 599)"),
            )),
            _ => diags.push(wrong("an HTTP status code such as 200")),
        },
        Shape::OneOf(allowed) => match node.as_str() {
            Some(s) if allowed.contains(&s) => {}
            Some(s) => {
                let mut d = Diagnostic::new(
                    file,
                    Some(node.pos),
                    path,
                    format!(
                        "`{s}` is not one of {}",
                        allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                if let Some(h) = did_you_mean(s, allowed.iter().copied()) {
                    d = d.with_hint(h);
                }
                diags.push(d);
            }
            None => diags.push(wrong("a string")),
        },
        Shape::List(item) => match &node.value {
            NodeValue::Seq(items) => {
                for (i, it) in items.iter().enumerate() {
                    check_shape(it, item, &format!("{path}[{i}]"), file, diags);
                }
            }
            _ => diags.push(wrong("a list")),
        },
        Shape::MapOf(value) => match node.as_map() {
            Some(entries) => {
                for (k, v) in entries {
                    let child = key_path(path, &k.name);
                    if let Some(problem) = text::problem(&k.name, TextKind::Line) {
                        diags.push(Diagnostic::new(
                            file,
                            Some(k.pos),
                            &child,
                            format!("a key of `{}` {problem}", field_name(path)),
                        ));
                    }
                    check_shape(v, value, &child, file, diags);
                }
            }
            None => diags.push(wrong("a mapping")),
        },
        Shape::Obj(fields) => check_object(node, fields, path, file, diags, "key"),
        Shape::Schema => check_schema(node, path, file, diags),
    }
}

/// The key a spec path ends in (`scopes` for `resources.a.actions.get.scopes[1]`).
fn field_name(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// The strings (and keys) of an example, default or accepted value: data, whose only
/// forbidden characters are bidirectional controls.
fn check_data(node: &Node, path: &str, file: &str, diags: &mut Vec<Diagnostic>) {
    match &node.value {
        NodeValue::String(s) => {
            if let Some(problem) = text::problem(s, TextKind::Data) {
                diags.push(Diagnostic::new(
                    file,
                    Some(node.pos),
                    path,
                    format!("a string in `{}` {problem}", field_name(path)),
                ));
            }
        }
        NodeValue::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                check_data(item, &format!("{path}[{i}]"), file, diags);
            }
        }
        NodeValue::Map(entries) => {
            for (k, v) in entries {
                let child = key_path(path, &k.name);
                if let Some(problem) = text::problem(&k.name, TextKind::Data) {
                    diags.push(Diagnostic::new(
                        file,
                        Some(k.pos),
                        &child,
                        format!("a key in `{}` {problem}", field_name(path)),
                    ));
                }
                check_data(v, &child, file, diags);
            }
        }
        NodeValue::Null | NodeValue::Bool(_) | NodeValue::Number(_) => {}
    }
}

fn check_object(
    node: &Node,
    fields: &[Field],
    path: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
    what: &str,
) {
    let Some(entries) = node.as_map() else {
        diags.push(Diagnostic::new(
            file,
            Some(node.pos),
            path,
            format!("expected a mapping, found {}", node.kind()),
        ));
        return;
    };
    for (k, v) in entries {
        let child = key_path(path, &k.name);
        match fields.iter().find(|f| f.name == k.name) {
            Some(f) => check_shape(v, &f.shape, &child, file, diags),
            None => {
                let mut d = Diagnostic::new(
                    file,
                    Some(k.pos),
                    &child,
                    format!("unknown {what} `{}`", k.name),
                );
                if let Some(h) = did_you_mean(&k.name, fields.iter().map(|f| f.name)) {
                    d = d.with_hint(h);
                } else {
                    d = d.with_hint(format!(
                        "allowed here: {}",
                        fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ));
                }
                diags.push(d);
            }
        }
    }
    for f in fields.iter().filter(|f| f.required) {
        if !entries.iter().any(|(k, _)| k.name == f.name) {
            diags.push(Diagnostic::new(
                file,
                Some(node.pos),
                path,
                format!("missing required key `{}`", f.name),
            ));
        }
    }
}

/// Checks a JSON Schema node: only the documented keywords, each with a value of the right type.
pub fn check_schema(node: &Node, path: &str, file: &str, diags: &mut Vec<Diagnostic>) {
    let Some(entries) = node.as_map() else {
        diags.push(Diagnostic::new(
            file,
            Some(node.pos),
            path,
            format!("expected a schema (a mapping), found {}", node.kind()),
        ));
        return;
    };
    // Keywords get their own message: "unsupported keyword" says more than "unknown key".
    for (k, _) in entries {
        if !SCHEMA_KEYWORDS.iter().any(|f| f.name == k.name) {
            let child = key_path(path, &k.name);
            let message = if k.name.starts_with("x-") {
                format!("unknown extension `{}`", k.name)
            } else {
                format!("unsupported JSON-Schema keyword `{}`", k.name)
            };
            let mut d = Diagnostic::new(file, Some(k.pos), &child, message);
            d = match did_you_mean(&k.name, SCHEMA_KEYWORDS.iter().map(|f| f.name)) {
                Some(h) => d.with_hint(h),
                None => d.with_hint("spec/README.md lists the supported keywords"),
            };
            diags.push(d);
        }
    }
    let known: Vec<Field> = SCHEMA_KEYWORDS.to_vec();
    for (k, v) in entries {
        let Some(f) = known.iter().find(|f| f.name == k.name) else {
            continue;
        };
        let child = key_path(path, &k.name);
        match k.name.as_str() {
            "type" => check_type_keyword(v, &child, file, diags),
            "additionalProperties" => {
                if !matches!(v.value, NodeValue::Bool(_)) {
                    check_schema(v, &child, file, diags);
                }
            }
            "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties"
            | "maxProperties" => {
                if !matches!(&v.value, NodeValue::Number(n) if n.as_u64().is_some()) {
                    diags.push(Diagnostic::new(
                        file,
                        Some(v.pos),
                        &child,
                        format!(
                            "`{}` must be a non-negative integer, found {}",
                            k.name,
                            v.kind()
                        ),
                    ));
                }
            }
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
                if !matches!(v.value, NodeValue::Number(_)) {
                    diags.push(Diagnostic::new(
                        file,
                        Some(v.pos),
                        &child,
                        format!("`{}` must be a number, found {}", k.name, v.kind()),
                    ));
                }
            }
            _ => check_shape(v, &f.shape, &child, file, diags),
        }
    }
}

fn check_type_keyword(v: &Node, path: &str, file: &str, diags: &mut Vec<Diagnostic>) {
    let one = |n: &Node, diags: &mut Vec<Diagnostic>| match n.as_str() {
        Some(t) if SCHEMA_TYPES.contains(&t) => {}
        Some(t) => {
            let mut d = Diagnostic::new(
                file,
                Some(n.pos),
                path,
                format!("`{t}` is not a JSON-Schema type"),
            );
            if let Some(h) = did_you_mean(t, SCHEMA_TYPES.iter().copied()) {
                d = d.with_hint(h);
            }
            diags.push(d);
        }
        None => diags.push(Diagnostic::new(
            file,
            Some(n.pos),
            path,
            format!("a type must be a string, found {}", n.kind()),
        )),
    };
    match &v.value {
        NodeValue::Seq(items) if !items.is_empty() => items.iter().for_each(|n| one(n, diags)),
        NodeValue::Seq(_) => diags.push(Diagnostic::new(
            file,
            Some(v.pos),
            path,
            "`type` lists no type",
        )),
        _ => one(v, diags),
    }
}
