//! Markdown reference pages: an index, one page per resource, schema pages.
//!
//! Every fact of the spec that the vendor pages show (each parameter row, scope, response code
//! and description) is rendered into a table or sentence; every text cell goes through
//! [`crate::markdown::cell`] so that spec text can never break a table.

use serde::Serialize;
use serde_json::Value;

use crate::ir::{ActionIr, CrateIr, ResourceIr, TypeRef};
use crate::markdown::{self, cell, inline};
use crate::render::{render_value, Batch, RenderError};
use crate::spec::{Action, AuthPlace, Param, Resource, Response, Spec};

#[derive(Serialize)]
struct Link {
    title: String,
    href: String,
    description: String,
}

/// The cells of a table row are markdown already (escaped with `markdown::cell`).
#[derive(Serialize)]
struct ServerRow {
    name: String,
    url: String,
    default: String,
    description: String,
}

/// A header (or the auth header) sent with every request.
#[derive(Serialize)]
struct HeaderRow {
    name: String,
    value: String,
    description: String,
}

/// A parameter, or the body, of an action.
#[derive(Serialize)]
struct ParamRow {
    name: String,
    ty: String,
    required: String,
    description: String,
    default: String,
    example: String,
}

/// A documented answer.
#[derive(Serialize)]
struct ResponseRow {
    code: String,
    ty: String,
    description: String,
}

/// A field of a schema (nested fields as `a.b`, array items as `a[].b`).
#[derive(Serialize)]
struct FieldRow {
    name: String,
    ty: String,
    required: String,
    description: String,
    constraints: String,
}

#[derive(Serialize)]
struct IndexContext {
    title: String,
    description: String,
    version: String,
    package: String,
    lib: String,
    docs_url: String,
    servers: Vec<ServerRow>,
    /// The prefix every action's path starts with (a code span), or empty.
    base_path: String,
    /// `Header` or `Query parameter`: where the token goes.
    auth_in: &'static str,
    auth: HeaderRow,
    headers: Vec<HeaderRow>,
    parameters: Vec<ParamRow>,
    rate_limit: String,
    resources: Vec<Link>,
    schemas: Vec<Link>,
    /// The feature that turns every resource on, and each resource's own.
    all_feature: String,
    features: Vec<FeatureRow>,
    /// The webhooks section, if the spec declares webhooks.
    webhooks: Option<WebhooksSection>,
}

/// The index page's webhooks section.
#[derive(Serialize)]
struct WebhooksSection {
    description: String,
    /// Where a delivery names its topic (a sentence of markdown).
    topic_at: String,
    signatures: Vec<SignatureRow>,
    topics: Vec<TopicRow>,
}

#[derive(Serialize)]
struct SignatureRow {
    header: String,
    algorithm: String,
}

#[derive(Serialize)]
struct TopicRow {
    name: String,
    variant: String,
    payload: String,
    description: String,
}

#[derive(Serialize)]
struct FeatureRow {
    name: String,
    resource: Link,
}

#[derive(Serialize)]
struct ResourceContext {
    title: String,
    /// The resource's cargo feature.
    feature: String,
    description: String,
    index: String,
    auth: String,
    actions: Vec<ActionContext>,
}

#[derive(Serialize)]
struct ActionContext {
    heading: String,
    /// The fence of the Rust example's code block.
    fence: String,
    anchor: String,
    summary: String,
    description: String,
    example: String,
    scopes: String,
    method_url: String,
    params: Vec<ParamRow>,
    body: Option<BodyContext>,
    responses: Vec<ResponseRow>,
    errors: Vec<ResponseRow>,
    response_examples: Vec<ExampleBlock>,
}

#[derive(Serialize)]
struct BodyContext {
    schema: String,
    /// The fence of the example's code block.
    fence: String,
    description: String,
    example: String,
}

#[derive(Serialize)]
struct ExampleBlock {
    label: String,
    /// The fence of the code block.
    fence: String,
    json: String,
}

#[derive(Serialize)]
struct SchemaContext {
    title: String,
    description: String,
    index: String,
    kind: String,
    fields: Vec<FieldRow>,
    example_heading: String,
    /// The fence of the example's code block.
    fence: String,
    example: String,
}

