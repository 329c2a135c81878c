//! Protocol bindings, typed for every protocol the AsyncAPI bindings specification defines fields
//! for, and for `redis` (reserved without fields, typed for this project's `x-stream` and
//! `x-group`); other bindings (and the reserved, empty ones such as `stomp`) are kept raw.
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
    /// NATS (this project's extension `x-jetstream`).
    pub nats: Option<nats::Channel>,
    /// Pulsar.
    pub pulsar: Option<pulsar::Channel>,
    /// Amazon SNS.
    pub sns: Option<sns::Channel>,
    /// Redis (this project's extension).
    pub redis: Option<redis::Channel>,
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
    /// Redis (this project's extension).
    pub redis: Option<redis::Operation>,
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
pub mod amqp;

/// Anypoint MQ bindings.
pub mod anypointmq;

/// Google Cloud Pub/Sub bindings.
pub mod googlepubsub;

/// HTTP bindings.
pub mod http;

/// IBM MQ bindings.
pub mod ibmmq;

/// JMS bindings.
pub mod jms;

/// Kafka bindings.
pub mod kafka;

/// MQTT bindings (3.1.1 and, from binding 0.2.0, 5).
pub mod mqtt;

/// MQTT 5 bindings (deprecated in favour of `mqtt` 0.2.0).
pub mod mqtt5;

/// NATS bindings.
pub mod nats;

/// Redis bindings: the specification reserves them without fields; this project's `x-`
/// extensions choose streams and consumer groups.
pub mod redis;

/// Apache Pulsar bindings.
pub mod pulsar;

/// ROS 2 bindings.
pub mod ros2;

/// Amazon SNS bindings.
pub mod sns;

/// Amazon SQS bindings.
pub mod sqs;

/// Solace bindings.
pub mod solace;

/// WebSockets bindings.
pub mod ws;
