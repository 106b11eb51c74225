//! The IR: what lowering decides about a crate, as data. Names are Rust names already; types,
//! serde behaviour, parameters, paths and texts are enums and structs. No Rust source text is
//! held here: [`crate::rust`] writes it when a template context is built, which is the only
//! way templates see the IR.

use serde::Serialize;
use serde_json::Value;

use crate::path::PathTemplate;
use crate::spec::ParamIn;

/// A Rust type, as lowering decided it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i64` (an integer without a format, or of format `int64`).
    I64,
    /// `i32` (an integer of format `int32`).
    I32,
    /// `f64`.
    F64,
    /// A date-time in UTC (chrono).
    DateTime,
    /// A UUID.
    Uuid,
    /// The runtime's `Secret` (a string `Debug` does not show).
    Secret,
    /// The runtime's `EpochSeconds`.
    EpochSeconds,
    /// The runtime's `FilePart`: a file an upload sends as a part of its form.
    File,
    /// Any JSON value.
    Json,
    /// A JSON object of any values.
    JsonObject,
    /// A generated type, by its name in the scope where it is used.
    Model(String),
    /// A list.
    Vec(Box<TypeRef>),
    /// A map from string keys, sorted.
    Map(Box<TypeRef>),
    /// A boxed value (a type that leads back to itself, or a large union alternative).
    Boxed(Box<TypeRef>),
    /// An optional value.
    Option(Box<TypeRef>),
    /// The runtime's `Nullable` (null kept apart from absent).
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// `Vec<inner>`.
    pub fn vec(inner: TypeRef) -> TypeRef {
        TypeRef::Vec(Box::new(inner))
    }

    /// `Option<inner>`.
    pub fn option(inner: TypeRef) -> TypeRef {
        TypeRef::Option(Box::new(inner))
    }

    /// The generated type a value of this type holds inline (`Foo`, `Option<Foo>`,
    /// `Option<Nullable<Foo>>`): those count towards rustc's layout recursion.
    pub fn inline_model(&self) -> Option<&str> {
        match self {
            TypeRef::Model(name) => Some(name),
            TypeRef::Option(inner) | TypeRef::Nullable(inner) => inner.inline_model(),
            _ => None,
        }
    }

    /// Whether a value is at most a pointer or two wide, so that an enum holding it needs no
    /// box to stay small: strings, collections, JSON values, scalars and boxes.
    pub fn is_small(&self) -> bool {
        !matches!(
            self,
            TypeRef::Model(_) | TypeRef::Option(_) | TypeRef::Nullable(_)
        )
    }

    /// The type inside every list, map, box, option and `Nullable` around it (each holds one
    /// type): `Foo` for `Option<Vec<Foo>>`, so the one model or scalar a type holds.
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Vec(inner)
            | TypeRef::Map(inner)
            | TypeRef::Boxed(inner)
            | TypeRef::Option(inner)
            | TypeRef::Nullable(inner) => inner.innermost(),
            other => other,
        }
    }

    /// Whether this is a plain scalar (string, boolean or number) that needs no import.
    pub fn is_plain(&self) -> bool {
        matches!(
            self,
            TypeRef::String | TypeRef::Bool | TypeRef::I64 | TypeRef::I32 | TypeRef::F64
        )
    }
}

/// Spec text that becomes Rust string literal (a name on the wire, a URL, a JSON example).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lit(pub String);

/// A value written into a JSON document as serde_json writes it (compact, keys sorted), so
/// that spec text in it is escaped as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Json(pub Value);

/// Spec prose for rustdoc, written as `#[doc = "..."]` lines (escaped so that it stays prose).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc(pub String);

/// Spec prose for a crate's own rustdoc, written as `#![doc = "..."]` lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InnerDoc(pub String);

/// Spec prose for rustdoc as one Rust string literal (lines joined by `\n`), for macros that
/// take a doc string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLit(pub String);

/// A value of a type, written as a Rust expression in the generated tests.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueExpr {
    /// The type the expression must have.
    pub ty: TypeRef,
    /// The value.
    pub value: Value,
}

