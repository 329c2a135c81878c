//! The MQTT transports of asyncapi-rs (the `asyncapi` crate's feature `mqtt`), on rumqttc-next
//! (the maintained fork of rumqttc, one crate per MQTT version): [`MqttConnection`] speaks MQTT
//! 3.1.1 and [`Mqtt5Connection`] MQTT 5.
//!
//! TLS (`mqtts`, `ssl`, `secure-mqtt`) is rustls with the ring provider, configured by the
//! runtime's [`TlsOptions`](asyncapi_runtime::tls::TlsOptions) as on every transport (upstream
//! rumqttc 0.25's rustls features take `rustls-pemfile`, unmaintained: RUSTSEC-2025-0134). A user
//! and password in the URL (`mqtt://user:password@host:1883`) go in the CONNECT packet.
//!
//! A connection is one client connection: a [`Producer`](asyncapi_runtime::transport::Producer) whose publishers send with the
//! QoS and retain flag of the operation's MQTT binding, and a [`Consumer`](asyncapi_runtime::transport::Consumer) whose subscribers
//! subscribe to the channel's address as a topic filter (parameters not fixed become `+`) and
//! receive every matching publish. The connection runs rumqttc's event loop on a tokio task; when
//! the broker goes away it reconnects and subscribes again to every open subscription.
//!
//! MQTT 3.1.1 carries a topic and a payload only: headers, content type, reply address and
//! correlation id are not sent. MQTT 5 carries them all, as user properties, the content-type
//! property, the response topic and the correlation data, with the message bindings' payload
//! format indicator and the operation binding's message expiry interval. Received envelopes say
//! the QoS they were delivered with and whether the broker had retained them.

mod acks;
mod client;
mod connection;
mod envelope;
mod inbound;
mod options;
mod publisher;
mod subscriber;

pub use client::{Mqtt5Client, Mqtt311Client, MqttClient};
pub use connection::{Mqtt5Connection, MqttConnection, MqttConnectionOf};
pub use envelope::MqttEnvelope;
pub use options::{DEFAULT_MAX_MESSAGE_SIZE, MqttOptions};
pub use publisher::MqttPublisher;
pub use subscriber::MqttSubscriber;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::registry::{Descriptor, Kind, connect_with};
use asyncapi_runtime::transport::Connect;

/// MQTT's subscription syntax: `/`-separated levels, `+` for one level (an empty one too), `#`
/// for every remaining level (and the level before it).
pub const WILDCARDS: Wildcards = Wildcards::new('/', "+", "#")
    .forbidding(&['+', '#', '\0'])
    .rest_matches_parent(true)
    .single_matches_empty(true);

/// The security schemes both MQTT connections accept: a user and password, an API key in the
/// user or password field, and a TLS client certificate.
const SECURITY: &[&str] = &["userPassword", "apiKey", "X509"];

/// [`MqttConnection`] in the registry: `mqtt`, `mqtts` and `secure-mqtt` servers that give no
/// protocol version or version 3.1.1.
pub static MQTT: Descriptor = Descriptor {
    name: "MQTT 3.1.1",
    feature: Some("mqtt"),
    protocols: <MqttConnection as Connect>::PROTOCOLS,
    library: "rumqttc-v4-next",
    library_version: "0.34",
    kind: Kind::Brokered,
    bindings: &[
        "server.clientId",
        "server.cleanSession",
        "server.keepAlive",
        "server.lastWill",
        "operation.qos",
        "operation.retain",
    ],
    security: SECURITY,
    groups: Some(
        "shared subscriptions (`$share/<group>/<filter>`): each publish to one member; what a member leaves unacknowledged comes again when its own persistent session resumes (MQTT never hands it to another member)",
    ),
    connect: Some(connect_with::<MqttConnection>),
};

/// [`Mqtt5Connection`] in the registry: `mqtt5` servers, and `mqtt`, `mqtts` and `secure-mqtt`
/// servers of protocol version 5.
pub static MQTT5: Descriptor = Descriptor {
    name: "MQTT 5",
    feature: Some("mqtt"),
    protocols: <Mqtt5Connection as Connect>::PROTOCOLS,
    library: "rumqttc-v5-next",
    library_version: "0.34",
    kind: Kind::Brokered,
    bindings: &[
        "server.clientId",
        "server.cleanSession",
        "server.keepAlive",
        "server.lastWill",
        "server.sessionExpiryInterval",
        "server.maximumPacketSize",
        "operation.qos",
        "operation.retain",
        "operation.messageExpiryInterval",
        "message.payloadFormatIndicator",
        "message.contentType",
        "message.responseTopic",
    ],
    security: SECURITY,
    groups: Some(
        "shared subscriptions (`$share/<group>/<filter>`): each publish to one member; what a member leaves unacknowledged comes again when its own persistent session resumes (MQTT never hands it to another member)",
    ),
    connect: Some(connect_with::<Mqtt5Connection>),
};
