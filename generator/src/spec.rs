//! The spec as typed data, and the shape of every spec file (which keys exist, which are
//! required, what type each value has). `spec/README.md` documents the same format for people.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// A whole API: `api.yaml`, its resources and its schemas.
#[derive(Debug, Clone)]
pub struct Spec {
    /// `api.yaml`.
    pub api: Api,
    /// The resources, sorted by name.
    pub resources: Vec<Resource>,
    /// The schemas by name (sorted).
    pub schemas: BTreeMap<String, Value>,
    /// The spec folder as given (`spec/losant`), used in `@generated` headers.
    pub source: String,
    /// Schema files that exist but failed to load (already reported).
    pub broken_schemas: std::collections::BTreeSet<String>,
    /// `CHANGELOG.md` of the spec folder, kept by maintainers (`cargo xtask diff --changelog`
    /// writes sections of it); the crate ships it.
    pub changelog: Option<String>,
    /// Operations of a vendor document that the spec leaves out, one line each with the
    /// reason (empty for a spec in our own format); written to `generated/<api>/EXCLUDED.md`.
    pub excluded: Vec<String>,
}

/// `api.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Api {
    /// Short name, equal to the folder name.
    pub name: String,
    /// Human name.
    pub title: String,
    /// A paragraph about the API.
    #[serde(default)]
    pub description: Option<String>,
    /// Vendor API version.
    pub version: String,
    /// The crate to generate.
    #[serde(rename = "crate")]
    pub krate: CrateInfo,
    /// Vendor reference URL.
    #[serde(default)]
    pub docs_url: Option<String>,
    /// Prefix for every resource path.
    #[serde(default)]
    pub base_path: String,
    /// Servers; one is the default.
    pub servers: Vec<Server>,
    /// How the token is sent.
    pub auth: Auth,
    /// Headers sent with every request.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Parameters every action accepts.
    #[serde(default)]
    pub parameters: Vec<Param>,
    /// Errors every action can return.
    #[serde(default)]
    pub errors: Vec<Response>,
    /// Rate limit facts.
    #[serde(default)]
    pub rate_limit: Option<String>,
    /// The response header that carries the server's request id, if the vendor documents one.
    #[serde(default)]
    pub request_id_header: Option<String>,
    /// The webhooks the API sends, if it documents any.
    #[serde(default)]
    pub webhooks: Option<Webhooks>,
}

/// The webhooks an API sends: its topics, where a delivery names its topic, and the signature
/// headers that prove a delivery came from the API.
#[derive(Debug, Clone, Deserialize)]
pub struct Webhooks {
    /// What the vendor says about its webhooks.
    #[serde(default)]
    pub description: Option<String>,
    /// Where a delivery names its topic.
    pub topic: TopicAt,
    /// The signature headers, in the order they are checked (the strongest first).
    #[serde(default)]
    pub signatures: Vec<WebhookSignature>,
    /// The topics, in the vendor's order.
    pub topics: Vec<WebhookTopic>,
}

/// Where a webhook delivery names its topic.
#[derive(Debug, Clone, Deserialize)]
pub struct TopicAt {
    /// `body` (a string field of the JSON body) or `header`.
    #[serde(rename = "in")]
    pub location: TopicIn,
    /// The field's or the header's name.
    pub name: String,
}

/// Where a delivery's topic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicIn {
    /// A string field of the JSON body.
    Body,
    /// A header.
    Header,
}

/// A signature header of webhook deliveries.
#[derive(Debug, Clone, Deserialize)]
pub struct WebhookSignature {
    /// The header's name.
    pub header: String,
    /// How its value is computed from the body and the webhook's secret.
    pub algorithm: SignatureAlgorithm,
    /// How the MAC is written in the header (only `hex`).
    #[serde(default)]
    pub encoding: Option<String>,
    /// What precedes the MAC in the header (`sha256=`), if anything.
    #[serde(default)]
    pub prefix: String,
}