/// A type as code outside the crate writes it (the crate's tests and doc examples): runtime
/// types through the library name, generated types as they are (imported by a glob).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutsideType {
    /// The library name.
    pub lib: String,
    /// The type.
    pub ty: TypeRef,
}

/// The whole crate, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct CrateIr {
    /// API short name (`losant`).
    pub api: String,
    /// Package name (`losant-sdk`).
    pub package: String,
    /// Library name (`losant_sdk`).
    pub lib: String,
    /// Crate version.
    pub version: String,
    /// API title.
    pub title: String,
    /// The crate's documentation.
    pub description: InnerDoc,
    /// Vendor API version.
    pub api_version: String,
    /// The spec folder (`spec/losant`).
    pub source: String,
    /// Models in name-sorted order. Only `models.rs` reads them, from a context of its own
    /// (`templates::ModelsContext`), rendered beside the other crate-wide files.
    #[serde(skip)]
    pub models: Vec<Model>,
    /// The enums and string newtypes a parameter carries (through aliases and lists): each
    /// implements the runtime's `ParamValue`, which writes it into a query, a header or a path.
    pub param_types: Vec<String>,
    /// Example round-trip cases for the generated tests.
    pub examples: Vec<ExampleCase>,
    /// A `recursion_limit` for crates whose types nest deeper than rustc's default allows.
    pub recursion_limit: Option<usize>,
    /// Structs to probe with an unknown field.
    pub unknown_fields: Vec<FieldProbe>,
    /// Enums to probe with an unknown value.
    pub enums: Vec<ValueProbe>,
    /// One value per union alternative, each of which must read as that alternative.
    pub union_probes: Vec<UnionProbe>,
    /// Resource clients.
    pub resources: Vec<ResourceIr>,
    /// API-wide client facts.
    pub client: ClientIr,
    /// Cargo features: one per resource, and the models only some resources need.
    pub features: FeaturesIr,
    /// The webhooks the API sends, if the spec declares any.
    pub webhooks: Option<WebhooksIr>,
}

/// The webhooks of an API: the `webhooks` module of its crate.
#[derive(Debug, Clone, Serialize)]
pub struct WebhooksIr {
    /// What the vendor says about its webhooks (the module's documentation).
    pub doc: InnerDoc,
    /// The same text for a markdown page.
    pub description: String,
    /// `Field` (a body field) or `Header`: the runtime's `TopicAt` variant.
    pub topic_at: &'static str,
    /// The field's or header's name.
    pub topic_name: Lit,
    /// The same name as it is.
    pub topic_wire: String,
    /// The signature headers, in the order they are checked.
    pub signatures: Vec<SignatureIr>,
    /// The topics, in spec order.
    pub topics: Vec<TopicIr>,
}

/// A signature header of webhook deliveries.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureIr {
    /// The header name.
    pub header: Lit,
    /// The same name as it is.
    pub header_wire: String,
    /// The name as a markdown code span (for rustdoc and pages).
    pub header_code: String,
    /// The runtime's `Algorithm` variant (`HmacSha256`).
    pub algorithm: &'static str,
    /// The algorithm as people write it (`HMAC-SHA256`).
    pub algorithm_name: &'static str,
    /// What precedes the hex digits.
    pub prefix: Lit,
    /// How the value is written, in words (`in hex`, `in hex after `sha1=``), for docs.
    pub encoding_text: String,
}

/// One webhook topic: a variant of the event enum.
#[derive(Debug, Clone, Serialize)]
pub struct TopicIr {
    /// The topic as deliveries name it.
    pub name: Lit,
    /// The same name as it is.
    pub wire: String,
    /// The name as a markdown code span (for rustdoc and pages).
    pub code: String,
    /// The variant's name.
    pub variant: String,
    /// The variant's documentation.
    pub doc: Doc,
    /// The description as it is (for the markdown page).
    pub description: String,
    /// The payload type, written from inside the crate.
    pub ty: WebhookType,
    /// The payload type's name for the page (the model's name, or `serde_json::Value`).
    pub type_name: String,
    /// A delivery body of this topic for the generated tests (the smallest value of its
    /// schema, its topic field set), as JSON text in a Rust literal.
    pub sample: Lit,
}

/// A webhook payload's type, written with its full path (`crate::models::Name`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookType(pub TypeRef);

