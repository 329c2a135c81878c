//! The server ([`WsServer`]): one listener serving every channel path opened on it.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http;

use asyncapi_runtime::address::AddressTemplate;
use asyncapi_runtime::delivery::{Fanout, Limits, Overflow};
use asyncapi_runtime::envelope::{Envelope, Headers};
use asyncapi_runtime::registry::Protocol;
use asyncapi_runtime::security::{Credential, KeyLocation};
use asyncapi_runtime::transport::check_send_size;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Consumer, Producer, Publisher, PublisherState, Replies, ServerSpec,
    TransportError,
};

use crate::PROTOCOLS;
use crate::connection::lock;
use crate::envelope::{WsConnectionInfo, WsEnvelope, outgoing};
use crate::options::{Pairs, WsServerOptions, basic_value, parse_query};
use crate::outbox::{Outbox, Refused};
use crate::socket::{Ended, KeepAlive, Pinger, check_method, frame_limits, open_error, pump};
use crate::subscriber::WsSubscriber;

/// Whether an upgrade request brings every required credential.
pub(crate) fn authorised(
    request: &Request,
    query: &[(String, String)],
    required: &[Credential],
) -> bool {
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
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What a server subscription listens to.
pub(crate) struct ServerRoute {
    pub(crate) template: AddressTemplate,
    pub(crate) fixed: Vec<(String, String)>,
}

impl ServerRoute {
    fn takes(&self, path: &str) -> bool {
        let fixed: Vec<(&str, &str)> = self
            .fixed
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        fits(&self.template, path, &fixed)
    }
}

pub(crate) struct ServerConnection {
    pub(crate) info: Arc<WsConnectionInfo>,
    pub(crate) outbox: Outbox,
}

pub(crate) struct ServerInner {
    pub(crate) local: SocketAddr,
    pub(crate) tls: bool,
    pub(crate) pathname: String,
    pub(crate) required: Vec<Credential>,
    /// The names of [`required`](Self::required)'s keys, redacted in `Debug`.
    pub(crate) secret_names: Arc<[String]>,
    /// The templates of the channels served, each starting with `/`.
    pub(crate) routes: Mutex<Vec<AddressTemplate>>,
    pub(crate) subscriptions: Fanout<ServerRoute, WsEnvelope>,
    /// What each subscription's queue holds at most.
    pub(crate) subscription_limits: Limits,
    pub(crate) connections: Mutex<HashMap<u64, Arc<ServerConnection>>>,
    pub(crate) next_id: AtomicU64,
    pub(crate) max_message_size: usize,
    pub(crate) handshake_timeout: Duration,
    pub(crate) ping_interval: Duration,
    pub(crate) idle_timeout: Duration,
    pub(crate) outbound_limits: Limits,
    pub(crate) write_timeout: Duration,
    /// One permit per connection served (upgrades under way included).
    pub(crate) slots: Arc<tokio::sync::Semaphore>,
    pub(crate) acceptor: Option<tokio_rustls::TlsAcceptor>,
    pub(crate) stop: tokio::sync::watch::Sender<bool>,
}

impl ServerInner {
    pub(crate) fn serves(&self, path: &str) -> bool {
        lock(&self.routes).iter().any(|t| fits(t, path, &[]))
    }

    /// Serves a channel from now on; its template, starting with `/`.
    pub(crate) fn route(&self, address: &str) -> Result<AddressTemplate, TransportError> {
        let template = AddressTemplate::parse(&rooted(address))
            .map_err(|e| open_error(address, Box::new(e) as BoxError))?;
        let mut routes = lock(&self.routes);
        if !routes.contains(&template) {
            routes.push(template.clone());
        }
        Ok(template)
    }

    /// Stops accepting, ends every connection (each writer sends a close frame when its client
    /// takes it), and ends every subscriber's stream.
    fn shut_down(&self) {
        let _ = self.stop.send(true);
        let connections: Vec<Arc<ServerConnection>> =
            lock(&self.connections).drain().map(|(_, c)| c).collect();
        for c in connections {
            c.outbox.end("the server closed");
        }
        self.subscriptions.close();
    }
}

/// Shared by a server's handles ([`WsServer`] and its clones, and the publishers holding one):
/// when the last goes, the server shuts down. Connection tasks hold the server itself, not this.
struct Handles(Arc<ServerInner>);

impl Drop for Handles {
    fn drop(&mut self) {
        self.0.shut_down();
    }
}

/// A path (or template) starting with exactly one `/`: how the server keeps both.
pub(crate) fn rooted(path: &str) -> String {
    format!("/{}", path.trim_start_matches('/'))
}

/// Whether `rooted_path` (a connection's, [`rooted`]) is `address` once rooted, without
/// building the rooted address (a broadcast compares it with every connection).
fn same_path(rooted_path: &str, address: &str) -> bool {
    rooted_path.strip_prefix('/') == Some(address.trim_start_matches('/'))
}

/// Whether a path fits a channel template (both [`rooted`]), each parameter one whole path
/// segment.
pub(crate) fn fits(template: &AddressTemplate, path: &str, fixed: &[(&str, &str)]) -> bool {
    template.captures(path).is_some_and(|values| {
        values.iter().all(|(_, v)| !v.contains('/'))
            && fixed
                .iter()
                .all(|(n, v)| values.iter().any(|(vn, vv)| vn == n && vv == v))
    })
}

/// A WebSocket server: a listener serving every channel opened on it. Cloning it gives another
/// handle to the same server (each publisher holds one too); it stops accepting, and closes
/// every connection, when [`WsServer::close`] is called or the last handle goes.
///
/// **Bounds.** At most [`max_connections`](WsServerOptions::max_connections) clients at once,
/// each message at most [`max_message_size`](WsServerOptions::max_message_size), each
/// subscriber's queue within its [limits](WsServerOptions::subscription_limits) (while it is
/// full, the connection whose frame waits is not read, so TCP holds that client back), and each
/// connection's outbound queue within [its own](WsServerOptions::outbound_limits): a client that
/// falls behind is disconnected rather than buffered for. So one client holds at most about one
/// message being read, its share of the subscribers' queues and its outbound queue.
#[derive(Clone)]
pub struct WsServer {
    pub(crate) inner: Arc<ServerInner>,
    _handles: Arc<Handles>,
}

impl std::fmt::Debug for WsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsServer")
            .field("local", &self.inner.local)
            .finish_non_exhaustive()
    }
}

