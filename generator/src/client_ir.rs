//! Lowering of resources and actions into the IR the client templates render: one handle per
//! resource, one request builder per action, and the data each generated test needs.

use serde::Serialize;
use serde_json::Value;

use crate::lower::{doc_attrs, doc_text, lit, Lowerer, Model};
use crate::names::{self, Scope};
use crate::spec::{Action, Param, ParamIn, Resource, Spec};
use crate::validate::resolve;

/// API-wide client facts.
#[derive(Debug, Clone, Serialize)]
pub struct ClientIr {
    /// Servers: (variant name, URL literal, doc).
    pub servers: Vec<ServerIr>,
    /// The default server's variant.
    pub default_server: String,
    /// Auth header name literal.
    pub auth_header: String,
    /// Auth prefix literal (`"Bearer "`).
    pub auth_prefix: String,
    /// Auth doc.
    pub auth_doc: String,
    /// Headers sent with every request: (name literal, value literal).
    pub headers: Vec<(String, String)>,
    /// Rate limit doc line, if any.
    pub rate_limit: String,
    /// The API-wide parameters kept in the runtime's shared `Globals` (empty if they are not
    /// shared; see `share_globals`).
    pub globals: Vec<ParamIr>,
}

/// A server.
#[derive(Debug, Clone, Serialize)]
pub struct ServerIr {
    /// Enum variant.
    pub variant: String,
    /// URL literal.
    pub url: String,
    /// Doc attributes.
    pub doc: String,
    /// Display name literal.
    pub name: String,
}

/// A resource handle.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceIr {
    /// Vendor name (`applicationApiToken`).
    pub name: String,
    /// Module name.
    pub module: String,
    /// Handle type.
    pub handle: String,
    /// Accessor on `Client`.
    pub accessor: String,
    /// Title.
    pub title: String,
    /// Doc attributes for the accessor on `Client`.
    pub accessor_doc: String,
    /// Doc attributes for the handle.
    pub doc: String,
    /// Actions.
    pub actions: Vec<ActionIr>,
    /// Types local to the module (parameter enums).
    pub models: Vec<Model>,
    /// A plain snake-case word for test names.
    pub test_id: String,
}

/// An action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionIr {
    /// Vendor name.
    pub name: String,
    /// Method on the handle.
    pub fn_name: String,
    /// Request builder type.
    pub request: String,
    /// Doc attributes.
    pub doc: String,
    /// HTTP method, upper case.
    pub method: String,
    /// Whether the method is safe to repeat.
    pub idempotent: bool,
    /// `format!` string literal of the path, `{}` per path parameter.
    pub path_format: String,
    /// Required parameters (arguments of the method).
    pub required: Vec<ParamIr>,
    /// Optional parameters (builder methods).
    pub optional: Vec<ParamIr>,
    /// The body, if any.
    pub body: Option<BodyIr>,
    /// Response type (`()` for none).
    pub response: String,
    /// Whether the success response has a body.
    pub has_response_body: bool,
    /// Pagination, if any.
    pub page: Option<PageIr>,
    /// Whether the path has parameters.
    pub has_path_params: bool,
    /// Whether the API-wide parameters of this action live in the shared `Globals`.
    pub shared_globals: bool,
    /// Test data.
    pub test: ActionTest,
    /// A plain snake-case word for test names.
    pub test_id: String,
}

/// A parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParamIr {
    /// Field / argument name.
    pub field: String,
    /// Wire name literal.
    pub wire: String,
    /// `path`, `query` or `header`.
    pub location: String,
    /// Argument type in signatures.
    pub arg_ty: String,
    /// Stored type.
    pub store_ty: String,
    /// Whether the argument converts with `.into()`.
    pub into: bool,
    /// Doc attributes.
    pub doc: String,
    /// The same documentation as one Rust string literal (lines joined by `\n`).
    pub doc_text: String,
    /// Whether this is an API-wide parameter (one every action accepts).
    pub global: bool,
    /// Whether this API-wide parameter lives in the shared `Globals` of the runtime rather
    /// than in a field of its own (see `share_globals`).
    pub shared: bool,
    /// Literal sent when the caller sets nothing (API-wide parameters with a default).
    pub always: Option<String>,
    /// Rust expression of the example value (for tests), if the spec has one.
    pub example_expr: Option<String>,
    /// The example as it goes on the wire (literal), if any.
    pub example_wire: Option<String>,
    /// The example percent-encoded as a path segment (literal), if any.
    pub example_segment: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct BodyIr {
    /// Field / argument name.
    pub field: String,
    /// Type.
    pub ty: String,
    /// Whether it is an argument (required) or a builder method.
    pub required: bool,
    /// Doc attributes.
    pub doc: String,
    /// Example JSON literal for tests.
    pub example: Option<String>,
}

