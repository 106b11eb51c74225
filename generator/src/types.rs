//! Schemas become Rust types: each schema used in place gets a [`TypeRef`], and each that needs
//! a definition (objects, enums, unions, named schemas) a [`Model`]. Names are claimed in one
//! scope per module, in spec order, so that they are the same on every run.

use std::collections::HashMap;

use serde_json::Value;

use crate::ir::{
    Doc, FieldIr, FieldSerde, Lit, Model, SetterIr, TagIr, TypeRef, UnionVariant, VariantIr,
};
use crate::names::{self, Scope};
use crate::schema::{
    is_object_with_props, required_names, string_enum, types_of, union_alternatives,
};
use crate::spec::Spec;
use crate::unions;

fn schema_type_name(name: &str, schema: &Value) -> String {
    match schema.get("x-rust-name").and_then(Value::as_str) {
        Some(n) => names::camel(n),
        None => names::camel(name),
    }
}

/// Claims a model's name in `scope`. A vendor schema named like one of the crate's own types
/// (`Error`, `Client`, ...) is called `<name>Body` (`ErrorBody`), a name that says what it is,
/// rather than a numbered `Error2`.
fn claim_model_name(scope: &mut Scope, base: String) -> String {
    if names::RESERVED_TYPES.contains(&base.as_str()) {
        scope.claim(format!("{base}Body"))
    } else {
        scope.claim(base)
    }
}

/// The refs between named schemas, found once per spec.
pub(crate) struct RefGraph {
    /// Each named schema's position (spec order).
    index: HashMap<String, usize>,
    /// Each named schema's refs to other named schemas.
    edges: Vec<Vec<usize>>,
    /// Each named schema's strongly connected component: two schemas reach each other exactly
    /// when they share one.
    component: Vec<usize>,
    /// Whether each component holds a cycle (more than one schema, or a schema that refers to
    /// itself).
    cyclic: Vec<bool>,
    /// Each named schema's estimated inline size in bytes (see [`inline_bytes`]).
    bytes: Vec<usize>,
}

/// A field whose type holds more than this many bytes inline is boxed. Models are held in
/// options, clones and futures on the stack: a model of dozens of large optional models
/// (Mist's portal template: 35 locales of 80 strings, about 70 KiB) overflows a thread's
/// stack in a debug build. Boxed, each such field is a pointer wide.
pub(crate) const LARGE_FIELD_BYTES: usize = 1024;

/// An estimate of the bytes a value of `schema` holds inline: an object its properties (each
/// optional) and the map of unknown fields; a string, list, map, union or JSON value a few
/// words; a named schema what `named` says (a boxed one a pointer).
fn inline_bytes(schema: &Value, named: &dyn Fn(&str) -> usize) -> usize {
    if let Some(name) = schema.get("$ref").and_then(Value::as_str) {
        return named(name);
    }
    if is_object_with_props(schema) {
        let props = schema.get("properties").and_then(Value::as_object);
        return 32
            + props.map_or(0, |p| {
                p.values()
                    .map(|v| 8 + inline_bytes(v, named))
                    .sum::<usize>()
            });
    }
    32
}

impl RefGraph {
    fn new(spec: &Spec) -> Self {
        let index: HashMap<String, usize> = spec
            .schemas
            .keys()
            .enumerate()
            .map(|(i, n)| (n.clone(), i))
            .collect();
        let edges: Vec<Vec<usize>> = spec
            .schemas
            .values()
            .map(|s| {
                crate::schema::ref_targets(s)
                    .iter()
                    .filter_map(|t| index.get(t).copied())
                    .collect()
            })
            .collect();
        let component = crate::graph::components(&edges);
        let mut cyclic = vec![false; edges.len()];
        let mut size = vec![0usize; edges.len()];
        for (n, c) in component.iter().enumerate() {
            size[*c] += 1;
            cyclic[*c] |= size[*c] > 1 || edges[n].contains(&n);
        }
        // Components are numbered sinks first: a schema's refs outside its component are done
        // before it; a ref inside a cyclic component is boxed.
        let schemas: Vec<&Value> = spec.schemas.values().collect();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
        for (n, c) in component.iter().enumerate() {
            members[*c].push(n);
        }
        let mut bytes = vec![0usize; edges.len()];
        for (c, ns) in members.iter().enumerate() {
            for &n in ns {
                let named = |name: &str| match index.get(name) {
                    // A large one is boxed where it is a field.
                    Some(&t) if component[t] != c && bytes[t] <= LARGE_FIELD_BYTES => bytes[t],
                    _ => 8,
                };
                let size = inline_bytes(schemas[n], &named);
                bytes[n] = size;
            }
        }
        RefGraph {
            index,
            edges,
            component,
            cyclic,
            bytes,
        }
    }

