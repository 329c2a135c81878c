//! Receiving: [`NatsSubscriber`], one subscription per subject (or per listed value of a
//! parameter inside a token), alone or in a queue group.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use tokio::sync::oneshot;

use asyncapi_runtime::delivery::{Inbox, Limits, Overflow, queue};
use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Consumer, Subscriber, Subscription, TransportError,
};

use crate::envelope::{from_jetstream, from_nats};
use crate::{NatsConnection, WILDCARDS, jetstream};

/// How many subjects one subscription listens to at most (one per listed value of a parameter
/// inside a token); past that it listens to the broader subject.
const MOST_SUBJECTS: usize = 32;

/// Receives the messages of one subject (pattern), or of one subject per listed value of a
/// parameter inside a token, alone or in a queue group.
///
/// A task takes the messages from async-nats as they come into the subscription's queue (the
/// kit's, bounded by [`NatsOptions::subscription_limits`](crate::NatsOptions::subscription_limits)):
/// core NATS has no flow control, so a message that finds the queue full is dropped and counted,
/// and the stream yields one [`TransportError::Lagged`] with the count, then what came after.
#[derive(Debug)]
pub struct NatsSubscriber {
    inbox: Inbox<Envelope>,
    /// Asks the task to unsubscribe (and says how it went); dropping it stops the task.
    stop: Option<oneshot::Sender<Stopped>>,
    subject: String,
    /// What the subjects take (a parameter inside a token without listed values makes it
    /// broader than the channel).
    subscription: Subscription,
}

/// Where the subscription's task says how unsubscribing went.
type Stopped = oneshot::Sender<Result<(), async_nats::UnsubscribeError>>;

impl Consumer for NatsConnection {
    type Subscriber = NatsSubscriber;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<NatsSubscriber, TransportError> {
        self.check_open()?;
        let open_err = |source: BoxError| TransportError::Open {
            address: channel.address.to_string(),
            source,
        };
        if let Some(on) = jetstream::Channel::of(self, channel)? {
            let subscription = channel.subscription_pattern(&WILDCARDS)?;
            return subscribe_jetstream(self, channel, on, subscription).await;
        }
        let subscription = channel.subscription(&WILDCARDS, MOST_SUBJECTS)?;
        let mut inner = Vec::with_capacity(subscription.patterns().len());
        for subject in subscription.patterns() {
            let subscribed = match channel.group("nats") {
                Some(group) => {
                    self.client
                        .queue_subscribe(subject.clone(), group.to_owned())
                        .await
                }
                None => self.client.subscribe(subject.clone()).await,
            };
            inner.push(subscribed.map_err(|e| open_err(Box::new(e)))?);
        }
        // The server has the subscriptions once it answers a PING sent after them.
        self.client
            .flush()
            .await
            .map_err(|e| open_err(Box::new(e)))?;
        let subject = subscription.patterns().join(" ");
        let (tx, inbox) = queue(subject.clone(), self.limits, Overflow::Drop);
        let (stop, mut stopped) = oneshot::channel::<Stopped>();
        tokio::spawn(async move {
            let mut messages = Subjects::new(inner);
            loop {
                tokio::select! {
                    message = messages.next() => match message {
                        Some(message) => {
                            if tx.send(from_nats(message)).await.is_err() {
                                return;
                            }
                        }
                        None => return,
                    },
                    asked = &mut stopped => {
                        let result = messages.unsubscribe().await;
                        if let Ok(reply) = asked {
                            let _ = reply.send(result);
                        }
                        return;
                    }
                }
            }
        });
        Ok(NatsSubscriber {
            inbox,
            stop: Some(stop),
            subject,
            subscription,
        })
    }
}

/// The async-nats subscriptions of one subscriber: most often one subject, read as it is; several
/// (one per listed value of a parameter inside a token) read as they come.
enum Subjects {
    One(async_nats::Subscriber),
    Many(futures_util::stream::SelectAll<async_nats::Subscriber>),
}

