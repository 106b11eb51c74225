//! Value checks: every default, example and accepted value against its schema, with every
//! schema compiled once.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use crate::diag::Diagnostic;
use crate::load::SourceMap;
use crate::schema::{ref_targets, resolve, types_of};
use crate::spec::{ParamIn, Spec};

/// The value checks [`check_structure`](super::check_structure) found (see [`ValueChecks::run`]).
pub struct ValueChecks<'a> {
    pub(super) spec: &'a Spec,
    pub(super) src: &'a SourceMap,
    pub(super) checks: Vec<ValueCheck<'a>>,
}

/// A default, example or enum value to check against its schema; [`ValueChecks::run`] runs
/// them together, on all cores, each distinct schema compiled once.
pub(super) struct ValueCheck<'a> {
    pub(super) schema: &'a Value,
    pub(super) value: &'a Value,
    pub(super) path: String,
    pub(super) what: String,
    pub(super) ignore_enum: bool,
}

fn rewrite_refs(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, val)| {
                    if k == "$ref" {
                        if let Value::String(name) = val {
                            return (
                                k.clone(),
                                Value::String(format!("#/definitions/{}", pointer_escape(name))),
                            );
                        }
                    }
                    // Examples and defaults are data, not schemas.
                    if matches!(k.as_str(), "examples" | "default" | "enum" | "const") {
                        return (k.clone(), val.clone());
                    }
                    (k.clone(), rewrite_refs(val))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(rewrite_refs).collect()),
        other => other.clone(),
    }
}

fn pointer_escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

// ---------------------------------------------------------------------------------------------
// Value checks: every value against its schema, with every schema compiled once.
//
// The values are checked against one compiled document: the spec's schemas under
// `definitions`, and under `properties` one entry per schema a value is checked against (a
// `$ref` to where that schema lives in the document, or a copy where it must differ), so that a
// value is checked by wrapping it as the only property of an object. A standalone validator per
// schema, with a copy of every schema it reaches, cost time and memory in the square of the
// number of schemas that reference each other.
//
// Each check must give what a standalone validator of its schema gave: its errors in the same
// order, and none at all when that validator did not compile (such a schema is reported by the
// schema checks). When the whole document does not compile, the parts that compile on their own
// are found and the document is compiled again without the others.

/// The draft the spec's schemas are read in.
const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Keys that hold data, not schemas: refs inside them are not followed.
fn is_data_key(k: &str) -> bool {
    matches!(k, "examples" | "default" | "enum" | "const")
}

/// A schema that values are checked against (the schema object of the spec), with its `enum`
/// left out for an example that `x-example-outside-enum` excuses.
#[derive(Clone, Copy)]
struct Source<'a> {
    schema: &'a Value,
    ignore_enum: bool,
}

/// A schema of the spec that holds schemas checked against: a named schema, or a schema written
/// inline in `api.yaml` or a resource (a parameter's, a body's, a response's).
struct Container<'a> {
    /// Its key in the document: under `definitions` for a named schema (its name), under
    /// `properties` for an inline one.
    key: String,
    named: bool,
    schema: &'a Value,
}

impl Container<'_> {
    /// The escaped JSON pointer of the container in the document.
    fn pointer(&self) -> String {
        let parent = if self.named {
            "definitions"
        } else {
            "properties"
        };
        format!("/{parent}/{}", pointer_escape(&self.key))
    }
}

/// The document and what the checks need to find their schema in it.
struct Document<'a> {
    spec: &'a Spec,
    sources: &'a [Source<'a>],
    /// The named schemas (in spec order), then the inline schemas that hold a source.
    containers: Vec<Container<'a>>,
    /// Where each source lies: its container and its escaped JSON pointer inside it. `None` for
    /// a schema found nowhere a ref could point to (under a property named like a data key).
    places: Vec<Option<(usize, String)>>,
}

/// A compiled check: `None` when its schema does not compile (no value is checked against it).
type Route = Option<Value>;

