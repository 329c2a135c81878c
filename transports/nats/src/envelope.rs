//! Envelopes to and from NATS messages: headers as NATS headers, the content type and the
//! correlation id as headers of their own, the reply subject as the reply address.

use bytes::Bytes;

use asyncapi_runtime::envelope::{Envelope, Headers, content_type_of};

use crate::{CONTENT_TYPE, CORRELATION_ID};

pub(crate) fn to_nats_headers(envelope: &Envelope) -> async_nats::HeaderMap {
    let mut headers = async_nats::HeaderMap::new();
    for (name, value) in envelope.headers.iter() {
        headers.append(name, String::from_utf8_lossy(value.as_bytes()).as_ref());
    }
    if let Some(ct) = &envelope.content_type {
        headers.insert(CONTENT_TYPE, ct.as_ref());
    }
    if let Some(id) = &envelope.correlation_id {
        headers.insert(CORRELATION_ID, id.as_str());
    }
    headers
}

pub(crate) fn from_nats(message: async_nats::Message) -> Envelope {
    let mut headers = Headers::new();
    let mut content_type = None;
    let mut correlation_id = None;
    if let Some(map) = &message.headers {
        for (name, values) in map.iter() {
            let name: &str = name.as_ref();
            for v in values {
                match name {
                    CONTENT_TYPE => content_type = Some(content_type_of(v.as_str())),
                    CORRELATION_ID => correlation_id = Some(v.as_str().to_owned()),
                    _ => headers.append(name, v.as_str()),
                }
            }
        }
    }
    Envelope {
        address: message.subject.as_str().to_owned(),
        payload: Bytes::clone(&message.payload),
        content_type,
        headers,
        reply_to: message.reply.map(|r| r.as_str().to_owned()),
        correlation_id,
        acknowledgement: None,
    }
}

/// A message read from a JetStream consumer: its reply address from the `Reply-To` header (its
/// reply subject is the server's acknowledgement subject), settled through `acker`.
pub(crate) fn from_jetstream(
    message: async_nats::Message,
    acker: async_nats::jetstream::message::Acker,
) -> Envelope {
    let mut envelope = from_nats(message);
    envelope.reply_to = envelope
        .headers
        .get_str(crate::jetstream::REPLY_TO)
        .map(str::to_owned);
    envelope.headers.remove(crate::jetstream::REPLY_TO);
    envelope.acknowledgement = Some(crate::jetstream::acknowledgement(acker, &envelope.address));
    envelope
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_content_type_and_correlation() {
        let mut e = Envelope::new("a.b").with_payload("x");
        e.headers.insert("trace", "t-1");
        e.content_type = Some("application/json".into());
        e.correlation_id = Some("c-9".into());
        let h = to_nats_headers(&e);
        assert_eq!(h.get("trace").map(|v| v.as_str()), Some("t-1"));
        assert_eq!(
            h.get(CONTENT_TYPE).map(|v| v.as_str()),
            Some("application/json")
        );
        assert_eq!(h.get(CORRELATION_ID).map(|v| v.as_str()), Some("c-9"));
    }
}
