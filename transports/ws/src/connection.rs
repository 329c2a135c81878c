//! The client ([`WsConnection`]): one socket per URL, shared by its publishers and subscribers,
//! connected again after a break; the registry's `Connect` impl.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http;
use tracing::Instrument;

use asyncapi_runtime::delivery::Fanout;
use asyncapi_runtime::envelope::Headers;
use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::transport::{Backoff, BoxError, ChannelSpec, TransportError};
use asyncapi_runtime::url::redacted_url;

use crate::PROTOCOLS;
use crate::envelope::{WsConnectionInfo, WsEnvelope};
use crate::options::{Pairs, WsOptions, join, request_parts, with_query};
use crate::socket::{KeepAlive, Pinger, Writer, check_method, frame_limits, pump, report};

/// One client socket, shared by the publishers and subscribers of its URL.
pub(crate) struct Socket {
    pub(crate) writer: Writer,
    pub(crate) subscribers: Fanout<(), WsEnvelope>,
    pub(crate) info: Arc<WsConnectionInfo>,
    /// Closed by [`WsConnection::close`]: never connected again.
    pub(crate) closed: AtomicBool,
}

impl Socket {
    /// Whether anyone still listens (subscribers whose stream was dropped are forgotten).
    pub(crate) fn listened_to(&self) -> bool {
        !self.subscribers.is_empty()
    }
}

pub(crate) type WsStream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
pub(crate) type FrameStream = futures_util::stream::SplitStream<WsStream>;

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) struct ClientInner {
    pub(crate) options: WsOptions,
    /// The TLS configuration, made on first need (`wss` only).
    pub(crate) tls: std::sync::OnceLock<Arc<rustls::ClientConfig>>,
    pub(crate) sockets: tokio::sync::Mutex<HashMap<String, Arc<Socket>>>,
    pub(crate) next_id: AtomicU64,
    /// [`WsConnection::close`] was called: no socket opens any more.
    pub(crate) closed: AtomicBool,
}

/// A WebSocket client. Cloning it gives another handle to the same sockets.
#[derive(Clone)]
pub struct WsConnection {
    pub(crate) inner: Arc<ClientInner>,
}

impl std::fmt::Debug for WsConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsConnection")
            .field("url", &redacted_url(&self.inner.options.url))
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
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// A client whose server was checked: the URL is a `ws` or `wss` URL, the TLS
    /// configuration (for `wss`) loads, and the server's host and port accept a TCP connection
    /// within the connect timeout (sockets themselves open per channel path, when a publisher or
    /// subscriber needs one). [`WsConnection::new`] checks nothing.
    pub async fn connect(options: WsOptions) -> Result<WsConnection, TransportError> {
        let connection = WsConnection::new(options);
        connection.connector()?;
        connection.probe().await?;
        Ok(connection)
    }

    pub(crate) fn check_open(&self) -> Result<(), TransportError> {
        if self.inner.closed.load(Ordering::SeqCst) {
            return Err(TransportError::Closed(format!(
                "the WebSocket client of {} is closed",
                redacted_url(&self.inner.options.url)
            )));
        }
        Ok(())
    }

    /// Whether the server's host and port accept a TCP connection within the connect timeout.
    async fn probe(&self) -> Result<(), TransportError> {
        let options = &self.inner.options;
        let error = |source: BoxError| TransportError::Connect {
            server: redacted_url(&options.url),
            source,
        };
        let url = asyncapi_runtime::url::ServerUrl::parse(&options.url)
            .map_err(|e| error(Box::new(e)))?;
        let port = url.port_or(if url.scheme() == Some("wss") { 443 } else { 80 });
        let span =
            tracing::debug_span!(target: "asyncapi", "connect", url = %redacted_url(&options.url));
        let reaching = tokio::net::TcpStream::connect((url.host(), port)).instrument(span);
        match tokio::time::timeout(options.connect_timeout, reaching).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(error(Box::new(e))),
            Err(_) => Err(error(
                format!("no answer within {:?}", options.connect_timeout).into(),
            )),
        }
    }

    /// How sockets of this client connect: TLS for `wss` (its configuration made once), plain
    /// for `ws`.
    pub(crate) fn connector(&self) -> Result<Option<tokio_tungstenite::Connector>, TransportError> {
        let options = &self.inner.options;
        let error = |source: BoxError| TransportError::Connect {
            server: redacted_url(&options.url),
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
                        let config = options
                            .tls
                            .client_config()
                            .map(Arc::new)
                            .map_err(|e| error(Box::new(e)))?;
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

    /// Closes every socket; their subscribers' streams end, and later sends, publishers and
    /// subscriptions fail with [`TransportError::Closed`].
    pub async fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
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
            s.subscribers.close();
        }
    }

    /// Opens a socket: TCP, TLS for `wss`, the upgrade request with these headers.
    pub(crate) async fn dial(
        &self,
        url: &str,
        headers: &Pairs,
    ) -> Result<WsStream, TransportError> {
        let options = &self.inner.options;
        // The URL may carry an API key in its query: only its redacted form is printed.
        let shown = redacted_url(url);
        let connect_err = |source: BoxError| TransportError::Connect {
            server: shown.clone(),
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
        let config = frame_limits(options.max_message_size);
        let span = tracing::debug_span!(target: "asyncapi", "connect", url = %shown);
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
    pub(crate) async fn socket(
        &self,
        channel: &ChannelSpec,
        path: &str,
    ) -> Result<Arc<Socket>, TransportError> {
        check_method(channel)?;
        self.check_open()?;
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
        let info = Arc::new(WsConnectionInfo {
            id,
            path: path.to_owned(),
            query,
            headers: sent,
            peer: None,
            secret_names: asyncapi_runtime::security::secret_names(&options.credentials).into(),
        });
        let (sink, frames) = stream.split();
        let socket = Arc::new(Socket {
            writer: Writer::new(
                Box::pin(sink),
                format!("WebSocket `{}`", redacted_url(&url)),
                options.connect_timeout,
            ),
            subscribers: Fanout::new(),
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
pub(crate) async fn read_socket(
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
    loop {
        let keep_alive = ping.map(|every| KeepAlive {
            every,
            idle: 2 * every,
            ping: Pinger::Writer(&socket.writer),
        });
        let ended = pump(
            &mut frames,
            &socket.info,
            None,
            &socket.subscribers,
            |_| true,
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
                    tracing::warn!(target: "asyncapi", url = %redacted_url(&url), "WebSocket connection lost ({what}); connecting again");
                    report(
                        &socket.subscribers,
                        &format!("connection lost ({what}); connecting again"),
                    );
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
                if let Some(error) = error {
                    report(&socket.subscribers, &error);
                }
                socket.subscribers.close();
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
pub(crate) async fn redial(
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
                tracing::info!(target: "asyncapi", url = %redacted_url(url), "WebSocket connection back");
                return Some(frames);
            }
            Err(e) => {
                tracing::debug!(target: "asyncapi", url = %redacted_url(url), error = %e, "WebSocket reconnection failed");
            }
        }
    }
}

impl asyncapi_runtime::transport::Connect for WsConnection {
    type Options = WsOptions;
    const PROTOCOLS: &'static [Protocol] = PROTOCOLS;

    async fn connect_with(options: WsOptions) -> Result<Self, TransportError> {
        WsConnection::connect(options).await
    }
}
