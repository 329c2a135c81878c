//! The NATS transport against the machine's nats-server (127.0.0.1:4222), through the code
//! generated from the project's NATS document (tests/specs/nats-users.yaml): request/reply through NATS reply subjects, queue
//! groups from operation bindings sharing the load, subjects with `*` wildcards and parameters
//! read back, headers, and a malformed payload that is an error for itself only; a requester
//! that speaks the NATS protocol by hand and puts the reply address in a header, as the document
//! says; sends flushed when asked, never `Ok` while the server is gone; a document written for
//! AMQP (tests/specs/amqp-shop.yaml) whose parameters sit inside the one subject token (one
//! subscription per listed value, or `*` with what does not fit skipped). What every transport
//! must keep is the conformance suite's (`tests/conformance.rs`).

mod common;

use common::next;

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::envelope::Envelope;
use asyncapi::nats::{NatsConnection, NatsOptions};
use asyncapi::operation::unique_id;
use asyncapi::tls::{Pem, TlsOptions};
use asyncapi::transport::{ChannelSpec, Producer, Publisher};

/// The application of the document: it sends requests and receives user events.
mod app {
    asyncapi::include_spec!("tests/specs/nats-users.yaml");
}

/// The user service: the same document from the other side.
mod service {
    asyncapi::include_spec!("tests/specs/nats-users.yaml", perspective = "client");
}

mod e2e {
    asyncapi::include_spec!("tests/specs/e2e.yaml");
}

/// Pings whose reply address and correlation id travel in headers, as the document says.
mod pings {
    asyncapi::include_spec!("tests/specs/mqtt-jobs.yaml", operations = "answerPing");
}

const NATS: &str = "127.0.0.1:4222";

async fn connect() -> NatsConnection {
    NatsConnection::connect(NatsOptions::new(format!("nats://{NATS}")))
        .await
        .expect("connects to nats-server")
}