/// How a webhook signature is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SignatureAlgorithm {
    /// HMAC-SHA256 of the body keyed with the secret.
    #[serde(rename = "hmac-sha256")]
    HmacSha256,
    /// HMAC-SHA1 of the body keyed with the secret.
    #[serde(rename = "hmac-sha1")]
    HmacSha1,
}

/// The algorithms a webhook signature may use, as the spec names them.
pub const SIGNATURE_ALGORITHMS: &[&str] = &["hmac-sha256", "hmac-sha1"];

/// One webhook topic.
#[derive(Debug, Clone, Deserialize)]
pub struct WebhookTopic {
    /// The topic as deliveries name it.
    pub name: String,
    /// What its deliveries report.
    pub description: String,
    /// JSON Schema of a delivery's whole body.
    pub schema: Value,
}

/// Name, version and package metadata of a generated crate.
#[derive(Debug, Clone, Deserialize)]
pub struct CrateInfo {
    /// Crate name (`losant-sdk`).
    pub name: String,
    /// Crate version.
    pub version: String,
    /// The package description (default: one naming the API and its version).
    #[serde(default)]
    pub description: Option<String>,
    /// SPDX license expression (default `MIT OR Apache-2.0`).
    #[serde(default)]
    pub license: Option<String>,
    /// Where the crate's source is published.
    #[serde(default)]
    pub repository: Option<String>,
    /// Where its documentation is (default: its docs.rs page).
    #[serde(default)]
    pub documentation: Option<String>,
    /// crates.io keywords (at most 5).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// crates.io category slugs (at most 5).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Whether the crate may be published to crates.io (default `true`).
    #[serde(default = "yes")]
    pub publish: bool,
}

/// A server the API is reachable at.
#[derive(Debug, Clone, Deserialize)]
pub struct Server {
    /// Display name (`Mist Global 01`).
    pub name: String,
    /// Base URL.
    pub url: String,
    /// What it is.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether this is the default server.
    #[serde(default)]
    pub default: bool,
}

/// How a request carries the API's token: in a header (after a prefix, if any) or as a query
/// parameter. Validation requires exactly one of `header` and `query`.
#[derive(Debug, Clone, Deserialize)]
pub struct Auth {
    /// Header name.
    #[serde(default)]
    pub header: Option<String>,
    /// The word before the token in the header (`Bearer`); none: the header holds the token alone.
    #[serde(default)]
    pub prefix: Option<String>,
    /// The query parameter that carries the token.
    #[serde(default)]
    pub query: Option<String>,
    /// What the token is.
    pub description: String,
}

/// Where a token goes: what [`Auth`] says, once validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthPlace<'a> {
    /// `<name>: <prefix> <token>` (or `<name>: <token>` without a prefix).
    Header {
        /// Header name.
        name: &'a str,
        /// The word before the token, if any.
        prefix: Option<&'a str>,
    },
    /// `?<name>=<token>`.
    Query {
        /// Parameter name.
        name: &'a str,
    },
}

impl Auth {
    /// Where the token goes (a header wins over a query parameter; validation allows one).
    pub fn place(&self) -> AuthPlace<'_> {
        match (&self.header, &self.query) {
            (None, Some(name)) => AuthPlace::Query { name },
            // Validation refuses an auth with neither; lowering never sees one.
            (header, _) => AuthPlace::Header {
                name: header.as_deref().unwrap_or("Authorization"),
                prefix: self.prefix.as_deref(),
            },
        }
    }

    /// HTTP basic authentication: `Authorization: Basic <base64 of user:password>`, for which
    /// the crate adds a `basic_auth(user, password)` setter.
    pub fn is_basic(&self) -> bool {
        matches!(self.place(), AuthPlace::Header { name, prefix: Some(p) }
            if name.eq_ignore_ascii_case("authorization") && p.eq_ignore_ascii_case("basic"))
    }

    /// How a request carries the token, as the pages write it: `Authorization: Bearer <token>`,
    /// `X-Api-Key: <token>` or `?api_key=<token>`.
    pub fn shown(&self) -> String {
        match self.place() {
            AuthPlace::Header {
                name,
                prefix: Some(p),
            } => format!("{name}: {p} <token>"),
            AuthPlace::Header { name, prefix: None } => format!("{name}: <token>"),
            AuthPlace::Query { name } => format!("?{name}=<token>"),
        }
    }
}

