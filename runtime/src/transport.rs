//! The transport contract every protocol implements.
//!
//! - A [`Producer`] is a connection to a server that opens [`Publisher`]s; a [`Consumer`] is one
//!   that opens [`Subscriber`]s. One connection type is usually both.
//! - A [`Publisher`] sends envelopes on one channel; a [`Subscriber`] receives them as a
//!   [`Stream`]. Both can be closed.
//! - What a channel is for a protocol (a topic, a subject, an exchange and a queue, a path) is
//!   described by a [`ChannelSpec`]: its address template, the parameters fixed for a
//!   subscription (the others become the protocol's wildcards), a queue group, and the
//!   document's bindings for that protocol.
//!
//! Everything is statically dispatched; [`DynConnection`] is the boxed path for code that picks
//! the protocol at run time, through the [`registry`](crate::registry) of transports.
//!
//! What the built-in transports share is public, so a transport of your own does what they do:
//! [`PublisherState`] (refusing sends once closed), [`Backoff`] (waits between reconnection
//! attempts), [`Wildcards`](crate::address::Wildcards) (a protocol's subscription syntax, as
//! data) and [`check_protocol`] (the server speaks one of your protocols). `docs/TRANSPORTS.md`
//! in the repository is the guide.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;

use crate::ack::{AckMode, Outcome};
use crate::envelope::{Envelope, EnvelopeReader, EnvelopeWriter};
use crate::registry::Protocol;

/// A boxed error from a protocol library.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What went wrong in a transport, with the server or address it concerns.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// Connecting to a server failed.
    #[error("cannot connect to {server}: {source}")]
    Connect {
        /// The server: its URL, or (through a generated server) its name in the document and
        /// its URL, `` `rabbit` at amqp://127.0.0.1:5672 ``.
        server: String,
        /// The protocol library's error.
        #[source]
        source: BoxError,
    },
    /// Opening a publisher or subscriber failed.
    #[error("cannot open `{address}`: {source}")]
    Open {
        /// The address or pattern.
        address: String,
        /// The protocol library's error.
        #[source]
        source: BoxError,
    },
    /// Sending failed.
    #[error("cannot send to `{address}`: {source}")]
    Send {
        /// The concrete address.
        address: String,
        /// The protocol library's error.
        #[source]
        source: BoxError,
    },
    /// Receiving failed.
    #[error("cannot receive from `{address}`: {source}")]
    Receive {
        /// The address or pattern.
        address: String,
        /// The protocol library's error.
        #[source]
        source: BoxError,
    },
    /// The server refused the message it was sent (an MQTT 5 reason code of 0x80 or more, an
    /// AMQP nack, an unroutable mandatory message, a Kafka delivery error, ...).
    #[error("`{address}` refused the message: {reason}")]
    Rejected {
        /// The concrete address.
        address: String,
        /// What the server said.
        reason: String,
    },
    /// The server did not confirm, within `timeout`, that it took the message (it may still
    /// deliver it: the transport keeps trying until the connection is closed).
    #[error("`{address}`: no confirmation within {timeout:?} that the server took the message")]
    Unconfirmed {
        /// The concrete address.
        address: String,
        /// How long was waited.
        timeout: Duration,
    },
    /// The connection, publisher or subscriber was closed.
    #[error("`{0}` is closed")]
    Closed(String),
    /// A subscriber fell behind and its queue, full, dropped `dropped` messages in a row (the
    /// policy of transports whose protocol has no flow control: see
    /// [`delivery`](crate::delivery)); the stream goes on with what came after them.
    #[error("`{address}`: the subscriber fell behind; {dropped} messages were dropped")]
    Lagged {
        /// The address or pattern of the subscription.
        address: String,
        /// How many messages were dropped.
        dropped: u64,
    },
    /// A message larger than the connection takes: refused before anything was written when
    /// sending; when receiving, an error for that message alone (the stream goes on).
    #[error(
        "`{address}`: the message takes {size} bytes and the largest this connection {direction} \
         is {limit} bytes (set by {option})"
    )]
    TooLarge {
        /// The concrete address.
        address: String,
        /// The message's size in bytes (as the protocol counts it: a packet, a frame, a body).
        size: usize,
        /// The largest size allowed.
        limit: usize,
        /// `"sends"` or `"takes"`.
        direction: &'static str,
        /// The option or document field that sets the limit, `MqttOptions::max_message_size`.
        option: &'static str,
    },
    /// No reply came in time.
    #[error("no reply on `{address}` within {timeout:?}")]
    Timeout {
        /// Where the reply was expected.
        address: String,
        /// How long was waited.
        timeout: Duration,
    },
}