/// The crate's cargo features ([`crate::features`]).
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeaturesIr {
    /// The feature that turns every resource on (`default` lists it).
    pub all: String,
    /// The resources' features, in spec order.
    pub list: Vec<String>,
    /// Each resource's feature, by module name.
    pub resources: std::collections::BTreeMap<String, ResourceFeature>,
    /// The `cfg` of each model that only some resources need, by name; a model every build
    /// has is not listed.
    pub models: std::collections::BTreeMap<String, Cfg>,
    /// The resource features CI builds alone (see `features::checked_features`): a few chosen
    /// ones, not every one.
    pub checked: Vec<String>,
    /// The files of `src/models/`, each holding models of one `cfg` (see [`crate::features`]).
    pub modules: Vec<ModelModule>,
}

/// A file of `src/models/`: models that the same resources need, gated once, at the module's
/// declaration.
#[derive(Debug, Clone, Serialize)]
pub struct ModelModule {
    /// Module name (a Rust identifier; the file is `src/models/<name>.rs`).
    pub name: String,
    /// The module's gate: the features of the resources its models serve (none: every build).
    pub cfg: Cfg,
    /// What the module holds, for its docs.
    pub about: String,
    /// Whether its models hold models of other modules (it then imports them all).
    pub uses_others: bool,
    /// Its models, as indices into the crate's models, in their order.
    #[serde(skip)]
    pub models: Vec<usize>,
}

/// The cargo feature of a resource.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceFeature {
    /// Feature name.
    pub name: String,
    /// The `cfg` of the resource's module and accessor.
    pub cfg: Cfg,
}

/// A `#[cfg]` attribute: the item is compiled when any of these features is on (always when
/// there are none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cfg(pub Vec<String>);

/// One generated type.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Model {
    /// A struct; unknown fields are kept in its `extra` map.
    Struct {
        /// Type name.
        name: String,
        /// Documentation.
        doc: Doc,
        /// Fields.
        fields: Vec<FieldIr>,
        /// Whether users build values of it: a request body or parameter reaches it. Such a
        /// struct has a constructor of its required fields and a chained setter per optional
        /// one; a struct users only read (an answer's) has neither (see `lower::mark_built`).
        built: bool,
    },
    /// An open enum of string values.
    Enum {
        /// Type name.
        name: String,
        /// Documentation.
        doc: Doc,
        /// Variants.
        variants: Vec<VariantIr>,
    },
    /// A string newtype with one constant per known value.
    StringConsts {
        /// Type name.
        name: String,
        /// Documentation.
        doc: Doc,
        /// Constants.
        variants: Vec<VariantIr>,
    },
    /// An untagged union of alternatives, with a raw catch-all.
    Union {
        /// Type name.
        name: String,
        /// Documentation.
        doc: Doc,
        /// Alternatives.
        variants: Vec<UnionVariant>,
    },
    /// A type alias (arrays at top level, plain values).
    Alias {
        /// Type name.
        name: String,
        /// Documentation.
        doc: Doc,
        /// Target type.
        target: TypeRef,
    },
}

impl Model {
    /// The type's name.
    pub fn name(&self) -> &str {
        match self {
            Model::Struct { name, .. }
            | Model::Enum { name, .. }
            | Model::StringConsts { name, .. }
            | Model::Union { name, .. }
            | Model::Alias { name, .. } => name,
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, Serialize)]
pub struct FieldIr {
    /// Rust name (raw if a keyword).
    pub name: String,
    /// Full Rust type.
    pub ty: TypeRef,
    /// The field's name on the wire.
    pub wire: Lit,
    /// Documentation.
    pub doc: Doc,
    /// How the struct's `Serialize` and `Deserialize` read and write it.
    pub serde: FieldSerde,
    /// Whether the field must be set: the model's constructor takes it.
    pub required: bool,
    /// The chained setter of an optional field (a required one is set by the constructor).
    pub setter: Option<SetterIr>,
}

/// The chained setter of an optional field: `fn name(self, value: impl Into<ty>) -> Self`.
#[derive(Debug, Clone, Serialize)]
pub struct SetterIr {
    /// Method name (the field's, unless that would shadow a method every model has).
    pub name: String,
    /// The type the setter takes (the field's type inside its `Option`).
    pub ty: TypeRef,
}

/// How a struct's `Serialize` and `Deserialize` (written out by the template, through the
/// runtime's `support::Fields` and `support::FieldsOut`) read and write a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldSerde {
    /// The field may be absent: absent (or `null`) reads as `None`, and `None` is not written.
    pub optional: bool,
    /// The field may be absent or null, and the two stay apart (`Some(Nullable::Null)` for
    /// `null`). Implies `optional`.
    pub keeps_null: bool,
}

