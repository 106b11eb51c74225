//! What changed between two versions of one API's spec, and what each change does to the
//! people who use the generated crate: whether their Rust code still compiles, whether the
//! requests it sends still mean the same, or whether only the documentation moved.
//!
//! Both sides are loaded and checked specs ([`Side`]) with their lowered IR. Two comparisons
//! run over them and their findings are merged per spec item:
//!
//! - the spec comparison walks api, resources, actions, parameters, bodies, responses and
//!   schemas, and finds wire and documentation changes (a path, method, server, header or
//!   default that changes; a value no longer accepted; a description), each located at its
//!   spec file and line;
//! - the Rust comparison walks the IR (the names and types the crate exposes) and finds what
//!   no longer compiles: a removed method, type, field or variant, a changed type, a new
//!   argument. Whether an *addition* breaks code depends on how the crate is generated; that
//!   decision is made in one place, [`addition_breaks_rust`].
//!
//! Each finding carries a key (`schemas.apiToken.properties.status`,
//! `resources.items.actions.get.params.sortField`) that both comparisons spell the same way,
//! so a parameter that is removed is one change, classed as breaking Rust code, with its wire
//! effect named too.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use crate::diag::Diagnostics;
use crate::ir::{ActionIr, CrateIr, Model, ParamIr, ResourceIr, TypeRef};
use crate::load::{Loaded, SourceMap};
use crate::names;
use crate::rust::{type_text, Place};
use crate::schema::{is_object_with_props, required_names, string_enum, types_of};
use crate::spec::{Action, Body, Param, Response, Spec};

/// What a change does to users of the generated crate, from the least to the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Descriptions, examples, summaries, scopes: the reference pages and rustdoc change.
    DocsOnly,
    /// Code keeps compiling and requests keep their meaning (an added action, optional
    /// parameter, server).
    Compatible,
    /// Code still compiles but what goes over the wire changes (a path, method, server, auth
    /// scheme, header or default; a value the server used to accept is no longer documented).
    BreaksRequests,
    /// Code written against the crate no longer compiles.
    BreaksRust,
}

impl Class {
    /// The class as the report writes it.
    pub fn label(self) -> &'static str {
        match self {
            Class::BreaksRust => "breaks Rust code",
            Class::BreaksRequests => "breaks requests",
            Class::Compatible => "compatible",
            Class::DocsOnly => "docs only",
        }
    }

    /// Whether the crate needs a breaking version.
    pub fn is_breaking(self) -> bool {
        self >= Class::BreaksRequests
    }
}

/// An item added to the crate, for [`addition_breaks_rust`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Addition {
    /// A field of a model that may be absent (`Option<T>`).
    OptionalField,
    /// A field of a model users build (a request reaches it) that is always present: an
    /// argument of its constructor.
    RequiredField,
    /// A field that is always present, of a model users only read (no constructor).
    RequiredReadField,
    /// A known value of an enum of accepted values.
    EnumVariant,
    /// An alternative of a union (`oneOf` / `anyOf`).
    UnionVariant,
    /// A documented server (a variant of `Server`).
    Server,
    /// An optional parameter (a builder method on the request).
    OptionalParam,
    /// A required parameter or body (a new argument of the action's method).
    Argument,
    /// A new resource, action, model type or associated constant.
    Item,
}

/// Whether code written against the crate as it was generated before fails to compile once
/// `addition` is made. The one place that decides this: when the generated code changes
/// (`#[non_exhaustive]` models and enums with constructors and setters make new fields and
/// variants compatible), this table changes with it, and the compile test of the fixture
/// corpus (`cargo xtask diff-corpus`) shows whether it is right.
///
/// Models, enums and unions are `#[non_exhaustive]`, so a new optional field, enum value or
/// union alternative breaks nothing; a new required field changes the constructor of a model
/// users build (a model users only read has none), a
/// new server a `match` over the exhaustive `Server`, and a new argument every call.
pub const fn addition_breaks_rust(addition: Addition) -> bool {
    match addition {
        // Models, enums and unions are `#[non_exhaustive]`: users build models with a
        // constructor and setters, and match enums and unions with a wildcard arm.
        Addition::OptionalField => false,
        Addition::RequiredField => true,
        Addition::RequiredReadField => false,
        Addition::EnumVariant => false,
        Addition::UnionVariant => false,
        // `Server` is `#[non_exhaustive]` too.
        Addition::Server => false,
        Addition::Argument => true,
        Addition::OptionalParam => false,
        Addition::Item => false,
    }
}

fn addition_class(addition: Addition) -> Class {
    if addition_breaks_rust(addition) {
        Class::BreaksRust
    } else {
        Class::Compatible
    }
}

/// Where a change belongs in the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Group {
    /// `api.yaml`: servers, auth, headers, the parameters every action accepts.
    Api,
    /// A resource as a whole.
    Resource {
        /// The resource's name.
        resource: String,
    },
    /// One action of a resource.
    Action {
        /// The resource's name.
        resource: String,
        /// The action's name.
        action: String,
    },
    /// A named schema (and every type made from it).
    Schema {
        /// The schema's name.
        schema: String,
    },
}

impl Group {
    /// The group a key belongs to (keys start like spec paths: `api.`, `resources.R`,
    /// `resources.R.actions.A`, `schemas.S`).
    fn of_key(key: &str) -> Group {
        let mut parts = key.split('.');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("resources"), Some(r), Some("actions"), Some(a)) => Group::Action {
                resource: r.to_string(),
                action: a.to_string(),
            },
            (Some("resources"), Some(r), _, _) => Group::Resource {
                resource: r.to_string(),
            },
            (Some("schemas"), Some(s), _, _) => Group::Schema {
                schema: s.to_string(),
            },
            _ => Group::Api,
        }
    }

    /// The heading the report gives the group.
    pub fn title(&self) -> String {
        match self {
            Group::Api => "API-wide (api.yaml)".to_string(),
            Group::Resource { resource } => format!("resource {resource}"),
            Group::Action { resource, action } => format!("action {resource}.{action}"),
            Group::Schema { schema } => format!("schema {schema}"),
        }
    }

    /// Sort order: the API, then each resource followed by its actions, then the schemas.
    fn order(&self) -> (u8, &str, &str) {
        match self {
            Group::Api => (0, "", ""),
            Group::Resource { resource } => (1, resource, ""),
            Group::Action { resource, action } => (1, resource, action),
            Group::Schema { schema } => (2, schema, ""),
        }
    }
}

/// A spec file and line: the new side's, or the old side's (with its git revision) for what
/// was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The git revision of the old side, when the location is there.
    pub rev: Option<String>,
    /// The file, relative to the workspace.
    pub file: String,
    /// The line, where one is known.
    pub line: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(rev) = &self.rev {
            write!(f, "{rev}:")?;
        }
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// What it does to users.
    pub class: Class,
    /// Where it belongs in the report.
    pub group: Group,
    /// The item that changed (`query parameter \`sortField\``).
    pub subject: String,
    /// What happened to it (`removed`, `type changes from ... to ...`).
    pub change: String,
    /// What it does to Rust code written against the crate.
    pub rust: Vec<String>,
    /// What it does to the requests the crate sends.
    pub wire: Vec<String>,
    /// Where it is in the spec.
    pub at: Location,
    /// The item's key, shared by both comparisons.
    pub key: String,
    /// Whether the item as a whole was added or removed (changes inside it fold into it).
    #[serde(skip)]
    whole: bool,
}

/// One side of a comparison: a checked spec, where its text is, and its IR.
#[derive(Debug, Clone)]
pub struct Side {
    /// The spec.
    pub spec: Spec,
    /// Where each spec path is written.
    pub sources: SourceMap,
    /// What the crate exposes.
    pub ir: CrateIr,
    /// The git revision the spec was read at; `None` for the working tree.
    pub rev: Option<String>,
}

impl Side {
    /// Checks and lowers what [`crate::load::load`] or [`crate::load::load_memory`] read; every
    /// problem is returned.
    pub fn new(
        loaded: (Option<Loaded>, Vec<crate::diag::Diagnostic>),
        rev: Option<String>,
    ) -> Result<Side, Diagnostics> {
        Side::checked(loaded, rev, true)
    }

    /// [`Side::new`] for the old side of a comparison: its structure is checked (lowering
    /// needs it sound) but not its values (defaults and examples against their schemas), which
    /// the comparison reads only as text. That is the most expensive check, and the revision's
    /// own `generate` ran it; a wrong example there does not stop the comparison.
    pub fn base(
        loaded: (Option<Loaded>, Vec<crate::diag::Diagnostic>),
        rev: Option<String>,
    ) -> Result<Side, Diagnostics> {
        Side::checked(loaded, rev, false)
    }

    fn checked(
        loaded: (Option<Loaded>, Vec<crate::diag::Diagnostic>),
        rev: Option<String>,
        check_values: bool,
    ) -> Result<Side, Diagnostics> {
        let (loaded, mut diags) = loaded;
        let Some(loaded) = loaded else {
            diags.sort();
            return Err(Diagnostics(diags));
        };
        let (ir, _) = crate::pipeline::check_and_lower(&loaded, diags, check_values);
        let ir = ir.map_err(Diagnostics)?;
        Ok(Side {
            spec: loaded.spec,
            sources: loaded.sources,
            ir,
            rev,
        })
    }

    fn locate(&self, spec_path: &str) -> Location {
        let d = self.sources.diag(spec_path, "");
        Location {
            rev: self.rev.clone(),
            file: d.file,
            line: d.pos.map(|p| p.line),
        }
    }
}

/// Every change from `old` to `new`, merged per item and sorted by group, then by spec
/// position.
pub fn compare(old: &Side, new: &Side) -> Vec<Change> {
    let mut cx = Cx {
        old,
        new,
        spec: Vec::new(),
        rust: Vec::new(),
        request_old: request_schemas(&old.spec),
        request_new: request_schemas(&new.spec),
    };
    cx.api();
    cx.resources();
    cx.schemas();
    RustCx::new(&mut cx).run();
    merge(cx.spec, cx.rust)
}

