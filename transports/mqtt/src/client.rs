//! The two rumqttc clients (MQTT 3.1.1 and MQTT 5) behind one [`Client`] trait, and the routing
//! of received publishes to subscriptions that a connection's clones share.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use rumqttc::AsyncClient;
use tokio::sync::{mpsc, oneshot};

use crate::WILDCARDS;
use crate::envelope::{MqttEnvelope, qos_of, qos5_of};

pub(crate) struct Route {
    pub(crate) id: u64,
    pub(crate) filter: String,
    pub(crate) qos: u8,
    pub(crate) tx: mpsc::Sender<MqttEnvelope>,
}

pub(crate) struct Shared {
    pub(crate) routes: Mutex<Vec<Route>>,
    /// Subscriptions waiting for their SUBACK, in the order they were sent.
    pub(crate) pending: Mutex<VecDeque<oneshot::Sender<()>>>,
    pub(crate) next_id: AtomicU64,
    pub(crate) closed: AtomicBool,
    /// The connection dropped and is not back yet (for the log: one event each way).
    pub(crate) down: AtomicBool,
    pub(crate) server: String,
}

impl Shared {
    pub(crate) fn new(server: String) -> Arc<Shared> {
        Arc::new(Shared {
            routes: Mutex::new(Vec::new()),
            pending: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(1),
            closed: AtomicBool::new(false),
            down: AtomicBool::new(false),
            server,
        })
    }

    /// The connection failed (or an attempt to connect again did).
    pub(crate) fn lost(&self, error: &dyn std::error::Error) {
        if !self.down.swap(true, Ordering::SeqCst) {
            tracing::warn!(target: "asyncapi", server = %self.server, %error, "MQTT connection lost; connecting again");
        } else {
            tracing::debug!(target: "asyncapi", server = %self.server, %error, "MQTT reconnection failed");
        }
    }

    /// The broker accepted the connection (again).
    pub(crate) fn back(&self) {
        if self.down.swap(false, Ordering::SeqCst) {
            tracing::info!(target: "asyncapi", server = %self.server, "MQTT connection back");
        }
    }

    pub(crate) fn routes(&self) -> std::sync::MutexGuard<'_, Vec<Route>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn pending(&self) -> std::sync::MutexGuard<'_, VecDeque<oneshot::Sender<()>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Hands a received publish to every subscriber whose filter matches (waiting for room).
    pub(crate) async fn deliver(&self, envelope: MqttEnvelope) {
        let targets: Vec<(u64, mpsc::Sender<MqttEnvelope>)> = self
            .routes()
            .iter()
            .filter(|r| WILDCARDS.matches(&r.filter, &envelope.envelope.address))
            .map(|r| (r.id, r.tx.clone()))
            .collect();
        for (id, tx) in targets {
            if tx.send(envelope.clone()).await.is_err() {
                self.routes().retain(|r| r.id != id);
            }
        }
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
            .routes()
            .iter()
            .map(|r| (r.filter.clone(), r.qos))
            .collect();
        for _ in &filters {
            let (done, _) = oneshot::channel();
            self.pending().push_back(done);
        }
        filters
    }
}

/// What a connection needs of an MQTT client, whatever its protocol version.
pub trait Client: Clone + Send + Sync + Unpin + 'static {
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

/// An MQTT 3.1.1 client.
#[derive(Clone, Debug)]
pub struct V311(pub(crate) AsyncClient);

/// An MQTT 5 client.
#[derive(Clone, Debug)]
pub struct V5(pub(crate) rumqttc::v5::AsyncClient);

impl Client for V311 {
    async fn publish(
        &self,
        e: MqttEnvelope,
        qos: u8,
        retain: bool,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self
            .0
            .publish_bytes(e.envelope.address, qos_of(qos), retain, e.envelope.payload)
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

impl Client for V5 {
    async fn publish(
        &self,
        e: MqttEnvelope,
        qos: u8,
        retain: bool,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        let env = e.envelope;
        let properties = rumqttc::v5::mqttbytes::v5::PublishProperties {
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
            content_type: env.content_type,
            ..Default::default()
        };
        Ok(self
            .0
            .publish_bytes_with_properties(
                env.address,
                qos5_of(qos),
                retain,
                env.payload,
                properties,
            )
            .await?)
    }
    async fn subscribe(
        &self,
        filter: String,
        qos: u8,
    ) -> Result<(), asyncapi_runtime::transport::BoxError> {
        Ok(self.0.subscribe(filter, qos5_of(qos)).await?)
    }
    fn try_subscribe(&self, filter: String, qos: u8) {
        let _ = self.0.try_subscribe(filter, qos5_of(qos));
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
