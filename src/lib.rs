//! Typed Rust from AsyncAPI documents.
//!
//! One line turns an AsyncAPI 2.0–2.6 or 3.x document into typed `models`, `messages`,
//! `channels`, `operations` and `servers` modules, expanded at compile time:
//!
//! ```no_run
//! mod lights {
//!     asyncapi::include_spec!("examples/specs/streetlights-mqtt.yaml");
//! }
//!
//! use asyncapi::StreamExt;
//! use lights::channels::lighting_measured;
//!
//! # async fn run() -> Result<(), asyncapi::Error> {
//! let broker = asyncapi::memory::Broker::new(); // the in-process transport
//! let connection = broker.connect();
//! let mut measurements = lights::operations::ReceiveLightMeasurement::subscribe(
//!     &connection,
//!     &lighting_measured::Filter::default(),
//! )
//! .await?;
//! while let Some(received) = measurements.next().await {
//!     let received = received?;
//!     println!("{:?} from {}", received.message.payload.lumens, received.params.streetlight_id);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! - [`include_spec!`] and [`asyncapi`](macro@asyncapi) are the macros (options: paths relative to
//!   the invoking file, the client's perspective, a subset of operations, the crate path).
//! - [`transport`], [`envelope`], [`message`], [`operation`], [`codec`], [`address`],
//!   [`expression`] and [`reply`] are the runtime the generated code is written against;
//!   [`memory`] is the in-process transport, and the features `mqtt` (MQTT 3.1.1 and 5),
//!   `nats`, `ws` (WebSocket, client and server), `redis` (pub/sub and streams), `amqp` and
//!   `kafka` add `asyncapi::mqtt`, `asyncapi::nats`, `asyncapi::ws`, `asyncapi::redis`,
//!   `asyncapi::amqp` and `asyncapi::kafka` (each a crate of its own on the runtime's contract, as a transport of yours
//!   would be); [`transport::registry`] lists the transports of the build and
//!   [`transport::connect_any`] picks one at run time; generated servers
//!   `connect::<C>(security)` with any of their clients, and `bind::<S>(security)` with a server
//!   side (`ws::WsServer`).
//! - [`Validate`] is implemented by every generated type; [`formats`], [`schema`] and [`types`]
//!   are what it uses, and [`chrono`], [`uuid`] and [`rust_decimal`] are re-exported so that
//!   generated code needs no other dependency.
//! - `codegen` (feature `codegen`) is the generator itself, for tools and `build.rs` scripts
//!   (`codegen::build::Builder`); the macros use it either way, but a program that only
//!   expands documents does not link it.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The document loader and code generator, for tools and `build.rs` scripts (feature `codegen`).
#[cfg(feature = "codegen")]
pub use asyncapi_rs_codegen as codegen;

pub use asyncapi_runtime::{
    ack, address, bindings, codec, delivery, envelope, expression, formats, message, operation,
    registry, reply, schema, security, types, url, validate,
};

/// TLS settings with one meaning on every transport (feature `tls`, which every transport that
/// speaks TLS turns on).
#[cfg(feature = "tls")]
pub use asyncapi_runtime::tls;

/// AMQP 0-9-1 (feature `amqp`): the `asyncapi-rs-amqp` crate.
#[cfg(feature = "amqp")]
#[doc(inline)]
pub use asyncapi_amqp as amqp;
/// Kafka (feature `kafka`): the `asyncapi-rs-kafka` crate.
#[cfg(feature = "kafka")]
#[doc(inline)]
pub use asyncapi_kafka as kafka;
/// MQTT 3.1.1 and MQTT 5 (feature `mqtt`): the `asyncapi-rs-mqtt` crate.
#[cfg(feature = "mqtt")]
#[doc(inline)]
pub use asyncapi_mqtt as mqtt;
/// NATS (feature `nats`): the `asyncapi-rs-nats` crate.
#[cfg(feature = "nats")]
#[doc(inline)]
pub use asyncapi_nats as nats;
/// Redis, pub/sub and streams (feature `redis`): the `asyncapi-rs-redis` crate.
#[cfg(feature = "redis")]
#[doc(inline)]
pub use asyncapi_redis as redis;
#[cfg(feature = "memory")]
pub use asyncapi_runtime::memory;
/// WebSocket, client and server (feature `ws`): the `asyncapi-rs-ws` crate.
#[cfg(feature = "ws")]
#[doc(inline)]
pub use asyncapi_ws as ws;

pub mod transport {
    //! The transport contract every protocol implements (the runtime's
    //! [`transport`](asyncapi_runtime::transport) module), and the run-time choice among the
    //! transports this build has.
    pub use asyncapi_runtime::transport::*;

    use asyncapi_runtime::registry::Registry;

    /// The built-in transports by cargo feature, with the protocol keys each speaks: what a
    /// build with the feature off names in its error (a test checks it against the transports'
    /// own descriptors).
    const FEATURES: &[(&str, &[&str])] = &[
        ("mqtt", &["mqtt", "mqtts", "secure-mqtt", "mqtt5"]),
        ("nats", &["nats"]),
        ("ws", &["ws", "wss"]),
        ("redis", &["redis"]),
        ("amqp", &["amqp", "amqps"]),
        ("kafka", &["kafka", "kafka-secure"]),
    ];