/// One channel as a transport opens it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelSpec {
    /// The channel's name in the document (for errors and traces).
    pub name: Cow<'static, str>,
    /// The address template (`lights/{id}/measured`); a channel without an address uses its name.
    pub address: Cow<'static, str>,
    /// Parameters fixed for a subscription; the other parameters match any value.
    pub params: Vec<(Cow<'static, str>, String)>,
    /// The values the document lists for parameters (their schema's `enum`), so that a
    /// subscription to a parameter no wildcard can stand for listens to each value
    /// ([`subscription`](Self::subscription)).
    pub param_values: Vec<(Cow<'static, str>, Vec<Cow<'static, str>>)>,
    /// The consumer group given at subscription time (the generated `subscribe_in_group`) or
    /// by the operation's `x-group` extension, for every transport: subscribers in one group
    /// share the messages, each going to one of them. A protocol's own binding can name one
    /// too (NATS `queue`, Kafka `groupId`, Redis `x-group`), which only that protocol's
    /// transport applies: see [`group`](Self::group).
    pub queue_group: Option<String>,
    /// The document's bindings of the channel and of the operation that opens it.
    pub bindings: crate::bindings::Bindings,
    /// When a subscription acknowledges what it receives (see [`crate::ack`]).
    pub ack: AckMode,
    /// What becomes of a received message that cannot be decoded or validated; by default
    /// [`Outcome::Reject`] (it would not decode the next time either).
    pub on_invalid: Outcome,
}

impl ChannelSpec {
    /// A channel with this name and address template, no parameter fixed, no queue group.
    pub fn new(name: impl Into<Cow<'static, str>>, address: impl Into<Cow<'static, str>>) -> Self {
        ChannelSpec {
            name: name.into(),
            address: address.into(),
            params: Vec::new(),
            param_values: Vec::new(),
            queue_group: None,
            bindings: crate::bindings::Bindings::default(),
            ack: AckMode::Auto,
            on_invalid: Outcome::Reject,
        }
    }

    /// What a subscription to this channel listens to in a protocol with `wildcards`, as one
    /// pattern: [`subscription`](Self::subscription) for a transport that listens to one.
    pub fn subscription_pattern(
        &self,
        wildcards: &crate::address::Wildcards,
    ) -> Result<Subscription, TransportError> {
        self.subscription(wildcards, 1)
    }