pub(crate) trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
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
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let inner = Arc::new(ServerInner {
            local,
            tls: acceptor.is_some(),
            pathname: options.pathname.clone(),
            required: options.required.clone(),
            secret_names: asyncapi_runtime::security::secret_names(&options.required).into(),
            routes: Mutex::new(Vec::new()),
            subscriptions: Fanout::new(),
            subscription_limits: options.subscription_limits,
            connections: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            max_message_size: options.max_message_size,
            handshake_timeout: options.handshake_timeout,
            ping_interval: options.ping_interval,
            idle_timeout: options.idle(),
            outbound_limits: options.outbound_limits,
            write_timeout: options.write_timeout,
            slots: Arc::new(tokio::sync::Semaphore::new(options.max_connections)),
            acceptor,
            stop,
        });
        tokio::spawn(accept(listener, Arc::downgrade(&inner), stopped));
        Ok(WsServer {
            _handles: Arc::new(Handles(Arc::clone(&inner))),
            inner,
        })
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
    pub fn connections(&self) -> Vec<WsConnectionInfo> {
        let mut out: Vec<WsConnectionInfo> = lock(&self.inner.connections)
            .values()
            .map(|c| WsConnectionInfo::clone(&c.info))
            .collect();
        out.sort_by_key(|c| c.id);
        out
    }

    /// Stops accepting, closes every connection (a close frame to each client that takes one
    /// within the write timeout), and ends every subscriber's stream.
    pub async fn close(&self) {
        self.inner.shut_down();
    }
}

impl Drop for ServerInner {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// The accept loop: each connection on a task of its own while a slot is free (else closed at
/// once); after an error (out of file descriptors, say) a pause that grows up to a second.
async fn accept(
    listener: TcpListener,
    server: std::sync::Weak<ServerInner>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    let mut pause = Duration::from_millis(10);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped.changed() => return,
        };
        let Some(inner) = server.upgrade() else {
            return;
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                tracing::warn!(target: "asyncapi", local = %inner.local, %error, ?pause, "WebSocket server cannot accept; pausing");
                drop(inner);
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = stopped.changed() => return,
                }
                pause = (pause * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        pause = Duration::from_millis(10);
        let Ok(slot) = Arc::clone(&inner.slots).try_acquire_owned() else {
            tracing::warn!(target: "asyncapi", %peer, local = %inner.local, "WebSocket server at its connection limit; connection closed");
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let mut stopped = inner.stop.subscribe();
            tokio::select! {
                _ = serve(Arc::clone(&inner), stream, peer) => {}
                _ = stopped.wait_for(|stop| *stop) => {}
            }
            drop(slot);
        });
    }
}

impl asyncapi_runtime::transport::Bind for WsServer {
    const PROTOCOLS: &'static [Protocol] = PROTOCOLS;

    async fn bind_to(server: &ServerSpec) -> Result<Self, TransportError> {
        Self::check_protocol(server)?;
        WsServer::bind(WsServerOptions::from_server(server)?).await
    }
}

