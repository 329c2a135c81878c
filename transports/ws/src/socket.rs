//! One WebSocket socket, a client's or a server's: its writer, the pump that reads its frames
//! into subscribers, and keep-alive pings.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message as Frame};

use asyncapi_runtime::delivery::Fanout;
use asyncapi_runtime::envelope::Headers;
use asyncapi_runtime::transport::{BoxError, ChannelSpec, TransportError};

use crate::envelope::{WsConnectionInfo, WsEnvelope};
use crate::outbox::Outbox;

pub(crate) type BoxSink =
    Pin<Box<dyn futures_util::Sink<Frame, Error = tungstenite::Error> + Send>>;

/// The sending half of one connection.
pub(crate) struct Writer {
    pub(crate) sink: tokio::sync::Mutex<BoxSink>,
    pub(crate) open: AtomicBool,
    /// The connection broke and a client is connecting again (its sink is then replaced).
    pub(crate) reconnecting: AtomicBool,
    /// Told when reconnecting ends, either way.
    pub(crate) reconnected: tokio::sync::Notify,
    /// How long a send waits for a reconnection.
    pub(crate) patience: Duration,
    pub(crate) label: String,
}

impl Writer {
    pub(crate) fn new(sink: BoxSink, label: String, patience: Duration) -> Writer {
        Writer {
            sink: tokio::sync::Mutex::new(sink),
            open: AtomicBool::new(true),
            reconnecting: AtomicBool::new(false),
            reconnected: tokio::sync::Notify::new(),
            patience,
            label,
        }
    }

    pub(crate) async fn send(&self, address: &str, frame: Frame) -> Result<(), TransportError> {
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

    pub(crate) async fn close(&self) {
        if self.open.swap(false, Ordering::SeqCst) {
            let _ = self.sink.lock().await.close().await;
        }
    }

    /// The sink of a new connection, after a reconnection; waiting sends go on.
    pub(crate) async fn replace(&self, sink: BoxSink) {
        *self.sink.lock().await = sink;
        self.open.store(true, Ordering::SeqCst);
        self.reconnecting.store(false, Ordering::SeqCst);
        self.reconnected.notify_waiters();
    }

    /// No reconnection after all: waiting sends fail.
    pub(crate) fn give_up(&self) {
        self.open.store(false, Ordering::SeqCst);
        self.reconnecting.store(false, Ordering::SeqCst);
        self.reconnected.notify_waiters();
    }
}

/// How a connection's frames ended.
pub(crate) enum Ended {
    /// The peer sent a close frame (with its code, when it gave one), or the stream ended.
    Closed(Option<CloseCode>),
    /// The connection failed, or the peer stopped answering pings.
    Failed(BoxError),
}

impl Ended {
    /// Whether a client should connect again: after a failure, or after a close whose code asks
    /// for it (going away, a server error, a restart, "try again later"). A normal close, or one
    /// refusing the client, ends its subscribers' streams.
    pub(crate) fn worth_retrying(&self) -> bool {
        match self {
            Ended::Failed(_) => true,
            Ended::Closed(code) => matches!(
                code,
                Some(CloseCode::Away | CloseCode::Error | CloseCode::Restart | CloseCode::Again)
            ),
        }
    }

    pub(crate) fn error(self) -> Option<BoxError> {
        match self {
            Ended::Failed(e) => Some(e),
            Ended::Closed(_) => None,
        }
    }
}

/// Pings a connection every `every` (or every half `idle`, when that is sooner); a peer from which
/// nothing (no pong, no frame) arrived for `idle` is taken as gone.
#[derive(Clone, Copy)]
pub(crate) struct KeepAlive<'a> {
    pub(crate) every: Duration,
    pub(crate) idle: Duration,
    pub(crate) ping: Pinger<'a>,
}

