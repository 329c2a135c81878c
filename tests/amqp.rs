//! The AMQP 0-9-1 transport against the machine's RabbitMQ (127.0.0.1:5672, guest/guest),
//! through the code generated from the project's AMQP document (tests/specs/amqp-orders.yaml)
//! and from the AsyncAPI generator's kitchen-sink document: every operation and message binding
//! field observed through the broker (`rabbitmqadmin get` shows the properties a consumer
//! receives), topology declared with the document's properties and conflicts reported with the
//! property, publisher confirms (an unroutable mandatory message is rejected), acknowledgements
//! (ack, nack, reject, a consumer that dies), `rabbitmqadmin publish`/`get` as peers that know
//! only the document, and typed errors for wrong credentials, a missing virtual host and a
//! broker that is down; reconnection through a relay that cuts connections, `amqps` through a
//! TLS relay. Request/reply is in `amqp_replies.rs`. `rabbitmqadmin` needs RabbitMQ's management
//! plugin (`.ci/run` enables it).

mod common;

use common::rabbitmq::{AMQP, admin, admin_may_fail, connect, take};
use common::{next, unique};

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::amqp::{AmqpConnection, AmqpOptions, AmqpTopologyError};
use asyncapi::transport::TransportError;

mod orders {
    asyncapi::include_spec!("tests/specs/amqp-orders.yaml");
}

/// The dispatch board's telemetry: positions consumed without acknowledgements.
mod telemetry {
    asyncapi::include_spec!("tests/specs/amqp-telemetry.yaml");
}

/// The vehicles' side of it.
mod vehicles {
    asyncapi::include_spec!("tests/specs/amqp-telemetry.yaml", perspective = "client");
}

/// The AsyncAPI generator's kitchen-sink document (AsyncAPI 2.3: AMQP, Kafka and MQTT servers,
/// every AMQP operation binding field on one channel), from both sides.
mod dummy {
    // Its Kafka binding's `groupId` and `clientId` are strings where the binding wants schemas:
    // read as `const` schemas, with a warning each, which the test does not need to see.
    asyncapi::include_spec!(
        "tests/specs/third-party/generator-dummy.yaml",
        warnings = "allow"
    );
}
mod dummy_peer {
    asyncapi::include_spec!(
        "tests/specs/third-party/generator-dummy.yaml",
        perspective = "client",
        warnings = "allow"
    );
}

