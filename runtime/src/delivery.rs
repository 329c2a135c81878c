//! Delivery to subscriptions, the kit's one mechanism for it: a bounded queue per subscription
//! ([`queue`]: an [`Inbox`] the subscriber's stream reads, [`InboxSender`]s the transport's
//! reading task writes) and a fan-out ([`Fanout`]) that hands a received message to every
//! subscription it matches, tells each of them once that the connection broke, and ends them all
//! when the connection closes.
//!
//! **Bounds.** Every queue is bounded by [`Limits`]: a number of messages and a number of bytes
//! ([`weight`]: payload, address, headers and the other texts of the envelope). A message larger
//! than the byte bound is still taken when the queue is empty, so one message is always
//! deliverable; its size is bounded by the transport's largest message instead.
//!
//! **What a slow consumer gets** ([`Overflow`], one policy per queue):
//!
//! - [`Overflow::Wait`] (backpressure): the writer waits for room. A transport uses it where
//!   waiting pushes back into the protocol: the in-process broker's publishers wait; a transport
//!   whose reading task stops reading the socket lets the protocol's flow control (TCP, MQTT's
//!   receive maximum, AMQP's prefetch) hold the rest at the server.
//! - [`Overflow::Drop`]: a message that finds the queue full is dropped and counted, and the
//!   stream yields one [`TransportError::Lagged`] with the count in its place, before the
//!   messages that came after it. A transport uses it where the protocol has no flow control
//!   (Redis pub/sub, AMQP's direct reply-to) and waiting would only move the growth into the
//!   protocol library.
//!
//! Either way memory stays within the bound: nothing here grows without limit.
//!
//! **Breaks.** [`InboxSender::broke`] queues one error behind what the queue holds; another break
//! before the next message adds nothing (one error per break, however many signs of it come),
//! and the stream goes on with what arrives after the reconnection. Between two messages the
//! queue holds at most one break and one `Lagged` count, however drops and breaks alternate.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! use asyncapi_runtime::delivery::{Limits, Overflow, queue};
//! use asyncapi_runtime::envelope::Envelope;
//! use asyncapi_runtime::transport::TransportError;
//! use futures_util::StreamExt;
//!
//! let (sender, mut inbox) = queue("lights/7", Limits::new(2, 1 << 20), Overflow::Drop);
//! for n in 0..5 {
//!     sender.send(Envelope::new("lights/7").with_payload(n.to_string())).await.unwrap();
//! }
//! assert_eq!(&inbox.next().await.unwrap().unwrap().payload[..], b"0");
//! assert_eq!(&inbox.next().await.unwrap().unwrap().payload[..], b"1");
//! let lagged = inbox.next().await.unwrap().unwrap_err();
//! assert!(matches!(lagged, TransportError::Lagged { dropped: 3, .. }));
//! # });
//! ```

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use tokio::sync::Notify;

use crate::envelope::EnvelopeReader;
use crate::transport::TransportError;

/// How much one subscription's queue holds: at most `messages` messages and `bytes` bytes (by
/// [`weight`]), whichever comes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    messages: usize,
    bytes: usize,
}

impl Limits {
    /// Every transport's default: 1,024 messages and 64 MiB.
    pub const DEFAULT: Limits = Limits {
        messages: 1024,
        bytes: 64 * 1024 * 1024,
    };

    /// At most `messages` messages and `bytes` bytes (each at least one).
    pub const fn new(messages: usize, bytes: usize) -> Limits {
        Limits {
            messages: if messages == 0 { 1 } else { messages },
            bytes: if bytes == 0 { 1 } else { bytes },
        }
    }

    /// The most messages.
    pub const fn messages(&self) -> usize {
        self.messages
    }

    /// The most bytes.
    pub const fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// What a message that finds its subscription's queue full gets (the module's docs say when a
/// transport uses which).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Overflow {
    /// The writer waits for room (backpressure).
    Wait,
    /// The message is dropped, counted, and the subscriber told how many with one
    /// [`TransportError::Lagged`].
    Drop,
}

/// What a message weighs in a queue, in bytes: its payload, address, headers (names and
/// values), content type, reply address and correlation id.
pub fn weight(envelope: &impl EnvelopeReader) -> usize {
    let texts = [
        envelope.content_type(),
        envelope.reply_to(),
        envelope.correlation_id(),
    ];
    envelope.payload().len()
        + envelope.address().len()
        + texts.iter().flatten().map(|t| t.len()).sum::<usize>()
        + envelope
            .headers()
            .iter()
            .map(|(name, value)| name.len() + value.as_bytes().len())
            .sum::<usize>()
}

