//! The AMQP 0-9-1 transport against the machine's RabbitMQ (127.0.0.1:5672, guest/guest),
//! through the code generated from the project's AMQP document (tests/specs/amqp-orders.yaml)
//! and from the AsyncAPI specification's RPC server example: every operation and message binding
//! field observed through the broker (`rabbitmqadmin get` shows the properties a consumer
//! receives), topology declared with the document's properties and conflicts reported with the
//! property, publisher confirms (an unroutable mandatory message is rejected), acknowledgements
//! (ack, nack, reject, a consumer that dies), `rabbitmqadmin publish`/`get` as peers that know
//! only the document, and typed errors for wrong credentials, a missing virtual host and a
//! broker that is down. `rabbitmqadmin` needs RabbitMQ's management plugin (`.ci/run` enables
//! it).

mod common;

use common::{next, unique};

use std::process::Command;
use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::amqp::{AmqpConnection, AmqpEnvelope, AmqpOptions, TopologyError};
use asyncapi::transport::{Producer, Publisher, TransportError};

mod orders {
    asyncapi::include_spec!("tests/specs/amqp-orders.yaml");
}

/// The AsyncAPI specification's RPC server example, from both sides.
mod rpc {
    asyncapi::include_spec!("tests/specs/third-party/amqp-rpc-server.yaml");
}
mod rpc_client {
    asyncapi::include_spec!(
        "tests/specs/third-party/amqp-rpc-server.yaml",
        perspective = "client"
    );
}

const AMQP: &str = "127.0.0.1:5672";

/// The tests that use the document's queues and exchange take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn options() -> AmqpOptions {
    AmqpOptions::new(format!("amqp://guest:guest@{AMQP}/%2f"))
}

async fn connect() -> AmqpConnection {
    AmqpConnection::connect(options())
        .await
        .expect("connects to RabbitMQ")
}

/// `rabbitmqadmin -f raw_json ARGS` as JSON; `None` (loudly; a failure under CI) when the
/// management API does not answer.
fn admin(args: &[&str]) -> Option<serde_json::Value> {
    let out = Command::new("rabbitmqadmin")
        .arg("-f")
        .arg("raw_json")
        .args(args)
        .output();
    match out {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            Some(
                serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text.into_owned())),
            )
        }
        Ok(out) => {
            common::missing(&format!(
                "RABBITMQADMIN {args:?} FAILED ({} {}): is the management plugin on (`rabbitmq-plugins enable rabbitmq_management`)? The test did NOT run",
                String::from_utf8_lossy(&out.stdout).trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
            None
        }
        Err(e) => {
            common::missing(&format!(
                "RABBITMQADMIN IS MISSING ({e}): the test did NOT run"
            ));
            None
        }
    }
}

/// `rabbitmqadmin ARGS` where failing is an answer too (deleting what may not exist).
fn admin_may_fail(args: &[&str]) {
    let _ = Command::new("rabbitmqadmin").args(args).output();
}

/// The messages of `queue`, taken off it (`rabbitmqadmin get ... ackmode=ack_requeue_false`).
fn take(queue: &str, count: usize) -> Option<Vec<serde_json::Value>> {
    let got = admin(&[
        "get",
        &format!("queue={queue}"),
        &format!("count={count}"),
        "ackmode=ack_requeue_false",
    ])?;
    Some(got.as_array().cloned().unwrap_or_default())
}

