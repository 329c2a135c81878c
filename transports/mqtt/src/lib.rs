//! The MQTT transports of asyncapi-rs (the `asyncapi` crate's feature `mqtt`), on rumqttc: [`MqttConnection`] speaks MQTT 3.1.1 and
//! [`Mqtt5Connection`] MQTT 5.
//!
//! TLS (`mqtts`, `secure-mqtt`) goes through the platform's TLS library (OpenSSL on Linux, via
//! native-tls): rumqttc's rustls features depend on `rustls-pemfile`, which is unmaintained
//! (RUSTSEC-2025-0134).
//!
//! A connection is one client connection: a [`Producer`] whose publishers send with the
//! QoS and retain flag of the operation's MQTT binding, and a [`Consumer`] whose subscribers
//! subscribe to the channel's address as a topic filter (parameters not fixed become `+`) and
//! receive every matching publish. The connection runs rumqttc's event loop on a tokio task; when
//! the broker goes away it reconnects and subscribes again to every open subscription.
//!
//! MQTT 3.1.1 carries a topic and a payload only: headers, content type, reply address and
//! correlation id are not sent. MQTT 5 carries them all, as user properties, the content-type
//! property, the response topic and the correlation data, with the message bindings' payload
//! format indicator and the operation binding's message expiry interval. Received envelopes say
//! the QoS they were delivered with and whether the broker had retained them.

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
use tracing::Instrument;

use asyncapi_runtime::address::{AddressTemplate, Wildcards};
use asyncapi_runtime::envelope::{Envelope, EnvelopeReader, EnvelopeWriter, Headers};
use asyncapi_runtime::registry::{Descriptor, Kind, Protocol, connect_with};
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::transport::{
    Backoff, ChannelSpec, Connect, Consumer, Producer, Publisher, PublisherState, Subscriber,
    TransportError,
};

/// MQTT's subscription syntax: `/`-separated levels, `+` for one level (an empty one too), `#`
/// for every remaining level (and the level before it).
pub const WILDCARDS: Wildcards = Wildcards::new('/', "+", "#")
    .forbidding(&['+', '#', '\0'])
    .rest_matches_parent(true)
    .single_matches_empty(true);

/// The security schemes both MQTT connections accept: a user and password, an API key in the
/// user or password field, and a TLS client certificate.
const SECURITY: &[&str] = &["userPassword", "apiKey", "X509"];

/// [`MqttConnection`] in the registry: `mqtt`, `mqtts` and `secure-mqtt` servers that give no
/// protocol version or version 3.1.1.
pub static MQTT: Descriptor = Descriptor {
    name: "MQTT 3.1.1",
    feature: Some("mqtt"),
    protocols: &[
        Protocol::default_versions("mqtt", &["3.1.1", "3.1", "3"]),
        Protocol::default_versions("mqtts", &["3.1.1", "3.1", "3"]),
        Protocol::default_versions("secure-mqtt", &["3.1.1", "3.1", "3"]),
    ],
    library: "rumqttc",
    library_version: "0.25",
    kind: Kind::Brokered,
    bindings: &[
        "server.clientId",
        "server.cleanSession",
        "server.keepAlive",
        "server.lastWill",
        "operation.qos",
        "operation.retain",
    ],
    security: SECURITY,
    connect: Some(connect_with::<MqttConnection>),
};