    /// What a subscription to this channel listens to in a protocol with `wildcards`, as at most
    /// `most` patterns: each fixed parameter at its value, a free parameter that is a whole
    /// level as the one-level wildcard (`lights/+/measured`), one inside a level as each of its
    /// [listed values](Self::param_values) or, without them, the broader pattern of
    /// [`AddressTemplate::patterns`](crate::address::AddressTemplate::patterns), whose
    /// deliveries [`Subscription::admits`] checks against the template. An address that is
    /// not a template is [`TransportError::Open`] naming it.
    pub fn subscription(
        &self,
        wildcards: &crate::address::Wildcards,
        most: usize,
    ) -> Result<Subscription, TransportError> {
        let open = |source: BoxError| TransportError::Open {
            address: self.address.to_string(),
            source,
        };
        let template =
            crate::address::AddressTemplate::parse(&self.address).map_err(|e| open(Box::new(e)))?;
        let fixed: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_str()))
            .collect();
        let listed: Vec<(&str, Vec<&str>)> = self
            .param_values
            .iter()
            .map(|(n, values)| (n.as_ref(), values.iter().map(|v| v.as_ref()).collect()))
            .collect();
        let enums: Vec<(&str, &[&str])> = listed.iter().map(|(n, v)| (*n, v.as_slice())).collect();
        let patterns = template
            .patterns(&fixed, &enums, wildcards, most)
            .map_err(|e| open(Box::new(e)))?;
        let check = (!patterns.is_exact()).then(|| {
            let fixed = self
                .params
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect();
            (template, fixed)
        });
        Ok(Subscription { patterns, check })
    }

    /// The same channel, with `values` listed for parameter `name` (the document's `enum`).
    pub fn with_param_values<V: Into<Cow<'static, str>>>(
        mut self,
        name: impl Into<Cow<'static, str>>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.param_values
            .push((name.into(), values.into_iter().map(Into::into).collect()));
        self
    }

    /// The same channel, subscribed to in acknowledgement mode `mode`.
    pub fn with_ack(mut self, mode: AckMode) -> Self {
        self.ack = mode;
        self
    }

    /// The same channel, with messages that cannot be decoded settled with `outcome`.
    pub fn with_on_invalid(mut self, outcome: Outcome) -> Self {
        self.on_invalid = outcome;
        self
    }

    /// The same channel with these bindings.
    pub fn with_bindings(mut self, bindings: crate::bindings::Bindings) -> Self {
        self.bindings = bindings;
        self
    }

    /// The same channel with parameter `name` fixed to `value` for subscribing.
    pub fn with_param(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// The same channel, subscribed to in queue group `group`.
    pub fn in_queue_group(mut self, group: impl Into<String>) -> Self {
        self.queue_group = Some(group.into());
        self
    }

    /// The consumer group a transport for `protocol` (a server's `protocol`: `nats`, `kafka`,
    /// `redis`, ...) subscribes in: [`queue_group`](Self::queue_group) when it is set, else
    /// the group the operation's binding for that protocol names (NATS `queue`, Kafka
    /// `groupId`, Redis `x-group`). A binding of another protocol never applies: a document's
    /// Kafka `groupId` does not put its AMQP subscriptions in a group.
    pub fn group(&self, protocol: &str) -> Option<&str> {
        if let Some(group) = &self.queue_group {
            return Some(group);
        }
        let b = &self.bindings;
        match protocol {
            "nats" => b.nats.as_ref().and_then(|n| n.queue.as_deref()),
            "kafka" | "kafka-secure" => b
                .kafka_operation
                .as_ref()
                .and_then(|k| k.group_id.as_deref()),
            "redis" | "rediss" => b.redis_operation.as_ref().and_then(|r| r.group.as_deref()),
            _ => None,
        }
    }
}

/// What a subscription listens to ([`ChannelSpec::subscription`]): its patterns, and the check
/// of what they take when they take more than the channel's template.
#[derive(Clone, Debug)]
pub struct Subscription {
    patterns: crate::address::Patterns,
    check: Option<(crate::address::AddressTemplate, Vec<(String, String)>)>,
}

impl Subscription {
    /// The first pattern (the only one when the transport listens to one).
    pub fn pattern(&self) -> &str {
        &self.patterns.as_slice()[0]
    }

    /// Every pattern.
    pub fn patterns(&self) -> &[String] {
        self.patterns.as_slice()
    }

    /// Whether the patterns take exactly what the channel's template takes.
    pub fn is_exact(&self) -> bool {
        self.check.is_none()
    }

    /// Whether any pattern holds a wildcard; otherwise each is a concrete address (a protocol
    /// may subscribe to those as names rather than patterns).
    pub fn has_wildcards(&self) -> bool {
        self.patterns.has_wildcards()
    }

