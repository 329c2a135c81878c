//! Protocol bindings, typed for every protocol the AsyncAPI bindings specification defines fields
//! for; other bindings (and the reserved, empty ones such as `redis` or `stomp`) are kept raw.
//!
//! Each binding records its `bindingVersion` (`None` means "latest"). Fields the bindings
//! specification does not define are kept in `extra` (the loader warns about them unless they
//! are `x-` extensions). Fields whose value is a schema hold a [`SchemaId`] of the document.

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};

use super::SchemaId;

/// Unknown fields of a binding, as written.
pub type Extra = IndexMap<String, serde_json::Value>;

/// A binding for a protocol this model does not type, or one whose object the specification
/// reserves without fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawBinding {
    /// `bindingVersion`, when given.
    pub binding_version: Option<String>,
    /// The binding object as written.
    pub value: serde_json::Value,
}

/// Server bindings by protocol.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServerBindings {
    /// IBM MQ.
    pub ibmmq: Option<ibmmq::Server>,
    /// JMS.
    pub jms: Option<jms::Server>,
    /// Kafka.
    pub kafka: Option<kafka::Server>,
    /// MQTT (3.1.1 and 5).
    pub mqtt: Option<mqtt::Server>,
    /// MQTT 5 (deprecated binding; `mqtt` 0.2.0 supersedes it).
    pub mqtt5: Option<mqtt5::Server>,
    /// Pulsar.
    pub pulsar: Option<pulsar::Server>,
    /// ROS 2.
    pub ros2: Option<ros2::Server>,
    /// Solace.
    pub solace: Option<solace::Server>,
    /// Other protocols, by key.
    pub other: IndexMap<String, RawBinding>,
}

/// Channel bindings by protocol.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChannelBindings {
    /// AMQP 0-9-1.
    pub amqp: Option<amqp::Channel>,
    /// Anypoint MQ.
    pub anypointmq: Option<anypointmq::Channel>,
    /// Google Cloud Pub/Sub.
    pub googlepubsub: Option<googlepubsub::Channel>,
    /// IBM MQ.
    pub ibmmq: Option<ibmmq::Channel>,
    /// JMS.
    pub jms: Option<jms::Channel>,
    /// Kafka.
    pub kafka: Option<kafka::Channel>,
    /// Pulsar.
    pub pulsar: Option<pulsar::Channel>,
    /// Amazon SNS.
    pub sns: Option<sns::Channel>,
    /// Amazon SQS.
    pub sqs: Option<sqs::Channel>,
    /// WebSockets.
    pub ws: Option<ws::Channel>,
    /// Other protocols, by key.
    pub other: IndexMap<String, RawBinding>,
}

/// Operation bindings by protocol.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OperationBindings {
    /// AMQP 0-9-1.
    pub amqp: Option<amqp::Operation>,
    /// HTTP.
    pub http: Option<http::Operation>,
    /// Kafka.
    pub kafka: Option<kafka::Operation>,
    /// MQTT.
    pub mqtt: Option<mqtt::Operation>,
    /// NATS.
    pub nats: Option<nats::Operation>,
    /// ROS 2.
    pub ros2: Option<ros2::Operation>,
    /// Amazon SNS.
    pub sns: Option<sns::Operation>,
    /// Solace.
    pub solace: Option<solace::Operation>,
    /// Amazon SQS.
    pub sqs: Option<sqs::Operation>,
    /// Other protocols, by key.
    pub other: IndexMap<String, RawBinding>,
}

/// Message bindings by protocol.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MessageBindings {
    /// AMQP 0-9-1.
    pub amqp: Option<amqp::Message>,
    /// Anypoint MQ.
    pub anypointmq: Option<anypointmq::Message>,
    /// Google Cloud Pub/Sub.
    pub googlepubsub: Option<googlepubsub::Message>,
    /// HTTP.
    pub http: Option<http::Message>,
    /// IBM MQ.
    pub ibmmq: Option<ibmmq::Message>,
    /// JMS.
    pub jms: Option<jms::Message>,
    /// Kafka.
    pub kafka: Option<kafka::Message>,
    /// MQTT.
    pub mqtt: Option<mqtt::Message>,
    /// Other protocols, by key.
    pub other: IndexMap<String, RawBinding>,
}

