//! A hand-written sample of a resource module as `templates/rust/resources/resource.rs.tera`
//! generates it (with the models it uses, which a generated crate keeps in `models`): it uses
//! the runtime exactly as generated code does.

#[allow(unused_imports)]
use crate::client::{decode, first_page, no_body, paginate, segment, Call, Overrides};

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
        ThingsGetRequest {
            client: self.client.clone(),
            thing_id: thing_id.into(),
            globals: crate::api::Globals::default(),
            options: Overrides::default(),
        }
    }

    /// Returns a page of things.
    pub fn list(&self) -> ThingsListRequest {
        ThingsListRequest {
            client: self.client.clone(),
            page: None,
            per_page: None,
            globals: crate::api::Globals::default(),
            options: Overrides::default(),
        }
    }

    /// Creates a thing.
    pub fn create(&self, body: Thing) -> ThingsCreateRequest {
        ThingsCreateRequest {
            client: self.client.clone(),
            globals: crate::api::Globals::default(),
            body: Some(body),
            options: Overrides::default(),
        }
    }

    /// Deletes a thing.
    pub fn delete(&self, thing_id: impl Into<String>) -> ThingsDeleteRequest {
        ThingsDeleteRequest {
            client: self.client.clone(),
            thing_id: thing_id.into(),
            globals: crate::api::Globals::default(),
            options: Overrides::default(),
        }
    }
}

/// The request of [`ThingsResource::get`]: set optional parameters, then `send` it.
///
/// It owns its client and parameters: it is `'static` and `Send`, and `send` may be moved into
/// `tokio::spawn`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ThingsGetRequest {
    client: crate::Client,
    thing_id: String,
    globals: crate::api::Globals,
    options: Overrides,
}

impl ThingsGetRequest {
    /// The domain the request is scoped to.
    pub fn domain(mut self, value: impl Into<String>) -> Self {
        self.globals.domain = Some(value.into());
        self
    }

    /// Whether the answer links related resources.
    ///
    /// Default: `true`.
    pub fn links(mut self, value: impl Into<bool>) -> Self {
        self.globals.links = Some(value.into());
        self
    }

    /// Time allowed for each attempt of this request, in place of the client's `timeout`.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The retry policy of this request, in place of the client's.
    pub fn retry_policy(mut self, retry: crate::RetryPolicy) -> Self {
        self.options.retry = Some(retry);
        self
    }

    /// The longest this request may take in all, attempts and waits included, in place of the
    /// client's `deadline`.
    pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends `name: value` with this request, in place of any header of that name the client
    /// would send (a documented default header or a header parameter included).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> crate::Result<Thing> {
        self.send_with_response()
            .await
            .map(|response| response.data)
    }

    /// Sends the request and returns the answer with its status and headers.
    pub async fn send_with_response(self) -> crate::Result<crate::ApiResponse<Thing>> {
        let raw = self.client.execute(self.call()?, &self.options).await?;
        decode(raw)
    }

    fn call(&self) -> crate::Result<Call> {
        let path = format!("/things/{}", segment("thingId", &self.thing_id)?);
        Ok(Call::new(
            reqwest::Method::GET,
            "things.get",
            "/things/{thingId}",
            path,
        )
        .globals(&self.globals))
    }
}

/// The request of [`ThingsResource::list`]: set optional parameters, then `send` it.
///
/// It owns its client and parameters: it is `'static` and `Send`, and `send` may be moved into
/// `tokio::spawn`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ThingsListRequest {
    client: crate::Client,
    page: Option<i64>,
    per_page: Option<i64>,
    globals: crate::api::Globals,
    options: Overrides,
}

impl ThingsListRequest {
    /// Which page to return
    ///
    /// Default: `1`.
    pub fn page(mut self, value: impl Into<i64>) -> Self {
        self.page = Some(value.into());
        self
    }

    /// How many things a page holds.
    pub fn per_page(mut self, value: impl Into<i64>) -> Self {
        self.per_page = Some(value.into());
        self
    }

    /// The domain the request is scoped to.
    pub fn domain(mut self, value: impl Into<String>) -> Self {
        self.globals.domain = Some(value.into());
        self
    }

    /// Whether the answer links related resources.
    ///
    /// Default: `true`.
    pub fn links(mut self, value: impl Into<bool>) -> Self {
        self.globals.links = Some(value.into());
        self
    }

    /// Time allowed for each attempt of this request, in place of the client's `timeout`.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The retry policy of this request, in place of the client's.
    pub fn retry_policy(mut self, retry: crate::RetryPolicy) -> Self {
        self.options.retry = Some(retry);
        self
    }

