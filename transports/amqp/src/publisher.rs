//! Sends: `basic.publish` with the document's properties, resolved on publisher confirms.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::types::{AMQPValue, FieldArray, FieldTable, LongString};
use lapin::{BasicProperties, Confirmation};
use tracing::Instrument;

use asyncapi_runtime::bindings::AmqpOperation;
use asyncapi_runtime::transport::{
    BoxError, ChannelSpec, Publisher, PublisherState, TransportError,
};

use crate::AmqpConnection;
use crate::envelope::AmqpEnvelope;
use crate::topology::{self, Target};

/// Sends on an AMQP channel: to its exchange with the address as routing key, or to its queue.
#[derive(Clone)]
pub struct AmqpPublisher {
    channel: lapin::Channel,
    /// The exchange, and the queue name when the binding names the queue.
    exchange: String,
    queue: Option<String>,
    operation: Arc<AmqpOperation>,
    timeout: Duration,
    state: Arc<PublisherState>,
}

impl std::fmt::Debug for AmqpPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AmqpPublisher")
            .field("channel", &self.state.channel())
            .field("exchange", &self.exchange)
            .finish_non_exhaustive()
    }
}

pub(crate) async fn open(
    connection: &AmqpConnection,
    spec: &ChannelSpec,
) -> Result<AmqpPublisher, TransportError> {
    let open_err = |source: BoxError| TransportError::Open {
        address: spec.address.to_string(),
        source,
    };
    let channel = connection.channel_for(spec).await?;
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
    let (exchange, queue) = match Target::of(spec, None, &connection.options) {
        Target::Exchange { exchange, .. } => {
            topology::declare_exchange(&channel, &exchange)
                .await
                .map_err(|e| open_err(Box::new(e)))?;
            (exchange.name, None)
        }
        Target::Queue(queue) => {
            // A queue whose name depends on parameters (a reply queue) is the receiver's to
            // declare; one of a fixed name is declared so that nothing sent before its
            // consumer comes is lost.
            if named_queue.is_some() || !has_params {
                topology::declare_queue(&channel, &queue)
                    .await
                    .map_err(|e| open_err(Box::new(e)))?;
            }
            (String::new(), named_queue)
        }
    };
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .map_err(|e| open_err(Box::new(e)))?;
    Ok(AmqpPublisher {
        channel,
        exchange,
        queue,
        operation: Arc::new(spec.bindings.amqp_operation.clone().unwrap_or_default()),
        timeout: connection.options.send_timeout,
        state: Arc::new(PublisherState::new(spec)),
    })
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
        headers.insert(
            name.into(),
            AMQPValue::LongString(LongString::from(value.as_bytes())),
        );
    }
    if !op.cc.is_empty() {
        headers.insert("CC".into(), text_array(&op.cc));
    }
    if !op.bcc.is_empty() {
        headers.insert("BCC".into(), text_array(&op.bcc));
    }
    let mut p = BasicProperties::default().with_headers(headers);
    if let Some(ct) = &e.content_type {
        p = p.with_content_type(ct.as_str().into());
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
        self.state.check()?;
        let routing_key = self
            .queue
            .clone()
            .unwrap_or_else(|| envelope.envelope.address.clone());
        let address = envelope.envelope.address.clone();
        let span = tracing::debug_span!(target: "asyncapi", "send", address = %address);
        let send_err = |source: BoxError| TransportError::Send {
            address: address.clone(),
            source,
        };
        let mandatory = self.operation.mandatory == Some(true);
        let confirmed = async {
            let confirm = self
                .channel
                .basic_publish(
                    self.exchange.as_str().into(),
                    routing_key.as_str().into(),
                    BasicPublishOptions {
                        mandatory,
                        immediate: false,
                    },
                    &envelope.envelope.payload,
                    properties(&envelope, &self.operation),
                )
                .await
                .map_err(|e| send_err(Box::new(e)))?;
            match confirm.await.map_err(|e| send_err(Box::new(e)))? {
                Confirmation::Ack(None) | Confirmation::NotRequested => Ok(()),
                Confirmation::Ack(Some(returned)) => Err(TransportError::Rejected {
                    address: address.clone(),
                    reason: format!(
                        "no queue takes routing key `{routing_key}` on exchange `{}` ({} {})",
                        self.exchange, returned.reply_code, returned.reply_text
                    ),
                }),
                Confirmation::Nack(_) => Err(TransportError::Rejected {
                    address: address.clone(),
                    reason: "the broker did not take it (basic.nack)".to_owned(),
                }),
            }
        };
        asyncapi_runtime::transport::confirmed(&address, self.timeout, confirmed)
            .instrument(span)
            .await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        self.channel
            .close(200, "closed".into())
            .await
            .map_err(|e| TransportError::Closed(format!("{}: {e}", self.state.channel())))
    }
}