fn user(id: asyncapi::uuid::Uuid, name: &str) -> app::models::User {
    serde_json::from_value(serde_json::json!({
        "id": id.to_string(),
        "email": "ada@example.com",
        "name": name,
        "createdAt": "2024-01-01T00:00:00Z",
    }))
    .expect("a valid user")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_request_reply_from_the_document() {
    if !common::broker("NATS", NATS) {
        return;
    }
    let service_connection = connect().await;
    let mut requests = service::operations::GetUserById::subscribe(
        &service_connection,
        &service::channels::user_get::Filter,
    )
    .await
    .unwrap();
    let responder = service_connection.clone();
    tokio::spawn(async move {
        while let Some(Ok(request)) = requests.next().await {
            let id = request.message.payload.id;
            let found: service::models::User =
                serde_json::from_value(serde_json::to_value(user(id, "Ada")).unwrap()).unwrap();
            service::operations::GetUserById::reply(
                &responder,
                &request,
                &service::messages::GetUserResponse::new(found),
            )
            .await
            .unwrap();
        }
    });
    let client = connect().await;
    let id = asyncapi::uuid::Uuid::from_u128(42);
    let reply = app::operations::GetUserById::request(
        &client,
        &app::channels::user_get::Params,
        &app::messages::GetUserRequest::new(app::models::GetUserPayload { id }),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert_eq!(reply.message.payload.id, id);
    assert_eq!(reply.message.payload.name, "Ada");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_queue_groups_share_and_wildcards_read_parameters_back() {
    if !common::broker("NATS", NATS) {
        return;
    }
    let c = connect().await;
    // `createUser` carries `nats: {queue: user-service}`: the service's subscribers share.
    assert_eq!(
        service::operations::CreateUser::spec().group("nats"),
        Some("user-service")
    );
    let location = format!("loc{}", unique_id());
    let filter = service::channels::user_create::Filter {
        location_id: Some(location.clone()),
    };
    let mut worker_a = service::operations::CreateUser::subscribe(&c, &filter)
        .await
        .unwrap();
    let mut worker_b = service::operations::CreateUser::subscribe(&c, &filter)
        .await
        .unwrap();
    let sender = app::operations::CreateUser::open(&c).await.unwrap();
    let params = app::channels::user_create::Params {
        location_id: location.clone(),
    };
    let request: app::messages::CreateUserRequest = app::messages::CreateUserRequest::new(
        serde_json::from_value(serde_json::json!({"email": "a@example.com", "name": "A"})).unwrap(),
    );
    let total = 40;
    for _ in 0..total {
        sender.send(&params, &request).await.unwrap();
    }
    c.flush().await.unwrap();
    let (mut a, mut b) = (0, 0);
    while a + b < total {
        tokio::select! {
            Some(r) = worker_a.next() => { let r = r.unwrap(); assert_eq!(r.params.location_id, location); a += 1 }
            Some(r) = worker_b.next() => { let r = r.unwrap(); assert_eq!(r.params.location_id, location); b += 1 }
            _ = tokio::time::sleep(Duration::from_secs(10)) => panic!("only {a} + {b} of {total} arrived"),
        }
    }
    assert!(a > 0 && b > 0, "the queue group did not share: {a} and {b}");
    // Nothing is delivered twice.
    let extra = tokio::time::timeout(Duration::from_millis(200), worker_a.next()).await;
    assert!(extra.is_err(), "a message arrived twice");

    // Without a queue group, a subscriber with a free parameter (`*`) gets every location.
    let mut events = app::operations::ReceiveUserEvents::subscribe(
        &c,
        &app::channels::user_create::Filter::default(),
    )
    .await
    .unwrap();
    let announcer = service::operations::ReceiveUserEvents::open(&c)
        .await
        .unwrap();
    let id = asyncapi::uuid::Uuid::from_u128(7);
    let created: service::models::User =
        serde_json::from_value(serde_json::to_value(user(id, "B")).unwrap()).unwrap();
    announcer
        .send(
            &service::channels::user_create::Params {
                location_id: location.clone(),
            },
            &service::messages::UserCreated::new(created),
        )
        .await
        .unwrap();
    let got = loop {
        let r = next(&mut events).await;
        // Requests from the first half share the subject; only the event decodes as one.
        if let Ok(r) = r {
            break r;
        }
    };
    assert_eq!(got.params.location_id, location);
    assert_eq!(got.message.payload.id, id);
}

#[tokio::test]
async fn nats_headers_travel_and_a_malformed_payload_is_an_error_for_itself() {
    if !common::broker("NATS", NATS) {
        return;
    }
    let c = connect().await;
    let mut pings = e2e::operations::OnPing::subscribe(&c, &e2e::channels::ping::Filter)
        .await
        .unwrap();
    let raw = c.publisher(&ChannelSpec::new("raw", "raw")).await.unwrap();
    raw.send(Envelope::new("ping").with_payload("{oops"))
        .await
        .unwrap();
    e2e::operations::Ping::send(
        &c,
        &e2e::channels::ping::Params,
        &e2e::messages::Ping {
            payload: e2e::models::PingPayload { seq: 3 },
            headers: e2e::models::PingHeaders {
                correlation_id: Some("c-3".into()),
                reply_to: Some("somewhere".into()),
            },
        },
    )
    .await
    .unwrap();
    let malformed = next(&mut pings).await.unwrap_err();
    assert!(
        matches!(malformed, asyncapi::Error::Decode { .. }),
        "{malformed}"
    );
    let ping = next(&mut pings).await.unwrap();
    assert_eq!(ping.message.payload.seq, 3);
    assert_eq!(ping.message.headers.correlation_id.as_deref(), Some("c-3"));
    assert_eq!(ping.message.headers.reply_to.as_deref(), Some("somewhere"));
    assert_eq!(ping.correlation_id.as_deref(), Some("c-3"));
}

/// Core NATS is at most once: by default a send returns once written to the connection, and
/// is unconfirmed (an error, never `Ok`) while the server is gone. A connection that opts out of
/// flushing returns once the client has queued the message, even with the server gone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_sends_to_a_server_that_is_gone_are_unconfirmed() {
    if !common::broker("NATS", NATS) {
        return;
    }
    let relay = common::Relay::start(NATS.parse().unwrap()).await;
    let url = format!("nats://127.0.0.1:{}", relay.port);
    let queued = NatsConnection::connect(NatsOptions::new(url.clone()).flush_each_send(false))
        .await
        .unwrap();
    let flushed =
        NatsConnection::connect(NatsOptions::new(url).send_timeout(Duration::from_millis(800)))
            .await
            .unwrap();
    let subject = format!("flush.{}", unique_id());
    let spec = ChannelSpec::new("flush", subject.clone());
    let (queued, flushed) = (
        queued.publisher(&spec).await.unwrap(),
        flushed.publisher(&spec).await.unwrap(),
    );
    let envelope = || Envelope::new(subject.clone()).with_payload("x");
    queued.send(envelope()).await.unwrap();
    flushed.send(envelope()).await.unwrap();
    relay.down();
    // The client notices the connection is gone.
    tokio::time::sleep(Duration::from_millis(200)).await;
    queued.send(envelope()).await.unwrap();
    let err = flushed.send(envelope()).await.unwrap_err();
    assert!(
        matches!(err, asyncapi::transport::TransportError::Unconfirmed { .. }),
        "{err}"
    );
    relay.up();
}

/// A peer that is not this library, nor any NATS library: the NATS protocol written by hand on
/// a TCP socket, following only the document (the reply address and the correlation id in
/// headers). It gets its reply where it asked, with its correlation id where the document says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_a_foreign_requester_with_the_reply_address_in_a_header_gets_its_reply() {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
    if !common::broker("NATS", NATS) {
        return;
    }
    let responder = connect().await;
    let mut requests = pings::operations::AnswerPing::subscribe(&responder, &Default::default())
        .await
        .unwrap();
    let answering = responder.clone();
    let answers = tokio::spawn(async move {
        let request = requests.next().await.unwrap().unwrap();
        let pong = pings::messages::Pong {
            payload: format!("pong to {}", request.message.payload),
            headers: pings::models::PongHeaders {
                correlation_id: None,
            },
        };
        pings::operations::AnswerPing::reply(&answering, &request, &pong)
            .await
            .unwrap();
        request
    });

    let socket = tokio::net::TcpStream::connect(NATS).await.unwrap();
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    let mut line = String::new();
    read.read_line(&mut line).await.unwrap();
    assert!(line.starts_with("INFO "), "{line}");
    let inbox = format!("inbox.{}", unique_id());
    let correlation = format!("c-{}", unique_id());
    let headers = format!("NATS/1.0\r\nreplyTo: {inbox}\r\ncorrelationId: {correlation}\r\n\r\n");
    let payload = "hello";
    let wire = format!(
        "CONNECT {{\"verbose\":false,\"headers\":true}}\r\nSUB {inbox} 1\r\nHPUB pings {} {}\r\n{headers}{payload}\r\nPING\r\n",
        headers.len(),
        headers.len() + payload.len()
    );
    write.write_all(wire.as_bytes()).await.unwrap();
    let request = tokio::time::timeout(Duration::from_secs(10), answers)
        .await
        .expect("the responder answers")
        .unwrap();
    assert_eq!(request.reply_to.as_deref(), Some(inbox.as_str()));
    assert_eq!(
        request.correlation_id.as_deref(),
        Some(correlation.as_str())
    );

    // `HMSG <subject> <sid> <header bytes> <total bytes>`, then the headers and the payload.
    let reply = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            line.clear();
            read.read_line(&mut line).await.unwrap();
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["PING"] => write.write_all(b"PONG\r\n").await.unwrap(),
                ["HMSG", subject, _, header_len, total] => {
                    assert_eq!(*subject, inbox);
                    let (header_len, total): (usize, usize) =
                        (header_len.parse().unwrap(), total.parse().unwrap());
                    let mut body = vec![0; total + 2];
                    read.read_exact(&mut body).await.unwrap();
                    let headers = String::from_utf8(body[..header_len].to_vec()).unwrap();
                    let payload = String::from_utf8(body[header_len..total].to_vec()).unwrap();
                    return (headers, payload);
                }
                _ => {}
            }
        }
    })
    .await
    .expect("the reply within 10 s");
    assert_eq!(reply.1, "pong to hello");
    assert!(
        reply
            .0
            .contains(&format!("correlationId: {correlation}\r\n")),
        "the correlation id where the pong's document keeps it: {}",
        reply.0
    );
    responder.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_reconnects_and_resubscribes_after_the_server_restarts() {
    let port = common::free_port();
    let args = vec![
        "-a".into(),
        "127.0.0.1".into(),
        "-p".into(),
        port.to_string(),
    ];
    let Some(mut server) = common::OwnServer::start("nats-server", args, port) else {
        return;
    };
    let url = format!("nats://127.0.0.1:{port}");
    let subscriber_side = NatsConnection::connect(NatsOptions::new(url.clone()))
        .await
        .unwrap();
    let publisher_side = NatsConnection::connect(NatsOptions::new(url))
        .await
        .unwrap();
    let spec = ChannelSpec::new("fault", "fault.test");
    let mut received = asyncapi::transport::Consumer::subscriber(&subscriber_side, &spec)
        .await
        .unwrap();
    let publisher = publisher_side.publisher(&spec).await.unwrap();
    publisher
        .send(Envelope::new("fault.test").with_payload("before"))
        .await
        .unwrap();
    assert_eq!(&next(&mut received).await.unwrap().payload[..], b"before");

    server.kill();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(server.spawn(), "restarted");

    // Both clients reconnect by themselves and the subscription is renewed: probes until one
    // arrives, then every message arrives, in order.
    let mut back = false;
    for i in 0..100 {
        let _ = publisher
            .send(Envelope::new("fault.test").with_payload(format!("probe-{i}")))
            .await;
        let got = tokio::time::timeout(Duration::from_millis(200), received.next()).await;
        if let Ok(Some(Ok(m))) = got
            && m.payload.starts_with(b"probe-")
        {
            back = true;
            break;
        }
    }
    assert!(
        back,
        "the subscriber never received anything after the restart"
    );
    for i in 0..20 {
        publisher
            .send(Envelope::new("fault.test").with_payload(format!("after-{i}")))
            .await
            .unwrap();
    }
    publisher_side.flush().await.unwrap();
    let mut after = Vec::new();
    while after.len() < 20 {
        let m = next(&mut received).await.unwrap();
        let text = String::from_utf8(m.payload.to_vec()).unwrap();
        if text.starts_with("after-") {
            after.push(text);
        }
    }
    let expected: Vec<String> = (0..20).map(|i| format!("after-{i}")).collect();
    assert_eq!(after, expected);
}

