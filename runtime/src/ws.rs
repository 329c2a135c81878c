//! The WebSocket transport (feature `ws`), client and server, on tokio-tungstenite.
//!
//! A WebSocket channel is a connection at a path: the channel's address is the path, appended
//! to the server's pathname (`/` is the server's path itself). There are no wildcards, so a
//! client subscription fixes every parameter of the address.
//!
//! - **Client** ([`WsConnection`]): a [`Producer`] and a [`Consumer`]. Publishers and
//!   subscribers of one URL share one socket, opened when first needed; so a request sent on a
//!   channel and its reply, which comes back on the same connection, meet on one socket
//!   ([`Replies::OnRequestConnection`]). The channel's WebSocket binding is applied to the
//!   upgrade request: its query parameters and headers (the document's `const` values, the typed
//!   values a generated subscription `Filter` sets, then those [`WsOptions::query`] and
//!   [`WsOptions::header`] add), and its method (`GET`, the only one RFC 6455
//!   defines: a binding that asks for `POST` is refused when the channel is opened, rather than
//!   silently changed). Credentials go on the upgrade request: a user and password as HTTP
//!   basic authentication, an API key in the header, query parameter or cookie the document
//!   names, a token as `Authorization: <scheme> <token>`.
//! - **Server** ([`WsServer`]): also a [`Producer`] and a [`Consumer`], for code generated from
//!   the server's perspective. One listener serves every channel opened on it: a client may
//!   connect at any path that fits the address of a channel the server has opened a publisher or
//!   subscriber for (others get `404`), with the credentials the server was bound with (others
//!   get `401`). A received envelope's `reply_to` names the connection it came on, so a reply
//!   goes back to that one client; an envelope sent to a path goes to every client connected at
//!   that path.
//! - **Frames**: text frames for textual content types (JSON, XML, YAML, `text/*`, `+json`,
//!   ...), binary frames otherwise; a received frame of either kind is the payload. WebSocket
//!   frames carry no headers, so a message with headers is refused when it is sent rather than
//!   stripped; `reply_to` and correlation ids do not travel (replies come back on the
//!   connection, and the document says where in the payload a correlation id is).
//! - **TLS** (`wss`) with rustls: extra certificate authorities from PEM files on the client,
//!   a certificate and key from PEM files on the server.
//!
//! A client socket that breaks while subscribed to is connected again by itself, with a
//! growing wait between attempts ([`WsOptions::reconnect`]): its subscribers get one error for
//! the break, then the frames of the new connection (WebSocket keeps nothing, so what was sent
//! meanwhile is lost). A normal close by the server ends their streams. With
//! [`WsOptions::ping_interval`] (or [`WsServerOptions::ping_interval`]) a peer that stops
//! answering pings counts as broken.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{SinkExt, StreamExt};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message as Frame, http};
use tracing::Instrument;

use crate::address::AddressTemplate;
use crate::envelope::{Envelope, EnvelopeReader, Headers};
use crate::security::{Credential, Credentials, KeyLocation};
use crate::transport::{
    Backoff, BoxError, ChannelSpec, Consumer, Producer, Publisher, PublisherState, Replies,
    ServerSpec, Subscriber, TransportError,
};

/// How many received frames a subscriber buffers before the connection's reader waits.
const SUBSCRIBER_CAPACITY: usize = 1024;

/// The characters a query parameter's name or value keeps as they are.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Whether a payload of this content type goes in a text frame (JSON, XML, YAML, `text/*`, and
/// the `+json`, `+xml` and `+yaml` suffixes); others go in binary frames.
pub fn is_textual(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/xml"
                | "application/yaml"
                | "application/x-yaml"
                | "application/javascript"
                | "application/x-www-form-urlencoded"
        )
        || ["+json", "+xml", "+yaml"]
            .iter()
            .any(|suffix| essence.ends_with(suffix))
}

/// The frame a payload travels in: text for a textual content type (or none) when the payload is
/// UTF-8, binary otherwise.
fn frame_for(payload: Bytes, content_type: Option<&str>) -> Frame {
    if content_type.is_none_or(is_textual) {
        // Cloning `Bytes` shares the buffer.
        match tungstenite::Utf8Bytes::try_from(payload.clone()) {
            Ok(text) => Frame::Text(text),
            Err(_) => Frame::Binary(payload),
        }
    } else {
        Frame::Binary(payload)
    }
}

/// An envelope for sending on a WebSocket: the plain [`Envelope`], checked.
fn outgoing(envelope: Envelope) -> Result<(String, Frame), TransportError> {
    if !envelope.headers.is_empty() {
        return Err(TransportError::Send {
            address: envelope.address,
            source: format!(
                "WebSocket frames carry no headers, and the message has {} ({})",
                envelope.headers.len(),
                envelope
                    .headers
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into(),
        });
    }
    let frame = frame_for(envelope.payload, envelope.content_type.as_deref());
    Ok((envelope.address, frame))
}

/// What is known of one WebSocket connection: where it was opened, with which query and
/// headers, and (on a server) from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The connection's number, unique in its client or server.
    pub id: u64,
    /// The channel address (the path below the server's pathname).
    pub path: String,
    /// The query parameters of the upgrade request, decoded.
    pub query: Vec<(String, String)>,
    /// The headers of the upgrade request (a client's own: those it added).
    pub headers: Headers,
    /// The peer's address, on a server.
    pub peer: Option<SocketAddr>,
}

impl ConnectionInfo {
    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A received frame.
#[derive(Clone, Debug)]
pub struct WsEnvelope {
    address: String,
    payload: Bytes,
    text: bool,
    reply_to: Option<String>,
    connection: Arc<ConnectionInfo>,
    headers: Headers,
}

impl WsEnvelope {
    /// The connection it came on.
    pub fn connection(&self) -> &ConnectionInfo {
        &self.connection
    }

