//! The Kafka transport against Kafka-protocol brokers of the tests' own (nisshi, built by
//! `scripts/kafka-broker install`; a missing one is said loudly, and fails under `CI=true`):
//! the conformance suite (`conformance_kafka_*`) and what is Kafka's own (`kafka_*`): the
//! channel binding's topic, partitions and configuration, keys, headers and where records sit,
//! and records a consumer dies holding.

mod common;

use std::time::Duration;

use asyncapi::delivery::Overflow;
use asyncapi::envelope::EnvelopeReader;
use asyncapi::kafka::{KafkaConnection, KafkaEnvelope, KafkaOptions, TopicDefaults};
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher, ServerSpec, TransportError};
use asyncapi_conformance::{Capabilities, Harness, Settings, conformance, server};

use common::kafka::Kafka;

/// Topics the suite opens are created with one partition (the order of a channel's records
/// is a partition's), or the partitions their binding gives (the group scenarios' two).
const TOPICS: TopicDefaults = TopicDefaults {
    partitions: 1,
    replicas: 1,
};

fn options(server: &ServerSpec) -> Result<KafkaOptions, TransportError> {
    Ok(KafkaOptions::from_server(server)?
        .create_topics(TOPICS)
        .linger(Duration::ZERO)
        .send_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(5)))
}

/// The conformance suite on a broker of the harness's own. Kafka clients connect to the
/// address the broker advertises, whatever address they started from: for the suite's relay
/// to stand between the clients and the broker, the broker is started again (empty: the
/// scenario has not begun) advertising the relay's port, and every client then goes through
/// the relay.
struct KafkaHarness(std::sync::Mutex<Option<Kafka>>);

impl KafkaHarness {
    fn start() -> KafkaHarness {
        KafkaHarness(std::sync::Mutex::new(Kafka::start()))
    }
}

impl Harness for KafkaHarness {
    type Connection = KafkaConnection;
    /// Records wait in the topic for a full subscription; a nacked record is read again; a
    /// group's partitions go to the members that are left.
    fn capabilities(&self) -> Capabilities {
        Capabilities::networked()
            .acknowledged_sends()
            .reconnects()
            .headers()
            .redelivers()
            .largest_payload(512 * 1024)
            .slow_consumer(Overflow::Wait)
            .handover()
    }
    fn server(&self) -> ServerSpec {
        // Port 1 when the broker is missing: the suite says so (and fails under CI).
        let port = self.0.lock().unwrap().as_ref().map_or(1, |k| k.port);
        server("kafka", format!("kafka://127.0.0.1:{port}"))
    }
    async fn connect(&self, server: &ServerSpec) -> Result<KafkaConnection, TransportError> {
        KafkaConnection::connect(options(server)?).await
    }
    async fn close(&self, connection: &KafkaConnection) -> Result<(), TransportError> {
        connection.close().await
    }
    async fn connect_with_settings(
        &self,
        server: &ServerSpec,
        settings: Settings,
    ) -> Option<Result<KafkaConnection, TransportError>> {
        Some(match options(server) {
            Ok(o) => KafkaConnection::connect(settings.apply(o)).await,
            Err(e) => Err(e),
        })
    }
    async fn behind_relay(
        &self,
        relay_port: u16,
    ) -> Option<(std::net::SocketAddr, Box<dyn std::any::Any + Send + Sync>)> {
        let mut broker = self.0.lock().unwrap();
        let broker = broker.as_mut()?;
        broker.stop();
        broker.advertised = relay_port;
        broker.spawn();
        Some((([127, 0, 0, 1], broker.port).into(), Box::new(())))
    }
}

conformance!(kafka, KafkaHarness::start());

/// A broker of the test's own and a connection to it that creates topics.
async fn broker() -> Option<(Kafka, KafkaConnection)> {
    let kafka = Kafka::start()?;
    let connection =
        KafkaConnection::connect(options(&server("kafka", kafka.url())).expect("options"))
            .await
            .expect("connects");
    Some((kafka, connection))
}

