//! Value types shared by the models: secrets, nullable fields and epoch timestamps.

// For maintainers: the same in every crate sdkgen generates (copied unchanged by the generator).

use serde::de::{self, DeserializeOwned};
use serde::ser;
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

/// Whether `value` is an object whose `field` is one of `values` (how a union tells its
/// object alternatives apart).
#[allow(dead_code)] // only APIs with discriminated unions use it
pub(crate) fn tag_is(value: &serde_json::Value, field: &str, values: &[&str]) -> bool {
    value
        .get(field)
        .and_then(serde_json::Value::as_str)
        .is_some_and(|tag| values.contains(&tag))
}

/// Reads a string value of an enum.
#[allow(dead_code)] // an API without enums does not use it
pub(crate) fn enum_value<'de, D: Deserializer<'de>, T: for<'a> From<&'a str>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = String::deserialize(deserializer)?;
    Ok(T::from(value.as_str()))
}

/// A JSON object being read into a model, field by field: what every model's `Deserialize`
/// calls (written out, not derived: a derive expands to a visitor per model, which is most of
/// a large crate's checking time). What no field takes is the model's `extra`.
pub(crate) struct Fields(serde_json::Map<String, serde_json::Value>);

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Map::deserialize(deserializer).map(Fields)
    }
}

#[allow(dead_code)] // not every API has each kind of field
impl Fields {
    fn read<T: DeserializeOwned, E: de::Error>(
        key: &str,
        value: serde_json::Value,
    ) -> Result<T, E> {
        serde_json::from_value(value).map_err(|e| E::custom(format_args!("field `{key}`: {e}")))
    }

    /// A field that must be present. An absent one reads as `null` would (so a required but
    /// nullable field reads as `None`), and is a `missing field` error for any other type.
    pub(crate) fn required<T: DeserializeOwned, E: de::Error>(
        &mut self,
        key: &'static str,
    ) -> Result<T, E> {
        match self.0.remove(key) {
            Some(value) => Self::read(key, value),
            None => {
                serde_json::from_value(serde_json::Value::Null).map_err(|_| E::missing_field(key))
            }
        }
    }

    /// A field that may be absent: absent and `null` read as `None`.
    pub(crate) fn optional<T: DeserializeOwned, E: de::Error>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, E> {
        match self.0.remove(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => Self::read(key, value).map(Some),
        }
    }

    /// A field that may be absent or `null`, the two kept apart: absent reads as `None`, a
    /// present value (`null` included) as `Some`.
    pub(crate) fn present<T: DeserializeOwned, E: de::Error>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, E> {
        self.0
            .remove(key)
            .map(|value| Self::read(key, value))
            .transpose()
    }

    /// The fields no field of the model took.
    pub(crate) fn rest(self) -> serde_json::Map<String, serde_json::Value> {
        self.0
    }
}

/// A model being written as a JSON object: its fields in order, then its `extra` fields.
pub(crate) struct FieldsOut<M>(M);

#[allow(dead_code)] // not every API has each kind of field
impl<M: ser::SerializeMap> FieldsOut<M> {
    /// Starts the object.
    pub(crate) fn new<S: Serializer<SerializeMap = M>>(serializer: S) -> Result<Self, S::Error> {
        serializer.serialize_map(None).map(FieldsOut)
    }

    /// A field always written (`None` of a required nullable field as `null`).
    pub(crate) fn required<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        self.0.serialize_entry(key, value)
    }

    /// A field written only when it is set.
    pub(crate) fn optional<T: Serialize>(
        &mut self,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(value) => self.0.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    /// Writes the fields this SDK version does not know, and ends the object.
    pub(crate) fn end(
        mut self,
        extra: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<M::Ok, M::Error> {
        for (key, value) in extra {
            self.0.serialize_entry(key, value)?;
        }
        self.0.end()
    }
}
