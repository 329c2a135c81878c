use super::*;

binding_struct!(
    /// IBM MQ server binding.
    Server {
        /// Group of related servers for one queue manager.
        #[serde(default)]
        group_id: Option<String>,
        /// Queue manager name in a CCDT.
        #[serde(default, rename = "ccdtQueueManagerName")]
        ccdt_queue_manager_name: Option<String>,
        /// TLS cipher spec.
        #[serde(default)]
        cipher_spec: Option<String>,
        /// Several servers of one group.
        #[serde(default)]
        multi_endpoint_server: Option<bool>,
        /// Heartbeat interval in seconds.
        #[serde(default)]
        heart_beat_interval: Option<u32>,
    }
);

binding_struct!(
    /// IBM MQ channel binding.
    Channel {
        /// `topic` or `queue`.
        #[serde(default)]
        destination_type: Option<String>,
        /// Queue properties.
        #[serde(default)]
        queue: Option<Queue>,
        /// Topic properties.
        #[serde(default)]
        topic: Option<Topic>,
        /// Maximum message length in bytes.
        #[serde(default)]
        max_msg_length: Option<u64>,
    }
);

plain_struct!(
    /// An IBM MQ queue.
    Queue {
        /// Queue object name.
        object_name: Option<String>,
        /// Cluster queue.
        is_partitioned: Option<bool>,
        /// Exclusive access.
        exclusive: Option<bool>,
    }
);

plain_struct!(
    /// An IBM MQ topic.
    Topic {
        /// Topic string.
        string: Option<String>,
        /// Topic object name.
        object_name: Option<String>,
        /// Durable subscriptions allowed.
        durable_permitted: Option<bool>,
        /// Last message retained.
        last_msg_retained: Option<bool>,
    }
);

binding_struct!(
    /// IBM MQ message binding.
    Message {
        /// `string`, `jms` or `binary`.
        #[serde(default, rename = "type")]
        kind: Option<String>,
        /// Comma-separated header names (type `jms`).
        #[serde(default)]
        headers: Option<String>,
        /// Description.
        #[serde(default)]
        description: Option<String>,
        /// Expiry in milliseconds.
        #[serde(default)]
        expiry: Option<u64>,
    }
);
