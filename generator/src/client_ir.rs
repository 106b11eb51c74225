//! Lowering of resources and actions into the IR the client templates render: one handle per
//! resource, one request builder per action, and the data each generated test needs.

use serde_json::Value;

use crate::ir::{
    ActionIr, AddTo, AuthIr, BodyIr, CallAdd, CallIr, ClientIr, Doc, DocLit, ErrorBodyIr, Json,
    LinksIr, Lit, Model, OutcomeIr, OutcomesIr, PackageIr, PageIr, ParamIr, ResourceIr, RuntimeIr,
    ServerIr, TypeRef, ValueExpr,
};
use crate::names::{self, Scope};
use crate::path::PathTemplate;
use crate::rust::wire_text;
use crate::schema::{required_names, resolve};
use crate::spec::{Action, AuthPlace, Param, ParamIn, Resource, Spec};
use crate::testdata::encode_segment;
use crate::types::Lowerer;

/// API-wide facts.
pub fn lower_client(spec: &Spec) -> ClientIr {
    let api = &spec.api;
    // `Custom` is the runtime's variant for any other URL.
    let mut scope = names::scope_reserving(&["Custom"]);
    let servers: Vec<ServerIr> = api
        .servers
        .iter()
        .map(|s| ServerIr {
            variant: scope.claim(names::camel(&s.name)),
            url: Lit(s.url.clone()),
            doc: Doc(match &s.description {
                Some(d) => format!("{}: `{}`. {d}", s.name, s.url),
                None => format!("{}: `{}`.", s.name, s.url),
            }),
            name: Lit(s.name.clone()),
        })
        .collect();
    let default_server = api
        .servers
        .iter()
        .position(|s| s.default)
        .and_then(|i| servers.get(i))
        .or(servers.first())
        .map(|s| s.variant.clone())
        .unwrap_or_default();
    ClientIr {
        servers,
        default_server,
        auth: {
            let (query, name, prefix) = match api.auth.place() {
                AuthPlace::Header { name, prefix } => (
                    false,
                    name,
                    prefix.map_or(String::new(), |p| format!("{p} ")),
                ),
                AuthPlace::Query { name } => (true, name, String::new()),
            };
            AuthIr {
                query,
                name: Lit(name.to_string()),
                prefix: Lit(prefix),
                basic: api.auth.is_basic(),
                doc: Doc(api.auth.description.clone()),
            }
        },
        headers: {
            let mut headers: Vec<(Lit, Lit)> = api
                .headers
                .iter()
                .map(|h| (Lit(h.name.clone()), Lit(h.value.clone())))
                .collect();
            // Every answer the client decodes is JSON; say so unless the spec already does.
            if !api
                .headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("accept"))
            {
                headers.insert(0, (Lit("Accept".into()), Lit("application/json".into())));
            }
            headers
        },
        globals: Vec::new(),
        request_id_header: api.request_id_header.clone().map(Lit),
        error_bodies: Vec::new(),
        uuid: false,
        package: package(spec),
        runtime: runtime(spec),
    }
}

/// The optional parts of the runtime the spec's actions need.
fn runtime(spec: &Spec) -> RuntimeIr {
    let actions = || spec.resources.iter().flat_map(|r| r.actions.values());
    RuntimeIr {
        outcomes: actions().any(|a| a.responses.len() > 1),
        downloads: actions().any(|a| a.responses.iter().any(|r| r.is_file())),
        uploads: actions().any(|a| a.params.iter().any(|p| p.location == ParamIn::Part)),
        events: actions().any(|a| a.responses.iter().any(|r| r.is_event_stream())),
    }
}

/// Whether a part's schema is a file: a binary string.
fn is_file_part(spec: &Spec, schema: &Value) -> bool {
    let s = resolve(spec, schema);
    crate::schema::types_of(s) == ["string"]
        && s.get("format").and_then(Value::as_str) == Some("binary")
}

