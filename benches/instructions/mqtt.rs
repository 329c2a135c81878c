//! MQTT 3.1.1 (`mqtt`) and MQTT 5 (`mqtt5`): the transport's connections against rumqttc used
//! by hand. The document's channel has no binding: QoS 0, and a send keeps its promise once the
//! publish is written to the connection, which by hand is rumqttc's `publish_tracked` notice
//! (`Qos0Flushed`). MQTT 5 carries the content type the typed path sends as a property; by hand
//! sets the same property.

use asyncapi::mqtt::{Mqtt5Connection, MqttConnection, MqttOptions};

use crate::common::Blob;
use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, Side, typed};

pub async fn run(run: &Run, ctl: &mut Control) {
    let five = run.transport == "mqtt5";
    match (run.path.as_str(), run.side, five) {
        ("typed", side, false) => {
            let options = MqttOptions::from_url(&run.address).expect("host:port");
            let c = MqttConnection::connect(options).await.expect("the broker");
            match side {
                Side::Send => typed::send(&c, run, ctl).await,
                Side::Receive => typed::receive(&c, run, ctl).await,
            }
        }
        ("typed", side, true) => {
            let options = MqttOptions::from_url(&run.address).expect("host:port");
            let c = Mqtt5Connection::connect(options).await.expect("the broker");
            match side {
                Side::Send => typed::send(&c, run, ctl).await,
                Side::Receive => typed::receive(&c, run, ctl).await,
            }
        }
        (_, Side::Send, false) => measure::sending(ctl, run.counts(), V4::connect(run).await).await,
        (_, Side::Receive, false) => {
            let hand = V4::connect(run).await;
            hand.client
                .subscribe(run.topic(), rumqttc_v4::QoS::AtMostOnce)
                .await
                .expect("subscribe");
            let mut hand = hand;
            hand.until(|e| {
                matches!(
                    e,
                    rumqttc_v4::Event::Incoming(rumqttc_v4::Packet::SubAck(_))
                )
            })
            .await;
            measure::receiving(ctl, run.counts(), hand).await;
        }
        (_, Side::Send, true) => measure::sending(ctl, run.counts(), V5::connect(run).await).await,
        (_, Side::Receive, true) => {
            let mut hand = V5::connect(run).await;
            hand.client
                .subscribe(run.topic(), rumqttc_v5::QoS::AtMostOnce)
                .await
                .expect("subscribe");
            hand.until(|e| {
                matches!(
                    e,
                    rumqttc_v5::Event::Incoming(rumqttc_v5::Packet::SubAck(_))
                )
            })
            .await;
            measure::receiving(ctl, run.counts(), hand).await;
        }
    }
}

/// `host` and `port` of `host:port`.
fn host_port(address: &str) -> (String, u16) {
    let (host, port) = address.rsplit_once(':').expect("host:port");
    (host.to_owned(), port.parse().expect("a port"))
}

/// rumqttc 3.1.1 by hand: the client, and its event loop (polled by a task once a sender is
/// connected; by the receiver itself).
struct V4 {
    client: rumqttc_v4::AsyncClient,
    events: Option<rumqttc_v4::EventLoop>,
    topic: String,
    blob: Blob,
}

impl V4 {
    async fn connect(run: &Run) -> V4 {
        let side = if run.side == Side::Send { "s" } else { "r" };
        let mut options =
            rumqttc_v4::MqttOptions::new(format!("{}-{side}", run.run), host_port(&run.address));
        options.set_keep_alive(30);
        let (client, events) = rumqttc_v4::AsyncClient::builder(options)
            .capacity(64)
            .build();
        let mut hand = V4 {
            client,
            events: Some(events),
            topic: run.topic(),
            blob: run.blob(),
        };
        hand.until(|e| {
            matches!(
                e,
                rumqttc_v4::Event::Incoming(rumqttc_v4::Packet::ConnAck(_))
            )
        })
        .await;
        if run.side == Side::Send {
            let mut events = hand.events.take().expect("the event loop");
            tokio::spawn(async move { while events.poll().await.is_ok() {} });
        }
        hand
    }

    /// Polls the event loop until an event `is` the one awaited.
    async fn until(&mut self, is: impl Fn(&rumqttc_v4::Event) -> bool) {
        let events = self.events.as_mut().expect("the event loop");
        while !is(&events.poll().await.expect("connected")) {}
    }
}

impl Sends for V4 {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        let written = self
            .client
            .publish_tracked(
                self.topic.as_str(),
                json,
                rumqttc_v4::PublishOptions::at_most_once(),
            )
            .await
            .expect("queued");
        written.wait_async().await.expect("written");
    }
}

impl Receives for V4 {
    async fn receive(&mut self) {
        let events = self.events.as_mut().expect("the event loop");
        loop {
            if let rumqttc_v4::Event::Incoming(rumqttc_v4::Packet::Publish(p)) =
                events.poll().await.expect("connected")
            {
                let blob: Blob = serde_json::from_slice(&p.payload).expect("json");
                std::hint::black_box(blob);
                return;
            }
        }
    }
}

/// rumqttc 5 by hand, as [`V4`].
struct V5 {
    client: rumqttc_v5::AsyncClient,
    events: Option<rumqttc_v5::EventLoop>,
    topic: String,
    blob: Blob,
}

impl V5 {
    async fn connect(run: &Run) -> V5 {
        let side = if run.side == Side::Send { "s" } else { "r" };
        let mut options =
            rumqttc_v5::MqttOptions::new(format!("{}-{side}", run.run), host_port(&run.address));
        options.set_keep_alive(30);
        let (client, events) = rumqttc_v5::AsyncClient::builder(options)
            .capacity(64)
            .build();
        let mut hand = V5 {
            client,
            events: Some(events),
            topic: run.topic(),
            blob: run.blob(),
        };
        hand.until(|e| {
            matches!(
                e,
                rumqttc_v5::Event::Incoming(rumqttc_v5::Packet::ConnAck(_))
            )
        })
        .await;
        if run.side == Side::Send {
            let mut events = hand.events.take().expect("the event loop");
            tokio::spawn(async move { while events.poll().await.is_ok() {} });
        }
        hand
    }

    async fn until(&mut self, is: impl Fn(&rumqttc_v5::Event) -> bool) {
        let events = self.events.as_mut().expect("the event loop");
        while !is(&events.poll().await.expect("connected")) {}
    }
}

impl Sends for V5 {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        let properties = rumqttc_v5::PublishProperties {
            content_type: Some("application/json".to_owned()),
            ..Default::default()
        };
        let written = self
            .client
            .publish_tracked(
                self.topic.as_str(),
                json,
                rumqttc_v5::PublishOptions::at_most_once().properties(properties),
            )
            .await
            .expect("queued");
        written.wait_async().await.expect("written");
    }
}

impl Receives for V5 {
    async fn receive(&mut self) {
        let events = self.events.as_mut().expect("the event loop");
        loop {
            if let rumqttc_v5::Event::Incoming(rumqttc_v5::Packet::Publish(p)) =
                events.poll().await.expect("connected")
            {
                let blob: Blob = serde_json::from_slice(&p.payload).expect("json");
                std::hint::black_box(blob);
                return;
            }
        }
    }
}