#[tokio::test]
async fn nats_user_password_and_token_auth() {
    use asyncapi::security::{ApiKey, Credential, KeyLocation, UserPassword};
    // A server that wants a user and password.
    let port = common::free_port();
    let args = [
        "-a",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "--user",
        "ada",
        "--pass",
        "lovelace",
    ]
    .map(str::to_owned)
    .to_vec();
    let Some(_server) = common::OwnServer::start("nats-server", args, port) else {
        return;
    };
    let url = format!("nats://127.0.0.1:{port}");
    let good = vec![Credential::UserPassword(UserPassword {
        user: "ada".into(),
        password: "lovelace".into(),
    })];
    let c = NatsConnection::connect(NatsOptions::new(url.clone()).credentials(&good).unwrap())
        .await
        .expect("the right password is accepted");
    c.flush().await.unwrap();
    let bad = vec![Credential::UserPassword(UserPassword {
        user: "ada".into(),
        password: "wrong".into(),
    })];
    let refused = NatsConnection::connect(NatsOptions::new(url).credentials(&bad).unwrap()).await;
    assert!(refused.is_err(), "a wrong password is refused");

    // A server that wants a token: an API key is sent as the token.
    let port = common::free_port();
    let args = [
        "-a",
        "127.0.0.1",
        "-p",
        &port.to_string(),
        "--auth",
        "s3cret",
    ]
    .map(str::to_owned)
    .to_vec();
    let Some(_server) = common::OwnServer::start("nats-server", args, port) else {
        return;
    };
    let key = vec![Credential::ApiKey {
        key: ApiKey {
            key: "s3cret".into(),
        },
        location: KeyLocation::User,
    }];
    let url = format!("nats://127.0.0.1:{port}");
    let c = NatsConnection::connect(NatsOptions::new(url.clone()).credentials(&key).unwrap())
        .await
        .expect("the token is accepted");
    c.flush().await.unwrap();
    let refused = NatsConnection::connect(NatsOptions::new(url)).await;
    assert!(refused.is_err(), "no token is refused");
}

