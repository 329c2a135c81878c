//! Generating code from a `build.rs` script, for those who want the generated file on disk.
//!
//! In `build.rs`'s `main`:
//!
//! ```no_run
//! asyncapi_rs_codegen::build::Builder::new("specs/streetlights.yaml")
//!     .generate()
//!     .unwrap_or_else(|e| panic!("{e}"));
//! ```
//!
//! and in the crate: `mod lights { include!(concat!(env!("OUT_DIR"), "/streetlights.rs")); }`.
//!
//! The file is the same code `asyncapi::include_spec!` expands to, formatted. Cargo is told to
//! re-run the script when the document or any file it references changes; the document's
//! warnings are shown as Cargo warnings.

use std::path::{Path, PathBuf};

use crate::emit::{EmitOptions, Perspective, format_file};
use crate::{Diagnostics, Severity};

/// Why code could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The document has errors.
    #[error("{} has errors:\n{}", document.display(), render(diagnostics))]
    Document {
        /// The document.
        document: PathBuf,
        /// Every diagnostic.
        diagnostics: Diagnostics,
    },
    /// `OUT_DIR` is not set (not run by Cargo) and no output path was given.
    #[error(
        "OUT_DIR is not set: run from a build script, or give `Builder::out_file` an absolute path"
    )]
    NoOutDir,
    /// The file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

fn render(diagnostics: &Diagnostics) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Generates the code of one document into a file.
#[derive(Clone, Debug)]
pub struct Builder {
    document: PathBuf,
    out_file: Option<PathBuf>,
    options: EmitOptions,
    remote: bool,
    anywhere: bool,
}

impl Builder {
    /// A builder for `document` (relative to the package's folder, where build scripts run).
    pub fn new(document: impl AsRef<Path>) -> Builder {
        Builder {
            document: document.as_ref().to_path_buf(),
            out_file: None,
            options: EmitOptions::default(),
            remote: false,
            anywhere: false,
        }
    }

    /// Whether `http(s)` references are followed (off by default): each remote document is
    /// fetched once and cached (see `asyncapi::codegen::remote`, feature `remote`), so that later
    /// builds work offline. Without the feature they stay refused, with an error that says so.
    pub fn allow_remote_refs(mut self, allow: bool) -> Builder {
        self.remote = allow;
        self
    }

    /// Whether the document's `$ref`s may reach local files outside the crate's folder
    /// (`CARGO_MANIFEST_DIR`, as for the macros; the document's folder outside a build script).
    /// Off by default: a reference that leaves it is an error that reads nothing.
    pub fn references_anywhere(mut self, anywhere: bool) -> Builder {
        self.anywhere = anywhere;
        self
    }

    /// Where to write: relative to `OUT_DIR`, or absolute. The default is the document's file
    /// stem with `.rs` in `OUT_DIR`.
    pub fn out_file(mut self, path: impl AsRef<Path>) -> Builder {
        self.out_file = Some(path.as_ref().to_path_buf());
        self
    }

    /// Whose side the operations are written from.
    pub fn perspective(mut self, perspective: Perspective) -> Builder {
        self.options.perspective = perspective;
        self
    }

    /// Only these operations, by key (the keys of [`crate::model::Document::operations`]).
    pub fn operations<I: IntoIterator<Item = S>, S: Into<String>>(mut self, keys: I) -> Builder {
        self.options.operations = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Where the `asyncapi` facade crate is (`::asyncapi` by default).
    pub fn crate_path(mut self, path: impl Into<String>) -> Builder {
        self.options.crate_path = path.into();
        self
    }

    /// Generates, writes the file, and returns its path.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        let generated = crate::generate_with(
            &self.document,
            &self.options,
            &crate::LoadOptions::default()
                .allowing_remote(self.remote)
                .with_local(if self.anywhere {
                    crate::LocalPolicy::Anywhere
                } else {
                    crate::LocalPolicy::crate_folder()
                }),
        );
        for file in &generated.files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        for d in generated
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
        {
            println!("cargo:warning={}", d.to_string().replace('\n', " "));
        }
        let Some(tokens) = generated.tokens else {
            return Err(BuildError::Document {
                document: self.document,
                diagnostics: generated.diagnostics,
            });
        };
        let target = match &self.out_file {
            Some(p) if p.is_absolute() => p.clone(),
            other => {
                let dir = std::env::var_os("OUT_DIR").ok_or(BuildError::NoOutDir)?;
                let name = other.clone().unwrap_or_else(|| {
                    let stem = self
                        .document
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "asyncapi".to_owned());
                    PathBuf::from(format!("{stem}.rs"))
                });
                PathBuf::from(dir).join(name)
            }
        };
        std::fs::write(&target, format_file(&tokens)).map_err(|source| BuildError::Write {
            path: target.clone(),
            source,
        })?;
        Ok(target)
    }
}
