//! Broker throughput, typed vs raw, per protocol (see `docs/BENCHMARKS.md`): the generated typed
//! path (validate, JSON-encode, address from parameters; decode, validate, parameters parsed back)
//! against the transport's raw publisher and subscriber, same broker, same run, payloads of 64 B
//! and 4 KiB. The raw side comes in up to three kinds (see [`Raw`]): ready-made bytes (the
//! floor), the same with the content type, and the bare client carrying the same struct with
//! JSON written and read by hand (`*_raw_json`, what the generated layer replaces).
//!
//! Run with `cargo bench --bench brokers --features mqtt,nats,ws,redis,amqp`. Brokers: a Mosquitto of the
//! benchmark's own on a free loopback port with `set_tcp_nodelay true` (or `ASYNCAPI_BENCH_MQTT`
//! = host:port; the machine's `127.0.0.1:1883` if `mosquitto` cannot be started), nats-server
//! at `127.0.0.1:4222` (or `ASYNCAPI_BENCH_NATS`); for WebSocket the benchmark's own `WsServer`
//! on a free loopback port sends and a `WsConnection` receives; Redis at `127.0.0.1:6379` (or
//! `ASYNCAPI_BENCH_REDIS`), pub/sub and streams, against the redis crate used by hand with
//! serde_json (`redis_by_hand`, `redis_stream_by_hand`); RabbitMQ at `127.0.0.1:5672`
//! (guest/guest, or `ASYNCAPI_BENCH_AMQP` = host:port) against lapin used by hand with serde_json
//! (`amqp_by_hand`). Each iteration publishes a batch
//! and waits until the subscriber has received all of it. A missing broker is reported and its
//! benchmarks do not run.

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::amqp::{AmqpConnection, AmqpOptions};
use asyncapi::envelope::{EnvelopeReader, EnvelopeWriter};
use asyncapi::mqtt::{MqttConnection, MqttOptions};
use asyncapi::nats::{NatsConnection, NatsOptions};
use asyncapi::operation::{Sender, unique_id};
use asyncapi::redis::{RedisConnection, RedisOptions};
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher};
use asyncapi::ws::{WsConnection, WsOptions, WsServer, WsServerOptions};

mod common;

use common::{BATCH, Blob, SIZES, address, blob, reachable, runtime};

mod api {
    asyncapi::include_spec!("benches/brokers.yaml");
}

fn main() {
    divan::main();
}

/// Generated channel parameters and message through `Sender` and the generated stream.
///
/// `ready` runs once the subscription is open, before anything is sent.
fn typed<P, C>(
    bencher: divan::Bencher,
    rt: &tokio::runtime::Runtime,
    p: &P,
    c: &C,
    size: usize,
    ready: impl Fn(),
) where
    P: Producer,
    C: Consumer,
    C::Subscriber: 'static,
{
    typed_sends(bencher, rt, p, c, size, ready, false)
}

/// [`typed`], or with the whole batch's sends in flight at once (`concurrent`): each waits for
/// what its transport promises (MQTT: the write, or the broker's acknowledgement) side by side.
fn typed_sends<P, C>(
    bencher: divan::Bencher,
    rt: &tokio::runtime::Runtime,
    p: &P,
    c: &C,
    size: usize,
    ready: impl Fn(),
    concurrent: bool,
) where
    P: Producer,
    C: Consumer,
    C::Subscriber: 'static,
{
    let run = unique_id();
    let filter = api::channels::blobs::Filter {
        run: Some(run.clone()),
    };
    let (sender, mut receiver) = rt.block_on(async {
        // The sending side opens first: a WebSocket server serves only channels it has opened.
        let sender =
            Sender::<_, api::channels::blobs::Params, api::messages::Blob>::open(p, &filter.spec())
                .await
                .expect("open");
        let receiver = api::operations::ReceiveBlobs::subscribe(c, &filter)
            .await
            .expect("subscribe");
        (sender, receiver)
    });
    ready();
    let params = api::channels::blobs::Params { run };
    let message = api::messages::Blob::new(api::models::BlobPayload {
        data: blob(size).data,
    });
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                if concurrent {
                    let sends = (0..BATCH).map(|_| sender.send(&params, &message));
                    for sent in futures_util::future::join_all(sends).await {
                        sent.expect("send");
                    }
                } else {
                    for _ in 0..BATCH {
                        sender.send(&params, &message).await.expect("send");
                    }
                }
                for _ in 0..BATCH {
                    let r = tokio::time::timeout(Duration::from_secs(10), receiver.next())
                        .await
                        .expect("in time")
                        .expect("open")
                        .expect("valid");
                    divan::black_box(r);
                }
            })
        });
}

