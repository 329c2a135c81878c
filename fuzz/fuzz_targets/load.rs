//! The loader must never panic: any bytes as the root document, which may also `$ref` itself
//! under a second name.
#![no_main]

use asyncapi_rs_codegen::{LoadOptions, MemoryReader, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let reader = MemoryReader::new()
        .with("doc.yaml", text.as_ref())
        .with("x.yaml", text.as_ref());
    let loaded = load("doc.yaml", &LoadOptions::default().with_reader(reader));
    for diagnostic in &loaded.diagnostics {
        let _ = diagnostic.to_string();
    }
});
