//! Broken documents, each with the exact diagnostics it must produce.
//!
//! For every `tests/broken/NAME.(yaml|json)` the rendered diagnostics (as `asyncapi check` prints
//! them, without source snippets) must equal `tests/broken/NAME.expected`. After a deliberate
//! change of messages, run with `BLESS=1` to rewrite the expected files, then review the diff.

use std::fmt::Write as _;
use std::path::Path;

use asyncapi_rs_codegen::{LoadOptions, load};

#[test]
fn broken_documents_give_their_exact_diagnostics() {
    let dir = Path::new("tests/broken");
    let bless = std::env::var_os("BLESS").is_some();
    let mut inputs: Vec<_> = std::fs::read_dir(dir)
        .expect("tests/broken exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "json")
            )
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 15, "{} broken documents", inputs.len());
    let mut failures = Vec::new();
    for input in &inputs {
        let loaded = load(input, &LoadOptions::default());
        let mut rendered = String::new();
        for d in &loaded.diagnostics {
            writeln!(rendered, "{d}\n").expect("write to string");
        }
        assert!(
            loaded.diagnostics.has_errors() || loaded.diagnostics.iter().count() > 0,
            "{} gives no diagnostic",
            input.display()
        );
        let expected_path = input.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, &rendered).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != rendered {
            failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- got\n{rendered}",
                input.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
