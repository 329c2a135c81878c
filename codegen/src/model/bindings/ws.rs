use super::*;

/// The HTTP method of the upgrade request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
}

binding_struct!(
    /// WebSockets channel binding.
    Channel {
        /// Method of the upgrade request.
        #[serde(default)]
        method: Option<Method>,
        /// Schema of the query parameters (an object schema).
        #[serde(default, deserialize_with = "marker::schema")]
        query: Option<SchemaId>,
        /// Schema of the request headers (an object schema).
        #[serde(default, deserialize_with = "marker::schema")]
        headers: Option<SchemaId>,
    }
);
