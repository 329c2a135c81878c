//! Load and generation time of the largest corpus documents (see `docs/BENCHMARKS.md`).
//!
//! Run with `cargo bench --bench codegen`. The corpus is read from `../shared/corpus` (or
//! `ASYNCAPI_CORPUS`); the file is read into memory once, so the numbers are parsing, reference
//! resolution, typed reading, checks and generation, not disk access.

use std::path::PathBuf;

use asyncapi::codegen::emit::api::emit_api;
use asyncapi::codegen::emit::{EmitOptions, emit_types, format_file};
use asyncapi::codegen::types::TypeSpace;
use asyncapi::codegen::{Document, LoadOptions, MemoryReader, load, parse};

const DOCUMENTS: &[&str] = &[
    "asyncapi-template/cl/asyncapi.yaml",
    "springwolf-core/kafka-example/asyncapi.json",
    "spec/v3.0.0/slack-rtm-asyncapi.yml",
    "asyncapi-rust-ws-template/v2.yaml",
];

fn main() {
    divan::main();
}

fn corpus() -> PathBuf {
    let dir = std::env::var_os("ASYNCAPI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the corpus is missing at {}; set ASYNCAPI_CORPUS",
        dir.display()
    );
    dir
}

fn text(name: &str) -> (PathBuf, String) {
    let path = corpus().join(name);
    let text = std::fs::read_to_string(&path).expect("readable corpus document");
    (path, text)
}

/// Parse, resolve every `$ref`, read the typed document and run the checks.
#[divan::bench(args = DOCUMENTS)]
fn load_resolve_check(bencher: divan::Bencher, name: &str) {
    let (path, text) = text(name);
    let options = LoadOptions::default().with_reader(MemoryReader::new().with(&path, text));
    bencher.bench(|| {
        let loaded = load(&path, &options);
        assert!(!loaded.diagnostics.has_errors());
        loaded
    });
}

/// Only the text-to-tree step, for comparison.
#[divan::bench(args = DOCUMENTS)]
fn parse_only(bencher: divan::Bencher, name: &str) {
    let (_, text) = text(name);
    let limits = parse::Limits::default();
    bencher.bench(|| parse::parse(&text, Default::default(), &limits).expect("parses"));
}

fn document(name: &str) -> Document {
    let (path, text) = text(name);
    let options = LoadOptions::default().with_reader(MemoryReader::new().with(&path, text));
    load(&path, &options).into_result().expect("loads").0
}

/// Planning the Rust types and validation rules of every schema (the loaded document is reused).
#[divan::bench(args = DOCUMENTS)]
fn plan_types(bencher: divan::Bencher, name: &str) {
    let doc = document(name);
    bencher.bench(|| TypeSpace::build(&doc));
}

/// Planning, emitting tokens and formatting them with prettyplease: what `asyncapi generate`
/// does after loading.
#[divan::bench(args = DOCUMENTS)]
fn generate_formatted(bencher: divan::Bencher, name: &str) {
    let doc = document(name);
    let options = EmitOptions::default();
    bencher.bench(|| format_file(&emit_types(&TypeSpace::build(&doc), &options)));
}

/// What `include_spec!` does after loading: plan the types and build the tokens of the whole API
/// (no formatting).
#[divan::bench(args = DOCUMENTS)]
fn expand_api(bencher: divan::Bencher, name: &str) {
    let doc = document(name);
    let options = EmitOptions::default();
    bencher.bench(|| emit_api(&doc, &TypeSpace::build(&doc), &options));
}