/// The reference pages of one API (`<root>/docs/`), as independent rendering jobs: the index,
/// then one page per resource, then one per named schema.
pub(crate) struct Pages<'a> {
    tera: &'a tera::Tera,
    spec: &'a Spec,
    ir: &'a CrateIr,
    docs: String,
    irs: std::collections::HashMap<&'a str, &'a ResourceIr>,
    schemas: Vec<(&'a String, &'a Value)>,
}

impl<'a> Pages<'a> {
    /// The pages of `spec` under `<root>/docs/`.
    pub(crate) fn new(tera: &'a tera::Tera, spec: &'a Spec, ir: &'a CrateIr, root: &str) -> Self {
        Pages {
            tera,
            spec,
            ir,
            docs: format!("{root}/docs"),
            irs: ir.resources.iter().map(|r| (r.name.as_str(), r)).collect(),
            schemas: spec.schemas.iter().collect(),
        }
    }

    /// How many pages there are.
    pub(crate) fn len(&self) -> usize {
        1 + self.spec.resources.len() + self.schemas.len()
    }

    /// Renders page `i` into `batch`.
    pub(crate) fn render(&self, i: usize, batch: &mut Batch) -> Result<(), RenderError> {
        let (tera, spec, docs) = (self.tera, self.spec, &self.docs);
        let resources = &spec.resources;
        if i == 0 {
            return render_value(
                tera,
                "markdown/index.md.tera",
                &index_context(spec, self.ir),
                &format!("{docs}/index.md"),
                &spec.source,
                batch,
            );
        }
        if let Some(resource) = resources.get(i - 1) {
            let rir = self.irs.get(resource.name.as_str()).copied();
            return render_value(
                tera,
                "markdown/resource.md.tera",
                &resource_context(spec, self.ir, resource, rir),
                &format!("{docs}/{}.md", resource.name),
                &spec.source,
                batch,
            );
        }
        let (name, schema) = self.schemas[i - 1 - resources.len()];
        render_value(
            tera,
            "markdown/schema.md.tera",
            &schema_context(spec, name, schema),
            &format!("{docs}/schemas/{name}.md"),
            &spec.source,
            batch,
        )
    }
}

/// The GitHub-style anchor of a heading: lower case, punctuation dropped, spaces to `-`.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The text of a JSON value as a table shows it: strings bare, anything else as JSON.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn pretty(v: &Value) -> String {
    crate::testdata::example_text(v)
}

fn yn(b: bool) -> String {
    if b { "Y" } else { "N" }.to_string()
}

/// The schema named by a `$ref`, if `schema` is one.
fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str)
}

/// The display title of a named schema.
fn schema_title(spec: &Spec, name: &str) -> String {
    spec.schemas
        .get(name)
        .and_then(|s| s.get("title"))
        .and_then(Value::as_str)
        .unwrap_or(name)
        .to_string()
}

/// The first example of a named schema.
fn schema_example(spec: &Spec, name: &str) -> Option<Value> {
    spec.schemas
        .get(name)
        .and_then(|s| s.get("examples"))
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .cloned()
}

/// The heading of a schema page's example section.
fn example_heading(spec: &Spec, name: &str) -> String {
    format!("{} Example", schema_title(spec, name))
}

/// `prefix` is the path from the page to the docs folder (`""` or `"../"`).
fn schema_link(spec: &Spec, name: &str, prefix: &str) -> String {
    format!(
        "[{}]({prefix}schemas/{name}.md)",
        cell(&schema_title(spec, name))
    )
}

/// The Type cell of a schema: a link for references, else the format, else the type.
fn type_cell(spec: &Spec, schema: &Value, prefix: &str) -> String {
    if let Some(name) = ref_name(schema) {
        return schema_link(spec, name, prefix);
    }
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        return cell(f);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            return alts
                .iter()
                .map(|a| type_cell(spec, a, prefix))
                .collect::<Vec<_>>()
                .join(" or ");
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        return all
            .iter()
            .map(|a| type_cell(spec, a, prefix))
            .collect::<Vec<_>>()
            .join(" and ");
    }
    match schema.get("type") {
        Some(Value::String(t)) if t == "array" => match schema.get("items") {
            Some(items) => format!("array of {}", type_cell(spec, items, prefix)),
            None => "array".into(),
        },
        Some(Value::String(t)) => cell(t),
        Some(Value::Array(ts)) => ts
            .iter()
            .map(|t| cell(&value_text(t)))
            .collect::<Vec<_>>()
            .join(" or "),
        _ => {
            if schema.get("const").is_some() {
                "constant".into()
            } else if schema.get("enum").is_some() {
                "enum".into()
            } else {
                "any".into()
            }
        }
    }
}

