//! The HTTP client: configuration, authentication, retries and decoding.
//!
//! This file is the same in every crate sdkgen generates: it is copied unchanged from
//! `templates/rust/runtime/`. What sets one API apart is generated into `crate::api`, which
//! this file uses through these items only:
//!
//! - `Server`: the documented servers, with the documented default as its `Default`, a
//!   `Custom(String)` variant for any other base URL, and `url(&self) -> &str` (re-exported
//!   here, so `client::Server` stays where it was);
//! - `AUTH_HEADER` and `AUTH_PREFIX`: the header the token is sent in and what precedes it;
//! - `DEFAULT_HEADERS`: `(name, value)` pairs every request sends.
//!
//! `crate::api` in turn adds to this file's types: the builder's `token` method (documented with
//! the API's own words on its tokens, through [`ClientBuilder::with_token`]), and, for an API
//! whose actions all accept the same parameters, a `Globals` struct with `Call::globals` and
//! the `global_setters!` macro that request builders use.

use std::time::Duration;

pub use crate::api::Server;
use crate::api::{AUTH_HEADER, AUTH_PREFIX, DEFAULT_HEADERS};
use crate::error::{api_error, excerpt, Error, Result};
use crate::support::Secret;

/// When and how often a failed call is repeated.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one, with jitter.
    pub base_delay: Duration,
    /// Longest delay between attempts, `Retry-After` included.
    pub max_delay: Duration,
    /// Whether POST and PATCH are retried too (only safe if the caller knows the action is
    /// idempotent).
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let capped = exp.min(self.max_delay);
        // Full jitter in [capped/2, capped]: spreads clients that failed together.
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// A successful answer with its status and headers, for callers who need more than the body.
#[derive(Debug, Clone)]
pub struct ApiResponse<T> {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub data: T,
}

/// Builds a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    token: Option<Secret>,
    server: Server,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
    http: Option<reqwest::Client>,
    allow_http: bool,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("server", &self.server)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Sets the token: what the API's `token` method (in `crate::api`) does.
    pub(crate) fn with_token(mut self, token: Secret) -> Self {
        self.token = Some(token);
        self
    }

    /// The server to call (default: the documented default server).
    pub fn server(mut self, server: Server) -> Self {
        self.server = server;
        self
    }

    /// A custom base URL, e.g. a proxy or a local mock server.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.server = Server::Custom(url.into());
        self
    }

    /// Time allowed for a whole request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy (default: 3 attempts for idempotent methods).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The `User-Agent` header (default `<crate>/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// A caller-configured `reqwest::Client` (proxies, TLS roots). Timeouts still apply per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Allows `http://` URLs to hosts other than loopback. Tokens then travel in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let base = reqwest::Url::parse(self.server.url())
            .map_err(|e| Error::Config(format!("invalid base URL: {e}")))?;
        match base.scheme() {
            "https" => {}
            "http" => {
                let loopback = match base.host() {
                    Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                    Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                    Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                    None => false,
                };
                if !loopback && !self.allow_http {
                    return Err(Error::Config(
                        "http:// is only allowed for loopback hosts; use https:// or call allow_insecure_http(true)".into(),
                    ));
                }
            }
            other => return Err(Error::Config(format!("unsupported URL scheme `{other}`"))),
        }
        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent.clone())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            http,
            base: self.server.url().to_owned(),
            token: self.token,
            timeout: self.timeout,
            retry: self.retry,
            user_agent: self.user_agent,
        })
    }
}

/// The API client. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<Secret>,
    timeout: Duration,
    retry: RetryPolicy,
    user_agent: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// What an action sends, assembled by its request builder.
#[derive(Debug, Default)]
pub(crate) struct Call {
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) idempotent: bool,
}