    /// Whether a delivery on `address` is one the subscription asked for: always, when the
    /// patterns are exact; otherwise when the address fits the template with the fixed
    /// parameters at their values (a broader pattern also takes other channels' messages).
    pub fn admits(&self, address: &str) -> bool {
        match &self.check {
            None => true,
            Some((template, fixed)) => {
                let fixed: Vec<(&str, &str)> = fixed
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                template.matches(address, &fixed)
            }
        }
    }

    /// `envelope`, when the subscription [admits](Self::admits) its address; otherwise `None`,
    /// with the envelope acknowledged in the background (it is not this subscription's, and
    /// nobody else would settle it). For a transport's `poll_next`, whose `cx` this takes.
    pub fn admit<E: EnvelopeReader>(
        &self,
        envelope: E,
        cx: &mut std::task::Context<'_>,
    ) -> Option<E> {
        if self.admits(envelope.address()) {
            return Some(envelope);
        }
        tracing::trace!(target: "asyncapi", address = envelope.address(), "not this subscription's: skipped");
        if let Some(ack) = envelope.acknowledgement() {
            crate::ack::settle_in_background(ack, Outcome::Ack, cx);
        }
        None
    }
}

/// A server as a transport connects to it: what a generated server's `spec` gives. Its `Debug`
/// shows the URL [redacted](redacted_url) and the credentials' secrets as redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerSpec {
    /// The server's name in the document.
    pub name: Cow<'static, str>,
    /// `protocol://host/pathname`, with the variables filled in.
    pub url: String,
    /// The protocol (`mqtt`, `mqtt5`, `nats`, ...).
    pub protocol: Cow<'static, str>,
    /// The protocol version, when the document gives one.
    pub protocol_version: Option<Cow<'static, str>>,
    /// The server's bindings.
    pub bindings: crate::bindings::ServerBindings,
    /// The credentials the client brings.
    pub credentials: Vec<crate::security::Credential>,
}

impl std::fmt::Debug for ServerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerSpec")
            .field("name", &self.name)
            .field("url", &redacted_url(&self.url))
            .field("protocol", &self.protocol)
            .field("protocol_version", &self.protocol_version)
            .field("bindings", &self.bindings)
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl ServerSpec {
    /// The same server at `url` instead of the document's (a broker on a laptop, a staging
    /// one), with the document's protocol, bindings and credentials.
    pub fn at(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }
}

/// Connects with transport `C` to `server`; a [`TransportError::Connect`] names the document's
/// server and where it was reached (`` `rabbit` at amqp://127.0.0.1:5672 ``), never only a URL.
/// What generated servers' `connect` calls.
pub async fn connect_named<C: Connect>(server: &ServerSpec) -> Result<C, TransportError> {
    C::connect_to(server).await.map_err(|e| match e {
        TransportError::Connect { server: at, source } if !server.name.is_empty() => {
            TransportError::Connect {
                server: format!("`{}` at {at}", server.name),
                source,
            }
        }
        other => other,
    })
}

pub use crate::closing::{CloseSignal, CloseWatch};
#[cfg(feature = "tls")]
pub use crate::connect::TlsConnectOptions;
pub use crate::connect::{ConnectOptions, Reconnect, cannot_carry};
pub use crate::deadline::SendTimer;
pub use crate::url::redacted_url;