/// What the raw path sends, all three through the transport's own publisher and subscriber.
#[derive(Clone, Copy)]
enum Raw {
    /// The typed path's bytes, ready-made: no encoding, decoding or validation (the floor).
    Bytes,
    /// The same bytes with the content type the typed path sends (a header on protocols that
    /// have headers).
    WithContentType,
    /// What a user of the bare client writes for the same struct: `serde_json::to_vec` before
    /// each send and `serde_json::from_slice` after each receive, with the content type.
    Json,
}

/// The typed path's payload through the transport, as `how` says.
fn raw<P, C>(
    bencher: divan::Bencher,
    rt: &tokio::runtime::Runtime,
    p: &P,
    c: &C,
    size: usize,
    how: Raw,
    ready: impl Fn(),
) where
    P: Producer,
    C: Consumer,
{
    let topic = format!("bench.{}.raw", unique_id());
    let blob = blob(size);
    let payload = bytes::Bytes::from(serde_json::to_vec(&blob).expect("json"));
    let (publisher, mut subscriber) = rt.block_on(async {
        let spec = ChannelSpec::new("raw", topic.clone());
        let publisher = p.publisher(&spec).await.expect("open");
        let subscriber = c.subscriber(&spec).await.expect("subscribe");
        (publisher, subscriber)
    });
    ready();
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    let mut envelope = publisher.envelope();
                    envelope.set_address(topic.clone());
                    match how {
                        Raw::Bytes => envelope.set_payload(payload.clone()),
                        Raw::WithContentType => {
                            envelope.set_payload(payload.clone());
                            envelope.set_content_type(Some("application/json"));
                        }
                        Raw::Json => {
                            let json = serde_json::to_vec(&blob).expect("json");
                            envelope.set_payload(json.into());
                            envelope.set_content_type(Some("application/json"));
                        }
                    }
                    publisher.send(envelope).await.expect("send");
                }
                for _ in 0..BATCH {
                    let e = tokio::time::timeout(Duration::from_secs(10), subscriber.next())
                        .await
                        .expect("in time")
                        .expect("open")
                        .expect("ok");
                    if let Raw::Json = how {
                        let back: Blob = serde_json::from_slice(e.payload()).expect("json");
                        divan::black_box(back);
                    }
                    divan::black_box(e);
                }
            })
        });
}

/// A Mosquitto of the benchmark's own on a free loopback port, with `set_tcp_nodelay true`
/// (the Debian default, `false`, stalls every batch of small messages ~40 ms on Nagle's
/// algorithm against delayed ACKs, whatever the client does). Killed when dropped.
struct OwnMosquitto {
    child: std::process::Child,
    address: String,
}

impl OwnMosquitto {
    fn start() -> Option<OwnMosquitto> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let config = std::env::temp_dir().join(format!("asyncapi-bench-mosquitto-{port}.conf"));
        std::fs::write(
            &config,
            format!(
                "listener {port} 127.0.0.1\npersistence false\nallow_anonymous true\n\
                 set_tcp_nodelay true\n"
            ),
        )
        .expect("config");
        let child = std::process::Command::new("mosquitto")
            .arg("-c")
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(child) = child else {
            eprintln!("!!! mosquitto is not on PATH: falling back to 127.0.0.1:1883 !!!");
            return None;
        };
        let address = format!("127.0.0.1:{port}");
        let broker = OwnMosquitto { child, address };
        for _ in 0..100 {
            if std::net::TcpStream::connect(&broker.address).is_ok() {
                return Some(broker);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("!!! the benchmark's own mosquitto did not start: falling back !!!");
        None
    }
}

impl Drop for OwnMosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `ASYNCAPI_BENCH_MQTT` when set; otherwise a Mosquitto of the benchmark's own, or the
/// machine's (`127.0.0.1:1883`) when none can be started.
fn mqtt(rt: &tokio::runtime::Runtime) -> Option<(MqttConnection, Option<OwnMosquitto>)> {
    let (address, own) = match std::env::var("ASYNCAPI_BENCH_MQTT") {
        Ok(address) => (address, None),
        Err(_) => match OwnMosquitto::start() {
            Some(own) => (own.address.clone(), Some(own)),
            None => ("127.0.0.1:1883".to_owned(), None),
        },
    };
    if !reachable(&address) {
        return None;
    }
    let options = MqttOptions::from_url(&address)
        .expect("host:port")
        .subscription_limits(asyncapi::delivery::Limits::new(BATCH * 2, 1 << 30));
    let connection = rt
        .block_on(MqttConnection::connect(options))
        .expect("Mosquitto");
    Some((connection, own))
}

fn nats(rt: &tokio::runtime::Runtime) -> Option<NatsConnection> {
    let address = address("ASYNCAPI_BENCH_NATS", "127.0.0.1:4222");
    if !reachable(&address) {
        return None;
    }
    Some(
        // As the recorded figures were measured: a send returns once queued (since issue 22 the
        // default flushes each send; typed and raw share the connection either way).
        rt.block_on(NatsConnection::connect(
            NatsOptions::new(format!("nats://{address}")).flush_each_send(false),
        ))
        .expect("nats-server"),
    )
}

#[divan::bench(args = SIZES)]
fn mqtt_typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some((c, _broker)) = mqtt(&rt) {
        typed(bencher, &rt, &c, &c, size, || ());
    }
}

