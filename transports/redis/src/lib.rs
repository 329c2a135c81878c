//! The Redis transport of asyncapi-rs (the `asyncapi` crate's feature `redis`), on the redis
//! crate.
//!
//! A [`RedisConnection`] is a [`Producer`] and a [`Consumer`]. Each channel travels one of two
//! ways, chosen per channel with [`RedisOptions::stream`]:
//!
//! - **Pub/sub** (the default): a send is `PUBLISH address payload`, `Ok` once Redis has
//!   answered (it says how many subscribers got it; none is not an error, as on any pub/sub).
//!   A subscription is `SUBSCRIBE address`, or `PSUBSCRIBE` with `*` for each parameter it does
//!   not fix, on a connection of its own that speaks RESP3, reconnects by itself and subscribes
//!   again. At most once: what is published while a subscriber is away is not kept for it.
//!   Pub/sub carries the payload alone: headers, the content type, the correlation id and the
//!   reply address do not travel (a send that has any says so in a `debug` event); documents
//!   that need them on Redis put them in the payload (runtime expressions `$message.payload#/...`
//!   are read and written there) or use a stream.
//! - **Streams**: a send is `XADD address * payload <bytes> [field value ...]`, `Ok` with the
//!   entry's id once Redis has answered; the envelope's headers are the entry's other fields, the
//!   content type the field `content-type`, the correlation id `correlation-id` and the reply
//!   address `reply-to`. A subscription reads with a consumer group (`XREADGROUP`; the group is
//!   the operation's `x-group` or [`RedisOptions::group`], created at the stream's start when it
//!   does not exist): at least once. Each entry carries its acknowledgement: `ack` and `reject`
//!   are `XACK`; `nack`, or a consumer that dies, leaves the entry pending, and a consumer of the
//!   group claims it (`XAUTOCLAIM`) once it has been pending for [`RedisOptions::claim_after`].
//!   A consumer that starts under the name of one that died first reads what that one left
//!   pending.
//!
//! Credentials: `userPassword` is `AUTH user password` (Redis 6 ACLs), a password alone
//! (`httpApiKey`/`apiKey` in the password) is `AUTH password`; both may also be in the URL
//! (`redis://user:password@host:6379/0`). `rediss://` is TLS with rustls (ring), configured by
//! the runtime's [`TlsOptions`] as on every transport: the system's roots and those of
//! [`RedisOptions::root_certificate`], an optional client certificate.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tracing::Instrument;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::registry::{Descriptor, Kind, Protocol, connect_with};
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, CloseSignal, Connect, ConnectOptions, Consumer, Producer, Reconnect,
    ServerSpec, TransportError, redacted_url,
};

mod publisher;
mod pubsub;
mod streams;

pub use publisher::RedisPublisher;
pub use pubsub::RedisPubSubSubscriber;
pub use streams::RedisStreamSubscriber;

/// The stream field that holds the payload.
pub const PAYLOAD: &str = "payload";
/// The stream field that holds the content type.
pub const CONTENT_TYPE: &str = "content-type";
/// The stream field that holds the correlation id.
pub const CORRELATION_ID: &str = "correlation-id";
/// The stream field that holds the reply address.
pub const REPLY_TO: &str = "reply-to";

/// Redis's `PSUBSCRIBE` globs as far as addresses need them: a parameter that a subscription
/// does not fix is `*`, which matches any run of characters (the separator `:` included, so a
/// received address is parsed back by its template). A parameter's value may not hold a glob's
/// special characters.
pub const WILDCARDS: Wildcards = Wildcards::new(':', "*", "*")
    .forbidding(&['*', '?', '[', ']', '\\'])
    .glob(true);

/// [`RedisConnection`] in the registry.
pub static REDIS: Descriptor = Descriptor {
    name: "Redis",
    feature: Some("redis"),
    protocols: &[Protocol::any_version("redis")],
    library: "redis",
    library_version: "1.8",
    kind: Kind::Brokered,
    bindings: &["channel.x-stream", "operation.x-group"],
    security: &["userPassword", "apiKey", "httpApiKey", "X509"],
    connect: Some(connect_with::<RedisConnection>),
};

/// How to connect, and which channels are streams.
#[derive(Clone)]
pub struct RedisOptions {
    url: String,
    user: Option<String>,
    password: Option<String>,
    streams: Vec<String>,
    group: String,
    consumer: Option<String>,
    claim_after: Duration,
    block: Duration,
    batch: usize,
    timeout: Duration,
    tls: Option<TlsOptions>,
    reconnect: Reconnect,
    subscription_limits: Limits,
}

