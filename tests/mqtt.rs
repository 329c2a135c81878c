//! The MQTT 3.1.1 and MQTT 5 transports against the machine's Mosquitto (127.0.0.1:1883), through
//! the code generated from the Streetlights MQTT document (and the end-to-end document): typed
//! publish and subscribe, parameters read back from topics with `+` wildcards, the QoS of the
//! operation binding and the retain flag observed on received messages; with MQTT 5, headers as user properties, the content type,
//! message bindings, and request/reply through the response topic and correlation data; a
//! broker of the test's own killed and restarted under a subscription (both versions); and the
//! server bindings of the project's lamp document observed through the broker (client id and
//! persistent session, last will; MQTT 5 session expiry, maximum packet size and the message
//! expiry of an operation), with the
//! lamp's network taken away by a relay. What every transport must keep (malformed payloads,
//! connect errors, secrets, breaks) is the conformance suite's (`tests/conformance.rs`).

mod common;

use common::next;

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::envelope::Envelope;
use asyncapi::mqtt::{Mqtt5Connection, MqttConnection, MqttEnvelope, MqttOptions};
use asyncapi::operation::unique_id;
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher};

mod app {
    asyncapi::include_spec!("examples/specs/streetlights-mqtt.yaml");
}

mod lamp {
    asyncapi::include_spec!(
        "examples/specs/streetlights-mqtt.yaml",
        perspective = "client"
    );
}

const MOSQUITTO: &str = "127.0.0.1:1883";

async fn connect() -> MqttConnection {
    MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
        .await
        .expect("connects to Mosquitto")
}

fn measurement(lumens: i64) -> lamp::messages::LightMeasured {
    lamp::messages::LightMeasured {
        payload: lamp::models::LightMeasuredPayload {
            lumens: Some(lumens),
            sent_at: None,
        },
        headers: lamp::models::CommonHeaders {
            my_app_header: None,
        },
    }
}

#[tokio::test]
async fn mqtt_typed_publish_subscribe_with_wildcards_and_qos() {
    if !common::broker("Mosquitto", MOSQUITTO) {
        return;
    }
    let app = connect().await;
    let lamp_connection = connect().await;
    let (a, b) = (
        format!("lamp-{}", unique_id()),
        format!("lamp-{}", unique_id()),
    );
    // Every light (`+`), and only light `a`.
    let mut all = app::operations::ReceiveLightMeasurement::subscribe(
        &app,
        &app::channels::lighting_measured::Filter::default(),
    )
    .await
    .unwrap();
    let mut only_a = app::operations::ReceiveLightMeasurement::subscribe(
        &app,
        &app::channels::lighting_measured::Filter {
            streetlight_id: Some(a.clone()),
        },
    )
    .await
    .unwrap();
    let sender = lamp::operations::ReceiveLightMeasurement::open(&lamp_connection)
        .await
        .unwrap();
    for (id, lumens) in [(&b, 1), (&a, 2)] {
        let params = lamp::channels::lighting_measured::Params {
            streetlight_id: id.clone(),
        };
        sender.send(&params, &measurement(lumens)).await.unwrap();
    }
    // Other runs may publish on the same channel: keep only this run's lights.
    let mut seen = Vec::new();
    while seen.len() < 2 {
        let r = next(&mut all).await.unwrap();
        if r.params.streetlight_id == a || r.params.streetlight_id == b {
            seen.push((r.params.streetlight_id.clone(), r.message.payload.lumens));
        }
    }
    assert_eq!(seen, [(b.clone(), Some(1)), (a.clone(), Some(2))]);
    let r = next(&mut only_a).await.unwrap();
    assert_eq!(r.params.streetlight_id, a);
    assert_eq!(r.message.payload.lumens, Some(2));
    app.close().await.unwrap();
    lamp_connection.close().await.unwrap();
}

