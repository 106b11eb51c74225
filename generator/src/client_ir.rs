//! Lowering of resources and actions into the IR the client templates render: one handle per
//! resource, one request builder per action, and the data each generated test needs.

use serde_json::Value;

use crate::ir::{
    ActionIr, BodyIr, ClientIr, Doc, DocLit, ErrorBodyIr, Lit, PageIr, ParamIr, ResourceIr,
    ServerIr, TypeRef, ValueExpr,
};
use crate::names::{self, Scope};
use crate::path::PathTemplate;
use crate::rust::wire_text;
use crate::schema::{required_names, resolve};
use crate::spec::{Action, Param, ParamIn, Resource, Spec};
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
        auth_header: Lit(api.auth.header.clone()),
        auth_prefix: Lit(format!("{} ", api.auth.prefix)),
        auth_doc: Doc(api.auth.description.clone()),
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
    }
}

/// The documented error bodies by status, for `ApiError::error_body`: a status gets one when
/// every documented body of it (API-wide and per action) is the same named schema, whose model
/// `named` gives; a status documented with two shapes, or an inline one, gets none.
pub(crate) fn error_bodies(
    spec: &Spec,
    named: &std::collections::HashMap<String, String>,
) -> Vec<ErrorBodyIr> {
    let mut by_status: std::collections::BTreeMap<u16, Option<(String, String)>> =
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
            .or_insert_with(|| model.map(|m| (m.clone(), e.description.clone())));
        if seen.as_ref().map(|(m, _)| m) != model {
            *seen = None;
        }
    }
    by_status
        .into_iter()
        .filter_map(|(status, found)| {
            found.map(|(model, description)| ErrorBodyIr {
                status,
                model,
                doc: Doc(format!("{status}: {description}")),
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
/// gets another name there). Otherwise nothing changes and the list is empty.
pub(crate) fn share_globals(resources: &mut [ResourceIr]) -> Vec<ParamIr> {
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
        a.shared_globals = true;
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
    /// For a paged action: the page items' type, and the page schema (the success schema,
    /// refs resolved) that holds them.
    item: Option<(TypeRef, &'s Value)>,
}

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
        actions.push(plan_action(
            l,
            r,
            aname,
            a,
            (request, params),
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
    ResourceIr {
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

fn lower_param(p: &Param, ty: TypeRef, global: bool, scope: &mut Scope) -> ParamIr {
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
    let example_expr = match (&p.example, p.location) {
        (Some(e), _) => Some(e.clone()),
        (None, ParamIn::Path) => Some(Value::String("example".into())),
        (None, _) => None,
    }
    .map(|value| ValueExpr {
        ty: ty.clone(),
        value,
    });
    ParamIr {
        field,
        wire: Lit(p.name.clone()),
        location: p.location,
        into: ty == TypeRef::String,
        store_ty: ty,
        doc: Doc(doc.clone()),
        doc_text: DocLit(doc),
        global,
        shared: false,
        always,
        example_expr,
        example_wire: p.example.as_ref().map(|e| Lit(wire_text(e))),
        example_segment: p
            .example
            .as_ref()
            .map(|e| Lit(encode_segment(&wire_text(e)))),
    }
}

/// The names and types of an action, in the order that decides them (parameters, body,
/// answer, page items): types defined here take their names from the resource's scope.
fn plan_action<'s>(
    l: &mut Lowerer<'s>,
    r: &'s Resource,
    aname: &'s str,
    a: &'s Action,
    (request, params_ty): (String, String),
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
            let ty = l.type_of(
                &p.schema,
                &format!("{hint}{}", names::camel(&p.name)),
                false,
            );
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
    let success = a.responses.first().and_then(|s| s.schema.as_ref());
    let response = success.map(|s| l.type_of(s, &format!("{hint}Response"), false));
    let item = a.paginated.as_ref().and_then(|pg| {
        let page = resolve(spec, success?);
        let items_schema = page.get("properties")?.get(&pg.items)?.get("items")?;
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
        let ir = lower_param(p, ty.clone(), *global, &mut scope);
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
        plan.response.is_some(),
    );
    ActionIr {
        name: aname.to_string(),
        fn_name: plan.fn_name.clone(),
        request: plan.request.clone(),
        params: plan.params_ty.clone(),
        trace_name: Lit(format!("{}.{aname}", plan.resource)),
        template: Lit(template),
        doc: Doc(doc),
        method: a.method.clone(),
        path: plan.path.clone(),
        required,
        optional,
        body,
        response: plan.response.clone(),
        page,
        shared_globals: false,
        test_id: names::snake_part(aname),
        test,
    }
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