/// A header sent with every request.
#[derive(Debug, Clone, Deserialize)]
pub struct Header {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
    /// Why it is sent.
    #[serde(default)]
    pub description: Option<String>,
}

/// One resource file.
#[derive(Debug, Clone, Deserialize)]
pub struct Resource {
    /// Name as the vendor spells it.
    pub name: String,
    /// Page title.
    pub title: String,
    /// What the resource is.
    pub description: String,
    /// Path template.
    pub path: String,
    /// Actions, in file order.
    pub actions: indexmap::IndexMap<String, Action>,
}

/// One action of a resource.
#[derive(Debug, Clone, Deserialize)]
pub struct Action {
    /// One-line summary.
    pub summary: String,
    /// Further text.
    #[serde(default)]
    pub description: Option<String>,
    /// HTTP method.
    pub method: Method,
    /// Suffix to the resource path.
    #[serde(default)]
    pub path: String,
    /// Scopes, in the vendor's order.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Parameters, in the vendor's order.
    #[serde(default)]
    pub params: Vec<Param>,
    /// Request body.
    #[serde(default)]
    pub body: Option<Body>,
    /// Success responses.
    pub responses: Vec<Response>,
    /// Error responses.
    #[serde(default)]
    pub errors: Vec<Response>,
    /// Pagination facts for list actions.
    #[serde(default)]
    pub paginated: Option<Paginated>,
    /// Pagination by link, for list actions whose pages name the next one.
    #[serde(default)]
    pub linked: Option<Linked>,
}

/// An HTTP method an action may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
    /// `HEAD`.
    Head,
}

impl Method {
    /// Every method, in the order the spec format lists them.
    pub const ALL: [Method; 6] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Head,
    ];

    /// The upper-case name, as HTTP and `reqwest::Method`'s constants spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }

    /// Whether a request of this method may carry a body the spec describes.
    pub fn takes_body(self) -> bool {
        !matches!(self, Method::Get | Method::Head | Method::Delete)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamIn {
    /// A `{placeholder}` of the path.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A part of a `multipart/form-data` body (an upload): a file where its schema is a
    /// binary string (`format: binary`), else a value.
    Part,
}

impl ParamIn {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Part => "part",
        }
    }
}

/// A parameter.
#[derive(Debug, Clone, Deserialize)]
pub struct Param {
    /// Wire name.
    pub name: String,
    /// Where it goes.
    #[serde(rename = "in")]
    pub location: ParamIn,
    /// Whether it must be given.
    #[serde(default)]
    pub required: bool,
    /// The description cell.
    pub description: String,
    /// JSON Schema of the value.
    pub schema: Value,
    /// Default.
    #[serde(default)]
    pub default: Option<Value>,
    /// Example.
    #[serde(default)]
    pub example: Option<Value>,
    /// Why the example is outside the accepted values.
    #[serde(default, rename = "x-example-outside-enum")]
    pub example_outside_enum: Option<String>,
    /// How a query parameter's value is written (default: `form`, one pair per item).
    #[serde(default)]
    pub style: QueryStyle,
}