impl FieldSerde {
    /// The `support::Fields` method that reads the field.
    pub fn read_method(&self) -> &'static str {
        match (self.optional, self.keeps_null) {
            (_, true) => "present",
            (true, false) => "optional",
            (false, false) => "required",
        }
    }
}

/// An enum variant or a constant.
#[derive(Debug, Clone, Serialize)]
pub struct VariantIr {
    /// Rust name.
    pub name: String,
    /// Wire value.
    pub wire: Lit,
    /// Documentation.
    pub doc: Doc,
}

/// The kind of JSON value a union alternative reads, as the model's deserializer tests it
/// (serialized lower case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    Array,
    /// An object.
    Object,
    /// Any value (`null`, or the raw catch-all).
    Any,
}

/// A union alternative.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// Variant name.
    pub name: String,
    /// Payload type.
    pub ty: TypeRef,
    /// Documentation.
    pub doc: Doc,
    /// The JSON kind it reads.
    pub kind: ValueKind,
    /// For an object: the discriminating property and the values that choose this alternative.
    pub tag: Option<TagIr>,
    /// For an object without a discriminating property: the properties it requires, which a
    /// value must have to be read as it (a required property that may be `null` is an `Option`
    /// and would otherwise read its absence).
    pub required: Vec<Lit>,
    /// The alternative's schema, from which the generated tests take a value of it.
    #[serde(skip)]
    pub schema: serde_json::Value,
    /// The earlier variant (its index) that reads the same values where no shape tells the two
    /// apart: a value both read becomes that one.
    #[serde(skip)]
    pub overlaps: Option<usize>,
}

/// The property whose value tells a union's object alternatives apart.
#[derive(Debug, Clone, Serialize)]
pub struct TagIr {
    /// Its wire name.
    pub field: Lit,
    /// The values that choose the alternative.
    pub values: Vec<Lit>,
}

/// One example to round-trip in the generated tests.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleCase {
    /// Test function name.
    pub test: String,
    /// The example's type.
    pub ty: OutsideType,
    /// JSON text.
    pub json: Lit,
    /// Where the example is in the spec.
    pub origin: Lit,
    /// Secret values inside the example that `Debug` must not show.
    pub secrets: Vec<Lit>,
}

/// A struct to probe with a field it does not know.
#[derive(Debug, Clone, Serialize)]
pub struct FieldProbe {
    /// Test function name.
    pub test: String,
    /// The struct.
    pub ty: String,
    /// A JSON object of the type.
    pub json: Lit,
}

/// An enum to probe with a value it does not know.
#[derive(Debug, Clone, Serialize)]
pub struct ValueProbe {
    /// Test function name.
    pub test: String,
    /// The enum.
    pub ty: String,
}

/// A value of one union alternative, which must read as that alternative.
#[derive(Debug, Clone, Serialize)]
pub struct UnionProbe {
    /// Test function name.
    pub test: String,
    /// The union.
    pub ty: String,
    /// The alternative's variant.
    pub variant: String,
    /// The value, as JSON.
    pub json: Lit,
}

/// How a request carries the API's token (`crate::api::AUTH`).
#[derive(Debug, Clone, Serialize)]
pub struct AuthIr {
    /// `true`: the query parameter `name`; `false`: the header `name`, after `prefix`.
    pub query: bool,
    /// The header's or query parameter's name.
    pub name: Lit,
    /// What precedes the token in the header: empty, or the prefix and a space (`"Bearer "`).
    pub prefix: Lit,
    /// HTTP basic (`Authorization: Basic`): the builder also gets `basic_auth(user, password)`
    /// and the crate depends on `base64`.
    pub basic: bool,
    /// What the token is, in the vendor's words.
    pub doc: Doc,
}

