//! The MQTT 3.1.1 transport (feature `mqtt`), on rumqttc.
//!
//! A [`MqttConnection`] is one client connection: a [`Producer`] whose publishers send with the
//! QoS and retain flag of the operation's MQTT binding, and a [`Consumer`] whose subscribers
//! subscribe to the channel's address as a topic filter (parameters not fixed become `+`) and
//! receive every matching publish. The connection runs rumqttc's event loop on a tokio task; when
//! the broker goes away it reconnects and subscribes again to every open subscription.
//!
//! MQTT 3.1.1 carries a topic and a payload only: headers, content type, reply address and
//! correlation id are not sent (MQTT 5 carries them). Received envelopes say the QoS they were
//! delivered with and whether the broker had retained them.

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use rumqttc::{AsyncClient, Event, EventLoop, LastWill, Packet, QoS};
use tokio::sync::{mpsc, oneshot};

use crate::address::{AddressTemplate, Wildcards};
use crate::envelope::{Envelope, EnvelopeReader, EnvelopeWriter, Headers};
use crate::security::{Credential, Credentials, KeyLocation};
use crate::transport::{ChannelSpec, Consumer, Producer, Publisher, Subscriber, TransportError};

/// How to connect.
#[derive(Clone, Debug)]
pub struct MqttOptions {
    host: String,
    port: u16,
    client_id: String,
    clean_session: bool,
    keep_alive: Duration,
    user: Option<(String, String)>,
    last_will: Option<(String, Bytes, u8, bool)>,
    capacity: usize,
    connect_timeout: Duration,
}

static CLIENT_IDS: AtomicU64 = AtomicU64::new(0);

impl MqttOptions {
    /// Options for a broker at `host:port`, with a generated client id, a clean session and a
    /// 30-second keep-alive.
    pub fn new(host: impl Into<String>, port: u16) -> MqttOptions {
        let n = CLIENT_IDS.fetch_add(1, Ordering::Relaxed);
        MqttOptions {
            host: host.into(),
            port,
            client_id: format!("asyncapi-rs-{}-{n}", std::process::id()),
            clean_session: true,
            keep_alive: Duration::from_secs(30),
            user: None,
            last_will: None,
            capacity: 1024,
            connect_timeout: Duration::from_secs(10),
        }
    }

    /// Options from a server URL or host: `mqtt://host:port`, `tcp://host:port`, `host:port`,
    /// `host` (port 1883).
    pub fn from_url(url: &str) -> Result<MqttOptions, TransportError> {
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>().map_err(|e| TransportError::Connect {
                    server: url.to_owned(),
                    source: Box::new(e),
                })?,
            ),
            None => (authority, 1883),
        };
        if host.is_empty() {
            return Err(TransportError::Connect {
                server: url.to_owned(),
                source: "the URL has no host".into(),
            });
        }
        Ok(MqttOptions::new(host, port))
    }

    /// The client identifier.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = id.into();
        self
    }

    /// Whether the broker forgets the session on disconnect (`cleanSession`).
    pub fn clean_session(mut self, clean: bool) -> Self {
        self.clean_session = clean;
        self
    }

    /// The keep-alive interval.
    pub fn keep_alive(mut self, interval: Duration) -> Self {
        self.keep_alive = interval;
        self
    }

    /// The last will: published by the broker when the client goes away unannounced.
    pub fn last_will(
        mut self,
        topic: impl Into<String>,
        payload: impl Into<Bytes>,
        qos: u8,
        retain: bool,
    ) -> Self {
        self.last_will = Some((topic.into(), payload.into(), qos, retain));
        self
    }

    /// How many envelopes a subscriber buffers before the connection waits for it.
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// Applies credentials: a user and password, or an API key in the user or password field.
    /// Credentials MQTT cannot carry are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match c {
                Credential::UserPassword(u) => self.user = Some((u.user, u.password)),
                Credential::ApiKey {
                    key,
                    location: KeyLocation::User,
                } => self.user = Some((key.key, String::new())),
                Credential::ApiKey {
                    key,
                    location: KeyLocation::Password,
                } => {
                    let user = self.user.take().map(|(u, _)| u).unwrap_or_default();
                    self.user = Some((user, key.key))
                }
                other => {
                    return Err(TransportError::Connect {
                        server: format!("{}:{}", self.host, self.port),
                        source: format!("MQTT cannot carry the credential {other:?}").into(),
                    });
                }
            }
        }
        Ok(self)
    }

    fn to_rumqttc(&self) -> rumqttc::MqttOptions {
        let mut o = rumqttc::MqttOptions::new(&self.client_id, &self.host, self.port);
        o.set_clean_session(self.clean_session);
        o.set_keep_alive(self.keep_alive);
        if let Some((user, password)) = &self.user {
            o.set_credentials(user, password);
        }
        if let Some((topic, payload, qos, retain)) = &self.last_will {
            o.set_last_will(LastWill::new(topic, payload.clone(), qos_of(*qos), *retain));
        }
        o
    }
}

