//! The MQTT envelope: an envelope with the QoS, retain flag and MQTT 5 properties, and the QoS
//! levels of both protocol versions.

// MQTT 3.1.1 and MQTT 5 share one QoS type.
use rumqttc_v4::QoS;

use asyncapi_runtime::envelope::{Envelope, Wrapper};

pub(crate) fn qos_of(level: u8) -> QoS {
    match level {
        0 => QoS::AtMostOnce,
        1 => QoS::AtLeastOnce,
        _ => QoS::ExactlyOnce,
    }
}

pub(crate) fn level_of(qos: QoS) -> u8 {
    match qos {
        QoS::AtMostOnce => 0,
        QoS::AtLeastOnce => 1,
        QoS::ExactlyOnce => 2,
    }
}

/// An MQTT envelope: the plain envelope, plus QoS and retain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MqttEnvelope {
    /// Address (topic), payload, and the fields MQTT 3.1.1 does not send.
    pub envelope: Envelope,
    /// QoS to send with (`None`: the operation binding's, or 0), or that the message was
    /// delivered with.
    pub qos: Option<u8>,
    /// Whether the broker keeps it as the topic's last message (`None`: the binding's), or
    /// whether it was a retained message when received.
    pub retain: Option<bool>,
    /// MQTT 5: 0 bytes, 1 UTF-8 text (from the message binding).
    pub payload_format_indicator: Option<u8>,
    /// MQTT 5: seconds the broker keeps it undelivered (`None`: the operation binding's).
    pub message_expiry_interval: Option<u32>,
}

impl From<Envelope> for MqttEnvelope {
    fn from(envelope: Envelope) -> Self {
        MqttEnvelope {
            envelope,
            ..MqttEnvelope::default()
        }
    }
}

impl From<MqttEnvelope> for Envelope {
    fn from(e: MqttEnvelope) -> Self {
        e.envelope
    }
}

impl Wrapper for MqttEnvelope {
    fn envelope(&self) -> &Envelope {
        &self.envelope
    }
    fn envelope_mut(&mut self) -> &mut Envelope {
        &mut self.envelope
    }
    fn apply_message_bindings(&mut self, bindings: &asyncapi_runtime::bindings::MessageBindings) {
        if let Some(m) = &bindings.mqtt {
            self.payload_format_indicator =
                m.payload_format_indicator.or(self.payload_format_indicator);
            if let Some(ct) = &m.content_type {
                self.envelope.content_type = Some(ct.to_string().into());
            }
            if let (Some(topic), None) = (&m.response_topic, &self.envelope.reply_to) {
                self.envelope.reply_to = Some(topic.to_string());
            }
        }
    }
}
