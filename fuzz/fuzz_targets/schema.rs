//! Schema validation (the interpreter generated code falls back to, and `uniqueItems`) must
//! never panic and stay within time on any schema and instance: input is a JSON schema, a NUL
//! byte, and a JSON instance.
#![no_main]

use asyncapi_runtime::schema::{Schema, first_duplicate};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let (schema, instance) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"null"[..]),
    };
    let Ok(schema) = serde_json::from_slice::<Value>(schema) else {
        return;
    };
    let Ok(instance) = serde_json::from_slice::<Value>(instance) else {
        return;
    };
    if let Value::Array(items) = &instance {
        let _ = first_duplicate(items);
    }
    if let Ok(compiled) = Schema::compile(&schema) {
        if let Err(violations) = compiled.validate(&instance) {
            let _ = violations.to_string();
        }
    }
});