#[tokio::test]
async fn mqtt_qos_and_retain_are_observed_on_the_wire() {
    if !common::broker("Mosquitto", MOSQUITTO) {
        return;
    }
    let c = connect().await;
    let topic = format!("asyncapi-rs/test/{}/retained", unique_id());
    let spec = ChannelSpec::new("retained", topic.clone());
    // The operation binding of Streetlights asks for QoS 1; the generated spec carries it.
    assert_eq!(
        app::operations::TurnOn::spec()
            .bindings
            .mqtt
            .and_then(|m| m.qos),
        Some(1)
    );
    let publisher = c.publisher(&spec).await.unwrap();
    publisher
        .send(MqttEnvelope {
            envelope: Envelope::new(topic.clone()).with_payload("kept"),
            qos: Some(1),
            retain: Some(true),
            ..MqttEnvelope::default()
        })
        .await
        .unwrap();
    // A subscriber that arrives later gets the retained message, flagged as such.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut late = c
        .subscriber(
            &spec
                .clone()
                .with_bindings(app::operations::TurnOn::spec().bindings),
        )
        .await
        .unwrap();
    let got = next(&mut late).await.unwrap();
    assert_eq!(&got.envelope.payload[..], b"kept");
    assert_eq!(got.retain, Some(true));
    assert_eq!(got.qos, Some(1));
    // Clear the retained message.
    publisher
        .send(MqttEnvelope {
            envelope: Envelope::new(topic.clone()),
            qos: Some(1),
            retain: Some(true),
            ..MqttEnvelope::default()
        })
        .await
        .unwrap();
    c.close().await.unwrap();
}

/// The application's subscription to one new street light's measurements, and that light's
/// topic.
async fn one_light<C: asyncapi::Consumer>(
    c: &C,
) -> (
    asyncapi::operation::Receiver<
        C::Subscriber,
        app::channels::lighting_measured::Params,
        app::messages::LightMeasured,
    >,
    String,
    String,
) {
    let id = format!("lamp-{}", unique_id());
    let measurements = app::operations::ReceiveLightMeasurement::subscribe(
        c,
        &app::channels::lighting_measured::Filter {
            streetlight_id: Some(id.clone()),
        },
    )
    .await
    .unwrap();
    let topic = format!("smartylighting/streetlights/1/0/event/{id}/lighting/measured");
    (measurements, id, topic)
}