fn kafka_channel(name: &'static str, address: String) -> ChannelSpec {
    ChannelSpec::new(name, address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_the_channel_binding_names_the_topic_and_shapes_it() {
    let Some((kafka, connection)) = broker().await else {
        return;
    };
    // As documents write it: an address that is no topic name, the topic in the binding.
    let address = format!("lights/{}/measured", common::unique("l"));
    let topic = common::unique("light-measured");
    let mut binding = asyncapi::bindings::KafkaChannel::default();
    binding.topic = Some(topic.clone().into());
    binding.partitions = Some(3);
    let mut configuration = asyncapi::bindings::KafkaTopicConfiguration::default();
    configuration.retention_ms = Some(3_600_000);
    configuration.cleanup_policy = vec!["delete".into()];
    binding.topic_configuration = Some(configuration);
    let mut channel = kafka_channel("lightMeasured", address.clone());
    channel.bindings.kafka = Some(binding.clone());
    let mut subscriber = connection.subscriber(&channel).await.expect("subscribes");
    let publisher = connection.publisher(&channel).await.expect("opens");
    let mut envelope = KafkaEnvelope::from(
        asyncapi::envelope::Envelope::new(address.clone()).with_payload("{\"lumens\":3}"),
    );
    envelope.envelope.content_type = Some("application/json".into());
    let delivered = publisher.send_record(envelope).await.expect("sent");
    let got = common::next(&mut subscriber).await.expect("a record");
    assert_eq!(
        got.address(),
        address,
        "the channel's address, not the topic"
    );
    assert_eq!(got.topic.as_deref(), Some(topic.as_str()));
    assert_eq!(got.content_type(), Some("application/json"));
    assert_eq!(
        (got.partition, got.offset),
        (Some(delivered.partition), Some(delivered.offset))
    );

    // A connection that does not create topics checks them: three partitions are not four.
    let checking = KafkaConnection::connect(KafkaOptions::new(kafka.url()))
        .await
        .expect("connects");
    binding.partitions = Some(4);
    let mut other = kafka_channel("lightMeasured", address);
    other.bindings.kafka = Some(binding);
    let err = checking.subscriber(&other).await.expect_err("refused");
    let said = err.to_string();
    assert!(
        said.contains(&topic) && said.contains("partitions") && said.contains('3'),
        "{said}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_keys_headers_and_where_records_sit_travel() {
    let Some((_kafka, connection)) = broker().await else {
        return;
    };
    let address = common::unique("orders.created");
    let channel = kafka_channel("orders", address.clone());
    let mut subscriber = connection.subscriber(&channel).await.expect("subscribes");
    let publisher = connection.publisher(&channel).await.expect("opens");
    let mut sent = Vec::new();
    for n in 0..6 {
        let mut e = asyncapi::envelope::Envelope::new(address.clone()).with_payload(format!("{n}"));
        e.headers.insert("tenant", format!("t{}", n % 2));
        e.correlation_id = Some(format!("c-{n}"));
        let envelope = KafkaEnvelope::from(e).with_key(format!("customer-{}", n % 3));
        sent.push(publisher.send_record(envelope).await.expect("sent"));
    }
    for n in 0..6 {
        let got = common::next(&mut subscriber).await.expect("a record");
        let k = std::str::from_utf8(got.key.as_deref().unwrap())
            .unwrap()
            .to_owned();
        let payload: usize = std::str::from_utf8(got.payload()).unwrap().parse().unwrap();
        assert_eq!(k, format!("customer-{}", payload % 3));
        assert_eq!(
            got.headers().get_str("tenant"),
            Some(&*format!("t{}", payload % 2))
        );
        assert_eq!(got.correlation_id(), Some(&*format!("c-{payload}")));
        let d = sent[payload];
        assert_eq!(
            (got.partition, got.offset),
            (Some(d.partition), Some(d.offset))
        );
        let _ = n;
    }
    // Records of one key go to one partition.
    for key in 0..3 {
        let partitions: std::collections::BTreeSet<i32> = (0..6)
            .filter(|n| n % 3 == key)
            .map(|n| sent[n as usize].partition)
            .collect();
        assert_eq!(partitions.len(), 1, "key {key}: {partitions:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_a_member_that_dies_unacknowledged_leaves_its_records_to_the_group() {
    let Some((kafka, connection)) = broker().await else {
        return;
    };
    let address = common::unique("jobs");
    let group = common::unique("workers");
    let mut channel = kafka_channel("jobs", address.clone());
    channel.queue_group = Some(group.clone());
    channel.ack = asyncapi::ack::AckMode::Manual;
    let doomed_connection =
        KafkaConnection::connect(options(&server("kafka", kafka.url())).expect("options"))
            .await
            .expect("connects");
    let mut doomed = doomed_connection
        .subscriber(&channel)
        .await
        .expect("subscribes");
    let publisher = connection.publisher(&channel).await.expect("opens");
    for n in 0..10 {
        let e = asyncapi::envelope::Envelope::new(address.clone()).with_payload(format!("{n}"));
        publisher.send(KafkaEnvelope::from(e)).await.expect("sent");
    }
    // It takes some, acknowledges the first three, and dies holding the rest.
    let mut held = Vec::new();
    for _ in 0..5 {
        let record = common::next(&mut doomed).await.expect("a record");
        held.push(record);
    }
    for record in &held[..3] {
        record.acknowledgement().unwrap().ack().await.unwrap();
    }
    // Committed within the commit interval.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    std::mem::forget(held);
    doomed_connection.close().await.unwrap();
    drop(doomed);
    let mut survivor = connection.subscriber(&channel).await.expect("subscribes");
    let mut got = std::collections::BTreeSet::new();
    while !(3..10).all(|n| got.contains(&n)) {
        let record = common::next(&mut survivor).await.expect("a record");
        let n: u32 = std::str::from_utf8(record.payload())
            .unwrap()
            .parse()
            .unwrap();
        record.acknowledgement().unwrap().ack().await.unwrap();
        got.insert(n);
    }
    let acknowledged: Vec<u32> = got.iter().copied().filter(|n| *n < 3).collect();
    assert!(
        got.len() >= 7 && (3..10).all(|n| got.contains(&n)),
        "every record not acknowledged reaches the survivor: {got:?}"
    );
    // Records acknowledged before the commit may only come again when they share a partition
    // with one that was not (a commit is a position).
    let _ = acknowledged;
}

mod lights {
    asyncapi::include_spec!("tests/specs/kafka/lights.yaml", warnings = "allow");
}

mod light {
    asyncapi::include_spec!(
        "tests/specs/kafka/lights.yaml",
        perspective = "client",
        warnings = "allow"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_a_document_as_kafka_users_write_it_runs_both_ways() {
    let Some(kafka) = Kafka::start() else {
        return;
    };
    // The document's server, at the test's broker: its binding's schema registry is kept.
    let spec = lights::servers::Plant
        .spec(lights::servers::PlantSecurity::default())
        .at(kafka.url());
    let options = KafkaOptions::from_server(&spec).expect("options");
    assert_eq!(
        options.schema_registry(),
        Some(("http://localhost:8081", Some("confluent")))
    );
    let connection = KafkaConnection::connect(
        options
            .create_topics(TopicDefaults::default())
            .linger(Duration::ZERO),
    )
    .await
    .expect("connects");

    // The dashboard reads measurements in the document's group (`groupId` a plain string);
    // the topic is created with the binding's three partitions and configuration.
    let seven = |id: &str| lights::channels::lighting_measured::Filter {
        streetlight_id: Some(id.to_owned()),
    };
    let mut dashboard =
        lights::operations::ReceiveLightMeasurement::subscribe(&connection, &seven("7"))
            .await
            .expect("the dashboard subscribes");
    let topic = "smartylighting.streetlights.1.0.event.7.lighting.measured";
    let mut raw = connection
        .subscriber(&kafka_channel("raw", topic.to_owned()))
        .await
        .expect("a raw subscription");
    let mut measured = light::messages::LightMeasured::new(light::models::LightMeasuredPayload {
        lumens: 310,
        sent_at: None,
    });
    measured.headers.my_app_header = Some(42);
    light::operations::ReceiveLightMeasurement::send(
        &connection,
        &light::channels::lighting_measured::Params {
            streetlight_id: "7".into(),
        },
        &measured,
    )
    .await
    .expect("the light sends");
    let got = common::next(&mut dashboard)
        .await
        .expect("a typed measurement");
    assert_eq!(got.params.streetlight_id, "7");
    assert_eq!(got.message.payload.lumens, 310);
    assert_eq!(got.message.headers.my_app_header, Some(42));
    // On the wire: the key the message binding fixes (through a `$ref`), the header as its
    // JSON text, the content type.
    let record = common::next(&mut raw).await.expect("the raw record");
    assert_eq!(record.key.as_deref(), Some(&b"plant-7"[..]));
    assert_eq!(record.headers().get_str("my-app-header"), Some("42"));
    assert_eq!(record.content_type(), Some("application/json"));

    // A connection that creates nothing finds the topic as the binding says.
    let checking = KafkaConnection::connect(KafkaOptions::new(kafka.url()))
        .await
        .expect("connects");
    let mut shaped = lights::operations::ReceiveLightMeasurement::spec();
    shaped.params = vec![("streetlightId".into(), "7".into())];
    checking
        .subscriber(&shaped)
        .await
        .expect("the topic has the binding's partitions and configuration");

    // Commands go to the topic the shared bindings file names, not to the address.
    let mut commands = light::operations::DimLight::subscribe(
        &connection,
        &light::channels::light_commands::Filter {
            streetlight_id: Some("7".into()),
        },
    )
    .await
    .expect("the light subscribes to its commands");
    let mut on_topic = connection
        .subscriber(&kafka_channel("raw", "light-commands".to_owned()))
        .await
        .expect("a raw subscription to the bound topic");
    lights::operations::DimLight::send(
        &connection,
        &lights::channels::light_commands::Params {
            streetlight_id: "7".into(),
        },
        &lights::messages::DimLight::new(lights::models::DimLightPayload {
            percentage: 40,
            sent_at: None,
        }),
    )
    .await
    .expect("the dashboard dims light 7");
    let got = common::next(&mut commands).await.expect("a typed command");
    assert_eq!(got.params.streetlight_id, "7");
    assert_eq!(got.message.payload.percentage, 40);
    assert_eq!(got.address, "lights/7/commands");
    let record = common::next(&mut on_topic).await.expect("the raw record");
    assert_eq!(record.topic.as_deref(), Some("light-commands"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kafka_a_python_client_that_follows_the_document_exchanges_records_both_ways() {
    let (Some(python), Some(kafka)) = (common::kafka::python(), Kafka::start()) else {
        return;
    };
    let bootstrap = format!("127.0.0.1:{}", kafka.port);
    let connection = KafkaConnection::connect(
        KafkaOptions::new(kafka.url())
            .create_topics(TopicDefaults::default())
            .linger(Duration::ZERO),
    )
    .await
    .expect("connects");
    // kafka-python sends a measurement as the document says: the topic of light 9, the
    // plant's key, the header, a JSON payload.
    let mut dashboard = lights::operations::ReceiveLightMeasurement::subscribe(
        &connection,
        &lights::channels::lighting_measured::Filter {
            streetlight_id: Some("9".into()),
        },
    )
    .await
    .expect("the dashboard subscribes");
    let sent = common::kafka::peer(
        &python,
        &[
            "produce",
            &bootstrap,
            "smartylighting.streetlights.1.0.event.9.lighting.measured",
            "plant-7",
            r#"{"lumens": 120, "sentAt": "2026-12-08T01:00:00Z"}"#,
            "my-app-header=17",
        ],
    )
    .await;
    let got = common::next(&mut dashboard)
        .await
        .expect("a typed measurement");
    assert_eq!(got.params.streetlight_id, "9");
    assert_eq!(got.message.payload.lumens, 120);
    assert_eq!(got.message.headers.my_app_header, Some(17));
    assert!(got.message.payload.sent_at.is_some());
    assert_eq!(sent[0]["partition"].as_i64(), Some(0));

    // The dashboard dims light 9; kafka-python reads the bound topic.
    lights::operations::DimLight::send(
        &connection,
        &lights::channels::light_commands::Params {
            streetlight_id: "9".into(),
        },
        &lights::messages::DimLight::new(lights::models::DimLightPayload {
            percentage: 25,
            sent_at: None,
        }),
    )
    .await
    .expect("the dashboard sends");
    let read = common::kafka::peer(&python, &["consume", &bootstrap, "light-commands", "1"]).await;
    assert_eq!(read[0]["value"]["percentage"], 25, "{read:?}");
    assert_eq!(
        read[0]["headers"]["content-type"], "application/json",
        "{read:?}"
    );
}
