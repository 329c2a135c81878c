//! How to connect: [`MqttOptions`], from a URL, a document's server and its credentials.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;

use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{ConnectOptions, Reconnect, TransportError};
use asyncapi_runtime::url::{ServerUrl, redacted_url};

use crate::envelope::qos_of;

/// How to connect.
#[derive(Clone)]
pub struct MqttOptions {
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) client_id: String,
    pub(crate) clean_session: bool,
    pub(crate) keep_alive: Duration,
    pub(crate) user: Option<(String, String)>,
    pub(crate) last_will: Option<(String, Bytes, u8, bool)>,
    pub(crate) subscription_limits: Limits,
    pub(crate) connect_timeout: Duration,
    pub(crate) send_timeout: Duration,
    pub(crate) session_expiry_interval: Option<u32>,
    pub(crate) maximum_packet_size: Option<u32>,
    pub(crate) max_message_size: usize,
    pub(crate) reconnect: Reconnect,
    pub(crate) tls: Option<TlsOptions>,
    /// Why the URL given to [`MqttOptions::new`] does not parse: connecting fails with it.
    pub(crate) invalid: Option<(String, String)>,
}

/// Everything but the secrets: the user and password (an API key may stand in either) and the
/// client certificate's key are shown as redacted.
impl std::fmt::Debug for MqttOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttOptions")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("client_id", &self.client_id)
            .field("clean_session", &self.clean_session)
            .field("keep_alive", &self.keep_alive)
            .field("user", &self.user.as_ref().map(|_| "<redacted>"))
            .field(
                "last_will",
                &self.last_will.as_ref().map(|(topic, ..)| topic),
            )
            .field("subscription_limits", &self.subscription_limits)
            .field("connect_timeout", &self.connect_timeout)
            .field("send_timeout", &self.send_timeout)
            .field("session_expiry_interval", &self.session_expiry_interval)
            .field("maximum_packet_size", &self.maximum_packet_size)
            .field("max_message_size", &self.max_message_size)
            .field("reconnect", &self.reconnect)
            .field("tls", &self.tls)
            .field("invalid", &self.invalid)
            .finish()
    }
}

/// The largest MQTT packet sent or taken by default: 16 MiB (the protocol allows 256 MiB).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 16 * 1024 * 1024;

/// The largest packet MQTT can carry: 256 MiB less one byte (a four-byte remaining length).
const PROTOCOL_MAX: usize = 268_435_455 + 5;

pub(crate) static CLIENT_IDS: AtomicU64 = AtomicU64::new(0);

impl MqttOptions {
    /// Options for a broker URL (as [`from_url`](Self::from_url) reads it), with a generated
    /// client id, a clean session and a 30-second keep-alive. A URL that does not parse makes
    /// [`connect`](crate::MqttConnection::connect) fail with the reason.
    pub fn new(url: impl AsRef<str>) -> MqttOptions {
        let url = url.as_ref();
        MqttOptions::from_url(url).unwrap_or_else(|e| {
            let mut options = MqttOptions::at(String::new(), 1883);
            let reason = match e {
                TransportError::Connect { source, .. } => source.to_string(),
                other => other.to_string(),
            };
            options.invalid = Some((redacted_url(url), reason));
            options
        })
    }

    fn at(host: String, port: u16) -> MqttOptions {
        let n = CLIENT_IDS.fetch_add(1, Ordering::Relaxed);
        MqttOptions {
            host,
            port,
            client_id: format!("asyncapi-rs-{}-{n}", std::process::id()),
            clean_session: true,
            keep_alive: Duration::from_secs(30),
            user: None,
            last_will: None,
            subscription_limits: Limits::DEFAULT,
            connect_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(10),
            session_expiry_interval: None,
            maximum_packet_size: None,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            reconnect: Reconnect::DEFAULT,
            tls: None,
            invalid: None,
        }
    }

