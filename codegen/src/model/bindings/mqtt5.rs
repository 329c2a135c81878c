use super::*;

binding_struct!(
    /// MQTT 5 server binding.
    Server {
        /// Session expiry interval in seconds.
        #[serde(default, deserialize_with = "marker::int_or_schema")]
        session_expiry_interval: Option<IntOrSchema>,
    }
);
