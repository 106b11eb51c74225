//! Lowering: the checked spec becomes the IR ([`crate::ir`]) in which every name is a Rust
//! name, every schema a type, and every text knows how it is written. Types and models come
//! from [`crate::types`], resource clients from [`crate::client_ir`], the generated tests'
//! data from [`crate::testdata`]; this module puts them together.

use std::collections::{HashMap, HashSet};

use crate::ir::{ClientIr, CrateIr, Doc, InnerDoc, Model, ParamIr, ResourceIr, TypeRef};
use crate::spec::Spec;
use crate::types::Lowerer;

/// Lowers a checked spec.
pub fn lower(spec: &Spec) -> CrateIr {
    let mut l = Lowerer::new(spec);
    l.lower_schemas();
    // Resources after the models: their bodies may need request variants of the models.
    let mut resources = crate::client_ir::lower_resources(&mut l);
    let globals = crate::client_ir::share_globals(&mut resources);
    let lib = spec.api.krate.name.replace('-', "_");
    let examples = crate::testdata::examples(&mut l, &lib);
    let webhooks = crate::webhooks::lower_webhooks(&mut l, spec);
    let mut models = std::mem::take(&mut l.models);
    models.append(&mut l.late_models);
    models.sort_by(|a, b| a.name().cmp(b.name()));
    share_enums(&mut models);
    mark_built(&mut models, &resources, &globals);
    let unknown_fields = crate::testdata::field_probes(spec, &l.named, &models);
    let enums = crate::testdata::value_probes(&models);
    let union_probes = crate::testdata::union_probes(spec, &models);
    let api = &spec.api;
    let description = match api.description.as_deref() {
        Some(d) if !d.is_empty() => d.to_string(),
        _ => api.title.clone(),
    };
    let recursion_limit = recursion_limit(&models);
    let payloads: Vec<&TypeRef> = webhooks
        .iter()
        .flat_map(|w| &w.topics)
        .map(|t| &t.ty.0)
        .collect();
    let features = crate::features::plan(&resources, &models, &globals, &payloads);
    let uuid = crate::client_ir::uses_uuid(&models, &resources, &globals);
    let param_types = param_types(&models, &resources, &globals);
    CrateIr {
        api: api.name.clone(),
        package: api.krate.name.clone(),
        lib,
        version: api.krate.version.clone(),
        title: api.title.clone(),
        description: InnerDoc(description),
        api_version: api.version.clone(),
        source: spec.source.clone(),
        models,
        param_types,
        examples,
        recursion_limit,
        unknown_fields,
        enums,
        union_probes,
        resources,
        client: ClientIr {
            globals,
            error_bodies: crate::client_ir::error_bodies(spec, &l.named),
            uuid,
            ..crate::client_ir::lower_client(spec)
        },
        features,
        webhooks,
    }
}

/// Enums with the same values (the same variants, wire values and docs) are written once: the
/// first by name is the enum, each other keeps its name as an alias of it. Every name the crate
/// had stays, and an enum that many actions or schemas repeat (a `sortDirection` of `asc` and
/// `desc`, a `status`) costs one enum's code, not one per use.
fn share_enums(models: &mut [Model]) {
    let mut first: HashMap<Vec<(String, String, String)>, String> = HashMap::new();
    for m in models.iter_mut() {
        let Model::Enum { name, variants, .. } = m else {
            continue;
        };
        let key = variants
            .iter()
            .map(|v| (v.name.clone(), v.wire.0.clone(), v.doc.0.clone()))
            .collect();
        match first.get(&key) {
            None => {
                first.insert(key, name.clone());
            }
            Some(canonical) => {
                *m = Model::Alias {
                    name: std::mem::take(name),
                    doc: Doc(format!(
                        "The same values as `{canonical}`, so the same type."
                    )),
                    target: TypeRef::Model(canonical.clone()),
                };
            }
        }
    }
}

/// Marks the structs users build: those a request body or a parameter reaches (through fields,
/// alternatives, aliases, lists and maps). The others are only read, from answers: they get no
/// constructor nor setters, which a user could not call anyway on a `#[non_exhaustive]` value
/// they never make, and which cost compile time in every crate.
fn mark_built(models: &mut [Model], resources: &[ResourceIr], globals: &[ParamIr]) {
    use crate::features::{model_graph, models_in, walk};
    let built = {
        let (index, edges) = model_graph(models);
        let mut roots = Vec::new();
        let sent = resources
            .iter()
            .flat_map(|r| &r.actions)
            .flat_map(|a| {
                let params = a.required.iter().chain(&a.optional).map(|p| &p.store_ty);
                params.chain(a.body.as_ref().map(|b| &b.ty))
            })
            .chain(globals.iter().map(|p| &p.store_ty));
        for ty in sent {
            models_in(ty, &index, &mut roots);
        }
        let mut built = vec![false; models.len()];
        walk(roots, &edges, |m| !std::mem::replace(&mut built[m], true));
        built
    };
    for (m, b) in models.iter_mut().zip(built) {
        if let Model::Struct { built, .. } = m {
            *built = b;
        }
    }
}

