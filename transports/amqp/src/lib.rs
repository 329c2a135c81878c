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
//! acknowledgements (at most once). At most [`AmqpOptions::prefetch`] messages are unacknowledged
//! at a time.
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

use std::sync::Arc;
use std::time::Duration;

use lapin::uri::AMQPUri;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::registry::{Descriptor, Kind, Protocol, connect_with};
use asyncapi_runtime::security::{Credential, Credentials};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Connect, ConnectOptions, Consumer, Producer, Reconnect, ServerSpec,
    TransportError,
};

mod direct;
mod encoding;
mod envelope;
mod headers;
mod link;
mod publisher;
mod subscriber;
mod topology;

pub use envelope::AmqpEnvelope;
pub use publisher::AmqpPublisher;
pub use subscriber::AmqpSubscriber;
pub use topology::AmqpTopologyError;

use link::Link;

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
    protocols: &[
        Protocol::any_version("amqp"),
        Protocol::any_version("amqps"),
    ],
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
    connect: Some(connect_with::<AmqpConnection>),
};

/// How to connect.
#[derive(Clone)]
pub struct AmqpOptions {
    url: String,
    user: Option<(String, String)>,
    name: Option<String>,
    default_exchange: String,
    prefetch: u16,
    send_timeout: Duration,
    connect_timeout: Duration,
    reconnect: Option<(Duration, Duration)>,
    tls: TlsOptions,
    subscription_limits: Limits,
}

impl std::fmt::Debug for AmqpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpOptions")
            .field("url", &redacted(&self.url))
            .field("user", &self.user.as_ref().map(|(u, _)| u))
            .field("prefetch", &self.prefetch)
            .field("connect_timeout", &self.connect_timeout)
            .field("reconnect", &self.reconnect)
            .field("tls", &self.tls)
            .field("subscription_limits", &self.subscription_limits)
            .finish_non_exhaustive()
    }
}

/// The URL without its password, for errors and logs.
fn redacted(url: &str) -> String {
    match url.parse::<AMQPUri>() {
        Ok(uri) => format!(
            "{}://{}:{}/{}",
            if url.starts_with("amqps") {
                "amqps"
            } else {
                "amqp"
            },
            uri.authority.host,
            uri.authority.port,
            // As the URL writes it: the default `/` is `%2f`, not a second slash.
            uri.vhost.replace('%', "%25").replace('/', "%2f")
        ),
        Err(_) => asyncapi_runtime::transport::redacted_url(url),
    }
}

impl AmqpOptions {
    /// Options for a broker URL (`amqp://[user:password@]host[:port][/vhost]`).
    pub fn new(url: impl Into<String>) -> AmqpOptions {
        AmqpOptions {
            url: url.into(),
            user: None,
            name: None,
            default_exchange: "amq.topic".to_owned(),
            prefetch: 64,
            send_timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(10),
            reconnect: Some(DEFAULT_RECONNECT),
            tls: TlsOptions::new(),
            subscription_limits: Limits::DEFAULT,
        }
    }

    /// Options for a server of the document (its generated `spec`): URL and credentials.
    pub fn from_server(server: &ServerSpec) -> Result<AmqpOptions, TransportError> {
        AmqpOptions::new(server.url.clone())
            .name(server.name.to_string())
            .credentials(&server.credentials)
    }

    /// The connection's name, as the broker's management shows it.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The exchange of `routingKey` channels whose binding names none; `amq.topic` by default.
    pub fn default_exchange(mut self, exchange: impl Into<String>) -> Self {
        self.default_exchange = exchange.into();
        self
    }

    /// How many messages a subscription holds unacknowledged at most (`basic.qos`); 64 by
    /// default, and never more than [`subscription_limits`](Self::subscription_limits)' messages.
    /// `0` asks RabbitMQ for no limit: the subscription limits' messages then apply.
    pub fn prefetch(mut self, count: u16) -> Self {
        self.prefetch = count;
        self
    }

