//! Sends: `basic.publish` with the document's properties, resolved on publisher confirms.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::types::{AMQPValue, FieldArray, FieldTable, LongString};
use lapin::{BasicProperties, Confirmation};
use tracing::Instrument;

use asyncapi_runtime::bindings::AmqpOperation;
use asyncapi_runtime::transport::check_send_size;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Publisher, PublisherState, TransportError,
};

use crate::encoding;
use crate::envelope::AmqpEnvelope;
use crate::link::Link;
use crate::topology::{self, Target};
use crate::{AmqpConnection, DIRECT_REPLY_TO};

/// Sends on an AMQP channel: to its exchange with the address as routing key, or to its queue.
/// Its AMQP channel is opened again, with the topology declared again, on the connection that
/// replaces a broken one.
#[derive(Clone)]
pub struct AmqpPublisher {
    shared: Arc<Shared>,
}

struct Shared {
    link: Arc<Link>,
    /// The exchange, and the queue name when the binding names the queue.
    exchange: String,
    queue: Option<String>,
    /// What to declare on each AMQP channel it opens.
    declare: Declare,
    operation: AmqpOperation,
    timeout: Duration,
    /// The send timeout of the publisher's sends, kept by one ticking task.
    timer: asyncapi_runtime::transport::SendTimer,
    state: PublisherState,
    /// The AMQP channel in confirm mode, and the generation of the connection it is on.
    channel: tokio::sync::Mutex<Option<(u64, lapin::Channel)>>,
}

/// What a publisher declares before it sends.
enum Declare {
    Exchange(topology::Exchange),
    Queue(topology::Queue),
    Nothing,
}

impl std::fmt::Debug for AmqpPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpPublisher")
            .field("channel", &self.shared.state.channel())
            .field("exchange", &self.shared.exchange)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn open(
    connection: &AmqpConnection,
    spec: &ChannelSpec,
) -> Result<AmqpPublisher, TransportError> {
    let (generation, channel) = connection.channel_for(spec).await?;
    let has_params = asyncapi_runtime::address::AddressTemplate::parse(&spec.address)
        .map(|t| t.params().next().is_some())
        .unwrap_or(false);
    let named_queue = spec
        .bindings
        .amqp
        .as_ref()
        .and_then(|a| a.queue.as_ref())
        .and_then(|q| q.name.as_ref())
        .map(|n| n.to_string());
    let (exchange, queue, declare) = match Target::of(spec, None, &connection.link.options) {
        Target::Exchange { exchange, .. } => {
            (exchange.name.clone(), None, Declare::Exchange(exchange))
        }
        Target::Queue(queue) => {
            // A queue whose name depends on parameters (a reply queue) is the receiver's to
            // declare; one of a fixed name is declared so that nothing sent before its
            // consumer comes is lost.
            // The broker's own (`amq.*`: direct reply-to) are never declared.
            let declare = if queue.name.starts_with("amq.") {
                Declare::Nothing
            } else if named_queue.is_some() || !has_params {
                Declare::Queue(queue)
            } else {
                Declare::Nothing
            };
            (String::new(), named_queue, declare)
        }
    };
    let shared = Shared {
        link: Arc::clone(&connection.link),
        exchange,
        queue,
        declare,
        operation: spec.bindings.amqp_operation.clone().unwrap_or_default(),
        timeout: connection.link.options.send_timeout,
        timer: asyncapi_runtime::transport::SendTimer::new(connection.link.options.send_timeout),
        state: PublisherState::new(spec),
        channel: tokio::sync::Mutex::new(None),
    };
    shared
        .prepare(&channel)
        .await
        .map_err(|source| TransportError::Open {
            address: spec.address.to_string(),
            source,
        })?;
    *shared.channel.lock().await = Some((generation, channel));
    Ok(AmqpPublisher {
        shared: Arc::new(shared),
    })
}

impl Shared {
    /// Declares what the channel needs on a fresh AMQP channel and turns confirms on.
    async fn prepare(&self, channel: &lapin::Channel) -> Result<(), BoxError> {
        match &self.declare {
            Declare::Exchange(exchange) => topology::declare_exchange(channel, exchange).await?,
            Declare::Queue(queue) => drop(topology::declare_queue(channel, queue).await?),
            Declare::Nothing => {}
        }
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .map_err(|e| Box::new(e) as BoxError)
    }

    /// The AMQP channel to send on: the one it has while it is open on the current connection,
    /// or a new one (declared and in confirm mode) on the current connection, waiting for a
    /// broken one to come back at most `patience`.
    async fn channel(&self, patience: Duration) -> Result<lapin::Channel, BoxError> {
        let mut slot = self.channel.lock().await;
        if let Some((generation, channel)) = &*slot
            && self.link.still_open(*generation, channel)
        {
            return Ok(channel.clone());
        }
        let (generation, connection) = self
            .link
            .working(patience)
            .await
            .map_err(|e| BoxError::from(e.describe(&self.link.server)))?;
        let channel = connection.create_channel().await?;
        self.prepare(&channel).await?;
        *slot = Some((generation, channel.clone()));
        Ok(channel)
    }
}

