//! The payload codecs must never panic on bytes from a peer: any bytes decoded as each content
//! type a document may name (JSON, text, bytes, YAML, XML, and spellings with parameters), into a
//! free-form value and into the shapes generated code asks for; what decodes is encoded again.
#![no_main]

use asyncapi_runtime::codec::{decode, encode};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/vnd.api+json",
    "text/plain",
    "text/plain; charset=iso-8859-1",
    "application/octet-stream",
    "application/yaml",
    "application/x-yaml",
    "application/xml",
    "text/xml",
    "image/jpeg",
    "",
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let content_type = CONTENT_TYPES[usize::from(selector) % CONTENT_TYPES.len()];
    if let Ok(value) = decode::<Value>(content_type, bytes) {
        let _ = encode(content_type, &value);
    }
    let _ = decode::<String>(content_type, bytes);
    let _ = decode::<Vec<u8>>(content_type, bytes);
    let _ = decode::<f64>(content_type, bytes);
    let _ = decode::<Vec<Option<i64>>>(content_type, bytes);
    let _ = decode::<std::collections::BTreeMap<String, Value>>(content_type, bytes);
});
