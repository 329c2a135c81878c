//! The typed path, the same on every transport: the generated `SendBlobs::open` and `send`, and
//! `ReceiveBlobs::subscribe` read as a stream (each message decoded, validated, its parameters
//! parsed back from its address, and acknowledged as the transport's automatic mode does).

use asyncapi::StreamExt;
use asyncapi::operation::{ChannelParams, Outgoing, Sender};
use asyncapi::transport::{Consumer, Producer, Publisher};

use crate::measure::{self, Control, Receives, Sends};
use crate::{Run, api, jetstream_api};

/// The generated sender and what it sends.
struct Typed<P, C, M> {
    sender: Sender<P, C, M>,
    params: C,
    message: M,
}

impl<P: Publisher, C: ChannelParams, M: Outgoing> Sends for Typed<P, C, M> {
    async fn send(&mut self) {
        self.sender
            .send(&self.params, &self.message)
            .await
            .expect("sent");
    }
}

/// The generated stream of received messages.
struct Stream<S>(S);

impl<S, T, E> Receives for Stream<S>
where
    S: futures_util::Stream<Item = Result<T, E>> + Unpin,
    E: std::fmt::Debug,
{
    async fn receive(&mut self) {
        let message = self.0.next().await.expect("open").expect("valid");
        std::hint::black_box(message);
    }
}

/// Sends `run`'s messages through `producer` with the generated code of `benches/brokers.yaml`.
pub async fn send<P: Producer>(producer: &P, run: &Run, ctl: &mut Control) {
    let path = open(producer, run).await;
    measure::sending(ctl, run.counts(), path).await;
}

/// The generated sender of `benches/brokers.yaml` on `producer`, open.
pub async fn open<P: Producer>(producer: &P, run: &Run) -> impl Sends {
    let sender = api::operations::SendBlobs::open(producer)
        .await
        .expect("open");
    Typed {
        sender,
        params: api::channels::blobs::Params {
            run: run.run.clone(),
        },
        message: api::messages::Blob::new(api::models::BlobPayload {
            data: run.blob().data,
        }),
    }
}

/// Receives `run`'s messages from `consumer` with the generated code of `benches/brokers.yaml`.
pub async fn receive<C: Consumer>(consumer: &C, run: &Run, ctl: &mut Control)
where
    C::Subscriber: 'static,
{
    let filter = api::channels::blobs::Filter {
        run: Some(run.run.clone()),
    };
    let stream = api::operations::ReceiveBlobs::subscribe(consumer, &filter)
        .await
        .expect("subscribe");
    measure::receiving(ctl, run.counts(), Stream(stream)).await;
}

/// [`send`] with the JetStream document (each send awaits the stream's `PubAck`).
pub async fn send_jetstream<P: Producer>(producer: &P, run: &Run, ctl: &mut Control) {
    let sender = jetstream_api::operations::SendBlobs::open(producer)
        .await
        .expect("the stream");
    let path = Typed {
        sender,
        params: jetstream_api::channels::blobs::Params {
            run: run.run.clone(),
        },
        message: jetstream_api::messages::Blob::new(jetstream_api::models::BlobPayload {
            data: run.blob().data,
        }),
    };
    measure::sending(ctl, run.counts(), path).await;
}

/// [`receive`] with the JetStream document (an ephemeral pull consumer, each message
/// acknowledged once decoded).
pub async fn receive_jetstream<C: Consumer>(consumer: &C, run: &Run, ctl: &mut Control)
where
    C::Subscriber: 'static,
{
    let filter = jetstream_api::channels::blobs::Filter {
        run: Some(run.run.clone()),
    };
    let stream = jetstream_api::operations::ReceiveBlobs::subscribe(consumer, &filter)
        .await
        .expect("a consumer");
    measure::receiving(ctl, run.counts(), Stream(stream)).await;
}
