//! Sending: [`NatsPublisher`], a subject per send, flushed when the options ask; on a JetStream
//! channel, confirmed by the stream's `PubAck`.

use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{
    ChannelSpec, CloseSignal, Producer, Publisher, PublisherState, SendTimer, TransportError,
};

use asyncapi_runtime::expression::RuntimeExpression;

use crate::envelope::to_nats_headers;
use crate::{NatsConnection, jetstream};

/// Sends on a NATS channel.
#[derive(Debug)]
pub struct NatsPublisher {
    client: async_nats::Client,
    /// Whether each send is flushed (within the send timeout).
    flush: bool,
    /// The connection's send timeout.
    timer: SendTimer,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
    /// The connection's close.
    closing: CloseSignal,
    server: String,
    /// On a JetStream channel: the context, where the message id is, and how long a send
    /// waits for the `PubAck`.
    jetstream: Option<JetStreamSend>,
}

#[derive(Debug)]
struct JetStreamSend {
    context: async_nats::jetstream::Context,
    message_id: Option<RuntimeExpression>,
    timer: SendTimer,
}

impl Producer for NatsConnection {
    type Publisher = NatsPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<NatsPublisher, TransportError> {
        self.check_open()?;
        let jetstream = match jetstream::Channel::of(self, channel)? {
            None => None,
            Some(on) => {
                on.stream(&self.jetstream, channel).await?;
                let message_id = on
                    .config
                    .message_id
                    .as_deref()
                    .map(RuntimeExpression::parse)
                    .transpose()
                    .map_err(|e| TransportError::Open {
                        address: channel.address.to_string(),
                        source: format!("channel `{}`: JetStream `messageId`: {e}", channel.name)
                            .into(),
                    })?;
                Some(JetStreamSend {
                    context: self.jetstream.clone(),
                    message_id,
                    timer: self.send_timer.clone(),
                })
            }
        };
        Ok(NatsPublisher {
            jetstream,
            client: self.client.clone(),
            flush: self.flush.is_some(),
            timer: self.send_timer.clone(),
            state: PublisherState::new(channel),
            closing: self.closing.clone(),
            server: self.server.clone(),
        })
    }
}

impl Publisher for NatsPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        self.closing.check(&self.server)?;
        if let Some(js) = &self.jetstream {
            return js.send(envelope).await;
        }
        let headers = to_nats_headers(&envelope);
        // Cloned for the publish without copying (errors name it).
        let subject = async_nats::Subject::from(envelope.address);
        let size = envelope.payload.len();
        let result = match envelope.reply_to {
            Some(reply) => {
                self.client
                    .publish_with_reply_and_headers(
                        subject.clone(),
                        reply,
                        headers,
                        envelope.payload,
                    )
                    .await
            }
            None => {
                self.client
                    .publish_with_headers(subject.clone(), headers, envelope.payload)
                    .await
            }
        };
        result.map_err(|e| {
            if e.kind() == async_nats::client::PublishErrorKind::MaxPayloadExceeded {
                // The server's largest message, as its INFO said.
                TransportError::TooLarge {
                    address: subject.to_string(),
                    size,
                    limit: self.client.server_info().max_payload,
                    direction: "sends",
                    option: "the NATS server's max_payload",
                }
            } else {
                TransportError::Send {
                    address: subject.to_string(),
                    source: Box::new(e),
                }
            }
        })?;
        if !self.flush {
            return Ok(());
        }
        let flushed = async {
            self.client.flush().await.map_err(|e| TransportError::Send {
                address: subject.to_string(),
                source: Box::new(e),
            })
        };
        self.timer.confirmed(subject.as_str(), flushed).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}

impl JetStreamSend {
    /// Publishes to the stream and waits for its `PubAck`: `Ok` once the stream has stored the
    /// message (or dropped it as a duplicate of one it has, by its message id).
    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        let mut headers = to_nats_headers(&envelope);
        if let Some(reply) = &envelope.reply_to {
            headers.insert(jetstream::REPLY_TO, reply.as_str());
        }
        if let Some(id) = jetstream::message_id(self.message_id.as_ref(), &envelope) {
            headers.insert(jetstream::MESSAGE_ID, id.as_str());
        }
        let subject = async_nats::Subject::from(envelope.address);
        let size = envelope.payload.len();
        let failed = |e: async_nats::jetstream::context::PublishError| {
            use async_nats::jetstream::context::PublishErrorKind;
            match e.kind() {
                PublishErrorKind::MaxPayloadExceeded => TransportError::TooLarge {
                    address: subject.to_string(),
                    size,
                    limit: self.context.client().server_info().max_payload,
                    direction: "sends",
                    option: "the NATS server's max_payload",
                },
                PublishErrorKind::StreamNotFound => TransportError::Rejected {
                    address: subject.to_string(),
                    reason: "no JetStream stream stores this subject".into(),
                },
                PublishErrorKind::TimedOut => TransportError::Unconfirmed {
                    address: subject.to_string(),
                    timeout: self.timer.timeout(),
                },
                _ => TransportError::Send {
                    address: subject.to_string(),
                    source: Box::new(e),
                },
            }
        };
        let confirmation = self
            .context
            .publish_with_headers(subject.clone(), headers, envelope.payload)
            .await
            .map_err(failed)?;
        let confirmed = async { confirmation.await.map(|_| ()).map_err(failed) };
        self.timer.confirmed(subject.as_str(), confirmed).await
    }
}