    /// Whether it came in a text frame.
    pub fn is_text(&self) -> bool {
        self.text
    }
}

impl EnvelopeReader for WsEnvelope {
    fn address(&self) -> &str {
        &self.address
    }
    fn payload(&self) -> &Bytes {
        &self.payload
    }
    fn content_type(&self) -> Option<&str> {
        None
    }
    /// Always empty: frames carry no headers (the upgrade request's are in
    /// [`WsEnvelope::connection`]).
    fn headers(&self) -> &Headers {
        &self.headers
    }
    fn reply_to(&self) -> Option<&str> {
        self.reply_to.as_deref()
    }
    fn correlation_id(&self) -> Option<&str> {
        None
    }
}

impl From<WsEnvelope> for Envelope {
    fn from(e: WsEnvelope) -> Envelope {
        Envelope {
            address: e.address,
            payload: e.payload,
            content_type: None,
            headers: e.headers,
            reply_to: e.reply_to,
            correlation_id: None,
        }
    }
}

type BoxSink = Pin<Box<dyn futures_util::Sink<Frame, Error = tungstenite::Error> + Send>>;
type Delivery = mpsc::Sender<Result<WsEnvelope, TransportError>>;

/// The sending half of one connection.
struct Writer {
    sink: tokio::sync::Mutex<BoxSink>,
    open: AtomicBool,
    /// The connection broke and a client is connecting again (its sink is then replaced).
    reconnecting: AtomicBool,
    /// Told when reconnecting ends, either way.
    reconnected: tokio::sync::Notify,
    /// How long a send waits for a reconnection.
    patience: Duration,
    label: String,
}

impl Writer {
    fn new(sink: BoxSink, label: String, patience: Duration) -> Writer {
        Writer {
            sink: tokio::sync::Mutex::new(sink),
            open: AtomicBool::new(true),
            reconnecting: AtomicBool::new(false),
            reconnected: tokio::sync::Notify::new(),
            patience,
            label,
        }
    }

    async fn send(&self, address: &str, frame: Frame) -> Result<(), TransportError> {
        if self.reconnecting.load(Ordering::SeqCst) {
            // Registered before the flag is read again, so the wake-up cannot be missed.
            let mut back = std::pin::pin!(self.reconnected.notified());
            back.as_mut().enable();
            if self.reconnecting.load(Ordering::SeqCst)
                && tokio::time::timeout(self.patience, back).await.is_err()
            {
                return Err(TransportError::Send {
                    address: address.to_owned(),
                    source: format!(
                        "{}: the connection broke and was not back within {:?}",
                        self.label, self.patience
                    )
                    .into(),
                });
            }
        }
        if !self.open.load(Ordering::SeqCst) {
            return Err(TransportError::Closed(self.label.clone()));
        }
        self.sink
            .lock()
            .await
            .send(frame)
            .await
            .map_err(|e| TransportError::Send {
                address: address.to_owned(),
                source: Box::new(e),
            })
    }

    async fn close(&self) {
        if self.open.swap(false, Ordering::SeqCst) {
            let _ = self.sink.lock().await.close().await;
        }
    }

    /// The sink of a new connection, after a reconnection; waiting sends go on.
    async fn replace(&self, sink: BoxSink) {
        *self.sink.lock().await = sink;
        self.open.store(true, Ordering::SeqCst);
        self.reconnecting.store(false, Ordering::SeqCst);
        self.reconnected.notify_waiters();
    }

    /// No reconnection after all: waiting sends fail.
    fn give_up(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.reconnecting.store(false, Ordering::SeqCst);
        self.reconnected.notify_waiters();
    }
}

/// How a connection's frames ended.
enum Ended {
    /// The peer sent a close frame (with its code, when it gave one), or the stream ended.
    Closed(Option<CloseCode>),
    /// The connection failed, or the peer stopped answering pings.
    Failed(BoxError),
}

impl Ended {
    /// Whether a client should connect again: after a failure, or after a close whose code asks
    /// for it (going away, a server error, a restart, "try again later"). A normal close, or one
    /// refusing the client, ends its subscribers' streams.
    fn worth_retrying(&self) -> bool {
        match self {
            Ended::Failed(_) => true,
            Ended::Closed(code) => matches!(
                code,
                Some(CloseCode::Away | CloseCode::Error | CloseCode::Restart | CloseCode::Again)
            ),
        }
    }

    fn error(self) -> Option<BoxError> {
        match self {
            Ended::Failed(e) => Some(e),
            Ended::Closed(_) => None,
        }
    }
}

/// Pings a connection every `every`; a peer from which nothing (no pong, no frame) arrived for
/// twice that long is taken as gone.
#[derive(Clone, Copy)]
struct KeepAlive<'a> {
    every: Duration,
    writer: &'a Writer,
}

/// Reads frames until the connection ends, handing each data frame to `targets()`, pinging
/// the peer when `keep_alive` says so; returns how it ended.
async fn pump<S>(
    frames: &mut S,
    info: &Arc<ConnectionInfo>,
    reply_to: Option<&str>,
    targets: impl Fn() -> Vec<(u64, Delivery)>,
    mut gone: impl FnMut(u64),
    keep_alive: Option<KeepAlive<'_>>,
) -> Ended
where
    S: Stream<Item = Result<Frame, tungstenite::Error>> + Unpin,
{
    let mut ticks = keep_alive.map(|k| {
        let mut t = tokio::time::interval_at(tokio::time::Instant::now() + k.every, k.every);
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        t
    });
    let mut heard = tokio::time::Instant::now();
    loop {
        let frame = match (&mut ticks, keep_alive) {
            (Some(ticks), Some(k)) => tokio::select! {
                frame = frames.next() => frame,
                _ = ticks.tick() => {
                    if heard.elapsed() > 2 * k.every {
                        return Ended::Failed(
                            format!("no answer to pings for {:?}", heard.elapsed()).into(),
                        );
                    }
                    if let Err(e) = k.writer.send(&info.path, Frame::Ping(Bytes::new())).await {
                        return Ended::Failed(Box::new(e));
                    }
                    continue;
                }
            },
            _ => frames.next().await,
        };
        heard = tokio::time::Instant::now();
        let (payload, text) = match frame {
            None => return Ended::Closed(None),
            Some(Ok(Frame::Text(t))) => (Bytes::from(t), true),
            Some(Ok(Frame::Binary(b))) => (b, false),
            Some(Ok(Frame::Close(close))) => return Ended::Closed(close.map(|c| c.code)),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Ended::Failed(Box::new(e)),
        };
        for (id, tx) in targets() {
            let envelope = WsEnvelope {
                address: info.path.clone(),
                payload: payload.clone(),
                text,
                reply_to: reply_to.map(str::to_owned),
                connection: Arc::clone(info),
                headers: Headers::new(),
            };
            if tx.send(Ok(envelope)).await.is_err() {
                gone(id);
            }
        }
    }
}