/// The binding versions the bindings specification has published for a protocol; the loader warns
/// about any other `bindingVersion` (`latest` is always accepted).
pub fn known_versions(protocol: &str) -> &'static [&'static str] {
    match protocol {
        "amqp" => &["0.1.0", "0.2.0", "0.3.0"],
        "anypointmq" => &["0.0.1", "0.1.0"],
        "googlepubsub" => &["0.1.0", "0.2.0"],
        "http" => &["0.1.0", "0.2.0", "0.3.0"],
        "ibmmq" => &["0.1.0"],
        "jms" => &["0.0.1"],
        "kafka" => &["0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0"],
        "mqtt" => &["0.1.0", "0.2.0"],
        "mqtt5" => &["0.2.0"],
        "nats" => &["0.1.0"],
        "pulsar" => &["0.1.0"],
        "ros2" => &["0.1.0", "0.2.0"],
        "sns" => &["0.1.0", "0.2.0", "1.0.0"],
        "solace" => &["0.1.0", "0.2.0", "0.3.0", "0.4.0"],
        "sqs" => &["0.1.0", "0.2.0", "0.3.0"],
        "ws" => &["0.1.0"],
        _ => &[],
    }
}

/// Whether the bindings specification defines `protocol` (with fields, or as a reserved empty
/// object such as `redis`).
pub fn is_known_protocol(protocol: &str) -> bool {
    !known_versions(protocol).is_empty()
        || matches!(protocol, "amqp1" | "mercure" | "redis" | "stomp")
}

/// An integer, or a schema saying which integers are allowed (several MQTT fields).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IntOrSchema {
    /// A fixed value.
    Value(i64),
    /// A schema.
    Schema(SchemaId),
}

/// A string, or a schema (MQTT `responseTopic`).
#[derive(Clone, Debug, PartialEq)]
pub enum StringOrSchema {
    /// A fixed value.
    Value(String),
    /// A schema.
    Schema(SchemaId),
}

/// The loader replaces every schema-valued binding field by `{MARKER: id}` before handing the
/// binding to serde, so typed bindings can hold [`SchemaId`]s.
pub(crate) const MARKER: &str = "$asyncapi-rs:schema";