/// MQTT typed, the batch's sends awaited together rather than one after the other.
#[divan::bench(args = SIZES)]
fn mqtt_typed_concurrent(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some((c, _broker)) = mqtt(&rt) {
        typed_sends(bencher, &rt, &c, &c, size, || (), true);
    }
}

#[divan::bench(args = SIZES)]
fn mqtt_raw(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some((c, _broker)) = mqtt(&rt) {
        raw(bencher, &rt, &c, &c, size, Raw::Bytes, || ());
    }
}

/// MQTT raw with JSON written and read by hand: the bare client carrying the same struct.
#[divan::bench(args = SIZES)]
fn mqtt_raw_json(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some((c, _broker)) = mqtt(&rt) {
        raw(bencher, &rt, &c, &c, size, Raw::Json, || ());
    }
}

#[divan::bench(args = SIZES)]
fn nats_typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some(c) = nats(&rt) {
        typed(bencher, &rt, &c, &c, size, || ());
    }
}

#[divan::bench(args = SIZES)]
fn nats_raw(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some(c) = nats(&rt) {
        raw(bencher, &rt, &c, &c, size, Raw::Bytes, || ());
    }
}

/// NATS raw, with the `Content-Type` header the typed path sends.
#[divan::bench(args = SIZES)]
fn nats_raw_with_content_type(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some(c) = nats(&rt) {
        raw(bencher, &rt, &c, &c, size, Raw::WithContentType, || ());
    }
}

/// NATS raw with JSON written and read by hand and the `Content-Type` header: the bare client
/// carrying the same struct.
#[divan::bench(args = SIZES)]
fn nats_raw_json(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some(c) = nats(&rt) {
        raw(bencher, &rt, &c, &c, size, Raw::Json, || ());
    }
}

/// A WebSocket server on a free loopback port and a client of it: the server sends, the client
/// receives (WebSocket has no broker to loop a client's frames back).
fn ws(rt: &tokio::runtime::Runtime) -> (WsServer, WsConnection) {
    rt.block_on(async {
        let server = WsServer::bind(WsServerOptions::new("127.0.0.1:0"))
            .await
            .expect("a free port");
        let client = WsConnection::new(WsOptions::new(server.url()));
        (server, client)
    })
}

/// Waits until the server has accepted the client's socket, so that nothing is sent before it.
fn ws_connected(rt: &tokio::runtime::Runtime, server: &WsServer) {
    rt.block_on(async {
        while server.connections().is_empty() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    });
}

#[divan::bench(args = SIZES)]
fn ws_typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let (server, client) = ws(&rt);
    typed(bencher, &rt, &server, &client, size, || {
        ws_connected(&rt, &server)
    });
}

#[divan::bench(args = SIZES)]
fn ws_raw(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let (server, client) = ws(&rt);
    raw(bencher, &rt, &server, &client, size, Raw::Bytes, || {
        ws_connected(&rt, &server)
    });
}

/// WebSocket raw with JSON written and read by hand: the bare sockets carrying the same struct.
#[divan::bench(args = SIZES)]
fn ws_raw_json(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let (server, client) = ws(&rt);
    raw(bencher, &rt, &server, &client, size, Raw::Json, || {
        ws_connected(&rt, &server)
    });
}