fn placed(id: &str, total: f64) -> orders::messages::Placed {
    orders::messages::Placed {
        payload: orders::models::PlacedPayload {
            id: id.to_owned(),
            total,
        },
        headers: orders::models::PlacedHeaders {
            trace_id: Some(format!("trace-{id}")),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_every_binding_field_reaches_the_broker() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let connection = connect().await;
    // The topology comes from the document: the exchange exists once a publisher opens.
    let mut all = orders::operations::OnOrderPlaced::subscribe(
        &connection,
        &orders::channels::order_placed::Filter::default(),
    )
    .await
    .unwrap();
    let Some(exchanges) = admin(&[
        "list",
        "exchanges",
        "name",
        "type",
        "durable",
        "auto_delete",
    ]) else {
        return;
    };
    let ours = exchanges
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|e| e["name"] == "asyncapi-test.orders")
                .cloned()
        })
        .expect("the document's exchange is declared");
    assert_eq!(
        (ours["type"].as_str(), ours["durable"].as_bool()),
        (Some("topic"), Some(true))
    );
    // The CC and BCC routing keys reach queues of their own.
    for (queue, key) in [
        ("asyncapi-test.audit", "orders.audit.placed"),
        ("asyncapi-test.hidden", "orders.hidden.placed"),
    ] {
        admin(&[
            "declare",
            "queue",
            &format!("name={queue}"),
            "durable=false",
        ]);
        admin(&["purge", "queue", &format!("name={queue}")]);
        admin(&[
            "declare",
            "binding",
            "source=asyncapi-test.orders",
            &format!("destination={queue}"),
            &format!("routing_key={key}"),
        ]);
    }
    orders::operations::PlaceOrder::send(
        &connection,
        &orders::channels::order_placed::Params {
            region: "eu".into(),
        },
        &placed("o-1", 12.5),
    )
    .await
    .expect("confirmed");
    // The typed subscriber, with `*` for the free region, gets it with its parameter.
    let got = next(&mut all).await.unwrap();
    assert_eq!(got.params.region, "eu");
    assert_eq!(got.message.payload.id, "o-1");
    assert_eq!(got.message.headers.trace_id.as_deref(), Some("trace-o-1"));
    assert_eq!(got.reply_to.as_deref(), Some("asyncapi-test.invoices"));
    got.ack().await.unwrap();
    // What any consumer sees: every binding field as a property.
    let audit = take("asyncapi-test.audit", 1).unwrap_or_default();
    let m = audit.first().expect("the CC copy");
    let p = &m["properties"];
    assert_eq!(m["routing_key"], "orders.eu.placed");
    assert_eq!(p["expiration"], "60000");
    assert_eq!(p["user_id"], "guest");
    assert_eq!(p["priority"], 5);
    assert_eq!(p["delivery_mode"], 2);
    assert_eq!(p["reply_to"], "asyncapi-test.invoices");
    assert_eq!(p["content_type"], "application/json");
    assert_eq!(p["content_encoding"], "identity");
    assert_eq!(p["type"], "order.placed");
    assert!(
        p["timestamp"].as_u64().is_some_and(|t| t > 1_700_000_000),
        "{p}"
    );
    assert_eq!(p["headers"]["traceId"], "trace-o-1");
    assert_eq!(p["headers"]["CC"][0], "orders.audit.placed");
    assert!(
        p["headers"].get("BCC").is_none(),
        "the broker removes BCC: {p}"
    );
    assert_eq!(m["payload"], r#"{"id":"o-1","total":12.5}"#);
    assert_eq!(
        take("asyncapi-test.hidden", 1).unwrap_or_default().len(),
        1,
        "the BCC copy"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_refusals_are_typed_errors() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let connection = connect().await;
    // No queue is bound to the routing key of a mandatory message.
    let lost = orders::operations::SendNowhere::send(
        &connection,
        &orders::channels::nowhere::Params,
        &orders::messages::Lost::new("x".into()),
    )
    .await
    .unwrap_err();
    match lost {
        asyncapi::Error::Transport {
            source: TransportError::Rejected { reason, .. },
            ..
        } => {
            assert!(
                reason.contains("`nowhere`") && reason.contains("NO_ROUTE"),
                "{reason}"
            )
        }
        other => panic!("expected Rejected, got {other}"),
    }
    // The exchange exists with another `durable` than the document's.
    admin_may_fail(&["delete", "exchange", "name=asyncapi-test.conflict"]);
    let Some(_) = admin(&[
        "declare",
        "exchange",
        "name=asyncapi-test.conflict",
        "type=topic",
        "durable=false",
    ]) else {
        return;
    };
    let conflict = orders::operations::SendConflict::open(&connection)
        .await
        .unwrap_err();
    let asyncapi::Error::Transport {
        source: TransportError::Open { source, .. },
        ..
    } = &conflict
    else {
        panic!("expected Open, got {conflict}");
    };
    match source.downcast_ref::<TopologyError>() {
        Some(TopologyError::Conflict {
            kind,
            name,
            property,
            ..
        }) => {
            assert_eq!(
                (*kind, name.as_str(), property.as_str()),
                ("exchange", "asyncapi-test.conflict", "durable")
            )
        }
        other => panic!("expected a conflict, got {other:?} ({conflict})"),
    }
    admin_may_fail(&["delete", "exchange", "name=asyncapi-test.conflict"]);
    // Wrong credentials, a missing virtual host, a broker that is down: each names the server.
    let wrong = AmqpOptions::new(format!("amqp://guest:wrong@{AMQP}/%2f"));
    assert!(matches!(
        AmqpConnection::connect(wrong).await,
        Err(TransportError::Connect { .. })
    ));
    let vhost = AmqpOptions::new(format!("amqp://guest:guest@{AMQP}/no-such-vhost"));
    match AmqpConnection::connect(vhost).await {
        Err(TransportError::Connect { server, .. }) => {
            assert!(server.contains("no-such-vhost"), "{server}")
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
    let port = common::free_port();
    let down = AmqpOptions::new(format!("amqp://127.0.0.1:{port}"))
        .connect_timeout(Duration::from_secs(3));
    match AmqpConnection::connect(down).await {
        Err(TransportError::Connect { server, .. }) => assert!(server.contains(&port.to_string())),
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_acknowledgements_keep_what_was_not_handled() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let producer = connect().await;
    // The document's durable queue, emptied first.
    let send = |id: &'static str| {
        let producer = producer.clone();
        async move {
            orders::operations::SendInvoice::send(
                &producer,
                &orders::channels::invoices::Params,
                &orders::messages::Invoice::new(orders::models::InvoicePayload {
                    order_id: id.into(),
                }),
            )
            .await
            .expect("confirmed")
        }
    };
    // Opening the sender declares the document's durable queue; it is emptied first.
    orders::operations::SendInvoice::open(&producer)
        .await
        .unwrap();
    let Some(_) = admin(&["purge", "queue", "name=asyncapi-test.invoices"]) else {
        return;
    };
    let worker = connect().await;
    for id in ["a", "b", "c"] {
        send(id).await;
    }
    // A worker acknowledges `a`, asks for `b` again, rejects `c`, then dies holding `b`.
    let mut jobs = orders::operations::OnInvoice::subscribe(
        &asyncapi::ack::ManualAck(&worker),
        &orders::channels::invoices::Filter,
    )
    .await
    .unwrap();
    let a = next(&mut jobs).await.unwrap();
    assert_eq!(a.message.payload.order_id, "a");
    a.ack().await.unwrap();
    let b = next(&mut jobs).await.unwrap();
    assert_eq!(b.message.payload.order_id, "b");
    b.nack().await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..2 {
        let m = next(&mut jobs).await.unwrap();
        seen.push(m.message.payload.order_id.clone());
        if m.message.payload.order_id == "c" {
            m.reject().await.unwrap();
        } else {
            // `b` again; the worker dies without settling it.
            std::mem::forget(m);
        }
    }
    seen.sort();
    assert_eq!(seen, ["b", "c"]);
    worker.close().await.unwrap();
    // Another worker gets `b` (and nothing else) in automatic mode.
    let other = connect().await;
    let mut jobs =
        orders::operations::OnInvoice::subscribe(&other, &orders::channels::invoices::Filter)
            .await
            .unwrap();
    assert_eq!(next(&mut jobs).await.unwrap().message.payload.order_id, "b");
    assert!(
        tokio::time::timeout(Duration::from_millis(500), jobs.next())
            .await
            .is_err(),
        "`a` was acknowledged and `c` rejected: nothing else comes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_peers_that_know_only_the_document_both_ways() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let connection = connect().await;
    let mut all = orders::operations::OnOrderPlaced::subscribe(
        &connection,
        &orders::channels::order_placed::Filter {
            region: Some("us".into()),
        },
    )
    .await
    .unwrap();
    let Some(_) = admin(&[
        "publish",
        "exchange=asyncapi-test.orders",
        "routing_key=orders.us.placed",
        r#"payload={"id":"o-9","total":3}"#,
        r#"properties={"content_type":"application/json","headers":{"traceId":"t-9"}}"#,
    ]) else {
        return;
    };
    admin(&[
        "publish",
        "exchange=asyncapi-test.orders",
        "routing_key=orders.us.placed",
        r#"payload={"id":"bad"}"#,
    ]);
    admin(&[
        "publish",
        "exchange=asyncapi-test.orders",
        "routing_key=orders.us.placed",
        r#"payload={"id":"o-10","total":1}"#,
    ]);
    let got = next(&mut all).await.unwrap();
    assert_eq!(
        (
            got.message.payload.id.as_str(),
            got.message.headers.trace_id.as_deref()
        ),
        ("o-9", Some("t-9"))
    );
    assert!(
        next(&mut all).await.is_err(),
        "`total` is required: an error for that message"
    );
    assert_eq!(next(&mut all).await.unwrap().message.payload.id, "o-10");
    // The typed send is what a peer takes off the queue.
    admin(&["purge", "queue", "name=asyncapi-test.invoices"]);
    orders::operations::SendInvoice::send(
        &connection,
        &orders::channels::invoices::Params,
        &orders::messages::Invoice::new(orders::models::InvoicePayload {
            order_id: "o-9".into(),
        }),
    )
    .await
    .unwrap();
    let taken = take("asyncapi-test.invoices", 1).unwrap_or_default();
    assert_eq!(
        taken.first().map(|m| m["payload"].clone()),
        Some(r#"{"orderId":"o-9"}"#.into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_broken_connection_is_never_a_confirmed_send() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let relay = common::Relay::start(AMQP.parse().unwrap()).await;
    let options = AmqpOptions::new(format!("amqp://guest:guest@127.0.0.1:{}/%2f", relay.port))
        .send_timeout(Duration::from_secs(3));
    let connection = AmqpConnection::connect(options).await.unwrap();
    let region = unique("r");
    let mut all = orders::operations::OnOrderPlaced::subscribe(
        &connection,
        &orders::channels::order_placed::Filter {
            region: Some(region.clone()),
        },
    )
    .await
    .unwrap();
    let params = orders::channels::order_placed::Params { region };
    orders::operations::PlaceOrder::send(&connection, &params, &placed("before", 1.0))
        .await
        .unwrap();
    assert_eq!(next(&mut all).await.unwrap().message.payload.id, "before");
    relay.down();
    // The connection is gone: a send is an error, and the subscription says so and ends.
    let sent =
        orders::operations::PlaceOrder::send(&connection, &params, &placed("after", 1.0)).await;
    assert!(sent.is_err(), "no Ok without the broker's confirm");
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(item) = all.next().await {
            if item.is_err() {
                return;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the subscription neither failed nor ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_the_specifications_rpc_example_from_both_sides() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let server = connect().await;
    let client = connect().await;
    // The server sums what comes on `rpc_queue` and answers on the queue the request names.
    let mut requests = rpc::operations::Sum::subscribe(&server, &rpc::channels::rpc_queue::Filter)
        .await
        .unwrap();
    let answering = server.clone();
    tokio::spawn(async move {
        while let Some(Ok(request)) = requests.next().await {
            let Some(reply_to) = request.reply_to.clone() else {
                continue;
            };
            let sum = request
                .message
                .payload
                .numbers
                .clone()
                .unwrap_or_default()
                .iter()
                .sum();
            let result = rpc::messages::SendSumResult::new(rpc::models::SendSumResultPayload {
                result: Some(sum),
            });
            let _ = rpc::operations::SendSumResult::send(
                &answering,
                &rpc::channels::queue::Params { queue: reply_to },
                &result,
            )
            .await;
        }
    });
    // The client: its own exclusive reply queue (the document's `queue` channel), then the
    // request with `reply_to`.
    let reply_queue = unique("rpc-reply");
    let mut results = rpc_client::operations::SendSumResult::subscribe(
        &client,
        &rpc_client::channels::queue::Filter {
            queue: Some(reply_queue.clone()),
        },
    )
    .await
    .unwrap();
    let publisher = client
        .publisher(&rpc_client::channels::rpc_queue::spec())
        .await
        .unwrap();
    let mut envelope = AmqpEnvelope::default();
    let request = rpc_client::messages::Sum::new(rpc_client::models::SumPayload {
        numbers: Some(vec![4.0, 3.0]),
    });
    asyncapi::Message::encode(&request, &mut envelope).unwrap();
    envelope.envelope.address = "rpc_queue".into();
    envelope.envelope.reply_to = Some(reply_queue.clone());
    publisher.send(envelope).await.unwrap();
    let answer = next(&mut results).await.unwrap();
    assert_eq!(answer.params.queue, reply_queue);
    assert_eq!(answer.message.payload.result, Some(7.0));
}
