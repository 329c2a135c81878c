use super::*;

binding_struct!(
    /// Kafka server binding.
    Server {
        /// Schema registry URL.
        #[serde(default)]
        schema_registry_url: Option<String>,
        /// Schema registry vendor (`confluent`, `apicurio`, ...).
        #[serde(default)]
        schema_registry_vendor: Option<String>,
    }
);

binding_struct!(
    /// Kafka channel binding.
    Channel {
        /// Topic name, when it differs from the channel address.
        #[serde(default)]
        topic: Option<String>,
        /// Number of partitions.
        #[serde(default)]
        partitions: Option<u32>,
        /// Replication factor.
        #[serde(default)]
        replicas: Option<u32>,
        /// Topic configuration.
        #[serde(default)]
        topic_configuration: Option<TopicConfiguration>,
    }
);

/// Kafka topic configuration (0.4.0).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct TopicConfiguration {
    /// `cleanup.policy`: `delete` and/or `compact`.
    #[serde(default, rename = "cleanup.policy")]
    pub cleanup_policy: Vec<String>,
    /// `retention.ms`
    #[serde(default, rename = "retention.ms")]
    pub retention_ms: Option<i64>,
    /// `retention.bytes`
    #[serde(default, rename = "retention.bytes")]
    pub retention_bytes: Option<i64>,
    /// `delete.retention.ms`
    #[serde(default, rename = "delete.retention.ms")]
    pub delete_retention_ms: Option<i64>,
    /// `max.message.bytes`
    #[serde(default, rename = "max.message.bytes")]
    pub max_message_bytes: Option<i64>,
    /// `confluent.key.schema.validation`
    #[serde(default, rename = "confluent.key.schema.validation")]
    pub confluent_key_schema_validation: Option<bool>,
    /// `confluent.key.subject.name.strategy`
    #[serde(default, rename = "confluent.key.subject.name.strategy")]
    pub confluent_key_subject_name_strategy: Option<String>,
    /// `confluent.value.schema.validation`
    #[serde(default, rename = "confluent.value.schema.validation")]
    pub confluent_value_schema_validation: Option<bool>,
    /// `confluent.value.subject.name.strategy`
    #[serde(default, rename = "confluent.value.subject.name.strategy")]
    pub confluent_value_subject_name_strategy: Option<String>,
    /// Other topic settings, as written.
    #[serde(flatten)]
    pub extra: Extra,
}

binding_struct!(
    /// Kafka operation binding.
    Operation {
        /// Schema of the consumer group id.
        #[serde(default, deserialize_with = "marker::schema")]
        group_id: Option<SchemaId>,
        /// Schema of the client id.
        #[serde(default, deserialize_with = "marker::schema")]
        client_id: Option<SchemaId>,
    }
);

binding_struct!(
    /// Kafka message binding.
    Message {
        /// Schema of the record key.
        #[serde(default, deserialize_with = "marker::schema")]
        key: Option<SchemaId>,
        /// `header` or `payload`: where the schema id is.
        #[serde(default)]
        schema_id_location: Option<String>,
        /// Encoding of the schema id in the payload.
        #[serde(default)]
        schema_id_payload_encoding: Option<String>,
        /// How the schema is looked up (`TopicIdStrategy`, ...).
        #[serde(default)]
        schema_lookup_strategy: Option<String>,
    }
);