/// `template` (a server's host or URL) with each `{name}` replaced by the value of variable
/// `name`; a variable without a value stays as it is.
///
/// ```
/// use asyncapi_runtime::transport::fill;
///
/// assert_eq!(fill("mqtt://{host}:{port}", &[("port", "1883"), ("host", "lamp")]), "mqtt://lamp:1883");
/// ```
pub fn fill(template: &str, variables: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in variables {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// A connection a generated server can open: `servers::Production::default().connect(security)`
/// picks the implementation from the type asked for, and the implementation checks that the
/// server's protocol is one it speaks.
///
/// A transport names its options ([`ConnectOptions`]) and how to connect with them; connecting
/// to a document's server is then the same for every transport: the protocol checked, the
/// options made from the server ([`ConnectOptions::from_server`]), and connected with.
pub trait Connect: Sized {
    /// The options this connection is opened with.
    type Options: ConnectOptions;

    /// The protocols (`servers.*.protocol`, with the versions served) this connection speaks:
    /// stated once, here, and named by the transport's registry
    /// [`Descriptor`](crate::registry::Descriptor) (`protocols: <X as Connect>::PROTOCOLS`).
    /// [`connect_to`](Connect::connect_to) checks the key only: a user who picks this
    /// connection type for a server of another version of the protocol means it.
    const PROTOCOLS: &'static [Protocol];

    /// Connects with these options.
    fn connect_with(
        options: Self::Options,
    ) -> impl Future<Output = Result<Self, TransportError>> + Send;

    /// Connects to a server of the document: [`check_protocol`](Connect::check_protocol), the
    /// options [from the server](ConnectOptions::from_server), [`connect_with`](Connect::connect_with).
    fn connect_to(
        server: &ServerSpec,
    ) -> impl Future<Output = Result<Self, TransportError>> + Send {
        async move {
            Self::check_protocol(server)?;
            Self::connect_with(Self::Options::from_server(server)?).await
        }
    }

    /// An error unless the server's protocol is one of [`Connect::PROTOCOLS`].
    fn check_protocol(server: &ServerSpec) -> Result<(), TransportError> {
        check_protocol(Self::PROTOCOLS, server, "this connection")
    }
}

/// A server a generated server can bind (the server side of a brokerless protocol):
/// `servers::Local::default().bind::<WsServer>(security)` listens where the document's server
/// says and requires the credentials given.
pub trait Bind: Sized {
    /// The protocols (`servers.*.protocol`) this server speaks (keys are checked).
    const PROTOCOLS: &'static [Protocol];

    /// Binds a server of the document.
    fn bind_to(server: &ServerSpec) -> impl Future<Output = Result<Self, TransportError>> + Send;

    /// An error unless the server's protocol is one of [`Bind::PROTOCOLS`].
    fn check_protocol(server: &ServerSpec) -> Result<(), TransportError> {
        check_protocol(Self::PROTOCOLS, server, "this server")
    }
}

/// An error unless `server` speaks the key of one of `protocols` (compared without regard to
/// case); `what` names the connection or server in the message (`"this connection"`).
pub fn check_protocol(
    protocols: &[Protocol],
    server: &ServerSpec,
    what: &str,
) -> Result<(), TransportError> {
    if protocols
        .iter()
        .any(|p| p.key.eq_ignore_ascii_case(server.protocol.trim()))
    {
        return Ok(());
    }
    let mut keys: Vec<&str> = Vec::new();
    for p in protocols {
        if !keys.contains(&p.key) {
            keys.push(p.key);
        }
    }
    Err(TransportError::Connect {
        server: crate::url::redacted_url(&server.url),
        source: format!(
            "server `{}` speaks `{}`, and {what} speaks {}",
            server.name,
            server.protocol,
            keys.join(", ")
        )
        .into(),
    })
}

/// A connection that can send: it opens publishers.
pub trait Producer: Send + Sync {
    /// The publisher it opens.
    type Publisher: Publisher;

    /// Opens a publisher for a channel.
    fn publisher(
        &self,
        channel: &ChannelSpec,
    ) -> impl Future<Output = Result<Self::Publisher, TransportError>> + Send;
}

/// Sends envelopes on one channel.
pub trait Publisher: Send + Sync {
    /// The protocol's outgoing envelope.
    type Envelope: EnvelopeWriter + Send;

    /// A new, empty envelope for this channel.
    fn envelope(&self) -> Self::Envelope;

    /// Sends an envelope (to the address set in it). Waits while the transport applies
    /// backpressure.
    fn send(
        &self,
        envelope: Self::Envelope,
    ) -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Stops sending; later sends fail with [`TransportError::Closed`].
    fn close(&self) -> impl Future<Output = Result<(), TransportError>> + Send;
}

/// What a publisher keeps to refuse sends once it is closed: the channel's name (for the error)
/// and whether [`Publisher::close`] was called. Every built-in transport's publisher holds one,
/// and a transport of your own can too:
///
/// ```
/// use asyncapi_runtime::transport::{ChannelSpec, PublisherState, TransportError};
///
/// let state = PublisherState::new(&ChannelSpec::new("lightMeasured", "lights/{id}"));
/// assert!(state.check().is_ok());
/// state.close();
/// assert!(matches!(state.check(), Err(TransportError::Closed(_))));
/// ```
#[derive(Debug)]
pub struct PublisherState {
    channel: String,
    closed: std::sync::atomic::AtomicBool,
}

impl PublisherState {
    /// An open publisher of `channel`.
    pub fn new(channel: &ChannelSpec) -> PublisherState {
        PublisherState {
            channel: channel.name.to_string(),
            closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The channel's name in the document.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// [`TransportError::Closed`] once the publisher is closed: call it first in
    /// [`Publisher::send`].
    pub fn check(&self) -> Result<(), TransportError> {
        if self.is_closed() {
            Err(TransportError::Closed(format!(
                "publisher of `{}`",
                self.channel
            )))
        } else {
            Ok(())
        }
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        self.closed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Closes the publisher: later [`check`](Self::check)s fail.
    pub fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// How the replies to a connection's requests come back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replies {
    /// To an address the request names in `reply_to` (a fresh inbox, or the reply channel's
    /// address): brokers (MQTT, NATS, AMQP, the in-process broker).
    ToAddress,
    /// On the connection the request went out on, whatever the reply channel's address:
    /// connection-oriented protocols (WebSocket). The requester listens on the request's own
    /// channel, and tells the reply from other frames by decoding it and by its correlation id.
    OnRequestConnection,
}

/// A connection that can receive: it opens subscribers.
pub trait Consumer: Send + Sync {
    /// The subscriber it opens.
    type Subscriber: Subscriber;

    /// How replies to this connection's requests come back.
    const REPLIES: Replies = Replies::ToAddress;

    /// The acknowledgement mode a subscription to `channel` is opened in: the channel's own,
    /// unless the consumer decides otherwise ([`ManualAck`](crate::ack::ManualAck)).
    fn ack_mode(&self, channel: &ChannelSpec) -> AckMode {
        channel.ack
    }

    /// Subscribes to a channel (with its fixed parameters and queue group).
    fn subscriber(
        &self,
        channel: &ChannelSpec,
    ) -> impl Future<Output = Result<Self::Subscriber, TransportError>> + Send;
}

/// Receives the envelopes of one channel, as a stream that ends when the subscription is closed.
pub trait Subscriber:
    Stream<Item = Result<<Self as Subscriber>::Envelope, TransportError>> + Send + Unpin
{
    /// The protocol's incoming envelope.
    type Envelope: EnvelopeReader + Send;

    /// Ends the subscription; the stream then ends.
    fn close(&mut self) -> impl Future<Output = Result<(), TransportError>> + Send;
}

/// A boxed future, for the dynamic path.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A boxed stream of envelopes, for the dynamic path.
pub type BoxStream = Pin<Box<dyn Stream<Item = Result<Envelope, TransportError>> + Send>>;

/// A connection whose protocol is chosen at run time: object-safe, carrying the plain
/// [`Envelope`]. Every [`Producer`] + [`Consumer`] whose envelopes convert from and into
/// [`Envelope`] is one.
pub trait DynConnection: Send + Sync {
    /// Sends one envelope on a channel.
    fn send_dyn<'a>(
        &'a self,
        channel: &'a ChannelSpec,
        envelope: Envelope,
    ) -> BoxFuture<'a, Result<(), TransportError>>;
    /// Subscribes to a channel.
    fn subscribe_dyn<'a>(
        &'a self,
        channel: &'a ChannelSpec,
    ) -> BoxFuture<'a, Result<BoxStream, TransportError>>;
}

impl<C> DynConnection for C
where
    C: Producer + Consumer,
    <C::Publisher as Publisher>::Envelope: From<Envelope>,
    <C::Subscriber as Subscriber>::Envelope: Into<Envelope>,
    C::Subscriber: 'static,
{
    fn send_dyn<'a>(
        &'a self,
        channel: &'a ChannelSpec,
        envelope: Envelope,
    ) -> BoxFuture<'a, Result<(), TransportError>> {
        Box::pin(async move {
            let publisher = self.publisher(channel).await?;
            publisher.send(envelope.into()).await
        })
    }

    fn subscribe_dyn<'a>(
        &'a self,
        channel: &'a ChannelSpec,
    ) -> BoxFuture<'a, Result<BoxStream, TransportError>> {
        Box::pin(async move {
            let subscriber = self.subscriber(channel).await?;
            let stream: BoxStream = Box::pin(MapInto(subscriber));
            Ok(stream)
        })
    }
}

