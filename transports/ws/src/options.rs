//! How a client connects ([`WsOptions`]) and a server listens ([`WsServerOptions`]), and the
//! upgrade request a channel makes: URL, path, query parameters and headers.

use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{percent_decode_str, utf8_percent_encode};

use asyncapi_runtime::address::AddressTemplate;
use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::tls::{Pem, TlsOptions, provider};
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, ConnectOptions, Reconnect, ServerSpec, TransportError,
};
use asyncapi_runtime::url::redacted_url;

use crate::QUERY;
use crate::socket::open_error;

/// How a client connects.
#[derive(Clone)]
pub struct WsOptions {
    pub(crate) url: String,
    pub(crate) name: Option<String>,
    pub(crate) credentials: Vec<Credential>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) tls: TlsOptions,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_message_size: usize,
    /// The first and the longest wait between attempts to connect again; `None`: never.
    pub(crate) reconnect: Option<(Duration, Duration)>,
    pub(crate) ping_interval: Option<Duration>,
    pub(crate) subscription_limits: Limits,
}

impl std::fmt::Debug for WsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsOptions")
            .field("url", &redacted_url(&self.url))
            .field("credentials", &self.credentials)
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("tls", &self.tls)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_message_size", &self.max_message_size)
            .field("reconnect", &self.reconnect)
            .field("subscription_limits", &self.subscription_limits)
            .finish_non_exhaustive()
    }
}

impl WsOptions {
    /// Options for a server URL: `ws://host:port/pathname` or `wss://...`; channel addresses
    /// are appended to the pathname.
    pub fn new(url: impl Into<String>) -> WsOptions {
        WsOptions {
            url: url.into(),
            name: None,
            credentials: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            tls: TlsOptions::new(),
            connect_timeout: Duration::from_secs(10),
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            reconnect: Reconnect::DEFAULT.bounds(),
            ping_interval: None,
            subscription_limits: Limits::DEFAULT,
        }
    }

    /// Options for a server of the document (its generated `spec`): URL and credentials.
    pub fn from_server(server: &ServerSpec) -> Result<WsOptions, TransportError> {
        let mut options = WsOptions::new(server.url.clone()).credentials(&server.credentials)?;
        options.name = Some(server.name.to_string());
        Ok(options)
    }

    /// Applies credentials on every upgrade request. Credentials a WebSocket upgrade cannot
    /// carry are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match &c {
                Credential::UserPassword(_)
                | Credential::ApiKey { .. }
                | Credential::Authorization { .. } => self.credentials.push(c),
                other => {
                    return Err(TransportError::Connect {
                        server: self.url.clone(),
                        source: format!(
                            "a WebSocket upgrade request cannot carry the credential {other:?}"
                        )
                        .into(),
                    });
                }
            }
        }
        Ok(self)
    }

    /// Adds a query parameter to every upgrade request.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header to every upgrade request.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The TLS settings of `wss` URLs (see [`TlsOptions`]); by default the system's
    /// certificate authorities and no client certificate.
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = tls;
        self
    }

    /// Also trusts the certificate authorities in this PEM (a file's path, or [`Pem::text`]) for
    /// `wss` URLs; each call adds to the others and to the system's.
    pub fn root_certificate(mut self, pem: impl Into<Pem>) -> Self {
        self.tls = self.tls.root_certificate(pem);
        self
    }

    /// Presents this client certificate and key (PEM files or texts) to `wss` servers that ask.
    pub fn client_certificate(mut self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        self.tls = self.tls.client_certificate(certificate, key);
        self
    }

    /// How long connecting (TCP, TLS and the upgrade) may take; 10 s by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest message sent or taken, in bytes ([`DEFAULT_MAX_MESSAGE_SIZE`], 16 MiB, by
    /// default). A larger send fails with [`TransportError::TooLarge`] before anything is
    /// written; a larger frame from the server breaks the socket (WebSocket cannot skip one),
    /// which is then connected again.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes.max(1);
        self
    }

    /// How a socket with subscribers connects again after it broke (or the server closed it
    /// with "going away", "server error", "restart" or "try again later"):
    /// [`Reconnect::DEFAULT`] (100 ms, doubled up to 5 s), for as long as it has a subscriber.
    /// The subscribers get one error for the break (frames sent meanwhile are lost: WebSocket
    /// keeps nothing), then the frames of the new connection; a send meanwhile waits for it, at
    /// most the [connect timeout](WsOptions::connect_timeout). With [`Reconnect::Never`] a broken
    /// socket ends its subscribers' streams with an error, and the next publisher or subscriber
    /// of its URL opens a new one.
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect.bounds();
        self
    }

    /// Pings the server every `interval`; a socket from which nothing (pong or frame) arrived
    /// for twice that long is taken as broken (and connected again, see
    /// [`WsOptions::reconnect`]). Off by default.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = Some(interval);
        self
    }

    /// What each subscriber's queue holds at most ([`Limits::DEFAULT`] by default): while one
    /// is full, its socket is not read, so TCP holds the server's frames back (backpressure,
    /// [`Overflow::Wait`](asyncapi_runtime::delivery::Overflow::Wait)); the other sockets go on.
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }
}

