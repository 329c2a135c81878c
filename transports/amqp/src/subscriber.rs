//! Subscriptions: a queue (the channel's, or one bound to its exchange) consumed on a channel of
//! its own, each delivery carrying its acknowledgement.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions,
    BasicRejectOptions,
};
use lapin::types::{AMQPValue, FieldTable};

use asyncapi_runtime::ack::{Acknowledgement, Outcome, Settle};
use asyncapi_runtime::address::AddressTemplate;
use asyncapi_runtime::envelope::{Envelope, Headers};
use asyncapi_runtime::transport::{BoxError, BoxFuture, ChannelSpec, Subscriber, TransportError};

use crate::AmqpConnection;
use crate::envelope::AmqpEnvelope;
use crate::topology::{self, Target};

/// Receives the messages of one queue.
pub struct AmqpSubscriber {
    channel: lapin::Channel,
    consumer: lapin::Consumer,
    queue: String,
    acknowledged: bool,
}

impl std::fmt::Debug for AmqpSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpSubscriber")
            .field("queue", &self.queue)
            .field("acknowledged", &self.acknowledged)
            .finish_non_exhaustive()
    }
}

impl AmqpSubscriber {
    /// The queue it consumes.
    pub fn queue(&self) -> &str {
        &self.queue
    }
}