/// Whether a value of this schema has a text form (a scalar, an enum, or a list of them), as
/// query parameters do; a part without one goes out as JSON text.
fn has_text_form(spec: &Spec, schema: &Value) -> bool {
    let s = resolve(spec, schema);
    match crate::schema::types_of(s).as_slice() {
        ["string" | "integer" | "number" | "boolean"] => true,
        ["array"] => s.get("items").is_some_and(|i| {
            let i = resolve(spec, i);
            matches!(
                crate::schema::types_of(i).as_slice(),
                ["string" | "integer" | "number" | "boolean"]
            ) || crate::schema::string_enum(i).is_some()
        }),
        [] => crate::schema::string_enum(s).is_some(),
        _ => false,
    }
}

/// The package metadata: what `api.yaml` `crate` says, else a description naming the API and
/// its version, the generator's license and the crate's docs.rs page.
fn package(spec: &Spec) -> PackageIr {
    let api = &spec.api;
    let krate = &api.krate;
    PackageIr {
        description: krate.description.clone().unwrap_or_else(|| {
            format!(
                "Rust SDK for the {} (API version {}), generated by sdkgen.",
                api.title, api.version
            )
        }),
        license: krate
            .license
            .clone()
            .unwrap_or_else(|| "MIT OR Apache-2.0".into()),
        repository: krate.repository.clone(),
        documentation: krate
            .documentation
            .clone()
            .unwrap_or_else(|| format!("https://docs.rs/{}/{}", krate.name, krate.version)),
        keywords: krate.keywords.clone(),
        categories: krate.categories.clone(),
        publish: krate.publish,
    }
}

/// Whether a model, a resource's own type, an action's parameter, body, answer or page item,
/// or a parameter every action accepts holds a UUID: only then does the crate depend on `uuid`.
pub(crate) fn uses_uuid(models: &[Model], resources: &[ResourceIr], globals: &[ParamIr]) -> bool {
    let in_models = models.iter().flat_map(crate::features::model_types);
    let in_resources = resources.iter().flat_map(crate::features::resource_types);
    // The parameters every action accepts (`resource_types` leaves them out).
    let params = resources
        .iter()
        .flat_map(|r| &r.actions)
        .flat_map(|a| a.required.iter().chain(&a.optional))
        .chain(globals)
        .map(|p| &p.store_ty);
    in_models
        .chain(in_resources)
        .chain(params)
        .any(|t| *t.innermost() == TypeRef::Uuid)
}

/// The documented error bodies by status, for `ApiError::error_body`: a status gets one when
/// every documented body of it (API-wide and per action) is the same named schema, whose model
/// `named` gives; a status documented with two shapes, or an inline one, gets none.
pub(crate) fn error_bodies(
    spec: &Spec,
    named: &std::collections::HashMap<String, String>,
) -> Vec<ErrorBodyIr> {
    // Per status: the model and every distinct description, in spec order (API-wide first).
    let mut by_status: std::collections::BTreeMap<u16, Option<(String, Vec<String>)>> =
        std::collections::BTreeMap::new();
    let documented = spec.api.errors.iter().chain(
        spec.resources
            .iter()
            .flat_map(|r| r.actions.values())
            .flat_map(|a| a.errors.iter()),
    );
    for e in documented {
        let model = e
            .schema
            .as_ref()
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
            .and_then(|r| named.get(r));
        let seen = by_status
            .entry(e.code)
            .or_insert_with(|| model.map(|m| (m.clone(), Vec::new())));
        if seen.as_ref().map(|(m, _)| m) != model {
            *seen = None;
        }
        if let Some((_, descriptions)) = seen {
            if !descriptions.contains(&e.description) {
                descriptions.push(e.description.clone());
            }
        }
    }
    let api_wide: std::collections::HashMap<u16, &String> = spec
        .api
        .errors
        .iter()
        .map(|e| (e.code, &e.description))
        .collect();
    by_status
        .into_iter()
        .filter_map(|(status, found)| {
            // The body of every action that answers this status: the API-wide description
            // where there is one, else each action's own, all of them where they differ.
            let describe = |descriptions: Vec<String>| match api_wide.get(&status) {
                Some(description) => (*description).clone(),
                None => descriptions.join("; "),
            };
            found.map(|(model, descriptions)| ErrorBodyIr {
                status,
                model,
                doc: Doc(format!("{status}: {}", describe(descriptions))),
            })
        })
        .collect()
}