impl std::fmt::Debug for RedisOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisOptions")
            .field("url", &redacted_url(&self.url))
            .field("user", &self.user)
            .field("streams", &self.streams)
            .field("group", &self.group)
            .field("timeout", &self.timeout)
            .field("tls", &self.tls)
            .field("reconnect", &self.reconnect)
            .field("subscription_limits", &self.subscription_limits)
            .finish_non_exhaustive()
    }
}

impl RedisOptions {
    /// Options for a server URL (`redis://[user:password@]host[:port][/db]`).
    pub fn new(url: impl Into<String>) -> RedisOptions {
        RedisOptions {
            url: url.into(),
            user: None,
            password: None,
            streams: Vec::new(),
            group: "asyncapi".to_owned(),
            consumer: None,
            claim_after: Duration::from_secs(30),
            block: Duration::from_secs(1),
            batch: 64,
            timeout: Duration::from_secs(10),
            tls: None,
            reconnect: Reconnect::DEFAULT,
            subscription_limits: Limits::DEFAULT,
        }
    }

    /// Options for a server of the document (its generated `spec`): URL and credentials.
    pub fn from_server(server: &ServerSpec) -> Result<RedisOptions, TransportError> {
        RedisOptions::new(server.url.clone()).credentials(&server.credentials)
    }

    /// Carries the channel named `channel` in the document (or whose address template is
    /// `channel`) on a Redis stream instead of pub/sub, as `bindings.redis.x-stream: true` on
    /// the channel does.
    pub fn stream(mut self, channel: impl Into<String>) -> Self {
        self.streams.push(channel.into());
        self
    }

    /// The consumer group of stream subscriptions whose operation names no queue group;
    /// `asyncapi` by default.
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = group.into();
        self
    }

    /// This process's name in its consumer groups. By default a name of its own per
    /// subscription; give a stable one so that a restarted consumer first reads what it left
    /// pending.
    pub fn consumer(mut self, name: impl Into<String>) -> Self {
        self.consumer = Some(name.into());
        self
    }

    /// How long an entry stays pending with a consumer before another one claims it; 30 s by
    /// default.
    pub fn claim_after(mut self, idle: Duration) -> Self {
        self.claim_after = idle;
        self
    }

    /// How long one stream read waits for new entries before it looks for entries to claim;
    /// one second by default.
    pub fn block(mut self, block: Duration) -> Self {
        self.block = block;
        self
    }

    /// How long a command may take (and a send wait) before it is an error; ten seconds by
    /// default.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The TLS settings of `rediss://` URLs (see [`TlsOptions`]; by default the system's
    /// certificate authorities and no client certificate). The redis crate checks the
    /// certificate against the URL's host itself: a [server-name
    /// override](TlsOptions::server_name) makes connecting fail rather than go unheeded.
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = Some(tls);
        self
    }

    /// Also trusts the certificate authorities in this PEM (a file's path, or [`Pem::text`]) for
    /// `rediss://`; each call adds to the others and to the system's.
    pub fn root_certificate(mut self, pem: impl Into<Pem>) -> Self {
        self.tls = Some(self.tls.take().unwrap_or_default().root_certificate(pem));
        self
    }

    /// Presents this client certificate and key (PEM files or texts) on `rediss://`.
    pub fn client_certificate(mut self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        let tls = self.tls.take().unwrap_or_default();
        self.tls = Some(tls.client_certificate(certificate, key));
        self
    }

    /// How a broken connection comes back ([`Reconnect::DEFAULT`]: 100 ms, doubled up to 5 s):
    /// the redis crate connects again on the next command and resubscribes pub/sub
    /// subscriptions (which yield one error for the break), with these waits between attempts;
    /// with [`Reconnect::Never`] it makes one attempt, on the next command, and gives up, and a
    /// subscription whose connection breaks yields one error and ends.
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// What each subscription holds at most for a consumer that does not keep up
    /// ([`Limits::DEFAULT`] by default). Pub/sub has no flow control: a message that finds the
    /// queue full is dropped and counted, and the subscriber gets one
    /// [`TransportError::Lagged`] with the count
    /// ([`Overflow::Drop`](asyncapi_runtime::delivery::Overflow::Drop)). A stream subscription's
    /// reader waits instead, and the entries wait in the stream (backpressure).
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }

    /// How long connecting may take: the same as [`timeout`](Self::timeout), the name every
    /// transport has.
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.timeout(timeout)
    }

    /// Applies credentials: a user and password (`AUTH user password`), or a password alone (an
    /// API key in the password). Credentials Redis cannot carry are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match c {
                Credential::UserPassword(u) => {
                    self.user = Some(u.user);
                    self.password = Some(u.password);
                }
                Credential::ApiKey {
                    key,
                    location: KeyLocation::Password | KeyLocation::User,
                } => self.password = Some(key.key),
                // Presented over `rediss://` to a server that asks (`tls-auth-clients`).
                Credential::ClientCertificate(c) => {
                    self = self.client_certificate(
                        Pem::text(c.certificate_pem),
                        Pem::text(c.private_key_pem),
                    )
                }
                other => {
                    return Err(asyncapi_runtime::transport::cannot_carry(
                        "Redis", &self.url, &other,
                    ));
                }
            }
        }
        Ok(self)
    }

    fn is_stream(&self, channel: &ChannelSpec) -> bool {
        channel.bindings.redis.as_ref().is_some_and(|r| r.stream)
            || self
                .streams
                .iter()
                .any(|s| *s == channel.name || *s == channel.address)
    }
}

