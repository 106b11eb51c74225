//! Lowering: the checked spec becomes an IR in which every name is a Rust name, every schema a
//! resolved Rust type, and every text a ready doc string. Templates only arrange what is here.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::names::{self, Scope};
use crate::spec::Spec;

/// Enums with more values than this become a string newtype with associated constants: 500
/// variants cost compile time and every match, constants cost nothing.
pub const MAX_ENUM_VARIANTS: usize = 64;

/// A Rust string literal (quoted and escaped) for `text`.
pub fn lit(text: &str) -> String {
    // ASCII is escaped here exactly as proc-macro2 escapes it (`char::escape_debug`, quotes
    // kept); only other text, where Unicode rules decide, goes through proc-macro2.
    if !text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) || matches!(b, b'\n' | b'\r' | b'\t'))
    {
        return proc_macro2::Literal::string(text).to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `#[doc = "..."]` lines for a text, one attribute per line, so any text is a valid doc.
/// Spec text is prose, never code: fences are escaped and lines unindented, so that rustdoc
/// never takes vendor text for a doctest.
pub fn doc_attrs(text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    text.lines()
        .map(|l| format!("#[doc = {}]\n", lit(&format!(" {}", doc_line(l)))))
        .collect()
}

/// The wire name serde's `rename_all = "camelCase"` gives a field (after stripping `r#`).
fn serde_camel(field: &str) -> String {
    let field = field.strip_prefix("r#").unwrap_or(field);
    let mut pascal = String::new();
    let mut capitalize = true;
    for ch in field.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    match pascal.get(..1) {
        Some(first) => first.to_ascii_lowercase() + &pascal[1..],
        None => pascal,
    }
}

/// Spec text as one rustdoc string: each line as [`doc_attrs`] writes it, joined by `\n`.
pub fn doc_text(text: &str) -> String {
    text.trim()
        .lines()
        .map(|l| format!(" {}", doc_line(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of spec text as it appears in rustdoc (markdown): unindented, so that it cannot
/// be an indented code block; fences escaped, so that it cannot open one (rustdoc would
/// compile either as a doctest); and outside code spans, `<`, `>`, `[` and `]` escaped, so
/// that it adds no HTML and no link (nor a broken intra-doc link warning).
pub fn doc_line(line: &str) -> String {
    let line = line.trim();
    // Most lines have nothing to escape.
    if !line.contains(['`', '~', '<', '>', '[', ']']) {
        return line.to_string();
    }
    let ticks = line.matches('`').count();
    let mut out = String::with_capacity(line.len() + 8);
    let (mut inside, mut seen) = (false, 0);
    for c in line.chars() {
        if c == '`' {
            seen += 1;
            // An unmatched last backtick is a literal one: the text after it is outside.
            if inside || seen < ticks {
                inside = !inside;
            }
            out.push(c);
            continue;
        }
        match c {
            '<' if !inside => out.push_str("&lt;"),
            '>' if !inside => out.push_str("&gt;"),
            '[' | ']' if !inside => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if out.contains("```") || out.contains("~~~") {
        out = out.replace("```", "\\`\\`\\`").replace("~~~", "\\~\\~\\~");
    }
    out
}

/// A JSON value as the generated tests and pages show it: indented, unless the indentation
/// would make it many times longer than the value itself (every line of a deeply nested value
/// is indented by two spaces per level, so a large example at the deepest nesting a spec allows
/// grew several hundred times), then compact.
pub fn example_text(v: &Value) -> String {
    let compact = v.to_string();
    // Real examples indent to less than twice their length.
    let cap = compact.len().saturating_mul(8).saturating_add(64 << 10);
    let mut out = Capped {
        text: Vec::new(),
        cap,
    };
    match serde_json::to_writer_pretty(&mut out, v) {
        Ok(()) => String::from_utf8(out.text).unwrap_or(compact),
        Err(_) => compact,
    }
}

/// A writer that refuses to grow past `cap` bytes.
struct Capped {
    text: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.text.len() + bytes.len() > self.cap {
            return Err(std::io::Error::other("longer than the cap"));
        }
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The whole crate, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct CrateIr {
    /// API short name (`losant`).
    pub api: String,
    /// Package name (`losant-sdk`).
    pub package: String,
    /// Library name (`losant_sdk`).
    pub lib: String,
    /// Crate version.
    pub version: String,
    /// API title.
    pub title: String,
    /// Doc attributes for the crate.
    pub description: String,
    /// Vendor API version.
    pub api_version: String,
    /// The spec folder (`spec/losant`).
    pub source: String,
    /// Models in dependency-free, name-sorted order.
    pub models: Vec<Model>,
    /// Example round-trip cases for the generated tests.
    pub examples: Vec<ExampleCase>,
    /// Whether any model uses a date-time.
    pub uses_datetime: bool,
    /// Whether any field is optional and nullable (read through `support::present`).
    pub uses_present: bool,
    /// A `recursion_limit` for crates whose types nest deeper than rustc's default allows.
    pub recursion_limit: Option<usize>,
    /// Structs to probe with an unknown field.
    pub unknown_fields: Vec<ProbeCase>,
    /// Enums to probe with an unknown value.
    pub enums: Vec<ProbeCase>,
    /// Resource clients.
    pub resources: Vec<crate::client_ir::ResourceIr>,
    /// API-wide client facts.
    pub client: crate::client_ir::ClientIr,
}

/// One generated type.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Model {
    /// A struct.
    Struct {
        /// Type name.
        name: String,
        /// Doc attributes.
        doc: String,
        /// Fields.
        fields: Vec<FieldIr>,
        /// Whether unknown fields are kept in an `extra` map.
        keeps_extra: bool,
        /// Whether the struct carries `#[serde(rename_all = "camelCase")]`, so that only the
        /// fields whose wire name differs from that rule carry a `rename`.
        rename_camel: bool,
    },
    /// An open enum of string values.
    Enum {
        /// Type name.
        name: String,
        /// Doc attributes.
        doc: String,
        /// Variants.
        variants: Vec<VariantIr>,
    },
    /// A string newtype with one constant per known value.
    StringConsts {
        /// Type name.
        name: String,
        /// Doc attributes.
        doc: String,
        /// Constants.
        variants: Vec<VariantIr>,
    },
    /// An untagged union of alternatives, with a raw catch-all.
    Union {
        /// Type name.
        name: String,
        /// Doc attributes.
        doc: String,
        /// Alternatives.
        variants: Vec<UnionVariant>,
    },
    /// A type alias (arrays at top level, plain values).
    Alias {
        /// Type name.
        name: String,
        /// Doc attributes.
        doc: String,
        /// Target type.
        target: String,
    },
}

impl Model {
    /// The type's name.
    pub fn name(&self) -> &str {
        match self {
            Model::Struct { name, .. }
            | Model::Enum { name, .. }
            | Model::StringConsts { name, .. }
            | Model::Union { name, .. }
            | Model::Alias { name, .. } => name,
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldIr {
    /// Rust name (raw if a keyword).
    pub name: String,
    /// Wire name, as a Rust string literal.
    pub wire: String,
    /// Full Rust type.
    pub ty: String,
    /// Doc attributes.
    pub doc: String,
    /// serde attribute contents (without `#[serde(...)]`), empty if none.
    pub serde: String,
}

/// An enum variant or a constant.
#[derive(Debug, Clone, Serialize)]
pub struct VariantIr {
    /// Rust name.
    pub name: String,
    /// Wire value as a Rust string literal.
    pub wire: String,
    /// Doc attributes.
    pub doc: String,
}

/// A union alternative.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// Variant name.
    pub name: String,
    /// Payload type.
    pub ty: String,
    /// Doc attributes.
    pub doc: String,
}

/// One example to round-trip in the generated tests.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleCase {
    /// Test function name.
    pub test: String,
    /// Rust type.
    pub ty: String,
    /// JSON text as a Rust string literal.
    pub json: String,
    /// Where the example is in the spec.
    pub origin: String,
    /// Secret values inside the example (Rust literals) that `Debug` must not show.
    pub secrets: Vec<String>,
}

/// A type to probe with a value it does not know (a field or an enum value).
#[derive(Debug, Clone, Serialize)]
pub struct ProbeCase {
    /// Test function name.
    pub test: String,
    /// Rust type.
    pub ty: String,
    /// A JSON object of the type, as a Rust string literal (empty for enums).
    pub json: String,
}

/// Lowers a checked spec.
pub fn lower(spec: &Spec) -> CrateIr {
    let mut l = Lowerer {
        spec,
        refs: RefGraph::new(spec),
        read_only: std::cell::OnceCell::new(),
        models: Vec::new(),
        scope: Scope::default(),
        named: HashMap::new(),
        request_named: HashMap::new(),
        uses_datetime: false,
        uses_present: false,
        late_models: Vec::new(),
    };
    for name in names::RESERVED_TYPES {
        l.scope.claim((*name).to_string());
    }
    // Named schemas first, so their names win over inline types.
    for name in spec.schemas.keys() {
        let rust = l.scope.claim(schema_type_name(name, &spec.schemas[name]));
        l.named.insert(name.clone(), rust);
    }
    for name in spec.schemas.keys() {
        l.lower_named(name);
    }
    // Resources after the models: their bodies may need request variants of the models.
    let mut resources = crate::client_ir::lower_resources(&mut l);
    let globals = crate::client_ir::share_globals(&mut resources);
    let examples = l.examples();
    let mut models = std::mem::take(&mut l.models);
    models.append(&mut l.late_models);
    models.sort_by(|a, b| a.name().cmp(b.name()));
    let mut unknown_fields = Vec::new();
    for (name, s) in &spec.schemas {
        let rust = &l.named[name];
        let is_struct = models
            .iter()
            .any(|m| matches!(m, Model::Struct { name: n, .. } if n == rust));
        if let (true, Some(Value::Array(ex))) = (is_struct, s.get("examples")) {
            if let Some(first) = ex.first().filter(|e| e.is_object()) {
                unknown_fields.push(ProbeCase {
                    test: format!("unknown_field_is_kept_by_{}", names::snake_part(name)),
                    ty: rust.clone(),
                    json: lit(&first.to_string()),
                });
            }
        }
    }
    let enums = models
        .iter()
        .filter_map(|m| match m {
            Model::Enum { name, .. } => Some(ProbeCase {
                test: format!("unknown_value_is_kept_by_{}", names::snake_part(name)),
                ty: name.clone(),
                json: String::new(),
            }),
            _ => None,
        })
        .collect();
    let api = &spec.api;
    let mut description = api.description.clone().unwrap_or_default();
    if description.is_empty() {
        description = api.title.clone();
    }
    let recursion_limit = recursion_limit(&models);
    CrateIr {
        api: api.name.clone(),
        package: api.krate.name.clone(),
        lib: api.krate.name.replace('-', "_"),
        version: api.krate.version.clone(),
        title: api.title.clone(),
        description: doc_attrs(&description),
        api_version: api.version.clone(),
        source: spec.source.clone(),
        models,
        examples,
        uses_datetime: l.uses_datetime,
        uses_present: l.uses_present,
        recursion_limit,
        unknown_fields,
        enums,
        resources,
        client: crate::client_ir::ClientIr {
            globals,
            ..crate::client_ir::lower_client(spec)
        },
    }
}

/// rustc computes a struct's layout through every by-value field (`T`, `Option<T>`), 2 query
/// levels per struct; past its default limit of 128 the crate needs a higher one.
fn recursion_limit(models: &[Model]) -> Option<usize> {
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for m in models {
        let targets = match m {
            Model::Struct { fields, .. } => fields
                .iter()
                .filter_map(|f| by_value_model(&f.ty))
                .collect(),
            Model::Alias { target, .. } => by_value_model(target).into_iter().collect(),
            Model::Union { variants, .. } => variants
                .iter()
                .filter_map(|v| by_value_model(&v.ty))
                .collect(),
            _ => Vec::new(),
        };
        edges.insert(m.name(), targets);
    }
    // The longest chain of by-value fields from each model, without recursion: a chain can be
    // as long as the spec has schemas. Such a chain never closes (a type cannot hold itself by
    // value: cyclic refs are boxed); were one to, the edge back would count for nothing.
    let mut longest: HashMap<&str, usize> = HashMap::new();
    let mut on_path: HashSet<&str> = HashSet::new();
    for m in models {
        let root = m.name();
        if longest.contains_key(root) {
            continue;
        }
        // (model, edges followed, longest chain below it so far)
        let mut stack: Vec<(&str, usize, usize)> = vec![(root, 0, 0)];
        on_path.insert(root);
        while let Some(&(n, i, below)) = stack.last() {
            match edges.get(n).and_then(|ts| ts.get(i)) {
                Some(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    let t = t.as_str();
                    if let Some(&d) = longest.get(t) {
                        if let Some(top) = stack.last_mut() {
                            top.2 = below.max(d);
                        }
                    } else if on_path.insert(t) {
                        stack.push((t, 0, 0));
                    }
                }
                None => {
                    stack.pop();
                    on_path.remove(n);
                    let d = 1 + below;
                    longest.insert(n, d);
                    if let Some(top) = stack.last_mut() {
                        top.2 = top.2.max(d);
                    }
                }
            }
        }
    }
    let deepest = models
        .iter()
        .map(|m| longest.get(m.name()).copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    (deepest * 2 + 16 > 128).then(|| (deepest * 2 + 64).next_power_of_two())
}

/// The model a field holds by value (`Foo`, `Option<Foo>`, `Option<crate::Nullable<Foo>>`).
fn by_value_model(ty: &str) -> Option<String> {
    let mut t = ty;
    for wrapper in ["Option<", "crate::Nullable<"] {
        if let Some(inner) = t.strip_prefix(wrapper) {
            t = inner.strip_suffix('>').unwrap_or(inner);
        }
    }
    t.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then(|| t.to_string())
}

fn schema_type_name(name: &str, schema: &Value) -> String {
    match schema.get("x-rust-name").and_then(Value::as_str) {
        Some(n) => names::camel(n),
        None => names::camel(name),
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
                crate::validate::ref_targets(s)
                    .iter()
                    .filter_map(|t| index.get(t).copied())
                    .collect()
            })
            .collect();
        let component = crate::validate::components(&edges);
        let mut cyclic = vec![false; edges.len()];
        let mut size = vec![0usize; edges.len()];
        for (n, c) in component.iter().enumerate() {
            size[*c] += 1;
            cyclic[*c] |= size[*c] > 1 || edges[n].contains(&n);
        }
        RefGraph {
            index,
            edges,
            component,
            cyclic,
        }
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

pub(crate) struct Lowerer<'a> {
    pub(crate) spec: &'a Spec,
    pub(crate) models: Vec<Model>,
    pub(crate) scope: Scope,
    pub(crate) named: HashMap<String, String>,
    pub(crate) request_named: HashMap<String, String>,
    pub(crate) uses_datetime: bool,
    pub(crate) uses_present: bool,
    /// The refs between named schemas.
    pub(crate) refs: RefGraph,
    /// Whether each named schema (in spec order) reaches a `readOnly` property, found when
    /// first needed.
    pub(crate) read_only: std::cell::OnceCell<Vec<bool>>,
    /// Models defined while lowering resources that belong to the models module (request
    /// variants of named schemas).
    pub(crate) late_models: Vec<Model>,
}

/// The JSON-Schema types a schema names.
pub(crate) fn types_of(s: &Value) -> Vec<&str> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    }
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

impl Lowerer<'_> {
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
        let doc = doc_attrs(&schema_doc(s, fallback));
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
                self.define_union(rust, doc, alts, request);
                return;
            }
        }
        let target = self.type_of(s, rust, request);
        self.models.push(Model::Alias {
            name: rust.to_string(),
            doc,
            target,
        });
    }

    fn define_enum(&mut self, rust: &str, doc: String, values: &[String]) {
        let mut scope = Scope::default();
        scope.claim("Unknown".into());
        let variants = values
            .iter()
            .map(|v| {
                let base = if values.len() > MAX_ENUM_VARIANTS {
                    names::shouty(v)
                } else {
                    names::camel(v)
                };
                let base = if v.is_empty() {
                    if values.len() > MAX_ENUM_VARIANTS {
                        "EMPTY".into()
                    } else {
                        "Empty".into()
                    }
                } else {
                    base
                };
                VariantIr {
                    name: scope.claim(base),
                    wire: lit(v),
                    doc: doc_attrs(&format!("The value `{}`.", v.replace('`', "'"))),
                }
            })
            .collect();
        if values.len() > MAX_ENUM_VARIANTS {
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

    fn define_union(&mut self, rust: &str, doc: String, alts: &[Value], request: bool) {
        let mut scope = Scope::default();
        scope.claim("Other".into());
        let mut variants = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            let label = alt
                .get("$ref")
                .and_then(Value::as_str)
                .map(names::camel)
                .or_else(|| text(alt, "title").map(|t| names::camel(&t)))
                .unwrap_or_else(|| format!("Variant{}", i + 1));
            let vname = scope.claim(label);
            let mut ty = self.type_of(alt, &format!("{rust}{vname}"), request);
            // Boxing keeps the enum small; collections and strings are already a pointer wide.
            if !(ty.starts_with("Vec<")
                || ty.starts_with("String")
                || ty.starts_with("serde_json")
                || ty.starts_with("std::collections")
                || ty.contains("::")
                || is_primitive(&ty))
            {
                ty = format!("Box<{ty}>");
            }
            variants.push(UnionVariant {
                name: vname,
                ty,
                doc: doc_attrs(&schema_doc(
                    alt,
                    &format!("Alternative {} of the union.", i + 1),
                )),
            });
        }
        self.models.push(Model::Union {
            name: rust.to_string(),
            doc,
            variants,
        });
    }

    fn define_struct(
        &mut self,
        rust: &str,
        doc: String,
        s: &Value,
        request: bool,
        schema_name: Option<&str>,
    ) {
        let required: Vec<&str> = crate::validate::required_names(s).collect();
        let mut scope = Scope::default();
        scope.claim("extra".into());
        let mut fields = Vec::new();
        let mut wires: Vec<&str> = Vec::new();
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
            let nullable = types_of(p).contains(&"null");
            let is_required = required.contains(&wire.as_str());
            let mut inner = self.type_of(p, &format!("{rust}{}", names::camel(wire)), request);
            // A field whose type leads back to this schema must be boxed to have a size.
            if let (Some(r), Some(me)) = (p.get("$ref").and_then(Value::as_str), schema_name) {
                if self.refs.leads_back(me, r) {
                    inner = format!("Box<{inner}>");
                }
            }
            self.uses_present |= !is_required && nullable;
            let (ty, serde) = match (is_required, nullable) {
                (true, false) => (inner, String::new()),
                (true, true) => (format!("Option<{inner}>"), String::new()),
                (false, false) => (format!("Option<{inner}>"), "default, skip_serializing_if = \"Option::is_none\"".to_string()),
                (false, true) => (
                    format!("Option<crate::Nullable<{inner}>>"),
                    "default, skip_serializing_if = \"Option::is_none\", deserialize_with = \"crate::support::present\"".to_string(),
                ),
            };
            let mut d = schema_doc_field(p, wire);
            if read_only {
                d.push_str("\n\nRead-only: set by the server, never sent in a request.");
            }
            if p.get("x-secret") == Some(&Value::Bool(true)) {
                d.push_str("\n\nSecret: `Debug` prints a placeholder; call `expose()` to read it.");
            }
            wires.push(wire);
            fields.push(FieldIr {
                name: fname,
                wire: lit(wire),
                ty,
                doc: doc_attrs(&d),
                serde,
            });
        }
        // `rename_all` is used only when every field name is ASCII (serde's rule slices the
        // first character as a byte); a field that the rule does not map to its wire name
        // keeps its own `rename`, which takes precedence.
        let rename_camel = fields.iter().all(|f| f.name.is_ascii());
        for (f, wire) in fields.iter_mut().zip(wires) {
            if rename_camel && !wire.is_empty() && serde_camel(&f.name) == wire {
                continue;
            }
            f.serde = if f.serde.is_empty() {
                format!("rename = {}", f.wire)
            } else {
                format!("rename = {}, {}", f.wire, f.serde)
            };
        }
        // Unknown fields are kept even where the vendor says `additionalProperties: false`:
        // a field the server adds later must never fail a call.
        let keeps_extra = true;
        self.models.push(Model::Struct {
            name: rust.to_string(),
            doc,
            fields,
            keeps_extra,
            rename_camel,
        });
    }

    fn ref_type(&mut self, r: &str, request: bool) -> String {
        if request && self.reaches_read_only(r) {
            return self.request_named_type(r);
        }
        self.named
            .get(r)
            .cloned()
            .unwrap_or_else(|| "serde_json::Value".into())
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
    pub(crate) fn type_of(&mut self, s: &Value, hint: &str, request: bool) -> String {
        if s.get("x-untyped").is_some() {
            return "serde_json::Value".into();
        }
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            return self.ref_type(r, request);
        }
        if s.get("x-secret") == Some(&Value::Bool(true)) {
            return "crate::Secret".into();
        }
        if string_enum(s).is_some() || is_object_with_props(s) || union_alternatives(s).is_some() {
            let base = s
                .get("x-rust-name")
                .or_else(|| s.get("title"))
                .and_then(Value::as_str)
                .map(names::camel)
                .unwrap_or_else(|| hint.to_string());
            let name = self.scope.claim(base);
            let fallback = format!("Part of `{hint}`.");
            self.define(&name, s, &fallback, request, None);
            return name;
        }
        if let Some(Value::Array(all)) = s.get("allOf") {
            if all.len() == 1 {
                return self.type_of(&all[0], hint, request);
            }
        }
        let types: Vec<&str> = types_of(s).into_iter().filter(|t| *t != "null").collect();
        let format = s.get("format").and_then(Value::as_str).unwrap_or("");
        match types.as_slice() {
            ["string"] => match format {
                "date-time" => {
                    self.uses_datetime = true;
                    "chrono::DateTime<chrono::Utc>".into()
                }
                "uuid" => "uuid::Uuid".into(),
                _ => "String".into(),
            },
            ["integer"] | ["number"] if s.get("x-epoch").is_some() => "crate::EpochSeconds".into(),
            ["integer"] => "i64".into(),
            ["number"] => "f64".into(),
            ["boolean"] => "bool".into(),
            ["array"] => {
                let item = s.get("items").cloned().unwrap_or(Value::Bool(true));
                let inner = if item.is_object() {
                    self.type_of(&item, &format!("{hint}Item"), request)
                } else {
                    "serde_json::Value".into()
                };
                format!("Vec<{inner}>")
            }
            ["object"] => self.map_type(s, hint, request),
            _ => "serde_json::Value".into(),
        }
    }

    fn map_type(&mut self, s: &Value, hint: &str, request: bool) -> String {
        if let Some(Value::Object(pp)) = s.get("patternProperties") {
            let schemas: Vec<&Value> = pp.values().collect();
            if schemas.len() == 1 {
                let inner = self.type_of(schemas[0], &format!("{hint}Value"), request);
                return format!("std::collections::BTreeMap<String, {inner}>");
            }
            return "serde_json::Map<String, serde_json::Value>".into();
        }
        match s.get("additionalProperties") {
            Some(ap @ Value::Object(_)) => {
                let inner = self.type_of(ap, &format!("{hint}Value"), request);
                format!("std::collections::BTreeMap<String, {inner}>")
            }
            _ => "serde_json::Map<String, serde_json::Value>".into(),
        }
    }

    fn examples(&mut self) -> Vec<ExampleCase> {
        let mut out = Vec::new();
        let mut scope = Scope::default();
        for (name, s) in &self.spec.schemas {
            if let Some(Value::Array(examples)) = s.get("examples") {
                for (i, e) in examples.iter().enumerate() {
                    out.push(ExampleCase {
                        test: scope.claim(format!(
                            "schema_{}_example_{}",
                            names::snake_part(name),
                            i + 1
                        )),
                        ty: self.named[name].clone(),
                        json: lit(&example_text(e)),
                        origin: format!("schemas.{name}.examples[{i}]"),
                        secrets: self.secrets(s, e),
                    });
                }
            }
        }
        for r in &self.spec.resources {
            for (aname, a) in &r.actions {
                let base = format!(
                    "{}_{}",
                    names::snake_part(&r.name),
                    names::snake_part(aname)
                );
                let mut cases = Vec::new();
                if let (Some(b), true) = (&a.body, true) {
                    if let Some(ex) = &b.example {
                        cases.push((
                            format!("{base}_request"),
                            &b.schema,
                            ex,
                            true,
                            format!("resources.{}.actions.{aname}.body.example", r.name),
                        ));
                    }
                }
                for (i, resp) in a.responses.iter().chain(a.errors.iter()).enumerate() {
                    if let (Some(s), Some(ex)) = (&resp.schema, &resp.example) {
                        cases.push((
                            format!("{base}_response_{}", resp.code),
                            s,
                            ex,
                            false,
                            format!(
                                "resources.{}.actions.{aname}.responses[{i}].example",
                                r.name
                            ),
                        ));
                    }
                }
                for (test, schema, ex, request, origin) in cases {
                    let ty = self.type_of(schema, &names::camel(&test), request);
                    let secrets = self.secrets(schema, ex);
                    out.push(ExampleCase {
                        test: scope.claim(test),
                        ty,
                        json: lit(&example_text(ex)),
                        origin,
                        secrets,
                    });
                }
            }
        }
        out
    }
}

impl Lowerer<'_> {
    /// The string values at `x-secret` places of an example, as Rust literals.
    pub(crate) fn secrets(&self, schema: &Value, example: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_secrets(schema, example, &mut out);
        out.sort();
        out.dedup();
        out.into_iter()
            .filter(|s| s.len() >= 4)
            .map(|s| lit(&s))
            .collect()
    }

    /// Walks the example beside its schema, without recursion and without a depth limit: each
    /// (schema, value) pair once, since a value is matched against its schema's alternatives
    /// where it stands, and an alternative may lead back to where it started. `$ref` chains are
    /// followed to their end, as the types are.
    fn collect_secrets(&self, schema: &Value, value: &Value, out: &mut Vec<String>) {
        let mut seen: HashSet<(*const Value, *const Value)> = HashSet::new();
        let mut work = vec![(schema, value)];
        while let Some((schema, value)) = work.pop() {
            let schema = crate::validate::resolve(self.spec, schema);
            if !seen.insert((std::ptr::from_ref(schema), std::ptr::from_ref(value))) {
                continue;
            }
            if schema.get("x-secret") == Some(&Value::Bool(true)) {
                if let Value::String(s) = value {
                    out.push(s.clone());
                }
                continue;
            }
            match value {
                Value::Object(map) => {
                    if let Some(Value::Object(props)) = schema.get("properties") {
                        for (k, v) in map {
                            if let Some(p) = props.get(k) {
                                work.push((p, v));
                            }
                        }
                    }
                    for key in ["oneOf", "anyOf", "allOf"] {
                        if let Some(Value::Array(alts)) = schema.get(key) {
                            for alt in alts {
                                work.push((alt, value));
                            }
                        }
                    }
                }
                Value::Array(items) => {
                    if let Some(item) = schema.get("items") {
                        for v in items {
                            work.push((item, v));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

fn is_primitive(ty: &str) -> bool {
    matches!(ty, "bool" | "i64" | "f64")
}

fn schema_doc_field(p: &Value, wire: &str) -> String {
    let mut d = match (text(p, "description"), text(p, "title")) {
        (Some(d), _) => d,
        (None, Some(t)) => t,
        (None, None) => format!("The `{wire}` field."),
    };
    if p.get("deprecated") == Some(&Value::Bool(true)) {
        d.push_str("\n\nDeprecated by the vendor.");
    }
    if let Some(reason) = text(p, "x-untyped") {
        d.push_str(&format!("\n\nKept as raw JSON: {reason}"));
    }
    d
}

/// The values of a string enum, if the schema is one.
fn string_enum(s: &Value) -> Option<Vec<String>> {
    let values = s.get("enum")?.as_array()?;
    let types: Vec<&str> = types_of(s).into_iter().filter(|t| *t != "null").collect();
    if !(types.is_empty() || types == ["string"]) {
        return None;
    }
    let strings: Vec<String> = values
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let non_null = values.iter().filter(|v| !v.is_null()).count();
    (strings.len() == non_null && !strings.is_empty()).then_some(strings)
}

fn is_object_with_props(s: &Value) -> bool {
    s.get("properties").and_then(Value::as_object).is_some()
}

fn union_alternatives(s: &Value) -> Option<&[Value]> {
    s.get("oneOf")
        .or_else(|| s.get("anyOf"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::{lit, recursion_limit, FieldIr, Model};

    fn holding(name: &str, ty: &str) -> Model {
        Model::Struct {
            name: name.into(),
            doc: String::new(),
            fields: vec![FieldIr {
                name: "next".into(),
                wire: lit("next"),
                ty: ty.into(),
                doc: String::new(),
                serde: String::new(),
            }],
            keeps_extra: true,
            rename_camel: true,
        }
    }

    /// Examples are indented as before, unless indenting would make them many times longer.
    #[test]
    fn example_text_is_indented_unless_that_multiplies_it() {
        let small = serde_json::json!({"a": [1, {"b": "c"}], "d": null});
        assert_eq!(
            super::example_text(&small),
            serde_json::to_string_pretty(&small).unwrap()
        );
        let mut deep = serde_json::Value::Array((0..20_000).map(serde_json::Value::from).collect());
        for _ in 0..250 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        assert_eq!(super::example_text(&deep), deep.to_string());
    }

    /// The limit follows the longest chain of types held by value however long it is (the
    /// walk gave up after 10,000 types, and the limit came out too low for rustc).
    #[test]
    fn recursion_limit_follows_chains_of_any_length() {
        let n: usize = 20_000;
        let mut models: Vec<Model> = (0..n)
            .map(|i| holding(&format!("M{i}"), &format!("Option<M{}>", i + 1)))
            .collect();
        models.push(holding(&format!("M{n}"), "String"));
        // The types at the end of the chain count too: M0 .. M20000, String.
        let deepest = n + 2;
        assert_eq!(
            recursion_limit(&models),
            Some((deepest * 2 + 64).next_power_of_two())
        );
        assert_eq!(recursion_limit(&models[n - 10..]), None);
        // A loop (never lowered: such types are boxed) ends the walk instead of hanging it.
        models.push(holding("Loop", "Loop"));
        assert!(recursion_limit(&models).is_some());
    }

    /// The plain-ASCII shortcut writes exactly what proc-macro2 writes, and everything else
    /// still goes through proc-macro2.
    #[test]
    fn lit_matches_proc_macro2() {
        let printable: String = (b' '..=b'~').map(char::from).collect();
        for text in [
            "",
            "plain text, with (punctuation) & numbers 123",
            printable.as_str(),
            "quote \" and backslash \\",
            "tab\tnewline\ncarriage\r nul\0",
            "it's 'quoted'\r\n\t\"both\" \\n and \\\\",
            "unicode é ✓ \u{200b} \u{7f}",
        ] {
            assert_eq!(
                lit(text),
                proc_macro2::Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }
}