/// Where pings are written: a client's socket, or a server connection's queue.
#[derive(Clone, Copy)]
pub(crate) enum Pinger<'a> {
    Writer(&'a Writer),
    Outbox(&'a Outbox),
}

impl Pinger<'_> {
    async fn ping(self, address: &str) -> Result<(), BoxError> {
        match self {
            Pinger::Writer(w) => Ok(w.send(address, Frame::Ping(Bytes::new())).await?),
            Pinger::Outbox(o) => o
                .try_push(Frame::Ping(Bytes::new()))
                .map_err(|refused| format!("no room for a ping: {refused:?}").into()),
        }
    }
}

/// Reads frames until the connection ends, handing each data frame to the subscriptions of
/// `subscribers` that `matches` picks (waiting while one is full, so that a slow subscriber
/// stops the reading and TCP holds the rest back at the peer), pinging the peer when
/// `keep_alive` says so; returns how it ended.
pub(crate) async fn pump<S, K>(
    frames: &mut S,
    info: &Arc<WsConnectionInfo>,
    reply_to: Option<&str>,
    subscribers: &Fanout<K, WsEnvelope>,
    matches: impl Fn(&K) -> bool,
    keep_alive: Option<KeepAlive<'_>>,
) -> Ended
where
    S: Stream<Item = Result<Frame, tungstenite::Error>> + Unpin,
{
    let mut ticks = keep_alive.map(|k| {
        // Often enough to find an idle peer within its timeout, whatever the ping interval.
        let every = k.every.min(k.idle / 2).max(Duration::from_millis(1));
        let mut t = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        t
    });
    let mut heard = tokio::time::Instant::now();
    loop {
        let frame = match (&mut ticks, keep_alive) {
            (Some(ticks), Some(k)) => tokio::select! {
                frame = frames.next() => frame,
                _ = ticks.tick() => {
                    if heard.elapsed() > k.idle {
                        return Ended::Failed(
                            format!("no answer to pings for {:?}", heard.elapsed()).into(),
                        );
                    }
                    if let Err(e) = k.ping.ping(&info.path).await {
                        return Ended::Failed(e);
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
        let envelope = WsEnvelope {
            address: info.path.clone(),
            payload,
            text,
            reply_to: reply_to.map(str::to_owned),
            connection: Arc::clone(info),
            headers: Headers::new(),
        };
        subscribers.deliver(envelope, &matches).await;
        // Waiting for a slow subscriber of our own is not the peer's silence.
        heard = tokio::time::Instant::now();
    }
}

/// Tells every subscription of `subscribers` once that the connection failed with `message`
/// (their streams end when the fan-out is closed, or go on after a reconnection).
pub(crate) fn report<K>(subscribers: &Fanout<K, WsEnvelope>, message: &str) {
    subscribers.broke(|address| TransportError::Receive {
        address: address.to_owned(),
        source: message.into(),
    });
}

pub(crate) fn open_error(address: &str, source: impl Into<BoxError>) -> TransportError {
    TransportError::Open {
        address: address.to_owned(),
        source: source.into(),
    }
}

/// Refuses a binding method other than `GET`.
pub(crate) fn check_method(channel: &ChannelSpec) -> Result<(), TransportError> {
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

/// What one read from a socket takes at most. tungstenite zero-fills its read buffer up to this
/// much before every read (and holds that much for each connection from the start): its default
/// of 128 KiB costs a 128 KiB `memset` per read, which for a message arriving alone is most of
/// what receiving it costs, and 128 KiB of memory per connection a server holds. A larger
/// message takes more reads of this size.
pub(crate) const READ_BUFFER: usize = 16 << 10;

/// tungstenite's settings for a socket taking messages (and frames) of at most `max` bytes.
pub(crate) fn frame_limits(max: usize) -> tungstenite::protocol::WebSocketConfig {
    tungstenite::protocol::WebSocketConfig::default()
        .max_message_size(Some(max))
        .max_frame_size(Some(max))
        .read_buffer_size(READ_BUFFER)
}
