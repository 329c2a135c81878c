//! Generated decoders and validation must never panic on a peer's bytes: the messages of three
//! documents written by others (the AsyncAPI generator's kitchen-sink document, an AMQP RPC
//! server and a Redis user API, from `tests/specs/third-party`), decoded and validated from any
//! payload, as their content type says and as JSON.
#![no_main]

use asyncapi::envelope::Envelope;
use asyncapi::operation::decode_validated;
use libfuzzer_sys::fuzz_target;

mod dummy {
    asyncapi::include_spec!(
        "../tests/specs/third-party/generator-dummy.yaml",
        warnings = "allow"
    );
}
mod rpc {
    asyncapi::include_spec!("../tests/specs/third-party/amqp-rpc-server.yaml");
}
mod users {
    asyncapi::include_spec!("../tests/specs/third-party/redis-user-api.yaml");
}

fn decode_all(envelope: &Envelope) {
    let _ = decode_validated::<dummy::messages::DummyCreated>("dummy", envelope);
    let _ = decode_validated::<dummy::messages::DummyInfo>("dummy", envelope);
    let _ = decode_validated::<rpc::messages::Sum>("rpc", envelope);
    let _ = decode_validated::<rpc::messages::SendSumResult>("rpc", envelope);
    let _ = decode_validated::<users::messages::UserUpdate>("users", envelope);
}

fuzz_target!(|data: &[u8]| {
    // Headers as a peer may send them (the first line, as `name: value` pairs) and the payload.
    let text_end = data.iter().position(|&b| b == b'\n').unwrap_or(0);
    let (head, payload) = data.split_at(text_end);
    let mut envelope = Envelope::new("dummy/channel").with_payload(payload.to_vec());
    for pair in String::from_utf8_lossy(head).split(';') {
        if let Some((name, value)) = pair.split_once(':') {
            envelope
                .headers
                .append(name.trim(), value.trim().as_bytes().to_vec());
        }
    }
    decode_all(&envelope);
    envelope.content_type = Some("application/json".to_owned());
    decode_all(&envelope);
});