mod marker {
    use super::*;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Marked {
        #[serde(rename = "$asyncapi-rs:schema")]
        id: u32,
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOr {
        Int(i64),
        Marked(Marked),
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum StrOr {
        Str(String),
        Marked(Marked),
    }

    pub fn schema<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SchemaId>, D::Error> {
        Ok(Some(SchemaId(Marked::deserialize(d)?.id)))
    }

    pub fn int_or_schema<'de, D: Deserializer<'de>>(d: D) -> Result<Option<IntOrSchema>, D::Error> {
        Ok(Some(match IntOr::deserialize(d)? {
            IntOr::Int(i) => IntOrSchema::Value(i),
            IntOr::Marked(m) => IntOrSchema::Schema(SchemaId(m.id)),
        }))
    }

    pub fn str_or_schema<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<StringOrSchema>, D::Error> {
        Ok(Some(match StrOr::deserialize(d)? {
            StrOr::Str(s) => StringOrSchema::Value(s),
            StrOr::Marked(m) => StringOrSchema::Schema(SchemaId(m.id)),
        }))
    }
}

/// Which fields of which binding hold schemas: `(protocol, level, field, kind)`.
pub(crate) const SCHEMA_FIELDS: &[(&str, Level, &str, SchemaField)] = &[
    ("anypointmq", Level::Message, "headers", SchemaField::Schema),
    ("http", Level::Operation, "query", SchemaField::Schema),
    ("http", Level::Message, "headers", SchemaField::Schema),
    ("jms", Level::Message, "headers", SchemaField::Schema),
    ("kafka", Level::Operation, "groupId", SchemaField::Schema),
    ("kafka", Level::Operation, "clientId", SchemaField::Schema),
    ("kafka", Level::Message, "key", SchemaField::Schema),
    (
        "mqtt",
        Level::Server,
        "sessionExpiryInterval",
        SchemaField::ValueOrSchema,
    ),
    (
        "mqtt",
        Level::Server,
        "maximumPacketSize",
        SchemaField::ValueOrSchema,
    ),
    (
        "mqtt",
        Level::Operation,
        "messageExpiryInterval",
        SchemaField::ValueOrSchema,
    ),
    (
        "mqtt",
        Level::Message,
        "correlationData",
        SchemaField::Schema,
    ),
    (
        "mqtt",
        Level::Message,
        "responseTopic",
        SchemaField::ValueOrSchema,
    ),
    (
        "mqtt5",
        Level::Server,
        "sessionExpiryInterval",
        SchemaField::ValueOrSchema,
    ),
    (
        "solace",
        Level::Operation,
        "timeToLive",
        SchemaField::ValueOrSchema,
    ),
    (
        "solace",
        Level::Operation,
        "priority",
        SchemaField::ValueOrSchema,
    ),
    ("ws", Level::Channel, "query", SchemaField::Schema),
    ("ws", Level::Channel, "headers", SchemaField::Schema),
];

/// Fields that only some binding versions define: `(protocol, level, field, first version,
/// last version)`; the loader warns when a document uses one outside its range.
pub(crate) const VERSIONED_FIELDS: &[(&str, Level, &str, &str, Option<&str>)] = &[
    ("amqp", Level::Operation, "replyTo", "0.1.0", Some("0.2.0")),
    ("http", Level::Operation, "type", "0.1.0", Some("0.1.0")),
    ("http", Level::Message, "statusCode", "0.3.0", None),
    ("kafka", Level::Message, "schemaIdLocation", "0.3.0", None),
    (
        "kafka",
        Level::Message,
        "schemaIdPayloadEncoding",
        "0.3.0",
        None,
    ),
    (
        "kafka",
        Level::Message,
        "schemaLookupStrategy",
        "0.3.0",
        None,
    ),
    ("kafka", Level::Server, "schemaRegistryUrl", "0.3.0", None),
    (
        "kafka",
        Level::Server,
        "schemaRegistryVendor",
        "0.3.0",
        None,
    ),
    ("kafka", Level::Channel, "topicConfiguration", "0.4.0", None),
    (
        "mqtt",
        Level::Server,
        "sessionExpiryInterval",
        "0.2.0",
        None,
    ),
    ("mqtt", Level::Server, "maximumPacketSize", "0.2.0", None),
    (
        "mqtt",
        Level::Operation,
        "messageExpiryInterval",
        "0.2.0",
        None,
    ),
    (
        "mqtt",
        Level::Message,
        "payloadFormatIndicator",
        "0.2.0",
        None,
    ),
    ("mqtt", Level::Message, "correlationData", "0.2.0", None),
    ("mqtt", Level::Message, "contentType", "0.2.0", None),
    ("mqtt", Level::Message, "responseTopic", "0.2.0", None),
];

/// Whether a field always holds a schema, or either a plain value or a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SchemaField {
    Schema,
    ValueOrSchema,
}

/// The object a binding belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    /// A server binding.
    Server,
    /// A channel binding.
    Channel,
    /// An operation binding.
    Operation,
    /// A message binding.
    Message,
}

impl Level {
    /// The word used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Level::Server => "server",
            Level::Channel => "channel",
            Level::Operation => "operation",
            Level::Message => "message",
        }
    }
}