/// [`Mqtt5Connection`] in the registry: `mqtt5` servers, and `mqtt`, `mqtts` and `secure-mqtt`
/// servers of protocol version 5.
pub static MQTT5: Descriptor = Descriptor {
    name: "MQTT 5",
    feature: Some("mqtt"),
    protocols: &[
        Protocol::any_version("mqtt5"),
        Protocol::versions("mqtt", &["5"]),
        Protocol::versions("mqtts", &["5"]),
        Protocol::versions("secure-mqtt", &["5"]),
    ],
    library: "rumqttc",
    library_version: "0.25",
    kind: Kind::Brokered,
    bindings: &[
        "server.clientId",
        "server.cleanSession",
        "server.keepAlive",
        "server.lastWill",
        "server.sessionExpiryInterval",
        "server.maximumPacketSize",
        "operation.qos",
        "operation.retain",
        "operation.messageExpiryInterval",
        "message.payloadFormatIndicator",
        "message.contentType",
        "message.responseTopic",
    ],
    security: SECURITY,
    connect: Some(connect_with::<Mqtt5Connection>),
};

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
    session_expiry_interval: Option<u32>,
    maximum_packet_size: Option<u32>,
    tls: Option<Tls>,
}

/// TLS settings: the system's certificate authorities, plus any given, and an optional client
/// certificate.
#[derive(Clone, Debug, Default)]
struct Tls {
    roots_pem: Vec<Vec<u8>>,
    client: Option<(Vec<u8>, Vec<u8>)>,
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
            session_expiry_interval: None,
            maximum_packet_size: None,
            tls: None,
        }
    }

    /// Connects with TLS (what `mqtts://` and `ssl://` URLs ask for), trusting the system's
    /// certificate authorities.
    pub fn tls(mut self) -> Self {
        self.tls.get_or_insert_with(Tls::default);
        self
    }

    /// Connects with TLS, also trusting the certificate authority in this PEM text.
    pub fn root_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls
            .get_or_insert_with(Tls::default)
            .roots_pem
            .push(pem.into());
        self
    }

    /// Connects with TLS, presenting this client certificate and PKCS #8 key (PEM texts).
    pub fn client_certificate_pem(
        mut self,
        certificate: impl Into<Vec<u8>>,
        key: impl Into<Vec<u8>>,
    ) -> Self {
        self.tls.get_or_insert_with(Tls::default).client = Some((certificate.into(), key.into()));
        self
    }

    /// The transport for rumqttc: TCP, or TLS through the platform's TLS library (OpenSSL).
    fn transport(&self) -> Result<rumqttc::Transport, TransportError> {
        let Some(tls) = &self.tls else {
            return Ok(rumqttc::Transport::Tcp);
        };
        let err = |e: native_tls::Error| TransportError::Connect {
            server: format!("{}:{}", self.host, self.port),
            source: Box::new(e),
        };
        let mut builder = native_tls::TlsConnector::builder();
        for pem in &tls.roots_pem {
            builder.add_root_certificate(native_tls::Certificate::from_pem(pem).map_err(err)?);
        }
        if let Some((cert, key)) = &tls.client {
            builder.identity(native_tls::Identity::from_pkcs8(cert, key).map_err(err)?);
        }
        let connector = builder.build().map_err(err)?;
        Ok(rumqttc::Transport::tls_with_config(
            rumqttc::TlsConfiguration::NativeConnector(connector),
        ))
    }

    /// Options for a server of the document (its generated `spec`): the URL, TLS for `mqtts` and
    /// `secure-mqtt`, the MQTT server binding (client id, clean session, keep-alive, last will,
    /// session expiry, maximum packet size) and the credentials (a client certificate, `X509`, is
    /// presented over TLS).
    pub fn from_server(
        server: &asyncapi_runtime::transport::ServerSpec,
    ) -> Result<MqttOptions, TransportError> {
        let protocol = server.protocol.to_ascii_lowercase();
        let mut options = MqttOptions::from_url(&server.url)?;
        if protocol == "mqtts" || protocol == "secure-mqtt" {
            options = options.tls();
        }
        if let Some(b) = &server.bindings.mqtt {
            if let Some(id) = &b.client_id {
                options.client_id = id.to_string();
            }
            if let Some(clean) = b.clean_session {
                options.clean_session = clean;
            }
            if let Some(k) = b.keep_alive {
                options.keep_alive = Duration::from_secs(u64::from(k));
            }
            if let Some(w) = &b.last_will
                && let Some(topic) = &w.topic
            {
                let message = w.message.as_deref().unwrap_or_default().to_owned();
                options.last_will = Some((
                    topic.to_string(),
                    Bytes::from(message),
                    w.qos.unwrap_or(0),
                    w.retain.unwrap_or(false),
                ));
            }
            options.session_expiry_interval = b.session_expiry_interval;
            options.maximum_packet_size = b.maximum_packet_size;
        }
        options.credentials(&server.credentials)
    }

    /// Options from a server URL or host: `mqtt://host:port`, `tcp://host:port`, `host:port`,
    /// `host` (port 1883).
    pub fn from_url(url: &str) -> Result<MqttOptions, TransportError> {
        let secure = ["mqtts://", "ssl://", "secure-mqtt://"]
            .iter()
            .any(|s| url.starts_with(s));
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
            None if secure => (authority, 8883),
            None => (authority, 1883),
        };
        if host.is_empty() {
            return Err(TransportError::Connect {
                server: url.to_owned(),
                source: "the URL has no host".into(),
            });
        }
        let options = MqttOptions::new(host, port);
        Ok(if secure { options.tls() } else { options })
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

    /// MQTT 5: how long the broker keeps the session after a disconnect, in seconds.
    pub fn session_expiry_interval(mut self, seconds: u32) -> Self {
        self.session_expiry_interval = Some(seconds);
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
                Credential::ClientCertificate(c) => {
                    self = self.client_certificate_pem(c.certificate_pem, c.private_key_pem)
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

    fn to_v5(&self) -> rumqttc::v5::MqttOptions {
        let mut o = rumqttc::v5::MqttOptions::new(&self.client_id, &self.host, self.port);
        o.set_clean_start(self.clean_session);
        o.set_keep_alive(self.keep_alive);
        o.set_session_expiry_interval(self.session_expiry_interval);
        if let Some(max) = self.maximum_packet_size {
            o.set_max_packet_size(Some(max));
        }
        if let Some((user, password)) = &self.user {
            o.set_credentials(user, password);
        }
        if let Some((topic, payload, qos, retain)) = &self.last_will {
            o.set_last_will(rumqttc::v5::mqttbytes::v5::LastWill::new(
                topic,
                payload.clone(),
                qos5_of(*qos),
                *retain,
                None,
            ));
        }
        o
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

fn qos5_of(level: u8) -> rumqttc::v5::mqttbytes::QoS {
    use rumqttc::v5::mqttbytes::QoS as Q5;
    match level {
        0 => Q5::AtMostOnce,
        1 => Q5::AtLeastOnce,
        _ => Q5::ExactlyOnce,
    }
}

fn level5_of(qos: rumqttc::v5::mqttbytes::QoS) -> u8 {
    use rumqttc::v5::mqttbytes::QoS as Q5;
    match qos {
        Q5::AtMostOnce => 0,
        Q5::AtLeastOnce => 1,
        Q5::ExactlyOnce => 2,
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
    /// MQTT 5: 0 bytes, 1 UTF-8 text (from the message binding).
    pub payload_format_indicator: Option<u8>,
    /// MQTT 5: seconds the broker keeps it undelivered (`None`: the operation binding's).
    pub message_expiry_interval: Option<u32>,
}

impl From<Envelope> for MqttEnvelope {
    fn from(envelope: Envelope) -> Self {
        MqttEnvelope {
            envelope,
            ..MqttEnvelope::default()
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
    fn apply_bindings(&mut self, bindings: &asyncapi_runtime::bindings::MessageBindings) {
        if let Some(m) = &bindings.mqtt {
            self.payload_format_indicator =
                m.payload_format_indicator.or(self.payload_format_indicator);
            if let Some(ct) = &m.content_type {
                self.envelope.content_type = Some(ct.to_string());
            }
            if let (Some(topic), None) = (&m.response_topic, &self.envelope.reply_to) {
                self.envelope.reply_to = Some(topic.to_string());
            }
        }
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
    qos: u8,
    tx: mpsc::Sender<MqttEnvelope>,
}

struct Shared {
    routes: Mutex<Vec<Route>>,
    /// Subscriptions waiting for their SUBACK, in the order they were sent.
    pending: Mutex<VecDeque<oneshot::Sender<()>>>,
    next_id: AtomicU64,
    closed: AtomicBool,
    /// The connection dropped and is not back yet (for the log: one event each way).
    down: AtomicBool,
    server: String,
}

impl Shared {
    fn new(server: String) -> Arc<Shared> {
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
    fn lost(&self, error: &dyn std::error::Error) {
        if !self.down.swap(true, Ordering::SeqCst) {
            tracing::warn!(target: "asyncapi", server = %self.server, %error, "MQTT connection lost; connecting again");
        } else {
            tracing::debug!(target: "asyncapi", server = %self.server, %error, "MQTT reconnection failed");
        }
    }

    /// The broker accepted the connection (again).
    fn back(&self) {
        if self.down.swap(false, Ordering::SeqCst) {
            tracing::info!(target: "asyncapi", server = %self.server, "MQTT connection back");
        }
    }

    fn routes(&self) -> std::sync::MutexGuard<'_, Vec<Route>> {
        self.routes.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, VecDeque<oneshot::Sender<()>>> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Hands a received publish to every subscriber whose filter matches (waiting for room).
    async fn deliver(&self, envelope: MqttEnvelope) {
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
    fn subscribed(&self) {
        if let Some(done) = self.pending().pop_front() {
            let _ = done.send(());
        }
    }

    /// After a CONNACK without a session: every open subscription, to subscribe again (their
    /// SUBACKs complete nobody, so placeholders keep the queue in step with the packets).
    fn to_renew(&self, session_present: bool) -> Vec<(String, u8)> {
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
pub struct V311(AsyncClient);

/// An MQTT 5 client.
#[derive(Clone, Debug)]
pub struct V5(rumqttc::v5::AsyncClient);

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

/// A connection to an MQTT broker; `C` is the protocol version's client. Cloning it gives another
/// handle to the same connection.
#[derive(Clone)]
pub struct Connection<C> {
    client: C,
    shared: Arc<Shared>,
    capacity: usize,
}

/// A connection that speaks MQTT 3.1.1.
pub type MqttConnection = Connection<V311>;

/// A connection that speaks MQTT 5.
pub type Mqtt5Connection = Connection<V5>;

impl<C> std::fmt::Debug for Connection<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("server", &self.shared.server)
            .finish_non_exhaustive()
    }
}

/// Waits, at most `timeout`, for `wait`: the event loop's first CONNACK, or its error.
async fn connected<E>(
    server: &str,
    timeout: Duration,
    wait: impl std::future::Future<Output = Result<(), E>>,
) -> Result<(), TransportError>
where
    E: std::error::Error + Send + Sync + 'static,
{
    match tokio::time::timeout(timeout, wait).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(TransportError::Connect {
            server: server.to_owned(),
            source: Box::new(e),
        }),
        Err(_) => Err(TransportError::Connect {
            server: server.to_owned(),
            source: format!("no CONNACK within {timeout:?}").into(),
        }),
    }
}

/// Messages are small and latency matters: no Nagle delay (with delayed ACKs it stalls a stream
/// of small publishes by ~40 ms).
fn network_options() -> rumqttc::NetworkOptions {
    let mut network = rumqttc::NetworkOptions::new();
    network.set_tcp_nodelay(true);
    network
}

impl Connection<V311> {
    /// Connects with MQTT 3.1.1, and waits for the broker to accept the connection.
    pub async fn connect(options: MqttOptions) -> Result<MqttConnection, TransportError> {
        let scheme = if options.tls.is_some() {
            "mqtts"
        } else {
            "mqtt"
        };
        let server = format!("{scheme}://{}:{}", options.host, options.port);
        let mut mqtt_options = options.to_rumqttc();
        mqtt_options.set_transport(options.transport()?);
        let (client, mut events) = AsyncClient::new(mqtt_options, 64);
        events.set_network_options(network_options());
        let wait = async {
            loop {
                if let Event::Incoming(Packet::ConnAck(_)) = events.poll().await? {
                    return Ok::<(), rumqttc::ConnectionError>(());
                }
            }
        };
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        connected(&server, options.connect_timeout, wait)
            .instrument(span)
            .await?;
        let shared = Shared::new(server);
        let client = V311(client);
        tokio::spawn(run_v311(events, client.clone(), shared.clone()));
        Ok(Connection {
            client,
            shared,
            capacity: options.capacity,
        })
    }
}

impl Connection<V5> {
    /// Connects with MQTT 5, and waits for the broker to accept the connection.
    pub async fn connect(options: MqttOptions) -> Result<Mqtt5Connection, TransportError> {
        use rumqttc::v5::{Event as E5, mqttbytes::v5::Packet as P5};
        let server = format!("mqtt://{}:{} (MQTT 5)", options.host, options.port);
        let mut mqtt_options = options.to_v5();
        mqtt_options.set_network_options(network_options());
        mqtt_options.set_transport(options.transport()?);
        let (client, mut events) = rumqttc::v5::AsyncClient::new(mqtt_options, 64);
        let wait = async {
            loop {
                if let E5::Incoming(P5::ConnAck(_)) = events.poll().await? {
                    return Ok::<(), rumqttc::v5::ConnectionError>(());
                }
            }
        };
        let span = tracing::debug_span!(target: "asyncapi", "connect", server = %server);
        connected(&server, options.connect_timeout, wait)
            .instrument(span)
            .await?;
        let shared = Shared::new(server);
        let client = V5(client);
        tokio::spawn(run_v5(events, client.clone(), shared.clone()));
        Ok(Connection {
            client,
            shared,
            capacity: options.capacity,
        })
    }
}

impl<C: Client> Connection<C> {
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

impl Connect for Connection<V311> {
    const PROTOCOLS: &'static [&'static str] = &["mqtt", "mqtts", "secure-mqtt"];

    async fn connect_to(
        server: &asyncapi_runtime::transport::ServerSpec,
    ) -> Result<Self, TransportError> {
        Self::check_protocol(server)?;
        Connection::<V311>::connect(MqttOptions::from_server(server)?).await
    }
}

impl Connect for Connection<V5> {
    const PROTOCOLS: &'static [&'static str] = &["mqtt5", "mqtt", "mqtts", "secure-mqtt"];

    async fn connect_to(
        server: &asyncapi_runtime::transport::ServerSpec,
    ) -> Result<Self, TransportError> {
        Self::check_protocol(server)?;
        Connection::<V5>::connect(MqttOptions::from_server(server)?).await
    }
}

/// Between reconnection attempts: 100 ms, a little longer each time, five seconds at most.
fn backoff() -> Backoff {
    Backoff::new(Duration::from_millis(100), Duration::from_secs(5))
}

/// The MQTT 3.1.1 event loop: routes publishes, completes subscriptions, reconnects (and
/// subscribes again) when the connection drops.
async fn run_v311(mut events: EventLoop, client: V311, shared: Arc<Shared>) {
    let mut backoff = backoff();
    while !shared.is_closed() {
        match events.poll().await {
            Ok(Event::Incoming(Packet::Publish(p))) => {
                let envelope = MqttEnvelope {
                    envelope: Envelope {
                        address: p.topic,
                        payload: p.payload,
                        ..Envelope::default()
                    },
                    qos: Some(level_of(p.qos)),
                    retain: Some(p.retain),
                    ..MqttEnvelope::default()
                };
                shared.deliver(envelope).await;
            }
            Ok(Event::Incoming(Packet::SubAck(_))) => shared.subscribed(),
            Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                backoff.reset();
                shared.back();
                for (filter, qos) in shared.to_renew(ack.session_present) {
                    client.try_subscribe(filter, qos);
                }
            }
            Ok(_) => {}
            Err(_) if shared.is_closed() => break,
            // rumqttc reconnects on the next poll.
            Err(e) => {
                shared.lost(&e);
                backoff.wait().await
            }
        }
    }
    shared.routes().clear();
}

/// The MQTT 5 event loop: as [`run_v311`], with the publish properties read into the envelope.
async fn run_v5(mut events: rumqttc::v5::EventLoop, client: V5, shared: Arc<Shared>) {
    use rumqttc::v5::{Event as E5, mqttbytes::v5::Packet as P5};
    let mut backoff = backoff();
    while !shared.is_closed() {
        match events.poll().await {
            Ok(E5::Incoming(P5::Publish(p))) => {
                let props = p.properties.unwrap_or_default();
                let headers: Headers = props.user_properties.into_iter().collect();
                let envelope = MqttEnvelope {
                    envelope: Envelope {
                        address: String::from_utf8_lossy(&p.topic).into_owned(),
                        payload: p.payload,
                        content_type: props.content_type,
                        headers,
                        reply_to: props.response_topic,
                        correlation_id: props
                            .correlation_data
                            .map(|d| String::from_utf8_lossy(&d).into_owned()),
                    },
                    qos: Some(level5_of(p.qos)),
                    retain: Some(p.retain),
                    payload_format_indicator: props.payload_format_indicator,
                    message_expiry_interval: props.message_expiry_interval,
                };
                shared.deliver(envelope).await;
            }
            Ok(E5::Incoming(P5::SubAck(_))) => shared.subscribed(),
            Ok(E5::Incoming(P5::ConnAck(ack))) => {
                backoff.reset();
                shared.back();
                for (filter, qos) in shared.to_renew(ack.session_present) {
                    client.try_subscribe(filter, qos);
                }
            }
            Ok(_) => {}
            Err(_) if shared.is_closed() => break,
            Err(e) => {
                shared.lost(&e);
                backoff.wait().await
            }
        }
    }
    shared.routes().clear();
}

/// Sends on one MQTT channel.
#[derive(Debug)]
pub struct MqttPublisher<C> {
    client: C,
    qos: u8,
    retain: bool,
    message_expiry_interval: Option<u32>,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
}

impl<C: Client> Producer for Connection<C> {
    type Publisher = MqttPublisher<C>;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<MqttPublisher<C>, TransportError> {
        if self.shared.is_closed() {
            return Err(TransportError::Closed(self.shared.server.clone()));
        }
        let binding = channel.bindings.mqtt.clone().unwrap_or_default();
        Ok(MqttPublisher {
            client: self.client.clone(),
            qos: binding.qos.unwrap_or(0),
            retain: binding.retain.unwrap_or(false),
            message_expiry_interval: binding.message_expiry_interval,
            state: PublisherState::new(channel),
        })
    }
}

impl<C: Client> Publisher for MqttPublisher<C> {
    type Envelope = MqttEnvelope;

    fn envelope(&self) -> MqttEnvelope {
        MqttEnvelope::default()
    }

    async fn send(&self, mut envelope: MqttEnvelope) -> Result<(), TransportError> {
        self.state.check()?;
        let qos = envelope.qos.unwrap_or(self.qos);
        let retain = envelope.retain.unwrap_or(self.retain);
        envelope.message_expiry_interval = envelope
            .message_expiry_interval
            .or(self.message_expiry_interval);
        let address = envelope.envelope.address.clone();
        self.client
            .publish(envelope, qos, retain)
            .await
            .map_err(|source| TransportError::Send { address, source })
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

/// Receives the publishes of one topic filter.
pub struct MqttSubscriber<C: Client> {
    client: C,
    shared: Arc<Shared>,
    id: u64,
    filter: String,
    rx: mpsc::Receiver<MqttEnvelope>,
}

impl<C: Client> std::fmt::Debug for MqttSubscriber<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttSubscriber")
            .field("filter", &self.filter)
            .finish_non_exhaustive()
    }
}

impl<C: Client> Consumer for Connection<C> {
    type Subscriber = MqttSubscriber<C>;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<MqttSubscriber<C>, TransportError> {
        let open_err = |source: asyncapi_runtime::transport::BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        if self.shared.is_closed() {
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
            .pattern(&fixed, &WILDCARDS)
            .map_err(|e| open_err(Box::new(e)))?;
        let qos = channel
            .bindings
            .mqtt
            .as_ref()
            .and_then(|m| m.qos)
            .unwrap_or(0);
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
            .map_err(open_err)?;
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

impl<C: Client> MqttSubscriber<C> {
    fn detach(&mut self) -> bool {
        let mut routes = self.shared.routes();
        routes.retain(|r| r.id != self.id);
        // Unsubscribe only when no other subscriber of this connection uses the same filter.
        !routes.iter().any(|r| r.filter == self.filter)
    }
}

impl<C: Client> Stream for MqttSubscriber<C> {
    type Item = Result<MqttEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|e| e.map(Ok))
    }
}

impl<C: Client> Subscriber for MqttSubscriber<C> {
    type Envelope = MqttEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        let last = self.detach();
        self.rx.close();
        if last && !self.shared.is_closed() {
            self.client
                .unsubscribe(self.filter.clone())
                .await
                .map_err(|e| TransportError::Closed(format!("{}: {e}", self.filter)))?;
        }
        Ok(())
    }
}

impl<C: Client> Drop for MqttSubscriber<C> {
    fn drop(&mut self) {
        if self.detach() && !self.shared.is_closed() {
            self.client.try_unsubscribe(self.filter.clone());
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
    fn options_from_a_documents_server() {
        use asyncapi_runtime::bindings::{MqttLastWill, MqttServer, ServerBindings};
        use asyncapi_runtime::transport::ServerSpec;
        let mut spec = ServerSpec {
            name: "s".into(),
            url: "mqtt://broker:1884".into(),
            protocol: "mqtt".into(),
            protocol_version: None,
            bindings: ServerBindings {
                mqtt: Some(MqttServer {
                    client_id: Some("c-1".into()),
                    clean_session: Some(false),
                    keep_alive: Some(7),
                    last_will: Some(MqttLastWill {
                        topic: Some("bye".into()),
                        qos: Some(1),
                        message: Some("gone".into()),
                        retain: Some(true),
                    }),
                    session_expiry_interval: Some(60),
                    maximum_packet_size: Some(1024),
                }),
            },
            credentials: Vec::new(),
        };
        let o = MqttOptions::from_server(&spec).unwrap();
        assert_eq!(
            (o.host.as_str(), o.port, o.client_id.as_str()),
            ("broker", 1884, "c-1")
        );
        assert!(!o.clean_session);
        assert_eq!(o.keep_alive, Duration::from_secs(7));
        assert_eq!(
            o.last_will,
            Some(("bye".into(), Bytes::from("gone"), 1, true))
        );
        assert_eq!(
            (o.session_expiry_interval, o.maximum_packet_size),
            (Some(60), Some(1024))
        );
        assert!(o.tls.is_none());
        spec.protocol = "secure-mqtt".into();
        assert!(MqttOptions::from_server(&spec).unwrap().tls.is_some());
        let o = MqttOptions::from_url("mqtts://broker").unwrap();
        assert_eq!((o.port, o.tls.is_some()), (8883, true));
    }

    #[test]
    fn credentials_go_in_the_connect_packet() {
        use asyncapi_runtime::security::{ApiKey, Token, UserPassword};
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