/// Folds the Rust findings into the spec findings of the same item (or of the added or
/// removed item that holds it) and sorts the result.
fn merge(spec: Vec<Change>, rust: Vec<Change>) -> Vec<Change> {
    let mut out = spec;
    // Per key, the first change that is more than documentation; and the same per key without
    // its union alternatives, since a union of strings is one Rust type (keyed by the union)
    // whose values the spec keeps under `oneOf[i]`.
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut merged_alternatives: HashMap<String, usize> = HashMap::new();
    for (i, c) in out.iter().enumerate() {
        if c.class != Class::DocsOnly {
            index.entry(c.key.clone()).or_insert(i);
            merged_alternatives
                .entry(without_alternatives(&c.key))
                .or_insert(i);
        }
    }
    for change in rust {
        let exact = index.get(&change.key);
        let holder = exact.or_else(|| merged_alternatives.get(&change.key));
        let holder = holder.copied().or_else(|| {
            // The nearest enclosing item that was added or removed as a whole.
            let mut key = change.key.as_str();
            while let Some((parent, _)) = key.rsplit_once('.') {
                key = parent;
                if let Some(&i) = index.get(key) {
                    if out[i].whole {
                        return Some(i);
                    }
                }
            }
            None
        });
        match holder {
            Some(i) => {
                let into = &mut out[i];
                into.class = into.class.max(change.class);
                for r in change.rust {
                    if !into.rust.contains(&r) {
                        into.rust.push(r);
                    }
                }
            }
            None => {
                index.insert(change.key.clone(), out.len());
                out.push(change);
            }
        }
    }
    out.sort_by(|a, b| {
        (a.group.order(), &a.at.rev, &a.at.file, a.at.line, &a.key).cmp(&(
            b.group.order(),
            &b.at.rev,
            &b.at.file,
            b.at.line,
            &b.key,
        ))
    });
    out
}

