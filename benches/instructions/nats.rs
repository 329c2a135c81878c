//! NATS core (`nats`) and JetStream (`jetstream`): the transport against async-nats used by
//! hand. Core: each send is flushed (the transport's default promise), with the `Content-Type`
//! header the typed path sends. JetStream: each send awaits the stream's `PubAck`; the receiver
//! is a pull consumer whose messages are acknowledged once decoded.

use async_nats::jetstream::{self, consumer::pull};
use asyncapi::StreamExt;
use asyncapi::nats::{NatsConnection, NatsOptions};

use crate::common::Blob;
use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, Side, typed};

pub async fn run(run: &Run, ctl: &mut Control) {
    let url = format!("nats://{}", run.address);
    let js = run.transport == "jetstream";
    match (run.path.as_str(), run.side, js) {
        ("typed", side, js) => {
            let c = NatsConnection::connect(NatsOptions::new(url))
                .await
                .expect("nats-server");
            match (side, js) {
                (Side::Send, false) => typed::send(&c, run, ctl).await,
                (Side::Receive, false) => typed::receive(&c, run, ctl).await,
                (Side::Send, true) => typed::send_jetstream(&c, run, ctl).await,
                (Side::Receive, true) => typed::receive_jetstream(&c, run, ctl).await,
            }
        }
        (_, side, js) => {
            let client = async_nats::connect(run.address.as_str())
                .await
                .expect("nats-server");
            match (side, js) {
                (Side::Send, false) => {
                    let path = Core {
                        client,
                        subject: run.topic(),
                        blob: run.blob(),
                    };
                    measure::sending(ctl, run.counts(), path).await;
                }
                (Side::Receive, false) => {
                    let subscriber = client.subscribe(run.topic()).await.expect("subscribe");
                    client.flush().await.expect("subscribed");
                    measure::receiving(ctl, run.counts(), Messages(subscriber)).await;
                }
                (Side::Send, true) => {
                    let path = Stream {
                        context: jetstream::new(client),
                        subject: run.topic(),
                        blob: run.blob(),
                    };
                    measure::sending(ctl, run.counts(), path).await;
                }
                (Side::Receive, true) => {
                    let context = jetstream::new(client);
                    let messages = crate::common::jetstream_messages(&context, run.topic()).await;
                    measure::receiving(ctl, run.counts(), Pulled(messages)).await;
                }
            }
        }
    }
}

/// The `Content-Type` header both paths send.
fn headers() -> async_nats::HeaderMap {
    let mut headers = async_nats::HeaderMap::new();
    headers.insert("Content-Type", "application/json");
    headers
}

/// Core NATS by hand: publish with the header, then flush.
struct Core {
    client: async_nats::Client,
    subject: String,
    blob: Blob,
}

impl Sends for Core {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        self.client
            .publish_with_headers(self.subject.clone(), headers(), json.into())
            .await
            .expect("published");
        self.client.flush().await.expect("flushed");
    }
}

/// A core subscription read by hand.
struct Messages(async_nats::Subscriber);

impl Receives for Messages {
    async fn receive(&mut self) {
        let message = self.0.next().await.expect("open");
        let blob: Blob = serde_json::from_slice(&message.payload).expect("json");
        std::hint::black_box(blob);
    }
}

/// JetStream by hand: publish with the header, the `PubAck` awaited.
struct Stream {
    context: jetstream::Context,
    subject: String,
    blob: Blob,
}

impl Sends for Stream {
    async fn send(&mut self) {
        let json = serde_json::to_vec(&self.blob).expect("json");
        self.context
            .publish_with_headers(self.subject.clone(), headers(), json.into())
            .await
            .expect("published")
            .await
            .expect("stored");
    }
}

/// A pull consumer's messages, each acknowledged once decoded.
struct Pulled(pull::Stream);

impl Receives for Pulled {
    async fn receive(&mut self) {
        let message = self.0.next().await.expect("open").expect("a message");
        let blob: Blob = serde_json::from_slice(&message.payload).expect("json");
        message.ack().await.expect("acknowledged");
        std::hint::black_box(blob);
    }
}