/// API-wide client facts.
#[derive(Debug, Clone, Serialize)]
pub struct ClientIr {
    /// Servers.
    pub servers: Vec<ServerIr>,
    /// The default server's variant.
    pub default_server: String,
    /// How a request carries the token.
    pub auth: AuthIr,
    /// Headers sent with every request: (name, value).
    pub headers: Vec<(Lit, Lit)>,
    /// The API-wide parameters kept in the runtime's shared `Globals` (empty if they are not
    /// shared; see `client_ir::share_globals`).
    pub globals: Vec<ParamIr>,
    /// The response header that carries the request id, if the spec names one.
    pub request_id_header: Option<Lit>,
    /// The documented error bodies, one per status whose every documented body is the same
    /// named schema (see `client_ir::error_bodies`).
    pub error_bodies: Vec<ErrorBodyIr>,
    /// Whether some type of the crate is a UUID: the crate then depends on `uuid` (and
    /// re-exports it); see `client_ir::uses_uuid`.
    pub uuid: bool,
    /// The package metadata of the crate's manifest.
    pub package: PackageIr,
    /// The optional parts of the runtime the crate's actions need.
    pub runtime: RuntimeIr,
}

/// The optional parts of the runtime, each copied into a crate (with the dependencies and
/// features it needs) only where the spec has an action that needs it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuntimeIr {
    /// An action with several success statuses (`outcome.rs`).
    pub outcomes: bool,
    /// An action that answers a file (`download.rs`).
    pub downloads: bool,
    /// An action that sends a form (`upload.rs`).
    pub uploads: bool,
    /// An action that answers a stream of server-sent events (`events.rs`).
    pub events: bool,
}

/// The crate's package metadata (`api.yaml` `crate`, with defaults filled in).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PackageIr {
    /// One-line description.
    pub description: String,
    /// SPDX license expression.
    pub license: String,
    /// Source repository URL, if the spec names one.
    pub repository: Option<String>,
    /// Documentation URL.
    pub documentation: String,
    /// crates.io keywords.
    pub keywords: Vec<String>,
    /// crates.io category slugs.
    pub categories: Vec<String>,
    /// Whether the crate may be published.
    pub publish: bool,
}

/// The documented body of an error status.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorBodyIr {
    /// HTTP status.
    pub status: u16,
    /// The model of the body.
    pub model: String,
    /// The variant's documentation (the status and the vendor's description).
    pub doc: Doc,
}

/// A server.
#[derive(Debug, Clone, Serialize)]
pub struct ServerIr {
    /// Enum variant.
    pub variant: String,
    /// URL.
    pub url: Lit,
    /// Documentation.
    pub doc: Doc,
    /// Display name.
    pub name: Lit,
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
    /// Documentation of the accessor on `Client`.
    pub accessor_doc: Doc,
    /// Documentation of the handle.
    pub doc: Doc,
    /// Actions.
    pub actions: Vec<ActionIr>,
    /// Whether the module names a model (and so imports `crate::models`).
    pub uses_models: bool,
    /// Whether an action of it has a `stream` (and so the module imports `first_page`).
    pub streams: bool,
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
    /// Request type: an alias of the runtime's `Request` of `params`.
    pub request: String,
    /// The action's parameters type (what its request holds).
    pub params: String,
    /// `resource.action` as the spec spells them, for the request's tracing span.
    pub trace_name: Lit,
    /// The full path template with `{name}` placeholders, for the tracing span (it holds no
    /// parameter value).
    pub template: Lit,
    /// Documentation.
    pub doc: Doc,
    /// HTTP method (serialized upper case, as `reqwest::Method`'s constants are named).
    pub method: crate::spec::Method,
    /// The full path template (base path, resource path, action path).
    pub path: PathTemplate,
    /// What the action's `Action::call` builds (the expression, as templates see it).
    pub call: CallIr,
    /// Required parameters (arguments of the method).
    pub required: Vec<ParamIr>,
    /// Optional parameters (builder methods).
    pub optional: Vec<ParamIr>,
    /// The body, if any.
    pub body: Option<BodyIr>,
    /// The success answer's type, if it has a body (the first documented status's, for an
    /// action with several).
    pub response: Option<TypeRef>,
    /// For an action with several documented success statuses: the enum of its outcomes, which
    /// its request returns in place of `response`.
    pub outcomes: Option<OutcomesIr>,
    /// For an action that answers a file: its media type. Its request returns the runtime's
    /// `Download`, which reads the body as it arrives.
    pub download: Option<Lit>,
    /// For an action that answers a stream of server-sent events: the type of each event's
    /// data. Its request returns the runtime's `Events` of it.
    pub events: Option<TypeRef>,
    /// Pagination, if any.
    pub page: Option<PageIr>,
    /// Pagination by link, if any.
    pub links: Option<LinksIr>,
    /// Test data.
    pub test: ActionTest,
    /// The action as the test server answers it (`src/routes.json`): its name, method, full
    /// path template, documented success status and example answer.
    pub route: Json,
    /// A plain snake-case word for test names.
    pub test_id: String,
}

