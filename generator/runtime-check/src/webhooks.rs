//! A hand-written sample of what `templates/rust/webhooks.rs.tera` generates for an API that
//! declares webhooks: two topics named by a body field, and two signature headers (HMAC-SHA256
//! preferred, HMAC-SHA1 the older one).

use crate::HeaderMap;
use crate::support::Secret;
pub use crate::webhook::{Algorithm, Signature, UnknownTopic, WebhookError, sign};
use crate::webhook::{Delivery, TopicAt, verify};

/// The signature headers the API documents, in the order they are checked: the first one a
/// delivery carries must match.
pub const SIGNATURES: &[Signature] = &[
    Signature {
        header: "X-Thing-Signature-v2",
        algorithm: Algorithm::HmacSha256,
        prefix: "",
    },
    Signature {
        header: "X-Thing-Signature",
        algorithm: Algorithm::HmacSha1,
        prefix: "",
    },
];

/// Where a delivery names its topic.
const TOPIC_AT: TopicAt = TopicAt::Field("topic");

/// A webhook delivery, by topic.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `thing-created`: a thing was created.
    ThingCreated(Box<crate::things::Thing>),
    /// `thing-removed`: a thing was removed.
    ThingRemoved(Box<serde_json::Value>),
    /// A topic this version of the crate does not know, kept as it came.
    Unknown(UnknownTopic),
}

impl WebhookEvent {
    /// The delivery's topic.
    pub fn topic(&self) -> &str {
        match self {
            WebhookEvent::ThingCreated(_) => "thing-created",
            WebhookEvent::ThingRemoved(_) => "thing-removed",
            WebhookEvent::Unknown(unknown) => &unknown.topic,
        }
    }

    /// Checks the delivery's signature (see [`SIGNATURES`]) with the webhook's secret, then
    /// decodes its body by topic. A delivery whose signature is missing or wrong is refused
    /// before its body is read.
    pub fn verify_and_decode(
        secret: &Secret,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        verify(SIGNATURES, secret, headers, body)?;
        WebhookEvent::decode_unverified(headers, body)
    }

    /// Decodes a delivery's body by topic without checking its signature.
    pub fn decode_unverified(
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        let delivery = Delivery::read(TOPIC_AT, headers, body)?;
        Ok(match delivery.topic.as_str() {
            "thing-created" => WebhookEvent::ThingCreated(delivery.payload()?),
            "thing-removed" => WebhookEvent::ThingRemoved(delivery.payload()?),
            _ => WebhookEvent::Unknown(delivery.into()),
        })
    }
}
