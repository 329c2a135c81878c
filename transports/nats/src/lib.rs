//! The NATS transport of asyncapi-rs (the `asyncapi` crate's feature `nats`), on async-nats.
//!
//! A [`NatsConnection`] is a [`Producer`] and a [`Consumer`]. A channel's address is a subject:
//! parameters not fixed by a subscription become `*`, and a queue group (from the operation's
//! NATS binding) makes subscribers share the messages. Headers travel as NATS headers, the content
//! type as `Content-Type`, the correlation id as `Correlation-Id`, and `reply_to` as the message's
//! reply subject, so request/reply uses NATS's own reply subjects. Users and passwords, tokens,
//! NKeys and credentials files (JWT) authenticate. TLS with rustls (ring), configured by the
//! runtime's [`TlsOptions`] as on every transport (extra certificate authorities, client
//! certificates, PEM files or text). async-nats reconnects by itself and renews subscriptions.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use tracing::Instrument;

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::envelope::{Envelope, Headers};
use asyncapi_runtime::registry::{Descriptor, Kind, Protocol, connect_with};
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Connect, Consumer, Producer, Publisher, PublisherState, ServerSpec,
    Subscriber, Subscription, TransportError, redacted_url,
};
use asyncapi_runtime::url::ServerUrl;

/// The header that carries the content type.
pub const CONTENT_TYPE: &str = "Content-Type";
/// The header that carries the correlation id.
pub const CORRELATION_ID: &str = "Correlation-Id";

/// NATS's subscription syntax: `.`-separated tokens, `*` for one token, `>` for every remaining
/// token (at least one); white space splits a subject.
pub const WILDCARDS: Wildcards =
    Wildcards::new('.', "*", ">").forbidding(&['*', '>', ' ', '\t', '\r', '\n']);

/// [`NatsConnection`] in the registry.
pub static NATS: Descriptor = Descriptor {
    name: "NATS",
    feature: Some("nats"),
    protocols: &[Protocol::any_version("nats")],
    library: "async-nats",
    library_version: "0.51",
    kind: Kind::Brokered,
    bindings: &["operation.queue"],
    security: &["userPassword", "apiKey", "http", "X509"],
    connect: Some(connect_with::<NatsConnection>),
};

/// How to connect.
#[derive(Clone)]
pub struct NatsOptions {
    url: String,
    name: Option<String>,
    user: Option<(String, String)>,
    token: Option<String>,
    nkey: Option<String>,
    credentials_file: Option<std::path::PathBuf>,
    connect_timeout: Duration,
    tls: Option<TlsOptions>,
    require_tls: bool,
    flush_each_send: bool,
    send_timeout: Duration,
}

impl std::fmt::Debug for NatsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsOptions")
            .field("url", &redacted_url(&self.url))
            .field("name", &self.name)
            .field("user", &self.user.as_ref().map(|(u, _)| u))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("nkey", &self.nkey.as_ref().map(|_| "<redacted>"))
            .field("credentials_file", &self.credentials_file)
            .field("connect_timeout", &self.connect_timeout)
            .field("tls", &self.tls)
            .field("require_tls", &self.require_tls)
            .finish_non_exhaustive()
    }
}

impl NatsOptions {
    /// Options for a server URL (`nats://host:port`, `host:port`; `tls://host:port` requires
    /// TLS).
    pub fn new(url: impl Into<String>) -> NatsOptions {
        let url = url.into();
        NatsOptions {
            require_tls: url.starts_with("tls://"),
            url,
            name: None,
            user: None,
            token: None,
            nkey: None,
            credentials_file: None,
            connect_timeout: Duration::from_secs(10),
            tls: None,
            flush_each_send: false,
            send_timeout: Duration::from_secs(10),
        }
    }

    /// Whether each send waits until the client has written it to the server's connection
    /// (a flush), instead of returning once the client has queued it. Off by default: core NATS
    /// is at most once either way, and a flush per message costs throughput.
    pub fn flush_each_send(mut self, flush: bool) -> Self {
        self.flush_each_send = flush;
        self
    }

