//! A hand-written sample of a resource module as `templates/rust/resources/resource.rs.tera`
//! generates it (with the models it uses, which a generated crate keeps in `models`): it uses
//! the runtime exactly as generated code does.

#[allow(unused_imports)]
use crate::client::{Call, first_page};

/// Whether a thing is in use.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Status {
    /// The value `active`.
    Active,
    /// The value `disabled`.
    Disabled,
    /// A value this version of the SDK does not know.
    Unknown(crate::UnknownValue),
}

impl Status {
    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Disabled => "disabled",
            Self::Unknown(value) => value.as_str(),
        }
    }
}

impl From<&str> for Status {
    fn from(value: &str) -> Self {
        match value {
            "active" => Self::Active,
            "disabled" => Self::Disabled,
            other => Self::Unknown(crate::UnknownValue::new(other)),
        }
    }
}

impl crate::client::ParamValue for Status {
    fn texts(&self) -> Vec<String> {
        vec![self.as_str().to_owned()]
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Status {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::support::enum_value(deserializer)
    }
}

/// A thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Thing {
    /// The `id` field.
    pub id: Option<String>,
    /// The `name` field.
    pub name: String,
    /// The `status` field.
    pub status: Option<Status>,
    /// The `note` field: absent, `null` or a text.
    pub note: Option<crate::Nullable<String>>,
    /// The `key` field. Secret: `Debug` prints a placeholder; call `expose()` to read it.
    pub key: Option<crate::Secret>,
    /// The `created` field.
    pub created: Option<crate::EpochSeconds>,
    /// Fields unknown to this SDK version.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

// Written out as the models template writes every model's serde.
impl<'de> serde::Deserialize<'de> for Thing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = crate::support::Fields::deserialize(deserializer)?;
        Ok(Self {
            id: fields.optional("id")?,
            name: fields.required("name")?,
            status: fields.optional("status")?,
            note: fields.present("note")?,
            key: fields.optional("key")?,
            created: fields.optional("created")?,
            extra: fields.rest(),
        })
    }
}

impl serde::Serialize for Thing {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = crate::support::FieldsOut::new(serializer)?;
        fields.optional("id", &self.id)?;
        fields.required("name", &self.name)?;
        fields.optional("status", &self.status)?;
        fields.optional("note", &self.note)?;
        fields.optional("key", &self.key)?;
        fields.optional("created", &self.created)?;
        fields.end(&self.extra)
    }
}

/// A page of things.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Things {
    /// The `items` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Thing>>,
    /// The `count` field.
    pub count: i64,
}

/// Things: get, list, create and delete them.
///
/// It holds a clone of the [`Client`](crate::Client) (one `Arc`), as does every request it makes.
#[derive(Debug, Clone)]
pub struct ThingsResource {
    pub(crate) client: crate::Client,
}

impl crate::Client {
    /// Things.
    pub fn things(&self) -> ThingsResource {
        ThingsResource {
            client: self.clone(),
        }
    }
}

impl ThingsResource {
    /// Returns a thing.
    pub fn get(&self, thing_id: impl Into<String>) -> ThingsGetRequest {
        self.client.request(ThingsGetParams {
            thing_id: thing_id.into(),
        })
    }

    /// Returns a page of things.
    pub fn list(&self) -> ThingsListRequest {
        self.client.request(ThingsListParams {
            page: None,
            per_page: None,
        })
    }

    /// Creates a thing.
    pub fn create(&self, body: Thing) -> ThingsCreateRequest {
        self.client.request(ThingsCreateParams { body: Some(body) })
    }

    /// Deletes a thing.
    pub fn delete(&self, thing_id: impl Into<String>) -> ThingsDeleteRequest {
        self.client.request(ThingsDeleteParams {
            thing_id: thing_id.into(),
        })
    }
}

/// The request of [`ThingsResource::get`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type ThingsGetRequest = crate::Request<ThingsGetParams>;

/// The parameters of [`ThingsResource::get`], held by its request ([`ThingsGetRequest`]).
#[derive(Debug, Clone)]
pub struct ThingsGetParams {
    thing_id: String,
}

impl crate::Action for ThingsGetParams {
    type Output = Thing;

    fn call(&self) -> crate::Result<Call> {
        Call::new(
            reqwest::Method::GET,
            "things.get",
            "/things/{thingId}",
            &[&self.thing_id],
        )
    }
}

/// The request of [`ThingsResource::list`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type ThingsListRequest = crate::Request<ThingsListParams>;

/// The parameters of [`ThingsResource::list`], held by its request ([`ThingsListRequest`]).
#[derive(Debug, Clone)]
pub struct ThingsListParams {
    page: Option<i64>,
    per_page: Option<i64>,
}

impl crate::Action for ThingsListParams {
    type Output = Things;

    fn call(&self) -> crate::Result<Call> {
        Ok(
            Call::new(reqwest::Method::GET, "things.list", "/things", &[])?
                .query("page", self.page.as_ref())
                .query("perPage", self.per_page.as_ref()),
        )
    }
}

impl ThingsListRequest {
    /// Which page to return
    ///
    /// Default: `1`.
    pub fn page(mut self, value: impl Into<i64>) -> Self {
        self.params.page = Some(value.into());
        self
    }

    /// How many things a page holds.
    pub fn per_page(mut self, value: impl Into<i64>) -> Self {
        self.params.per_page = Some(value.into());
        self
    }

    /// Every item across all pages, requested page by page (starting at the page set on this
    /// request, else page 1) until the server's `count` is reached or a page comes back
    /// empty. An error ends the stream after it is yielded. The stream owns the request: it is
    /// `'static`, `Send` and `Unpin`.
    pub fn stream(self) -> crate::Pages<Thing> {
        let first = first_page(self.params.page.as_ref(), 1);
        self.pages(
            first,
            |params, page| params.page = Some(page as i64),
            |answer| (answer.items.unwrap_or_default(), answer.count.into()),
        )
    }
}

/// The request of [`ThingsResource::create`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type ThingsCreateRequest = crate::Request<ThingsCreateParams>;

/// The parameters of [`ThingsResource::create`], held by its request ([`ThingsCreateRequest`]).
#[derive(Debug, Clone)]
pub struct ThingsCreateParams {
    body: Option<Thing>,
}

impl crate::Action for ThingsCreateParams {
    type Output = Thing;

    fn call(&self) -> crate::Result<Call> {
        Call::new(reqwest::Method::POST, "things.create", "/things", &[])?.json(self.body.as_ref())
    }
}

/// The request of [`ThingsResource::delete`]: set optional parameters, then `send` it
/// (see [`Request`](crate::Request)).
pub type ThingsDeleteRequest = crate::Request<ThingsDeleteParams>;

/// The parameters of [`ThingsResource::delete`], held by its request ([`ThingsDeleteRequest`]).
#[derive(Debug, Clone)]
pub struct ThingsDeleteParams {
    thing_id: String,
}

impl crate::Action for ThingsDeleteParams {
    type Output = ();
    const BODYLESS: bool = true;

    fn call(&self) -> crate::Result<Call> {
        Call::new(
            reqwest::Method::DELETE,
            "things.delete",
            "/things/{thingId}",
            &[&self.thing_id],
        )
    }
}
