use super::*;

binding_struct!(
    /// Solace server binding.
    Server {
        /// Message VPN.
        #[serde(default)]
        msg_vpn: Option<String>,
        /// Client name.
        #[serde(default)]
        client_name: Option<String>,
    }
);

binding_struct!(
    /// Solace operation binding.
    Operation {
        /// Destinations.
        #[serde(default)]
        destinations: Vec<serde_json::Value>,
        /// Time to live in milliseconds.
        #[serde(default, deserialize_with = "marker::int_or_schema")]
        time_to_live: Option<IntOrSchema>,
        /// Priority 0–255.
        #[serde(default, deserialize_with = "marker::int_or_schema")]
        priority: Option<IntOrSchema>,
        /// Eligible for the dead message queue.
        #[serde(default)]
        dmq_eligible: Option<bool>,
    }
);
