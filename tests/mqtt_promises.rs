//! What a send and a receive promise over MQTT, broken on purpose, and peers that are not this
//! library: the Mosquitto command-line clients, which know only what `tests/specs/mqtt-jobs.yaml`
//! says.
//!
//! - A send resolves when the broker has taken the message: a QoS 0, 1 or 2 send to a broker
//!   that has gone away is never reported as delivered, and a publish the broker refuses (an
//!   MQTT 5 reason code of 0x80 or more) is a typed error.
//! - A worker that dies between receiving a job and acknowledging it gets the job again when it
//!   comes back with the same client id and a persistent session; once acknowledged, it does not.
//! - A typed worker in a consumer group and a foreign member of the same MQTT shared
//!   subscription (`$share/<group>/...`) share the jobs, each to one of them.
//! - A foreign requester that puts the reply address in a header (MQTT 5 user property) or in
//!   the payload, as the document says, gets its reply there, with the correlation id where the
//!   reply's document says; a request from this library to a foreign responder that follows the
//!   document is answered; a typed message reaches a foreign subscriber byte for byte as the
//!   document's example.

mod common;

use common::within;

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use asyncapi::StreamExt;
use asyncapi::ack::ManualAck;
use asyncapi::envelope::Envelope;
use asyncapi::mqtt::{Mqtt5Connection, MqttConnection, MqttEnvelope, MqttOptions};
use asyncapi::operation::unique_id;
use asyncapi::transport::{ChannelSpec, Producer, Publisher, TransportError};

mod jobs {
    asyncapi::include_spec!("tests/specs/mqtt-jobs.yaml");
}

use jobs::{channels, messages, models, operations};

const MOSQUITTO: &str = "127.0.0.1:1883";

/// The machine's Mosquitto and its command-line clients are here (loudly not, otherwise; a
/// failure under CI).
fn here() -> bool {
    common::broker("Mosquitto", MOSQUITTO) && common::programs(&["mosquitto_pub", "mosquitto_sub"])
}

