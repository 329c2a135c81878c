//! How to connect: [`KafkaOptions`], from a URL, a document's server and its credentials, and
//! how topics, groups and the client are set up.

use std::time::Duration;

use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::security::{Credential, Credentials, SaslMechanism};
use asyncapi_runtime::tls::TlsOptions;
use asyncapi_runtime::transport::{
    ConnectOptions, Reconnect, ServerSpec, TransportError, redacted_url,
};
use asyncapi_runtime::url::ServerUrl;

/// The largest record sent or fetched by default: 1 MiB, Kafka's own default
/// (`message.max.bytes` of the broker and the topic).
pub const DEFAULT_MAX_MESSAGE_SIZE: usize = 1024 * 1024;

/// Where a consumer group that has committed nothing yet starts reading a partition.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum StartAt {
    /// The partition's first record still kept: nothing sent before the group's first member
    /// came is lost (the default, as a Redis stream's new group reads from the start).
    #[default]
    Earliest,
    /// The partition's end when the member is assigned it: only what is sent after.
    Latest,
}

/// How topics are created when a channel is opened ([`KafkaOptions::create_topics`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TopicDefaults {
    /// Partitions of a topic whose channel binding gives none.
    pub partitions: u32,
    /// Replicas of a topic whose channel binding gives none.
    pub replicas: u32,
}

impl Default for TopicDefaults {
    fn default() -> Self {
        TopicDefaults {
            partitions: 1,
            replicas: 1,
        }
    }
}

/// SASL as librdkafka applies it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Sasl {
    pub(crate) mechanism: SaslMechanism,
    pub(crate) user: String,
    pub(crate) password: String,
}

/// How to connect to a Kafka cluster, and how the transport uses it.
#[derive(Clone)]
pub struct KafkaOptions {
    pub(crate) url: String,
    /// `host:port[,host:port...]`, without user information.
    pub(crate) bootstrap: String,
    pub(crate) secure: bool,
    pub(crate) client_id: Option<String>,
    pub(crate) sasl: Option<Sasl>,
    pub(crate) tls: Option<TlsOptions>,
    pub(crate) connect_timeout: Duration,
    pub(crate) send_timeout: Duration,
    pub(crate) linger: Duration,
    pub(crate) commit_interval: Duration,
    pub(crate) session_timeout: Duration,
    pub(crate) start_at: StartAt,
    pub(crate) create_topics: Option<TopicDefaults>,
    pub(crate) reconnect: Reconnect,
    pub(crate) subscription_limits: Limits,
    pub(crate) max_message_size: usize,
    pub(crate) schema_registry: Option<(String, Option<String>)>,
    pub(crate) config: Vec<(String, String)>,
}