/// A bounded queue for one subscription on `address` (the address or pattern its errors name):
/// the sender a transport's reading task writes to (clone it for each writer) and the inbox the
/// subscriber's stream reads.
pub fn queue<T: EnvelopeReader>(
    address: impl Into<String>,
    limits: Limits,
    overflow: Overflow,
) -> (InboxSender<T>, Inbox<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            entries: VecDeque::new(),
            messages: 0,
            bytes: 0,
            waker: None,
            ended: false,
            gone: false,
        }),
        room: Notify::new(),
        waiting: AtomicUsize::new(0),
        senders: AtomicUsize::new(1),
        address: address.into(),
        limits,
        overflow,
    });
    (
        InboxSender {
            shared: Arc::clone(&shared),
        },
        Inbox { shared },
    )
}

enum Entry<T> {
    Message(T, usize),
    /// Messages dropped in a row.
    Lagged(u64),
    /// A break: not added again while the subscriber has not read it.
    Break(TransportError),
}

struct State<T> {
    entries: VecDeque<Entry<T>>,
    /// The messages held, and their weight.
    messages: usize,
    bytes: usize,
    /// The subscriber waiting for an entry.
    waker: Option<Waker>,
    /// Every sender is gone or closed the queue: the stream ends after what it holds.
    ended: bool,
    /// The subscriber is gone or closed its stream: sends fail.
    gone: bool,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Writers waiting for room.
    room: Notify,
    /// How many writers wait for room: a subscriber that takes a message wakes them only
    /// when there are any.
    waiting: AtomicUsize,
    senders: AtomicUsize,
    address: String,
    limits: Limits,
    overflow: Overflow,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<T> State<T> {
    fn fits(&self, weight: usize, limits: Limits) -> bool {
        self.messages == 0
            || (self.messages < limits.messages
                && self.bytes.saturating_add(weight) <= limits.bytes)
    }

    fn push(&mut self, entry: Entry<T>) -> Option<Waker> {
        if let Entry::Message(_, weight) = &entry {
            self.messages += 1;
            self.bytes += weight;
        }
        self.entries.push_back(entry);
        self.waker.take()
    }

    /// The entries after the last message: at most one `Lagged` and one `Break`, so that drops
    /// and breaks that alternate while the subscriber reads nothing add nothing more.
    fn tail(&mut self) -> impl Iterator<Item = &mut Entry<T>> {
        self.entries
            .iter_mut()
            .rev()
            .take_while(|e| !matches!(e, Entry::Message(..)))
    }

    fn dropped(&mut self) -> Option<Waker> {
        for entry in self.tail() {
            if let Entry::Lagged(n) = entry {
                *n += 1;
                return None;
            }
        }
        self.push(Entry::Lagged(1))
    }

    fn has_unread_break(&mut self) -> bool {
        self.tail().any(|e| matches!(e, Entry::Break(_)))
    }
}

/// The subscriber went away (its stream was dropped or closed): the message was not queued.
#[derive(Debug)]
pub struct Gone<T>(pub T);

impl<T> std::fmt::Display for Gone<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the subscription is gone")
    }
}

impl<T: std::fmt::Debug> std::error::Error for Gone<T> {}

/// Writes to one subscription's queue; cloned for each writer. When every sender is dropped (or
/// one calls [`close`](Self::close)), the subscriber's stream ends after what the queue holds.
pub struct InboxSender<T> {
    shared: Arc<Shared<T>>,
}

impl<T> std::fmt::Debug for InboxSender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboxSender")
            .field("address", &self.shared.address)
            .field("limits", &self.shared.limits)
            .field("overflow", &self.shared.overflow)
            .finish_non_exhaustive()
    }
}

impl<T> Clone for InboxSender<T> {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        InboxSender {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Drop for InboxSender<T> {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.close();
        }
    }
}

/// One writer waiting for room, counted in [`Shared::waiting`] while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why [`InboxSender::queue_now`] gave a message back.
#[derive(Debug)]
pub enum NotQueued<T> {
    /// The queue is full and its policy is to wait for room ([`Overflow::Wait`]).
    Full(T),
    /// The subscriber is gone.
    Gone(T),
}

/// What [`InboxSender::offer`] did with a message.
enum Offered<T> {
    Queued,
    Full(T),
    Gone(T),
}

