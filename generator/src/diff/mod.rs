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
//!
//! One file per concern: [`compare`] and the classes here; `spec_side` (the API, resources,
//! actions) and `schemas` (schemas, walked through references) compare the specs; `rust_side`
//! compares the crates' surfaces, with `origins` telling where each Rust type comes from;
//! [`report`] turns the changes into the version they require, the report and the changelog;
//! [`corpus`] holds the spec edits that prove the classes.

mod origins;
mod rust_side;
mod schemas;
mod spec_side;

pub mod corpus;
pub mod report;

pub use schemas::used_by;

use std::collections::HashMap;

use serde::Serialize;

use crate::diag::Diagnostics;
use crate::ir::CrateIr;
use crate::load::{Loaded, SourceMap};
use crate::spec::Spec;

use self::rust_side::RustCx;
use self::schemas::request_schemas;
use self::spec_side::Cx;

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
    /// Checks and lowers what [`crate::frontend::load`] or [`crate::frontend::load_memory`] read; every
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