    /// Whether a field of named schema `to` is large enough to box (see [`LARGE_FIELD_BYTES`]).
    fn is_large(&self, to: &str) -> bool {
        self.index
            .get(to)
            .is_some_and(|&t| self.bytes[t] > LARGE_FIELD_BYTES)
    }

    /// Whether a ref from named schema `from` to `to` leads back to `from` (such a field must be
    /// boxed to have a size).
    fn leads_back(&self, from: &str, to: &str) -> bool {
        match (self.index.get(from), self.index.get(to)) {
            (Some(&f), Some(&t)) => {
                self.component[f] == self.component[t] && self.cyclic[self.component[f]]
            }
            _ => false,
        }
    }

    /// For each named schema, whether it or a schema it reaches has a `readOnly` property: each
    /// schema is searched once, and what a component reaches is what its members hold or the
    /// components below it reach.
    fn read_only(&self, spec: &Spec) -> Vec<bool> {
        let local: Vec<bool> = spec.schemas.values().map(holds_read_only).collect();
        let count = self.cyclic.len();
        let mut reach = vec![false; count];
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (n, c) in self.component.iter().enumerate() {
            reach[*c] |= local[n];
            members[*c].push(n);
        }
        // Components are numbered sinks first: those a component reaches are already done.
        for c in 0..count {
            for &n in &members[c] {
                for &t in &self.edges[n] {
                    let below = self.component[t];
                    if below != c && reach[below] {
                        reach[c] = true;
                    }
                }
            }
        }
        self.component.iter().map(|c| reach[*c]).collect()
    }
}

/// Whether a schema has a `readOnly: true` anywhere in it (refs not followed; values under
/// `examples`, `default`, `enum` and `const` are data).
fn holds_read_only(s: &Value) -> bool {
    match s {
        Value::Object(m) => {
            m.get("readOnly") == Some(&Value::Bool(true))
                || m.iter().any(|(k, v)| {
                    !matches!(k.as_str(), "examples" | "default" | "enum" | "const")
                        && holds_read_only(v)
                })
        }
        Value::Array(a) => a.iter().any(holds_read_only),
        _ => false,
    }
}

/// Turns schemas into types and models. Holds the names claimed so far, so one lowerer serves
/// a whole crate: the models module, then each resource module in turn (see
/// `client_ir::lower_resources`, which swaps `models` and `scope` per module).
pub(crate) struct Lowerer<'a> {
    pub(crate) spec: &'a Spec,
    /// Models defined in the current module.
    pub(crate) models: Vec<Model>,
    /// Names taken in the current module.
    pub(crate) scope: Scope,
    /// The Rust name of each named schema.
    pub(crate) named: HashMap<String, String>,
    /// The Rust name of the request variant (without read-only fields) of a named schema.
    pub(crate) request_named: HashMap<String, String>,
    /// The refs between named schemas.
    pub(crate) refs: RefGraph,
    /// Whether each named schema (in spec order) reaches a `readOnly` property, found when
    /// first needed.
    pub(crate) read_only: std::cell::OnceCell<Vec<bool>>,
    /// Models defined while lowering resources that belong to the models module (request
    /// variants of named schemas).
    pub(crate) late_models: Vec<Model>,
}

fn text(s: &Value, key: &str) -> Option<String> {
    s.get(key).and_then(Value::as_str).map(str::to_string)
}

/// Doc text of a schema: title and description, or a fallback sentence.
fn schema_doc(s: &Value, fallback: &str) -> String {
    let mut parts = Vec::new();
    if let Some(t) = text(s, "title") {
        parts.push(t);
    }
    if let Some(d) = text(s, "description") {
        if !parts.contains(&d) {
            parts.push(d);
        }
    }
    if parts.is_empty() {
        parts.push(fallback.to_string());
    }
    let mut out = parts.join("\n\n");
    if s.get("deprecated") == Some(&Value::Bool(true)) {
        out.push_str("\n\nDeprecated by the vendor.");
    }
    if let Some(reason) = text(s, "x-untyped") {
        out.push_str(&format!("\n\nKept as raw JSON: {reason}"));
    }
    out
}

impl<'a> Lowerer<'a> {
    /// A lowerer for `spec` whose scope already holds the reserved type names and the named
    /// schemas' names (which win over inline types).
    pub(crate) fn new(spec: &'a Spec) -> Self {
        let mut l = Lowerer {
            spec,
            refs: RefGraph::new(spec),
            read_only: std::cell::OnceCell::new(),
            models: Vec::new(),
            scope: names::scope_reserving(names::RESERVED_TYPES),
            named: HashMap::new(),
            request_named: HashMap::new(),
            late_models: Vec::new(),
        };
        for (name, schema) in &spec.schemas {
            let rust = claim_model_name(&mut l.scope, schema_type_name(name, schema));
            l.named.insert(name.clone(), rust);
        }
        l
    }

    /// Defines the models of every named schema.
    pub(crate) fn lower_schemas(&mut self) {
        for name in self.spec.schemas.keys() {
            self.lower_named(name);
        }
    }

