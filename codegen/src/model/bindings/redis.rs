use super::*;

binding_struct!(
    /// Redis channel binding. The bindings specification reserves `redis` without fields; `x-stream`
    /// is this project's extension, which the Redis transport applies.
    Channel {
        /// `x-stream: true`: the channel is a Redis stream (`XADD`, read by consumer groups: at
        /// least once) instead of a pub/sub channel (at most once).
        #[serde(default, rename = "x-stream")]
        stream: Option<bool>,
    }
);

binding_struct!(
    /// Redis operation binding: this project's extension `x-group`.
    Operation {
        /// `x-group`: the consumer group a receiving operation reads its stream in.
        #[serde(default, rename = "x-group")]
        group: Option<String>,
    }
);