#[allow(dead_code)] // not every API has header, defaulted or body parameters
impl Call {
    /// A call of `method` to `path`; GET, HEAD, PUT and DELETE may be repeated.
    pub(crate) fn new(method: reqwest::Method, path: String) -> Self {
        let idempotent = matches!(method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE");
        Call {
            method,
            path,
            idempotent,
            ..Call::default()
        }
    }

    /// Adds a query parameter if it is set.
    pub(crate) fn query(
        mut self,
        name: &'static str,
        value: Option<&impl std::fmt::Display>,
    ) -> Self {
        self.query.extend(value.map(|v| (name, v.to_string())));
        self
    }

    /// Adds a query parameter, with `default` if it is not set.
    pub(crate) fn query_or(
        mut self,
        name: &'static str,
        value: Option<&impl std::fmt::Display>,
        default: &str,
    ) -> Self {
        self.query.push((
            name,
            value.map_or_else(|| default.to_owned(), |v| v.to_string()),
        ));
        self
    }

    /// Adds a header if it is set.
    pub(crate) fn header(
        mut self,
        name: &'static str,
        value: Option<&impl std::fmt::Display>,
    ) -> Self {
        self.headers.extend(value.map(|v| (name, v.to_string())));
        self
    }

    /// Adds a header, with `default` if it is not set.
    pub(crate) fn header_or(
        mut self,
        name: &'static str,
        value: Option<&impl std::fmt::Display>,
        default: &str,
    ) -> Self {
        self.headers.push((
            name,
            value.map_or_else(|| default.to_owned(), |v| v.to_string()),
        ));
        self
    }

    /// Adds the JSON body if it is set.
    pub(crate) fn json(mut self, body: Option<&impl serde::Serialize>) -> Result<Self> {
        self.body = body.map(encode).transpose()?;
        Ok(self)
    }
}

/// `send` and `send_with_response` of a request builder, whose `call` assembles the [`Call`];
/// `$decode` is [`decode`] or [`no_body`].
#[allow(unused_macros)] // an API without actions does not use it
macro_rules! send {
    ($ty:ty, $decode:ident) => {
        /// Sends the request and returns the decoded answer.
        pub async fn send(self) -> crate::Result<$ty> {
            self.send_with_response()
                .await
                .map(|response| response.data)
        }

        /// Sends the request and returns the answer with its status and headers.
        pub async fn send_with_response(self) -> crate::Result<crate::ApiResponse<$ty>> {
            let raw = self.client.execute(self.call()?).await?;
            crate::client::$decode(raw)
        }
    };
}
#[allow(unused_imports)]
pub(crate) use send;

/// The builder method of an optional parameter: `setter! { "doc", field, Type }` takes any
/// `impl Into<Type>`.
#[allow(unused_macros)] // not every API has optional parameters
macro_rules! setter {
    ($doc:literal, $field:ident, $ty:ty) => {
        #[doc = $doc]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
}
#[allow(unused_imports)]
pub(crate) use setter;

/// The page a paginated request starts at: the one set on it, else `default`.
#[allow(dead_code)] // only APIs with paginated actions use it
pub(crate) fn first_page(page: Option<&impl std::fmt::Display>, default: u64) -> u64 {
    page.and_then(|p| p.to_string().parse().ok())
        .unwrap_or(default)
}

/// Every item across all pages: `fetch(page)` answers one page's items and the server's total
/// count. Pages are requested from `first` on until the total is reached or a page comes back
/// empty; an error ends the stream after it is yielded.
#[allow(dead_code)] // only APIs with paginated actions use it
pub(crate) fn paginate<'a, T: 'a, F, Fut>(
    first: u64,
    fetch: F,
) -> impl futures_core::Stream<Item = Result<T>> + 'a
where
    F: Fn(u64) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<i64>)>> + 'a,
{
    let state = (fetch, first, 0u64, std::collections::VecDeque::new(), false);
    futures_util::stream::unfold(
        state,
        |(fetch, mut page, mut seen, mut buffer, mut done)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (fetch, page, seen, buffer, done)));
                }
                if done {
                    return None;
                }
                match fetch(page).await {
                    Ok((items, total)) => {
                        seen += items.len() as u64;
                        page += 1;
                        done = items.is_empty() || total.is_some_and(|t| seen >= t.max(0) as u64);
                        buffer.extend(items);
                    }
                    Err(error) => return Some((Err(error), (fetch, page, seen, buffer, true))),
                }
            }
        },
    )
}

