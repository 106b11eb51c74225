//! The one error type of the crate.
//!
//! The same in every crate sdkgen generates: copied unchanged from `templates/rust/runtime/`.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

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

    fn describe(self) -> &'static str {
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

/// Everything that can go wrong in a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error status.
    Api(Box<ApiError>),
    /// The request did not complete in time: an attempt ran out of its timeout, or the
    /// deadline ran out.
    Timeout {
        /// The transport's error, if an attempt timed out (none if the deadline ended the call
        /// between attempts).
        source: Option<reqwest::Error>,
    },
    /// The request could not be sent or the answer not received.
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
            Error::Timeout { .. } => f.write_str("the request timed out"),
            Error::Transport(e) => write!(f, "transport error: {}", one_line(&e.to_string())),
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
            Error::Timeout { source } => source.as_ref().map(|e| e as _),
            Error::Decode { source, .. } => Some(source),
            Error::Api(_)
            | Error::ResponseTooLarge { .. }
            | Error::InvalidArgument(_)
            | Error::Config(_) => None,
        }
    }
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