/// Pagination facts.
#[derive(Debug, Clone, Serialize)]
pub struct PageIr {
    /// Response field with the items.
    pub items: String,
    /// Response field with the total count.
    pub total: String,
    /// Item type.
    pub item_ty: String,
    /// `page` parameter field.
    pub page_field: String,
    /// `perPage` parameter field.
    pub per_page_field: String,
    /// Whether page parameters take strings.
    pub string_pages: bool,
    /// Whether the items field is optional in the response.
    pub items_optional: bool,
    /// Whether the total field is optional in the response.
    pub total_optional: bool,
    /// The first page number (the `page` default, else 0).
    pub first_page: u64,
    /// Wire names (literals) of the items and total fields and the page parameters.
    pub items_wire: String,
    /// See `items_wire`.
    pub total_wire: String,
    /// See `items_wire`.
    pub page_wire: String,
    /// See `items_wire`.
    pub per_page_wire: String,
    /// Expression for a per-page value of 2 (tests).
    pub per_page_two: String,
}

/// What the generated test of an action sends and expects.
#[derive(Debug, Clone, Serialize)]
pub struct ActionTest {
    /// The exact request path expected (literal).
    pub path: String,
    /// Expected query pairs (literals).
    pub query: Vec<(String, String)>,
    /// Success status.
    pub status: u16,
    /// Success body example (JSON literal), if any.
    pub response: Option<String>,
    /// Documented errors: (status, kind variant, body literal, vendor message literal).
    pub errors: Vec<ErrorCase>,
}

/// A documented error for the tests.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorCase {
    /// Status.
    pub status: u16,
    /// `ErrorKind` variant.
    pub kind: String,
    /// Body JSON literal.
    pub body: String,
    /// Message the error must carry (literal), if the body has one.
    pub message: Option<String>,
}

/// The documented meaning of a status code, as an `ErrorKind` variant.
pub fn error_kind(code: u16) -> &'static str {
    match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        429 => "RateLimited",
        500..=599 => "ServerError",
        _ => "Other",
    }
}

/// Percent-encodes one path segment the way the generated runtime does.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// API-wide facts.
pub fn lower_client(spec: &Spec) -> ClientIr {
    let api = &spec.api;
    let mut scope = Scope::default();
    let servers: Vec<ServerIr> = api
        .servers
        .iter()
        .map(|s| ServerIr {
            variant: scope.claim(names::camel(&s.name)),
            url: lit(&s.url),
            doc: doc_attrs(&match &s.description {
                Some(d) => format!("{}: `{}`. {d}", s.name, s.url),
                None => format!("{}: `{}`.", s.name, s.url),
            }),
            name: lit(&s.name),
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
        auth_header: lit(&api.auth.header),
        auth_prefix: lit(&format!("{} ", api.auth.prefix)),
        auth_doc: doc_attrs(&api.auth.description),
        headers: {
            let mut headers: Vec<(String, String)> = api
                .headers
                .iter()
                .map(|h| (lit(&h.name), lit(&h.value)))
                .collect();
            // Every answer the client decodes is JSON; say so unless the spec already does.
            if !api
                .headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("accept"))
            {
                headers.insert(0, (lit("Accept"), lit("application/json")));
            }
            headers
        },
        rate_limit: api.rate_limit.as_deref().map(doc_attrs).unwrap_or_default(),
        globals: Vec::new(),
    }
}

