//! The Redis transport against the machine's Redis (127.0.0.1:6379), through the code generated
//! from the project's Redis document (tests/specs/redis-lights.yaml): pub/sub with a free
//! parameter as a `PSUBSCRIBE` glob read back into typed parameters, both ways with `redis-cli`
//! as a peer that knows only the document; a stream (the document's `x-stream`) read by the
//! document's consumer group (`x-group`), at least once: an entry left unsettled by a consumer
//! that dies is claimed by another, an acknowledged one is not, and a consumer restarted under
//! its name reads what it left pending first; `XADD` from `redis-cli` with headers as fields; malformed entries are errors for
//! themselves; wrong credentials and a server that is down are typed errors.

mod common;

use common::{next, unique};

use std::process::Command;
use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::redis::{RedisConnection, RedisOptions};
use asyncapi::transport::TransportError;

mod app {
    asyncapi::include_spec!("tests/specs/redis-lights.yaml");
}

/// A Redis document written by others (asyncapi-python's example, AsyncAPI 2.0), from both
/// sides.
mod users {
    asyncapi::include_spec!("tests/specs/third-party/redis-user-api.yaml");
}
mod users_peer {
    asyncapi::include_spec!(
        "tests/specs/third-party/redis-user-api.yaml",
        perspective = "client"
    );
}

const REDIS: &str = "127.0.0.1:6379";

/// The document's stream is one key: the tests that use it take turns.
static STREAM: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn options() -> RedisOptions {
    RedisOptions::new(format!("redis://{REDIS}"))
}

