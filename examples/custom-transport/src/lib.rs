//! A transport of one's own for asyncapi-rs: PostgreSQL `LISTEN`/`NOTIFY`, on tokio-postgres.
//!
//! This crate is the worked example of `docs/TRANSPORTS.md`. It uses only the public API of the
//! `asyncapi` crate, exactly as the built-in transports do, and the code generated from a
//! document runs on it unchanged: `servers::Local::default().connect::<PgConnection>(security)`,
//! then the generated operations' `open`, `send` and `subscribe`.
//!
//! How the concepts map:
//!
//! - **Connection** ([`PgConnection`]): a database session for sending; each subscriber opens a
//!   session of its own, because notifications arrive on the session that listens. A
//!   [`Producer`] and a [`Consumer`]; [`Kind::Brokered`] (the database server is the broker).
//! - **Channel**: the channel's address, with every parameter filled in, is the `NOTIFY`
//!   channel. `LISTEN` has no wildcards, so a subscription must fix every parameter (a typed
//!   error names the free one), and an address must be a valid identifier of at most 63 bytes.
//! - **Envelope**: the plain [`Envelope`]. The payload travels as the notification's text (the
//!   document's `contentType` says how to read it); it must be UTF-8 and shorter than 8000
//!   bytes. Notifications carry nothing else, so a message with headers, a reply address or a
//!   correlation id is refused when it is sent, never stripped.
//! - **Send**: `pg_notify` in its own transaction: `send().await` returns `Ok` once the server
//!   has committed the notification, which it then delivers to every session listening then.
//!   Delivery is at most once: a session that is not listening when the notification commits
//!   never sees it.
//! - **Security**: `userPassword` (the session's user and password). No TLS in this example.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use asyncapi::address::AddressTemplate;
use asyncapi::delivery::{Inbox, InboxSender, Limits, Overflow, queue};
use asyncapi::envelope::Envelope;
use asyncapi::registry::{Descriptor, Kind, Protocol, connect_with};
use asyncapi::security::{Credential, Credentials};
use asyncapi::transport::{
    BoxError, ChannelSpec, CloseSignal, CloseWatch, Connect, ConnectOptions, Consumer, Producer,
    Publisher, PublisherState, Reconnect, ServerSpec, Subscriber, TransportError,
};
use futures_util::{Stream, StreamExt};
use tokio_postgres::{AsyncMessage, NoTls};

/// The protocols (`servers.*.protocol`) this transport speaks.
pub const PROTOCOLS: &[Protocol] = &[
    Protocol::any_version("postgres"),
    Protocol::any_version("postgresql"),
];

/// The longest channel name PostgreSQL keeps (`NAMEDATALEN - 1`); longer ones are cut.
const MAX_CHANNEL: usize = 63;

/// This transport in a registry: `asyncapi::transport::registry()` plus
/// `registry.register(&PG_NOTIFY)` lets `connect` pick it for `postgres` servers.
pub static PG_NOTIFY: Descriptor = Descriptor {
    name: "PostgreSQL LISTEN/NOTIFY",
    feature: None,
    protocols: PROTOCOLS,
    library: "tokio-postgres",
    library_version: "0.7",
    kind: Kind::Brokered,
    bindings: &[],
    security: &["userPassword"],
    groups: None,
    connect: Some(connect_with::<PgConnection>),
};

/// How to connect: a tokio-postgres configuration.
#[derive(Clone)]
pub struct PgOptions {
    config: tokio_postgres::Config,
    label: String,
    reconnect: Reconnect,
    subscription_limits: Limits,
    timeout: Duration,
}

