//! A document as people write them (tests/specs/amqp-shop.yaml, AsyncAPI 2.4) against the
//! machine's RabbitMQ, from both sides and with `rabbitmqadmin` as a peer that knows only the
//! document: a queue channel whose queue is named otherwise (`orders/commands` on the queue
//! `order-commands`), routing keys with slashes and a free parameter inside the one word
//! (`orders/{region}/created` with an `enum`, `shipments/{warehouse}/dispatched` without), two
//! overlapping versions of one event told apart, an integer header that stays an integer, a
//! schema's `default` applied on receive, messages built with `new` and `..Default::default()`,
//! the document's server connected at a loopback URL, and every binding of a subscription back
//! after its connection is cut (through a relay).

mod common;

use common::rabbitmq::{AMQP, admin, take};
use common::{next, unique};

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::amqp::AmqpConnection;
use asyncapi::transport::TransportError;

mod shop {
    // The two versions of `orderCreated` overlap (a compile-time warning says so); this side
    // needs no reminder.
    asyncapi::include_spec!("tests/specs/amqp-shop.yaml", warnings = "allow");
}
mod client {
    asyncapi::include_spec!(
        "tests/specs/amqp-shop.yaml",
        perspective = "client",
        warnings = "allow"
    );
}

/// The tests that use the document's queue and exchange take turns.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const QUEUE: &str = "order-commands";
const EXCHANGE: &str = "shop.orders";

fn guest() -> shop::servers::RabbitSecurity {
    shop::servers::RabbitSecurity::Guest(asyncapi::security::UserPassword {
        user: "guest".into(),
        password: "guest".into(),
    })
}

/// The document's server, at the machine's RabbitMQ.
async fn app() -> AmqpConnection {
    shop::servers::Rabbit
        .connect_at(&format!("amqp://{AMQP}/%2f"), guest())
        .await
        .expect("the document's server at a loopback URL")
}

fn order(id: &str) -> shop::models::Order {
    shop::models::Order {
        order_id: id.to_owned(),
        total: 20.0,
        currency: None,
        lines: None,
        placed_at: None,
    }
}

fn client_order(id: &str) -> client::models::Order {
    client::models::Order {
        order_id: id.to_owned(),
        total: 20.0,
        currency: Some("CHF".into()),
        lines: None,
        placed_at: None,
    }
}

/// A worker of the service: its connection, and its commands in manual acknowledgement mode.
async fn start_worker() -> (AmqpConnection, Commands) {
    let connection = app().await;
    let jobs = shop::operations::PlaceOrder::subscribe(
        &asyncapi::ack::ManualAck(&connection),
        &shop::channels::orders_commands::Filter,
    )
    .await
    .unwrap();
    (connection, jobs)
}

/// The commands the service receives.
type Commands = asyncapi::operation::Receiver<
    asyncapi::amqp::AmqpSubscriber,
    shop::channels::orders_commands::Params,
    shop::messages::PlaceOrder,
>;