    /// How long a flushing send waits before it is
    /// [`Unconfirmed`](TransportError::Unconfirmed); ten seconds by default.
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout;
        self
    }

    /// Requires TLS, with these settings (see [`TlsOptions`]; by default the system's
    /// certificate authorities and no client certificate).
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = Some(tls);
        self.require_tls = true;
        self
    }

    fn edit_tls(self, edit: impl FnOnce(TlsOptions) -> TlsOptions) -> Self {
        let tls = edit(self.tls.clone().unwrap_or_default());
        self.tls(tls)
    }

    /// Requires TLS, also trusting the certificate authorities in this PEM (a file's path, or
    /// [`Pem::text`]); each call adds to the others and to the system's.
    pub fn root_certificate(self, pem: impl Into<Pem>) -> Self {
        let pem = pem.into();
        self.edit_tls(|tls| tls.root_certificate(pem))
    }

    /// Requires TLS, presenting this client certificate and key (PEM files or texts).
    pub fn client_certificate(self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        let (certificate, key) = (certificate.into(), key.into());
        self.edit_tls(|tls| tls.client_certificate(certificate, key))
    }

    /// How long connecting may take; ten seconds by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Authenticates with an NKey: the user's seed (`SU...`), whose public key the server lists.
    /// AsyncAPI has no security scheme for NKeys, so this is set here rather than from the
    /// document. The seed never appears in debug output.
    pub fn nkey(mut self, seed: impl Into<String>) -> Self {
        self.nkey = Some(seed.into());
        self
    }

    /// Authenticates with a credentials file: a user JWT and its NKey seed, as `nsc` writes
    /// them (decentralised authentication).
    pub fn credentials_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// Whether the connection must use TLS.
    pub fn require_tls(mut self, required: bool) -> Self {
        self.require_tls = required;
        self
    }

    /// Options for a server of the document (its generated `spec`): URL and credentials.
    pub fn from_server(server: &ServerSpec) -> Result<NatsOptions, TransportError> {
        NatsOptions::new(server.url.clone())
            .name(server.name.to_string())
            .credentials(&server.credentials)
    }

    /// The connection's name, as the server shows it.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Applies credentials: a user and password, or a token (an API key or a bearer token).
    /// Credentials NATS cannot carry are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match c {
                Credential::UserPassword(u) => self.user = Some((u.user, u.password)),
                Credential::ApiKey {
                    key,
                    location: KeyLocation::User | KeyLocation::Password,
                } => self.token = Some(key.key),
                Credential::Authorization { credentials, .. } => self.token = Some(credentials),
                Credential::ClientCertificate(c) => {
                    self = self.client_certificate(
                        Pem::text(c.certificate_pem),
                        Pem::text(c.private_key_pem),
                    )
                }
                other => {
                    return Err(TransportError::Connect {
                        server: redacted_url(&self.url),
                        source: format!("NATS cannot carry the credential {other:?}").into(),
                    });
                }
            }
        }
        Ok(self)
    }
}

/// A connection to a NATS server. Cloning it gives another handle to the same connection.
#[derive(Clone, Debug)]
pub struct NatsConnection {
    client: async_nats::Client,
    server: String,
    /// Each send flushed within this time (`flush_each_send`).
    flush: Option<Duration>,
}

impl NatsConnection {
    /// Connects.
    pub async fn connect(options: NatsOptions) -> Result<NatsConnection, TransportError> {
        let mut o = async_nats::ConnectOptions::new().connection_timeout(options.connect_timeout);
        if let Some(name) = &options.name {
            o = o.name(name);
        }
        if let Some((user, password)) = options.user.clone() {
            o = o.user_and_password(user, password);
        }
        if let Some(token) = options.token.clone() {
            o = o.token(token);
        }
        if let Some(seed) = options.nkey.clone() {
            o = o.nkey(seed);
        }
        if let Some(file) = &options.credentials_file {
            o = o
                .credentials_file(file)
                .await
                .map_err(|e| TransportError::Connect {
                    server: redacted_url(&options.url),
                    source: format!("credentials file `{}`: {e}", file.display()).into(),
                })?;
        }
        let server = redacted_url(&options.url);
        if let Some(tls) = &options.tls {
            let config = tls.client_config().map_err(|e| TransportError::Connect {
                server: server.clone(),
                source: Box::new(e),
            })?;
            o = o.tls_client_config(config);
        }
        o = o.require_tls(options.require_tls);
        let logged = server.clone();
        o = o.event_callback(move |event| {
            let server = logged.clone();
            async move { log_event(&server, &event) }
        });
        // async-nats logs the server URLs it tries: the user information leaves them and is
        // handed over as credentials (the options' own come first).
        let (urls, userinfo) =
            without_userinfo(&options.url).map_err(|e| TransportError::Connect {
                server: server.clone(),
                source: Box::new(e),
            })?;
        if options.user.is_none() && options.token.is_none() {
            match userinfo {
                Some((user, Some(password))) => o = o.user_and_password(user, password),
                Some((token, None)) => o = o.token(token),
                None => {}
            }
        }
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        let client = o
            .connect(urls.as_str())
            .instrument(span)
            .await
            .map_err(|e| TransportError::Connect {
                server: server.clone(),
                source: Box::new(e),
            })?;
        Ok(NatsConnection {
            client,
            server,
            flush: options.flush_each_send.then_some(options.send_timeout),
        })
    }