impl Subjects {
    fn new(mut subscribers: Vec<async_nats::Subscriber>) -> Subjects {
        if subscribers.len() == 1
            && let Some(one) = subscribers.pop()
        {
            return Subjects::One(one);
        }
        Subjects::Many(futures_util::stream::select_all(subscribers))
    }

    /// The next message of any of them; `None` once they have all ended.
    async fn next(&mut self) -> Option<async_nats::Message> {
        match self {
            Subjects::One(one) => one.next().await,
            Subjects::Many(many) => many.next().await,
        }
    }

    /// Unsubscribes each; the last error, if any.
    async fn unsubscribe(&mut self) -> Result<(), async_nats::UnsubscribeError> {
        match self {
            Subjects::One(one) => one.unsubscribe().await,
            Subjects::Many(many) => {
                let mut result = Ok(());
                for inner in many.iter_mut() {
                    if let Err(e) = inner.unsubscribe().await {
                        result = Err(e);
                    }
                }
                result
            }
        }
    }
}

/// A subscription on a JetStream channel: a pull consumer (its group's durable one, or its own)
/// read by a task into the subscription's queue. JetStream has flow control (the task pulls
/// what the queue has room for), so a full queue waits; the queue holds at most one pull's
/// worth, so that what waits in it is not delivered again for waiting past `ackWait`.
async fn subscribe_jetstream(
    connection: &NatsConnection,
    channel: &ChannelSpec,
    on: jetstream::Channel,
    subscription: Subscription,
) -> Result<NatsSubscriber, TransportError> {
    let stream = on.stream(&connection.jetstream, channel).await?;
    let consumer = on
        .consumer(&stream, channel, subscription.pattern())
        .await?;
    let ephemeral = channel
        .group("nats")
        .is_none()
        .then(|| consumer.cached_info().name.clone());
    let limits = connection.limits;
    let batch = limits.messages().clamp(1, MOST_PULLED);
    let limits = Limits::new(batch, limits.bytes());
    let subject = subscription.pattern().to_owned();
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(batch)
        .messages()
        .await
        .map_err(|e| TransportError::Open {
            address: channel.address.to_string(),
            source: Box::new(e),
        })?;
    let (tx, inbox) = queue(subject.clone(), limits, Overflow::Wait);
    let (stop, mut stopped) = oneshot::channel::<Stopped>();
    let mut closing = connection.closing.watch();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                message = messages.next() => match message {
                    Some(Ok(message)) => {
                        let (message, acker) = message.split();
                        let envelope = from_jetstream(message, acker);
                        if tx.send(envelope).await.is_err() {
                            break;
                        }
                    }
                    Some(Err(e)) => tx.broke(TransportError::Receive {
                        address: tx.address().to_owned(),
                        source: Box::new(e),
                    }),
                    None => break,
                },
                _ = std::future::poll_fn(|cx| closing.poll_closed(cx)) => break,
                asked = &mut stopped => {
                    if let Ok(reply) = asked {
                        let _ = reply.send(Ok(()));
                    }
                    break;
                }
            }
        }
        // A consumer of the subscription's own goes with it (the server would drop it once
        // idle anyway); a group's stays for its other members and its next one.
        if let Some(name) = ephemeral {
            let _ = stream.delete_consumer(&name).await;
        }
    });
    Ok(NatsSubscriber {
        inbox,
        stop: Some(stop),
        subject,
        subscription,
    })
}

/// How many messages one JetStream pull asks for at most.
const MOST_PULLED: usize = 256;

impl Stream for NatsSubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        this.inbox.poll_admitted(&this.subscription, cx)
    }
}

impl Subscriber for NatsSubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        self.inbox.close();
        let Some(stop) = self.stop.take() else {
            return Ok(());
        };
        let (reply, result) = oneshot::channel();
        if stop.send(reply).is_err() {
            // The task is over: the subscriptions went with it.
            return Ok(());
        }
        match result.await {
            Ok(Err(e)) => Err(TransportError::Closed(format!("{}: {e}", self.subject))),
            _ => Ok(()),
        }
    }
}
