//! The build.rs entry point writes the same code the macro expands to, and refuses a broken
//! document with every diagnostic.

use std::path::Path;

use asyncapi_rs_codegen::build::{BuildError, Builder};
use asyncapi_rs_codegen::emit::api::emit_api;
use asyncapi_rs_codegen::emit::{EmitOptions, Perspective, format_file};
use asyncapi_rs_codegen::types::TypeSpace;
use asyncapi_rs_codegen::{LoadOptions, load};

#[test]
fn builder_writes_the_expansion() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("request-reply-client.rs");
    let written = Builder::new("tests/api/request-reply.yaml")
        .out_file(&out)
        .perspective(Perspective::Client)
        .operations(["work"])
        .generate()
        .expect("generates");
    assert_eq!(written, out);
    let (doc, _) = load("tests/api/request-reply.yaml", &LoadOptions::default())
        .into_result()
        .expect("loads");
    let options = EmitOptions {
        perspective: Perspective::Client,
        operations: Some(vec!["work".to_owned()]),
        ..EmitOptions::default()
    };
    let expected = format_file(&emit_api(&doc, &TypeSpace::build(&doc), &options));
    assert_eq!(std::fs::read_to_string(&out).expect("written"), expected);
    // The client's view of `work` sends; `submit` was left out.
    assert!(expected.contains("pub struct Work;") && !expected.contains("pub struct Submit;"));
    assert!(expected.contains("pub async fn request<C>"));
}

#[test]
fn builder_reports_every_error() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("broken.rs");
    let err = Builder::new("tests/broken/operations.yaml")
        .out_file(&out)
        .generate()
        .unwrap_err();
    match &err {
        BuildError::Document { diagnostics, .. } => assert!(diagnostics.has_errors()),
        other => panic!("{other}"),
    }
    assert!(
        err.to_string().contains("tests/broken/operations.yaml:"),
        "{err}"
    );
}
