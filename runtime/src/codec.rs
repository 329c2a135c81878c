//! Payload codecs, chosen by content type.
//!
//! Built in: JSON (`application/json`, `text/json` and every `+json` type), plain text
//! (`text/plain` and other `text/*`), raw bytes (`application/octet-stream`), and — behind the
//! `yaml` and `xml` cargo features — YAML (`application/yaml`, `application/x-yaml`,
//! `text/yaml`, `+yaml`) and XML (`application/xml`, `text/xml`, `+xml`). Any other content type
//! can be handled by a [`Codec`] registered with [`register`].
//!
//! ```
//! use asyncapi_runtime::codec;
//!
//! let bytes = codec::encode("application/json", &vec![1, 2]).unwrap();
//! assert_eq!(&bytes[..], b"[1,2]");
//! let back: Vec<i32> = codec::decode("application/json", &bytes).unwrap();
//! assert_eq!(back, [1, 2]);
//! let text = codec::encode("text/plain; charset=utf-8", &"hello").unwrap();
//! assert_eq!(&text[..], b"hello");
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What encoding or decoding a payload gives.
pub type Result<T, E = CodecError> = std::result::Result<T, E>;

/// Why a payload could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// No codec handles the content type.
    #[error("no codec for content type `{0}`; register one with `asyncapi::codec::register`")]
    Unsupported(String),
    /// A built-in codec that needs a cargo feature of the `asyncapi` crate.
    #[error("content type `{content_type}` needs the `{feature}` feature of the asyncapi crate")]
    FeatureDisabled {
        /// The content type.
        content_type: String,
        /// The feature to enable.
        feature: &'static str,
    },
    /// The value does not fit the content type (a structure sent as `text/plain`, ...).
    #[error("cannot write this value as `{content_type}`: {reason}")]
    Shape {
        /// The content type.
        content_type: String,
        /// Why.
        reason: String,
    },
    /// A value inside the payload does not fit its type: the JSON pointer of that value (`/sentAt`,
    /// `/lines/2/quantity`) and why (with what was expected, where the codec's error does not
    /// say: a date-time's format).
    #[error("`{content_type}` at `{pointer}`: {source}")]
    Field {
        /// The content type.
        content_type: String,
        /// Where the value is in the payload.
        pointer: String,
        /// The codec's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The codec failed.
    #[error("`{content_type}`: {source}")]
    Codec {
        /// The content type.
        content_type: String,
        /// The codec's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// A codec for a content type that is not built in. It works on JSON values, so that it can
/// serve every generated type.
pub trait Codec: Send + Sync {
    /// Writes a value.
    fn encode(&self, value: &Value) -> Result<Bytes, Box<dyn std::error::Error + Send + Sync>>;
    /// Reads a value.
    fn decode(&self, bytes: &[u8]) -> Result<Value, Box<dyn std::error::Error + Send + Sync>>;
}

fn registry() -> &'static RwLock<HashMap<String, Arc<dyn Codec>>> {
    static REGISTRY: OnceLock<RwLock<HashMap<String, Arc<dyn Codec>>>> = OnceLock::new();
    REGISTRY.get_or_init(Default::default)
}

/// Whether any codec was registered: until one is, encoding and decoding skip the registry.
static REGISTERED: AtomicBool = AtomicBool::new(false);

/// Registers `codec` for a content type (compared without parameters and case), for the whole
/// process. A registered codec takes precedence over a built-in one.
pub fn register(content_type: &str, codec: impl Codec + 'static) {
    let key = essence(content_type);
    registry()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, Arc::new(codec));
    REGISTERED.store(true, Ordering::Release);
}

/// The media type without parameters, lower case: `Application/JSON; charset=utf-8` gives
/// `application/json`.
pub fn essence(content_type: &str) -> String {
    essence_of(content_type).into_owned()
}

/// [`essence`], borrowed when the content type is already in that form (the common case).
fn essence_of(content_type: &str) -> Cow<'_, str> {
    let bare = content_type.split(';').next().unwrap_or_default().trim();
    if bare.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(bare.to_ascii_lowercase())
    } else {
        Cow::Borrowed(bare)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Json,
    Text,
    Bytes,
    Yaml,
    Xml,
}

