//! The Rust comparison: the names and types the crate exposes, item by item.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{ActionIr, CrateIr, Model, ParamIr, ResourceIr, TypeRef};
use crate::names;
use crate::rust::{type_text, Place};
use crate::spec::Spec;

use super::origins::Origins;
use super::spec_side::{At, Cx};
use super::{addition_breaks_rust, addition_class, Addition, Change, Class, Group, Side};

/// The crate's surface, compared item by item.
pub(super) struct RustCx<'c, 'a> {
    pub(super) cx: &'c mut Cx<'a>,
    pub(super) old_origins: Origins,
    pub(super) new_origins: Origins,
}

/// How an action takes one parameter or its body.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Taken {
    /// An argument of the method, at this position.
    Argument(usize, TypeRef),
    /// A builder method of the request.
    Builder(TypeRef),
}

impl Taken {
    pub(super) fn ty(&self) -> &TypeRef {
        match self {
            Taken::Argument(_, t) | Taken::Builder(t) => t,
        }
    }
}

pub(super) fn ty(t: &TypeRef) -> String {
    type_text(t, Place::INSIDE)
}

/// The wire name of a struct field.
/// How a field's type changed, in the words of the issue: `required to optional`, `optional
/// to nullable`...
pub(super) fn optionality(a: &TypeRef, b: &TypeRef) -> Option<&'static str> {
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
    pub(super) fn new(cx: &'c mut Cx<'a>) -> Self {
        let old_origins = Origins::of(&cx.old.spec);
        let new_origins = Origins::of(&cx.new.spec);
        RustCx {
            cx,
            old_origins,
            new_origins,
        }
    }

    pub(super) fn push(
        &mut self,
        class: Class,
        key: &str,
        subject: String,
        text: String,
        at: At<'_>,
    ) {
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

    pub(super) fn run(mut self) {
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

    pub(super) fn origin(origins: &Origins, name: &str) -> (String, String) {
        let bare = name.rsplit("::").next().unwrap_or(name);
        match origins.find(bare) {
            Some((key, loc)) => (key.clone(), loc.clone()),
            None => ("api.types".to_string(), "api".to_string()),
        }
    }

    pub(super) fn origin_old(&self, name: &str) -> (String, String) {
        Self::origin(&self.old_origins, name)
    }

    pub(super) fn origin_new(&self, name: &str) -> (String, String) {
        Self::origin(&self.new_origins, name)
    }

    pub(super) fn servers(&mut self, old: &CrateIr, new: &CrateIr) {
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
    pub(super) fn globals(&mut self, old: &CrateIr, new: &CrateIr) {
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

    pub(super) fn resource(&mut self, r: &ResourceIr, s: &ResourceIr) {
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

    pub(super) fn action(&mut self, key: &str, r: &ResourceIr, a: &ActionIr, b: &ActionIr) {
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
        let output = |x: &ActionIr| match (&x.outcomes, &x.response) {
            (Some(o), _) => {
                let variants: Vec<String> = o
                    .variants
                    .iter()
                    .map(|v| match &v.ty {
                        Some(t) => format!("{}({})", v.name, ty(t)),
                        None => v.name.clone(),
                    })
                    .collect();
                format!("{} {{ {} }}", o.name, variants.join(", "))
            }
            (None, Some(t)) => ty(t),
            (None, None) => "()".to_string(),
        };
        if output(a) != output(b) {
            let show = |x: &ActionIr| output(x);
            self.push(
                Class::BreaksRust,
                &rkey,
                "success response".into(),
                format!(
                    "`{}::send()` returns `{}` instead of `{}`",
                    a.request,
                    show(b),
                    show(a)
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
    pub(super) fn compare_taken_located(
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

    pub(super) fn compare_globals(
        &mut self,
        o: &BTreeMap<String, Taken>,
        n: &BTreeMap<String, Taken>,
    ) {
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

    pub(super) fn model(&mut self, name: &str, m: &Model, n: &Model) {
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
pub(super) fn takes(a: &ActionIr) -> Vec<(Taken, &ParamIr)> {
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
