//! Snapshot tests of generated code: for each `tests/generate/NAME.yaml`, the formatted types the
//! generator plans must equal `tests/generate/NAME.rs`; for each `tests/api/NAME.yaml`, the whole
//! API (what `include_spec!` expands to) must equal `tests/api/NAME.rs`. Review a changed snapshot like code: run
//! with `BLESS=1` to rewrite them, then read the diff. (That this code compiles and that the
//! documents' examples round-trip through it is checked by the facade's `tests/generated.rs`.)

use std::path::Path;

use asyncapi_rs_codegen::emit::api::emit_api;
use asyncapi_rs_codegen::emit::{EmitOptions, emit_types, format_file};
use asyncapi_rs_codegen::types::TypeSpace;
use asyncapi_rs_codegen::{Document, LoadOptions, load};

/// Renders every `dir/*.yaml` with `render` and compares it with `dir/*.rs` (or rewrites the
/// snapshots under `BLESS=1`).
fn check_snapshots(dir: &str, render: fn(&Document, &TypeSpace) -> String) {
    let dir = Path::new(dir);
    let bless = std::env::var_os("BLESS").is_some();
    let mut inputs: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no documents in {}", dir.display());
    let mut failures = Vec::new();
    for input in &inputs {
        let (doc, _) = load(input, &LoadOptions::default())
            .into_result()
            .unwrap_or_else(|d| panic!("{} loads: {d:?}", input.display()));
        let code = render(&doc, &TypeSpace::build(&doc));
        let snapshot = input.with_extension("rs");
        if bless {
            std::fs::write(&snapshot, &code).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if expected != code {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- got\n{code}",
                snapshot.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generated_code_matches_the_reviewed_snapshots() {
    check_snapshots("tests/generate", |_, space| {
        format_file(&emit_types(space, &EmitOptions::default()))
    });
}

#[test]
fn generated_api_matches_the_reviewed_snapshots() {
    check_snapshots("tests/api", |doc, space| {
        format_file(&emit_api(doc, space, &EmitOptions::default()))
    });
}
