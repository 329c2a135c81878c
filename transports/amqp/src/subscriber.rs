//! Subscriptions: a queue (the channel's, or one bound to its exchange) consumed on a channel of
//! its own, each delivery carrying its acknowledgement.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicCancelOptions, BasicConsumeOptions, BasicNackOptions, BasicQosOptions,
    BasicRejectOptions,
};
use lapin::types::FieldTable;

use asyncapi_runtime::ack::{Acknowledgement, Outcome, Settle};
use asyncapi_runtime::address::AddressTemplate;
use asyncapi_runtime::delivery::{Inbox, Overflow, queue};
use asyncapi_runtime::envelope::{Envelope, Headers};
use asyncapi_runtime::transport::{
    Backoff, BoxError, BoxFuture, ChannelSpec, SendTimer, Subscriber, Subscription, TransportError,
};

use crate::encoding;
use crate::envelope::AmqpEnvelope;
use crate::link::{Link, State, Unavailable};
use crate::topology::{self, Target};
use crate::{AmqpConnection, AmqpOptions, DIRECT_REPLY_TO};

/// Receives the messages of one queue. When the connection breaks it yields one error, then
/// consumes again on the connection that replaces it (declaring and binding its queue again).
pub struct AmqpSubscriber {
    link: Arc<Link>,
    plan: Arc<Plan>,
    phase: Phase,
    /// Closed by the application: the end of the consumer is the end of the stream.
    closed: bool,
}

/// What a subscription consumes, and how: decided once, when it opens, so that it consumes the
/// same queue after a reconnection.
struct Plan {
    target: Target,
    /// The binding keys of the queue on the exchange (`routingKey` channels).
    keys: Vec<String>,
    /// What the keys take: deliveries it does not admit (a broader key's) are skipped.
    subscription: Option<Subscription>,
    /// The queue's name as the broker declared it.
    queue: String,
    /// The address its deliveries are read as having arrived on, when their routing key is not
    /// it: a queue channel's address (a message sent to the queue `order-commands` of channel
    /// `orders/commands` carries the queue's name as routing key, or a routing key of the
    /// sender's own choosing when the queue is also bound to an exchange), or a fanout or
    /// headers exchange's channel (which routes without keys).
    address: Option<String>,
    prefetch: u16,
    acknowledged: bool,
    /// How long settling a delivery may take (the send timeout), kept for all its deliveries.
    settling: SendTimer,
}