fn kind(essence: &str) -> Option<Kind> {
    Some(match essence {
        "application/json" | "text/json" => Kind::Json,
        e if e.ends_with("+json") => Kind::Json,
        "application/octet-stream" => Kind::Bytes,
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => Kind::Yaml,
        e if e.ends_with("+yaml") => Kind::Yaml,
        "application/xml" | "text/xml" => Kind::Xml,
        e if e.ends_with("+xml") => Kind::Xml,
        e if e.starts_with("text/") => Kind::Text,
        _ => return None,
    })
}

fn codec_err(content_type: &str, e: impl std::error::Error + Send + Sync + 'static) -> CodecError {
    CodecError::Codec {
        content_type: content_type.to_owned(),
        source: Box::new(e),
    }
}

/// The error of a JSON payload that does not read as a `T`, naming where in the payload it went
/// wrong (the JSON pointer of the value), when it is inside: the payload is read once more,
/// tracking the path, so that only a failure pays for it.
fn json_error<T: DeserializeOwned>(
    content_type: &str,
    bytes: &[u8],
    error: serde_json::Error,
) -> CodecError {
    let mut again = serde_json::Deserializer::from_slice(bytes);
    let pointer = match serde_path_to_error::deserialize::<_, T>(&mut again) {
        Err(tracked) => pointer_of(tracked.path()),
        Ok(_) => String::new(),
    };
    if pointer.is_empty() {
        return codec_err(content_type, error);
    }
    CodecError::Field {
        content_type: content_type.to_owned(),
        pointer,
        source: Box::new(Expected {
            expected: expected_by(&error.to_string()),
            error,
        }),
    }
}

/// A JSON error, with what the value should have been where the error does not say.
#[derive(Debug)]
struct Expected {
    error: serde_json::Error,
    expected: Option<&'static str>,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.expected {
            Some(e) => write!(f, "{} (expected {e})", self.error),
            None => self.error.fmt(f),
        }
    }
}

impl std::error::Error for Expected {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// What a value should have been, for the errors that do not say: chrono's, whose messages name
/// no format (`input contains invalid characters`).
fn expected_by(message: &str) -> Option<&'static str> {
    const CHRONO: &[&str] = &[
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "input is out of range",
        "input is not enough for unique date and time",
        "no possible date and time matching input",
    ];
    CHRONO
        .iter()
        .any(|m| message.starts_with(m))
        .then_some("an RFC 3339 date-time such as `2024-01-31T13:24:53Z`, or a date such as `2024-01-31` where the schema's format is `date`")
}

/// A serde path as a JSON pointer (`/lines/2/sku`); empty for the root.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// The registered codec for a content type's essence.
/// `application/json` exactly, with no codec registered for it: the common case, which needs
/// no parsing of the content type (it is what the slower path would find too).
fn plain_json(content_type: &str) -> bool {
    content_type == "application/json" && !REGISTERED.load(Ordering::Acquire)
}

fn custom(essence: &str) -> Option<Arc<dyn Codec>> {
    if !REGISTERED.load(Ordering::Acquire) {
        return None;
    }
    registry()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(essence)
        .cloned()
}

/// Encodes `value` as `content_type`.
pub fn encode<T: Serialize + ?Sized>(content_type: &str, value: &T) -> Result<Bytes, CodecError> {
    if plain_json(content_type) {
        return serde_json::to_vec(value)
            .map(Bytes::from)
            .map_err(|e| codec_err(content_type, e));
    }
    let essence = essence_of(content_type);
    if let Some(codec) = custom(&essence) {
        let json = serde_json::to_value(value).map_err(|e| codec_err(content_type, e))?;
        return codec.encode(&json).map_err(|source| CodecError::Codec {
            content_type: content_type.to_owned(),
            source,
        });
    }
    match kind(&essence) {
        Some(Kind::Json) => serde_json::to_vec(value)
            .map(Bytes::from)
            .map_err(|e| codec_err(content_type, e)),
        Some(Kind::Text) => {
            match serde_json::to_value(value).map_err(|e| codec_err(content_type, e))? {
                Value::String(s) => Ok(Bytes::from(s)),
                v @ (Value::Number(_) | Value::Bool(_)) => Ok(Bytes::from(v.to_string())),
                other => Err(CodecError::Shape {
                    content_type: content_type.to_owned(),
                    reason: format!(
                        "text carries a string, a number or a boolean, not {}",
                        crate::schema::json_kind(&other)
                    ),
                }),
            }
        }
        Some(Kind::Bytes) => {
            match serde_json::to_value(value).map_err(|e| codec_err(content_type, e))? {
                Value::String(s) => Ok(Bytes::from(s)),
                Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
                    .collect::<Option<Vec<u8>>>()
                    .map(Bytes::from)
                    .ok_or_else(|| CodecError::Shape {
                        content_type: content_type.to_owned(),
                        reason: "an array of bytes holds only numbers from 0 to 255".to_owned(),
                    }),
                other => Err(CodecError::Shape {
                    content_type: content_type.to_owned(),
                    reason: format!(
                        "raw bytes come from a string or an array of bytes, not {}",
                        crate::schema::json_kind(&other)
                    ),
                }),
            }
        }
        Some(Kind::Yaml) => yaml::encode(content_type, value),
        Some(Kind::Xml) => xml::encode(content_type, value),
        None => Err(CodecError::Unsupported(content_type.to_owned())),
    }
}

