//! Sends: `PUBLISH` on pub/sub channels, `XADD` on streams.

use std::sync::Arc;

use redis::aio::ConnectionManager;
use tracing::Instrument;

use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::{
    ChannelSpec, Publisher, PublisherState, TransportError, check_send_size,
};

use crate::{CONTENT_TYPE, CORRELATION_ID, PAYLOAD, REPLY_TO, RedisConnection, RedisOptions};

/// Sends on a Redis channel: `PUBLISH`, or `XADD` for a stream.
#[derive(Clone)]
pub struct RedisPublisher {
    commands: ConnectionManager,
    options: Arc<RedisOptions>,
    stream: bool,
    /// The channel's name, and whether it is closed.
    state: Arc<PublisherState>,
    /// The connection's.
    closing: asyncapi_runtime::transport::CloseSignal,
    server: Arc<str>,
}

impl std::fmt::Debug for RedisPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisPublisher")
            .field("channel", &self.state.channel())
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl RedisPublisher {
    pub(crate) fn new(connection: &RedisConnection, channel: &ChannelSpec) -> RedisPublisher {
        RedisPublisher {
            commands: connection.commands.clone(),
            stream: connection.options.is_stream(channel),
            options: connection.options.clone(),
            state: Arc::new(PublisherState::new(channel)),
            closing: connection.closing.clone(),
            server: Arc::from(connection.server()),
        }
    }

    /// `PUBLISH`es or `XADD`s `envelope`, and waits for the server's answer within the send
    /// timeout.
    async fn write(&self, envelope: &Envelope) -> Result<(), TransportError> {
        let mut commands = self.commands.clone();
        let result = if self.stream {
            xadd(envelope)
                .query_async::<String>(&mut commands)
                .await
                .map(drop)
        } else {
            if !envelope.headers.is_empty()
                || envelope.content_type.is_some()
                || envelope.correlation_id.is_some()
                || envelope.reply_to.is_some()
            {
                tracing::debug!(
                    target: "asyncapi",
                    "Redis pub/sub carries the payload alone: headers, content type, \
                     correlation id and reply address are not sent"
                );
            }
            redis::cmd("PUBLISH")
                .arg(&envelope.address)
                .arg(envelope.payload.as_ref())
                .query_async::<i64>(&mut commands)
                .await
                .map(drop)
        };
        // The command connection's response timeout is the send timeout: no answer in time is
        // not a confirmation.
        result.map_err(|e| match e.is_timeout() {
            true => TransportError::Unconfirmed {
                address: envelope.address.clone(),
                timeout: self.options.timeout,
            },
            false => TransportError::Send {
                address: envelope.address.clone(),
                source: Box::new(e),
            },
        })
    }
}

/// `XADD address * payload <bytes> [field value ...]`: the entry an envelope becomes.
pub(crate) fn xadd(envelope: &Envelope) -> redis::Cmd {
    let mut cmd = redis::cmd("XADD");
    cmd.arg(&envelope.address)
        .arg("*")
        .arg(PAYLOAD)
        .arg(envelope.payload.as_ref());
    if let Some(ct) = &envelope.content_type {
        cmd.arg(CONTENT_TYPE).arg(ct);
    }
    if let Some(id) = &envelope.correlation_id {
        cmd.arg(CORRELATION_ID).arg(id);
    }
    if let Some(reply) = &envelope.reply_to {
        cmd.arg(REPLY_TO).arg(reply);
    }
    for (name, value) in envelope.headers.iter() {
        cmd.arg(name).arg(value.as_bytes());
    }
    cmd
}

impl Publisher for RedisPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        self.closing.check(&self.server)?;
        check_send_size(
            &envelope.address,
            envelope.payload.len(),
            self.options.max_message_size,
            "RedisOptions::max_message_size",
        )?;
        let span = tracing::debug_span!(target: "asyncapi", "send", address = %envelope.address);
        if span.is_disabled() {
            return self.write(&envelope).await;
        }
        self.write(&envelope).instrument(span).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}
