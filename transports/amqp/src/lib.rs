//! The AMQP 0-9-1 transport of asyncapi-rs (the `asyncapi` crate's feature `amqp`), on lapin,
//! for RabbitMQ and other AMQP 0-9-1 brokers.
//!
//! An [`AmqpConnection`] is a [`Producer`] and a [`Consumer`]. What a channel is on the broker
//! comes from the document's AMQP channel binding:
//!
//! - `is: routingKey` (the default): a send goes to the binding's exchange (declared with its
//!   `type`, `durable` and `autoDelete`; `amq.topic` when the binding names none) with the
//!   concrete address as the routing key. A subscription is a queue bound to that exchange: the
//!   binding's queue, the operation's queue group as a shared queue, or an exclusive one of the
//!   subscriber's own (`asyncapi.<channel>.<unique id>`, deleted when it goes); parameters the subscription leaves free are `*` in the binding key of
//!   a topic exchange.
//! - `is: queue`: the channel is the queue (declared with `durable`, `exclusive`, `autoDelete`),
//!   which a send reaches through the default exchange and a subscription consumes.
//!
//! A declaration that conflicts with what the broker has is [`TransportError::Open`] whose
//! source is a [`AmqpTopologyError::Conflict`] naming the exchange or queue and the property.
//!
//! **Sends** resolve on publisher confirms: `Ok` once the broker has taken the message, an
//! unroutable message sent with the operation binding's `mandatory: true` is
//! [`TransportError::Rejected`] naming the routing key, a `basic.nack` is `Rejected`, no
//! confirmation within [`AmqpOptions::send_timeout`] is `Unconfirmed`. The operation binding's
//! `expiration`, `userId`, `cc`, `bcc`, `priority`, `deliveryMode`, `replyTo` and `timestamp`
//! and the message binding's `contentEncoding` and `messageType` become the message's
//! properties; headers travel in the headers table, the content type, correlation id and reply
//! address in their properties.
//!
//! **Receipts** are acknowledged per the contract (`asyncapi::ack`): `ack` is `basic.ack`,
//! `nack` is `basic.nack` with requeue, `reject` is `basic.reject` without requeue (to the
//! queue's dead-letter exchange, if it has one); a message whose every handle is dropped
//! unsettled is requeued; a consumer that dies leaves its unacknowledged messages to the broker,
//! which delivers them again. The operation binding's `ack: false` consumes without
//! acknowledgements (at most once): RabbitMQ then applies no prefetch, so a task takes each
//! delivery as it comes into the subscription's queue, and what does not fit its limits is
//! dropped and counted (`TransportError::Lagged`). At most [`AmqpOptions::prefetch`] messages are
//! unacknowledged at a time.
//!
//! Credentials: `userPassword` (SASL PLAIN), or the user and password of the URL; the virtual
//! host is the URL's path (`amqp://user:password@host:5672/vhost`), and a channel whose binding
//! names another one is refused. `amqps://` is TLS with rustls, configured by the runtime's
//! [`TlsOptions`] as on every transport: the system's roots, plus the authorities of
//! [`AmqpOptions::root_certificate`], and a client certificate from
//! [`AmqpOptions::client_certificate`].
//!
//! **Reconnection.** A connection that breaks is connected again by itself, with growing waits
//! ([`AmqpOptions::reconnect`]). Publishers open their AMQP channel again on the new connection
//! (declaring the document's exchange or queue again and turning confirms on again) at their
//! next send; a send waits for the connection at most its send timeout, and is an error, never
//! `Ok`, when it is not back by then or when the break took its confirm with it (send it again:
//! the broker may have it). Subscriptions yield one error for the break, then declare, bind and
//! consume their queue again on the new connection. What is kept meanwhile: messages routed to
//! a durable or shared queue (the binding's queue, a queue group's) wait there, and the ones
//! delivered but not acknowledged before the break are delivered again (`redelivered`);
//! messages routed to a subscriber's own exclusive queue at the break, or sent while it is not
//! bound again, are lost with that queue (the broker deletes it with the broken connection).
//! (lapin's own automatic recovery is not used: after a cut connection it could spin in its
//! I/O loop.)
//!
//! **Direct reply-to.** A request whose reply channel's address is RabbitMQ's
//! [`DIRECT_REPLY_TO`] pseudo-queue gets its replies without a reply queue: the subscription
//! listens on one AMQP channel per connection that consumes it, the request goes out on that
//! channel, and a reply sent to an `amq.rabbitmq.reply-to.*` address goes through the default
//! exchange whatever its channel's binding says.

use std::time::Duration;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::registry::{Descriptor, Kind, connect_with};
use asyncapi_runtime::transport::Connect;
use asyncapi_runtime::transport::Reconnect;

// What the crate's documentation links to.
#[cfg(doc)]
use asyncapi_runtime::{
    tls::TlsOptions,
    transport::{Consumer, Producer, TransportError},
};

mod connection;
mod direct;
mod encoding;
mod envelope;
mod headers;
mod link;
mod options;
mod publisher;
mod subscriber;
mod topology;

pub use connection::AmqpConnection;
pub use envelope::AmqpEnvelope;
pub use options::{AmqpOptions, DEFAULT_MAX_MESSAGE_SIZE};
pub use publisher::AmqpPublisher;
pub use subscriber::AmqpSubscriber;
pub use topology::AmqpTopologyError;

pub(crate) use options::redacted;

/// AMQP topic exchanges: `.`-separated words, `*` for one word, `#` for zero or more.
pub const WILDCARDS: Wildcards = Wildcards::new('.', "*", "#")
    .forbidding(&['.', '*', '#'])
    .rest_matches_parent(true);

/// RabbitMQ's direct reply-to pseudo-queue: a request whose reply address is this gets its reply
/// without a reply queue (the request goes out on the AMQP channel that consumes the replies).
pub const DIRECT_REPLY_TO: &str = "amq.rabbitmq.reply-to";

/// The waits between reconnection attempts by default: the first, and the longest (the
/// runtime's [`Reconnect::DEFAULT`]).
const DEFAULT_RECONNECT: (Duration, Duration) = match Reconnect::DEFAULT.bounds() {
    Some(bounds) => bounds,
    None => (Duration::from_millis(100), Duration::from_secs(5)),
};

/// [`AmqpConnection`] in the registry.
pub static AMQP: Descriptor = Descriptor {
    name: "AMQP 0-9-1",
    feature: Some("amqp"),
    protocols: <AmqpConnection as Connect>::PROTOCOLS,
    library: "lapin",
    library_version: "4.12",
    kind: Kind::Brokered,
    bindings: &[
        "channel.is",
        "channel.exchange",
        "channel.queue",
        "operation.expiration",
        "operation.userId",
        "operation.cc",
        "operation.bcc",
        "operation.priority",
        "operation.deliveryMode",
        "operation.mandatory",
        "operation.replyTo",
        "operation.timestamp",
        "operation.ack",
        "message.contentEncoding",
        "message.messageType",
    ],
    security: &["userPassword", "X509"],
    groups: Some(
        "one shared queue per group, named after it: each message to one member; what a member leaves unacknowledged is requeued to the others",
    ),
    connect: Some(connect_with::<AmqpConnection>),
};
