use super::*;

binding_struct!(
    /// SQS channel binding.
    Channel {
        /// The queue.
        #[serde(default)]
        queue: Option<serde_json::Value>,
        /// The dead-letter queue.
        #[serde(default)]
        dead_letter_queue: Option<serde_json::Value>,
    }
);

binding_struct!(
    /// SQS operation binding.
    Operation {
        /// Queues.
        #[serde(default)]
        queues: Vec<serde_json::Value>,
    }
);
