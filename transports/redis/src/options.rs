//! How to connect: [`RedisOptions`], from a URL, a document's server and its credentials, and
//! which channels are streams.

use std::time::Duration;

use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{
    ChannelSpec, ConnectOptions, Reconnect, ServerSpec, TransportError, redacted_url,
};

/// How to connect, and which channels are streams.
#[derive(Clone)]
pub struct RedisOptions {
    pub(crate) url: String,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) streams: Vec<String>,
    pub(crate) group: String,
    pub(crate) consumer: Option<String>,
    pub(crate) claim_after: Duration,
    pub(crate) block: Duration,
    pub(crate) batch: usize,
    pub(crate) timeout: Duration,
    pub(crate) tls: Option<TlsOptions>,
    pub(crate) reconnect: Reconnect,
    pub(crate) subscription_limits: Limits,
    pub(crate) max_message_size: usize,
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
            .field("max_message_size", &self.max_message_size)
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
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
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

    /// The largest payload sent, in bytes ([`DEFAULT_MAX_MESSAGE_SIZE`]: 512 MiB, Redis's own
    /// `proto-max-bulk-len`): a larger send fails with [`TransportError::TooLarge`] before
    /// anything is written. Received messages come whole from Redis, within its own limits (a
    /// pub/sub subscriber that falls behind by more than Redis's `client-output-buffer-limit`,
    /// 32 MiB by default, is disconnected by Redis: one error, then the subscription resumes).
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes.max(1);
        self
    }

    /// What each subscription holds at most for a consumer that does not keep up
    /// ([`Limits::DEFAULT`] by default). Pub/sub has no flow control: a message that finds the
    /// queue full is dropped and counted, and the subscriber gets one
    /// [`TransportError::Lagged`] with the count
    /// ([`Overflow::Drop`](asyncapi_runtime::delivery::Overflow::Drop)). A stream subscription's
    /// reader waits instead, and the entries wait in the stream (backpressure); it holds at most
    /// one read's worth (64 entries) of these limits, since entries it holds age as pending and
    /// would be claimed again after [`claim_after`](Self::claim_after).
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

    pub(crate) fn is_stream(&self, channel: &ChannelSpec) -> bool {
        channel.bindings.redis.as_ref().is_some_and(|r| r.stream)
            || self
                .streams
                .iter()
                .any(|s| *s == channel.name || *s == channel.address)
    }
}

/// The largest Redis payload sent by default: 512 MiB, Redis's own `proto-max-bulk-len`.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 512 * 1024 * 1024;

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
    fn streams_are_chosen_by_channel_name_or_address() {
        let options = RedisOptions::new("redis://127.0.0.1").stream("jobs");
        assert!(options.is_stream(&ChannelSpec::new("jobs", "queue:jobs")));
        assert!(!options.is_stream(&ChannelSpec::new("events", "queue:events")));
        let options = RedisOptions::new("redis://127.0.0.1").stream("queue:events");
        assert!(options.is_stream(&ChannelSpec::new("events", "queue:events")));
    }
}