/// Lowers every resource.
pub(crate) fn lower_resources(l: &mut Lowerer<'_>) -> Vec<ResourceIr> {
    let spec = l.spec;
    let mut handles = names::scope_reserving(names::RESERVED_TYPES);
    let mut accessors = names::scope_reserving(names::RESERVED_CLIENT_METHODS);
    // Handles live next to a glob import of the models; they must not shadow one.
    for m in l.models.iter().chain(l.late_models.iter()) {
        handles.claim(m.name().to_string());
    }
    // The models module's names, shared by every resource scope instead of copied into each.
    let model_names: std::rc::Rc<std::collections::HashSet<String>> =
        std::rc::Rc::new(l.models.iter().map(|m| m.name().to_string()).collect());
    // Naming and types are decided in spec order, one resource after another; the rest of
    // each action (docs, literals, test data) needs only the spec and runs on all cores.
    let plans: Vec<ResourcePlan> = spec
        .resources
        .iter()
        .map(|r| plan_resource(l, r, &mut handles, &mut accessors, &model_names))
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
            p.location.clone(),
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
        let plain = globals
            .iter()
            .all(|p| matches!(p.store_ty.as_str(), "String" | "bool" | "i64" | "f64"));
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
    models: Vec<Model>,
}

/// What the sequential pass decides for an action: its names, its parameters in argument
/// order with their Rust types, and the types of its body, answer and page items.
struct ActionPlan<'s> {
    name: &'s str,
    action: &'s Action,
    request: String,
    fn_name: String,
    template: String,
    /// The action's parameters (path order, then the rest), then the API-wide ones; each with
    /// its type and whether it is API-wide.
    params: Vec<(&'s Param, String, bool)>,
    body: Option<String>,
    response: Option<String>,
    /// For a paged action: the page items' type, and the page schema (the success schema,
    /// refs resolved) that holds them.
    item: Option<(String, &'s Value)>,
}

fn plan_resource<'s>(
    l: &mut Lowerer<'s>,
    r: &'s Resource,
    handles: &mut Scope,
    accessors: &mut Scope,
    model_names: &std::rc::Rc<std::collections::HashSet<String>>,
) -> ResourcePlan<'s> {
    // Parameter enums live in the resource's module; the model names are reserved there too,
    // because the module imports the models.
    let saved_models = std::mem::take(&mut l.models);
    let mut local = Scope::within(model_names.clone());
    for n in names::RESERVED_TYPES {
        local.claim((*n).to_string());
    }
    let saved_scope = std::mem::replace(&mut l.scope, local);
    let handle = handles.claim(format!("{}Resource", names::camel(&r.name)));
    let accessor = accessors.claim(names::snake(&r.name));
    let mut fn_scope = names::scope_reserving(names::RESERVED_HANDLE_METHODS);
    let mut actions = Vec::new();
    for (aname, a) in &r.actions {
        let request = l.scope.claim(format!("{}Request", names::camel(aname)));
        actions.push(plan_action(
            l,
            r,
            aname,
            a,
            request,
            fn_scope.claim(names::snake(aname)),
        ));
    }
    let models = std::mem::replace(&mut l.models, saved_models);
    l.scope = saved_scope;
    ResourcePlan {
        handle,
        accessor,
        actions,
        models,
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
        accessor_doc: doc_attrs(&format!("The actions of the {} resource.", r.title)),
        doc: doc_attrs(&doc),
        actions,
        models: plan.models,
        test_id: names::snake_part(&r.name),
    }
}

fn spec_base(spec: &Spec) -> &str {
    &spec.api.base_path
}

fn lower_param(p: &Param, ty: String, global: bool, scope: &mut Scope) -> ParamIr {
    let field = scope.claim(names::snake(&p.name));
    let is_string = ty == "String";
    let (arg_ty, into) = if is_string {
        ("impl Into<String>".to_string(), true)
    } else {
        (ty.clone(), false)
    };
    let mut doc = p.description.clone();
    let mut facts = Vec::new();
    if let Some(values) = p.schema.get("enum").and_then(Value::as_array) {
        let vals: Vec<String> = values
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect();
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
        p.default.as_ref().map(|d| lit(&wire_text(d)))
    } else {
        None
    };
    let example_expr = match (&p.example, p.location) {
        (Some(e), _) => Some(value_expr(&ty, e)),
        (None, ParamIn::Path) => Some(value_expr(&ty, &Value::String("example".into()))),
        (None, _) => None,
    };
    ParamIr {
        field,
        wire: lit(&p.name),
        location: p.location.as_str().to_string(),
        arg_ty,
        store_ty: ty,
        into,
        doc: doc_attrs(&doc),
        doc_text: lit(&doc_text(&doc)),
        global,
        shared: false,
        always,
        example_expr,
        example_wire: p.example.as_ref().map(|e| lit(&wire_text(e))),
        example_segment: p
            .example
            .as_ref()
            .map(|e| lit(&encode_segment(&wire_text(e)))),
    }
}