/// Tells every target that the connection failed (the streams end when the targets are
/// dropped, or go on after a reconnection).
async fn report(targets: Vec<(u64, Delivery)>, address: &str, error: Option<String>) {
    let Some(message) = error else { return };
    for (_, tx) in targets {
        let _ = tx
            .send(Err(TransportError::Receive {
                address: address.to_owned(),
                source: message.clone().into(),
            }))
            .await;
    }
}

fn open_error(address: &str, source: impl Into<BoxError>) -> TransportError {
    TransportError::Open {
        address: address.to_owned(),
        source: source.into(),
    }
}

/// Refuses a binding method other than `GET`.
fn check_method(channel: &ChannelSpec) -> Result<(), TransportError> {
    match channel
        .bindings
        .ws
        .as_ref()
        .and_then(|w| w.method.as_deref())
    {
        None => Ok(()),
        Some(m) if m.eq_ignore_ascii_case("GET") => Ok(()),
        Some(m) => Err(open_error(
            &channel.address,
            format!(
                "the channel's WebSocket binding asks for a `{m}` upgrade request; RFC 6455 \
                 upgrades with `GET` only, and so does this transport"
            ),
        )),
    }
}

/// Reads the certificates of a PEM file.
fn certificates(file: &Path) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, BoxError> {
    use rustls_pki_types::pem::PemObject;
    let certs = rustls_pki_types::CertificateDer::pem_file_iter(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    if certs.is_empty() {
        return Err(format!("`{}` holds no certificate", file.display()).into());
    }
    Ok(certs)
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// How a client connects.
#[derive(Clone)]
pub struct WsOptions {
    url: String,
    name: Option<String>,
    credentials: Vec<Credential>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    root_certificates: Vec<PathBuf>,
    connect_timeout: Duration,
    max_message_size: Option<usize>,
    /// The first and the longest wait between attempts to connect again; `None`: never.
    reconnect: Option<(Duration, Duration)>,
    ping_interval: Option<Duration>,
}

impl std::fmt::Debug for WsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsOptions")
            .field("url", &self.url)
            .field("credentials", &self.credentials)
            .field(
                "query",
                &self.query.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "headers",
                &self.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
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
            root_certificates: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            max_message_size: None,
            reconnect: Some((Duration::from_millis(100), Duration::from_secs(5))),
            ping_interval: None,
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

    /// Trusts the certificate authorities in this PEM file, besides the system's.
    pub fn root_certificate(mut self, pem_file: impl Into<PathBuf>) -> Self {
        self.root_certificates.push(pem_file.into());
        self
    }

    /// How long connecting (TCP, TLS and the upgrade) may take; 10 s by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest message accepted, in bytes (tungstenite's default, 64 MiB, otherwise).
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = Some(bytes);
        self
    }

    /// How a socket with subscribers connects again after it broke (or the server closed it
    /// with "going away", "server error", "restart" or "try again later"): first after `first`,
    /// then waiting twice as long after each failed attempt, up to `longest`, for as long as it
    /// has a subscriber. The subscribers get one error for the break (frames sent meanwhile are
    /// lost: WebSocket keeps nothing), then the frames of the new connection; a send meanwhile
    /// waits for it, at most the [connect timeout](WsOptions::connect_timeout). By default
    /// 100 ms, up to 5 s.
    pub fn reconnect(mut self, first: Duration, longest: Duration) -> Self {
        self.reconnect = Some((first, longest));
        self
    }

    /// Never connects again by itself: a broken socket ends its subscribers' streams with an
    /// error, and the next publisher or subscriber of its URL opens a new one.
    pub fn no_reconnect(mut self) -> Self {
        self.reconnect = None;
        self
    }

    /// Pings the server every `interval`; a socket from which nothing (pong or frame) arrived
    /// for twice that long is taken as broken (and connected again, see
    /// [`WsOptions::reconnect`]). Off by default.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = Some(interval);
        self
    }

    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, BoxError> {
        let mut roots = rustls::RootCertStore::empty();
        for cert in rustls_native_certs::load_native_certs().certs {
            // A system certificate rustls cannot use is skipped, as browsers do.
            let _ = roots.add(cert);
        }
        for file in &self.root_certificates {
            for cert in certificates(file)? {
                roots.add(cert)?;
            }
        }
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

/// `(name, value)` pairs: query parameters or headers.
type Pairs = Vec<(String, String)>;

/// The query parameters and headers a channel's upgrade request carries (the binding's, then
/// the options').
fn request_parts(options: &WsOptions, channel: &ChannelSpec) -> (Pairs, Pairs) {
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

fn basic_value(user: &str, password: &str) -> String {
    let raw = format!("{user}:{password}");
    format!("Basic {}", crate::types::Base64(raw.into_bytes()).encode())
}

/// `base` (a server URL) with a channel path appended: `/` and the empty path are the base's
/// own path.
fn join(base: &str, path: &str) -> String {
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

fn with_query(url: &str, query: &[(String, String)]) -> String {
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

fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
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
fn client_path(channel: &ChannelSpec) -> Result<String, TransportError> {
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

fn check_path_value(name: &str, value: &str) -> Result<(), String> {
    match value.chars().find(|c| matches!(c, '/' | '?' | '#')) {
        Some(c) => Err(format!(
            "parameter `{name}` is `{value}`, and {c:?} cannot stand in one path segment"
        )),
        None => Ok(()),
    }
}

/// One client socket, shared by the publishers and subscribers of its URL.
struct Socket {
    writer: Writer,
    subscribers: Mutex<Vec<(u64, Delivery)>>,
    info: Arc<ConnectionInfo>,
    /// Closed by [`WsConnection::close`]: never connected again.
    closed: AtomicBool,
}

impl Socket {
    fn targets(&self) -> Vec<(u64, Delivery)> {
        lock(&self.subscribers).clone()
    }

    fn remove(&self, id: u64) {
        lock(&self.subscribers).retain(|(i, _)| *i != id);
    }

    /// Whether anyone still listens (subscribers whose stream was dropped are forgotten).
    fn listened_to(&self) -> bool {
        let mut subscribers = lock(&self.subscribers);
        subscribers.retain(|(_, tx)| !tx.is_closed());
        !subscribers.is_empty()
    }
}

type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
type FrameStream = futures_util::stream::SplitStream<WsStream>;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

struct ClientInner {
    options: WsOptions,
    /// The TLS configuration, made on first need (`wss` only).
    tls: std::sync::OnceLock<Arc<rustls::ClientConfig>>,
    sockets: tokio::sync::Mutex<HashMap<String, Arc<Socket>>>,
    next_id: AtomicU64,
}

/// A WebSocket client. Cloning it gives another handle to the same sockets.
#[derive(Clone)]
pub struct WsConnection {
    inner: Arc<ClientInner>,
}

impl std::fmt::Debug for WsConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsConnection")
            .field("url", &self.inner.options.url)
            .finish_non_exhaustive()
    }
}

impl WsConnection {
    /// A client for a server. Connections are opened when a channel is first used; use
    /// [`WsConnection::connect`] to check the server first.
    pub fn new(options: WsOptions) -> WsConnection {
        WsConnection {
            inner: Arc::new(ClientInner {
                options,
                tls: std::sync::OnceLock::new(),
                sockets: tokio::sync::Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
            }),
        }
    }

    /// A client whose server was checked: the URL is a `ws` or `wss` URL, and the TLS
    /// configuration (for `wss`) loads.
    pub async fn connect(options: WsOptions) -> Result<WsConnection, TransportError> {
        let connection = WsConnection::new(options);
        connection.connector()?;
        Ok(connection)
    }

    /// How sockets of this client connect: TLS for `wss` (its configuration made once), plain
    /// for `ws`.
    fn connector(&self) -> Result<Option<tokio_tungstenite::Connector>, TransportError> {
        let options = &self.inner.options;
        let error = |source: BoxError| TransportError::Connect {
            server: options.url.clone(),
            source,
        };
        let scheme = options
            .url
            .split_once("://")
            .map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("ws") => Ok(None),
            Some("wss") => {
                let config = match self.inner.tls.get() {
                    Some(config) => Arc::clone(config),
                    None => {
                        let config = options.tls_config().map_err(error)?;
                        Arc::clone(self.inner.tls.get_or_init(|| config))
                    }
                };
                Ok(Some(tokio_tungstenite::Connector::Rustls(config)))
            }
            _ => Err(error(
                "a WebSocket URL starts with `ws://` or `wss://`".into(),
            )),
        }
    }

    /// How many sockets are open.
    pub async fn sockets(&self) -> usize {
        self.inner.sockets.lock().await.len()
    }

    /// Closes every socket; their subscribers' streams end.
    pub async fn close(&self) {
        let sockets: Vec<Arc<Socket>> = self
            .inner
            .sockets
            .lock()
            .await
            .drain()
            .map(|(_, s)| s)
            .collect();
        for s in sockets {
            s.closed.store(true, Ordering::SeqCst);
            s.writer.close().await;
            // A socket being connected again stops, and sends waiting for it fail.
            s.writer.give_up();
            lock(&s.subscribers).clear();
        }
    }

    /// Opens a socket: TCP, TLS for `wss`, the upgrade request with these headers.
    async fn dial(&self, url: &str, headers: &Pairs) -> Result<WsStream, TransportError> {
        let options = &self.inner.options;
        let connect_err = |source: BoxError| TransportError::Connect {
            server: url.to_owned(),
            source,
        };
        let mut request = url
            .into_client_request()
            .map_err(|e| connect_err(Box::new(e)))?;
        for (n, v) in headers {
            let name = http::HeaderName::from_bytes(n.as_bytes())
                .map_err(|e| connect_err(format!("header `{n}`: {e}").into()))?;
            let value = http::HeaderValue::from_str(v)
                .map_err(|e| connect_err(format!("header `{n}`: {e}").into()))?;
            request.headers_mut().append(name, value);
        }
        let connector = self.connector()?;
        let mut config = tungstenite::protocol::WebSocketConfig::default();
        if let Some(max) = options.max_message_size {
            config = config.max_message_size(Some(max));
        }
        let span = tracing::debug_span!(target: "asyncapi", "connect", url = %url);
        let connecting = tokio_tungstenite::connect_async_tls_with_config(
            request,
            Some(config),
            true,
            connector,
        )
        .instrument(span);
        let (stream, _) = tokio::time::timeout(options.connect_timeout, connecting)
            .await
            .map_err(|_| {
                connect_err(format!("no answer within {:?}", options.connect_timeout).into())
            })?
            .map_err(|e| connect_err(Box::new(e)))?;
        Ok(stream)
    }

    /// The socket of `path` with the channel's binding applied, opened if needed.
    async fn socket(
        &self,
        channel: &ChannelSpec,
        path: &str,
    ) -> Result<Arc<Socket>, TransportError> {
        check_method(channel)?;
        let options = &self.inner.options;
        let (query, headers) = request_parts(options, channel);
        let url = with_query(&join(&options.url, path), &query);
        let key = format!(
            "{url}\n{}",
            headers
                .iter()
                .map(|(n, v)| format!("{n}:{v}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let mut sockets = self.inner.sockets.lock().await;
        // A socket being connected again is still the socket of its URL.
        if let Some(s) = sockets.get(&key)
            && (s.writer.open.load(Ordering::SeqCst)
                || s.writer.reconnecting.load(Ordering::SeqCst))
        {
            return Ok(Arc::clone(s));
        }
        let stream = self.dial(&url, &headers).await?;
        let mut sent = Headers::new();
        for (n, v) in &headers {
            sent.append(n.as_str(), v.as_str());
        }
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let info = Arc::new(ConnectionInfo {
            id,
            path: path.to_owned(),
            query,
            headers: sent,
            peer: None,
        });
        let (sink, frames) = stream.split();
        let socket = Arc::new(Socket {
            writer: Writer::new(
                Box::pin(sink),
                format!("WebSocket `{url}`"),
                options.connect_timeout,
            ),
            subscribers: Mutex::new(Vec::new()),
            info,
            closed: AtomicBool::new(false),
        });
        sockets.insert(key.clone(), Arc::clone(&socket));
        drop(sockets);
        tokio::spawn(read_socket(
            Arc::downgrade(&self.inner),
            Arc::clone(&socket),
            frames,
            key,
            url,
            headers,
        ));
        Ok(socket)
    }
}

/// The reader of a client socket: frames to its subscribers until it ends; then, if it broke
/// while subscribed to, it connects again (see [`WsOptions::reconnect`]), else it is forgotten.
async fn read_socket(
    client: std::sync::Weak<ClientInner>,
    socket: Arc<Socket>,
    mut frames: FrameStream,
    key: String,
    url: String,
    headers: Pairs,
) {
    let (reconnect, ping) = match client.upgrade() {
        Some(inner) => (inner.options.reconnect, inner.options.ping_interval),
        None => return,
    };
    let path = socket.info.path.clone();
    loop {
        let keep_alive = ping.map(|every| KeepAlive {
            every,
            writer: &socket.writer,
        });
        let ended = pump(
            &mut frames,
            &socket.info,
            None,
            || socket.targets(),
            |id| socket.remove(id),
            keep_alive,
        )
        .await;
        let retry = ended.worth_retrying();
        let error = ended.error().map(|e| e.to_string());
        let again = match reconnect {
            Some(backoff) if retry && !socket.closed.load(Ordering::SeqCst) => {
                socket.writer.reconnecting.store(true, Ordering::SeqCst);
                socket.writer.open.store(false, Ordering::SeqCst);
                if socket.listened_to() {
                    let what = error.as_deref().unwrap_or("the server closed it");
                    tracing::warn!(target: "asyncapi", url = %url, "WebSocket connection lost ({what}); connecting again");
                    report(
                        socket.targets(),
                        &path,
                        Some(format!("connection lost ({what}); connecting again")),
                    )
                    .await;
                    redial(&client, &socket, &url, &headers, backoff).await
                } else {
                    None
                }
            }
            _ => None,
        };
        match again {
            Some(next) => frames = next,
            None => {
                socket.writer.give_up();
                let targets = std::mem::take(&mut *lock(&socket.subscribers));
                report(targets, &path, error).await;
                if let Some(inner) = client.upgrade() {
                    let mut sockets = inner.sockets.lock().await;
                    if sockets.get(&key).is_some_and(|s| Arc::ptr_eq(s, &socket)) {
                        sockets.remove(&key);
                    }
                }
                return;
            }
        }
    }
}

/// Connects a broken socket again, waiting longer after each failed attempt, while it is
/// subscribed to, not closed, and its client lives; the new connection's frames.
async fn redial(
    client: &std::sync::Weak<ClientInner>,
    socket: &Socket,
    url: &str,
    headers: &Pairs,
    (first, longest): (Duration, Duration),
) -> Option<FrameStream> {
    let mut backoff = Backoff::new(first, longest);
    loop {
        backoff.wait().await;
        if socket.closed.load(Ordering::SeqCst) || !socket.listened_to() {
            return None;
        }
        let connection = WsConnection {
            inner: client.upgrade()?,
        };
        match connection.dial(url, headers).await {
            Ok(stream) => {
                let (sink, frames) = stream.split();
                if socket.closed.load(Ordering::SeqCst) {
                    return None;
                }
                socket.writer.replace(Box::pin(sink)).await;
                tracing::info!(target: "asyncapi", url, "WebSocket connection back");
                return Some(frames);
            }
            Err(e) => {
                tracing::debug!(target: "asyncapi", url, error = %e, "WebSocket reconnection failed");
            }
        }
    }
}

impl crate::transport::Connect for WsConnection {
    const PROTOCOLS: &'static [&'static str] = crate::transport::protocols::WS;

    async fn connect_to(server: &ServerSpec) -> Result<Self, TransportError> {
        Self::check_protocol(server)?;
        WsConnection::connect(WsOptions::from_server(server)?).await
    }
}

/// Sends on a WebSocket channel, from a client.
#[derive(Debug)]
pub struct WsPublisher {
    connection: WsConnection,
    channel: ChannelSpec,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
}

impl Producer for WsConnection {
    type Publisher = WsPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<WsPublisher, TransportError> {
        check_method(channel)?;
        Ok(WsPublisher {
            connection: self.clone(),
            channel: channel.clone(),
            state: PublisherState::new(channel),
        })
    }
}

impl Publisher for WsPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        let (path, frame) = outgoing(envelope)?;
        let socket = self.connection.socket(&self.channel, &path).await?;
        socket.writer.send(&path, frame).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

/// Receives the frames of one WebSocket channel, on a client or a server.
pub struct WsSubscriber {
    rx: mpsc::Receiver<Result<WsEnvelope, TransportError>>,
    id: u64,
    detach: Box<dyn Fn(u64) + Send + Sync>,
}

impl std::fmt::Debug for WsSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsSubscriber")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Consumer for WsConnection {
    type Subscriber = WsSubscriber;

    /// Replies come back on the connection the request went out on.
    const REPLIES: Replies = Replies::OnRequestConnection;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<WsSubscriber, TransportError> {
        let path = client_path(channel)?;
        let socket = self.socket(channel, &path).await?;
        let (tx, rx) = mpsc::channel(SUBSCRIBER_CAPACITY);
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&socket.subscribers).push((id, tx));
        let weak = Arc::downgrade(&socket);
        Ok(WsSubscriber {
            rx,
            id,
            detach: Box::new(move |id| {
                if let Some(s) = weak.upgrade() {
                    s.remove(id);
                }
            }),
        })
    }
}

impl Stream for WsSubscriber {
    type Item = Result<WsEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Subscriber for WsSubscriber {
    type Envelope = WsEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        (self.detach)(self.id);
        self.rx.close();
        Ok(())
    }
}

impl Drop for WsSubscriber {
    fn drop(&mut self) {
        (self.detach)(self.id);
    }
}

/// How a server listens.
#[derive(Clone)]
pub struct WsServerOptions {
    address: String,
    pathname: String,
    required: Vec<Credential>,
    tls: Option<(PathBuf, PathBuf)>,
    max_message_size: Option<usize>,
    handshake_timeout: Duration,
    ping_interval: Option<Duration>,
}

impl std::fmt::Debug for WsServerOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsServerOptions")
            .field("address", &self.address)
            .field("pathname", &self.pathname)
            .field("required", &self.required)
            .field("tls", &self.tls.is_some())
            .finish_non_exhaustive()
    }
}

impl WsServerOptions {
    /// Listens on `address` (`host:port`; port `0` picks a free one), serving paths from the
    /// root.
    pub fn new(address: impl Into<String>) -> WsServerOptions {
        WsServerOptions {
            address: address.into(),
            pathname: String::new(),
            required: Vec::new(),
            tls: None,
            max_message_size: None,
            handshake_timeout: Duration::from_secs(10),
            ping_interval: None,
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

    /// Serves `wss`: the certificate chain and private key, PEM files.
    pub fn tls(
        mut self,
        certificate_pem_file: impl Into<PathBuf>,
        key_pem_file: impl Into<PathBuf>,
    ) -> Self {
        self.tls = Some((certificate_pem_file.into(), key_pem_file.into()));
        self
    }

    /// The largest message accepted, in bytes.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = Some(bytes);
        self
    }

    /// Pings every client every `interval`; a connection from which nothing (pong or frame)
    /// arrived for twice that long is closed. Off by default.
    pub fn ping_interval(mut self, interval: Duration) -> Self {
        self.ping_interval = Some(interval);
        self
    }

    fn acceptor(&self) -> Result<Option<tokio_rustls::TlsAcceptor>, BoxError> {
        use rustls_pki_types::pem::PemObject;
        let Some((cert, key)) = &self.tls else {
            return Ok(None);
        };
        let chain = certificates(cert)?;
        let key = rustls_pki_types::PrivateKeyDer::from_pem_file(key)
            .map_err(|e| format!("cannot read the key `{}`: {e}", key.display()))?;
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(chain, key)?;
        Ok(Some(tokio_rustls::TlsAcceptor::from(Arc::new(config))))
    }
}

/// Whether an upgrade request brings every required credential.
fn authorised(request: &Request, query: &[(String, String)], required: &[Credential]) -> bool {
    let header = |name: &str| {
        request
            .headers()
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let has_header = |name: &str, expected: &str| {
        header(name)
            .iter()
            .any(|v| same(v.as_bytes(), expected.as_bytes()))
    };
    let has_authorization = |expected: &str| has_header("authorization", expected);
    required.iter().all(|c| match c {
        Credential::UserPassword(u) => has_authorization(&basic_value(&u.user, &u.password)),
        Credential::ApiKey { key, location } => match location {
            KeyLocation::Header(name) => has_header(name, &key.key),
            KeyLocation::Query(name) => query
                .iter()
                .any(|(n, v)| n == name && same(v.as_bytes(), key.key.as_bytes())),
            KeyLocation::Cookie(name) => header("cookie").iter().any(|h| {
                h.split(';').any(|pair| {
                    pair.trim()
                        .split_once('=')
                        .is_some_and(|(n, v)| n == name && same(v.as_bytes(), key.key.as_bytes()))
                })
            }),
            KeyLocation::User => has_authorization(&basic_value(&key.key, "")),
            KeyLocation::Password => has_authorization(&basic_value("", &key.key)),
        },
        Credential::Authorization {
            scheme,
            credentials,
        } => has_authorization(&format!("{scheme} {credentials}")),
        // Credentials an upgrade request cannot carry are never brought.
        _ => false,
    })
}

/// Compares secrets in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

struct ServerSubscription {
    id: u64,
    template: AddressTemplate,
    fixed: Vec<(String, String)>,
    tx: Delivery,
}

struct ServerConnection {
    info: Arc<ConnectionInfo>,
    writer: Writer,
}

struct ServerInner {
    local: SocketAddr,
    tls: bool,
    pathname: String,
    required: Vec<Credential>,
    /// The templates of the channels served, each starting with `/`.
    routes: Mutex<Vec<AddressTemplate>>,
    subscriptions: Mutex<Vec<ServerSubscription>>,
    connections: Mutex<HashMap<u64, Arc<ServerConnection>>>,
    next_id: AtomicU64,
    max_message_size: Option<usize>,
    handshake_timeout: Duration,
    ping_interval: Option<Duration>,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    stop: tokio::sync::watch::Sender<bool>,
}

impl ServerInner {
    fn serves(&self, path: &str) -> bool {
        lock(&self.routes).iter().any(|t| fits(t, path, &[]))
    }

    fn targets(&self, path: &str) -> Vec<(u64, Delivery)> {
        lock(&self.subscriptions)
            .iter()
            .filter(|s| {
                let fixed: Vec<(&str, &str)> = s
                    .fixed
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                fits(&s.template, path, &fixed)
            })
            .map(|s| (s.id, s.tx.clone()))
            .collect()
    }

    /// Serves a channel from now on; its template, starting with `/`.
    fn route(&self, address: &str) -> Result<AddressTemplate, TransportError> {
        let template = AddressTemplate::parse(&rooted(address))
            .map_err(|e| open_error(address, Box::new(e) as BoxError))?;
        let mut routes = lock(&self.routes);
        if !routes.contains(&template) {
            routes.push(template.clone());
        }
        Ok(template)
    }
}

/// A path (or template) starting with exactly one `/`: how the server keeps both.
fn rooted(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

/// Whether a path fits a channel template (both [`rooted`]), each parameter one whole path
/// segment.
fn fits(template: &AddressTemplate, path: &str, fixed: &[(&str, &str)]) -> bool {
    template.extract(path).is_some_and(|values| {
        values.iter().all(|(_, v)| !v.contains('/'))
            && fixed
                .iter()
                .all(|(n, v)| values.iter().any(|(vn, vv)| vn == n && vv == v))
    })
}

/// A WebSocket server: a listener serving every channel opened on it. Cloning it gives another
/// handle to the same server; it stops when [`WsServer::close`] is called or the last handle
/// goes.
#[derive(Clone)]
pub struct WsServer {
    inner: Arc<ServerInner>,
}

impl std::fmt::Debug for WsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsServer")
            .field("local", &self.inner.local)
            .finish_non_exhaustive()
    }
}

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

impl WsServer {
    /// Binds the listener and starts accepting connections.
    pub async fn bind(options: WsServerOptions) -> Result<WsServer, TransportError> {
        let bind_err = |source: BoxError| TransportError::Connect {
            server: options.address.clone(),
            source,
        };
        let acceptor = options.acceptor().map_err(bind_err)?;
        let listener = TcpListener::bind(&options.address)
            .await
            .map_err(|e| bind_err(Box::new(e)))?;
        let local = listener.local_addr().map_err(|e| bind_err(Box::new(e)))?;
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let inner = Arc::new(ServerInner {
            local,
            tls: acceptor.is_some(),
            pathname: options.pathname.clone(),
            required: options.required.clone(),
            routes: Mutex::new(Vec::new()),
            subscriptions: Mutex::new(Vec::new()),
            connections: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            max_message_size: options.max_message_size,
            handshake_timeout: options.handshake_timeout,
            ping_interval: options.ping_interval,
            acceptor,
            stop,
        });
        let weak = Arc::downgrade(&inner);
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    a = listener.accept() => a,
                    _ = stopped.changed() => return,
                };
                let Ok((stream, peer)) = accepted else {
                    continue;
                };
                let Some(inner) = weak.upgrade() else { return };
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(inner, stream, peer));
            }
        });
        Ok(WsServer { inner })
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.inner.local
    }

    /// The URL clients connect to: `ws://` (or `wss://`) `host:port` and the pathname.
    pub fn url(&self) -> String {
        let scheme = if self.inner.tls { "wss" } else { "ws" };
        format!("{scheme}://{}{}", self.inner.local, self.inner.pathname)
    }

    /// The connections open now.
    pub fn connections(&self) -> Vec<ConnectionInfo> {
        let mut out: Vec<ConnectionInfo> = lock(&self.inner.connections)
            .values()
            .map(|c| ConnectionInfo::clone(&c.info))
            .collect();
        out.sort_by_key(|c| c.id);
        out
    }

    /// Stops accepting, closes every connection, and ends every subscriber's stream.
    pub async fn close(&self) {
        let _ = self.inner.stop.send(true);
        let connections: Vec<Arc<ServerConnection>> = lock(&self.inner.connections)
            .drain()
            .map(|(_, c)| c)
            .collect();
        for c in connections {
            c.writer.close().await;
        }
        lock(&self.inner.subscriptions).clear();
    }
}