/// Refuses a subscription in a consumer group ([`ChannelSpec::group`] for `protocol`, the
/// server's protocol: one given at subscription time, by the operation's `x-group`, or by its
/// binding for that protocol) for a transport (or a kind of channel) that has no groups, `what`
/// saying which (`"WebSocket"`, `"Redis pub/sub"`): [`TransportError::Open`] naming the channel
/// and the group. Every subscriber of such a transport would get every message, which is not
/// what a group promises, so the subscription is refused rather than opened. What a
/// transport's `subscriber` checks first when its descriptor says `groups: None`.
pub fn refuse_group(
    channel: &ChannelSpec,
    protocol: &str,
    what: &str,
) -> Result<(), TransportError> {
    match channel.group(protocol) {
        None => Ok(()),
        Some(group) => Err(TransportError::Open {
            address: channel.address.to_string(),
            source: format!(
                "channel `{}` is subscribed to in consumer group `{group}`, and {what} has no consumer groups: every subscriber would get every message",
                channel.name
            )
            .into(),
        }),
    }
}

/// Opening a publisher or a subscription on `channel` (`open`), within `patience`, set by
/// `option` (`"AmqpOptions::connect_timeout"`): past it, [`TransportError::Open`] naming the
/// channel and the option. A server that stops answering without the connection ending (a dead
/// route) is noticed by nothing else until the protocol's heartbeat runs out, if it has one; what
/// a transport's `publisher` and `subscriber` wrap themselves in when opening waits on the
/// server.
pub async fn open_within<T>(
    channel: &ChannelSpec,
    patience: Duration,
    option: &str,
    open: impl Future<Output = Result<T, TransportError>>,
) -> Result<T, TransportError> {
    match tokio::time::timeout(patience, open).await {
        Ok(opened) => opened,
        Err(_) => Err(TransportError::Open {
            address: channel.address.to_string(),
            source: format!(
                "channel `{}`: the server did not answer within {patience:?} ({option})",
                channel.name
            )
            .into(),
        }),
    }
}