enum Phase {
    Consuming(Box<Live>),
    Reopening(BoxFuture<'static, Result<Consumed, Unavailable>>),
    /// The connection's direct reply-to replies.
    Direct(Inbox<AmqpEnvelope>),
    Ended,
}

/// A queue being consumed.
///
/// A task moves each delivery from lapin's consumer into the subscription's own queue (its
/// limits), building its envelope there, decompression included, so that `poll_next` does no
/// heavy work. Acknowledged deliveries wait for room (`Wait`: the prefetch holds the rest at
/// the broker); without acknowledgements (`ack: false`, where RabbitMQ ignores the prefetch
/// and lapin would buffer whatever comes) what does not fit is dropped and counted (`Drop`).
/// A delivery larger than the largest message is a `TooLarge` error for itself, rejected. The
/// task records why the consumer ended before the queue ends.
struct Live {
    /// The generation of the connection it is consumed on.
    generation: u64,
    channel: lapin::Channel,
    /// The consumer's tag, to cancel it.
    tag: lapin::types::ShortString,
    inbox: Inbox<AmqpEnvelope>,
    ended: Arc<std::sync::Mutex<Option<String>>>,
}

impl Live {
    fn new(plan: &Arc<Plan>, options: &AmqpOptions, consumed: Consumed) -> Live {
        let (generation, channel, mut consumer) = consumed;
        let tag = consumer.tag();
        let overflow = if plan.acknowledged {
            Overflow::Wait
        } else {
            Overflow::Drop
        };
        let (sender, inbox) = queue(plan.queue.clone(), options.subscription_limits, overflow);
        let ended = Arc::new(std::sync::Mutex::new(None));
        let why = Arc::clone(&ended);
        let plan = Arc::clone(plan);
        let largest = options.max_message_size;
        tokio::spawn(async move {
            use futures_util::StreamExt;
            let end = loop {
                let delivery = match consumer.next().await {
                    Some(Ok(delivery)) => delivery,
                    Some(Err(e)) => break Some(e.to_string()),
                    None => break None,
                };
                if delivery.data.len() > largest {
                    sender.broke(too_large(&plan, &delivery, largest));
                    if plan.acknowledged {
                        let _ = delivery.acker.reject(BasicRejectOptions::default()).await;
                    }
                    continue;
                }
                let settling = plan.acknowledged.then(|| plan.settling.clone());
                let envelope = if delivery.properties.content_encoding().is_some() {
                    // Decompressing is CPU work: off the runtime's threads.
                    let address = plan.address.clone();
                    let built = tokio::task::spawn_blocking(move || {
                        envelope(delivery, address.as_deref(), settling, largest)
                    });
                    match built.await {
                        Ok(envelope) => envelope,
                        Err(_) => continue,
                    }
                } else {
                    envelope(delivery, plan.address.as_deref(), settling, largest)
                };
                if sender.send(envelope).await.is_err() {
                    // The subscriber is gone.
                    return;
                }
            };
            *why.lock().unwrap_or_else(|e| e.into_inner()) = end;
            // Dropping the sender ends the queue, after what it holds.
        });
        Live {
            generation,
            channel,
            tag,
            inbox,
            ended,
        }
    }

    /// The next envelope, or a `TooLarge` or `Lagged` error (`Ok(..)`), or how the consumer
    /// ended (`Err(None)`: the broker ended it, `Err(Some(why))`: it failed).
    fn poll_delivery(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Result<AmqpEnvelope, TransportError>, Option<String>>> {
        match Pin::new(&mut self.inbox).poll_next(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(item)) => Poll::Ready(Ok(item)),
            Poll::Ready(None) => Poll::Ready(Err(self
                .ended
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take())),
        }
    }
}

/// The error for a delivery larger than `largest`.
fn too_large(plan: &Plan, delivery: &Delivery, largest: usize) -> TransportError {
    TransportError::TooLarge {
        address: plan
            .address
            .clone()
            .unwrap_or_else(|| delivery.routing_key.as_str().to_owned()),
        size: delivery.data.len(),
        limit: largest,
        direction: "takes",
        option: "AmqpOptions::max_message_size",
    }
}

/// A queue being consumed: the generation of the connection, the AMQP channel, the consumer.
type Consumed = (u64, lapin::Channel, lapin::Consumer);

impl std::fmt::Debug for AmqpSubscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpSubscriber")
            .field("queue", &self.plan.queue)
            .field("acknowledged", &self.plan.acknowledged)
            .finish_non_exhaustive()
    }
}