impl Drop for ServerInner {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

impl crate::transport::Bind for WsServer {
    const PROTOCOLS: &'static [&'static str] = crate::transport::protocols::WS;

    async fn bind_to(server: &ServerSpec) -> Result<Self, TransportError> {
        Self::check_protocol(server)?;
        WsServer::bind(WsServerOptions::from_server(server)?).await
    }
}

fn refuse(status: http::StatusCode, reason: &str) -> ErrorResponse {
    let mut response = http::Response::new(Some(reason.to_owned()));
    *response.status_mut() = status;
    if status == http::StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            http::header::WWW_AUTHENTICATE,
            http::HeaderValue::from_static("Basic realm=\"asyncapi\""),
        );
    }
    response
}

/// One accepted TCP connection: TLS, the upgrade (path and credentials checked), then frames.
async fn serve(inner: Arc<ServerInner>, stream: TcpStream, peer: SocketAddr) {
    let io: Box<dyn Io> = match &inner.acceptor {
        Some(acceptor) => {
            match tokio::time::timeout(inner.handshake_timeout, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => Box::new(tls),
                _ => return,
            }
        }
        None => Box::new(stream),
    };
    let captured: Arc<Mutex<Option<(String, Pairs, Headers)>>> = Arc::new(Mutex::new(None));
    let capture = Arc::clone(&captured);
    let check = Arc::clone(&inner);
    // tungstenite's callback returns its own (large) error response.
    #[allow(clippy::result_large_err)]
    let callback = move |request: &Request, response: Response| {
        let full = request.uri().path();
        let Some(path) = full.strip_prefix(check.pathname.as_str()) else {
            return Err(refuse(
                http::StatusCode::NOT_FOUND,
                "no channel at this path",
            ));
        };
        let path = if path.is_empty() { "/" } else { path };
        if !path.starts_with('/') || !check.serves(path) {
            return Err(refuse(
                http::StatusCode::NOT_FOUND,
                "no channel at this path",
            ));
        }
        let query = parse_query(request.uri().query());
        if !authorised(request, &query, &check.required) {
            return Err(refuse(
                http::StatusCode::UNAUTHORIZED,
                "credentials required",
            ));
        }
        let mut headers = Headers::new();
        for (name, value) in request.headers() {
            headers.append(name.as_str(), value.as_bytes().to_vec());
        }
        *lock(&capture) = Some((path.to_owned(), query, headers));
        Ok(response)
    };
    let mut config = tungstenite::protocol::WebSocketConfig::default();
    if let Some(max) = inner.max_message_size {
        config = config.max_message_size(Some(max));
    }
    let upgrade = tokio_tungstenite::accept_hdr_async_with_config(io, callback, Some(config));
    let ws = match tokio::time::timeout(inner.handshake_timeout, upgrade).await {
        Ok(Ok(ws)) => ws,
        // Refused (404, 401) or not a WebSocket upgrade.
        Ok(Err(error)) => {
            tracing::debug!(target: "asyncapi", %peer, %error, "WebSocket upgrade refused");
            return;
        }
        Err(_) => {
            tracing::debug!(target: "asyncapi", %peer, "WebSocket upgrade timed out");
            return;
        }
    };
    let Some((path, query, headers)) = lock(&captured).take() else {
        return;
    };
    tracing::debug!(target: "asyncapi", %peer, path, "WebSocket client connected");
    let id = inner.next_id.fetch_add(1, Ordering::Relaxed);
    let info = Arc::new(ConnectionInfo {
        id,
        path: path.clone(),
        query,
        headers,
        peer: Some(peer),
    });
    let (sink, frames) = ws.split();
    let connection = Arc::new(ServerConnection {
        info: Arc::clone(&info),
        // A server does not reconnect: nothing to wait for.
        writer: Writer::new(
            Box::pin(sink),
            format!("WebSocket connection {id} at `{path}`"),
            Duration::ZERO,
        ),
    });
    lock(&inner.connections).insert(id, Arc::clone(&connection));
    let reply_to = format!("{path}#{id}");
    let targets_of = Arc::clone(&inner);
    let gone_from = Arc::clone(&inner);
    let keep_alive = inner.ping_interval.map(|every| KeepAlive {
        every,
        writer: &connection.writer,
    });
    let mut frames = frames;
    // A client that goes away, cleanly or not, ends that connection only.
    let ended = pump(
        &mut frames,
        &info,
        Some(&reply_to),
        || targets_of.targets(&path),
        |sub| lock(&gone_from.subscriptions).retain(|s| s.id != sub),
        keep_alive,
    )
    .await;
    connection.writer.open.store(false, Ordering::SeqCst);
    lock(&inner.connections).remove(&id);
    match ended {
        Ended::Failed(error) => {
            tracing::debug!(target: "asyncapi", %peer, path, %error, "WebSocket client lost")
        }
        Ended::Closed(_) => {
            tracing::debug!(target: "asyncapi", %peer, path, "WebSocket client left")
        }
    }
}

