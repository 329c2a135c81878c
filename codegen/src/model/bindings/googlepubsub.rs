use super::*;

binding_struct!(
    /// Pub/Sub channel (topic) binding.
    Channel {
        /// Labels.
        #[serde(default)]
        labels: IndexMap<String, String>,
        /// Minimum retention of published messages (`"86400s"`).
        #[serde(default)]
        message_retention_duration: Option<String>,
        /// Where messages may be stored.
        #[serde(default)]
        message_storage_policy: Option<MessageStoragePolicy>,
        /// Schema validation settings.
        #[serde(default)]
        schema_settings: Option<SchemaSettings>,
        /// Topic name (0.1.0).
        #[serde(default)]
        topic: Option<String>,
    }
);

plain_struct!(
    /// Message storage policy.
    MessageStoragePolicy {
        /// GCP regions allowed to store messages.
        allowed_persistence_regions: Vec<String>,
    }
);

plain_struct!(
    /// Schema validation settings of a topic.
    SchemaSettings {
        /// `JSON` or `BINARY`.
        encoding: Option<String>,
        /// First allowed revision.
        first_revision_id: Option<String>,
        /// Last allowed revision.
        last_revision_id: Option<String>,
        /// Schema name.
        name: Option<String>,
    }
);

binding_struct!(
    /// Pub/Sub message binding.
    Message {
        /// Attributes.
        #[serde(default)]
        attributes: Option<serde_json::Value>,
        /// Ordering key.
        #[serde(default)]
        ordering_key: Option<String>,
        /// Schema definition.
        #[serde(default)]
        schema: Option<SchemaDefinition>,
    }
);

plain_struct!(
    /// The Pub/Sub schema a message follows.
    SchemaDefinition {
        /// Schema name.
        name: Option<String>,
        /// Schema type (0.1.0).
        #[serde(rename = "type")]
        kind: Option<String>,
    }
);
