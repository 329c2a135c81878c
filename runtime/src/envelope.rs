//! Envelopes: a message as a transport carries it — payload bytes, headers, content type, and the
//! concrete address it was sent to — and the traits every protocol's envelope implements.
//!
//! [`EnvelopeWriter`] is what generated code fills when it sends a typed message;
//! [`EnvelopeReader`] is what it reads a typed message back from. Each transport has its own
//! envelope types with its protocol's extras (MQTT QoS, Kafka key, AMQP routing key, ...); the
//! plain [`Envelope`] implements both traits and is what the in-process transport and the boxed,
//! protocol-chosen-at-run-time path carry.

use std::borrow::Cow;

use bytes::Bytes;

use crate::ack::Acknowledgement;

/// A header value: bytes, usually UTF-8 text; marked as JSON when it is the JSON text of a
/// value that is not a string (a typed header's number, boolean, array or object), so that a
/// transport whose headers are typed (AMQP field tables) writes it with its type. Two values
/// are equal when their bytes are.
#[derive(Clone, Debug, Default)]
pub struct HeaderValue {
    bytes: Bytes,
    json: bool,
}

impl PartialEq for HeaderValue {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for HeaderValue {}

impl std::hash::Hash for HeaderValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl HeaderValue {
    /// The JSON text of a value that is not a string (`7`, `true`, `[1,2]`).
    pub fn json(text: impl Into<String>) -> Self {
        HeaderValue {
            bytes: Bytes::from(text.into()),
            json: true,
        }
    }

    /// Whether the value is the JSON text of a value that is not a string.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// The value as text, when it is UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes).ok()
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl From<&str> for HeaderValue {
    fn from(value: &str) -> Self {
        HeaderValue {
            bytes: Bytes::copy_from_slice(value.as_bytes()),
            json: false,
        }
    }
}

impl From<String> for HeaderValue {
    fn from(value: String) -> Self {
        HeaderValue {
            bytes: Bytes::from(value),
            json: false,
        }
    }
}

impl From<Bytes> for HeaderValue {
    fn from(value: Bytes) -> Self {
        HeaderValue {
            bytes: value,
            json: false,
        }
    }
}

impl From<Vec<u8>> for HeaderValue {
    fn from(value: Vec<u8>) -> Self {
        HeaderValue {
            bytes: Bytes::from(value),
            json: false,
        }
    }
}

/// Message headers in the order they were set. Names are compared exactly (MQTT user properties
/// and NATS headers are case-sensitive; transports whose protocol is not normalise on the wire).
///
/// `Debug` shows the value of a header whose name [`is_secret_name`] as `<redacted>`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Headers {
    entries: Vec<(String, HeaderValue)>,
}

/// Every header, the secret ones' values as `<redacted>`.
impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.redacting(&[]).fmt(f)
    }
}

/// Whether a header, query parameter or cookie of this name carries a secret, by its name alone
/// (ASCII case ignored): `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, and
/// any name that holds `key`, `token`, `secret`, `password`, `passwd`, `auth`, `session`,
/// `credential` or `signature` (`X-API-Key`, `api_key`, `X-Auth-Token`). A name the document's
/// security scheme gives is known by the transport that applies it
/// ([`crate::security::secret_names`]).
///
/// ```
/// use asyncapi_runtime::envelope::is_secret_name;
///
/// assert!(is_secret_name("Authorization") && is_secret_name("X-API-Key") && is_secret_name("sessionid"));
/// assert!(!is_secret_name("Content-Type") && !is_secret_name("x-tenant"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
    ) || [
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "auth",
        "session",
        "credential",
        "signature",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// `Debug` of headers with the values of secret names redacted ([`Headers::redacting`]).
pub struct RedactedHeaders<'a> {
    headers: &'a Headers,
    also: &'a [String],
}

impl std::fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.headers.iter() {
            let secret =
                is_secret_name(name) || self.also.iter().any(|n| n.eq_ignore_ascii_case(name));
            if secret {
                map.entry(&name, &format_args!("<redacted>"));
            } else {
                map.entry(&name, value);
            }
        }
        map.finish()
    }
}

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Headers::default()
    }

    /// Sets `name` to `value`, replacing every value it had.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<HeaderValue>) {
        let name = name.into();
        self.entries.retain(|(n, _)| *n != name);
        self.entries.push((name, value.into()));
    }

    /// Adds a value for `name`, keeping the ones it had (protocols that allow repeated headers).
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<HeaderValue>) {
        self.entries.push((name.into(), value.into()));
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&HeaderValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The first value of `name`, as text.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(HeaderValue::as_str)
    }

    /// Every value of `name`.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a HeaderValue> + 'a {
        self.entries
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// Removes every value of `name`.
    pub fn remove(&mut self, name: &str) {
        self.entries.retain(|(n, _)| n != name);
    }

    /// Every header, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &HeaderValue)> {
        self.entries.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A `Debug` view that also redacts the values of these names (those the document's
    /// security schemes put a key in), besides those [`is_secret_name`] finds.
    pub fn redacting<'a>(&'a self, also: &'a [String]) -> RedactedHeaders<'a> {
        RedactedHeaders {
            headers: self,
            also,
        }
    }
}