    /// Connects with TLS (what `mqtts://`, `ssl://` and `secure-mqtt://` URLs ask for), with
    /// these settings: by default the system's certificate authorities (see
    /// [`TlsOptions`] for what each setting means).
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = Some(tls);
        self
    }

    fn with_tls(mut self) -> Self {
        self.tls.get_or_insert_with(TlsOptions::new);
        self
    }

    fn edit_tls(mut self, edit: impl FnOnce(TlsOptions) -> TlsOptions) -> Self {
        self.tls = Some(edit(self.tls.take().unwrap_or_default()));
        self
    }

    /// Connects with TLS, also trusting the certificate authorities in this PEM (a file's path,
    /// or [`Pem::text`]); each call adds to the others and to the system's.
    pub fn root_certificate(self, pem: impl Into<Pem>) -> Self {
        let pem = pem.into();
        self.edit_tls(|tls| tls.root_certificate(pem))
    }

    /// Connects with TLS, presenting this client certificate and key (PEM files or texts).
    pub fn client_certificate(self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        let (certificate, key) = (certificate.into(), key.into());
        self.edit_tls(|tls| tls.client_certificate(certificate, key))
    }

    /// The largest packet (a publish: topic, payload and properties) the connection sends or
    /// takes, in bytes; [`DEFAULT_MAX_MESSAGE_SIZE`] (16 MiB) by default. A larger send fails
    /// with [`TransportError::TooLarge`] before anything is written. Receiving, MQTT 5 tells the
    /// broker (the CONNECT packet's maximum packet size; the server binding's
    /// `maximumPacketSize` when smaller), which then discards larger publishes for this client;
    /// MQTT 3.1.1 cannot, so a larger publish is read (up to four times the limit), given to
    /// its subscribers as a `TooLarge` error and acknowledged so that it does not come again
    /// (the connection stays up); only a publish past four times the limit breaks it.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes.max(64);
        self
    }

    /// How a broken connection comes back ([`Reconnect::DEFAULT`]: 100 ms, doubled up to 5 s):
    /// subscribers get one error for the break, then the publishes after it (the session's, when
    /// it is kept); with [`Reconnect::Never`] their streams end after that error and sends fail.
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// How long connecting waits for the broker's CONNACK; ten seconds by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The server as printed: scheme, host and port (never a secret).
    pub(crate) fn server(&self) -> String {
        let scheme = if self.tls.is_some() { "mqtts" } else { "mqtt" };
        format!("{scheme}://{}:{}", self.host, self.port)
    }

    /// The URL given to [`new`](Self::new) did not parse.
    pub(crate) fn check(&self) -> Result<(), TransportError> {
        match &self.invalid {
            None => Ok(()),
            Some((url, reason)) => Err(TransportError::Connect {
                server: url.clone(),
                source: reason.clone().into(),
            }),
        }
    }

    /// The transport for rumqttc: TCP, or TLS with the rustls configuration of the options.
    pub(crate) fn transport(&self) -> Result<Option<rumqttc_v4::TlsConfiguration>, TransportError> {
        let Some(tls) = &self.tls else {
            return Ok(None);
        };
        let config = tls.client_config().map_err(|e| TransportError::Connect {
            server: self.server(),
            source: Box::new(e),
        })?;
        Ok(Some(rumqttc_v4::TlsConfiguration::Rustls(Arc::new(config))))
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
            options = options.with_tls();
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
    /// `host` (port 1883); `mqtts://`, `ssl://` and `secure-mqtt://` connect with TLS (port 8883).
    /// A user and password in the URL (`mqtt://user:password@host`, percent-encoded) go in the
    /// CONNECT packet.
    pub fn from_url(url: &str) -> Result<MqttOptions, TransportError> {
        let parsed = ServerUrl::parse(url).map_err(|e| TransportError::Connect {
            server: e.url.clone(),
            source: e.reason.into(),
        })?;
        let secure = matches!(parsed.scheme(), Some("mqtts" | "ssl" | "secure-mqtt"));
        let port = parsed.port_or(if secure { 8883 } else { 1883 });
        let mut options = MqttOptions::at(parsed.host().to_owned(), port);
        if parsed.user().is_some() || parsed.password().is_some() {
            options.user = Some((
                parsed.user().unwrap_or_default().to_owned(),
                parsed.password().unwrap_or_default().to_owned(),
            ));
        }
        Ok(if secure { options.with_tls() } else { options })
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

    /// How long a send waits for the broker to take the message (QoS 0: for it to be written to
    /// the connection; QoS 1 and 2: for its acknowledgement) before it is
    /// [`Unconfirmed`](TransportError::Unconfirmed); ten seconds by default.
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout;
        self
    }

    /// What each subscriber's queue holds at most ([`Limits::DEFAULT`] by default). While one
    /// is full the connection waits for it
    /// ([`Overflow::Wait`](asyncapi_runtime::delivery::Overflow::Wait)): the socket is not read,
    /// so the broker keeps the rest (backpressure). Keep-alive and the acknowledgements of this
    /// connection's own sends wait too: a subscriber that reads nothing for about one and a half
    /// keep-alive intervals gets its connection dropped by the broker (one error for the break;
    /// a clean session loses what the broker held), so give a slow subscriber a connection of
    /// its own, and a persistent session where nothing may be lost.
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
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
                    self = self.client_certificate(
                        Pem::text(c.certificate_pem),
                        Pem::text(c.private_key_pem),
                    )
                }
                other => {
                    return Err(asyncapi_runtime::transport::cannot_carry(
                        "MQTT",
                        &self.server(),
                        &other,
                    ));
                }
            }
        }
        Ok(self)
    }

    pub(crate) fn to_v5(&self) -> rumqttc_v5::MqttOptions {
        let mut o = rumqttc_v5::MqttOptions::new(&self.client_id, (self.host.clone(), self.port));
        o.set_clean_start(self.clean_session);
        // Publishes are acknowledged when their subscribers have settled them.
        o.set_ack_mode(rumqttc_v5::AckMode::Manual);
        o.set_keep_alive(keep_alive_seconds(self.keep_alive));
        o.set_session_expiry_interval(self.session_expiry_interval);
        // A session the broker kept is taken up even though this client holds no state of it:
        // what it delivers is what `cleanSession: false` asks for.
        o.set_broker_session_resume_policy(rumqttc_v5::BrokerSessionResumePolicy::AllowBrokerOnly);
        let largest = u32::try_from(self.max_message_size).unwrap_or(u32::MAX);
        o.set_max_packet_size(Some(
            self.maximum_packet_size.map_or(largest, |m| m.min(largest)),
        ));
        // At most this many QoS 1 and 2 publishes unacknowledged: what the staging queue of the
        // event loop holds (see `inbound`).
        o.set_receive_maximum(Some(
            u16::try_from(crate::inbound::STAGING.messages()).unwrap_or(u16::MAX),
        ));
        if let Some((user, password)) = &self.user {
            o.set_credentials(user, password.clone());
        }
        if let Some((topic, payload, qos, retain)) = &self.last_will {
            o.set_last_will(rumqttc_v5::LastWill::new(
                topic,
                payload.to_vec(),
                qos_of(*qos),
                *retain,
                None,
            ));
        }
        o
    }

    pub(crate) fn to_v4(&self) -> rumqttc_v4::MqttOptions {
        let mut o = rumqttc_v4::MqttOptions::new(&self.client_id, (self.host.clone(), self.port));
        o.set_clean_session(self.clean_session);
        // Publishes are acknowledged when their subscribers have settled them.
        o.set_ack_mode(rumqttc_v4::AckMode::Manual);
        o.set_keep_alive(keep_alive_seconds(self.keep_alive));
        // MQTT 3.1.1 cannot tell the broker the largest packet this client takes: a publish up
        // to four times the limit is read and refused for itself (the event loop), a larger one
        // breaks the connection.
        o.set_max_packet_size(
            self.max_message_size.saturating_mul(4).min(PROTOCOL_MAX),
            self.max_message_size,
        );
        if let Some((user, password)) = &self.user {
            o.set_credentials(user, password.clone());
        }
        if let Some((topic, payload, qos, retain)) = &self.last_will {
            o.set_last_will(rumqttc_v4::LastWill::new(
                topic,
                payload.to_vec(),
                qos_of(*qos),
                *retain,
            ));
        }
        o
    }
}

