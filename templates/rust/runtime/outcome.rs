//! Actions with several documented success statuses (`200` done or `202` accepted, say):
//! each returns an enum of its outcomes, decided by the answer's status, with a variant for a
//! success status the action does not document, so that a new status never fails a call.

// A build without the resources whose actions have outcomes calls none of the functions.
#![allow(dead_code)]

use crate::client::{Raw, decode};
use crate::{ApiResponse, Result};

/// A successful answer whose status the action does not document: its status and its body,
/// as JSON where it is JSON, else as text (`null` when empty). It serialises as its body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OtherAnswer {
    /// The status.
    pub status: reqwest::StatusCode,
    /// The body.
    pub body: serde_json::Value,
}

impl serde::Serialize for OtherAnswer {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

/// The outcome `variant` of the answer's JSON body, decoded as `T`.
pub(crate) fn outcome<T, O>(raw: Raw, variant: fn(T) -> O) -> Result<ApiResponse<O>>
where
    T: serde::de::DeserializeOwned,
{
    decode(raw).map(|answer: ApiResponse<T>| ApiResponse {
        status: answer.status,
        headers: answer.headers,
        data: variant(answer.data),
    })
}

/// The outcome `variant` of a status documented without a body: whatever the server sends is
/// ignored.
pub(crate) fn bodyless<O>(raw: Raw, variant: O) -> Result<ApiResponse<O>> {
    Ok(ApiResponse {
        status: raw.status,
        headers: raw.headers,
        data: variant,
    })
}

/// The outcome `variant` of an undocumented success status: never an error.
pub(crate) fn other<O>(raw: Raw, variant: fn(OtherAnswer) -> O) -> Result<ApiResponse<O>> {
    let body = if raw.body.iter().all(u8::is_ascii_whitespace) {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&raw.body).unwrap_or_else(|_| {
            serde_json::Value::String(String::from_utf8_lossy(&raw.body).into_owned())
        })
    };
    Ok(ApiResponse {
        data: variant(OtherAnswer {
            status: raw.status,
            body,
        }),
        status: raw.status,
        headers: raw.headers,
    })
}