/// Sends from a server: to one connection (a received envelope's `reply_to`; an error if that
/// client has gone) or to every connection at a path (a client that has gone meanwhile is
/// skipped).
#[derive(Debug)]
pub struct WsServerPublisher {
    server: WsServer,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
}

impl Producer for WsServer {
    type Publisher = WsServerPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<WsServerPublisher, TransportError> {
        check_method(channel)?;
        self.inner.route(&channel.address)?;
        Ok(WsServerPublisher {
            server: self.clone(),
            state: PublisherState::new(channel),
        })
    }
}

impl Publisher for WsServerPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        let (address, frame) = outgoing(envelope)?;
        match address.rsplit_once('#') {
            // A reply: to the one connection the request came on.
            Some((_, id)) => {
                let id: u64 = id.parse().map_err(|_| TransportError::Send {
                    address: address.clone(),
                    source: "not a connection of this server".into(),
                })?;
                let connection = lock(&self.server.inner.connections).get(&id).cloned();
                let connection = connection.ok_or_else(|| TransportError::Send {
                    address: address.clone(),
                    source: "the client has disconnected".into(),
                })?;
                connection.writer.send(&address, frame).await
            }
            // To every client at the path. One that went away meanwhile is not the sender's
            // failure: the others still get the frame, and that connection's reader forgets it.
            None => {
                let path = rooted(&address);
                let targets: Vec<Arc<ServerConnection>> = lock(&self.server.inner.connections)
                    .values()
                    .filter(|c| c.info.path == path)
                    .cloned()
                    .collect();
                for c in &targets {
                    if c.writer.send(&address, frame.clone()).await.is_err() {
                        c.writer.open.store(false, Ordering::SeqCst);
                    }
                }
                Ok(())
            }
        }
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

