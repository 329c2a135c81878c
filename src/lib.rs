//! Typed Rust from AsyncAPI documents.
//!
//! This is the facade crate users depend on. Today it gives access to the document loader: read an
//! AsyncAPI 2.0–2.6, 3.0 or 3.1 document (YAML or JSON, split over as many files as its `$ref`s
//! reach), get every problem as a located diagnostic, and walk the typed, resolved document.
//!
//! ```no_run
//! use asyncapi::codegen::{load, LoadOptions};
//!
//! let loaded = load("specs/streetlights.yaml", &LoadOptions::default());
//! for diagnostic in &loaded.diagnostics {
//!     eprintln!("{diagnostic}");
//! }
//! if let Ok((doc, _warnings)) = loaded.into_result() {
//!     for (key, id) in &doc.channels {
//!         println!("{key}: {:?}", doc[*id].address);
//!     }
//! }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The document loader and (in later stages) code generator, for tools and `build.rs` scripts.
pub use asyncapi_rs_codegen as codegen;