/// Implemented by every typed binding so the loader can warn about fields the specification does
/// not define.
pub(crate) trait HasExtra {
    fn extra(&self) -> &Extra;
}

macro_rules! binding_struct {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
            /// `bindingVersion`; `None` means "latest".
            #[serde(default)]
            pub binding_version: Option<String>,
            /// Fields the bindings specification does not define, as written.
            #[serde(flatten)]
            pub extra: Extra,
        }

        impl HasExtra for $name {
            fn extra(&self) -> &Extra {
                &self.extra
            }
        }
    };
}

macro_rules! plain_struct {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Deserialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($(#[$fmeta])* #[serde(default)] pub $field: $ty,)*
            /// Fields the bindings specification does not define, as written.
            #[serde(flatten)]
            pub extra: Extra,
        }
    };
}

/// AMQP 0-9-1 bindings.
pub mod amqp {
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
}

/// Anypoint MQ bindings.
pub mod anypointmq {
    use super::*;

    binding_struct!(
        /// Anypoint MQ channel binding.
        Channel {
            /// Destination (queue or exchange) name; defaults to the channel address.
            #[serde(default)]
            destination: Option<String>,
            /// `exchange`, `queue` or `fifo-queue`.
            #[serde(default)]
            destination_type: Option<String>,
        }
    );

    binding_struct!(
        /// Anypoint MQ message binding.
        Message {
            /// Schema of the protocol headers.
            #[serde(default, deserialize_with = "marker::schema")]
            headers: Option<SchemaId>,
        }
    );
}

/// Google Cloud Pub/Sub bindings.
pub mod googlepubsub {
    use super::*;

    binding_struct!(
        /// Pub/Sub channel (topic) binding.
        Channel {
            /// Labels.
            #[serde(default)]
            labels: IndexMap<String, String>,
            /// Minimum retention of published messages (`"86400s"`).
            #[serde(default)]
            message_retention_duration: Option<String>,
            /// Where messages may be stored.
            #[serde(default)]
            message_storage_policy: Option<MessageStoragePolicy>,
            /// Schema validation settings.
            #[serde(default)]
            schema_settings: Option<SchemaSettings>,
            /// Topic name (0.1.0).
            #[serde(default)]
            topic: Option<String>,
        }
    );

    plain_struct!(
        /// Message storage policy.
        MessageStoragePolicy {
            /// GCP regions allowed to store messages.
            allowed_persistence_regions: Vec<String>,
        }
    );

    plain_struct!(
        /// Schema validation settings of a topic.
        SchemaSettings {
            /// `JSON` or `BINARY`.
            encoding: Option<String>,
            /// First allowed revision.
            first_revision_id: Option<String>,
            /// Last allowed revision.
            last_revision_id: Option<String>,
            /// Schema name.
            name: Option<String>,
        }
    );

    binding_struct!(
        /// Pub/Sub message binding.
        Message {
            /// Attributes.
            #[serde(default)]
            attributes: Option<serde_json::Value>,
            /// Ordering key.
            #[serde(default)]
            ordering_key: Option<String>,
            /// Schema definition.
            #[serde(default)]
            schema: Option<SchemaDefinition>,
        }
    );

    plain_struct!(
        /// The Pub/Sub schema a message follows.
        SchemaDefinition {
            /// Schema name.
            name: Option<String>,
            /// Schema type (0.1.0).
            #[serde(rename = "type")]
            kind: Option<String>,
        }
    );
}

/// HTTP bindings.
pub mod http {
    use super::*;

