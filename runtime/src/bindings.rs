//! Protocol bindings as the transports read them: what the document says about a channel, an
//! operation or a message for one protocol (MQTT QoS and retain, the NATS queue group, the AMQP
//! exchange, the Kafka topic, the WebSocket upgrade method, ...).
//!
//! Generated code fills these from the document: channel and operation bindings travel in the
//! [`ChannelSpec`](crate::transport::ChannelSpec) a transport opens, message bindings come from
//! [`Message::bindings`](crate::message::Message::bindings) and are handed to the envelope with
//! [`EnvelopeWriter::apply_bindings`](crate::envelope::EnvelopeWriter::apply_bindings). A
//! transport reads the part for its protocol; the in-process transport reads none.

use std::borrow::Cow;

/// Text in a binding: borrowed from generated code, or owned.
pub type Text = Cow<'static, str>;

/// The bindings of a channel and of the operation that opens it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bindings {
    /// MQTT (3.1.1 and 5) operation bindings.
    pub mqtt: Option<MqttOperation>,
    /// NATS operation bindings.
    pub nats: Option<NatsOperation>,
    /// AMQP 0-9-1 channel bindings.
    pub amqp: Option<AmqpChannel>,
    /// AMQP 0-9-1 operation bindings.
    pub amqp_operation: Option<AmqpOperation>,
    /// Kafka channel bindings.
    pub kafka: Option<KafkaChannel>,
    /// WebSocket channel bindings.
    pub ws: Option<WsChannel>,
    /// HTTP operation bindings.
    pub http: Option<HttpOperation>,
    /// Redis channel bindings (this project's extension of the reserved `redis` binding).
    pub redis: Option<RedisChannel>,
}

/// Redis channel binding: `bindings.redis.x-stream` (the bindings specification reserves
/// `redis` without fields). An operation's `bindings.redis.x-group` becomes the subscription's
/// [`queue_group`](crate::transport::ChannelSpec::queue_group): the stream's consumer group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedisChannel {
    /// The channel is a Redis stream, read by consumer groups (at least once), instead of a
    /// pub/sub channel (at most once).
    pub stream: bool,
}

/// MQTT operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttOperation {
    /// QoS 0, 1 or 2.
    pub qos: Option<u8>,
    /// Whether the broker keeps the last message.
    pub retain: Option<bool>,
    /// MQTT 5: how long the broker keeps an undelivered message, in seconds.
    pub message_expiry_interval: Option<u32>,
}

/// NATS operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NatsOperation {
    /// The queue group subscribers join.
    pub queue: Option<Text>,
}

/// An AMQP exchange.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpExchange {
    /// Name.
    pub name: Option<Text>,
    /// `topic`, `direct`, `fanout`, `default` or `headers`.
    pub kind: Option<Text>,
    /// Survives a broker restart.
    pub durable: Option<bool>,
    /// Deleted when the last queue is unbound.
    pub auto_delete: Option<bool>,
    /// Virtual host.
    pub vhost: Option<Text>,
}

/// An AMQP queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpQueue {
    /// Name.
    pub name: Option<Text>,
    /// Survives a broker restart.
    pub durable: Option<bool>,
    /// Used by one connection only.
    pub exclusive: Option<bool>,
    /// Deleted when the last consumer leaves.
    pub auto_delete: Option<bool>,
    /// Virtual host.
    pub vhost: Option<Text>,
}

/// AMQP channel binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpChannel {
    /// `routingKey` (an exchange and a routing key) or `queue`.
    pub is: Option<Text>,
    /// The exchange.
    pub exchange: Option<AmqpExchange>,
    /// The queue.
    pub queue: Option<AmqpQueue>,
}

/// AMQP operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpOperation {
    /// Message time to live, in milliseconds.
    pub expiration: Option<u64>,
    /// User id.
    pub user_id: Option<Text>,
    /// Carbon-copy routing keys.
    pub cc: Vec<Text>,
    /// Priority.
    pub priority: Option<i64>,
    /// 1 transient, 2 persistent.
    pub delivery_mode: Option<u8>,
    /// Return unroutable messages.
    pub mandatory: Option<bool>,
    /// Blind-copy routing keys.
    pub bcc: Vec<Text>,
    /// Set a timestamp.
    pub timestamp: Option<bool>,
    /// Consumers acknowledge.
    pub ack: Option<bool>,
    /// The queue a reply goes to, when the message names none of its own.
    pub reply_to: Option<Text>,
}