fn enum_values(schema: &Value) -> Option<String> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|vals| vals.iter().map(value_text).collect::<Vec<_>>().join(", "))
}

/// A parameter's Description cell text: the description plus the accepted values.
fn param_description(p: &Param) -> String {
    let desc = p.description.trim();
    match enum_values(&p.schema) {
        Some(vals) if desc.is_empty() => format!("Accepted values are: {vals}"),
        Some(vals) if desc.ends_with('.') => format!("{desc} Accepted values are: {vals}"),
        Some(vals) => format!("{desc}. Accepted values are: {vals}"),
        None => desc.to_string(),
    }
}

fn param_row(spec: &Spec, p: &Param) -> ParamRow {
    let value = |v: &Option<Value>| v.as_ref().map(|v| cell(&value_text(v))).unwrap_or_default();
    ParamRow {
        name: cell(&p.name),
        ty: type_cell(spec, &p.schema, ""),
        required: yn(p.required),
        description: cell(&param_description(p)),
        default: value(&p.default),
        example: value(&p.example),
    }
}

fn response_row(spec: &Spec, r: &Response) -> ResponseRow {
    ResponseRow {
        code: r.code.to_string(),
        ty: r
            .schema
            .as_ref()
            .map(|s| type_cell(spec, s, ""))
            .unwrap_or_default(),
        description: cell(&r.description),
    }
}

/// The action's errors plus the API-wide errors for codes the action does not list, by code.
fn all_errors<'a>(spec: &'a Spec, action: &'a Action) -> Vec<&'a Response> {
    let mut errors: Vec<&Response> = action.errors.iter().collect();
    for e in &spec.api.errors {
        if !errors.iter().any(|x| x.code == e.code) {
            errors.push(e);
        }
    }
    errors.sort_by_key(|e| e.code);
    errors
}

/// `get` -> `Get`, `linkedResources` -> `Linked Resources`.
fn heading_of(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.push(c);
        } else if c == '_' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// The sentence listing the scopes: `a, b, or c.`
fn scopes_sentence(scopes: &[String]) -> String {
    if scopes.is_empty() {
        return String::new();
    }
    let list = match scopes.len() {
        1 => scopes[0].clone(),
        2 => format!("{} or {}", scopes[0], scopes[1]),
        n => format!("{}, or {}", scopes[..n - 1].join(", "), scopes[n - 1]),
    };
    format!(
        "The client must be configured with a valid api access token to call this action. \
         The token must include at least one of the following scopes: {}.",
        inline(&list)
    )
}

fn default_server(spec: &Spec) -> &str {
    spec.api
        .servers
        .iter()
        .find(|s| s.default)
        .or_else(|| spec.api.servers.first())
        .map(|s| s.url.as_str())
        .unwrap_or("")
}

/// The Rust example calling an action: a complete doctest body.
fn rust_example(lib: &str, models: &[crate::ir::Model], r: &ResourceIr, a: &ActionIr) -> String {
    let mut lines = vec![
        format!("# async fn run() -> Result<(), {lib}::Error> {{"),
        format!("let client = {lib}::Client::builder().token(\"...\").build()?;"),
    ];
    let call = call_lines(lib, models, r, a, false);
    lines.extend(call.lines);
    if a.page.is_some() {
        // Every page, through the stream's own `next`: no other crate needed.
        lines.push(format!(
            "let mut items = client.{}().{}({}).stream();",
            r.accessor,
            a.fn_name,
            call.args.join(", ")
        ));
        lines.push("while let Some(item) = items.next().await {".into());
        lines.push("    println!(\"{:?}\", item?);".into());
        lines.push("}".into());
    }
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.join("\n")
}

/// One call of an action in example code: its lines (the body built first, where it has one)
/// and the arguments of its method.
struct CallLines {
    lines: Vec<String>,
    args: Vec<String>,
    /// Whether the body was built with constructors and setters (not read from JSON).
    built: bool,
}

