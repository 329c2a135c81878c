//! Receiving: [`WsSubscriber`], the frames of one channel's path, on a client's socket or a
//! server's connections, through the subscription's queue (the kit's).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_core::Stream;

use asyncapi_runtime::delivery::{Inbox, Overflow};
use asyncapi_runtime::transport::{ChannelSpec, Consumer, Replies, Subscriber, TransportError};

use crate::connection::WsConnection;
use crate::envelope::WsEnvelope;
use crate::options::client_path;

/// Receives the frames of one WebSocket channel, on a client or a server.
pub struct WsSubscriber {
    pub(crate) inbox: Inbox<WsEnvelope>,
    pub(crate) id: u64,
    pub(crate) detach: Box<dyn Fn(u64) + Send + Sync>,
}

impl std::fmt::Debug for WsSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WsSubscriber")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Consumer for WsConnection {
    type Subscriber = WsSubscriber;

    /// Replies come back on the connection the request went out on.
    const REPLIES: Replies = Replies::OnRequestConnection;

    async fn subscriber(&self, channel: &ChannelSpec) -> Result<WsSubscriber, TransportError> {
        asyncapi_runtime::transport::refuse_group(channel, "ws", "WebSocket")?;
        let path = client_path(channel)?;
        let socket = self.socket(channel, &path).await?;
        let (id, inbox) = socket.subscribers.subscribe(
            (),
            path,
            self.inner.options.subscription_limits,
            Overflow::Wait,
        );
        let weak = Arc::downgrade(&socket);
        Ok(WsSubscriber {
            inbox,
            id,
            detach: Box::new(move |id| {
                if let Some(s) = weak.upgrade() {
                    s.subscribers.remove(id);
                }
            }),
        })
    }
}

impl Stream for WsSubscriber {
    type Item = Result<WsEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inbox).poll_next(cx)
    }
}

impl Subscriber for WsSubscriber {
    type Envelope = WsEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        (self.detach)(self.id);
        self.inbox.close();
        Ok(())
    }
}

impl Drop for WsSubscriber {
    fn drop(&mut self) {
        (self.detach)(self.id);
    }
}
