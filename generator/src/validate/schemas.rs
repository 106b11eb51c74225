//! Schema keywords: bounds, patterns, unions, and values written inside schemas.

use serde_json::Value;

use crate::rules;
use crate::schema::{resolve, types_of, MAX_SCHEMA_DEPTH};

use super::{Validator, ValueCheck};

impl<'a> Validator<'a> {
    /// Schema-level values: `default`, `examples`, `enum` and `const` of every schema and sub-schema.
    pub(super) fn schema_values(&mut self) {
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
        for (i, t) in spec.api.webhooks.iter().flat_map(|w| &w.topics).enumerate() {
            self.schema_values_in(&t.schema, &format!("api.webhooks.topics[{i}].schema"), 0);
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
                // Every union can be read (`unions`: the first alternative in the order of trial
                // wins where shapes overlap), so none is refused for its alternatives.
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
    pub(super) fn check_value(
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
