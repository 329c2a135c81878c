//! Sending from a client: [`WsPublisher`], on the socket of its channel's path.

use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::transport::check_send_size;
use asyncapi_runtime::transport::{
    ChannelSpec, Producer, Publisher, PublisherState, TransportError,
};

use crate::connection::WsConnection;
use crate::envelope::outgoing;
use crate::socket::check_method;

/// Sends on a WebSocket channel, from a client.
#[derive(Debug)]
pub struct WsPublisher {
    pub(crate) connection: WsConnection,
    pub(crate) channel: ChannelSpec,
    /// The channel's name, and whether it is closed.
    pub(crate) state: PublisherState,
}

impl Producer for WsConnection {
    type Publisher = WsPublisher;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<WsPublisher, TransportError> {
        check_method(channel)?;
        self.check_open()?;
        Ok(WsPublisher {
            connection: self.clone(),
            channel: channel.clone(),
            state: PublisherState::new(channel),
        })
    }
}

impl Publisher for WsPublisher {
    type Envelope = Envelope;

    fn envelope(&self) -> Envelope {
        Envelope::default()
    }

    async fn send(&self, envelope: Envelope) -> Result<(), TransportError> {
        self.state.check()?;
        let (path, frame) = outgoing(envelope)?;
        check_send_size(
            &path,
            frame.len(),
            self.connection.inner.options.max_message_size,
            "WsOptions::max_message_size",
        )?;
        let socket = self.connection.socket(&self.channel, &path).await?;
        socket.writer.send(&path, frame).await
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}
