//! Sending: [`MqttPublisher`], a channel's publishes at the QoS its binding asks for, each
//! confirmed as that QoS promises.

use std::sync::Arc;

use asyncapi_runtime::transport::check_send_size;
use asyncapi_runtime::transport::{
    self, ChannelSpec, Producer, Publisher, PublisherState, TransportError,
};

use crate::acks::Sent;
use crate::client::{MqttClient, Shared};
use crate::connection::MqttConnectionOf;
use crate::envelope::MqttEnvelope;

/// Sends on one MQTT channel.
pub struct MqttPublisher<C> {
    pub(crate) client: C,
    pub(crate) shared: Arc<Shared>,
    pub(crate) send_timer: transport::SendTimer,
    pub(crate) max_message_size: usize,
    pub(crate) qos: u8,
    pub(crate) retain: bool,
    pub(crate) message_expiry_interval: Option<u32>,
    /// The channel's name, and whether it is closed.
    pub(crate) state: PublisherState,
}

impl<C> std::fmt::Debug for MqttPublisher<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MqttPublisher")
            .field("channel", &self.state.channel())
            .field("qos", &self.qos)
            .field("retain", &self.retain)
            .finish_non_exhaustive()
    }
}

impl<C: MqttClient> Producer for MqttConnectionOf<C> {
    type Publisher = MqttPublisher<C>;

    async fn publisher(&self, channel: &ChannelSpec) -> Result<MqttPublisher<C>, TransportError> {
        if self.shared.is_closed() {
            return Err(TransportError::Closed(self.shared.server.clone()));
        }
        let binding = channel.bindings.mqtt.clone().unwrap_or_default();
        Ok(MqttPublisher {
            client: self.client.clone(),
            shared: self.shared.clone(),
            send_timer: self.send_timer.clone(),
            max_message_size: self.max_message_size,
            qos: binding.qos.unwrap_or(0),
            retain: binding.retain.unwrap_or(false),
            message_expiry_interval: binding.message_expiry_interval,
            state: PublisherState::new(channel),
        })
    }
}

/// About how many bytes the PUBLISH packet of `envelope` takes: topic, payload, and the MQTT 5
/// properties it carries (fixed header and lengths counted generously).
fn packet_size(envelope: &MqttEnvelope) -> usize {
    let e = &envelope.envelope;
    let properties: usize = e
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.as_bytes().len() + 5)
        .sum::<usize>()
        + e.content_type.as_ref().map_or(0, |c| c.len() + 3)
        + e.reply_to.as_ref().map_or(0, |r| r.len() + 3)
        + e.correlation_id.as_ref().map_or(0, |c| c.len() + 3);
    e.payload.len() + e.address.len() + properties + 16
}

impl<C: MqttClient> Publisher for MqttPublisher<C> {
    type Envelope = MqttEnvelope;

    fn envelope(&self) -> MqttEnvelope {
        MqttEnvelope::default()
    }

    /// Resolves when the broker has taken the message at the QoS asked for: QoS 0 once written
    /// to the connection, QoS 1 on its PUBACK, QoS 2 on its PUBCOMP. An MQTT 5 reason code of
    /// 0x80 or more is [`TransportError::Rejected`]; no answer within the connection's send
    /// timeout is [`TransportError::Unconfirmed`] (rumqttc keeps sending it until the
    /// connection is closed).
    async fn send(&self, mut envelope: MqttEnvelope) -> Result<(), TransportError> {
        self.state.check()?;
        let qos = envelope.qos.unwrap_or(self.qos);
        let retain = envelope.retain.unwrap_or(self.retain);
        envelope.message_expiry_interval = envelope
            .message_expiry_interval
            .or(self.message_expiry_interval);
        let address = envelope.envelope.address.clone();
        check_send_size(
            &address,
            packet_size(&envelope),
            self.max_message_size,
            "MqttOptions::max_message_size",
        )?;
        let sent = {
            let _order = self.shared.send_order.lock().await;
            let sent = self.shared.sends().queue(qos);
            if let Err(source) = self.client.publish(envelope, qos, retain).await {
                self.shared.sends().unqueue_last();
                return Err(TransportError::Send { address, source });
            }
            sent
        };
        let answer = async { Ok(sent.await.unwrap_or(Sent::Closed)) };
        match self.send_timer.confirmed(&address, answer).await? {
            Sent::Done => Ok(()),
            Sent::Refused(reason) => Err(TransportError::Rejected { address, reason }),
            Sent::Closed => Err(TransportError::Closed(self.shared.server.clone())),
        }
    }

    async fn close(&self) -> Result<(), TransportError> {
        self.state.close();
        Ok(())
    }
}
