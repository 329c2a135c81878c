//! Hand-written structs as messages: the whole struct as the payload, checked against a
//! document's message at compile time; or a payload and headers pair.

use asyncapi::envelope::Envelope;
use asyncapi::Message as _;
use serde::{Deserialize, Serialize};

#[derive(Debug, PartialEq, Serialize, Deserialize, asyncapi::Message)]
#[serde(rename_all = "camelCase")]
#[asyncapi(spec = "../../../examples/specs/streetlights-mqtt.yaml", relative_to = "file", message = "lightMeasured")]
struct Measured {
    lumens: Option<i64>,
    sent_at: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Trace {
    trace: String,
}

#[derive(Debug, PartialEq, asyncapi::Message)]
#[asyncapi(name = "traced", content_type = "application/json")]
struct Traced {
    #[asyncapi(payload)]
    body: Vec<u32>,
    #[asyncapi(headers)]
    headers: Trace,
}

fn main() {
    assert_eq!(Measured::NAME, "lightMeasured");
    assert_eq!(Measured::CONTENT_TYPE, "application/json");
    let m = Measured { lumens: Some(3), sent_at: None };
    let mut envelope = Envelope::new("a");
    m.encode(&mut envelope).unwrap();
    assert_eq!(Measured::decode(&envelope).unwrap(), m);

    let t = Traced { body: vec![1, 2], headers: Trace { trace: "t-1".into() } };
    let mut envelope = Envelope::new("a");
    t.encode(&mut envelope).unwrap();
    assert_eq!(envelope.headers.get_str("trace"), Some("t-1"));
    assert_eq!(&envelope.payload[..], b"[1,2]");
    assert_eq!(Traced::decode(&envelope).unwrap(), t);
}
