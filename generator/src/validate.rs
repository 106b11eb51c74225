//! Checks that need the whole spec: references, path templates, name collisions, and values
//! (defaults, examples, accepted values) against their own schemas.

use std::collections::{BTreeMap, HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{json, Value};

use crate::diag::{did_you_mean, Diagnostic};
use crate::load::SourceMap;
use crate::rules;
use crate::spec::{Param, ParamIn, Spec};

/// Deepest a schema may nest (through properties, items and refs) before the generator refuses it.
pub const MAX_SCHEMA_DEPTH: usize = 64;

/// Runs every whole-spec check; returns every problem.
pub fn validate(spec: &Spec, src: &SourceMap) -> Vec<Diagnostic> {
    let (mut diags, values) = check_structure(spec, src);
    diags.extend(values.run());
    diags
}

/// Every whole-spec check but one: references, names, paths, parameters, schema keywords. The
/// values (defaults and examples against their schemas) are returned as [`ValueChecks`] to run
/// later; lowering needs only a sound structure, so they can run beside it.
pub fn check_structure<'a>(
    spec: &'a Spec,
    src: &'a SourceMap,
) -> (Vec<Diagnostic>, ValueChecks<'a>) {
    let mut v = Validator {
        spec,
        src,
        diags: Vec::new(),
        value_checks: Vec::new(),
        patterns: HashMap::new(),
    };
    v.api();
    v.names();
    v.refs();
    v.resources();
    v.schema_values();
    let values = ValueChecks {
        spec,
        src,
        checks: v.value_checks,
    };
    (v.diags, values)
}

/// The value checks [`check_structure`] found (see [`ValueChecks::run`]).
pub struct ValueChecks<'a> {
    spec: &'a Spec,
    src: &'a SourceMap,
    checks: Vec<ValueCheck<'a>>,
}

/// A default, example or enum value to check against its schema; [`ValueChecks::run`] runs
/// them together, on all cores, each distinct schema compiled once.
struct ValueCheck<'a> {
    schema: &'a Value,
    value: &'a Value,
    path: String,
    what: String,
    ignore_enum: bool,
}

struct Validator<'a> {
    spec: &'a Spec,
    src: &'a SourceMap,
    diags: Vec<Diagnostic>,
    /// Value checks found so far (see [`ValueCheck`]).
    value_checks: Vec<ValueCheck<'a>>,
    /// Patterns checked so far, and their problem.
    patterns: HashMap<&'a str, Result<(), String>>,
}

/// `$ref: name` as the spec writes it, rewritten to a JSON pointer into `definitions`.
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

fn definitions_root(spec: &Spec) -> Value {
    let defs: serde_json::Map<String, Value> = spec
        .schemas
        .iter()
        .map(|(k, v)| (k.clone(), strip_meta(&rewrite_refs(v))))
        .collect();
    Value::Object(defs)
}

/// `$schema` inside a definition would switch drafts mid-document; it is documentation here.
fn strip_meta(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut m = map.clone();
            m.remove("$schema");
            Value::Object(m)
        }
        other => other.clone(),
    }
}

/// All `$ref` targets in a schema, with the spec path of each.
pub fn refs_in(schema: &Value, path: &str, out: &mut Vec<(String, String)>) {
    walk_refs(schema, &mut path.to_string(), &mut |name, at| {
        out.push((name.to_string(), at.to_string()));
    });
}

/// The schema a `$ref` chain ends at (`s` itself when it is no ref); a missing target ends the
/// chain where it is, and a cycle stops after [`MAX_SCHEMA_DEPTH`] steps.
pub fn resolve<'a>(spec: &'a Spec, s: &'a Value) -> &'a Value {
    let mut cur = s;
    for _ in 0..MAX_SCHEMA_DEPTH {
        match cur
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|n| spec.schemas.get(n))
        {
            Some(next) => cur = next,
            None => break,
        }
    }
    cur
}

/// All `$ref` targets in a schema, without their paths.
pub fn ref_targets(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk_refs(schema, &mut String::new(), &mut |name, _| {
        out.push(name.to_string());
    });
    out
}