/// Kafka channel binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KafkaChannel {
    /// The topic, when it differs from the address.
    pub topic: Option<Text>,
    /// Partitions.
    pub partitions: Option<u32>,
    /// Replicas.
    pub replicas: Option<u32>,
}

/// WebSocket channel binding: what the upgrade request carries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WsChannel {
    /// `GET` or `POST` for the upgrade request.
    pub method: Option<Text>,
    /// Query parameters: the document's fixed (`const`) values, and any added to the spec.
    pub query: Vec<(Text, Text)>,
    /// Headers: the document's fixed (`const`) values, and any added to the spec.
    pub headers: Vec<(Text, Text)>,
}

impl WsChannel {
    /// Adds the fields of `query` (a generated WebSocket query type) as query parameters of the
    /// upgrade request, replacing the document's fixed values of those names.
    pub fn add_query(&mut self, query: &impl serde::Serialize) {
        add_fields(&mut self.query, query);
    }

    /// Adds the fields of `headers` (a generated WebSocket headers type) as headers of the
    /// upgrade request, replacing the document's fixed values of those names.
    pub fn add_headers(&mut self, headers: &impl serde::Serialize) {
        add_fields(&mut self.headers, headers);
    }
}

/// Adds the fields of `values` (a generated query or headers type) to `out` as `(name, value)`
/// pairs, each replacing what the document fixed for that name: strings as they are, numbers and
/// booleans as JSON writes them, each item of an array as one more pair, other values as JSON
/// text; absent fields add none.
fn add_fields(out: &mut Vec<(Text, Text)>, values: &impl serde::Serialize) {
    let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(values) else {
        return;
    };
    for (name, value) in fields {
        let items = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::Array(items) => items,
            other => vec![other],
        };
        out.retain(|(n, _)| *n != name.as_str());
        for item in items {
            let text = match item {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            out.push((Text::Owned(name.clone()), Text::Owned(text)));
        }
    }
}

/// HTTP operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpOperation {
    /// The request method.
    pub method: Option<Text>,
}

/// The bindings of a message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MessageBindings {
    /// MQTT 5 message properties.
    pub mqtt: Option<MqttMessage>,
    /// AMQP message properties.
    pub amqp: Option<AmqpMessage>,
    /// HTTP response status.
    pub http_status: Option<u16>,
}

/// MQTT 5 message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttMessage {
    /// 0 bytes, 1 UTF-8 text.
    pub payload_format_indicator: Option<u8>,
    /// The content type property.
    pub content_type: Option<Text>,
    /// The response topic, when it is fixed.
    pub response_topic: Option<Text>,
}

/// AMQP message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AmqpMessage {
    /// `content-encoding`.
    pub content_encoding: Option<Text>,
    /// The application's message type.
    pub message_type: Option<Text>,
}

/// The bindings of a server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerBindings {
    /// MQTT (3.1.1 and 5) server bindings.
    pub mqtt: Option<MqttServer>,
}

/// MQTT server binding: how the client connects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttServer {
    /// The client identifier.
    pub client_id: Option<Text>,
    /// Clean session (3.1.1) / clean start (5).
    pub clean_session: Option<bool>,
    /// Keep-alive interval, in seconds.
    pub keep_alive: Option<u32>,
    /// The last will: topic, QoS, message and retain flag.
    pub last_will: Option<MqttLastWill>,
    /// MQTT 5: session expiry interval, in seconds.
    pub session_expiry_interval: Option<u32>,
    /// MQTT 5: the largest packet the client accepts, in bytes.
    pub maximum_packet_size: Option<u32>,
}

/// An MQTT last will.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttLastWill {
    /// Topic.
    pub topic: Option<Text>,
    /// QoS 0, 1 or 2.
    pub qos: Option<u8>,
    /// Message.
    pub message: Option<Text>,
    /// Retain flag.
    pub retain: Option<bool>,
}
