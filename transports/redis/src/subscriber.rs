//! [`RedisSubscriber`]: a pub/sub subscription or a stream read in a consumer group, as the
//! options say for the channel.

use asyncapi_runtime::transport::TransportError;

use crate::{RedisPubSubSubscriber, RedisStreamSubscriber};

/// A subscription: pub/sub or a stream, as the options say for the channel.
#[derive(Debug)]
pub enum RedisSubscriber {
    /// A pub/sub subscription (at most once).
    PubSub(RedisPubSubSubscriber),
    /// A stream read in a consumer group (at least once).
    Stream(RedisStreamSubscriber),
}

impl futures_core::Stream for RedisSubscriber {
    type Item = Result<asyncapi_runtime::envelope::Envelope, TransportError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        match self.get_mut() {
            RedisSubscriber::PubSub(s) => std::pin::Pin::new(s).poll_next(cx),
            RedisSubscriber::Stream(s) => std::pin::Pin::new(s).poll_next(cx),
        }
    }
}

impl asyncapi_runtime::transport::Subscriber for RedisSubscriber {
    type Envelope = asyncapi_runtime::envelope::Envelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        match self {
            RedisSubscriber::PubSub(s) => s.close().await,
            RedisSubscriber::Stream(s) => s.close().await,
        }
    }
}
