use super::*;

binding_struct!(
    /// JMS server binding.
    Server {
        /// Connection factory class.
        #[serde(default)]
        jms_connection_factory: Option<String>,
        /// Connection factory properties.
        #[serde(default)]
        properties: Vec<serde_json::Value>,
        /// Client id.
        #[serde(default, rename = "clientID")]
        client_id: Option<String>,
    }
);

binding_struct!(
    /// JMS channel binding.
    Channel {
        /// Destination name; defaults to the channel address.
        #[serde(default)]
        destination: Option<String>,
        /// `queue` or `fifo-queue`.
        #[serde(default)]
        destination_type: Option<String>,
    }
);

binding_struct!(
    /// JMS message binding.
    Message {
        /// Schema of the JMS headers.
        #[serde(default, deserialize_with = "marker::schema")]
        headers: Option<SchemaId>,
    }
);
