//! The AsyncAPI document loader and code generator behind the `asyncapi` macros, CLI and
//! build.rs API.
//!
//! Data flows one way: **document bytes → spanned tree → resolved, normalised document →
//! planned Rust types → tokens**, each stage a module of its own:
//!
//! - [`parse`]: JSON or YAML (told apart by content) to [`Node`] trees in which every value knows
//!   its file, line and column, under [resource limits](parse::Limits).
//! - [`workspace`]: the root document and every file its `$ref`s reach; reference resolution
//!   (local pointers, relative files, anchors; remote URLs only when allowed).
//! - [`model`]: the typed document in the AsyncAPI 3 shape, for 2.0–2.6, 3.0 and 3.1 alike;
//!   [`check`] and [`conform`] its semantic checks.
//! - [`types`]: the Rust types planned from the document's schemas (names, unions, constraints).
//! - [`emit`]: the tokens of the models, messages, channels, servers and operations that
//!   `include_spec!` expands to, formatted by [`emit::format_file`] for the CLI.
//! - [`build`]: the `build.rs` API ([`build::Builder`]).
//! - [`expand`] and [`derive`](mod@derive): the expansions of the macros (`include_spec!`, `#[asyncapi]`,
//!   `#[derive(Message)]`), which the proc-macro crate only calls.
//! - [`diag`]: located diagnostics, all of them at once.
//!
//! ```
//! use asyncapi_rs_codegen::{load_str, LoadOptions};
//!
//! let loaded = load_str(
//!     "spec.yaml",
//!     r#"
//! asyncapi: 3.0.0
//! info: { title: Lights, version: 1.0.0 }
//! channels:
//!   lighting:
//!     address: 'lights/{id}'
//!     parameters: { id: {} }
//!     messages:
//!       measured: { payload: { type: object, properties: { lumens: { type: integer } } } }
//! operations:
//!   onMeasured:
//!     action: receive
//!     channel: { $ref: '#/channels/lighting' }
//! "#,
//!     &LoadOptions::default(),
//! );
//! assert!(!loaded.diagnostics.has_errors(), "{:?}", loaded.diagnostics);
//! let doc = loaded.document.unwrap();
//! let op = &doc[doc.operations["onMeasured"]];
//! assert_eq!(doc[op.channel].address.as_deref(), Some("lights/{id}"));
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
pub mod check;
pub mod conform;
pub mod derive;
pub mod diag;
pub mod emit;
pub mod expand;
mod filters;
pub(crate) mod lenient;
pub mod model;
pub mod node;
mod overlap;
pub mod parse;
pub mod pointer;
mod read;
pub mod reference;
#[cfg(feature = "remote")]
pub mod remote;
pub mod source;
pub mod types;
pub mod workspace;

use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Diagnostics, Location, Severity};
pub use model::Document;
pub use node::Node;
pub use workspace::{LoadOptions, LocalPolicy, MemoryReader, Workspace};

/// The result of loading a document: the typed document when the root could be read as one, and
/// every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    /// The document; `None` when the root file is unreadable, not JSON/YAML, or not an AsyncAPI
    /// document of a supported version. It can be `Some` while there are errors: it then holds
    /// everything that could be read.
    pub document: Option<Document>,
    /// Every problem found, sorted by file and position.
    pub diagnostics: Diagnostics,
    /// Every file read (or tried): what a build must watch for changes.
    pub files: Vec<PathBuf>,
}

impl Loaded {
    /// The document when there are no errors (warnings and notes are returned beside it), or
    /// every diagnostic otherwise.
    pub fn into_result(self) -> Result<(Document, Diagnostics), Diagnostics> {
        match self.document {
            Some(doc) if !self.diagnostics.has_errors() => Ok((doc, self.diagnostics)),
            _ => Err(self.diagnostics),
        }
    }
}

/// The code generated for a document, with everything needed around it.
#[derive(Debug)]
pub struct Generated {
    /// The items (`models`, `messages`, `channels`, `operations`, `servers`), when the document
    /// could be read without errors.
    pub tokens: Option<proc_macro2::TokenStream>,
    /// Every diagnostic of the document.
    pub diagnostics: Diagnostics,
    /// Every file read: what a build must watch.
    pub files: Vec<PathBuf>,
}

/// Loads a document and generates its API: what the macros, the CLI and build scripts all use
/// (remote references refused; see [`generate_with`]).
pub fn generate(path: impl AsRef<Path>, options: &emit::EmitOptions) -> Generated {
    generate_with(path, options, &LoadOptions::default())
}

/// [`generate`], loading the document with `load_options` (remote references, limits).
pub fn generate_with(
    path: impl AsRef<Path>,
    options: &emit::EmitOptions,
    load_options: &LoadOptions,
) -> Generated {
    let loaded = load(path, load_options);
    let files = loaded.files.clone();
    let diagnostics = loaded.diagnostics.clone();
    let tokens = loaded.into_result().ok().map(|(doc, _)| {
        let space = types::TypeSpace::build(&doc);
        emit::api::emit_api(&doc, &space, options)
    });
    Generated {
        tokens,
        diagnostics,
        files,
    }
}

/// Loads the document at `path` and everything it references.
pub fn load(path: impl AsRef<Path>, options: &LoadOptions) -> Loaded {
    finish(
        Workspace::load(path.as_ref(), options.clone()),
        path.as_ref(),
    )
}

/// Loads a document from text; `path` names it in diagnostics and anchors its relative
/// references.
pub fn load_str(path: impl AsRef<Path>, text: &str, options: &LoadOptions) -> Loaded {
    finish(
        Workspace::from_text(path.as_ref(), text, options.clone()),
        path.as_ref(),
    )
}

fn finish(ws: Result<Workspace, Box<Diagnostic>>, path: &Path) -> Loaded {
    let mut diagnostics = Diagnostics::new();
    match ws {
        Err(diag) => {
            diagnostics.push(*diag);
            Loaded {
                document: None,
                diagnostics,
                files: vec![path.to_path_buf()],
            }
        }
        Ok(ws) => {
            let document = read::read(&ws, &mut diagnostics);
            diagnostics.sort_and_dedup();
            Loaded {
                document,
                diagnostics,
                files: ws.files().map(|f| f.path.clone()).collect(),
            }
        }
    }
}