    fn lower_named(&mut self, name: &str) {
        let schema = self.spec.schemas[name].clone();
        let rust = self.named[name].clone();
        let fallback = format!("The `{name}` schema.");
        self.define(&rust, &schema, &fallback, false, Some(name));
    }

    /// Defines a named type for a schema (struct, enum, union or alias).
    fn define(
        &mut self,
        rust: &str,
        s: &Value,
        fallback: &str,
        request: bool,
        schema_name: Option<&str>,
    ) {
        let doc = Doc(schema_doc(s, fallback));
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            let target = self.ref_type(r, request);
            self.models.push(Model::Alias {
                name: rust.to_string(),
                doc,
                target,
            });
            return;
        }
        if s.get("x-untyped").is_none() {
            if let Some(values) = string_enum(s) {
                self.define_enum(rust, doc, &values);
                return;
            }
            if is_object_with_props(s) {
                self.define_struct(rust, doc, s, request, schema_name);
                return;
            }
            if let Some(alts) = union_alternatives(s) {
                let spec = self.spec;
                match unions::shape(spec, &unions::flatten(alts)) {
                    unions::Shape::Union(alts) => {
                        self.define_union(rust, doc, alts, request);
                        return;
                    }
                    unions::Shape::Strings(values) if !values.is_empty() => {
                        self.define_enum(rust, doc, &values);
                        return;
                    }
                    _ => {}
                }
            }
        }
        let target = self.type_of(s, rust, request);
        self.models.push(Model::Alias {
            name: rust.to_string(),
            doc,
            target,
        });
    }

    fn define_enum(&mut self, rust: &str, doc: Doc, values: &[String]) {
        let mut scope = Scope::default();
        scope.claim("Unknown".into());
        let variants = values
            .iter()
            .map(|v| {
                let base = if values.len() > crate::schema::MAX_ENUM_VARIANTS {
                    names::shouty(v)
                } else {
                    names::camel(v)
                };
                let base = if v.is_empty() {
                    if values.len() > crate::schema::MAX_ENUM_VARIANTS {
                        "EMPTY".into()
                    } else {
                        "Empty".into()
                    }
                } else {
                    base
                };
                VariantIr {
                    name: scope.claim(base),
                    wire: Lit(v.clone()),
                    doc: Doc(format!("The value `{}`.", v.replace('`', "'"))),
                }
            })
            .collect();
        if values.len() > crate::schema::MAX_ENUM_VARIANTS {
            self.models.push(Model::StringConsts {
                name: rust.to_string(),
                doc,
                variants,
            });
        } else {
            self.models.push(Model::Enum {
                name: rust.to_string(),
                doc,
                variants,
            });
        }
    }

    fn define_union(
        &mut self,
        rust: &str,
        doc: Doc,
        alts: Vec<unions::Alternative<'_>>,
        request: bool,
    ) {
        let mut scope = Scope::default();
        scope.claim("Other".into());
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut ambiguous = Vec::new();
        for alt in alts {
            let s = alt.schema;
            // A variant that stands for several string alternatives is named for its kind.
            let own = alt.strings.is_none().then_some(s);
            let label = own
                .and_then(|s| s.get("$ref"))
                .and_then(Value::as_str)
                .map(names::camel)
                .or_else(|| own.and_then(|s| text(s, "title")).map(|t| names::camel(&t)))
                // A tag of one or two values names the alternative (`deviceId` or `deviceTag`);
                // one of many values would mislead.
                .or_else(|| match alt.tag.as_ref().map(|(_, v)| v.as_slice()) {
                    Some([one]) | Some([one, _]) => Some(names::camel(one)),
                    _ => None,
                })
                .unwrap_or_else(|| alt.kind.label().to_string());
            let vname = scope.claim(label);
            let mut ty = match &alt.strings {
                // The variant that stands for several string alternatives: an open enum of
                // all their values (a plain string when none documents any).
                Some(values) if values.is_empty() => TypeRef::String,
                Some(values) => {
                    let name = claim_model_name(&mut self.scope, format!("{rust}{vname}"));
                    let listed: Vec<Value> = values.iter().cloned().map(Value::String).collect();
                    let doc = Doc(format!(
                        "The strings `{rust}` accepts: {}, or another string.",
                        one_of(&listed)
                    ));
                    self.define_enum(&name, doc, values);
                    TypeRef::Model(name)
                }
                None => self.type_of(s, &format!("{rust}{vname}"), request),
            };
            // Boxing keeps the enum small; collections and strings are already a pointer wide.
            if !ty.is_small() {
                ty = TypeRef::Boxed(Box::new(ty));
            }
            let fallback = match &alt.tag {
                Some((field, values)) => {
                    let listed: Vec<String> = values
                        .iter()
                        .map(|v| format!("`{}`", v.replace('`', "'")))
                        .collect();
                    match listed.as_slice() {
                        [one] => format!("An object whose `{field}` is {one}."),
                        [a, b] => format!("An object whose `{field}` is {a} or {b}."),
                        _ => format!("An object whose `{field}` is one of {}.", listed.join(", ")),
                    }
                }
                None => format!(
                    "{} {}.",
                    article(alt.kind.label()),
                    alt.kind.label().to_lowercase()
                ),
            };
            let required = if alt.tag.is_none() && alt.kind == unions::Kind::Object {
                alt.required.iter().cloned().map(Lit).collect()
            } else {
                Vec::new()
            };
            let mut vdoc = schema_doc(s, &fallback);
            if let Some(o) = &alt.overlaps {
                let earlier = &variants[o.earlier].name;
                vdoc.push_str(&format!(
                    "\n\nOverlaps `{earlier}` ({}): a value both read becomes `{earlier}`; this variant reads only what `{earlier}` cannot decode.",
                    o.why
                ));
                ambiguous.push(format!(
                    "- a value that both `{earlier}` and `{vname}` read ({}) becomes `{earlier}`.",
                    o.why
                ));
            }
            variants.push(UnionVariant {
                name: vname,
                ty,
                doc: Doc(vdoc),
                kind: value_kind_of(alt.kind),
                tag: alt.tag.map(|(field, values)| TagIr {
                    field: Lit(field),
                    values: values.into_iter().map(Lit).collect(),
                }),
                schema: s.clone(),
                overlaps: alt.overlaps.as_ref().map(|o| o.earlier),
                required,
            });
        }
        let doc = if ambiguous.is_empty() {
            doc
        } else {
            // The rule of spec/README.md ("Unions"), said where a user meets its consequence.
            Doc(format!(
                "{}\n\nAmbiguous: some values fit more than one alternative. The variants are tried in the order listed here and the first that decodes a value wins, so\n{}",
                doc.0,
                ambiguous.join("\n")
            ))
        };
        self.models.push(Model::Union {
            name: rust.to_string(),
            doc,
            variants,
        });
    }

    fn define_struct(
        &mut self,
        rust: &str,
        doc: Doc,
        s: &Value,
        request: bool,
        schema_name: Option<&str>,
    ) {
        let required: Vec<&str> = required_names(s).collect();
        let mut scope = Scope::default();
        scope.claim("extra".into());
        // Setters share the struct's method namespace with its constructor and the methods of
        // the traits it derives, which a setter of the same name would shadow.
        let mut methods = names::scope_reserving(names::RESERVED_MODEL_METHODS);
        let mut fields = Vec::new();
        let empty = serde_json::Map::new();
        let props = s
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        for (wire, p) in props {
            let target = p
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.spec.schemas.get(r));
            let read_only = p.get("readOnly") == Some(&Value::Bool(true))
                || target.is_some_and(|t| t.get("readOnly") == Some(&Value::Bool(true)));
            if request && read_only {
                continue;
            }
            let fname = scope.claim(names::snake(wire));
            let nullable = unions::is_nullable(self.spec, p);
            let is_required = required.contains(&wire.as_str());
            let mut inner = self.type_of(p, &format!("{rust}{}", names::camel(wire)), request);
            // A field whose type leads back to this schema must be boxed to have a size.
            if let (Some(r), Some(me)) = (p.get("$ref").and_then(Value::as_str), schema_name) {
                if self.refs.leads_back(me, r) {
                    inner = TypeRef::Boxed(Box::new(inner));
                }
            }
            // A field of a large named schema is boxed, so that no model grows too large for
            // the stack by holding others inline.
            if let Some(r) = p.get("$ref").and_then(Value::as_str) {
                if !matches!(inner, TypeRef::Boxed(_)) && self.refs.is_large(r) {
                    inner = TypeRef::Boxed(Box::new(inner));
                }
            }
            let setter = (!is_required).then(|| {
                let ty = if nullable {
                    TypeRef::Nullable(Box::new(inner.clone()))
                } else {
                    inner.clone()
                };
                let name = if methods.claim(fname.clone()) == fname {
                    fname.clone()
                } else {
                    methods.claim(format!("set_{}", fname.trim_start_matches("r#")))
                };
                SetterIr { name, ty }
            });
            let ty = match (is_required, nullable) {
                (true, false) => inner,
                (true, true) | (false, false) => TypeRef::option(inner),
                (false, true) => TypeRef::option(TypeRef::Nullable(Box::new(inner))),
            };
            let serde = FieldSerde {
                optional: !is_required,
                keeps_null: !is_required && nullable,
            };
            let mut d = schema_doc_field(p, wire);
            if read_only {
                d.push_str("\n\nRead-only: set by the server, never sent in a request.");
            }
            if p.get("x-secret") == Some(&Value::Bool(true)) {
                d.push_str("\n\nSecret: `Debug` prints a placeholder; call `expose()` to read it.");
            }
            fields.push(FieldIr {
                name: fname,
                ty,
                wire: Lit(wire.clone()),
                doc: Doc(d),
                serde,
                required: is_required,
                setter,
            });
        }
        // Every struct keeps unknown fields (its template writes an `extra` map), even where
        // the vendor says `additionalProperties: false`: a field the server adds later must
        // never fail a call.
        self.models.push(Model::Struct {
            name: rust.to_string(),
            doc,
            fields,
            // Decided once every action is lowered (`lower::mark_built`).
            built: false,
        });
    }

    fn ref_type(&mut self, r: &str, request: bool) -> TypeRef {
        if request && self.reaches_read_only(r) {
            return TypeRef::Model(self.request_named_type(r));
        }
        match self.named.get(r) {
            Some(name) => TypeRef::Model(name.clone()),
            None => TypeRef::Json,
        }
    }

    fn request_named_type(&mut self, r: &str) -> String {
        if let Some(n) = self.request_named.get(r) {
            return n.clone();
        }
        let base = self
            .named
            .get(r)
            .cloned()
            .unwrap_or_else(|| names::camel(r));
        let name = self.scope.claim(format!("{base}Request"));
        self.request_named.insert(r.to_string(), name.clone());
        let schema = self.spec.schemas[r].clone();
        let fallback =
            format!("The `{r}` schema without its read-only fields, as sent in a request.");
        let outer = std::mem::take(&mut self.models);
        self.define(&name, &schema, &fallback, true, Some(r));
        let defined = std::mem::replace(&mut self.models, outer);
        self.late_models.extend(defined);
        name
    }

    /// Whether named schema `r` or a schema it reaches has a `readOnly` property.
    fn reaches_read_only(&self, r: &str) -> bool {
        let all = self
            .read_only
            .get_or_init(|| self.refs.read_only(self.spec));
        self.refs
            .index
            .get(r)
            .is_some_and(|&i| all.get(i).copied().unwrap_or(false))
    }

    /// The Rust type of a schema used in place; inline objects and enums get a named type
    /// called `hint`.
    pub(crate) fn type_of(&mut self, s: &Value, hint: &str, request: bool) -> TypeRef {
        if s.get("x-untyped").is_some() {
            return TypeRef::Json;
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            return self.ref_type(r, request);
        }
        if s.get("x-secret") == Some(&Value::Bool(true)) {
            return TypeRef::Secret;
        }
        if let Some(alts) = union_alternatives(s) {
            let spec = self.spec;
            match unions::shape(spec, &unions::flatten(alts)) {
                unions::Shape::Raw => return TypeRef::Json,
                unions::Shape::Single(alt) => return self.type_of(alt, hint, request),
                unions::Shape::Strings(values) if values.is_empty() => return TypeRef::String,
                _ => {}
            }
        }
        if string_enum(s).is_some() || is_object_with_props(s) || union_alternatives(s).is_some() {
            let base = s
                .get("x-rust-name")
                .or_else(|| s.get("title"))
                .and_then(Value::as_str)
                .map(names::camel)
                .unwrap_or_else(|| hint.to_string());
            let name = claim_model_name(&mut self.scope, base);
            let fallback = type_fallback(s);
            self.define(&name, s, &fallback, request, None);
            return TypeRef::Model(name);
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            if all.len() == 1 {
                return self.type_of(&all[0], hint, request);
            }
        }
        let types: Vec<&str> = types_of(s).into_iter().filter(|t| *t != "null").collect();
        let format = s.get("format").and_then(Value::as_str).unwrap_or("");
        match types.as_slice() {
            // The vendor documents a number as a string; the SDK takes a number and sends it
            // as the same text.
            ["string"] if s.get("x-rust-type").and_then(Value::as_str) == Some("integer") => {
                if format == "int32" {
                    TypeRef::I32
                } else {
                    TypeRef::I64
                }
            }
            ["string"] => match format {
                "date-time" => TypeRef::DateTime,
                "uuid" => TypeRef::Uuid,
                _ => TypeRef::String,
            },
            ["integer"] | ["number"] if s.get("x-epoch").is_some() => TypeRef::EpochSeconds,
            ["integer"] if format == "int32" => TypeRef::I32,
            ["integer"] => TypeRef::I64,
            ["number"] => TypeRef::F64,
            ["boolean"] => TypeRef::Bool,
            ["array"] => {
                let item = s.get("items").cloned().unwrap_or(Value::Bool(true));
                let inner = if item.is_object() {
                    self.type_of(&item, &format!("{hint}Item"), request)
                } else {
                    TypeRef::Json
                };
                TypeRef::vec(inner)
            }
            ["object"] => self.map_type(s, hint, request),
            _ => TypeRef::Json,
        }
    }

    fn map_type(&mut self, s: &Value, hint: &str, request: bool) -> TypeRef {
        if let Some(Value::Object(pp)) = s.get("patternProperties") {
            let schemas: Vec<&Value> = pp.values().collect();
            if schemas.len() == 1 {
                let inner = self.type_of(schemas[0], &format!("{hint}Value"), request);
                return TypeRef::Map(Box::new(inner));
            }
            return TypeRef::JsonObject;
        }
        match s.get("additionalProperties") {
            Some(ap @ Value::Object(_)) => {
                let inner = self.type_of(ap, &format!("{hint}Value"), request);
                TypeRef::Map(Box::new(inner))
            }
            _ => TypeRef::JsonObject,
        }
    }
}