impl std::fmt::Debug for PgOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The configuration's own Debug hides the password.
        f.debug_struct("PgOptions")
            .field("server", &self.label)
            .field("config", &self.config)
            .field("subscription_limits", &self.subscription_limits)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl PgOptions {
    /// Options from a connection URL (`postgres://user@host:port/database`) or a key-value
    /// string (`host=127.0.0.1 user=postgres`).
    pub fn new(url: &str) -> Result<PgOptions, TransportError> {
        // The URL as printed: without the password it may carry.
        let label = asyncapi::url::redacted_url(url);
        let config = tokio_postgres::Config::from_str(url).map_err(|e| connect_error(&label, e))?;
        Ok(PgOptions {
            config,
            label,
            // What this example does: a lost session is not opened again.
            reconnect: Reconnect::Never,
            subscription_limits: Limits::DEFAULT,
            timeout: Duration::from_secs(10),
        })
    }

    /// Options for a server of a document: its URL (the pathname names the database) and the
    /// credentials given.
    pub fn from_server(server: &ServerSpec) -> Result<PgOptions, TransportError> {
        PgOptions::new(&server.url)?.credentials(&server.credentials)
    }

    /// Applies credentials: a user and password. Others are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for credential in credentials.credentials() {
            match credential {
                Credential::UserPassword(u) => {
                    self.config.user(&u.user);
                    if !u.password.is_empty() {
                        self.config.password(u.password.as_bytes());
                    }
                }
                other => {
                    return Err(connect_error(
                        &self.label,
                        format!("PostgreSQL sessions cannot carry the credential {other:?}"),
                    ));
                }
            }
        }
        Ok(self)
    }

    /// What each subscriber holds at most for a consumer that does not keep up
    /// ([`Limits::DEFAULT`] by default). While a subscriber's queue is full its session is not
    /// read, so PostgreSQL keeps the notifications (backpressure, [`Overflow::Wait`]).
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }

    /// How long a send waits for PostgreSQL's answer to its `NOTIFY`, and opening a
    /// subscription for its session and `LISTEN`; ten seconds by default. A server that stops
    /// answering without the session ending is noticed by nothing else.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Opens a session, driven on a tokio task; `notifications` (a subscription's queue, from
    /// the runtime's kit) gets each notification, and one error if the session breaks.
    async fn session(
        &self,
        notifications: Option<InboxSender<Envelope>>,
    ) -> Result<tokio_postgres::Client, TransportError> {
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %self.label);
        let (client, mut connection) =
            tracing::Instrument::instrument(self.config.connect(NoTls), span)
                .await
                .map_err(|e| connect_error(&self.label, e))?;
        let label = self.label.clone();
        tokio::spawn(async move {
            let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
            while let Some(message) = messages.next().await {
                match (message, &notifications) {
                    (Ok(AsyncMessage::Notification(n)), Some(to)) => {
                        tracing::debug!(target: "asyncapi", channel = n.channel(), "notification");
                        let envelope =
                            Envelope::new(n.channel()).with_payload(n.payload().to_owned());
                        if to.send(envelope).await.is_err() {
                            break;
                        }
                    }
                    (Ok(_), _) => {}
                    (Err(e), to) => {
                        tracing::warn!(target: "asyncapi", server = label, error = %e, "PostgreSQL session lost");
                        if let Some(to) = to {
                            to.broke(TransportError::Receive {
                                address: label.clone(),
                                source: Box::new(e),
                            });
                        }
                        break;
                    }
                }
            }
        });
        Ok(client)
    }
}

fn connect_error(server: &str, source: impl Into<BoxError>) -> TransportError {
    TransportError::Connect {
        server: server.to_owned(),
        source: source.into(),
    }
}

/// The `NOTIFY` channel of a channel spec: its address with every parameter filled in.
fn channel_name(channel: &ChannelSpec) -> Result<String, TransportError> {
    let open_error = |why: String| TransportError::Open {
        address: channel.address.to_string(),
        source: why.into(),
    };
    let template =
        AddressTemplate::parse(&channel.address).map_err(|e| open_error(e.to_string()))?;
    let fixed: Vec<(&str, &str)> = channel
        .params
        .iter()
        .map(|(n, v)| (n.as_ref(), v.as_str()))
        .collect();
    if let Some(free) = template
        .params()
        .find(|p| !fixed.iter().any(|(n, _)| n == p))
    {
        return Err(open_error(format!(
            "the parameter `{free}` is not fixed, and LISTEN has no wildcards"
        )));
    }
    let name = template
        .build(&fixed)
        .map_err(|e| open_error(e.to_string()))?;
    check_name(&name).map_err(open_error)?;
    Ok(name)
}

/// Why `name` cannot be a `NOTIFY` channel, if it cannot.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > MAX_CHANNEL || name.contains('\0') {
        return Err(format!(
            "`{name}` is no PostgreSQL channel name (1 to {MAX_CHANNEL} bytes, no NUL)"
        ));
    }
    Ok(())
}

/// `name` as a quoted SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A connection to a PostgreSQL server: a session that sends notifications, and the options to
/// open one more session per subscriber.
#[derive(Clone)]
pub struct PgConnection {
    client: Arc<tokio_postgres::Client>,
    options: PgOptions,
    /// Closed by [`PgConnection::close`] from any clone (the kit's signal that every
    /// subscription's stream watches).
    closing: CloseSignal,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field("server", &self.options.label)
            .finish_non_exhaustive()
    }
}

impl PgConnection {
    /// Connects.
    pub async fn connect(options: PgOptions) -> Result<PgConnection, TransportError> {
        if options.reconnect != Reconnect::Never {
            return Err(connect_error(
                &options.label,
                "this transport does not connect again after a break: only Reconnect::Never applies",
            ));
        }
        let client = options.session(None).await?;
        Ok(PgConnection {
            client: Arc::new(client),
            options,
            closing: CloseSignal::new(),
        })
    }

    /// Closes the connection from any of its clones: every subscription's stream ends (its
    /// session with it), and later sends fail.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.closing.close();
        Ok(())
    }

    fn check_open(&self) -> Result<(), TransportError> {
        self.closing.check(&self.options.label)
    }
}

