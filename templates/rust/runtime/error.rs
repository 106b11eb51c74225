//! The one error type of the crate.

// For maintainers: the same in every crate sdkgen generates (copied unchanged by the generator).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// Most bytes of a response body kept in an error.
pub const BODY_EXCERPT_LIMIT: usize = 512;

/// The documented meaning of an error status. `#[non_exhaustive]`: match it with a wildcard
/// arm, as a later version may tell more statuses apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the request was malformed.
    BadRequest,
    /// 401: the token is missing, wrong or expired.
    Unauthorized,
    /// 403: the token lacks a scope or privilege for this action.
    Forbidden,
    /// 404: the resource does not exist.
    NotFound,
    /// 429: too many requests; see `retry_after`.
    RateLimited,
    /// 5xx: the server failed.
    ServerError,
    /// Any other non-success status.
    Other,
}

impl ErrorKind {
    /// The kind of a status code.
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::Other,
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not found",
            ErrorKind::RateLimited => "rate limited",
            ErrorKind::ServerError => "server error",
            ErrorKind::Other => "unexpected status",
        }
    }
}

/// An error answer of the API.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Its documented meaning.
    pub kind: ErrorKind,
    /// The response headers.
    pub headers: HeaderMap,
    /// The server's id of the request, from the header the API documents for it (none if it
    /// documents none), for a support ticket.
    pub request_id: Option<String>,
    /// The error body as JSON, if it was JSON.
    pub body: Option<serde_json::Value>,
    /// The vendor's message (`message` or `detail` of the body), if any.
    pub message: Option<String>,
    /// The vendor's error type (`type` of the body), if any.
    pub error_type: Option<String>,
    /// The start of the raw body, at most `BODY_EXCERPT_LIMIT` bytes.
    pub excerpt: String,
    /// How long the server asked to wait (`Retry-After`), if it said.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// The body decoded as any type (see also `error_body` where the API documents its error
    /// bodies).
    pub fn body_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.body
            .as_ref()
            .and_then(|b| serde_json::from_value(b.clone()).ok())
    }
}

/// Which time limit ended a call (in [`Error::Timeout`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeLimit {
    /// The time allowed to connect (`ClientBuilder::connect_timeout`, 10 s unless set; none
    /// known when the caller supplied the `reqwest::Client`).
    Connect(Option<Duration>),
    /// The time allowed for each attempt (`ClientBuilder::timeout` or the request's
    /// `timeout`, 30 s unless set).
    Attempt(Duration),
    /// The time allowed for the whole call, attempts and waits together (the client's or the
    /// request's `deadline`).
    Deadline(Duration),
}

impl std::fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimeLimit::Connect(Some(limit)) => {
                write!(f, "the connect timeout of {limit:?} ran out")
            }
            TimeLimit::Connect(None) => {
                f.write_str("the connect timeout of the caller's reqwest::Client ran out")
            }
            TimeLimit::Attempt(limit) => {
                write!(f, "the per-attempt timeout of {limit:?} ran out")
            }
            TimeLimit::Deadline(limit) => {
                write!(f, "the overall deadline of {limit:?} ran out")
            }
        }
    }
}

/// Everything that can go wrong in a call.
///
/// `Display` says what went wrong and why, in one line: for a transport error, the causes the
/// HTTP stack gives (e.g. `Connection refused`, a DNS or TLS failure); for a timeout, which
/// limit ran out; for a decode error, where the JSON stopped parsing. The questions
/// [`is_connect`](Self::is_connect), [`is_timeout`](Self::is_timeout),
/// [`is_decode`](Self::is_decode) and [`is_retryable`](Self::is_retryable) sort errors without
/// a `match`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    Api(Box<ApiError>),
    /// The request did not complete in time; `limit` says which limit ran out.
    Timeout {
        /// The limit that ran out: the connect timeout, the per-attempt timeout, or the
        /// overall deadline.
        limit: TimeLimit,
        /// The transport's error, if an attempt timed out (none if the deadline ended the call
        /// between attempts).
        source: Option<reqwest::Error>,
    },
    /// The request could not be sent or the answer not received: the HTTP client's error, a
    /// `reqwest::Error` (the crate re-exports `reqwest`), whose `source()` chain holds the
    /// cause (refused connection, DNS, TLS, a connection closed early).
    Transport(reqwest::Error),
    /// The answer was not the JSON the API documents.
    Decode {
        /// HTTP status of the answer.
        status: StatusCode,
        /// What did not parse.
        message: String,
        /// The start of the raw body, at most `BODY_EXCERPT_LIMIT` bytes.
        excerpt: String,
        /// The JSON decoder's error.
        source: serde_json::Error,
    },
    /// The answer's body is longer than the client's `max_response_bytes`; it was not read.
    ResponseTooLarge {
        /// HTTP status of the answer.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// An argument cannot be sent (e.g. an empty path id).
    InvalidArgument(String),
    /// The client is misconfigured (e.g. an `http://` URL to a remote host).
    Config(String),
}