fn job(id: &str) -> messages::Job {
    messages::Job::new(models::JobPayload {
        id: id.into(),
        task: "wash".into(),
        reply_to: None,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_sends_to_a_broker_that_is_gone_are_never_reported_delivered() {
    if !here() {
        return;
    }
    let relay = common::Relay::start(MOSQUITTO.parse().unwrap()).await;
    let options = || {
        MqttOptions::new(format!("127.0.0.1:{}", relay.port))
            .send_timeout(Duration::from_millis(800))
    };
    let v311 = MqttConnection::connect(options()).await.unwrap();
    let v5 = Mqtt5Connection::connect(options()).await.unwrap();
    let topic = format!("promises/{}", unique_id());
    let spec = ChannelSpec::new("gone", topic.clone());
    let (p311, p5) = (
        v311.publisher(&spec).await.unwrap(),
        v5.publisher(&spec).await.unwrap(),
    );
    let envelope = |qos: u8| MqttEnvelope {
        envelope: Envelope::new(topic.clone()).with_payload("x"),
        qos: Some(qos),
        ..MqttEnvelope::default()
    };
    for qos in [0, 1, 2] {
        p311.send(envelope(qos)).await.unwrap();
        p5.send(envelope(qos)).await.unwrap();
    }
    relay.down();
    for qos in [1, 2, 0] {
        for (version, sent) in [
            ("3.1.1", p311.send(envelope(qos)).await),
            ("5", p5.send(envelope(qos)).await),
        ] {
            let err = sent.expect_err("a send to a broker that is gone");
            assert!(
                matches!(err, TransportError::Unconfirmed { .. }),
                "MQTT {version}, QoS {qos}: {err}"
            );
        }
    }
    relay.up();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_a_publish_the_broker_refuses_is_a_typed_error() {
    if !here() {
        return;
    }
    let port = common::free_port();
    // Mosquitto started as root reads its ACL file after dropping to its own user: a folder
    // everyone can read.
    let dir = std::env::temp_dir();
    let acl = dir.join(format!("asyncapi-rs-acl-{port}.txt"));
    std::fs::write(&acl, "topic readwrite allowed/#\n").unwrap();
    let config = dir.join(format!("mosquitto-acl-{port}.conf"));
    std::fs::write(
        &config,
        format!(
            "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nacl_file {}\n",
            acl.display()
        ),
    )
    .unwrap();
    let Some(broker) = common::OwnServer::start(
        "mosquitto",
        vec!["-c".into(), config.display().to_string()],
        port,
    ) else {
        return;
    };
    let connection =
        Mqtt5Connection::connect(MqttOptions::new(format!("127.0.0.1:{}", broker.port)))
            .await
            .unwrap();
    let send = |topic: &'static str| {
        let connection = connection.clone();
        async move {
            let publisher = connection
                .publisher(&ChannelSpec::new("acl", topic))
                .await
                .unwrap();
            publisher
                .send(MqttEnvelope {
                    envelope: Envelope::new(topic).with_payload("x"),
                    qos: Some(1),
                    ..MqttEnvelope::default()
                })
                .await
        }
    };
    send("allowed/x").await.unwrap();
    let err = send("denied/x").await.unwrap_err();
    match &err {
        TransportError::Rejected { address, reason } => {
            assert_eq!(address, "denied/x");
            assert!(reason.contains("0x87 (not authorized)"), "{reason}");
        }
        other => panic!("not a rejection: {other}"),
    }
    connection.close().await.unwrap();
}

/// A worker with the document's QoS 1 subscription, client id `id` and a persistent session.
async fn worker(port: u16, id: &str) -> MqttConnection {
    MqttConnection::connect(
        MqttOptions::new(format!("127.0.0.1:{}", port))
            .client_id(id)
            .clean_session(false),
    )
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_worker_that_dies_before_acknowledging_gets_the_job_again() {
    if !here() {
        return;
    }
    let relay = common::Relay::start(MOSQUITTO.parse().unwrap()).await;
    let id = format!("worker-{}", unique_id());
    let queue = unique_id();
    let filter = channels::jobs::Filter {
        queue: Some(queue.clone()),
    };
    let params = channels::jobs::Params {
        queue: queue.clone(),
    };

    let first = worker(relay.port, &id).await;
    let mut taken = operations::DoJob::subscribe(&ManualAck(&first), &filter)
        .await
        .unwrap();
    let boss =
        MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    operations::SubmitJob::send(&boss, &params, &job("j-1"))
        .await
        .unwrap();
    let received = within("the job", taken.next()).await.unwrap().unwrap();
    assert_eq!(received.message.payload.id, "j-1");
    assert!(
        received.acknowledgement.is_some(),
        "manual mode hands the acknowledgement over"
    );

    // The worker drops the job unsettled (that is not an acknowledgement: a wrong PUBACK would
    // have time to reach the broker), then its network goes and the worker is gone.
    drop(received);
    tokio::time::sleep(Duration::from_millis(300)).await;
    relay.down();
    drop(taken);
    let _ = first.close().await;

    // Back with the same client id: the broker sends the job again.
    let second = worker(1883, &id).await;
    let mut again = operations::DoJob::subscribe(&ManualAck(&second), &filter)
        .await
        .unwrap();
    let redelivered = within("the job again", again.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(redelivered.message.payload.id, "j-1");
    redelivered.ack().await.unwrap();
    // The acknowledgement is written before the DISCONNECT.
    second.close().await.unwrap();

    // Acknowledged: the next worker with that id gets nothing.
    let third = worker(1883, &id).await;
    let mut nothing = operations::DoJob::subscribe(&ManualAck(&third), &filter)
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_secs(1), nothing.next())
            .await
            .is_err(),
        "an acknowledged job came back"
    );
    third.close().await.unwrap();
    // Leave no session behind on the machine's broker.
    let clean = MqttConnection::connect(MqttOptions::new("127.0.0.1:1883").client_id(&id))
        .await
        .unwrap();
    clean.close().await.unwrap();
    boss.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_automatic_mode_acknowledges_after_decoding_and_rejects_what_does_not_decode() {
    if !here() {
        return;
    }
    let id = format!("worker-{}", unique_id());
    let queue = unique_id();
    let filter = channels::jobs::Filter {
        queue: Some(queue.clone()),
    };
    let first = worker(1883, &id).await;
    let mut taken = operations::DoJob::subscribe(&first, &filter).await.unwrap();
    let topic = format!("jobs/{queue}");
    foreign_publish(&["-t", &topic, "-m", r#"{"id": 7}"#]).await;
    foreign_publish(&["-t", &topic, "-m", r#"{"id":"j-2","task":"dry"}"#]).await;
    let bad = within("the malformed job", taken.next()).await.unwrap();
    assert!(bad.is_err(), "{bad:?}");
    let good = within("the job", taken.next()).await.unwrap().unwrap();
    assert_eq!(good.message.payload.id, "j-2");
    assert!(
        good.acknowledgement.is_none(),
        "automatic mode settles by itself"
    );
    drop(taken);
    first.close().await.unwrap();

    // Both were settled (the malformed one rejected: for MQTT, acknowledged and dropped): the
    // worker's session has nothing to send again.
    let second = worker(1883, &id).await;
    let mut nothing = operations::DoJob::subscribe(&second, &filter)
        .await
        .unwrap();
    assert!(
        tokio::time::timeout(Duration::from_secs(1), nothing.next())
            .await
            .is_err(),
        "a settled job came back"
    );
    second.close().await.unwrap();
    let clean = MqttConnection::connect(MqttOptions::new("127.0.0.1:1883").client_id(&id))
        .await
        .unwrap();
    clean.close().await.unwrap();
}

/// A consumer group is an MQTT shared subscription that another client can be a member of: a
/// typed worker (MQTT 3.1.1, `subscribe_in_group`) and `mosquitto_sub` on
/// `$share/<group>/jobs/<queue>` share the jobs, each to one of them, and the typed worker reads
/// the job's parameters back from the topic the broker delivers on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_group_a_typed_worker_and_a_foreign_member_share_the_jobs() {
    if !here() {
        return;
    }
    let queue = unique_id();
    let group = format!("washers-{}", unique_id());
    let worker =
        MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    let filter = channels::jobs::Filter {
        queue: Some(queue.clone()),
    };
    let mut typed = operations::DoJob::subscribe_in_group(&worker, &filter, &group)
        .await
        .unwrap();
    let shared = format!("$share/{group}/jobs/{queue}");
    let mut foreign = ForeignSubscriber::start(&["-q", "1", "-t", &shared]).await;
    let boss =
        MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    let params = channels::jobs::Params {
        queue: queue.clone(),
    };
    const JOBS: usize = 20;
    for i in 0..JOBS {
        operations::SubmitJob::send(&boss, &params, &job(&format!("j-{i}")))
            .await
            .unwrap();
    }
    let mut by_typed = Vec::new();
    let mut by_foreign = Vec::new();
    while by_typed.len() + by_foreign.len() < JOBS {
        tokio::select! {
            got = typed.next() => {
                let got = got.expect("open").expect("a job");
                assert_eq!(got.params.queue, queue, "the parameter read back from the topic");
                by_typed.push(got.message.payload.id);
            }
            line = foreign.next() => {
                let payload = line.split('|').next().unwrap_or_default().to_owned();
                let job: serde_json::Value = serde_json::from_str(&payload).expect("a job as JSON");
                by_foreign.push(job["id"].as_str().expect("an id").to_owned());
            }
        }
    }
    let mut all: Vec<String> = by_typed.iter().chain(&by_foreign).cloned().collect();
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        JOBS,
        "each job once: typed {by_typed:?}, foreign {by_foreign:?}"
    );
    assert!(
        !by_typed.is_empty() && !by_foreign.is_empty(),
        "both members get a share: typed {by_typed:?}, foreign {by_foreign:?}"
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(500), typed.next())
            .await
            .is_err(),
        "no job twice"
    );
    worker.close().await.unwrap();
    boss.close().await.unwrap();
}

/// `mosquitto_sub` with `args`, once it is subscribed: the payloads (and user properties) of
/// what it receives, one line each.
struct ForeignSubscriber {
    _child: tokio::process::Child,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

impl ForeignSubscriber {
    async fn start(args: &[&str]) -> ForeignSubscriber {
        // Line-buffered: its output goes to a pipe.
        let mut child = tokio::process::Command::new("stdbuf")
            .args([
                "-oL",
                "mosquitto_sub",
                "-h",
                "127.0.0.1",
                "-p",
                "1883",
                "-d",
                "-F",
                "=>%p|%P",
            ])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("mosquitto_sub");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        within("mosquitto_sub's SUBACK", async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if line.contains("SUBACK") {
                    return;
                }
            }
            panic!("mosquitto_sub ended");
        })
        .await;
        ForeignSubscriber {
            _child: child,
            lines,
        }
    }

    /// The next message: `payload|user properties`.
    async fn next(&mut self) -> String {
        within("the foreign subscriber's message", async {
            while let Some(line) = self.lines.next_line().await.unwrap() {
                if let Some(message) = line.strip_prefix("=>") {
                    return message.to_owned();
                }
            }
            panic!("mosquitto_sub ended");
        })
        .await
    }
}

/// `mosquitto_pub` with `args`.
async fn foreign_publish(args: &[&str]) {
    let status = tokio::process::Command::new("mosquitto_pub")
        .args(["-h", "127.0.0.1", "-p", "1883", "-q", "1"])
        .args(args)
        .status()
        .await
        .expect("mosquitto_pub");
    assert!(status.success(), "mosquitto_pub {args:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt5_a_foreign_requester_with_the_reply_address_in_a_header_gets_its_reply() {
    if !here() {
        return;
    }
    let responder =
        Mqtt5Connection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    let mut pings = operations::AnswerPing::subscribe(&responder, &Default::default())
        .await
        .unwrap();
    let answering = responder.clone();
    let answers = tokio::spawn(async move {
        let request = pings.next().await.unwrap().unwrap();
        assert_eq!(request.message.payload, "hello");
        let pong = messages::Pong {
            payload: format!("pong to {}", request.message.payload),
            headers: models::PongHeaders {
                correlation_id: None,
            },
        };
        operations::AnswerPing::reply(&answering, &request, &pong)
            .await
            .unwrap();
        request
    });

    let inbox = format!("inbox/{}", unique_id());
    let correlation = format!("c-{}", unique_id());
    let mut requester = ForeignSubscriber::start(&["-V", "mqttv5", "-t", &inbox, "-C", "1"]).await;
    foreign_publish(&[
        "-V",
        "mqttv5",
        "-t",
        "pings",
        "-m",
        "hello",
        "-D",
        "publish",
        "user-property",
        "replyTo",
        &inbox,
        "-D",
        "publish",
        "user-property",
        "correlationId",
        &correlation,
    ])
    .await;
    let request = within("the responder", answers).await.unwrap();
    assert_eq!(request.reply_to.as_deref(), Some(inbox.as_str()));
    assert_eq!(
        request.correlation_id.as_deref(),
        Some(correlation.as_str())
    );
    assert_eq!(
        requester.next().await,
        format!("pong to hello|correlationId:{correlation}"),
        "the reply, with the correlation id where the pong's document keeps it"
    );
    responder.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_foreign_requester_with_the_reply_address_in_the_payload_gets_its_reply() {
    if !here() {
        return;
    }
    // MQTT 3.1.1 on both sides: nothing but the payload travels.
    let responder =
        MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    let queue = unique_id();
    let mut work = operations::DoJob::subscribe(
        &responder,
        &channels::jobs::Filter {
            queue: Some(queue.clone()),
        },
    )
    .await
    .unwrap();
    let answering = responder.clone();
    let answers = tokio::spawn(async move {
        let request = work.next().await.unwrap().unwrap();
        let result = messages::Result::new(models::ResultPayload {
            status: models::ResultPayloadStatus::Done,
            job_id: None,
        });
        operations::DoJob::reply(&answering, &request, &result)
            .await
            .unwrap();
        request
    });

    let inbox = format!("results/{}", unique_id());
    let mut requester = ForeignSubscriber::start(&["-t", &inbox, "-C", "1"]).await;
    let body = format!(r#"{{"id":"j-9","task":"wash","replyTo":"{inbox}"}}"#);
    foreign_publish(&["-t", &format!("jobs/{queue}"), "-m", &body]).await;
    let request = within("the responder", answers).await.unwrap();
    assert_eq!(request.reply_to.as_deref(), Some(inbox.as_str()));
    assert_eq!(request.correlation_id.as_deref(), Some("j-9"));
    let reply = requester.next().await;
    let (payload, _) = reply.split_once('|').unwrap();
    let json: serde_json::Value = serde_json::from_str(payload).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"status": "done", "jobId": "j-9"}),
        "the result, with the job's id where the result's document keeps the correlation id"
    );
    responder.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_request_to_a_foreign_responder_is_answered() {
    if !here() {
        return;
    }
    let queue = unique_id();
    let topic = format!("jobs/{queue}");
    let mut worker = ForeignSubscriber::start(&["-t", &topic, "-C", "1"]).await;
    // The foreign worker: reads the job, answers where the payload says, with the job's id
    // where the result's document keeps the correlation id; nothing else.
    let foreign = tokio::spawn(async move {
        let line = worker.next().await;
        let (payload, _) = line.split_once('|').unwrap();
        let job: serde_json::Value = serde_json::from_str(payload).unwrap();
        let reply_to = job["replyTo"]
            .as_str()
            .expect("replyTo in the payload")
            .to_owned();
        let id = job["id"].as_str().unwrap().to_owned();
        // A stray result for another job first: it must be skipped.
        foreign_publish(&[
            "-t",
            &reply_to,
            "-m",
            r#"{"status":"failed","jobId":"other"}"#,
        ])
        .await;
        let body = format!(r#"{{"status":"done","jobId":"{id}"}}"#);
        foreign_publish(&["-t", &reply_to, "-m", &body]).await;
    });
    let requester =
        MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    let reply = operations::SubmitJob::request(
        &requester,
        &channels::jobs::Params { queue },
        &job("j-5"),
        Duration::from_secs(10),
    )
    .await
    .unwrap();
    foreign.await.unwrap();
    assert_eq!(reply.correlation_id.as_deref(), Some("j-5"));
    assert_eq!(
        reply.message.payload.status,
        models::ResultPayloadStatus::Done
    );
    requester.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_typed_message_reaches_a_foreign_subscriber_as_the_documents_example() {
    if !here() {
        return;
    }
    let queue = unique_id();
    let topic = format!("jobs/{queue}");
    let mut foreign = ForeignSubscriber::start(&["-t", &topic, "-C", "1"]).await;
    let connection =
        MqttConnection::connect(MqttOptions::from_url(&format!("mqtt://{MOSQUITTO}")).unwrap())
            .await
            .unwrap();
    operations::SubmitJob::send(&connection, &channels::jobs::Params { queue }, &job("j-1"))
        .await
        .unwrap();
    // The document's example `wash`, as compact JSON in the document's property order.
    assert_eq!(foreign.next().await, r#"{"id":"j-1","task":"wash"}|"#);
    connection.close().await.unwrap();
}

/// Topics whose levels carry a prefix of their own (`building/floor-{floor}/temperature`): no
/// MQTT wildcard stands for `floor-{floor}`, so a subscription to every floor subscribes to one
/// filter per value the enum lists (a floor outside it is never subscribed to), and to every
/// room with `building/+/humidity`, skipping the topics that do not fit `room-{room}`; from a
/// peer that knows only the document.
mod building {
    asyncapi::include_spec!("tests/specs/mqtt-building.yaml");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mqtt_a_parameter_inside_a_level_is_subscribed_by_value_or_broader() {
    if !here() {
        return;
    }
    let connection =
        asyncapi::mqtt::MqttConnection::connect(asyncapi::mqtt::MqttOptions::new("127.0.0.1:1883"))
            .await
            .unwrap();
    let mut floors =
        building::operations::OnFloorTemperature::subscribe(&connection, &Default::default())
            .await
            .expect("a parameter inside a level is subscribed to");
    let mut rooms =
        building::operations::OnRoomHumidity::subscribe(&connection, &Default::default())
            .await
            .unwrap();
    for (topic, value) in [
        ("building/floor-3/temperature", "30"),
        ("building/floor-1/temperature", "21"),
        ("building/lobby/humidity", "60"),
        ("building/floor-2/temperature", "22"),
        ("building/room-7/humidity", "55"),
    ] {
        foreign_publish(&["-t", topic, "-m", &format!(r#"{{"value":{value}}}"#)]).await;
    }
    use building::channels::building_floor_floor_temperature::Floor;
    use common::next;
    let first = next(&mut floors).await.expect("floor 1");
    assert_eq!(
        (first.params.floor, first.message.payload.value),
        (Floor::N1, 21.0)
    );
    let second = next(&mut floors)
        .await
        .expect("floor 2, next: floor 3 is not subscribed to");
    assert_eq!(second.params.floor, Floor::N2);
    let room = next(&mut rooms)
        .await
        .expect("room 7: the lobby does not fit");
    assert_eq!(
        (room.params.room.as_str(), room.message.payload.value),
        ("7", 55.0)
    );
}