fn qos_of(level: u8) -> QoS {
    match level {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

fn level_of(qos: QoS) -> u8 {
    match qos {
        QoS::AtMostOnce => 0,
        QoS::AtLeastOnce => 1,
        QoS::ExactlyOnce => 2,
    }
}

/// An MQTT envelope: the plain envelope, plus QoS and retain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttEnvelope {
    /// Address (topic), payload, and the fields MQTT 3.1.1 does not send.
    pub envelope: Envelope,
    /// QoS to send with (`None`: the operation binding's, or 0), or that the message was
    /// delivered with.
    pub qos: Option<u8>,
    /// Whether the broker keeps it as the topic's last message (`None`: the binding's), or
    /// whether it was a retained message when received.
    pub retain: Option<bool>,
}

impl From<Envelope> for MqttEnvelope {
    fn from(envelope: Envelope) -> Self {
        MqttEnvelope {
            envelope,
            qos: None,
            retain: None,
        }
    }
}

impl From<MqttEnvelope> for Envelope {
    fn from(e: MqttEnvelope) -> Self {
        e.envelope
    }
}

impl EnvelopeWriter for MqttEnvelope {
    fn set_address(&mut self, address: String) {
        self.envelope.set_address(address);
    }
    fn set_payload(&mut self, payload: Bytes) {
        self.envelope.set_payload(payload);
    }
    fn set_content_type(&mut self, content_type: Option<&str>) {
        self.envelope.set_content_type(content_type);
    }
    fn headers_mut(&mut self) -> &mut Headers {
        self.envelope.headers_mut()
    }
    fn set_reply_to(&mut self, address: Option<String>) {
        self.envelope.set_reply_to(address);
    }
    fn set_correlation_id(&mut self, id: Option<String>) {
        self.envelope.set_correlation_id(id);
    }
}

impl EnvelopeReader for MqttEnvelope {
    fn address(&self) -> &str {
        self.envelope.address()
    }
    fn payload(&self) -> &Bytes {
        self.envelope.payload()
    }
    fn content_type(&self) -> Option<&str> {
        self.envelope.content_type()
    }
    fn headers(&self) -> &Headers {
        self.envelope.headers()
    }
    fn reply_to(&self) -> Option<&str> {
        self.envelope.reply_to()
    }
    fn correlation_id(&self) -> Option<&str> {
        self.envelope.correlation_id()
    }
}

struct Route {
    id: u64,
    filter: String,
    qos: QoS,
    tx: mpsc::Sender<MqttEnvelope>,
}

struct Shared {
    routes: Mutex<Vec<Route>>,
    /// Subscriptions waiting for their SUBACK, in the order they were sent.
    pending: Mutex<VecDeque<oneshot::Sender<()>>>,
    next_id: AtomicU64,
    closed: AtomicBool,
    server: String,
}

impl Shared {
    fn routes(&self) -> std::sync::MutexGuard<'_, Vec<Route>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, VecDeque<oneshot::Sender<()>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A connection to an MQTT 3.1.1 broker. Cloning it gives another handle to the same connection.
#[derive(Clone)]
pub struct MqttConnection {
    client: AsyncClient,
    shared: Arc<Shared>,
    capacity: usize,
}

impl std::fmt::Debug for MqttConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttConnection")
            .field("server", &self.shared.server)
            .finish_non_exhaustive()
    }
}