impl ConnectOptions for WsOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        Ok(WsOptions::new(url))
    }
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError> {
        WsOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        WsOptions::credentials(self, credentials)
    }
    fn connect_timeout(self, timeout: Duration) -> Self {
        WsOptions::connect_timeout(self, timeout)
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        WsOptions::subscription_limits(self, limits)
    }
    fn reconnect(self, reconnect: Reconnect) -> Self {
        WsOptions::reconnect(self, reconnect)
    }
}

impl asyncapi_runtime::transport::TlsConnectOptions for WsOptions {
    fn tls(self, tls: TlsOptions) -> Self {
        WsOptions::tls(self, tls)
    }
}

/// `(name, value)` pairs: query parameters or headers.
pub(crate) type Pairs = Vec<(String, String)>;

/// The query parameters and headers a channel's upgrade request carries (the binding's, then
/// the options').
pub(crate) fn request_parts(options: &WsOptions, channel: &ChannelSpec) -> (Pairs, Pairs) {
    let mut query = Vec::new();
    let mut headers = Vec::new();
    if let Some(ws) = &channel.bindings.ws {
        query.extend(ws.query.iter().map(|(n, v)| (n.to_string(), v.to_string())));
        headers.extend(
            ws.headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string())),
        );
    }
    query.extend(options.query.iter().cloned());
    headers.extend(options.headers.iter().cloned());
    for c in &options.credentials {
        match c {
            Credential::UserPassword(u) => headers.push((
                "Authorization".to_owned(),
                basic_value(&u.user, &u.password),
            )),
            Credential::ApiKey { key, location } => match location {
                KeyLocation::Header(name) => headers.push((name.clone(), key.key.clone())),
                KeyLocation::Query(name) => query.push((name.clone(), key.key.clone())),
                KeyLocation::Cookie(name) => {
                    headers.push(("Cookie".to_owned(), format!("{name}={}", key.key)));
                }
                KeyLocation::User => {
                    headers.push(("Authorization".to_owned(), basic_value(&key.key, "")));
                }
                KeyLocation::Password => {
                    headers.push(("Authorization".to_owned(), basic_value("", &key.key)));
                }
            },
            Credential::Authorization {
                scheme,
                credentials,
            } => headers.push((
                "Authorization".to_owned(),
                format!("{scheme} {credentials}"),
            )),
            _ => {}
        }
    }
    (query, headers)
}

pub(crate) fn basic_value(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    format!(
        "Basic {}",
        asyncapi_runtime::types::Base64(raw.into_bytes()).encode()
    )
}

