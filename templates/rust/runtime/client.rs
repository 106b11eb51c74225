//! The HTTP client: configuration, authentication, retries and decoding.
//!
//! A [`Client`] is one `Arc`: cloning it is cheap, and every resource handle, request and
//! stream holds a clone of its own, so they are `'static` and `Send` (ready for
//! `tokio::spawn`).

// For maintainers: this file is the same in every crate sdkgen generates (the generator copies
// it unchanged from its runtime folder). What sets one API apart is generated into
// `crate::api`, which this file uses through these items only:
//
// - `Server`: the documented servers, with the documented default as its `Default`, a
//   `Custom(String)` variant for any other base URL, and `url(&self) -> &str` (re-exported
//   here, so `client::Server` stays where it was);
// - `AUTH`: where the token goes ([`Auth`]: a header and what precedes the token in it, or a
//   query parameter);
// - `DEFAULT_HEADERS`: `(name, value)` pairs every request sends.
//
// and `error.rs` takes `REQUEST_ID_HEADER`: the response header that carries the server's
// request id, if the API documents one; `test_server.rs` takes `ROUTES`: the text of the
// crate's `src/routes.json`.
//
// `crate::api` in turn adds to this file's types: the builder's `token` method (documented with
// the API's own words on its tokens, through `ClientBuilder::with_token`), and, for an API
// whose actions all accept the same parameters, a `Globals` struct with `Call::globals`.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

pub use crate::api::Server;
use crate::api::{AUTH, DEFAULT_HEADERS};
use crate::error::{Error, Result, TimeLimit, api_error, excerpt};
use crate::support::Secret;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// Where a client sends its token: what `crate::api::AUTH` says for this API.
// An API sends its token one way: the other variant is never built in its crate.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth {
    /// In a header: `<name>: <prefix><token>`, where `prefix` is empty or a word and a space
    /// (`"Bearer "`).
    Header {
        /// The header's name.
        name: &'static str,
        /// What precedes the token.
        prefix: &'static str,
    },
    /// As a query parameter of every request: `?<name>=<token>`. No log or error of the
    /// client shows a request's URL with it.
    Query {
        /// The parameter's name.
        name: &'static str,
    },
}

impl Auth {
    /// What precedes the token (empty for a query parameter).
    fn prefix(self) -> &'static str {
        match self {
            Auth::Header { prefix, .. } => prefix,
            Auth::Query { .. } => "",
        }
    }
}

/// When and how often a failed call is repeated.
///
/// Start from [`RetryPolicy::default`] or [`RetryPolicy::none`] and change what you need with
/// the chained setters (`RetryPolicy::default().max_attempts(5)`). It is `#[non_exhaustive]`, so
/// that a later version can add a setting without breaking code.
///
/// # Defaults
///
/// [`RetryPolicy::default`], what a client uses unless told otherwise:
///
/// | setting | default |
/// |---|---|
/// | `max_attempts` | 3 (the first attempt and two retries) |
/// | `base_delay` | 250 ms before the first retry, doubled for each further one |
/// | `max_delay` | 30 s: no wait is longer, and a `Retry-After` longer than this ends the call |
/// | `retry_non_idempotent` | `false`: GET, HEAD, PUT and DELETE are retried, POST and PATCH are not |
///
/// What is retried: answers 429, 502, 503 and 504, timeouts of an attempt, and failures to
/// connect ([`Error::is_retryable`]). Each wait is drawn between half and all of
/// `base_delay × 2^(retry − 1)`, capped at `max_delay` (so 125–250 ms, then 250–500 ms with the
/// defaults). A `Retry-After` from the server (in seconds or as a date) takes the place of that
/// wait: up to `max_delay` it is waited out (with an `INFO` event, see the crate's
/// "Observability"), longer it is not, and the call ends with the error, which carries it in
/// [`ApiError::retry_after`](crate::ApiError::retry_after). A client's `deadline` bounds the
/// attempts and waits together.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 means no retry). Default: 3.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one, with jitter. Default:
    /// 250 ms.
    pub base_delay: Duration,
    /// Longest delay between attempts. A `Retry-After` longer than this is not waited out:
    /// the call ends with the error, which carries it (`ApiError::retry_after`). Default: 30 s.
    pub max_delay: Duration,
    /// Whether POST and PATCH are retried too (only safe if the caller knows the action is
    /// idempotent). Default: `false`.
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

    /// Sets the number of attempts in all, the first included (1 means no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets the delay before the first retry (doubled for each further one, with jitter).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the longest delay between attempts (a longer `Retry-After` ends the call).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets whether POST and PATCH are retried too.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
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
    pub status: reqwest::StatusCode,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub data: T,
}

