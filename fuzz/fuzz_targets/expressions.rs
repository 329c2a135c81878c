//! Runtime expressions (`$message.header#/...`, `$message.payload#/...`) must never panic when
//! parsed from a document or evaluated against a peer's message: input is an expression, a
//! newline, then a JSON payload.
#![no_main]

use asyncapi_runtime::envelope::Envelope;
use asyncapi_runtime::expression::RuntimeExpression;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (expression, payload) = text.split_once('\n').unwrap_or((&text, ""));
    let Ok(expression) = RuntimeExpression::parse(expression) else {
        return;
    };
    let json: Value = serde_json::from_str(payload).unwrap_or(Value::Null);
    let _ = expression.evaluate(&json, &json);
    let mut envelope = Envelope::new("replies").with_payload(payload.as_bytes().to_vec());
    envelope.content_type = Some("application/json".to_owned());
    envelope.headers.append("replyTo", payload.as_bytes().to_vec());
    envelope.headers.append("correlationId", payload.as_bytes().to_vec());
    let _ = expression.evaluate_envelope(&envelope);
});