/// A change key without its `oneOf[i]` and `anyOf[i]` steps.
fn without_alternatives(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut rest = key;
    while let Some(at) = [".oneOf[", ".anyOf["]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
    {
        let after = &rest[at + ".oneOf[".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(']') {
            out.push_str(&rest[..at]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..at + 1]);
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Where a spec path is: on the old side (for what was removed) or on the new side.
enum At<'p> {
    Old(&'p str),
    New(&'p str),
}

struct Cx<'a> {
    old: &'a Side,
    new: &'a Side,
    spec: Vec<Change>,
    rust: Vec<Change>,
    /// The named schemas each side sends in requests (a body, a parameter, or reached from
    /// one): a tightened rule there breaks requests.
    request_old: BTreeSet<String>,
    request_new: BTreeSet<String>,
}

impl<'a> Cx<'a> {
    fn locate(&self, at: &At<'_>) -> Location {
        match at {
            At::Old(path) => self.old.locate(path),
            At::New(path) => self.new.locate(path),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        class: Class,
        key: &str,
        subject: impl Into<String>,
        change: impl Into<String>,
        wire: Option<String>,
        at: At<'_>,
    ) {
        let at = self.locate(&at);
        self.spec.push(Change {
            class,
            group: Group::of_key(key),
            subject: subject.into(),
            change: change.into(),
            rust: Vec::new(),
            wire: wire.into_iter().collect(),
            at,
            key: key.to_string(),
            whole: false,
        });
    }

    /// An item added or removed as a whole: changes found inside it fold into it.
    fn push_whole(
        &mut self,
        class: Class,
        key: &str,
        subject: impl Into<String>,
        change: impl Into<String>,
        wire: Option<String>,
        at: At<'_>,
    ) {
        self.push(class, key, subject, change, wire, at);
        if let Some(last) = self.spec.last_mut() {
            last.whole = true;
        }
    }

    fn docs(&mut self, key: &str, subject: &str, what: &str, at: At<'_>) {
        self.push(
            Class::DocsOnly,
            key,
            subject,
            format!("{what} changes"),
            None,
            at,
        );
    }

    fn api(&mut self) {
        let (o, n) = (&self.old.spec.api, &self.new.spec.api);
        let texts = [
            ("title", Some(&o.title), Some(&n.title)),
            (
                "description",
                o.description.as_ref(),
                n.description.as_ref(),
            ),
            ("version", Some(&o.version), Some(&n.version)),
            ("docs_url", o.docs_url.as_ref(), n.docs_url.as_ref()),
            ("rate_limit", o.rate_limit.as_ref(), n.rate_limit.as_ref()),
            (
                "auth.description",
                Some(&o.auth.description),
                Some(&n.auth.description),
            ),
        ];
        for (key, a, b) in texts {
            if a != b {
                let path = format!("api.{key}");
                let at = if b.is_some() { &path } else { "api" };
                self.docs(&path, "the API's", key, At::New(at));
            }
        }
        if o.krate.name != n.krate.name {
            self.push(
                Class::BreaksRust,
                "api.crate.name",
                "crate name",
                format!("changes from `{}` to `{}`", o.krate.name, n.krate.name),
                None,
                At::New("api.crate.name"),
            );
            if let Some(last) = self.spec.last_mut() {
                last.rust.push(format!(
                    "dependents name the package `{}` in Cargo.toml and the library `{}` in \
                     code",
                    o.krate.name,
                    o.krate.name.replace('-', "_")
                ));
            }
        }
        if o.base_path != n.base_path {
            self.push(
                Class::BreaksRequests,
                "api.base_path",
                "base path",
                format!("changes from `{}` to `{}`", o.base_path, n.base_path),
                Some("every request goes to a different path".into()),
                At::New("api.base_path"),
            );
        }
        for (what, a, b) in [
            ("auth.header", &o.auth.header, &n.auth.header),
            ("auth.prefix", &o.auth.prefix, &n.auth.prefix),
        ] {
            if a != b {
                self.push(
                    Class::BreaksRequests,
                    &format!("api.{what}"),
                    "auth scheme",
                    format!("{what} changes from `{a}` to `{b}`"),
                    Some("the token is sent differently".into()),
                    At::New(&format!("api.{what}")),
                );
            }
        }
        self.servers();
        self.headers();
        let (op, np) = (&o.parameters, &n.parameters);
        self.params("api.parameters", "api.parameters", op, np);
        self.responses(
            "api.errors",
            "api.errors",
            "API-wide error",
            &o.errors,
            &n.errors,
        );
    }

    fn servers(&mut self) {
        let (o, n) = (&self.old.spec.api.servers, &self.new.spec.api.servers);
        for (i, s) in o.iter().enumerate() {
            let key = format!("api.servers.{}", s.name);
            match n.iter().position(|t| t.name == s.name) {
                None => self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("server `{}`", s.name),
                    "removed",
                    Some(format!("`{}` is no longer documented", s.url)),
                    At::Old(&format!("api.servers[{i}]")),
                ),
                Some(j) => {
                    let t = &n[j];
                    let at = format!("api.servers[{j}]");
                    if s.url != t.url {
                        self.push(
                            Class::BreaksRequests,
                            &key,
                            format!("server `{}`", s.name),
                            format!("URL changes from `{}` to `{}`", s.url, t.url),
                            Some("requests to this server go to the new URL".into()),
                            At::New(&format!("{at}.url")),
                        );
                    }
                    if s.default != t.default && t.default {
                        self.push(
                            Class::BreaksRequests,
                            "api.servers",
                            "default server",
                            format!("becomes `{}`", t.name),
                            Some("clients that pick no server send elsewhere".into()),
                            At::New(&at),
                        );
                    }
                    if s.description != t.description {
                        self.docs(
                            &format!("{key}.description"),
                            &format!("server `{}`", s.name),
                            "description",
                            At::New(&at),
                        );
                    }
                }
            }
        }
        for (j, t) in n.iter().enumerate() {
            if !o.iter().any(|s| s.name == t.name) {
                self.push_whole(
                    Class::Compatible,
                    &format!("api.servers.{}", t.name),
                    format!("server `{}`", t.name),
                    "added",
                    None,
                    At::New(&format!("api.servers[{j}]")),
                );
            }
        }
    }

    fn headers(&mut self) {
        let (o, n) = (&self.old.spec.api.headers, &self.new.spec.api.headers);
        for (i, h) in o.iter().enumerate() {
            let key = format!("api.headers.{}", h.name);
            let subject = format!("header `{}`", h.name);
            match n.iter().position(|t| t.name == h.name) {
                None => self.push(
                    Class::BreaksRequests,
                    &key,
                    subject,
                    "removed",
                    Some("requests no longer send it".into()),
                    At::Old(&format!("api.headers[{i}]")),
                ),
                Some(j) => {
                    let t = &n[j];
                    if h.value != t.value {
                        self.push(
                            Class::BreaksRequests,
                            &key,
                            subject.clone(),
                            format!("value changes from `{}` to `{}`", h.value, t.value),
                            Some("every request sends the new value".into()),
                            At::New(&format!("api.headers[{j}].value")),
                        );
                    }
                    if h.description != t.description {
                        self.docs(
                            &format!("{key}.description"),
                            &subject,
                            "description",
                            At::New(&format!("api.headers[{j}]")),
                        );
                    }
                }
            }
        }
        for (j, t) in n.iter().enumerate() {
            if !o.iter().any(|h| h.name == t.name) {
                self.push(
                    Class::BreaksRequests,
                    &format!("api.headers.{}", t.name),
                    format!("header `{}`", t.name),
                    "added",
                    Some(format!("every request sends `{}: {}`", t.name, t.value)),
                    At::New(&format!("api.headers[{j}]")),
                );
            }
        }
    }

    /// Parameters, matched by name: `key` is the key prefix, `loc` the spec path of the list.
    fn params(&mut self, key: &str, loc: &str, o: &[Param], n: &[Param]) {
        let renamed = renamed_path_params(o, n);
        for (i, p) in o.iter().enumerate() {
            let found = n
                .iter()
                .position(|q| q.name == p.name)
                .or_else(|| renamed.iter().find(|(a, _)| *a == i).map(|(_, b)| *b));
            let pkey = format!("{key}.{}", found.map_or(&p.name, |j| &n[j].name));
            let subject = format!("{} parameter `{}`", p.location.as_str(), p.name);
            if let Some(j) = found.filter(|j| n[*j].name != p.name) {
                self.push(
                    Class::DocsOnly,
                    &pkey,
                    subject.clone(),
                    format!("renamed `{}`; it keeps its place in the path", n[j].name),
                    None,
                    At::New(&format!("{loc}[{j}]")),
                );
            }
            let Some(j) = found else {
                self.push_whole(
                    Class::Compatible,
                    &pkey,
                    subject,
                    "removed",
                    Some("no longer sent".into()),
                    At::Old(&format!("{loc}[{i}]")),
                );
                continue;
            };
            let q = &n[j];
            let at = format!("{loc}[{j}]");
            if p.location != q.location {
                self.push(
                    Class::BreaksRequests,
                    &pkey,
                    subject.clone(),
                    format!(
                        "moves from the {} to the {}",
                        p.location.as_str(),
                        q.location.as_str()
                    ),
                    Some("sent in a different place".into()),
                    At::New(&format!("{at}.in")),
                );
            }
            if p.required != q.required {
                let (class, change, wire) = if q.required {
                    (
                        Class::BreaksRequests,
                        "becomes required",
                        Some("requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, "becomes optional", None)
                };
                self.push(
                    class,
                    &pkey,
                    subject.clone(),
                    change,
                    wire,
                    At::New(&format!("{at}.required")),
                );
            }
            if p.default != q.default {
                self.push(
                    Class::BreaksRequests,
                    &pkey,
                    subject.clone(),
                    format!(
                        "default changes from {} to {}",
                        shown(p.default.as_ref()),
                        shown(q.default.as_ref())
                    ),
                    Some("requests that leave it out get a different value".into()),
                    At::New(&at),
                );
            }
            if p.description != q.description {
                self.docs(&pkey, &subject, "description", At::New(&at));
            }
            if p.example != q.example {
                self.docs(&pkey, &subject, "example", At::New(&at));
            }
            let w = Walk {
                key: pkey.clone(),
                subject,
                loc: format!("{at}.schema"),
                request: true,
                depth: 0,
            };
            self.walk(&w, &p.schema, &q.schema);
        }
        for (j, q) in n.iter().enumerate() {
            if !o.iter().any(|p| p.name == q.name) && !renamed.iter().any(|(_, b)| *b == j) {
                let (class, wire) = if q.required {
                    (
                        Class::BreaksRequests,
                        Some("requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, None)
                };
                let what = if q.required {
                    "added, required"
                } else {
                    "added, optional"
                };
                self.push_whole(
                    class,
                    &format!("{key}.{}", q.name),
                    format!("{} parameter `{}`", q.location.as_str(), q.name),
                    what,
                    wire,
                    At::New(&format!("{loc}[{j}]")),
                );
            }
        }
    }

    /// Responses matched by status code; only their documentation is compared here (the
    /// success body's schema is walked by the caller).
    fn responses(&mut self, key: &str, loc: &str, what: &str, o: &[Response], n: &[Response]) {
        for (i, r) in o.iter().enumerate() {
            let rkey = format!("{key}.{}", r.code);
            let subject = format!("{what} {}", r.code);
            match n.iter().position(|s| s.code == r.code) {
                None => self.push(
                    Class::DocsOnly,
                    &rkey,
                    subject,
                    "no longer documented",
                    None,
                    At::Old(&format!("{loc}[{i}]")),
                ),
                Some(j) => {
                    let s = &n[j];
                    if r.description != s.description {
                        self.docs(
                            &rkey,
                            &subject,
                            "description",
                            At::New(&format!("{loc}[{j}]")),
                        );
                    }
                    if r.example != s.example {
                        self.docs(&rkey, &subject, "example", At::New(&format!("{loc}[{j}]")));
                    }
                    if r.schema != s.schema && key.ends_with(".errors") {
                        self.docs(
                            &rkey,
                            &subject,
                            "body schema",
                            At::New(&format!("{loc}[{j}]")),
                        );
                    }
                }
            }
        }
        for (j, s) in n.iter().enumerate() {
            if !o.iter().any(|r| r.code == s.code) {
                self.push(
                    Class::DocsOnly,
                    &format!("{key}.{}", s.code),
                    format!("{what} {}", s.code),
                    "newly documented",
                    None,
                    At::New(&format!("{loc}[{j}]")),
                );
            }
        }
    }

    fn resources(&mut self) {
        let (old, new) = (self.old, self.new);
        let by_name = |side: &'a Side| -> HashMap<&'a str, &'a crate::spec::Resource> {
            side.spec
                .resources
                .iter()
                .map(|r| (r.name.as_str(), r))
                .collect()
        };
        let (old_names, new_names) = (by_name(old), by_name(new));
        for r in &old.spec.resources {
            let key = format!("resources.{}", r.name);
            let Some(&s) = new_names.get(r.name.as_str()) else {
                self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("resource `{}`", r.name),
                    "removed",
                    Some("its actions are no longer documented".into()),
                    At::Old(&key),
                );
                continue;
            };
            if same_path(&r.path, &s.path) && r.path != s.path {
                self.push(
                    Class::DocsOnly,
                    &format!("{key}.path"),
                    "path",
                    format!(
                        "placeholders renamed (`{}` to `{}`); the URL is the same",
                        r.path, s.path
                    ),
                    None,
                    At::New(&format!("{key}.path")),
                );
            } else if r.path != s.path {
                self.push(
                    Class::BreaksRequests,
                    &format!("{key}.path"),
                    "path",
                    format!("changes from `{}` to `{}`", r.path, s.path),
                    Some("every action of the resource goes to a different path".into()),
                    At::New(&format!("{key}.path")),
                );
            }
            if r.title != s.title {
                self.docs(
                    &key,
                    "the resource's",
                    "title",
                    At::New(&format!("{key}.title")),
                );
            }
            if r.description != s.description {
                self.docs(
                    &key,
                    "the resource's",
                    "description",
                    At::New(&format!("{key}.description")),
                );
            }
            for (aname, a) in &r.actions {
                let akey = format!("{key}.actions.{aname}");
                match s.actions.get(aname) {
                    None => self.push_whole(
                        Class::Compatible,
                        &akey,
                        format!("action `{aname}`"),
                        "removed",
                        Some(format!(
                            "`{} {}{}` is no longer documented",
                            a.method, r.path, a.path
                        )),
                        At::Old(&akey),
                    ),
                    Some(b) => self.action(&akey, a, b),
                }
            }
            for aname in s.actions.keys() {
                if !r.actions.contains_key(aname) {
                    let akey = format!("{key}.actions.{aname}");
                    self.push_whole(
                        Class::Compatible,
                        &akey,
                        format!("action `{aname}`"),
                        "added",
                        None,
                        At::New(&akey),
                    );
                }
            }
        }
        for s in &new.spec.resources {
            if !old_names.contains_key(s.name.as_str()) {
                let key = format!("resources.{}", s.name);
                self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("resource `{}`", s.name),
                    "added",
                    None,
                    At::New(&key),
                );
            }
        }
    }

    fn action(&mut self, key: &str, a: &Action, b: &Action) {
        if a.method != b.method {
            self.push(
                Class::BreaksRequests,
                &format!("{key}.method"),
                "method",
                format!("changes from {} to {}", a.method, b.method),
                Some("requests use the new method".into()),
                At::New(&format!("{key}.method")),
            );
        }
        if !same_path(&a.path, &b.path) {
            self.push(
                Class::BreaksRequests,
                &format!("{key}.path"),
                "path",
                format!("suffix changes from `{}` to `{}`", a.path, b.path),
                Some("requests go to a different path".into()),
                At::New(&format!("{key}.path")),
            );
        }
        if a.summary != b.summary {
            self.docs(
                key,
                "the action's",
                "summary",
                At::New(&format!("{key}.summary")),
            );
        }
        if a.description != b.description {
            self.docs(key, "the action's", "description", At::New(key));
        }
        if a.scopes != b.scopes {
            let gone: Vec<&str> = a
                .scopes
                .iter()
                .filter(|s| !b.scopes.contains(s))
                .map(String::as_str)
                .collect();
            let added: Vec<&str> = b
                .scopes
                .iter()
                .filter(|s| !a.scopes.contains(s))
                .map(String::as_str)
                .collect();
            let mut what = Vec::new();
            if !gone.is_empty() {
                what.push(format!("`{}` no longer listed", gone.join("`, `")));
            }
            if !added.is_empty() {
                what.push(format!("`{}` added", added.join("`, `")));
            }
            if what.is_empty() {
                what.push("reordered".to_string());
            }
            self.push(
                Class::DocsOnly,
                &format!("{key}.scopes"),
                "scopes",
                what.join("; "),
                None,
                At::New(&format!("{key}.scopes")),
            );
        }
        self.params(
            &format!("{key}.params"),
            &format!("{key}.params"),
            &a.params,
            &b.params,
        );
        self.body(key, a.body.as_ref(), b.body.as_ref());
        if let (Some(r), Some(s)) = (a.responses.first(), b.responses.first()) {
            if r.code != s.code {
                self.push(
                    Class::Compatible,
                    &format!("{key}.response"),
                    "success response",
                    format!("status changes from {} to {}", r.code, s.code),
                    None,
                    At::New(&format!("{key}.responses[0].code")),
                );
            }
            match (&r.schema, &s.schema) {
                (Some(x), Some(y)) => {
                    let w = Walk {
                        key: format!("{key}.response"),
                        subject: "the success response".into(),
                        loc: format!("{key}.responses[0].schema"),
                        request: false,
                        depth: 0,
                    };
                    self.walk(&w, x, y);
                }
                (None, None) => {}
                (_, y) => self.push(
                    Class::Compatible,
                    &format!("{key}.response"),
                    "success response",
                    if y.is_some() {
                        "gains a body"
                    } else {
                        "loses its body"
                    },
                    None,
                    At::New(&format!("{key}.responses[0]")),
                ),
            }
        }
        self.responses(
            &format!("{key}.responses"),
            &format!("{key}.responses"),
            "success response",
            &a.responses,
            &b.responses,
        );
        self.responses(
            &format!("{key}.errors"),
            &format!("{key}.errors"),
            "error response",
            &a.errors,
            &b.errors,
        );
        if a.paginated.as_ref().map(|p| (&p.items, &p.total))
            != b.paginated.as_ref().map(|p| (&p.items, &p.total))
        {
            self.push(
                Class::Compatible,
                &format!("{key}.paginated"),
                "pagination",
                "changes",
                None,
                At::New(key),
            );
        }
    }

    fn body(&mut self, key: &str, a: Option<&Body>, b: Option<&Body>) {
        let bkey = format!("{key}.body");
        match (a, b) {
            (None, None) => {}
            (Some(_), None) => self.push_whole(
                Class::Compatible,
                &bkey,
                "request body",
                "removed",
                Some("no longer sent".into()),
                At::Old(&bkey),
            ),
            (None, Some(b)) => self.push_whole(
                if b.required {
                    Class::BreaksRequests
                } else {
                    Class::Compatible
                },
                &bkey,
                "request body",
                if b.required {
                    "added, required"
                } else {
                    "added, optional"
                },
                b.required
                    .then(|| "requests without it are refused".to_string()),
                At::New(&bkey),
            ),
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let (class, what, wire) = if b.required {
                        (
                            Class::BreaksRequests,
                            "becomes required",
                            Some("requests without it are refused".to_string()),
                        )
                    } else {
                        (Class::Compatible, "becomes optional", None)
                    };
                    self.push(class, &bkey, "request body", what, wire, At::New(&bkey));
                }
                if a.description != b.description || a.name != b.name {
                    self.docs(&bkey, "request body", "name or description", At::New(&bkey));
                }
                if a.example != b.example {
                    self.docs(&bkey, "request body", "example", At::New(&bkey));
                }
                let w = Walk {
                    key: bkey.clone(),
                    subject: "the request body".into(),
                    loc: format!("{bkey}.schema"),
                    request: true,
                    depth: 0,
                };
                self.walk(&w, &a.schema, &b.schema);
            }
        }
    }

    fn schemas(&mut self) {
        let (old, new) = (self.old, self.new);
        for (name, a) in &old.spec.schemas {
            let key = format!("schemas.{name}");
            match new.spec.schemas.get(name) {
                None => self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("schema `{name}`"),
                    "removed",
                    None,
                    At::Old(&key),
                ),
                Some(b) => {
                    let w = Walk {
                        key: key.clone(),
                        subject: format!("schema `{name}`"),
                        loc: key.clone(),
                        request: self.request_old.contains(name) || self.request_new.contains(name),
                        depth: 0,
                    };
                    self.walk(&w, a, b);
                }
            }
        }
        for name in new.spec.schemas.keys() {
            if !old.spec.schemas.contains_key(name) {
                let key = format!("schemas.{name}");
                self.push_whole(
                    Class::Compatible,
                    &key,
                    format!("schema `{name}`"),
                    "added",
                    None,
                    At::New(&key),
                );
            }
        }
    }

    /// Compares two schemas in the same place. Named schemas referred to on both sides by the
    /// same name are compared once, as schemas; a `$ref` that changes is compared by what it
    /// leads to, so moving an inline object into a named schema changes nothing on the wire.
    fn walk(&mut self, w: &Walk, a: &Value, b: &Value) {
        if a == b || w.depth > 8 {
            return;
        }
        let (ra, rb) = (a.get("$ref"), b.get("$ref"));
        if ra.is_some() && ra == rb {
            return;
        }
        if let (Some(x), Some(y)) = (ra.and_then(Value::as_str), rb.and_then(Value::as_str)) {
            self.push(
                if w.request {
                    Class::BreaksRequests
                } else {
                    Class::Compatible
                },
                &w.key,
                w.subject.clone(),
                format!("refers to schema `{y}` instead of `{x}`"),
                Some(if w.request {
                    format!("requests send a `{y}` where they sent a `{x}`")
                } else {
                    format!("the server answers with a `{y}` where it sent a `{x}`")
                }),
                At::New(&w.loc),
            );
            return;
        }
        if ra.is_some() || rb.is_some() {
            let a2 = crate::schema::resolve(&self.old.spec, a);
            let b2 = crate::schema::resolve(&self.new.spec, b);
            let inner = Walk {
                depth: w.depth + 1,
                ..w.clone()
            };
            // Locations stay at the reference: that is the line that changed.
            self.walk_resolved(&inner, a2, b2);
            return;
        }
        self.walk_resolved(w, a, b);
    }

    fn walk_resolved(&mut self, w: &Walk, a: &Value, b: &Value) {
        if a == b {
            return;
        }
        let (Some(ao), Some(bo)) = (a.as_object(), b.as_object()) else {
            self.push(
                Class::Compatible,
                &w.key,
                w.subject.clone(),
                "schema changes",
                None,
                At::New(&w.loc),
            );
            return;
        };
        let tight = if w.request {
            Class::BreaksRequests
        } else {
            Class::Compatible
        };
        for doc in ["description", "title", "$comment", "examples", "deprecated"] {
            if ao.get(doc) != bo.get(doc) {
                self.docs(&w.key, &w.subject, doc, At::New(&w.loc));
            }
        }
        // Types: null is looked at on its own (it decides `Option` and `Nullable`).
        let (ta, tb) = (types_of(a), types_of(b));
        let (na, nb) = (ta.contains(&"null"), tb.contains(&"null"));
        let strip = |t: Vec<&str>| -> Vec<String> {
            t.into_iter()
                .filter(|t| *t != "null")
                .map(str::to_string)
                .collect()
        };
        let (sa, sb) = (strip(ta), strip(tb));
        if sa != sb || ao.get("format") != bo.get("format") {
            let show = |t: &[String], f: Option<&Value>| {
                let t = if t.is_empty() {
                    "any".to_string()
                } else {
                    t.join(" or ")
                };
                match f.and_then(Value::as_str) {
                    Some(f) => format!("{t} ({f})"),
                    None => t,
                }
            };
            self.push(
                tight,
                &w.key,
                w.subject.clone(),
                format!(
                    "type changes from {} to {}",
                    show(&sa, ao.get("format")),
                    show(&sb, bo.get("format"))
                ),
                w.request
                    .then(|| "values of the old type are no longer accepted".to_string()),
                At::New(&w.loc),
            );
        }
        if na != nb {
            let (class, what, wire) = if nb {
                (Class::Compatible, "becomes nullable", None)
            } else {
                (
                    tight,
                    "is no longer nullable",
                    w.request.then(|| "null is no longer accepted".to_string()),
                )
            };
            self.push(
                class,
                &w.key,
                w.subject.clone(),
                what,
                wire,
                At::New(&w.loc),
            );
        }
        self.enum_values(w, ao.get("enum"), bo.get("enum"));
        if ao.get("default") != bo.get("default") {
            self.push(
                Class::BreaksRequests,
                &w.key,
                w.subject.clone(),
                format!(
                    "default changes from {} to {}",
                    shown(ao.get("default")),
                    shown(bo.get("default"))
                ),
                Some("requests that leave it out get a different value".into()),
                At::New(&w.loc),
            );
        }
        self.rules(w, a, b, tight);
        for ext in [
            "x-secret",
            "x-epoch",
            "x-untyped",
            "x-rust-name",
            "readOnly",
            "writeOnly",
        ] {
            if ao.get(ext) != bo.get(ext) {
                self.push(
                    Class::Compatible,
                    &w.key,
                    w.subject.clone(),
                    format!("`{ext}` changes"),
                    None,
                    At::New(&w.loc),
                );
            }
        }
        self.properties(w, a, b, tight);
        for (kw, what) in [("items", "items"), ("additionalProperties", "values")] {
            if let (Some(x), Some(y)) = (ao.get(kw), bo.get(kw)) {
                let inner = w.child(kw, &format!("{what} of {}", w.subject));
                self.walk(&inner, x, y);
            } else if ao.get(kw) != bo.get(kw) {
                self.push(
                    Class::Compatible,
                    &w.key,
                    w.subject.clone(),
                    format!("`{kw}` changes"),
                    None,
                    At::New(&w.loc),
                );
            }
        }
        if ao.get("patternProperties") != bo.get("patternProperties") {
            self.push(
                Class::Compatible,
                &w.key,
                w.subject.clone(),
                "`patternProperties` change",
                None,
                At::New(&w.loc),
            );
        }
        self.alternatives(w, a, b, tight);
    }

    fn enum_values(&mut self, w: &Walk, a: Option<&Value>, b: Option<&Value>) {
        let values = |v: Option<&Value>| -> Vec<Value> {
            v.and_then(Value::as_array).cloned().unwrap_or_default()
        };
        let (va, vb) = (values(a), values(b));
        if a.is_none() || b.is_none() {
            if a.is_some() != b.is_some() {
                let (class, what) = if a.is_some() {
                    (Class::Compatible, "no longer lists its accepted values")
                } else {
                    (
                        if w.request {
                            Class::BreaksRequests
                        } else {
                            Class::Compatible
                        },
                        "now lists its accepted values",
                    )
                };
                self.push(
                    class,
                    &w.key,
                    w.subject.clone(),
                    what,
                    None,
                    At::New(&w.loc),
                );
            }
            return;
        }
        for v in &va {
            if !vb.contains(v) {
                let text = enum_text(v);
                self.push(
                    if w.request {
                        Class::BreaksRequests
                    } else {
                        Class::Compatible
                    },
                    &format!("{}.enum.{text}", w.key),
                    format!("value `{text}` of {}", w.subject),
                    "removed",
                    Some(if w.request {
                        "a value the server accepted is no longer documented".into()
                    } else {
                        "the server no longer documents it".into()
                    }),
                    At::New(&w.loc),
                );
            }
        }
        for v in &vb {
            if !va.contains(v) {
                let text = enum_text(v);
                self.push(
                    Class::Compatible,
                    &format!("{}.enum.{text}", w.key),
                    format!("value `{text}` of {}", w.subject),
                    "added",
                    None,
                    At::New(&w.loc),
                );
            }
        }
    }

    /// Value rules: a rule added or made stricter refuses values that were accepted.
    fn rules(&mut self, w: &Walk, a: &Value, b: &Value, tight: Class) {
        const LOWER: &[&str] = &[
            "minLength",
            "minItems",
            "minimum",
            "exclusiveMinimum",
            "minProperties",
        ];
        const UPPER: &[&str] = &[
            "maxLength",
            "maxItems",
            "maximum",
            "exclusiveMaximum",
            "maxProperties",
        ];
        const OTHER: &[&str] = &["pattern", "multipleOf", "const", "uniqueItems"];
        for kw in LOWER.iter().chain(UPPER).chain(OTHER) {
            let (x, y) = (a.get(*kw), b.get(*kw));
            if x == y {
                continue;
            }
            let stricter = match (x.and_then(Value::as_f64), y.and_then(Value::as_f64)) {
                (Some(x), Some(y)) if LOWER.contains(kw) => y > x,
                (Some(x), Some(y)) if UPPER.contains(kw) => y < x,
                _ => y.is_some(),
            };
            let (class, wire) = if stricter {
                (
                    tight,
                    w.request
                        .then(|| "values that were accepted may be refused".to_string()),
                )
            } else {
                (Class::Compatible, None)
            };
            self.push(
                class,
                &w.key,
                w.subject.clone(),
                format!("`{kw}` changes from {} to {}", shown(x), shown(y)),
                wire,
                At::New(&w.loc),
            );
        }
    }

    fn properties(&mut self, w: &Walk, a: &Value, b: &Value, tight: Class) {
        let empty = serde_json::Map::new();
        let pa = a
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let pb = b
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let (ra, rb): (BTreeSet<&str>, BTreeSet<&str>) =
            (required_names(a).collect(), required_names(b).collect());
        for (name, x) in pa {
            let key = format!("{}.properties.{name}", w.key);
            let subject = format!("field `{name}` of {}", w.subject);
            let Some(y) = pb.get(name) else {
                self.push_whole(
                    Class::Compatible,
                    &key,
                    subject,
                    "removed",
                    Some("the server no longer documents it".into()),
                    At::New(&w.loc),
                );
                continue;
            };
            let loc = format!("{}.properties.{name}", w.loc);
            let (was, is) = (ra.contains(name.as_str()), rb.contains(name.as_str()));
            if was != is {
                let (class, what, wire) = if is {
                    (
                        tight,
                        "becomes required",
                        w.request
                            .then(|| "requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, "becomes optional", None)
                };
                self.push(class, &key, subject.clone(), what, wire, At::New(&loc));
            }
            let inner = Walk {
                key,
                subject,
                loc,
                request: w.request,
                depth: w.depth,
            };
            self.walk(&inner, x, y);
        }
        for name in pb.keys() {
            if !pa.contains_key(name) {
                let required = rb.contains(name.as_str());
                let (class, wire) = if required && w.request {
                    (
                        Class::BreaksRequests,
                        Some("requests without it are refused".to_string()),
                    )
                } else {
                    (Class::Compatible, None)
                };
                self.push_whole(
                    class,
                    &format!("{}.properties.{name}", w.key),
                    format!("field `{name}` of {}", w.subject),
                    if required {
                        "added, required"
                    } else {
                        "added, optional"
                    },
                    wire,
                    At::New(&format!("{}.properties.{name}", w.loc)),
                );
            }
        }
    }

    fn alternatives(&mut self, w: &Walk, a: &Value, b: &Value, tight: Class) {
        for kw in ["oneOf", "anyOf", "allOf"] {
            let list = |v: &Value| v.get(kw).and_then(Value::as_array).cloned();
            let (la, lb) = (list(a), list(b));
            if la == lb {
                continue;
            }
            let (la, lb) = (la.unwrap_or_default(), lb.unwrap_or_default());
            for (i, (x, y)) in la.iter().zip(&lb).enumerate() {
                let inner = w.child(
                    &format!("{kw}[{i}]"),
                    &format!("alternative {} of {}", i + 1, w.subject),
                );
                self.walk(&inner, x, y);
            }
            if lb.len() > la.len() {
                self.push(
                    Class::Compatible,
                    &w.key,
                    w.subject.clone(),
                    format!("gains {} `{kw}` alternative(s)", lb.len() - la.len()),
                    None,
                    At::New(&w.loc),
                );
            } else if la.len() > lb.len() {
                self.push(
                    tight,
                    &w.key,
                    w.subject.clone(),
                    format!("loses {} `{kw}` alternative(s)", la.len() - lb.len()),
                    w.request
                        .then(|| "values of the lost alternatives are refused".to_string()),
                    At::New(&w.loc),
                );
            }
        }
    }
}

/// Where a schema walk is: the key its findings take, how the report names it, its spec
/// path on the new side, and whether it is sent in requests.
#[derive(Debug, Clone)]
struct Walk {
    key: String,
    subject: String,
    loc: String,
    request: bool,
    depth: usize,
}

impl Walk {
    fn child(&self, step: &str, subject: &str) -> Walk {
        Walk {
            key: format!("{}.{step}", self.key),
            subject: subject.to_string(),
            loc: format!("{}.{step}", self.loc),
            request: self.request,
            depth: self.depth,
        }
    }
}

/// Path parameters renamed: the old and new positions of the path parameters whose names are
/// only on one side, paired in path order (a placeholder keeps its place in the URL).
fn renamed_path_params(o: &[Param], n: &[Param]) -> Vec<(usize, usize)> {
    let only = |a: &[Param], b: &[Param]| -> Vec<usize> {
        a.iter()
            .enumerate()
            .filter(|(_, p)| {
                p.location == crate::spec::ParamIn::Path && !b.iter().any(|q| q.name == p.name)
            })
            .map(|(i, _)| i)
            .collect()
    };
    only(o, n).into_iter().zip(only(n, o)).collect()
}

/// Whether two path templates give the same URLs: equal but for the names of their
/// placeholders.
fn same_path(a: &str, b: &str) -> bool {
    let shape = |p: &str| -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in p.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push_str("{}");
                }
                '}' => inside = false,
                _ if inside => {}
                c => out.push(c),
            }
        }
        out
    };
    shape(a) == shape(b)
}