impl ActionIr {
    /// The types the action's answers decode to: its response, or each of its outcomes'.
    pub fn answer_types(&self) -> Vec<&TypeRef> {
        match &self.outcomes {
            Some(o) => o.variants.iter().filter_map(|v| v.ty.as_ref()).collect(),
            None => self.response.iter().chain(&self.events).collect(),
        }
    }
}

/// The enum of an action's outcomes, one variant per documented success status (and one for
/// any other success status), decided by the answer's status.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomesIr {
    /// The enum's name (`<Resource><Action>Outcome`).
    pub name: String,
    /// Its variants, in the spec's order.
    pub variants: Vec<OutcomeIr>,
}

/// One documented success status of an action with several.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeIr {
    /// The variant, named after the status (`Accepted`).
    pub name: String,
    /// The status.
    pub status: u16,
    /// What its body decodes to; `None` for a status documented without a body.
    pub ty: Option<TypeRef>,
    /// Documentation: the status and its description.
    pub doc: Doc,
}

/// What an action's `Action::call` builds: the runtime's `Call` of the method, the span's
/// names and the path template with the fields that fill its placeholders, then each query or
/// header parameter of the action's own and the body. [`crate::rust`] writes it as one
/// expression.
#[derive(Debug, Clone)]
pub struct CallIr {
    /// HTTP method.
    pub method: crate::spec::Method,
    /// `resource.action`, for the request's tracing span.
    pub trace_name: Lit,
    /// The full path template, for the tracing span.
    pub template: Lit,
    /// The fields of the path parameters, in the template's order.
    pub path_fields: Vec<String>,
    /// The query and header parameters of the action's own (shared ones are added by the
    /// runtime with the globals), in declaration order: required ones first.
    pub adds: Vec<CallAdd>,
    /// Whether a JSON body is sent.
    pub body: bool,
    /// The media type asked for in place of JSON (an action that answers a file).
    pub accept: Option<Lit>,
}

/// A query or header parameter that an action's call adds.
#[derive(Debug, Clone)]
pub struct CallAdd {
    /// Where it goes.
    pub to: AddTo,
    /// Wire name.
    pub wire: Lit,
    /// The field of the action's parameters that holds it.
    pub field: String,
    /// Whether the field always holds a value (a required parameter).
    pub required: bool,
    /// Sent when the caller sets nothing.
    pub always: Option<Lit>,
    /// How a query parameter's value is written.
    pub style: crate::spec::QueryStyle,
}

/// Where a parameter is added to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddTo {
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A part of the form, as its text.
    Part,
    /// A part of the form, as JSON text (a value without a text form: an object).
    JsonPart,
    /// A file part of the form.
    FilePart,
}

