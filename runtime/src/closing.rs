//! Closing a connection from any of its handles: what ends its subscriptions' streams and
//! makes its later sends fail, for a transport whose protocol library has no such thing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Shared by a connection's handles: [`close`](CloseSignal::close) once, and every
/// [`CloseWatch`] sees it (a subscription's `poll_next` ends its stream).
///
/// ```
/// use asyncapi_runtime::transport::CloseSignal;
///
/// let signal = CloseSignal::new();
/// let mut watch = signal.watch();
/// assert!(!signal.is_closed());
/// signal.close();
/// assert!(signal.is_closed() && watch.is_closed());
/// assert!(signal.check("mqtt://broker:1883").unwrap_err().to_string().contains("closed"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct CloseSignal {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    closed: AtomicBool,
    /// The wakers of the watches waiting, by slot; a watch reuses its slot.
    wakers: Mutex<Slots>,
}

#[derive(Debug, Default)]
struct Slots {
    wakers: Vec<Option<Waker>>,
    free: Vec<usize>,
}

impl CloseSignal {
    /// Open.
    pub fn new() -> CloseSignal {
        CloseSignal::default()
    }

    /// Closes: every watch is woken and sees it.
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        let wakers: Vec<Waker> = {
            let mut slots = self.inner.slots();
            slots.wakers.iter_mut().filter_map(Option::take).collect()
        };
        for waker in wakers {
            waker.wake();
        }
    }

    /// Whether it is closed.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// `Ok` while open; once closed, the error every use of the connection to `server` gets:
    /// [`TransportError::Closed`](crate::transport::TransportError::Closed), naming it.
    pub fn check(&self, server: &str) -> Result<(), crate::transport::TransportError> {
        if self.is_closed() {
            return Err(crate::transport::TransportError::Closed(format!(
                "the connection to {server} is closed"
            )));
        }
        Ok(())
    }

    /// A watch, for one subscription's stream.
    pub fn watch(&self) -> CloseWatch {
        let slot = {
            let mut slots = self.inner.slots();
            match slots.free.pop() {
                Some(slot) => slot,
                None => {
                    slots.wakers.push(None);
                    slots.wakers.len() - 1
                }
            }
        };
        CloseWatch {
            inner: Arc::clone(&self.inner),
            slot,
        }
    }
}

impl Inner {
    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.wakers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One subscription's view of a [`CloseSignal`].
#[derive(Debug)]
pub struct CloseWatch {
    inner: Arc<Inner>,
    slot: usize,
}

impl CloseWatch {
    /// Whether the connection is closed.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// `Ready` once the connection is closed; otherwise `Pending`, and the task is woken when
    /// it closes. Call it first in `poll_next`, and end the stream when it is ready.
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.is_closed() {
            return Poll::Ready(());
        }
        self.inner.slots().wakers[self.slot] = Some(cx.waker().clone());
        // Closed between the check and the registration: the waker may have been missed.
        if self.is_closed() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for CloseWatch {
    fn drop(&mut self) {
        let mut slots = self.inner.slots();
        slots.wakers[self.slot] = None;
        slots.free.push(self.slot);
    }
}
