//! The custom transport on the machine's PostgreSQL (127.0.0.1:5432, trust authentication):
//! the code generated from `specs/lights.yaml` runs on it unchanged, and peers that are not this
//! library (`psql`, a bare tokio-postgres session) exchange notifications with it.

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::security::UserPassword;
use asyncapi::transport::{ChannelSpec, Connect, Consumer, Producer, Publisher, ServerSpec};
use asyncapi_pg_notify::{PG_NOTIFY, PgConnection, PgOptions};

/// The application: it receives measurements.
mod app {
    asyncapi::include_spec!("specs/lights.yaml");
}

/// A lamp: the same document from the other side (it sends them).
mod lamp {
    asyncapi::include_spec!("specs/lights.yaml", perspective = "client");
}

const POSTGRES: &str = "127.0.0.1:5432";

/// Whether PostgreSQL answers; under CI (`CI=true`) its absence fails the test, elsewhere it is
/// said loudly and the test does not run.
fn postgres() -> bool {
    if std::net::TcpStream::connect_timeout(&POSTGRES.parse().unwrap(), Duration::from_secs(2))
        .is_ok()
    {
        return true;
    }
    let message = format!("NO POSTGRESQL at {POSTGRES}: the custom transport's tests did NOT run");
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    // Straight to stderr: the harness would capture `eprintln!` of a passing test.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n!!! {message} !!!\n");
    false
}

fn login() -> UserPassword {
    UserPassword {
        user: "postgres".into(),
        password: String::new(),
    }
}

/// A lamp id no other test run uses.
fn lamp_id() -> String {
    format!(
        "{}x{}",
        std::process::id(),
        asyncapi::operation::unique_id()
    )
}

async fn next<S: StreamExt + Unpin>(s: &mut S) -> S::Item {
    tokio::time::timeout(Duration::from_secs(10), s.next())
        .await
        .expect("a notification within 10 s")
        .expect("the stream is open")
}

