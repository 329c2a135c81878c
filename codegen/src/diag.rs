//! Diagnostics: every problem the loader finds, located in the document.
//!
//! A [`Diagnostic`] carries a severity, a stable code, a message, the file, line and column it is
//! about, the JSON pointer of the offending node, and optionally more locations that help (for a
//! broken `$ref`, where the reference is written and where it points). The loader collects all of
//! them before it gives up, so a user sees every problem at once.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Note,
    /// The document loads, but probably not as its author meant.
    Warning,
    /// The document cannot be turned into code.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Where in which file a diagnostic points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as the loader resolved its path.
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// JSON pointer of the node inside its file (`""` is the whole file).
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A further location attached to a diagnostic, with a label saying why it matters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// What this location is (for example "the reference is here").
    pub message: String,
    /// The location.
    pub location: Location,
}

/// Stable identifiers of the problems the loader reports; `asyncapi check --format json` prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// A file could not be read.
    Io,
    /// The file is neither valid JSON nor valid YAML.
    Syntax,
    /// A resource limit (size, nesting, alias expansion, file count) was hit.
    Limit,
    /// A key appears twice in one mapping.
    DuplicateKey,
    /// A `$ref` whose target does not exist.
    UnresolvedRef,
    /// A `$ref` that is not a valid reference.
    InvalidRef,
    /// A remote (`http(s)`) reference, refused by the load options.
    RemoteRef,
    /// `$ref`s that lead only to each other.
    RefCycle,
    /// The document is not an AsyncAPI document, or its version is not supported.
    Version,
    /// A field has the wrong type or a value outside what the specification allows.
    InvalidValue,
    /// A field the specification requires is missing.
    MissingField,
    /// An operation's channel is not one of the document's channels.
    OperationChannel,
    /// An operation names a message that its channel does not carry.
    OperationMessage,
    /// An address uses a `{parameter}` that the channel does not declare, or the reverse.
    Parameter,
    /// Two names in one namespace become the same Rust identifier.
    NameCollision,
    /// A server's protocol has no transport of its own in this project.
    UnknownProtocol,
    /// A binding field or version that the bindings specification does not define.
    Binding,
    /// A payload schema format the generator keeps as raw bytes.
    SchemaFormat,
    /// A field unknown to the specification.
    UnknownField,
    /// A schema `pattern` the generated validation cannot check.
    Pattern,
    /// A departure from the specification that real tools write, read the obvious way.
    Departure,
    /// Messages of one operation that a payload alone cannot tell apart.
    OverlappingMessages,
}

/// One problem (or remark) about a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// What kind of problem it is.
    pub code: Code,
    /// The human-readable message, without location.
    pub message: String,
    /// Where it is; `None` only when no file could be read at all.
    pub location: Option<Location>,
    /// Further locations that help.
    pub related: Vec<Related>,
    /// A hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new diagnostic with no location yet.
    pub fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            related: Vec::new(),
            help: None,
        }
    }

    /// Shorthand for an error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// Shorthand for a warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    /// Shorthand for a note.
    pub fn note(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Note, code, message)
    }

    /// Sets the primary location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, message: impl Into<String>, location: Location) -> Self {
        self.related.push(Related {
            message: message.into(),
            location,
        });
        self
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders the diagnostic the way rustc prints its own: `path:line:col: error: message`, then
/// indented lines for the pointer, related locations and help.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}: {}", self.severity, self.message)?,
            None => write!(f, "{}: {}", self.severity, self.message)?,
        }
        if let Some(loc) = self.location.as_ref().filter(|l| !l.pointer.is_empty()) {
            write!(f, "\n  at #{}", loc.pointer)?;
        }
        for related in &self.related {
            write!(f, "\n  {}: {}", related.location, related.message)?;
            if !related.location.pointer.is_empty() {
                write!(f, " (#{})", related.location.pointer)?;
            }
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The diagnostics of one load, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.is_error())
    }

    /// All of them.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by file, line and column (stable, so equal positions keep their order) and drops
    /// repeats: the same problem at the same place, which arises when one node is reached through
    /// several references or traits (the JSON pointers then differ; the first is kept).
    pub fn sort_and_dedup(&mut self) {
        self.0.sort_by(|a, b| {
            let key = |d: &Diagnostic| {
                d.location
                    .as_ref()
                    .map(|l| (l.file.clone(), l.line, l.column))
            };
            key(a).cmp(&key(b))
        });
        let mut seen = std::collections::HashSet::new();
        self.0.retain(|d| {
            let place = d
                .location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column));
            seen.insert((d.severity, d.code, d.message.clone(), place))
        });
    }

    /// The diagnostics as a vector.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<T: IntoIterator<Item = Diagnostic>>(&mut self, iter: T) {
        self.0.extend(iter);
    }
}
