//! Compile-pass and compile-fail cases of the macros (trybuild): the `.stderr` files show the
//! exact diagnostics a user sees, with the document's file, line and column. One more pass case,
//! written at test time, expands `include_spec!` for every corpus document (both perspectives
//! for the first ones), so the macro itself (paths, files reached through `$ref`, rebuild
//! tracking) runs on all of them.

mod common;

use std::fmt::Write as _;

#[test]
fn macros() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
    if let Some(dir) = common::corpus_dir() {
        let mut source = String::from(
            "//! Every corpus document through `include_spec!` (written by tests/ui.rs).\n",
        );
        let documents: Vec<_> = common::documents(&dir)
            .into_iter()
            .filter(|e| !common::is_broken(&e.path))
            .collect();
        assert!(documents.len() >= 38, "{} documents", documents.len());
        for (i, e) in documents.iter().enumerate() {
            let path = dir.join(&e.path).canonicalize().expect("corpus path");
            writeln!(
                source,
                "/// {}\n#[allow(dead_code)]\nmod d{i} {{ asyncapi::include_spec!({:?}, references = \"anywhere\"); }}",
                e.path,
                path.display().to_string()
            )
            .unwrap();
            if i < 8 {
                writeln!(
                    source,
                    "#[allow(dead_code)]\nmod c{i} {{ asyncapi::include_spec!({:?}, perspective = \"client\", references = \"anywhere\"); }}",
                    path.display().to_string()
                )
                .unwrap();
            }
        }
        source.push_str("fn main() {}\n");
        let file =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus_through_the_macro.rs");
        std::fs::write(&file, source).expect("write the corpus case");
        t.pass(file);
    }
}