/// Lowers every resource.
pub(crate) fn lower_resources(l: &mut Lowerer<'_>) -> Vec<ResourceIr> {
    let spec = l.spec;
    let mut accessors = names::scope_reserving(names::RESERVED_CLIENT_METHODS);
    // The types of the parameters every action accepts, defined once for all actions.
    let globals: Vec<TypeRef> = spec
        .api
        .parameters
        .iter()
        .map(|p| l.type_of(&p.schema, &names::camel(&p.name), false))
        .collect();
    // Naming and types are decided in spec order, one resource after another; the rest of
    // each action (docs, literals, test data) needs only the spec and runs on all cores.
    let plans: Vec<ResourcePlan> = spec
        .resources
        .iter()
        .map(|r| plan_resource(l, r, &globals, &mut accessors))
        .collect();
    let jobs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(ri, plan)| (0..plan.actions.len()).map(move |ai| (ri, ai)))
        .collect();
    let mut actions = crate::par::parallel(jobs.len(), |k| {
        let (ri, ai) = jobs[k];
        finish_action(spec, &plans[ri].actions[ai])
    })
    .into_iter();
    plans
        .into_iter()
        .zip(&spec.resources)
        .map(|(plan, r)| {
            let n = plan.actions.len();
            finish_resource(spec, r, plan, actions.by_ref().take(n).collect())
        })
        .collect()
}

/// Moves the API-wide parameters of every action into one shared `Globals` struct of the
/// runtime (a field, a `Default` and one `global_setters!` line per request instead of a field,
/// an initialiser, a setter and a call line per parameter), and returns them. They are shared
/// only when that changes nothing for callers: every one is optional, of a plain type, and has
/// the same field name and facts in every action (a name taken by an action's own parameter
/// gets another name there). Otherwise nothing changes and the list is empty. Either way, each
/// action then knows whether its call adds anything of its own ([`adds_to_call`]).
pub(crate) fn share_globals(resources: &mut [ResourceIr]) -> Vec<ParamIr> {
    let globals = shared_globals(resources);
    for a in resources.iter_mut().flat_map(|r| &mut r.actions) {
        a.call.adds = call_adds(a);
    }
    globals
}

/// The API-wide parameters, marked `shared` in every action, if they can be shared.
fn shared_globals(resources: &mut [ResourceIr]) -> Vec<ParamIr> {
    let key = |p: &ParamIr| {
        (
            p.field.clone(),
            p.wire.clone(),
            p.location,
            p.store_ty.clone(),
            p.doc_text.clone(),
            p.always.clone(),
        )
    };
    let mut canonical: Option<Vec<ParamIr>> = None;
    for a in resources.iter().flat_map(|r| &r.actions) {
        if a.required.iter().any(|p| p.global) {
            return Vec::new();
        }
        let globals: Vec<ParamIr> = a.optional.iter().filter(|p| p.global).cloned().collect();
        let plain = globals.iter().all(|p| p.store_ty.is_plain());
        let own_globals_field = a
            .required
            .iter()
            .chain(&a.optional)
            .any(|p| !p.global && p.field == "globals");
        if globals.is_empty() || !plain || own_globals_field {
            return Vec::new();
        }
        match &canonical {
            None => canonical = Some(globals),
            Some(c) => {
                if c.len() != globals.len() || c.iter().zip(&globals).any(|(x, y)| key(x) != key(y))
                {
                    return Vec::new();
                }
            }
        }
    }
    let Some(mut globals) = canonical else {
        return Vec::new();
    };
    for a in resources.iter_mut().flat_map(|r| &mut r.actions) {
        for p in a.optional.iter_mut().filter(|p| p.global) {
            p.shared = true;
        }
    }
    for p in &mut globals {
        p.shared = true;
    }
    globals
}

/// What the sequential pass decides for a resource: its handle, its actions' names and types,
/// and the parameter types defined in its module.
struct ResourcePlan<'s> {
    handle: String,
    /// The accessor on `Client`.
    accessor: String,
    actions: Vec<ActionPlan<'s>>,
}

