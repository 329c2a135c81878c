use super::*;

binding_struct!(
    /// Anypoint MQ channel binding.
    Channel {
        /// Destination (queue or exchange) name; defaults to the channel address.
        #[serde(default)]
        destination: Option<String>,
        /// `exchange`, `queue` or `fifo-queue`.
        #[serde(default)]
        destination_type: Option<String>,
    }
);

binding_struct!(
    /// Anypoint MQ message binding.
    Message {
        /// Schema of the protocol headers.
        #[serde(default, deserialize_with = "marker::schema")]
        headers: Option<SchemaId>,
    }
);