fn shown(v: Option<&Value>) -> String {
    match v {
        None => "none".to_string(),
        Some(v) => format!("`{v}`"),
    }
}

fn enum_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The named schemas a spec sends: those a parameter or body refers to, and those they reach.
fn request_schemas(spec: &Spec) -> BTreeSet<String> {
    let mut todo: Vec<String> = Vec::new();
    for p in &spec.api.parameters {
        todo.extend(crate::schema::ref_targets(&p.schema));
    }
    for r in &spec.resources {
        for a in r.actions.values() {
            for p in &a.params {
                todo.extend(crate::schema::ref_targets(&p.schema));
            }
            if let Some(b) = &a.body {
                todo.extend(crate::schema::ref_targets(&b.schema));
            }
        }
    }
    reach(spec, todo)
}

fn reach(spec: &Spec, mut todo: Vec<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            if let Some(s) = spec.schemas.get(&name) {
                todo.extend(crate::schema::ref_targets(s));
            }
        }
    }
    seen
}

/// For each named schema, the actions that send or receive it (directly or through other
/// schemas), as `resource.action`.
pub fn used_by(spec: &Spec) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &spec.resources {
        for (aname, a) in &r.actions {
            let mut refs = Vec::new();
            for p in &a.params {
                refs.extend(crate::schema::ref_targets(&p.schema));
            }
            if let Some(b) = &a.body {
                refs.extend(crate::schema::ref_targets(&b.schema));
            }
            for resp in &a.responses {
                if let Some(s) = &resp.schema {
                    refs.extend(crate::schema::ref_targets(s));
                }
            }
            for name in reach(spec, refs) {
                out.entry(name)
                    .or_default()
                    .push(format!("{}.{aname}", r.name));
            }
        }
    }
    out
}