/// Decodes `bytes` of `content_type` into a `T`.
pub fn decode<T: DeserializeOwned>(content_type: &str, bytes: &[u8]) -> Result<T, CodecError> {
    if plain_json(content_type) {
        return serde_json::from_slice(bytes).map_err(|e| json_error::<T>(content_type, bytes, e));
    }
    let essence = essence_of(content_type);
    if let Some(codec) = custom(&essence) {
        let json = codec.decode(bytes).map_err(|source| CodecError::Codec {
            content_type: content_type.to_owned(),
            source,
        })?;
        return serde_json::from_value(json).map_err(|e| codec_err(content_type, e));
    }
    match kind(&essence) {
        Some(Kind::Json) => {
            serde_json::from_slice(bytes).map_err(|e| json_error::<T>(content_type, bytes, e))
        }
        Some(Kind::Text) => {
            let text = std::str::from_utf8(bytes).map_err(|e| codec_err(content_type, e))?;
            serde_json::from_value(Value::String(text.to_owned()))
                .or_else(|_| serde_json::from_str(text))
                .map_err(|e| codec_err(content_type, e))
        }
        Some(Kind::Bytes) => {
            let value = match std::str::from_utf8(bytes) {
                Ok(text) => Value::String(text.to_owned()),
                Err(_) => Value::Array(bytes.iter().map(|&b| Value::from(b)).collect()),
            };
            serde_json::from_value(value.clone())
                .or_else(|_| {
                    serde_json::from_value(Value::Array(
                        bytes.iter().map(|&b| Value::from(b)).collect(),
                    ))
                })
                .map_err(|e| codec_err(content_type, e))
        }
        Some(Kind::Yaml) => yaml::decode(content_type, bytes),
        Some(Kind::Xml) => xml::decode(content_type, bytes),
        None => Err(CodecError::Unsupported(content_type.to_owned())),
    }
}

#[cfg(feature = "yaml")]
mod yaml {
    use super::*;

    pub(super) fn encode<T: Serialize + ?Sized>(ct: &str, value: &T) -> Result<Bytes, CodecError> {
        serde_saphyr::to_string(&value)
            .map(Bytes::from)
            .map_err(|e| codec_err(ct, e))
    }

    pub(super) fn decode<T: DeserializeOwned>(ct: &str, bytes: &[u8]) -> Result<T, CodecError> {
        let text = std::str::from_utf8(bytes).map_err(|e| codec_err(ct, e))?;
        serde_saphyr::from_str(text).map_err(|e| codec_err(ct, e))
    }
}

#[cfg(not(feature = "yaml"))]
mod yaml {
    use super::*;

    pub(super) fn encode<T: Serialize + ?Sized>(ct: &str, _: &T) -> Result<Bytes, CodecError> {
        Err(CodecError::FeatureDisabled {
            content_type: ct.to_owned(),
            feature: "yaml",
        })
    }

    pub(super) fn decode<T: DeserializeOwned>(ct: &str, _: &[u8]) -> Result<T, CodecError> {
        Err(CodecError::FeatureDisabled {
            content_type: ct.to_owned(),
            feature: "yaml",
        })
    }
}

#[cfg(feature = "xml")]
mod xml {
    use super::*;

    pub(super) fn encode<T: Serialize + ?Sized>(ct: &str, value: &T) -> Result<Bytes, CodecError> {
        quick_xml::se::to_string(value)
            .map(Bytes::from)
            .map_err(|e| codec_err(ct, e))
    }

