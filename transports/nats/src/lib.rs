//! The NATS transport of asyncapi-rs (the `asyncapi` crate's feature `nats`), on async-nats.
//!
//! A [`NatsConnection`] is a [`Producer`](asyncapi_runtime::transport::Producer) and a [`Consumer`](asyncapi_runtime::transport::Consumer). A channel's address is a subject:
//! parameters not fixed by a subscription become `*`, and a queue group (from the operation's
//! NATS binding) makes subscribers share the messages. Headers travel as NATS headers, the content
//! type as `Content-Type`, the correlation id as `Correlation-Id`, and `reply_to` as the message's
//! reply subject, so request/reply uses NATS's own reply subjects. Users and passwords, tokens,
//! NKeys and credentials files (JWT) authenticate. TLS with rustls (ring), configured by the
//! runtime's [`TlsOptions`](asyncapi_runtime::tls::TlsOptions) as on every transport (extra certificate authorities, client
//! certificates, PEM files or text), upgraded after the server's `INFO` line or, with
//! [`NatsOptions::tls_first`], from the first byte. async-nats reconnects by itself and renews
//! subscriptions. Each subscription's messages go through the kit's bounded queue: core NATS has
//! no flow control, so a subscriber that falls behind gets a counted
//! [`TransportError::Lagged`](asyncapi_runtime::transport::TransportError::Lagged)
//! ([`NatsOptions::subscription_limits`]).
//!
//! # JetStream
//!
//! A channel whose NATS binding has `x-jetstream` (this project's extension) or that
//! [`NatsOptions::jetstream`] names is carried by a JetStream stream, at least once:
//!
//! - **The stream** is the extension's `stream` (by default the channel's name, upper-cased,
//!   `/` and `.` as `_`), storing its `subjects` (by default the channel's address with every
//!   parameter `*`). When the channel opens, a stream that does not exist is created with the
//!   extension's `retention` (`limits`, `interest`, `workqueue`), `storage` (`file`, `memory`),
//!   `maxMsgs`, `maxBytes`, `maxAge`, `duplicateWindow` and `replicas`, unless it says
//!   `create: false` (then its absence is an error); an existing one is checked to store the
//!   channel's subjects, and is otherwise left as it is.
//! - **A send** is `Ok` once the stream's `PubAck` says it stored the message; no stream for
//!   the subject is [`TransportError::Rejected`](asyncapi_runtime::transport::TransportError::Rejected),
//!   no answer within [`NatsOptions::send_timeout`] is
//!   [`TransportError::Unconfirmed`](asyncapi_runtime::transport::TransportError::Unconfirmed).
//!   Where the extension's `messageId` (a runtime expression, `$message.header#/idempotencyKey`)
//!   finds a value, it goes as [`MESSAGE_ID`] and the stream drops a second message with the
//!   same id within its `duplicateWindow`. The reply address travels in [`REPLY_TO`] (a
//!   JetStream message's reply subject is its acknowledgement's).
//! - **A subscription** reads through a pull consumer filtered on its subject: in a group
//!   (the operation's `queue`, its `x-group`, or `subscribe_in_group`) the group's durable
//!   consumer, named after the group and shared by its members, which starts at the stream's
//!   beginning (`deliver: all`) unless the extension says `deliver: new`; without one, a consumer
//!   of its own that starts with what comes next and is removed when the subscription ends.
//!   Messages are acknowledged explicitly: `ack` is `+ACK`, `nack` `-NAK`, `nack_after(delay)`
//!   `-NAK` with the delay, `reject` `+TERM`; one left unsettled is delivered again after
//!   `ackWait` ([`DEFAULT_ACK_WAIT`] unless the extension says), at most `maxDeliver` times.
//!   A subscription holds at most its limits and pulls no more until the application reads:
//!   the stream holds the rest. What it holds unread past `ackWait` is delivered again (at
//!   least once): give `ackWait` more than the longest the application takes between reads.

mod connection;
mod envelope;
mod jetstream;
mod options;
mod publisher;
mod subscriber;

pub use connection::NatsConnection;
pub use jetstream::{DEFAULT_ACK_WAIT, MESSAGE_ID, REPLY_TO};
pub use options::NatsOptions;
pub use publisher::NatsPublisher;
pub use subscriber::NatsSubscriber;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::registry::{Descriptor, Kind, connect_with};
use asyncapi_runtime::transport::Connect;

/// The header that carries the content type.
pub const CONTENT_TYPE: &str = "Content-Type";
/// The header that carries the correlation id.
pub const CORRELATION_ID: &str = "Correlation-Id";

/// NATS's subscription syntax: `.`-separated tokens, `*` for one token, `>` for every remaining
/// token (at least one); white space splits a subject.
pub const WILDCARDS: Wildcards =
    Wildcards::new('.', "*", ">").forbidding(&['*', '>', ' ', '\t', '\r', '\n']);

/// [`NatsConnection`] in the registry.
pub static NATS: Descriptor = Descriptor {
    name: "NATS",
    feature: Some("nats"),
    protocols: <NatsConnection as Connect>::PROTOCOLS,
    library: "async-nats",
    library_version: "0.51",
    kind: Kind::Brokered,
    bindings: &["operation.queue", "channel.x-jetstream"],
    security: &["userPassword", "apiKey", "http", "X509"],
    groups: Some(
        "queue groups: each message to one member, at most once; on JetStream channels a durable consumer per group: at least once, what a member leaves unacknowledged goes to another after `ackWait`",
    ),
    connect: Some(connect_with::<NatsConnection>),
};