/// A Mosquitto of the test's own, on a free loopback port, with `extra` configuration.
fn own_mosquitto(extra: &str) -> Option<common::OwnServer> {
    let port = common::free_port();
    let config =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mosquitto-{port}.conf"));
    std::fs::write(
        &config,
        format!("listener {port} 127.0.0.1\npersistence false\n{extra}"),
    )
    .expect("config");
    common::OwnServer::start(
        "mosquitto",
        vec!["-c".into(), config.display().to_string()],
        port,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_reconnects_and_resubscribes_after_the_broker_restarts() {
    let Some(mut broker) = own_mosquitto("allow_anonymous true\n") else {
        return;
    };
    let options = || {
        MqttOptions::new(format!("127.0.0.1:{}", broker.port)).keep_alive(Duration::from_secs(5))
    };
    let subscriber_side = MqttConnection::connect(options()).await.unwrap();
    let publisher_side = MqttConnection::connect(options()).await.unwrap();
    survives_a_broker_restart(&mut broker, &subscriber_side, &publisher_side).await;
    subscriber_side.close().await.unwrap();
    publisher_side.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_reconnects_and_resubscribes_after_the_broker_restarts() {
    let Some(mut broker) = own_mosquitto("allow_anonymous true\n") else {
        return;
    };
    let options = || {
        MqttOptions::new(format!("127.0.0.1:{}", broker.port)).keep_alive(Duration::from_secs(5))
    };
    let subscriber_side = Mqtt5Connection::connect(options()).await.unwrap();
    let publisher_side = Mqtt5Connection::connect(options()).await.unwrap();
    survives_a_broker_restart(&mut broker, &subscriber_side, &publisher_side).await;
    subscriber_side.close().await.unwrap();
    publisher_side.close().await.unwrap();
}

/// A subscription on one connection, a publisher on another, the broker killed and started
/// again: once both are back, every QoS 1 message published arrives, in order.
async fn survives_a_broker_restart<T>(
    broker: &mut common::OwnServer,
    subscriber_side: &T,
    publisher_side: &T,
) where
    T: Producer + Consumer,
    T::Publisher: Publisher<Envelope = MqttEnvelope>,
    T::Subscriber: asyncapi::Subscriber<Envelope = MqttEnvelope>,
{
    let topic = "fault/test";
    let spec = ChannelSpec::new("fault", topic);
    let mut received = subscriber_side.subscriber(&spec).await.unwrap();
    let publisher = publisher_side.publisher(&spec).await.unwrap();
    let send = |text: String| MqttEnvelope {
        envelope: Envelope::new(topic).with_payload(text),
        qos: Some(1),
        ..MqttEnvelope::default()
    };
    publisher.send(send("before".into())).await.unwrap();
    assert_eq!(
        &next(&mut received).await.unwrap().envelope.payload[..],
        b"before"
    );

    broker.kill();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(broker.spawn(), "restarted");

    // Wait until both sides are back and the subscription is renewed: probes until one arrives.
    let mut back = false;
    for i in 0..100 {
        publisher.send(send(format!("probe-{i}"))).await.unwrap();
        let got = tokio::time::timeout(Duration::from_millis(200), received.next()).await;
        if let Ok(Some(Ok(m))) = got
            && m.envelope.payload.starts_with(b"probe-")
        {
            back = true;
            break;
        }
    }
    assert!(
        back,
        "the subscriber never received anything after the restart"
    );
    // Late probes still in flight are skipped; then every QoS 1 message arrives, in order.
    for i in 0..20 {
        publisher.send(send(format!("after-{i}"))).await.unwrap();
    }
    let mut after = Vec::new();
    while after.len() < 20 {
        let m = next(&mut received).await.unwrap();
        let text = String::from_utf8(m.envelope.payload.to_vec()).unwrap();
        if text.starts_with("after-") {
            after.push(text);
        }
    }
    let expected: Vec<String> = (0..20).map(|i| format!("after-{i}")).collect();
    assert_eq!(after, expected);
}

mod e2e {
    asyncapi::include_spec!("tests/specs/e2e.yaml");
}

async fn connect5() -> Mqtt5Connection {
    Mqtt5Connection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
        .await
        .expect("connects to Mosquitto with MQTT 5")
}

#[tokio::test]
async fn mqtt5_headers_content_type_and_message_bindings_travel() {
    if !common::broker("Mosquitto", MOSQUITTO) {
        return;
    }
    let c = connect5().await;
    let (mut typed, id, topic) = one_light(&c).await;
    // Subscribed with QoS 1 too: a delivery is at the lower of the two QoS.
    let qos1 = app::operations::TurnOn::spec().bindings;
    let mut raw = c
        .subscriber(&ChannelSpec::new("raw", topic).with_bindings(qos1))
        .await
        .unwrap();
    let mut message = measurement(9);
    message.headers.my_app_header = Some(7);
    lamp::operations::ReceiveLightMeasurement::send(
        &c,
        &lamp::channels::lighting_measured::Params {
            streetlight_id: id.clone(),
        },
        &message,
    )
    .await
    .unwrap();
    let received = next(&mut typed).await.unwrap();
    assert_eq!(received.message.headers.my_app_header, Some(7));
    assert_eq!(received.message.payload.lumens, Some(9));
    let envelope = next(&mut raw).await.unwrap();
    assert_eq!(
        envelope.envelope.headers.get_str("my-app-header"),
        Some("7")
    );
    assert_eq!(
        envelope.envelope.content_type.as_deref(),
        Some("application/json")
    );
    assert_eq!(envelope.qos, Some(1), "the operation binding's QoS");

    // `pong` has the message binding `payloadFormatIndicator: 1`.
    let mut pongs = c.subscriber(&e2e::channels::pong::spec()).await.unwrap();
    let sender =
        asyncapi::operation::Sender::<_, e2e::channels::pong::Params, e2e::messages::Pong>::open(
            &c,
            &e2e::channels::pong::spec(),
        )
        .await
        .unwrap();
    sender
        .send(
            &e2e::channels::pong::Params,
            &e2e::messages::Pong::new(e2e::models::PongPayload { seq: 1 }),
        )
        .await
        .unwrap();
    let pong = next(&mut pongs).await.unwrap();
    assert_eq!(pong.payload_format_indicator, Some(1));
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_request_reply_through_response_topic_and_correlation_data() {
    if !common::broker("Mosquitto", MOSQUITTO) {
        return;
    }
    let server = connect5().await;
    let mut pings = e2e::operations::OnPing::subscribe(&server, &e2e::channels::ping::Filter)
        .await
        .unwrap();
    tokio::spawn(async move {
        while let Some(Ok(request)) = pings.next().await {
            let reply = e2e::messages::Pong::new(e2e::models::PongPayload {
                seq: request.message.payload.seq * 2,
            });
            e2e::operations::OnPing::reply(&server, &request, &reply)
                .await
                .unwrap();
        }
    });
    let client = connect5().await;
    let ping = e2e::messages::Ping {
        payload: e2e::models::PingPayload { seq: 21 },
        headers: e2e::models::PingHeaders {
            correlation_id: Some(format!("c-{}", unique_id())),
            reply_to: None,
        },
    };
    let reply = e2e::operations::Ping::request(
        &client,
        &e2e::channels::ping::Params,
        &ping,
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    assert_eq!(reply.message.payload.seq, 42);
    assert_eq!(reply.correlation_id, ping.headers.correlation_id);
    client.close().await.unwrap();
}

mod secured {
    asyncapi::include_spec!("tests/specs/secured-mqtt.yaml");
}

#[tokio::test]
async fn mqtt_user_password_from_the_documents_server_and_security() {
    use asyncapi::security::UserPassword;
    // Mosquitto started as root reads its password file as the `mosquitto` user: the file goes
    // in the system's temporary folder, which that user can read.
    let passwords = std::env::temp_dir().join(format!("asyncapi-rs-passwords-{}", unique_id()));
    let made = std::process::Command::new("mosquitto_passwd")
        .arg("-b")
        .arg("-c")
        .arg(&passwords)
        .args(["ada", "lovelace"])
        .status();
    if !made.is_ok_and(|s| s.success()) {
        common::missing("mosquitto_passwd IS MISSING: the MQTT authentication test did NOT run");
        return;
    }
    let Some(broker) = own_mosquitto(&format!(
        "allow_anonymous false\npassword_file {}\n",
        passwords.display()
    )) else {
        return;
    };
    let server = secured::servers::Local {
        port: broker.port.to_string(),
    };
    let good = secured::servers::LocalSecurity::User(UserPassword {
        user: "ada".into(),
        password: "lovelace".into(),
    });
    let spec = server.spec(good);
    assert_eq!(spec.url, format!("mqtt://127.0.0.1:{}", broker.port));
    assert_eq!(
        spec.bindings.mqtt.as_ref().and_then(|m| m.keep_alive),
        Some(20)
    );
    let c: MqttConnection = server
        .connect(secured::servers::LocalSecurity::User(UserPassword {
            user: "ada".into(),
            password: "lovelace".into(),
        }))
        .await
        .expect("the right password is accepted");
    // A connection of another protocol is refused before connecting.
    let wrong = server
        .connect::<asyncapi::nats::NatsConnection>(secured::servers::LocalSecurity::User(
            UserPassword {
                user: "ada".into(),
                password: "lovelace".into(),
            },
        ))
        .await
        .unwrap_err();
    assert!(wrong.to_string().contains("speaks `mqtt`"), "{wrong}");
    let mut notes =
        secured::operations::ReceiveNote::subscribe(&c, &secured::channels::notes::Filter)
            .await
            .unwrap();
    secured::operations::SendNote::send(
        &c,
        &secured::channels::notes::Params,
        &secured::messages::Note::new(secured::models::NotePayload("hello".into())),
    )
    .await
    .unwrap();
    assert_eq!(next(&mut notes).await.unwrap().message.payload.0, "hello");
    c.close().await.unwrap();

    // The user and password in a URL are the CONNECT packet's, never part of the host.
    let in_url = MqttConnection::connect(MqttOptions::new(format!(
        "mqtt://ada:lovelace@127.0.0.1:{}",
        broker.port
    )))
    .await
    .expect("the URL's user and password are accepted");
    in_url.close().await.unwrap();
    let err = MqttConnection::connect(MqttOptions::new(format!(
        "mqtt://ada:wrong-secret@127.0.0.1:{}",
        broker.port
    )))
    .await
    .unwrap_err();
    assert!(
        matches!(err, asyncapi::transport::TransportError::Connect { .. })
            && !format!("{err} {err:?}").contains("wrong-secret"),
        "{err:?}"
    );

    let bad = secured::servers::LocalSecurity::User(UserPassword {
        user: "ada".into(),
        password: "wrong".into(),
    });
    let err = MqttConnection::connect(MqttOptions::from_server(&server.spec(bad)).unwrap())
        .await
        .unwrap_err();
    let _ = std::fs::remove_file(&passwords);
    assert!(
        matches!(err, asyncapi::transport::TransportError::Connect { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn mqtts_with_the_projects_own_certificate_authority() {
    // Mosquitto started as root reads its certificates as the `mosquitto` user: they go in the
    // system's temporary folder.
    let dir = std::env::temp_dir().join(format!("asyncapi-rs-mqtts-{}", unique_id()));
    let Some((ca, cert, key)) = common::make_certificates(&dir) else {
        return;
    };
    let Some(broker) = own_mosquitto(&format!(
        "allow_anonymous true\ncafile {}\ncertfile {}\nkeyfile {}\n",
        ca.display(),
        cert.display(),
        key.display()
    )) else {
        return;
    };
    let url = format!("mqtts://127.0.0.1:{}", broker.port);
    let ca_pem = std::fs::read(&ca).unwrap();
    let c = MqttConnection::connect(
        MqttOptions::from_url(&url)
            .unwrap()
            .root_certificate(asyncapi::tls::Pem::text(ca_pem)),
    )
    .await
    .expect("TLS with the test's CA");
    let spec = ChannelSpec::new("secure", "secure/test");
    let mut sub = c.subscriber(&spec).await.unwrap();
    c.publisher(&spec)
        .await
        .unwrap()
        .send(Envelope::new("secure/test").with_payload("over TLS").into())
        .await
        .unwrap();
    assert_eq!(
        &next(&mut sub).await.unwrap().envelope.payload[..],
        b"over TLS"
    );
    c.close().await.unwrap();
    // Without the CA the broker's certificate is not trusted.
    let untrusted = MqttConnection::connect(MqttOptions::from_url(&url).unwrap()).await;
    assert!(
        untrusted.is_err(),
        "a certificate from an unknown CA is refused"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

mod session {
    asyncapi::include_spec!("tests/specs/mqtt-session.yaml");
}

mod controller {
    asyncapi::include_spec!("tests/specs/mqtt-session.yaml", perspective = "client");
}

fn command(action: &str, note: Option<String>) -> controller::messages::Command {
    controller::messages::Command::new(controller::models::CommandPayload {
        action: action.into(),
        note,
    })
}

/// A lamp connected through a relay (so that the test can take its network away), with the
/// document's server bindings; a controller connected to the broker directly, watching the
/// lamps' status (where the last wills go).
struct Lamps {
    broker: common::OwnServer,
    relay: common::Relay,
    controller: MqttConnection,
    /// Every lamp's status, last wills included.
    status: asyncapi::operation::Receiver<
        <MqttConnection as asyncapi::Consumer>::Subscriber,
        controller::channels::status::Params,
        controller::messages::Status,
    >,
}

/// A lamp's commands, on a subscriber of its connection.
type Commands<S> = asyncapi::operation::Receiver<
    S,
    session::channels::commands::Params,
    session::messages::Command,
>;

impl Lamps {
    async fn start() -> Option<Lamps> {
        let broker = own_mosquitto("allow_anonymous true\n")?;
        let relay = common::Relay::start(([127, 0, 0, 1], broker.port).into()).await;
        let controller =
            MqttConnection::connect(MqttOptions::new(format!("127.0.0.1:{}", broker.port)))
                .await
                .unwrap();
        let status = controller::operations::SendStatus::subscribe(
            &controller,
            &controller::channels::status::Filter::default(),
        )
        .await
        .unwrap();
        Some(Lamps {
            broker,
            relay,
            controller,
            status,
        })
    }

    /// The commands of lamp `id`, through the lamp's generated `receive` operation on `lamp`.
    async fn commands_of<C: asyncapi::Consumer>(lamp: &C, id: &str) -> Commands<C::Subscriber> {
        session::operations::ReceiveCommands::subscribe(
            lamp,
            &session::channels::commands::Filter {
                lamp_id: Some(id.into()),
            },
        )
        .await
        .unwrap()
    }

    async fn command(&self, lamp: &str, command: &controller::messages::Command) {
        controller::operations::ReceiveCommands::send(
            &self.controller,
            &controller::channels::commands::Params {
                lamp_id: lamp.into(),
            },
            command,
        )
        .await
        .unwrap();
    }
}

/// The next command after a reconnection: the stream yields one error for the break, and a
/// QoS 1 command whose acknowledgement the break cut off is delivered again first (at least
/// once), which `earlier` allows.
async fn command_after_the_break<S: asyncapi::Subscriber>(
    commands: &mut Commands<S>,
    earlier: &str,
) -> String {
    let mut breaks = 0;
    loop {
        match next(commands).await {
            Ok(received) if received.message.payload.action != earlier => {
                assert!(breaks <= 1, "one error per break, not {breaks}");
                return received.message.payload.action;
            }
            Ok(_) => {}
            Err(e) => {
                assert!(e.to_string().contains("broke"), "{e}");
                breaks += 1;
            }
        }
    }
}

/// The next command the lamp receives.
async fn next_command<S: asyncapi::Subscriber>(commands: &mut Commands<S>) -> String {
    next(commands).await.unwrap().message.payload.action
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_server_bindings_client_id_persistent_session_and_last_will() {
    let Some(mut lamps) = Lamps::start().await else {
        return;
    };
    let lamp: MqttConnection = session::servers::Lamp {
        port: lamps.relay.port.to_string(),
    }
    .connect(asyncapi::security::Anonymous)
    .await
    .unwrap();
    let mut commands = Lamps::commands_of(&lamp, "lamp-1").await;
    lamps.command("lamp-1", &command("on", None)).await;
    assert_eq!(next_command(&mut commands).await, "on");

    // The lamp's network goes: the broker publishes its last will (`lastWill`).
    lamps.relay.down();
    let will = next(&mut lamps.status).await.unwrap();
    assert_eq!(will.message.payload, "offline");
    assert_eq!(will.params.lamp_id, "lamp-1");
    // A QoS 1 command sent meanwhile waits in the lamp's session (`clientId` and
    // `cleanSession: false`), and arrives once the lamp is back.
    lamps.command("lamp-1", &command("dim", None)).await;
    lamps.relay.up();
    assert_eq!(command_after_the_break(&mut commands, "on").await, "dim");
    drop(lamps.broker);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_server_bindings_session_expiry_and_maximum_packet_size() {
    let Some(mut lamps) = Lamps::start().await else {
        return;
    };
    let lamp: Mqtt5Connection = session::servers::Lamp5 {
        port: lamps.relay.port.to_string(),
    }
    .connect(asyncapi::security::Anonymous)
    .await
    .unwrap();
    let mut commands = Lamps::commands_of(&lamp, "lamp-5").await;
    // The lamp's status carries the operation's `messageExpiryInterval: 60` (the broker
    // forwards what is left of it).
    let watcher =
        Mqtt5Connection::connect(MqttOptions::new(format!("127.0.0.1:{}", lamps.broker.port)))
            .await
            .unwrap();
    let mut raw_status = watcher
        .subscriber(&ChannelSpec::new("raw", "lamps/lamp-5/status"))
        .await
        .unwrap();
    session::operations::SendStatus::send(
        &lamp,
        &session::channels::status::Params {
            lamp_id: "lamp-5".into(),
        },
        &session::messages::Status::new("online".into()),
    )
    .await
    .unwrap();
    let online = next(&mut raw_status).await.unwrap();
    assert_eq!(&online.envelope.payload[..], b"online");
    assert!(
        matches!(online.message_expiry_interval, Some(1..=60)),
        "{:?}",
        online.message_expiry_interval
    );
    assert_eq!(
        next(&mut lamps.status).await.unwrap().message.payload,
        "online"
    );

    // `maximumPacketSize: 512`: the broker does not forward a bigger packet to this lamp.
    lamps
        .command("lamp-5", &command("big", Some("x".repeat(1000))))
        .await;
    lamps.command("lamp-5", &command("small", None)).await;
    assert_eq!(next_command(&mut commands).await, "small");

    lamps.relay.down();
    let will = next(&mut lamps.status).await.unwrap();
    assert_eq!(will.params.lamp_id, "lamp-5");
    // `sessionExpiryInterval: 60` keeps the session past the disconnection (MQTT 5 ends it at
    // once otherwise, whatever `cleanSession` says).
    lamps.command("lamp-5", &command("dim", None)).await;
    lamps.relay.up();
    assert_eq!(command_after_the_break(&mut commands, "small").await, "dim");
    drop(lamps.broker);
}

#[tokio::test]
async fn mqtt_and_mqtt5_through_the_dynamic_path() {
    if !common::broker("Mosquitto", MOSQUITTO) {
        return;
    }
    // MQTT 5 for `mqtt5`, or for `mqtt` with protocol version 5; it carries the content type,
    // which MQTT 3.1.1 has no place for.
    for (protocol, version, v5) in [
        ("mqtt", None, false),
        ("mqtt", Some("3.1.1"), false),
        ("mqtt", Some("5"), true),
        ("mqtt5", None, true),
    ] {
        let spec = common::server_spec(protocol, format!("{protocol}://{MOSQUITTO}"), version);
        let connection = asyncapi::transport::connect_any(&spec).await.unwrap();
        common::round_trip_dyn(&*connection, format!("dyn/{}", unique_id()), v5).await;
    }
}
