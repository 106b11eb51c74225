//! Cargo features: one per resource, all on by default (through [`ALL`]), so that a team that
//! uses two resources of a large API compiles only those two and the models they reach.
//!
//! A model reached (through its fields, alternatives or alias target, transitively) from some
//! resources only, but not from all of them nor from what every build has (the parameters every
//! action accepts, and models no resource reaches), is compiled only when one of those resources'
//! features is on: its items carry the [`Cfg`] this module decides. Whatever a model reaches is
//! reached by every resource that reaches the model, so a model's `cfg` always implies the
//! `cfg` of each type it holds: no build can keep a model and lose a type it needs.

use std::collections::{BTreeMap, HashMap};

use crate::ir::{
    Cfg, FeaturesIr, Model, ModelModule, ParamIr, ResourceFeature, ResourceIr, TypeRef,
};

/// The feature that turns on every resource; `default` lists it.
pub const ALL: &str = "full";

/// The crate's features that are not resources (`templates/rust/Cargo.toml.tera` declares
/// them; a unit test holds this list to that template). A resource whose name would give one
/// of these names gets a feature name with `-resource` appended.
pub const OTHER_FEATURES: [&str; 6] = [
    "default",
    ALL,
    "native-tls",
    "rustls",
    "test-server",
    "webhook-receiver",
];

/// Decides the crate's features: one per resource (in spec order), and the `cfg` of every model
/// that only some resources need. `globals` are the parameters every action accepts; `always`
/// are types every build has besides (webhook payloads).
pub fn plan(
    resources: &[ResourceIr],
    models: &[Model],
    globals: &[ParamIr],
    always_types: &[&TypeRef],
) -> FeaturesIr {
    let mut taken: Vec<String> = OTHER_FEATURES.iter().map(|s| s.to_string()).collect();
    let names: Vec<String> = resources
        .iter()
        .map(|r| {
            let mut name = feature_name(&r.module);
            while taken.contains(&name) {
                name.push_str("-resource");
            }
            taken.push(name.clone());
            name
        })
        .collect();

    let (index, edges) = model_graph(models);

    // For each model, the resources that reach it (in resource order, each once).
    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); models.len()];
    let mut seen = vec![usize::MAX; models.len()];
    for (ri, r) in resources.iter().enumerate() {
        let mut roots = Vec::new();
        for ty in resource_types(r) {
            models_in(ty, &index, &mut roots);
        }
        walk(roots, &edges, |m| {
            if seen[m] == ri {
                return false;
            }
            seen[m] = ri;
            reached_by[m].push(ri);
            true
        });
    }

    // What every build has: the types of the parameters every action accepts, the models no
    // resource reaches, and all they reach.
    let mut always = vec![false; models.len()];
    let mut roots: Vec<usize> = (0..models.len())
        .filter(|&m| reached_by[m].is_empty())
        .collect();
    let per_action = resources
        .iter()
        .flat_map(|r| &r.actions)
        .flat_map(|a| a.required.iter().chain(&a.optional));
    for p in globals.iter().chain(per_action.filter(|p| p.global)) {
        models_in(&p.store_ty, &index, &mut roots);
    }
    for ty in always_types {
        models_in(ty, &index, &mut roots);
    }
    walk(roots, &edges, |m| !std::mem::replace(&mut always[m], true));
    let modules = modules(models, &edges, resources, &names, &reached_by, &always);

    let models = models
        .iter()
        .enumerate()
        .filter(|&(m, _)| !always[m] && reached_by[m].len() < resources.len())
        .map(|(m, model)| {
            let features = reached_by[m].iter().map(|&r| names[r].clone()).collect();
            (model.name().to_string(), Cfg(features))
        })
        .collect::<BTreeMap<_, _>>();
    let checked = checked_features(&names, &reached_by, &always);
    let resources = resources
        .iter()
        .zip(names)
        .map(|(r, name)| {
            (
                r.module.clone(),
                ResourceFeature {
                    cfg: Cfg(vec![name.clone()]),
                    name,
                },
            )
        })
        .collect::<Vec<_>>();
    FeaturesIr {
        all: ALL.to_string(),
        list: resources.iter().map(|(_, f)| f.name.clone()).collect(),
        resources: resources.into_iter().collect(),
        models,
        checked,
        modules,
    }
}

/// Most fields, variants and types one file of `src/models/` holds (about 8,000 lines once
/// formatted): a larger group is cut into several files of whole types, in model order.
pub const MODULE_BUDGET: usize = 800;

/// How much of a file a model takes: one for the type, one per field or variant.
fn weight(model: &Model) -> usize {
    1 + match model {
        Model::Struct { fields, .. } => fields.len(),
        Model::Enum { variants, .. } | Model::StringConsts { variants, .. } => variants.len(),
        Model::Union { variants, .. } => variants.len(),
        Model::Alias { .. } => 0,
    }
}