/// A JSON value's text in a code span (an empty string as `""`, since an empty span shows
/// nothing), unless it holds a backtick or is long (then it is left out).
fn code(v: &Value) -> Option<String> {
    let t = match v {
        Value::String(s) if !s.is_empty() => s.clone(),
        other => other.to_string(),
    };
    (!t.contains('`') && t.chars().count() <= 80).then(|| format!("`{t}`"))
}

/// `one of `a`, `b``, or `one of N documented values` when there are more than 8 or one cannot
/// be shown in a code span.
fn one_of(values: &[Value]) -> String {
    match code_list(values) {
        Some(listed) => format!("one of {listed}"),
        None => format!("one of {} documented values", values.len()),
    }
}

/// `` `a`, `b` ``: at most 8 values, each shown in a code span; `None` otherwise.
fn code_list(values: &[Value]) -> Option<String> {
    let listed: Vec<String> = values.iter().filter_map(code).collect();
    (listed.len() <= 8 && listed.len() == values.len()).then(|| listed.join(", "))
}

/// What a schema says about its values, as one or two sentences starting in lower case
/// (`a string (1 to 255 characters). Example: `x`.`), or `None` when it says nothing more
/// than its type (a `$ref`, or no `type`).
fn value_facts(s: &Value) -> Option<String> {
    let mut out = format!("{}.", value_kind(s)?);
    if let Some(d) = s.get("default").and_then(code) {
        out.push_str(&format!(" Default: {d}."));
    }
    let example = s
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
        .or_else(|| s.get("example"));
    if let Some(e) = example.and_then(code) {
        out.push_str(&format!(" Example: {e}."));
    }
    Some(out)
}