/// A connection to a Redis server: one multiplexed connection for commands, which reconnects by
/// itself, and a connection of its own for each subscription. Cloning it gives another handle.
#[derive(Clone)]
pub struct RedisConnection {
    client: redis::Client,
    commands: ConnectionManager,
    /// The server's URL without its secrets.
    server: Arc<str>,
    options: Arc<RedisOptions>,
    /// Closed by [`RedisConnection::close`] from any clone.
    pub(crate) closing: CloseSignal,
}

impl std::fmt::Debug for RedisConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisConnection")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

/// Subscriptions opened by this process, for consumer names of their own.
static SUBSCRIPTIONS: AtomicU64 = AtomicU64::new(0);

impl RedisConnection {
    /// Connects (and authenticates); a server that is down, refuses the credentials or does not
    /// answer within the timeout is [`TransportError::Connect`] naming it.
    pub async fn connect(options: RedisOptions) -> Result<RedisConnection, TransportError> {
        let server = redacted_url(&options.url);
        let connect_err = |source: BoxError| TransportError::Connect {
            server: server.clone(),
            source,
        };
        let client = client(&options).map_err(connect_err)?;
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        let connecting = async {
            // One attempt first: the connection manager retries every failure with backoff,
            // refused credentials and a server that is down included, and those are answers.
            drop(client.get_multiplexed_async_connection().await?);
            ConnectionManager::new_with_config(client.clone(), manager_config(&options, None)).await
        };
        let commands = tokio::time::timeout(options.timeout, connecting.instrument(span))
            .await
            .map_err(|_| connect_err(format!("no answer within {:?}", options.timeout).into()))?
            .map_err(|e| connect_err(Box::new(e)))?;
        Ok(RedisConnection {
            client,
            commands,
            server: Arc::from(server),
            options: Arc::new(options),
            closing: CloseSignal::new(),
        })
    }

    /// Closes the connection from any of its clones: every subscription's stream ends, and
    /// later sends, publishers and subscriptions fail with [`TransportError::Closed`].
    pub async fn close(&self) -> Result<(), TransportError> {
        self.closing.close();
        Ok(())
    }

    pub(crate) fn check_open(&self) -> Result<(), TransportError> {
        self.closing.check(&self.server)
    }

    /// The server's URL without its secrets, for errors and logs.
    fn server(&self) -> &str {
        &self.server
    }

    /// A consumer name for a new stream subscription.
    fn consumer_name(&self) -> String {
        match &self.options.consumer {
            Some(name) => name.clone(),
            None => format!(
                "asyncapi-{}-{}",
                std::process::id(),
                SUBSCRIPTIONS.fetch_add(1, Ordering::Relaxed)
            ),
        }
    }
}

/// The client, with the options' credentials and RESP3 (push messages, for subscriptions that
/// survive reconnection), and the options' certificates for `rediss://`.
fn client(options: &RedisOptions) -> Result<redis::Client, BoxError> {
    use redis::IntoConnectionInfo;
    let info = options.url.as_str().into_connection_info()?;
    let mut settings = info
        .redis_settings()
        .clone()
        .set_protocol(redis::ProtocolVersion::RESP3);
    if let Some(user) = &options.user {
        settings = settings.set_username(user);
    }
    if let Some(password) = &options.password {
        settings = settings.set_password(password);
    }
    let info = info.set_redis_settings(settings);
    let Some(tls) = &options.tls else {
        return Ok(redis::Client::open(info)?);
    };
    if let Some(name) = tls.server_name_override() {
        return Err(format!(
            "the redis crate checks the certificate against the URL's host; it cannot check it against `{name}`"
        )
        .into());
    }
    // The redis crate trusts only the roots it is given: the system's go with the others.
    let root_cert = Some(tls.roots_pem()?);
    let client_tls = tls.identity_pem()?.map(|identity| redis::ClientTlsConfig {
        client_cert: identity.certificate,
        client_key: identity.key,
    });
    Ok(redis::Client::build_with_tls(
        info,
        redis::TlsCertificates {
            client_tls,
            root_cert,
        },
    )?)
}