    /// Waits until the server has processed everything sent so far.
    pub async fn flush(&self) -> Result<(), TransportError> {
        self.client.flush().await.map_err(|e| TransportError::Send {
            address: self.server.clone(),
            source: Box::new(e),
        })
    }

    /// Drains and closes the connection.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.client
            .drain()
            .await
            .map_err(|e| TransportError::Closed(format!("{}: {e}", self.server)))
    }
}

/// The server URLs (a comma-separated list) without their user information, and the first
/// user information found: `(user, password)`, or `(token, None)` for `nats://token@host`.
type UserInfo = Option<(String, Option<String>)>;

fn without_userinfo(urls: &str) -> Result<(String, UserInfo), asyncapi_runtime::url::UrlError> {
    let mut found = None;
    let mut kept = Vec::new();
    for url in urls.split(',').map(str::trim) {
        let parsed = ServerUrl::parse(url)?;
        if found.is_none()
            && let Some(user) = parsed.user()
        {
            found = Some((user.to_owned(), parsed.password().map(str::to_owned)));
        }
        let host = if parsed.host().contains(':') {
            format!("[{}]", parsed.host())
        } else {
            parsed.host().to_owned()
        };
        let scheme = parsed
            .scheme()
            .map(|s| format!("{s}://"))
            .unwrap_or_default();
        let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
        kept.push(format!("{scheme}{host}{port}{}", parsed.rest()));
    }
    Ok((kept.join(","), found))
}

/// The client's connection events in the log (target `asyncapi`): losing the connection and
/// errors at `warn`, (re)connecting at `info`.
fn log_event(server: &str, event: &async_nats::Event) {
    use async_nats::Event;
    match event {
        Event::Disconnected => {
            tracing::warn!(target: "asyncapi", server, "NATS connection lost; connecting again")
        }
        Event::Connected => tracing::info!(target: "asyncapi", server, "NATS connected"),
        Event::SlowConsumer(_) | Event::ServerError(_) | Event::ClientError(_) => {
            tracing::warn!(target: "asyncapi", server, %event, "NATS")
        }
        Event::LameDuckMode | Event::Draining | Event::Closed => {
            tracing::info!(target: "asyncapi", server, %event, "NATS")
        }
    }
}

impl Connect for NatsConnection {
    const PROTOCOLS: &'static [&'static str] = &["nats"];

    async fn connect_to(server: &ServerSpec) -> Result<Self, TransportError> {
        Self::check_protocol(server)?;
        NatsConnection::connect(NatsOptions::from_server(server)?).await
    }
}

/// Sends on a NATS channel.
#[derive(Debug)]
pub struct NatsPublisher {
    client: async_nats::Client,
    flush: Option<Duration>,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
}

impl Producer for NatsConnection {
    type Publisher = NatsPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<NatsPublisher, TransportError> {
        Ok(NatsPublisher {
            client: self.client.clone(),
            flush: self.flush,
            state: PublisherState::new(channel),
        })
    }
}

fn to_nats_headers(envelope: &Envelope) -> async_nats::HeaderMap {
    let mut headers = async_nats::HeaderMap::new();
    for (name, value) in envelope.headers.iter() {
        headers.append(name, String::from_utf8_lossy(value.as_bytes()).as_ref());
    }
    if let Some(ct) = &envelope.content_type {
        headers.insert(CONTENT_TYPE, ct.as_str());
    }
    if let Some(id) = &envelope.correlation_id {
        headers.insert(CORRELATION_ID, id.as_str());
    }
    headers
}

impl Publisher for NatsPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        let headers = to_nats_headers(&envelope);
        let subject = envelope.address;
        let result = match envelope.reply_to {
            Some(reply) => {
                self.client
                    .publish_with_reply_and_headers(
                        subject.clone(),
                        reply,
                        headers,
                        envelope.payload,
                    )
                    .await
            }
            None => {
                self.client
                    .publish_with_headers(subject.clone(), headers, envelope.payload)
                    .await
            }
        };
        result.map_err(|e| TransportError::Send {
            address: subject.clone(),
            source: Box::new(e),
        })?;
        let Some(timeout) = self.flush else {
            return Ok(());
        };
        let flushed = async {
            self.client.flush().await.map_err(|e| TransportError::Send {
                address: subject.clone(),
                source: Box::new(e),
            })
        };
        asyncapi_runtime::transport::confirmed(&subject, timeout, flushed).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

/// How many subjects one subscription listens to at most (one per listed value of a parameter
/// inside a token); past that it listens to the broader subject.
const MOST_SUBJECTS: usize = 32;

