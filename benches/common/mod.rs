//! What the broker benchmarks share: the payload both paths carry, the runtime they run on, and
//! finding a broker (each `benches/*.rs` that includes this module uses all of it).

use serde::{Deserialize, Serialize};

/// Messages per iteration: each iteration sends a batch and receives all of it.
pub const BATCH: usize = 200;
/// Payload sizes on the wire, in bytes.
pub const SIZES: &[usize] = &[64, 4096];

/// The payload of both paths: text of a chosen size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Blob {
    pub data: String,
}

/// A blob whose JSON is `size` bytes (JSON adds 11 bytes around the text).
pub fn blob(size: usize) -> Blob {
    Blob {
        data: "x".repeat(size.saturating_sub(11)),
    }
}

/// Two worker threads, as the machine has two cores.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The address in `var`, else `default`.
pub fn address(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// Whether something listens on `address` (said loudly when not: its benchmarks do not run).
pub fn reachable(address: &str) -> bool {
    let ok = std::net::TcpStream::connect(address).is_ok();
    if !ok {
        eprintln!("!!! nothing listens on {address}: its benchmarks did NOT run !!!");
    }
    ok
}

// The by-hand side's setup, as a user of each protocol library writes it (not every benchmark
// uses every broker).

/// RabbitMQ by hand: `channel` consuming an exclusive queue bound to `key` on `amq.topic`, with
/// a prefetch of 64 (the transport's default).
#[allow(dead_code)]
pub async fn amqp_consumer(channel: &lapin::Channel, key: &str) -> lapin::Consumer {
    use lapin::options::{
        BasicConsumeOptions, BasicQosOptions, QueueBindOptions, QueueDeclareOptions,
    };
    use lapin::types::FieldTable;
    channel
        .basic_qos(64, BasicQosOptions::default())
        .await
        .expect("qos");
    let queue = channel
        .queue_declare(
            "".into(),
            QueueDeclareOptions {
                exclusive: true,
                auto_delete: true,
                ..QueueDeclareOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .expect("a queue");
    channel
        .queue_bind(
            queue.name().clone(),
            "amq.topic".into(),
            key.into(),
            QueueBindOptions::default(),
            FieldTable::default(),
        )
        .await
        .expect("bound");
    channel
        .basic_consume(
            queue.name().clone(),
            "".into(),
            BasicConsumeOptions::default(),
            FieldTable::default(),
        )
        .await
        .expect("consuming")
}

/// Redis by hand: consumer group `g` of stream `key`, from new entries (the stream made when
/// missing).
#[allow(dead_code)]
pub async fn redis_group(commands: &mut redis::aio::MultiplexedConnection, key: &str) {
    redis::cmd("XGROUP")
        .arg("CREATE")
        .arg(key)
        .arg("g")
        .arg("$")
        .arg("MKSTREAM")
        .query_async::<()>(commands)
        .await
        .expect("a group");
}

/// JetStream by hand: the benchmarks' stream (`BENCH_BLOBS`, in memory, as
/// `benches/jetstream.yaml` declares it) and a pull consumer of `subject` on it from new
/// messages, each to be acknowledged.
#[allow(dead_code)]
pub async fn jetstream_messages(
    context: &async_nats::jetstream::Context,
    subject: String,
) -> async_nats::jetstream::consumer::pull::Stream {
    use async_nats::jetstream::{self, consumer::pull, stream};
    let stream = context
        .get_or_create_stream(stream::Config {
            name: "BENCH_BLOBS".into(),
            subjects: vec!["bench.*.blobs".into()],
            storage: stream::StorageType::Memory,
            max_age: std::time::Duration::from_secs(120),
            ..Default::default()
        })
        .await
        .expect("the stream");
    let consumer = stream
        .create_consumer(pull::Config {
            filter_subject: subject,
            ack_policy: jetstream::consumer::AckPolicy::Explicit,
            deliver_policy: jetstream::consumer::DeliverPolicy::New,
            inactive_threshold: std::time::Duration::from_secs(60),
            ..Default::default()
        })
        .await
        .expect("a consumer");
    consumer.messages().await.expect("messages")
}