/// Refuses a send to `address` of `size` bytes (as the protocol counts them) past the
/// connection's largest, `limit`, set by `option`: [`TransportError::TooLarge`], before anything
/// is written. What a transport's `send` checks first.
pub fn check_send_size(
    address: &str,
    size: usize,
    limit: usize,
    option: &'static str,
) -> Result<(), TransportError> {
    if size > limit {
        return Err(TransportError::TooLarge {
            address: address.to_owned(),
            size,
            limit,
            direction: "sends",
            option,
        });
    }
    Ok(())
}

/// Waits at most `timeout` for the peer to confirm a send to `address` (`confirmation` resolves
/// with the peer's answer): no answer in time is [`TransportError::Unconfirmed`]. What a
/// transport's `send` ends with when its protocol confirms sends.
pub async fn confirmed<T>(
    address: &str,
    timeout: Duration,
    confirmation: impl Future<Output = Result<T, TransportError>>,
) -> Result<T, TransportError> {
    within(timeout, confirmation).await.unwrap_or_else(|_| {
        Err(TransportError::Unconfirmed {
            address: address.to_owned(),
            timeout,
        })
    })
}

/// [`tokio::time::timeout`], without arming a timer for a future that is ready at its first
/// poll: many writes and confirmations are, and a timer costs more than they do (it is the
/// larger part of a small send's instructions otherwise; see `docs/BENCHMARKS.md`).
pub async fn within<F: Future>(
    limit: Duration,
    future: F,
) -> Result<F::Output, tokio::time::error::Elapsed> {
    let mut future = std::pin::pin!(future);
    if let Some(done) = futures_util::FutureExt::now_or_never(future.as_mut()) {
        return Ok(done);
    }
    tokio::time::timeout(limit, future).await
}

