//! Where the IR's types come from in the spec.

use std::collections::HashMap;

use serde_json::Value;

use crate::names;
use crate::schema::{is_object_with_props, string_enum};
use crate::spec::Spec;

/// Where the IR's types come from: each Rust type name, the key of the spec item that makes it
/// and its spec path. The names follow the lowering's naming rules (a named schema's name or
/// `x-rust-name`, an inline type's title or the name of the place it is in); a name lowering
/// had to number is found without its number.
#[derive(Debug, Default)]
pub(super) struct Origins {
    pub(super) map: HashMap<String, (String, String)>,
}

impl Origins {
    pub(super) fn of(spec: &Spec) -> Origins {
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

    pub(super) fn define(&mut self, rust: &str, s: &Value, key: &str, loc: &str) {
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

    pub(super) fn inline(&mut self, hint: &str, s: &Value, key: &str, loc: &str) {
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
    pub(super) fn find(&self, rust: &str) -> Option<&(String, String)> {
        let bare = rust.trim_end_matches(|c: char| c.is_ascii_digit());
        self.map
            .get(rust)
            .or_else(|| self.map.get(bare))
            // A part of a request variant (`ItemRequestDimensions`) comes from the same place
            // as the part of the model (`ItemDimensions`).
            .or_else(|| self.map.get(&bare.replacen("Request", "", 1)))
    }
}
