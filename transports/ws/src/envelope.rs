//! Frames: which WebSocket frame carries a payload, and the envelopes received from them.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use tokio_tungstenite::tungstenite::{self, Message as Frame};

use asyncapi_runtime::envelope::{Envelope, EnvelopeReader, Headers};
use asyncapi_runtime::transport::TransportError;

/// Whether a payload of this content type goes in a text frame (JSON, XML, YAML, `text/*`, and
/// the `+json`, `+xml` and `+yaml` suffixes); others go in binary frames.
pub fn is_textual(content_type: &str) -> bool {
    if content_type == "application/json" {
        return true;
    }
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    let is = |name: &str| essence.eq_ignore_ascii_case(name);
    let ends_with = |suffix: &str| {
        essence.len() >= suffix.len()
            && essence.as_bytes()[essence.len() - suffix.len()..]
                .eq_ignore_ascii_case(suffix.as_bytes())
    };
    (essence.len() >= 5 && essence.as_bytes()[..5].eq_ignore_ascii_case(b"text/"))
        || [
            "application/json",
            "application/xml",
            "application/yaml",
            "application/x-yaml",
            "application/javascript",
            "application/x-www-form-urlencoded",
        ]
        .into_iter()
        .any(is)
        || ["+json", "+xml", "+yaml"].into_iter().any(ends_with)
}

/// The frame a payload travels in: text for a textual content type (or none) when the payload is
/// UTF-8, binary otherwise.
pub(crate) fn frame_for(payload: Bytes, content_type: Option<&str>) -> Frame {
    if content_type.is_none_or(is_textual) {
        // Cloning `Bytes` shares the buffer.
        match tungstenite::Utf8Bytes::try_from(payload.clone()) {
            Ok(text) => Frame::Text(text),
            Err(_) => Frame::Binary(payload),
        }
    } else {
        Frame::Binary(payload)
    }
}

/// An envelope for sending on a WebSocket: the plain [`Envelope`], checked.
pub(crate) fn outgoing(envelope: Envelope) -> Result<(String, Frame), TransportError> {
    if !envelope.headers.is_empty() {
        return Err(TransportError::Send {
            address: envelope.address,
            source: format!(
                "WebSocket frames carry no headers, and the message has {} ({})",
                envelope.headers.len(),
                envelope
                    .headers
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into(),
        });
    }
    let frame = frame_for(envelope.payload, envelope.content_type.as_deref());
    Ok((envelope.address, frame))
}

/// What is known of one WebSocket connection: where it was opened, with which query and
/// headers, and (on a server) from where.
///
/// `Debug` shows the values of secret query parameters and headers as `<redacted>`:
/// `Authorization`, `Cookie`, `Proxy-Authorization`, names that look like keys or tokens
/// ([`is_secret_name`](asyncapi_runtime::envelope::is_secret_name)) and those the document's
/// security schemes name.
#[derive(Clone, PartialEq, Eq)]
pub struct WsConnectionInfo {
    /// The connection's number, unique in its client or server.
    pub id: u64,
    /// The channel address (the path below the server's pathname).
    pub path: String,
    /// The query parameters of the upgrade request, decoded.
    pub query: Vec<(String, String)>,
    /// The headers of the upgrade request (a client's own: those it added).
    pub headers: Headers,
    /// The peer's address, on a server.
    pub peer: Option<SocketAddr>,
    /// The names the document's security schemes put a key in.
    pub(crate) secret_names: Arc<[String]>,
}

impl std::fmt::Debug for WsConnectionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(n, v)| {
                let secret = asyncapi_runtime::envelope::is_secret_name(n)
                    || self.secret_names.iter().any(|s| s.eq_ignore_ascii_case(n));
                (n.as_str(), if secret { "<redacted>" } else { v.as_str() })
            })
            .collect();
        f.debug_struct("WsConnectionInfo")
            .field("id", &self.id)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &self.headers.redacting(&self.secret_names))
            .field("peer", &self.peer)
            .finish()
    }
}

impl WsConnectionInfo {
    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A received frame.
#[derive(Clone, Debug)]
pub struct WsEnvelope {
    pub(crate) address: String,
    pub(crate) payload: Bytes,
    pub(crate) text: bool,
    pub(crate) reply_to: Option<String>,
    pub(crate) connection: Arc<WsConnectionInfo>,
    pub(crate) headers: Headers,
}

impl WsEnvelope {
    /// The connection it came on.
    pub fn connection(&self) -> &WsConnectionInfo {
        &self.connection
    }

    /// Whether it came in a text frame.
    pub fn is_text(&self) -> bool {
        self.text
    }
}

impl EnvelopeReader for WsEnvelope {
    fn address(&self) -> &str {
        &self.address
    }
    fn payload(&self) -> &Bytes {
        &self.payload
    }
    fn content_type(&self) -> Option<&str> {
        None
    }
    /// Always empty: frames carry no headers (the upgrade request's are in
    /// [`WsEnvelope::connection`]).
    fn headers(&self) -> &Headers {
        &self.headers
    }
    fn reply_to(&self) -> Option<&str> {
        self.reply_to.as_deref()
    }
    fn correlation_id(&self) -> Option<&str> {
        None
    }
    fn into_address(self) -> String {
        self.address
    }
}

impl From<WsEnvelope> for Envelope {
    fn from(e: WsEnvelope) -> Envelope {
        Envelope {
            address: e.address,
            payload: e.payload,
            content_type: None,
            headers: e.headers,
            reply_to: e.reply_to,
            correlation_id: None,
            acknowledgement: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_textual;

    #[test]
    fn textual_content_types_whatever_their_case_and_parameters() {
        for textual in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "text/plain",
            "TEXT/CSV",
            "application/cloudevents+json",
            "application/vnd.example+XML",
            "application/x-yaml",
            " application/xml ",
        ] {
            assert!(is_textual(textual), "{textual}");
        }
        for binary in [
            "application/octet-stream",
            "image/png",
            "application/vnd.apache.avro+binary",
            "application/jsonx",
            "text",
            "",
        ] {
            assert!(!is_textual(binary), "{binary}");
        }
    }
}
