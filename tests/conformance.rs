//! The conformance suite (`asyncapi-rs-conformance`) on every built-in transport: each
//! `conformance!` line is one test per scenario, named `conformance_<transport>_<scenario>`,
//! against the machine's brokers (a missing one is said loudly; under `CI=true` it fails).
//! What a harness declares is what its transport promises; the suite checks it by breaking it.

use asyncapi::delivery::Overflow;
use asyncapi::tls::TlsOptions;
use asyncapi::transport::{Connect, ServerSpec, TransportError};
use asyncapi_conformance::{
    Capabilities, Harness, Settings, conformance, connect_with_settings, server,
};

/// `server` with the TLS scheme of its protocol in place of the plain one.
fn secure(server: &ServerSpec, plain: &str, tls: &str) -> ServerSpec {
    let url = server
        .url
        .replacen(&format!("{plain}://"), &format!("{tls}://"), 1);
    server.clone().at(url)
}

/// The in-process transport: one broker per test.
struct Memory(asyncapi::memory::Broker);

impl Harness for Memory {
    type Connection = asyncapi::memory::MemoryConnection;
    /// Publishers wait for a full subscriber.
    fn capabilities(&self) -> Capabilities {
        Capabilities::in_process()
            .slow_consumer(Overflow::Wait)
            .groups()
    }
    fn server(&self) -> ServerSpec {
        server("memory", "memory://conformance")
    }
    async fn connect(&self, _: &ServerSpec) -> Result<Self::Connection, TransportError> {
        Ok(self.0.connect())
    }
    async fn connect_with_settings(
        &self,
        _: &ServerSpec,
        settings: Settings,
    ) -> Option<Result<Self::Connection, TransportError>> {
        // In process: nothing to reconnect; the limits apply.
        let connection = self.0.connect();
        Some(Ok(match settings.subscription_limits {
            Some(limits) => connection.subscription_limits(limits),
            None => connection,
        }))
    }
    async fn close(&self, _: &Self::Connection) -> Result<(), TransportError> {
        self.0.close();
        Ok(())
    }
}

conformance!(memory, Memory(asyncapi::memory::Broker::new()));

/// Connects with the transport's `Connect` impl: the document's path.
macro_rules! connects_as {
    ($connection:ty) => {
        type Connection = $connection;
        async fn connect(&self, server: &ServerSpec) -> Result<$connection, TransportError> {
            <$connection as Connect>::connect_to(server).await
        }
        async fn close(&self, connection: &$connection) -> Result<(), TransportError> {
            connection.close().await
        }
        async fn connect_with_settings(
            &self,
            server: &ServerSpec,
            settings: Settings,
        ) -> Option<Result<$connection, TransportError>> {
            Some(connect_with_settings::<$connection>(server, settings).await)
        }
    };
}

/// MQTT 3.1.1 on the machine's Mosquitto (anonymous: it refuses nobody).
struct Mqtt;

impl Harness for Mqtt {
    connects_as!(asyncapi::mqtt::MqttConnection);
    /// A full subscriber holds the connection's reading: the broker keeps the rest. Groups are
    /// shared subscriptions; MQTT never hands a member's unacknowledged publishes to another.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .slow_consumer(Overflow::Wait)
            .groups()
    }
    fn server(&self) -> ServerSpec {
        server("mqtt", "mqtt://127.0.0.1:1883")
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = asyncapi::mqtt::MqttOptions::from_server(server);
        Some(asyncapi::mqtt::MqttConnection::connect(options.ok()?.tls(tls)).await)
    }
}

conformance!(mqtt, Mqtt);

/// MQTT 5 on the machine's Mosquitto: headers travel as user properties.
struct Mqtt5;

impl Harness for Mqtt5 {
    connects_as!(asyncapi::mqtt::Mqtt5Connection);
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
            .slow_consumer(Overflow::Wait)
            .groups()
    }
    fn server(&self) -> ServerSpec {
        server("mqtt5", "mqtt://127.0.0.1:1883")
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = asyncapi::mqtt::MqttOptions::from_server(server);
        Some(asyncapi::mqtt::Mqtt5Connection::connect(options.ok()?.tls(tls)).await)
    }
}

conformance!(mqtt5, Mqtt5);

/// NATS on the machine's server (core NATS: at most once, no acknowledgements). Its TLS usually
/// starts after the server's first line; through the suite's TLS listener (TLS terminated in
/// front of the server) it speaks TLS first (`NatsOptions::tls_first`). `tests/nats.rs` has a
/// TLS server of its own for the upgrade.
struct Nats;

