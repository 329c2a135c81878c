//! Protocol bindings as the transports read them: what the document says about a server, a
//! channel, an operation or a message for one protocol (MQTT QoS and retain, the NATS queue
//! group, the AMQP exchange, the Kafka topic and consumer group, the HTTP method and status, the
//! WebSocket upgrade request, ...).
//!
//! This crate is the one declaration of those fields. The runtime re-exports it as
//! `asyncapi::bindings`, transports read it, and the code generator builds values of these very
//! types from a document and writes them out through their `Serialize` implementations (as
//! `Default::default()` plus one assignment per field given), so a field added here is carried
//! from the document to the transport without a second list to keep in step, and a field the
//! generator fills wrongly is a compile error in the generator, not in generated code.
//!
//! Every struct and enum here is `#[non_exhaustive]`: bindings grow with transports. Build a
//! value from `Default::default()` and set the fields you need.
//!
//! A schema-valued field of a binding (the WebSocket and HTTP query and headers, the Kafka group
//! and client ids and record key) carries what the document fixes: the properties with a
//! `const` value (or an `enum` of one), as `(name, value)` pairs, or the single fixed value.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::borrow::Cow;

use serde::Serialize;

/// Text in a binding: borrowed from generated code, or owned.
pub type Text = Cow<'static, str>;

/// `(name, value)` pairs: query parameters or headers.
pub type Pairs = Vec<(Text, Text)>;

/// The bindings of a channel and of the operation that opens it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Bindings {
    /// MQTT (3.1.1 and 5) operation bindings.
    pub mqtt: Option<MqttOperation>,
    /// NATS operation bindings.
    pub nats: Option<NatsOperation>,
    /// NATS channel bindings (this project's extension `x-jetstream`; the bindings
    /// specification has no NATS channel binding).
    pub nats_channel: Option<NatsChannel>,
    /// AMQP 0-9-1 channel bindings.
    pub amqp: Option<AmqpChannel>,
    /// AMQP 0-9-1 operation bindings.
    pub amqp_operation: Option<AmqpOperation>,
    /// Kafka channel bindings.
    pub kafka: Option<KafkaChannel>,
    /// Kafka operation bindings.
    pub kafka_operation: Option<KafkaOperation>,
    /// WebSocket channel bindings.
    pub ws: Option<WsChannel>,
    /// HTTP operation bindings.
    pub http: Option<HttpOperation>,
    /// Redis channel bindings (this project's extension of the reserved `redis` binding).
    pub redis: Option<RedisChannel>,
    /// Redis operation bindings (this project's extension of the reserved `redis` binding).
    pub redis_operation: Option<RedisOperation>,
}

/// Redis channel binding: `bindings.redis.x-stream` (the bindings specification reserves
/// `redis` without fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RedisChannel {
    /// The channel is a Redis stream, read by consumer groups (at least once), instead of a
    /// pub/sub channel (at most once).
    pub stream: bool,
}

/// Redis operation binding: `bindings.redis.x-group`, the consumer group a stream's
/// subscribers share its entries in (applied by the Redis transport only; an operation's own
/// `x-group` names a group for every transport).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RedisOperation {
    /// The stream's consumer group.
    pub group: Option<Text>,
}

/// MQTT operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MqttOperation {
    /// QoS 0, 1 or 2.
    pub qos: Option<u8>,
    /// Whether the broker keeps the last message.
    pub retain: Option<bool>,
    /// MQTT 5: how long the broker keeps an undelivered message, in seconds.
    pub message_expiry_interval: Option<u32>,
}

/// NATS operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NatsOperation {
    /// The queue group subscribers join (applied by the NATS transport only; an operation's
    /// own `x-group` names a group for every transport).
    pub queue: Option<Text>,
}

/// NATS channel binding: `bindings.nats.x-jetstream` on a channel (the bindings specification
/// has none for NATS channels; this is this project's extension, which the NATS transport
/// applies).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NatsChannel {
    /// The channel is carried by a JetStream stream (at least once), instead of core NATS (at
    /// most once).
    pub jetstream: Option<NatsJetStream>,
}