/// The files of `src/models/`. Models that the same resources need share a file, so that a
/// file's feature gate is written once, at its declaration:
/// - `common`: the models every build has;
/// - `<resource module>`: the models of one resource alone;
/// - `shared_<first model>`: the models of one set of several resources, named after the
///   first of them in model order (`shared_api_token`).
///
/// A file over [`MODULE_BUDGET`] continues in `<name>_2`, `<name>_3`, ...; names that would
/// clash get the next number.
fn modules(
    models: &[Model],
    edges: &[Vec<usize>],
    resources: &[ResourceIr],
    names: &[String],
    reached_by: &[Vec<usize>],
    always: &[bool],
) -> Vec<ModelModule> {
    // Groups in order of their first model; the key is the set of resources (empty: every build).
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut index: HashMap<Vec<usize>, usize> = HashMap::new();
    for m in 0..models.len() {
        let key = if always[m] || reached_by[m].len() == resources.len() {
            Vec::new()
        } else {
            reached_by[m].clone()
        };
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(m);
    }
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut claim = |base: String| {
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    };
    let mut out = Vec::new();
    for (key, members) in groups {
        let (base, about) = match key.as_slice() {
            [] => (
                "common".to_string(),
                "Types every build of the crate has.".to_string(),
            ),
            [one] => (
                resources[*one].module.trim_start_matches("r#").to_string(),
                format!("Types of the `{}` resource alone.", names[*one]),
            ),
            several => (
                format!(
                    "shared_{}",
                    crate::names::snake_part(models[members[0]].name())
                ),
                format!(
                    "Types the resources {} share.",
                    several
                        .iter()
                        .map(|&r| format!("`{}`", names[r]))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        };
        let cfg = Cfg(key.iter().map(|&r| names[r].clone()).collect());
        // Cut into files of whole types within the budget.
        let mut part: Vec<usize> = Vec::new();
        let mut used = 0;
        let mut parts = Vec::new();
        for m in members {
            let w = weight(&models[m]);
            if !part.is_empty() && used + w > MODULE_BUDGET {
                parts.push(std::mem::take(&mut part));
                used = 0;
            }
            used += w;
            part.push(m);
        }
        parts.push(part);
        for (i, members) in parts.into_iter().enumerate() {
            let name = if i == 0 {
                base.clone()
            } else {
                format!("{base}_{}", i + 1)
            };
            // Members are in model order, so membership is a binary search, not a scan.
            let uses_others = members
                .iter()
                .flat_map(|&m| &edges[m])
                .any(|to| members.binary_search(to).is_err());
            out.push(ModelModule {
                name: claim(name),
                cfg: cfg.clone(),
                about: about.clone(),
                uses_others,
                models: members,
            });
        }
    }
    out
}

/// The features CI builds one at a time, so that the number of checks does not grow with the
/// number of resources: the resource that compiles the fewest models of its own, the one that
/// compiles the most, and the one whose models the most other resources share (the gates most
/// likely to be wrong). Ties go to the earlier resource; each feature is listed once.
fn checked_features(names: &[String], reached_by: &[Vec<usize>], always: &[bool]) -> Vec<String> {
    if names.is_empty() {
        return Vec::new();
    }
    // Per resource: the gated models it compiles, and how many other resources reach them.
    let mut own = vec![0usize; names.len()];
    let mut shared = vec![0usize; names.len()];
    for (m, by) in reached_by.iter().enumerate() {
        if always[m] || by.len() == names.len() {
            continue;
        }
        for &r in by {
            own[r] += 1;
            shared[r] += by.len() - 1;
        }
    }
    let first_min = (0..names.len()).min_by_key(|&r| own[r]);
    let first_max = (0..names.len()).min_by_key(|&r| std::cmp::Reverse(own[r]));
    let most_shared = (0..names.len()).min_by_key(|&r| std::cmp::Reverse(shared[r]));
    let mut checked: Vec<String> = Vec::new();
    for r in [first_min, first_max, most_shared].into_iter().flatten() {
        if !checked.contains(&names[r]) {
            checked.push(names[r].clone());
        }
    }
    checked
}

/// The feature of a resource module: its name in kebab case, as cargo features are usually
/// spelled (`application_api_token` → `application-api-token`; a raw `r#type` or a `self_`
/// loses its prefix or suffix).
pub fn feature_name(module: &str) -> String {
    module
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .replace('_', "-")
}

/// The models by name (their index), and for each model the models its types name.
pub(crate) fn model_graph(models: &[Model]) -> (HashMap<&str, usize>, Vec<Vec<usize>>) {
    let index: HashMap<&str, usize> = models
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name(), i))
        .collect();
    let edges = models
        .iter()
        .map(|m| {
            let mut out = Vec::new();
            for ty in model_types(m) {
                models_in(ty, &index, &mut out);
            }
            out
        })
        .collect();
    (index, edges)
}

/// Visits every model reachable from `roots`; `enter` says whether a model is new (and so is
/// walked further).
pub(crate) fn walk(
    mut stack: Vec<usize>,
    edges: &[Vec<usize>],
    mut enter: impl FnMut(usize) -> bool,
) {
    while let Some(m) = stack.pop() {
        if enter(m) {
            stack.extend(edges[m].iter().copied());
        }
    }
}

/// The types a model holds.
pub(crate) fn model_types(m: &Model) -> Vec<&TypeRef> {
    match m {
        Model::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
        Model::Union { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        Model::Alias { target, .. } => vec![target],
        Model::Enum { .. } | Model::StringConsts { .. } => Vec::new(),
    }
}

/// The types a resource's code names: its actions' parameters (but the API-wide ones, which
/// every build has), bodies, answers and page items, and what its own parameter types hold.
pub(crate) fn resource_types(r: &ResourceIr) -> Vec<&TypeRef> {
    let mut out = Vec::new();
    for a in &r.actions {
        let params = a.required.iter().chain(&a.optional);
        out.extend(params.filter(|p| !p.global).map(|p| &p.store_ty));
        out.extend(a.body.as_ref().map(|b| &b.ty));
        out.extend(a.answer_types());
        out.extend(a.page.as_ref().map(|p| &p.item_ty));
    }
    out
}

/// Adds the crate models a type names.
pub(crate) fn models_in(ty: &TypeRef, index: &HashMap<&str, usize>, out: &mut Vec<usize>) {
    if let TypeRef::Model(name) = ty.innermost() {
        out.extend(index.get(name.as_str()));
    }
}