/// A JSON value as it is written in a URL or header.
fn wire_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A Rust expression producing `v` as type `ty` (used by the generated tests).
fn value_expr(ty: &str, v: &Value) -> String {
    match ty {
        "String" => lit(&wire_text(v)),
        // Spec values become Rust tokens only as literals of their own type; anything else
        // (which validation does not let through) is parsed from a string literal.
        "bool" | "i64" | "f64" => match (ty, v) {
            ("bool", Value::Bool(b)) => b.to_string(),
            ("i64", Value::Number(n)) if n.is_i64() => n.to_string(),
            ("f64", Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => {
                format!("{:?}", n.as_f64().unwrap_or_default())
            }
            _ => format!("{}.parse::<{ty}>().unwrap()", lit(&wire_text(v))),
        },
        "uuid::Uuid" => format!("{}.parse::<uuid::Uuid>().unwrap()", lit(&wire_text(v))),
        _ => format!("{ty}::from({})", lit(&wire_text(v))),
    }
}

/// The names and types of an action, in the order that decides them (parameters, body,
/// answer, page items): types defined here take their names from the resource's scope.
fn plan_action<'s>(
    l: &mut Lowerer<'s>,
    r: &'s Resource,
    aname: &'s str,
    a: &'s Action,
    request: String,
    fn_name: String,
) -> ActionPlan<'s> {
    let spec = l.spec;
    let hint = names::camel(aname);
    let template = format!("{}{}{}", spec.api.base_path, r.path, a.path);
    // Arguments follow the path order, then other required parameters.
    let order = crate::validate::placeholders(&template).unwrap_or_default();
    let mut ordered: Vec<(&Param, String, bool)> = order
        .iter()
        .filter_map(|n| {
            a.params
                .iter()
                .find(|p| p.location == ParamIn::Path && &p.name == n)
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
    for p in &spec.api.parameters {
        let ty = l.type_of(&p.schema, &names::camel(&p.name), false);
        ordered.push((p, ty, true));
    }
    let body = a.body.as_ref().map(|b| {
        l.type_of(
            &b.schema,
            &format!("{}{hint}Body", names::camel(&r.name)),
            true,
        )
    });
    let success = a.responses.first().and_then(|s| s.schema.as_ref());
    let response = success.map(|s| {
        l.type_of(
            s,
            &format!("{}{hint}Response", names::camel(&r.name)),
            false,
        )
    });
    let item = a.paginated.as_ref().and_then(|pg| {
        let page = resolve(spec, success?);
        let items_schema = page.get("properties")?.get(&pg.items)?.get("items")?;
        Some((l.type_of(items_schema, &format!("{hint}Item"), false), page))
    });
    ActionPlan {
        name: aname,
        action: a,
        request,
        fn_name,
        template,
        params: ordered,
        body,
        response,
        item,
    }
}

/// Everything else about an action, from its plan and the spec alone.
fn finish_action(spec: &Spec, plan: &ActionPlan<'_>) -> ActionIr {
    let (aname, a, template) = (plan.name, plan.action, &plan.template);
    let mut scope = names::scope_reserving(names::RESERVED_REQUEST_MEMBERS);
    let mut required = Vec::new();
    let mut optional = Vec::new();
    let path_params: Vec<&Param> = a
        .params
        .iter()
        .filter(|p| p.location == ParamIn::Path)
        .collect();
    for (p, ty, global) in &plan.params {
        let ir = lower_param(p, ty.clone(), *global, &mut scope);
        if p.required {
            required.push(ir);
        } else {
            optional.push(ir);
        }
    }
    let mut path_format = String::new();
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        path_format.push_str(&rest[..open]);
        path_format.push_str("{}");
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        rest = &rest[close..];
    }
    path_format.push_str(rest);
    // Expected test path: example values, encoded.
    let mut test_path = template.clone();
    for p in &path_params {
        let ex = p
            .example
            .as_ref()
            .map(wire_text)
            .unwrap_or_else(|| "example".into());
        test_path = test_path.replace(&format!("{{{}}}", p.name), &encode_segment(&ex));
    }
    let body = a.body.as_ref().zip(plan.body.clone()).map(|(b, ty)| {
        let ex = b
            .example
            .clone()
            .or_else(|| Some(schema_example(spec, &b.schema)));
        BodyIr {
            field: "body".into(),
            ty,
            required: b.required,
            doc: doc_attrs(&b.description),
            example: ex.map(|e| lit(&e.to_string())),
        }
    });
    let success = a.responses.first();
    let (response, has_response_body) = match &plan.response {
        Some(ty) => (ty.clone(), true),
        None => ("()".to_string(), false),
    };
    let page = a.paginated.as_ref().and_then(|pg| {
        let (item_ty, resolved) = plan.item.clone()?;
        let find = |n: &str| {
            optional
                .iter()
                .chain(required.iter())
                .find(|p| p.wire == lit(n))
                .map(|p| p.field.clone())
        };
        let page_field = find("page")?;
        let per_page_field = find("perPage")?;
        let string_pages = optional
            .iter()
            .any(|p| p.field == page_field && p.store_ty == "String");
        let required_fields: Vec<&str> = crate::validate::required_names(resolved).collect();
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
            page_field,
            per_page_field,
            string_pages,
            items_optional: !required_fields.contains(&pg.items.as_str()),
            total_optional: !required_fields.contains(&pg.total.as_str()),
            first_page,
            items_wire: lit(&pg.items),
            total_wire: lit(&pg.total),
            page_wire: lit("page"),
            per_page_wire: lit("perPage"),
            per_page_two: if optional
                .iter()
                .any(|p| p.wire == lit("perPage") && p.store_ty == "String")
            {
                "\"2\"".into()
            } else {
                "2".into()
            },
        })
    });
    let mut query = Vec::new();
    for p in &optional {
        if p.location != "query" {
            continue;
        }
        if let Some(w) = &p.example_wire {
            query.push((p.wire.clone(), w.clone()));
        } else if let Some(d) = &p.always {
            query.push((p.wire.clone(), d.clone()));
        }
    }
    for p in &required {
        if p.location == "query" {
            if let Some(w) = &p.example_wire {
                query.push((p.wire.clone(), w.clone()));
            }
        }
    }
    let mut response_example = success.and_then(|s| {
        s.example
            .clone()
            .or_else(|| s.schema.as_ref().map(|sc| schema_example(spec, sc)))
    });
    // The paging test repeats the answer's first item: an answer without one gets the
    // smallest item its schema accepts.
    if let (Some(pg), Some(Value::Object(answer)), Some(schema)) = (
        &a.paginated,
        &mut response_example,
        success.and_then(|s| s.schema.as_ref()),
    ) {
        let has_item = answer
            .get(&pg.items)
            .and_then(Value::as_array)
            .is_some_and(|items| !items.is_empty());
        let item_schema = resolve(spec, schema)
            .get("properties")
            .and_then(|p| p.get(&pg.items))
            .and_then(|p| p.get("items"));
        if let (false, Some(item_schema)) = (has_item, item_schema) {
            let item = schema_example(spec, item_schema);
            answer.insert(pg.items.clone(), Value::Array(vec![item]));
        }
    }
    let mut errors = Vec::new();
    let mut codes = Vec::new();
    for e in a.errors.iter().chain(spec.api.errors.iter()) {
        if codes.contains(&e.code) {
            continue;
        }
        codes.push(e.code);
        let body = e
            .example
            .clone()
            .or_else(|| e.schema.as_ref().map(|s| schema_example(spec, s)))
            .unwrap_or(Value::Object(Default::default()));
        let message = ["message", "detail"]
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_str))
            .map(lit);
        errors.push(ErrorCase {
            status: e.code,
            kind: error_kind(e.code).into(),
            body: lit(&body.to_string()),
            message,
        });
    }
    let mut doc = a.summary.clone();
    if let Some(d) = &a.description {
        doc.push_str("\n\n");
        doc.push_str(d);
    }
    doc.push_str(&format!("\n\n`{} {}`", a.method, template));
    // The scopes share the line of the method and path, so that an action's doc stays short.
    if !a.scopes.is_empty() {
        doc.push_str(&format!(" Scopes (at least one): {}.", a.scopes.join(", ")));
    }
    ActionIr {
        name: aname.to_string(),
        fn_name: plan.fn_name.clone(),
        request: plan.request.clone(),
        doc: doc_attrs(&doc),
        method: a.method.clone(),
        idempotent: matches!(a.method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE"),
        path_format: lit(&path_format),
        required,
        optional,
        body,
        response,
        has_response_body,
        page,
        has_path_params: !path_params.is_empty(),
        shared_globals: false,
        test_id: names::snake_part(aname),
        test: ActionTest {
            path: lit(&test_path),
            query,
            status: success.map_or(200, |s| s.code),
            response: if has_response_body {
                response_example.map(|e| lit(&e.to_string()))
            } else {
                None
            },
            errors,
        },
    }
}

