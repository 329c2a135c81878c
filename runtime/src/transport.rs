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
//! the protocol at run time.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_core::Stream;

use crate::envelope::{Envelope, EnvelopeReader, EnvelopeWriter};

/// A boxed error from a protocol library.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What went wrong in a transport, with the server or address it concerns.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// Connecting to a server failed.
    #[error("cannot connect to `{server}`: {source}")]
    Connect {
        /// The server's URL or name.
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
    /// The connection, publisher or subscriber was closed.
    #[error("`{0}` is closed")]
    Closed(String),
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
    /// Subscribers in one queue group share the messages: each goes to one of them.
    pub queue_group: Option<String>,
    /// The document's bindings of the channel and of the operation that opens it.
    pub bindings: crate::bindings::Bindings,
}

impl ChannelSpec {
    /// A channel with this name and address template, no parameter fixed, no queue group.
    pub fn new(name: impl Into<Cow<'static, str>>, address: impl Into<Cow<'static, str>>) -> Self {
        ChannelSpec {
            name: name.into(),
            address: address.into(),
            params: Vec::new(),
            queue_group: None,
            bindings: crate::bindings::Bindings::default(),
        }
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

    /// The same channel with the fields of `query` (a generated WebSocket query type) as query
    /// parameters of the upgrade request, replacing the document's fixed values of those names.
    pub fn with_ws_query(mut self, query: &impl serde::Serialize) -> Self {
        let ws = self.bindings.ws.get_or_insert_with(Default::default);
        crate::bindings::add_fields(&mut ws.query, query);
        self
    }

    /// The same channel with the fields of `headers` (a generated WebSocket headers type) as
    /// headers of the upgrade request, replacing the document's fixed values of those names.
    pub fn with_ws_headers(mut self, headers: &impl serde::Serialize) -> Self {
        let ws = self.bindings.ws.get_or_insert_with(Default::default);
        crate::bindings::add_fields(&mut ws.headers, headers);
        self
    }

    /// The same channel, subscribed to in queue group `group`.
    pub fn in_queue_group(mut self, group: impl Into<String>) -> Self {
        self.queue_group = Some(group.into());
        self
    }
}

/// A server as a transport connects to it: what a generated server's `spec` gives.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// A connection a generated server can open: `servers::Production::default().connect(security)`
/// picks the implementation from the type asked for, and the implementation checks that the
/// server's protocol is one it speaks.
pub trait Connect: Sized {
    /// The protocols (`servers.*.protocol`) this connection speaks.
    const PROTOCOLS: &'static [&'static str];

    /// Connects to a server of the document.
    fn connect_to(server: &ServerSpec)
    -> impl Future<Output = Result<Self, TransportError>> + Send;

    /// An error unless the server's protocol is one of [`Connect::PROTOCOLS`].
    fn check_protocol(server: &ServerSpec) -> Result<(), TransportError> {
        protocol_check(Self::PROTOCOLS, server, "this connection")
    }
}

/// A server a generated server can bind (the server side of a brokerless protocol):
/// `servers::Local::default().bind::<WsServer>(security)` listens where the document's server
/// says and requires the credentials given.
pub trait Bind: Sized {
    /// The protocols (`servers.*.protocol`) this server speaks.
    const PROTOCOLS: &'static [&'static str];

    /// Binds a server of the document.
    fn bind_to(server: &ServerSpec) -> impl Future<Output = Result<Self, TransportError>> + Send;

    /// An error unless the server's protocol is one of [`Bind::PROTOCOLS`].
    fn check_protocol(server: &ServerSpec) -> Result<(), TransportError> {
        protocol_check(Self::PROTOCOLS, server, "this server")
    }
}