    /// The transports this build has, from the cargo features of the `asyncapi` crate, in order
    /// of preference (MQTT 3.1.1 before MQTT 5 for a `mqtt` server that gives no version). The
    /// transports whose features are off are named, so that connecting to one of their servers
    /// says which feature would bring it.
    pub fn registry() -> Registry {
        let mut registry = Registry::new();
        #[cfg(feature = "mqtt")]
        {
            registry.register(&asyncapi_mqtt::MQTT);
            registry.register(&asyncapi_mqtt::MQTT5);
        }
        #[cfg(feature = "nats")]
        registry.register(&asyncapi_nats::NATS);
        #[cfg(feature = "ws")]
        registry.register(&asyncapi_ws::WS);
        #[cfg(feature = "redis")]
        registry.register(&asyncapi_redis::REDIS);
        #[cfg(feature = "amqp")]
        registry.register(&asyncapi_amqp::AMQP);
        #[cfg(feature = "kafka")]
        registry.register(&asyncapi_kafka::KAFKA);
        for &(feature, keys) in FEATURES {
            if !registry
                .descriptors()
                .iter()
                .any(|d| d.feature == Some(feature))
            {
                registry.not_built(feature, keys);
            }
        }
        registry
    }

    /// Connects to a server whose protocol is known only at run time (a tool that reads any
    /// document): the transport of this build that speaks the server's protocol and version
    /// ([`registry`]), behind [`DynConnection`]. A protocol no transport speaks, or one whose
    /// transport's cargo feature is off, is a typed error that says so.
    pub async fn connect_any(
        server: &ServerSpec,
    ) -> Result<Box<dyn DynConnection>, TransportError> {
        registry().connect(server).await
    }

    #[cfg(all(test, feature = "mqtt", feature = "nats", feature = "ws"))]
    mod tests {
        use super::*;

        #[test]
        fn the_feature_table_names_the_keys_the_transports_speak() {
            let registry = registry();
            for &(feature, keys) in FEATURES {
                let mut spoken: Vec<&str> = registry
                    .descriptors()
                    .iter()
                    .filter(|d| d.feature == Some(feature))
                    .flat_map(|d| d.keys())
                    .collect();
                spoken.sort_unstable();
                spoken.dedup();
                let mut listed = keys.to_vec();
                listed.sort_unstable();
                assert_eq!(spoken, listed, "feature `{feature}`");
            }
        }
    }
}

pub use asyncapi_rs_macros::{Message, asyncapi, include_spec};
pub use asyncapi_runtime::message::{Error, Message};
pub use asyncapi_runtime::operation::Received;
pub use asyncapi_runtime::transport::{Consumer, Producer, Publisher, Subscriber};
pub use asyncapi_runtime::validate::Validate;
pub use bytes;
/// Stream adapters (`next`, `take`, ...) for the receivers of generated operations.
pub use futures_util::StreamExt;

/// Dates and times: `format: date-time` is `chrono::DateTime<chrono::FixedOffset>` and
/// `format: date` is `chrono::NaiveDate` in generated code.
pub use chrono;
/// Exact decimal numbers: `type: string, format: decimal` is `rust_decimal::Decimal`.
pub use rust_decimal;
/// UUIDs: `format: uuid` is `uuid::Uuid`.
pub use uuid;

/// What generated code uses, re-exported so that a crate depending only on `asyncapi` compiles
/// it. Not a public API: it changes with the generator.
#[doc(hidden)]
pub mod __private {
    pub use asyncapi_runtime::address::{self, AddressError, AddressTemplate, LazyTemplate};
    pub use asyncapi_runtime::bindings;
    pub use asyncapi_runtime::codec::{self, CodecError};
    pub use asyncapi_runtime::envelope::{EnvelopeReader, EnvelopeWriter};
    pub use asyncapi_runtime::message::{self, Error, Message};
    pub use asyncapi_runtime::operation;
    pub use asyncapi_runtime::schema::LazySchema;
    pub use asyncapi_runtime::security;
    pub use asyncapi_runtime::serde_impls;
    pub use asyncapi_runtime::transport;
    pub use asyncapi_runtime::transport::{ChannelSpec, Consumer, Producer};
    pub use asyncapi_runtime::types::Base64;
    pub use asyncapi_runtime::validate::{Path, Pattern, Validate, Violations, check};
    pub use asyncapi_runtime::{newtype, object, string_enum};
    pub use bytes;
    pub use chrono;
    pub use rust_decimal;
    pub use serde;
    // The standard items generated code names, short and safe from the document's own names
    // (a schema called `Option` shadows the prelude in its module, never `__rt::Option`).
    pub use serde_json;
    pub use std::borrow::Cow;
    pub use std::option::Option::{self, None, Some};
    pub use std::result::Result::{self, Err, Ok};
    pub use std::string::String;
    pub use std::vec::Vec;
    pub use uuid;
}