/// A value for the tests: the schema's first example, else the smallest value it accepts.
fn schema_example(spec: &Spec, s: &Value) -> Value {
    minimal_instance(spec, s, 0)
}

/// The smallest value a schema accepts, for the tests of actions whose spec shows no example:
/// the schema's own example, default, const or first enum value where it has one, else only the
/// required properties, empty arrays, zero numbers, `false`, and date-time, date and uuid
/// strings of the right form.
///
/// The spec checks refuse a schema whose smallest value this would build endlessly, or too deep
/// or too large to write into a test (`validate::sample` follows these same steps), so the
/// depth guard never cuts a value short; it only keeps the stack safe.
fn minimal_instance(spec: &Spec, s: &Value, depth: usize) -> Value {
    let s = resolve(spec, s);
    if depth > crate::validate::MAX_SCHEMA_DEPTH {
        return Value::Null;
    }
    let first = |key: &str| s.get(key).and_then(Value::as_array).and_then(|a| a.first());
    if let Some(v) = first("examples")
        .or_else(|| s.get("default"))
        .or_else(|| s.get("const"))
    {
        return v.clone();
    }
    if let Some(v) = first("enum") {
        return v.clone();
    }
    if let Some(alt) = first("oneOf").or_else(|| first("anyOf")) {
        return minimal_instance(spec, alt, depth + 1);
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        let mut merged = serde_json::Map::new();
        for part in parts {
            if let Value::Object(m) = minimal_instance(spec, part, depth + 1) {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    let ty = crate::validate::sample_type(s);
    match ty {
        "object" => {
            let mut out = serde_json::Map::new();
            let props = s.get("properties");
            for name in crate::validate::required_names(s) {
                let value = props
                    .and_then(|p| p.get(name))
                    .map_or(Value::Null, |p| minimal_instance(spec, p, depth + 1));
                out.insert(name.to_string(), value);
            }
            Value::Object(out)
        }
        "array" => {
            let n = s
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(0)
                .min(4) as usize;
            // No item is built for an empty list (a tree's `children` would be built forever).
            let item = match s.get("items") {
                Some(i) if n > 0 => minimal_instance(spec, i, depth + 1),
                _ => Value::Null,
            };
            Value::Array(vec![item; n])
        }
        "string" => Value::String(
            match s.get("format").and_then(Value::as_str) {
                Some("date-time") => "1970-01-01T00:00:00Z",
                Some("date") => "1970-01-01",
                Some("uuid") => "00000000-0000-0000-0000-000000000000",
                _ => "",
            }
            .to_string(),
        ),
        "integer" | "number" => s.get("minimum").cloned().unwrap_or(Value::from(0)),
        "boolean" => Value::Bool(false),
        "null" => Value::Null,
        _ => Value::Object(serde_json::Map::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::value_expr;
    use serde_json::json;

    /// An example becomes Rust tokens only as a literal of the parameter's type: a string where
    /// a number or boolean belongs stays inside a string literal.
    #[test]
    fn examples_become_literals_never_code() {
        assert_eq!(value_expr("i64", &json!(100)), "100");
        assert_eq!(value_expr("f64", &json!(2)), "2.0");
        assert_eq!(value_expr("bool", &json!(true)), "true");
        assert_eq!(
            value_expr("i64", &json!("1); std::process::exit(1); (")),
            "\"1); std::process::exit(1); (\".parse::<i64>().unwrap()"
        );
        assert_eq!(
            value_expr("bool", &json!(1.5)),
            "\"1.5\".parse::<bool>().unwrap()"
        );
        assert_eq!(value_expr("String", &json!("a\"b")), "\"a\\\"b\"");
    }
}
