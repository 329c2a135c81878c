use super::*;

binding_struct!(
    /// NATS operation binding.
    Operation {
        /// Queue group name (at most 255 characters).
        #[serde(default)]
        queue: Option<String>,
    }
);

binding_struct!(
    /// NATS channel binding. The bindings specification has none for NATS channels;
    /// `x-jetstream` is this project's extension, which the NATS transport applies.
    Channel {
        /// `x-jetstream`: the channel is carried by a JetStream stream (at least once) instead
        /// of core NATS (at most once).
        #[serde(default, rename = "x-jetstream")]
        jetstream: Option<JetStream>,
    }
);

/// `x-jetstream`: the stream that stores a channel's subjects and how consumers read it.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JetStream {
    /// The stream's name (by default the channel's, upper-cased).
    #[serde(default)]
    pub stream: Option<String>,
    /// The subjects the stream stores (by default the address, each parameter `*`).
    #[serde(default)]
    pub subjects: Vec<String>,
    /// Whether the transport creates a stream that does not exist (default `true`).
    #[serde(default)]
    pub create: Option<bool>,
    /// `limits`, `interest` or `workqueue`.
    #[serde(default)]
    pub retention: Option<String>,
    /// `file` or `memory`.
    #[serde(default)]
    pub storage: Option<String>,
    /// The most messages the stream keeps.
    #[serde(default)]
    pub max_msgs: Option<i64>,
    /// The most bytes the stream keeps.
    #[serde(default)]
    pub max_bytes: Option<i64>,
    /// How long a message is kept, in seconds.
    #[serde(default)]
    pub max_age: Option<u64>,
    /// How long message ids are remembered to drop duplicates, in seconds.
    #[serde(default)]
    pub duplicate_window: Option<u64>,
    /// Replicas.
    #[serde(default)]
    pub replicas: Option<u32>,
    /// How long the server waits for an acknowledgement before delivering again, in seconds.
    #[serde(default)]
    pub ack_wait: Option<u64>,
    /// How many times a message is delivered at most.
    #[serde(default)]
    pub max_deliver: Option<i64>,
    /// Where a new consumer starts: `all` or `new`.
    #[serde(default)]
    pub deliver: Option<String>,
    /// A runtime expression for the message id duplicates are dropped by.
    #[serde(default)]
    pub message_id: Option<String>,
    /// Fields this extension does not define, as written.
    #[serde(flatten)]
    pub extra: Extra,
}
