//! Receiving: [`NatsSubscriber`], one subscription per subject (or per listed value of a
//! parameter inside a token), alone or in a queue group.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use tokio::sync::oneshot;

use asyncapi_runtime::delivery::{Inbox, Overflow, queue};
use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Consumer, Subscriber, Subscription, TransportError,
};

use crate::envelope::from_nats;
use crate::{NatsConnection, WILDCARDS};

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
        let subscription = channel.subscription(&WILDCARDS, MOST_SUBJECTS)?;
        let mut inner = Vec::with_capacity(subscription.patterns().len());
        for subject in subscription.patterns() {
            let subscribed = match &channel.queue_group {
                Some(group) => {
                    self.client
                        .queue_subscribe(subject.clone(), group.clone())
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
            let mut messages = futures_util::stream::select_all(inner);
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
                        let mut result = Ok(());
                        for inner in messages.iter_mut() {
                            if let Err(e) = inner.unsubscribe().await {
                                result = Err(e);
                            }
                        }
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
