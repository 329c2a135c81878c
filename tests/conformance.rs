//! The conformance suite (`asyncapi-rs-conformance`) on every built-in transport: each
//! `conformance!` line is one test per scenario, named `conformance_<transport>::<scenario>`,
//! against the machine's brokers (a missing one is said loudly; under `CI=true` it fails).
//! What a harness declares is what its transport promises; the suite checks it by breaking it.

use asyncapi::transport::{Connect, ServerSpec, TransportError};
use asyncapi_conformance::{Capabilities, Harness, conformance, server};

/// The in-process transport: one broker per test.
struct Memory(asyncapi::memory::Broker);

impl Harness for Memory {
    type Connection = asyncapi::memory::MemoryConnection;
    fn capabilities(&self) -> Capabilities {
        Capabilities::in_process()
    }
    fn server(&self) -> ServerSpec {
        server("memory", "memory://conformance")
    }
    async fn connect(&self, _: &ServerSpec) -> Result<Self::Connection, TransportError> {
        Ok(self.0.connect())
    }
    async fn close(&self, _: &Self::Connection) -> Result<(), TransportError> {
        self.0.close();
        Ok(())
    }
}

conformance!(conformance_memory, Memory(asyncapi::memory::Broker::new()));

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
    };
}

/// MQTT 3.1.1 on the machine's Mosquitto (anonymous: it refuses nobody).
struct Mqtt;

impl Harness for Mqtt {
    connects_as!(asyncapi::mqtt::MqttConnection);
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked().acknowledged_sends().reconnects()
    }
    fn server(&self) -> ServerSpec {
        server("mqtt", "mqtt://127.0.0.1:1883")
    }
}

conformance!(conformance_mqtt, Mqtt);

/// MQTT 5 on the machine's Mosquitto: headers travel as user properties.
struct Mqtt5;

impl Harness for Mqtt5 {
    connects_as!(asyncapi::mqtt::Mqtt5Connection);
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
    }
    fn server(&self) -> ServerSpec {
        server("mqtt5", "mqtt://127.0.0.1:1883")
    }
}

conformance!(conformance_mqtt5, Mqtt5);

/// NATS on the machine's server (core NATS: at most once, no acknowledgements).
struct Nats;

impl Harness for Nats {
    connects_as!(asyncapi::nats::NatsConnection);
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked().headers()
    }
    fn server(&self) -> ServerSpec {
        server("nats", "nats://127.0.0.1:4222")
    }
}

conformance!(conformance_nats, Nats);

/// AMQP 0-9-1 on the machine's RabbitMQ: publisher confirms, reconnection, headers; it refuses
/// users it does not know.
struct Amqp;

impl Harness for Amqp {
    connects_as!(asyncapi::amqp::AmqpConnection);
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
    }
    fn server(&self) -> ServerSpec {
        server("amqp", "amqp://guest:guest@127.0.0.1:5672/%2f")
    }
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(conformance_amqp, Amqp);

/// Redis pub/sub on the machine's server: `PUBLISH` answers, subscriptions come back after a
/// break with one error; it refuses users it does not know.
struct RedisPubSub;

impl Harness for RedisPubSub {
    connects_as!(asyncapi::redis::RedisConnection);
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked().acknowledged_sends().reconnects()
    }
    fn server(&self) -> ServerSpec {
        server("redis", "redis://127.0.0.1:6379")
    }
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(conformance_redis, RedisPubSub);

/// Redis streams (both channels of the suite's document read in a consumer group): entries
/// carry headers.
struct RedisStreams;

impl Harness for RedisStreams {
    type Connection = asyncapi::redis::RedisConnection;
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
    }
    fn server(&self) -> ServerSpec {
        server("redis", "redis://127.0.0.1:6379")
    }
    async fn connect(&self, server: &ServerSpec) -> Result<Self::Connection, TransportError> {
        let options = asyncapi::redis::RedisOptions::from_server(server)?
            .stream("notes")
            .stream("receipts");
        asyncapi::redis::RedisConnection::connect(options).await
    }
    async fn close(&self, connection: &Self::Connection) -> Result<(), TransportError> {
        connection.close().await
    }
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        Some(server)
    }
}

conformance!(conformance_redis_streams, RedisStreams);