/// `ASYNCAPI_BENCH_REDIS` or `127.0.0.1:6379`, as a URL, when something listens there.
fn redis_url() -> Option<String> {
    let address = address("ASYNCAPI_BENCH_REDIS", "127.0.0.1:6379");
    reachable(&address).then(|| format!("redis://{address}"))
}

fn redis(
    rt: &tokio::runtime::Runtime,
    options: impl FnOnce(RedisOptions) -> RedisOptions,
) -> Option<RedisConnection> {
    let url = redis_url()?;
    Some(
        rt.block_on(RedisConnection::connect(options(RedisOptions::new(url))))
            .expect("Redis"),
    )
}

/// Deletes the streams the Redis benchmarks wrote (`bench.<run>.blobs`): a stream keeps every
/// entry, and a few runs would fill the server's memory.
fn forget_redis_streams(rt: &tokio::runtime::Runtime) {
    let Some(url) = redis_url() else {
        return;
    };
    rt.block_on(async {
        let client = redis::Client::open(url).expect("client");
        let mut c = client
            .get_multiplexed_async_connection()
            .await
            .expect("connects");
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg("bench.*.blobs")
            .query_async(&mut c)
            .await
            .expect("KEYS");
        for key in keys {
            redis::cmd("DEL")
                .arg(key)
                .query_async::<i64>(&mut c)
                .await
                .expect("DEL");
        }
    });
}

/// Pub/sub through the generated code.
#[divan::bench(args = SIZES)]
fn redis_typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    if let Some(c) = redis(&rt, |o| o) {
        typed(bencher, &rt, &c, &c, size, || ());
    }
}

/// A stream through the generated code: `XADD` each, read by a consumer group, each entry
/// acknowledged (`XACK`) once decoded.
#[divan::bench(args = SIZES)]
fn redis_stream_typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let group = unique_id();
    if let Some(c) = redis(&rt, |o| {
        o.stream("blobs")
            .group(group)
            .block(Duration::from_millis(100))
    }) {
        typed(bencher, &rt, &c, &c, size, || ());
    }
    forget_redis_streams(&rt);
}

/// What a user of the redis crate writes without this project: `PUBLISH` of
/// `serde_json::to_vec` on a multiplexed connection, each answer awaited, and a `SUBSCRIBE`
/// connection whose messages are read with `serde_json::from_slice`.
#[divan::bench(args = SIZES)]
fn redis_by_hand(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let Some(url) = redis_url() else {
        return;
    };
    let client = redis::Client::open(url).expect("client");
    let channel = format!("bench.{}.blobs", unique_id());
    let (mut publish, mut messages) = rt.block_on(async {
        let publish = client
            .get_multiplexed_async_connection()
            .await
            .expect("connects");
        let mut pubsub = client.get_async_pubsub().await.expect("connects");
        pubsub.subscribe(&channel).await.expect("subscribes");
        (publish, pubsub.into_on_message())
    });
    let blob = blob(size);
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    let json = serde_json::to_vec(&blob).expect("json");
                    redis::cmd("PUBLISH")
                        .arg(&channel)
                        .arg(json)
                        .query_async::<i64>(&mut publish)
                        .await
                        .expect("publish");
                }
                for _ in 0..BATCH {
                    let m = tokio::time::timeout(Duration::from_secs(10), messages.next())
                        .await
                        .expect("in time")
                        .expect("open");
                    let back: Blob = serde_json::from_slice(m.get_payload_bytes()).expect("json");
                    divan::black_box(back);
                }
            })
        });
}

