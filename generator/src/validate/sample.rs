//! The smallest value of a schema: whether building it ends, and how large it is.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::schema::{required_names, resolve, sample_type};
use crate::spec::Spec;

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
