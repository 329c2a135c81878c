//! AMQP 0-9-1 (`amqp`): the transport against lapin used by hand for the same promises. A
//! channel in confirm mode publishes to `amq.topic` with the content type, each confirm
//! awaited; the receiver binds an exclusive queue to the routing key, consumes it with the same
//! prefetch (64), decodes each delivery and acknowledges it.

use asyncapi::StreamExt;
use asyncapi::amqp::{AmqpConnection, AmqpOptions};
use lapin::options::{BasicAckOptions, BasicPublishOptions, ConfirmSelectOptions};

use crate::common::Blob;
use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, Side, typed};

pub async fn run(run: &Run, ctl: &mut Control) {
    let url = format!("amqp://guest:guest@{}/%2f", run.address);
    if run.path == "typed" {
        let c = AmqpConnection::connect(AmqpOptions::new(url))
            .await
            .expect("RabbitMQ");
        match run.side {
            Side::Send => typed::send(&c, run, ctl).await,
            Side::Receive => typed::receive(&c, run, ctl).await,
        }
        return;
    }
    let connection = lapin::Connection::connect(&url, lapin::ConnectionProperties::default())
        .await
        .expect("RabbitMQ");
    let channel = connection.create_channel().await.expect("a channel");
    let key = run.topic();
    match run.side {
        Side::Send => {
            channel
                .confirm_select(ConfirmSelectOptions::default())
                .await
                .expect("confirms");
            let path = Publish {
                channel,
                key,
                blob: run.blob(),
            };
            measure::sending(ctl, run.counts(), path).await;
        }
        Side::Receive => {
            let deliveries = crate::common::amqp_consumer(&channel, &key).await;
            measure::receiving(ctl, run.counts(), Deliveries(deliveries)).await;
        }
    }
    // The connection lives until the measurement is over.
    drop(connection);
}

/// Publishing by hand, each confirm awaited.
struct Publish {
    channel: lapin::Channel,
    key: String,
    blob: Blob,
}

impl Sends for Publish {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        let confirm = self
            .channel
            .basic_publish(
                "amq.topic".into(),
                self.key.as_str().into(),
                BasicPublishOptions::default(),
                &json,
                lapin::BasicProperties::default().with_content_type("application/json".into()),
            )
            .await
            .expect("published");
        assert!(confirm.await.expect("confirmed").is_ack());
    }
}

/// A consumer's deliveries by hand, each decoded and then acknowledged.
struct Deliveries(lapin::Consumer);

impl Receives for Deliveries {
    async fn receive(&mut self) {
        let delivery = self.0.next().await.expect("open").expect("a delivery");
        let blob: Blob = serde_json::from_slice(&delivery.data).expect("json");
        std::hint::black_box(blob);
        delivery
            .ack(BasicAckOptions::default())
            .await
            .expect("acknowledged");
    }
}
