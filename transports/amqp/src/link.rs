//! The connection kept up: one lapin connection at a time, watched by a task that connects
//! again, with growing waits, when it breaks. Publishers and subscribers ask for the current one
//! and open their channels on it again after a break (the generation tells them it changed).

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use lapin::tcp::{OwnedIdentity, OwnedTLSConfig};
use lapin::uri::AMQPUri;
use lapin::{Connection, ConnectionProperties, Event};
use tokio::sync::watch;
use tracing::Instrument;

use asyncapi_runtime::transport::{Backoff, BoxError, TransportError};

use crate::AmqpOptions;
use crate::direct::DirectReplies;

/// Where the connection is.
#[derive(Clone)]
pub(crate) enum State {
    /// Connected: the `generation`th connection (the first is 0).
    Up {
        generation: u64,
        connection: Arc<Connection>,
    },
    /// The connection broke; the next is being made (or never will be, without reconnection).
    Down,
    /// Closed by the application.
    Closed,
}

/// The shared connection of an [`AmqpConnection`](crate::AmqpConnection) and everything opened
/// on it.
pub(crate) struct Link {
    pub options: AmqpOptions,
    /// The server, without the password, for errors and logs.
    pub server: String,
    pub vhost: String,
    /// RabbitMQ's direct reply-to on this connection.
    pub direct: DirectReplies,
    state: watch::Sender<State>,
}

impl Link {
    /// Connects, and watches the connection from then on.
    pub async fn connect(options: AmqpOptions) -> Result<Arc<Link>, TransportError> {
        let server = crate::redacted(&options.url);
        let uri = uri(&options).map_err(|source| TransportError::Connect {
            server: server.clone(),
            source,
        })?;
        let connection = open(&options, &server, uri.clone()).await?;
        let events = connection.events_listener();
        let link = Arc::new(Link {
            vhost: uri.vhost,
            direct: DirectReplies::default(),
            server,
            options,
            state: watch::Sender::new(State::Up {
                generation: 0,
                connection: Arc::new(connection),
            }),
        });
        tokio::spawn(supervise(Arc::downgrade(&link), events.boxed(), 0));
        Ok(link)
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state.borrow().clone()
    }

    /// Whether `channel`, opened on the `generation`th connection, is open on the current one
    /// (and so can be used as it is).
    pub fn still_open(&self, generation: u64, channel: &lapin::Channel) -> bool {
        matches!(self.state(), State::Up { generation: current, .. } if current == generation)
            && channel.status().connected()
    }

    /// The connection once it is up: at once when it is, else after waiting for the next one
    /// at most `patience`. `Err` names what is wrong: closed, or broken and not back in time.
    pub async fn up(&self, patience: Duration) -> Result<(u64, Arc<Connection>), Unavailable> {
        let mut watching = self.state.subscribe();
        let wait = watching.wait_for(|s| !matches!(s, State::Down));
        match tokio::time::timeout(patience, wait).await {
            Ok(Ok(state)) => match &*state {
                State::Up {
                    generation,
                    connection,
                } => Ok((*generation, Arc::clone(connection))),
                _ => Err(Unavailable::Closed),
            },
            Ok(Err(_)) => Err(Unavailable::Closed),
            Err(_) => Err(Unavailable::Down(patience)),
        }
    }

    /// A connection that works: the current one, or (when it broke and the link does not know
    /// yet, or it is down) the next one, waiting at most `patience`.
    pub async fn working(&self, patience: Duration) -> Result<(u64, Arc<Connection>), Unavailable> {
        let found = async {
            let (generation, connection) = self.up(patience).await?;
            if connection.status().connected() {
                return Ok((generation, connection));
            }
            self.newer_than(generation).await
        };
        tokio::time::timeout(patience, found)
            .await
            .unwrap_or(Err(Unavailable::Down(patience)))
    }

    /// Waits until a connection newer than the `generation`th is up (or the link is closed).
    pub async fn newer_than(&self, generation: u64) -> Result<(u64, Arc<Connection>), Unavailable> {
        let mut watching = self.state.subscribe();
        let state = watching
            .wait_for(|s| match s {
                State::Up { generation: g, .. } => *g > generation,
                State::Down => false,
                State::Closed => true,
            })
            .await
            .map_err(|_| Unavailable::Closed)?;
        match &*state {
            State::Up {
                generation,
                connection,
            } => Ok((*generation, Arc::clone(connection))),
            _ => Err(Unavailable::Closed),
        }
    }

    /// Closes the connection for good (`connection.close`): nothing is connected again.
    pub async fn close(&self) -> Result<(), TransportError> {
        let state = self.state.send_replace(State::Closed);
        match state {
            State::Up { connection, .. } => {
                let patience = self.options.connect_timeout;
                match tokio::time::timeout(patience, connection.close(200, "bye".into())).await {
                    // A channel already closing (a subscription's, cancelled a moment ago) is
                    // closed with the connection all the same.
                    Ok(Err(e))
                        if matches!(
                            e.kind(),
                            lapin::ErrorKind::InvalidChannelState(
                                lapin::ChannelState::Closing | lapin::ChannelState::Closed,
                                _
                            )
                        ) =>
                    {
                        Ok(())
                    }
                    Ok(closed) => {
                        closed.map_err(|e| TransportError::Closed(format!("{}: {e}", self.server)))
                    }
                    Err(_) => Err(TransportError::Closed(format!(
                        "{}: no close-ok within {patience:?}",
                        self.server
                    ))),
                }
            }
            _ => Ok(()),
        }
    }
}

