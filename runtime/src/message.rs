//! Typed messages: what generated message types implement, and the error of generated code.

use crate::address::AddressError;
use crate::codec::{self, CodecError};
use crate::envelope::{EnvelopeReader, EnvelopeWriter, Headers};
use crate::transport::TransportError;
use crate::validate::Violations;

/// What the typed API of generated code gives: a value, or the [`Error`] that says which channel
/// and message failed.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A message of a document, with its payload (and headers) typed.
pub trait Message: Sized + Send + Sync {
    /// The message's name in the document.
    const NAME: &'static str;
    /// The content type its payload is written in.
    const CONTENT_TYPE: &'static str;

    /// Writes the payload, headers and content type into an envelope.
    fn encode(&self, envelope: &mut impl EnvelopeWriter) -> Result<(), CodecError>;

    /// Reads the message from an envelope.
    fn decode(envelope: &impl EnvelopeReader) -> Result<Self, CodecError>;

    /// Where the document says the message keeps its correlation id (a runtime expression,
    /// `$message.header#/correlationId`), if it does.
    const CORRELATION_ID: Option<&'static str> = None;

    /// The correlation id, when the document says where the message keeps one.
    fn correlation_id(&self) -> Option<String> {
        None
    }

    /// The message's protocol bindings from the document.
    fn bindings() -> crate::bindings::MessageBindings {
        crate::bindings::MessageBindings::default()
    }
}

/// Writes a typed headers value into envelope headers: each property of the JSON object becomes
/// a header, strings as they are and other values as JSON text.
pub fn write_headers<T: serde::Serialize>(
    value: &T,
    headers: &mut Headers,
) -> Result<(), CodecError> {
    crate::headers::write(value, headers).map_err(|e| match e {
        crate::headers::HeaderError::NotAnObject => CodecError::Shape {
            content_type: "headers".to_owned(),
            reason: e.to_string(),
        },
        crate::headers::HeaderError::Custom(_) => CodecError::Codec {
            content_type: "headers".to_owned(),
            source: Box::new(e),
        },
    })
}

fn headers_error(e: serde_json::Error) -> CodecError {
    CodecError::Codec {
        content_type: "headers".to_owned(),
        source: Box::new(e),
    }
}

/// Reads a typed headers value from envelope headers: each header is tried as text first, and as
/// JSON for typed properties that are not strings (`attempt: 3`). The
/// [`MESSAGE_HEADER`](crate::operation::MESSAGE_HEADER) is not the message's.
pub fn read_headers<T: serde::de::DeserializeOwned>(headers: &Headers) -> Result<T, CodecError> {
    let mut texts: Vec<(String, serde_json::Value)> = Vec::with_capacity(headers.len());
    let mut typed: Vec<(String, serde_json::Value)> = Vec::with_capacity(headers.len());
    for (name, value) in headers.iter() {
        if name == crate::operation::MESSAGE_HEADER || texts.iter().any(|(n, _)| n == name) {
            continue;
        }
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let parsed =
            serde_json::from_str(&text).unwrap_or_else(|_| serde_json::Value::String(text.clone()));
        texts.push((name.to_owned(), serde_json::Value::String(text)));
        typed.push((name.to_owned(), parsed));
    }
    crate::headers::read(texts).or_else(|_| crate::headers::read(typed).map_err(headers_error))
}

/// Reads a typed headers value when the generator knows which headers hold JSON values (numbers,
/// booleans, objects): those are parsed as JSON, every other header is text. One pass, one
/// attempt.
pub fn read_headers_with<T: serde::de::DeserializeOwned>(
    headers: &Headers,
    json_headers: &[&str],
) -> Result<T, CodecError> {
    let mut pairs: Vec<(String, serde_json::Value)> = Vec::with_capacity(headers.len());
    for (name, value) in headers.iter() {
        if name == crate::operation::MESSAGE_HEADER || pairs.iter().any(|(n, _)| n == name) {
            continue;
        }
        let text = String::from_utf8_lossy(value.as_bytes());
        let v = if json_headers.contains(&name) {
            serde_json::from_str(&text)
                .unwrap_or_else(|_| serde_json::Value::String(text.into_owned()))
        } else {
            serde_json::Value::String(text.into_owned())
        };
        pairs.push((name.to_owned(), v));
    }
    crate::headers::read(pairs).map_err(headers_error)
}

/// Encodes a payload with the codec of `content_type` into `envelope`, with that content type.
pub fn write_payload<T: serde::Serialize + ?Sized>(
    content_type: &str,
    payload: &T,
    envelope: &mut impl EnvelopeWriter,
) -> Result<(), CodecError> {
    envelope.set_payload(codec::encode(content_type, payload)?);
    envelope.set_content_type(Some(content_type));
    Ok(())
}

