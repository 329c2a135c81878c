//! What the loader tests share: documents loaded from memory, and their diagnostics.

#![allow(dead_code)] // Each test file uses part of it.

use asyncapi_rs_codegen::diag::Code;
use asyncapi_rs_codegen::{
    Diagnostic, Document, LoadOptions, Loaded, LocalPolicy, MemoryReader, load,
};

pub fn load_files(files: &[(&str, &str)]) -> Loaded {
    let mut reader = MemoryReader::new();
    for (path, text) in files {
        reader = reader.with(*path, *text);
    }
    // The files given are the whole project: references may reach any of them (the loader's
    // confinement to a folder has tests of its own, `tests/confinement.rs`).
    let options = LoadOptions::default()
        .with_reader(reader)
        .with_local(LocalPolicy::Anywhere);
    load(files[0].0, &options)
}

pub fn ok(files: &[(&str, &str)]) -> Document {
    let loaded = load_files(files);
    let errors: Vec<String> = loaded.diagnostics.errors().map(|d| d.to_string()).collect();
    assert!(
        errors.is_empty(),
        "unexpected errors:\n{}",
        errors.join("\n")
    );
    loaded.document.expect("a document")
}

pub fn diags(files: &[(&str, &str)]) -> Vec<Diagnostic> {
    load_files(files).diagnostics.into_vec()
}

pub fn only(diags: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

pub const HEAD: &str = "asyncapi: 3.0.0\ninfo: {title: T, version: '1'}\n";

/// Whether any of them is an error.
pub fn loaded_has_errors(d: &[Diagnostic]) -> bool {
    d.iter().any(Diagnostic::is_error)
}