impl ConnectOptions for MqttOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        MqttOptions::from_url(url)
    }
    fn from_server(
        server: &asyncapi_runtime::transport::ServerSpec,
    ) -> Result<Self, TransportError> {
        MqttOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        MqttOptions::credentials(self, credentials)
    }
    fn connect_timeout(self, timeout: Duration) -> Self {
        MqttOptions::connect_timeout(self, timeout)
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        MqttOptions::subscription_limits(self, limits)
    }
    fn reconnect(self, reconnect: Reconnect) -> Self {
        MqttOptions::reconnect(self, reconnect)
    }
}

impl asyncapi_runtime::transport::TlsConnectOptions for MqttOptions {
    fn tls(self, tls: TlsOptions) -> Self {
        MqttOptions::tls(self, tls)
    }
}

/// The keep-alive in whole seconds, as MQTT carries it (at most 65,535).
fn keep_alive_seconds(interval: Duration) -> u16 {
    u16::try_from(interval.as_secs()).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use bytes::Bytes;

    use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};

    use super::*;

    #[test]
    fn debug_shows_no_secret() {
        let options = MqttOptions::new("mqtt://127.0.0.1:1883")
            .credentials(&vec![Credential::UserPassword(
                asyncapi_runtime::security::UserPassword {
                    user: "ada-key-in-user".into(),
                    password: "hunter2".into(),
                },
            )])
            .unwrap()
            .client_certificate(
                Pem::text("CERTIFICATE BYTES"),
                Pem::text("PRIVATE KEY BYTES"),
            );
        let shown = format!("{options:?}");
        for secret in ["ada-key-in-user", "hunter2", "PRIVATE KEY BYTES"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(
            shown.contains("127.0.0.1") && shown.contains("<redacted>"),
            "{shown}"
        );
    }

    #[test]
    fn urls() {
        let o = MqttOptions::from_url("mqtt://broker.local:8883").unwrap();
        assert_eq!((o.host.as_str(), o.port), ("broker.local", 8883));
        let o = MqttOptions::from_url("localhost").unwrap();
        assert_eq!((o.host.as_str(), o.port), ("localhost", 1883));
        assert!(MqttOptions::from_url("mqtt://:1883").is_err());
        assert!(MqttOptions::from_url("mqtt://h:port").is_err());
        // The user information is the user and password, never part of the host.
        let o = MqttOptions::from_url("mqtt://ada:p%40ss@127.0.0.1:1883").unwrap();
        assert_eq!((o.host.as_str(), o.port), ("127.0.0.1", 1883));
        assert_eq!(o.user, Some(("ada".into(), "p@ss".into())));
        let shown = format!("{o:?}");
        assert!(!shown.contains("p@ss") && !shown.contains("ada"), "{shown}");
        // A URL that does not parse is the error of connecting, redacted.
        let o = MqttOptions::new("mqtt://ada:hunter2@h:port");
        let err = o.check().unwrap_err().to_string();
        assert!(err.contains("mqtt://<redacted>@h:port"), "{err}");
        assert!(!err.contains("hunter2") && !format!("{o:?}").contains("hunter2"));
    }

    #[test]
    fn options_from_a_documents_server() {
        use asyncapi_runtime::bindings::{MqttLastWill, MqttServer, ServerBindings};
        use asyncapi_runtime::transport::ServerSpec;
        let mut will = MqttLastWill::default();
        will.topic = Some("bye".into());
        will.qos = Some(1);
        will.message = Some("gone".into());
        will.retain = Some(true);
        let mut mqtt = MqttServer::default();
        mqtt.client_id = Some("c-1".into());
        mqtt.clean_session = Some(false);
        mqtt.keep_alive = Some(7);
        mqtt.last_will = Some(will);
        mqtt.session_expiry_interval = Some(60);
        mqtt.maximum_packet_size = Some(1024);
        let mut bindings = ServerBindings::default();
        bindings.mqtt = Some(mqtt);
        let mut spec = ServerSpec {
            name: "s".into(),
            url: "mqtt://broker:1884".into(),
            protocol: "mqtt".into(),
            protocol_version: None,
            bindings,
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
        let o = MqttOptions::new("h:1").credentials(&Key).unwrap();
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
        assert!(MqttOptions::new("h:1").credentials(&Both).is_err());
    }
}
