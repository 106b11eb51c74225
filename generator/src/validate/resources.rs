//! Resources and actions: paths, parameters, bodies, responses, pagination and test values.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diag::did_you_mean;
use crate::path::PathTemplate;
use crate::rules;
use crate::schema::{resolve, types_of, MAX_SCHEMA_DEPTH};
use crate::spec::{Param, ParamIn, QueryStyle};

use super::values::param_shape_problem;
use super::{sample, Sample, Validator, MAX_SAMPLE_VALUES};

impl<'a> Validator<'a> {
    pub(super) fn resources(&mut self) {
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
                    .map(|p| (crate::names::param_collision_key(&p.name), p.name.clone()))
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
                    if p.location == ParamIn::Header && !rules::is_token(&p.name) {
                        self.push(
                            &format!("{ppath}.name"),
                            format!("`{}` is not a valid HTTP header name", p.name),
                        );
                    }
                    let key = crate::names::param_collision_key(&p.name);
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
                    // A part holds any value: one without a text form goes out as JSON.
                    if p.location == ParamIn::Part {
                        if !a.method.takes_body() {
                            self.push(
                                &format!("{ppath}.in"),
                                format!("a {} action sends no form, so it has no parts", a.method),
                            );
                        } else if a.body.is_some() {
                            self.push(
                                &format!("{ppath}.in"),
                                "an action with a JSON `body` cannot also send a form: give the body's fields as parts, or drop the body",
                            );
                        }
                    } else if p.style != QueryStyle::Form && p.location != ParamIn::Query {
                        self.push(
                            &format!("{ppath}.style"),
                            format!("`style` is how a query parameter is written; `{}` is a {} parameter", p.name, p.location.as_str()),
                        );
                    } else if p.style.takes_objects() {
                        // Any value: written as JSON text or as keys.
                    } else if let Some(problem) = param_shape_problem(spec, &p.schema, p.location) {
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
                    if !a.method.takes_body() {
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
                    self.response_media(a, resp, &rp);
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
                if let Some(l) = &a.linked {
                    self.linked(a, l, &base);
                }
                self.test_values(a, &base, &mut samples);
            }
        }
    }

    /// A success response's media type: `type/subtype`; a file is the action's only success
    /// response (its request returns the download), and never a page.
    fn response_media(&mut self, a: &crate::spec::Action, resp: &crate::spec::Response, rp: &str) {
        let Some(media) = &resp.media else { return };
        let essence = crate::spec::media_essence(media);
        let valid = essence
            .split_once('/')
            .is_some_and(|(t, s)| crate::rules::is_token(t) && crate::rules::is_token(s));
        if !valid {
            self.push(
                &format!("{rp}.media"),
                format!("`{media}` is not a media type (`type/subtype`, e.g. `text/csv`)"),
            );
        } else if (resp.is_file() || resp.is_event_stream()) && a.responses.len() > 1 {
            self.push(
                &format!("{rp}.media"),
                "an action that answers a file or an event stream has one success response",
            );
        } else if (resp.is_file() || resp.is_event_stream()) && a.paginated.is_some() {
            self.push(
                &format!("{rp}.media"),
                "a paginated action answers JSON pages, not a file or an event stream",
            );
        }
    }

    /// A list whose pages link the next: one JSON success response whose schema has both
    /// fields, the link a string; not also paginated by number.
    fn linked(&mut self, a: &crate::spec::Action, l: &crate::spec::Linked, base: &str) {
        let at = format!("{base}.linked");
        if a.paginated.is_some() {
            self.push(
                &at,
                "an action is paginated by page numbers or by link, not both",
            );
        }
        if a.responses.len() != 1 {
            self.push(
                &at,
                "a list paginated by link has one success response (its pages)",
            );
        }
        let schema = a
            .responses
            .first()
            .and_then(|r| r.schema.as_ref())
            .map(|s| resolve(self.spec, s).clone());
        match schema {
            Some(s) if s.get("$ref").is_some() => {}
            Some(s) => {
                let property = |field: &str| s.get("properties").and_then(|p| p.get(field));
                match property(&l.items) {
                    Some(items) if types_of(resolve(self.spec, items)) == ["array"] => {}
                    Some(_) => self.push(
                        &format!("{at}.items"),
                        format!("the response's `{}` is not a list", l.items),
                    ),
                    None => self.push(
                        &format!("{at}.items"),
                        format!("the response schema has no property `{}`", l.items),
                    ),
                }
                match property(&l.next) {
                    Some(next)
                        if types_of(resolve(self.spec, next))
                            .iter()
                            .all(|t| *t == "string" || *t == "null") => {}
                    Some(_) => self.push(
                        &format!("{at}.next"),
                        format!("the response's `{}` is not a string (a link)", l.next),
                    ),
                    None => self.push(
                        &format!("{at}.next"),
                        format!("the response schema has no property `{}`", l.next),
                    ),
                }
            }
            None => self.push(&at, "a list paginated by link needs a response schema"),
        }
    }

    fn pagination(&mut self, a: &crate::spec::Action, pg: &crate::spec::Paginated, base: &str) {
        let has = |n: &str| {
            a.params
                .iter()
                .any(|p| p.name == n && p.location == ParamIn::Query)
        };
        if a.responses.len() > 1 {
            self.push(
                &format!("{base}.paginated"),
                "a paginated action has one success response (its pages); this one has several",
            );
        }
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
}
