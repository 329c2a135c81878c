//! The two rumqttc clients (MQTT 3.1.1 and MQTT 5) behind one [`MqttClient`] trait, and the routing
//! of received publishes to subscriptions that a connection's clones share.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::oneshot;

use asyncapi_runtime::ack::AckMode;
use asyncapi_runtime::delivery::{Fanout, NotQueued};
use asyncapi_runtime::transport::{BoxFuture, TransportError};

use crate::WILDCARDS;
use crate::acks::{Receipt, Sends};
use crate::envelope::{MqttEnvelope, qos_of};

/// What the event loop wrote, of what the sends and `close` wait for; both protocol versions
/// events map to it.
#[derive(Clone, Copy)]
pub(crate) enum Outgoing {
    Publish(u16),
    AwaitAck(u16),
    Disconnect,
    Other,
}

impl From<&rumqttc_v4::Outgoing> for Outgoing {
    fn from(out: &rumqttc_v4::Outgoing) -> Outgoing {
        match out {
            rumqttc_v4::Outgoing::Publish(pkid) => Outgoing::Publish(*pkid),
            rumqttc_v4::Outgoing::AwaitAck(pkid) => Outgoing::AwaitAck(*pkid),
            rumqttc_v4::Outgoing::Disconnect => Outgoing::Disconnect,
            _ => Outgoing::Other,
        }
    }
}

impl From<&rumqttc_v5::Outgoing> for Outgoing {
    fn from(out: &rumqttc_v5::Outgoing) -> Outgoing {
        match out {
            rumqttc_v5::Outgoing::Publish(pkid) => Outgoing::Publish(*pkid),
            rumqttc_v5::Outgoing::AwaitAck(pkid) => Outgoing::AwaitAck(*pkid),
            rumqttc_v5::Outgoing::Disconnect => Outgoing::Disconnect,
            _ => Outgoing::Other,
        }
    }
}

/// What one subscription listens to: its topic filters, at a QoS, acknowledging in a mode,
/// alone or in a consumer group (an MQTT shared subscription).
#[derive(Clone)]
pub(crate) struct MqttRoute {
    /// The filters publishes are matched against (without any `$share/<group>/`).
    pub(crate) filters: Vec<String>,
    /// The group: the route subscribes to `$share/<group>/<filter>`.
    pub(crate) group: Option<String>,
    pub(crate) qos: u8,
    pub(crate) ack: AckMode,
    /// Cleared when the subscriber is closed or dropped: what its queue still holds was never
    /// handed to the application, so it is not acknowledged.
    pub(crate) open: Arc<AtomicBool>,
}

impl MqttRoute {
    fn takes(&self, topic: &str) -> bool {
        self.filters.iter().any(|f| WILDCARDS.matches(f, topic))
    }

    /// The filters as the broker is told them: `$share/<group>/<filter>` in a group.
    pub(crate) fn subscribed(&self) -> Vec<String> {
        self.filters
            .iter()
            .map(|f| shared_filter(self.group.as_deref(), f))
            .collect()
    }
}

/// `filter` as a subscription in `group` (an MQTT 5 shared subscription, which Mosquitto also
/// takes on 3.1.1 connections): `$share/<group>/<filter>`. The publishes it brings carry their
/// own topic, which the route matches against `filter`.
pub(crate) fn shared_filter(group: Option<&str>, filter: &str) -> String {
    match group {
        Some(group) => format!("$share/{group}/{filter}"),
        None => filter.to_owned(),
    }
}