/// The waits between a transport's attempts to connect again: `first`, then twice as long after
/// each failed attempt, up to `longest`.
///
/// ```
/// # async fn run() {
/// use std::time::Duration;
/// use asyncapi_runtime::transport::Backoff;
///
/// let mut backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(5));
/// assert_eq!(backoff.next_wait(), Duration::from_millis(100));
/// backoff.wait().await; // 100 ms; the next wait is 200 ms
/// assert_eq!(backoff.next_wait(), Duration::from_millis(200));
/// backoff.reset(); // connected again
/// assert_eq!(backoff.next_wait(), Duration::from_millis(100));
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Backoff {
    first: Duration,
    longest: Duration,
    next: Duration,
}

impl Backoff {
    /// Waits from `first` up to `longest` (at least `first`).
    pub fn new(first: Duration, longest: Duration) -> Backoff {
        Backoff {
            first,
            longest: longest.max(first),
            next: first,
        }
    }

    /// How long the next [`wait`](Self::wait) sleeps.
    pub fn next_wait(&self) -> Duration {
        self.next
    }

    /// Waits before the next attempt, and doubles the wait after it.
    pub async fn wait(&mut self) {
        tokio::time::sleep(self.next).await;
        self.next = (self.next * 2).min(self.longest);
    }

    /// Connected: the next break starts from the first wait again.
    pub fn reset(&mut self) {
        self.next = self.first;
    }
}

struct MapInto<S>(S);

impl<S> Stream for MapInto<S>
where
    S: Subscriber,
    S::Envelope: Into<Envelope>,
{
    type Item = Result<Envelope, TransportError>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        Pin::new(&mut self.0)
            .poll_next(cx)
            .map(|item| item.map(|r| r.map(Into::into)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_applies_on_its_own_protocol_and_one_given_everywhere() {
        let mut spec = ChannelSpec::new("jobs", "jobs");
        let mut nats = crate::bindings::NatsOperation::default();
        nats.queue = Some("workers".into());
        spec.bindings.nats = Some(nats);
        let mut kafka = crate::bindings::KafkaOperation::default();
        kafka.group_id = Some("billing".into());
        spec.bindings.kafka_operation = Some(kafka);
        assert_eq!(spec.group("nats"), Some("workers"));
        assert_eq!(spec.group("kafka"), Some("billing"));
        assert_eq!(spec.group("amqp"), None, "another protocol's group");
        assert!(refuse_group(&spec, "ws", "WebSocket").is_ok());
        let refused = refuse_group(&spec, "nats", "this").unwrap_err().to_string();
        assert!(refused.contains("`workers`"), "{refused}");
        // One given at subscription time (or by `x-group`) wins, on every protocol.
        let spec = spec.in_queue_group("night-shift");
        assert_eq!(spec.group("nats"), Some("night-shift"));
        assert_eq!(spec.group("amqp"), Some("night-shift"));
        assert!(refuse_group(&spec, "ws", "WebSocket").is_err());
    }
}
