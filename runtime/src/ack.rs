//! Acknowledgements: what a consumer tells the server about a message it received, so that a
//! message is not lost when the consumer dies before it has handled it.
//!
//! A subscription acknowledges in one of two [`AckMode`]s, chosen in its
//! [`ChannelSpec`]:
//!
//! - [`AckMode::Auto`] (the default): each message is acknowledged once it has been decoded and
//!   validated, when the typed [`Receiver`](crate::operation::Receiver) yields it.
//! - [`AckMode::Manual`]: each received message carries its [`Acknowledgement`], and the
//!   application settles it ([`ack`](Acknowledgement::ack), [`nack`](Acknowledgement::nack),
//!   [`reject`](Acknowledgement::reject)) when it has done its work. A message left unsettled
//!   when its consumer dies comes back, as far as the protocol allows.
//!
//! Either way, a message that cannot be decoded or validated is settled with the subscription's
//! [`ChannelSpec::on_invalid`](crate::transport::ChannelSpec::on_invalid) outcome, by default
//! [`Outcome::Reject`]: a message that will never decode is not worth receiving again.
//!
//! A transport whose protocol acknowledges attaches an [`Acknowledgement`] to each envelope it
//! receives ([`EnvelopeReader::acknowledgement`](crate::envelope::EnvelopeReader::acknowledgement)),
//! built on its own [`Settle`]. How the outcomes map to the protocols:
//!
//! | protocol | `ack` | `nack` (again, please) | `reject` (never again) | unsettled, consumer gone |
//! |---|---|---|---|---|
//! | MQTT QoS 1 / 2 | PUBACK / PUBREC | no PUBACK: the broker sends it again when the session resumes | PUBACK | sent again when a persistent session resumes |
//! | AMQP 0-9-1 | `basic.ack` | `basic.nack` with requeue | `basic.reject` without requeue (dead-lettered if the queue says so) | requeued by the broker |
//! | Kafka | offset committed | offset not committed; the partition is read again from there | offset committed | read again from the last committed offset |
//! | Redis streams | `XACK` | left pending, for `XAUTOCLAIM` | `XACK` | left pending, claimed by another consumer |
//! | NATS JetStream | `+ACK` | `-NAK` (with a delay through [`Acknowledgement::nack_after`]) | `+TERM` | redelivered after `ack_wait` |
//! | core NATS, WebSocket, in-process | nothing to settle (at most once) | | | lost |

use std::fmt;
use std::sync::{Arc, Mutex};

use std::future::Future;

use crate::transport::{BoxFuture, ChannelSpec, Consumer, Producer, Replies, TransportError};

/// When a subscription acknowledges what it receives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum AckMode {
    /// Once a message has been decoded and validated.
    #[default]
    Auto,
    /// When the application settles the message's [`Acknowledgement`].
    Manual,
}

/// What becomes of a received message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Handled: the server forgets it.
    Ack,
    /// Not handled: the server should deliver it again (now, or when the protocol allows).
    Nack,
    /// Not to be handled, ever: the server forgets it (or dead-letters it, where configured).
    Reject,
}

/// How a transport settles one received message: what an [`Acknowledgement`] is built on.
pub trait Settle: Send + Sync + 'static {
    /// Settles the message with `outcome`. Called at most once.
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>>;

    /// Settles the message as not handled, to be delivered again no sooner than `delay` from now
    /// (JetStream's `-NAK` with a delay). The default is [`Outcome::Nack`] at once, for protocols
    /// that cannot wait.
    fn nack_after(
        self: Box<Self>,
        delay: std::time::Duration,
    ) -> BoxFuture<'static, Result<(), TransportError>> {
        let _ = delay;
        self.settle(Outcome::Nack)
    }

    /// Settles the message with `outcome` for a caller that does not wait for the result: what
    /// automatic acknowledgement does once a message is yielded, and what the settlement of a
    /// message that does not decode does. Returns what is left to do, which the runtime polls
    /// once and, when it is not done, finishes on a tokio task, logging a failure; `None` when
    /// nothing is (the settlement is done, or committed: handed to a connection that reports
    /// its own failures, so that waiting to learn it was written tells nobody anything). The
    /// default is [`settle`](Self::settle)'s future.
    fn settle_detached(
        self: Box<Self>,
        outcome: Outcome,
    ) -> Option<BoxFuture<'static, Result<(), TransportError>>> {
        Some(self.settle(outcome))
    }

    /// Every handle to the message went away without settling it. The default does nothing:
    /// the message stays unacknowledged, and the server delivers it again as its protocol says.
    fn abandoned(self: Box<Self>) {}
}

