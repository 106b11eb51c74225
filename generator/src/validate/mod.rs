//! Checks that need the whole spec: references, path templates, name collisions, and values
//! (defaults, examples, accepted values) against their own schemas.
//!
//! One file per concern; [`check_structure`] lists the checks in the order they run:
//! - `api`: the API as a whole (`api.yaml`, package metadata);
//! - `names`: names unsafe as file or Rust names, and collisions;
//! - `refs`: dangling references and cycles no value can end;
//! - `resources`: resources and actions (paths, parameters, bodies,
//!   responses, pagination, the values the generated tests use);
//! - `schemas`: schema keywords, unions and values written in schemas;
//! - `values`: every value against its schema, run last and on all cores;
//! - [`sample`](mod@self::sample): the smallest value of a schema (used by the checks and by test
//!   data).

mod api;
mod names;
mod refs;
mod resources;
pub mod sample;
mod schemas;
#[cfg(test)]
mod tests;
mod values;

use std::collections::HashMap;

use serde_json::json;

use crate::diag::Diagnostic;
use crate::load::SourceMap;
use crate::spec::Spec;

pub use sample::{sample, Sample, MAX_SAMPLE_VALUES};
use values::ValueCheck;
pub use values::ValueChecks;

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

/// The checks' shared state: the spec, where its parts are written, and what was found.
struct Validator<'a> {
    spec: &'a Spec,
    src: &'a SourceMap,
    diags: Vec<Diagnostic>,
    /// Value checks found so far (see [`ValueCheck`]).
    value_checks: Vec<ValueCheck<'a>>,
    /// Patterns checked so far, and their problem.
    patterns: HashMap<&'a str, Result<(), String>>,
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
}

/// Patterns are ECMA-262 regexes; the `jsonschema` crate compiles them the same way it will
/// when validating, so a bad one is caught here with its message.
fn regex_check(pattern: &str) -> Result<(), String> {
    jsonschema::options()
        .build(&json!({"type": "string", "pattern": pattern}))
        .map(|_| ())
        .map_err(|e| e.to_string())
}