/// How a query parameter's value is written into the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QueryStyle {
    /// One `name=text` pair per item of a list (OpenAPI's `form`, exploded).
    #[default]
    Form,
    /// One pair, the items joined with commas (`form` not exploded).
    Comma,
    /// One pair, the items joined with spaces (`spaceDelimited`).
    Space,
    /// One pair, the items joined with pipes (`pipeDelimited`).
    Pipe,
    /// One pair per item, its index in brackets: `keywords[0]=gps` (as Losant's clients send).
    Brackets,
    /// The value as one JSON text (an object or list the API reads whole).
    Json,
    /// Any value flattened into bracket keys: an object one pair per field (`filter[name]=x`,
    /// OpenAPI's `deepObject`), a list one per item (`ids[0]=1`), nested values deeper
    /// (`filter[size][min]=1`), a scalar as one `name=text` pair (as Losant's clients send a
    /// value with a schema).
    DeepObject,
}

impl QueryStyle {
    /// Every style, as the spec format spells it.
    pub const NAMES: &'static [&'static str] = &[
        "form",
        "comma",
        "space",
        "pipe",
        "brackets",
        "json",
        "deep-object",
    ];

    /// Whether values of this style may be objects (written as JSON or as keys).
    pub fn takes_objects(self) -> bool {
        matches!(self, QueryStyle::Json | QueryStyle::DeepObject)
    }
}

fn yes() -> bool {
    true
}

/// A request body.
#[derive(Debug, Clone, Deserialize)]
pub struct Body {
    /// The name the vendor table gives it.
    pub name: String,
    /// Its description cell.
    pub description: String,
    /// Whether it must be sent.
    #[serde(default = "yes")]
    pub required: bool,
    /// JSON Schema.
    pub schema: Value,
    /// Example body.
    #[serde(default)]
    pub example: Option<Value>,
}

/// A success or error response.
#[derive(Debug, Clone, Deserialize)]
pub struct Response {
    /// HTTP status.
    pub code: u16,
    /// Description cell.
    pub description: String,
    /// Body schema; `None` for no body.
    #[serde(default)]
    pub schema: Option<Value>,
    /// Example body.
    #[serde(default)]
    pub example: Option<Value>,
    /// The body's media type where it is not JSON (`application/octet-stream`, `image/png`,
    /// `text/csv`): a file, which the SDK hands over as it arrives.
    #[serde(default)]
    pub media: Option<String>,
}

impl Response {
    /// Whether the body is a file (a media type other than JSON or an event stream).
    pub fn is_file(&self) -> bool {
        self.media
            .as_deref()
            .is_some_and(|m| !is_json_media(m) && !is_event_stream(m))
    }

    /// Whether the body is a stream of server-sent events (`text/event-stream`), each event's
    /// data a JSON value of the response's schema.
    pub fn is_event_stream(&self) -> bool {
        self.media.as_deref().is_some_and(is_event_stream)
    }
}

/// A media type without its parameters, in lower case (`text/csv; charset=utf-8` is
/// `text/csv`).
pub fn media_essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a media type is `text/event-stream`.
pub fn is_event_stream(media: &str) -> bool {
    media_essence(media) == "text/event-stream"
}

/// Whether a media type is JSON: `application/json` or a `+json` type such as
/// `application/vnd.api+json`, with or without parameters.
pub fn is_json_media(media: &str) -> bool {
    let essence = media_essence(media);
    essence == "application/json" || essence.ends_with("+json")
}

/// Pagination by link: each page names the next one.
#[derive(Debug, Clone, Deserialize)]
pub struct Linked {
    /// Field holding the items of a page.
    pub items: String,
    /// Field holding the link to the next page (a path, or a URL on the same server);
    /// absent, `null` or empty on the last page.
    pub next: String,
}

/// Pagination facts.
#[derive(Debug, Clone, Deserialize)]
pub struct Paginated {
    /// Field holding the items of a page.
    pub items: String,
    /// Field holding the total count.
    pub total: String,
}