impl<T: EnvelopeReader> InboxSender<T> {
    /// Queues `message` by the queue's [`Overflow`] policy: waiting for room, or dropping and
    /// counting it when the queue is full. An error only when the subscriber is gone.
    pub async fn send(&self, message: T) -> Result<(), Gone<T>> {
        let weight = weight(&message);
        // Most sends find room: they register for no wake-up.
        let mut message = match self.offer(message, weight) {
            Offered::Queued => return Ok(()),
            Offered::Gone(m) => return Err(Gone(m)),
            Offered::Full(m) => m,
        };
        // Counted as waiting (until this returns or is dropped) before looking again under the
        // lock, so that a subscriber taking a message after that look wakes it.
        self.shared.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.shared.waiting);
        loop {
            // Registered before looking again, so that room made meanwhile is not missed.
            let mut room = std::pin::pin!(self.shared.room.notified());
            room.as_mut().enable();
            message = match self.offer(message, weight) {
                Offered::Queued => return Ok(()),
                Offered::Gone(m) => return Err(Gone(m)),
                Offered::Full(m) => m,
            };
            // Full: wait until the subscriber takes one (or goes).
            room.await;
        }
    }

    /// Queues `message` when it fits (or drops and counts it when full under
    /// [`Overflow::Drop`]), waking the subscriber; gives it back when full under
    /// [`Overflow::Wait`] or when the subscriber is gone.
    fn offer(&self, message: T, weight: usize) -> Offered<T> {
        let waker = {
            let mut state = self.shared.lock();
            if state.gone || state.ended {
                return Offered::Gone(message);
            }
            if state.fits(weight, self.shared.limits) {
                state.push(Entry::Message(message, weight))
            } else if self.shared.overflow == Overflow::Drop {
                state.dropped()
            } else {
                return Offered::Full(message);
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
        Offered::Queued
    }

    /// Queues `message` if it can without waiting: queued (or, under [`Overflow::Drop`],
    /// dropped and counted when the queue is full), or given back when the queue is full under
    /// [`Overflow::Wait`] or the subscriber is gone. For a writer that delivers what finds room
    /// at once and waits (with [`send`](Self::send)) only for the rest.
    pub fn queue_now(&self, message: T) -> Result<(), NotQueued<T>> {
        let weight = weight(&message);
        match self.offer(message, weight) {
            Offered::Queued => Ok(()),
            Offered::Full(m) => Err(NotQueued::Full(m)),
            Offered::Gone(m) => Err(NotQueued::Gone(m)),
        }
    }

    /// Queues `message` without waiting, whatever the policy: when the queue is full it is
    /// dropped and counted (for a writer that cannot wait, such as a protocol library's
    /// callback). An error only when the subscriber is gone.
    pub fn try_send(&self, message: T) -> Result<(), Gone<T>> {
        let weight = weight(&message);
        let waker = {
            let mut state = self.shared.lock();
            if state.gone || state.ended {
                return Err(Gone(message));
            }
            if state.fits(weight, self.shared.limits) {
                state.push(Entry::Message(message, weight))
            } else {
                state.dropped()
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }
}

impl<T> InboxSender<T> {
    /// Queues the error of a break behind what the queue holds, unless a break is queued after
    /// the last message already (one error per break: another break before the next message
    /// adds nothing). Breaks do not count against the limits: at most one is queued after each
    /// message, and drops counted after it join the same `Lagged` count.
    pub fn broke(&self, error: TransportError) {
        let waker = {
            let mut state = self.shared.lock();
            if state.gone || state.ended || state.has_unread_break() {
                return;
            }
            state.push(Entry::Break(error))
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Ends the subscriber's stream after what the queue holds; later sends fail.
    pub fn close(&self) {
        let waker = {
            let mut state = self.shared.lock();
            state.ended = true;
            state.waker.take()
        };
        self.shared.room.notify_waiters();
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Whether the subscriber is gone (its stream dropped or closed).
    pub fn is_gone(&self) -> bool {
        self.shared.lock().gone
    }

    /// The address or pattern the subscription's errors name.
    pub fn address(&self) -> &str {
        &self.shared.address
    }
}

/// One subscription's end of its queue: a stream of the messages queued, with a
/// [`TransportError::Lagged`] where messages were dropped and an error for each break. It ends
/// when the transport closes the queue (or drops every sender).
pub struct Inbox<T> {
    shared: Arc<Shared<T>>,
}

impl<T> std::fmt::Debug for Inbox<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (messages, bytes) = self.held();
        f.debug_struct("Inbox")
            .field("address", &self.shared.address)
            .field("limits", &self.shared.limits)
            .field("overflow", &self.shared.overflow)
            .field("messages", &messages)
            .field("bytes", &bytes)
            .finish()
    }
}

impl<T> Inbox<T> {
    /// The messages held and their weight in bytes (never more than the limits, but for one
    /// message heavier than the byte bound alone in the queue).
    pub fn held(&self) -> (usize, usize) {
        let state = self.shared.lock();
        (state.messages, state.bytes)
    }

    /// Stops receiving: what the queue holds is dropped (unacknowledged), the stream ends, and
    /// later sends fail.
    pub fn close(&mut self) {
        let dropped = {
            let mut state = self.shared.lock();
            state.gone = true;
            state.messages = 0;
            state.bytes = 0;
            std::mem::take(&mut state.entries)
        };
        self.shared.room.notify_waiters();
        drop(dropped);
    }
}

impl<T: EnvelopeReader> Inbox<T> {
    /// The next item for a subscription whose patterns may be broader than its channel: the
    /// messages `subscription` [admits](crate::transport::Subscription::admit) (the others are
    /// acknowledged and skipped), each error as it comes, and the end. What a transport's
    /// `poll_next` returns.
    pub fn poll_admitted(
        &mut self,
        subscription: &crate::transport::Subscription,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<T, TransportError>>> {
        loop {
            match Pin::new(&mut *self).poll_next(cx) {
                Poll::Ready(Some(Ok(message))) => {
                    if let Some(message) = subscription.admit(message, cx) {
                        return Poll::Ready(Some(Ok(message)));
                    }
                }
                // A break, messages dropped, or the end.
                other => return other,
            }
        }
    }
}

impl<T> Drop for Inbox<T> {
    fn drop(&mut self) {
        self.close();
    }
}

impl<T> Stream for Inbox<T> {
    type Item = Result<T, TransportError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut state = self.shared.lock();
        match state.entries.pop_front() {
            Some(Entry::Message(message, weight)) => {
                state.messages -= 1;
                state.bytes -= weight;
                drop(state);
                if self.shared.waiting.load(Ordering::SeqCst) > 0 {
                    self.shared.room.notify_waiters();
                }
                Poll::Ready(Some(Ok(message)))
            }
            Some(Entry::Lagged(dropped)) => Poll::Ready(Some(Err(TransportError::Lagged {
                address: self.shared.address.clone(),
                dropped,
            }))),
            Some(Entry::Break(error)) => Poll::Ready(Some(Err(error))),
            None if state.ended || state.gone => Poll::Ready(None),
            None => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The subscriptions of one connection (or one socket, one server) and what each listens to
/// (`K`: its filters, its address template, ...): what hands a received message to every
/// subscription it matches. Subscriptions whose stream is gone are forgotten at the next
/// delivery.
pub struct Fanout<K, T> {
    routes: Mutex<Vec<Route<K, T>>>,
    next_id: AtomicU64,
    /// [`close`](Fanout::close)d: a later subscription's stream ends at once.
    closed: std::sync::atomic::AtomicBool,
    /// Counts [`select_shared`](Fanout::select_shared) calls: whose turn it is in each group.
    turn: AtomicU64,
}

/// A subscription of a [`Fanout`].
struct Route<K, T> {
    id: u64,
    key: K,
    sender: InboxSender<T>,
}

impl<K, T> Default for Fanout<K, T> {
    fn default() -> Self {
        Fanout {
            routes: Mutex::new(Vec::new()),
            next_id: AtomicU64::new(1),
            closed: std::sync::atomic::AtomicBool::new(false),
            turn: AtomicU64::new(0),
        }
    }
}

impl<K, T> std::fmt::Debug for Fanout<K, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fanout")
            .field("subscriptions", &self.len())
            .finish()
    }
}

impl<K, T> Fanout<K, T> {
    /// No subscriptions.
    pub fn new() -> Fanout<K, T> {
        Fanout::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Route<K, T>>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets a subscription: its stream ends after what its queue holds.
    pub fn remove(&self, id: u64) {
        self.lock().retain(|r| r.id != id);
    }

    /// How many subscriptions there are (those whose stream is gone are forgotten first).
    pub fn len(&self) -> usize {
        let mut routes = self.lock();
        routes.retain(|r| !r.sender.is_gone());
        routes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys of the subscriptions still there.
    pub fn keys(&self) -> Vec<K>
    where
        K: Clone,
    {
        let mut routes = self.lock();
        routes.retain(|r| !r.sender.is_gone());
        routes.iter().map(|r| r.key.clone()).collect()
    }

    /// Tells every subscription once that the connection broke: the error `error` makes for
    /// the address its queue names, behind what the queue holds ([`InboxSender::broke`]).
    pub fn broke(&self, mut error: impl FnMut(&str) -> TransportError) {
        for route in self.lock().iter() {
            route.sender.broke(error(route.sender.address()));
        }
    }

    /// Ends every subscription's stream (after what its queue holds) and forgets them all; a
    /// subscription made after it ends at once.
    pub fn close(&self) {
        let mut routes = self.lock();
        self.closed.store(true, Ordering::SeqCst);
        for route in routes.drain(..) {
            route.sender.close();
        }
    }
}

impl<K, T: EnvelopeReader + Clone> Fanout<K, T> {
    /// A new subscription listening to `key`, with a queue on `address` (what its errors name):
    /// its id (to [`remove`](Self::remove) it) and its inbox.
    pub fn subscribe(
        &self,
        key: K,
        address: impl Into<String>,
        limits: Limits,
        overflow: Overflow,
    ) -> (u64, Inbox<T>) {
        let (sender, inbox) = queue(address, limits, overflow);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut routes = self.lock();
        if self.closed.load(Ordering::SeqCst) {
            // Dropping the only sender ends the stream.
            return (id, inbox);
        }
        routes.push(Route { id, key, sender });
        (id, inbox)
    }

    /// The subscriptions `pick` takes (what it returns for each goes with its sender), in the
    /// order they subscribed; those whose stream is gone are forgotten first. For a transport
    /// that needs more than a match from a subscription's key (its acknowledgement mode, its
    /// queue group).
    pub fn select<R>(&self, mut pick: impl FnMut(&K) -> Option<R>) -> Selected<R, T> {
        let mut routes = self.lock();
        routes.retain(|r| !r.sender.is_gone());
        routes
            .iter()
            .filter_map(|r| pick(&r.key).map(|picked| (picked, r.sender.clone())))
            .collect()
    }

    /// As [`select`](Self::select), with the members of a consumer group sharing: the
    /// subscriptions `pick` takes whose key is in a group (`group` says which, `None` for
    /// none) count as one per group, and the message goes to one of them, each member in turn
    /// from one call to the next. For a protocol that delivers one copy to the connection for
    /// all its members of a group (an MQTT shared subscription), so that members on one
    /// connection share as members on different connections do.
    pub fn select_shared<R>(
        &self,
        mut pick: impl FnMut(&K) -> Option<R>,
        group: impl Fn(&K) -> Option<&str>,
    ) -> Selected<R, T> {
        let turn = self.turn.fetch_add(1, Ordering::Relaxed);
        let mut routes = self.lock();
        routes.retain(|r| !r.sender.is_gone());
        // No group among the subscriptions (the common case): what `select` picks.
        if routes.iter().all(|r| group(&r.key).is_none()) {
            return routes
                .iter()
                .filter_map(|r| pick(&r.key).map(|picked| (picked, r.sender.clone())))
                .collect();
        }
        let picked: Vec<(Option<&str>, R, InboxSender<T>)> = routes
            .iter()
            .filter_map(|r| pick(&r.key).map(|p| (group(&r.key), p, r.sender.clone())))
            .collect();
        // Per group: how many members `pick` took, and how many of them were passed so far.
        let mut groups: Vec<(&str, u64, u64)> = Vec::new();
        for g in picked.iter().filter_map(|(g, ..)| *g) {
            match groups.iter_mut().find(|(name, ..)| *name == g) {
                Some((_, members, _)) => *members += 1,
                None => groups.push((g, 1, 0)),
            }
        }
        picked
            .into_iter()
            .filter_map(|(g, p, sender)| {
                let Some(g) = g else {
                    return Some((p, sender));
                };
                let (_, members, passed) = groups.iter_mut().find(|(name, ..)| *name == g)?;
                let index = *passed;
                *passed += 1;
                (index == turn % *members).then_some((p, sender))
            })
            .collect()
    }

    /// The senders of the subscriptions `matches` picks.
    pub fn targets(&self, mut matches: impl FnMut(&K) -> bool) -> Vec<InboxSender<T>> {
        self.select(|key| matches(key).then_some(()))
            .into_iter()
            .map(|((), sender)| sender)
            .collect()
    }

    /// The sender of subscription `id`, while it is there (to queue what only it takes).
    pub fn sender(&self, id: u64) -> Option<InboxSender<T>> {
        self.lock()
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.sender.clone())
    }

    /// Hands `message` to every subscription `matches` picks (the last one gets `message`
    /// itself, the others a clone), each by its queue's policy; how many took it.
    pub async fn deliver(&self, message: T, matches: impl FnMut(&K) -> bool) -> usize {
        let (count, targets) = self.picked(matches);
        let mut taken = 0;
        for (copy, sender) in copies(message, count).zip(targets) {
            if sender.send(copy).await.is_ok() {
                taken += 1;
            }
        }
        taken
    }

    /// [`targets`](Self::targets), without a vector for one target (the common case: each
    /// message is for one subscription): how many, and the senders.
    fn picked(&self, mut matches: impl FnMut(&K) -> bool) -> (usize, Picked<InboxSender<T>>) {
        let mut routes = self.lock();
        routes.retain(|r| !r.sender.is_gone());
        let mut first = None;
        let mut rest = Vec::new();
        for route in routes.iter().filter(|r| matches(&r.key)) {
            match first {
                None => first = Some(route.sender.clone()),
                Some(_) => rest.push(route.sender.clone()),
            }
        }
        let count = usize::from(first.is_some()) + rest.len();
        (count, first.into_iter().chain(rest))
    }

    /// Hands `message` to every subscription `matches` picks without waiting: a full queue
    /// drops and counts it ([`InboxSender::try_send`]); how many took it.
    pub fn try_deliver(&self, message: T, matches: impl FnMut(&K) -> bool) -> usize {
        let (count, targets) = self.picked(matches);
        let mut taken = 0;
        for (copy, sender) in copies(message, count).zip(targets) {
            if sender.try_send(copy).is_ok() {
                taken += 1;
            }
        }
        taken
    }
}

/// The subscriptions [`Fanout::select`] or [`Fanout::select_shared`] took, each with what the
/// pick returned for it, in the order they subscribed: one is held inline (a message for one
/// subscription, the common case, allocates nothing), more in a vector.
pub struct Selected<R, T> {
    first: Option<(R, InboxSender<T>)>,
    rest: Vec<(R, InboxSender<T>)>,
}

impl<R, T> Selected<R, T> {
    /// How many subscriptions were taken.
    pub fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.rest.len()
    }

    /// Whether none was.
    pub fn is_empty(&self) -> bool {
        self.first.is_none()
    }
}

impl<R, T> std::fmt::Debug for Selected<R, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Selected")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

impl<R, T> FromIterator<(R, InboxSender<T>)> for Selected<R, T> {
    fn from_iter<I: IntoIterator<Item = (R, InboxSender<T>)>>(iter: I) -> Self {
        let mut iter = iter.into_iter();
        let first = iter.next();
        Selected {
            rest: if first.is_some() {
                iter.collect()
            } else {
                Vec::new()
            },
            first,
        }
    }
}

impl<R, T> IntoIterator for Selected<R, T> {
    type Item = (R, InboxSender<T>);
    type IntoIter = Picked<(R, InboxSender<T>)>;

    fn into_iter(self) -> Self::IntoIter {
        self.first.into_iter().chain(self.rest)
    }
}

/// The first of what a fan-out picked, then any others: how [`Selected`] iterates (and the
/// senders of a delivery to every matching subscription).
pub type Picked<S> = std::iter::Chain<std::option::IntoIter<S>, std::vec::IntoIter<S>>;

/// Hands `message` to each of `targets` (picked with [`Fanout::targets`] or
/// [`Fanout::select`]; the last gets `message` itself, the others a clone), each by its queue's
/// policy, in turn; how many took it.
pub async fn deliver_to<T: EnvelopeReader + Clone>(
    message: T,
    targets: Vec<InboxSender<T>>,
) -> usize {
    let mut taken = 0;
    for (copy, sender) in copies(message, targets.len()).zip(targets) {
        if sender.send(copy).await.is_ok() {
            taken += 1;
        }
    }
    taken
}

/// `count` copies of `message`: clones, and the message itself last (none for `0`).
fn copies<T: Clone>(message: T, count: usize) -> impl Iterator<Item = T> {
    let mut message = Some(message);
    (0..count).map_while(move |i| {
        if i + 1 == count {
            message.take()
        } else {
            message.clone()
        }
    })
}

#[cfg(test)]
mod tests;
