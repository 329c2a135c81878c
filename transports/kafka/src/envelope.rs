//! The Kafka envelope: a record's key, and where a received record sits (partition, offset,
//! timestamp), beside the envelope every transport has.

use bytes::Bytes;

use asyncapi_runtime::envelope::{Envelope, Wrapper};

/// The header that carries the content type: Kafka records have no field of their own for it.
pub const CONTENT_TYPE: &str = "content-type";
/// The header that carries the correlation id (Spring Kafka's name, so that its
/// `ReplyingKafkaTemplate` and this transport understand each other).
pub const CORRELATION_ID: &str = "kafka_correlationId";
/// The header that carries the reply topic (Spring Kafka's name).
pub const REPLY_TO: &str = "kafka_replyTopic";

/// A record as Kafka carries it: the envelope (payload, headers, content type, correlation id
/// and reply address in headers) and the record's own fields.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KafkaEnvelope {
    /// Payload, headers, content type, correlation id and reply address.
    pub envelope: Envelope,
    /// The record's key: what Kafka partitions by (records of one key go to one partition, in
    /// order). The message binding's `key` sets it when the document fixes it.
    pub key: Option<Bytes>,
    /// The partition: where a received record was read from; for a send, the partition to write
    /// to (by default the key's, or any for a record without a key).
    pub partition: Option<i32>,
    /// The offset of a received record in its partition.
    pub offset: Option<i64>,
    /// The record's timestamp (milliseconds since the Unix epoch): a received record's, or the
    /// one to send (the time of sending by default).
    pub timestamp: Option<i64>,
    /// The topic a received record came from (the channel's address, unless its binding names
    /// another topic).
    pub topic: Option<String>,
}

impl From<Envelope> for KafkaEnvelope {
    fn from(envelope: Envelope) -> Self {
        KafkaEnvelope {
            envelope,
            ..KafkaEnvelope::default()
        }
    }
}

impl From<KafkaEnvelope> for Envelope {
    fn from(e: KafkaEnvelope) -> Self {
        e.envelope
    }
}

impl KafkaEnvelope {
    /// The same envelope with this key.
    pub fn with_key(mut self, key: impl Into<Bytes>) -> Self {
        self.key = Some(key.into());
        self
    }
}

impl Wrapper for KafkaEnvelope {
    fn envelope(&self) -> &Envelope {
        &self.envelope
    }
    fn envelope_mut(&mut self) -> &mut Envelope {
        &mut self.envelope
    }
    fn apply_message_bindings(&mut self, bindings: &asyncapi_runtime::bindings::MessageBindings) {
        if let Some(kafka) = &bindings.kafka
            && let Some(key) = &kafka.key
            && self.key.is_none()
        {
            self.key = Some(Bytes::copy_from_slice(key.as_bytes()));
        }
    }
}
