//! Source files and positions inside them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Identifies one file loaded into a [`crate::Workspace`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub(crate) u32);

impl FileId {
    /// The index of the file in load order (the root document is `0`).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A position in a source file: 1-based line and 1-based column (in characters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pos {
    /// Line, starting at 1.
    pub line: u32,
    /// Column in characters, starting at 1.
    pub column: u32,
}

impl Pos {
    /// Builds a position from a 1-based line and column.
    pub const fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// A range of text in one loaded file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range is in.
    pub file: FileId,
    /// First character of the range.
    pub start: Pos,
    /// Position just after the range.
    pub end: Pos,
}

/// A file the loader read, with its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as the loader resolved it (absolute when the root path was absolute).
    pub path: PathBuf,
    /// The whole text of the file.
    pub text: Arc<str>,
}

impl SourceFile {
    /// The path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