/// The kind of value a schema holds and its constraints, in lower case (`a string (1 to 255
/// characters)`), or `None` for a `$ref` or a schema without one `type`.
fn value_kind(s: &Value) -> Option<String> {
    if s.get("$ref").is_some() {
        return None;
    }
    let types: Vec<&str> = types_of(s).into_iter().filter(|t| *t != "null").collect();
    let nullable = types_of(s).contains(&"null");
    let format = s.get("format").and_then(Value::as_str);
    let mut kind = match (types.as_slice(), format) {
        (["string"], Some("date-time")) => "a date and time (RFC 3339 text)".to_string(),
        (["string"], Some("date")) => "a date (`YYYY-MM-DD`)".to_string(),
        (["string"], Some("uuid")) => "a UUID".to_string(),
        (["string"], Some("email")) => "an email address".to_string(),
        (["string"], Some("uri")) => "a URI".to_string(),
        (["string"], _) => "a string".to_string(),
        (["integer"], _) => "an integer".to_string(),
        (["number"], _) => "a number".to_string(),
        (["boolean"], _) => "a boolean".to_string(),
        (["array"], _) => "a list".to_string(),
        (["object"], _) => "an object".to_string(),
        _ => return None,
    };
    let num = |k: &str| s.get(k).filter(|v| v.is_number()).map(Value::to_string);
    let count = |n: &str, what: &str| {
        if n == "1" {
            format!("1 {what}")
        } else {
            format!("{n} {what}s")
        }
    };
    let mut parts = Vec::new();
    if let (["integer"], Some(f @ ("int32" | "int64"))) = (types.as_slice(), format) {
        parts.push(f.to_string());
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        parts.push(one_of(values));
    }
    if let Some(c) = s.get("const").and_then(code) {
        parts.push(format!("always {c}"));
    }
    match (num("minLength"), num("maxLength")) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {}", count(&b, "character"))),
        (Some(a), None) => parts.push(format!("at least {}", count(&a, "character"))),
        (None, Some(b)) => parts.push(format!("at most {}", count(&b, "character"))),
        (None, None) => {}
    }
    if let Some(p) = s.get("pattern").and_then(code) {
        parts.push(format!("matching {p}"));
    }
    match (num("minimum"), num("maximum")) {
        (Some(a), Some(b)) => parts.push(format!("from {a} to {b}")),
        (Some(a), None) => parts.push(format!("at least {a}")),
        (None, Some(b)) => parts.push(format!("at most {b}")),
        (None, None) => {}
    }
    match (num("minItems"), num("maxItems")) {
        (Some(a), Some(b)) => parts.push(format!("{a} to {}", count(&b, "item"))),
        (Some(a), None) => parts.push(format!("at least {}", count(&a, "item"))),
        (None, Some(b)) => parts.push(format!("at most {}", count(&b, "item"))),
        (None, None) => {}
    }
    if !parts.is_empty() {
        kind = format!("{kind} ({})", parts.join("; "));
    }
    if nullable {
        kind.push_str(", or `null`");
    }
    Some(kind)
}