impl<'a> Document<'a> {
    fn new(spec: &'a Spec, sources: &'a [Source<'a>]) -> Self {
        let wanted: HashSet<*const Value> = sources
            .iter()
            .map(|s| std::ptr::from_ref(s.schema))
            .collect();
        // Checks of the same object with and without its enum share the object's place.
        let mut found: HashMap<*const Value, (usize, String)> = HashMap::new();
        let mut containers = Vec::new();
        for (name, schema) in &spec.schemas {
            find_places(
                schema,
                &mut String::new(),
                &wanted,
                containers.len(),
                &mut found,
            );
            containers.push(Container {
                key: name.clone(),
                named: true,
                schema,
            });
        }
        for schema in inline_schemas(spec) {
            let before = found.len();
            find_places(
                schema,
                &mut String::new(),
                &wanted,
                containers.len(),
                &mut found,
            );
            if found.len() > before {
                containers.push(Container {
                    key: format!("i{}", containers.len() - spec.schemas.len()),
                    named: false,
                    schema,
                });
            }
        }
        let places = sources
            .iter()
            .map(|s| found.get(&std::ptr::from_ref(s.schema)).cloned())
            .collect();
        Document {
            spec,
            sources,
            containers,
            places,
        }
    }

    /// Container `c` as it appears in the document: refs rewritten, `$schema` dropped. Made
    /// again where needed rather than kept: the copies hold the spec's examples too.
    fn copy(&self, c: usize) -> Value {
        prepared_copy(self.containers[c].schema, false)
    }

    /// The entry of source `s` under `properties`: a `$ref` to where it lies, or a copy where
    /// the schema checked differs from the one in place (no `enum`, or no `$schema` of its own).
    fn route(&self, s: usize) -> Value {
        let source = self.sources[s];
        match &self.places[s] {
            Some((c, inner))
                if !source.ignore_enum
                    && (inner.is_empty() || source.schema.get("$schema").is_none()) =>
            {
                let pointer = format!("{}{inner}", self.containers[*c].pointer());
                json!({ "$ref": format!("#{}", fragment_encode(&pointer)) })
            }
            _ => prepared_copy(source.schema, source.ignore_enum),
        }
    }

    /// The document with the given containers and routes (source index, route).
    fn assemble(&self, containers: &[bool], routes: &[(usize, Value)]) -> Value {
        let mut definitions = serde_json::Map::new();
        let mut properties = serde_json::Map::new();
        let copies = crate::par::parallel(self.containers.len(), |c| {
            containers[c].then(|| self.copy(c))
        });
        for (container, copy) in self.containers.iter().zip(copies) {
            let Some(copy) = copy else { continue };
            if container.named {
                definitions.insert(container.key.clone(), copy);
            } else {
                properties.insert(container.key.clone(), copy);
            }
        }
        for (s, route) in routes {
            properties.insert(route_key(*s), route.clone());
        }
        json!({
            "$schema": DRAFT_07,
            "definitions": definitions,
            "properties": properties,
        })
    }

    /// Every check's errors (at most 5 each), in the order of `checks`.
    fn errors(&self, checks: &[ValueCheck<'_>], source_of: &[usize]) -> Vec<Vec<String>> {
        let all: Vec<(usize, Value)> = (0..self.sources.len())
            .map(|s| (s, self.route(s)))
            .collect();
        let validator = compile(&self.assemble(&vec![true; self.containers.len()], &all));
        if let Some(validator) = validator {
            return check_values(checks, source_of, |i| {
                Some(value_errors(&validator, source_of[i], checks[i].value))
            });
        }
        // Again without the schemas that do not compile.
        let sound = self.sound_containers();
        let routes = self.sound_routes(&sound);
        let included: Vec<(usize, Value)> = routes
            .iter()
            .enumerate()
            .filter_map(|(s, r)| Some((s, r.clone()?)))
            .collect();
        if let Some(validator) = compile(&self.assemble(&sound, &included)) {
            return check_values(checks, source_of, |i| {
                routes[source_of[i]].as_ref()?;
                Some(value_errors(&validator, source_of[i], checks[i].value))
            });
        }
        // A failure the parts compiled alone did not show: each schema with what it reaches,
        // as a validator of its own (the way of old, in time that grows with the square of the
        // number of schemas that reference each other; no spec known takes this way).
        let root = Value::Object(
            self.containers
                .iter()
                .enumerate()
                .filter(|(_, c)| c.named)
                .map(|(i, c)| (c.key.clone(), self.copy(i)))
                .collect(),
        );
        let validators = crate::par::parallel(self.sources.len(), |s| {
            let source = self.sources[s];
            compile(&prepare_schema(&root, source.schema, source.ignore_enum))
        });
        check_values(checks, source_of, |i| {
            let validator = validators[source_of[i]].as_ref()?;
            Some(standalone_errors(validator, checks[i].value))
        })
    }

    /// Which containers are sound: each compiles alone (its refs to other spec schemas
    /// stubbed) and reaches only named schemas that do.
    fn sound_containers(&self) -> Vec<bool> {
        let index: HashMap<&str, usize> = self
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.named)
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        let compiles = crate::par::parallel(self.containers.len(), |c| {
            let container = &self.containers[c];
            let doc = if container.named {
                // As a ref reaches it: under `definitions`.
                let mut definitions = self.stubs(container.schema);
                definitions.insert(container.key.clone(), self.copy(c));
                json!({
                    "$schema": DRAFT_07,
                    "definitions": definitions,
                    "$ref": format!("#/definitions/{}", pointer_escape(&container.key)),
                })
            } else {
                standalone(self.copy(c), self.stubs(container.schema))
            };
            compile(&doc).is_some()
        });
        // A named schema is unsound when it reaches one that does not compile.
        let targets: Vec<Vec<Option<usize>>> = self
            .containers
            .iter()
            .map(|c| {
                ref_targets(c.schema)
                    .iter()
                    .map(|t| index.get(t.as_str()).copied())
                    .collect()
            })
            .collect();
        let mut sound = compiles.clone();
        let mut callers: Vec<Vec<usize>> = vec![Vec::new(); self.containers.len()];
        for (c, ts) in targets.iter().enumerate() {
            for t in ts {
                match t {
                    Some(t) => callers[*t].push(c),
                    None => sound[c] = false,
                }
            }
        }
        let mut unsound: Vec<usize> = (0..sound.len()).filter(|c| !sound[*c]).collect();
        while let Some(u) = unsound.pop() {
            for &caller in &callers[u] {
                if sound[caller] {
                    sound[caller] = false;
                    unsound.push(caller);
                }
            }
        }
        sound
    }

    /// The route of every source whose schema compiles alone, with everything it reaches.
    fn sound_routes(&self, sound: &[bool]) -> Vec<Route> {
        let index: HashMap<&str, usize> = self
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.named)
            .map(|(i, c)| (c.key.as_str(), i))
            .collect();
        crate::par::parallel(self.sources.len(), |s| {
            if let Some((c, _)) = &self.places[s] {
                if sound[*c] {
                    return Some(self.route(s));
                }
            }
            // In a schema that does not compile as a whole: this part alone, with what it
            // reaches.
            let source = self.sources[s];
            let reaches_sound = ref_targets(source.schema)
                .iter()
                .all(|t| index.get(t.as_str()).is_some_and(|&c| sound[c]));
            let copy = prepared_copy(source.schema, source.ignore_enum);
            let alone = standalone(copy.clone(), self.stubs(source.schema));
            (reaches_sound && compile(&alone).is_some()).then_some(copy)
        })
    }