/// Receives the messages of one subject (pattern), or of one subject per listed value of a
/// parameter inside a token, alone or in a queue group.
#[derive(Debug)]
pub struct NatsSubscriber {
    inner: Vec<async_nats::Subscriber>,
    /// The subscription that yields next, so that no subject starves the others.
    next: usize,
    subject: String,
    /// What the subjects take (a parameter inside a token without listed values makes it
    /// broader than the channel).
    subscription: Subscription,
}

impl Consumer for NatsConnection {
    type Subscriber = NatsSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<NatsSubscriber, TransportError> {
        let open_err = |source: BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        let subscription = channel.subscription(&WILDCARDS, MOST_SUBJECTS)?;
        let mut inner = Vec::with_capacity(subscription.patterns().len());
        for subject in subscription.patterns() {
            let subscribed = match &channel.queue_group {
                Some(group) => {
                    self.client
                        .queue_subscribe(subject.clone(), group.clone())
                        .await
                }
                None => self.client.subscribe(subject.clone()).await,
            };
            inner.push(subscribed.map_err(|e| open_err(Box::new(e)))?);
        }
        // The server has the subscriptions once it answers a PING sent after them.
        self.client
            .flush()
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        Ok(NatsSubscriber {
            inner,
            next: 0,
            subject: subscription.patterns().join(" "),
            subscription,
        })
    }
}

fn from_nats(message: async_nats::Message) -> Envelope {
    let mut headers = Headers::new();
    let mut content_type = None;
    let mut correlation_id = None;
    if let Some(map) = &message.headers {
        for (name, values) in map.iter() {
            let name: &str = name.as_ref();
            for v in values {
                match name {
                    CONTENT_TYPE => content_type = Some(v.as_str().to_owned()),
                    CORRELATION_ID => correlation_id = Some(v.as_str().to_owned()),
                    _ => headers.append(name, v.as_str()),
                }
            }
        }
    }
    Envelope {
        address: message.subject.as_str().to_owned(),
        payload: Bytes::clone(&message.payload),
        content_type,
        headers,
        reply_to: message.reply.map(|r| r.as_str().to_owned()),
        correlation_id,
        acknowledgement: None,
    }
}

impl Stream for NatsSubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let count = this.inner.len();
        loop {
            let mut open = false;
            let mut got = None;
            for k in 0..count {
                let i = (this.next + k) % count;
                match Pin::new(&mut this.inner[i]).poll_next(cx) {
                    Poll::Ready(Some(message)) => {
                        this.next = (i + 1) % count;
                        got = Some(message);
                        break;
                    }
                    Poll::Ready(None) => {}
                    Poll::Pending => open = true,
                }
            }
            match got {
                Some(message) => {
                    if let Some(envelope) = this.subscription.admit(from_nats(message), cx) {
                        return Poll::Ready(Some(Ok(envelope)));
                    }
                }
                None if open => return Poll::Pending,
                None => return Poll::Ready(None),
            }
        }
    }
}

impl Subscriber for NatsSubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        for inner in &mut self.inner {
            inner
                .unsubscribe()
                .await
                .map_err(|e| TransportError::Closed(format!("{}: {e}", self.subject)))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_in_debug() {
        let shown = format!(
            "{:?}",
            NatsOptions::new("nats://s3cret-token@127.0.0.1:4222")
        );
        assert!(!shown.contains("s3cret-token"), "{shown}");
    }

    #[test]
    fn user_information_leaves_the_urls_async_nats_logs() {
        let (urls, found) =
            without_userinfo("nats://ada:p%40ss@10.0.0.1:4222, tls://[::1]:4223/x").unwrap();
        assert_eq!(urls, "nats://10.0.0.1:4222,tls://[::1]:4223/x");
        assert_eq!(found, Some(("ada".into(), Some("p@ss".into()))));
        let (urls, found) = without_userinfo("nats://t0ken@h").unwrap();
        assert_eq!(
            (urls.as_str(), found),
            ("nats://h", Some(("t0ken".into(), None)))
        );
    }

    #[test]
    fn headers_carry_content_type_and_correlation() {
        let mut e = Envelope::new("a.b").with_payload("x");
        e.headers.insert("trace", "t-1");
        e.content_type = Some("application/json".into());
        e.correlation_id = Some("c-9".into());
        let h = to_nats_headers(&e);
        assert_eq!(h.get("trace").map(|v| v.as_str()), Some("t-1"));
        assert_eq!(
            h.get(CONTENT_TYPE).map(|v| v.as_str()),
            Some("application/json")
        );
        assert_eq!(h.get(CORRELATION_ID).map(|v| v.as_str()), Some("c-9"));
    }
}