impl<N: Into<String>, V: Into<HeaderValue>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        let mut h = Headers::new();
        for (n, v) in iter {
            h.append(n, v);
        }
        h
    }
}

/// An envelope being written for sending.
pub trait EnvelopeWriter {
    /// Sets the concrete address (topic, subject, routing key, path) it goes to.
    fn set_address(&mut self, address: String);
    /// Sets the payload.
    fn set_payload(&mut self, payload: Bytes);
    /// Sets the content type (`None` leaves the protocol's default).
    fn set_content_type(&mut self, content_type: Option<&str>);
    /// The headers, to add to.
    fn headers_mut(&mut self) -> &mut Headers;
    /// Sets where a reply is expected (request/reply).
    fn set_reply_to(&mut self, address: Option<String>);
    /// Sets the correlation id that ties a reply to its request.
    fn set_correlation_id(&mut self, id: Option<String>);
    /// Applies the message's bindings for this envelope's protocol (MQTT 5 properties, AMQP
    /// message properties, ...). Protocols without message bindings ignore them.
    fn apply_bindings(&mut self, bindings: &crate::bindings::MessageBindings) {
        let _ = bindings;
    }
}

/// An envelope that was received.
pub trait EnvelopeReader {
    /// The concrete address it arrived on.
    fn address(&self) -> &str;
    /// The payload.
    fn payload(&self) -> &Bytes;
    /// The content type, when the protocol carries one.
    fn content_type(&self) -> Option<&str>;
    /// The headers.
    fn headers(&self) -> &Headers;
    /// Where the sender expects a reply.
    fn reply_to(&self) -> Option<&str>;
    /// The correlation id.
    fn correlation_id(&self) -> Option<&str>;
    /// How to acknowledge it, when the protocol acknowledges (see [`crate::ack`]).
    fn acknowledgement(&self) -> Option<&Acknowledgement> {
        None
    }
    /// The protocol's own name of the message's type, where it carries one (AMQP's `type`
    /// property): what tells several messages of one operation apart first
    /// ([`crate::operation::dispatch`]).
    fn message_type(&self) -> Option<&str> {
        None
    }
    /// The address, the envelope consumed: what a reader done with the envelope keeps. The
    /// default copies [`address`](Self::address); an envelope that owns its address moves it.
    fn into_address(self) -> String
    where
        Self: Sized,
    {
        self.address().to_owned()
    }
}

/// A content type as an envelope keeps it: the common ones (JSON, text, bytes, XML, YAML,
/// Avro, Protobuf, CloudEvents) borrowed, any other copied. What a transport reading a content
/// type off the wire, and [`EnvelopeWriter::set_content_type`] on [`Envelope`], store.
pub fn content_type_of(text: &str) -> Cow<'static, str> {
    const COMMON: &[&str] = &[
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "text/plain; charset=utf-8",
        "application/octet-stream",
        "application/xml",
        "text/xml",
        "application/yaml",
        "application/x-yaml",
        "application/cloudevents+json",
        "application/vnd.apache.avro+binary",
        "application/vnd.apache.avro+json",
        "avro/binary",
        "application/x-protobuf",
        "application/protobuf",
    ];
    match COMMON.iter().find(|common| **common == text) {
        Some(common) => Cow::Borrowed(common),
        None => Cow::Owned(text.to_owned()),
    }
}

/// A protocol-neutral envelope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Envelope {
    /// The concrete address.
    pub address: String,
    /// The payload.
    pub payload: Bytes,
    /// The content type: borrowed for the common ones ([`content_type_of`]), so that most
    /// envelopes carry theirs without an allocation.
    pub content_type: Option<Cow<'static, str>>,
    /// The headers.
    pub headers: Headers,
    /// Where a reply is expected.
    pub reply_to: Option<String>,
    /// The correlation id.
    pub correlation_id: Option<String>,
    /// How to acknowledge a received envelope, when its protocol acknowledges.
    pub acknowledgement: Option<Acknowledgement>,
}

impl Envelope {
    /// An empty envelope for `address`.
    pub fn new(address: impl Into<String>) -> Self {
        Envelope {
            address: address.into(),
            ..Envelope::default()
        }
    }

    /// The same envelope with `payload`.
    pub fn with_payload(mut self, payload: impl Into<Bytes>) -> Self {
        self.payload = payload.into();
        self
    }
}

