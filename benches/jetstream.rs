//! NATS JetStream, typed vs async-nats's JetStream used by hand (see `docs/BENCHMARKS.md`): the
//! generated path (validate, JSON-encode, subject from parameters, send awaited on the stream's
//! `PubAck`; pull, decode, validate, parameters parsed back, acknowledged) against what a user
//! without this project writes: `jetstream::Context::publish` with `serde_json::to_vec`, the
//! `PubAck` awaited, a pull consumer's `messages()`, `serde_json::from_slice` and `ack()`. Same
//! server, same stream (`BENCH_BLOBS`, in memory), same run, payloads of 64 B and 4 KiB; each
//! iteration sends a batch one confirmed send after another, then receives and acknowledges it.
//!
//! Run with `cargo bench --bench jetstream --features nats`; nats-server with JetStream at
//! `127.0.0.1:4222` (or `ASYNCAPI_BENCH_NATS` = host:port). A missing server is reported and the
//! benchmarks do not run.

use std::time::Duration;

use async_nats::jetstream;
use asyncapi::StreamExt;
use asyncapi::nats::{NatsConnection, NatsOptions};
use asyncapi::operation::unique_id;

mod common;

use common::{BATCH, Blob, SIZES, blob, runtime};

mod api {
    asyncapi::include_spec!("benches/jetstream.yaml");
}

fn main() {
    divan::main();
}

/// The server's address, when something listens there.
fn server() -> Option<String> {
    let address = common::address("ASYNCAPI_BENCH_NATS", "127.0.0.1:4222");
    common::reachable(&address).then_some(address)
}

#[divan::bench(args = SIZES)]
fn jetstream_typed(bencher: divan::Bencher, size: usize) {
    let Some(address) = server() else { return };
    let rt = runtime();
    let run = unique_id();
    let filter = api::channels::blobs::Filter {
        run: Some(run.clone()),
    };
    let (connection, sender, mut receiver) = rt.block_on(async {
        let connection = NatsConnection::connect(NatsOptions::new(format!("nats://{address}")))
            .await
            .expect("nats-server");
        let sender = api::operations::SendBlobs::open(&connection)
            .await
            .expect("the stream");
        let receiver = api::operations::ReceiveBlobs::subscribe(&connection, &filter)
            .await
            .expect("a consumer");
        (connection, sender, receiver)
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
                    sender.send(&params, &message).await.expect("stored");
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
    rt.block_on(async {
        drop(receiver);
        let _ = connection.close().await;
    });
}

#[divan::bench(args = SIZES)]
fn jetstream_by_hand(bencher: divan::Bencher, size: usize) {
    let Some(address) = server() else { return };
    let rt = runtime();
    let subject = format!("bench.{}.blobs", unique_id());
    let (js, mut messages) = rt.block_on(async {
        let client = async_nats::connect(address).await.expect("nats-server");
        let js = jetstream::new(client);
        let messages = common::jetstream_messages(&js, subject.clone()).await;
        (js, messages)
    });
    let blob = blob(size);
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    let payload = serde_json::to_vec(&blob).expect("json");
                    js.publish(subject.clone(), payload.into())
                        .await
                        .expect("published")
                        .await
                        .expect("stored");
                }
                for _ in 0..BATCH {
                    let m = tokio::time::timeout(Duration::from_secs(10), messages.next())
                        .await
                        .expect("in time")
                        .expect("open")
                        .expect("a message");
                    let got: Blob = serde_json::from_slice(&m.payload).expect("json");
                    m.ack().await.expect("acknowledged");
                    divan::black_box(got);
                }
            })
        });
}