/// Builds a [`Client`]: [`Client::builder`] starts one with the defaults below, each setter
/// changes one, and [`build`](Self::build) checks them.
///
/// # Defaults
///
/// | setting | default |
/// |---|---|
/// | `token` | none: no authorization header is sent |
/// | `server` | the API's documented default server ([`Server::default`]) |
/// | `timeout` | 30 s for each attempt, from connecting until the whole answer is read |
/// | `connect_timeout` | 10 s to connect |
/// | `deadline` | none: a call may take up to `max_attempts` timeouts plus the waits |
/// | `retry_policy` | [`RetryPolicy::default`]: 3 attempts for GET, HEAD, PUT and DELETE, 250 ms base delay, 30 s longest delay |
/// | `max_response_bytes` | [`DEFAULT_MAX_RESPONSE_BYTES`], 32 MiB |
/// | `user_agent` | `<crate name>/<crate version>` |
/// | `header` | only the headers the API documents for every request |
/// | `http_client` | a `reqwest::Client` of its own (with the crate's TLS feature) |
/// | `allow_insecure_http` | `false`: `http://` only to loopback hosts |
/// | `before_send`, `after_receive` | no hooks |
///
/// A request's own `timeout`, `deadline`, `retry_policy` and `header` take the client's place
/// for that request.
#[derive(Clone)]
pub struct ClientBuilder {
    token: Option<Secret>,
    server: Server,
    timeout: Duration,
    connect_timeout: Duration,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    user_agent: String,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    allow_http: bool,
    max_response_bytes: usize,
    hooks: Hooks,
}

/// A function [`ClientBuilder::before_send`] runs on each attempt's request.
type BeforeSend = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;
/// A function [`ClientBuilder::after_receive`] runs on each attempt's response.
type AfterReceive = Arc<dyn Fn(&reqwest::Response) + Send + Sync>;

/// The middleware of a client: what runs around every attempt, in the order added.
#[derive(Clone, Default)]
struct Hooks {
    before: Vec<BeforeSend>,
    after: Vec<AfterReceive>,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("before_send", &self.before.len())
            .field("after_receive", &self.after.len())
            .finish()
    }
}

/// Whether the crate was built with a TLS feature (`rustls` or `native-tls`), which the client
/// it builds itself needs for `https://` URLs.
const TLS: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// The largest response body a client reads unless told otherwise: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("server", &self.server)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("deadline", &self.deadline)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("headers", &HeaderNames(&self.headers))
            .field("hooks", &self.hooks)
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

    /// Time allowed for each attempt of a request, from connecting until the whole answer is
    /// read (default 30 s). A request's own `timeout` takes its place.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest a call may take in all: every attempt and every wait between attempts
    /// (default: none, so a call may last up to `max_attempts` timeouts plus the waits). A
    /// retry whose wait would pass the deadline is not made: the call ends with the last
    /// error. A request's own `deadline` takes its place.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// Sends `name: value` with every request, in place of a header of that name the client
    /// would send otherwise (e.g. a documented default header). A request's own `header`
    /// takes its place in turn.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
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

    /// The largest response body to read, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a longer answer ends the call with
    /// [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Middleware: runs `hook` on every attempt's request just before it is sent, after the
    /// client's and the request's own headers are set (so it can add a header, sign the
    /// request or record it). Hooks run in the order they were added, on retries too.
    ///
    /// The request carries the token in its authorization header (marked sensitive): a hook
    /// that logs requests must leave that header out. The crate's README ("Middleware") has an
    /// example that adds a header.
    pub fn before_send(
        mut self,
        hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.hooks.before.push(Arc::new(hook));
        self
    }

    /// Middleware: runs `hook` on every attempt's response as soon as its status and headers
    /// have arrived, before the body is read, decoded or the attempt retried (e.g. to count
    /// statuses or read a rate-limit header). Hooks run in the order they were added.
    pub fn after_receive(
        mut self,
        hook: impl Fn(&reqwest::Response) + Send + Sync + 'static,
    ) -> Self {
        self.hooks.after.push(Arc::new(hook));
        self
    }

    /// Allows `http://` URLs to hosts other than loopback. Tokens then travel in clear text.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Checks the configuration and builds the client: an empty token, a token that already
    /// starts with the authorization prefix the client adds itself (see `token`), a base URL
    /// that is not `https://` (but for loopback hosts, unless allowed), a header that cannot be
    /// sent and, in a crate built with neither TLS feature (`rustls`, `native-tls`), an
    /// `https://` URL without a caller-supplied [`http_client`](Self::http_client) are
    /// [`Error::Config`] here rather than errors at the first call. No error shows the token.
    pub fn build(self) -> Result<Client> {
        if let Some(token) = &self.token {
            if token.expose().trim().is_empty() {
                return Err(Error::Config(
                    "the token is empty: pass the API token (or set none for actions without authentication)".into(),
                ));
            }
            if has_prefix(token.expose(), AUTH.prefix()) {
                return Err(Error::Config(format!(
                    "the token starts with `{}`, which the client adds itself: pass the token without it",
                    AUTH.prefix().trim()
                )));
            }
        }
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
        // The connect timeout is this builder's only for the client it builds itself.
        let connect_timeout = self.http.is_none().then_some(self.connect_timeout);
        let http = match self.http {
            Some(c) => c,
            // reqwest without TLS would fail every call to an `https://` server.
            None if base.scheme() == "https" && !TLS => {
                return Err(Error::Config(
                    "this crate was built without TLS: turn on its `rustls` or `native-tls` feature, or pass a reqwest::Client with TLS to http_client".into(),
                ))
            }
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent.clone())
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let headers = base_headers(&self.user_agent, self.token.as_ref(), &self.headers)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: self.server.url().to_owned(),
                has_token: self.token.is_some(),
                query_token: match AUTH {
                    Auth::Query { name } => self.token.map(|token| (name, token)),
                    Auth::Header { .. } => None,
                },
                headers,
                timeout: self.timeout,
                connect_timeout,
                deadline: self.deadline,
                retry: self.retry,
                max_response_bytes: self.max_response_bytes,
                hooks: self.hooks,
            }),
        })
    }
}