pub(crate) struct Shared {
    /// The subscriptions, each with its queue (the kit's fan-out): a publish goes once to each
    /// subscription one of whose filters matches; a break is told once to each.
    pub(crate) subscriptions: Fanout<MqttRoute, MqttEnvelope>,
    /// Subscriptions waiting for their SUBACK, in the order they were sent.
    pub(crate) pending: Mutex<VecDeque<oneshot::Sender<()>>>,
    pub(crate) closed: AtomicBool,
    /// The connection dropped and is not back yet (for the log: one event each way).
    pub(crate) down: AtomicBool,
    pub(crate) server: String,
    /// The session outlives the connection (`cleanSession: false`): publishes the broker sends
    /// before a subscriber for them is open again are kept for it, unacknowledged.
    pub(crate) persistent: bool,
    /// Those publishes (at most [`PARKED`]).
    pub(crate) parked: Mutex<Vec<Parked>>,
    /// Sends waiting to be written or acknowledged.
    pub(crate) sends: Mutex<Sends>,
    /// Held while a send is queued in `sends` and handed to the client, so that both see the
    /// sends in the same order.
    pub(crate) send_order: tokio::sync::Mutex<()>,
    /// Counts the broker's CONNACKs: a received publish is acknowledged only on the
    /// connection it came on (its packet id means nothing on the next).
    pub(crate) connection: Arc<AtomicU64>,
}

impl Shared {
    pub(crate) fn new(server: String, persistent: bool) -> Arc<Shared> {
        Arc::new(Shared {
            subscriptions: Fanout::new(),
            pending: Mutex::new(VecDeque::new()),
            closed: AtomicBool::new(false),
            down: AtomicBool::new(false),
            server,
            persistent,
            parked: Mutex::new(Vec::new()),
            sends: Mutex::new(Sends::default()),
            send_order: tokio::sync::Mutex::new(()),
            connection: Arc::new(AtomicU64::new(0)),
        })
    }

    pub(crate) fn sends(&self) -> std::sync::MutexGuard<'_, Sends> {
        self.sends.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connection failed (or an attempt to connect again did).
    pub(crate) fn lost(&self, error: &dyn std::error::Error) {
        if !self.down.swap(true, Ordering::SeqCst) {
            tracing::warn!(target: "asyncapi", server = %self.server, %error, "MQTT connection lost; connecting again");
            // One error per subscriber, however many filters it has, behind what its queue
            // holds.
            let what = format!(
                "the connection to {} broke ({error}); connecting again",
                self.server
            );
            self.subscriptions.broke(|address| TransportError::Receive {
                address: address.to_owned(),
                source: what.clone().into(),
            });
        } else {
            tracing::debug!(target: "asyncapi", server = %self.server, %error, "MQTT reconnection failed");
        }
    }

    /// The broker accepted the connection (again).
    pub(crate) fn back(&self) {
        self.connection.fetch_add(1, Ordering::SeqCst);
        if self.down.swap(false, Ordering::SeqCst) {
            tracing::info!(target: "asyncapi", server = %self.server, "MQTT connection back");
        }
    }

