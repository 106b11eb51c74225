//! The runtime that sdkgen copies unchanged into every generated crate
//! (`templates/rust/runtime/`), compiled, linted and tested where it stands, before any crate is
//! generated. This crate is laid out like a generated one (see `templates/rust/lib.rs.tera`):
//! the runtime files are its modules `client`, `download`, `error`, `events`, `outcome`,
//! `request`, `support`, `test_server`, `upload` and `webhook`; the per-API module `api`
//! (generated from `templates/rust/api.rs.tera`), the resource modules `things` and `media`
//! (generated from `templates/rust/resources/resource.rs.tera`) and the module `webhooks` (generated from
//! `templates/rust/webhooks.rs.tera`) are hand-written samples of what the templates produce,
//! for a small made-up API.
#![deny(missing_docs)]

mod api;
#[path = "../../../templates/rust/runtime/client.rs"]
mod client;
#[path = "../../../templates/rust/runtime/download.rs"]
mod download;
#[path = "../../../templates/rust/runtime/error.rs"]
mod error;
#[path = "../../../templates/rust/runtime/events.rs"]
pub mod events;
pub mod media;
#[path = "../../../templates/rust/runtime/outcome.rs"]
mod outcome;
#[path = "../../../templates/rust/runtime/request.rs"]
mod request;
#[path = "../../../templates/rust/runtime/support.rs"]
mod support;
/// The test server (in a generated crate: behind its `test-server` feature).
#[path = "../../../templates/rust/runtime/test_server.rs"]
pub mod test_server;
pub mod things;
#[path = "../../../templates/rust/runtime/upload.rs"]
mod upload;
#[path = "../../../templates/rust/runtime/webhook.rs"]
mod webhook;
pub mod webhooks;

pub use client::{
    ApiResponse, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, Pages, RetryPolicy, Server,
};
pub use download::{ByteStream, Download};
pub use error::{ApiError, BODY_EXCERPT_LIMIT, Error, ErrorKind, Result, TimeLimit};
pub use outcome::OtherAnswer;
pub use request::{Action, Request};
/// The HTTP types this crate's API exposes (statuses and headers of answers and errors).
pub use reqwest::{StatusCode, header::HeaderMap};
pub use upload::FilePart;

/// The date-time library of the models' date-time fields.
pub use chrono;
/// The HTTP client this crate is built on (re-exported as in a generated crate).
pub use reqwest;
/// The JSON library of the models' untyped values.
pub use serde_json;
pub use support::{EpochSeconds, Nullable, Secret, UnknownValue};

#[cfg(test)]
mod events_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod webhook_tests;
