//! Both directions of MQTT acknowledgements.
//!
//! **Sends.** rumqttc's `publish` does not say when the broker has acknowledged a publish: its client
//! only queues the request. Its event loop does report, in order, each publish it writes
//! (`Outgoing::Publish(packet id)`, packet id 0 for QoS 0) and each acknowledgement it reads
//! (PUBACK, PUBREC, PUBCOMP with their packet ids). [`Sends`] matches the two: every publish is
//! queued here, in the order it is handed to the client (under one lock), before it reaches the
//! event loop; the first time the loop writes a publish, the oldest queued send is that publish
//! and learns its packet id; the acknowledgement of that packet id completes it. A publish the
//! loop writes again after reconnecting keeps its packet id and completes nobody new; a publish
//! held back because its packet id is still in flight (`Outgoing::AwaitAck`) waits for that
//! packet id's acknowledgement, after which rumqttc writes it.
//!
//! **Receipts.** Connections run rumqttc with manual acknowledgements: each QoS 1 or 2 publish
//! is acknowledged once every subscriber it was delivered to has settled it ([`Receipt`]),
//! automatic subscribers by decoding it, manual ones when the application says so. A publish
//! still in the queue of a subscriber that is closed or dropped was never handed to the
//! application: it is not acknowledged, so a persistent session brings it again. An
//! acknowledgement goes only on the connection the publish came on: after a reconnection its
//! packet id names nothing (or another publish), and the resumed session sends it again.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use tokio::sync::oneshot;

use asyncapi_runtime::ack::{AckMode, Acknowledgement, Outcome, Settle};
use asyncapi_runtime::transport::{BoxFuture, TransportError};

use crate::client::MqttClient;

/// How a send ended, as the broker said.
#[derive(Debug)]
pub(crate) enum Sent {
    /// Written (QoS 0), acknowledged (QoS 1) or completed (QoS 2).
    Done,
    /// An MQTT 5 reason code of 0x80 or more.
    Refused(String),
    /// The connection was closed before the broker answered.
    Closed,
}

struct Waiter {
    qos: u8,
    done: oneshot::Sender<Sent>,
}

/// The sends waiting for the event loop to write them or for the broker to acknowledge them.
#[derive(Default)]
pub(crate) struct Sends {
    /// Handed to the client, not yet written: oldest first.
    queued: VecDeque<Waiter>,
    /// Written with QoS 1 or 2, by packet id.
    in_flight: HashMap<u16, Waiter>,
    /// Held back by rumqttc until this packet id is acknowledged.
    held: Vec<(u16, Waiter)>,
}

impl Sends {
    /// A send about to be handed to the client: completed through the returned receiver.
    pub(crate) fn queue(&mut self, qos: u8) -> oneshot::Receiver<Sent> {
        let (done, rx) = oneshot::channel();
        self.queued.push_back(Waiter { qos, done });
        rx
    }

    /// The client refused the send just queued (its event loop is gone).
    pub(crate) fn unqueue_last(&mut self) {
        self.queued.pop_back();
    }

    /// The event loop wrote a publish with `pkid` (0: QoS 0).
    pub(crate) fn written(&mut self, pkid: u16) {
        if pkid != 0 && self.in_flight.contains_key(&pkid) {
            return; // written again after a reconnection
        }
        let Some(waiter) = self.queued.pop_front() else {
            tracing::debug!(target: "asyncapi", pkid, "MQTT publish written that no send waits for");
            return;
        };
        if pkid == 0 || waiter.qos == 0 {
            let _ = waiter.done.send(Sent::Done);
        } else {
            self.in_flight.insert(pkid, waiter);
        }
    }

    /// rumqttc held back the next publish: its packet id `pkid` is still in flight.
    pub(crate) fn held_back(&mut self, pkid: u16) {
        if let Some(waiter) = self.queued.pop_front() {
            self.held.push((pkid, waiter));
        }
    }

    /// The broker acknowledged (or, MQTT 5, refused) the publish with `pkid`.
    pub(crate) fn acknowledged(&mut self, pkid: u16, outcome: Sent) {
        if let Some(waiter) = self.in_flight.remove(&pkid) {
            let _ = waiter.done.send(outcome);
        }
        if let Some(i) = self.held.iter().position(|(p, _)| *p == pkid) {
            let (_, waiter) = self.held.remove(i);
            self.in_flight.insert(pkid, waiter);
        }
    }

    /// The connection is closed: nobody will answer.
    pub(crate) fn close(&mut self) {
        let waiters = self
            .queued
            .drain(..)
            .chain(self.in_flight.drain().map(|(_, w)| w))
            .chain(self.held.drain(..).map(|(_, w)| w));
        for waiter in waiters {
            let _ = waiter.done.send(Sent::Closed);
        }
    }
}