/// Where the IR's types come from: each Rust type name, the key of the spec item that makes it
/// and its spec path. The names follow the lowering's naming rules (a named schema's name or
/// `x-rust-name`, an inline type's title or the name of the place it is in); a name lowering
/// had to number is found without its number.
#[derive(Debug, Default)]
struct Origins {
    map: HashMap<String, (String, String)>,
}

impl Origins {
    fn of(spec: &Spec) -> Origins {
        let mut o = Origins::default();
        for (name, s) in &spec.schemas {
            let rust = match s.get("x-rust-name").and_then(Value::as_str) {
                Some(n) => names::camel(n),
                None => names::camel(name),
            };
            let key = format!("schemas.{name}");
            o.define(&rust, s, &key, &key);
        }
        for r in &spec.resources {
            for (aname, a) in &r.actions {
                let base = format!("resources.{}.actions.{aname}", r.name);
                // As `client_ir::plan_action` names an action's types.
                let hint = format!("{}{}", names::camel(&r.name), names::camel(aname));
                for (i, p) in a.params.iter().enumerate() {
                    o.inline(
                        &format!("{hint}{}", names::camel(&p.name)),
                        &p.schema,
                        &format!("{base}.params.{}", p.name),
                        &format!("{base}.params[{i}].schema"),
                    );
                }
                if let Some(b) = &a.body {
                    o.inline(
                        &format!("{hint}Body"),
                        &b.schema,
                        &format!("{base}.body"),
                        &format!("{base}.body.schema"),
                    );
                }
                if let Some(s) = a.responses.first().and_then(|s| s.schema.as_ref()) {
                    o.inline(
                        &format!("{hint}Response"),
                        s,
                        &format!("{base}.response"),
                        &format!("{base}.responses[0].schema"),
                    );
                }
            }
        }
        for (i, p) in spec.api.parameters.iter().enumerate() {
            o.inline(
                &names::camel(&p.name),
                &p.schema,
                &format!("api.parameters.{}", p.name),
                &format!("api.parameters[{i}].schema"),
            );
        }
        o
    }