impl AmqpSubscriber {
    /// The queue it consumes.
    pub fn queue(&self) -> &str {
        &self.plan.queue
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
    let fixed: Vec<(&str, &str)> = spec
        .params
        .iter()
        .map(|(n, v)| (n.as_ref(), v.as_str()))
        .collect();
    let concrete = AddressTemplate::parse(&spec.address)
        .ok()
        .and_then(|t| t.build(&fixed).ok());
    if concrete.as_deref() == Some(DIRECT_REPLY_TO) {
        let replies = connection
            .link
            .direct
            .listen(
                &connection.link,
                connection.link.options.connect_timeout,
                connection.link.options.subscription_limits,
            )
            .await
            .map_err(open_err)?;
        return Ok(AmqpSubscriber {
            link: Arc::clone(&connection.link),
            plan: Arc::new(Plan {
                target: Target::of(spec, concrete.as_deref(), &connection.link.options),
                keys: Vec::new(),
                subscription: None,
                queue: DIRECT_REPLY_TO.to_owned(),
                address: None,
                prefetch: 0,
                acknowledged: false,
                settling: SendTimer::new(connection.link.options.send_timeout),
            }),
            phase: Phase::Direct(replies),
            closed: false,
        });
    }
    let target = Target::of(spec, concrete.as_deref(), &connection.link.options);
    let (keys, subscription, address) = match &target {
        Target::Exchange { exchange, .. } => {
            let keyless = matches!(
                exchange.kind,
                lapin::ExchangeKind::Fanout | lapin::ExchangeKind::Headers
            );
            let (keys, subscription) = topology::binding_keys(spec, exchange)?;
            (
                keys,
                Some(subscription).filter(|_| !keyless),
                concrete.clone().filter(|_| keyless),
            )
        }
        Target::Queue(queue) => {
            if concrete.is_none() && queue.name == spec.address {
                return Err(open_err(
                    "a queue is one name: a subscription to it fixes every parameter".into(),
                ));
            }
            (Vec::new(), None, concrete.clone())
        }
    };
    let mut plan = Plan {
        target,
        keys,
        subscription,
        queue: String::new(),
        address,
        prefetch: connection.link.options.effective_prefetch(),
        settling: SendTimer::new(connection.link.options.send_timeout),
        acknowledged: spec.bindings.amqp_operation.as_ref().and_then(|o| o.ack) != Some(false),
    };
    let (generation, channel) = connection.channel_for(spec).await?;
    let (queue, consumer) = consume(&channel, &plan).await.map_err(open_err)?;
    plan.queue = queue;
    let plan = Arc::new(plan);
    let live = Live::new(
        &plan,
        &connection.link.options,
        (generation, channel, consumer),
    );
    Ok(AmqpSubscriber {
        link: Arc::clone(&connection.link),
        plan,
        phase: Phase::Consuming(Box::new(live)),
        closed: false,
    })
}

/// Declares (and binds) the plan's queue on `channel` and consumes it; returns the queue's name.
async fn consume(
    channel: &lapin::Channel,
    plan: &Plan,
) -> Result<(String, lapin::Consumer), BoxError> {
    channel
        .basic_qos(plan.prefetch, BasicQosOptions::default())
        .await?;
    let queue = match &plan.target {
        Target::Exchange { exchange, queue } => {
            topology::declare_exchange(channel, exchange).await?;
            let name = topology::declare_queue(channel, queue).await?;
            if !exchange.name.is_empty() {
                for key in &plan.keys {
                    topology::bind(channel, &name, exchange, key).await?;
                }
            }
            name
        }
        Target::Queue(queue) => topology::declare_queue(channel, queue).await?,
    };
    let consumer = channel
        .basic_consume(
            queue.as_str().into(),
            "".into(),
            BasicConsumeOptions {
                no_ack: !plan.acknowledged,
                ..BasicConsumeOptions::default()
            },
            FieldTable::default(),
        )
        .await?;
    Ok((queue, consumer))
}

/// Consumes the plan's queue again once there is a connection that works: the current one if
/// only the AMQP channel broke, else the one that replaces the `generation`th. Failures (a
/// broker still cleaning up the broken connection's exclusive queue) are tried again with
/// growing waits; only a closed connection ends it.
async fn reconsume(
    link: Arc<Link>,
    plan: Arc<Plan>,
    generation: u64,
) -> Result<Consumed, Unavailable> {
    // Reached only with reconnection on (see `poll_next`).
    let (first, longest) = link.options.reconnect.unwrap_or(crate::DEFAULT_RECONNECT);
    let mut backoff = Backoff::new(first, longest);
    let mut after = generation;
    loop {
        let (current, connection) = match link.state() {
            State::Up {
                generation,
                connection,
            } if connection.status().connected() => (generation, connection),
            State::Closed => return Err(Unavailable::Closed),
            _ => link.newer_than(after).await?,
        };
        let attempt = async {
            let channel = connection.create_channel().await?;
            let (_, consumer) = consume(&channel, &plan).await?;
            Ok::<_, BoxError>((channel, consumer))
        };
        match attempt.await {
            Ok((channel, consumer)) => {
                tracing::info!(target: "asyncapi", queue = %plan.queue, "AMQP subscription consuming again");
                return Ok((current, channel, consumer));
            }
            Err(e) => {
                tracing::warn!(target: "asyncapi", queue = %plan.queue, error = %e, next = ?backoff.next_wait(), "AMQP subscription not back yet");
                after = current;
                backoff.wait().await;
            }
        }
    }
}

/// The envelope of a delivery, arrived on `address` (its routing key when `None`), its body
/// decompressed (to at most `largest` bytes) where its content encoding says; with its
/// acknowledgement (settled within `settling`'s timeout) unless the delivery needs none.
pub(crate) fn envelope(
    delivery: Delivery,
    address: Option<&str>,
    settling: Option<SendTimer>,
    largest: usize,
) -> AmqpEnvelope {
    let p = &delivery.properties;
    let mut headers = Headers::new();
    if let Some(table) = p.headers() {
        for (name, value) in table.inner() {
            if let Some(v) = crate::headers::value(value) {
                headers.append(name.as_str(), v);
            }
        }
    }
    let text = |s: &Option<lapin::types::ShortString>| s.as_ref().map(|s| s.as_str().to_owned());
    let content_encoding = text(p.content_encoding());
    let mut payload = Bytes::from(delivery.data);
    match content_encoding
        .as_deref()
        .and_then(|coding| encoding::decode(coding, &payload, largest))
    {
        Some(Ok(decoded)) => payload = Bytes::from(decoded),
        // Left as it came: decoding it fails, an error for this message alone.
        Some(Err(e)) => {
            tracing::warn!(target: "asyncapi", queue = %delivery.routing_key, encoding = ?content_encoding, error = %e, "AMQP payload does not decompress as its content-encoding says")
        }
        None => {}
    }
    let inner = Envelope {
        address: address.unwrap_or(delivery.routing_key.as_str()).to_owned(),
        payload,
        content_type: p
            .content_type()
            .as_ref()
            .map(|c| asyncapi_runtime::envelope::content_type_of(c.as_str())),
        headers,
        reply_to: text(p.reply_to()),
        correlation_id: text(p.correlation_id()),
        acknowledgement: settling.map(|timer| {
            Acknowledgement::new(DeliveryAck {
                acker: delivery.acker,
                timer,
            })
        }),
    };
    AmqpEnvelope {
        envelope: inner,
        content_encoding,
        message_type: text(p.kind()),
        exchange: Some(delivery.exchange.as_str().to_owned()),
        redelivered: delivery.redelivered,
    }
}

/// The acknowledgement of one delivery.
struct DeliveryAck {
    acker: lapin::Acker,
    /// How long settling may wait for the connection (a broken one never answers).
    timer: SendTimer,
}

impl DeliveryAck {
    /// The AMQP method of `outcome`, as errors name it.
    fn method(outcome: Outcome) -> &'static str {
        match outcome {
            Outcome::Ack => "basic.ack",
            Outcome::Nack => "basic.nack",
            Outcome::Reject => "basic.reject",
        }
    }