#[tokio::test]
async fn nats_nkey_auth() {
    let user = nkeys::KeyPair::new_user();
    let seed = user.seed().expect("a new key pair has a seed");
    let port = common::free_port();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("nats-nkey-{}", unique_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("nkey.conf");
    std::fs::write(
        &config,
        format!(
            "listen: 127.0.0.1:{port}\nauthorization {{\n  users = [ {{ nkey: \"{}\" }} ]\n}}\n",
            user.public_key()
        ),
    )
    .unwrap();
    let args = vec!["-c".to_owned(), config.display().to_string()];
    let Some(_server) = common::OwnServer::start("nats-server", args, port) else {
        return;
    };
    let url = format!("nats://127.0.0.1:{port}");
    let options = NatsOptions::new(url.clone()).nkey(seed.clone());
    assert!(
        !format!("{options:?}").contains(&seed),
        "the seed stays out of debug output"
    );
    let c = NatsConnection::connect(options)
        .await
        .expect("the listed NKey is accepted");
    c.flush().await.unwrap();
    let stranger = nkeys::KeyPair::new_user().seed().unwrap();
    let refused = NatsConnection::connect(NatsOptions::new(url.clone()).nkey(stranger)).await;
    assert!(
        refused.is_err(),
        "an NKey the server does not list is refused"
    );
    let anonymous = NatsConnection::connect(NatsOptions::new(url)).await;
    assert!(anonymous.is_err(), "no NKey is refused");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn nats_tls_with_the_projects_own_certificate_authority() {
    let dir =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("nats-tls-{}", unique_id()));
    let Some((ca, cert, key)) = common::make_certificates(&dir) else {
        return;
    };
    let port = common::free_port();
    let args = vec![
        "-a".into(),
        "127.0.0.1".into(),
        "-p".into(),
        port.to_string(),
        "--tls".into(),
        "--tlscert".into(),
        cert.display().to_string(),
        "--tlskey".into(),
        key.display().to_string(),
    ];
    let Some(_server) = common::OwnServer::start("nats-server", args, port) else {
        return;
    };
    let url = format!("tls://127.0.0.1:{port}");
    let c = NatsConnection::connect(NatsOptions::new(url.clone()).root_certificate(&ca))
        .await
        .expect("TLS with the test's CA");
    let spec = ChannelSpec::new("secure", "secure.test");
    let mut sub = asyncapi::transport::Consumer::subscriber(&c, &spec)
        .await
        .unwrap();
    c.publisher(&spec)
        .await
        .unwrap()
        .send(Envelope::new("secure.test").with_payload("over TLS"))
        .await
        .unwrap();
    assert_eq!(&next(&mut sub).await.unwrap().payload[..], b"over TLS");
    // Without the CA the server's certificate is not trusted.
    let untrusted = NatsConnection::connect(NatsOptions::new(url)).await;
    assert!(
        untrusted.is_err(),
        "a certificate from an unknown CA is refused"
    );
    // The certificate names 127.0.0.1 only: reached as `localhost`, it is checked against the
    // name the options give instead.
    let by_name = format!("tls://localhost:{port}");
    let tls = TlsOptions::new().root_certificate(&ca);
    let wrong_name = NatsConnection::connect(NatsOptions::new(&by_name).tls(tls.clone())).await;
    assert!(
        wrong_name.is_err(),
        "`localhost` is not the certificate's name"
    );
    let named = NatsConnection::connect(
        NatsOptions::new(&by_name).tls(tls.clone().server_name("127.0.0.1")),
    )
    .await
    .expect("the certificate checked against the overriding name");
    named.close().await.unwrap();

    // A server that requires a client certificate of the same authority (the server's own
    // certificate serves as the client's: it has no extended key usage), given as PEM text.
    let port = common::free_port();
    let args = vec![
        "-a".into(),
        "127.0.0.1".into(),
        "-p".into(),
        port.to_string(),
        "--tlsverify".into(),
        "--tlscert".into(),
        cert.display().to_string(),
        "--tlskey".into(),
        key.display().to_string(),
        "--tlscacert".into(),
        ca.display().to_string(),
    ];
    let Some(_verifying) = common::OwnServer::start("nats-server", args, port) else {
        return;
    };
    let url = format!("tls://127.0.0.1:{port}");
    let without = NatsConnection::connect(NatsOptions::new(&url).tls(tls.clone())).await;
    assert!(without.is_err(), "no client certificate is refused");
    let with = NatsConnection::connect(NatsOptions::new(&url).tls(tls.client_certificate(
        Pem::text(std::fs::read(&cert).unwrap()),
        Pem::text(std::fs::read(&key).unwrap()),
    )))
    .await
    .expect("the client certificate is accepted");
    with.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn nats_through_the_dynamic_path() {
    if !common::broker("NATS", NATS) {
        return;
    }
    let spec = common::server_spec("nats", format!("nats://{NATS}"), None);
    let connection = asyncapi::transport::connect_any(&spec).await.unwrap();
    common::round_trip_dyn(&*connection, format!("dyn.{}", unique_id()), true).await;
}

/// A document written for AMQP, with slashes in its addresses, on NATS: a free parameter inside
/// the one subject token has no wildcard of its own, so the subscription listens to each value
/// its enum lists (a value outside it is never subscribed to), or, for a free string, to `*`,
/// skipping what does not fit the address.
mod shop_client {
    asyncapi::include_spec!(
        "tests/specs/amqp-shop.yaml",
        perspective = "client",
        warnings = "allow"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_a_parameter_inside_a_token_is_subscribed_broader_and_checked() {
    if !common::broker("NATS", NATS) {
        return;
    }
    use shop_client::channels::{orders_region_created, shipments_warehouse_dispatched};
    let connection = connect().await;
    let mut created = shop_client::operations::OrderCreated::subscribe(
        &connection,
        &orders_region_created::Filter::default(),
    )
    .await
    .expect("a free parameter inside a token is subscribed to");
    let mut shipped = shop_client::operations::ShipmentDispatched::subscribe(
        &connection,
        &shipments_warehouse_dispatched::Filter::default(),
    )
    .await
    .unwrap();
    let raw = connection
        .publisher(&ChannelSpec::new("raw", "raw"))
        .await
        .unwrap();
    let order = r#"{"orderId":"n1","total":1}"#;
    for (subject, payload) in [
        ("orders/emea/created", order),
        ("unrelated", order),
        ("orders/mars/created", order),
        (
            "shipments/AMS1/dispatched",
            r#"{"orderId":"n1","carrier":"dhl"}"#,
        ),
        ("orders/apac/created", order),
    ] {
        let mut envelope = Envelope::new(subject).with_payload(payload);
        envelope.content_type = Some("application/json".into());
        raw.send(envelope).await.unwrap();
    }
    let first = next(&mut created).await.expect("emea");
    assert_eq!(first.params.region, orders_region_created::Region::Emea);
    // `unrelated` and `orders/mars/created` (not a region) were never subscribed to.
    let apac = next(&mut created).await.expect("apac, next");
    assert_eq!(apac.params.region, orders_region_created::Region::Apac);
    // The shipments subscription (also `*`) heard every one-token subject and yields its own.
    let shipment = next(&mut shipped).await.expect("the shipment, first");
    assert_eq!(shipment.params.warehouse, "AMS1");
}

/// A message over the server's `max_payload` (from its INFO) is a typed error before anything
/// is written, and the connection goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_a_send_over_the_servers_max_payload_is_too_large() {
    if !common::broker("NATS", NATS) {
        return;
    }
    let connection = connect().await;
    let subject = format!("big.{}", unique_id());
    let publisher = connection
        .publisher(&ChannelSpec::new("big", subject.clone()))
        .await
        .unwrap();
    let err = publisher
        .send(Envelope::new(subject.clone()).with_payload(vec![b'x'; 8 << 20]))
        .await
        .unwrap_err();
    match err {
        asyncapi::transport::TransportError::TooLarge { size, limit, .. } => {
            assert_eq!(size, 8 << 20);
            assert!(limit > 0 && limit < size, "{limit}");
        }
        other => panic!("not TooLarge: {other}"),
    }
    publisher
        .send(Envelope::new(subject).with_payload("small"))
        .await
        .expect("the connection goes on");
}
