//! Names that are unsafe as file or Rust names, or collide once converted.

use std::collections::HashMap;

use crate::rules;

use super::Validator;

impl<'a> Validator<'a> {
    /// Names that are not safe as file and Rust names, and names that collide once converted
    /// to Rust or to file names (on case-insensitive and Windows file systems too).
    pub(super) fn names(&mut self) {
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
            let key = crate::names::type_collision_key(name);
            if let Some(other) = schemas.insert(key.clone(), name) {
                self.push(
                    &at,
                    format!("schema `{name}` collides with `{other}`: both become `{key}` in Rust"),
                );
            }
        }
    }
}