/// `base` (a server URL) with a channel path appended: `/` and the empty path are the base's
/// own path.
pub(crate) fn join(base: &str, path: &str) -> String {
    let path = path.trim_start_matches('/');
    let base = base.trim_end_matches('/');
    if path.is_empty() {
        // `ws://host` has no path at all: the request line needs `/`.
        match base.split_once("://") {
            Some((_, rest)) if !rest.contains('/') => format!("{base}/"),
            _ => base.to_owned(),
        }
    } else {
        format!("{base}/{path}")
    }
}

pub(crate) fn with_query(url: &str, query: &[(String, String)]) -> String {
    if query.is_empty() {
        return url.to_owned();
    }
    let mut out = url.to_owned();
    out.push(if url.contains('?') { '&' } else { '?' });
    for (i, (n, v)) in query.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&utf8_percent_encode(n, QUERY).to_string());
        out.push('=');
        out.push_str(&utf8_percent_encode(v, QUERY).to_string());
    }
    out
}

pub(crate) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((n, v)) => (decode(n), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// A channel's concrete path for a client: every parameter fixed.
pub(crate) fn client_path(channel: &ChannelSpec) -> Result<String, TransportError> {
    let template = AddressTemplate::parse(&channel.address)
        .map_err(|e| open_error(&channel.address, Box::new(e) as BoxError))?;
    let mut fixed = Vec::new();
    for name in template.params() {
        let value = channel
            .params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                open_error(
                    &channel.address,
                    format!(
                        "WebSocket has no wildcards: a subscription fixes every parameter, and \
                         `{name}` is not fixed"
                    ),
                )
            })?;
        check_path_value(name, value).map_err(|e| open_error(&channel.address, e))?;
        fixed.push((name, value));
    }
    template
        .build(&fixed)
        .map_err(|e| open_error(&channel.address, Box::new(e) as BoxError))
}

pub(crate) fn check_path_value(name: &str, value: &str) -> Result<(), String> {
    match value.chars().find(|c| matches!(c, '/' | '?' | '#')) {
        Some(c) => Err(format!(
            "parameter `{name}` is `{value}`, and {c:?} cannot stand in one path segment"
        )),
        None => Ok(()),
    }
}

/// How a server listens.
#[derive(Clone)]
pub struct WsServerOptions {
    pub(crate) address: String,
    pub(crate) pathname: String,
    pub(crate) required: Vec<Credential>,
    pub(crate) tls: Option<(Pem, Pem)>,
    pub(crate) max_message_size: usize,
    pub(crate) handshake_timeout: Duration,
    pub(crate) ping_interval: Duration,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) max_connections: usize,
    pub(crate) outbound_limits: Limits,
    pub(crate) write_timeout: Duration,
    pub(crate) subscription_limits: Limits,
}

impl std::fmt::Debug for WsServerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsServerOptions")
            .field("address", &self.address)
            .field("pathname", &self.pathname)
            .field("required", &self.required)
            .field("tls", &self.tls.is_some())
            .field("max_message_size", &self.max_message_size)
            .field("ping_interval", &self.ping_interval)
            .field("idle_timeout", &self.idle())
            .field("max_connections", &self.max_connections)
            .field("outbound_limits", &self.outbound_limits)
            .field("write_timeout", &self.write_timeout)
            .field("subscription_limits", &self.subscription_limits)
            .finish_non_exhaustive()
    }
}

/// The largest WebSocket message sent or taken by default, client and server: 16 MiB
/// (tungstenite's own default is 64 MiB; the protocol sets none).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 16 * 1024 * 1024;

impl WsServerOptions {
    /// Listens on `address` (`host:port`; port `0` picks a free one), serving paths from the
    /// root.
    pub fn new(address: impl Into<String>) -> WsServerOptions {
        WsServerOptions {
            address: address.into(),
            pathname: String::new(),
            required: Vec::new(),
            tls: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            handshake_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(30),
            idle_timeout: None,
            max_connections: 1024,
            outbound_limits: Limits::new(256, 16 * 1024 * 1024),
            write_timeout: Duration::from_secs(10),
            subscription_limits: Limits::DEFAULT,
        }
    }