/// The shape of a value in a spec file, checked before the typed structs are filled so that
/// every problem gets a position.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// One line of text (names, titles, summaries, URLs): see [`crate::text`].
    Str,
    /// Paragraphs of text (descriptions): see [`crate::text`].
    Prose,
    /// A boolean.
    Bool,
    /// An HTTP status code.
    Code,
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// Any value (examples, defaults).
    Any,
    /// A list of values of one shape.
    List(&'static Shape),
    /// A mapping with free keys and values of one shape.
    MapOf(&'static Shape),
    /// A mapping with fixed keys.
    Obj(&'static [Field]),
    /// A JSON Schema of the documented subset.
    Schema,
}

/// One key of a fixed-key mapping.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The key.
    pub name: &'static str,
    /// Whether it must be present.
    pub required: bool,
    /// Its value's shape.
    pub shape: Shape,
}

const fn req(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        required: true,
        shape,
    }
}
const fn opt(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        required: false,
        shape,
    }
}

/// HTTP methods an action may use.
pub const METHODS: &[&str] = &{
    let mut names = [""; Method::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = Method::ALL[i].as_str();
        i += 1;
    }
    names
};

/// A parameter.
pub const PARAM: Shape = Shape::Obj(&[
    req("name", Shape::Str),
    req("in", Shape::OneOf(&["path", "query", "header", "part"])),
    opt("required", Shape::Bool),
    req("description", Shape::Prose),
    req("schema", Shape::Schema),
    opt("default", Shape::Any),
    opt("example", Shape::Any),
    opt("x-example-outside-enum", Shape::Prose),
    opt("style", Shape::OneOf(QueryStyle::NAMES)),
]);

/// A response.
pub const RESPONSE: Shape = Shape::Obj(&[
    req("code", Shape::Code),
    req("description", Shape::Prose),
    opt("schema", Shape::Schema),
    opt("example", Shape::Any),
    opt("media", Shape::Str),
]);

/// `api.yaml`.
pub const API: Shape = Shape::Obj(&[
    req("name", Shape::Str),
    req("title", Shape::Str),
    opt("description", Shape::Prose),
    req("version", Shape::Str),
    req(
        "crate",
        Shape::Obj(&[
            req("name", Shape::Str),
            req("version", Shape::Str),
            opt("description", Shape::Str),
            opt("license", Shape::Str),
            opt("repository", Shape::Str),
            opt("documentation", Shape::Str),
            opt("keywords", Shape::List(&Shape::Str)),
            opt("categories", Shape::List(&Shape::Str)),
            opt("publish", Shape::Bool),
        ]),
    ),
    opt("docs_url", Shape::Str),
    opt("base_path", Shape::Str),
    req(
        "servers",
        Shape::List(&Shape::Obj(&[
            req("name", Shape::Str),
            req("url", Shape::Str),
            opt("description", Shape::Prose),
            opt("default", Shape::Bool),
        ])),
    ),
    req(
        "auth",
        Shape::Obj(&[
            opt("header", Shape::Str),
            opt("prefix", Shape::Str),
            opt("query", Shape::Str),
            req("description", Shape::Prose),
        ]),
    ),
    opt(
        "headers",
        Shape::List(&Shape::Obj(&[
            req("name", Shape::Str),
            req("value", Shape::Str),
            opt("description", Shape::Prose),
        ])),
    ),
    opt("parameters", Shape::List(&PARAM)),
    opt("errors", Shape::List(&RESPONSE)),
    opt("rate_limit", Shape::Prose),
    opt("request_id_header", Shape::Str),
    opt("webhooks", WEBHOOKS),
]);

/// `webhooks` of `api.yaml`.
pub const WEBHOOKS: Shape = Shape::Obj(&[
    opt("description", Shape::Prose),
    req(
        "topic",
        Shape::Obj(&[
            req("in", Shape::OneOf(&["body", "header"])),
            req("name", Shape::Str),
        ]),
    ),
    opt(
        "signatures",
        Shape::List(&Shape::Obj(&[
            req("header", Shape::Str),
            req("algorithm", Shape::OneOf(SIGNATURE_ALGORITHMS)),
            opt("encoding", Shape::OneOf(&["hex"])),
            opt("prefix", Shape::Str),
        ])),
    ),
    req(
        "topics",
        Shape::List(&Shape::Obj(&[
            req("name", Shape::Str),
            req("description", Shape::Prose),
            req("schema", Shape::Schema),
        ])),
    ),
]);

