//! RabbitMQ's direct reply-to: one AMQP channel per connection consumes the
//! `amq.rabbitmq.reply-to` pseudo-queue (without acknowledgements, as RabbitMQ requires) and
//! hands each reply to every subscription listening there (each request's exchange keeps the
//! reply with its correlation id); requests that want their reply there are published on that
//! same channel, which is what makes RabbitMQ route the reply back to it.
//!
//! Without acknowledgements there is no flow control: each listener's queue (the kit's, bounded
//! by the connection's subscription limits) drops a reply that finds it full and counts it (the
//! listener gets one `TransportError::Lagged`).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use lapin::options::{BasicConsumeOptions, ConfirmSelectOptions};
use lapin::types::FieldTable;

use asyncapi_runtime::delivery::{Fanout, Inbox, Limits, Overflow};
use asyncapi_runtime::transport::BoxError;

use crate::DIRECT_REPLY_TO;
use crate::envelope::AmqpEnvelope;
use crate::link::Link;

/// The subscriptions listening for replies.
type Listeners = Arc<Fanout<(), AmqpEnvelope>>;

/// The direct reply-to channel of a connection, opened when first needed and again on the
/// connection that replaces a broken one.
#[derive(Default)]
pub(crate) struct DirectReplies {
    active: tokio::sync::Mutex<Option<Active>>,
}

struct Active {
    generation: u64,
    channel: lapin::Channel,
    listeners: Listeners,
}

impl DirectReplies {
    /// The channel consuming the pseudo-queue on the current connection, and its listeners.
    async fn active(
        &self,
        link: &Link,
        patience: Duration,
    ) -> Result<(lapin::Channel, Listeners), BoxError> {
        let mut active = self.active.lock().await;
        if let Some(a) = &*active
            && link.still_open(a.generation, &a.channel)
        {
            return Ok((a.channel.clone(), Arc::clone(&a.listeners)));
        }
        let (generation, connection) = link
            .working(patience)
            .await
            .map_err(|e| BoxError::from(e.describe(&link.server)))?;
        let channel = connection.create_channel().await?;
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await?;
        let mut consumer = channel
            .basic_consume(
                DIRECT_REPLY_TO.into(),
                "".into(),
                BasicConsumeOptions {
                    no_ack: true,
                    ..BasicConsumeOptions::default()
                },
                FieldTable::default(),
            )
            .await?;
        let listeners = Listeners::default();
        let handing = Arc::clone(&listeners);
        let largest = link.options.max_message_size;
        tokio::spawn(async move {
            while let Some(Ok(delivery)) = consumer.next().await {
                let mut reply = crate::subscriber::envelope(delivery, None, None, largest);
                // The address the subscription listens on, not the channel's generated name.
                reply.envelope.address = DIRECT_REPLY_TO.to_owned();
                handing.try_deliver(reply, |_| true);
            }
            // The channel is gone: its listeners' streams end.
            handing.close();
        });
        *active = Some(Active {
            generation,
            channel: channel.clone(),
            listeners: Arc::clone(&listeners),
        });
        Ok((channel, listeners))
    }

    /// A subscription to the replies that come to this connection.
    pub async fn listen(
        &self,
        link: &Link,
        patience: Duration,
        limits: Limits,
    ) -> Result<Inbox<AmqpEnvelope>, BoxError> {
        let (_, listeners) = self.active(link, patience).await?;
        let (_, inbox) = listeners.subscribe((), DIRECT_REPLY_TO, limits, Overflow::Drop);
        Ok(inbox)
    }

    /// The channel a request whose replies come here is published on.
    pub async fn channel(
        &self,
        link: &Link,
        patience: Duration,
    ) -> Result<lapin::Channel, BoxError> {
        Ok(self.active(link, patience).await?.0)
    }
}
