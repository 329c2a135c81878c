//! A connection to a Redis server: [`RedisConnection`], its client and connection managers, and
//! the registry's [`Connect`] impl.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tracing::Instrument;

use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, CloseSignal, Connect, Consumer, Producer, TransportError, redacted_url,
};

use crate::{RedisOptions, RedisPublisher, RedisSubscriber, pubsub, streams};

/// What bounds connecting, each answer, and opening a subscription (its own connection).
const TIMEOUT: &str = "RedisOptions::timeout";

/// A connection to a Redis server: one multiplexed connection for commands, which reconnects by
/// itself, and a connection of its own for each subscription. Cloning it gives another handle.
#[derive(Clone)]
pub struct RedisConnection {
    pub(crate) client: redis::Client,
    pub(crate) commands: ConnectionManager,
    /// The server's URL without its secrets.
    pub(crate) server: Arc<str>,
    pub(crate) options: Arc<RedisOptions>,
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
    pub(crate) fn server(&self) -> &str {
        &self.server
    }

    /// A consumer name for a new stream subscription.
    pub(crate) fn consumer_name(&self) -> String {
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
pub(crate) fn manager_config(
    options: &RedisOptions,
    read_for: Option<Duration>,
) -> ConnectionManagerConfig {
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(Some(options.timeout))
        .set_response_timeout(Some(options.timeout + read_for.unwrap_or_default()));
    match options.reconnect.bounds() {
        Some((first, longest)) => config.set_min_delay(first).set_max_delay(longest),
        None => config.set_number_of_retries(0),
    }
}

impl Connect for RedisConnection {
    type Options = RedisOptions;
    const PROTOCOLS: &'static [Protocol] = &[Protocol::any_version("redis")];

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

impl RedisConnection {
    /// A subscription's opening, within the connection's timeout: a subscription connects on
    /// its own, and a server that stopped answering would hold it.
    async fn opened<T>(
        &self,
        channel: &ChannelSpec,
        opening: impl Future<Output = Result<T, TransportError>>,
    ) -> Result<T, TransportError> {
        asyncapi_runtime::transport::open_within(channel, self.options.timeout, TIMEOUT, opening)
            .await
    }
}

impl Consumer for RedisConnection {
    type Subscriber = RedisSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<RedisSubscriber, TransportError> {
        self.check_open()?;
        if self.options.is_stream(channel) {
            self.opened(channel, streams::subscribe(self, channel))
                .await
                .map(RedisSubscriber::Stream)
        } else {
            asyncapi_runtime::transport::refuse_group(
                channel,
                "redis",
                "Redis pub/sub (a stream channel has: `x-stream: true`)",
            )?;
            self.opened(channel, pubsub::subscribe(self, channel))
                .await
                .map(RedisSubscriber::PubSub)
        }
    }
}