    pub(crate) fn pending(&self) -> std::sync::MutexGuard<'_, VecDeque<oneshot::Sender<()>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Hands a received publish to every subscriber whose filter matches, each with its
    /// acknowledgement when the publish has QoS 1 or 2: at once to those whose queue has room;
    /// from the first whose queue is full (and waits for room) on, in order, by the future
    /// returned, which the caller runs beside the event loop. `None`: it is all delivered.
    pub(crate) fn deliver<C: MqttClient>(
        &self,
        envelope: MqttEnvelope,
        client: &C,
        publish: C::Incoming,
    ) -> Option<BoxFuture<'static, ()>> {
        // Once to each subscriber, whichever of its filters matched; once to each group of
        // this connection's subscribers (the broker sent the connection one copy for them).
        let targets = self.subscriptions.select_shared(
            |r| {
                r.takes(&envelope.envelope.address)
                    .then(|| (r.ack, Arc::clone(&r.open)))
            },
            |r| r.group.as_deref(),
        );
        let acknowledged = envelope.qos.unwrap_or(0) > 0;
        if targets.is_empty() && acknowledged && self.persistent {
            let mut parked = self.parked.lock().unwrap_or_else(|e| e.into_inner());
            if parked.len() < PARKED {
                // Not acknowledged until a subscriber takes it (or the session resumes again).
                let receipt = self.receipt(client, publish, 1);
                parked.push(Parked {
                    envelope,
                    handle: Box::new(move |mode, open| receipt.handle(mode, open)),
                });
            }
            return None;
        }
        let mut copies = Copies {
            receipt: acknowledged.then(|| self.receipt(client, publish, targets.len())),
            last: targets.len().saturating_sub(1),
            envelope: Some(envelope),
        };
        let mut targets = targets.into_iter().enumerate();
        while let Some((i, ((mode, open), tx))) = targets.next() {
            let copy = copies.take(i, mode, open)?;
            // A subscriber gone meanwhile drops its copy, and with it its acknowledgement.
            if let Err(NotQueued::Full(copy)) = tx.queue_now(copy) {
                return Some(Box::pin(async move {
                    let _ = tx.send(copy).await;
                    for (i, ((mode, open), tx)) in targets {
                        let Some(copy) = copies.take(i, mode, open) else {
                            break;
                        };
                        let _ = tx.send(copy).await;
                    }
                }));
            }
        }
        None
    }

    /// The receipt of a publish received on the current connection, delivered to `subscribers`.
    fn receipt<C: MqttClient>(
        &self,
        client: &C,
        publish: C::Incoming,
        subscribers: usize,
    ) -> Arc<Receipt<C>> {
        Receipt::new(
            client.clone(),
            publish,
            subscribers,
            Arc::clone(&self.connection),
        )
    }

    /// Offers a QoS 0 publish to its subscribers without waiting: dropped and counted by those
    /// whose queue is full.
    pub(crate) fn offer(&self, envelope: MqttEnvelope) {
        let targets = self.subscriptions.select_shared(
            |r| r.takes(&envelope.envelope.address).then_some(()),
            |r| r.group.as_deref(),
        );
        for ((), tx) in targets {
            let _ = tx.try_send(envelope.clone());
        }
    }

    /// A publish larger than the connection takes: an error for it to each subscriber it was
    /// for; the caller acknowledges it (MQTT cannot refuse one, and left unacknowledged it would
    /// come again for ever).
    pub(crate) fn too_large(&self, topic: &str, size: usize, limit: usize) {
        tracing::warn!(target: "asyncapi", server = %self.server, topic, size, limit, "MQTT publish over the largest message size; acknowledged and dropped");
        for tx in self.subscriptions.targets(|r| r.takes(topic)) {
            tx.broke(TransportError::TooLarge {
                address: topic.to_owned(),
                size,
                limit,
                direction: "takes",
                option: "MqttOptions::max_message_size",
            });
        }
    }

    /// What the event loop wrote (both protocol versions report it alike): a publish and the
    /// packet id it got, a publish held back behind a packet id still in flight, or the
    /// DISCONNECT of `close` (`true`: the loop is done).
    pub(crate) fn outgoing(&self, out: Outgoing) -> bool {
        match out {
            Outgoing::Publish(pkid) => self.sends().written(pkid),
            Outgoing::AwaitAck(pkid) => self.sends().held_back(pkid),
            Outgoing::Disconnect => return true,
            Outgoing::Other => {}
        }
        false
    }

    /// The connection is over: subscribers' streams end and waiting sends fail.
    pub(crate) fn shut(&self) {
        self.subscriptions.close();
        self.sends().close();
    }

    /// The kept publishes a new subscription to `filter` (acknowledging in `mode`, open while
    /// `open` is set) takes.
    pub(crate) fn unpark(
        &self,
        filter: &str,
        mode: AckMode,
        open: &Arc<AtomicBool>,
    ) -> Vec<MqttEnvelope> {
        let mut parked = self.parked.lock().unwrap_or_else(|e| e.into_inner());
        let (taken, kept) = parked
            .drain(..)
            .partition(|p| WILDCARDS.matches(filter, &p.envelope.envelope.address));
        *parked = kept;
        taken
            .into_iter()
            .map(|p: Parked| {
                let mut envelope = p.envelope;
                envelope.envelope.acknowledgement = Some((p.handle)(mode, Arc::clone(open)));
                envelope
            })
            .collect()
    }

    /// A SUBACK completes the oldest subscription waiting for one.
    pub(crate) fn subscribed(&self) {
        if let Some(done) = self.pending().pop_front() {
            let _ = done.send(());
        }
    }

    /// After a CONNACK without a session: every open subscription, to subscribe again (their
    /// SUBACKs complete nobody, so placeholders keep the queue in step with the packets).
    pub(crate) fn to_renew(&self, session_present: bool) -> Vec<(String, u8)> {
        if session_present {
            return Vec::new();
        }
        let filters: Vec<(String, u8)> = self
            .subscriptions
            .keys()
            .into_iter()
            .flat_map(|r| r.subscribed().into_iter().map(move |f| (f, r.qos)))
            .collect();
        for _ in &filters {
            let (done, _) = oneshot::channel();
            self.pending().push_back(done);
        }
        filters
    }
}

