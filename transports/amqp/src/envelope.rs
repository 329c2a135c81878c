//! The AMQP envelope: an envelope with the message properties of the document's AMQP message
//! binding (`contentEncoding`, `messageType`).

use asyncapi_runtime::envelope::{Envelope, Wrapper};

/// A message as AMQP carries it: the envelope (payload, headers as the headers table, content
/// type, correlation id, reply-to) and the properties of the AMQP message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpEnvelope {
    /// Payload, headers, content type, correlation id and reply address.
    pub envelope: Envelope,
    /// The `content-encoding` property (the message binding's `contentEncoding`). `gzip` and
    /// `deflate` are applied: the payload is compressed when sent and decompressed when received
    /// (it stays as received when it does not decompress, and so fails to decode).
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

impl Wrapper for AmqpEnvelope {
    fn envelope(&self) -> &Envelope {
        &self.envelope
    }
    fn envelope_mut(&mut self) -> &mut Envelope {
        &mut self.envelope
    }
    fn apply_message_bindings(&mut self, bindings: &asyncapi_runtime::bindings::MessageBindings) {
        if let Some(amqp) = &bindings.amqp {
            if let Some(encoding) = &amqp.content_encoding {
                self.content_encoding = Some(encoding.to_string());
            }
            if let Some(kind) = &amqp.message_type {
                self.message_type = Some(kind.to_string());
            }
        }
    }
    fn protocol_message_type(&self) -> Option<&str> {
        self.message_type.as_deref()
    }
}