    /// An empty schema for every spec schema `schema` refers to: what a part needs to compile
    /// alone.
    fn stubs(&self, schema: &Value) -> serde_json::Map<String, Value> {
        ref_targets(schema)
            .into_iter()
            .filter(|t| self.spec.schemas.contains_key(t))
            .map(|t| (t, json!({})))
            .collect()
    }
}

/// Records where the wanted schema objects lie in `v` (walked as [`rewrite_refs`] walks it, so
/// the pointers hold in the rewritten copy).
fn find_places(
    v: &Value,
    at: &mut String,
    wanted: &HashSet<*const Value>,
    container: usize,
    found: &mut HashMap<*const Value, (usize, String)>,
) {
    let len = at.len();
    match v {
        Value::Object(map) => {
            let me = std::ptr::from_ref(v);
            if wanted.contains(&me) {
                found.entry(me).or_insert_with(|| (container, at.clone()));
            }
            for (k, val) in map {
                if k == "$ref" && val.is_string() || is_data_key(k) {
                    continue;
                }
                at.push('/');
                at.push_str(&pointer_escape(k));
                find_places(val, at, wanted, container, found);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                use std::fmt::Write as _;
                let _ = write!(at, "/{i}");
                find_places(item, at, wanted, container, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// The schemas written inline in `api.yaml` and the resources, in spec order.
fn inline_schemas(spec: &Spec) -> Vec<&Value> {
    let mut out: Vec<&Value> = Vec::new();
    out.extend(spec.api.parameters.iter().map(|p| &p.schema));
    out.extend(spec.api.errors.iter().filter_map(|e| e.schema.as_ref()));
    for r in &spec.resources {
        for a in r.actions.values() {
            out.extend(a.params.iter().map(|p| &p.schema));
            out.extend(a.body.as_ref().map(|b| &b.schema));
            out.extend(
                a.responses
                    .iter()
                    .chain(&a.errors)
                    .filter_map(|r| r.schema.as_ref()),
            );
        }
    }
    out
}

/// A schema as it is checked: refs rewritten to `#/definitions/...`, its own `$schema` (which
/// would switch drafts mid-document) and, if asked, its `enum` left out.
fn prepared_copy(schema: &Value, ignore_enum: bool) -> Value {
    let mut schema = rewrite_refs(schema);
    if let Value::Object(m) = &mut schema {
        // Removed in this order, as before: removing moves the last keyword into the gap, and
        // the order of keywords is the order of the errors.
        if ignore_enum {
            m.remove("enum");
        }
        m.remove("$schema");
    }
    schema
}

/// A prepared schema as a document of its own, with the given definitions.
fn standalone(mut schema: Value, definitions: serde_json::Map<String, Value>) -> Value {
    if let Value::Object(m) = &mut schema {
        m.insert("definitions".into(), Value::Object(definitions));
        m.insert("$schema".into(), json!(DRAFT_07));
    }
    schema
}

/// A spec schema as a standalone draft-07 schema with the definitions it reaches (`root` holds
/// every definition): the last resort of [`Document::errors`].
fn prepare_schema(root: &Value, schema: &Value, ignore_enum: bool) -> Value {
    let schema = prepared_copy(schema, ignore_enum);
    let mut start = Vec::new();
    pointer_refs(&schema, &mut start);
    let mut definitions = serde_json::Map::new();
    while let Some(name) = start.pop() {
        if definitions.contains_key(&name) {
            continue;
        }
        if let Some(def) = root.get(&name) {
            pointer_refs(def, &mut start);
            definitions.insert(name, def.clone());
        }
    }
    standalone(schema, definitions)
}

/// Definition names a rewritten schema points at (`#/definitions/<name>`).
fn pointer_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, val) in map {
                if k == "$ref" {
                    if let Some(name) = val.as_str().and_then(|r| r.strip_prefix("#/definitions/"))
                    {
                        out.push(name.replace("~1", "/").replace("~0", "~"));
                    }
                } else if !is_data_key(k) {
                    pointer_refs(val, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| pointer_refs(i, out)),
        _ => {}
    }
}

/// A JSON pointer as a URI fragment: every byte but letters, digits and `-._~/` percent-encoded
/// (jsonschema decodes the fragment before it reads the pointer).
fn fragment_encode(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            use std::fmt::Write as _;
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn route_key(source: usize) -> String {
    format!("c{source}")
}

fn compile(schema: &Value) -> Option<jsonschema::Validator> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(schema)
        .ok()
}

/// The errors of `value` against source `source` of a document's validator.
fn value_errors(validator: &jsonschema::Validator, source: usize, value: &Value) -> Vec<String> {
    let key = route_key(source);
    let prefix = format!("/{key}");
    let instance = Value::Object(std::iter::once((key, value.clone())).collect());
    validator
        .iter_errors(&instance)
        .take(5)
        .map(|e| {
            let path = e.instance_path().to_string();
            error_text(path.strip_prefix(&prefix).unwrap_or(&path), &e)
        })
        .collect()
}

/// The errors of `value` against a standalone validator.
fn standalone_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .take(5)
        .map(|e| error_text(&e.instance_path().to_string(), &e))
        .collect()
}

fn error_text(at: &str, e: &jsonschema::ValidationError<'_>) -> String {
    if at.is_empty() {
        e.to_string()
    } else {
        format!("at `{at}`: {e}")
    }
}

/// Runs `errors` for every check on all cores; `None` (a schema that does not compile) counts
/// as no error.
fn check_values(
    checks: &[ValueCheck<'_>],
    source_of: &[usize],
    errors: impl Fn(usize) -> Option<Vec<String>> + Sync,
) -> Vec<Vec<String>> {
    debug_assert_eq!(checks.len(), source_of.len());
    crate::par::parallel(checks.len(), |i| errors(i).unwrap_or_default())
}

impl ValueChecks<'_> {
    /// Validates every value with the `jsonschema` crate, on all cores, every schema compiled
    /// once. Each failure is reported at its value's path, in recorded order.
    pub fn run(self) -> Vec<Diagnostic> {
        let checks = self.checks;
        // Checks of the same schema object (the examples of one schema) share a source.
        let mut sources: Vec<Source> = Vec::new();
        let mut by_source: HashMap<(*const Value, bool), usize> = HashMap::new();
        let source_of: Vec<usize> = checks
            .iter()
            .map(|c| {
                *by_source
                    .entry((std::ptr::from_ref(c.schema), c.ignore_enum))
                    .or_insert_with(|| {
                        sources.push(Source {
                            schema: c.schema,
                            ignore_enum: c.ignore_enum,
                        });
                        sources.len() - 1
                    })
            })
            .collect();
        if checks.is_empty() {
            return Vec::new();
        }
        let errors = Document::new(self.spec, &sources).errors(&checks, &source_of);
        let mut diags = Vec::new();
        for (check, errors) in checks.iter().zip(errors) {
            for e in errors {
                diags.push(self.src.diag(
                    &check.path,
                    format!("{} does not match its schema: {e}", check.what),
                ));
            }
        }
        diags
    }
}

/// Why a parameter's schema cannot be sent as text, if it cannot. A query string, a header and a
/// path segment carry text: a parameter is a string (of any format), a number, an integer, a
/// boolean or a string enum; in a query or a header also a list of those (a query repeats its
/// name per item, a header joins the items with commas).
pub(super) fn param_shape_problem(spec: &Spec, s: &Value, location: ParamIn) -> Option<String> {
    const OBJECT: &str = "an object cannot be sent as a parameter: send it in the body, or give \
                          each field a parameter of its own";
    let s = resolve(spec, s);
    // An unresolved reference is reported on its own.
    if s.get("$ref").is_some() {
        return None;
    }
    if s.get("x-untyped").is_some() {
        return Some("an untyped value (`x-untyped`) has no text form for a parameter".into());
    }
    if crate::schema::union_alternatives(s).is_some() || s.get("allOf").is_some() {
        return Some(
            "a union (`oneOf`, `anyOf` or `allOf`) cannot be sent as a parameter; give the \
             parameter one type"
                .into(),
        );
    }
    let types = types_of(s);
    if types.contains(&"null") {
        return Some(
            "a parameter cannot be `null`: remove `null` from `type` (an unset optional \
             parameter is not sent)"
                .into(),
        );
    }
    match types.as_slice() {
        ["string" | "integer" | "number" | "boolean"] => None,
        [] if crate::schema::string_enum(s).is_some() => None,
        ["array"] if location == ParamIn::Path => {
            Some("a path segment holds one value, not a list".into())
        }
        ["array"] => match s.get("items").map(|i| resolve(spec, i)) {
            None => Some("a list parameter needs `items` (the type of each value)".into()),
            Some(i) if types_of(i).contains(&"array") => {
                Some("a list of lists cannot be sent as a parameter".into())
            }
            Some(i) => param_shape_problem(spec, i, location).map(|p| format!("its items: {p}")),
        },
        ["object"] => Some(OBJECT.into()),
        [] if s.get("properties").is_some() => Some(OBJECT.into()),
        [] => {
            Some("a parameter's schema needs a `type` (string, number, integer or boolean)".into())
        }
        many => Some(format!(
            "a parameter has one type, not several (`{}`)",
            many.join("`, `")
        )),
    }
}

#[cfg(test)]
impl ValueChecks<'_> {
    /// The checks the way they ran before [`Document`]: a standalone validator per schema, with
    /// a copy of every definition it reaches. The tests hold [`ValueChecks::run`] to it.
    pub(super) fn run_standalone(self) -> Vec<Diagnostic> {
        let root = Value::Object(
            self.spec
                .schemas
                .iter()
                .map(|(k, v)| (k.clone(), prepared_copy(v, false)))
                .collect(),
        );
        let mut diags = Vec::new();
        for check in &self.checks {
            let Some(validator) = compile(&prepare_schema(&root, check.schema, check.ignore_enum))
            else {
                continue;
            };
            for e in standalone_errors(&validator, check.value) {
                diags.push(self.src.diag(
                    &check.path,
                    format!("{} does not match its schema: {e}", check.what),
                ));
            }
        }
        diags
    }
}