fn protocol_check(
    protocols: &[&str],
    server: &ServerSpec,
    what: &str,
) -> Result<(), TransportError> {
    if protocols
        .iter()
        .any(|p| p.eq_ignore_ascii_case(&server.protocol))
    {
        Ok(())
    } else {
        Err(TransportError::Connect {
            server: server.url.clone(),
            source: format!(
                "server `{}` speaks `{}`, and {what} speaks {}",
                server.name,
                server.protocol,
                protocols.join(", ")
            )
            .into(),
        })
    }
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
/// and whether [`Publisher::close`] was called. Every transport's publisher holds one.
#[cfg_attr(
    not(any(feature = "memory", feature = "mqtt", feature = "nats", feature = "ws")),
    allow(dead_code)
)]
#[derive(Debug)]
pub(crate) struct PublisherState {
    channel: String,
    closed: std::sync::atomic::AtomicBool,
}

#[cfg_attr(
    not(any(feature = "memory", feature = "mqtt", feature = "nats", feature = "ws")),
    allow(dead_code)
)]
impl PublisherState {
    /// An open publisher of `channel`.
    pub(crate) fn new(channel: &ChannelSpec) -> PublisherState {
        PublisherState {
            channel: channel.name.to_string(),
            closed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// [`TransportError::Closed`] once the publisher is closed.
    pub(crate) fn check(&self) -> Result<(), TransportError> {
        if self.closed.load(std::sync::atomic::Ordering::SeqCst) {
            Err(TransportError::Closed(format!(
                "publisher of `{}`",
                self.channel
            )))
        } else {
            Ok(())
        }
    }

    /// Closes the publisher: later sends fail.
    pub(crate) fn close(&self) {
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

/// The protocols (`servers.*.protocol`) each transport speaks: one list, which the transports'
/// [`Connect::PROTOCOLS`] and [`Bind::PROTOCOLS`] and [`connect_any`] all read, whether or not
/// the transport's feature is on.
pub(crate) mod protocols {
    /// MQTT 3.1.1.
    #[cfg_attr(not(feature = "mqtt"), allow(dead_code))]
    pub const MQTT: &[&str] = &["mqtt", "mqtts", "secure-mqtt"];
    /// MQTT 5: its own key, and MQTT's with protocol version 5.
    pub const MQTT5: &[&str] = &["mqtt5", "mqtt", "mqtts", "secure-mqtt"];
    /// NATS.
    pub const NATS: &[&str] = &["nats"];
    /// WebSocket, client and server.
    pub const WS: &[&str] = &["ws", "wss"];
}

/// The waits between a transport's attempts to connect again: `first`, then twice as long after
/// each failed attempt, up to `longest`.
#[cfg_attr(not(any(feature = "mqtt", feature = "ws")), allow(dead_code))]
pub(crate) struct Backoff {
    first: Duration,
    longest: Duration,
    next: Duration,
}

#[cfg_attr(not(any(feature = "mqtt", feature = "ws")), allow(dead_code))]
impl Backoff {
    pub(crate) fn new(first: Duration, longest: Duration) -> Backoff {
        Backoff {
            first,
            longest: longest.max(first),
            next: first,
        }
    }

    /// Waits before the next attempt.
    pub(crate) async fn wait(&mut self) {
        tokio::time::sleep(self.next).await;
        self.next = (self.next * 2).min(self.longest);
    }

    /// Connected: the next break starts from the first wait again.
    pub(crate) fn reset(&mut self) {
        self.next = self.first;
    }
}

/// The transports of this build, by cargo feature, with the protocols they speak.
const TRANSPORTS: &[(&str, bool, &[&str])] = &[
    ("mqtt", cfg!(feature = "mqtt"), protocols::MQTT5),
    ("nats", cfg!(feature = "nats"), protocols::NATS),
    ("ws", cfg!(feature = "ws"), protocols::WS),
];

/// Connects to a server whose protocol is known only at run time (a tool that reads any
/// document): the transport is the one of this build that speaks the server's protocol (MQTT 5
/// for `mqtt5`, or for `mqtt` with protocol version 5), behind [`DynConnection`]. A protocol no
/// transport speaks, or one whose transport's cargo feature is off, is a typed error that says
/// so.
pub async fn connect_any(server: &ServerSpec) -> Result<Box<dyn DynConnection>, TransportError> {
    let protocol = server.protocol.to_ascii_lowercase();
    let unavailable = |why: String| TransportError::Connect {
        server: server.url.clone(),
        source: why.into(),
    };
    let Some(&(feature, enabled, _)) = TRANSPORTS
        .iter()
        .find(|(_, _, protocols)| protocols.contains(&protocol.as_str()))
    else {
        let known: Vec<&str> = TRANSPORTS
            .iter()
            .flat_map(|(_, _, protocols)| protocols.iter().copied())
            .collect();
        return Err(unavailable(format!(
            "no transport speaks `{}` (server `{}`); transports speak {}",
            server.protocol,
            server.name,
            known.join(", ")
        )));
    };
    if !enabled {
        return Err(unavailable(format!(
            "`{}` needs the `{feature}` feature of the asyncapi crate",
            server.protocol
        )));
    }
    match feature {
        #[cfg(feature = "mqtt")]
        "mqtt" => {
            let v5 = protocol == "mqtt5"
                || server
                    .protocol_version
                    .as_deref()
                    .is_some_and(|v| v.trim().starts_with('5'));
            if v5 {
                Ok(Box::new(
                    crate::mqtt::Mqtt5Connection::connect_to(server).await?,
                ))
            } else {
                Ok(Box::new(
                    crate::mqtt::MqttConnection::connect_to(server).await?,
                ))
            }
        }
        #[cfg(feature = "nats")]
        "nats" => Ok(Box::new(
            crate::nats::NatsConnection::connect_to(server).await?,
        )),
        #[cfg(feature = "ws")]
        "ws" => Ok(Box::new(crate::ws::WsConnection::connect_to(server).await?)),
        other => Err(unavailable(format!("the `{other}` transport is not built"))),
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

    #[derive(serde::Serialize)]
    struct Query {
        format: &'static str,
        since: Option<u64>,
        tags: Vec<&'static str>,
        live: bool,
    }

    fn server(protocol: &'static str) -> ServerSpec {
        ServerSpec {
            name: "broker".into(),
            url: format!("{protocol}://127.0.0.1:1"),
            protocol: protocol.into(),
            protocol_version: None,
            bindings: Default::default(),
            credentials: Vec::new(),
        }
    }

    #[tokio::test]
    async fn connect_any_says_which_protocols_it_cannot_speak() {
        let Err(err) = connect_any(&server("kafka")).await else {
            panic!("connected to kafka without a Kafka transport");
        };
        let text = err.to_string();
        assert!(text.contains("no transport speaks `kafka`"), "{text}");
        assert!(text.contains("nats"), "{text}");
        #[cfg(not(feature = "nats"))]
        {
            let Err(err) = connect_any(&server("nats")).await else {
                panic!("connected without the nats feature");
            };
            assert!(
                err.to_string().contains("needs the `nats` feature"),
                "{err}"
            );
        }
    }

    #[test]
    fn ws_query_fields_replace_the_documents_and_skip_absent_ones() {
        let mut spec = ChannelSpec::new("room", "/rooms/{room}");
        spec.bindings.ws = Some(crate::bindings::WsChannel {
            method: None,
            query: vec![
                ("format".into(), "compact".into()),
                ("v".into(), "2".into()),
            ],
            headers: Vec::new(),
        });
        let spec = spec.with_ws_query(&Query {
            format: "full",
            since: None,
            tags: vec!["a", "b"],
            live: true,
        });
        let query: Vec<(&str, &str)> = spec
            .bindings
            .ws
            .as_ref()
            .unwrap()
            .query
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_ref()))
            .collect();
        assert_eq!(
            query,
            [
                ("v", "2"),
                ("format", "full"),
                ("tags", "a"),
                ("tags", "b"),
                ("live", "true")
            ]
        );
    }
}