impl Consumer for WsServer {
    type Subscriber = WsSubscriber;

    /// A server's reply goes back on the connection the request came on.
    const REPLIES: Replies = Replies::OnRequestConnection;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<WsSubscriber, TransportError> {
        check_method(channel)?;
        let template = self.inner.route(&channel.address)?;
        let (tx, rx) = mpsc::channel(SUBSCRIBER_CAPACITY);
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        lock(&self.inner.subscriptions).push(ServerSubscription {
            id,
            template,
            fixed: channel
                .params
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
            tx,
        });
        let weak = Arc::downgrade(&self.inner);
        Ok(WsSubscriber {
            rx,
            id,
            detach: Box::new(move |id| {
                if let Some(inner) = weak.upgrade() {
                    lock(&inner.subscriptions).retain(|s| s.id != id);
                }
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_by_content_type() {
        assert!(matches!(
            frame_for(Bytes::from_static(b"{}"), Some("application/json")),
            Frame::Text(_)
        ));
        assert!(matches!(
            frame_for(
                Bytes::from_static(b"<a/>"),
                Some("application/vnd.x+xml; charset=utf-8")
            ),
            Frame::Text(_)
        ));
        assert!(matches!(
            frame_for(
                Bytes::from_static(b"\x00\x01"),
                Some("application/octet-stream")
            ),
            Frame::Binary(_)
        ));
        // Text that is not UTF-8 keeps its bytes in a binary frame.
        assert!(matches!(
            frame_for(Bytes::from_static(b"\xff"), Some("text/plain")),
            Frame::Binary(_)
        ));
    }

    #[test]
    fn urls_paths_and_queries() {
        assert_eq!(join("ws://h:1", "/"), "ws://h:1/");
        assert_eq!(join("wss://h/raw", "/"), "wss://h/raw");
        assert_eq!(join("ws://h:1/base/", "/v1/x"), "ws://h:1/base/v1/x");
        let q = vec![
            ("a b".to_owned(), "1&2".to_owned()),
            ("c".to_owned(), "é".to_owned()),
        ];
        let url = with_query("ws://h/p", &q);
        assert_eq!(url, "ws://h/p?a%20b=1%262&c=%C3%A9");
        assert_eq!(parse_query(url.split_once('?').map(|(_, q)| q)), q);
    }

    #[test]
    fn paths_fit_templates_segment_by_segment() {
        let t = AddressTemplate::parse("/v1/marketdata/{symbol}").unwrap();
        assert!(fits(&t, "/v1/marketdata/btcusd", &[]));
        assert!(fits(&t, "/v1/marketdata/btcusd", &[("symbol", "btcusd")]));
        assert!(!fits(&t, "/v1/marketdata/btcusd", &[("symbol", "ethusd")]));
        assert!(!fits(&t, "/v1/marketdata/btc/usd", &[]));
        let root = AddressTemplate::parse("/").unwrap();
        assert!(fits(&root, "/", &[]));
        assert!(!fits(&root, "/x", &[]));
    }

    #[test]
    fn subscriptions_fix_every_parameter() {
        let open = ChannelSpec::new("m", "/v1/{symbol}");
        let err = client_path(&open).unwrap_err().to_string();
        assert!(err.contains("`symbol` is not fixed"), "{err}");
        let fixed = open.clone().with_param("symbol", "btcusd");
        assert_eq!(client_path(&fixed).unwrap(), "/v1/btcusd");
        let bad = open.with_param("symbol", "a/b");
        assert!(client_path(&bad).is_err());
    }

    #[test]
    fn headers_are_refused_not_dropped() {
        let mut e = Envelope::new("/").with_payload("x");
        e.headers.insert("trace", "1");
        let err = outgoing(e).unwrap_err().to_string();
        assert!(
            err.contains("carry no headers") && err.contains("`trace`"),
            "{err}"
        );
    }
}