/// Why there is no connection to use.
#[derive(Debug)]
pub(crate) enum Unavailable {
    /// The application closed it.
    Closed,
    /// It broke and was not back within the patience.
    Down(Duration),
}

impl Unavailable {
    /// The error for an operation on `server`.
    pub fn describe(&self, server: &str) -> String {
        match self {
            Unavailable::Closed => format!("the connection to {server} is closed"),
            Unavailable::Down(patience) => {
                format!("the connection to {server} is broken and was not back within {patience:?}")
            }
        }
    }
}

/// The URI of the options, with their credentials.
fn uri(options: &AmqpOptions) -> Result<AMQPUri, BoxError> {
    let mut uri: AMQPUri = options.url.parse().map_err(|e: String| BoxError::from(e))?;
    if let Some((user, password)) = &options.user {
        uri.authority.userinfo.username = user.clone();
        uri.authority.userinfo.password = password.clone();
    }
    Ok(uri)
}

/// The TLS settings of the options as lapin takes them: the given roots (lapin adds them to the
/// system's) and a client identity.
fn tls(options: &AmqpOptions) -> Result<OwnedTLSConfig, BoxError> {
    let tls = &options.tls;
    if !tls.uses_system_roots() {
        return Err(
            "lapin always trusts the system's certificate authorities: they cannot be left out"
                .into(),
        );
    }
    if let Some(name) = tls.server_name_override() {
        return Err(format!(
            "lapin checks the certificate against the URL's host; it cannot check it against `{name}`"
        )
        .into());
    }
    let cert_chain = match tls.given_roots_pem()? {
        Some(pem) => Some(
            String::from_utf8(pem).map_err(|_| "the certificate authorities are not PEM text")?,
        ),
        None => None,
    };
    let identity = tls.identity_pem()?.map(|identity| OwnedIdentity::PKCS8 {
        pem: identity.certificate,
        key: identity.key,
    });
    Ok(OwnedTLSConfig {
        identity,
        cert_chain,
    })
}

/// Opens one connection, within the connect timeout.
async fn open(
    options: &AmqpOptions,
    server: &str,
    uri: AMQPUri,
) -> Result<Connection, TransportError> {
    let connect_err = |source: BoxError| TransportError::Connect {
        server: server.to_owned(),
        source,
    };
    let mut properties = ConnectionProperties::default();
    if let Some(name) = &options.name {
        properties = properties.with_connection_name(name.as_str().into());
    }
    let tls = tls(options).map_err(connect_err)?;
    let runtime = lapin::runtime::default_runtime().map_err(|e| connect_err(Box::new(e)))?;
    let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
    tokio::time::timeout(
        options.connect_timeout,
        Connection::connect_uri_with_config(uri, properties, tls, runtime).instrument(span),
    )
    .await
    .map_err(|_| connect_err(format!("no answer within {:?}", options.connect_timeout).into()))?
    .map_err(|e| connect_err(Box::new(e)))
}

/// Watches the `generation`th connection through its events; when it breaks, marks the link
/// down and connects again with growing waits (when the options allow it), until the link is
/// closed or dropped.
async fn supervise(link: Weak<Link>, mut events: BoxStream<'static, Event>, mut generation: u64) {
    loop {
        let error = loop {
            match events.next().await {
                Some(Event::Error(error)) => {
                    let Some(link) = link.upgrade() else { return };
                    // A channel's error is that channel's; only a broken connection counts.
                    match link.state() {
                        State::Up { connection, .. }
                            if connection.status().errored() || connection.status().closed() =>
                        {
                            break error;
                        }
                        State::Up { .. } => continue,
                        _ => return,
                    }
                }
                Some(_) => continue,
                None => return,
            }
        };
        let Some(strong) = link.upgrade() else { return };
        if !matches!(strong.state(), State::Up { .. }) {
            return;
        }
        strong.state.send_replace(State::Down);
        let Some((first, longest)) = strong.options.reconnect else {
            tracing::warn!(target: "asyncapi", server = %strong.server, %error, "AMQP connection lost; not connecting again (reconnection is off)");
            return;
        };
        tracing::warn!(target: "asyncapi", server = %strong.server, %error, "AMQP connection lost; connecting again");
        drop(strong);
        let mut backoff = Backoff::new(first, longest);
        loop {
            backoff.wait().await;
            let Some(strong) = link.upgrade() else { return };
            if matches!(strong.state(), State::Closed) {
                return;
            }
            let attempt = match uri(&strong.options) {
                Ok(uri) => open(&strong.options, &strong.server, uri).await,
                Err(source) => Err(TransportError::Connect {
                    server: strong.server.clone(),
                    source,
                }),
            };
            match attempt {
                Ok(connection) => {
                    events = connection.events_listener().boxed();
                    generation += 1;
                    let replaced = strong.state.send_replace(State::Up {
                        generation,
                        connection: Arc::new(connection),
                    });
                    if let State::Closed = replaced {
                        // Closed while connecting: the new connection goes too.
                        if let State::Up { connection, .. } =
                            strong.state.send_replace(State::Closed)
                        {
                            let _ = connection.close(200, "bye".into()).await;
                        }
                        return;
                    }
                    tracing::info!(target: "asyncapi", server = %strong.server, generation, "AMQP connection back");
                    break;
                }
                Err(e) => {
                    tracing::debug!(target: "asyncapi", server = %strong.server, error = %e, next = ?backoff.next_wait(), "AMQP reconnection failed");
                }
            }
        }
    }
}