    /// HTTP methods.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    pub enum Method {
        /// GET
        Get,
        /// POST
        Post,
        /// PUT
        Put,
        /// PATCH
        Patch,
        /// DELETE
        Delete,
        /// HEAD
        Head,
        /// OPTIONS
        Options,
        /// CONNECT
        Connect,
        /// TRACE
        Trace,
    }

    binding_struct!(
        /// HTTP operation binding.
        Operation {
            /// `request` or `response` (0.1.0 only).
            #[serde(default, rename = "type")]
            kind: Option<String>,
            /// The method.
            #[serde(default)]
            method: Option<Method>,
            /// Schema of the query parameters (an object schema).
            #[serde(default, deserialize_with = "marker::schema")]
            query: Option<SchemaId>,
        }
    );

    binding_struct!(
        /// HTTP message binding.
        Message {
            /// Schema of the HTTP headers (an object schema).
            #[serde(default, deserialize_with = "marker::schema")]
            headers: Option<SchemaId>,
            /// Response status code (0.3.0).
            #[serde(default)]
            status_code: Option<u16>,
        }
    );
}

/// IBM MQ bindings.
pub mod ibmmq {
    use super::*;

    binding_struct!(
        /// IBM MQ server binding.
        Server {
            /// Group of related servers for one queue manager.
            #[serde(default)]
            group_id: Option<String>,
            /// Queue manager name in a CCDT.
            #[serde(default, rename = "ccdtQueueManagerName")]
            ccdt_queue_manager_name: Option<String>,
            /// TLS cipher spec.
            #[serde(default)]
            cipher_spec: Option<String>,
            /// Several servers of one group.
            #[serde(default)]
            multi_endpoint_server: Option<bool>,
            /// Heartbeat interval in seconds.
            #[serde(default)]
            heart_beat_interval: Option<u32>,
        }
    );

    binding_struct!(
        /// IBM MQ channel binding.
        Channel {
            /// `topic` or `queue`.
            #[serde(default)]
            destination_type: Option<String>,
            /// Queue properties.
            #[serde(default)]
            queue: Option<Queue>,
            /// Topic properties.
            #[serde(default)]
            topic: Option<Topic>,
            /// Maximum message length in bytes.
            #[serde(default)]
            max_msg_length: Option<u64>,
        }
    );

    plain_struct!(
        /// An IBM MQ queue.
        Queue {
            /// Queue object name.
            object_name: Option<String>,
            /// Cluster queue.
            is_partitioned: Option<bool>,
            /// Exclusive access.
            exclusive: Option<bool>,
        }
    );

    plain_struct!(
        /// An IBM MQ topic.
        Topic {
            /// Topic string.
            string: Option<String>,
            /// Topic object name.
            object_name: Option<String>,
            /// Durable subscriptions allowed.
            durable_permitted: Option<bool>,
            /// Last message retained.
            last_msg_retained: Option<bool>,
        }
    );

    binding_struct!(
        /// IBM MQ message binding.
        Message {
            /// `string`, `jms` or `binary`.
            #[serde(default, rename = "type")]
            kind: Option<String>,
            /// Comma-separated header names (type `jms`).
            #[serde(default)]
            headers: Option<String>,
            /// Description.
            #[serde(default)]
            description: Option<String>,
            /// Expiry in milliseconds.
            #[serde(default)]
            expiry: Option<u64>,
        }
    );
}

/// JMS bindings.
pub mod jms {
    use super::*;

    binding_struct!(
        /// JMS server binding.
        Server {
            /// Connection factory class.
            #[serde(default)]
            jms_connection_factory: Option<String>,
            /// Connection factory properties.
            #[serde(default)]
            properties: Vec<serde_json::Value>,
            /// Client id.
            #[serde(default, rename = "clientID")]
            client_id: Option<String>,
        }
    );

    binding_struct!(
        /// JMS channel binding.
        Channel {
            /// Destination name; defaults to the channel address.
            #[serde(default)]
            destination: Option<String>,
            /// `queue` or `fifo-queue`.
            #[serde(default)]
            destination_type: Option<String>,
        }
    );