impl std::fmt::Debug for KafkaOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let config: Vec<(&str, &str)> = self
            .config
            .iter()
            .map(|(k, v)| {
                let secret = ["password", "secret", "key", "token", "jaas"]
                    .iter()
                    .any(|s| k.contains(s));
                (k.as_str(), if secret { "<redacted>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("KafkaOptions")
            .field("url", &redacted_url(&self.url))
            .field("bootstrap", &self.bootstrap)
            .field("client_id", &self.client_id)
            .field(
                "sasl",
                &self
                    .sasl
                    .as_ref()
                    .map(|s| (mechanism_name(s.mechanism), &s.user)),
            )
            .field("tls", &self.tls)
            .field("send_timeout", &self.send_timeout)
            .field("start_at", &self.start_at)
            .field("create_topics", &self.create_topics)
            .field("reconnect", &self.reconnect)
            .field("subscription_limits", &self.subscription_limits)
            .field("max_message_size", &self.max_message_size)
            .field("config", &config)
            .finish_non_exhaustive()
    }
}

/// librdkafka's name of a SASL mechanism.
pub(crate) fn mechanism_name(mechanism: SaslMechanism) -> &'static str {
    match mechanism {
        SaslMechanism::Plain => "PLAIN",
        SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
        SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
    }
}

impl KafkaOptions {
    /// Options for a cluster: `kafka://[user:password@]host[:port]`, `kafka-secure://...`, or
    /// `host:port` as AsyncAPI documents write Kafka servers; several bootstrap servers are
    /// separated by commas (`kafka://a:9092,b:9092`). The port is 9092 when none is given. A
    /// user and password in the URL are SASL PLAIN credentials.
    pub fn new(url: impl Into<String>) -> KafkaOptions {
        let url = url.into();
        let (bootstrap, secure, sasl) = bootstrap_of(&url);
        KafkaOptions {
            url,
            bootstrap,
            secure,
            client_id: None,
            sasl,
            tls: None,
            connect_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(10),
            linger: Duration::from_millis(5),
            commit_interval: Duration::from_secs(1),
            session_timeout: Duration::from_secs(45),
            start_at: StartAt::Earliest,
            create_topics: None,
            reconnect: Reconnect::DEFAULT,
            subscription_limits: Limits::DEFAULT,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
            schema_registry: None,
            config: Vec::new(),
        }
    }

    /// Options for a server of the document (its generated `spec`): URL, protocol
    /// (`kafka-secure` is TLS), credentials, and the server binding's schema registry (kept,
    /// see [`schema_registry`](Self::schema_registry)).
    pub fn from_server(server: &ServerSpec) -> Result<KafkaOptions, TransportError> {
        let mut options = KafkaOptions::new(server.url.clone());
        if server.protocol == "kafka-secure" {
            options.secure = true;
        }
        if let Some(kafka) = &server.bindings.kafka
            && let Some(url) = &kafka.schema_registry_url
        {
            options.schema_registry = Some((
                url.to_string(),
                kafka.schema_registry_vendor.as_ref().map(|v| v.to_string()),
            ));
        }
        options.credentials(&server.credentials)
    }

    /// The client id the cluster sees (`client.id`); an operation's `clientId` binding names
    /// the client id of its own subscriptions. `asyncapi-rs` by default.
    pub fn client_id(mut self, id: impl Into<String>) -> Self {
        self.client_id = Some(id.into());
        self
    }

    /// How long connecting may take (the cluster's metadata fetched); ten seconds by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a send may wait for its delivery report (librdkafka's `message.timeout.ms`,
    /// retries included) before it is [`TransportError::Unconfirmed`]; ten seconds by default.
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout.max(Duration::from_millis(1));
        self
    }

    /// How long librdkafka waits for more records to send together (`linger.ms`); 5 ms by
    /// default, librdkafka's own. Zero sends each record at once, for the lowest latency.
    pub fn linger(mut self, linger: Duration) -> Self {
        self.linger = linger;
        self
    }

    /// How often the offsets of acknowledged records are committed (`auto.commit.interval.ms`);
    /// one second by default. They are also committed when a member leaves its group or loses
    /// partitions to another member. A consumer that dies gets what it acknowledged since the
    /// last commit again, at most this much.
    pub fn commit_interval(mut self, interval: Duration) -> Self {
        self.commit_interval = interval.max(Duration::from_millis(1));
        self
    }

    /// How long a group member may go unheard before the group gives its partitions to the
    /// others (`session.timeout.ms`); 45 s by default. A member that closes leaves at once.
    pub fn session_timeout(mut self, timeout: Duration) -> Self {
        self.session_timeout = timeout;
        self
    }

    /// Where a consumer group that has committed nothing reads from ([`StartAt::Earliest`] by
    /// default).
    pub fn start_at(mut self, start: StartAt) -> Self {
        self.start_at = start;
        self
    }

    /// Creates the topic of every channel opened (publisher or subscription) when it does not
    /// exist, with the channel binding's `partitions`, `replicas` and `topicConfiguration`, or
    /// these defaults; a topic that exists is checked against the binding instead (a difference
    /// is a [`TransportError::Open`] naming the topic and the setting). Off by default: topics
    /// are the cluster's (created by the broker on first use where it allows it), and a channel
    /// binding that gives `partitions`, `replicas` or `topicConfiguration` is checked against
    /// the topic when it exists.
    pub fn create_topics(mut self, defaults: TopicDefaults) -> Self {
        self.create_topics = Some(defaults);
        self
    }

    /// The TLS settings of `kafka-secure` servers. The librdkafka of this build has no TLS
    /// (it would need OpenSSL, and this project's one TLS stack is rustls): connecting with TLS
    /// fails with a [`TransportError::Connect`] that says so, rather than in plain text.
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = Some(tls);
        self.secure = true;
        self
    }

    /// How a broken connection comes back: librdkafka connects again by itself, first after
    /// the policy's first wait and then doubling up to its longest (`reconnect.backoff.ms`,
    /// `reconnect.backoff.max.ms`; [`Reconnect::DEFAULT`]: 100 ms up to 5 s). librdkafka cannot
    /// be kept from connecting again: with [`Reconnect::Never`] a break ends every subscription
    /// (after one error) and fails later sends instead.
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// What each subscription holds at most for a consumer that does not keep up
    /// ([`Limits::DEFAULT`] by default): its queue, and librdkafka's fetch queue behind it
    /// (`queued.max.messages.kbytes` and `queued.min.messages` from the same limits). Past
    /// them the subscription stops fetching, and the records wait in the topic
    /// ([`Overflow::Wait`](asyncapi_runtime::delivery::Overflow::Wait)). A member of a group
    /// that does not take a record for `max.poll.interval.ms` (five minutes) leaves the group,
    /// and what it had not acknowledged goes to another member.
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }

    /// The largest record, in bytes ([`DEFAULT_MAX_MESSAGE_SIZE`]: 1 MiB, Kafka's default): a
    /// larger send fails with [`TransportError::TooLarge`] before anything is written, and a
    /// subscription fetches records up to this size (`max.partition.fetch.bytes`). Raise it
    /// with the broker's and the topic's `max.message.bytes`.
    pub fn max_message_size(mut self, bytes: usize) -> Self {
        self.max_message_size = bytes.max(1);
        self
    }

    /// Sets a librdkafka property on every client of the connection (producer, consumers,
    /// admin), after the transport's own: `compression.type`, `enable.idempotence`,
    /// `partitioner`, ... ([librdkafka's
    /// list](https://github.com/confluentinc/librdkafka/blob/master/CONFIGURATION.md)). Values
    /// of properties named like secrets are redacted in `Debug`.
    pub fn config(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.push((key.into(), value.into()));
        self
    }

    /// The server binding's schema registry (`schemaRegistryUrl`, `schemaRegistryVendor`), as
    /// the document gives it. The transport does not talk to a registry: records are sent and
    /// read without schema ids (the message binding's `schemaIdLocation` is not applied).
    pub fn schema_registry(&self) -> Option<(&str, Option<&str>)> {
        self.schema_registry
            .as_ref()
            .map(|(url, vendor)| (url.as_str(), vendor.as_deref()))
    }

    /// Applies credentials: `userPassword` and SASL PLAIN are SASL PLAIN, SCRAM-SHA-256 and
    /// SCRAM-SHA-512 are refused by this build (librdkafka computes SCRAM with OpenSSL), and so
    /// are X.509 client certificates (TLS); whatever Kafka cannot carry is refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match c {
                Credential::UserPassword(u) => {
                    self.sasl = Some(Sasl {
                        mechanism: SaslMechanism::Plain,
                        user: u.user,
                        password: u.password,
                    });
                }
                Credential::Sasl {
                    mechanism,
                    credentials,
                } => {
                    self.sasl = Some(Sasl {
                        mechanism,
                        user: credentials.user,
                        password: credentials.password,
                    });
                }
                other => {
                    return Err(asyncapi_runtime::transport::cannot_carry(
                        "Kafka", &self.url, &other,
                    ));
                }
            }
        }
        Ok(self)
    }

    /// The server's URL without its secrets, for errors and logs.
    pub(crate) fn server(&self) -> String {
        redacted_url(&self.url)
    }

    /// What librdkafka of this build cannot do with these options, as a reason to refuse.
    pub(crate) fn unsupported(&self) -> Option<String> {
        if self.secure || self.tls.is_some() {
            return Some(
                "TLS to Kafka (`kafka-secure`) needs librdkafka with OpenSSL, which this build leaves out (one TLS stack: rustls); reach the cluster in plain text or through a TLS tunnel".to_owned(),
            );
        }
        if let Some(sasl) = &self.sasl
            && sasl.mechanism != SaslMechanism::Plain
        {
            return Some(format!(
                "SASL {} needs librdkafka with OpenSSL, which this build leaves out; SASL PLAIN is available",
                mechanism_name(sasl.mechanism)
            ));
        }
        None
    }

    /// The properties every client of the connection shares.
    pub(crate) fn client_config(&self) -> rdkafka::ClientConfig {
        let mut config = rdkafka::ClientConfig::new();
        config
            .set("bootstrap.servers", &self.bootstrap)
            .set(
                "client.id",
                self.client_id.as_deref().unwrap_or("asyncapi-rs"),
            )
            .set(
                "socket.connection.setup.timeout.ms",
                millis(self.connect_timeout).to_string(),
            )
            // The runtime's logs go through `tracing` (the client context); librdkafka's own
            // debug contexts stay off.
            .set("log.connection.close", "false");
        if let Some((first, longest)) = self.reconnect.bounds() {
            config
                .set("reconnect.backoff.ms", millis(first).to_string())
                .set("reconnect.backoff.max.ms", millis(longest).to_string());
        }
        match &self.sasl {
            Some(sasl) => {
                config
                    .set("security.protocol", "sasl_plaintext")
                    .set("sasl.mechanism", mechanism_name(sasl.mechanism))
                    .set("sasl.username", &sasl.user)
                    .set("sasl.password", &sasl.password);
            }
            None => {
                config.set("security.protocol", "plaintext");
            }
        }
        for (key, value) in &self.config {
            config.set(key, value);
        }
        config
    }
}

