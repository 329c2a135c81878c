//! The code generated for every corpus document — the whole API the macro expands to: models,
//! messages, channels, operations, servers — compiles with no warning in a crate whose only
//! dependency is the facade, and every message example in the corpus decodes into its generated
//! payload (and headers) type, passes `validate()`, and re-encodes to the same JSON.
//!
//! The test writes that crate under Cargo's temporary folder for tests (one module per document,
//! and a `main` that round-trips each example), builds and runs it with the same Cargo, offline.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use asyncapi::codegen::emit::api::emit_api;
use asyncapi::codegen::emit::{EmitOptions, format_file, type_tokens};
use asyncapi::codegen::types::TypeSpace;
use asyncapi::codegen::{LoadOptions, LocalPolicy, load};

/// Examples that cannot round-trip, each with the reason (checked: the list must stay exact).
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "spec/v3.0.0/kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml message `subscriptionStatus` example 1 payload",
        "the example's `pair` is the string \"XBT/EUR\", but the `pair` schema is an array of strings",
    ),
    (
        "spec/v3.0.0/kraken-websocket-request-reply-message-filter-in-reply-asyncapi.yml message `subscriptionStatus` example 2 payload",
        "the example's `pair` is the string \"XBT/USD\", but the `pair` schema is an array of strings",
    ),
    (
        "generator/websocket/asyncapi-slack-client.yml message `event` example 1 payload",
        "the inner `event` has `channel` and `event_ts`, which the `channelJoin` variant forbids with `additionalProperties: false` (JSON Schema does not let a sibling `properties` lift that)",
    ),
    (
        "generator/websocket/asyncapi-slack-client.yml message `event` example 2 payload",
        "the inner `event` has `event_ts` (and more), which the `reactionAdded` variant forbids with `additionalProperties: false`",
    ),
    (
        "generator/websocket/asyncapi-slack-client.yml message `event` example 3 payload",
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
    let mut negative = 0;
    // The corpus, and the generator's own snapshot documents (`codegen/tests/generate`).
    let mut inputs: Vec<(String, std::path::PathBuf)> = common::documents(&dir)
        .into_iter()
        .filter(|e| !common::is_broken(&e.path))
        .map(|e| (e.path.clone(), dir.join(&e.path)))
        .collect();
    for folder in ["codegen/tests/generate", "codegen/tests/api"] {
        let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut own: Vec<_> = std::fs::read_dir(&snapshots)
            .expect(folder)
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        own.sort();
        for path in own {
            let label = format!(
                "{folder}/{}",
                path.file_name().unwrap_or_default().to_string_lossy()
            );
            inputs.push((label, path));
        }
    }
    for (i, (label_path, path)) in inputs.iter().enumerate() {
        // The corpus's documents reference files beside their folders (`../common`).
        let (doc, _) = load(
            path,
            &LoadOptions::default().with_local(LocalPolicy::Anywhere),
        )
        .into_result()
        .unwrap_or_else(|d| panic!("{label_path} loads: {d:?}"));
        let space = TypeSpace::build(&doc);
        let options = EmitOptions::default();
        let items = format_file(&emit_api(&doc, &space, &options));
        let mut module_checks = String::new();
        for (part, types) in [("payload", &space.payloads), ("headers", &space.headers)] {
            for (message_id, ty) in types {
                let message = &doc[*message_id];
                // Types with constraints implement `Validate`; the others have nothing to check.
                let check = if space.implements_validate(ty) {
                    "check_valid"
                } else {
                    "check"
                };
                let ty = type_tokens(&space, ty, &options).to_string();
                for (n, example) in message.examples.iter().enumerate() {
                    let value = match part {
                        "payload" => &example.payload,
                        _ => &example.headers,
                    };
                    let Some(value) = value else {
                        continue;
                    };
                    let label = format!(
                        "{label_path} message `{}` example {} {part}",
                        message.key,
                        n + 1
                    );
                    let json = serde_json::to_string(value).expect("json");
                    let name = example.name.as_deref().unwrap_or_default();
                    // The generator's own documents also hold examples that must fail.
                    let call = if name.starts_with("undecodable") {
                        format!("super::check_undecodable::<{ty}>({json:?})")
                    } else if name.starts_with("invalid")
                        && name.ends_with("headers") == (part == "headers")
                    {
                        let expected = example.summary.as_deref().unwrap_or_default();
                        format!("super::check_invalid::<{ty}>({json:?}, {expected:?})")
                    } else {
                        format!("super::{check}::<{ty}>({json:?})")
                    };
                    if call.contains("check_invalid") || call.contains("check_undecodable") {
                        negative += 1;
                    }
                    writeln!(module_checks, "    results.push(({label:?}, {call}));").unwrap();
                    examples += 1;
                }
            }
        }
        writeln!(
            modules,
            "/// {label_path}\n#[allow(dead_code, clippy::all)]\npub mod d{i} {{\n{items}\n#[allow(unused_imports)]\nuse self::models::*;\n#[allow(unused_variables)]\npub fn checks(results: &mut Vec<(&'static str, Result<(), String>)>) {{\n{module_checks}}}\n}}"
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
        // `format: date-time` is a chrono date-time, which writes `Z` as `+00:00` and drops a
        // zero fraction: date-times compare by instant and offset.
        (Value::String(x), Value::String(y)) if x != y => {{
            use ::asyncapi::chrono::DateTime;
            match (DateTime::parse_from_rfc3339(x), DateTime::parse_from_rfc3339(y)) {{
                (Ok(x), Ok(y)) => x == y && x.offset() == y.offset(),
                _ => false,
            }}
        }}
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        // An absent property with a schema `default` reads as it, and is written back: keys the
        // original (`b`) lacks may be there, no other difference.
        (Value::Object(x), Value::Object(y)) => {{
            y.iter().all(|(k, w)| x.get(k).is_some_and(|v| same(v, w)))
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

/// The example decodes and re-encodes, and `validate()` reports exactly the violations listed
/// as `pointer keyword; ...`.
fn check_invalid<T>(json: &str, expected: &str) -> Result<(), String>
where
    T: ::asyncapi::__private::serde::de::DeserializeOwned
        + ::asyncapi::__private::serde::Serialize
        + ::asyncapi::validate::Validate,
{{
    check::<T>(json)?;
    let typed: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut want: Vec<String> = expected.split(';').map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty()).collect();
    let mut got: Vec<String> = match typed.validate() {{
        Ok(()) => Vec::new(),
        Err(violations) => violations.iter().map(|v| {{
            let pointer = if v.pointer.is_empty() {{ "(root)" }} else {{ &v.pointer }};
            format!("{{pointer}} {{}}", v.keyword)
        }}).collect(),
    }};
    want.sort();
    got.sort();
    if want == got {{ Ok(()) }} else {{ Err(format!("expected violations {{want:?}}, got {{got:?}}")) }}
}}

/// The example must not decode.
fn check_undecodable<T>(json: &str) -> Result<(), String>
where
    T: ::asyncapi::__private::serde::de::DeserializeOwned,
{{
    match serde_json::from_str::<T>(json) {{
        Ok(_) => Err("decodes, but must not".to_owned()),
        Err(_) => Ok(()),
    }}
}}

fn check_valid<T>(json: &str) -> Result<(), String>
where
    T: ::asyncapi::__private::serde::de::DeserializeOwned
        + ::asyncapi::__private::serde::Serialize
        + ::asyncapi::validate::Validate,
{{
    check::<T>(json)?;
    let typed: T = serde_json::from_str(json).map_err(|e| e.to_string())?;
    typed.validate().map_err(|e| format!("does not validate: {{}}", e.to_string().replace('\n', "; ")))
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
    assert!(
        !stderr.contains("warning"),
        "the generated code builds with warnings:\n{stderr}"
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
        "{documents} documents compile with no warning; {passed} of {examples} message examples pass ({negative} of them are meant to fail validation or decoding), {} known failures",
        failures.len()
    );
    assert!(negative >= 6, "{negative} negative examples");
    assert_eq!(passed + failures.len(), examples);
    assert!(documents >= 44, "{documents} documents");
}