/// A parameter.
#[derive(Debug, Clone, Serialize)]
pub struct ParamIr {
    /// Field / argument name.
    pub field: String,
    /// Wire name.
    pub wire: Lit,
    /// Where it goes.
    pub location: ParamIn,
    /// For a part: whether it goes out as JSON text (a value without a text form).
    #[serde(skip)]
    pub json_part: bool,
    /// For a query parameter: how its value is written.
    #[serde(skip)]
    pub style: crate::spec::QueryStyle,
    /// Stored type.
    pub store_ty: TypeRef,
    /// Whether the argument takes `impl Into<store_ty>`.
    pub into: bool,
    /// Documentation.
    pub doc: Doc,
    /// The same documentation as one Rust string literal.
    pub doc_text: DocLit,
    /// Whether this is an API-wide parameter (one every action accepts).
    pub global: bool,
    /// Whether this API-wide parameter lives in the shared `Globals` of the runtime rather
    /// than in a field of its own (see `client_ir::share_globals`).
    pub shared: bool,
    /// Sent when the caller sets nothing (API-wide parameters with a default).
    pub always: Option<Lit>,
    /// The example value (for tests), if the spec has one.
    pub example_expr: Option<ValueExpr>,
    /// The example as it goes on the wire, if any.
    pub example_wire: Option<Lit>,
    /// The example percent-encoded as a path segment, if any.
    pub example_segment: Option<Lit>,
    /// The texts the runtime writes for the example (one per item of a list; none without
    /// an example): the generated tests expect one query pair per text.
    #[serde(skip)]
    pub example_texts: Vec<String>,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub struct BodyIr {
    /// Type.
    pub ty: TypeRef,
    /// Whether it is an argument (required) or a builder method.
    pub required: bool,
    /// Documentation.
    pub doc: Doc,
    /// Example JSON for tests and doc examples.
    pub example: Option<Lit>,
}

/// Pagination by link: the answer's items and the link to the next page.
#[derive(Debug, Clone, Serialize)]
pub struct LinksIr {
    /// Response field with the items.
    pub items: String,
    /// Whether the items field is optional in the response.
    pub items_optional: bool,
    /// Response field with the next page's link.
    pub next: String,
    /// Item type.
    pub item_ty: TypeRef,
    /// Wire names of the items and next fields.
    pub items_wire: Lit,
    /// See `items_wire`.
    pub next_wire: Lit,
}

/// Pagination facts.
#[derive(Debug, Clone, Serialize)]
pub struct PageIr {
    /// Response field with the items.
    pub items: String,
    /// Response field with the total count.
    pub total: String,
    /// Item type.
    pub item_ty: TypeRef,
    /// `page` parameter field.
    pub page_field: String,
    /// `perPage` parameter field.
    pub per_page_field: String,
    /// The `page` parameter's stored type (a number the stream converts its page count to,
    /// unless `string_pages`).
    pub page_ty: TypeRef,
    /// Whether `page` is a required parameter (an argument: where the stream starts).
    pub page_required: bool,
    /// Whether `perPage` is a required parameter (an argument rather than a setter).
    pub per_page_required: bool,
    /// Whether the `page` parameter takes strings.
    pub string_pages: bool,
    /// Whether the `perPage` parameter takes strings.
    pub string_per_page: bool,
    /// Whether the items field is optional in the response.
    pub items_optional: bool,
    /// Whether the total field is optional in the response.
    pub total_optional: bool,
    /// The first page number (the `page` default, else 0).
    pub first_page: u64,
    /// Wire names of the items and total fields and the page parameters.
    pub items_wire: Lit,
    /// See `items_wire`.
    pub total_wire: Lit,
    /// See `items_wire`.
    pub page_wire: Lit,
    /// See `items_wire`.
    pub per_page_wire: Lit,
}

/// What the generated test of an action sends and expects.
#[derive(Debug, Clone, Serialize)]
pub struct ActionTest {
    /// The exact request path expected.
    pub path: Lit,
    /// Expected query pairs.
    pub query: Vec<(Lit, Lit)>,
    /// Success status.
    pub status: u16,
    /// Success body example (JSON), if any.
    pub response: Option<Lit>,
    /// The other documented success statuses of an action with several, each with its
    /// outcome's variant and its answer (JSON) if it has a body.
    pub outcomes: Vec<(u16, String, Option<Lit>)>,
    /// Documented errors.
    pub errors: Vec<ErrorCase>,
}

/// A documented error for the tests.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorCase {
    /// Status.
    pub status: u16,
    /// `ErrorKind` variant.
    pub kind: &'static str,
    /// Body JSON.
    pub body: Lit,
    /// Message the error must carry, if the body has one.
    pub message: Option<Lit>,
}