fn redis_cli(args: &[&str]) -> Option<String> {
    match Command::new("redis-cli")
        .arg("-h")
        .arg("127.0.0.1")
        .args(args)
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!(
            "redis-cli {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            common::missing(&format!("REDIS-CLI IS MISSING ({e}): the test did NOT run"));
            None
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_pubsub_with_globs_both_ways_with_redis_cli() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let connection = RedisConnection::connect(options()).await.expect("connects");
    let light = unique("lamp");
    let mut all = app::operations::ReceiveMeasurement::subscribe(
        &connection,
        &app::channels::measured::Filter::default(),
    )
    .await
    .unwrap();
    // A peer that knows only the document publishes on the light's channel.
    let channel = format!("lights:{light}:measured");
    let Some(receivers) = redis_cli(&["PUBLISH", &channel, r#"{"lumens": 120}"#]) else {
        return;
    };
    assert_eq!(
        receivers.trim(),
        "1",
        "the typed subscription is the one subscriber"
    );
    let received = next(&mut all).await.expect("a typed measurement");
    assert_eq!(received.params.streetlight_id, light);
    assert_eq!(received.message.payload.lumens, 120);
    // A malformed one is an error for itself, and the stream goes on.
    redis_cli(&["PUBLISH", &channel, r#"{"lumens": -5}"#]);
    redis_cli(&["PUBLISH", &channel, "not json"]);
    redis_cli(&["PUBLISH", &channel, r#"{"lumens": 7}"#]);
    assert!(
        next(&mut all).await.is_err(),
        "a negative lumens breaks `minimum`"
    );
    assert!(next(&mut all).await.is_err(), "not JSON");
    assert_eq!(next(&mut all).await.unwrap().message.payload.lumens, 7);

    // The typed send reaches `redis-cli SUBSCRIBE` byte for byte.
    let mut peer = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "--no-raw", "SUBSCRIBE", &channel])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("redis-cli runs");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let message = app::messages::Measurement::new(app::models::MeasurementPayload {
        lumens: 250,
        sent_at: None,
    });
    app::operations::ReportMeasurement::send(
        &connection,
        &app::channels::measured::Params {
            streetlight_id: light.clone(),
        },
        &message,
    )
    .await
    .expect("Redis answered the PUBLISH");
    assert_eq!(next(&mut all).await.unwrap().message.payload.lumens, 250);
    tokio::time::sleep(Duration::from_millis(300)).await;
    peer.kill().ok();
    let out = peer.wait_with_output().expect("redis-cli output");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r#""{\"lumens\":250}""#),
        "redis-cli saw: {text}"
    );
}

fn command(id: &str) -> app::messages::Command {
    app::messages::Command {
        payload: app::models::CommandPayload {
            id: id.to_owned(),
            action: app::models::CommandPayloadAction::On,
        },
        headers: app::models::CommandHeaders {
            trace_id: Some(format!("trace-{id}")),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stream_entries_left_unsettled_are_claimed_by_another_consumer() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let _turn = STREAM.lock().await;
    // The document makes the channel a stream (`x-stream`) and names the group (`x-group`).
    let stream_options = || {
        options()
            .claim_after(Duration::from_millis(300))
            .block(Duration::from_millis(100))
    };
    let (key, group) = ("lights:commands", "lamp-workers");
    redis_cli(&["DEL", key]);
    let producer = RedisConnection::connect(stream_options()).await.unwrap();
    for id in ["a", "b"] {
        app::operations::QueueCommand::send(
            &producer,
            &app::channels::commands::Params,
            &command(id),
        )
        .await
        .expect("Redis answered the XADD");
    }
    // A worker takes both, acknowledges `a`, and dies holding `b`.
    let worker = RedisConnection::connect(stream_options()).await.unwrap();
    let mut jobs = app::operations::DoCommand::subscribe(
        &asyncapi::ack::ManualAck(&worker),
        &app::channels::commands::Filter,
    )
    .await
    .unwrap();
    let groups = redis_cli(&["XINFO", "GROUPS", key]).unwrap_or_default();
    assert!(
        groups.contains(group),
        "the document's group reads the stream: {groups}"
    );
    let a = next(&mut jobs).await.unwrap();
    assert_eq!(a.message.payload.id, "a");
    assert_eq!(a.message.headers.trace_id.as_deref(), Some("trace-a"));
    a.ack().await.unwrap();
    let b = next(&mut jobs).await.unwrap();
    assert_eq!(b.message.payload.id, "b");
    drop(b);
    drop(jobs);
    // Another worker of the group gets `b` once it has been pending long enough, and not `a`.
    let other = RedisConnection::connect(stream_options()).await.unwrap();
    let mut jobs = app::operations::DoCommand::subscribe(&other, &app::channels::commands::Filter)
        .await
        .unwrap();
    let b = next(&mut jobs).await.unwrap();
    assert_eq!(b.message.payload.id, "b");
    // Acknowledged automatically after decoding: nothing is pending any more.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pending = redis_cli(&["XPENDING", key, group]).unwrap_or_default();
    assert!(pending.starts_with("0\n"), "nothing pending: {pending}");
    // A peer that knows only the document adds an entry with a header as a field; a malformed
    // one is an error for itself (and rejected: acknowledged, never delivered again).
    redis_cli(&["XADD", key, "*", "payload", "{\"id\":\"c\"}"]);
    redis_cli(&[
        "XADD",
        key,
        "*",
        "payload",
        r#"{"id":"d","action":"off"}"#,
        "traceId",
        "t-d",
    ]);
    assert!(next(&mut jobs).await.is_err(), "`action` is required");
    let d = next(&mut jobs).await.unwrap();
    assert_eq!(d.message.payload.id, "d");
    assert_eq!(d.message.headers.trace_id.as_deref(), Some("t-d"));
    // The typed send is the entry a peer reads.
    app::operations::QueueCommand::send(&producer, &app::channels::commands::Params, &command("e"))
        .await
        .unwrap();
    let e = next(&mut jobs).await.unwrap();
    assert_eq!(e.message.payload.id, "e");
    let last = redis_cli(&["XREVRANGE", key, "+", "-", "COUNT", "1"]).unwrap_or_default();
    assert!(
        last.contains("payload") && last.contains(r#"{"id":"e","action":"on"}"#),
        "{last}"
    );
    assert!(
        last.contains("traceId") && last.contains("trace-e"),
        "{last}"
    );
    redis_cli(&["DEL", key]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stream_consumer_restarted_under_its_name_first_reads_what_it_left_pending() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let _turn = STREAM.lock().await;
    redis_cli(&["DEL", "lights:commands"]);
    // Long enough that nothing is claimed: the entry can only come back as the consumer's own.
    // (The stream is chosen by its address here, as it would be for a document without
    // `x-stream`.)
    let worker = || {
        options()
            .stream("lights:commands")
            .consumer("worker-1")
            .claim_after(Duration::from_secs(600))
            .block(Duration::from_millis(100))
    };
    let connection = RedisConnection::connect(worker()).await.unwrap();
    let mut jobs = app::operations::DoCommand::subscribe(
        &asyncapi::ack::ManualAck(&connection),
        &app::channels::commands::Filter,
    )
    .await
    .unwrap();
    let id = unique("job");
    app::operations::QueueCommand::send(
        &connection,
        &app::channels::commands::Params,
        &command(&id),
    )
    .await
    .unwrap();
    let first = next(&mut jobs).await.unwrap();
    assert_eq!(first.message.payload.id, id);
    drop(first);
    drop(jobs);
    let connection = RedisConnection::connect(worker()).await.unwrap();
    let mut jobs = app::operations::DoCommand::subscribe(
        &asyncapi::ack::ManualAck(&connection),
        &app::channels::commands::Filter,
    )
    .await
    .unwrap();
    let again = next(&mut jobs).await.unwrap();
    assert_eq!(again.message.payload.id, id);
    // Once: the consumer's own pending entries are read page by page, not again and again
    // while they wait for their acknowledgement.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), jobs.next())
            .await
            .is_err(),
        "the pending entry came twice"
    );
    again.ack().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_a_document_written_by_others_end_to_end_from_both_sides() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    use asyncapi::security::Anonymous;
    // Both sides connect through the document's own server (`redis://localhost`).
    let server = users::servers::Development;
    let app: RedisConnection = server.connect(Anonymous).await.expect("connects");
    let peer: RedisConnection = users_peer::servers::Development
        .connect(Anonymous)
        .await
        .expect("connects");
    // 2.0: the application receives what the channel's `publish` carries (an operation without
    // `operationId`, named after what the application does and the end of the address:
    // `ReceiveUpdate`), and sends what its `subscribe` carries (`operationId:
    // receive_user_update`, as its authors wrote it); the peer is the other side.
    let mut at_app =
        users::operations::ReceiveUpdate::subscribe(&app, &users::channels::user_update::Filter)
            .await
            .unwrap();
    let mut at_peer = users_peer::operations::ReceiveUserUpdate::subscribe(
        &peer,
        &users_peer::channels::user_update::Filter,
    )
    .await
    .unwrap();
    let update: users_peer::models::UserUpdatePayload = serde_json::from_value(serde_json::json!({
        "id": "u-1", "name": "Ada", "age": 36, "active": true,
        "preferences": [{"id": "p-1", "name": "theme", "value": 2.5}]
    }))
    .unwrap();
    users_peer::operations::ReceiveUpdate::send(
        &peer,
        &users_peer::channels::user_update::Params,
        &users_peer::messages::UserUpdate::new(update),
    )
    .await
    .unwrap();
    let got = next(&mut at_app).await.unwrap();
    assert_eq!(got.message.payload.name.as_deref(), Some("Ada"));
    let prefs = got.message.payload.preferences.clone().unwrap_or_default();
    assert_eq!((prefs[0].name.as_str(), prefs[0].value), ("theme", 2.5));
    // The application answers with an update of its own, which the peer receives.
    let mut reply = got.message.payload.clone();
    reply.active = Some(false);
    users::operations::ReceiveUserUpdate::send(
        &app,
        &users::channels::user_update::Params,
        &users::messages::UserUpdate::new(reply),
    )
    .await
    .unwrap();
    let mut seen = next(&mut at_peer).await.unwrap();
    if seen.message.payload.active == Some(true) {
        // The peer's own update comes by too: one channel carries both directions.
        seen = next(&mut at_peer).await.unwrap();
    }
    assert_eq!(seen.message.payload.active, Some(false));
    // `additionalProperties: false` on a preference: a peer that adds a field is refused.
    let Some(_) = redis_cli(&[
        "PUBLISH",
        "user/update",
        r#"{"id":"u-2","preferences":[{"id":"p","name":"n","value":1,"extra":true}]}"#,
    ]) else {
        return;
    };
    let refused = loop {
        match next(&mut at_app).await {
            Ok(r) if r.message.payload.id == "u-1" => continue,
            other => break other,
        }
    };
    let e = refused.expect_err("an unknown field of a preference is refused");
    assert!(e.to_string().contains("unknown field `extra`"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_subscriptions_and_confirmed_sends_survive_a_broken_connection() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let _turn = STREAM.lock().await;
    redis_cli(&["DEL", "lights:commands"]);
    let relay = common::Relay::start(REDIS.parse().unwrap()).await;
    let through_relay = || {
        RedisOptions::new(format!("redis://127.0.0.1:{}", relay.port))
            .timeout(Duration::from_secs(2))
            .block(Duration::from_millis(100))
    };
    let connection = RedisConnection::connect(through_relay()).await.unwrap();
    let light = unique("lamp");
    let mut measurements = app::operations::ReceiveMeasurement::subscribe(
        &connection,
        &app::channels::measured::Filter {
            streetlight_id: Some(light.clone()),
        },
    )
    .await
    .unwrap();
    let mut commands =
        app::operations::DoCommand::subscribe(&connection, &app::channels::commands::Filter)
            .await
            .unwrap();
    relay.cut();
    // The subscription comes back by itself: a peer's PUBLISH reaches it again. (PUBLISH's
    // count is no sign of that: another test's pattern subscription may be the one it counts.)
    let channel = format!("lights:{light}:measured");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    // The subscription says it broke (what was published meanwhile is lost), then goes on.
    let mut breaks = 0;
    let lumens = loop {
        if redis_cli(&["PUBLISH", &channel, r#"{"lumens": 9}"#]).is_none() {
            return;
        }
        match tokio::time::timeout(Duration::from_millis(300), measurements.next()).await {
            Ok(Some(Ok(m))) => break m.message.payload.lumens,
            Ok(Some(Err(_))) => breaks += 1,
            Ok(None) => panic!("the subscription ended instead of coming back"),
            Err(_) => assert!(
                tokio::time::Instant::now() < deadline,
                "not resubscribed within 15 s"
            ),
        }
    };
    assert_eq!(lumens, 9);
    assert!(breaks >= 1, "an error for the break before the message");
    // While the network is down a send is not confirmed; once it is back, every confirmed
    // send arrives.
    relay.down();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let unconfirmed = app::operations::QueueCommand::send(
        &connection,
        &app::channels::commands::Params,
        &command("x"),
    )
    .await;
    assert!(unconfirmed.is_err(), "no Ok while Redis cannot answer");
    relay.up();
    let mut confirmed = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while confirmed.len() < 5 {
        let id = format!("c{}", confirmed.len());
        match app::operations::QueueCommand::send(
            &connection,
            &app::channels::commands::Params,
            &command(&id),
        )
        .await
        {
            Ok(()) => confirmed.push(id),
            Err(e) => {
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "no confirmed send within 20 s: {e}"
                );
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    // The stream subscription (through the relay too) yields one error for each of the two
    // breaks (the cut and the network going down), then every confirmed command.
    let mut received = Vec::new();
    let mut breaks = 0;
    while !confirmed.iter().all(|id| received.contains(id)) {
        match next(&mut commands).await {
            Ok(job) => received.push(job.message.payload.id.clone()),
            Err(e) => {
                assert!(e.to_string().contains("reading again"), "{e}");
                breaks += 1;
            }
        }
    }
    assert!(
        (1..=2).contains(&breaks),
        "one error per break (two breaks), not {breaks}"
    );
    redis_cli(&["DEL", "lights:commands"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_tls_and_acl_users_on_a_server_of_the_tests_own() {
    let dir = std::env::temp_dir().join(unique("redis-tls"));
    let Some((ca, cert, key)) = common::make_certificates(&dir) else {
        return;
    };
    std::fs::write(
        dir.join("redis.conf"),
        "user default on >just-a-password ~* &* +@all\nuser ada on >s3cret ~* &* +@all\n",
    )
    .unwrap();
    let port = common::free_port();
    let path = |p: &std::path::Path| p.display().to_string();
    let Some(_server) = common::OwnServer::start(
        "redis-server",
        vec![
            path(&dir.join("redis.conf")),
            "--port".into(),
            "0".into(),
            "--tls-port".into(),
            port.to_string(),
            "--tls-cert-file".into(),
            path(&cert),
            "--tls-key-file".into(),
            path(&key),
            "--tls-ca-cert-file".into(),
            path(&ca),
            "--tls-auth-clients".into(),
            "yes".into(),
            "--save".into(),
            "".into(),
            "--dir".into(),
            path(&dir),
        ],
        port,
    ) else {
        return;
    };
    let url = format!("rediss://127.0.0.1:{port}");
    let ada = asyncapi::security::Credential::UserPassword(asyncapi::security::UserPassword {
        user: "ada".into(),
        password: "s3cret".into(),
    });
    let options = |c: &asyncapi::security::Credential| {
        RedisOptions::new(url.clone())
            .timeout(Duration::from_secs(3))
            .credentials(&vec![c.clone()])
            .unwrap()
    };
    // The system's roots do not know the test's CA.
    assert!(RedisConnection::connect(options(&ada)).await.is_err());
    // The server wants a client certificate of its authority (the server's own serves: it has
    // no extended key usage): the document's `X509` credential, PEM text.
    let x509 =
        asyncapi::security::Credential::ClientCertificate(asyncapi::security::ClientCertificate {
            certificate_pem: std::fs::read(&cert).unwrap(),
            private_key_pem: std::fs::read(&key).unwrap(),
        });
    let no_certificate = RedisConnection::connect(options(&ada).root_certificate(&ca)).await;
    assert!(no_certificate.is_err(), "no client certificate is refused");
    // With both, the user of the ACL gets in; a wrong password does not.
    let trusted = |c| {
        options(c)
            .root_certificate(&ca)
            .credentials(&vec![x509.clone()])
            .unwrap()
    };
    let wrong = asyncapi::security::Credential::UserPassword(asyncapi::security::UserPassword {
        user: "ada".into(),
        password: "nope".into(),
    });
    let err = RedisConnection::connect(trusted(&wrong)).await.unwrap_err();
    assert!(matches!(err, TransportError::Connect { .. }), "{err}");
    let connection = RedisConnection::connect(trusted(&ada))
        .await
        .expect("TLS and AUTH");
    let light = unique("lamp");
    let mut all = app::operations::ReceiveMeasurement::subscribe(
        &connection,
        &app::channels::measured::Filter::default(),
    )
    .await
    .unwrap();
    app::operations::ReportMeasurement::send(
        &connection,
        &app::channels::measured::Params {
            streetlight_id: light.clone(),
        },
        &app::messages::Measurement::new(app::models::MeasurementPayload {
            lumens: 3,
            sent_at: None,
        }),
    )
    .await
    .unwrap();
    let got = next(&mut all).await.unwrap();
    assert_eq!(
        (
            got.params.streetlight_id.as_str(),
            got.message.payload.lumens
        ),
        (light.as_str(), 3)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn redis_wrong_credentials_and_a_server_that_is_down_are_typed_errors() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let wrong = RedisOptions::new(format!("redis://nobody:wrong@{REDIS}"));
    match RedisConnection::connect(wrong).await {
        Err(TransportError::Connect { server, source }) => {
            assert!(server.contains("6379"));
            let text = source.to_string();
            assert!(
                text.contains("WRONGPASS") || text.contains("invalid"),
                "{text}"
            );
        }
        other => panic!("expected a connect error, got {other:?}"),
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down =
        RedisOptions::new(format!("redis://127.0.0.1:{port}")).timeout(Duration::from_secs(2));
    match RedisConnection::connect(down).await {
        Err(TransportError::Connect { server, .. }) => assert!(server.contains(&port.to_string())),
        other => panic!("expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn redis_through_the_dynamic_path() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let spec = common::server_spec("redis", format!("redis://{REDIS}"), None);
    let connection = asyncapi::transport::connect_any(&spec).await.unwrap();
    // Pub/sub carries the payload alone: the content type does not travel.
    common::round_trip_dyn(&*connection, unique("dyn"), false).await;
}

/// A document written for AMQP (tests/specs/amqp-shop.yaml) on Redis pub/sub: its addresses
/// hold no `:`, so a free parameter sits inside the one level. With an enum, the subscription is
/// to each listed channel by name (`SUBSCRIBE`, a value outside the enum never arrives); a free
/// string is the glob in its place (`PSUBSCRIBE shipments/*/dispatched`), checked against the
/// address.
mod shop_client {
    asyncapi::include_spec!(
        "tests/specs/amqp-shop.yaml",
        perspective = "client",
        warnings = "allow"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_a_parameter_inside_a_level_is_subscribed_by_value_or_by_glob() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    use shop_client::channels::{orders_region_created, shipments_warehouse_dispatched};
    let connection = RedisConnection::connect(options()).await.expect("connects");
    let mut created = shop_client::operations::OrderCreated::subscribe(
        &connection,
        &orders_region_created::Filter::default(),
    )
    .await
    .expect("a free parameter inside a level is subscribed to");
    let mut shipped = shop_client::operations::ShipmentDispatched::subscribe(
        &connection,
        &shipments_warehouse_dispatched::Filter::default(),
    )
    .await
    .unwrap();
    let Some(channels) = redis_cli(&["PUBSUB", "CHANNELS", "orders/*/created"]) else {
        return;
    };
    for region in ["emea", "apac", "amer"] {
        assert!(
            channels
                .lines()
                .any(|c| c == format!("orders/{region}/created")),
            "{region} subscribed by name: {channels}"
        );
    }
    let order = r#"{"orderId":"r1","total":1}"#;
    for (channel, payload) in [
        ("orders/mars/created", order),
        ("orders/emea/created", order),
        (
            "shipments/AMS1/dispatched",
            r#"{"orderId":"r1","carrier":"dhl"}"#,
        ),
        ("orders/apac/created", order),
    ] {
        redis_cli(&["PUBLISH", channel, payload]);
    }
    let first = next(&mut created).await.expect("emea, first");
    assert_eq!(first.params.region, orders_region_created::Region::Emea);
    let second = next(&mut created).await.expect("apac, next");
    assert_eq!(second.params.region, orders_region_created::Region::Apac);
    let shipment = next(&mut shipped).await.expect("the shipment");
    assert_eq!(shipment.params.warehouse, "AMS1");
    assert_eq!(shipment.message.payload.carrier, "dhl");
}

/// A publisher that is not this library floods a subscriber that reads nothing: the subscriber
/// holds its limits, counts the rest (`Lagged`), and the stream goes on in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_pubsub_a_flood_into_a_slow_subscriber_is_bounded() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let connection = RedisConnection::connect(
        options().subscription_limits(asyncapi::delivery::Limits::new(32, 1 << 20)),
    )
    .await
    .expect("connects");
    let light = unique("lamp");
    let mut measurements = app::operations::ReceiveMeasurement::subscribe(
        &connection,
        &app::channels::measured::Filter {
            streetlight_id: Some(light.clone()),
        },
    )
    .await
    .unwrap();
    // 20,000 measurements in one go, from a Lua script inside Redis.
    const SENT: usize = 20_000;
    let script = "for i = 1, tonumber(ARGV[1]) do \
                  redis.call('PUBLISH', KEYS[1], '{\"lumens\": ' .. i .. '}') end";
    let channel = format!("lights:{light}:measured");
    let Some(_) = redis_cli(&["EVAL", script, "1", &channel, &SENT.to_string()]) else {
        return;
    };
    let (received, dropped) =
        common::received_or_dropped(&mut measurements, SENT, |m| m.message.payload.lumens).await;
    assert_eq!(received.len() + dropped as usize, SENT);
    assert!(
        dropped > 0,
        "20,000 messages into a queue of 32 dropped none"
    );
    assert!(received.windows(2).all(|w| w[0] < w[1]), "in order");
    assert_eq!(received[0], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_a_send_over_the_limit_is_refused_before_it_is_written() {
    if !common::broker("Redis", REDIS) {
        return;
    }
    let connection = RedisConnection::connect(options().max_message_size(1024))
        .await
        .expect("connects");
    let raw = asyncapi::transport::Producer::publisher(
        &connection,
        &app::operations::ReceiveMeasurement::spec(),
    )
    .await
    .unwrap();
    let err = asyncapi::transport::Publisher::send(
        &raw,
        asyncapi::envelope::Envelope::new(format!("lights:{}:measured", unique("lamp")))
            .with_payload(vec![b' '; 2048]),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            TransportError::TooLarge {
                size: 2048,
                limit: 1024,
                ..
            }
        ),
        "{err}"
    );
}
