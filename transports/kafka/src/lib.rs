//! The Kafka transport of asyncapi-rs (the `asyncapi` crate's feature `kafka`), on rdkafka and
//! the librdkafka it bundles.
//!
//! A [`KafkaConnection`] is a [`Producer`](asyncapi_runtime::transport::Producer) and a
//! [`Consumer`](asyncapi_runtime::transport::Consumer). A channel is a topic: its address, or
//! the topic its channel binding names (`bindings.kafka.topic`, for a channel whose address is
//! not a topic name, `lights/{id}`, or differs from it).
//!
//! - **Sending** writes a record (payload, the envelope's headers as record headers, the
//!   content type in the header `content-type`, the correlation id and reply address in Spring
//!   Kafka's `kafka_correlationId` and `kafka_replyTopic`, the key the message binding fixes or
//!   the one set on the [`KafkaEnvelope`]) and is `Ok` once its delivery report says the
//!   cluster wrote it (`acks=all`); [`KafkaPublisher::send_record`] also says where (partition
//!   and offset). A record not acknowledged within [`KafkaOptions::send_timeout`] is
//!   [`TransportError::Unconfirmed`](asyncapi_runtime::transport::TransportError::Unconfirmed):
//!   librdkafka retried it meanwhile, and it may have been written.
//! - **Receiving** is a consumer per subscription. In a consumer group (the operation's
//!   `groupId` binding, its `x-group`, or `subscribe_in_group`) the group's members share the
//!   topic's partitions, and each record's acknowledgement commits its offset: a record is
//!   committed only once it and every record before it in its partition are acknowledged (in
//!   automatic mode once the application has taken it, in manual mode on `ack` or `reject`), so
//!   that a member that dies before acknowledging leaves its records to the group, read again
//!   from the last commit (at least once). `nack`, or a record dropped unsettled, reads its
//!   partition again from that record. A new group starts at the partitions' beginning
//!   ([`StartAt`]). Without a group, a subscription reads every partition from its end when it
//!   opens (what is sent after), and commits nothing. A subscription whose address leaves a
//!   parameter free subscribes to the topics a regular expression matches.
//! - **Topics** are the cluster's: created by it on first use where it allows that, or by this
//!   transport with the channel binding's `partitions`, `replicas` and `topicConfiguration` when
//!   [`KafkaOptions::create_topics`] says so; a topic that exists is checked against what the
//!   binding gives, and a difference is an error naming the topic and the setting.
//!
//! Credentials: `userPassword` and SASL PLAIN (also as `user:password@` in the URL) over plain
//! text. librdkafka does TLS (`kafka-secure`), SCRAM and X.509 with OpenSSL only, which this
//! build leaves out (the project's one TLS stack is rustls): they are refused with a typed error
//! rather than sent in the clear. The server binding's `schemaRegistryUrl` and
//! `schemaRegistryVendor` are kept ([`KafkaOptions::schema_registry`]); records carry no schema
//! ids (no registry client).

use asyncapi_runtime::registry::{Descriptor, Kind, connect_with};
use asyncapi_runtime::transport::Connect;

mod connection;
mod context;
mod envelope;
mod offsets;
mod options;
mod publisher;
mod subscriber;
mod topics;

pub use connection::KafkaConnection;
pub use envelope::{CONTENT_TYPE, CORRELATION_ID, KafkaEnvelope, REPLY_TO};
pub use options::{DEFAULT_MAX_MESSAGE_SIZE, KafkaOptions, StartAt, TopicDefaults};
pub use publisher::{Delivered, KafkaPublisher};
pub use subscriber::KafkaSubscriber;
pub use topics::{WILDCARDS, invalid_topic};

/// The rdkafka crate this transport is built on, for what the transport leaves to it (an
/// `rdkafka::ClientConfig` of one's own, its admin client, its message types).
#[doc(no_inline)]
pub use rdkafka;

/// [`KafkaConnection`] in the registry.
pub static KAFKA: Descriptor = Descriptor {
    name: "Kafka",
    feature: Some("kafka"),
    protocols: <KafkaConnection as Connect>::PROTOCOLS,
    library: "rdkafka",
    library_version: "0.39",
    kind: Kind::Brokered,
    bindings: &[
        "server.schemaRegistryUrl",
        "server.schemaRegistryVendor",
        "channel.topic",
        "channel.partitions",
        "channel.replicas",
        "channel.topicConfiguration",
        "operation.groupId",
        "operation.clientId",
        "message.key",
    ],
    security: &["userPassword", "plain"],
    groups: Some(
        "a Kafka consumer group (the operation's `groupId`): the group's members share the topic's partitions; each record's offset is committed once it and those before it are acknowledged, and what a member leaves unacknowledged is read again by the member that gets its partition",
    ),
    connect: Some(connect_with::<KafkaConnection>),
};
