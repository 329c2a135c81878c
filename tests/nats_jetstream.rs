//! NATS JetStream against the machine's nats-server (127.0.0.1:4222), through the code generated
//! from the project's JetStream document (tests/specs/nats-orders.yaml: one `SHOP_ORDERS` stream
//! for every order subject, `ackWait: 2`, `maxDeliver: 3`, an idempotency key as the message id,
//! the fulfilment group in the NATS binding's `queue`): sends confirmed by the stream's `PubAck`
//! and an error where no stream takes them, the document's group as a durable consumer, a
//! consumer that dies holding a message and the message delivered again after `ackWait`, `term`
//! for good, `nack` at once and `nack_after` later, `maxDeliver` honoured, duplicates dropped by
//! the document's message id, and a peer that speaks the NATS protocol by hand publishing to the
//! stream and pulling what the typed API sent. The suite every transport passes is
//! `tests/conformance.rs` (`conformance_nats_jetstream_*`).

mod common;

use common::{next, unique};

use std::time::{Duration, Instant};

use asyncapi::StreamExt;
use asyncapi::ack::ManualAck;
use asyncapi::nats::{NatsConnection, NatsOptions};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};

/// The storefront and fulfilment: the document's application.
mod app {
    asyncapi::include_spec!("tests/specs/nats-orders.yaml");
}

const NATS: &str = "127.0.0.1:4222";
const STREAM: &str = "SHOP_ORDERS";

/// The tests share the document's one stream, so they take turns, each on a stream of its own
/// making (the last test's is deleted first, with its consumers).
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn turn() -> Option<tokio::sync::MutexGuard<'static, ()>> {
    if !common::broker("NATS", NATS) {
        return None;
    }
    let guard = TURN.lock().await;
    let client = async_nats::connect(NATS)
        .await
        .expect("connects to nats-server");
    let js = async_nats::jetstream::new(client);
    let _ = js.delete_stream(STREAM).await;
    Some(guard)
}

async fn connect() -> NatsConnection {
    NatsConnection::connect(NatsOptions::new(format!("nats://{NATS}")))
        .await
        .expect("connects to nats-server")
}

/// The stream as the server reports it.
async fn stream_info() -> async_nats::jetstream::stream::Info {
    let client = async_nats::connect(NATS).await.unwrap();
    let mut stream = async_nats::jetstream::new(client)
        .get_stream(STREAM)
        .await
        .expect("the stream exists");
    stream.info().await.unwrap().clone()
}

fn order(id: &str, key: &str) -> app::messages::OrderPlaced {
    app::messages::OrderPlaced {
        payload: serde_json::from_value(serde_json::json!({
            "orderId": id,
            "customer": "ada@example.com",
            "lines": [{"sku": "TEA-250", "quantity": 2}],
            "total": 11.8,
        }))
        .expect("an order as the document describes it"),
        headers: app::models::OrderHeaders {
            idempotency_key: key.to_owned(),
            correlation_id: Some(format!("c-{id}")),
        },
    }
}

async fn place(connection: &NatsConnection, region: &str, id: &str) {
    app::operations::PlaceOrder::send(
        connection,
        &app::channels::order_placed::Params {
            region: region.to_owned(),
        },
        &order(id, id),
    )
    .await
    .expect("stored: the stream's PubAck came");
}

fn in_region(region: &str) -> app::channels::order_placed::Filter {
    app::channels::order_placed::Filter {
        region: Some(region.to_owned()),
    }
}

