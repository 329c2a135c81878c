//! How to connect: [`AmqpOptions`], from a URL, a document's server and its credentials.

use std::time::Duration;

use lapin::uri::AMQPUri;

use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::security::{Credential, Credentials};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{ConnectOptions, Reconnect, ServerSpec, TransportError};

use crate::DEFAULT_RECONNECT;

/// How to connect.
#[derive(Clone)]
pub struct AmqpOptions {
    pub(crate) url: String,
    pub(crate) user: Option<(String, String)>,
    pub(crate) name: Option<String>,
    pub(crate) default_exchange: String,
    pub(crate) prefetch: u16,
    pub(crate) send_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) reconnect: Option<(Duration, Duration)>,
    pub(crate) tls: TlsOptions,
    pub(crate) subscription_limits: Limits,
    pub(crate) max_message_size: usize,
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
            .field("max_message_size", &self.max_message_size)
            .finish_non_exhaustive()
    }
}

/// The URL without its password, for errors and logs.
pub(crate) fn redacted(url: &str) -> String {
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
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
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

    /// The largest message body sent or taken, in bytes, after compression when the message
    /// binding's `contentEncoding` compresses, and the most a received body may grow to when
    /// decompressed; [`DEFAULT_MAX_MESSAGE_SIZE`] (128 MiB, RabbitMQ's own default
    /// `max_message_size`) by default. A larger send fails with
    /// [`TransportError::TooLarge`] before anything is written; a larger delivery is a
    /// `TooLarge` error for itself, rejected (`basic.reject` without requeue: dead-lettered where
    /// the queue says), and the subscription goes on.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes.max(1);
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

    /// How long connecting may take, and opening a publisher or a subscription (its AMQP
    /// channel, declarations and consumer); ten seconds by default.
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

/// The largest AMQP message body by default: 128 MiB, RabbitMQ's own `max_message_size`.
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 128 * 1024 * 1024;

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
