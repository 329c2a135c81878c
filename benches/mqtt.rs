//! MQTT throughput on the machine's Mosquitto (127.0.0.1:1883), see `docs/BENCHMARKS.md`: the
//! generated typed path against the raw client (rumqttc `AsyncClient::publish_bytes` and the
//! transport's raw subscriber), same broker, same run, QoS 0, payloads of 64 B and 4 KiB.
//!
//! Run with `cargo bench --bench mqtt --features mqtt` (`ASYNCAPI_BENCH_MQTT=host:port` for
//! another broker). Each iteration publishes a batch and
//! waits until the subscriber has received all of it.

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::envelope::Envelope;
use asyncapi::mqtt::{MqttConnection, MqttOptions};
use asyncapi::operation::{Sender, unique_id};
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher};
use serde::{Deserialize, Serialize};

const BATCH: usize = 200;
const SIZES: &[usize] = &[64, 4096];

/// The payload of both paths: text of a chosen size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Blob {
    data: String,
}

mod api {
    asyncapi::include_spec!("benches/mqtt.yaml");
}

/// The broker: `ASYNCAPI_BENCH_MQTT` (`host:port`), or the machine's Mosquitto.
fn broker() -> (String, u16) {
    let address =
        std::env::var("ASYNCAPI_BENCH_MQTT").unwrap_or_else(|_| "127.0.0.1:1883".to_owned());
    let (host, port) = address.rsplit_once(':').expect("host:port");
    (host.to_owned(), port.parse().expect("a port"))
}

fn main() {
    let (host, port) = broker();
    if std::net::TcpStream::connect((host.as_str(), port)).is_err() {
        eprintln!("!!! no MQTT broker on {host}:{port}: the MQTT benchmark did NOT run !!!");
        return;
    }
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

async fn connect() -> MqttConnection {
    let (host, port) = broker();
    MqttConnection::connect(MqttOptions::new(host, port).capacity(BATCH * 2))
        .await
        .expect("Mosquitto")
}

fn blob(size: usize) -> Blob {
    // JSON adds 11 bytes around the text; the payload on the wire is `size` bytes.
    Blob {
        data: "x".repeat(size.saturating_sub(11)),
    }
}

/// Generated channel parameters and a derived message through `Sender` and the typed stream.
#[divan::bench(args = SIZES)]
fn typed(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let run = unique_id();
    let (c, sender, mut receiver) = rt.block_on(async {
        let c = connect().await;
        let spec = api::channels::blobs::Filter {
            run: Some(run.clone()),
        }
        .spec();
        let receiver = api::operations::ReceiveBlobs::subscribe(
            &c,
            &api::channels::blobs::Filter {
                run: Some(run.clone()),
            },
        )
        .await
        .expect("subscribe");
        let sender =
            Sender::<_, api::channels::blobs::Params, api::messages::Blob>::open(&c, &spec)
                .await
                .expect("open");
        (c, sender, receiver)
    });
    let params = api::channels::blobs::Params { run };
    let message = api::messages::Blob::new(api::models::BlobPayload {
        data: blob(size).data,
    });
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    sender.send(&params, &message).await.expect("send");
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
    rt.block_on(c.close()).expect("close");
}

/// The same bytes through the transport without encoding, decoding or validation.
#[divan::bench(args = SIZES)]
fn raw(bencher: divan::Bencher, size: usize) {
    let rt = runtime();
    let topic = format!("bench/{}/raw", unique_id());
    let payload = serde_json::to_vec(&blob(size)).expect("json");
    let (c, publisher, mut subscriber) = rt.block_on(async {
        let c = connect().await;
        let spec = ChannelSpec::new("raw", topic.clone());
        let subscriber = c.subscriber(&spec).await.expect("subscribe");
        let publisher = c.publisher(&spec).await.expect("open");
        (c, publisher, subscriber)
    });
    let envelope = Envelope::new(topic).with_payload(payload);
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    publisher.send(envelope.clone().into()).await.expect("send");
                }
                for _ in 0..BATCH {
                    let e = tokio::time::timeout(Duration::from_secs(10), subscriber.next())
                        .await
                        .expect("in time")
                        .expect("open")
                        .expect("ok");
                    divan::black_box(e);
                }
            })
        });
    rt.block_on(c.close()).expect("close");
}