/// A raw successful answer.
pub(crate) struct Raw {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Client {
    /// A builder with the documented defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            token: None,
            server: Server::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            allow_http: false,
        }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub(crate) async fn execute(&self, call: Call) -> Result<Raw> {
        let retries_allowed = call.idempotent || self.retry.retry_non_idempotent;
        let mut attempt = 1;
        loop {
            let result = self.attempt(&call).await;
            let error = match result {
                Ok(raw) => return Ok(raw),
                Err(e) => e,
            };
            if !(retries_allowed && error.is_retryable() && attempt < self.retry.max_attempts) {
                return Err(error);
            }
            let retry_after = error.api().and_then(|e| e.retry_after);
            tokio::time::sleep(self.retry.delay(attempt, retry_after)).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, call: &Call) -> Result<Raw> {
        let url = format!("{}{}", self.base, call.path);
        let mut req = self
            .http
            .request(call.method.clone(), url)
            .timeout(self.timeout)
            .header(reqwest::header::USER_AGENT, &self.user_agent);
        for (name, value) in DEFAULT_HEADERS {
            req = req.header(*name, *value);
        }
        if let Some(token) = &self.token {
            let mut value =
                reqwest::header::HeaderValue::try_from(format!("{AUTH_PREFIX}{}", token.expose()))
                    .map_err(|_| {
                        Error::Config(
                            "the token contains characters not allowed in a header".into(),
                        )
                    })?;
            value.set_sensitive(true);
            req = req.header(AUTH_HEADER, value);
        }
        if !call.query.is_empty() {
            req = req.query(&call.query);
        }
        for (name, value) in &call.headers {
            req = req.header(*name, value);
        }
        if let Some(body) = &call.body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let response = req.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(transport)?.to_vec();
        if (200..300).contains(&status) {
            Ok(Raw {
                status,
                headers,
                body,
            })
        } else {
            Err(api_error(status, &body, retry_after(&headers)))
        }
    }
}

fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout
    } else {
        Error::Transport(e.without_url())
    }
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Decodes a JSON body into `T`; an empty body decodes as JSON `null` (for `()` answers).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(raw: Raw) -> Result<ApiResponse<T>> {
    let text: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"null"
    } else {
        &raw.body
    };
    match serde_json::from_slice(text) {
        Ok(data) => Ok(ApiResponse {
            status: raw.status,
            headers: raw.headers,
            data,
        }),
        Err(e) => Err(Error::Decode {
            status: raw.status,
            message: e.to_string(),
            excerpt: excerpt(&raw.body),
        }),
    }
}

/// Answers without a documented body: whatever the server sends is ignored.
#[allow(dead_code)] // only APIs with body-less answers use it
pub(crate) fn no_body(raw: Raw) -> Result<ApiResponse<()>> {
    Ok(ApiResponse {
        status: raw.status,
        headers: raw.headers,
        data: (),
    })
}

/// Serialises a request body.
pub(crate) fn encode<T: serde::Serialize>(body: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(body)
        .map_err(|e| Error::InvalidArgument(format!("the body cannot be serialised: {e}")))
}

/// Percent-encodes a path parameter as exactly one segment: `/`, `?`, `#` and `%` are encoded,
/// and values that URL parsers would treat as navigation (`.`, `..`, empty) are refused.
pub(crate) fn segment(name: &str, value: &impl std::fmt::Display) -> Result<String> {
    let value = value.to_string();
    if value.is_empty() || value == "." || value == ".." {
        return Err(Error::InvalidArgument(format!(
            "path parameter `{name}` cannot be {value:?}"
        )));
    }
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}