/// The acknowledgement of one received message. Clones share it: the first settlement counts,
/// later ones do nothing.
#[derive(Clone)]
pub struct Acknowledgement(Arc<Slot>);

struct Slot(Mutex<Option<Box<dyn Settle>>>);

impl Slot {
    fn take(&self) -> Option<Box<dyn Settle>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(settle) = self.take() {
            settle.abandoned();
        }
    }
}

impl Acknowledgement {
    /// The acknowledgement a transport settles with `settle`.
    pub fn new(settle: impl Settle) -> Acknowledgement {
        Acknowledgement(Arc::new(Slot(Mutex::new(Some(Box::new(settle))))))
    }

    /// Tells the server the message is handled.
    pub async fn ack(&self) -> Result<(), TransportError> {
        self.settle(Outcome::Ack).await
    }

    /// Tells the server the message was not handled and should come again (see the table in
    /// [the module docs](self) for what each protocol can do).
    pub async fn nack(&self) -> Result<(), TransportError> {
        self.settle(Outcome::Nack).await
    }

    /// Tells the server the message is not to be handled, ever.
    pub async fn reject(&self) -> Result<(), TransportError> {
        self.settle(Outcome::Reject).await
    }

    /// Tells the server the message was not handled and should come again no sooner than
    /// `delay` from now, where the protocol can wait (NATS JetStream); elsewhere as
    /// [`nack`](Self::nack).
    pub async fn nack_after(&self, delay: std::time::Duration) -> Result<(), TransportError> {
        match self.0.take() {
            Some(settle) => settle.nack_after(delay).await,
            None => Ok(()),
        }
    }

    /// Settles the message with `outcome`; nothing happens when it was settled already.
    pub fn settle(&self, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        match self.0.take() {
            Some(settle) => settle.settle(outcome),
            None => Box::pin(std::future::ready(Ok(()))),
        }
    }

    /// Whether the message has been settled.
    pub fn is_settled(&self) -> bool {
        self.0.0.lock().unwrap_or_else(|e| e.into_inner()).is_none()
    }
}

impl fmt::Debug for Acknowledgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acknowledgement")
            .field("settled", &self.is_settled())
            .finish()
    }
}

/// Two handles are equal when they acknowledge the same message.
impl PartialEq for Acknowledgement {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Acknowledgement {}

/// A connection whose subscriptions acknowledge manually: generated operations subscribed
/// through it (`operations::Work::subscribe(&ManualAck(&connection), &filter)`) yield messages
/// that carry their [`Acknowledgement`]. Everything else passes through to the connection.
#[derive(Clone, Copy, Debug)]
pub struct ManualAck<'a, C>(pub &'a C);

impl<C: Consumer> Consumer for ManualAck<'_, C> {
    type Subscriber = C::Subscriber;
    const REPLIES: Replies = C::REPLIES;

    fn ack_mode(&self, _: &ChannelSpec) -> AckMode {
        AckMode::Manual
    }

    fn subscriber(
        &self,
        channel: &ChannelSpec,
    ) -> impl Future<Output = Result<C::Subscriber, TransportError>> + Send {
        let channel = channel.clone().with_ack(AckMode::Manual);
        async move { self.0.subscriber(&channel).await }
    }
}

impl<C: Producer> Producer for ManualAck<'_, C> {
    type Publisher = C::Publisher;

    fn publisher(
        &self,
        channel: &ChannelSpec,
    ) -> impl Future<Output = Result<C::Publisher, TransportError>> + Send {
        self.0.publisher(channel)
    }
}

