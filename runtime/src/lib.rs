//! The runtime behind the code that `asyncapi-rs` generates from AsyncAPI documents.
//!
//! Users reach it through the `asyncapi` facade crate; generated code reaches it through the
//! facade's hidden `__private` module. Today it holds what generated *types* need:
//!
//! - [`validate`]: the [`Validate`](validate::Validate) trait that every generated type
//!   implements, and the [`Violations`](validate::Violations) it reports (every broken constraint
//!   with the JSON pointer of the value that broke it).
//! - [`formats`]: checks for the JSON Schema string formats that stay strings (`email`,
//!   `hostname`, `uri`, `time`, `duration`, ...).
//! - [`schema`]: a JSON Schema evaluator over `serde_json::Value`, used by generated code for the
//!   keywords a Rust type cannot express (`not`, `if`/`then`/`else`, `contains`, ...).
//! - [`types`]: value types for formats that have no better-known crate type (`Base64`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod formats;
pub mod schema;
pub mod types;
pub mod validate;