    binding_struct!(
        /// JMS message binding.
        Message {
            /// Schema of the JMS headers.
            #[serde(default, deserialize_with = "marker::schema")]
            headers: Option<SchemaId>,
        }
    );
}

/// Kafka bindings.
pub mod kafka {
    use super::*;

    binding_struct!(
        /// Kafka server binding.
        Server {
            /// Schema registry URL.
            #[serde(default)]
            schema_registry_url: Option<String>,
            /// Schema registry vendor (`confluent`, `apicurio`, ...).
            #[serde(default)]
            schema_registry_vendor: Option<String>,
        }
    );

    binding_struct!(
        /// Kafka channel binding.
        Channel {
            /// Topic name, when it differs from the channel address.
            #[serde(default)]
            topic: Option<String>,
            /// Number of partitions.
            #[serde(default)]
            partitions: Option<u32>,
            /// Replication factor.
            #[serde(default)]
            replicas: Option<u32>,
            /// Topic configuration.
            #[serde(default)]
            topic_configuration: Option<TopicConfiguration>,
        }
    );

    /// Kafka topic configuration (0.4.0).
    #[derive(Clone, Debug, Default, PartialEq, Deserialize)]
    pub struct TopicConfiguration {
        /// `cleanup.policy`: `delete` and/or `compact`.
        #[serde(default, rename = "cleanup.policy")]
        pub cleanup_policy: Vec<String>,
        /// `retention.ms`
        #[serde(default, rename = "retention.ms")]
        pub retention_ms: Option<i64>,
        /// `retention.bytes`
        #[serde(default, rename = "retention.bytes")]
        pub retention_bytes: Option<i64>,
        /// `delete.retention.ms`
        #[serde(default, rename = "delete.retention.ms")]
        pub delete_retention_ms: Option<i64>,
        /// `max.message.bytes`
        #[serde(default, rename = "max.message.bytes")]
        pub max_message_bytes: Option<i64>,
        /// `confluent.key.schema.validation`
        #[serde(default, rename = "confluent.key.schema.validation")]
        pub confluent_key_schema_validation: Option<bool>,
        /// `confluent.key.subject.name.strategy`
        #[serde(default, rename = "confluent.key.subject.name.strategy")]
        pub confluent_key_subject_name_strategy: Option<String>,
        /// `confluent.value.schema.validation`
        #[serde(default, rename = "confluent.value.schema.validation")]
        pub confluent_value_schema_validation: Option<bool>,
        /// `confluent.value.subject.name.strategy`
        #[serde(default, rename = "confluent.value.subject.name.strategy")]
        pub confluent_value_subject_name_strategy: Option<String>,
        /// Other topic settings, as written.
        #[serde(flatten)]
        pub extra: Extra,
    }

    binding_struct!(
        /// Kafka operation binding.
        Operation {
            /// Schema of the consumer group id.
            #[serde(default, deserialize_with = "marker::schema")]
            group_id: Option<SchemaId>,
            /// Schema of the client id.
            #[serde(default, deserialize_with = "marker::schema")]
            client_id: Option<SchemaId>,
        }
    );

    binding_struct!(
        /// Kafka message binding.
        Message {
            /// Schema of the record key.
            #[serde(default, deserialize_with = "marker::schema")]
            key: Option<SchemaId>,
            /// `header` or `payload`: where the schema id is.
            #[serde(default)]
            schema_id_location: Option<String>,
            /// Encoding of the schema id in the payload.
            #[serde(default)]
            schema_id_payload_encoding: Option<String>,
            /// How the schema is looked up (`TopicIdStrategy`, ...).
            #[serde(default)]
            schema_lookup_strategy: Option<String>,
        }
    );
}

/// MQTT bindings (3.1.1 and, from binding 0.2.0, 5).
pub mod mqtt {
    use super::*;