/// A channel carried by NATS JetStream: the stream that stores its subjects and the consumers
/// that read it. Every field is optional; the NATS transport documents the defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NatsJetStream {
    /// The stream's name (`stream`); by default the channel's name, upper-cased, with the
    /// characters a stream name cannot hold as `_`.
    pub stream: Option<Text>,
    /// The subjects the stream stores (`subjects`); by default the channel's address with each
    /// parameter as `*`.
    pub subjects: Vec<Text>,
    /// Whether the transport creates the stream when it does not exist (`create`, by default
    /// `true`); otherwise a stream that does not exist is an error when the channel opens.
    pub create: Option<bool>,
    /// `limits`, `interest` or `workqueue` (`retention`).
    pub retention: Option<Text>,
    /// `file` or `memory` (`storage`).
    pub storage: Option<Text>,
    /// The most messages the stream keeps (`maxMsgs`).
    pub max_messages: Option<i64>,
    /// The most bytes the stream keeps (`maxBytes`).
    pub max_bytes: Option<i64>,
    /// How long the stream keeps a message, in seconds (`maxAge`).
    pub max_age: Option<u64>,
    /// How long the stream remembers message ids to drop duplicates, in seconds
    /// (`duplicateWindow`).
    pub duplicate_window: Option<u64>,
    /// Replicas of the stream (`replicas`).
    pub replicas: Option<u32>,
    /// How long the server waits for an acknowledgement before it delivers a message again, in
    /// seconds (`ackWait`).
    pub ack_wait: Option<u64>,
    /// How many times a message is delivered at most (`maxDeliver`).
    pub max_deliver: Option<i64>,
    /// Where a new consumer starts: `all` (every message the stream holds) or `new` (what comes
    /// after it) (`deliver`).
    pub deliver: Option<Text>,
    /// A runtime expression for the message id the stream drops duplicates by
    /// (`messageId`: `$message.header#/eventId`, `$message.payload#/id`).
    pub message_id: Option<Text>,
}

/// An AMQP exchange.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AmqpChannel {
    /// `routingKey` (an exchange and a routing key) or `queue`.
    pub is: Option<Text>,
    /// The exchange.
    pub exchange: Option<AmqpExchange>,
    /// The queue.
    pub queue: Option<AmqpQueue>,
}

/// AMQP operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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

/// Kafka server binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KafkaServer {
    /// The schema registry's URL.
    pub schema_registry_url: Option<Text>,
    /// The schema registry's vendor (`confluent`, `apicurio`, ...).
    pub schema_registry_vendor: Option<Text>,
}

/// Kafka channel binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KafkaChannel {
    /// The topic, when it differs from the address.
    pub topic: Option<Text>,
    /// Partitions.
    pub partitions: Option<u32>,
    /// Replicas.
    pub replicas: Option<u32>,
    /// The topic's configuration, for a transport that creates the topic.
    pub topic_configuration: Option<KafkaTopicConfiguration>,
}

/// A Kafka topic's configuration (binding 0.4.0 and later).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KafkaTopicConfiguration {
    /// `cleanup.policy`: `delete` and/or `compact`.
    pub cleanup_policy: Vec<Text>,
    /// `retention.ms`.
    pub retention_ms: Option<i64>,
    /// `retention.bytes`.
    pub retention_bytes: Option<i64>,
    /// `delete.retention.ms`.
    pub delete_retention_ms: Option<i64>,
    /// `max.message.bytes`.
    pub max_message_bytes: Option<i64>,
    /// `confluent.key.schema.validation`.
    pub confluent_key_schema_validation: Option<bool>,
    /// `confluent.key.subject.name.strategy`.
    pub confluent_key_subject_name_strategy: Option<Text>,
    /// `confluent.value.schema.validation`.
    pub confluent_value_schema_validation: Option<bool>,
    /// `confluent.value.subject.name.strategy`.
    pub confluent_value_subject_name_strategy: Option<Text>,
}

/// Kafka operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KafkaOperation {
    /// The consumer group id, when the document fixes it (its `groupId` schema's `const`, or an
    /// `enum` of one value).
    pub group_id: Option<Text>,
    /// The client id, when the document fixes it (its `clientId` schema).
    pub client_id: Option<Text>,
}