/// The doc of an inline type the spec does not describe: its values, its fields, or its
/// alternatives, as far as the schema lists them.
fn type_fallback(s: &Value) -> String {
    if let Some(values) = string_enum(s) {
        let values: Vec<Value> = values.into_iter().map(Value::String).collect();
        return format!("A string: {}.", one_of(&values));
    }
    if let Some(alts) = union_alternatives(s) {
        let alts = unions::flatten(alts);
        // Alternatives that are all lists of strings are one list of strings.
        let strings: Option<Vec<Value>> = alts
            .iter()
            .map(|a| string_enum(a).map(|v| v.into_iter().map(Value::String)))
            .try_fold(Vec::new(), |mut all, values| {
                all.extend(values?);
                Some(all)
            });
        if let Some(values) = strings {
            return format!("A string: {}.", one_of(&values));
        }
        let described: Vec<String> = alts.iter().filter_map(|a| alternative_text(a)).collect();
        let text = described.join("; ");
        if described.len() == alts.len() && described.len() <= 8 && text.len() <= 200 {
            return format!("One of: {text}.");
        }
        return format!("One of {} documented alternatives.", alts.len());
    }
    match fields_text(s) {
        Some(fields) => format!("An object with {fields}."),
        None => "An object.".to_string(),
    }
}

