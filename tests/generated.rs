//! The code generated for every corpus document compiles in a crate whose only dependency is the
//! facade, and every message example in the corpus decodes into its generated payload type and
//! re-encodes to the same JSON.
//!
//! The test writes that crate under Cargo's temporary folder for tests (one module per document,
//! and a `main` that round-trips each example), builds and runs it with the same Cargo, offline.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use asyncapi::codegen::emit::{EmitOptions, emit_types, format_file, type_tokens};
use asyncapi::codegen::types::TypeSpace;
use asyncapi::codegen::{LoadOptions, load};

/// Examples that cannot round-trip, each with the reason (checked: the list must stay exact).
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "spec/v3.0.0/kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml message `subscriptionStatus` example 1",
        "the example's `pair` is the string \"XBT/EUR\", but the `pair` schema is an array of strings",
    ),
    (
        "spec/v3.0.0/kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml message `subscriptionStatus` example 2",
        "the example's `pair` is the string \"XBT/USD\", but the `pair` schema is an array of strings",
    ),
    (
        "generator/websocket/asyncapi-slack-client.yml message `event` example 1",
        "the inner `event` has `channel` and `event_ts`, which the `channelJoin` variant forbids with `additionalProperties: false` (JSON Schema does not let a sibling `properties` lift that)",
    ),
    (
        "generator/websocket/asyncapi-slack-client.yml message `event` example 2",
        "the inner `event` has `event_ts` (and more), which the `reactionAdded` variant forbids with `additionalProperties: false`",
    ),
    (
        "generator/websocket/asyncapi-slack-client.yml message `event` example 3",
        "the inner `event` has `event_ts` (and more), which the `messageDeleted` variant forbids with `additionalProperties: false`",
    ),
];

#[test]
fn corpus_code_compiles_and_examples_round_trip() {
    let Some(dir) = common::corpus_dir() else {
        return;
    };
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-corpus");
    std::fs::create_dir_all(root.join("src")).expect("crate folder");
    let facade = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[package]\nname = \"generated-corpus\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nasyncapi-rs = {{ path = {:?} }}\n\n[workspace]\n",
            facade.display().to_string()
        ),
    )
    .expect("manifest");
    // The workspace's lock file pins the same dependency versions, so the offline build needs
    // nothing the workspace build did not already fetch.
    std::fs::copy(facade.join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");

    let mut modules = String::new();
    let mut checks = String::new();
    let mut documents = 0;
    let mut examples = 0;
    // The corpus, and the generator's own snapshot documents (`codegen/tests/generate`).
    let mut inputs: Vec<(String, std::path::PathBuf)> = common::documents(&dir)
        .into_iter()
        .filter(|e| !common::is_broken(&e.path))
        .map(|e| (e.path.clone(), dir.join(&e.path)))
        .collect();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("codegen/tests/generate");
    let mut own: Vec<_> = std::fs::read_dir(&snapshots)
        .expect("codegen/tests/generate")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    own.sort();
    for path in own {
        let label = format!(
            "codegen/tests/generate/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        inputs.push((label, path));
    }
    for (i, (label_path, path)) in inputs.iter().enumerate() {
        let (doc, _) = load(path, &LoadOptions::default())
            .into_result()
            .unwrap_or_else(|d| panic!("{label_path} loads: {d:?}"));
        let space = TypeSpace::build(&doc);
        let options = EmitOptions::default();
        let items = format_file(&emit_types(&space, &options));
        let mut module_checks = String::new();
        for (message_id, ty) in &space.payloads {
            let message = &doc[*message_id];
            let ty = type_tokens(&space, ty, &options).to_string();
            for (n, example) in message.examples.iter().enumerate() {
                let Some(payload) = &example.payload else {
                    continue;
                };
                let label = format!("{label_path} message `{}` example {}", message.key, n + 1);
                let json = serde_json::to_string(payload).expect("json");
                writeln!(
                    module_checks,
                    "    results.push(({label:?}, super::check::<{ty}>({json:?})));"
                )
                .unwrap();
                examples += 1;
            }
        }
        writeln!(
            modules,
            "/// {label_path}\n#[allow(dead_code, clippy::all)]\npub mod d{i} {{\n{items}\npub fn checks(results: &mut Vec<(&'static str, Result<(), String>)>) {{\n{module_checks}}}\n}}"
        )
        .unwrap();
        writeln!(checks, "    d{i}::checks(&mut results);").unwrap();
        documents += 1;
    }
    let main = format!(
        r#"{modules}
use ::asyncapi::__private::serde_json::{{self, Value}};

fn same(a: &Value, b: &Value) -> bool {{
    match (a, b) {{
        // JSON does not tell `1` from `1.0`: numbers compare by value.
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {{
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }}
        _ => a == b,
    }}
}}

fn check<T>(json: &str) -> Result<(), String>
where
    T: ::asyncapi::__private::serde::de::DeserializeOwned + ::asyncapi::__private::serde::Serialize,
{{
    let original: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let typed: T = serde_json::from_value(original.clone()).map_err(|e| format!("does not decode: {{e}}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not encode: {{e}}"))?;
    if same(&back, &original) {{ Ok(()) }} else {{ Err(format!("re-encodes as {{back}}")) }}
}}

fn main() {{
    let mut results: Vec<(&str, Result<(), String>)> = Vec::new();
{checks}
    for (label, result) in &results {{
        match result {{
            Ok(()) => println!("ok\t{{label}}"),
            Err(e) => println!("fail\t{{label}}\t{{e}}"),
        }}
    }}
}}
"#
    );
    std::fs::write(root.join("src/main.rs"), main).expect("main.rs");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--offline"])
        .current_dir(&root)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-corpus-target"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the generated code does not build or run ({}):\n{stderr}",
        root.display()
    );
    let mut passed = 0;
    let mut failures = Vec::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.splitn(3, '\t').collect();
        match parts.as_slice() {
            ["ok", _] => passed += 1,
            ["fail", label, reason] => failures.push((label.to_string(), reason.to_string())),
            _ => panic!("unexpected line from the generated program: {line}"),
        }
    }
    let unexplained: Vec<_> = failures
        .iter()
        .filter(|(label, _)| !KNOWN_FAILURES.iter().any(|(k, _)| k == label))
        .collect();
    assert!(
        unexplained.is_empty(),
        "examples that do not round-trip:\n{unexplained:#?}"
    );
    for (known, why) in KNOWN_FAILURES {
        assert!(
            failures.iter().any(|(label, _)| label == known),
            "`{known}` is listed as failing ({why}) but now passes: remove it from the list"
        );
    }
    eprintln!(
        "{documents} documents compile; {passed} of {examples} message examples round-trip, {} known failures",
        failures.len()
    );
    assert_eq!(passed + failures.len(), examples);
    assert!(documents >= 43, "{documents} documents");
}
