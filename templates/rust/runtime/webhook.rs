//! Webhook deliveries: their signatures checked, then their bodies decoded. The API's own
//! topics and event enum are in the `webhooks` module, which this file serves.

// For maintainers: the same in every crate sdkgen generates whose spec declares webhooks
// (copied unchanged by the generator). The generated `webhooks` module declares the signature
// headers (`Signature`) and where the topic is (`TopicAt`), and builds its event enum from
// `Delivery`.

use hmac::{KeyInit, Mac};
use reqwest::header::HeaderMap;

use crate::support::Secret;

/// How a signature is computed from a delivery's raw body and the webhook's secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA256 of the body, keyed with the secret.
    HmacSha256,
    /// HMAC-SHA1 of the body, keyed with the secret.
    HmacSha1,
}

/// A signature header the API documents: its name and how its value is computed. The
/// value is the hex digits (either case) of the MAC, after `prefix` (such as `sha256=`) if the
/// API documents one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signature {
    /// The header's name.
    pub header: &'static str,
    /// How its value is computed.
    pub algorithm: Algorithm,
    /// What precedes the hex digits in the header (often nothing).
    pub prefix: &'static str,
}

/// Where a delivery names its topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // an API uses one of them
pub(crate) enum TopicAt {
    /// A string field of the JSON body.
    Field(&'static str),
    /// A header.
    Header(&'static str),
}

/// Why a delivery was refused. Its `Display` names the header at fault, never the secret nor
/// the signature.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The delivery carries none of the signature headers the API documents.
    MissingSignature {
        /// The headers looked for, in order.
        headers: Vec<&'static str>,
    },
    /// The signature is not that of the body with the secret (or is not hex): the delivery
    /// did not come from the API, was changed on the way, or the secret is not this
    /// webhook's. The body was not read.
    BadSignature {
        /// The header that was checked.
        header: &'static str,
    },
    /// The signature is good but the body is not the JSON the topic documents (or names no
    /// topic).
    Decode {
        /// The topic, if the delivery named one.
        topic: Option<String>,
        /// What did not parse.
        message: String,
        /// The JSON decoder's error, if the JSON decoder failed.
        source: Option<serde_json::Error>,
    },
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::MissingSignature { headers } => write!(
                f,
                "the webhook delivery is not signed: it has no {} header",
                headers.join(" or ")
            ),
            WebhookError::BadSignature { header } => write!(
                f,
                "the webhook delivery's {header} signature does not match its body"
            ),
            WebhookError::Decode {
                topic: Some(topic),
                message,
                ..
            } => write!(
                f,
                "cannot decode the webhook delivery of topic `{topic}`: {message}"
            ),
            WebhookError::Decode { message, .. } => {
                write!(f, "cannot decode the webhook delivery: {message}")
            }
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Decode {
                source: Some(source),
                ..
            } => Some(source),
            _ => None,
        }
    }
}

/// A MAC of the body with the secret, ready for its bytes.
fn mac_of(algorithm: Algorithm, secret: &Secret, body: &[u8]) -> MacOf {
    let key = secret.expose().as_bytes();
    // HMAC takes a key of any length: `new_from_slice` cannot fail here.
    match algorithm {
        Algorithm::HmacSha256 => MacOf::Sha256(
            hmac::Hmac::<sha2::Sha256>::new_from_slice(key).map(|mut mac| {
                mac.update(body);
                mac
            }),
        ),
        Algorithm::HmacSha1 => MacOf::Sha1(hmac::Hmac::<sha1::Sha1>::new_from_slice(key).map(
            |mut mac| {
                mac.update(body);
                mac
            },
        )),
    }
}

enum MacOf {
    Sha256(Result<hmac::Hmac<sha2::Sha256>, hmac::digest::InvalidLength>),
    Sha1(Result<hmac::Hmac<sha1::Sha1>, hmac::digest::InvalidLength>),
}

impl MacOf {
    /// Whether `expected` is the MAC, compared in constant time.
    fn verify(self, expected: &[u8]) -> bool {
        match self {
            MacOf::Sha256(Ok(mac)) => mac.verify_slice(expected).is_ok(),
            MacOf::Sha1(Ok(mac)) => mac.verify_slice(expected).is_ok(),
            MacOf::Sha256(Err(_)) | MacOf::Sha1(Err(_)) => false,
        }
    }

