//! In-process transport throughput (see `docs/BENCHMARKS.md`): the generated typed path
//! (validate, encode to JSON, address from parameters; decode, validate, parameters parsed back)
//! against the raw envelope path on the same broker, and against a bare tokio channel.
//!
//! Run with `cargo bench --bench memory`. Each iteration sends a batch of messages and receives
//! them all on one task.

use asyncapi::StreamExt;
use asyncapi::envelope::Envelope;
use asyncapi::memory::Broker;
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher};

mod lights {
    asyncapi::include_spec!("examples/specs/streetlights-mqtt.yaml");
}

use lights::channels::lighting_measured;
use lights::messages::LightMeasured;
use lights::models::{CommonHeaders, LightMeasuredPayload};

const BATCH: usize = 1000;

fn main() {
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
}

fn message(i: i64) -> LightMeasured {
    LightMeasured {
        payload: LightMeasuredPayload {
            lumens: Some(i),
            sent_at: None,
        },
        headers: CommonHeaders {
            my_app_header: Some(7),
        },
    }
}

/// Generated operations: `TurnOn`-style sender and `subscribe` stream.
#[divan::bench]
fn typed(bencher: divan::Bencher) {
    let rt = runtime();
    let broker = Broker::with_capacity(BATCH * 2);
    let c = broker.connect();
    let (sender, mut receiver) = rt.block_on(async {
        // The application receives measurements; a lamp (the client side) would send them.
        let receiver = lights::operations::ReceiveLightMeasurement::subscribe(
            &c,
            &lighting_measured::Filter::default(),
        )
        .await
        .expect("subscribe");
        let sender =
            asyncapi::operation::Sender::<_, lighting_measured::Params, LightMeasured>::open(
                &c,
                &lighting_measured::spec(),
            )
            .await
            .expect("open");
        (sender, receiver)
    });
    let params = lighting_measured::Params {
        streetlight_id: "lamp-7".into(),
    };
    let messages: Vec<LightMeasured> = (0..BATCH as i64).map(message).collect();
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for m in &messages {
                    sender.send(&params, m).await.expect("send");
                }
                for _ in 0..BATCH {
                    let r = receiver.next().await.expect("open").expect("valid");
                    divan::black_box(r);
                }
            })
        });
}

/// The same messages as raw envelopes on the same broker (JSON written once, outside the loop).
#[divan::bench]
fn raw_envelopes(bencher: divan::Bencher) {
    let rt = runtime();
    let broker = Broker::with_capacity(BATCH * 2);
    let c = broker.connect();
    let channel = ChannelSpec::new("lightingMeasured", lighting_measured::ADDRESS);
    let (publisher, mut subscriber) = rt.block_on(async {
        (
            c.publisher(&channel).await.expect("open"),
            c.subscriber(&channel).await.expect("subscribe"),
        )
    });
    let envelope = Envelope::new("smartylighting/streetlights/1/0/event/lamp-7/lighting/measured")
        .with_payload(r#"{"lumens":1}"#);
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for _ in 0..BATCH {
                    publisher.send(envelope.clone()).await.expect("send");
                }
                for _ in 0..BATCH {
                    divan::black_box(subscriber.next().await.expect("open").expect("ok"));
                }
            })
        });
}

/// A bare tokio channel carrying the typed message: the floor.
#[divan::bench]
fn bare_tokio_channel(bencher: divan::Bencher) {
    let rt = runtime();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<LightMeasured>(BATCH * 2);
    let messages: Vec<LightMeasured> = (0..BATCH as i64).map(message).collect();
    bencher
        .counter(divan::counter::ItemsCount::new(BATCH))
        .bench_local(|| {
            rt.block_on(async {
                for m in &messages {
                    tx.send(m.clone()).await.expect("send");
                }
                for _ in 0..BATCH {
                    divan::black_box(rx.recv().await.expect("open"));
                }
            })
        });
}
