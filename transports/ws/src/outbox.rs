//! A server connection's outbound side: a bounded queue of frames (messages and bytes) and the
//! task that writes them, each write within a timeout.
//!
//! A broadcast puts its frame in each connection's queue without waiting; a connection whose
//! queue is full has fallen behind and is dropped (its client reconnects and takes what comes
//! next), so one client that stops reading never holds back the others. A reply waits for room
//! and for its frame to be written, within the write timeout. A write that does not finish
//! within the timeout drops the connection as well.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::SinkExt;
use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::Message as Frame;

use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::transport::{self, TransportError};

use crate::socket::BoxSink;

/// One frame waiting to be written, and who waits for it.
struct Queued {
    frame: Frame,
    size: usize,
    written: Option<oneshot::Sender<Result<(), String>>>,
}

/// Why a frame was not queued.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// The queue is full: the client is not reading fast enough.
    Full,
    /// The connection is over.
    Gone,
}

/// The queue in front of one server connection's socket.
pub(crate) struct Outbox {
    tx: mpsc::Sender<Queued>,
    /// Bytes queued and not yet written.
    bytes: Arc<AtomicUsize>,
    limit: usize,
    write_timeout: Duration,
    /// Told each time a frame has been written (room made).
    room: Arc<Notify>,
    /// Set when the connection is to end: the writer task stops and the reader is told.
    ended: watch::Sender<Option<String>>,
    label: String,
}

impl Outbox {
    /// The queue for `sink` (bounded by `limits`) and its writer task, which writes each frame
    /// within `write_timeout`.
    pub(crate) fn start(
        sink: BoxSink,
        limits: Limits,
        write_timeout: Duration,
        label: String,
    ) -> Outbox {
        let (tx, rx) = mpsc::channel(limits.messages());
        let bytes = Arc::new(AtomicUsize::new(0));
        let (ended, watch) = watch::channel(None);
        let room = Arc::new(Notify::new());
        let outbox = Outbox {
            tx,
            bytes: Arc::clone(&bytes),
            limit: limits.bytes(),
            write_timeout,
            room: Arc::clone(&room),
            ended,
            label,
        };
        tokio::spawn(write_out(
            sink,
            rx,
            bytes,
            room,
            write_timeout,
            outbox.ended.clone(),
            watch,
        ));
        outbox
    }

    /// Queues `frame` without waiting.
    pub(crate) fn try_push(&self, frame: Frame) -> Result<(), Refused> {
        self.push(frame, None)
    }

    fn push(
        &self,
        frame: Frame,
        written: Option<oneshot::Sender<Result<(), String>>>,
    ) -> Result<(), Refused> {
        if self.ended.borrow().is_some() {
            return Err(Refused::Gone);
        }
        let size = frame.len();
        let before = self.bytes.fetch_add(size, Ordering::SeqCst);
        // One frame larger than the whole bound still goes when nothing else waits.
        if before > 0 && before + size > self.limit {
            self.bytes.fetch_sub(size, Ordering::SeqCst);
            return Err(Refused::Full);
        }
        let queued = Queued {
            frame,
            size,
            written,
        };
        self.tx.try_send(queued).map_err(|e| {
            self.bytes.fetch_sub(size, Ordering::SeqCst);
            match e {
                mpsc::error::TrySendError::Full(_) => Refused::Full,
                mpsc::error::TrySendError::Closed(_) => Refused::Gone,
            }
        })
    }

    /// Queues `frame` and waits until it is written: room and the write each within the write
    /// timeout.
    pub(crate) async fn send(&self, address: &str, frame: Frame) -> Result<(), TransportError> {
        let failed = |why: String| TransportError::Send {
            address: address.to_owned(),
            source: format!("{}: {why}", self.label).into(),
        };
        let deadline = tokio::time::Instant::now() + self.write_timeout;
        let written = loop {
            // Registered before trying, so that room made meanwhile is not missed.
            let mut room = std::pin::pin!(self.room.notified());
            room.as_mut().enable();
            let (done, written) = oneshot::channel();
            match self.push(frame.clone(), Some(done)) {
                Ok(()) => break written,
                Err(Refused::Gone) => return Err(TransportError::Closed(self.label.clone())),
                Err(Refused::Full) => {
                    if tokio::time::timeout_at(deadline, room).await.is_err() {
                        return Err(failed(format!(
                            "the client read nothing for {:?} and its queue is full",
                            self.write_timeout
                        )));
                    }
                }
            }
        };
        match tokio::time::timeout_at(deadline + self.write_timeout, written).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(why))) => Err(failed(why)),
            Ok(Err(_)) => Err(TransportError::Closed(self.label.clone())),
            Err(_) => Err(failed(format!(
                "not written within {:?}",
                self.write_timeout
            ))),
        }
    }

    /// Ends the connection: the writer sends a close frame when it can, then stops; `why` is
    /// what the reader is told.
    pub(crate) fn end(&self, why: impl Into<String>) {
        end_once(&self.ended, why.into());
    }

    /// Resolves when the connection is to end, with the reason.
    pub(crate) fn ended(&self) -> impl std::future::Future<Output = String> + Send + 'static {
        let mut watch = self.ended.subscribe();
        async move {
            match watch.wait_for(Option::is_some).await {
                Ok(why) => why.clone().unwrap_or_default(),
                Err(_) => String::from("the server is gone"),
            }
        }
    }
}

/// The writer task: writes queued frames in order, each within `write_timeout`, until the
/// queue closes or the connection is ended (then it closes the socket, within the timeout).
async fn write_out(
    mut sink: BoxSink,
    mut rx: mpsc::Receiver<Queued>,
    bytes: Arc<AtomicUsize>,
    room: Arc<Notify>,
    write_timeout: Duration,
    end: watch::Sender<Option<String>>,
    mut ended: watch::Receiver<Option<String>>,
) {
    // What one flush writes: the frames queued meanwhile, up to this many.
    const BATCH: usize = 64;
    let mut batch: Vec<Queued> = Vec::with_capacity(BATCH);
    let mut notices = Vec::with_capacity(BATCH);
    loop {
        let queued = tokio::select! {
            q = rx.recv() => q,
            _ = ended.wait_for(Option::is_some) => None,
        };
        let Some(queued) = queued else { break };
        batch.push(queued);
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(queued) => batch.push(queued),
                Err(_) => break,
            }
        }
        // Each frame fed to the socket's buffer, then one flush for them all: a frame is
        // written (and its sender told so) once the flush is done.
        let size: usize = batch.iter().map(|q| q.size).sum();
        let write = async {
            for queued in batch.drain(..) {
                notices.push(queued.written);
                sink.feed(queued.frame).await?;
            }
            sink.flush().await
        };
        let outcome = transport::within(write_timeout, write).await;
        bytes.fetch_sub(size, Ordering::SeqCst);
        room.notify_waiters();
        let failure = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error.to_string()),
            Err(_) => Some(format!("a write took longer than {write_timeout:?}")),
        };
        // The frames a failed write did not reach are dropped with their notices: their
        // senders learn that the connection closed.
        batch.clear();
        for done in notices.drain(..).flatten() {
            let _ = done.send(failure.clone().map_or(Ok(()), Err));
        }
        if let Some(why) = failure {
            end_once(&end, why);
            break;
        }
    }
    let _ = tokio::time::timeout(write_timeout, sink.close()).await;
}

/// Records why the connection ends, unless a reason is recorded already.
fn end_once(ended: &watch::Sender<Option<String>>, why: String) {
    ended.send_if_modified(|ended| {
        if ended.is_none() {
            *ended = Some(why);
            true
        } else {
            false
        }
    });
}