/// How a connection manager retries and times out; `read_for` is how long one blocking read of
/// a stream subscription may wait.
fn manager_config(options: &RedisOptions, read_for: Option<Duration>) -> ConnectionManagerConfig {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(options.timeout))
        .set_response_timeout(Some(options.timeout + read_for.unwrap_or_default()));
    match options.reconnect.bounds() {
        Some((first, longest)) => config.set_min_delay(first).set_max_delay(longest),
        None => config.set_number_of_retries(0),
    }
}

impl ConnectOptions for RedisOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        Ok(RedisOptions::new(url))
    }
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError> {
        RedisOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        RedisOptions::credentials(self, credentials)
    }
    fn connect_timeout(self, timeout: Duration) -> Self {
        RedisOptions::connect_timeout(self, timeout)
    }
    fn reconnect(self, reconnect: Reconnect) -> Self {
        RedisOptions::reconnect(self, reconnect)
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        RedisOptions::subscription_limits(self, limits)
    }
}

impl asyncapi_runtime::transport::TlsConnectOptions for RedisOptions {
    fn tls(self, tls: TlsOptions) -> Self {
        RedisOptions::tls(self, tls)
    }
}

impl Connect for RedisConnection {
    type Options = RedisOptions;
    const PROTOCOLS: &'static [&'static str] = &["redis"];

    async fn connect_with(options: RedisOptions) -> Result<Self, TransportError> {
        RedisConnection::connect(options).await
    }
}

impl Producer for RedisConnection {
    type Publisher = RedisPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<RedisPublisher, TransportError> {
        self.check_open()?;
        Ok(RedisPublisher::new(self, channel))
    }
}

/// A subscription: pub/sub or a stream, as the options say for the channel.
#[derive(Debug)]
pub enum RedisSubscriber {
    /// A pub/sub subscription (at most once).
    PubSub(RedisPubSubSubscriber),
    /// A stream read in a consumer group (at least once).
    Stream(RedisStreamSubscriber),
}

impl Consumer for RedisConnection {
    type Subscriber = RedisSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<RedisSubscriber, TransportError> {
        self.check_open()?;
        if self.options.is_stream(channel) {
            streams::subscribe(self, channel)
                .await
                .map(RedisSubscriber::Stream)
        } else {
            pubsub::subscribe(self, channel)
                .await
                .map(RedisSubscriber::PubSub)
        }
    }
}

impl futures_core::Stream for RedisSubscriber {
    type Item = Result<asyncapi_runtime::envelope::Envelope, TransportError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        match self.get_mut() {
            RedisSubscriber::PubSub(s) => std::pin::Pin::new(s).poll_next(cx),
            RedisSubscriber::Stream(s) => std::pin::Pin::new(s).poll_next(cx),
        }
    }
}

impl asyncapi_runtime::transport::Subscriber for RedisSubscriber {
    type Envelope = asyncapi_runtime::envelope::Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        match self {
            RedisSubscriber::PubSub(s) => s.close().await,
            RedisSubscriber::Stream(s) => s.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_in_debug() {
        let shown = format!(
            "{:?}",
            RedisOptions::new("redis://ada:hunter2@127.0.0.1:6379/0")
        );
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(
            shown.contains("redis://<redacted>@127.0.0.1:6379/0"),
            "{shown}"
        );
    }

    #[test]
    fn free_parameters_become_globs() {
        let channel = ChannelSpec::new("lights", "lights:{id}:on");
        let pattern = |c: &ChannelSpec| {
            c.subscription_pattern(&WILDCARDS)
                .map(|s| s.pattern().to_owned())
        };
        assert_eq!(pattern(&channel).unwrap(), "lights:*:on");
        let fixed = channel.clone().with_param("id", "7");
        assert_eq!(pattern(&fixed).unwrap(), "lights:7:on");
        let glob = channel.with_param("id", "7*");
        assert!(glob.subscription_pattern(&WILDCARDS).is_err());
        // A parameter inside a level stands as the glob in its place, and what the glob also
        // takes is not admitted.
        let slashed = ChannelSpec::new("lights", "lights/{id}/on");
        let s = slashed.subscription_pattern(&WILDCARDS).unwrap();
        assert_eq!(s.pattern(), "lights/*/on");
        assert!(s.admits("lights/7/on") && !s.admits("lights/7/off"));
    }

    #[test]
    fn streams_are_chosen_by_channel_name_or_address() {
        let options = RedisOptions::new("redis://127.0.0.1").stream("jobs");
        assert!(options.is_stream(&ChannelSpec::new("jobs", "queue:jobs")));
        assert!(!options.is_stream(&ChannelSpec::new("events", "queue:events")));
        let options = RedisOptions::new("redis://127.0.0.1").stream("queue:events");
        assert!(options.is_stream(&ChannelSpec::new("events", "queue:events")));
    }
}