/// The API client. A clone shares the same configuration and connection pool (it is one
/// `Arc`), so clone it freely: requests and streams each hold a clone of their own.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// What every clone of a [`Client`] shares.
struct Inner {
    http: reqwest::Client,
    base: String,
    has_token: bool,
    /// The query parameter that carries the token, and the token, for an API that takes it
    /// there ([`Auth::Query`]).
    query_token: Option<(&'static str, Secret)>,
    /// Sent with every request: the user agent, the default headers (the caller's in place of
    /// the documented ones) and the token, marked sensitive.
    headers: HeaderMap,
    timeout: Duration,
    /// The connect timeout of the client built here (none for a caller's `reqwest::Client`).
    connect_timeout: Option<Duration>,
    deadline: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: usize,
    hooks: Hooks,
}

/// Whether `token` already starts with the authorization prefix (`Bearer `), in any case and
/// followed by any whitespace: the client adds the prefix itself, once.
fn has_prefix(token: &str, prefix: &str) -> bool {
    let scheme = prefix.trim();
    let token = token.trim_start();
    !scheme.is_empty()
        && token.len() > scheme.len()
        && token.is_char_boundary(scheme.len())
        && token[..scheme.len()].eq_ignore_ascii_case(scheme)
        && token[scheme.len()..].starts_with(char::is_whitespace)
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base", &inner.base)
            .field("token", &inner.has_token.then_some("<redacted>"))
            .field("timeout", &inner.timeout)
            .field("deadline", &inner.deadline)
            .field("retry", &inner.retry)
            .field("hooks", &inner.hooks)
            .finish_non_exhaustive()
    }
}

/// The headers every request of a client sends.
fn base_headers(
    user_agent: &str,
    token: Option<&Secret>,
    overrides: &[(String, String)],
) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    let user_agent = HeaderValue::try_from(user_agent)
        .map_err(|_| Error::Config("the user agent is not a valid header value".into()))?;
    headers.insert(reqwest::header::USER_AGENT, user_agent);
    for (name, value) in DEFAULT_HEADERS {
        let (name, value) = header_pair(name, value).map_err(Error::Config)?;
        headers.append(name, value);
    }
    for (name, value) in overrides {
        let (name, value) = header_pair(name, value).map_err(Error::Config)?;
        headers.insert(name, value);
    }
    if let (Some(token), Auth::Header { name, prefix }) = (token, AUTH) {
        let mut value =
            HeaderValue::try_from(format!("{prefix}{}", token.expose())).map_err(|_| {
                Error::Config("the token contains characters not allowed in a header".into())
            })?;
        value.set_sensitive(true);
        let name = HeaderName::try_from(name)
            .map_err(|_| Error::Config(format!("`{name}` is not a header name")))?;
        headers.insert(name, value);
    }
    Ok(headers)
}

/// A header from text; the error names the header but never shows its value.
fn header_pair(name: &str, value: &str) -> std::result::Result<(HeaderName, HeaderValue), String> {
    let name = HeaderName::try_from(name).map_err(|_| format!("`{name}` is not a header name"))?;
    let value = HeaderValue::try_from(value)
        .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
    Ok((name, value))
}

/// Header names only, for `Debug`: a value may be a secret.
struct HeaderNames<'a>(&'a [(String, String)]);

impl std::fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(n, _)| n))
            .finish()
    }
}

/// Settings of one request that take the place of the client's: what a request's `timeout`,
/// `retry_policy`, `deadline` and `header` methods set.
#[derive(Clone, Default)]
pub(crate) struct Overrides {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
}

impl std::fmt::Debug for Overrides {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overrides")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("headers", &HeaderNames(&self.headers))
            .finish()
    }
}

/// What an action sends, assembled by its request builder.
///
/// Public in name only, as what the hidden `Action::call` returns: this module is private and
/// the crate does not re-export it, so no user can name it (nor implement `Action`).
#[derive(Debug, Default)]
pub struct Call {
    pub(crate) method: reqwest::Method,
    /// The action's name as the spec spells it (`resource.action`), for tracing.
    pub(crate) action: &'static str,
    /// The path template (`/things/{thingId}`), for tracing: unlike the path, it holds no id.
    pub(crate) template: &'static str,
    pub(crate) path: String,
    /// The query pairs: a parameter's name, or a key made from it (`keywords[0]`).
    pub(crate) query: QueryPairs,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) idempotent: bool,
    /// Whether a successful answer's body is handed over as it arrives (`Raw::stream`)
    /// rather than read whole.
    pub(crate) streamed: bool,
    /// The media type the action answers in, where it is not JSON (the `Accept` header).
    pub(crate) accept: Option<&'static str>,
    /// A body built anew for each attempt (an upload's form), in place of `body`.
    pub(crate) attach: Option<Box<dyn Attach>>,
}