/// Calls `found(target, path)` for every `$ref` in a schema. `at` is the path so far; it grows
/// and shrinks in place, so a path is written out only for a ref.
fn walk_refs(schema: &Value, at: &mut String, found: &mut impl FnMut(&str, &str)) {
    let len = at.len();
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                if matches!(k.as_str(), "examples" | "default" | "enum" | "const") {
                    continue;
                }
                at.push('.');
                at.push_str(k);
                if k == "$ref" {
                    if let Value::String(name) = v {
                        found(name, at);
                    }
                } else {
                    walk_refs(v, at, found);
                }
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, it) in items.iter().enumerate() {
                use std::fmt::Write as _;
                let _ = write!(at, "[{i}]");
                walk_refs(it, at, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

impl<'a> Validator<'a> {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        let d = self.src.diag(path, message);
        self.diags.push(d);
    }

    /// [`regex_check`], once per distinct pattern (a spec repeats its id patterns everywhere).
    fn regex_check(&mut self, pattern: &'a str) -> Result<(), String> {
        self.patterns
            .entry(pattern)
            .or_insert_with(|| regex_check(pattern))
            .clone()
    }

    fn api(&mut self) {
        let api = &self.spec.api;
        let krate = &api.krate;
        if krate.name.is_empty()
            || !krate.name.starts_with(|c: char| c.is_ascii_alphabetic())
            || !krate
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            self.push(
                "api.crate.name",
                format!(
                    "`{}` is not a valid crate name (letters, digits, `-`, `_`)",
                    krate.name
                ),
            );
        }
        let semver = krate.version.split('.').count() == 3
            && krate
                .version
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !semver {
            self.push(
                "api.crate.version",
                format!("`{}` is not a version of the form 1.2.3", krate.version),
            );
        }
        let defaults = api.servers.iter().filter(|s| s.default).count();
        if api.servers.is_empty() {
            self.push(
                "api.servers",
                "no server is listed; add at least one with `default: true`",
            );
        } else if defaults != 1 {
            self.push(
                "api.servers",
                format!("exactly one server must have `default: true`; {defaults} do"),
            );
        }
        for (i, s) in api.servers.iter().enumerate() {
            if let Some(problem) = rules::server_url_problem(&s.url) {
                self.push(&format!("api.servers[{i}].url"), problem);
            }
        }
        if let Some(problem) = api.docs_url.as_deref().and_then(rules::docs_url_problem) {
            self.push("api.docs_url", problem);
        }
        if !api.base_path.is_empty()
            && (!api.base_path.starts_with('/') || api.base_path.ends_with('/'))
        {
            self.push(
                "api.base_path",
                "base_path must start with `/` and not end with `/`",
            );
        } else if let Some(problem) = rules::path_problem(&api.base_path) {
            self.push(
                "api.base_path",
                format!("base_path `{}` {problem}", api.base_path),
            );
        }
        if !is_token(&api.auth.prefix) {
            self.push(
                "api.auth.prefix",
                format!(
                    "auth prefix `{}` must be one word of header-safe characters (such as `Bearer`); a space and the token follow it",
                    api.auth.prefix.escape_debug()
                ),
            );
        }
        for (i, h) in api.headers.iter().enumerate() {
            if let Some(problem) = rules::header_value_problem(&h.value) {
                self.push(&format!("api.headers[{i}].value"), problem);
            }
        }
        if api.base_path.contains(['{', '}']) {
            self.push(
                "api.base_path",
                format!(
                    "base_path `{}` must not contain placeholders; path parameters belong in resource paths",
                    api.base_path
                ),
            );
        }
        for (i, p) in api.parameters.iter().enumerate() {
            if p.location == ParamIn::Header && !is_token(&p.name) {
                self.push(
                    &format!("api.parameters[{i}].name"),
                    format!("`{}` is not a valid HTTP header name", p.name),
                );
            }
            if p.location == ParamIn::Path {
                self.push(
                    &format!("api.parameters[{i}].in"),
                    "an API-wide parameter cannot be a path parameter",
                );
            }
        }
        if !is_token(&api.auth.header) {
            self.push(
                "api.auth.header",
                format!("`{}` is not a valid HTTP header name", api.auth.header),
            );
        }
        for (i, h) in api.headers.iter().enumerate() {
            if !is_token(&h.name) {
                self.push(
                    &format!("api.headers[{i}].name"),
                    format!("`{}` is not a valid HTTP header name", h.name),
                );
            }
        }
    }

    /// Names that are not safe as file and Rust names, and names that collide once converted
    /// to Rust or to file names (on case-insensitive and Windows file systems too).
    fn names(&mut self) {
        let mut modules: HashMap<String, String> = HashMap::new();
        let mut pages: HashMap<String, String> = HashMap::new();
        for r in &self.spec.resources {
            let at = format!("resources.{}.name", r.name);
            if let Some(problem) = rules::name_problem(&r.name, "resource") {
                self.push(&at, problem);
                continue;
            }
            let module = rules::module_file(&r.name);
            if module == "mod" {
                self.push(&at, format!(
                    "resource `{}` would be the module file `src/resources/mod.rs`, which declares every resource; rename the resource",
                    r.name
                ));
            } else if r.name.eq_ignore_ascii_case("index") {
                self.push(&at, format!(
                    "resource `{}` would have the page `docs/index.md`, which is the index of every page; rename the resource",
                    r.name
                ));
            } else if rules::windows_reserved(&r.name) || rules::windows_reserved(&module) {
                self.push(&at, format!(
                    "resource `{}` names a device on Windows, where its files (`docs/{}.md`, `src/resources/{module}.rs`) cannot exist; rename the resource",
                    r.name, r.name
                ));
            } else if let Some(other) = modules.insert(module.clone(), r.name.clone()) {
                self.push(&at, format!(
                    "resource `{}` collides with `{other}`: both become the module `{module}` in Rust",
                    r.name
                ));
            } else if let Some(other) = pages.insert(r.name.to_ascii_lowercase(), r.name.clone()) {
                self.push(&at, format!(
                    "resource `{}` differs from `{other}` only in case: their pages are one file on case-insensitive file systems",
                    r.name
                ));
            }
            let mut actions: HashMap<String, &str> = HashMap::new();
            for name in r.actions.keys() {
                let at = format!("resources.{}.actions.{name}", r.name);
                if let Some(problem) = rules::name_problem(name, "action") {
                    self.push(&at, problem);
                    continue;
                }
                let key = crate::names::snake(name);
                if let Some(other) = actions.insert(key.clone(), name) {
                    self.push(
                        &at,
                        format!(
                            "action `{name}` collides with `{other}`: both become `{key}` in Rust"
                        ),
                    );
                }
            }
        }
        let mut schemas: HashMap<String, &str> = HashMap::new();
        let mut files: HashMap<String, &str> = HashMap::new();
        for name in self.spec.schemas.keys() {
            let at = format!("schemas.{name}");
            if let Some(problem) = rules::name_problem(name, "schema") {
                self.push(&at, problem);
                continue;
            }
            if rules::windows_reserved(name) {
                self.push(&at, format!(
                    "schema `{name}` names a device on Windows, where its page `docs/schemas/{name}.md` cannot exist; rename the schema file"
                ));
                continue;
            }
            if let Some(other) = files.insert(name.to_ascii_lowercase(), name) {
                self.push(&at, format!(
                    "schema `{name}` differs from `{other}` only in case: their pages are one file on case-insensitive file systems"
                ));
                continue;
            }
            let key = name.to_upper_camel_case();
            if let Some(other) = schemas.insert(key.clone(), name) {
                self.push(
                    &at,
                    format!("schema `{name}` collides with `{other}`: both become `{key}` in Rust"),
                );
            }
        }
    }

    fn refs(&mut self) {
        let mut all = Vec::new();
        for (name, s) in &self.spec.schemas {
            refs_in(s, &format!("schemas.{name}"), &mut all);
        }
        for (i, p) in self.spec.api.parameters.iter().enumerate() {
            refs_in(&p.schema, &format!("api.parameters[{i}].schema"), &mut all);
        }
        for (i, e) in self.spec.api.errors.iter().enumerate() {
            if let Some(s) = &e.schema {
                refs_in(s, &format!("api.errors[{i}].schema"), &mut all);
            }
        }
        for r in &self.spec.resources {
            for (aname, a) in &r.actions {
                let base = format!("resources.{}.actions.{aname}", r.name);
                for (i, p) in a.params.iter().enumerate() {
                    refs_in(&p.schema, &format!("{base}.params[{i}].schema"), &mut all);
                }
                if let Some(b) = &a.body {
                    refs_in(&b.schema, &format!("{base}.body.schema"), &mut all);
                }
                for (list, key) in [(&a.responses, "responses"), (&a.errors, "errors")] {
                    for (i, resp) in list.iter().enumerate() {
                        if let Some(s) = &resp.schema {
                            refs_in(s, &format!("{base}.{key}[{i}].schema"), &mut all);
                        }
                    }
                }
            }
        }
        for (target, path) in all {
            if !self.spec.schemas.contains_key(&target)
                && !self.spec.broken_schemas.contains(&target)
            {
                let mut d = self.src.diag(
                    &path,
                    format!("`$ref: {target}` names no schema of this spec"),
                );
                if let Some(h) = did_you_mean(&target, self.spec.schemas.keys().map(String::as_str))
                {
                    d = d.with_hint(h);
                } else {
                    d = d.with_hint(format!(
                        "add `schemas/{target}.yaml` or use one of the existing schemas"
                    ));
                }
                self.diags.push(d);
            }
        }
        self.ref_cycles();
    }

    /// A schema that refers to itself only through required, non-nullable, non-collection
    /// fields can never be written down as a finite value; those cycles are refused.
    fn ref_cycles(&mut self) {
        let mut graph: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (name, s) in &self.spec.schemas {
            let mut out = Vec::new();
            hard_refs(s, &mut out);
            graph.insert(name, out);
        }
        let mut reported = HashSet::new();
        for start in graph.keys() {
            let mut stack = vec![(start.to_string(), vec![start.to_string()])];
            let mut visited = HashSet::new();
            while let Some((node, trail)) = stack.pop() {
                for next in graph.get(node.as_str()).into_iter().flatten() {
                    if next == start {
                        let mut cycle = trail.clone();
                        cycle.sort();
                        if reported.insert(cycle) {
                            let mut shown = trail.clone();
                            shown.push(next.clone());
                            self.push(&format!("schemas.{start}"), format!(
                                "schema `{start}` contains itself through required fields ({}); no finite value fits it",
                                shown.join(" -> ")
                            ));
                        }
                    } else if visited.insert(next.clone()) && trail.len() < MAX_SCHEMA_DEPTH {
                        let mut t = trail.clone();
                        t.push(next.clone());
                        stack.push((next.clone(), t));
                    }
                }
            }
        }
    }

    fn resources(&mut self) {
        let spec = self.spec;
        let global_names: Vec<&str> = spec
            .api
            .parameters
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        for (i, p) in spec.api.parameters.iter().enumerate() {
            self.param_values(p, &format!("api.parameters[{i}]"));
        }
        for (i, e) in spec.api.errors.iter().enumerate() {
            self.response_example(e, &format!("api.errors[{i}]"));
        }
        for r in &spec.resources {
            let rpath = format!("resources.{}", r.name);
            if !r.path.starts_with('/') {
                self.push(
                    &format!("{rpath}.path"),
                    format!("path `{}` must start with `/`", r.path),
                );
            } else if let Some(problem) = rules::path_problem(&r.path) {
                self.push(
                    &format!("{rpath}.path"),
                    format!("path `{}` {problem}", r.path),
                );
            }
            for (aname, a) in &r.actions {
                let base = format!("{rpath}.actions.{aname}");
                if !a.path.is_empty() && !a.path.starts_with('/') {
                    self.push(
                        &format!("{base}.path"),
                        format!("action path `{}` must start with `/`", a.path),
                    );
                } else if let Some(problem) = rules::path_problem(&a.path) {
                    self.push(
                        &format!("{base}.path"),
                        format!("action path `{}` {problem}", a.path),
                    );
                }
                let template = format!("{}{}", r.path, a.path);
                let parsed = placeholders(&template);
                let template_ok = parsed.is_ok();
                let placeholders = match parsed {
                    Ok(p) => p,
                    Err(msg) => {
                        let at = if a.path.is_empty() {
                            format!("{rpath}.path")
                        } else {
                            format!("{base}.path")
                        };
                        self.push(&at, format!("path template `{template}`: {msg}"));
                        Vec::new()
                    }
                };
                let mut names: HashMap<String, usize> = HashMap::new();
                let mut rust_names: HashMap<String, String> = spec
                    .api
                    .parameters
                    .iter()
                    .map(|p| {
                        (
                            p.name.trim_start_matches('_').to_snake_case(),
                            p.name.clone(),
                        )
                    })
                    .collect();
                for (i, p) in a.params.iter().enumerate() {
                    let ppath = format!("{base}.params[{i}]");
                    if names.insert(p.name.clone(), i).is_some() {
                        self.push(
                            &format!("{ppath}.name"),
                            format!("parameter `{}` is declared twice", p.name),
                        );
                    } else if global_names.contains(&p.name.as_str()) {
                        let d = self
                            .src
                            .diag(&format!("{ppath}.name"), format!("parameter `{}` is declared twice", p.name))
                            .with_hint(format!(
                                "`api.yaml` already declares `{}` under `parameters` for every action",
                                p.name
                            ));
                        self.diags.push(d);
                    }
                    if p.location == ParamIn::Header && !is_token(&p.name) {
                        self.push(
                            &format!("{ppath}.name"),
                            format!("`{}` is not a valid HTTP header name", p.name),
                        );
                    }
                    let key = p.name.trim_start_matches('_').to_snake_case();
                    if let Some(other) = rust_names.insert(key.clone(), p.name.clone()) {
                        if other != p.name {
                            self.push(
                                &format!("{ppath}.name"),
                                format!("parameter `{}` collides with `{other}`: both become `{key}` in Rust", p.name),
                            );
                        }
                    }
                    if p.location == ParamIn::Path {
                        if !p.required {
                            self.push(
                                &format!("{ppath}.required"),
                                format!("path parameter `{}` must be `required: true`", p.name),
                            );
                        }
                        if template_ok && !placeholders.contains(&p.name) {
                            self.push(
                                &format!("{ppath}.name"),
                                format!(
                                    "path parameter `{}` does not appear in the path template `{template}`",
                                    p.name
                                ),
                            );
                        }
                    }
                    self.param_values(p, &ppath);
                }
                for ph in &placeholders {
                    if !a
                        .params
                        .iter()
                        .any(|p| p.location == ParamIn::Path && &p.name == ph)
                    {
                        let mut d = self.src.diag(
                            &format!("{base}.params"),
                            format!("`{{{ph}}}` in the path template `{template}` has no path parameter"),
                        );
                        let declared: Vec<&str> =
                            a.params.iter().map(|p| p.name.as_str()).collect();
                        d = d.with_hint(did_you_mean(ph, declared.iter().copied()).unwrap_or_else(|| {
                            format!("add a parameter `{{name: {ph}, in: path, required: true, ...}}`")
                        }));
                        self.diags.push(d);
                    }
                }
                if let Some(b) = &a.body {
                    if matches!(a.method.as_str(), "GET" | "HEAD" | "DELETE") {
                        self.push(
                            &format!("{base}.body"),
                            format!("a {} action cannot have a request body", a.method),
                        );
                    }
                    if let Some(ex) = &b.example {
                        self.check_value(
                            &b.schema,
                            ex,
                            &format!("{base}.body.example"),
                            "body example",
                            false,
                        );
                    }
                }
                if a.responses.is_empty() {
                    self.push(
                        &format!("{base}.responses"),
                        "an action needs at least one success response",
                    );
                }
                let mut codes = HashSet::new();
                for (i, resp) in a.responses.iter().enumerate() {
                    let rp = format!("{base}.responses[{i}]");
                    if !(200..300).contains(&resp.code) {
                        self.push(
                            &format!("{rp}.code"),
                            format!(
                                "success response code {} is not 2xx; list it under `errors`",
                                resp.code
                            ),
                        );
                    }
                    if !codes.insert(resp.code) {
                        self.push(
                            &format!("{rp}.code"),
                            format!("response code {} is listed twice", resp.code),
                        );
                    }
                    self.response_example(resp, &rp);
                }
                for (i, resp) in a.errors.iter().enumerate() {
                    let rp = format!("{base}.errors[{i}]");
                    if resp.code < 400 {
                        self.push(
                            &format!("{rp}.code"),
                            format!("error response code {} is not 4xx or 5xx", resp.code),
                        );
                    }
                    if !codes.insert(resp.code) {
                        self.push(
                            &format!("{rp}.code"),
                            format!("response code {} is listed twice", resp.code),
                        );
                    }
                    self.response_example(resp, &rp);
                }
                if let Some(pg) = &a.paginated {
                    self.pagination(a, pg, &base);
                }
            }
        }
    }

    fn pagination(&mut self, a: &crate::spec::Action, pg: &crate::spec::Paginated, base: &str) {
        let has = |n: &str| {
            a.params
                .iter()
                .any(|p| p.name == n && p.location == ParamIn::Query)
        };
        if !has("page") || !has("perPage") {
            self.push(
                &format!("{base}.paginated"),
                "a paginated action needs `page` and `perPage` query parameters",
            );
        }
        let schema = a
            .responses
            .first()
            .and_then(|r| r.schema.as_ref())
            .map(|s| resolve(self.spec, s).clone());
        match schema {
            // An unresolved `$ref` is reported on its own; the fields cannot be checked.
            Some(s) if s.get("$ref").is_some() => {}
            Some(s) => {
                for (field, key) in [(&pg.items, "items"), (&pg.total, "total")] {
                    if s.get("properties")
                        .and_then(|p| p.get(field.as_str()))
                        .is_none()
                    {
                        self.push(
                            &format!("{base}.paginated.{key}"),
                            format!("the response schema has no property `{field}`"),
                        );
                    }
                }
            }
            None => self.push(
                &format!("{base}.paginated"),
                "a paginated action needs a response schema",
            ),
        }
    }

    fn response_example(&mut self, resp: &'a crate::spec::Response, path: &str) {
        if let Some(ex) = &resp.example {
            match &resp.schema {
                Some(s) => {
                    self.check_value(s, ex, &format!("{path}.example"), "response example", false)
                }
                None => self.push(
                    &format!("{path}.example"),
                    "an example is given for a response without a schema",
                ),
            }
        }
    }

    fn param_values(&mut self, p: &'a Param, path: &str) {
        let schema = &p.schema;
        // A header parameter's values are sent as they are.
        if p.location == ParamIn::Header {
            let enum_values = schema.get("enum").and_then(Value::as_array);
            let values = [
                ("default", p.default.as_ref()),
                ("example", p.example.as_ref()),
            ]
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .chain(
                enum_values
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, v)| (format!("schema.enum[{i}]"), v)),
            );
            let mut problems = Vec::new();
            for (key, v) in values {
                if let Some(text) = v.as_str() {
                    if let Some(problem) = rules::header_value_problem(text) {
                        problems.push((format!("{path}.{key}"), problem));
                    }
                }
            }
            for (at, problem) in problems {
                self.push(&at, problem);
            }
        }
        let relaxed = p.example_outside_enum.is_some();
        if let Some(d) = &p.default {
            self.check_value(schema, d, &format!("{path}.default"), "default", false);
        }
        if let Some(e) = &p.example {
            self.check_value(schema, e, &format!("{path}.example"), "example", relaxed);
            if relaxed {
                let in_enum = schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|vals| vals.contains(e));
                if in_enum {
                    self.push(
                        &format!("{path}.x-example-outside-enum"),
                        "the example is one of the accepted values; remove `x-example-outside-enum`",
                    );
                }
            }
        } else if relaxed {
            self.push(
                &format!("{path}.x-example-outside-enum"),
                "there is no example to excuse; remove `x-example-outside-enum`",
            );
        }
    }

    /// Schema-level values: `default`, `examples`, `enum` and `const` of every schema and sub-schema.
    fn schema_values(&mut self) {
        let spec = self.spec;
        for (name, s) in &spec.schemas {
            self.schema_values_in(s, &format!("schemas.{name}"), 0);
        }
        for (i, p) in spec.api.parameters.iter().enumerate() {
            self.schema_values_in(&p.schema, &format!("api.parameters[{i}].schema"), 0);
        }
        for (i, e) in spec.api.errors.iter().enumerate() {
            if let Some(s) = &e.schema {
                self.schema_values_in(s, &format!("api.errors[{i}].schema"), 0);
            }
        }
        for r in &spec.resources {
            for (aname, a) in &r.actions {
                let base = format!("resources.{}.actions.{aname}", r.name);
                for (i, p) in a.params.iter().enumerate() {
                    self.schema_values_in(&p.schema, &format!("{base}.params[{i}].schema"), 0);
                }
                if let Some(b) = &a.body {
                    self.schema_values_in(&b.schema, &format!("{base}.body.schema"), 0);
                }
                for (list, key) in [(&a.responses, "responses"), (&a.errors, "errors")] {
                    for (i, resp) in list.iter().enumerate() {
                        if let Some(s) = &resp.schema {
                            self.schema_values_in(s, &format!("{base}.{key}[{i}].schema"), 0);
                        }
                    }
                }
            }
        }
    }

    fn schema_values_in(&mut self, s: &'a Value, path: &str, depth: usize) {
        let Value::Object(map) = s else { return };
        if depth > MAX_SCHEMA_DEPTH {
            self.push(
                path,
                format!("schema nests deeper than {MAX_SCHEMA_DEPTH} levels"),
            );
            return;
        }
        if let Some((key, problem)) = rules::unsatisfiable(s) {
            self.push(&format!("{path}.{key}"), problem);
        }
        if let Some(t) = map.get("type") {
            let types: Vec<&str> = match t {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if let Some(Value::Array(values)) = map.get("enum") {
                let mut seen = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    if seen.contains(&v) {
                        self.push(
                            &format!("{path}.enum[{i}]"),
                            format!("accepted value {v} is listed twice"),
                        );
                    }
                    seen.push(v);
                    if !types.iter().any(|t| json_type_matches(t, v)) {
                        self.push(
                            &format!("{path}.enum[{i}]"),
                            format!(
                                "accepted value {v} is not of the schema's type {}",
                                types.join(" or ")
                            ),
                        );
                    }
                }
            }
        }
        if let Some(d) = map.get("default") {
            self.check_value(s, d, &format!("{path}.default"), "default", false);
        }
        if let Some(Value::Array(examples)) = map.get("examples") {
            for (i, e) in examples.iter().enumerate() {
                self.check_value(s, e, &format!("{path}.examples[{i}]"), "example", false);
            }
        }
        if let Some(Value::String(p)) = map.get("pattern") {
            if let Err(err) = self.regex_check(p) {
                self.push(
                    &format!("{path}.pattern"),
                    format!("pattern `{p}` is not a valid regular expression: {err}"),
                );
            }
        }
        for (k, v) in map {
            let child = format!("{path}.{k}");
            match k.as_str() {
                "properties" | "patternProperties" => {
                    if let Value::Object(props) = v {
                        for (pk, pv) in props {
                            if k == "patternProperties" {
                                if let Err(err) = self.regex_check(pk) {
                                    self.push(
                                        &format!("{child}.{pk}"),
                                        format!("pattern `{pk}` is not a valid regular expression: {err}"),
                                    );
                                }
                            }
                            self.schema_values_in(pv, &format!("{child}.{pk}"), depth + 1);
                        }
                    }
                }
                "items" | "additionalProperties" => self.schema_values_in(v, &child, depth + 1),
                "oneOf" | "anyOf" | "allOf" => {
                    if let Value::Array(items) = v {
                        for (i, it) in items.iter().enumerate() {
                            self.schema_values_in(it, &format!("{child}[{i}]"), depth + 1);
                        }
                    }
                }
                "required" => {
                    if let (Value::Array(req), Some(Value::Object(props))) =
                        (v, map.get("properties"))
                    {
                        for (i, r) in req.iter().enumerate() {
                            if let Some(r) = r.as_str() {
                                if !props.contains_key(r)
                                    && map.get("additionalProperties") == Some(&Value::Bool(false))
                                {
                                    self.push(
                                        &format!("{child}[{i}]"),
                                        format!(
                                            "required property `{r}` is not among the properties"
                                        ),
                                    );
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Records a check of `value` against `schema` (run by [`ValueChecks::run`]).
    fn check_value(
        &mut self,
        schema: &'a Value,
        value: &'a Value,
        path: &str,
        what: &str,
        ignore_enum: bool,
    ) {
        // JSON Schema takes `1.0` as an integer; the Rust field (`i64`) does not.
        let spec = self.spec;
        let mut problems = Vec::new();
        rules::integer_problems(
            &|s| resolve(spec, s),
            schema,
            value,
            &mut String::new(),
            &mut problems,
        );
        for (at, problem) in problems {
            let at = if at.is_empty() {
                String::new()
            } else {
                format!(" at `{at}`")
            };
            self.push(path, format!("{what}{at}: {problem}"));
        }
        self.value_checks.push(ValueCheck {
            schema,
            value,
            path: path.to_string(),
            what: what.to_string(),
            ignore_enum,
        });
    }
}

/// A spec schema as a standalone draft-07 schema: refs rewritten to `#/definitions/...` and only
/// the definitions it reaches attached (attaching every schema of the spec to each validator
/// would make validation quadratic).
fn prepare_schema(root: &Value, schema: &Value, ignore_enum: bool) -> Value {
    let mut schema = rewrite_refs(schema);
    if ignore_enum {
        if let Value::Object(m) = &mut schema {
            m.remove("enum");
        }
    }
    let start = schema_refs_start(&schema);
    if let Value::Object(m) = &mut schema {
        m.remove("$schema");
        m.insert("definitions".into(), reachable_definitions(root, start));
        m.insert(
            "$schema".into(),
            json!("http://json-schema.org/draft-07/schema#"),
        );
    }
    schema
}

/// The definitions `start` reaches, following refs.
fn reachable_definitions(root: &Value, start: Vec<String>) -> Value {
    let mut out = serde_json::Map::new();
    let mut stack = start;
    while let Some(name) = stack.pop() {
        if out.contains_key(&name) {
            continue;
        }
        if let Some(def) = root.get(&name) {
            let mut refs = Vec::new();
            pointer_refs(def, &mut refs);
            stack.extend(refs);
            out.insert(name, def.clone());
        }
    }
    Value::Object(out)
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
                } else if !matches!(k.as_str(), "examples" | "default" | "enum" | "const") {
                    pointer_refs(val, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| pointer_refs(i, out)),
        _ => {}
    }
}

fn schema_refs_start(schema: &Value) -> Vec<String> {
    let mut out = Vec::new();
    pointer_refs(schema, &mut out);
    out
}

fn json_type_matches(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "number" => v.is_number(),
        // Written as an integer that the Rust field (`i64`) takes.
        "integer" => v.is_i64(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "null" => v.is_null(),
        _ => false,
    }
}

/// Patterns are ECMA-262 regexes; the `jsonschema` crate compiles them the same way it will
/// when validating, so a bad one is caught here with its message.
fn regex_check(pattern: &str) -> Result<(), String> {
    jsonschema::options()
        .build(&json!({"type": "string", "pattern": pattern}))
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Refs reached through required, single-valued, non-nullable properties.
fn hard_refs(s: &Value, out: &mut Vec<String>) {
    if let Some(Value::String(r)) = s.get("$ref") {
        out.push(r.clone());
    }
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(Value::Object(props)) = s.get("properties") {
        for (name, p) in props {
            let nullable =
                matches!(p.get("type"), Some(Value::Array(a)) if a.iter().any(|t| t == "null"));
            if required.contains(&name.as_str()) && !nullable {
                hard_refs(p, out);
            }
        }
    }
    if let Some(Value::Array(all)) = s.get("allOf") {
        for it in all {
            hard_refs(it, out);
        }
    }
}

/// The `{name}` placeholders of a path template, in order; unbalanced braces are an error.
pub fn placeholders(template: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err("`}` without a matching `{`".into());
        }
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or("`{` without a matching `}`")?;
        let name = &after[..close];
        if name.contains('{') {
            return Err("`{` without a matching `}`".into());
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "`{{{name}}}` is not a placeholder name (letters, digits and `_`)"
            ));
        }
        if out.iter().any(|n| n == name) {
            return Err(format!("`{{{name}}}` appears twice"));
        }
        out.push(name.to_string());
        rest = &after[close + 1..];
    }
    Ok(out)
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

impl ValueChecks<'_> {
    /// Validates every value with the `jsonschema` crate, on all cores; each distinct schema
    /// compiles once. Each failure is reported at its value's path, in recorded order.
    pub fn run(self) -> Vec<Diagnostic> {
        let checks = self.checks;
        let root = &definitions_root(self.spec);
        // Checks of the same schema object (the examples of one schema) share its preparation.
        let mut sources: Vec<(&Value, bool, Vec<usize>)> = Vec::new();
        let mut by_source: HashMap<(*const Value, bool), usize> = HashMap::new();
        for (i, c) in checks.iter().enumerate() {
            let at = *by_source
                .entry((std::ptr::from_ref(c.schema), c.ignore_enum))
                .or_insert_with(|| {
                    sources.push((c.schema, c.ignore_enum, Vec::new()));
                    sources.len() - 1
                });
            sources[at].2.push(i);
        }
        let prepared = crate::par::parallel(sources.len(), |i| {
            let schema = prepare_schema(root, sources[i].0, sources[i].1);
            (schema.to_string(), schema)
        });
        // Then equal schemas share one compiled validator; groups keep the order of first use.
        let mut groups: Vec<(Value, Vec<usize>)> = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for ((key, schema), (_, _, members)) in prepared.into_iter().zip(sources) {
            match by_key.get(&key) {
                Some(&g) => groups[g].1.extend(members),
                None => {
                    by_key.insert(key, groups.len());
                    groups.push((schema, members));
                }
            }
        }
        let results = crate::par::parallel(groups.len(), |g| {
            let (schema, members) = &groups[g];
            let compiled = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .should_validate_formats(true)
                .build(schema);
            // A schema that does not compile is reported once, by the schema check.
            let Ok(validator) = compiled else {
                return Vec::new();
            };
            members
                .iter()
                .map(|&i| {
                    let errors: Vec<String> = validator
                        .iter_errors(checks[i].value)
                        .take(5)
                        .map(|e| {
                            let at = e.instance_path().to_string();
                            if at.is_empty() {
                                e.to_string()
                            } else {
                                format!("at `{at}`: {e}")
                            }
                        })
                        .collect();
                    (i, errors)
                })
                .collect::<Vec<_>>()
        });
        let mut found: Vec<(usize, Vec<String>)> = results.into_iter().flatten().collect();
        found.sort_by_key(|(i, _)| *i);
        let mut diags = Vec::new();
        for (i, errors) in found {
            let check = &checks[i];
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_in_order() {
        assert_eq!(placeholders("/a/{x}/b/{y_z}").unwrap(), vec!["x", "y_z"]);
        assert!(placeholders("/a/{x").is_err());
        assert!(placeholders("/a/x}").is_err());
        assert!(placeholders("/a/{}").is_err());
        assert!(placeholders("/a/{x}/{x}").is_err());
    }
}
