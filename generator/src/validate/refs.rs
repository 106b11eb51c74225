//! References between schemas: dangling refs, and cycles no value can end.

use std::collections::HashMap;

use serde_json::Value;

use crate::diag::did_you_mean;
use crate::graph::components;
use crate::schema::{refs_in, required_names};

use super::Validator;

impl<'a> Validator<'a> {
    pub(super) fn refs(&mut self) {
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
        if let Some(webhooks) = &self.spec.api.webhooks {
            for (i, t) in webhooks.topics.iter().enumerate() {
                refs_in(
                    &t.schema,
                    &format!("api.webhooks.topics[{i}].schema"),
                    &mut all,
                );
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