/// Kafka message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KafkaMessage {
    /// The record key, when the document fixes it (its `key` schema's `const`); a key that
    /// varies is the application's to give with each record.
    pub key: Option<Text>,
    /// `header` or `payload`: where the schema id travels.
    pub schema_id_location: Option<Text>,
    /// How the schema id is encoded in the payload (`confluent`, `apicurio-new`, ...).
    pub schema_id_payload_encoding: Option<Text>,
    /// How the schema is looked up (`TopicIdStrategy`, ...).
    pub schema_lookup_strategy: Option<Text>,
}

/// WebSocket channel binding: what the upgrade request carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WsChannel {
    /// `GET` or `POST` for the upgrade request.
    pub method: Option<Text>,
    /// Query parameters: the document's fixed (`const`) values, and any added to the spec.
    pub query: Pairs,
    /// Headers: the document's fixed (`const`) values, and any added to the spec.
    pub headers: Pairs,
}

impl WsChannel {
    /// Adds the fields of `query` (a generated WebSocket query type) as query parameters of the
    /// upgrade request, replacing the document's fixed values of those names.
    pub fn add_query(&mut self, query: &impl Serialize) {
        add_fields(&mut self.query, query);
    }

    /// Adds the fields of `headers` (a generated WebSocket headers type) as headers of the
    /// upgrade request, replacing the document's fixed values of those names.
    pub fn add_headers(&mut self, headers: &impl Serialize) {
        add_fields(&mut self.headers, headers);
    }
}

/// HTTP operation binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HttpOperation {
    /// The request method.
    pub method: Option<Text>,
    /// Query parameters: the document's fixed (`const`) values of the `query` schema, and any
    /// added to the spec.
    pub query: Pairs,
}

impl HttpOperation {
    /// Adds the fields of `query` (a generated query type) as query parameters of the request,
    /// replacing the document's fixed values of those names.
    pub fn add_query(&mut self, query: &impl Serialize) {
        add_fields(&mut self.query, query);
    }
}

/// HTTP message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct HttpMessage {
    /// Headers: the document's fixed (`const`) values of the `headers` schema.
    pub headers: Pairs,
    /// The response's status code (binding 0.3.0 and later), on the messages of a reply.
    pub status_code: Option<u16>,
}

/// Adds the fields of `values` (a generated query or headers type) to `out` as `(name, value)`
/// pairs, each replacing what the document fixed for that name: strings as they are, numbers and
/// booleans as JSON writes them, each item of an array as one more pair, other values as JSON
/// text; absent fields add none.
fn add_fields(out: &mut Pairs, values: &impl Serialize) {
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

/// The bindings of a message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MessageBindings {
    /// MQTT 5 message properties.
    pub mqtt: Option<MqttMessage>,
    /// AMQP message properties.
    pub amqp: Option<AmqpMessage>,
    /// Kafka record settings.
    pub kafka: Option<KafkaMessage>,
    /// HTTP headers and response status.
    pub http: Option<HttpMessage>,
}

/// MQTT 5 message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MqttMessage {
    /// 0 bytes, 1 UTF-8 text.
    pub payload_format_indicator: Option<u8>,
    /// The content type property.
    pub content_type: Option<Text>,
    /// The response topic, when it is fixed.
    pub response_topic: Option<Text>,
}

/// AMQP message binding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AmqpMessage {
    /// `content-encoding`.
    pub content_encoding: Option<Text>,
    /// The application's message type.
    pub message_type: Option<Text>,
}

/// The bindings of a server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ServerBindings {
    /// MQTT (3.1.1 and 5) server bindings.
    pub mqtt: Option<MqttServer>,
    /// Kafka server bindings.
    pub kafka: Option<KafkaServer>,
}

/// MQTT server binding: how the client connects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_replace_the_documents_fixed_ones() {
        #[derive(Serialize)]
        struct Query {
            token: Option<String>,
            page: u32,
            tags: Vec<&'static str>,
        }
        let mut ws = WsChannel {
            query: vec![("page".into(), "1".into()), ("v".into(), "2".into())],
            ..WsChannel::default()
        };
        ws.add_query(&Query {
            token: None,
            page: 3,
            tags: vec!["a", "b"],
        });
        let pairs: Vec<(&str, &str)> = ws.query.iter().map(|(n, v)| (&**n, &**v)).collect();
        assert_eq!(
            pairs,
            [("v", "2"), ("page", "3"), ("tags", "a"), ("tags", "b")]
        );
    }
}