/// A call of `a` with its documented examples, on a `client` in scope. The body is built as
/// users build one (constructor, setters, variants), or read from its JSON example where the
/// example does not fit that shape. `short`: types named through a `use` of the models.
fn call_lines(
    lib: &str,
    models: &[crate::ir::Model],
    r: &ResourceIr,
    a: &ActionIr,
    short: bool,
) -> CallLines {
    let models_path = if short {
        String::new()
    } else {
        format!("{lib}::models::")
    };
    let place = crate::rust::Place {
        root: lib,
        models_path: &models_path,
    };
    // An argument of a generated type (an enum of accepted values) is named by its path.
    let mut args: Vec<String> = a
        .required
        .iter()
        .map(|p| {
            p.example_expr.as_ref().map_or_else(
                || "Default::default()".into(),
                |e| match e.ty {
                    // Built as users build one (a part's object, a file), in the page's names.
                    TypeRef::Model(_) | TypeRef::File => {
                        crate::rust::build_expr(models, &e.ty, &e.value, place, false)
                            .unwrap_or_else(|| crate::rust::value_expr_at(&e.ty, &e.value, place))
                    }
                    _ => crate::rust::value_expr_at(&e.ty, &e.value, place),
                },
            )
        })
        .collect();
    let mut lines = Vec::new();
    let mut tail = String::new();
    let mut built = false;
    if let Some(b) = &a.body {
        let ty = crate::rust::type_text(&b.ty, place);
        let example = b.example.as_ref().map_or("{}", |e| e.0.as_str());
        let expr = serde_json::from_str(example)
            .ok()
            .and_then(|v| crate::rust::build_expr(models, &b.ty, &v, place, false));
        built = expr.is_some();
        lines.push(match expr {
            Some(expr) => format!("let body: {ty} = {expr};"),
            None => format!(
                "let body: {ty} = serde_json::from_str({}).expect(\"a valid example\");",
                crate::rust::lit(example)
            ),
        });
        if b.required {
            args.push("body".into());
        } else {
            tail.push_str(".body(body)");
        }
    }
    let call = format!(
        "client.{}().{}({}){tail}.send().await?;",
        r.accessor,
        a.fn_name,
        args.join(", ")
    );
    if a.response.is_some() {
        lines.push(format!("let answer = {call}"));
        lines.push("println!(\"{answer:?}\");".into());
    } else {
        lines.push(call);
    }
    // The libraries the code names, through the crate's re-exports: a user's crate depends on
    // this one only.
    let code = lines.join("\n");
    let mut imports = 0;
    for dep in ["chrono", "serde_json", "uuid"] {
        let named = code.match_indices(&format!("{dep}::")).any(|(at, _)| {
            !code[..at].ends_with(|c: char| c == ':' || c == '_' || c.is_alphanumeric())
        });
        if named {
            lines.insert(imports, format!("use {lib}::{dep};"));
            imports += 1;
        }
    }
    CallLines { lines, args, built }
}

/// The README's second example: the first action (in spec order) whose body example is built
/// with constructors and setters, as lines of code on a `client` in scope, with the models in
/// scope through `use {lib}::models::*`.
pub fn body_example(ir: &CrateIr) -> Option<Vec<String>> {
    ir.resources.iter().find_map(|r| {
        r.actions.iter().find_map(|a| {
            let call = call_lines(&ir.lib, &ir.models, r, a, true);
            (a.body.is_some() && call.built).then_some(call.lines)
        })
    })
}