fn measurement(lumens: i64) -> lamp::messages::LightMeasured {
    lamp::messages::LightMeasured::new(
        serde_json::from_value(serde_json::json!({
            "lumens": lumens,
            "sentAt": "2026-12-01T20:00:00Z"
        }))
        .expect("a valid payload"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_generated_api_runs_unchanged_on_the_custom_transport() {
    if !postgres() {
        return;
    }
    // Both sides connect through the document's server, with its security scheme.
    let app_connection: PgConnection = app::servers::Local
        .connect(app::servers::LocalSecurity::Login(login()))
        .await
        .expect("connects to PostgreSQL");
    let lamp_connection: PgConnection = lamp::servers::Local
        .connect(lamp::servers::LocalSecurity::Login(login()))
        .await
        .expect("connects to PostgreSQL");
    let id = lamp_id();
    let mut measurements = app::operations::ReceiveLightMeasurement::subscribe(
        &app_connection,
        &app::channels::light_measured::Filter {
            lamp_id: Some(id.clone()),
        },
    )
    .await
    .unwrap();
    let sender = lamp::operations::ReceiveLightMeasurement::open(&lamp_connection)
        .await
        .unwrap();
    let params = lamp::channels::light_measured::Params {
        lamp_id: id.clone(),
    };
    sender.send(&params, &measurement(310)).await.unwrap();
    let got = next(&mut measurements).await.unwrap();
    assert_eq!(got.params.lamp_id, id);
    assert_eq!(got.address, format!("lights_{id}_measured"));
    assert_eq!(got.message.payload.lumens, 310);

    // The document's constraints hold on this transport too: a negative reading is refused
    // before anything is sent.
    let err = sender.send(&params, &measurement(-1)).await.unwrap_err();
    assert!(matches!(err, asyncapi::Error::Invalid { .. }), "{err}");

    // LISTEN has no wildcards: a subscription must name the lamp.
    let err = app::operations::ReceiveLightMeasurement::subscribe(
        &app_connection,
        &app::channels::light_measured::Filter::default(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("`lampId` is not fixed"), "{err}");

    // Closing the publisher refuses later sends.
    sender.close().await.unwrap();
    assert!(sender.send(&params, &measurement(1)).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_foreign_peers_that_follow_only_the_document() {
    if !postgres() {
        return;
    }
    let connection = PgConnection::connect(
        PgOptions::new("postgres://postgres@127.0.0.1:5432/postgres").unwrap(),
    )
    .await
    .unwrap();
    let id = lamp_id();
    let channel = format!("lights_{id}_measured");
    let mut measurements = app::operations::ReceiveLightMeasurement::subscribe(
        &connection,
        &app::channels::light_measured::Filter {
            lamp_id: Some(id.clone()),
        },
    )
    .await
    .unwrap();

    // `psql` sends: first a payload that breaks the document, then a good one. The bad one is
    // an error for itself only; the stream goes on.
    for payload in [
        r#"{"lumens": "bright"}"#,
        r#"{"lumens": 42, "sentAt": "2026-12-01T21:00:00Z"}"#,
    ] {
        let status = tokio::process::Command::new("psql")
            .args(["-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc"])
            .arg(format!("NOTIFY \"{channel}\", '{payload}'"))
            .status()
            .await
            .expect("psql runs");
        assert!(status.success(), "psql failed");
    }
    let bad = next(&mut measurements).await;
    assert!(
        matches!(bad, Err(asyncapi::Error::Decode { .. })),
        "{bad:?}"
    );
    let good = next(&mut measurements).await.unwrap();
    assert_eq!(good.message.payload.lumens, 42);
    assert_eq!(good.params.lamp_id, id);

    // A bare tokio-postgres session listens; the typed sender's notification is the JSON the
    // document describes, byte for byte what serde writes.
    let (client, mut session) = tokio_postgres::connect(
        "host=127.0.0.1 user=postgres dbname=postgres",
        tokio_postgres::NoTls,
    )
    .await
    .unwrap();
    let (to, mut heard) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| session.poll_message(cx));
        while let Some(Ok(message)) = messages.next().await {
            if let tokio_postgres::AsyncMessage::Notification(n) = message {
                let _ = to.send((n.channel().to_owned(), n.payload().to_owned()));
            }
        }
    });
    client
        .batch_execute(&format!("LISTEN \"{channel}\""))
        .await
        .unwrap();
    let sender = lamp::operations::ReceiveLightMeasurement::open(&connection)
        .await
        .unwrap();
    sender
        .send(
            &lamp::channels::light_measured::Params { lamp_id: id },
            &measurement(7),
        )
        .await
        .unwrap();
    let (name, payload) = tokio::time::timeout(Duration::from_secs(10), heard.recv())
        .await
        .expect("heard within 10 s")
        .expect("the session is open");
    assert_eq!(name, channel);
    let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"lumens": 7, "sentAt": "2026-12-01T20:00:00Z"})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_registered_beside_the_built_in_transports() {
    if !postgres() {
        return;
    }
    let mut registry = asyncapi::transport::registry();
    registry.register(&PG_NOTIFY);
    let server = ServerSpec {
        name: "local".into(),
        url: "postgres://postgres@127.0.0.1:5432/postgres".into(),
        protocol: "postgres".into(),
        protocol_version: Some("15".into()),
        bindings: Default::default(),
        credentials: Vec::new(),
    };
    assert_eq!(registry.find(&server).unwrap().name, PG_NOTIFY.name);
    let connection = registry.connect(&server).await.unwrap();
    let spec = ChannelSpec::new("lightMeasured", "lights_{lampId}_measured")
        .with_param("lampId", lamp_id());
    let mut stream = connection.subscribe_dyn(&spec).await.unwrap();
    let address = format!("lights_{}_measured", spec.params[0].1);
    connection
        .send_dyn(
            &spec,
            asyncapi::envelope::Envelope::new(address.clone()).with_payload("{}"),
        )
        .await
        .unwrap();
    let got = next(&mut stream).await.unwrap();
    assert_eq!(got.address, address);
    assert_eq!(&got.payload[..], b"{}");

    // What a notification cannot carry is refused, not dropped.
    let typed = PgConnection::connect_to(&server).await.unwrap();
    let publisher = typed.publisher(&spec).await.unwrap();
    let mut with_header = asyncapi::envelope::Envelope::new(address).with_payload("{}");
    with_header.headers.insert("trace", "1");
    let err = publisher.send(with_header).await.unwrap_err().to_string();
    assert!(err.contains("carry no headers"), "{err}");
    // Another protocol is not this transport's.
    let other = ServerSpec {
        protocol: "mqtt".into(),
        ..server
    };
    assert!(PgConnection::connect_to(&other).await.is_err());
    let _ = typed.subscriber(&spec).await.unwrap();
}