/// Decodes a payload: with the envelope's content type when it carries one, `content_type`
/// otherwise.
pub fn read_payload<T: serde::de::DeserializeOwned>(
    content_type: &str,
    envelope: &impl EnvelopeReader,
) -> Result<T, CodecError> {
    codec::decode(
        envelope.content_type().unwrap_or(content_type),
        envelope.payload(),
    )
}

/// ` received on `lights/7/measured`` for an address, nothing without.
fn received_on(address: &Option<String>) -> String {
    match address {
        Some(a) => format!(" received on `{a}`"),
        None => String::new(),
    }
}

/// An error of generated code, naming the channel and message it concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The transport failed.
    #[error("channel `{channel}`: {source}")]
    Transport {
        /// The channel.
        channel: &'static str,
        /// What failed.
        #[source]
        source: TransportError,
    },
    /// A message could not be encoded.
    #[error("channel `{channel}`: cannot encode message `{message}`: {source}")]
    Encode {
        /// The channel.
        channel: &'static str,
        /// The message.
        message: &'static str,
        /// Why.
        #[source]
        source: CodecError,
    },
    /// A received envelope could not be decoded as the message it had to be.
    #[error(
        "channel `{channel}`: message `{message}` received on `{address}` cannot be decoded: {source}"
    )]
    Decode {
        /// The channel.
        channel: &'static str,
        /// The message.
        message: &'static str,
        /// The concrete address it arrived on.
        address: String,
        /// Why.
        #[source]
        source: CodecError,
    },
    /// A received envelope is none of the channel's messages, or could be several.
    #[error("channel `{channel}`: the message received on `{address}` {reason}")]
    UnknownMessage {
        /// The channel.
        channel: &'static str,
        /// The concrete address.
        address: String,
        /// Why it could not be told.
        reason: String,
    },
    /// A message breaks its schema's constraints: one about to be sent, or one received (then
    /// with the address it came on, which tells who sent it).
    #[error("channel `{channel}`: message `{message}`{} is invalid: {violations}", received_on(.address))]
    Invalid {
        /// The channel.
        channel: &'static str,
        /// The message.
        message: &'static str,
        /// The concrete address a received message came on (`None` for one being sent).
        address: Option<String>,
        /// Every broken constraint.
        violations: Violations,
    },
    /// Values given for a channel's bindings (a WebSocket upgrade's query parameters or
    /// headers, say) break the binding's schema.
    #[error("channel `{channel}`: the `{protocol}` binding's values are invalid: {violations}")]
    InvalidBinding {
        /// The channel.
        channel: &'static str,
        /// The binding's protocol key (`ws`, ...).
        protocol: &'static str,
        /// Every broken constraint.
        violations: Violations,
    },
    /// A concrete address could not be built or read.
    #[error("channel `{channel}`: {source}")]
    Address {
        /// The channel.
        channel: &'static str,
        /// Why.
        #[source]
        source: AddressError,
    },
}

/// The message of an operation whose document declares none (a health check, a trigger, a
/// channel that carries whatever its peers send): what arrives, as it is — payload bytes, their
/// content type and the headers. It is sent the same way: its payload, content type and headers
/// as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnyMessage {
    /// The payload.
    pub payload: bytes::Bytes,
    /// Its content type, when the sender gives one (`None`: the protocol's default).
    pub content_type: Option<String>,
    /// The headers.
    pub headers: Headers,
}

impl AnyMessage {
    /// A message of these bytes, without a content type or headers.
    pub fn new(payload: impl Into<bytes::Bytes>) -> Self {
        AnyMessage {
            payload: payload.into(),
            ..AnyMessage::default()
        }
    }

    /// The same message with this content type.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl Message for AnyMessage {
    const NAME: &'static str = "any message";
    const CONTENT_TYPE: &'static str = "application/octet-stream";

    fn encode(&self, envelope: &mut impl EnvelopeWriter) -> Result<(), CodecError> {
        envelope.set_payload(self.payload.clone());
        envelope.set_content_type(self.content_type.as_deref());
        for (name, value) in self.headers.iter() {
            envelope.headers_mut().append(name, value.clone());
        }
        Ok(())
    }

    fn decode(envelope: &impl EnvelopeReader) -> Result<Self, CodecError> {
        Ok(AnyMessage {
            payload: envelope.payload().clone(),
            content_type: envelope.content_type().map(str::to_owned),
            headers: envelope.headers().clone(),
        })
    }
}

/// Anything is an `AnyMessage`: nothing to check.
impl crate::validate::Validate for AnyMessage {
    fn validate_at(&self, _: &crate::validate::Path<'_>, _: &mut Violations) {}
}