/// `the fields `a`, `b`` (at most 8, then `…`), or `no documented fields`; `None` when a name
/// cannot be shown in a code span.
fn fields_text(s: &Value) -> Option<String> {
    let props = s.get("properties").and_then(Value::as_object)?;
    if props.is_empty() {
        return Some("no documented fields".to_string());
    }
    let names: Vec<String> = props
        .keys()
        .filter(|k| !k.contains('`'))
        .take(8)
        .map(|k| format!("`{k}`"))
        .collect();
    if names.is_empty() {
        return None;
    }
    let more = if props.len() > names.len() {
        ", …"
    } else {
        ""
    };
    Some(format!("the fields {}{more}", names.join(", ")))
}

/// One alternative of a union in a sentence: its title, the schema it refers to, its value,
/// its kind or its fields; `None` when it says none of these.
fn alternative_text(a: &Value) -> Option<String> {
    if let Some(title) = a.get("title").and_then(Value::as_str) {
        return code(&Value::String(title.to_string()));
    }
    if let Some(target) = a.get("$ref").and_then(Value::as_str) {
        let name = target.rsplit('/').next().unwrap_or(target);
        return code(&Value::String(name.to_string())).map(|c| format!("a {c}"));
    }
    if let Some(c) = a.get("const").and_then(code) {
        return Some(c);
    }
    if let Some(listed) = a
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| code_list(v))
    {
        return Some(listed);
    }
    if types_of(a) == ["null"] {
        return Some("`null`".to_string());
    }
    // An object told apart by a property of one value: that value names it.
    let props = a.get("properties").and_then(Value::as_object);
    let tag = props
        .into_iter()
        .flatten()
        .find_map(|(_, p)| match p.get("const") {
            Some(c) => Some(c),
            None => p
                .get("enum")
                .and_then(Value::as_array)
                .filter(|v| v.len() == 1)
                .and_then(|v| v.first()),
        });
    if let Some(tag) = tag.and_then(code) {
        return Some(format!("a {tag} object"));
    }
    if let Some(fields) = fields_text(a) {
        return Some(format!("an object with {fields}"));
    }
    value_kind(a)
}

/// The article of a kind's name in a sentence (`An integer`, `A string`).
fn article(label: &str) -> &'static str {
    if label.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "An"
    } else {
        "A"
    }
}

/// The kind of JSON value a union alternative reads, as the model's deserializer tests it.
fn value_kind_of(kind: unions::Kind) -> crate::ir::ValueKind {
    use crate::ir::ValueKind;
    match kind {
        unions::Kind::String => ValueKind::String,
        unions::Kind::Integer => ValueKind::Integer,
        unions::Kind::Number => ValueKind::Number,
        unions::Kind::Boolean => ValueKind::Boolean,
        unions::Kind::Array => ValueKind::Array,
        unions::Kind::Object => ValueKind::Object,
        unions::Kind::Null | unions::Kind::Any => ValueKind::Any,
    }
}