impl Harness for Nats {
    connects_as!(asyncapi::nats::NatsConnection);
    /// Core NATS has no flow control: a full subscription drops and counts.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .headers()
            .slow_consumer(Overflow::Drop)
            .groups()
    }
    fn server(&self) -> ServerSpec {
        server("nats", "nats://127.0.0.1:4222")
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = asyncapi::nats::NatsOptions::from_server(&secure(server, "nats", "tls"));
        Some(asyncapi::nats::NatsConnection::connect(options.ok()?.tls(tls).tls_first()).await)
    }
}

conformance!(nats, Nats);

/// AMQP 0-9-1 on the machine's RabbitMQ: publisher confirms, reconnection, headers; it refuses
/// users it does not know.
struct Amqp;

impl Harness for Amqp {
    connects_as!(asyncapi::amqp::AmqpConnection);
    /// The prefetch (within the limits) holds the rest in the queue; `basic.nack` requeues.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
            .redelivers()
            .slow_consumer(Overflow::Wait)
            .handover()
    }
    fn server(&self) -> ServerSpec {
        server("amqp", "amqp://guest:guest@127.0.0.1:5672/%2f")
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = asyncapi::amqp::AmqpOptions::from_server(&secure(server, "amqp", "amqps"));
        Some(asyncapi::amqp::AmqpConnection::connect(options.ok()?.tls(tls)).await)
    }
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(amqp, Amqp);

/// Redis pub/sub on the machine's server: `PUBLISH` answers, subscriptions come back after a
/// break with one error; it refuses users it does not know.
struct RedisPubSub;

impl Harness for RedisPubSub {
    connects_as!(asyncapi::redis::RedisConnection);
    /// Pub/sub has no flow control: a full subscription drops and counts.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .slow_consumer(Overflow::Drop)
    }
    fn server(&self) -> ServerSpec {
        server("redis", "redis://127.0.0.1:6379")
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options =
            asyncapi::redis::RedisOptions::from_server(&secure(server, "redis", "rediss"));
        Some(asyncapi::redis::RedisConnection::connect(options.ok()?.tls(tls)).await)
    }
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(redis, RedisPubSub);

/// Redis streams (both channels of the suite's document read in a consumer group): entries
/// carry headers.
struct RedisStreams;

impl Harness for RedisStreams {
    type Connection = asyncapi::redis::RedisConnection;
    /// A full subscription's reader waits: the entries wait in the stream; a nacked entry stays
    /// pending and is claimed again (after a second, as the harness sets it).
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
            .redelivers()
            .slow_consumer(Overflow::Wait)
            .handover()
    }
    fn server(&self) -> ServerSpec {
        server("redis", "redis://127.0.0.1:6379")
    }
    async fn connect(&self, server: &ServerSpec) -> Result<Self::Connection, TransportError> {
        let options = asyncapi::redis::RedisOptions::from_server(server)?
            .stream("notes")
            .stream("receipts")
            .stream("jobs")
            .claim_after(std::time::Duration::from_secs(1));
        asyncapi::redis::RedisConnection::connect(options).await
    }
    async fn connect_with_settings(
        &self,
        server: &ServerSpec,
        settings: Settings,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = match asyncapi::redis::RedisOptions::from_server(server) {
            Ok(options) => options,
            Err(e) => return Some(Err(e)),
        };
        let options = settings.apply(options.stream("notes").stream("receipts").stream("jobs"));
        Some(asyncapi::redis::RedisConnection::connect(options).await)
    }
    async fn close(&self, connection: &Self::Connection) -> Result<(), TransportError> {
        connection.close().await
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options =
            asyncapi::redis::RedisOptions::from_server(&secure(server, "redis", "rediss"))
                .ok()?
                .stream("notes")
                .stream("receipts")
                .stream("jobs")
                .tls(tls);
        Some(asyncapi::redis::RedisConnection::connect(options).await)
    }
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(redis_streams, RedisStreams);

/// The WebSocket client, against a server of the test's own (the WebSocket transport's server)
/// that hands every frame a client sends on a path to every client on that path, as a broker
/// would. Frames carry no headers and no acknowledgement; a broken socket is opened again.
struct Ws {
    hub: asyncapi::ws::WsServer,
}