/// The options contract every transport keeps. This example connects at most once per session:
/// a lost session ends its subscription with an error, whatever [`reconnect`] says (a
/// [`Reconnect::Backoff`] is refused when connecting, rather than ignored); it has no TLS.
///
/// [`reconnect`]: ConnectOptions::reconnect
impl ConnectOptions for PgOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        PgOptions::new(url)
    }
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError> {
        PgOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        PgOptions::credentials(self, credentials)
    }
    fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout(timeout);
        self
    }
    fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect;
        self
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        PgOptions::subscription_limits(self, limits)
    }
}

impl Connect for PgConnection {
    type Options = PgOptions;
    const PROTOCOLS: &'static [Protocol] = PROTOCOLS;

    async fn connect_with(options: PgOptions) -> Result<Self, TransportError> {
        PgConnection::connect(options).await
    }
}

/// Sends notifications on one channel.
#[derive(Debug)]
pub struct PgPublisher {
    client: Arc<tokio_postgres::Client>,
    timeout: Duration,
    state: PublisherState,
    closing: CloseSignal,
    server: String,
}

impl Producer for PgConnection {
    type Publisher = PgPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<PgPublisher, TransportError> {
        self.check_open()?;
        Ok(PgPublisher {
            client: self.client.clone(),
            timeout: self.options.timeout,
            state: PublisherState::new(channel),
            closing: self.closing.clone(),
            server: self.options.label.clone(),
        })
    }
}

impl Publisher for PgPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        self.closing.check(&self.server)?;
        let address = envelope.address;
        let refuse = |why: String| TransportError::Send {
            address: address.clone(),
            source: why.into(),
        };
        check_name(&address).map_err(refuse)?;
        if let Some((name, _)) = envelope.headers.iter().next() {
            return Err(refuse(format!(
                "PostgreSQL notifications carry no headers (`{name}`)"
            )));
        }
        if envelope.reply_to.is_some() || envelope.correlation_id.is_some() {
            return Err(refuse(
                "PostgreSQL notifications carry no reply address or correlation id".to_owned(),
            ));
        }
        let payload = std::str::from_utf8(&envelope.payload)
            .map_err(|_| refuse("a notification's payload must be UTF-8 text".to_owned()))?;
        tracing::debug!(target: "asyncapi", address, "NOTIFY");
        // Sent once PostgreSQL has answered; no answer within the timeout is `Unconfirmed`.
        let notified = async {
            self.client
                .execute("SELECT pg_notify($1, $2)", &[&address, &payload])
                .await
                .map(drop)
                .map_err(|e| TransportError::Send {
                    address: address.clone(),
                    source: Box::new(e),
                })
        };
        asyncapi::transport::confirmed(&address, self.timeout, notified).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

/// Receives the notifications of one channel, on a session of its own.
pub struct PgSubscriber {
    client: Option<tokio_postgres::Client>,
    received: Inbox<Envelope>,
    /// The connection's close.
    closed: CloseWatch,
}

impl std::fmt::Debug for PgSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSubscriber")
            .field("open", &self.client.is_some())
            .finish_non_exhaustive()
    }
}

impl Consumer for PgConnection {
    type Subscriber = PgSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<PgSubscriber, TransportError> {
        self.check_open()?;
        asyncapi::transport::refuse_group(channel, "postgres", "PostgreSQL LISTEN/NOTIFY")?;
        let name = channel_name(channel)?;
        let (to, received) = queue(
            name.clone(),
            self.options.subscription_limits,
            Overflow::Wait,
        );
        let listening = async {
            let client = self.options.session(Some(to)).await?;
            client
                .batch_execute(&format!("LISTEN {}", quoted(&name)))
                .await
                .map_err(|e| TransportError::Open {
                    address: name.clone(),
                    source: Box::new(e),
                })?;
            Ok(client)
        };
        let patience = self.options.timeout;
        let client =
            asyncapi::transport::open_within(channel, patience, "PgOptions::timeout", listening)
                .await?;
        Ok(PgSubscriber {
            client: Some(client),
            received,
            closed: self.closing.watch(),
        })
    }
}

impl Stream for PgSubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.client.is_some() && self.closed.poll_closed(cx).is_ready() {
            // The connection was closed: the session ends, and with it the LISTEN.
            self.client = None;
            self.received.close();
        }
        if self.client.is_none() {
            return Poll::Ready(None);
        }
        Pin::new(&mut self.received).poll_next(cx)
    }
}

impl Subscriber for PgSubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        // Dropping the client ends the session, and with it the LISTEN.
        self.client = None;
        self.received.close();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_need_every_parameter_and_fit_postgres() {
        let spec = ChannelSpec::new("measured", "lights_{id}_measured");
        let err = channel_name(&spec).unwrap_err().to_string();
        assert!(err.contains("`id` is not fixed"), "{err}");
        let fixed = spec.clone().with_param("id", "7");
        assert_eq!(channel_name(&fixed).unwrap(), "lights_7_measured");
        let long = spec.with_param("id", "x".repeat(60));
        assert!(channel_name(&long).is_err());
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