    /// The longest this request may take in all, attempts and waits included, in place of the
    /// client's `deadline`.
    pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends `name: value` with this request, in place of any header of that name the client
    /// would send (a documented default header or a header parameter included).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> crate::Result<Things> {
        self.send_with_response()
            .await
            .map(|response| response.data)
    }

    /// Sends the request and returns the answer with its status and headers.
    pub async fn send_with_response(self) -> crate::Result<crate::ApiResponse<Things>> {
        let raw = self.client.execute(self.call()?, &self.options).await?;
        decode(raw)
    }

    fn call(&self) -> crate::Result<Call> {
        let path = String::from("/things");
        Ok(
            Call::new(reqwest::Method::GET, "things.list", "/things", path)
                .query("page", self.page.as_ref())
                .query("perPage", self.per_page.as_ref())
                .globals(&self.globals),
        )
    }

    /// Every item across all pages, requested page by page (starting at the page set on this
    /// request, else page 1) until the server's `count` is reached or a page comes back
    /// empty. An error ends the stream after it is yielded. The stream owns the request: it is
    /// `'static`, `Send` and `Unpin`.
    pub fn stream(self) -> crate::Pages<Thing> {
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
///
/// It owns its client and parameters: it is `'static` and `Send`, and `send` may be moved into
/// `tokio::spawn`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ThingsCreateRequest {
    client: crate::Client,
    globals: crate::api::Globals,
    body: Option<Thing>,
    options: Overrides,
}

impl ThingsCreateRequest {
    /// The domain the request is scoped to.
    pub fn domain(mut self, value: impl Into<String>) -> Self {
        self.globals.domain = Some(value.into());
        self
    }

    /// Whether the answer links related resources.
    ///
    /// Default: `true`.
    pub fn links(mut self, value: impl Into<bool>) -> Self {
        self.globals.links = Some(value.into());
        self
    }

    /// Time allowed for each attempt of this request, in place of the client's `timeout`.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The retry policy of this request, in place of the client's.
    pub fn retry_policy(mut self, retry: crate::RetryPolicy) -> Self {
        self.options.retry = Some(retry);
        self
    }

    /// The longest this request may take in all, attempts and waits included, in place of the
    /// client's `deadline`.
    pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends `name: value` with this request, in place of any header of that name the client
    /// would send (a documented default header or a header parameter included).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> crate::Result<Thing> {
        self.send_with_response()
            .await
            .map(|response| response.data)
    }

    /// Sends the request and returns the answer with its status and headers.
    pub async fn send_with_response(self) -> crate::Result<crate::ApiResponse<Thing>> {
        let raw = self.client.execute(self.call()?, &self.options).await?;
        decode(raw)
    }

    fn call(&self) -> crate::Result<Call> {
        let path = String::from("/things");
        Call::new(reqwest::Method::POST, "things.create", "/things", path)
            .globals(&self.globals)
            .json(self.body.as_ref())
    }
}

/// The request of [`ThingsResource::delete`]: set optional parameters, then `send` it.
///
/// It owns its client and parameters: it is `'static` and `Send`, and `send` may be moved into
/// `tokio::spawn`.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `send` is awaited"]
pub struct ThingsDeleteRequest {
    client: crate::Client,
    thing_id: String,
    globals: crate::api::Globals,
    options: Overrides,
}

impl ThingsDeleteRequest {
    /// The domain the request is scoped to.
    pub fn domain(mut self, value: impl Into<String>) -> Self {
        self.globals.domain = Some(value.into());
        self
    }

    /// Whether the answer links related resources.
    ///
    /// Default: `true`.
    pub fn links(mut self, value: impl Into<bool>) -> Self {
        self.globals.links = Some(value.into());
        self
    }

    /// Time allowed for each attempt of this request, in place of the client's `timeout`.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The retry policy of this request, in place of the client's.
    pub fn retry_policy(mut self, retry: crate::RetryPolicy) -> Self {
        self.options.retry = Some(retry);
        self
    }

    /// The longest this request may take in all, attempts and waits included, in place of the
    /// client's `deadline`.
    pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    /// Sends `name: value` with this request, in place of any header of that name the client
    /// would send (a documented default header or a header parameter included).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> crate::Result<()> {
        self.send_with_response()
            .await
            .map(|response| response.data)
    }

    /// Sends the request and returns the answer with its status and headers.
    pub async fn send_with_response(self) -> crate::Result<crate::ApiResponse<()>> {
        let raw = self.client.execute(self.call()?, &self.options).await?;
        no_body(raw)
    }

    fn call(&self) -> crate::Result<Call> {
        let path = format!("/things/{}", segment("thingId", &self.thing_id)?);
        Ok(Call::new(
            reqwest::Method::DELETE,
            "things.delete",
            "/things/{thingId}",
            path,
        )
        .globals(&self.globals))
    }
}