    pub(super) fn decode<T: DeserializeOwned>(ct: &str, bytes: &[u8]) -> Result<T, CodecError> {
        let text = std::str::from_utf8(bytes).map_err(|e| codec_err(ct, e))?;
        quick_xml::de::from_str(text).map_err(|e| codec_err(ct, e))
    }
}

#[cfg(not(feature = "xml"))]
mod xml {
    use super::*;

    pub(super) fn encode<T: Serialize + ?Sized>(ct: &str, _: &T) -> Result<Bytes, CodecError> {
        Err(CodecError::FeatureDisabled {
            content_type: ct.to_owned(),
            feature: "xml",
        })
    }

    pub(super) fn decode<T: DeserializeOwned>(ct: &str, _: &[u8]) -> Result<T, CodecError> {
        Err(CodecError::FeatureDisabled {
            content_type: ct.to_owned(),
            feature: "xml",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_does_not_fit_is_named_by_its_pointer() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Order {
            lines: Vec<Line>,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Line {
            quantity: u32,
        }
        let bytes = br#"{"lines":[{"quantity":1},{"quantity":"two"}]}"#;
        let e = decode::<Order>("application/json", bytes).unwrap_err();
        assert!(
            matches!(&e, CodecError::Field { pointer, .. } if pointer == "/lines/1/quantity"),
            "{e}"
        );
        assert!(e.to_string().contains("at `/lines/1/quantity`"), "{e}");
        // A date-time's error says which format it wanted.
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Stamped {
            sent_at: chrono::DateTime<chrono::FixedOffset>,
        }
        let e = decode::<Stamped>("application/json", br#"{"sent_at":"yesterday"}"#).unwrap_err();
        assert!(
            e.to_string().contains("at `/sent_at`") && e.to_string().contains("RFC 3339"),
            "{e}"
        );
        // Not JSON at all: no pointer to give.
        let e = decode::<Order>("application/json", b"{").unwrap_err();
        assert!(matches!(e, CodecError::Codec { .. }), "{e}");
    }

    #[test]
    fn content_types_pick_codecs() {
        assert_eq!(kind("application/cloudevents+json"), Some(Kind::Json));
        assert_eq!(kind("text/csv"), Some(Kind::Text));
        assert_eq!(kind("application/vnd.google.protobuf"), None);
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
    }

    #[test]
    fn text_and_bytes() {
        let n: i64 = decode("text/plain", b"42").unwrap();
        assert_eq!(n, 42);
        assert!(matches!(
            encode("text/plain", &serde_json::json!({"a": 1})),
            Err(CodecError::Shape { .. })
        ));
        let raw = encode("application/octet-stream", &vec![0u8, 255]).unwrap();
        assert_eq!(&raw[..], &[0, 255]);
        let back: Vec<u8> = decode("application/octet-stream", &[0, 255]).unwrap();
        assert_eq!(back, [0, 255]);
        let s: String = decode("application/octet-stream", b"hi").unwrap();
        assert_eq!(s, "hi");
    }

    #[test]
    fn registered_codecs_take_over() {
        struct Upper;
        impl Codec for Upper {
            fn encode(&self, v: &Value) -> Result<Bytes, Box<dyn std::error::Error + Send + Sync>> {
                Ok(Bytes::from(v.as_str().unwrap_or_default().to_uppercase()))
            }
            fn decode(&self, b: &[u8]) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
                Ok(Value::String(String::from_utf8_lossy(b).to_lowercase()))
            }
        }
        register("application/x-upper", Upper);
        assert_eq!(&encode("application/x-upper", "abc").unwrap()[..], b"ABC");
        let s: String = decode("application/x-upper", b"ABC").unwrap();
        assert_eq!(s, "abc");
        assert!(matches!(
            encode("application/x-unknown", "a"),
            Err(CodecError::Unsupported(_))
        ));
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_round_trip() {
        let v = serde_json::json!({"a": [1, 2], "b": "x"});
        let bytes = encode("application/x-yaml", &v).unwrap();
        let back: Value = decode("application/yaml", &bytes).unwrap();
        assert_eq!(back, v);
    }

    #[cfg(feature = "xml")]
    #[test]
    fn xml_round_trip() {
        #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Reading {
            id: String,
            lumens: i64,
        }
        let r = Reading {
            id: "a".into(),
            lumens: 3,
        };
        let bytes = encode("application/xml", &r).unwrap();
        let back: Reading = decode("text/xml", &bytes).unwrap();
        assert_eq!(back, r);
    }
}