/// `rabbitmqadmin publish` of a JSON payload with these properties.
fn publish(exchange: &str, key: &str, payload: &str, properties: &str) -> Option<()> {
    admin(&[
        "publish",
        &format!("exchange={exchange}"),
        &format!("routing_key={key}"),
        &format!("payload={payload}"),
        &format!("properties={properties}"),
    ])
    .map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_queue_named_otherwise_takes_every_command_in_both_acknowledgement_modes() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let service = app().await;
    let peer: AmqpConnection = client::servers::Rabbit
        .connect_at(
            &format!("amqp://{AMQP}/%2f"),
            client::servers::RabbitSecurity::Guest(asyncapi::security::UserPassword {
                user: "guest".into(),
                password: "guest".into(),
            }),
        )
        .await
        .unwrap();
    // The service consumes the document's queue `order-commands` (declared as the document
    // says), emptied first.
    let mut commands =
        shop::operations::PlaceOrder::subscribe(&service, &shop::channels::orders_commands::Filter)
            .await
            .unwrap();
    // A peer that knows only the document puts a command on the queue: its routing key is the
    // queue's name, not the channel's address.
    let Some(()) = publish(
        "amq.default",
        QUEUE,
        r#"{"orderId":"o-1","total":12.5}"#,
        r#"{"content_type":"application/json","headers":{"x-request-id":"r-1","x-tenant":7}}"#,
    ) else {
        return;
    };
    let got = next(&mut commands).await.expect("a command from the peer");
    assert_eq!(got.message.payload.order_id, "o-1");
    assert_eq!(got.address, "orders/commands", "the channel's address");
    assert_eq!(got.message.headers.x_tenant, Some(7));
    assert_eq!(got.correlation_id.as_deref(), Some("r-1"));
    // The schema's `default` for an absent property.
    assert_eq!(got.message.payload.currency.as_deref(), Some("EUR"));
    // The typed sender of the other side.
    client::operations::PlaceOrder::send(
        &peer,
        &client::channels::orders_commands::Params,
        &client::messages::PlaceOrder {
            payload: client_order("o-2"),
            headers: client::models::PlaceOrderHeaders {
                x_request_id: Some("r-2".into()),
                ..Default::default()
            },
        },
    )
    .await
    .expect("confirmed");
    let got = next(&mut commands)
        .await
        .expect("a command from the typed sender");
    assert_eq!(got.message.payload.order_id, "o-2");
    assert_eq!(got.message.payload.currency.as_deref(), Some("CHF"));
    assert_eq!(got.correlation_id.as_deref(), Some("r-2"));
    commands.close().await.unwrap();

    // Manual acknowledgements: a worker that dies before acknowledging gets it again.
    let (worker, mut jobs) = start_worker().await;
    publish(
        "amq.default",
        QUEUE,
        r#"{"orderId":"o-3","total":1}"#,
        r#"{"content_type":"application/json"}"#,
    );
    let held = next(&mut jobs).await.expect("a command, held");
    assert_eq!(held.message.payload.order_id, "o-3");
    drop(held);
    drop(jobs);
    worker.close().await.unwrap();
    let (worker, mut jobs) = start_worker().await;
    let again = next(&mut jobs).await.expect("the command again");
    assert_eq!(again.message.payload.order_id, "o-3");
    again.ack().await.unwrap();
    jobs.close().await.unwrap();
    worker.close().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        take(QUEUE, 10).unwrap_or_default().len(),
        0,
        "nothing was left on the queue or rejected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_slashed_routing_keys_with_free_parameters_and_overlapping_messages() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let service = app().await;
    let watcher = common::rabbitmq::connect().await;
    // The free `region` (an enum) sits inside the one routing-key word: one binding per value.
    let mut created = client::operations::OrderCreated::subscribe(
        &watcher,
        &client::channels::orders_region_created::Filter::default(),
    )
    .await
    .expect("a free parameter inside a word is subscribed to");
    let Some(bindings) = admin(&["list", "bindings", "source", "destination", "routing_key"])
    else {
        return;
    };
    let keys: Vec<String> = bindings
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["source"] == EXCHANGE)
        .filter_map(|b| b["routing_key"].as_str().map(str::to_owned))
        .collect();
    for region in ["emea", "apac", "amer"] {
        let key = format!("orders/{region}/created");
        assert!(keys.contains(&key), "{key} bound: {keys:?}");
    }
    // The free `warehouse` (any string) too: bound broader (`*`, every one-word key), with what
    // does not fit the address skipped.
    let mut shipped = client::operations::ShipmentDispatched::subscribe(
        &watcher,
        &client::channels::shipments_warehouse_dispatched::Filter::default(),
    )
    .await
    .unwrap();

    // The typed sender names the message it sends: V1 and V2 arrive as themselves.
    let v1 = shop::messages::OrderCreated {
        headers: shop::models::CommonHeaders {
            x_tenant: Some(7),
            ..Default::default()
        },
        ..shop::messages::OrderCreated::new(order("v1"))
    };
    let emea = shop::channels::orders_region_created::Params {
        region: shop::channels::orders_region_created::Region::Emea,
    };
    shop::operations::OrderCreated::send(&service, &emea, &v1.into())
        .await
        .expect("confirmed");
    let v2 = shop::messages::OrderCreatedV2::new(shop::models::OrderCreatedV2Payload {
        order_id: "v2".into(),
        total: 3.0,
        currency: None,
        lines: None,
        placed_at: None,
        channel: None,
    });
    let apac = shop::channels::orders_region_created::Params {
        region: shop::channels::orders_region_created::Region::Apac,
    };
    shop::operations::OrderCreated::send(&service, &apac, &v2.into())
        .await
        .expect("confirmed");
    use client::operations::OrderCreatedMessage as M;
    let got = next(&mut created).await.unwrap();
    assert_eq!(
        got.params.region,
        client::channels::orders_region_created::Region::Emea
    );
    match &got.message {
        M::OrderCreated(m) => {
            assert_eq!(m.payload.order_id, "v1");
            assert_eq!(m.headers.x_tenant, Some(7));
        }
        other => panic!("V1 was sent: {other:?}"),
    }
    let got = next(&mut created).await.unwrap();
    assert!(
        matches!(&got.message, M::OrderCreatedV2(m) if m.payload.order_id == "v2"),
        "V2 was sent, though its payload fits V1 too: {:?}",
        got.message
    );

    // A peer that knows only the document: a region outside the enum is not bound, so it never
    // arrives; the AMQP `type` property names the message; without it, the best fit.
    let json = r#"{"content_type":"application/json"}"#;
    publish(
        EXCHANGE,
        "orders/mars/created",
        r#"{"orderId":"x","total":1}"#,
        json,
    );
    publish(
        EXCHANGE,
        "orders/amer/created",
        r#"{"orderId":"p1","total":1,"channel":"web"}"#,
        json,
    );
    publish(
        EXCHANGE,
        "orders/amer/created",
        r#"{"orderId":"p2","total":1}"#,
        json,
    );
    publish(
        EXCHANGE,
        "orders/emea/created",
        r#"{"orderId":"p3","total":1}"#,
        r#"{"content_type":"application/json","type":"order.created.v2"}"#,
    );
    let mut seen = Vec::new();
    for _ in 0..3 {
        let got = next(&mut created).await.expect("only valid messages");
        seen.push(match got.message {
            M::OrderCreated(m) => format!("V1 {}", m.payload.order_id),
            M::OrderCreatedV2(m) => format!("V2 {}", m.payload.order_id),
        });
    }
    assert_eq!(seen, ["V2 p1", "V1 p2", "V2 p3"]);

    // The shipments subscription heard every order above (one-word keys on the exchange) and
    // yields none of them, nor an error for them: only its own channel's messages.
    publish(
        EXCHANGE,
        "shipments/AMS1/dispatched",
        r#"{"orderId":"v1","carrier":"dhl"}"#,
        json,
    );
    let shipment = next(&mut shipped).await.expect("the shipment, first");
    assert_eq!(shipment.params.warehouse, "AMS1");
    assert_eq!(shipment.message.payload.carrier, "dhl");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_typed_headers_and_the_message_name_reach_a_peer_with_their_types() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let service = app().await;
    // A copy of what the service sends, for `rabbitmqadmin get` to show.
    let copy = unique("asyncapi-test.shop-copy");
    let Some(_) = admin(&["declare", "queue", &format!("name={copy}"), "durable=false"]) else {
        return;
    };
    shop::operations::OrderCreated::open(&service)
        .await
        .unwrap();
    admin(&[
        "declare",
        "binding",
        &format!("source={EXCHANGE}"),
        &format!("destination={copy}"),
        "routing_key=orders/emea/created",
    ]);
    let v1 = shop::messages::OrderCreated {
        headers: shop::models::CommonHeaders {
            x_tenant: Some(7),
            x_source: Some("till-3".into()),
        },
        ..shop::messages::OrderCreated::new(order("h1"))
    };
    shop::operations::OrderCreated::send(
        &service,
        &shop::channels::orders_region_created::Params {
            region: shop::channels::orders_region_created::Region::Emea,
        },
        &v1.into(),
    )
    .await
    .expect("confirmed");
    let copied = take(&copy, 1).unwrap_or_default();
    let m = copied.first().expect("the copy");
    let p = &m["properties"];
    assert_eq!(p["headers"]["x-tenant"], 7, "an integer, not \"7\": {p}");
    assert_eq!(p["headers"]["x-source"], "till-3");
    assert_eq!(p["headers"]["asyncapi-message"], "OrderCreated");
    assert_eq!(p["type"], "order.created");
    assert_eq!(p["delivery_mode"], 2);
    common::rabbitmq::admin_may_fail(&["delete", "queue", &format!("name={copy}")]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_connect_error_names_the_documents_server() {
    let port = common::free_port();
    let error = shop::servers::Rabbit
        .connect_at::<AmqpConnection>(&format!("amqp://127.0.0.1:{port}/%2f"), guest())
        .await
        .unwrap_err();
    match &error {
        TransportError::Connect { server, .. } => {
            assert!(
                server.starts_with("`rabbit` at amqp://127.0.0.1:"),
                "{server}"
            );
            assert!(!server.contains("guest"), "no credentials: {server}");
        }
        other => panic!("expected a connect error, got {other}"),
    }
}

/// On the in-process transport, whose subscriptions match the template itself: a region
/// outside the enum is an error for that message, and the stream goes on.
#[tokio::test]
async fn a_value_outside_the_enum_is_an_error_for_that_message_alone() {
    use asyncapi::transport::{Producer, Publisher};
    let broker = asyncapi::memory::Broker::new();
    let connection = broker.connect();
    let mut created = client::operations::OrderCreated::subscribe(
        &connection,
        &client::channels::orders_region_created::Filter::default(),
    )
    .await
    .unwrap();
    let raw = connection
        .publisher(&shop::channels::orders_region_created::spec())
        .await
        .unwrap();
    for (address, id) in [("orders/mars/created", "x"), ("orders/apac/created", "y")] {
        let mut envelope = asyncapi::envelope::Envelope::new(address)
            .with_payload(format!(r#"{{"orderId":"{id}","total":1}}"#));
        envelope.content_type = Some("application/json".into());
        raw.send(envelope).await.unwrap();
    }
    let first = tokio::time::timeout(Duration::from_secs(5), created.next())
        .await
        .unwrap()
        .unwrap();
    let error = first.expect_err("mars is not a region");
    assert!(error.to_string().contains("orders/mars/created"), "{error}");
    let second = next(&mut created).await.expect("the stream goes on");
    assert_eq!(
        second.params.region,
        client::channels::orders_region_created::Region::Apac
    );
}

/// The promise broken on purpose: the connection under a subscription with one binding per
/// enum value (and one bound broader) is cut; the subscription says so once, and when the
/// connection is back every binding is there again (each region arrives) and the broader one
/// still skips what is not its channel's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_every_binding_of_a_subscription_comes_back_after_the_connection_breaks() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let _turn = TURN.lock().await;
    let relay = common::Relay::start(AMQP.parse().unwrap()).await;
    let watcher: AmqpConnection = client::servers::Rabbit
        .connect_at(
            &format!("amqp://127.0.0.1:{}/%2f", relay.port),
            client::servers::RabbitSecurity::Guest(asyncapi::security::UserPassword {
                user: "guest".into(),
                password: "guest".into(),
            }),
        )
        .await
        .unwrap();
    use client::channels::{orders_region_created, shipments_warehouse_dispatched};
    let mut created = client::operations::OrderCreated::subscribe(
        &watcher,
        &orders_region_created::Filter::default(),
    )
    .await
    .unwrap();
    let mut shipped = client::operations::ShipmentDispatched::subscribe(
        &watcher,
        &shipments_warehouse_dispatched::Filter::default(),
    )
    .await
    .unwrap();
    let json = r#"{"content_type":"application/json"}"#;
    let order = |id: &str| format!(r#"{{"orderId":"{id}","total":1}}"#);
    let Some(()) = publish(EXCHANGE, "orders/amer/created", &order("before"), json) else {
        return;
    };
    assert!(next(&mut created).await.is_ok(), "before the break");
    relay.cut();
    let broke = next(&mut created).await;
    assert!(broke.is_err(), "the break is said once: {broke:?}");
    // Until the subscription has consumed again, what is published meanwhile goes to no queue
    // of it (its exclusive queue went with the connection): publish until one arrives.
    let back = tokio::time::timeout(Duration::from_secs(30), async {
        for i in 0.. {
            publish(
                EXCHANGE,
                "orders/apac/created",
                &order(&format!("probe-{i}")),
                json,
            );
            if let Ok(Some(Ok(got))) =
                tokio::time::timeout(Duration::from_millis(500), created.next()).await
            {
                return got;
            }
        }
        unreachable!()
    })
    .await
    .expect("the subscription consumes again");
    assert_eq!(back.params.region, orders_region_created::Region::Apac);
    for region in ["emea", "amer"] {
        publish(
            EXCHANGE,
            &format!("orders/{region}/created"),
            &order(region),
            json,
        );
    }
    let mut regions = Vec::new();
    while regions.len() < 2 {
        let got = next(&mut created).await.expect("every binding is back");
        let id = match &got.message {
            client::operations::OrderCreatedMessage::OrderCreated(m) => m.payload.order_id.clone(),
            client::operations::OrderCreatedMessage::OrderCreatedV2(m) => {
                m.payload.order_id.clone()
            }
        };
        if !id.starts_with("probe-") {
            regions.push(id);
        }
    }
    assert_eq!(regions, ["emea", "amer"]);
    // The broader subscription broke too, came back, and still yields only its channel's.
    let mut shipment = None;
    for i in 0..60 {
        publish(
            EXCHANGE,
            "shipments/AMS1/dispatched",
            &format!(r#"{{"orderId":"s{i}","carrier":"dhl"}}"#),
            json,
        );
        match tokio::time::timeout(Duration::from_millis(500), shipped.next()).await {
            Ok(Some(Ok(got))) => {
                shipment = Some(got);
                break;
            }
            // The break, once; nothing else but shipments ever comes.
            Ok(Some(Err(_))) | Err(_) => {}
            Ok(None) => panic!("the subscription ended"),
        }
    }
    let shipment = shipment.expect("the shipments subscription is back");
    assert_eq!(shipment.params.warehouse, "AMS1");
}
