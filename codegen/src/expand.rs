//! What the procedural macros share, so that the proc-macro crate stays a thin shim: one
//! collector of errors ([`Errors`], every problem reported at once, as serde_derive does), a
//! diagnostic of the document as a compile error's text ([`render`]), rebuild tracking of the
//! files a document reads ([`tracking`]), and the expansion of `include_spec!` and
//! `#[asyncapi]` from a resolved path ([`include`](fn@include)).

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;

use crate::Diagnostic;
use crate::emit::EmitOptions;

/// Compile errors gathered while expanding a macro: each is kept, and all are reported at once.
#[derive(Debug, Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds an error.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Whether no error was added.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// `Ok` when no error was added, else every error as one.
    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// A diagnostic as a compile error's message: `file:line:col: message`, then the JSON pointer,
/// related places and help, with paths relative to the crate's folder (`CARGO_MANIFEST_DIR`).
pub fn render(diagnostic: &Diagnostic) -> String {
    let mut d = diagnostic.clone();
    if let Some(base) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) {
        let relative = |p: &mut PathBuf| {
            if let Ok(r) = p.strip_prefix(&base) {
                *p = r.to_path_buf();
            }
        };
        if let Some(loc) = d.location.as_mut() {
            relative(&mut loc.file);
        }
        for r in &mut d.related {
            relative(&mut r.location.file);
        }
    }
    let severity = format!("{}: ", d.severity);
    let text = d.to_string();
    match d.location {
        Some(_) => text.replacen(&format!(": {severity}"), ": ", 1),
        None => text.strip_prefix(&severity).unwrap_or(&text).to_owned(),
    }
}

/// Items that make Cargo rebuild the crate when any of `files` changes.
pub fn tracking(files: &[PathBuf]) -> Vec<TokenStream> {
    files
        .iter()
        .filter(|f| f.is_file())
        .map(|f| {
            let f = f.display().to_string();
            quote!(
                const _: &[u8] = ::core::include_bytes!(#f);
            )
        })
        .collect()
}

/// What becomes of a document's warnings in `cargo build`: the macros' `warnings` option.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Warnings {
    /// Not shown.
    Allow,
    /// Compiler warnings at the macro call (the default).
    #[default]
    Warn,
    /// Compile errors, like the document's errors.
    Deny,
}

/// A compiler warning at `at` that reads `text`: stable proc macros cannot emit warnings, so this
/// is the use of a deprecated item whose note is the text (the technique of the
/// `proc-macro-warning` crate), written at the user's span so that rustc reports it. It is
/// `#[deny(deprecated)]`-able and `#[allow(deprecated)]`-able like any warning.
pub fn warning(text: &str, at: Span) -> TokenStream {
    let name = quote::format_ident!("asyncapi_document_warning", span = at);
    quote! {
        const _: () = {
            #[deprecated(note = #text)]
            #[allow(non_camel_case_types)]
            struct #name;
            let _ = #name;
        };
    }
}

/// What `include_spec!` and `#[asyncapi]` expand to for the document at `path`, loaded with
/// `load` (usually [`LoadOptions::for_macros`](crate::LoadOptions::for_macros)): the generated
/// items, or every error of the document as a compile error at `at` (the path literal), with
/// rebuild tracking either way; the document's warnings as `warnings` says.
pub fn include(
    path: &Path,
    options: &EmitOptions,
    load: &crate::LoadOptions,
    at: Span,
    warnings: Warnings,
) -> TokenStream {
    let generated = crate::generate_with(path, options, load);
    // Rebuild when the document or anything it references changes.
    let tracking = tracking(&generated.files);
    let mut errors = Errors::default();
    for d in generated.diagnostics.errors() {
        errors.push(syn::Error::new(at, render(d)));
    }
    let mut shown = Vec::new();
    for d in generated
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Warning)
    {
        match warnings {
            Warnings::Allow => {}
            Warnings::Warn => shown.push(warning(&render(d), at)),
            Warnings::Deny => errors.push(syn::Error::new(at, render(d))),
        }
    }
    let tokens = match (errors.finish(), generated.tokens) {
        (Ok(()), Some(tokens)) => tokens,
        (Err(all), _) => all.to_compile_error(),
        (Ok(()), None) => syn::Error::new(at, "the document could not be read").to_compile_error(),
    };
    quote! {
        #(#tracking)*
        #(#shown)*
        #tokens
    }
}
