use super::*;

/// What an AMQP channel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChannelIs {
    /// Messages are routed through an exchange by routing key (the default).
    RoutingKey,
    /// The channel is a queue.
    Queue,
}

/// AMQP exchange types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExchangeType {
    /// `topic`
    Topic,
    /// `direct`
    Direct,
    /// `fanout`
    Fanout,
    /// `default`
    Default,
    /// `headers`
    Headers,
}

binding_struct!(
    /// AMQP channel binding.
    Channel {
        /// Whether the channel is an exchange-with-routing-key or a queue.
        #[serde(default)]
        is: Option<ChannelIs>,
        /// The exchange, when `is` is `routingKey`.
        #[serde(default)]
        exchange: Option<Exchange>,
        /// The queue, when `is` is `queue`.
        #[serde(default)]
        queue: Option<Queue>,
    }
);

plain_struct!(
    /// An AMQP exchange.
    Exchange {
        /// Name (at most 255 characters).
        name: Option<String>,
        /// Type.
        #[serde(rename = "type")]
        kind: Option<ExchangeType>,
        /// Survives broker restarts.
        durable: Option<bool>,
        /// Deleted when the last queue is unbound.
        auto_delete: Option<bool>,
        /// Virtual host (default `/`).
        vhost: Option<String>,
    }
);

plain_struct!(
    /// An AMQP queue.
    Queue {
        /// Name (at most 255 characters).
        name: Option<String>,
        /// Survives broker restarts.
        durable: Option<bool>,
        /// Only one connection may use it.
        exclusive: Option<bool>,
        /// Deleted when the last consumer unsubscribes.
        auto_delete: Option<bool>,
        /// Virtual host (default `/`).
        vhost: Option<String>,
    }
);

binding_struct!(
    /// AMQP operation binding.
    Operation {
        /// Time to live in milliseconds.
        #[serde(default)]
        expiration: Option<u64>,
        /// User id of the sender.
        #[serde(default)]
        user_id: Option<String>,
        /// Routing keys (carbon copy).
        #[serde(default)]
        cc: Vec<String>,
        /// Priority.
        #[serde(default)]
        priority: Option<i64>,
        /// 1 transient, 2 persistent.
        #[serde(default)]
        delivery_mode: Option<u8>,
        /// Return the message when it cannot be routed.
        #[serde(default)]
        mandatory: Option<bool>,
        /// Routing keys (blind carbon copy).
        #[serde(default)]
        bcc: Vec<String>,
        /// Name of the queue for replies (0.1.0 and 0.2.0 only).
        #[serde(default)]
        reply_to: Option<String>,
        /// Add a timestamp.
        #[serde(default)]
        timestamp: Option<bool>,
        /// Consumer acknowledges (receive only).
        #[serde(default)]
        ack: Option<bool>,
    }
);

binding_struct!(
    /// AMQP message binding.
    Message {
        /// Content encoding (`gzip`, ...).
        #[serde(default)]
        content_encoding: Option<String>,
        /// Application-specific message type.
        #[serde(default)]
        message_type: Option<String>,
    }
);