fn action_context(
    spec: &Spec,
    ir: &CrateIr,
    resource: &Resource,
    rir: Option<&ResourceIr>,
    name: &str,
    action: &Action,
) -> ActionContext {
    let mut params: Vec<ParamRow> = action.params.iter().map(|p| param_row(spec, p)).collect();
    let mut body = None;
    if let Some(b) = &action.body {
        let (type_c, example_c) = match ref_name(&b.schema) {
            Some(s) => {
                let heading = example_heading(spec, s);
                let example = if schema_example(spec, s).is_some() {
                    format!("[{}](schemas/{s}.md#{})", cell(&heading), slug(&heading))
                } else if b.example.is_some() {
                    cell(&heading)
                } else {
                    String::new()
                };
                (schema_link(spec, s, ""), example)
            }
            None => (type_cell(spec, &b.schema, ""), String::new()),
        };
        params.push(ParamRow {
            name: cell(&b.name),
            ty: type_c.clone(),
            required: yn(b.required),
            description: cell(&b.description),
            default: String::new(),
            example: example_c,
        });
        let example = b
            .example
            .clone()
            .or_else(|| ref_name(&b.schema).and_then(|s| schema_example(spec, s)))
            .map(|v| pretty(&v))
            .unwrap_or_default();
        body = Some(BodyContext {
            fence: markdown::fence(&example),
            schema: type_c,
            description: inline(&b.description),
            example,
        });
    }
    params.extend(spec.api.parameters.iter().map(|p| param_row(spec, p)));
    let example = rir
        .and_then(|r| r.actions.iter().find(|a| a.name == name).map(|a| (r, a)))
        .map(|(r, a)| rust_example(&ir.lib, &ir.models, r, a))
        .unwrap_or_default();
    let heading = heading_of(name);
    let mut response_examples = Vec::new();
    for r in action.responses.iter().chain(all_errors(spec, action)) {
        let ex = r.example.clone().or_else(|| {
            r.schema
                .as_ref()
                .and_then(ref_name)
                .and_then(|s| schema_example(spec, s))
        });
        if let Some(ex) = ex {
            let json = pretty(&ex);
            response_examples.push(ExampleBlock {
                label: format!("{} {}", r.code, inline(&r.description)),
                fence: markdown::fence(&json),
                json,
            });
        }
    }
    ActionContext {
        anchor: slug(&heading),
        heading: inline(&heading),
        summary: inline(&action.summary),
        description: action
            .description
            .as_deref()
            .map(paragraphs)
            .unwrap_or_default(),
        fence: markdown::fence(&example),
        example,
        scopes: scopes_sentence(&action.scopes),
        method_url: markdown::code(&format!(
            "{} {}{}{}{}",
            action.method,
            default_server(spec),
            spec.api.base_path,
            resource.path,
            action.path
        )),
        params,
        body,
        responses: action
            .responses
            .iter()
            .map(|r| response_row(spec, r))
            .collect(),
        errors: all_errors(spec, action)
            .into_iter()
            .map(|r| response_row(spec, r))
            .collect(),
        response_examples,
    }
}