    binding_struct!(
        /// MQTT server binding.
        Server {
            /// Client identifier.
            #[serde(default)]
            client_id: Option<String>,
            /// Clean session (3.1.1) / clean start (5).
            #[serde(default)]
            clean_session: Option<bool>,
            /// Last will and testament.
            #[serde(default)]
            last_will: Option<LastWill>,
            /// Keep-alive interval in seconds.
            #[serde(default)]
            keep_alive: Option<u32>,
            /// MQTT 5 session expiry interval in seconds.
            #[serde(default, deserialize_with = "marker::int_or_schema")]
            session_expiry_interval: Option<IntOrSchema>,
            /// MQTT 5 maximum packet size in bytes.
            #[serde(default, deserialize_with = "marker::int_or_schema")]
            maximum_packet_size: Option<IntOrSchema>,
        }
    );

    plain_struct!(
        /// The last will message.
        LastWill {
            /// Topic.
            topic: Option<String>,
            /// QoS 0, 1 or 2.
            qos: Option<u8>,
            /// Message text.
            message: Option<String>,
            /// Retain flag.
            retain: Option<bool>,
        }
    );

    binding_struct!(
        /// MQTT operation binding.
        Operation {
            /// QoS 0, 1 or 2.
            #[serde(default)]
            qos: Option<u8>,
            /// Retain flag.
            #[serde(default)]
            retain: Option<bool>,
            /// MQTT 5 message expiry interval in seconds.
            #[serde(default, deserialize_with = "marker::int_or_schema")]
            message_expiry_interval: Option<IntOrSchema>,
        }
    );

    binding_struct!(
        /// MQTT message binding.
        Message {
            /// MQTT 5 payload format indicator: 0 bytes, 1 UTF-8 text.
            #[serde(default)]
            payload_format_indicator: Option<u8>,
            /// MQTT 5 correlation data schema.
            #[serde(default, deserialize_with = "marker::schema")]
            correlation_data: Option<SchemaId>,
            /// MQTT 5 content type.
            #[serde(default)]
            content_type: Option<String>,
            /// MQTT 5 response topic (a topic, or a schema of topics).
            #[serde(default, deserialize_with = "marker::str_or_schema")]
            response_topic: Option<StringOrSchema>,
        }
    );
}

/// MQTT 5 bindings (deprecated in favour of `mqtt` 0.2.0).
pub mod mqtt5 {
    use super::*;

    binding_struct!(
        /// MQTT 5 server binding.
        Server {
            /// Session expiry interval in seconds.
            #[serde(default, deserialize_with = "marker::int_or_schema")]
            session_expiry_interval: Option<IntOrSchema>,
        }
    );
}

/// NATS bindings.
pub mod nats {
    use super::*;

    binding_struct!(
        /// NATS operation binding.
        Operation {
            /// Queue group name (at most 255 characters).
            #[serde(default)]
            queue: Option<String>,
        }
    );
}

/// Apache Pulsar bindings.
pub mod pulsar {
    use super::*;

    binding_struct!(
        /// Pulsar server binding.
        Server {
            /// Tenant (default `public`).
            #[serde(default)]
            tenant: Option<String>,
        }
    );

    binding_struct!(
        /// Pulsar channel binding.
        Channel {
            /// Namespace.
            #[serde(default)]
            namespace: Option<String>,
            /// `persistent` or `non-persistent`.
            #[serde(default)]
            persistence: Option<String>,
            /// Compaction threshold in megabytes.
            #[serde(default)]
            compaction: Option<u64>,
            /// Clusters the topic is replicated to.
            #[serde(default, rename = "geo-replication")]
            geo_replication: Vec<String>,
            /// Retention.
            #[serde(default)]
            retention: Option<Retention>,
            /// Time to live in seconds.
            #[serde(default)]
            ttl: Option<u64>,
            /// Deduplication.
            #[serde(default)]
            deduplication: Option<bool>,
        }
    );

    plain_struct!(
        /// Topic retention.
        Retention {
            /// Minutes.
            time: Option<u64>,
            /// Megabytes.
            size: Option<u64>,
        }
    );
}

