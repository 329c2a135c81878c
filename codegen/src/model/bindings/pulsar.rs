use super::*;

binding_struct!(
    /// Pulsar server binding.
    Server {
        /// Tenant (default `public`).
        #[serde(default)]
        tenant: Option<String>,
    }
);

binding_struct!(
    /// Pulsar channel binding.
    Channel {
        /// Namespace.
        #[serde(default)]
        namespace: Option<String>,
        /// `persistent` or `non-persistent`.
        #[serde(default)]
        persistence: Option<String>,
        /// Compaction threshold in megabytes.
        #[serde(default)]
        compaction: Option<u64>,
        /// Clusters the topic is replicated to.
        #[serde(default, rename = "geo-replication")]
        geo_replication: Vec<String>,
        /// Retention.
        #[serde(default)]
        retention: Option<Retention>,
        /// Time to live in seconds.
        #[serde(default)]
        ttl: Option<u64>,
        /// Deduplication.
        #[serde(default)]
        deduplication: Option<bool>,
    }
);

plain_struct!(
    /// Topic retention.
    Retention {
        /// Minutes.
        time: Option<u64>,
        /// Megabytes.
        size: Option<u64>,
    }
);