    fn bytes(self) -> Vec<u8> {
        match self {
            MacOf::Sha256(Ok(mac)) => mac.finalize().into_bytes().to_vec(),
            MacOf::Sha1(Ok(mac)) => mac.finalize().into_bytes().to_vec(),
            MacOf::Sha256(Err(_)) | MacOf::Sha1(Err(_)) => Vec::new(),
        }
    }
}

/// The signature header value the API would send for `body` with `secret` (`prefix`, then
/// lower-case hex): for tests of code that receives webhooks.
pub fn sign(signature: &Signature, secret: &Secret, body: &[u8]) -> String {
    let mac = mac_of(signature.algorithm, secret, body).bytes();
    let mut text = String::with_capacity(signature.prefix.len() + 2 * mac.len());
    text.push_str(signature.prefix);
    for byte in mac {
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0xf)]));
    }
    text
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The bytes of hex digits (either case); `None` if it is not hex.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    fn digit(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Checks a delivery's signature: the first of `signatures` (in the API's order of
/// preference) whose header the delivery carries must be the MAC of `body` with `secret`,
/// compared in constant time. A delivery with a wrong strongest signature is refused even if
/// it carries a weaker one that matches.
#[allow(dead_code)] // an API that declares no signature does not use it
pub(crate) fn verify(
    signatures: &[Signature],
    secret: &Secret,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), WebhookError> {
    let found = signatures
        .iter()
        .find_map(|s| headers.get(s.header).map(|value| (s, value)));
    let Some((signature, value)) = found else {
        return Err(WebhookError::MissingSignature {
            headers: signatures.iter().map(|s| s.header).collect(),
        });
    };
    let bad = || WebhookError::BadSignature {
        header: signature.header,
    };
    let value = value.to_str().map_err(|_| bad())?.trim();
    let digits = strip_prefix_ignore_case(value, signature.prefix).ok_or_else(bad)?;
    let expected = from_hex(digits).ok_or_else(bad)?;
    if mac_of(signature.algorithm, secret, body).verify(&expected) {
        Ok(())
    } else {
        Err(bad())
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A delivery whose signature was checked (or not asked for): its topic and its JSON body.
pub(crate) struct Delivery {
    pub(crate) topic: String,
    pub(crate) body: serde_json::Value,
}

impl Delivery {
    /// Reads the body as JSON and finds its topic.
    pub(crate) fn read(
        topic_at: TopicAt,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Delivery, WebhookError> {
        let header_topic = match topic_at {
            TopicAt::Header(name) => {
                let topic = headers.get(name).and_then(|v| v.to_str().ok());
                match topic {
                    Some(topic) => Some(topic.trim().to_owned()),
                    None => {
                        return Err(WebhookError::Decode {
                            topic: None,
                            message: format!("the delivery has no {name} header naming its topic"),
                            source: None,
                        });
                    }
                }
            }
            TopicAt::Field(_) => None,
        };
        let body: serde_json::Value =
            serde_json::from_slice(body).map_err(|source| WebhookError::Decode {
                topic: header_topic.clone(),
                message: source.to_string(),
                source: Some(source),
            })?;
        let topic = match (header_topic, topic_at) {
            (Some(topic), _) => topic,
            (None, TopicAt::Field(field)) => match body.get(field).and_then(|t| t.as_str()) {
                Some(topic) => topic.to_owned(),
                None => {
                    return Err(WebhookError::Decode {
                        topic: None,
                        message: format!("the body has no string field `{field}` naming its topic"),
                        source: None,
                    });
                }
            },
            (None, TopicAt::Header(_)) => String::new(),
        };
        Ok(Delivery { topic, body })
    }

    /// The body as the payload type of its topic.
    pub(crate) fn payload<T: serde::de::DeserializeOwned>(self) -> Result<T, WebhookError> {
        serde_json::from_value(self.body).map_err(|source| WebhookError::Decode {
            message: source.to_string(),
            topic: Some(self.topic),
            source: Some(source),
        })
    }
}

/// A delivery of a topic this version of the crate does not know, kept as it came.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownTopic {
    /// The topic as the delivery named it.
    pub topic: String,
    /// The body.
    pub body: serde_json::Value,
}

impl From<Delivery> for UnknownTopic {
    fn from(delivery: Delivery) -> Self {
        UnknownTopic {
            topic: delivery.topic,
            body: delivery.body,
        }
    }
}