/// How many publishes of a persistent session a connection keeps for subscribers not open yet.
pub(crate) const PARKED: usize = 1024;

/// A publish of a persistent session that arrived before its subscriber.
pub(crate) struct Parked {
    pub(crate) envelope: MqttEnvelope,
    /// Its acknowledgement, for a subscriber in the mode given.
    #[allow(clippy::type_complexity)]
    pub(crate) handle:
        Box<dyn Fn(AckMode, Arc<AtomicBool>) -> asyncapi_runtime::ack::Acknowledgement + Send>,
}

/// What a connection needs of an MQTT client, whatever its protocol version.
pub trait MqttClient: Clone + Send + Sync + Unpin + 'static {
    /// A received publish, as the client acknowledges it.
    type Incoming: Send + Sync + 'static;
    /// The topic of a received publish.
    fn topic(publish: &Self::Incoming) -> String;
    /// Acknowledges a received QoS 1 or 2 publish.
    fn ack(
        &self,
        publish: &Self::Incoming,
    ) -> impl std::future::Future<Output = Result<(), asyncapi_runtime::transport::BoxError>> + Send;
    /// Acknowledges without waiting (when a handle is dropped): on a task when the client's
    /// queue is full.
    fn try_ack(&self, publish: &Self::Incoming);
    /// Publishes.
    fn publish(
        &self,
        envelope: MqttEnvelope,
        qos: u8,
        retain: bool,
    ) -> impl std::future::Future<Output = Result<(), asyncapi_runtime::transport::BoxError>> + Send;
    /// Subscribes.
    fn subscribe(
        &self,
        filter: String,
        qos: u8,
    ) -> impl std::future::Future<Output = Result<(), asyncapi_runtime::transport::BoxError>> + Send;
    /// Subscribes without waiting (from the event loop).
    fn try_subscribe(&self, filter: String, qos: u8);
    /// Unsubscribes.
    fn unsubscribe(
        &self,
        filter: String,
    ) -> impl std::future::Future<Output = Result<(), asyncapi_runtime::transport::BoxError>> + Send;
    /// Unsubscribes without waiting (on drop).
    fn try_unsubscribe(&self, filter: String);
    /// Disconnects.
    fn disconnect(
        &self,
    ) -> impl std::future::Future<Output = Result<(), asyncapi_runtime::transport::BoxError>> + Send;
}

/// Finishes an acknowledgement the client's full queue refused, on a task (when there is a
/// runtime: a handle dropped elsewhere leaves the publish to come again).
fn spawn_ack<E: std::fmt::Display>(
    ack: impl std::future::Future<Output = Result<(), E>> + Send + 'static,
) {
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            if let Err(error) = ack.await {
                tracing::debug!(target: "asyncapi", %error, "MQTT acknowledgement not sent");
            }
        });
    }
}

/// An MQTT 3.1.1 client.
#[derive(Clone, Debug)]
pub struct Mqtt311Client(pub(crate) rumqttc_v4::AsyncClient);

/// An MQTT 5 client.
#[derive(Clone, Debug)]
pub struct Mqtt5Client(pub(crate) rumqttc_v5::AsyncClient);

