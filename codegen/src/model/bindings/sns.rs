use super::*;

binding_struct!(
    /// SNS channel (topic) binding.
    Channel {
        /// Topic name.
        #[serde(default)]
        name: Option<String>,
        /// FIFO ordering.
        #[serde(default)]
        ordering: Option<serde_json::Value>,
        /// Access policy.
        #[serde(default)]
        policy: Option<serde_json::Value>,
        /// Tags.
        #[serde(default)]
        tags: Option<serde_json::Value>,
    }
);

binding_struct!(
    /// SNS operation binding.
    Operation {
        /// Topic identifier.
        #[serde(default)]
        topic: Option<serde_json::Value>,
        /// Subscribers.
        #[serde(default)]
        consumers: Vec<serde_json::Value>,
        /// Delivery policy.
        #[serde(default)]
        delivery_policy: Option<serde_json::Value>,
    }
);