fn schema_doc_field(p: &Value, wire: &str) -> String {
    let mut d = match (text(p, "description"), text(p, "title")) {
        (Some(d), _) => d,
        (None, Some(t)) => t,
        // No prose in the spec: what it does say (the wire name, the kind of value, its
        // constraints, default and example).
        (None, None) => match value_facts(p) {
            Some(facts) => format!("`{wire}` on the wire: {facts}"),
            None => format!("`{wire}` on the wire."),
        },
    };
    if p.get("deprecated") == Some(&Value::Bool(true)) {
        d.push_str("\n\nDeprecated by the vendor.");
    }
    if let Some(reason) = text(p, "x-untyped") {
        d.push_str(&format!("\n\nKept as raw JSON: {reason}"));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn large_named_schemas_are_boxed_where_they_are_fields() {
        let strings: serde_json::Map<String, Value> = (0..40)
            .map(|i| (format!("s{i}"), json!({"type": "string"})))
            .collect();
        let locale = json!({"type": "object", "properties": strings});
        let none = |_: &str| 0;
        // Each property an optional value (a tag) and what it holds; the object its extra map.
        assert_eq!(inline_bytes(&locale, &none), 32 + 40 * (8 + 32));
        assert!(inline_bytes(&locale, &none) > LARGE_FIELD_BYTES);
        // A holder of such references counts each as what `named` says (a pointer once boxed).
        let holder = json!({"properties": {"ar": {"$ref": "locale"}, "de": {"$ref": "locale"}}});
        assert_eq!(inline_bytes(&holder, &|_| 8), 32 + 2 * (8 + 8));
        assert_eq!(inline_bytes(&json!({"type": "string"}), &none), 32);
    }

    #[test]
    fn an_undescribed_field_says_what_the_spec_knows_of_it() {
        let doc = schema_doc_field(
            &json!({"type": "string", "minLength": 1, "maxLength": 255, "example": "My token"}),
            "name",
        );
        assert_eq!(
            doc,
            "`name` on the wire: a string (1 to 255 characters). Example: `My token`."
        );
        let doc = schema_doc_field(
            &json!({"type": ["integer", "null"], "format": "int32", "minimum": 1, "default": 10}),
            "perPage",
        );
        assert_eq!(
            doc,
            "`perPage` on the wire: an integer (int32; at least 1), or `null`. Default: `10`."
        );
        // A described field keeps its description; a reference says only its wire name.
        let doc = schema_doc_field(&json!({"type": "string", "description": "The name."}), "n");
        assert_eq!(doc, "The name.");
        assert_eq!(
            schema_doc_field(&json!({"$ref": "x"}), "x"),
            "`x` on the wire."
        );
    }

    #[test]
    fn an_undescribed_type_lists_its_values_or_fields() {
        assert_eq!(
            type_fallback(&json!({"type": "string", "enum": ["asc", "desc"]})),
            "A string: one of `asc`, `desc`."
        );
        let many: Vec<String> = (0..20).map(|i| format!("v{i}")).collect();
        assert_eq!(
            type_fallback(&json!({"enum": many})),
            "A string: one of 20 documented values."
        );
        assert_eq!(
            type_fallback(&json!({"properties": {"a": {}, "b": {}}})),
            "An object with the fields `a`, `b`."
        );
        assert_eq!(
            type_fallback(&json!({"type": "object", "properties": {}})),
            "An object with no documented fields."
        );
        // A union says what its alternatives are, never only its own name.
        let id_or_blank = json!({"oneOf": [
            {"type": "string", "pattern": "^[a-f0-9]{24}$"},
            {"type": "string", "enum": [""]},
            {"type": "null"},
        ]});
        assert_eq!(
            type_fallback(&id_or_blank),
            "One of: a string (matching `^[a-f0-9]{24}$`); `\"\"`; `null`."
        );
        let refs = json!({"anyOf": [{"$ref": "#/definitions/apiToken"}, {"title": "Legacy"}, {"const": 3}]});
        assert_eq!(type_fallback(&refs), "One of: a `apiToken`; `Legacy`; `3`.");
        let wide = json!({"oneOf": (0..9).map(|i| json!({"const": i})).collect::<Vec<_>>()});
        assert_eq!(type_fallback(&wide), "One of 9 documented alternatives.");
        // Objects told apart by a property of one value are named by it.
        let tagged = json!({"oneOf": [
            {"type": "object", "properties": {"type": {"enum": ["select"]}, "options": {}}},
            {"type": "object", "properties": {"kind": {"const": "box"}}},
            {"type": "object", "properties": {"a": {}}},
        ]});
        assert_eq!(
            type_fallback(&tagged),
            "One of: a `select` object; a `box` object; an object with the fields `a`."
        );
        // Alternatives that all list strings are one list.
        let scopes = json!({"anyOf": [
            {"oneOf": [{"enum": ["a"]}, {"enum": ["b"]}]},
            {"type": "string", "enum": ["c"]},
        ]});
        assert_eq!(type_fallback(&scopes), "A string: one of `a`, `b`, `c`.");
    }
}