    fn define(&mut self, rust: &str, s: &Value, key: &str, loc: &str) {
        for name in [rust.to_string(), format!("{rust}Request")] {
            self.map
                .entry(name)
                .or_insert_with(|| (key.to_string(), loc.to_string()));
        }
        if s.get("$ref").is_some() || string_enum(s).is_some() {
            return;
        }
        if is_object_with_props(s) {
            if let Some(props) = s.get("properties").and_then(Value::as_object) {
                for (wire, p) in props {
                    self.inline(
                        &format!("{rust}{}", names::camel(wire)),
                        p,
                        &format!("{key}.properties.{wire}"),
                        &format!("{loc}.properties.{wire}"),
                    );
                }
            }
            return;
        }
        for kw in ["oneOf", "anyOf"] {
            if let Some(alts) = s.get(kw).and_then(Value::as_array) {
                for (i, alt) in alts.iter().enumerate() {
                    let label = alt
                        .get("$ref")
                        .and_then(Value::as_str)
                        .or_else(|| alt.get("title").and_then(Value::as_str))
                        .map(names::camel)
                        .unwrap_or_else(|| format!("Variant{}", i + 1));
                    self.inline(
                        &format!("{rust}{label}"),
                        alt,
                        &format!("{key}.{kw}[{i}]"),
                        &format!("{loc}.{kw}[{i}]"),
                    );
                }
                return;
            }
        }
    }

    fn inline(&mut self, hint: &str, s: &Value, key: &str, loc: &str) {
        if s.get("x-untyped").is_some() || s.get("$ref").is_some() {
            return;
        }
        if string_enum(s).is_some()
            || is_object_with_props(s)
            || crate::schema::union_alternatives(s).is_some()
        {
            let name = s
                .get("x-rust-name")
                .or_else(|| s.get("title"))
                .and_then(Value::as_str)
                .map(names::camel)
                .unwrap_or_else(|| hint.to_string());
            self.define(&name, s, key, loc);
            return;
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            if let [one] = all.as_slice() {
                self.inline(
                    hint,
                    one,
                    &format!("{key}.allOf[0]"),
                    &format!("{loc}.allOf[0]"),
                );
            }
            return;
        }
        if let Some(items) = s.get("items") {
            self.inline(
                &format!("{hint}Item"),
                items,
                &format!("{key}.items"),
                &format!("{loc}.items"),
            );
        }
        if let Some(values) = s.get("additionalProperties").filter(|v| v.is_object()) {
            self.inline(
                &format!("{hint}Value"),
                values,
                &format!("{key}.additionalProperties"),
                &format!("{loc}.additionalProperties"),
            );
        }
    }

    /// The key and spec path of a type, by its name (a numbered name by its base).
    fn find(&self, rust: &str) -> Option<&(String, String)> {
        let bare = rust.trim_end_matches(|c: char| c.is_ascii_digit());
        self.map
            .get(rust)
            .or_else(|| self.map.get(bare))
            // A part of a request variant (`ItemRequestDimensions`) comes from the same place
            // as the part of the model (`ItemDimensions`).
            .or_else(|| self.map.get(&bare.replacen("Request", "", 1)))
    }
}

/// The crate's surface, compared item by item.
struct RustCx<'c, 'a> {
    cx: &'c mut Cx<'a>,
    old_origins: Origins,
    new_origins: Origins,
}

/// How an action takes one parameter or its body.
#[derive(Debug, Clone, PartialEq)]
enum Taken {
    /// An argument of the method, at this position.
    Argument(usize, TypeRef),
    /// A builder method of the request.
    Builder(TypeRef),
}

impl Taken {
    fn ty(&self) -> &TypeRef {
        match self {
            Taken::Argument(_, t) | Taken::Builder(t) => t,
        }
    }
}

fn ty(t: &TypeRef) -> String {
    type_text(t, Place::INSIDE)
}

/// The wire name of a struct field.
/// How a field's type changed, in the words of the issue: `required to optional`, `optional
/// to nullable`...
fn optionality(a: &TypeRef, b: &TypeRef) -> Option<&'static str> {
    let level = |t: &TypeRef| match t {
        TypeRef::Option(inner) if matches!(**inner, TypeRef::Nullable(_)) => 2,
        TypeRef::Option(_) => 1,
        _ => 0,
    };
    match (level(a), level(b)) {
        (0, 1) => Some("required to optional"),
        (1, 0) => Some("optional to required"),
        (1, 2) => Some("optional to nullable"),
        (2, 1) => Some("nullable to optional"),
        (0, 2) => Some("required to nullable"),
        (2, 0) => Some("nullable to required"),
        _ => None,
    }
}

impl<'c, 'a> RustCx<'c, 'a> {
    fn new(cx: &'c mut Cx<'a>) -> Self {
        let old_origins = Origins::of(&cx.old.spec);
        let new_origins = Origins::of(&cx.new.spec);
        RustCx {
            cx,
            old_origins,
            new_origins,
        }
    }

    fn push(&mut self, class: Class, key: &str, subject: String, text: String, at: At<'_>) {
        let at = self.cx.locate(&at);
        // The text names the item; the subject is for the spec's findings.
        let _ = subject;
        self.cx.rust.push(Change {
            class,
            group: Group::of_key(key),
            subject: String::new(),
            change: text.clone(),
            rust: vec![text],
            wire: Vec::new(),
            at,
            key: key.to_string(),
            whole: false,
        });
    }

