//! A hand-written sample of what `templates/rust/api.rs.tera` generates, for a made-up API with
//! two servers, a bearer token, a version header and two parameters every action accepts: the
//! items the runtime needs of `crate::api` (see the module documentation of `client.rs`).

/// The servers the API is documented at.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Server {
    /// production: `https://api.example.com`.
    #[default]
    Production,
    /// europe: `https://eu.api.example.com`.
    Europe,
    /// Any other base URL (a proxy, a mock server).
    Custom(String),
}

impl Server {
    /// The base URL, without a trailing `/`.
    pub fn url(&self) -> &str {
        match self {
            Server::Production => "https://api.example.com",
            Server::Europe => "https://eu.api.example.com",
            Server::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// Every documented server.
    pub fn all() -> Vec<Server> {
        vec![Server::Production, Server::Europe]
    }
}

/// Where the token goes: a header, after what precedes it.
pub(crate) const AUTH: crate::client::Auth = crate::client::Auth::Header {
    name: "Authorization",
    prefix: "Bearer ",
};

/// The headers every request sends: `(name, value)`.
pub(crate) const DEFAULT_HEADERS: &[(&str, &str)] =
    &[("Accept", "application/json"), ("Accept-Version", "^1.0.0")];

/// The response header that carries the server's request id (`ApiError::request_id`).
pub(crate) const REQUEST_ID_HEADER: Option<&str> = Some("x-request-id");

impl crate::client::ClientBuilder {
    /// An API token, sent as `Authorization: Bearer <token>`.
    ///
    #[doc = concat!(" Give the token alone: the client sends `", "Authorization", ": ", "Bearer ", "<token>`, adding the prefix once. A token that already starts with the prefix (in any letter case, followed by a space) is refused by [`build`](Self::build) with [`Error::Config`](crate::Error::Config), whose message says so, rather than sent with the prefix twice.")]
    pub fn token(self, token: impl Into<String>) -> Self {
        self.with_token(crate::support::Secret::new(token))
    }
}

/// The parameters every action accepts, held once per request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Globals {
    pub(crate) domain: Option<String>,
    pub(crate) links: Option<bool>,
}

impl crate::client::Call {
    /// Adds the parameters every action accepts (with their default where one is sent).
    pub(crate) fn globals(self, globals: &Globals) -> Self {
        self.header("x-domain", globals.domain.as_ref()).query_or(
            "_links",
            globals.links.as_ref(),
            "true",
        )
    }
}

/// The parameters every action accepts.
impl<A> crate::Request<A> {
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
}

/// Every documented action as the test server answers it: `routes.json`, beside this file.
pub(crate) const ROUTES: &str = include_str!("routes.json");