    /// The method of `outcome` sent, and written by lapin's connection. lapin queues the command
    /// at the first poll; what is left is learning that it was written.
    async fn written(&self, outcome: Outcome) -> Result<(), TransportError> {
        let written = match outcome {
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
        written.map(drop).map_err(|e| TransportError::Send {
            address: Self::method(outcome).to_owned(),
            source: Box::new(e),
        })
    }
}

impl Settle for DeliveryAck {
    fn settle(self: Box<Self>, outcome: Outcome) -> BoxFuture<'static, Result<(), TransportError>> {
        Box::pin(async move {
            let method = Self::method(outcome);
            self.timer
                .confirmed(method, self.written(outcome))
                .await
                .map_err(|e| match e {
                    TransportError::Unconfirmed { timeout, .. } => TransportError::Send {
                        address: method.to_owned(),
                        source: format!(
                            "not written within {timeout:?}: the connection is broken, and the broker delivers the message again"
                        )
                        .into(),
                    },
                    other => other,
                })
        })
    }

    /// Committed once lapin has queued the command (its first poll): a connection that breaks
    /// before writing it is the subscription's to report (it opens its channel again), and the
    /// broker delivers again what it holds unacknowledged, so waiting to learn it was written
    /// would tell nobody anything.
    fn settle_detached(
        self: Box<Self>,
        outcome: Outcome,
    ) -> Option<BoxFuture<'static, Result<(), TransportError>>> {
        let mut written = Box::pin(async move { self.written(outcome).await });
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match written.as_mut().poll(&mut cx) {
            Poll::Ready(done) => Some(Box::pin(std::future::ready(done))),
            Poll::Pending => None,
        }
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

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.phase {
                Phase::Consuming(live) => {
                    let ended = match live.poll_delivery(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Ok(Ok(envelope))) => match &this.plan.subscription {
                            Some(s) => match s.admit(envelope, cx) {
                                Some(envelope) => return Poll::Ready(Some(Ok(envelope))),
                                None => continue,
                            },
                            None => return Poll::Ready(Some(Ok(envelope))),
                        },
                        Poll::Ready(Ok(Err(error))) => return Poll::Ready(Some(Err(error))),
                        Poll::Ready(Err(ended)) => ended,
                    };
                    let generation = live.generation;
                    if this.closed || matches!(this.link.state(), State::Closed) {
                        this.phase = Phase::Ended;
                        return Poll::Ready(None);
                    }
                    let what = match ended {
                        Some(e) => format!("the consumer failed: {e}"),
                        None => "the broker ended the consumer".to_owned(),
                    };
                    let error = |what: String| TransportError::Receive {
                        address: this.plan.queue.clone(),
                        source: what.into(),
                    };
                    if this.link.options.reconnect.is_none() {
                        this.phase = Phase::Ended;
                        return Poll::Ready(Some(Err(error(what))));
                    }
                    this.phase = Phase::Reopening(Box::pin(reconsume(
                        Arc::clone(&this.link),
                        Arc::clone(&this.plan),
                        generation,
                    )));
                    return Poll::Ready(Some(Err(error(format!(
                        "{what}; consuming again once the connection is back (unacknowledged messages are delivered again)"
                    )))));
                }
                Phase::Reopening(reopening) => match reopening.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(consumed)) => {
                        let live = Live::new(&this.plan, &this.link.options, consumed);
                        this.phase = Phase::Consuming(Box::new(live));
                    }
                    Poll::Ready(Err(_)) => {
                        this.phase = Phase::Ended;
                        return Poll::Ready(None);
                    }
                },
                Phase::Direct(replies) => {
                    return Pin::new(replies).poll_next(cx);
                }
                Phase::Ended => return Poll::Ready(None),
            }
        }
    }
}

impl Subscriber for AmqpSubscriber {
    type Envelope = AmqpEnvelope;

    async fn close(&mut self) -> Result<(), TransportError> {
        self.closed = true;
        match std::mem::replace(&mut self.phase, Phase::Ended) {
            Phase::Consuming(live) if live.channel.status().connected() => live
                .channel
                .basic_cancel(live.tag.clone(), BasicCancelOptions::default())
                .await
                .map_err(|e| TransportError::Closed(format!("{}: {e}", self.plan.queue))),
            _ => Ok(()),
        }
    }
}

impl Drop for AmqpSubscriber {
    /// Cancels the consumer (its task ends with it); what the broker sent and nobody settled
    /// goes back to the queue.
    fn drop(&mut self) {
        if let Phase::Consuming(live) = &self.phase
            && live.channel.status().connected()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            let (channel, tag) = (live.channel.clone(), live.tag.clone());
            runtime.spawn(async move {
                let _ = channel
                    .basic_cancel(tag, BasicCancelOptions::default())
                    .await;
            });
        }
    }
}