/// What the sequential pass decides for an action: its names, its parameters in argument
/// order with their Rust types, and the types of its body, answer and page items.
struct ActionPlan<'s> {
    /// The resource's name.
    resource: &'s str,
    name: &'s str,
    action: &'s Action,
    request: String,
    /// The parameters type.
    params_ty: String,
    fn_name: String,
    path: PathTemplate,
    /// The action's parameters (path order, then the rest), then the API-wide ones; each with
    /// its type and whether it is API-wide.
    params: Vec<(&'s Param, TypeRef, bool)>,
    body: Option<TypeRef>,
    response: Option<TypeRef>,
    /// For an event-stream action: the type of an event's data.
    events: Option<TypeRef>,
    /// For an action with several success statuses: its outcome enum's name, and each
    /// status with the type its body decodes to.
    outcomes: Option<(String, Vec<Outcome>)>,
    /// For a paged action: the page items' type, and the page schema (the success schema,
    /// refs resolved) that holds them.
    item: Option<(TypeRef, &'s Value)>,
}

/// A documented success status and the type its body decodes to.
type Outcome = (u16, Option<TypeRef>);

fn plan_resource<'s>(
    l: &mut Lowerer<'s>,
    r: &'s Resource,
    globals: &[TypeRef],
    accessors: &mut Scope,
) -> ResourcePlan<'s> {
    // Every type of a resource module (its handle, requests and parameters) takes its name in
    // the crate-wide scope of the models, as do the types its actions define (parameter enums,
    // inline bodies): glob imports of the models and of several resource modules never clash.
    let handle = l.scope.claim(format!("{}Resource", names::camel(&r.name)));
    let accessor = accessors.claim(names::snake(&r.name));
    let mut fn_scope = names::scope_reserving(names::RESERVED_HANDLE_METHODS);
    let mut actions = Vec::new();
    for (aname, a) in &r.actions {
        let base = format!("{}{}", names::camel(&r.name), names::camel(aname));
        let request = l.scope.claim(format!("{base}Request"));
        let params = l.scope.claim(format!("{base}Params"));
        let outcome = (a.responses.len() > 1).then(|| l.scope.claim(format!("{base}Outcome")));
        actions.push(plan_action(
            l,
            r,
            aname,
            a,
            (request, params, outcome),
            fn_scope.claim(names::snake(aname)),
            globals,
        ));
    }
    ResourcePlan {
        handle,
        accessor,
        actions,
    }
}

fn finish_resource(
    spec: &Spec,
    r: &Resource,
    plan: ResourcePlan<'_>,
    actions: Vec<ActionIr>,
) -> ResourceIr {
    let mut doc = format!("{}: {}", r.title, r.description);
    doc.push_str(&format!("\n\nPath: `{}{}`.", spec_base(spec), r.path));
    // Parameters later shared API-wide (`share_globals`) leave the module, but they are of
    // plain types only, so counting them here changes nothing.
    let uses_models = actions.iter().any(|a| {
        let params = a.required.iter().chain(&a.optional).map(|p| &p.store_ty);
        let mut types = params
            .chain(a.body.as_ref().map(|b| &b.ty))
            .chain(a.answer_types())
            .chain(a.page.as_ref().map(|p| &p.item_ty));
        types.any(|t| matches!(t.innermost(), TypeRef::Model(_)))
    });
    ResourceIr {
        uses_models,
        streams: actions.iter().any(|a| a.page.is_some()),
        name: r.name.clone(),
        module: names::snake(&r.name),
        accessor: plan.accessor,
        handle: plan.handle,
        title: r.title.clone(),
        accessor_doc: Doc(format!("The actions of the {} resource.", r.title)),
        doc: Doc(doc),
        actions,
        test_id: names::snake_part(&r.name),
    }
}

fn spec_base(spec: &Spec) -> &str {
    &spec.api.base_path
}