impl MqttConnection {
    /// Connects, and waits for the broker to accept the connection.
    pub async fn connect(options: MqttOptions) -> Result<MqttConnection, TransportError> {
        let server = format!("mqtt://{}:{}", options.host, options.port);
        let (client, mut events) = AsyncClient::new(options.to_rumqttc(), 64);
        // Messages are small and latency matters: no Nagle delay (with delayed ACKs it stalls a
        // stream of small publishes by ~40 ms).
        let mut network = rumqttc::NetworkOptions::new();
        network.set_tcp_nodelay(true);
        events.set_network_options(network);
        let connect_err = |source: rumqttc::ConnectionError| TransportError::Connect {
            server: server.clone(),
            source: Box::new(source),
        };
        // The first CONNACK, or the error that prevents it.
        let wait = async {
            loop {
                match events.poll().await {
                    Ok(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
                    Ok(_) => continue,
                    Err(e) => return Err(connect_err(e)),
                }
            }
        };
        tokio::time::timeout(options.connect_timeout, wait)
            .await
            .map_err(|_| TransportError::Connect {
                server: server.clone(),
                source: format!("no CONNACK within {:?}", options.connect_timeout).into(),
            })??;
        let shared = Arc::new(Shared {
            routes: Mutex::new(Vec::new()),
            pending: Mutex::new(VecDeque::new()),
            next_id: AtomicU64::new(1),
            closed: AtomicBool::new(false),
            server,
        });
        tokio::spawn(run(events, client.clone(), shared.clone()));
        Ok(MqttConnection {
            client,
            shared,
            capacity: options.capacity,
        })
    }

    /// Disconnects; every subscriber's stream ends.
    pub async fn close(&self) -> Result<(), TransportError> {
        self.shared.closed.store(true, Ordering::SeqCst);
        self.shared.routes().clear();
        self.client
            .disconnect()
            .await
            .map_err(|e| TransportError::Closed(format!("{}: {e}", self.shared.server)))
    }
}

/// The event loop: routes publishes to subscribers, completes subscriptions, reconnects (and
/// subscribes again) when the connection drops.
async fn run(mut events: EventLoop, client: AsyncClient, shared: Arc<Shared>) {
    let mut backoff = Duration::from_millis(100);
    while !shared.closed.load(Ordering::SeqCst) {
        match events.poll().await {
            Ok(Event::Incoming(Packet::Publish(p))) => {
                backoff = Duration::from_millis(100);
                let targets: Vec<(u64, mpsc::Sender<MqttEnvelope>)> = shared
                    .routes()
                    .iter()
                    .filter(|r| Wildcards::Mqtt.matches(&r.filter, &p.topic))
                    .map(|r| (r.id, r.tx.clone()))
                    .collect();
                let envelope = MqttEnvelope {
                    envelope: Envelope {
                        address: p.topic.clone(),
                        payload: p.payload.clone(),
                        ..Envelope::default()
                    },
                    qos: Some(level_of(p.qos)),
                    retain: Some(p.retain),
                };
                for (id, tx) in targets {
                    if tx.send(envelope.clone()).await.is_err() {
                        shared.routes().retain(|r| r.id != id);
                    }
                }
            }
            Ok(Event::Incoming(Packet::SubAck(_))) => {
                if let Some(done) = shared.pending().pop_front() {
                    let _ = done.send(());
                }
            }
            Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                backoff = Duration::from_millis(100);
                if !ack.session_present {
                    // A new session: the broker forgot our subscriptions.
                    let filters: Vec<(String, QoS)> = shared
                        .routes()
                        .iter()
                        .map(|r| (r.filter.clone(), r.qos))
                        .collect();
                    for (filter, qos) in filters {
                        // Its SUBACK completes nobody; keep the queue in step with the packets.
                        let (done, _) = oneshot::channel();
                        shared.pending().push_back(done);
                        let _ = client.try_subscribe(filter, qos);
                    }
                }
            }
            Ok(_) => {}
            Err(_) if shared.closed.load(Ordering::SeqCst) => break,
            Err(_) => {
                // rumqttc reconnects on the next poll; wait a little, longer each time.
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
    shared.routes().clear();
}

/// Sends on one MQTT channel.
#[derive(Debug)]
pub struct MqttPublisher {
    client: AsyncClient,
    qos: u8,
    retain: bool,
    closed: AtomicBool,
    channel: String,
}

impl Producer for MqttConnection {
    type Publisher = MqttPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<MqttPublisher, TransportError> {
        if self.shared.closed.load(Ordering::SeqCst) {
            return Err(TransportError::Closed(self.shared.server.clone()));
        }
        let binding = channel.bindings.mqtt.clone().unwrap_or_default();
        Ok(MqttPublisher {
            client: self.client.clone(),
            qos: binding.qos.unwrap_or(0),
            retain: binding.retain.unwrap_or(false),
            closed: AtomicBool::new(false),
            channel: channel.name.to_string(),
        })
    }
}

impl Publisher for MqttPublisher {
    type Envelope = MqttEnvelope;

    fn envelope(&self) -> MqttEnvelope {
        MqttEnvelope::default()
    }

    async fn send(&self, envelope: MqttEnvelope) -> Result<(), TransportError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(TransportError::Closed(format!(
                "publisher of `{}`",
                self.channel
            )));
        }
        let qos = qos_of(envelope.qos.unwrap_or(self.qos));
        let retain = envelope.retain.unwrap_or(self.retain);
        let address = envelope.envelope.address;
        self.client
            .publish_bytes(address.clone(), qos, retain, envelope.envelope.payload)
            .await
            .map_err(|e| TransportError::Send {
                address,
                source: Box::new(e),
            })
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.closed.store(true, Ordering::SeqCst);
        Ok(())
    }
}

/// Receives the publishes of one topic filter.
pub struct MqttSubscriber {
    client: AsyncClient,
    shared: Arc<Shared>,
    id: u64,
    filter: String,
    rx: mpsc::Receiver<MqttEnvelope>,
}

impl Consumer for MqttConnection {
    type Subscriber = MqttSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<MqttSubscriber, TransportError> {
        let open_err = |source: crate::transport::BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        if self.shared.closed.load(Ordering::SeqCst) {
            return Err(TransportError::Closed(self.shared.server.clone()));
        }
        let template =
            AddressTemplate::parse(&channel.address).map_err(|e| open_err(Box::new(e)))?;
        let fixed: Vec<(&str, &str)> = channel
            .params
            .iter()
            .map(|(n, v)| (n.as_ref(), v.as_str()))
            .collect();
        let filter = template
            .pattern(&fixed, Wildcards::Mqtt)
            .map_err(|e| open_err(Box::new(e)))?;
        let qos = qos_of(
            channel
                .bindings
                .mqtt
                .as_ref()
                .and_then(|m| m.qos)
                .unwrap_or(0),
        );
        let (tx, rx) = mpsc::channel(self.capacity);
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        self.shared.routes().push(Route {
            id,
            filter: filter.clone(),
            qos,
            tx,
        });
        let (done, acked) = oneshot::channel();
        self.shared.pending().push_back(done);
        self.client
            .subscribe(filter.clone(), qos)
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        tokio::time::timeout(Duration::from_secs(10), acked)
            .await
            .map_err(|_| open_err(format!("no SUBACK for `{filter}` within 10 s").into()))?
            .map_err(|_| TransportError::Closed(self.shared.server.clone()))?;
        Ok(MqttSubscriber {
            client: self.client.clone(),
            shared: self.shared.clone(),
            id,
            filter,
            rx,
        })
    }
}

impl std::fmt::Debug for MqttSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSubscriber")
            .field("filter", &self.filter)
            .finish_non_exhaustive()
    }
}

