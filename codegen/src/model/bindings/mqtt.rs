use super::*;

binding_struct!(
    /// MQTT server binding.
    Server {
        /// Client identifier.
        #[serde(default)]
        client_id: Option<String>,
        /// Clean session (3.1.1) / clean start (5).
        #[serde(default)]
        clean_session: Option<bool>,
        /// Last will and testament.
        #[serde(default)]
        last_will: Option<LastWill>,
        /// Keep-alive interval in seconds.
        #[serde(default)]
        keep_alive: Option<u32>,
        /// MQTT 5 session expiry interval in seconds.
        #[serde(default, deserialize_with = "marker::int_or_schema")]
        session_expiry_interval: Option<IntOrSchema>,
        /// MQTT 5 maximum packet size in bytes.
        #[serde(default, deserialize_with = "marker::int_or_schema")]
        maximum_packet_size: Option<IntOrSchema>,
    }
);

plain_struct!(
    /// The last will message.
    LastWill {
        /// Topic.
        topic: Option<String>,
        /// QoS 0, 1 or 2.
        qos: Option<u8>,
        /// Message text.
        message: Option<String>,
        /// Retain flag.
        retain: Option<bool>,
    }
);

binding_struct!(
    /// MQTT operation binding.
    Operation {
        /// QoS 0, 1 or 2.
        #[serde(default)]
        qos: Option<u8>,
        /// Retain flag.
        #[serde(default)]
        retain: Option<bool>,
        /// MQTT 5 message expiry interval in seconds.
        #[serde(default, deserialize_with = "marker::int_or_schema")]
        message_expiry_interval: Option<IntOrSchema>,
    }
);

binding_struct!(
    /// MQTT message binding.
    Message {
        /// MQTT 5 payload format indicator: 0 bytes, 1 UTF-8 text.
        #[serde(default)]
        payload_format_indicator: Option<u8>,
        /// MQTT 5 correlation data schema.
        #[serde(default, deserialize_with = "marker::schema")]
        correlation_data: Option<SchemaId>,
        /// MQTT 5 content type.
        #[serde(default)]
        content_type: Option<String>,
        /// MQTT 5 response topic (a topic, or a schema of topics).
        #[serde(default, deserialize_with = "marker::str_or_schema")]
        response_topic: Option<StringOrSchema>,
    }
);