fn text_array(values: &[std::borrow::Cow<'static, str>]) -> AMQPValue {
    AMQPValue::FieldArray(FieldArray::from(
        values
            .iter()
            .map(|v| AMQPValue::LongString(LongString::from(v.as_bytes())))
            .collect::<Vec<_>>(),
    ))
}

/// The message's properties: the envelope's, then the operation binding's.
pub(crate) fn properties(envelope: &AmqpEnvelope, op: &AmqpOperation) -> BasicProperties {
    let e = &envelope.envelope;
    let mut headers = FieldTable::default();
    for (name, value) in e.headers.iter() {
        headers.insert(name.into(), crate::headers::field(value));
    }
    if !op.cc.is_empty() {
        headers.insert("CC".into(), text_array(&op.cc));
    }
    if !op.bcc.is_empty() {
        headers.insert("BCC".into(), text_array(&op.bcc));
    }
    let mut p = BasicProperties::default().with_headers(headers);
    if let Some(ct) = &e.content_type {
        p = p.with_content_type(ct.as_ref().into());
    }
    if let Some(id) = &e.correlation_id {
        p = p.with_correlation_id(id.as_str().into());
    }
    match (&e.reply_to, &op.reply_to) {
        (Some(reply), _) => p = p.with_reply_to(reply.as_str().into()),
        (None, Some(reply)) => p = p.with_reply_to(reply.as_ref().into()),
        (None, None) => {}
    }
    if let Some(encoding) = &envelope.content_encoding {
        p = p.with_content_encoding(encoding.as_str().into());
    }
    if let Some(kind) = &envelope.message_type {
        p = p.with_type(kind.as_str().into());
    }
    if let Some(ms) = op.expiration {
        p = p.with_expiration(ms.to_string().into());
    }
    if let Some(user) = &op.user_id {
        p = p.with_user_id(user.as_ref().into());
    }
    if let Some(priority) = op.priority {
        p = p.with_priority(priority.clamp(0, 255) as u8);
    }
    if let Some(mode) = op.delivery_mode {
        p = p.with_delivery_mode(mode);
    }
    if op.timestamp == Some(true) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        p = p.with_timestamp(now);
    }
    p
}

impl Publisher for AmqpPublisher {
    type Envelope = AmqpEnvelope;

    fn envelope(&self) -> AmqpEnvelope {
        AmqpEnvelope::default()
    }

    async fn send(&self, envelope: AmqpEnvelope) -> Result<(), TransportError> {
        let shared = &*self.shared;
        shared.state.check()?;
        let address = envelope.envelope.address.as_str();
        let routing_key = shared.queue.as_deref().unwrap_or(address);
        // A reply to RabbitMQ's direct reply-to goes through the default exchange, whatever the
        // channel's binding says.
        let exchange = if routing_key.starts_with(DIRECT_REPLY_TO) {
            ""
        } else {
            shared.exchange.as_str()
        };
        let span = tracing::debug_span!(target: "asyncapi", "send", address = %address);
        let send_err = |source: BoxError| TransportError::Send {
            address: address.to_owned(),
            source,
        };
        let mandatory = shared.operation.mandatory == Some(true);
        let payload = match &envelope.content_encoding {
            Some(coding) => encoding::encode(coding, &envelope.envelope.payload)
                .map_err(|e| send_err(Box::new(e)))?,
            None => envelope.envelope.payload.clone(),
        };
        check_send_size(
            address,
            payload.len(),
            shared.link.options.max_message_size,
            "AmqpOptions::max_message_size",
        )?;
        let confirmed = async {
            // A request whose reply comes by direct reply-to goes out on the channel that
            // consumes the replies.
            let channel = if envelope.envelope.reply_to.as_deref() == Some(DIRECT_REPLY_TO) {
                shared
                    .link
                    .direct
                    .channel(&shared.link, shared.timeout)
                    .await
            } else {
                shared.channel(shared.timeout).await
            }
            .map_err(send_err)?;
            let confirm = channel
                .basic_publish(
                    exchange.into(),
                    routing_key.into(),
                    BasicPublishOptions {
                        mandatory,
                        immediate: false,
                    },
                    &payload,
                    properties(&envelope, &shared.operation),
                )
                .await
                .map_err(|e| send_err(Box::new(e)))?;
            match confirm.await.map_err(|e| send_err(Box::new(e)))? {
                Confirmation::Ack(None) | Confirmation::NotRequested => Ok(()),
                Confirmation::Ack(Some(returned)) => Err(TransportError::Rejected {
                    address: address.to_owned(),
                    reason: format!(
                        "no queue takes routing key `{routing_key}` on exchange `{exchange}` ({} {})",
                        returned.reply_code, returned.reply_text
                    ),
                }),
                Confirmation::Nack(_) => Err(TransportError::Rejected {
                    address: address.to_owned(),
                    reason: "the broker did not take it (basic.nack)".to_owned(),
                }),
            }
        };
        let confirmed = shared.timer.confirmed(address, confirmed);
        if span.is_disabled() {
            return confirmed.await;
        }
        confirmed.instrument(span).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        let shared = &*self.shared;
        shared.state.close();
        match shared.channel.lock().await.take() {
            // Within the send timeout: a broker that no longer answers does not hold the close.
            Some((_, channel)) if channel.status().connected() => {
                match tokio::time::timeout(shared.timeout, channel.close(200, "closed".into()))
                    .await
                {
                    Ok(closed) => closed.map_err(|e| {
                        TransportError::Closed(format!("{}: {e}", shared.state.channel()))
                    }),
                    Err(_) => Err(TransportError::Closed(format!(
                        "{}: the broker did not answer the close within {:?}",
                        shared.state.channel(),
                        shared.timeout
                    ))),
                }
            }
            _ => Ok(()),
        }
    }
}