impl MqttSubscriber {
    fn detach(&mut self) -> bool {
        let mut routes = self.shared.routes();
        routes.retain(|r| r.id != self.id);
        // Unsubscribe only when no other subscriber of this connection uses the same filter.
        !routes.iter().any(|r| r.filter == self.filter)
    }
}

impl Stream for MqttSubscriber {
    type Item = Result<MqttEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|e| e.map(Ok))
    }
}

impl Subscriber for MqttSubscriber {
    type Envelope = MqttEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        let last = self.detach();
        self.rx.close();
        if last && !self.shared.closed.load(Ordering::SeqCst) {
            self.client
                .unsubscribe(self.filter.clone())
                .await
                .map_err(|e| TransportError::Closed(format!("{}: {e}", self.filter)))?;
        }
        Ok(())
    }
}

impl Drop for MqttSubscriber {
    fn drop(&mut self) {
        if self.detach() && !self.shared.closed.load(Ordering::SeqCst) {
            let _ = self.client.try_unsubscribe(self.filter.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let o = MqttOptions::from_url("mqtt://broker.local:8883").unwrap();
        assert_eq!((o.host.as_str(), o.port), ("broker.local", 8883));
        let o = MqttOptions::from_url("localhost").unwrap();
        assert_eq!((o.host.as_str(), o.port), ("localhost", 1883));
        assert!(MqttOptions::from_url("mqtt://:1883").is_err());
        assert!(MqttOptions::from_url("mqtt://h:port").is_err());
    }

    #[test]
    fn credentials_go_in_the_connect_packet() {
        use crate::security::{ApiKey, Token, UserPassword};
        struct Key;
        impl Credentials for Key {
            fn credentials(&self) -> Vec<Credential> {
                vec![Credential::ApiKey {
                    key: ApiKey { key: "k".into() },
                    location: KeyLocation::User,
                }]
            }
        }
        let o = MqttOptions::new("h", 1).credentials(&Key).unwrap();
        assert_eq!(o.user, Some(("k".into(), String::new())));
        struct Both;
        impl Credentials for Both {
            fn credentials(&self) -> Vec<Credential> {
                vec![
                    Credential::UserPassword(UserPassword {
                        user: "u".into(),
                        password: "p".into(),
                    }),
                    Credential::token("Bearer", &Token { token: "t".into() }),
                ]
            }
        }
        assert!(MqttOptions::new("h", 1).credentials(&Both).is_err());
    }
}