impl MqttClient for Mqtt311Client {
    type Incoming = rumqttc_v4::Publish;
    fn topic(publish: &rumqttc_v4::Publish) -> String {
        String::from_utf8_lossy(&publish.topic).into_owned()
    }
    async fn ack(
        &self,
        p: &rumqttc_v4::Publish,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.ack(p).await?)
    }
    fn try_ack(&self, p: &rumqttc_v4::Publish) {
        if self.0.try_ack(p).is_err() {
            let (client, p) = (self.0.clone(), p.clone());
            spawn_ack(async move { client.ack(&p).await });
        }
    }
    async fn publish(
        &self,
        e: MqttEnvelope,
        qos: u8,
        retain: bool,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self
            .0
            .publish(
                e.envelope.address,
                e.envelope.payload,
                rumqttc_v4::PublishOptions::new(qos_of(qos)).retain(retain),
            )
            .await?)
    }
    async fn subscribe(
        &self,
        filter: String,
        qos: u8,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.subscribe(filter, qos_of(qos)).await?)
    }
    fn try_subscribe(&self, filter: String, qos: u8) {
        let _ = self.0.try_subscribe(filter, qos_of(qos));
    }
    async fn unsubscribe(
        &self,
        filter: String,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.unsubscribe(filter).await?)
    }
    fn try_unsubscribe(&self, filter: String) {
        let _ = self.0.try_unsubscribe(filter);
    }
    async fn disconnect(&self) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.disconnect().await?)
    }
}

impl MqttClient for Mqtt5Client {
    type Incoming = rumqttc_v5::Publish;
    fn topic(publish: &Self::Incoming) -> String {
        String::from_utf8_lossy(&publish.topic).into_owned()
    }
    async fn ack(&self, p: &Self::Incoming) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.ack(p).await?)
    }
    fn try_ack(&self, p: &Self::Incoming) {
        if self.0.try_ack(p).is_err() {
            let (client, p) = (self.0.clone(), p.clone());
            spawn_ack(async move { client.ack(&p).await });
        }
    }
    async fn publish(
        &self,
        e: MqttEnvelope,
        qos: u8,
        retain: bool,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        let env = e.envelope;
        let properties = rumqttc_v5::PublishProperties {
            payload_format_indicator: e.payload_format_indicator,
            message_expiry_interval: e.message_expiry_interval,
            response_topic: env.reply_to,
            correlation_data: env.correlation_id.map(Bytes::from),
            user_properties: env
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            content_type: env.content_type.map(std::borrow::Cow::into_owned),
            ..Default::default()
        };
        Ok(self
            .0
            .publish(
                env.address,
                env.payload,
                rumqttc_v5::PublishOptions::new(qos_of(qos))
                    .retain(retain)
                    .properties(properties),
            )
            .await?)
    }
    async fn subscribe(
        &self,
        filter: String,
        qos: u8,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.subscribe(filter, qos_of(qos)).await?)
    }
    fn try_subscribe(&self, filter: String, qos: u8) {
        let _ = self.0.try_subscribe(filter, qos_of(qos));
    }
    async fn unsubscribe(
        &self,
        filter: String,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.unsubscribe(filter).await?)
    }
    fn try_unsubscribe(&self, filter: String) {
        let _ = self.0.try_unsubscribe(filter);
    }
    async fn disconnect(&self) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.disconnect().await?)
    }
}

/// The copies of one received publish for its subscribers: the last takes the publish itself,
/// the others a clone; each with its acknowledgement of the shared receipt (QoS 1 and 2).
struct Copies<C: MqttClient> {
    envelope: Option<MqttEnvelope>,
    last: usize,
    receipt: Option<Arc<Receipt<C>>>,
}

impl<C: MqttClient> Copies<C> {
    /// The copy for the `i`th subscriber, acknowledging in `mode` while `open` is set.
    fn take(&mut self, i: usize, mode: AckMode, open: Arc<AtomicBool>) -> Option<MqttEnvelope> {
        let mut copy = if i == self.last {
            self.envelope.take()
        } else {
            self.envelope.clone()
        }?;
        copy.envelope.acknowledgement = self.receipt.as_ref().map(|r| r.handle(mode, open));
        Some(copy)
    }
}
