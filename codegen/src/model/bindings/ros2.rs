use super::*;

binding_struct!(
    /// ROS 2 server binding.
    Server {
        /// Middleware implementation.
        #[serde(default)]
        rmw_implementation: Option<String>,
        /// Domain id.
        #[serde(default)]
        domain_id: Option<u32>,
    }
);

binding_struct!(
    /// ROS 2 operation binding.
    Operation {
        /// Node role (`publisher`, `subscriber`, `service_client`, ...).
        #[serde(default)]
        role: Option<String>,
        /// Node name.
        #[serde(default)]
        node: Option<String>,
        /// Quality of service policies.
        #[serde(default)]
        qos_policies: Option<serde_json::Value>,
    }
);