pub(crate) async fn open(
    connection: &AmqpConnection,
    spec: &ChannelSpec,
) -> Result<AmqpSubscriber, TransportError> {
    let open_err = |source: BoxError| TransportError::Open {
        address: spec.address.to_string(),
        source,
    };
    let channel = connection.channel_for(spec).await?;
    channel
        .basic_qos(connection.options.prefetch, BasicQosOptions::default())
        .await
        .map_err(|e| open_err(Box::new(e)))?;
    let fixed: Vec<(&str, &str)> = spec
        .params
        .iter()
        .map(|(n, v)| (n.as_ref(), v.as_str()))
        .collect();
    let concrete = AddressTemplate::parse(&spec.address)
        .ok()
        .and_then(|t| t.build(&fixed).ok());
    let queue = match Target::of(spec, concrete.as_deref(), &connection.options) {
        Target::Exchange { exchange, queue } => {
            topology::declare_exchange(&channel, &exchange)
                .await
                .map_err(|e| open_err(Box::new(e)))?;
            let name = topology::declare_queue(&channel, &queue)
                .await
                .map_err(|e| open_err(Box::new(e)))?;
            let key = topology::binding_key(spec, &exchange)?;
            if !exchange.name.is_empty() {
                topology::bind(&channel, &name, &exchange, &key)
                    .await
                    .map_err(|e| open_err(Box::new(e)))?;
            }
            name
        }
        Target::Queue(queue) => {
            if concrete.is_none() && queue.name == spec.address {
                return Err(open_err(
                    "a queue is one name: a subscription to it fixes every parameter".into(),
                ));
            }
            topology::declare_queue(&channel, &queue)
                .await
                .map_err(|e| open_err(Box::new(e)))?
        }
    };
    let acknowledged = spec.bindings.amqp_operation.as_ref().and_then(|o| o.ack) != Some(false);
    let consumer = channel
        .basic_consume(
            queue.as_str().into(),
            "".into(),
            BasicConsumeOptions {
                no_ack: !acknowledged,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await
        .map_err(|e| open_err(Box::new(e)))?;
    Ok(AmqpSubscriber {
        channel,
        consumer,
        queue,
        acknowledged,
    })
}

/// A header value as text or bytes; numbers and booleans as they print.
fn header_value(value: &AMQPValue) -> Option<Vec<u8>> {
    Some(match value {
        AMQPValue::LongString(s) => s.as_bytes().to_vec(),
        AMQPValue::ShortString(s) => s.as_str().as_bytes().to_vec(),
        AMQPValue::ByteArray(b) => b.as_slice().to_vec(),
        AMQPValue::Boolean(b) => b.to_string().into_bytes(),
        AMQPValue::ShortShortInt(n) => n.to_string().into_bytes(),
        AMQPValue::ShortShortUInt(n) => n.to_string().into_bytes(),
        AMQPValue::ShortInt(n) => n.to_string().into_bytes(),
        AMQPValue::ShortUInt(n) => n.to_string().into_bytes(),
        AMQPValue::LongInt(n) => n.to_string().into_bytes(),
        AMQPValue::LongUInt(n) => n.to_string().into_bytes(),
        AMQPValue::LongLongInt(n) => n.to_string().into_bytes(),
        AMQPValue::Timestamp(n) => n.to_string().into_bytes(),
        AMQPValue::Float(n) => n.to_string().into_bytes(),
        AMQPValue::Double(n) => n.to_string().into_bytes(),
        _ => return None,
    })
}

fn envelope(delivery: Delivery, acknowledged: bool) -> AmqpEnvelope {
    let p = &delivery.properties;
    let mut headers = Headers::new();
    if let Some(table) = p.headers() {
        for (name, value) in table.inner() {
            if let Some(v) = header_value(value) {
                headers.append(name.as_str(), v);
            }
        }
    }
    let text = |s: &Option<lapin::types::ShortString>| s.as_ref().map(|s| s.as_str().to_owned());
    let inner = Envelope {
        address: delivery.routing_key.as_str().to_owned(),
        payload: Bytes::from(delivery.data),
        content_type: text(p.content_type()),
        headers,
        reply_to: text(p.reply_to()),
        correlation_id: text(p.correlation_id()),
        acknowledgement: acknowledged.then(|| {
            Acknowledgement::new(DeliveryAck {
                acker: delivery.acker,
            })
        }),
    };
    AmqpEnvelope {
        envelope: inner,
        content_encoding: text(p.content_encoding()),
        message_type: text(p.kind()),
        exchange: Some(delivery.exchange.as_str().to_owned()),
        redelivered: delivery.redelivered,
    }
}

/// The acknowledgement of one delivery.
struct DeliveryAck {
    acker: lapin::Acker,
}

impl Settle for DeliveryAck {
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        Box::pin(async move {
            let result = match outcome {
                Outcome::Ack => self.acker.ack(BasicAckOptions::default()).await,
                Outcome::Nack => {
                    self.acker
                        .nack(BasicNackOptions {
                            requeue: true,
                            ..BasicNackOptions::default()
                        })
                        .await
                }
                Outcome::Reject => {
                    self.acker
                        .reject(BasicRejectOptions { requeue: false })
                        .await
                }
            };
            result.map(drop).map_err(|e| TransportError::Send {
                address: format!("basic.{outcome:?}").to_lowercase(),
                source: Box::new(e),
            })
        })
    }

    /// Nobody will settle it: back to the queue, for this consumer or another.
    fn abandoned(self: Box<Self>) {
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = self
                    .acker
                    .nack(BasicNackOptions {
                        requeue: true,
                        ..BasicNackOptions::default()
                    })
                    .await;
            });
        }
    }
}

impl Stream for AmqpSubscriber {
    type Item = Result<AmqpEnvelope, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let acknowledged = self.acknowledged;
        let queue = self.queue.clone();
        Pin::new(&mut self.consumer).poll_next(cx).map(|item| {
            item.map(|delivery| {
                delivery
                    .map(|d| envelope(d, acknowledged))
                    .map_err(|e| TransportError::Receive {
                        address: queue,
                        source: Box::new(e),
                    })
            })
        })
    }
}

impl Subscriber for AmqpSubscriber {
    type Envelope = AmqpEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        let tag = self.consumer.tag();
        self.channel
            .basic_cancel(tag, BasicCancelOptions::default())
            .await
            .map_err(|e| TransportError::Closed(format!("{}: {e}", self.queue)))
    }
}