/// ROS 2 bindings.
pub mod ros2 {
    use super::*;

    binding_struct!(
        /// ROS 2 server binding.
        Server {
            /// Middleware implementation.
            #[serde(default)]
            rmw_implementation: Option<String>,
            /// Domain id.
            #[serde(default)]
            domain_id: Option<u32>,
        }
    );

    binding_struct!(
        /// ROS 2 operation binding.
        Operation {
            /// Node role (`publisher`, `subscriber`, `service_client`, ...).
            #[serde(default)]
            role: Option<String>,
            /// Node name.
            #[serde(default)]
            node: Option<String>,
            /// Quality of service policies.
            #[serde(default)]
            qos_policies: Option<serde_json::Value>,
        }
    );
}

/// Amazon SNS bindings.
pub mod sns {
    use super::*;

    binding_struct!(
        /// SNS channel (topic) binding.
        Channel {
            /// Topic name.
            #[serde(default)]
            name: Option<String>,
            /// FIFO ordering.
            #[serde(default)]
            ordering: Option<serde_json::Value>,
            /// Access policy.
            #[serde(default)]
            policy: Option<serde_json::Value>,
            /// Tags.
            #[serde(default)]
            tags: Option<serde_json::Value>,
        }
    );

    binding_struct!(
        /// SNS operation binding.
        Operation {
            /// Topic identifier.
            #[serde(default)]
            topic: Option<serde_json::Value>,
            /// Subscribers.
            #[serde(default)]
            consumers: Vec<serde_json::Value>,
            /// Delivery policy.
            #[serde(default)]
            delivery_policy: Option<serde_json::Value>,
        }
    );
}

/// Amazon SQS bindings.
pub mod sqs {
    use super::*;

    binding_struct!(
        /// SQS channel binding.
        Channel {
            /// The queue.
            #[serde(default)]
            queue: Option<serde_json::Value>,
            /// The dead-letter queue.
            #[serde(default)]
            dead_letter_queue: Option<serde_json::Value>,
        }
    );

    binding_struct!(
        /// SQS operation binding.
        Operation {
            /// Queues.
            #[serde(default)]
            queues: Vec<serde_json::Value>,
        }
    );
}

/// Solace bindings.
pub mod solace {
    use super::*;

    binding_struct!(
        /// Solace server binding.
        Server {
            /// Message VPN.
            #[serde(default)]
            msg_vpn: Option<String>,
            /// Client name.
            #[serde(default)]
            client_name: Option<String>,
        }
    );

    binding_struct!(
        /// Solace operation binding.
        Operation {
            /// Destinations.
            #[serde(default)]
            destinations: Vec<serde_json::Value>,
            /// Time to live in milliseconds.
            #[serde(default, deserialize_with = "marker::int_or_schema")]
            time_to_live: Option<IntOrSchema>,
            /// Priority 0–255.
            #[serde(default, deserialize_with = "marker::int_or_schema")]
            priority: Option<IntOrSchema>,
            /// Eligible for the dead message queue.
            #[serde(default)]
            dmq_eligible: Option<bool>,
        }
    );
}

/// WebSockets bindings.
pub mod ws {
    use super::*;

    /// The HTTP method of the upgrade request.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
    #[serde(rename_all = "UPPERCASE")]
    pub enum Method {
        /// GET
        Get,
        /// POST
        Post,
    }

    binding_struct!(
        /// WebSockets channel binding.
        Channel {
            /// Method of the upgrade request.
            #[serde(default)]
            method: Option<Method>,
            /// Schema of the query parameters (an object schema).
            #[serde(default, deserialize_with = "marker::schema")]
            query: Option<SchemaId>,
            /// Schema of the request headers (an object schema).
            #[serde(default, deserialize_with = "marker::schema")]
            headers: Option<SchemaId>,
        }
    );
}