fn lower_param(spec: &Spec, p: &Param, ty: TypeRef, global: bool, scope: &mut Scope) -> ParamIr {
    let field = scope.claim(names::snake(&p.name));
    let mut doc = p.description.clone();
    let mut facts = Vec::new();
    if let Some(values) = p.schema.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = values.iter().map(wire_text).collect();
        facts.push(format!("Accepted values: {}.", vals.join(", ")));
    }
    if let Some(d) = &p.default {
        facts.push(format!("Default: `{}`.", wire_text(d)));
    }
    if let Some(e) = &p.example {
        facts.push(format!("Example: `{}`.", wire_text(e)));
    }
    // The facts share one paragraph, so that a setter's documentation stays short.
    if !facts.is_empty() {
        doc.push_str(&format!("\n\n{}", facts.join(" ")));
    }
    let always = if global {
        p.default.as_ref().map(|d| Lit(wire_text(d)))
    } else {
        None
    };
    // What examples and tests pass: the documented example; for a required parameter without
    // one, its default or the smallest value its schema accepts (a path segment may not be
    // empty, so an empty string becomes `example`), since every call must give it.
    let example = p.example.clone().or_else(|| {
        p.required.then(|| {
            match p
                .default
                .clone()
                .unwrap_or_else(|| crate::testdata::schema_example(spec, &p.schema))
            {
                Value::String(s) if s.is_empty() && p.location == ParamIn::Path => {
                    Value::String("example".into())
                }
                v => v,
            }
        })
    });
    let example = example.map(|e| crate::testdata::sendable_example(&ty, e));
    let texts = example
        .as_ref()
        .map(|e| crate::testdata::param_texts(&ty, e));
    let wire = texts.as_ref().map(|t| t.join(","));
    let example_expr = example.map(|value| ValueExpr {
        ty: ty.clone(),
        value,
    });
    ParamIr {
        field,
        wire: Lit(p.name.clone()),
        location: p.location,
        json_part: p.location == ParamIn::Part && !has_text_form(spec, &p.schema),
        style: p.style,
        into: ty == TypeRef::String,
        store_ty: ty,
        doc: Doc(doc.clone()),
        doc_text: DocLit(doc),
        global,
        shared: false,
        always,
        example_expr,
        example_segment: wire.as_ref().map(|w| Lit(encode_segment(w))),
        example_wire: wire.map(Lit),
        example_texts: texts.unwrap_or_default(),
    }
}

/// The names and types of an action, in the order that decides them (parameters, body,
/// answer, page items): types defined here take their names from the resource's scope.
fn plan_action<'s>(
    l: &mut Lowerer<'s>,
    r: &'s Resource,
    aname: &'s str,
    a: &'s Action,
    (request, params_ty, outcome): (String, String, Option<String>),
    fn_name: String,
    globals: &[TypeRef],
) -> ActionPlan<'s> {
    let spec = l.spec;
    // Types an action defines are named after its resource and itself.
    let hint = format!("{}{}", names::camel(&r.name), names::camel(aname));
    // Validation refused a template that does not parse.
    let path = PathTemplate::parse(&format!("{}{}{}", spec.api.base_path, r.path, a.path))
        .unwrap_or_default();
    // Arguments follow the path order, then other required parameters.
    let mut ordered: Vec<(&Param, TypeRef, bool)> = path
        .params()
        .filter_map(|n| {
            a.params
                .iter()
                .find(|p| p.location == ParamIn::Path && p.name == n)
        })
        .chain(a.params.iter().filter(|p| p.location != ParamIn::Path))
        .map(|p| {
            let ty = if p.location == ParamIn::Part && is_file_part(spec, &p.schema) {
                TypeRef::File
            } else {
                l.type_of(
                    &p.schema,
                    &format!("{hint}{}", names::camel(&p.name)),
                    false,
                )
            };
            (p, ty, false)
        })
        .collect();
    for (p, ty) in spec.api.parameters.iter().zip(globals) {
        ordered.push((p, ty.clone(), true));
    }
    let body = a
        .body
        .as_ref()
        .map(|b| l.type_of(&b.schema, &format!("{hint}Body"), true));
    // A file's schema (a binary string, if any) describes no type: it is downloaded.
    let first = a.responses.first();
    let success = first
        .filter(|s| !s.is_file() && !s.is_event_stream())
        .and_then(|s| s.schema.as_ref());
    let response = success.map(|s| l.type_of(s, &format!("{hint}Response"), false));
    // An event's data: the response's schema, any JSON without one.
    let events = first
        .filter(|s| s.is_event_stream())
        .map(|s| match &s.schema {
            Some(schema) => l.type_of(schema, &format!("{hint}Event"), false),
            None => TypeRef::Json,
        });
    // The first status's type keeps the name it has as the only one; the others are named
    // after their status.
    let outcomes = outcome.map(|name| {
        let statuses = a.responses.iter().enumerate().map(|(i, resp)| {
            let ty = resp.schema.as_ref().map(|s| match (i, &response) {
                (0, Some(first)) => first.clone(),
                _ => {
                    let variant = names::outcome_variant(resp.code);
                    l.type_of(s, &format!("{hint}{variant}Response"), false)
                }
            });
            (resp.code, ty)
        });
        (name, statuses.collect())
    });
    let items_field =
        (a.paginated.as_ref().map(|pg| &pg.items)).or(a.linked.as_ref().map(|l| &l.items));
    let item = items_field.and_then(|items| {
        let page = resolve(spec, success?);
        // The items property may be a `$ref` to a named array schema.
        let items_schema = resolve(spec, page.get("properties")?.get(items)?).get("items")?;
        Some((l.type_of(items_schema, &format!("{hint}Item"), false), page))
    });
    ActionPlan {
        resource: &r.name,
        name: aname,
        action: a,
        request,
        params_ty,
        fn_name,
        path,
        params: ordered,
        body,
        response,
        outcomes,
        events,
        item,
    }
}