/// Milliseconds, at least one, as librdkafka's properties take them.
pub(crate) fn millis(d: Duration) -> u128 {
    d.as_millis().max(1)
}

/// The bootstrap list of a URL (default port 9092), whether its scheme asks for TLS, and the
/// SASL PLAIN credentials its user information gives.
fn bootstrap_of(url: &str) -> (String, bool, Option<Sasl>) {
    let (scheme, rest) = match url.find("://") {
        Some(i) => (url[..i].to_ascii_lowercase(), &url[i + 3..]),
        None => (String::new(), url),
    };
    let secure = matches!(scheme.as_str(), "kafka-secure" | "ssl" | "sasl_ssl");
    let rest = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let mut sasl = None;
    let servers: Vec<String> = rest
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|server| {
            let with_scheme = format!("kafka://{}", server.trim());
            match ServerUrl::parse(&with_scheme) {
                Ok(parsed) => {
                    if let (Some(user), Some(password)) = (parsed.user(), parsed.password()) {
                        sasl = Some(Sasl {
                            mechanism: SaslMechanism::Plain,
                            user: user.to_owned(),
                            password: password.to_owned(),
                        });
                    }
                    parsed.authority(9092)
                }
                // librdkafka says what is wrong with it when connecting (redacted by then).
                Err(_) => server.rsplit('@').next().unwrap_or_default().to_owned(),
            }
        })
        .collect();
    (servers.join(","), secure, sasl)
}

