use super::*;

/// HTTP methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// CONNECT
    Connect,
    /// TRACE
    Trace,
}

binding_struct!(
    /// HTTP operation binding.
    Operation {
        /// `request` or `response` (0.1.0 only).
        #[serde(default, rename = "type")]
        kind: Option<String>,
        /// The method.
        #[serde(default)]
        method: Option<Method>,
        /// Schema of the query parameters (an object schema).
        #[serde(default, deserialize_with = "marker::schema")]
        query: Option<SchemaId>,
    }
);

binding_struct!(
    /// HTTP message binding.
    Message {
        /// Schema of the HTTP headers (an object schema).
        #[serde(default, deserialize_with = "marker::schema")]
        headers: Option<SchemaId>,
        /// Response status code (0.3.0).
        #[serde(default)]
        status_code: Option<u16>,
    }
);
