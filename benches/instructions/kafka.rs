//! Kafka (`kafka`): the transport against rdkafka used by hand. Each send awaits its delivery
//! report (the typed path's promise), with the `content-type` header the typed path writes; the
//! receiver reads the topic's one partition with a `StreamConsumer` and decodes each record.
//! The broker is a nisshi the driver starts (see `driver::kafka_broker`).

use std::time::Duration;

use asyncapi::kafka::rdkafka;
use asyncapi::kafka::{KafkaConnection, KafkaOptions, TopicDefaults};
use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use crate::common::Blob;
use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, Side, typed};

pub async fn run(run: &Run, ctl: &mut Control) {
    if run.path == "typed" {
        // The receiver makes the run's topic, on both paths.
        let mut options = KafkaOptions::new(format!("kafka://{}", run.address));
        if run.side == Side::Receive {
            options = options.create_topics(TopicDefaults::default());
        }
        let c = KafkaConnection::connect(options).await.expect("the broker");
        match run.side {
            Side::Send => typed::send(&c, run, ctl).await,
            Side::Receive => typed::receive(&c, run, ctl).await,
        }
        return;
    }
    let topic = run.topic();
    match run.side {
        Side::Send => {
            let producer: FutureProducer = ClientConfig::new()
                .set("bootstrap.servers", &run.address)
                .create()
                .expect("a producer");
            let path = Produce {
                producer,
                topic,
                blob: run.blob(),
            };
            measure::sending(ctl, run.counts(), path).await;
        }
        Side::Receive => {
            create_topic(&run.address, &topic).await;
            let consumer: StreamConsumer = ClientConfig::new()
                .set("bootstrap.servers", &run.address)
                .set("group.id", format!("bench-{}", run.run))
                .set("enable.auto.commit", "false")
                .create()
                .expect("a consumer");
            let mut list = TopicPartitionList::new();
            list.add_partition_offset(&topic, 0, Offset::Beginning)
                .expect("a partition");
            consumer.assign(&list).expect("assigned");
            measure::receiving(ctl, run.counts(), Records(consumer)).await;
        }
    }
}

/// The run's topic, made before the sender starts (as the typed receiver's options do).
async fn create_topic(address: &str, topic: &str) {
    use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
    let admin: AdminClient<rdkafka::client::DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", address)
        .create()
        .expect("an admin client");
    let topic = NewTopic::new(topic, 1, TopicReplication::Fixed(1));
    admin
        .create_topics([&topic], &AdminOptions::new())
        .await
        .expect("the topic");
}

/// Records produced by hand, each delivery report awaited.
struct Produce {
    producer: FutureProducer,
    topic: String,
    blob: Blob,
}

impl Sends for Produce {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        let headers = OwnedHeaders::new().insert(Header {
            key: "content-type",
            value: Some("application/json"),
        });
        let record = FutureRecord::<(), _>::to(&self.topic)
            .payload(&json)
            .headers(headers);
        self.producer
            .send(record, Duration::ZERO)
            .await
            .expect("delivered");
    }
}

/// A consumer's records, decoded.
struct Records(StreamConsumer);

impl Receives for Records {
    async fn receive(&mut self) {
        let record = self.0.recv().await.expect("a record");
        let blob: Blob =
            serde_json::from_slice(record.payload().unwrap_or_default()).expect("json");
        std::hint::black_box(blob);
    }
}
