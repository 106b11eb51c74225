//! Checks that need the whole spec: references, path templates, name collisions, and values
//! (defaults, examples, accepted values) against their own schemas.

use std::collections::{HashMap, HashSet};

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{json, Value};

use crate::diag::{did_you_mean, Diagnostic};
use crate::load::SourceMap;
use crate::path::PathTemplate;
use crate::rules;
use crate::schema::{ref_targets, refs_in, required_names, resolve, sample_type, types_of};
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

    /// The crate's package metadata, checked as crates.io checks it at publication.
    fn package_metadata(&mut self) {
        let krate = &self.spec.api.krate;
        if let Some(license) = &krate.license {
            if let Some(problem) = rules::license_problem(license) {
                self.push("api.crate.license", problem);
            }
        }
        for (key, url) in [
            ("repository", &krate.repository),
            ("documentation", &krate.documentation),
        ] {
            if let Some(problem) = url.as_deref().and_then(rules::docs_url_problem) {
                self.push(&format!("api.crate.{key}"), problem);
            }
        }
        for (key, list) in [
            ("keywords", &krate.keywords),
            ("categories", &krate.categories),
        ] {
            if list.len() > 5 {
                self.push(
                    &format!("api.crate.{key}"),
                    format!("crates.io takes at most 5 {key}; {} are listed", list.len()),
                );
            }
        }
        for (i, keyword) in krate.keywords.iter().enumerate() {
            if let Some(problem) = rules::keyword_problem(keyword) {
                self.push(&format!("api.crate.keywords[{i}]"), problem);
            }
        }
        for (i, category) in krate.categories.iter().enumerate() {
            if let Some(problem) = rules::category_problem(category) {
                self.push(&format!("api.crate.categories[{i}]"), problem);
            }
        }
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
        self.package_metadata();
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
            if let Some(problem) = param_shape_problem(self.spec, &p.schema, p.location) {
                self.push(&format!("api.parameters[{i}].schema"), problem);
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
            let module = crate::names::field_base(&r.name);
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

    /// A schema that is only a `$ref` (draft 7 ignores a `$ref`'s siblings) to a chain of
    /// `$ref`s that leads back to it names no type at all: each such cycle is refused once,
    /// at its first schema. Returns each schema's target when it is such a `$ref`.
    fn alias_cycles(&mut self, index: &HashMap<&str, usize>) -> Vec<Option<usize>> {
        let names: Vec<&String> = self.spec.schemas.keys().collect();
        let next: Vec<Option<usize>> = self
            .spec
            .schemas
            .values()
            .map(|s| {
                s.get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|t| index.get(t).copied())
            })
            .collect();
        // Each schema has at most one target: walk each chain once, until it ends or meets a
        // schema already seen (on this walk: a cycle).
        const NEW: u8 = 0;
        const ON_WALK: u8 = 1;
        const DONE: u8 = 2;
        let mut state = vec![NEW; names.len()];
        for start in 0..names.len() {
            let mut walk = Vec::new();
            let mut at = Some(start);
            while let Some(v) = at.filter(|v| state[*v] == NEW) {
                state[v] = ON_WALK;
                walk.push(v);
                at = next[v];
            }
            if let Some(v) = at.filter(|v| state[*v] == ON_WALK) {
                let from = walk.iter().position(|w| *w == v).unwrap_or(0);
                let cycle = &walk[from..];
                // Shown from its first schema in name order.
                let first = cycle.iter().copied().min().unwrap_or(v);
                let turn = cycle.iter().position(|w| *w == first).unwrap_or(0);
                let mut shown: Vec<&str> = cycle[turn..]
                    .iter()
                    .chain(&cycle[..turn])
                    .map(|w| names[*w].as_str())
                    .collect();
                shown.push(names[first]);
                self.push(
                    &format!("schemas.{}.$ref", names[first]),
                    format!(
                        "schema `{}` is a `$ref` to itself ({}); a chain of `$ref`s must end at a schema that is not a `$ref`",
                        names[first],
                        shown.join(" -> ")
                    ),
                );
            }
            for v in walk {
                state[v] = DONE;
            }
        }
        next
    }

    /// A schema that refers to itself only through required, non-nullable, non-collection
    /// fields can never be written down as a finite value; those cycles are refused, however
    /// long. From each schema in turn (in name order), a depth-first walk over such refs
    /// reports every cycle back to it whose schemas were not reported together before; a
    /// cycle of `$ref`s alone is left to [`Self::alias_cycles`]. Only the schemas of one
    /// strongly connected component can be on a cycle, so each walk stays inside its own.
    fn ref_cycles(&mut self) {
        let names: Vec<&String> = self.spec.schemas.keys().collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let alias = self.alias_cycles(&index);
        let edges: Vec<Vec<usize>> = self
            .spec
            .schemas
            .values()
            .map(|s| {
                let mut out = Vec::new();
                hard_refs(s, &mut out);
                out.iter()
                    .filter_map(|t| index.get(t.as_str()).copied())
                    .collect()
            })
            .collect();
        let component = components(&edges);
        let mut size = vec![0usize; names.len()];
        for c in &component {
            size[*c] += 1;
        }
        let mut reported = CycleSet::new(names.len());
        // Per walk: which schemas it reached (marked with the walk's start) and from where.
        let mut reached = vec![usize::MAX; names.len()];
        let mut parent = vec![0usize; names.len()];
        for start in 0..names.len() {
            let own = component[start];
            if size[own] == 1 && !edges[start].contains(&start) {
                continue;
            }
            let mut stack = vec![start];
            while let Some(node) = stack.pop() {
                for &next in &edges[node] {
                    if component[next] != own {
                        continue;
                    }
                    if next == start {
                        let mut trail = vec![node];
                        while let Some(&last) = trail.last().filter(|l| **l != start) {
                            trail.push(parent[last]);
                        }
                        trail.reverse();
                        let only_refs = trail
                            .iter()
                            .zip(trail.iter().skip(1).chain([&start]))
                            .all(|(a, b)| alias[*a] == Some(*b));
                        if reported.insert(&trail) && !only_refs {
                            let mut shown: Vec<&str> =
                                trail.iter().map(|t| names[*t].as_str()).collect();
                            shown.push(names[start]);
                            self.push(&format!("schemas.{}", names[start]), format!(
                                "schema `{}` contains itself through required fields ({}); no finite value fits it",
                                names[start],
                                shown.join(" -> ")
                            ));
                        }
                    } else if reached[next] != start {
                        reached[next] = start;
                        parent[next] = node;
                        stack.push(next);
                    }
                }
            }
        }
    }

    fn resources(&mut self) {
        let spec = self.spec;
        let mut samples = HashMap::new();
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
                let parsed = PathTemplate::parse(&template)
                    .map(|t| t.params().map(str::to_string).collect::<Vec<_>>());
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
                    if let Some(problem) = param_shape_problem(spec, &p.schema, p.location) {
                        self.push(&format!("{ppath}.schema"), problem);
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
                self.test_values(a, &base, &mut samples);
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
        // The stream counts pages: both are numbers, or strings the vendor documents numbers in.
        for (i, p) in a.params.iter().enumerate() {
            if !["page", "perPage"].contains(&p.name.as_str()) || p.location != ParamIn::Query {
                continue;
            }
            let s = resolve(self.spec, &p.schema);
            let plain_string =
                types_of(s) == ["string"] && s.get("enum").is_none() && s.get("format").is_none();
            if s.get("$ref").is_none() && types_of(s) != ["integer"] && !plain_string {
                self.push(
                    &format!("{base}.params[{i}].schema"),
                    format!(
                        "`{}` of a paginated action must be an integer (or a string that holds one, \
                         without `enum` or `format`), since the stream counts pages",
                        p.name
                    ),
                );
            }
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

    /// Where the spec gives no example, the generated tests send and answer the smallest value
    /// of the schema (`testdata::minimal_instance`): a body, the success answer (and its first
    /// page item), each error body. One that contains itself, nests deeper than
    /// [`MAX_SCHEMA_DEPTH`] levels or holds more than [`MAX_SAMPLE_VALUES`] values cannot be
    /// written into a test: refused, at the schema, with the way out.
    fn test_values(
        &mut self,
        a: &'a crate::spec::Action,
        base: &str,
        samples: &mut HashMap<*const Value, Sample>,
    ) {
        let mut wanted: Vec<(String, &'a Value)> = Vec::new();
        if let Some(b) = a.body.as_ref().filter(|b| b.example.is_none()) {
            wanted.push((format!("{base}.body.schema"), &b.schema));
        }
        if let Some(success) = a.responses.first() {
            if let (None, Some(schema)) = (&success.example, &success.schema) {
                wanted.push((format!("{base}.responses[0].schema"), schema));
            }
            // The paging test takes the answer's first item, or the smallest one.
            let has_item = |answer: &Value, items: &str| {
                answer
                    .get(items)
                    .and_then(Value::as_array)
                    .is_some_and(|v| !v.is_empty())
            };
            if let (Some(pg), Some(schema)) = (&a.paginated, &success.schema) {
                if !success
                    .example
                    .as_ref()
                    .is_some_and(|e| has_item(e, &pg.items))
                {
                    let item = resolve(self.spec, schema)
                        .get("properties")
                        .and_then(|p| p.get(&pg.items))
                        .and_then(|p| p.get("items"));
                    if let Some(item) = item {
                        wanted.push((format!("{base}.responses[0].schema"), item));
                    }
                }
            }
        }
        let mut codes = Vec::new();
        let errors = a
            .errors
            .iter()
            .enumerate()
            .map(|(i, e)| (format!("{base}.errors[{i}].schema"), e))
            .chain(
                self.spec
                    .api
                    .errors
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (format!("api.errors[{i}].schema"), e)),
            );
        for (path, e) in errors {
            if codes.contains(&e.code) {
                continue;
            }
            codes.push(e.code);
            if let (None, Some(schema)) = (&e.example, &e.schema) {
                wanted.push((path, schema));
            }
        }
        for (path, schema) in wanted {
            let problem = match sample(self.spec, schema, samples) {
                Sample::Endless => "contains itself (no finite value fits it)".to_string(),
                Sample::Finite { depth, .. } if depth > MAX_SCHEMA_DEPTH => {
                    format!("nests deeper than {MAX_SCHEMA_DEPTH} levels")
                }
                Sample::Finite { size, .. } if size > MAX_SAMPLE_VALUES => {
                    format!("holds more than {MAX_SAMPLE_VALUES} values")
                }
                Sample::Finite { .. } => continue,
            };
            let d = self
                .src
                .diag(
                    &path,
                    format!(
                        "the generated tests use the smallest value of this schema where the spec gives no example, and that value {problem}"
                    ),
                )
                .with_hint("give an `example`");
            self.diags.push(d);
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
            for (key, v) in values {
                if let Some(problem) = v.as_str().and_then(rules::header_value_problem) {
                    self.push(&format!("{path}.{key}"), problem);
                }
            }
        }
        // A path parameter's example (or default, which stands in for it) is sent as a segment.
        if p.location == ParamIn::Path {
            for (key, v) in [("default", &p.default), ("example", &p.example)] {
                let text = v.as_ref().and_then(Value::as_str);
                if let Some(problem) = text.and_then(rules::path_segment_problem) {
                    let d = self
                        .src
                        .diag(&format!("{path}.{key}"), problem)
                        .with_hint("give a value the API accepts as this segment");
                    self.diags.push(d);
                }
            }
        }
        // (On a schema of another type the schema's own check reports it.)
        if schema.get("x-rust-type").is_some() && types_of(schema) == ["string"] {
            for (key, v) in [("default", &p.default), ("example", &p.example)] {
                if let Some(v) = v {
                    if let Some(problem) = rules::rust_integer_problem(schema, v) {
                        self.push(&format!("{path}.{key}"), problem);
                    }
                }
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

    /// Refuses a union with two alternatives that no value tells apart: the later one could
    /// never be chosen when a value is read.
    fn union_shape(&mut self, alts: &'a [Value], path: &str) {
        let flat = crate::unions::flatten(alts);
        if let Err(clash) = crate::unions::shape(self.spec, &flat) {
            let nested = flat.len() != alts.len();
            let at = |i: usize| {
                if nested {
                    format!("alternative {} (counting those of nested unions)", i + 1)
                } else {
                    format!("`{path}[{i}]`")
                }
            };
            let fix = if clash.why.contains("objects") {
                "give the objects a discriminating property (`const` or a one-value `enum`) or different required properties"
            } else {
                "merge the two into one alternative"
            };
            self.push(
                path,
                format!(
                    "alternatives {} and {} cannot be told apart when a value is read ({}), so the later could never be chosen; {fix}",
                    at(clash.first),
                    at(clash.second),
                    clash.why
                ),
            );
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
        if map.contains_key("x-rust-type") {
            let string = types_of(s)
                .into_iter()
                .filter(|t| *t != "null")
                .eq(["string"]);
            if !string {
                self.push(
                    &format!("{path}.x-rust-type"),
                    "`x-rust-type: integer` is for a schema of `type: string` whose values are integers",
                );
            }
            let values = map
                .get("default")
                .into_iter()
                .map(|v| ("default".to_string(), v))
                .chain(["examples", "enum"].into_iter().flat_map(|k| {
                    map.get(k)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(move |(i, v)| (format!("{k}[{i}]"), v))
                }));
            for (key, v) in values.filter(|_| string) {
                if let Some(problem) = rules::rust_integer_problem(s, v) {
                    self.push(&format!("{path}.{key}"), problem);
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
                    if let (Value::Array(items), true) = (v, k != "allOf") {
                        self.union_shape(items, &child);
                    }
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

/// Most values the smallest value of a schema may hold (see `Validator::test_values`).
pub const MAX_SAMPLE_VALUES: usize = 100_000;

/// The smallest value of a schema that `testdata::minimal_instance` builds: how deep its
/// building goes and how many values it holds, or that it never ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sample {
    /// It ends.
    Finite {
        /// Nested calls of `minimal_instance` below the schema's own.
        depth: usize,
        /// Values in it (saturating).
        size: usize,
    },
    /// It contains itself.
    Endless,
}

/// What `minimal_instance` builds a schema's smallest value from: a value of its own (with the
/// number of values in it), or parts (each built this many times) plus values of its own.
enum SampleShape<'a> {
    Leaf(usize),
    Parts(Vec<(&'a Value, usize)>, usize),
}

/// The shape of `s` (a resolved schema), as `testdata::minimal_instance` reads it.
fn sample_shape<'a>(s: &'a Value) -> SampleShape<'a> {
    let first = |key: &str| s.get(key).and_then(Value::as_array).and_then(|a| a.first());
    if let Some(v) = first("examples")
        .or_else(|| s.get("default"))
        .or_else(|| s.get("const"))
        .or_else(|| first("enum"))
    {
        return SampleShape::Leaf(value_count(v));
    }
    if let Some(alt) = first("oneOf").or_else(|| first("anyOf")) {
        return SampleShape::Parts(vec![(alt, 1)], 0);
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        if parts.is_empty() {
            return SampleShape::Leaf(1);
        }
        return SampleShape::Parts(parts.iter().map(|p| (p, 1)).collect(), 1);
    }
    let ty = sample_type(s);
    match ty {
        "object" => {
            let props = s.get("properties");
            let (mut parts, mut own) = (Vec::new(), 1);
            for name in required_names(s) {
                match props.and_then(|p| p.get(name)) {
                    Some(p) => parts.push((p, 1)),
                    None => own += 1,
                }
            }
            if parts.is_empty() {
                SampleShape::Leaf(own)
            } else {
                SampleShape::Parts(parts, own)
            }
        }
        "array" => {
            let n = crate::schema::sample_items(s);
            match s.get("items") {
                Some(items) if n > 0 => SampleShape::Parts(vec![(items, n)], 1),
                _ => SampleShape::Leaf(1 + n),
            }
        }
        _ => SampleShape::Leaf(1),
    }
}

/// The values in a JSON value (saturating), without recursion.
fn value_count(v: &Value) -> usize {
    let (mut count, mut work) = (0usize, vec![v]);
    while let Some(v) = work.pop() {
        count = count.saturating_add(1);
        match v {
            Value::Array(items) => work.extend(items),
            Value::Object(map) => work.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// [`Sample`] of a schema, each schema worked out once (`memo`, shared by the calls of one
/// spec) and without recursion: a chain of parts may be as long as the spec has schemas.
pub fn sample(spec: &Spec, root: &Value, memo: &mut HashMap<*const Value, Sample>) -> Sample {
    struct Frame<'a> {
        key: *const Value,
        parts: Vec<(&'a Value, usize)>,
        next: usize,
        depth: usize,
        size: usize,
        endless: bool,
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut on_path: HashSet<*const Value> = HashSet::new();
    let mut pending = Some(root);
    loop {
        let mut done = None;
        if let Some(s) = pending.take() {
            let s = resolve(spec, s);
            let key = std::ptr::from_ref(s);
            if let Some(known) = memo.get(&key) {
                done = Some(*known);
            } else if on_path.contains(&key) {
                done = Some(Sample::Endless);
            } else {
                match sample_shape(s) {
                    SampleShape::Leaf(size) => {
                        let known = Sample::Finite { depth: 0, size };
                        memo.insert(key, known);
                        done = Some(known);
                    }
                    SampleShape::Parts(parts, size) => {
                        on_path.insert(key);
                        stack.push(Frame {
                            key,
                            parts,
                            next: 0,
                            depth: 0,
                            size,
                            endless: false,
                        });
                    }
                }
            }
        }
        loop {
            let Some(top) = stack.last_mut() else {
                return done.unwrap_or(Sample::Endless);
            };
            if let Some(part) = done.take() {
                let times = top.parts[top.next - 1].1;
                match part {
                    Sample::Endless => top.endless = true,
                    Sample::Finite { depth, size } => {
                        top.depth = top.depth.max(depth.saturating_add(1));
                        top.size = top.size.saturating_add(size.saturating_mul(times));
                    }
                }
            }
            if top.next < top.parts.len() && !top.endless {
                pending = Some(top.parts[top.next].0);
                top.next += 1;
                break;
            }
            let finished = if top.endless {
                Sample::Endless
            } else {
                Sample::Finite {
                    depth: top.depth,
                    size: top.size,
                }
            };
            memo.insert(top.key, finished);
            on_path.remove(&top.key);
            stack.pop();
            done = Some(finished);
        }
    }
}

/// The strongly connected components of a graph (`edges[n]`: the nodes `n` points to), as
/// the component of each node (Tarjan's algorithm, without recursion). Components are numbered
/// as they complete: an edge never leads to a higher-numbered component.
pub(crate) fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let (mut order, mut low) = (vec![UNSEEN; n], vec![0; n]);
    let mut component = vec![UNSEEN; n];
    let mut on_stack = vec![false; n];
    let (mut stack, mut work) = (Vec::new(), Vec::new());
    let (mut counter, mut components) = (0, 0);
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        // (node, how many of its edges were followed)
        work.push((root, 0));
        while let Some(&(v, i)) = work.last() {
            if let Some(&w) = edges[v].get(i) {
                if let Some(top) = work.last_mut() {
                    top.1 += 1;
                }
                if order[w] == UNSEEN {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(u, _)) = work.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Sets of nodes seen so far, each compared in time proportional to its size (no sorting).
struct CycleSet {
    buckets: HashMap<(usize, u64), Vec<Vec<usize>>>,
    mark: Vec<usize>,
    stamp: usize,
}

impl CycleSet {
    fn new(nodes: usize) -> Self {
        CycleSet {
            buckets: HashMap::new(),
            mark: vec![0; nodes],
            stamp: 0,
        }
    }

    /// Adds the set of `nodes` (distinct); false when it was there already.
    fn insert(&mut self, nodes: &[usize]) -> bool {
        // An order-free fingerprint: the sum of a scrambled value per node.
        let print = nodes.iter().fold(0u64, |acc, n| {
            let mut x = (*n as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            acc.wrapping_add(x ^ (x >> 31))
        });
        self.stamp += 1;
        for n in nodes {
            self.mark[*n] = self.stamp;
        }
        let bucket = self.buckets.entry((nodes.len(), print)).or_default();
        if bucket
            .iter()
            .any(|set| set.iter().all(|n| self.mark[*n] == self.stamp))
        {
            return false;
        }
        bucket.push(nodes.to_vec());
        true
    }
}

/// Refs reached through required, single-valued, non-nullable properties.
fn hard_refs(s: &Value, out: &mut Vec<String>) {
    if let Some(Value::String(r)) = s.get("$ref") {
        out.push(r.clone());
    }
    let required: Vec<&str> = required_names(s).collect();
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

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
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
fn param_shape_problem(spec: &Spec, s: &Value, location: ParamIn) -> Option<String> {
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
    fn run_standalone(self) -> Vec<Diagnostic> {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The valid `shop` fixture with `files` (path under `spec/shop/`, text) added or replaced,
    /// in a temp folder.
    pub(crate) fn shop_with(files: &[(String, String)]) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let from =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/spec/shop");
        let to = tmp.path().join("spec/shop");
        for sub in ["", "resources", "schemas"] {
            std::fs::create_dir_all(to.join(sub)).unwrap();
            for entry in std::fs::read_dir(from.join(sub)).unwrap().flatten() {
                if entry.path().is_file() {
                    std::fs::copy(entry.path(), to.join(sub).join(entry.file_name())).unwrap();
                }
            }
        }
        for (rel, text) in files {
            std::fs::write(to.join(rel), text).unwrap();
        }
        tmp
    }

    /// The value checks' report, run as one document and run the old way (a validator per
    /// schema); both must be the same.
    fn value_reports(files: &[(String, String)]) -> Vec<String> {
        let tmp = shop_with(files);
        let (loaded, _) = crate::load::load(tmp.path(), "spec/shop");
        let loaded = loaded.expect("the spec loads");
        let (_, values) = check_structure(&loaded.spec, &loaded.sources);
        let new: Vec<String> = values.run().iter().map(ToString::to_string).collect();
        let (_, values) = check_structure(&loaded.spec, &loaded.sources);
        let old: Vec<String> = values
            .run_standalone()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(new, old, "files: {files:#?}");
        new
    }

    fn schema(name: &str, text: &str) -> (String, String) {
        (format!("schemas/{name}.yaml"), text.to_string())
    }

    /// Schemas that do not compile (bad patterns, dangling refs, wrong keyword values, `$id`)
    /// beside others that do: the checks of the sound ones report what they reported as
    /// validators of their own, in the same order, and the others report nothing. Schema
    /// names and property names that need escaping in a pointer are found too.
    #[test]
    fn value_checks_report_what_standalone_validators_reported() {
        let cases: Vec<Vec<(String, String)>> = vec![
            // Sound, with refs and wrong values at several depths.
            vec![
                schema("a", "type: object\nproperties:\n  b: {$ref: b}\n  n: {type: integer, default: x}\nexamples:\n  - {b: {s: 1}, n: 2}\n  - {b: {s: ok}, n: no, extra: 1}\n"),
                schema("b", "type: object\nproperties:\n  s: {type: string, minLength: 3, examples: [ab, abc]}\n  a: {$ref: a}\nrequired: [s]\nexamples:\n  - {}\n"),
            ],
            // Property and schema names that need escaping.
            vec![
                schema("we ird%41~é#", "type: object\nproperties:\n  \"a b\": {type: integer, default: x}\n  \"%41\": {type: integer, default: y}\n  \"~1/x\": {type: object, properties: {\"#\": {type: string, default: 1}}}\n  \"é{}'\\\"\": {type: boolean, default: 3}\nexamples:\n  - {\"a b\": z}\n"),
                schema("user", "type: object\nproperties:\n  w: {$ref: \"we ird%41~é#\"}\nexamples:\n  - {w: {\"a b\": q}}\n"),
            ],
            // A bad pattern in one property; defaults beside it, refs to it.
            vec![
                schema("bad", "type: object\nproperties:\n  p: {type: string, pattern: \"[a-\"}\n  q: {type: integer, default: x}\n  r: {type: object, properties: {s: {type: integer, default: y}}}\nexamples:\n  - {p: 1}\n"),
                schema("user", "type: object\nproperties:\n  b: {$ref: bad}\n  c: {type: integer, default: z}\nexamples:\n  - {b: 1, c: 2}\n"),
                schema("far", "type: object\nproperties:\n  u: {$ref: user}\nexamples:\n  - {u: 1}\n"),
            ],
            // A dangling ref, a wrong keyword value, a bool schema, `$ref` with siblings.
            vec![
                schema("dangling", "type: object\nproperties:\n  x: {$ref: nowhere}\n  y: {type: string, default: 1}\nexamples:\n  - {x: 1, y: 2}\n"),
                schema("wrongkw", "type: string\nminLength: -1\nexamples: [1]\n"),
                schema("typo", "type: strin\nexamples: [1]\nproperties:\n  a: {type: integer, default: x}\n"),
                schema("bools", "type: object\nadditionalProperties: false\nproperties:\n  any: true\n  none: false\nexamples:\n  - {any: 1, none: 2, other: 3}\n"),
                schema("siblings", "$ref: item\ntype: integer\nexamples:\n  - {name: 1}\n  - 5\n"),
            ],
            // `$schema` of a sub-schema, a property named like a data key, `$id`.
            vec![
                schema("meta", "$schema: \"http://json-schema.org/draft-07/schema#\"\ntype: object\nproperties:\n  m: {$schema: \"http://json-schema.org/draft-07/schema#\", type: integer, default: x}\n  default: {type: integer, default: y, examples: [z]}\n  enum: {$ref: item}\nexamples:\n  - {m: 1, default: 2, enum: {name: 3}}\n"),
                schema("withid", "$id: \"http://example.com/x\"\ntype: object\nproperties:\n  i: {$ref: item}\n  n: {type: integer, default: x}\nexamples:\n  - {i: {name: 4}}\n"),
                schema("idcaller", "type: object\nproperties:\n  w: {$ref: withid}\n  k: {type: integer, default: y}\nexamples:\n  - {w: {i: {name: 5}}}\n"),
            ],
        ];
        let mut reported = 0;
        for files in &cases {
            reported += value_reports(files).len();
        }
        assert!(reported > 20, "{reported}");
    }

    /// Random webs of schemas that reference each other, some broken, with right and wrong
    /// examples: the same report as the validators of their own gave.
    #[test]
    fn value_checks_agree_with_standalone_validators_on_random_webs() {
        let mut seed: u64 = 0x5eed_1234_abcd_0001;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..12 {
            let count = 3 + next(8) as usize;
            let mut files = Vec::new();
            for k in 0..count {
                let mut text = String::from("type: object\nproperties:\n");
                for f in 0..1 + next(3) {
                    let prop = match next(7) {
                        0 | 1 => format!("{{$ref: s{}}}", next(count as u64)),
                        2 => "{type: string, pattern: \"^[a-z]+$\", default: Ab}".to_string(),
                        3 => "{type: integer, minimum: 2, default: 1}".to_string(),
                        4 => format!("{{type: array, items: {{$ref: s{}}}}}", next(count as u64)),
                        5 => {
                            "{type: [string, \"null\"], enum: [a, b, null], default: c}".to_string()
                        }
                        _ => "{type: object, properties: {z: {type: boolean, default: 0}}}"
                            .to_string(),
                    };
                    text.push_str(&format!("  f{f}: {prop}\n"));
                }
                match next(10) {
                    0 => text.push_str("  broken: {type: string, pattern: \"(\"}\n"),
                    1 => text.push_str("  lost: {$ref: missing}\n"),
                    _ => {}
                }
                text.push_str("examples:\n");
                for _ in 0..1 + next(2) {
                    let value = match next(5) {
                        0 => "{f0: 1, f1: x, f2: [1]}",
                        1 => "{f0: {f0: {f0: true}}, f1: []}",
                        2 => "{}",
                        3 => "{f0: abc, f1: 3, f2: {z: 1}}",
                        _ => "{f0: null, f1: {f1: [{}]}}",
                    };
                    text.push_str(&format!("  - {value}\n"));
                }
                files.push(schema(&format!("s{k}"), &text));
            }
            value_reports(&files);
        }
    }
}