/// Nothing more arrives within `wait`.
async fn quiet<S: StreamExt + Unpin>(stream: &mut S, wait: Duration, what: &str)
where
    S::Item: std::fmt::Debug,
{
    if let Ok(more) = tokio::time::timeout(wait, stream.next()).await {
        panic!("{what}, yet came: {more:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_sends_are_stored_and_the_documents_group_is_a_durable_consumer() {
    let Some(_turn) = turn().await else { return };
    let connection = connect().await;
    let region = unique("eu");
    // Two fulfilment instances: the document's `queue` is their durable consumer.
    let mut a = app::operations::FulfilOrder::subscribe(&connection, &in_region(&region))
        .await
        .unwrap();
    let other = connect().await;
    let mut b = app::operations::FulfilOrder::subscribe(&other, &in_region(&region))
        .await
        .unwrap();
    let total = 40;
    for i in 0..total {
        place(&connection, &region, &format!("o{i}")).await;
    }
    let info = stream_info().await;
    assert_eq!(info.state.messages, total, "every send stored");
    assert_eq!(
        info.config.subjects,
        vec!["shop.orders.>".to_owned()],
        "the document's subjects"
    );
    assert_eq!(info.config.max_age, Duration::from_secs(600));
    let client = async_nats::connect(NATS).await.unwrap();
    let stream = async_nats::jetstream::new(client)
        .get_stream(STREAM)
        .await
        .unwrap();
    let consumer = stream
        .consumer_info("fulfilment")
        .await
        .expect("the document's group is a durable consumer")
        .clone();
    assert_eq!(consumer.config.ack_wait, Duration::from_secs(2));
    assert_eq!(consumer.config.max_deliver, 3);
    // Each order to one instance, once.
    let mut seen = std::collections::BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.len() < total as usize && Instant::now() < deadline {
        let got = tokio::select! {
            m = a.next() => m,
            m = b.next() => m,
        };
        let got = got.expect("open").expect("an order");
        assert_eq!(
            got.correlation_id.as_deref(),
            Some(format!("c-{}", got.message.payload.order_id).as_str())
        );
        assert!(
            seen.insert(got.message.payload.order_id.clone()),
            "{} delivered twice",
            got.message.payload.order_id
        );
    }
    assert_eq!(seen.len(), total as usize, "every order delivered");
    quiet(&mut a, Duration::from_millis(500), "every order was taken").await;
    connection.close().await.unwrap();
    other.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_a_consumer_killed_before_acknowledging_gets_the_message_again_after_ack_wait()
 {
    let Some(_turn) = turn().await else { return };
    let region = unique("us");
    let group = unique("pickers");
    // The first instance reaches the server through a relay the test cuts: to the server it
    // dies holding the order, with no chance to give it back.
    let relay = common::Relay::start(NATS.parse().unwrap()).await;
    let doomed = NatsConnection::connect(
        NatsOptions::new(format!("nats://127.0.0.1:{}", relay.port))
            .send_timeout(Duration::from_secs(2)),
    )
    .await
    .unwrap();
    let mut dying = app::operations::FulfilOrder::subscribe_in_group(
        &ManualAck(&doomed),
        &in_region(&region),
        &group,
    )
    .await
    .unwrap();
    let storefront = connect().await;
    place(&storefront, &region, "held").await;
    let held = next(&mut dying).await.unwrap();
    let delivered = Instant::now();
    assert_eq!(held.message.payload.order_id, "held");
    relay.down();
    let survivor = connect().await;
    let mut living = app::operations::FulfilOrder::subscribe_in_group(
        &ManualAck(&survivor),
        &in_region(&region),
        &group,
    )
    .await
    .unwrap();
    let again = next(&mut living).await.unwrap();
    assert_eq!(again.message.payload.order_id, "held");
    assert_eq!(again.correlation_id.as_deref(), Some("c-held"));
    assert!(
        delivered.elapsed() >= Duration::from_millis(1500),
        "delivered again when `ackWait` (2 s) ran out, not before: {:?}",
        delivered.elapsed()
    );
    again.ack().await.unwrap();
    quiet(
        &mut living,
        Duration::from_secs(3),
        "acknowledged, the order is done",
    )
    .await;
    drop(held);
    survivor.close().await.unwrap();
    storefront.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_a_termed_message_never_comes_back_and_a_nacked_one_does() {
    let Some(_turn) = turn().await else { return };
    let region = unique("ap");
    let connection = connect().await;
    let mut orders = app::operations::FulfilOrder::subscribe_in_group(
        &ManualAck(&connection),
        &in_region(&region),
        &unique("auditors"),
    )
    .await
    .unwrap();
    place(&connection, &region, "bad").await;
    place(&connection, &region, "retry").await;
    place(&connection, &region, "later").await;
    let bad = next(&mut orders).await.unwrap();
    assert_eq!(bad.message.payload.order_id, "bad");
    bad.reject().await.unwrap();
    // `nack`: again at once, well before `ackWait`.
    let retry = next(&mut orders).await.unwrap();
    assert_eq!(retry.message.payload.order_id, "retry");
    let nacked = Instant::now();
    retry.nack().await.unwrap();
    let mut later = None;
    let again = loop {
        let got = next(&mut orders).await.unwrap();
        match got.message.payload.order_id.as_str() {
            "retry" => break got,
            "later" => later = Some(got),
            other => panic!("{other} came back"),
        }
    };
    assert!(
        nacked.elapsed() < Duration::from_millis(1500),
        "a nack asks for it again at once: {:?}",
        nacked.elapsed()
    );
    // `nack_after`: again once the delay is over.
    let delayed = Instant::now();
    again.nack_after(Duration::from_secs(1)).await.unwrap();
    let later = match later {
        Some(l) => l,
        None => next(&mut orders).await.unwrap(),
    };
    assert_eq!(later.message.payload.order_id, "later");
    later.ack().await.unwrap();
    let third = next(&mut orders).await.unwrap();
    assert_eq!(third.message.payload.order_id, "retry");
    assert!(
        delayed.elapsed() >= Duration::from_millis(900),
        "delivered again after the delay asked: {:?}",
        delayed.elapsed()
    );
    third.ack().await.unwrap();
    // Terminated: not after `ackWait` either.
    quiet(
        &mut orders,
        Duration::from_secs(3),
        "the terminated order never comes back",
    )
    .await;
    connection.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_max_deliver_from_the_document_is_honoured() {
    let Some(_turn) = turn().await else { return };
    let region = unique("sa");
    let connection = connect().await;
    let mut orders = app::operations::FulfilOrder::subscribe_in_group(
        &ManualAck(&connection),
        &in_region(&region),
        &unique("flaky"),
    )
    .await
    .unwrap();
    place(&connection, &region, "poison").await;
    // `maxDeliver: 3`: delivered three times, then no more.
    for _ in 0..3 {
        let got = next(&mut orders).await.unwrap();
        assert_eq!(got.message.payload.order_id, "poison");
        got.nack().await.unwrap();
    }
    quiet(
        &mut orders,
        Duration::from_secs(3),
        "delivered `maxDeliver` times",
    )
    .await;
    connection.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_the_documents_message_id_drops_duplicates() {
    let Some(_turn) = turn().await else { return };
    let region = unique("af");
    let connection = connect().await;
    let mut orders = app::operations::FulfilOrder::subscribe(&connection, &in_region(&region))
        .await
        .unwrap();
    let params = app::channels::order_placed::Params {
        region: region.clone(),
    };
    // The storefront retries a send it did not see confirmed: the same idempotency key.
    for _ in 0..3 {
        app::operations::PlaceOrder::send(&connection, &params, &order("first", "key-1"))
            .await
            .expect("a duplicate is confirmed too");
    }
    app::operations::PlaceOrder::send(&connection, &params, &order("second", "key-2"))
        .await
        .unwrap();
    assert_eq!(
        stream_info().await.state.messages,
        2,
        "one of each key kept"
    );
    assert_eq!(
        next(&mut orders).await.unwrap().message.payload.order_id,
        "first"
    );
    assert_eq!(
        next(&mut orders).await.unwrap().message.payload.order_id,
        "second"
    );
    connection.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_a_send_no_stream_takes_is_an_error_never_ok() {
    let Some(_turn) = turn().await else { return };
    let region = unique("eu");
    // A stream the channel says not to create (`create: false`) and that does not exist.
    let mut absent = asyncapi::bindings::NatsJetStream::default();
    absent.stream = Some(unique("NO_SUCH_STREAM").into());
    absent.subjects = vec!["shop.orders.>".into()];
    absent.create = Some(false);
    let connection = NatsConnection::connect(
        NatsOptions::new(format!("nats://{NATS}")).jetstream("orderPlaced", absent),
    )
    .await
    .unwrap();
    let params = app::channels::order_placed::Params {
        region: region.clone(),
    };
    let refused = app::operations::PlaceOrder::send(&connection, &params, &order("x", "x")).await;
    let error = refused.expect_err("no stream: an error, never Ok");
    assert!(error.to_string().contains("does not exist"), "{error}");
    // The stream deleted under a publisher that has opened: its sends fail, never `Ok`.
    let connection = connect().await;
    let publisher = app::operations::PlaceOrder::open(&connection)
        .await
        .unwrap();
    publisher
        .send(&params, &order("kept", "kept"))
        .await
        .unwrap();
    let client = async_nats::connect(NATS).await.unwrap();
    async_nats::jetstream::new(client)
        .delete_stream(STREAM)
        .await
        .unwrap();
    let lost = publisher.send(&params, &order("lost", "lost")).await;
    assert!(lost.is_err(), "no stream stores it: {lost:?}");
    connection.close().await.unwrap();
}

/// One message as the NATS protocol delivers it: `MSG`/`HMSG` with its subject, reply subject,
/// headers and payload.
#[derive(Debug)]
struct Wire {
    reply: Option<String>,
    headers: String,
    payload: Vec<u8>,
}

/// Reads the next message on `sid`, answering the server's pings.
async fn read_message(
    read: &mut BufReader<OwnedReadHalf>,
    write: &mut OwnedWriteHalf,
    sid: &str,
) -> Wire {
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            line.clear();
            assert!(
                read.read_line(&mut line).await.unwrap() > 0,
                "connection open"
            );
            let words: Vec<&str> = line.split_whitespace().collect();
            let (reply, header_len, total) = match words.as_slice() {
                ["PING"] => {
                    write.write_all(b"PONG\r\n").await.unwrap();
                    continue;
                }
                ["-ERR", ..] => panic!("the server refused: {line}"),
                ["MSG", _, s, size] if *s == sid => (None, 0, size.parse().unwrap()),
                ["MSG", _, s, reply, size] if *s == sid => {
                    (Some(reply.to_string()), 0, size.parse().unwrap())
                }
                ["HMSG", _, s, h, size] if *s == sid => {
                    (None, h.parse().unwrap(), size.parse().unwrap())
                }
                ["HMSG", _, s, reply, h, size] if *s == sid => (
                    Some(reply.to_string()),
                    h.parse().unwrap(),
                    size.parse().unwrap(),
                ),
                _ => continue,
            };
            let mut body = vec![0; total + 2];
            read.read_exact(&mut body).await.unwrap();
            body.truncate(total);
            let payload = body.split_off(header_len);
            return Wire {
                reply,
                headers: String::from_utf8(body).unwrap(),
                payload,
            };
        }
    })
    .await
    .expect("a message within 10 s")
}

/// A peer that is neither this library nor any NATS library: the NATS protocol written by hand
/// on a TCP socket, following only the document. It publishes an order to the stream with its
/// idempotency key and correlation id in headers and reads the stream's `PubAck`; the typed
/// fulfilment service receives it. Then the typed API cancels an order, and the peer creates a
/// consumer through the JetStream API, pulls the cancellation with the document's headers, and
/// acknowledges it with `+ACK`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_jetstream_a_foreign_peer_publishes_to_the_stream_and_pulls_what_the_typed_api_sent() {
    let Some(_turn) = turn().await else { return };
    let region = unique("eu");
    let app_connection = connect().await;
    // The typed side's subscription creates the stream from the document.
    let mut orders = app::operations::FulfilOrder::subscribe_in_group(
        &app_connection,
        &in_region(&region),
        &unique("fulfilment"),
    )
    .await
    .unwrap();

    let socket = tokio::net::TcpStream::connect(NATS).await.unwrap();
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    let inbox = format!("peer.{}", asyncapi::operation::unique_id());
    write
        .write_all(
            format!("CONNECT {{\"verbose\":false,\"headers\":true}}\r\nSUB {inbox}.> 1\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
    let headers =
        "NATS/1.0\r\nidempotencyKey: peer-1\r\ncorrelationId: peer-corr\r\n\r\n".to_owned();
    let payload = r#"{"orderId":"from-peer","lines":[{"sku":"MUG-1","quantity":1}],"total":7.5}"#;
    write
        .write_all(
            format!(
                "HPUB shop.orders.{region}.placed {inbox}.ack {} {}\r\n{headers}{payload}\r\n",
                headers.len(),
                headers.len() + payload.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let ack = read_message(&mut read, &mut write, "1").await;
    let ack: serde_json::Value = serde_json::from_slice(&ack.payload).unwrap();
    assert_eq!(ack["stream"], STREAM, "the stream's PubAck: {ack}");
    let got = next(&mut orders).await.unwrap();
    assert_eq!(got.message.payload.order_id, "from-peer");
    assert_eq!(got.message.headers.idempotency_key, "peer-1");
    assert_eq!(got.correlation_id.as_deref(), Some("peer-corr"));

    // The typed API cancels an order; the peer pulls it through a consumer of its own.
    app::operations::CancelOrder::send(
        &app_connection,
        &app::channels::order_cancelled::Params {
            region: region.clone(),
        },
        &app::messages::OrderCancelled {
            payload: serde_json::from_value(
                serde_json::json!({"orderId": "from-peer", "reason": "stock"}),
            )
            .unwrap(),
            headers: app::models::OrderHeaders {
                idempotency_key: "cancel-1".into(),
                correlation_id: Some("peer-corr".into()),
            },
        },
    )
    .await
    .unwrap();
    let config = serde_json::json!({
        "stream_name": STREAM,
        "config": {
            "deliver_policy": "all",
            "ack_policy": "explicit",
            "filter_subject": format!("shop.orders.{region}.cancelled"),
        },
    })
    .to_string();
    write
        .write_all(
            format!(
                "PUB $JS.API.CONSUMER.CREATE.{STREAM} {inbox}.created {}\r\n{config}\r\n",
                config.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let created = read_message(&mut read, &mut write, "1").await;
    let created: serde_json::Value = serde_json::from_slice(&created.payload).unwrap();
    let name = created["name"]
        .as_str()
        .unwrap_or_else(|| panic!("a consumer: {created}"))
        .to_owned();
    let pull = r#"{"batch":1,"expires":5000000000}"#;
    write
        .write_all(
            format!(
                "PUB $JS.API.CONSUMER.MSG.NEXT.{STREAM}.{name} {inbox}.pull {}\r\n{pull}\r\n",
                pull.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let cancelled = read_message(&mut read, &mut write, "1").await;
    let body: serde_json::Value = serde_json::from_slice(&cancelled.payload).unwrap();
    assert_eq!(body["orderId"], "from-peer");
    assert_eq!(body["reason"], "stock");
    assert!(
        cancelled.headers.contains("correlationId: peer-corr\r\n")
            && cancelled.headers.contains("idempotencyKey: cancel-1\r\n"),
        "the document's headers: {}",
        cancelled.headers
    );
    let ack_subject = cancelled.reply.expect("an acknowledgement subject");
    assert!(ack_subject.starts_with("$JS.ACK."), "{ack_subject}");
    write
        .write_all(format!("PUB {ack_subject} 4\r\n+ACK\r\nPING\r\n").as_bytes())
        .await
        .unwrap();
    // Acknowledged: the consumer holds nothing pending.
    let client = async_nats::connect(NATS).await.unwrap();
    let stream = async_nats::jetstream::new(client)
        .get_stream(STREAM)
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let info = stream.consumer_info(&name).await.unwrap().clone();
        if info.num_ack_pending == 0 && info.delivered.stream_sequence > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the peer's +ACK counted: {info:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app_connection.close().await.unwrap();
}
