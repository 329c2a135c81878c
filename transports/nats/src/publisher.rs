//! Sending: [`NatsPublisher`], a subject per send, flushed when the options ask.

use std::time::Duration;

use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{
    ChannelSpec, CloseSignal, Producer, Publisher, PublisherState, TransportError,
};

use crate::NatsConnection;
use crate::envelope::to_nats_headers;

/// Sends on a NATS channel.
#[derive(Debug)]
pub struct NatsPublisher {
    client: async_nats::Client,
    flush: Option<Duration>,
    /// The channel's name, and whether it is closed.
    state: PublisherState,
    /// The connection's close.
    closing: CloseSignal,
    server: String,
}

impl Producer for NatsConnection {
    type Publisher = NatsPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<NatsPublisher, TransportError> {
        self.check_open()?;
        Ok(NatsPublisher {
            client: self.client.clone(),
            flush: self.flush,
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
        let headers = to_nats_headers(&envelope);
        let subject = envelope.address;
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
                    address: subject.clone(),
                    size,
                    limit: self.client.server_info().max_payload,
                    direction: "sends",
                    option: "the NATS server's max_payload",
                }
            } else {
                TransportError::Send {
                    address: subject.clone(),
                    source: Box::new(e),
                }
            }
        })?;
        let Some(timeout) = self.flush else {
            return Ok(());
        };
        let flushed = async {
            self.client.flush().await.map_err(|e| TransportError::Send {
                address: subject.clone(),
                source: Box::new(e),
            })
        };
        asyncapi_runtime::transport::confirmed(&subject, timeout, flushed).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}