/// One received QoS 1 or 2 publish, delivered to `remaining` subscribers: acknowledged to the
/// broker when the last of them settles it, unless one asked for it again.
pub(crate) struct Receipt<C: MqttClient> {
    client: C,
    publish: C::Incoming,
    remaining: AtomicUsize,
    withheld: AtomicBool,
    /// The connection the publish came on, and the connection now.
    arrived_on: u64,
    connection: Arc<AtomicU64>,
}

impl<C: MqttClient> Receipt<C> {
    /// A publish received on the current connection (counted by `connection`), delivered to
    /// `subscribers` subscribers (none: acknowledged at once).
    pub(crate) fn new(
        client: C,
        publish: C::Incoming,
        subscribers: usize,
        connection: Arc<AtomicU64>,
    ) -> Arc<Self> {
        let receipt = Arc::new(Receipt {
            client,
            publish,
            remaining: AtomicUsize::new(subscribers),
            withheld: AtomicBool::new(false),
            arrived_on: connection.load(Ordering::SeqCst),
            connection,
        });
        if subscribers == 0 {
            receipt.client.try_ack(&receipt.publish);
        }
        receipt
    }

    /// The acknowledgement of one subscriber in mode `mode`, whose subscription is open while
    /// `open` is set.
    pub(crate) fn handle(
        self: &Arc<Self>,
        mode: AckMode,
        open: Arc<AtomicBool>,
    ) -> Acknowledgement {
        Acknowledgement::new(Handle {
            receipt: self.clone(),
            mode,
            open,
        })
    }

    /// Whether the publish came on the connection open now.
    fn current(&self) -> bool {
        let current = self.arrived_on == self.connection.load(Ordering::SeqCst);
        if !current {
            tracing::debug!(
                target: "asyncapi",
                topic = C::topic(&self.publish),
                "MQTT publish settled after a reconnection: not acknowledged on the new connection (the session sends it again)"
            );
        }
        current
    }

    /// One subscriber is done with it: whether the broker is to be acknowledged now.
    fn settled(&self, again: bool) -> bool {
        if again {
            self.withheld.store(true, Ordering::SeqCst);
        }
        self.remaining.fetch_sub(1, Ordering::SeqCst) == 1 && !self.withheld.load(Ordering::SeqCst)
    }
}

struct Handle<C: MqttClient> {
    receipt: Arc<Receipt<C>>,
    mode: AckMode,
    open: Arc<AtomicBool>,
}

impl<C: MqttClient> Settle for Handle<C> {
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        // MQTT has no negative acknowledgement: a publish left unacknowledged comes again when
        // the session resumes.
        let receipt = self.receipt;
        Box::pin(async move {
            if receipt.settled(outcome == Outcome::Nack) && receipt.current() {
                receipt
                    .client
                    .ack(&receipt.publish)
                    .await
                    .map_err(|source| TransportError::Receive {
                        address: C::topic(&receipt.publish),
                        source,
                    })?;
            }
            Ok(())
        })
    }

    fn abandoned(self: Box<Self>) {
        // Automatic subscribers acknowledge what the application dropped; manual ones leave it
        // to come again, and so does a closed subscriber whose queue still held it.
        let again = self.mode == AckMode::Manual || !self.open.load(Ordering::SeqCst);
        if self.receipt.settled(again) && self.receipt.current() {
            self.receipt.client.try_ack(&self.receipt.publish);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(rx: &mut oneshot::Receiver<Sent>) -> Option<Sent> {
        rx.try_recv().ok()
    }

    #[test]
    fn sends_complete_on_their_own_acknowledgement() {
        let mut s = Sends::default();
        let mut a = s.queue(1);
        let mut b = s.queue(0);
        let mut c = s.queue(2);
        s.written(1);
        s.written(0);
        assert!(matches!(done(&mut b), Some(Sent::Done)));
        s.written(2);
        // Written again after a reconnection: no new send is taken for it.
        s.written(1);
        assert!(done(&mut a).is_none());
        s.acknowledged(2, Sent::Refused("0x87 not authorized".into()));
        assert!(matches!(done(&mut c), Some(Sent::Refused(_))));
        s.acknowledged(1, Sent::Done);
        assert!(matches!(done(&mut a), Some(Sent::Done)));
    }

    #[test]
    fn a_held_back_publish_waits_for_its_packet_id() {
        let mut s = Sends::default();
        let mut a = s.queue(1);
        let mut b = s.queue(1);
        s.written(5);
        s.held_back(5);
        s.acknowledged(5, Sent::Done);
        assert!(matches!(done(&mut a), Some(Sent::Done)));
        assert!(done(&mut b).is_none());
        // rumqttc writes the held publish now, with the same packet id.
        s.written(5);
        s.acknowledged(5, Sent::Done);
        assert!(matches!(done(&mut b), Some(Sent::Done)));
    }

    #[test]
    fn closing_fails_every_waiting_send() {
        let mut s = Sends::default();
        let mut a = s.queue(1);
        let mut b = s.queue(1);
        s.written(1);
        s.close();
        assert!(matches!(done(&mut a), Some(Sent::Closed)));
        assert!(matches!(done(&mut b), Some(Sent::Closed)));
    }
}
