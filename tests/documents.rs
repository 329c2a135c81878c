//! Every valid document compiles: the document generator of `tests/docgen` puts every schema
//! shape where a type is planned (component schema, payload, property, array item, map value,
//! header, channel parameter, WebSocket query and header, HTTP query, Kafka key), and operations
//! that declare no message (`docgen::without_messages`); each document
//! must load without an error, and the API generated for all of them must compile with no
//! warning, in one crate whose only dependency is the facade (like `tests/generated.rs`).
//!
//! `ASYNCAPI_DOCGEN_SECONDS=600 cargo test --all-features --test documents -- --nocapture` adds
//! random nestings of the shapes, compiled in batches, for that long (the fuzzing notes in
//! `docs/FUZZING.md`); `ASYNCAPI_DOCGEN_SEED` picks the seed.

mod docgen;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use asyncapi::codegen::emit::api::emit_api;
use asyncapi::codegen::emit::{EmitOptions, format_file};
use asyncapi::codegen::types::TypeSpace;
use asyncapi::codegen::{LoadOptions, load_str};

/// A document, expanded: its label and the generated module's code, or why it failed.
fn expand(label: &str, document: &serde_json::Value) -> Result<String, String> {
    let text = serde_json::to_string_pretty(document).expect("json");
    let loaded = load_str(format!("{label}.json"), &text, &LoadOptions::default());
    let (doc, _) = loaded.into_result().map_err(|diagnostics| {
        format!(
            "refused:\n{}\n{text}",
            diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let space = TypeSpace::build(&doc);
    Ok(format_file(&emit_api(
        &doc,
        &space,
        &EmitOptions::default(),
    )))
}

/// The crate holding `modules` (label, code) builds with no warning; otherwise the labels of
/// the modules the compiler complains about, with its messages.
fn compile(name: &str, modules: &[(String, String)]) -> Result<(), String> {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(root.join("src")).expect("crate folder");
    let facade = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nasyncapi-rs = {{ path = {:?}, features = [\"ws\"] }}\n\n[workspace]\n",
            facade.display().to_string()
        ),
    )
    .expect("manifest");
    std::fs::copy(facade.join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");
    let mut source = String::from("#![allow(dead_code, clippy::all)]\n");
    let mut starts = Vec::new();
    for (i, (label, code)) in modules.iter().enumerate() {
        starts.push((source.lines().count() + 1, label.clone()));
        writeln!(
            source,
            "/// {}\npub mod m{i} {{\n{code}\n}}",
            label.replace('\n', " ")
        )
        .unwrap();
    }
    source.push_str("fn main() {}\n");
    std::fs::write(root.join("src/main.rs"), &source).expect("main.rs");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--offline", "--message-format", "short"])
        .current_dir(&root)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-target")),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() && !stderr.contains("warning") {
        return Ok(());
    }
    // `src/main.rs:LINE:COL: error...`: the module each message is in.
    let mut report = String::new();
    for line in stderr.lines() {
        let module = line
            .strip_prefix("src/main.rs:")
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| starts.iter().rev().find(|(start, _)| *start <= n))
            .map(|(_, label)| label.as_str())
            .unwrap_or("?");
        writeln!(report, "[{module}] {line}").unwrap();
    }
    Err(format!("{} ({}):\n{report}", name, root.display()))
}

#[test]
fn every_shape_in_every_position_compiles() {
    let shapes = docgen::shapes();
    let mut modules = Vec::new();
    let mut refused = Vec::new();
    for position in docgen::POSITIONS {
        for shape in shapes.iter().filter(|s| position.takes(s)) {
            let label = format!("{position:?} {}", shape.name);
            let document = docgen::document(*position, &shape.schema, &shape.components);
            match expand(&label, &document) {
                Ok(code) => modules.push((label, code)),
                Err(why) => refused.push(format!("{label}: {why}")),
            }
        }
    }
    for (label, document) in docgen::without_messages() {
        match expand(label, &document) {
            Ok(code) => modules.push((label.to_owned(), code)),
            Err(why) => refused.push(format!("{label}: {why}")),
        }
    }
    assert!(
        refused.is_empty(),
        "valid documents refused:\n{}",
        refused.join("\n\n")
    );
    assert!(modules.len() >= 900, "{} documents", modules.len());
    if let Err(report) = compile("generated-documents", &modules) {
        panic!("generated code that does not compile:\n{report}");
    }
    eprintln!(
        "{} documents ({} shapes in {} positions) compile with no warning",
        modules.len(),
        shapes.len(),
        docgen::POSITIONS.len()
    );
}

/// Random nestings for `ASYNCAPI_DOCGEN_SECONDS` (nothing when unset).
#[test]
fn random_documents_for_a_set_time() {
    let Some(seconds) = std::env::var("ASYNCAPI_DOCGEN_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    else {
        return;
    };
    let seed = std::env::var("ASYNCAPI_DOCGEN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed);
    let shapes = docgen::shapes();
    let mut rng = docgen::Rng::new(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut documents, mut batches) = (0, 0);
    let mut findings: Vec<String> = Vec::new();
    while Instant::now() < deadline {
        let mut modules = Vec::new();
        for _ in 0..200 {
            let (label, document) = docgen::random_document(&mut rng, &shapes);
            match expand(&label, &document) {
                Ok(code) => modules.push((label, code)),
                Err(why) => findings.push(format!("{label}: {why}")),
            }
        }
        documents += modules.len();
        batches += 1;
        if let Err(report) = compile("random-documents", &modules) {
            findings.push(report);
        }
    }
    eprintln!("seed {seed}: {documents} random documents in {batches} batches");
    assert!(findings.is_empty(), "findings:\n{}", findings.join("\n\n"));
}