impl Ws {
    async fn start() -> Ws {
        use asyncapi::StreamExt;
        use asyncapi::envelope::EnvelopeReader;
        use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher};
        let hub = asyncapi::ws::WsServer::bind(asyncapi::ws::WsServerOptions::new("127.0.0.1:0"))
            .await
            .expect("the hub binds a loopback port");
        for (name, address) in [
            ("notes", "field.{run}.notes"),
            ("receipts", "field.{run}.receipts"),
        ] {
            let channel = ChannelSpec::new(name, address);
            let mut frames = hub.subscriber(&channel).await.expect("the hub listens");
            let publisher = hub.publisher(&channel).await.expect("the hub sends");
            tokio::spawn(async move {
                while let Some(frame) = frames.next().await {
                    let Ok(frame) = frame else { continue };
                    let mut envelope = asyncapi::envelope::Envelope::new(frame.address())
                        .with_payload(frame.payload().clone());
                    envelope.content_type = Some("application/json".into());
                    let _ = publisher.send(envelope).await;
                }
            });
        }
        Ws { hub }
    }
}

impl Harness for Ws {
    type Connection = asyncapi::ws::WsConnection;
    async fn connect(&self, server: &ServerSpec) -> Result<Self::Connection, TransportError> {
        <Self::Connection as Connect>::connect_to(server).await
    }
    async fn close(&self, connection: &Self::Connection) -> Result<(), TransportError> {
        connection.close().await;
        Ok(())
    }
    /// A full subscriber stops its socket's reading: TCP holds the hub's frames back.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .reconnects()
            .slow_consumer(Overflow::Wait)
    }
    fn server(&self) -> ServerSpec {
        server("ws", self.hub.url())
    }
    async fn connect_with_settings(
        &self,
        server: &ServerSpec,
        settings: Settings,
    ) -> Option<Result<Self::Connection, TransportError>> {
        Some(connect_with_settings::<Self::Connection>(server, settings).await)
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = asyncapi::ws::WsOptions::from_server(&secure(server, "ws", "wss"));
        Some(asyncapi::ws::WsConnection::connect(options.ok()?.tls(tls)).await)
    }
}

conformance!(ws, Ws::start().await);

/// NATS JetStream on the machine's server: every channel of the suite's documents on a stream
/// of its own (in memory, messages kept five minutes), read through pull consumers whose
/// messages are acknowledged; a send is `Ok` on the stream's `PubAck`.
struct NatsJetStream;

impl NatsJetStream {
    fn options(server: &ServerSpec) -> Result<asyncapi::nats::NatsOptions, TransportError> {
        let mut options = asyncapi::nats::NatsOptions::from_server(server)?;
        for channel in ["notes", "receipts", "jobs"] {
            let mut stream = asyncapi::bindings::NatsJetStream::default();
            stream.stream = Some(format!("CONFORMANCE_{}", channel.to_uppercase()).into());
            stream.storage = Some("memory".into());
            stream.max_age = Some(300);
            // Above the slow-consumer scenario's two seconds without reading: what a
            // subscription holds unread past `ackWait` is delivered again (at least once).
            stream.ack_wait = Some(5);
            options = options.jetstream(channel, stream);
        }
        Ok(options)
    }
}

impl Harness for NatsJetStream {
    type Connection = asyncapi::nats::NatsConnection;
    /// A pull consumer takes what its queue has room for: a full one waits.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .headers()
            .redelivers()
            .slow_consumer(Overflow::Wait)
            .handover()
    }
    fn server(&self) -> ServerSpec {
        server("nats", "nats://127.0.0.1:4222")
    }
    async fn connect(&self, server: &ServerSpec) -> Result<Self::Connection, TransportError> {
        asyncapi::nats::NatsConnection::connect(Self::options(server)?).await
    }
    async fn close(&self, connection: &Self::Connection) -> Result<(), TransportError> {
        connection.close().await
    }
    async fn connect_with_settings(
        &self,
        server: &ServerSpec,
        settings: Settings,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = match Self::options(server) {
            Ok(options) => settings.apply(options),
            Err(e) => return Some(Err(e)),
        };
        Some(asyncapi::nats::NatsConnection::connect(options).await)
    }
    async fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: TlsOptions,
    ) -> Option<Result<Self::Connection, TransportError>> {
        let options = Self::options(&secure(server, "nats", "tls")).ok()?;
        Some(asyncapi::nats::NatsConnection::connect(options.tls(tls).tls_first()).await)
    }
}

conformance!(nats_jetstream, NatsJetStream);