/// Settles without making the caller wait ([`Settle::settle_detached`]): polls what is left of
/// the settlement once and, if it is not done, finishes it on a tokio task. A failure is logged
/// (target `asyncapi`, `warn`).
pub(crate) fn settle_in_background(
    ack: &Acknowledgement,
    outcome: Outcome,
    cx: &mut std::task::Context<'_>,
) {
    let Some(mut settling) = ack
        .0
        .take()
        .and_then(|settle| settle.settle_detached(outcome))
    else {
        return;
    };
    match settling.as_mut().poll(cx) {
        std::task::Poll::Ready(result) => log_failure(result, outcome),
        std::task::Poll::Pending => {
            tokio::spawn(async move { log_failure(settling.await, outcome) });
        }
    }
}

fn log_failure(result: Result<(), TransportError>, outcome: Outcome) {
    if let Err(error) = result {
        tracing::warn!(target: "asyncapi", ?outcome, %error, "settling a received message failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Count(Arc<Mutex<Vec<&'static str>>>);

    impl Settle for Count {
        fn settle(
            self: Box<Self>,
            outcome: Outcome,
        ) -> BoxFuture<'static, Result<(), TransportError>> {
            self.0.lock().unwrap().push(match outcome {
                Outcome::Ack => "ack",
                Outcome::Nack => "nack",
                Outcome::Reject => "reject",
            });
            Box::pin(std::future::ready(Ok(())))
        }
        fn abandoned(self: Box<Self>) {
            self.0.lock().unwrap().push("abandoned");
        }
    }

    #[test]
    fn the_first_settlement_counts_and_clones_share_it() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let ack = Acknowledgement::new(Count(log.clone()));
        let copy = ack.clone();
        assert_eq!(ack, copy);
        futures_executor_block_on(copy.reject()).unwrap();
        futures_executor_block_on(ack.ack()).unwrap();
        assert!(ack.is_settled());
        drop((ack, copy));
        assert_eq!(*log.lock().unwrap(), ["reject"]);
    }

    #[test]
    fn dropping_every_handle_unsettled_abandons_the_message_once() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let ack = Acknowledgement::new(Count(log.clone()));
        let copy = ack.clone();
        drop(ack);
        assert!(log.lock().unwrap().is_empty());
        drop(copy);
        assert_eq!(*log.lock().unwrap(), ["abandoned"]);
    }

    /// Settles as committed the moment it starts, as a transport whose library queues the
    /// command does.
    struct Committed(Arc<Mutex<Vec<&'static str>>>);

    impl Settle for Committed {
        fn settle(self: Box<Self>, _: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
            self.0.lock().unwrap().push("settle");
            Box::pin(std::future::pending())
        }
        fn settle_detached(
            self: Box<Self>,
            _: Outcome,
        ) -> Option<BoxFuture<'static, Result<(), TransportError>>> {
            self.0.lock().unwrap().push("detached");
            None
        }
    }

    #[test]
    fn settling_in_the_background_takes_the_detached_way_once() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let ack = Acknowledgement::new(Committed(log.clone()));
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        // No runtime here: a settlement left to finish would need one to be spawned on.
        settle_in_background(&ack, Outcome::Ack, &mut cx);
        assert!(ack.is_settled());
        settle_in_background(&ack, Outcome::Ack, &mut cx);
        drop(ack);
        assert_eq!(*log.lock().unwrap(), ["detached"]);

        // The default is `settle`'s future, polled once (ready here: nothing is spawned).
        let log = Arc::new(Mutex::new(Vec::new()));
        let ack = Acknowledgement::new(Count(log.clone()));
        settle_in_background(&ack, Outcome::Reject, &mut cx);
        assert_eq!(*log.lock().unwrap(), ["reject"]);
    }

    /// A minimal executor: the futures here are ready at once.
    fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
        let polls = AtomicUsize::new(0);
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        let mut f = std::pin::pin!(f);
        loop {
            polls.fetch_add(1, Ordering::Relaxed);
            if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            assert!(polls.load(Ordering::Relaxed) < 10, "not ready");
        }
    }
}