pub(crate) fn refuse(status: http::StatusCode, reason: &str) -> ErrorResponse {
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

/// What the server reads of an upgrade request: the channel path below `pathname` (one that
/// `serves` takes), the query pairs and the headers, once the credentials `required` are
/// there; else the refusal (404, 401).
// tungstenite's callback returns its own (large) error response.
#[allow(clippy::result_large_err)]
pub(crate) fn admit(
    request: &Request,
    pathname: &str,
    serves: impl Fn(&str) -> bool,
    required: &[Credential],
) -> Result<(String, Pairs, Headers), ErrorResponse> {
    let full = request.uri().path();
    let Some(path) = full.strip_prefix(pathname) else {
        return Err(refuse(
            http::StatusCode::NOT_FOUND,
            "no channel at this path",
        ));
    };
    let path = if path.is_empty() { "/" } else { path };
    if !path.starts_with('/') || !serves(path) {
        return Err(refuse(
            http::StatusCode::NOT_FOUND,
            "no channel at this path",
        ));
    }
    let query = parse_query(request.uri().query());
    if !authorised(request, &query, required) {
        return Err(refuse(
            http::StatusCode::UNAUTHORIZED,
            "credentials required",
        ));
    }
    let mut headers = Headers::new();
    for (name, value) in request.headers() {
        headers.append(name.as_str(), value.as_bytes().to_vec());
    }
    Ok((path.to_owned(), query, headers))
}

/// One accepted TCP connection: TLS, the upgrade (path and credentials checked), then frames.
pub(crate) async fn serve(inner: Arc<ServerInner>, stream: TcpStream, peer: SocketAddr) {
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
        let admitted = admit(
            request,
            &check.pathname,
            |path| check.serves(path),
            &check.required,
        )?;
        *lock(&capture) = Some(admitted);
        Ok(response)
    };
    let config = frame_limits(inner.max_message_size);
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
    let info = Arc::new(WsConnectionInfo {
        id,
        path: path.clone(),
        query,
        headers,
        peer: Some(peer),
        secret_names: Arc::clone(&inner.secret_names),
    });
    let (sink, mut frames) = ws.split();
    let connection = Arc::new(ServerConnection {
        info: Arc::clone(&info),
        outbox: Outbox::start(
            Box::pin(sink),
            inner.outbound_limits,
            inner.write_timeout,
            format!("WebSocket connection {id} at `{path}`"),
        ),
    });
    lock(&inner.connections).insert(id, Arc::clone(&connection));
    let reply_to = format!("{path}#{id}");
    let keep_alive = KeepAlive {
        every: inner.ping_interval,
        idle: inner.idle_timeout,
        ping: Pinger::Outbox(&connection.outbox),
    };
    // A client that goes away, cleanly or not, ends that connection only; so does one the
    // outbound side gave up on (fallen behind, a write timed out).
    let ended = tokio::select! {
        ended = pump(
            &mut frames,
            &info,
            Some(&reply_to),
            &inner.subscriptions,
            |route| route.takes(&path),
            Some(keep_alive),
        ) => ended,
        why = connection.outbox.ended() => Ended::Failed(why.into()),
    };
    connection.outbox.end("the client left");
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
    pub(crate) server: WsServer,
    /// The channel's name, and whether it is closed.
    pub(crate) state: PublisherState,
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
        check_send_size(
            &address,
            frame.len(),
            self.server.inner.max_message_size,
            "WsServerOptions::max_message_size",
        )?;
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
                connection.outbox.send(&address, frame).await
            }
            // To every client at the path. One that went away meanwhile is not the sender's
            // failure: the others still get the frame, and that connection's reader forgets it.
            None => {
                let targets: Vec<Arc<ServerConnection>> = lock(&self.server.inner.connections)
                    .values()
                    .filter(|c| same_path(&c.info.path, &address))
                    .cloned()
                    .collect();
                let last = targets.len().saturating_sub(1);
                let mut frame = Some(frame);
                for (i, c) in targets.iter().enumerate() {
                    // The last connection takes the frame itself (a clone of its payload would
                    // make it shared), the others a clone.
                    let Some(this) = (if i == last {
                        frame.take()
                    } else {
                        frame.clone()
                    }) else {
                        break;
                    };
                    if c.outbox.try_push(this) == Err(Refused::Full) {
                        tracing::warn!(
                            target: "asyncapi",
                            peer = ?c.info.peer,
                            path = %c.info.path,
                            "WebSocket client fell behind (its outbound queue is full); disconnected"
                        );
                        c.outbox
                            .end("the client fell behind: its outbound queue is full");
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
        asyncapi_runtime::transport::refuse_group(channel, "ws", "the WebSocket server")?;
        check_method(channel)?;
        let template = self.inner.route(&channel.address)?;
        let route = ServerRoute {
            template,
            fixed: channel
                .params
                .iter()
                .map(|(n, v)| (n.to_string(), v.clone()))
                .collect(),
        };
        let (id, inbox) = self.inner.subscriptions.subscribe(
            route,
            channel.address.to_string(),
            self.inner.subscription_limits,
            Overflow::Wait,
        );
        let weak = Arc::downgrade(&self.inner);
        Ok(WsSubscriber {
            inbox,
            id,
            detach: Box::new(move |id| {
                if let Some(inner) = weak.upgrade() {
                    inner.subscriptions.remove(id);
                }
            }),
        })
    }
}