/// An action.
pub const ACTION: Shape = Shape::Obj(&[
    req("summary", Shape::Str),
    opt("description", Shape::Prose),
    req("method", Shape::OneOf(METHODS)),
    opt("path", Shape::Str),
    opt("scopes", Shape::List(&Shape::Str)),
    opt("params", Shape::List(&PARAM)),
    opt(
        "body",
        Shape::Obj(&[
            req("name", Shape::Str),
            req("description", Shape::Prose),
            opt("required", Shape::Bool),
            req("schema", Shape::Schema),
            opt("example", Shape::Any),
        ]),
    ),
    req("responses", Shape::List(&RESPONSE)),
    opt("errors", Shape::List(&RESPONSE)),
    opt(
        "paginated",
        Shape::Obj(&[req("items", Shape::Str), req("total", Shape::Str)]),
    ),
    opt(
        "linked",
        Shape::Obj(&[req("items", Shape::Str), req("next", Shape::Str)]),
    ),
]);

/// A resource file.
pub const RESOURCE: Shape = Shape::Obj(&[
    req("name", Shape::Str),
    req("title", Shape::Str),
    req("description", Shape::Prose),
    req("path", Shape::Str),
    req("actions", Shape::MapOf(&ACTION)),
]);

/// The JSON-Schema keywords the generator understands, and the shape of each one's value.
pub const SCHEMA_KEYWORDS: &[Field] = &[
    opt("$schema", Shape::Str),
    opt("$comment", Shape::Prose),
    opt("$ref", Shape::Str),
    opt("title", Shape::Str),
    opt("description", Shape::Prose),
    opt("type", Shape::Any),
    opt("properties", Shape::MapOf(&Shape::Schema)),
    opt("patternProperties", Shape::MapOf(&Shape::Schema)),
    opt("additionalProperties", Shape::Any),
    opt("required", Shape::List(&Shape::Str)),
    opt("items", Shape::Schema),
    opt("oneOf", Shape::List(&Shape::Schema)),
    opt("anyOf", Shape::List(&Shape::Schema)),
    opt("allOf", Shape::List(&Shape::Schema)),
    opt("enum", Shape::List(&Shape::Any)),
    opt("const", Shape::Any),
    opt("format", Shape::Str),
    opt("pattern", Shape::Str),
    opt("minLength", Shape::Any),
    opt("maxLength", Shape::Any),
    opt("minItems", Shape::Any),
    opt("maxItems", Shape::Any),
    opt("uniqueItems", Shape::Bool),
    opt("minProperties", Shape::Any),
    opt("maxProperties", Shape::Any),
    opt("minimum", Shape::Any),
    opt("maximum", Shape::Any),
    opt("exclusiveMinimum", Shape::Any),
    opt("exclusiveMaximum", Shape::Any),
    opt("multipleOf", Shape::Any),
    opt("default", Shape::Any),
    opt("examples", Shape::List(&Shape::Any)),
    opt("readOnly", Shape::Bool),
    opt("writeOnly", Shape::Bool),
    opt("deprecated", Shape::Bool),
    opt("x-secret", Shape::Bool),
    opt("x-epoch", Shape::OneOf(&["seconds", "milliseconds"])),
    opt("x-untyped", Shape::Prose),
    opt("x-rust-name", Shape::Str),
    opt("x-rust-type", Shape::OneOf(&["integer"])),
];

/// JSON-Schema type names.
pub const SCHEMA_TYPES: &[&str] = &[
    "string", "number", "integer", "boolean", "object", "array", "null",
];