    /// What each subscription holds at most for a consumer that does not keep up
    /// ([`Limits::DEFAULT`] by default). An acknowledged subscription holds at most
    /// [`prefetch`](Self::prefetch) messages (capped at these limits' messages): the broker
    /// sends no more until some are settled, so the rest wait in the queue (backpressure; RabbitMQ
    /// does not bound a prefetch in bytes, so a message's size is bounded by its
    /// `max_message_size` instead). Direct reply-to listeners, which RabbitMQ requires to consume
    /// without acknowledgements, have no flow control: a reply that finds the queue full is
    /// dropped and counted, and the listener gets one [`TransportError::Lagged`]
    /// ([`Overflow::Drop`](asyncapi_runtime::delivery::Overflow::Drop)).
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }

    /// The `basic.qos` prefetch a subscription asks for: [`prefetch`](Self::prefetch), within
    /// the subscription limits' messages.
    pub(crate) fn effective_prefetch(&self) -> u16 {
        let most = u16::try_from(self.subscription_limits.messages()).unwrap_or(u16::MAX);
        match self.prefetch {
            0 => most,
            n => n.min(most),
        }
    }

    /// How long a send waits for its publisher confirm before it is
    /// [`Unconfirmed`](TransportError::Unconfirmed); ten seconds by default.
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout;
        self
    }

    /// How long connecting may take; ten seconds by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How a broken connection comes back ([`Reconnect::DEFAULT`]: 100 ms, doubled up to 5 s,
    /// until it is back or closed). Publishers and subscriptions open their channels again on
    /// the new connection and declare the document's topology again; subscriptions consume again
    /// and get one error for the break. A send waits for the connection at most its [send
    /// timeout](AmqpOptions::send_timeout). With [`Reconnect::Never`], after a break sends are
    /// errors and subscriptions end with an error; connect again.
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect.bounds();
        self
    }

    /// The TLS settings of `amqps://` URLs (see [`TlsOptions`]; by default the system's
    /// certificate authorities and no client certificate). lapin builds its rustls
    /// configuration itself, from the system's roots plus the given ones and checking the URL's
    /// host: leaving the system's roots out or a [server-name
    /// override](TlsOptions::server_name) makes connecting fail rather than go unheeded.
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// Also trusts the certificate authorities in this PEM (a file's path, or [`Pem::text`]) for
    /// `amqps://`; each call adds to the others and to the system's.
    pub fn root_certificate(mut self, pem: impl Into<Pem>) -> Self {
        self.tls = self.tls.root_certificate(pem);
        self
    }

    /// Presents this client certificate and its key (PEM files or texts, the key in PKCS #8) on
    /// `amqps://` connections.
    pub fn client_certificate(mut self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        self.tls = self.tls.client_certificate(certificate, key);
        self
    }

    /// Applies credentials: a user and password (SASL PLAIN), a client certificate (`X509`,
    /// presented over `amqps://`). Credentials AMQP cannot carry are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match c {
                Credential::UserPassword(u) => self.user = Some((u.user, u.password)),
                // Presented to a broker that verifies its peers (`verify_peer`).
                Credential::ClientCertificate(c) => {
                    self = self.client_certificate(
                        Pem::text(c.certificate_pem),
                        Pem::text(c.private_key_pem),
                    )
                }
                other => {
                    return Err(asyncapi_runtime::transport::cannot_carry(
                        "AMQP",
                        &redacted(&self.url),
                        &other,
                    ));
                }
            }
        }
        Ok(self)
    }
}

/// A connection to an AMQP broker, kept up: when it breaks it is connected again by itself
/// (see [`AmqpOptions::reconnect`]). Each publisher and each subscription has a channel of its
/// own (a refused declaration closes only that one), opened again on the new connection. Cloning
/// it gives another handle.
#[derive(Clone)]
pub struct AmqpConnection {
    link: Arc<Link>,
}

impl std::fmt::Debug for AmqpConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpConnection")
            .field("server", &self.link.server)
            .finish_non_exhaustive()
    }
}

impl AmqpConnection {
    /// Connects; a broker that is down, refuses the credentials or has no such virtual host is
    /// [`TransportError::Connect`] naming it.
    pub async fn connect(options: AmqpOptions) -> Result<AmqpConnection, TransportError> {
        Ok(AmqpConnection {
            link: Link::connect(options).await?,
        })
    }

    /// Whether the connection is up now (`false` while it is being connected again, and once
    /// closed).
    pub fn is_connected(&self) -> bool {
        matches!(self.link.state(), link::State::Up { connection, .. } if connection.status().connected())
    }

    /// Closes the connection (`connection.close`) for good: its publishers' sends fail and its
    /// subscriptions end.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.link.close().await
    }

    /// A channel of its own, for one publisher or subscription, after checking that the
    /// channel's binding names this connection's virtual host (if it names one).
    async fn channel_for(
        &self,
        channel: &ChannelSpec,
    ) -> Result<(u64, lapin::Channel), TransportError> {
        let open_err = |source: BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        if let Some(vhost) = topology::Target::vhost(channel)
            && vhost != self.link.vhost
        {
            return Err(open_err(Box::new(AmqpTopologyError::Unsupported(format!(
                "the binding names the virtual host `{vhost}`, and the connection is to `{}`: connect to `{vhost}` for this channel",
                self.link.vhost
            )))));
        }
        let (generation, connection) =
            self.link
                .working(self.link.options.connect_timeout)
                .await
                .map_err(|e| open_err(e.describe(&self.link.server).into()))?;
        let channel = connection
            .create_channel()
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        Ok((generation, channel))
    }
}

impl ConnectOptions for AmqpOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        Ok(AmqpOptions::new(url))
    }
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError> {
        AmqpOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        AmqpOptions::credentials(self, credentials)
    }
    fn connect_timeout(self, timeout: Duration) -> Self {
        AmqpOptions::connect_timeout(self, timeout)
    }
    fn reconnect(self, reconnect: Reconnect) -> Self {
        AmqpOptions::reconnect(self, reconnect)
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        AmqpOptions::subscription_limits(self, limits)
    }
}

impl asyncapi_runtime::transport::TlsConnectOptions for AmqpOptions {
    fn tls(self, tls: TlsOptions) -> Self {
        AmqpOptions::tls(self, tls)
    }
}

impl Connect for AmqpConnection {
    type Options = AmqpOptions;
    const PROTOCOLS: &'static [&'static str] = &["amqp", "amqps"];

    async fn connect_with(options: AmqpOptions) -> Result<Self, TransportError> {
        AmqpConnection::connect(options).await
    }
}

impl Producer for AmqpConnection {
    type Publisher = AmqpPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<AmqpPublisher, TransportError> {
        publisher::open(self, channel).await
    }
}

impl Consumer for AmqpConnection {
    type Subscriber = AmqpSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<AmqpSubscriber, TransportError> {
        subscriber::open(self, channel).await
    }
}
