//! Receiving: [`NatsSubscriber`], one subscription per subject (or per listed value of a
//! parameter inside a token), alone or in a queue group.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

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
#[derive(Debug)]
pub struct NatsSubscriber {
    inner: Vec<async_nats::Subscriber>,
    /// The subscription that yields next, so that no subject starves the others.
    next: usize,
    subject: String,
    /// What the subjects take (a parameter inside a token without listed values makes it
    /// broader than the channel).
    subscription: Subscription,
}

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
        Ok(NatsSubscriber {
            inner,
            next: 0,
            subject: subscription.patterns().join(" "),
            subscription,
        })
    }
}

impl Stream for NatsSubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let count = this.inner.len();
        loop {
            let mut open = false;
            let mut got = None;
            for k in 0..count {
                let i = (this.next + k) % count;
                match Pin::new(&mut this.inner[i]).poll_next(cx) {
                    Poll::Ready(Some(message)) => {
                        this.next = (i + 1) % count;
                        got = Some(message);
                        break;
                    }
                    Poll::Ready(None) => {}
                    Poll::Pending => open = true,
                }
            }
            match got {
                Some(message) => {
                    if let Some(envelope) = this.subscription.admit(from_nats(message), cx) {
                        return Poll::Ready(Some(Ok(envelope)));
                    }
                }
                None if open => return Poll::Pending,
                None => return Poll::Ready(None),
            }
        }
    }
}

impl Subscriber for NatsSubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        for inner in &mut self.inner {
            inner
                .unsubscribe()
                .await
                .map_err(|e| TransportError::Closed(format!("{}: {e}", self.subject)))?;
        }
        Ok(())
    }
}