/// The enums and string newtypes that parameters carry, sorted, each once: an alias counts as
/// the type it names, a list as its items. (Validation lets a parameter be nothing else.)
fn param_types(models: &[Model], resources: &[ResourceIr], globals: &[ParamIr]) -> Vec<String> {
    let by_name: HashMap<&str, &Model> = models.iter().map(|m| (m.name(), m)).collect();
    let mut out = std::collections::BTreeSet::new();
    let params = resources
        .iter()
        .flat_map(|r| &r.actions)
        .flat_map(|a| a.required.iter().chain(&a.optional))
        .chain(globals);
    for p in params {
        let mut ty = &p.store_ty;
        // Bounded: a chain of aliases cannot be longer than the list of models.
        for _ in 0..=models.len() {
            ty = match ty {
                TypeRef::Vec(inner) => inner,
                TypeRef::Model(name) => match by_name.get(name.as_str()) {
                    Some(Model::Alias { target, .. }) => target,
                    Some(Model::Enum { .. } | Model::StringConsts { .. }) => {
                        out.insert(name.clone());
                        break;
                    }
                    _ => break,
                },
                _ => break,
            };
        }
    }
    out.into_iter().collect()
}

/// rustc computes a struct's layout through every by-value field (`T`, `Option<T>`), 2 query
/// levels per struct; past its default limit of 128 the crate needs a higher one.
fn recursion_limit(models: &[Model]) -> Option<usize> {
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for m in models {
        let targets = match m {
            Model::Struct { fields, .. } => fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
            Model::Alias { target, .. } => by_value(target).into_iter().collect(),
            Model::Union { variants, .. } => {
                variants.iter().filter_map(|v| by_value(&v.ty)).collect()
            }
            _ => Vec::new(),
        };
        edges.insert(m.name(), targets);
    }
    // The longest chain of by-value fields from each model, without recursion: a chain can be
    // as long as the spec has schemas. Such a chain never closes (a type cannot hold itself by
    // value: cyclic refs are boxed); were one to, the edge back would count for nothing.
    let mut longest: HashMap<&str, usize> = HashMap::new();
    let mut on_path: HashSet<&str> = HashSet::new();
    for m in models {
        let root = m.name();
        if longest.contains_key(root) {
            continue;
        }
        // (model, edges followed, longest chain below it so far)
        let mut stack: Vec<(&str, usize, usize)> = vec![(root, 0, 0)];
        on_path.insert(root);
        while let Some(&(n, i, below)) = stack.last() {
            match edges.get(n).and_then(|ts| ts.get(i)) {
                Some(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    let t = t.as_str();
                    if let Some(&d) = longest.get(t) {
                        if let Some(top) = stack.last_mut() {
                            top.2 = below.max(d);
                        }
                    } else if on_path.insert(t) {
                        stack.push((t, 0, 0));
                    }
                }
                None => {
                    stack.pop();
                    on_path.remove(n);
                    let d = 1 + below;
                    longest.insert(n, d);
                    if let Some(top) = stack.last_mut() {
                        top.2 = top.2.max(d);
                    }
                }
            }
        }
    }
    let deepest = models
        .iter()
        .map(|m| longest.get(m.name()).copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    (deepest * 2 + 16 > 128).then(|| (deepest * 2 + 64).next_power_of_two())
}

/// The type a field holds by value (`Foo`, `Option<Foo>`, `Option<Nullable<Foo>>`): a model
/// or a plain scalar, each one level of rustc's layout queries.
fn by_value(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Option(inner) | TypeRef::Nullable(inner) => by_value(inner),
        TypeRef::Model(name) => Some(name.clone()),
        plain if plain.is_plain() => {
            Some(crate::rust::type_text(plain, crate::rust::Place::INSIDE))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::recursion_limit;
    use crate::ir::{Doc, FieldIr, FieldSerde, Lit, Model, TypeRef};

    fn holding(name: &str, ty: TypeRef) -> Model {
        Model::Struct {
            name: name.into(),
            doc: Doc::default(),
            fields: vec![FieldIr {
                name: "next".into(),
                ty,
                wire: Lit("next".into()),
                doc: Doc::default(),
                serde: FieldSerde::default(),
                required: true,
                setter: None,
            }],
            built: true,
        }
    }

    /// The limit follows the longest chain of types held by value however long it is (the
    /// walk gave up after 10,000 types, and the limit came out too low for rustc).
    #[test]
    fn recursion_limit_follows_chains_of_any_length() {
        let n: usize = 20_000;
        let mut models: Vec<Model> = (0..n)
            .map(|i| {
                let next = TypeRef::Model(format!("M{}", i + 1));
                holding(&format!("M{i}"), TypeRef::option(next))
            })
            .collect();
        models.push(holding(&format!("M{n}"), TypeRef::String));
        // The types at the end of the chain count too: M0 .. M20000, String.
        let deepest = n + 2;
        assert_eq!(
            recursion_limit(&models),
            Some((deepest * 2 + 64).next_power_of_two())
        );
        assert_eq!(recursion_limit(&models[n - 10..]), None);
        // A loop (never lowered: such types are boxed) ends the walk instead of hanging it.
        models.push(holding("Loop", TypeRef::Model("Loop".into())));
        assert!(recursion_limit(&models).is_some());
        // Boxed and collected types are behind a pointer: they end a chain.
        let boxed = vec![
            holding("A", TypeRef::Boxed(Box::new(TypeRef::Model("B".into())))),
            holding("B", TypeRef::vec(TypeRef::Model("A".into()))),
        ];
        assert_eq!(recursion_limit(&boxed), None);
    }
}