impl ConnectOptions for KafkaOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        Ok(KafkaOptions::new(url))
    }
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError> {
        KafkaOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        KafkaOptions::credentials(self, credentials)
    }
    fn connect_timeout(self, timeout: Duration) -> Self {
        KafkaOptions::connect_timeout(self, timeout)
    }
    fn reconnect(self, reconnect: Reconnect) -> Self {
        KafkaOptions::reconnect(self, reconnect)
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        KafkaOptions::subscription_limits(self, limits)
    }
}

impl asyncapi_runtime::transport::TlsConnectOptions for KafkaOptions {
    fn tls(self, tls: TlsOptions) -> Self {
        KafkaOptions::tls(self, tls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bootstrap_servers_come_from_the_url_without_secrets() {
        let o = KafkaOptions::new("kafka://ada:hunter2@broker-1:9093,broker-2");
        assert_eq!(o.bootstrap, "broker-1:9093,broker-2:9092");
        let sasl = o.sasl.as_ref().expect("credentials from the URL");
        assert_eq!(
            (sasl.user.as_str(), sasl.password.as_str()),
            ("ada", "hunter2")
        );
        let shown = format!("{o:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        // As AsyncAPI documents write Kafka servers: host and port, no scheme.
        let o = KafkaOptions::new("test.mykafkacluster.org:18092");
        assert_eq!(o.bootstrap, "test.mykafkacluster.org:18092");
        assert!(!o.secure);
        assert!(KafkaOptions::new("kafka-secure://k:9093").secure);
    }

    #[test]
    fn user_password_is_sasl_plain_for_librdkafka() {
        let o = KafkaOptions::new("kafka://broker:9092")
            .credentials(&vec![Credential::UserPassword(
                asyncapi_runtime::security::UserPassword {
                    user: "ada".into(),
                    password: "hunter2".into(),
                },
            )])
            .unwrap()
            .client_id("dashboard");
        let config = o.client_config();
        assert_eq!(config.get("security.protocol"), Some("sasl_plaintext"));
        assert_eq!(config.get("sasl.mechanism"), Some("PLAIN"));
        assert_eq!(config.get("sasl.username"), Some("ada"));
        assert_eq!(config.get("sasl.password"), Some("hunter2"));
        assert_eq!(config.get("client.id"), Some("dashboard"));
        assert_eq!(config.get("bootstrap.servers"), Some("broker:9092"));
        assert!(!format!("{o:?}").contains("hunter2"));
        // Without credentials, plain text.
        let plain = KafkaOptions::new("kafka://broker:9092").client_config();
        assert_eq!(plain.get("security.protocol"), Some("plaintext"));
    }

    #[test]
    fn secret_properties_are_redacted() {
        let o = KafkaOptions::new("kafka://k").config("sasl.password", "hunter2");
        assert!(!format!("{o:?}").contains("hunter2"));
    }

    #[test]
    fn what_this_build_cannot_do_is_refused() {
        assert!(KafkaOptions::new("kafka://k").unsupported().is_none());
        assert!(
            KafkaOptions::new("kafka-secure://k")
                .unsupported()
                .is_some()
        );
        let scram = KafkaOptions::new("kafka://k")
            .credentials(&vec![Credential::Sasl {
                mechanism: SaslMechanism::ScramSha512,
                credentials: asyncapi_runtime::security::SaslCredentials {
                    user: "u".into(),
                    password: "p".into(),
                },
            }])
            .unwrap();
        assert!(scram.unsupported().unwrap().contains("SCRAM-SHA-512"));
    }
}