/// Prose as markdown lines: each line escaped and unindented, so that no line of it can be an
/// indented code block (which rustdoc would compile as a doctest) or a fence.
fn paragraphs(text: &str) -> String {
    text.lines()
        .map(|l| inline(l.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn resource_context(
    spec: &Spec,
    ir: &CrateIr,
    resource: &Resource,
    rir: Option<&ResourceIr>,
) -> ResourceContext {
    ResourceContext {
        title: inline(&resource.title),
        feature: feature_of(ir, resource),
        description: paragraphs(&resource.description),
        index: "index.md".into(),
        auth: inline(&auth_sentence(&spec.api.auth)),
        actions: resource
            .actions
            .iter()
            .map(|(name, a)| action_context(spec, ir, resource, rir, name, a))
            .collect(),
    }
}

/// How every request is authenticated, as a resource page says it.
fn auth_sentence(auth: &crate::spec::Auth) -> String {
    let what = auth.description.trim();
    match auth.place() {
        AuthPlace::Header { name, prefix: Some(prefix) } => format!(
            "Every request is authenticated with the {name} header: {prefix} <token>, where the token is: {what}"
        ),
        AuthPlace::Header { name, prefix: None } => format!(
            "Every request is authenticated with the {name} header: <token>, where the token is: {what}"
        ),
        AuthPlace::Query { name } => format!(
            "Every request is authenticated with the {name} query parameter: {name}=<token>, where the token is: {what}"
        ),
    }
}

fn index_context(spec: &Spec, ir: &CrateIr) -> IndexContext {
    let api = &spec.api;
    IndexContext {
        title: inline(&api.title),
        description: api
            .description
            .as_deref()
            .map(paragraphs)
            .unwrap_or_default(),
        version: inline(&api.version),
        package: api.krate.name.clone(),
        lib: ir.lib.clone(),
        docs_url: api
            .docs_url
            .as_deref()
            .and_then(markdown::link_target)
            .unwrap_or_default(),
        servers: api
            .servers
            .iter()
            .map(|s| ServerRow {
                name: cell(&s.name),
                // Exactly what `base_url` and `Server::Custom` take: the paths carry the
                // base path already.
                url: cell(&s.url),
                default: yn(s.default),
                description: cell(s.description.as_deref().unwrap_or("")),
            })
            .collect(),
        base_path: if api.base_path.is_empty() {
            String::new()
        } else {
            markdown::code(&api.base_path)
        },
        auth_in: match api.auth.place() {
            AuthPlace::Header { .. } => "Header",
            AuthPlace::Query { .. } => "Query parameter",
        },
        auth: match api.auth.place() {
            AuthPlace::Header { name, prefix } => HeaderRow {
                name: cell(name),
                value: cell(&prefix.map_or("<token>".to_string(), |p| format!("{p} <token>"))),
                description: cell(&api.auth.description),
            },
            AuthPlace::Query { name } => HeaderRow {
                name: cell(name),
                value: cell("<token>"),
                description: cell(&api.auth.description),
            },
        },
        headers: api
            .headers
            .iter()
            .map(|h| HeaderRow {
                name: cell(&h.name),
                value: cell(&h.value),
                description: cell(h.description.as_deref().unwrap_or("")),
            })
            .collect(),
        parameters: api.parameters.iter().map(|p| param_row(spec, p)).collect(),
        rate_limit: api
            .rate_limit
            .as_deref()
            .map(paragraphs)
            .unwrap_or_default(),
        resources: spec
            .resources
            .iter()
            .map(|r| Link {
                title: inline(&r.title),
                href: format!("{}.md", r.name),
                description: inline(r.description.lines().next().unwrap_or("")),
            })
            .collect(),
        schemas: spec
            .schemas
            .iter()
            .map(|(name, s)| Link {
                title: inline(&schema_title(spec, name)),
                href: format!("schemas/{name}.md"),
                description: inline(
                    s.get("description")
                        .and_then(Value::as_str)
                        .and_then(|d| d.lines().next())
                        .unwrap_or(""),
                ),
            })
            .collect(),
        all_feature: ir.features.all.clone(),
        features: spec
            .resources
            .iter()
            .map(|r| FeatureRow {
                name: feature_of(ir, r),
                resource: Link {
                    title: cell(&r.title),
                    href: format!("{}.md", r.name),
                    description: String::new(),
                },
            })
            .collect(),
        webhooks: ir.webhooks.as_ref().map(webhooks_section),
    }
}

fn webhooks_section(w: &crate::ir::WebhooksIr) -> WebhooksSection {
    let name = markdown::code(&w.topic_wire);
    WebhooksSection {
        description: paragraphs(&w.description),
        topic_at: if w.topic_at == "Header" {
            format!("A delivery names its topic in its {name} header.")
        } else {
            format!("A delivery names its topic in the {name} field of its JSON body.")
        },
        signatures: w
            .signatures
            .iter()
            .map(|s| SignatureRow {
                header: cell(&s.header_wire),
                algorithm: format!("{} ({})", s.algorithm_name, s.encoding_text),
            })
            .collect(),
        topics: w
            .topics
            .iter()
            .map(|t| TopicRow {
                name: cell(&t.wire),
                variant: markdown::code(&t.variant),
                payload: markdown::code(&t.type_name),
                description: cell(&t.description),
            })
            .collect(),
    }
}

/// The cargo feature of a resource (checked to be letters, digits and `-`).
fn feature_of(ir: &CrateIr, resource: &Resource) -> String {
    ir.features
        .resources
        .get(&crate::names::snake(&resource.name))
        .map(|f| f.name.clone())
        .unwrap_or_default()
}

/// The constraints of a schema as text: format, pattern, bounds, accepted values.
fn constraints(schema: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        parts.push(format!("format: {f}"));
    }
    for (key, label) in [
        ("pattern", "pattern"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("exclusiveMinimum", "exclusive minimum"),
        ("exclusiveMaximum", "exclusive maximum"),
        ("multipleOf", "multiple of"),
        ("minProperties", "min properties"),
        ("maxProperties", "max properties"),
        ("default", "default"),
        ("const", "constant"),
    ] {
        if let Some(v) = schema.get(key) {
            parts.push(format!("{label}: {}", value_text(v)));
        }
    }
    if schema.get("uniqueItems") == Some(&Value::Bool(true)) {
        parts.push("unique items".into());
    }
    if let Some(vals) = enum_values(schema) {
        parts.push(format!("accepted values: {vals}"));
    }
    if let Some(items) = schema.get("items") {
        if ref_name(items).is_none() && items.get("properties").is_none() {
            let inner = constraints(items);
            if !inner.is_empty() {
                parts.push(format!("items: {inner}"));
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let inner: Vec<String> = alts
                .iter()
                .map(constraints)
                .filter(|c| !c.is_empty())
                .collect();
            if !inner.is_empty() {
                parts.push(format!("one of: ({})", inner.join(") or (")));
            }
        }
    }
    parts.join("; ")
}

/// Flattens the properties of an object schema into rows (nested objects as `a.b`, array items
/// as `a[].b`).
fn field_rows(spec: &Spec, schema: &Value, prefix: &str, depth: usize, out: &mut Vec<FieldRow>) {
    if depth > 8 {
        return;
    }
    let required: Vec<&str> = crate::schema::required_names(schema).collect();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, p) in props {
            let full = format!("{prefix}{name}");
            let mut desc = p
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_string();
            let mut marks = Vec::new();
            if p.get("readOnly") == Some(&Value::Bool(true)) {
                marks.push("Read-only.");
            }
            if p.get("writeOnly") == Some(&Value::Bool(true)) {
                marks.push("Write-only.");
            }
            if p.get("x-secret") == Some(&Value::Bool(true)) {
                marks.push("Secret: never shown in debug output.");
            }
            if p.get("deprecated") == Some(&Value::Bool(true)) {
                marks.push("Deprecated.");
            }
            if !marks.is_empty() {
                if !desc.is_empty() {
                    desc.push(' ');
                }
                desc.push_str(&marks.join(" "));
            }
            out.push(FieldRow {
                name: cell(&full),
                ty: type_cell(spec, p, "../"),
                required: yn(required.contains(&name.as_str())),
                description: cell(&desc),
                constraints: cell(&constraints(p)),
            });
            nested_rows(spec, p, &full, depth, out);
        }
    }
}

fn nested_rows(spec: &Spec, p: &Value, full: &str, depth: usize, out: &mut Vec<FieldRow>) {
    if ref_name(p).is_some() {
        return;
    }
    if p.get("properties").is_some() {
        field_rows(spec, p, &format!("{full}."), depth + 1, out);
    }
    if let Some(items) = p.get("items") {
        if ref_name(items).is_none() {
            if items.get("properties").is_some() {
                field_rows(spec, items, &format!("{full}[]."), depth + 1, out);
            }
            if let Some(alts) = items.get("oneOf").and_then(Value::as_array) {
                for alt in alts {
                    field_rows(spec, alt, &format!("{full}[]."), depth + 1, out);
                }
            }
        }
    }
    if let Some(ap) = p.get("additionalProperties").filter(|v| v.is_object()) {
        nested_rows(spec, ap, &format!("{full}.*"), depth + 1, out);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(alts) = p.get(key).and_then(Value::as_array) {
            for alt in alts {
                if alt.get("properties").is_some() {
                    field_rows(spec, alt, &format!("{full}."), depth + 1, out);
                }
            }
        }
    }
}

fn schema_context(spec: &Spec, name: &str, schema: &Value) -> SchemaContext {
    let mut fields = Vec::new();
    field_rows(spec, schema, "", 0, &mut fields);
    if let Some(items) = schema.get("items") {
        if ref_name(items).is_none() {
            field_rows(spec, items, "[].", 0, &mut fields);
        }
    }
    if let Some(alts) = schema.get("allOf").and_then(Value::as_array) {
        for alt in alts {
            field_rows(spec, alt, "", 0, &mut fields);
        }
    }
    let mut kind = format!("Type: {}", type_cell(spec, schema, "../"));
    let c = constraints(schema);
    if !c.is_empty() {
        kind.push_str(&format!(" ({})", inline(&c)));
    }
    let example = schema_example(spec, name);
    let example_text = example.as_ref().map(pretty).unwrap_or_default();
    SchemaContext {
        title: inline(&schema_title(spec, name)),
        description: schema
            .get("description")
            .and_then(Value::as_str)
            .map(paragraphs)
            .unwrap_or_default(),
        index: "../index.md".into(),
        kind,
        fields,
        example_heading: if example.is_some() {
            inline(&example_heading(spec, name))
        } else {
            String::new()
        },
        fence: markdown::fence(&example_text),
        example: example_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_github_style() {
        assert_eq!(slug("API Token Patch Example"), "api-token-patch-example");
        assert_eq!(slug("Linked Resources"), "linked-resources");
    }

    #[test]
    fn scopes_read_like_the_vendor_sentence() {
        let s = scopes_sentence(&["a".into(), "b".into(), "c".into()]);
        assert!(s.ends_with("scopes: a, b, or c."), "{s}");
    }

    #[test]
    fn headings_split_camel_case() {
        assert_eq!(heading_of("linkedResources"), "Linked Resources");
        assert_eq!(heading_of("get"), "Get");
    }
}