    fn run(mut self) {
        // The sides outlive this context: their IR is borrowed, not copied.
        let (old_side, new_side): (&'a Side, &'a Side) = (self.cx.old, self.cx.new);
        let (old, new) = (&old_side.ir, &new_side.ir);
        self.servers(old, new);
        self.globals(old, new);
        let by_name = |ir: &'a CrateIr| -> HashMap<&'a str, &'a ResourceIr> {
            ir.resources.iter().map(|r| (r.name.as_str(), r)).collect()
        };
        let (old_names, new_names) = (by_name(old), by_name(new));
        for r in &old.resources {
            match new_names.get(r.name.as_str()).copied() {
                None => {
                    let key = format!("resources.{}", r.name);
                    self.push(
                        Class::BreaksRust,
                        &key,
                        format!("resource `{}`", r.name),
                        format!("`Client::{}()` and `{}` removed", r.accessor, r.handle),
                        At::Old(&key),
                    );
                }
                Some(s) => self.resource(r, s),
            }
        }
        for s in &new.resources {
            if !old_names.contains_key(s.name.as_str()) {
                let key = format!("resources.{}", s.name);
                self.push(
                    Class::Compatible,
                    &key,
                    format!("resource `{}`", s.name),
                    format!("`Client::{}()` added", s.accessor),
                    At::New(&key),
                );
            }
        }
        // An enum written once and aliased where its values repeat (`lower::share_enums`)
        // reads as the enum under each name: sharing is not a change users see.
        let models = |ir: &'a CrateIr| -> BTreeMap<String, std::borrow::Cow<'a, Model>> {
            let by_name: BTreeMap<&str, &Model> = ir.models.iter().map(|m| (m.name(), m)).collect();
            ir.models
                .iter()
                .map(|m| {
                    let shared = match m {
                        Model::Alias {
                            name,
                            target: TypeRef::Model(target),
                            ..
                        } => match by_name.get(target.as_str()) {
                            Some(Model::Enum { doc, variants, .. }) => Some(Model::Enum {
                                name: name.clone(),
                                doc: doc.clone(),
                                variants: variants.clone(),
                            }),
                            _ => None,
                        },
                        _ => None,
                    };
                    let m = shared.map_or(std::borrow::Cow::Borrowed(m), std::borrow::Cow::Owned);
                    (m.name().to_string(), m)
                })
                .collect()
        };
        let (mo, mn) = (models(old), models(new));
        for (name, m) in &mo {
            match mn.get(name) {
                None => {
                    let (key, loc) = self.origin_old(name);
                    self.push(
                        Class::BreaksRust,
                        &key,
                        format!("type `{name}`"),
                        format!("type `{name}` removed"),
                        At::Old(&loc),
                    );
                }
                Some(n) => self.model(name, m, n),
            }
        }
        for name in mn.keys() {
            if !mo.contains_key(name) {
                let (key, loc) = self.origin_new(name);
                self.push(
                    addition_class(Addition::Item),
                    &key,
                    format!("type `{name}`"),
                    format!("type `{name}` added"),
                    At::New(&loc),
                );
            }
        }
    }

    fn origin(origins: &Origins, name: &str) -> (String, String) {
        let bare = name.rsplit("::").next().unwrap_or(name);
        match origins.find(bare) {
            Some((key, loc)) => (key.clone(), loc.clone()),
            None => ("api.types".to_string(), "api".to_string()),
        }
    }

    fn origin_old(&self, name: &str) -> (String, String) {
        Self::origin(&self.old_origins, name)
    }

    fn origin_new(&self, name: &str) -> (String, String) {
        Self::origin(&self.new_origins, name)
    }

    fn servers(&mut self, old: &CrateIr, new: &CrateIr) {
        for (i, s) in old.client.servers.iter().enumerate() {
            let key = format!("api.servers.{}", s.name.0);
            match new.client.servers.iter().find(|t| t.name == s.name) {
                None => self.push(
                    Class::BreaksRust,
                    &key,
                    format!("server `{}`", s.name.0),
                    format!("`Server::{}` removed", s.variant),
                    At::Old(&format!("api.servers[{i}]")),
                ),
                Some(t) if t.variant != s.variant => self.push(
                    Class::BreaksRust,
                    &key,
                    format!("server `{}`", s.name.0),
                    format!("`Server::{}` renamed to `Server::{}`", s.variant, t.variant),
                    At::New("api.servers"),
                ),
                Some(_) => {}
            }
        }
        for (j, t) in new.client.servers.iter().enumerate() {
            if !old.client.servers.iter().any(|s| s.name == t.name) {
                self.push(
                    addition_class(Addition::Server),
                    &format!("api.servers.{}", t.name.0),
                    format!("server `{}`", t.name.0),
                    format!("`Server::{}` added", t.variant),
                    At::New(&format!("api.servers[{j}]")),
                );
            }
        }
    }

    /// The parameters every action accepts: builder methods (or arguments) on every request.
    fn globals(&mut self, old: &CrateIr, new: &CrateIr) {
        let collect = |ir: &CrateIr| -> BTreeMap<String, Taken> {
            let mut out = BTreeMap::new();
            for p in &ir.client.globals {
                out.insert(p.wire.0.clone(), Taken::Builder(p.store_ty.clone()));
            }
            for r in &ir.resources {
                for a in &r.actions {
                    for (taken, p) in takes(a) {
                        if p.global {
                            out.entry(p.wire.0.clone()).or_insert(taken);
                        }
                    }
                }
            }
            out
        };
        let (o, n) = (collect(old), collect(new));
        self.compare_globals(&o, &n);
    }

    fn resource(&mut self, r: &ResourceIr, s: &ResourceIr) {
        let key = format!("resources.{}", r.name);
        if r.accessor != s.accessor || r.handle != s.handle {
            self.push(
                Class::BreaksRust,
                &key,
                format!("resource `{}`", r.name),
                format!(
                    "`Client::{}() -> {}` becomes `Client::{}() -> {}`",
                    r.accessor, r.handle, s.accessor, s.handle
                ),
                At::New(&key),
            );
        }
        for a in &r.actions {
            let akey = format!("{key}.actions.{}", a.name);
            match s.actions.iter().find(|b| b.name == a.name) {
                None => self.push(
                    Class::BreaksRust,
                    &akey,
                    format!("action `{}`", a.name),
                    format!(
                        "`{}::{}()` and `{}` removed",
                        r.handle, a.fn_name, a.request
                    ),
                    At::Old(&akey),
                ),
                Some(b) => self.action(&akey, r, a, b),
            }
        }
        for b in &s.actions {
            if !r.actions.iter().any(|a| a.name == b.name) {
                let akey = format!("{key}.actions.{}", b.name);
                self.push(
                    addition_class(Addition::Item),
                    &akey,
                    format!("action `{}`", b.name),
                    format!("`{}::{}()` added", s.handle, b.fn_name),
                    At::New(&akey),
                );
            }
        }
    }

    fn action(&mut self, key: &str, r: &ResourceIr, a: &ActionIr, b: &ActionIr) {
        let method = format!("{}::{}()", r.handle, a.fn_name);
        if a.fn_name != b.fn_name || a.request != b.request {
            self.push(
                Class::BreaksRust,
                key,
                format!("action `{}`", a.name),
                format!(
                    "`{method}` returning `{}` becomes `{}::{}()` returning `{}`",
                    a.request, r.handle, b.fn_name, b.request
                ),
                At::New(key),
            );
        }
        let local = |t: &(Taken, &ParamIr)| !t.1.global;
        let params = |x: &ActionIr| -> BTreeMap<String, Taken> {
            takes(x)
                .into_iter()
                .filter(local)
                .map(|(t, p)| (p.wire.0.clone(), t))
                .collect()
        };
        let (po, pn) = (params(a), params(b));
        let before = self.cx.rust.len();
        let (spec_old, spec_new) = (self.cx.old, self.cx.new);
        let loc_of = |spec: &Spec, wire: &str| -> Option<String> {
            let mut parts = key.split('.');
            let (_, rname, _, aname) = (parts.next(), parts.next()?, parts.next(), parts.next()?);
            let res = spec.resources.iter().find(|x| x.name == rname)?;
            let i = res
                .actions
                .get(aname)?
                .params
                .iter()
                .position(|p| p.name == wire)?;
            Some(format!("{key}.params[{i}]"))
        };
        let old_locs: BTreeMap<String, String> = po
            .keys()
            .filter_map(|w| Some((w.clone(), loc_of(&spec_old.spec, w)?)))
            .collect();
        let new_locs: BTreeMap<String, String> = pn
            .keys()
            .filter_map(|w| Some((w.clone(), loc_of(&spec_new.spec, w)?)))
            .collect();
        self.compare_taken_located(
            &format!("{key}.params"),
            &method,
            &a.request,
            &po,
            &pn,
            &old_locs,
            &new_locs,
        );
        // The body: an argument when required, a builder method otherwise.
        let body = |x: &ActionIr| {
            x.body.as_ref().map(|bd| {
                if bd.required {
                    Taken::Argument(x.required.len(), bd.ty.clone())
                } else {
                    Taken::Builder(bd.ty.clone())
                }
            })
        };
        let bkey = format!("{key}.body");
        match (body(a), body(b)) {
            (Some(x), None) => self.push(
                Class::BreaksRust,
                &bkey,
                "request body".into(),
                match x {
                    Taken::Argument(..) => format!("the body argument of `{method}` removed"),
                    Taken::Builder(_) => format!("`{}::body()` removed", a.request),
                },
                At::Old(&bkey),
            ),
            (None, Some(y)) => {
                let (class, text) = match y {
                    Taken::Argument(_, t) => (
                        addition_class(Addition::Argument),
                        format!("`{method}` gains a body argument of type `{}`", ty(&t)),
                    ),
                    Taken::Builder(t) => (
                        addition_class(Addition::OptionalParam),
                        format!("`{}::body({})` added", b.request, ty(&t)),
                    ),
                };
                self.push(class, &bkey, "request body".into(), text, At::New(&bkey));
            }
            (Some(x), Some(y)) if x != y => {
                let text = match (&x, &y) {
                    (Taken::Builder(_), Taken::Argument(..)) => {
                        format!("becomes required: an argument of `{method}`")
                    }
                    (Taken::Argument(..), Taken::Builder(_)) => {
                        format!("becomes optional: no longer an argument of `{method}`")
                    }
                    _ => format!("type changes from `{}` to `{}`", ty(x.ty()), ty(y.ty())),
                };
                if x.ty() != y.ty() || std::mem::discriminant(&x) != std::mem::discriminant(&y) {
                    self.push(
                        Class::BreaksRust,
                        &bkey,
                        "request body".into(),
                        text,
                        At::New(&bkey),
                    );
                }
            }
            _ => {}
        }
        // Arguments that changed only in order still compile when their types agree.
        if self.cx.rust.len() == before {
            let args = |x: &ActionIr| -> Vec<String> {
                x.required.iter().map(|p| p.wire.0.clone()).collect()
            };
            if args(a) != args(b) {
                self.push(
                    Class::BreaksRequests,
                    key,
                    format!("arguments of `{method}`"),
                    format!(
                        "order changes from ({}) to ({}): calls compile but send each value \
                         as another parameter",
                        args(a).join(", "),
                        args(b).join(", ")
                    ),
                    At::New(key),
                );
                if let Some(last) = self.cx.rust.last_mut() {
                    last.rust.clear();
                    last.wire
                        .push("values go to the parameter now in their position".into());
                }
            }
        }
        let rkey = format!("{key}.response");
        if a.response != b.response {
            let show = |t: &Option<TypeRef>| t.as_ref().map_or("()".to_string(), ty);
            self.push(
                Class::BreaksRust,
                &rkey,
                "success response".into(),
                format!(
                    "`{}::send()` returns `{}` instead of `{}`",
                    a.request,
                    show(&b.response),
                    show(&a.response)
                ),
                At::New(&format!("{key}.responses[0]")),
            );
        }
        let pkey = format!("{key}.paginated");
        match (&a.page, &b.page) {
            (Some(_), None) => self.push(
                Class::BreaksRust,
                &pkey,
                "pagination".into(),
                format!("`{}::stream()` removed", a.request),
                At::New(key),
            ),
            (None, Some(_)) => self.push(
                addition_class(Addition::Item),
                &pkey,
                "pagination".into(),
                format!("`{}::stream()` added", b.request),
                At::New(key),
            ),
            (Some(x), Some(y)) if x.item_ty != y.item_ty => self.push(
                Class::BreaksRust,
                &pkey,
                "pagination".into(),
                format!(
                    "`{}::stream()` yields `{}` instead of `{}`",
                    a.request,
                    ty(&y.item_ty),
                    ty(&x.item_ty)
                ),
                At::New(key),
            ),
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare_taken_located(
        &mut self,
        key: &str,
        method: &str,
        request: &str,
        o: &BTreeMap<String, Taken>,
        n: &BTreeMap<String, Taken>,
        old_locs: &BTreeMap<String, String>,
        new_locs: &BTreeMap<String, String>,
    ) {
        let fallback = key.trim_end_matches(".params").to_string();
        // An argument renamed in place: the same position and type on both sides.
        let renamed: Vec<(&String, &String)> = o
            .iter()
            .filter(|(w, _)| !n.contains_key(*w))
            .filter_map(|(w, x)| {
                let Taken::Argument(i, t) = x else {
                    return None;
                };
                n.iter()
                    .find(|(v, y)| {
                        !o.contains_key(*v)
                            && matches!(y, Taken::Argument(j, u) if j == i && u == t)
                    })
                    .map(|(v, _)| (w, v))
            })
            .collect();
        for (w, v) in &renamed {
            let new_loc = new_locs.get(*v).unwrap_or(&fallback).clone();
            self.push(
                Class::Compatible,
                &format!("{key}.{v}"),
                format!("parameter `{w}`"),
                format!("argument `{w}` of `{method}` renamed `{v}`; calls still compile"),
                At::New(&new_loc),
            );
        }
        for (wire, x) in o {
            if renamed.iter().any(|(w, _)| *w == wire) {
                continue;
            }
            let pkey = format!("{key}.{wire}");
            let subject = format!("parameter `{wire}`");
            let old_loc = old_locs.get(wire).unwrap_or(&fallback).clone();
            let new_loc = new_locs.get(wire).unwrap_or(&fallback).clone();
            let Some(y) = n.get(wire) else {
                let text = match x {
                    Taken::Argument(..) => format!("the `{wire}` argument of `{method}` removed"),
                    Taken::Builder(_) => {
                        format!(
                            "builder method `{}` for `{wire}` on {request} removed",
                            names::snake(wire)
                        )
                    }
                };
                self.push(Class::BreaksRust, &pkey, subject, text, At::Old(&old_loc));
                continue;
            };
            let text = match (x, y) {
                (Taken::Builder(_), Taken::Argument(..)) => {
                    Some(format!("becomes an argument of `{method}`"))
                }
                (Taken::Argument(..), Taken::Builder(_)) => Some(format!(
                    "is no longer an argument of `{method}` (a builder method instead)"
                )),
                _ if x.ty() != y.ty() => Some(format!(
                    "type changes from `{}` to `{}`",
                    ty(x.ty()),
                    ty(y.ty())
                )),
                (Taken::Argument(i, _), Taken::Argument(j, _)) if i != j => Some(format!(
                    "moves from argument {} to argument {} of `{method}`",
                    i + 1,
                    j + 1
                )),
                _ => None,
            };
            if let Some(text) = text {
                self.push(Class::BreaksRust, &pkey, subject, text, At::New(&new_loc));
            }
        }
        for (wire, y) in n {
            if o.contains_key(wire) || renamed.iter().any(|(_, v)| *v == wire) {
                continue;
            }
            let new_loc = new_locs.get(wire).unwrap_or(&fallback).clone();
            let (class, text) = match y {
                Taken::Argument(_, t) => (
                    addition_class(Addition::Argument),
                    format!("`{method}` gains an argument `{wire}: {}`", ty(t)),
                ),
                Taken::Builder(t) => (
                    addition_class(Addition::OptionalParam),
                    format!("builder method for `{wire}` (`{}`) added", ty(t)),
                ),
            };
            self.push(
                class,
                &format!("{key}.{wire}"),
                format!("parameter `{wire}`"),
                text,
                At::New(&new_loc),
            );
        }
    }

    fn compare_globals(&mut self, o: &BTreeMap<String, Taken>, n: &BTreeMap<String, Taken>) {
        let locs = |spec: &Spec| -> BTreeMap<String, String> {
            spec.api
                .parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p.name.clone(), format!("api.parameters[{i}]")))
                .collect()
        };
        let (lo, ln) = (locs(&self.cx.old.spec), locs(&self.cx.new.spec));
        self.compare_taken_located(
            "api.parameters",
            "every action's method",
            "every request builder",
            o,
            n,
            &lo,
            &ln,
        );
    }

    fn model(&mut self, name: &str, m: &Model, n: &Model) {
        let (key, loc) = self.origin_new(name);
        let kind = |m: &Model| match m {
            Model::Struct { .. } => "a struct",
            Model::Enum { .. } => "an enum",
            Model::StringConsts { .. } => "a string newtype with constants",
            Model::Union { .. } => "a union enum",
            Model::Alias { .. } => "a type alias",
        };
        match (m, n) {
            (
                Model::Struct {
                    fields: fa,
                    built: built_a,
                    ..
                },
                Model::Struct {
                    fields: fb,
                    built: built_b,
                    ..
                },
            ) => {
                let (old_key, old_loc) = self.origin_old(name);
                match (built_a, built_b) {
                    (true, false) => self.push(
                        Class::BreaksRust,
                        &key,
                        format!("`{name}::new`"),
                        format!(
                            "`{name}::new` and its setters removed: no request body or \
                             parameter holds `{name}` any more"
                        ),
                        At::New(&loc),
                    ),
                    (false, true) => self.push(
                        addition_class(Addition::Item),
                        &key,
                        format!("`{name}::new`"),
                        format!(
                            "`{name}::new` and its setters added: a request body or parameter \
                             now holds `{name}`"
                        ),
                        At::New(&loc),
                    ),
                    _ => {}
                }
                for f in fa {
                    let wire = &f.wire.0;
                    let g = fb.iter().find(|g| g.wire.0 == *wire);
                    let fkey = format!("{key}.properties.{wire}");
                    let subject = format!("field `{wire}`");
                    match g {
                        None => self.push(
                            Class::BreaksRust,
                            &format!("{old_key}.properties.{wire}"),
                            subject,
                            format!("field `{name}::{}` removed", f.name),
                            At::Old(&format!("{old_loc}.properties.{wire}")),
                        ),
                        Some(g) if g.name != f.name => self.push(
                            Class::BreaksRust,
                            &fkey,
                            subject,
                            format!("field `{name}::{}` renamed to `{}`", f.name, g.name),
                            At::New(&format!("{loc}.properties.{wire}")),
                        ),
                        Some(g) if g.ty != f.ty => {
                            let why = optionality(&f.ty, &g.ty)
                                .map(|w| format!(" ({w})"))
                                .unwrap_or_default();
                            self.push(
                                Class::BreaksRust,
                                &fkey,
                                subject,
                                format!(
                                    "field `{name}::{}` changes type from `{}` to `{}`{why}",
                                    f.name,
                                    ty(&f.ty),
                                    ty(&g.ty)
                                ),
                                At::New(&format!("{loc}.properties.{wire}")),
                            );
                        }
                        Some(_) => {}
                    }
                }
                for g in fb {
                    let wire = &g.wire.0;
                    if fa.iter().any(|f| f.wire.0 == *wire) {
                        continue;
                    }
                    let addition = if matches!(g.ty, TypeRef::Option(_)) {
                        Addition::OptionalField
                    } else if *built_a && *built_b {
                        Addition::RequiredField
                    } else {
                        Addition::RequiredReadField
                    };
                    let consequence = if addition_breaks_rust(addition) {
                        format!(": `{name}::new` takes it, so calls of it no longer compile")
                    } else {
                        String::new()
                    };
                    self.push(
                        addition_class(addition),
                        &format!("{key}.properties.{wire}"),
                        format!("field `{wire}`"),
                        format!(
                            "field `{name}::{}: {}` added{consequence}",
                            g.name,
                            ty(&g.ty)
                        ),
                        At::New(&format!("{loc}.properties.{wire}")),
                    );
                }
            }
            (Model::Enum { variants: va, .. }, Model::Enum { variants: vb, .. })
            | (
                Model::StringConsts { variants: va, .. },
                Model::StringConsts { variants: vb, .. },
            ) => {
                let consts = matches!(m, Model::StringConsts { .. });
                let (old_key, old_loc) = self.origin_old(name);
                for v in va {
                    let vkey = format!("{key}.enum.{}", v.wire.0);
                    let subject = format!("value `{}`", v.wire.0);
                    match vb.iter().find(|w| w.wire == v.wire) {
                        None => self.push(
                            Class::BreaksRust,
                            &format!("{old_key}.enum.{}", v.wire.0),
                            subject,
                            format!("`{name}::{}` removed", v.name),
                            At::Old(&old_loc),
                        ),
                        Some(w) if w.name != v.name => self.push(
                            Class::BreaksRust,
                            &vkey,
                            subject,
                            format!("`{name}::{}` renamed to `{name}::{}`", v.name, w.name),
                            At::New(&loc),
                        ),
                        Some(_) => {}
                    }
                }
                for w in vb {
                    if va.iter().any(|v| v.wire == w.wire) {
                        continue;
                    }
                    let addition = if consts {
                        Addition::Item
                    } else {
                        Addition::EnumVariant
                    };
                    let consequence = if addition_breaks_rust(addition) {
                        ": a `match` without a wildcard arm no longer compiles"
                    } else {
                        ""
                    };
                    self.push(
                        addition_class(addition),
                        &format!("{key}.enum.{}", w.wire.0),
                        format!("value `{}`", w.wire.0),
                        format!("`{name}::{}` added{consequence}", w.name),
                        At::New(&loc),
                    );
                }
            }
            (Model::Union { variants: va, .. }, Model::Union { variants: vb, .. }) => {
                for v in va {
                    match vb.iter().find(|w| w.name == v.name) {
                        None => self.push(
                            Class::BreaksRust,
                            &key,
                            format!("type `{name}`"),
                            format!("variant `{name}::{}` removed", v.name),
                            At::New(&loc),
                        ),
                        Some(w) if w.ty != v.ty => self.push(
                            Class::BreaksRust,
                            &key,
                            format!("type `{name}`"),
                            format!(
                                "variant `{name}::{}` holds `{}` instead of `{}`",
                                v.name,
                                ty(&w.ty),
                                ty(&v.ty)
                            ),
                            At::New(&loc),
                        ),
                        Some(_) => {}
                    }
                }
                for w in vb {
                    if !va.iter().any(|v| v.name == w.name) {
                        let addition = Addition::UnionVariant;
                        let consequence = if addition_breaks_rust(addition) {
                            ": a `match` without a wildcard arm no longer compiles"
                        } else {
                            ""
                        };
                        self.push(
                            addition_class(addition),
                            &key,
                            format!("type `{name}`"),
                            format!(
                                "variant `{name}::{}({})` added{consequence}",
                                w.name,
                                ty(&w.ty)
                            ),
                            At::New(&loc),
                        );
                    }
                }
            }
            (Model::Alias { target: ta, .. }, Model::Alias { target: tb, .. }) => {
                if ta != tb {
                    self.push(
                        Class::BreaksRust,
                        &key,
                        format!("type `{name}`"),
                        format!("`{name}` becomes `{}` instead of `{}`", ty(tb), ty(ta)),
                        At::New(&loc),
                    );
                }
            }
            _ => self.push(
                Class::BreaksRust,
                &key,
                format!("type `{name}`"),
                format!("`{name}` changes from {} to {}", kind(m), kind(n)),
                At::New(&loc),
            ),
        }
    }
}

/// How an action takes each of its parameters.
fn takes(a: &ActionIr) -> Vec<(Taken, &ParamIr)> {
    a.required
        .iter()
        .enumerate()
        .map(|(i, p)| (Taken::Argument(i, p.store_ty.clone()), p))
        .chain(
            a.optional
                .iter()
                .map(|p| (Taken::Builder(p.store_ty.clone()), p)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_lose_their_union_steps_only() {
        let key = "schemas.a.properties.scope.items.oneOf[0].anyOf[12].enum.all.x";
        assert_eq!(
            super::without_alternatives(key),
            "schemas.a.properties.scope.items.enum.all.x"
        );
        // Not a step: no index, or text that only looks like one.
        for key in ["a.oneOf[].b", "a.oneOf[x].b", "a.enum.oneOf", "a.oneOfx[1]"] {
            assert_eq!(super::without_alternatives(key), key);
        }
    }
}
