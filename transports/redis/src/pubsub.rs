//! Pub/sub subscriptions: `SUBSCRIBE`/`PSUBSCRIBE` on a RESP3 connection of their own, whose
//! push messages become envelopes; the connection reconnects and subscribes again by itself, and
//! the stream yields one error for each break.
//!
//! Pub/sub has no flow control (the redis crate reads pushes as they come, and Redis itself
//! would drop a client that stopped reading), so a subscription's queue (the kit's, bounded by
//! the connection's subscription limits) drops what finds it full and counts it: a slow
//! subscriber gets one `TransportError::Lagged` with the count, then the messages after.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use redis::aio::ConnectionManager;
use redis::{PushKind, Value};

use asyncapi_runtime::delivery::{Inbox, Overflow, queue};
use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, CloseWatch, Subscriber, Subscription, TransportError,
};

use crate::{RedisConnection, WILDCARDS, manager_config};

/// How many channels one subscription listens to at most (one per listed value of a parameter
/// inside a level); past that it listens to the broader pattern.
const MOST_CHANNELS: usize = 32;

/// Receives the messages published on one channel, or on every channel a pattern matches.
pub struct RedisPubSubSubscriber {
    connection: ConnectionManager,
    /// The messages of the pushes, and one error per break.
    inbox: Inbox<Envelope>,
    /// The channels or patterns subscribed to, and whether they are patterns.
    targets: Vec<String>,
    pattern: bool,
    /// What the pattern takes (a parameter inside a level makes it broader than the channel).
    subscription: Subscription,
    /// The connection's close.
    closed: CloseWatch,
}

impl std::fmt::Debug for RedisPubSubSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisPubSubSubscriber")
            .field("targets", &self.targets)
            .field("pattern", &self.pattern)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn subscribe(
    connection: &RedisConnection,
    channel: &ChannelSpec,
) -> Result<RedisPubSubSubscriber, TransportError> {
    let open_err = |source: BoxError| TransportError::Open {
        address: channel.address.to_string(),
        source,
    };
    // One channel per listed value of a parameter inside a level, or a pattern.
    let subscription = channel.subscription(&WILDCARDS, MOST_CHANNELS)?;
    let targets = subscription.patterns().to_vec();
    let pattern = subscription.has_wildcards();
    let (tx, inbox) = queue(
        targets.join(" "),
        connection.options.subscription_limits,
        Overflow::Drop,
    );
    let told = connection.server().to_owned();
    let again = connection.options.reconnect.bounds().is_some();
    let pushes = move |push: redis::PushInfo| {
        if push.kind == PushKind::Disconnection {
            // One error for the break: what is published until the subscription is back is
            // not kept for it. With `Reconnect::Never`, the stream ends after it.
            let then = if again {
                "subscribing again (pub/sub keeps nothing: messages published meanwhile are lost)"
            } else {
                "not connecting again"
            };
            tracing::warn!(target: "asyncapi", server = %told, "Redis subscription connection lost; {then}");
            tx.broke(TransportError::Receive {
                address: tx.address().to_owned(),
                source: format!("the connection to {told} broke; {then}").into(),
            });
            if !again {
                tx.close();
            }
            return Ok(());
        }
        match envelope(push) {
            Some(envelope) => tx
                .try_send(envelope)
                .map_err(|_| "the subscription is gone"),
            None => Ok(()),
        }
    };
    let config = manager_config(&connection.options, None)
        .set_push_sender(pushes)
        .set_automatic_resubscription();
    let mut manager = ConnectionManager::new_with_config(connection.client.clone(), config)
        .await
        .map_err(|e| open_err(Box::new(e)))?;
    let subscribed = if pattern {
        manager.psubscribe(&targets).await
    } else {
        manager.subscribe(&targets).await
    };
    subscribed.map_err(|e| open_err(Box::new(e)))?;
    Ok(RedisPubSubSubscriber {
        connection: manager,
        inbox,
        targets,
        pattern,
        subscription,
        closed: connection.closing.watch(),
    })
}

fn bytes(value: Value) -> Option<Vec<u8>> {
    match value {
        Value::BulkString(b) => Some(b),
        Value::SimpleString(s) => Some(s.into_bytes()),
        _ => None,
    }
}

/// The envelope of a `message` (`[channel, payload]`) or `pmessage` (`[pattern, channel,
/// payload]`) push; the payload is not copied.
fn envelope(push: redis::PushInfo) -> Option<Envelope> {
    let mut data = push.data.into_iter();
    let (channel, payload) = match (push.kind, data.len()) {
        (PushKind::Message, 2) => (data.next()?, data.next()?),
        (PushKind::PMessage, 3) => (data.nth(1)?, data.next()?),
        _ => return None,
    };
    let address = String::from_utf8(bytes(channel)?)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Some(Envelope::new(address).with_payload(Bytes::from(bytes(payload)?)))
}

impl Stream for RedisPubSubSubscriber {
    type Item = Result<Envelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.closed.poll_closed(cx).is_ready() {
            return Poll::Ready(None);
        }
        let this = &mut *self;
        this.inbox.poll_admitted(&this.subscription, cx)
    }
}

impl Subscriber for RedisPubSubSubscriber {
    type Envelope = Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        // The stream ends now, whatever Redis answers.
        self.inbox.close();
        let targets = self.targets.clone();
        let result = if self.pattern {
            self.connection.punsubscribe(&targets).await
        } else {
            self.connection.unsubscribe(&targets).await
        };
        result.map_err(|e| TransportError::Closed(format!("{}: {e}", targets.join(" "))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_and_pmessage_pushes_are_envelopes() {
        let push = redis::PushInfo {
            kind: PushKind::PMessage,
            data: vec![
                Value::BulkString(b"lights:*".to_vec()),
                Value::BulkString(b"lights:7".to_vec()),
                Value::BulkString(b"{}".to_vec()),
            ],
        };
        let e = envelope(push).unwrap();
        assert_eq!(
            (e.address.as_str(), e.payload.as_ref()),
            ("lights:7", &b"{}"[..])
        );
        let push = redis::PushInfo {
            kind: PushKind::Subscribe,
            data: vec![Value::BulkString(b"lights".to_vec()), Value::Int(1)],
        };
        assert!(envelope(push).is_none());
    }
}