    /// Options for a server of the document (its generated `spec`): the host and port to
    /// listen on and the pathname from its URL, and the credentials every client must bring.
    /// A `wss` server also needs [`WsServerOptions::tls`].
    pub fn from_server(server: &ServerSpec) -> Result<WsServerOptions, TransportError> {
        let rest = server
            .url
            .split_once("://")
            .map_or(server.url.as_str(), |(_, r)| r);
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let default_port = if server.protocol.eq_ignore_ascii_case("wss") {
            443
        } else {
            80
        };
        let address = if host
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            host.to_owned()
        } else {
            format!("{host}:{default_port}")
        };
        Ok(WsServerOptions::new(address)
            .pathname(path)
            .require(&server.credentials))
    }

    /// Serves channels below this path (a server's pathname).
    pub fn pathname(mut self, pathname: impl Into<String>) -> Self {
        self.pathname = pathname.into().trim_end_matches('/').to_owned();
        self
    }

    /// Requires these credentials of every client (all of them, as one security requirement).
    pub fn require(mut self, credentials: &impl Credentials) -> Self {
        self.required.extend(credentials.credentials());
        self
    }

    /// Serves `wss`: the certificate chain and private key (PEM files, or [`Pem::text`]).
    pub fn tls(mut self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        self.tls = Some((certificate.into(), key.into()));
        self
    }

    /// The largest message sent or taken, in bytes ([`DEFAULT_MAX_MESSAGE_SIZE`], 16 MiB, by
    /// default). A larger send fails with [`TransportError::TooLarge`] before anything is
    /// written; a client sending a larger frame is disconnected (WebSocket cannot skip one), so
    /// at most this much of one client's message is held while it is read.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes.max(1);
        self
    }

    /// Pings every client every `interval` (30 s by default), so that a client gone without a
    /// word is found out (see [`WsServerOptions::idle_timeout`]).
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// Closes a connection from which nothing (a frame or a pong) arrived for `timeout`; twice
    /// the [ping interval](WsServerOptions::ping_interval) (60 s) by default.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = Some(timeout);
        self
    }

    /// The most connections served at once, upgrades under way included (1,024 by default);
    /// past it a new connection is closed as soon as it is accepted, with a tracing event.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// What each connection's outbound queue holds at most (256 frames and 16 MiB by default).
    /// A send to a path puts its frame in the queue of each client there without waiting; a
    /// client whose queue is full has fallen behind and is disconnected, with a tracing event
    /// (it may connect again), so one client that stops reading never holds back the others.
    pub fn outbound_limits(mut self, limits: Limits) -> Self {
        self.outbound_limits = limits;
        self
    }

    /// How long one frame's write to a client may take (10 s by default); a client that does
    /// not take it in that time is disconnected. A reply waits at most this long for room in
    /// its client's queue and as long again for the write.
    pub fn write_timeout(mut self, timeout: Duration) -> Self {
        self.write_timeout = timeout;
        self
    }

    pub(crate) fn idle(&self) -> Duration {
        self.idle_timeout.unwrap_or(2 * self.ping_interval)
    }

    /// What each subscriber's queue holds at most ([`Limits::DEFAULT`] by default): while one
    /// is full, the connection whose frame it waits for is not read, so TCP holds that client's
    /// frames back (the other connections go on).
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }

    pub(crate) fn acceptor(&self) -> Result<Option<tokio_rustls::TlsAcceptor>, BoxError> {
        let Some((cert, key)) = &self.tls else {
            return Ok(None);
        };
        let chain = cert.certificates()?;
        let key = key.private_key()?;
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        Ok(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))))
    }
}