/// The same for a stream, by hand: `XADD` each, `XREADGROUP` batches, one `XACK` for the
/// entries of each read once they are decoded.
#[divan::bench(args = SIZES)]
fn redis_stream_by_hand(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let Some(url) = redis_url() else {
        return;
    };
    let client = redis::Client::open(url).expect("client");
    let key = format!("bench.{}.blobs", unique_id());
    let (mut commands, mut reads) = rt.block_on(async {
        let mut commands = client
            .get_multiplexed_async_connection()
            .await
            .expect("connects");
        let reads = client
            .get_multiplexed_async_connection()
            .await
            .expect("connects");
        common::redis_group(&mut commands, &key).await;
        (commands, reads)
    });
    let blob = blob(size);
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    let json = serde_json::to_vec(&blob).expect("json");
                    redis::cmd("XADD")
                        .arg(&key)
                        .arg("*")
                        .arg("payload")
                        .arg(json)
                        .query_async::<String>(&mut commands)
                        .await
                        .expect("xadd");
                }
                let mut received = 0;
                while received < BATCH {
                    let reply: redis::streams::StreamReadReply = redis::cmd("XREADGROUP")
                        .arg("GROUP")
                        .arg("g")
                        .arg("c")
                        .arg("COUNT")
                        .arg(BATCH)
                        .arg("BLOCK")
                        .arg(1000)
                        .arg("STREAMS")
                        .arg(&key)
                        .arg(">")
                        .query_async(&mut reads)
                        .await
                        .expect("xreadgroup");
                    let mut ack = redis::cmd("XACK");
                    ack.arg(&key).arg("g");
                    for entry in reply.keys.into_iter().flat_map(|k| k.ids) {
                        let Some(redis::Value::BulkString(payload)) = entry.map.get("payload")
                        else {
                            panic!("an entry without a payload");
                        };
                        let back: Blob = serde_json::from_slice(payload).expect("json");
                        divan::black_box(back);
                        ack.arg(&entry.id);
                        received += 1;
                    }
                    // One XACK for the entries of the read, once each is decoded.
                    ack.query_async::<i64>(&mut commands).await.expect("xack");
                }
            })
        });
    forget_redis_streams(&rt);
}

/// `ASYNCAPI_BENCH_AMQP` or `127.0.0.1:5672`, as a URL with RabbitMQ's default user, when
/// something listens there.
fn amqp_url() -> Option<String> {
    let address = address("ASYNCAPI_BENCH_AMQP", "127.0.0.1:5672");
    reachable(&address).then(|| format!("amqp://guest:guest@{address}/%2f"))
}

/// Through the generated code: each send awaits its publisher confirm; the subscription is an
/// exclusive queue bound to `amq.topic`, each delivery acknowledged once decoded.
#[divan::bench(args = SIZES)]
fn amqp_typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let Some(url) = amqp_url() else {
        return;
    };
    let c = rt
        .block_on(AmqpConnection::connect(AmqpOptions::new(url)))
        .expect("RabbitMQ");
    typed(bencher, &rt, &c, &c, size, || ());
}

/// What a user of lapin writes without this project for the same promises: a channel in
/// confirm mode publishing `serde_json::to_vec` to `amq.topic`, each confirm awaited; an
/// exclusive queue bound to the routing key, consumed with the same prefetch (64), each delivery
/// read with `serde_json::from_slice` and then acknowledged (in a task of its own, as the typed
/// path's automatic acknowledgement is).
#[divan::bench(args = SIZES)]
fn amqp_by_hand(bencher: divan::Bencher, size: usize) {
    use lapin::options::{BasicAckOptions, BasicPublishOptions, ConfirmSelectOptions};
    let rt = runtime();
    let Some(url) = amqp_url() else {
        return;
    };
    let key = format!("bench.{}.blobs", unique_id());
    let (_connection, publish, mut deliveries) = rt.block_on(async {
        let connection = lapin::Connection::connect(&url, lapin::ConnectionProperties::default())
            .await
            .expect("RabbitMQ");
        let publish = connection.create_channel().await.expect("channel");
        publish
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .expect("confirms");
        let consume = connection.create_channel().await.expect("channel");
        let deliveries = common::amqp_consumer(&consume, &key).await;
        (connection, publish, deliveries)
    });
    let blob = blob(size);
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    let json = serde_json::to_vec(&blob).expect("json");
                    let confirm = publish
                        .basic_publish(
                            "amq.topic".into(),
                            key.as_str().into(),
                            BasicPublishOptions::default(),
                            &json,
                            lapin::BasicProperties::default()
                                .with_content_type("application/json".into()),
                        )
                        .await
                        .expect("publish");
                    assert!(confirm.await.expect("confirm").is_ack());
                }
                for _ in 0..BATCH {
                    let delivery = tokio::time::timeout(Duration::from_secs(10), deliveries.next())
                        .await
                        .expect("in time")
                        .expect("open")
                        .expect("delivery");
                    let back: Blob = serde_json::from_slice(&delivery.data).expect("json");
                    divan::black_box(back);
                    // Acknowledged without waiting for the write, as the typed path's
                    // automatic acknowledgement is.
                    let acker = delivery.acker;
                    tokio::spawn(async move { acker.ack(BasicAckOptions::default()).await });
                }
            })
        });
}
