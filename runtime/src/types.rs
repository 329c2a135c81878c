//! Value types for schema formats that have no better-known crate type.

use std::fmt;
use std::ops::{Deref, DerefMut};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};

/// Bytes carried in JSON as a base64 string (`type: string, format: byte`, or
/// `contentEncoding: base64`).
///
/// Decoding accepts the standard alphabet with or without padding; encoding writes it padded
/// (RFC 4648 §4).
///
/// ```
/// use asyncapi_runtime::types::Base64;
///
/// let b: Base64 = serde_json::from_str("\"aGVsbG8=\"").unwrap();
/// assert_eq!(&b[..], b"hello");
/// assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGVsbG8=\"");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// Decodes base64 text.
    pub fn decode(text: &str) -> Result<Base64, base64::DecodeError> {
        let trimmed = text.trim_end_matches('=');
        if text.len() - trimmed.len() > 2 {
            return Err(base64::DecodeError::InvalidPadding);
        }
        STANDARD_NO_PAD.decode(trimmed).map(Base64)
    }

    /// The padded base64 text.
    pub fn encode(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// The bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({})", self.encode())
    }
}

impl Deref for Base64 {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Base64 {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

impl From<Base64> for Vec<u8> {
    fn from(b: Base64) -> Self {
        b.0
    }
}

impl serde::Serialize for Base64 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> serde::Deserialize<'de> for Base64 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Base64;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Base64, E> {
                Base64::decode(v).map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_optional_when_reading() {
        assert_eq!(Base64::decode("aGk").unwrap().0, b"hi");
        assert_eq!(Base64::decode("aGk=").unwrap().0, b"hi");
        assert!(Base64::decode("aGk===").is_err());
        assert!(Base64::decode("a$").is_err());
        let err = serde_json::from_str::<Base64>("\"!!\"").unwrap_err();
        assert!(err.to_string().contains("invalid base64"), "{err}");
    }
}
