//! Value types shared by the models: secrets, nullable fields and epoch timestamps.
//!
//! The same in every crate sdkgen generates: copied unchanged from `templates/rust/runtime/`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string (an API token, a key, a password). `Debug` prints a fixed placeholder;
/// the value is reached only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself. Take care where it goes.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// A value that the server may send as an explicit `null`. A field of type
/// `Option<Nullable<T>>` keeps the three states apart: absent (`None`), `null`
/// (`Some(Nullable::Null)`) and a value (`Some(Nullable::Value(v))`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nullable<T> {
    /// The server sent `null`.
    Null,
    /// The server sent a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if it is not `null`.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Null => None,
            Nullable::Value(v) => Some(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Null => serializer.serialize_none(),
            Nullable::Value(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            None => Nullable::Null,
            Some(v) => Nullable::Value(v),
        })
    }
}

/// Reads a present field (even `null`) as `Some`, so that `null` is not mistaken for absent.
#[allow(dead_code)] // only models with optional nullable fields use it
pub(crate) fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

/// A Unix time in seconds as the server wrote it (integer or fraction), kept exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EpochSeconds(serde_json::Number);

impl EpochSeconds {
    /// The number as the server sent it.
    pub fn number(&self) -> &serde_json::Number {
        &self.0
    }

    /// The seconds as a float.
    pub fn as_f64(&self) -> f64 {
        self.0.as_f64().unwrap_or_default()
    }

    /// The instant, if it is within chrono's range.
    pub fn to_datetime(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        if let Some(secs) = self.0.as_i64() {
            return chrono::DateTime::from_timestamp(secs, 0);
        }
        let f = self.0.as_f64()?;
        let secs = f.floor();
        let nanos = ((f - secs) * 1e9).round() as u32;
        chrono::DateTime::from_timestamp(secs as i64, nanos.min(999_999_999))
    }
}

impl From<i64> for EpochSeconds {
    fn from(value: i64) -> Self {
        EpochSeconds(value.into())
    }
}

/// A string value of an enum that this version of the SDK does not know, as the server sent it.
///
/// Only the SDK makes one (reading a value, or `From<&str>` of the enum), so code that
/// matches on an enum cannot depend on a value being unknown: when a later version documents
/// the value, it reads as its own variant and `From<&str>` gives that variant too. Read such
/// a value with the enum's `as_str`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Keeps a value the enum does not know.
    #[allow(dead_code)] // an API without enums does not use it
    pub(crate) fn new(value: &str) -> Self {
        UnknownValue(value.to_owned())
    }

    /// The value as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads a string value of an enum.
#[allow(dead_code)] // an API without enums does not use it
pub(crate) fn enum_value<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = String::deserialize(deserializer)?;
    Ok(T::from(value.as_str()))
}
