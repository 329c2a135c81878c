use super::*;

binding_struct!(
    /// NATS operation binding.
    Operation {
        /// Queue group name (at most 255 characters).
        #[serde(default)]
        queue: Option<String>,
    }
);
