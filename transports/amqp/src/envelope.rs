//! The AMQP envelope: an envelope with the message properties of the document's AMQP message
//! binding (`contentEncoding`, `messageType`).

use bytes::Bytes;

use asyncapi_runtime::ack::Acknowledgement;
use asyncapi_runtime::envelope::{Envelope, EnvelopeReader, EnvelopeWriter, Headers};

/// A message as AMQP carries it: the envelope (payload, headers as the headers table, content
/// type, correlation id, reply-to) and the properties of the AMQP message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpEnvelope {
    /// Payload, headers, content type, correlation id and reply address.
    pub envelope: Envelope,
    /// The `content-encoding` property.
    pub content_encoding: Option<String>,
    /// The `type` property (the binding's `messageType`).
    pub message_type: Option<String>,
    /// The exchange it came through (received messages).
    pub exchange: Option<String>,
    /// Whether the broker delivered it before (received messages).
    pub redelivered: bool,
}

impl From<Envelope> for AmqpEnvelope {
    fn from(envelope: Envelope) -> Self {
        AmqpEnvelope {
            envelope,
            ..AmqpEnvelope::default()
        }
    }
}

impl From<AmqpEnvelope> for Envelope {
    fn from(e: AmqpEnvelope) -> Self {
        e.envelope
    }
}

impl EnvelopeWriter for AmqpEnvelope {
    fn set_address(&mut self, address: String) {
        self.envelope.set_address(address);
    }
    fn set_payload(&mut self, payload: Bytes) {
        self.envelope.set_payload(payload);
    }
    fn set_content_type(&mut self, content_type: Option<&str>) {
        self.envelope.set_content_type(content_type);
    }
    fn headers_mut(&mut self) -> &mut Headers {
        self.envelope.headers_mut()
    }
    fn set_reply_to(&mut self, address: Option<String>) {
        self.envelope.set_reply_to(address);
    }
    fn set_correlation_id(&mut self, id: Option<String>) {
        self.envelope.set_correlation_id(id);
    }
    fn apply_bindings(&mut self, bindings: &asyncapi_runtime::bindings::MessageBindings) {
        if let Some(amqp) = &bindings.amqp {
            if let Some(encoding) = &amqp.content_encoding {
                self.content_encoding = Some(encoding.to_string());
            }
            if let Some(kind) = &amqp.message_type {
                self.message_type = Some(kind.to_string());
            }
        }
    }
}

impl EnvelopeReader for AmqpEnvelope {
    fn address(&self) -> &str {
        self.envelope.address()
    }
    fn payload(&self) -> &Bytes {
        self.envelope.payload()
    }
    fn content_type(&self) -> Option<&str> {
        self.envelope.content_type()
    }
    fn headers(&self) -> &Headers {
        self.envelope.headers()
    }
    fn reply_to(&self) -> Option<&str> {
        self.envelope.reply_to()
    }
    fn correlation_id(&self) -> Option<&str> {
        self.envelope.correlation_id()
    }
    fn acknowledgement(&self) -> Option<&Acknowledgement> {
        self.envelope.acknowledgement()
    }
}