/// Everything else about an action, from its plan and the spec alone.
fn finish_action(spec: &Spec, plan: &ActionPlan<'_>) -> ActionIr {
    let (aname, a) = (plan.name, plan.action);
    let mut scope = names::scope_reserving(names::RESERVED_REQUEST_MEMBERS);
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for (p, ty, global) in &plan.params {
        let ir = lower_param(spec, p, ty.clone(), *global, &mut scope);
        if p.required {
            required.push(ir);
        } else {
            optional.push(ir);
        }
    }
    let body = a
        .body
        .as_ref()
        .zip(plan.body.clone())
        .map(|(b, ty)| BodyIr {
            ty,
            required: b.required,
            doc: Doc(b.description.clone()),
            example: crate::testdata::body_example(spec, a),
        });
    let page = plan.item.as_ref().and_then(|(item_ty, page_schema)| {
        page_ir(a, item_ty.clone(), page_schema, &required, &optional)
    });
    let links = a
        .linked
        .as_ref()
        .zip(plan.item.as_ref())
        .map(|(l, (item_ty, page_schema))| {
            let required_fields: Vec<&str> = required_names(page_schema).collect();
            LinksIr {
                items: names::snake(&l.items),
                items_optional: !required_fields.contains(&l.items.as_str()),
                next: names::snake(&l.next),
                item_ty: item_ty.clone(),
                items_wire: Lit(l.items.clone()),
                next_wire: Lit(l.next.clone()),
            }
        });
    let mut doc = a.summary.clone();
    if let Some(d) = &a.description {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    let template = plan.path.fill(|name| format!("{{{name}}}"));
    doc.push_str(&format!("\n\n`{} {template}`", a.method));
    // The scopes share the line of the method and path, so that an action's doc stays short.
    if !a.scopes.is_empty() {
        doc.push_str(&format!(" Scopes (at least one): {}.", a.scopes.join(", ")));
    }
    let test = crate::testdata::action_test(
        spec,
        a,
        &plan.path,
        &required,
        &optional,
        plan.response.is_some() || plan.events.is_some(),
    );
    let download = a
        .responses
        .first()
        .filter(|r| r.is_file())
        .and_then(|r| r.media.clone())
        .map(Lit);
    let trace_name = format!("{}.{aname}", plan.resource);
    let mut route = serde_json::json!({
        "action": trace_name,
        "method": a.method,
        "template": template,
        "status": test.status,
        "example": test.response.as_ref().map(|e| &e.0),
    });
    let media = match (&download, &plan.events) {
        (Some(media), _) => Some(media.0.clone()),
        (None, Some(_)) => Some("text/event-stream".to_string()),
        (None, None) => None,
    };
    if let (Some(media), Some(fields)) = (media, route.as_object_mut()) {
        fields.insert("media".into(), Value::String(media));
    }
    let route = Json(route);
    let outcomes = plan.outcomes.as_ref().map(|(name, statuses)| OutcomesIr {
        name: name.clone(),
        variants: a
            .responses
            .iter()
            .zip(statuses)
            .map(|(resp, (status, ty))| OutcomeIr {
                name: names::outcome_variant(*status),
                status: *status,
                ty: ty.clone(),
                doc: Doc(format!("`{status}`: {}", resp.description)),
            })
            .collect(),
    });

    let call = CallIr {
        method: a.method,
        trace_name: Lit(trace_name.clone()),
        template: Lit(template.clone()),
        path_fields: required
            .iter()
            .filter(|p| p.location == ParamIn::Path)
            .map(|p| p.field.clone())
            .collect(),
        // Known once the API-wide parameters are shared or not (`share_globals`).
        adds: Vec::new(),
        body: body.is_some(),
        accept: download.clone().or_else(|| {
            plan.events
                .as_ref()
                .map(|_| Lit("text/event-stream".into()))
        }),
    };
    ActionIr {
        name: aname.to_string(),
        fn_name: plan.fn_name.clone(),
        request: plan.request.clone(),
        params: plan.params_ty.clone(),
        trace_name: Lit(trace_name),
        template: Lit(template),
        doc: Doc(doc),
        method: a.method,
        path: plan.path.clone(),
        call,
        required,
        optional,
        body,
        response: plan.response.clone(),
        outcomes,
        download,
        events: plan.events.clone(),
        page,
        links,
        test_id: names::snake_part(aname),
        test,
        route,
    }
}

/// The query and header parameters an action's call adds: its own (shared ones are added by
/// the runtime, with the globals), required ones first.
fn call_adds(a: &ActionIr) -> Vec<CallAdd> {
    let required = a.required.iter().map(|p| (p, true));
    let optional = a.optional.iter().filter(|p| !p.shared).map(|p| (p, false));
    required
        .chain(optional)
        .filter_map(|(p, required)| {
            let to = match p.location {
                ParamIn::Query => AddTo::Query,
                ParamIn::Header => AddTo::Header,
                ParamIn::Part if p.store_ty == TypeRef::File => AddTo::FilePart,
                ParamIn::Part if p.json_part => AddTo::JsonPart,
                ParamIn::Part => AddTo::Part,
                ParamIn::Path => return None,
            };
            Some(CallAdd {
                to,
                wire: p.wire.clone(),
                field: p.field.clone(),
                required,
                always: p.always.clone(),
                style: p.style,
            })
        })
        .collect()
}

/// The paging facts of a paged action whose `page` and `perPage` parameters exist.
fn page_ir(
    a: &Action,
    item_ty: TypeRef,
    page_schema: &Value,
    required: &[ParamIr],
    optional: &[ParamIr],
) -> Option<PageIr> {
    let pg = a.paginated.as_ref()?;
    let find = |wire: &str| optional.iter().chain(required).find(|p| p.wire.0 == wire);
    let page = find("page")?;
    let per_page = find("perPage")?;
    // A required `page` is an argument: the stream starts at the page given and sets the
    // field itself (not an `Option`) for each page after it.
    let is_required = |p: &ParamIr| required.iter().any(|r| r.field == p.field);
    let required_fields: Vec<&str> = required_names(page_schema).collect();
    let first_page = a
        .params
        .iter()
        .find(|p| p.name == "page")
        .and_then(|p| p.default.as_ref())
        .and_then(|d| {
            d.as_u64()
                .or_else(|| d.as_str().and_then(|s| s.parse().ok()))
        })
        .unwrap_or(0);
    Some(PageIr {
        items: names::snake(&pg.items),
        total: names::snake(&pg.total),
        item_ty,
        page_field: page.field.clone(),
        per_page_field: per_page.field.clone(),
        page_ty: page.store_ty.clone(),
        page_required: is_required(page),
        per_page_required: is_required(per_page),
        // A string parameter takes the page number as text.
        string_pages: page.store_ty == TypeRef::String,
        string_per_page: per_page.store_ty == TypeRef::String,
        items_optional: !required_fields.contains(&pg.items.as_str()),
        total_optional: !required_fields.contains(&pg.total.as_str()),
        first_page,
        items_wire: Lit(pg.items.clone()),
        total_wire: Lit(pg.total.clone()),
        page_wire: Lit("page".into()),
        per_page_wire: Lit("perPage".into()),
    })
}