/// An envelope of a protocol of its own that carries a plain [`Envelope`] beside the protocol's
/// extras (MQTT QoS, AMQP properties, ...): implementing it gives the type [`EnvelopeWriter`] and
/// [`EnvelopeReader`], each method forwarded to the inner envelope, and
/// [`apply_message_bindings`](Self::apply_message_bindings) for what the document's message
/// bindings set.
///
/// ```
/// use asyncapi_runtime::bindings::MessageBindings;
/// use asyncapi_runtime::envelope::{Envelope, EnvelopeReader, EnvelopeWriter, Wrapper};
///
/// #[derive(Default)]
/// struct MyEnvelope {
///     envelope: Envelope,
///     priority: Option<u8>,
/// }
///
/// impl Wrapper for MyEnvelope {
///     fn envelope(&self) -> &Envelope {
///         &self.envelope
///     }
///     fn envelope_mut(&mut self) -> &mut Envelope {
///         &mut self.envelope
///     }
///     fn apply_message_bindings(&mut self, _bindings: &MessageBindings) {
///         self.priority = Some(9);
///     }
/// }
///
/// let mut e = MyEnvelope::default();
/// e.set_address("jobs".into());
/// e.apply_bindings(&MessageBindings::default());
/// assert_eq!((e.address(), e.priority), ("jobs", Some(9)));
/// ```
pub trait Wrapper {
    /// The inner envelope.
    fn envelope(&self) -> &Envelope;
    /// The inner envelope, to change.
    fn envelope_mut(&mut self) -> &mut Envelope;
    /// Applies what the document's message bindings say for this protocol
    /// ([`EnvelopeWriter::apply_bindings`]); nothing by default.
    fn apply_message_bindings(&mut self, bindings: &crate::bindings::MessageBindings) {
        let _ = bindings;
    }
    /// The protocol's own name of the message's type, if it carries one
    /// ([`EnvelopeReader::message_type`]); none by default.
    fn protocol_message_type(&self) -> Option<&str> {
        None
    }
}

impl<W: Wrapper> EnvelopeWriter for W {
    fn set_address(&mut self, address: String) {
        self.envelope_mut().set_address(address);
    }
    fn set_payload(&mut self, payload: Bytes) {
        self.envelope_mut().set_payload(payload);
    }
    fn set_content_type(&mut self, content_type: Option<&str>) {
        self.envelope_mut().set_content_type(content_type);
    }
    fn headers_mut(&mut self) -> &mut Headers {
        self.envelope_mut().headers_mut()
    }
    fn set_reply_to(&mut self, address: Option<String>) {
        self.envelope_mut().set_reply_to(address);
    }
    fn set_correlation_id(&mut self, id: Option<String>) {
        self.envelope_mut().set_correlation_id(id);
    }
    fn apply_bindings(&mut self, bindings: &crate::bindings::MessageBindings) {
        self.apply_message_bindings(bindings);
    }
}

impl<W: Wrapper> EnvelopeReader for W {
    fn address(&self) -> &str {
        self.envelope().address()
    }
    fn payload(&self) -> &Bytes {
        self.envelope().payload()
    }
    fn content_type(&self) -> Option<&str> {
        self.envelope().content_type()
    }
    fn headers(&self) -> &Headers {
        self.envelope().headers()
    }
    fn reply_to(&self) -> Option<&str> {
        self.envelope().reply_to()
    }
    fn correlation_id(&self) -> Option<&str> {
        self.envelope().correlation_id()
    }
    fn acknowledgement(&self) -> Option<&Acknowledgement> {
        self.envelope().acknowledgement()
    }
    fn message_type(&self) -> Option<&str> {
        self.protocol_message_type()
    }
    fn into_address(mut self) -> String {
        std::mem::take(&mut self.envelope_mut().address)
    }
}

impl EnvelopeWriter for Envelope {
    fn set_address(&mut self, address: String) {
        self.address = address;
    }
    fn set_payload(&mut self, payload: Bytes) {
        self.payload = payload;
    }
    fn set_content_type(&mut self, content_type: Option<&str>) {
        self.content_type = content_type.map(content_type_of);
    }
    fn headers_mut(&mut self) -> &mut Headers {
        &mut self.headers
    }
    fn set_reply_to(&mut self, address: Option<String>) {
        self.reply_to = address;
    }
    fn set_correlation_id(&mut self, id: Option<String>) {
        self.correlation_id = id;
    }
}

impl EnvelopeReader for Envelope {
    fn address(&self) -> &str {
        &self.address
    }
    fn payload(&self) -> &Bytes {
        &self.payload
    }
    fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
    fn headers(&self) -> &Headers {
        &self.headers
    }
    fn reply_to(&self) -> Option<&str> {
        self.reply_to.as_deref()
    }
    fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }
    fn into_address(self) -> String {
        self.address
    }
    fn acknowledgement(&self) -> Option<&Acknowledgement> {
        self.acknowledgement.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_keep_order_and_replace() {
        let mut h: Headers = [("a", "1"), ("b", "2"), ("a", "3")].into_iter().collect();
        assert_eq!(h.get_all("a").count(), 2);
        h.insert("a", "4");
        assert_eq!(
            h.iter()
                .map(|(n, v)| (n, v.as_str().unwrap()))
                .collect::<Vec<_>>(),
            [("b", "2"), ("a", "4")]
        );
        h.remove("b");
        assert_eq!(h.len(), 1);
        assert_eq!(h.get_str("a"), Some("4"));
    }
}