impl Error {
    /// The HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The documented meaning, for API errors.
    pub fn kind(&self) -> Option<ErrorKind> {
        match self {
            Error::Api(e) => Some(e.kind),
            _ => None,
        }
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the server could not be reached: a connection refused or reset, a DNS or TLS
    /// failure, or the connect timeout.
    pub fn is_connect(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect(),
            Error::Timeout { limit, .. } => matches!(limit, TimeLimit::Connect(_)),
            _ => false,
        }
    }

    /// Whether a time limit ran out (see [`TimeLimit`] for which).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// Which time limit ran out, for a timeout.
    pub fn time_limit(&self) -> Option<TimeLimit> {
        match self {
            Error::Timeout { limit, .. } => Some(*limit),
            _ => None,
        }
    }

    /// Whether the answer arrived but was not the JSON the API documents.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode { .. })
    }

    /// Whether repeating the same request may succeed: rate limits, 502/503/504, timeouts
    /// and connection failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => matches!(e.status.as_u16(), 429 | 502 | 503 | 504),
            Error::Timeout { .. } => true,
            Error::Transport(e) => e.is_connect() || e.is_timeout(),
            _ => false,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "{} ({})", e.kind.describe(), e.status.as_u16())?;
                match (&e.error_type, &e.message) {
                    (Some(t), Some(m)) => write!(f, ": {t}: {m}"),
                    (None, Some(m)) => write!(f, ": {m}"),
                    _ if !e.excerpt.is_empty() => write!(f, ": {}", one_line(&e.excerpt)),
                    _ => Ok(()),
                }
            }
            Error::Timeout { limit, source } => {
                write!(f, "the request timed out: {limit}")?;
                match source {
                    Some(source) => write_causes(f, source),
                    None => Ok(()),
                }
            }
            Error::Transport(e) => {
                let what = if e.is_connect() {
                    "cannot connect to the server"
                } else if e.is_body() || e.is_decode() {
                    "the answer could not be read"
                } else if e.is_request() {
                    "the request could not be sent"
                } else {
                    "transport error"
                };
                f.write_str(what)?;
                write_causes(f, e)
            }
            Error::Decode {
                status,
                message,
                excerpt,
                ..
            } => {
                write!(
                    f,
                    "cannot decode the answer (status {}): {message}; body starts: {}",
                    status.as_u16(),
                    one_line(excerpt)
                )
            }
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the answer (status {}) is longer than the limit of {limit} bytes (see `max_response_bytes`)",
                status.as_u16()
            ),
            Error::InvalidArgument(m) => write!(f, "invalid argument: {m}"),
            Error::Config(m) => write!(f, "invalid client configuration: {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Timeout { source, .. } => source.as_ref().map(|e| e as _),
            Error::Decode { source, .. } => Some(source),
            Error::Api(_)
            | Error::ResponseTooLarge { .. }
            | Error::InvalidArgument(_)
            | Error::Config(_) => None,
        }
    }
}

/// Writes `: cause` for the error and each error of its `source()` chain, skipping a cause
/// whose text the one before it already shows.
fn write_causes(
    f: &mut std::fmt::Formatter<'_>,
    error: &(dyn std::error::Error + 'static),
) -> std::fmt::Result {
    let mut shown = String::new();
    let mut next = Some(error);
    while let Some(cause) = next {
        let text = one_line(&cause.to_string());
        if !text.is_empty() && !shown.contains(&text) {
            write!(f, ": {text}")?;
            shown = text;
        }
        next = cause.source();
    }
    Ok(())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The start of a body, cut at a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= BODY_EXCERPT_LIMIT {
        return text.into_owned();
    }
    let mut end = BODY_EXCERPT_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// Builds the API error of a non-success answer.
pub(crate) fn api_error(
    status: StatusCode,
    headers: HeaderMap,
    body: &[u8],
    retry_after: Option<Duration>,
) -> Error {
    let request_id = crate::api::REQUEST_ID_HEADER
        .and_then(|name| headers.get(name))
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |k: &str| {
        json.as_ref()
            .and_then(|j| j.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    Error::Api(Box::new(ApiError {
        status,
        kind: ErrorKind::from_status(status),
        headers,
        request_id,
        message: field("message").or_else(|| field("detail")),
        error_type: field("type"),
        body: json,
        excerpt: excerpt(body),
        retry_after,
    }))
}

/// The result type of the crate.
pub type Result<T> = std::result::Result<T, Error>;