/// A call's query pairs: each key a parameter's name, or one made from it (`keywords[0]`).
pub(crate) type QueryPairs = Vec<(std::borrow::Cow<'static, str>, String)>;

/// A request body built anew for each attempt, such as an upload's form (`upload.rs`), whose
/// files are read as the request is sent.
pub(crate) trait Attach: std::fmt::Debug + Send + Sync {
    /// `request` with the body set.
    fn attach(&self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder>;

    /// Whether the body can be sent again (a reader can be read once only).
    fn replayable(&self) -> bool;
}

#[allow(dead_code)] // not every API has header, defaulted or body parameters
impl Call {
    /// A call of `method` for the action named `action`, to `template` with its `{name}`
    /// placeholders filled in order with `segments` (see [`fill_path`]); GET, HEAD, PUT and
    /// DELETE may be repeated.
    pub(crate) fn new(
        method: reqwest::Method,
        action: &'static str,
        template: &'static str,
        segments: &[&dyn ParamValue],
    ) -> Result<Self> {
        let idempotent = matches!(method.as_str(), "GET" | "HEAD" | "PUT" | "DELETE");
        Ok(Call {
            method,
            action,
            template,
            path: fill_path(template, segments)?,
            idempotent,
            ..Call::default()
        })
    }

    /// Adds a query parameter if it is set: one `name=text` pair per text of the value (a list
    /// repeats the name per item).
    pub(crate) fn query(mut self, name: &'static str, value: Option<&impl ParamValue>) -> Self {
        if let Some(value) = value {
            self.query
                .extend(value.texts().into_iter().map(|text| (name.into(), text)));
        }
        self
    }

    /// Adds a list query parameter if it is set, as one pair whose value is the texts joined
    /// with `separator` (OpenAPI's `form` without explode, `spaceDelimited`, `pipeDelimited`).
    pub(crate) fn query_joined(
        mut self,
        name: &'static str,
        value: Option<&impl ParamValue>,
        separator: &str,
    ) -> Self {
        if let Some(value) = value {
            self.query
                .push((name.into(), value.texts().join(separator)));
        }
        self
    }

    /// Adds a list query parameter if it is set, one pair per item with its index in brackets
    /// (`keywords[0]=gps&keywords[1]=temp`).
    pub(crate) fn query_indexed(
        mut self,
        name: &'static str,
        value: Option<&impl ParamValue>,
    ) -> Self {
        if let Some(value) = value {
            for (i, text) in value.texts().into_iter().enumerate() {
                self.query.push((format!("{name}[{i}]").into(), text));
            }
        }
        self
    }

    /// Adds a query parameter if it is set, as one JSON text (an object or list the API reads
    /// whole).
    pub(crate) fn query_json(
        mut self,
        name: &'static str,
        value: Option<&impl serde::Serialize>,
    ) -> Result<Self> {
        if let Some(value) = value {
            let text = serde_json::to_string(value).map_err(|e| {
                Error::InvalidArgument(format!(
                    "the query parameter `{name}` cannot be serialised: {e}"
                ))
            })?;
            self.query.push((name.into(), text));
        }
        Ok(self)
    }

    /// Adds an object query parameter if it is set, one pair per field in OpenAPI's
    /// `deepObject` style (`filter[name]=x&filter[size][min]=1`; a list's items get their index,
    /// `filter[tags][0]=a`); a `null` field is left out.
    pub(crate) fn query_deep(
        mut self,
        name: &'static str,
        value: Option<&impl serde::Serialize>,
    ) -> Result<Self> {
        fn flatten(key: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
            match value {
                serde_json::Value::Object(fields) => {
                    for (field, inner) in fields {
                        flatten(format!("{key}[{field}]"), inner, out);
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, inner) in items.iter().enumerate() {
                        flatten(format!("{key}[{i}]"), inner, out);
                    }
                }
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => out.push((key, text.clone())),
                other => out.push((key, other.to_string())),
            }
        }
        if let Some(value) = value {
            let value = serde_json::to_value(value).map_err(|e| {
                Error::InvalidArgument(format!(
                    "the query parameter `{name}` cannot be serialised: {e}"
                ))
            })?;
            let mut pairs = Vec::new();
            flatten(name.to_owned(), &value, &mut pairs);
            self.query
                .extend(pairs.into_iter().map(|(key, text)| (key.into(), text)));
        }
        Ok(self)
    }

    /// Adds a query parameter, with `default` if it is not set.
    pub(crate) fn query_or(
        self,
        name: &'static str,
        value: Option<&impl ParamValue>,
        default: &str,
    ) -> Self {
        match value {
            Some(value) => self.query(name, Some(value)),
            None => self.query(name, Some(&default.to_owned())),
        }
    }

    /// Adds a header if it is set (a list's items joined with commas).
    pub(crate) fn header(mut self, name: &'static str, value: Option<&impl ParamValue>) -> Self {
        self.headers
            .extend(value.map(|value| (name, value.texts().join(","))));
        self
    }

    /// Adds a header, with `default` if it is not set.
    pub(crate) fn header_or(
        self,
        name: &'static str,
        value: Option<&impl ParamValue>,
        default: &str,
    ) -> Self {
        match value {
            Some(value) => self.header(name, Some(value)),
            None => self.header(name, Some(&default.to_owned())),
        }
    }

    /// Asks for an answer in `media` (a file's type) in place of JSON.
    pub(crate) fn accept(mut self, media: &'static str) -> Self {
        self.accept = Some(media);
        self
    }

    /// Adds the JSON body if it is set.
    pub(crate) fn json(mut self, body: Option<&impl serde::Serialize>) -> Result<Self> {
        self.body = body.map(encode).transpose()?;
        Ok(self)
    }
}

/// A parameter's value as text on the wire, in a query string, a header or a path segment:
/// one text per value, one per item for a list. Numbers and booleans as they print, date-times
/// as RFC 3339 text (as in JSON bodies), enums as their wire value.
pub(crate) trait ParamValue {
    /// The value's texts: one, or one per item of a list.
    fn texts(&self) -> Vec<String>;
}

impl ParamValue for String {
    fn texts(&self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl ParamValue for bool {
    fn texts(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl ParamValue for i32 {
    fn texts(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl ParamValue for i64 {
    fn texts(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl ParamValue for f64 {
    fn texts(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn texts(&self) -> Vec<String> {
        vec![self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)]
    }
}

impl ParamValue for crate::support::Secret {
    fn texts(&self) -> Vec<String> {
        vec![self.expose().to_owned()]
    }
}

impl ParamValue for crate::support::EpochSeconds {
    fn texts(&self) -> Vec<String> {
        vec![self.number().to_string()]
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn texts(&self) -> Vec<String> {
        self.iter().flat_map(ParamValue::texts).collect()
    }
}

/// The page a paginated request starts at: the one set on it, else `default`.
#[allow(dead_code)] // only APIs with paginated actions use it
pub(crate) fn first_page(page: Option<&impl std::fmt::Display>, default: u64) -> u64 {
    page.and_then(|p| p.to_string().parse().ok())
        .unwrap_or(default)
}

/// The items of every page of a paginated action, one after another: what a request's
/// `stream` returns. Pages are requested one at a time, from the request's page on, until the
/// server's total count of items is reached or a page comes back empty; an error ends the
/// stream after it is yielded. It owns its request (and so its client): it is `'static`, `Send`
/// and `Unpin`, so it can be stored or moved into `tokio::spawn`.
///
/// Read it with its own [`next`](Self::next), [`try_next`](Self::try_next) and
/// [`try_collect`](Self::try_collect), which need no other crate; it is also a
/// `futures_core::Stream`, for the combinators of the `futures` crates (their `StreamExt::next`
/// and this `next` are the same).
#[must_use = "a stream does nothing until it is polled"]
pub struct Pages<T> {
    inner: Pin<Box<dyn futures_core::Stream<Item = Result<T>> + Send + 'static>>,
    /// Whether the stream has ended: it then answers `None` for good.
    ended: bool,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// The next item: `None` after the last one, and after an error (which is yielded once);
    /// `None` again on every later call.
    #[allow(clippy::should_implement_trait)] // a stream's `next`, as `StreamExt::next` is
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// The next item, with the error first: `Ok(None)` after the last one.
    pub async fn try_next(&mut self) -> Result<Option<T>> {
        self.next().await.transpose()
    }

    /// Every remaining item, in order, into any collection (`Vec<T>`, ...); the first error
    /// ends it and is returned.
    pub async fn try_collect<C: Default + Extend<T>>(mut self) -> Result<C> {
        let mut all = C::default();
        while let Some(item) = self.try_next().await? {
            all.extend(Some(item));
        }
        Ok(all)
    }
}

impl<T> futures_core::Stream for Pages<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let next = self.inner.as_mut().poll_next(cx);
        self.ended = matches!(next, Poll::Ready(None));
        next
    }
}

/// Every item across all pages: `fetch(page)` answers one page's items and the server's total
/// count. Pages are requested from `first` on until the total is reached or a page comes back
/// empty; an error ends the stream after it is yielded.
pub(crate) fn paginate<T, F, Fut>(first: u64, fetch: F) -> Pages<T>
where
    T: Send + 'static,
    F: Fn(u64) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<i64>)>> + Send + 'static,
{
    let state = (fetch, first, 0u64, std::collections::VecDeque::new(), false);
    let stream = futures_util::stream::unfold(
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
    );
    Pages {
        inner: Box::pin(stream),
        ended: false,
    }
}

/// The link to a next page as a list's answer holds it: absent, `null` or empty on the last
/// page. (Only APIs with linked lists use it, `link_target` and `follow`.)
#[allow(dead_code)]
pub(crate) trait NextLink {
    /// The link, if there is a next page.
    fn link(self) -> Option<String>;
}

impl NextLink for String {
    fn link(self) -> Option<String> {
        Some(self).filter(|l| !l.is_empty())
    }
}

impl NextLink for Option<String> {
    fn link(self) -> Option<String> {
        self.and_then(NextLink::link)
    }
}

impl NextLink for crate::support::Nullable<String> {
    fn link(self) -> Option<String> {
        match self {
            crate::support::Nullable::Value(link) => link.link(),
            crate::support::Nullable::Null => None,
        }
    }
}

impl NextLink for Option<crate::support::Nullable<String>> {
    fn link(self) -> Option<String> {
        self.and_then(NextLink::link)
    }
}

/// The path and query pairs a next-page link names, relative to the client's base URL `base`:
/// a path (`/api/v1/things?cursor=2`), or a URL of the same origin under the base URL. A link to
/// another host is refused: the client's token must never go there.
#[allow(dead_code)]
pub(crate) fn link_target(base: &str, link: &str) -> Result<(String, QueryPairs)> {
    let refused = || {
        Error::InvalidArgument(format!(
            "the next page's link `{link}` is not on the client's server"
        ))
    };
    let relative = if link.starts_with("http://") || link.starts_with("https://") {
        let url = url::Url::parse(link).map_err(|_| refused())?;
        let base_url = url::Url::parse(base).map_err(|_| refused())?;
        if url.origin() != base_url.origin() {
            return Err(refused());
        }
        let prefix = base_url.path().trim_end_matches('/');
        let rest = url.path().strip_prefix(prefix).ok_or_else(refused)?;
        match url.query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        }
    } else if link.starts_with('/') {
        link.to_owned()
    } else {
        format!("/{link}")
    };
    let (path, query) = relative.split_once('?').unwrap_or((&relative, ""));
    let pairs = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (std::borrow::Cow::Owned(k.into_owned()), v.into_owned()))
        .collect();
    Ok((path.to_owned(), pairs))
}

/// The items of every page of a list whose answers link their next page: the first page is
/// `first`'s answer, each next one the answer to its link (`next`), until an answer has no link,
/// has no items, or links the page it came from.
#[allow(dead_code)]
pub(crate) fn follow<T, F, Fut, G, Gut>(first: G, next: F) -> Pages<T>
where
    T: Send + 'static,
    G: FnOnce() -> Gut + Send + 'static,
    Gut: std::future::Future<Output = Result<(Vec<T>, Option<String>)>> + Send + 'static,
    F: Fn(String) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(Vec<T>, Option<String>)>> + Send + 'static,
{
    // The link to fetch (`None`: the first page), the items left of the last page, whether the
    // last page was the end.
    let state = (
        Some(first),
        next,
        None::<String>,
        std::collections::VecDeque::new(),
        false,
    );
    let stream = futures_util::stream::unfold(
        state,
        |(mut first, next, mut link, mut buffer, mut done)| async move {
            loop {
                if let Some(item) = buffer.pop_front() {
                    return Some((Ok(item), (first, next, link, buffer, done)));
                }
                if done {
                    return None;
                }
                let answer = match (first.take(), link.clone()) {
                    (Some(first), _) => first().await,
                    (None, Some(to)) => next(to).await,
                    (None, None) => return None,
                };
                match answer {
                    Ok((items, following)) => {
                        done = items.is_empty() || following.is_none() || following == link;
                        link = following;
                        buffer.extend(items);
                    }
                    Err(error) => return Some((Err(error), (first, next, link, buffer, true))),
                }
            }
        },
    );
    Pages {
        inner: Box::pin(stream),
        ended: false,
    }
}

/// A successful answer before it is decoded: its body read whole, or, for a streamed call,
/// the response whose body is still to be read.
///
/// Public in name only, as what the hidden `FromAnswer::decode` takes (see [`Call`]).
pub struct Raw {
    pub(crate) status: reqwest::StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Vec<u8>,
    // Only crates with downloads or event streams read it.
    #[allow(dead_code)]
    pub(crate) stream: Option<reqwest::Response>,
    /// For a streamed answer: sends the same request again (with `Last-Event-ID` when given
    /// an id), for an event stream that resumes after a dropped connection.
    #[allow(dead_code)]
    pub(crate) resend: Option<Resend>,
}

/// Sends a streamed request again, with `Last-Event-ID: <id>` when given an id, and returns
/// the response once its headers arrive (timed as the first was: the request's timeout and
/// deadline, its retries).
pub(crate) type Resend = Box<
    dyn Fn(
            Option<String>,
        ) -> Pin<Box<dyn std::future::Future<Output = Result<reqwest::Response>> + Send>>
        + Send
        + Sync,
>;

impl std::fmt::Debug for Raw {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Raw")
            .field("status", &self.status)
            .field("body_bytes", &self.body.len())
            .field("streamed", &self.stream.is_some())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the documented defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            token: None,
            server: Server::default(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            deadline: None,
            retry: RetryPolicy::default(),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_owned(),
            headers: Vec::new(),
            http: None,
            allow_http: false,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            hooks: Hooks::default(),
        }
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// Sends `call` with the request's `options`, retrying as the retry policy allows.
    ///
    /// The call runs in a `tracing` span `request` with the method, the path template, the
    /// action's name, and, as they become known, the attempt, the status and the duration in
    /// milliseconds; retries and the waits before them are events in it. Neither the token, a
    /// header value, a parameter value nor a body is ever recorded. The crate's README lists
    /// them ("Observability"), and a test holds the two to each other.
    pub(crate) async fn execute(&self, call: Call, options: &Overrides) -> Result<Raw> {
        let span = tracing::info_span!(
            "request",
            method = call.method.as_str(),
            path = call.template,
            action = call.action,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let result =
            tracing::Instrument::instrument(self.inner.execute(call, options, &span), span.clone())
                .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Err(error) = &result {
            span.in_scope(|| tracing::debug!(error = %trace_label(error), "request failed"));
        }
        result
    }
}

impl Inner {
    async fn execute(&self, call: Call, options: &Overrides, span: &tracing::Span) -> Result<Raw> {
        let retry = options.retry.as_ref().unwrap_or(&self.retry);
        let timeout = options.timeout.unwrap_or(self.timeout);
        let end = options
            .deadline
            .or(self.deadline)
            .map(|d| tokio::time::Instant::now() + d);
        let headers = self.headers(&call, options)?;
        let retries_allowed = (call.idempotent || retry.retry_non_idempotent)
            && call.attach.as_ref().is_none_or(|body| body.replayable());
        let mut attempt = 1;
        loop {
            span.record("attempt", attempt);
            // An attempt never runs past the deadline.
            let limit = match end {
                Some(end) => {
                    timeout.min(end.saturating_duration_since(tokio::time::Instant::now()))
                }
                None => timeout,
            };
            if limit.is_zero() {
                tracing::warn!(attempt, "deadline reached before the attempt");
                return Err(Error::Timeout {
                    limit: TimeLimit::Deadline(
                        options.deadline.or(self.deadline).unwrap_or_default(),
                    ),
                    source: None,
                });
            }
            // Which limit an attempt that runs out of time ran into: the deadline where it
            // cut the attempt short, else the attempt's own timeout.
            let fired = match end {
                Some(_) if limit < timeout => {
                    TimeLimit::Deadline(options.deadline.or(self.deadline).unwrap_or_default())
                }
                _ => TimeLimit::Attempt(timeout),
            };
            let error = match self.attempt(&call, &headers, limit, span).await {
                Ok(raw) => return Ok(raw),
                Err(e) => self.timed(e, fired),
            };
            if !(retries_allowed && error.is_retryable() && attempt < retry.max_attempts) {
                return Err(error);
            }
            let retry_after = error.api().and_then(|e| e.retry_after);
            // A wait longer than the policy allows, or past the deadline, is not waited out
            // early: the call ends with the error, which carries the server's `Retry-After`.
            if let Some(wait) = retry_after.filter(|wait| *wait > retry.max_delay) {
                tracing::warn!(
                    attempt,
                    retry_after_s = wait.as_secs(),
                    max_delay_ms = retry.max_delay.as_millis() as u64,
                    "Retry-After is longer than the retry policy allows; not retried"
                );
                return Err(error);
            }
            let wait = retry.delay(attempt, retry_after);
            if end.is_some_and(|end| tokio::time::Instant::now() + wait >= end) {
                tracing::warn!(
                    attempt,
                    wait_ms = wait.as_millis() as u64,
                    "the wait before a retry would pass the deadline; not retried"
                );
                return Err(error);
            }
            tracing::info!(
                attempt,
                error = %trace_label(&error),
                wait_ms = wait.as_millis() as u64,
                retry_after = retry_after.is_some(),
                "retrying after a wait"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Says which limit a timeout of an attempt ran into: the connect timeout where the
    /// transport failed to connect in time, else `fired`.
    fn timed(&self, error: Error, fired: TimeLimit) -> Error {
        match error {
            // A streamed call's wait for the headers, timed by the runtime itself.
            Error::Timeout { source: None, .. } => Error::Timeout {
                limit: fired,
                source: None,
            },
            Error::Timeout {
                source: Some(source),
                ..
            } => {
                let limit = if source.is_connect() {
                    TimeLimit::Connect(self.connect_timeout)
                } else {
                    fired
                };
                Error::Timeout {
                    limit,
                    source: Some(source),
                }
            }
            other => other,
        }
    }

    /// The headers of `call`: the client's, the action's header parameters, and the request's
    /// own in place of any of the same name.
    fn headers(&self, call: &Call, options: &Overrides) -> Result<HeaderMap> {
        let mut headers = self.headers.clone();
        if let Some(media) = call.accept {
            let value = HeaderValue::from_str(media)
                .map_err(|_| Error::InvalidArgument(format!("media type `{media}`")))?;
            headers.insert(reqwest::header::ACCEPT, value);
        }
        for (name, value) in &call.headers {
            let (name, value) = header_pair(name, value).map_err(Error::InvalidArgument)?;
            headers.append(name, value);
        }
        for (name, value) in &options.headers {
            let (name, value) = header_pair(name, value).map_err(Error::InvalidArgument)?;
            headers.insert(name, value);
        }
        if call.body.is_some() {
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        Ok(headers)
    }

    async fn attempt(
        &self,
        call: &Call,
        headers: &HeaderMap,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Result<Raw> {
        let url = format!("{}{}", self.base, call.path);
        let mut req = self
            .http
            .request(call.method.clone(), url)
            .headers(headers.clone());
        // reqwest's timeout runs until the body is read; a streamed answer's body is read by
        // its consumer for as long as it lasts, so its attempt is timed until the headers only.
        if !call.streamed {
            req = req.timeout(timeout);
        }
        if !call.query.is_empty() {
            req = req.query(&call.query);
        }
        if let Some((name, token)) = &self.query_token {
            req = req.query(&[(name, token.expose())]);
        }
        if let Some(body) = &call.body {
            req = req.body(body.clone());
        }
        if let Some(attach) = &call.attach {
            req = attach.attach(req)?;
        }
        let sent = async {
            if self.hooks.before.is_empty() {
                req.send().await
            } else {
                let mut request = req.build()?;
                for hook in &self.hooks.before {
                    hook(&mut request);
                }
                self.http.execute(request).await
            }
        };
        let response = if call.streamed {
            tokio::time::timeout(timeout, sent)
                .await
                .map_err(|_| Error::Timeout {
                    // Which limit: set by `Inner::timed`.
                    limit: TimeLimit::Attempt(timeout),
                    source: None,
                })?
        } else {
            sent.await
        }
        .map_err(transport)?;
        for hook in &self.hooks.after {
            hook(&response);
        }
        let status = response.status();
        span.record("status", status.as_u16());
        let headers = response.headers().clone();
        if status.is_success() && call.streamed {
            // Read by its consumer, as it arrives: no size cap (it applies to JSON answers).
            return Ok(Raw {
                status,
                headers,
                body: Vec::new(),
                stream: Some(response),
                resend: None,
            });
        }
        let body = read_body(response, status, self.max_response_bytes).await?;
        if status.is_success() {
            Ok(Raw {
                status,
                headers,
                body,
                stream: None,
                resend: None,
            })
        } else {
            let retry_after = retry_after(&headers);
            Err(api_error(status, headers, &body, retry_after))
        }
    }
}

/// Reads a body of at most `limit` bytes; a longer one (by its `Content-Length` or as it
/// arrives) is refused without reading the rest.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    status: reqwest::StatusCode,
    limit: usize,
) -> Result<Vec<u8>> {
    let too_large = || Error::ResponseTooLarge { status, limit };
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// What went wrong, for a trace: the status and its meaning, which limit ran out, the
/// transport's cause chain or where the JSON stopped parsing; never a message or an excerpt of
/// a body (which may hold a secret), a header or a URL.
fn trace_label(error: &Error) -> String {
    match error {
        Error::Api(e) => format!("{} {}", e.status.as_u16(), e.kind.describe()),
        Error::Timeout { limit, .. } => format!("timeout: {limit}"),
        Error::Transport(_) => error.to_string(),
        Error::Decode { status, source, .. } => format!(
            "cannot decode the answer (status {}) at line {} column {}",
            status.as_u16(),
            source.line(),
            source.column()
        ),
        Error::ResponseTooLarge { status, limit } => format!(
            "the answer (status {}) is longer than {limit} bytes",
            status.as_u16()
        ),
        Error::InvalidArgument(_) => "invalid argument".into(),
        Error::Config(_) => "invalid client configuration".into(),
    }
}

/// An error of the transport. A timeout is told apart; which limit it ran into is set by the
/// caller that knows the limits (`Inner::timed`), the attempt's timeout until then.
pub(crate) fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            limit: TimeLimit::Attempt(Duration::ZERO),
            source: Some(e.without_url()),
        }
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
            source: e,
        }),
    }
}

/// Serialises a request body.
pub(crate) fn encode<T: serde::Serialize>(body: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(body)
        .map_err(|e| Error::InvalidArgument(format!("the body cannot be serialised: {e}")))
}

/// The path of `template` with each `{name}` placeholder replaced, in order, by the next of
/// `values` as one [`segment`]. The generated code gives one value per placeholder, in the
/// template's order.
pub(crate) fn fill_path(template: &str, values: &[&dyn ParamValue]) -> Result<String> {
    let mut path = String::with_capacity(template.len());
    let mut values = values.iter();
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        let (name, next) = after.split_once('}').unwrap_or((after, ""));
        let value = values.next().ok_or_else(|| {
            Error::InvalidArgument(format!("path parameter `{name}` has no value"))
        })?;
        path.push_str(before);
        path.push_str(&segment(name, *value)?);
        rest = next;
    }
    path.push_str(rest);
    Ok(path)
}

/// Percent-encodes a path parameter as exactly one segment: `/`, `?`, `#` and `%` are encoded,
/// and values that URL parsers would treat as navigation (`.`, `..`, empty) are refused.
fn segment(name: &str, value: &dyn ParamValue) -> Result<String> {
    let value = value.texts().join(",");
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
