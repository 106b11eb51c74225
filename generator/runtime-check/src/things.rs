//! A hand-written sample of a resource module as `templates/rust/resources/resource.rs.tera`
//! generates it (with the models it uses, which a generated crate keeps in `models`): it uses
//! the runtime exactly as generated code does.

#[allow(unused_imports)]
use crate::client::{first_page, paginate, segment, send, setter, Call};

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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thing {
    /// The `id` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The `name` field.
    pub name: String,
    /// The `status` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The `note` field: absent, `null` or a text.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::support::present"
    )]
    pub note: Option<crate::Nullable<String>>,
    /// The `key` field. Secret: `Debug` prints a placeholder; call `expose()` to read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<crate::Secret>,
    /// The `created` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<crate::EpochSeconds>,
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
#[derive(Debug, Clone, Copy)]
pub struct ThingsResource<'a> {
    pub(crate) client: &'a crate::Client,
}

impl crate::Client {
    /// Things.
    pub fn things(&self) -> ThingsResource<'_> {
        ThingsResource { client: self }
    }
}

impl<'a> ThingsResource<'a> {
    /// Returns a thing.
    pub fn get(&self, thing_id: impl Into<String>) -> GetRequest<'a> {
        GetRequest {
            client: self.client,
            thing_id: thing_id.into(),
            globals: crate::api::Globals::default(),
        }
    }

    /// Returns a page of things.
    pub fn list(&self) -> ListRequest<'a> {
        ListRequest {
            client: self.client,
            page: None,
            per_page: None,
            globals: crate::api::Globals::default(),
        }
    }

    /// Creates a thing.
    pub fn create(&self, body: Thing) -> CreateRequest<'a> {
        CreateRequest {
            client: self.client,
            globals: crate::api::Globals::default(),
            body: Some(body),
        }
    }

    /// Deletes a thing.
    pub fn delete(&self, thing_id: impl Into<String>) -> DeleteRequest<'a> {
        DeleteRequest {
            client: self.client,
            thing_id: thing_id.into(),
            globals: crate::api::Globals::default(),
        }
    }
}

/// The request of [`ThingsResource::get`]: set optional parameters, then `send` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct GetRequest<'a> {
    client: &'a crate::Client,
    thing_id: String,
    globals: crate::api::Globals,
}

impl<'a> GetRequest<'a> {
    crate::api::global_setters!();

    fn call(&self) -> crate::Result<Call> {
        let path = format!("/things/{}", segment("thingId", &self.thing_id)?);
        Ok(Call::new(reqwest::Method::GET, path).globals(&self.globals))
    }

    send!(Thing, decode);
}

/// The request of [`ThingsResource::list`]: set optional parameters, then `send` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ListRequest<'a> {
    client: &'a crate::Client,
    page: Option<i64>,
    per_page: Option<i64>,
    globals: crate::api::Globals,
}

impl<'a> ListRequest<'a> {
    setter! { " Which page to return\n \n Default: `1`.", page, i64 }
    setter! { " How many things a page holds.", per_page, i64 }
    crate::api::global_setters!();

    fn call(&self) -> crate::Result<Call> {
        let path = String::from("/things");
        Ok(Call::new(reqwest::Method::GET, path)
            .query("page", self.page.as_ref())
            .query("perPage", self.per_page.as_ref())
            .globals(&self.globals))
    }

    send!(Things, decode);

    /// Every item across all pages, requested page by page (starting at the page set on this
    /// request, else page 1) until the server's `count` is reached or a page comes back
    /// empty. An error ends the stream after it is yielded.
    pub fn stream(self) -> impl futures_core::Stream<Item = crate::Result<Thing>> + 'a {
        let first = first_page(self.page.as_ref(), 1);
        paginate(first, move |page| {
            let mut next = self.clone();
            next.page = Some(page as i64);
            async move {
                let answer = next.send().await?;
                Ok((answer.items.unwrap_or_default(), answer.count.into()))
            }
        })
    }
}

/// The request of [`ThingsResource::create`]: set optional parameters, then `send` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct CreateRequest<'a> {
    client: &'a crate::Client,
    globals: crate::api::Globals,
    body: Option<Thing>,
}

impl<'a> CreateRequest<'a> {
    crate::api::global_setters!();

    fn call(&self) -> crate::Result<Call> {
        let path = String::from("/things");
        Call::new(reqwest::Method::POST, path)
            .globals(&self.globals)
            .json(self.body.as_ref())
    }

    send!(Thing, decode);
}

/// The request of [`ThingsResource::delete`]: set optional parameters, then `send` it.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct DeleteRequest<'a> {
    client: &'a crate::Client,
    thing_id: String,
    globals: crate::api::Globals,
}

impl<'a> DeleteRequest<'a> {
    crate::api::global_setters!();

    fn call(&self) -> crate::Result<Call> {
        let path = format!("/things/{}", segment("thingId", &self.thing_id)?);
        Ok(Call::new(reqwest::Method::DELETE, path).globals(&self.globals))
    }

    send!((), no_body);
}
