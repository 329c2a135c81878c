//! A RabbitMQ that stops answering without the connection ending (a dead route: the TCP
//! connection stays open and carries nothing), which lapin notices only after the heartbeat
//! runs out: every wait of the AMQP transport is bounded all the same. A send is an error within
//! the send timeout, a close returns, and opening a publisher or a subscription is an error
//! within the connect timeout, never a wait without end.

mod common;

use common::rabbitmq::AMQP;
use common::within;

use std::time::Duration;

use asyncapi::amqp::{AmqpConnection, AmqpOptions};
use asyncapi::envelope::EnvelopeWriter;
use asyncapi::operation::unique_id;
use asyncapi::transport::{ChannelSpec, Consumer, Producer, Publisher};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amqp_a_broker_that_stops_answering_fails_sends_closes_and_opens_in_time() {
    if !common::broker("RabbitMQ", AMQP) {
        return;
    }
    let relay = common::Relay::start(AMQP.parse().unwrap()).await;
    let options = AmqpOptions::new(format!("amqp://guest:guest@127.0.0.1:{}/%2f", relay.port))
        .connect_timeout(Duration::from_secs(2))
        .send_timeout(Duration::from_secs(2))
        .reconnect(asyncapi::transport::Reconnect::Never);
    let connection = AmqpConnection::connect(options).await.unwrap();
    let address = format!("stalls.{}", unique_id());
    let spec = ChannelSpec::new("stalls", address.clone());
    let publisher = connection.publisher(&spec).await.unwrap();
    let mut envelope = publisher.envelope();
    envelope.set_address(address.clone());
    envelope.set_payload(bytes::Bytes::from_static(b"{}"));
    publisher
        .send(envelope.clone())
        .await
        .expect("confirmed while the broker answers");

    relay.stall();
    let sent = within(
        "a send to a broker that does not answer",
        publisher.send(envelope),
    )
    .await;
    assert!(sent.is_err(), "no Ok without the broker's confirm");
    let _ = within("closing the publisher", publisher.close()).await;
    let opened = within("opening a publisher", connection.publisher(&spec)).await;
    assert!(opened.is_err(), "opened on a broker that does not answer");
    let subscribed = within("opening a subscription", connection.subscriber(&spec)).await;
    assert!(
        subscribed.is_err(),
        "subscribed on a broker that does not answer"
    );
    relay.cut();
}