/// The tests that use the document's queues and exchange take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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
    match source.downcast_ref::<AmqpTopologyError>() {
        Some(AmqpTopologyError::Conflict {
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
async fn amqp_without_reconnection_a_broken_connection_is_never_a_confirmed_send() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    // It sends on the document's exchange, which another test watches whole.
    let _turn = TURN.lock().await;
    let relay = common::Relay::start(AMQP.parse().unwrap()).await;
    let options = AmqpOptions::new(format!("amqp://guest:guest@127.0.0.1:{}/%2f", relay.port))
        .send_timeout(Duration::from_secs(3))
        .reconnect(asyncapi::transport::Reconnect::Never);
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
        let mut errors = 0;
        while let Some(item) = all.next().await {
            errors += usize::from(item.is_err());
        }
        errors
    })
    .await;
    assert_eq!(ended.ok(), Some(1), "one error, then the end");
    relay.up();
    assert!(!connection.is_connected(), "nothing connects again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_reconnects_restores_topology_and_loses_no_confirmed_message() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let relay = common::Relay::start(AMQP.parse().unwrap()).await;
    let through_relay = || {
        AmqpOptions::new(format!("amqp://guest:guest@127.0.0.1:{}/%2f", relay.port))
            .send_timeout(Duration::from_secs(1))
            .reconnect(asyncapi::transport::Reconnect::backoff(
                Duration::from_millis(50),
                Duration::from_millis(500),
            ))
    };
    let producer = AmqpConnection::connect(through_relay()).await.unwrap();
    let consumer = AmqpConnection::connect(through_relay()).await.unwrap();
    // One sender for the whole test: its AMQP channel must come back with the connection.
    let sender = orders::operations::SendInvoice::open(&producer)
        .await
        .unwrap();
    let Some(_) = admin(&["purge", "queue", "name=asyncapi-test.invoices"]) else {
        return;
    };
    // The document's durable queue, acknowledged by hand; and an exclusive queue of the
    // subscriber's own, bound to the document's exchange.
    let mut invoices = orders::operations::OnInvoice::subscribe(
        &asyncapi::ack::ManualAck(&consumer),
        &orders::channels::invoices::Filter,
    )
    .await
    .unwrap();
    let region = unique("r");
    let mut placed_orders = orders::operations::OnOrderPlaced::subscribe(
        &consumer,
        &orders::channels::order_placed::Filter {
            region: Some(region.clone()),
        },
    )
    .await
    .unwrap();
    // Sends go on while the connections are cut twice and the network is down for a while;
    // a send that is not confirmed is sent again, as an application would.
    let sending = tokio::spawn(async move {
        let mut confirmed = Vec::new();
        let mut failed = 0;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        for i in 0..150 {
            let id = format!("i{i}");
            let invoice = orders::messages::Invoice::new(orders::models::InvoicePayload {
                order_id: id.clone(),
            });
            loop {
                match sender
                    .send(&orders::channels::invoices::Params, &invoice)
                    .await
                {
                    Ok(()) => break,
                    Err(_) => {
                        failed += 1;
                        assert!(
                            tokio::time::Instant::now() < deadline,
                            "no confirm for {id}"
                        );
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
            confirmed.push(id);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        (confirmed, failed)
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    relay.cut();
    tokio::time::sleep(Duration::from_millis(400)).await;
    // Down for longer than a send waits for the connection: those sends are errors.
    relay.down();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    relay.up();
    let (confirmed, failed) = sending.await.unwrap();
    assert!(failed > 0, "sends while the network was down were errors");
    // Every confirmed invoice arrives (at least once); the subscription said it broke.
    let mut received = std::collections::HashSet::new();
    let mut breaks = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !confirmed.iter().all(|id| received.contains(id)) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "confirmed but never received: {:?}",
            confirmed
                .iter()
                .filter(|id| !received.contains(*id))
                .collect::<Vec<_>>()
        );
        match tokio::time::timeout(Duration::from_secs(10), invoices.next()).await {
            Ok(Some(Ok(invoice))) => {
                received.insert(invoice.message.payload.order_id.clone());
                // A receipt of the broken connection cannot be settled: delivered again.
                let _ = invoice.ack().await;
            }
            Ok(Some(Err(_))) => breaks += 1,
            Ok(None) => panic!("the subscription ended"),
            Err(_) => panic!(
                "nothing within 10 s, {} of {} received",
                received.len(),
                confirmed.len()
            ),
        }
    }
    assert!(breaks >= 1, "the subscription reports the break");
    // The exclusive queue is declared and bound again: a new order reaches it.
    let params = orders::channels::order_placed::Params { region };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    let got = loop {
        // Unroutable (and so rejected, the operation is `mandatory`) until the queue is bound.
        let _ =
            orders::operations::PlaceOrder::send(&producer, &params, &placed("after", 2.0)).await;
        match tokio::time::timeout(Duration::from_millis(500), placed_orders.next()).await {
            Ok(Some(Ok(got))) => break got,
            Ok(Some(Err(_))) | Err(_) => {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "not bound again in 15 s"
                )
            }
            Ok(None) => panic!("the subscription ended"),
        }
    };
    assert_eq!(got.message.payload.id, "after");
    assert!(producer.is_connected() && consumer.is_connected());
    // Closing ends the subscriptions for good.
    consumer.close().await.unwrap();
    assert!(
        tokio::time::timeout(Duration::from_secs(5), async {
            while invoices.next().await.is_some() {}
        })
        .await
        .is_ok(),
        "closing the connection ends its subscriptions"
    );
    admin(&["purge", "queue", "name=asyncapi-test.invoices"]);
}

/// `amqps` through a TLS listener of the test's own in front of the machine's RabbitMQ (a second
/// RabbitMQ node with a TLS listener would take an Erlang node, its own ports and a cookie; the
/// relay checks the same client side: rustls, the certificate authority, the client
/// certificate), with a certificate authority made by `openssl` at test time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_amqps_with_a_certificate_authority_and_a_client_certificate() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    // It sends on the document's exchange, which another test watches whole.
    let _turn = TURN.lock().await;
    let dir = std::env::temp_dir().join(unique("amqp-tls"));
    let Some((ca, cert, key)) = common::make_certificates(&dir) else {
        return;
    };
    // The relay requires a client certificate of the same authority (the server's own
    // certificate serves as the client's: it has no extended key usage).
    let relay = common::Relay::start_tls(AMQP.parse().unwrap(), &cert, &key, Some(&ca)).await;
    let url = format!("amqps://guest:guest@127.0.0.1:{}/%2f", relay.port);
    let options = || {
        AmqpOptions::new(url.clone())
            .connect_timeout(Duration::from_secs(5))
            .reconnect(asyncapi::transport::Reconnect::Never)
    };
    // The system's roots do not know the test's authority.
    match AmqpConnection::connect(options()).await {
        Err(TransportError::Connect { server, .. }) => {
            assert!(server.starts_with("amqps://127.0.0.1:"), "{server}");
            assert!(
                !server.contains("guest:guest"),
                "no password in errors: {server}"
            );
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
    // Trusting it is not enough: the listener wants a client certificate.
    assert!(matches!(
        AmqpConnection::connect(options().root_certificate(&ca)).await,
        Err(TransportError::Connect { .. })
    ));
    let connection = AmqpConnection::connect(
        options()
            .root_certificate(&ca)
            .client_certificate(&cert, &key),
    )
    .await
    .expect("TLS with the test's authority and a client certificate");
    let region = unique("tls");
    let mut all = orders::operations::OnOrderPlaced::subscribe(
        &connection,
        &orders::channels::order_placed::Filter {
            region: Some(region.clone()),
        },
    )
    .await
    .unwrap();
    orders::operations::PlaceOrder::send(
        &connection,
        &orders::channels::order_placed::Params { region },
        &placed("secret", 1.0),
    )
    .await
    .expect("confirmed over TLS");
    assert_eq!(next(&mut all).await.unwrap().message.payload.id, "secret");
    // A document's `amqps` server reaches the AMQP transport through the registry too (and
    // fails on the unknown authority, not on the protocol).
    let server = common::server_spec("amqps", url.clone(), None);
    match asyncapi::transport::connect_any(&server).await {
        Err(TransportError::Connect { source, .. }) => {
            assert!(!source.to_string().contains("speaks"), "{source}")
        }
        Err(other) => panic!("expected a TLS connect error, got {other}"),
        Ok(_) => panic!("the system's roots do not know the test's authority"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_the_generators_kitchen_sink_document_end_to_end_from_both_sides() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    // Both sides connect through the document's AMQP server (port 5672 of its two), with the
    // credentials its `user-password` scheme asks for.
    let guest = || asyncapi::security::UserPassword {
        user: "guest".into(),
        password: "guest".into(),
    };
    let app: AmqpConnection = dummy::servers::DummyAmqp {
        port: dummy::servers::DummyAmqpPort::N5672,
    }
    .connect(dummy::servers::DummyAmqpSecurity::UserPassword(guest()))
    .await
    .expect("the document's server, with its credentials");
    let peer: AmqpConnection = dummy_peer::servers::DummyAmqp {
        port: dummy_peer::servers::DummyAmqpPort::N5672,
    }
    .connect(dummy_peer::servers::DummyAmqpSecurity::UserPassword(guest()))
    .await
    .unwrap();
    // The application hears of dummies created under any parameter value (the address has no
    // `.`-separated words, so the free parameter is inside the one word: bound with `*`, which
    // takes every one-word key on `amq.topic`, and what does not fit the address is skipped),
    // and under one value.
    let mut free = dummy::operations::ReceiveNewDummyInfo::subscribe(
        &app,
        &dummy::channels::dummy_channel_with_dummy_parameter_create::Filter::default(),
    )
    .await
    .expect("a free parameter inside a word is bound broader");
    let id = unique("d");
    let mut created = dummy::operations::ReceiveNewDummyInfo::subscribe(
        &app,
        &dummy::channels::dummy_channel_with_dummy_parameter_create::Filter {
            dummy: Some(id.clone()),
        },
    )
    .await
    .unwrap();
    // The peer hears the application's system info (`ack: false`: consumed without
    // acknowledgements).
    let mut infos = dummy_peer::operations::ReceiveSystemInfo::subscribe(
        &peer,
        &dummy_peer::channels::dummy_channel::Filter,
    )
    .await
    .unwrap();
    // A copy of what the peer sends, for `rabbitmqadmin` to show as it travels.
    let copy = unique("asyncapi-test.dummy-copy");
    admin(&["declare", "queue", &format!("name={copy}"), "durable=false"]);
    admin(&[
        "declare",
        "binding",
        "source=amq.topic",
        &format!("destination={copy}"),
        &format!("routing_key=dummy/channel/with/{id}/parameter/create"),
    ]);
    let sent_at: asyncapi::chrono::DateTime<asyncapi::chrono::FixedOffset> =
        "2020-01-31T13:24:53Z".parse().unwrap();
    let payload: dummy_peer::models::DummyCreated = serde_json::from_value(serde_json::json!({
        "prop1": 3,
        "prop2": "made",
        "sentAt": "2020-01-31T13:24:53Z",
        "dummyArrayWithObject": [{"prop1": "option2"}],
        "dummyArrayWithArray": [{"prop1": "option1"}, "text", 2.5],
        "dummyObject": {"dummyObjectProp2": {"dummyRecursiveProp1": {"dummyObjectProp3": {"any": [1]}}}},
        "dummyArrayRank": {"dummyArrayValueRank": 2, "dummyArrayDimensions": [3, 5]},
    }))
    .expect("the document's payload");
    dummy_peer::operations::ReceiveNewDummyInfo::send(
        &peer,
        &dummy_peer::channels::dummy_channel_with_dummy_parameter_create::Params {
            dummy: id.clone(),
        },
        &dummy_peer::messages::DummyCreated {
            payload,
            headers: dummy_peer::models::DummyCreatedHeaders {
                my_custom_app_header: Some("custom".into()),
                correlation_id: Some("c-1".into()),
            },
        },
    )
    .await
    .expect("confirmed");
    let got = next(&mut created).await.unwrap();
    assert_eq!(got.params.dummy, id);
    loop {
        // Other tests' messages on `dummy/channel/with/{dummy}/parameter/create` may come
        // first; other one-word keys never do.
        let any = next(&mut free).await.expect("only the channel's messages");
        if any.params.dummy == id {
            break;
        }
    }
    assert_eq!(got.message.payload.prop2, "made");
    assert_eq!(got.message.payload.sent_at, Some(sent_at));
    assert_eq!(
        got.message.headers.my_custom_app_header.as_deref(),
        Some("custom")
    );
    assert_eq!(got.correlation_id.as_deref(), Some("c-1"));
    let rank = got.message.payload.dummy_array_rank.clone().unwrap();
    assert_eq!(
        rank.dummy_array_value_rank.map(|r| r.value()),
        Some(2),
        "the `const` oneOf is an enum"
    );
    // The message binding's `contentEncoding: gzip` is applied: gzip bytes on the wire (shown
    // base64 as they are not text), decompressed for the typed receiver above.
    let copied = take(&copy, 1).unwrap_or_default();
    let m = copied.first().expect("the copy");
    assert_eq!(m["properties"]["content_encoding"], "gzip");
    assert_eq!(m["properties"]["type"], "user.signup");
    assert_eq!(m["payload_encoding"], "base64", "{m}");
    admin_may_fail(&["delete", "queue", &format!("name={copy}")]);
    dummy::operations::ReceiveSystemInfo::send(
        &app,
        &dummy::channels::dummy_channel::Params,
        &dummy::messages::DummyInfo {
            payload: dummy::models::DummyInfo {
                prop1: dummy::models::DummyInfoProp1::Option1,
                sent_at: None,
            },
            headers: dummy::models::CommonHeaders {
                my_app_header: Some(12),
                correlation_id: None,
            },
        },
    )
    .await
    .expect("confirmed");
    let info = next(&mut infos).await.unwrap();
    assert_eq!(
        info.message.payload.prop1,
        dummy_peer::models::DummyInfoProp1::Option1
    );
    assert_eq!(info.message.headers.my_app_header, Some(12));
    // The operation binding's reply address reached the peer.
    assert_eq!(info.reply_to.as_deref(), Some("user.signedup"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_consumer_without_acknowledgements_that_falls_behind_is_bounded() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    // The board holds 16 positions; it reads nothing while a vehicle sends 3,000.
    let board = AmqpConnection::connect(
        common::rabbitmq::options()
            .subscription_limits(asyncapi::delivery::Limits::new(16, 1 << 20)),
    )
    .await
    .unwrap();
    let vehicle = connect().await;
    let fleet_number = unique("v");
    let mut positions = telemetry::operations::ReceivePosition::subscribe(
        &board,
        &telemetry::channels::positions::Filter {
            vehicle_id: Some(fleet_number.clone()),
        },
    )
    .await
    .unwrap();
    const SENT: usize = 3000;
    for n in 0..SENT {
        let position = vehicles::messages::Position::new(vehicles::models::PositionPayload {
            lat: 51.5,
            lon: -0.12,
            speed_kmh: Some(n as f64),
        });
        vehicles::operations::ReceivePosition::send(
            &vehicle,
            &vehicles::channels::positions::Params {
                vehicle_id: fleet_number.clone(),
            },
            &position,
        )
        .await
        .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (received, dropped) = common::received_or_dropped(&mut positions, SENT, |got| {
        got.message.payload.speed_kmh.unwrap() as usize
    })
    .await;
    assert_eq!(
        received.len() + dropped as usize,
        SENT,
        "each position received or counted"
    );
    // What the board held while it read nothing: its 16, then what came while it read.
    assert!(
        dropped > 0,
        "3,000 positions nobody read, none dropped: not bounded"
    );
    assert!(
        received.windows(2).all(|w| w[0] < w[1]),
        "in order: {received:?}"
    );
    assert!(
        received.starts_with(&(0..16).collect::<Vec<_>>()),
        "{received:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_message_over_the_limit_is_an_error_for_itself() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let board = AmqpConnection::connect(common::rabbitmq::options().max_message_size(64 << 10))
        .await
        .unwrap();
    let vehicle = connect().await;
    let fleet_number = unique("v");
    let mut positions = telemetry::operations::ReceivePosition::subscribe(
        &board,
        &telemetry::channels::positions::Filter {
            vehicle_id: Some(fleet_number.clone()),
        },
    )
    .await
    .unwrap();
    let raw = asyncapi::transport::Producer::publisher(
        &vehicle,
        &vehicles::operations::ReceivePosition::spec(),
    )
    .await
    .unwrap();
    let address = format!("fleet.{fleet_number}.position");
    // A position padded to 100 KiB, from a vehicle whose connection takes up to 128 MiB.
    let padded = format!(
        r#"{{"lat": 1, "lon": 2, "note": "{}"}}"#,
        "x".repeat(100 << 10)
    );
    let big = asyncapi::amqp::AmqpEnvelope {
        envelope: asyncapi::envelope::Envelope::new(address.clone()).with_payload(padded),
        ..Default::default()
    };
    asyncapi::transport::Publisher::send(&raw, big)
        .await
        .unwrap();
    let position = vehicles::messages::Position::new(vehicles::models::PositionPayload {
        lat: 51.5,
        lon: -0.12,
        speed_kmh: Some(30.0),
    });
    let params = vehicles::channels::positions::Params {
        vehicle_id: fleet_number.clone(),
    };
    vehicles::operations::ReceivePosition::send(&vehicle, &params, &position)
        .await
        .unwrap();
    match next(&mut positions).await {
        Err(asyncapi::Error::Transport {
            source: TransportError::TooLarge { size, limit, .. },
            ..
        }) => {
            assert!(size > 100 << 10, "{size}");
            assert_eq!(limit, 64 << 10);
        }
        other => panic!("not TooLarge: {other:?}"),
    }
    let small = next(&mut positions).await.unwrap();
    assert_eq!(small.message.payload.speed_kmh, Some(30.0));
    // Sending over the board's own limit is refused before anything is written.
    let board_raw = asyncapi::transport::Producer::publisher(
        &board,
        &vehicles::operations::ReceivePosition::spec(),
    )
    .await
    .unwrap();
    let big = asyncapi::amqp::AmqpEnvelope {
        envelope: asyncapi::envelope::Envelope::new(address).with_payload(vec![b'x'; 65 << 10]),
        ..Default::default()
    };
    let err = asyncapi::transport::Publisher::send(&board_raw, big)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            TransportError::TooLarge {
                direction: "sends",
                ..
            }
        ),
        "{err}"
    );
}
