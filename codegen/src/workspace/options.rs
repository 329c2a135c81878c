//! How documents are loaded: where local files are read from ([`SourceReader`]), which of them
//! references may reach ([`LocalPolicy`]), what becomes of remote references
//! ([`RemotePolicy`]), and the limits ([`LoadOptions`]).

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::parse::Limits;
use crate::reference;

/// Reads the text of local files. The default reads the file system; tests and tools that keep
/// documents in memory provide their own.
pub trait SourceReader: Send + Sync {
    /// Returns the whole text of `path`.
    fn read(&self, path: &Path) -> io::Result<String>;

    /// Returns the text of `path` if it has at most `max_bytes` bytes, else an error; a reader
    /// of the file system stops reading past the limit (by default the whole text is read, then
    /// measured).
    fn read_at_most(&self, path: &Path, max_bytes: usize) -> io::Result<String> {
        let text = self.read(path)?;
        if text.len() > max_bytes {
            return Err(too_large(max_bytes));
        }
        Ok(text)
    }

    /// The path as the file system resolves it (symbolic links followed), to tell whether it is
    /// inside a folder; by default the path as written, normalised.
    fn resolve(&self, path: &Path) -> PathBuf {
        reference::normalize(path)
    }
}

fn too_large(max_bytes: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("larger than {max_bytes} bytes (`Limits::max_file_bytes`)"),
    )
}

/// Reads files from the file system: regular files only (not a device, a pipe or a folder), and
/// never more than the size limit.
#[derive(Clone, Copy, Debug, Default)]
pub struct FsReader;

impl SourceReader for FsReader {
    fn read(&self, path: &Path) -> io::Result<String> {
        self.read_at_most(path, usize::MAX)
    }

    fn read_at_most(&self, path: &Path, max_bytes: usize) -> io::Result<String> {
        use std::io::Read;
        // Before opening: opening a pipe waits for a writer.
        if !std::fs::metadata(path)?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        let file = std::fs::File::open(path)?;
        let mut text = String::new();
        let limit = u64::try_from(max_bytes)
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        file.take(limit).read_to_string(&mut text)?;
        if text.len() > max_bytes {
            return Err(too_large(max_bytes));
        }
        Ok(text)
    }

    fn resolve(&self, path: &Path) -> PathBuf {
        if let Ok(real) = std::fs::canonicalize(path) {
            return real;
        }
        // A file that does not exist: its closest existing folder resolved, the rest as written.
        let absolute = match std::env::current_dir() {
            Ok(here) if path.is_relative() => here.join(path),
            _ => path.to_path_buf(),
        };
        let absolute = reference::normalize(&absolute);
        let mut rest = Vec::new();
        let mut existing = absolute.as_path();
        while let Some(parent) = existing.parent() {
            rest.push(
                existing
                    .file_name()
                    .map(|n| n.to_os_string())
                    .unwrap_or_default(),
            );
            if let Ok(real) = std::fs::canonicalize(parent) {
                return rest.iter().rev().fold(real, |p, part| p.join(part));
            }
            existing = parent;
        }
        absolute
    }
}

/// Reads files from an in-memory map of path to text (for tests and embedded documents).
#[derive(Clone, Debug, Default)]
pub struct MemoryReader {
    files: HashMap<PathBuf, String>,
}

impl MemoryReader {
    /// An empty set of files.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file.
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.files
            .insert(reference::normalize(&path.into()), text.into());
        self
    }
}

impl SourceReader for MemoryReader {
    fn read(&self, path: &Path) -> io::Result<String> {
        self.files
            .get(&reference::normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }
}

/// Fetches a remote document given its URL (without fragment).
pub type RemoteFetcher = dyn Fn(&str) -> Result<String, String> + Send + Sync;

/// Whether `http(s)` references are followed.
#[derive(Clone, Default)]
pub enum RemotePolicy {
    /// Remote references are errors (the default: builds stay offline and reproducible).
    #[default]
    Deny,
    /// Remote references are fetched with this function.
    Fetch(Arc<RemoteFetcher>),
}

impl fmt::Debug for RemotePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemotePolicy::Deny => f.write_str("Deny"),
            RemotePolicy::Fetch(_) => f.write_str("Fetch(..)"),
        }
    }
}

/// Which local files references may reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LocalPolicy {
    /// Files inside the root document's folder (and below it): the default of
    /// [`LoadOptions::default`] and of the CLI.
    #[default]
    RootFolder,
    /// Files inside this folder (and below it), or inside the root document's own folder: the
    /// macros' default is the crate's folder (`CARGO_MANIFEST_DIR`), so that a document the
    /// crate names from elsewhere may still reach the files beside it, never `../` beyond.
    Within(PathBuf),
    /// Any file the process can read (an explicit choice: the macros' `references =
    /// "anywhere"`, the CLI's `--references-anywhere`, `Builder::references_anywhere`).
    Anywhere,
}

impl LocalPolicy {
    /// Inside the folder of the crate being built (`CARGO_MANIFEST_DIR`, which Cargo sets for
    /// macros and build scripts), else inside the root document's folder.
    pub fn crate_folder() -> LocalPolicy {
        match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(dir) => LocalPolicy::Within(PathBuf::from(dir)),
            None => LocalPolicy::RootFolder,
        }
    }
}

/// How documents are loaded.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Resource limits.
    pub limits: Limits,
    /// What to do with `http(s)` references.
    pub remote: RemotePolicy,
    /// Which local files references may reach.
    pub local: LocalPolicy,
    /// Where local files are read from.
    pub reader: Arc<dyn SourceReader>,
}

impl fmt::Debug for dyn SourceReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SourceReader")
    }
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            limits: Limits::default(),
            remote: RemotePolicy::Deny,
            local: LocalPolicy::RootFolder,
            reader: Arc::new(FsReader),
        }
    }
}

impl LoadOptions {
    /// Reads files through `reader` instead of the file system.
    pub fn with_reader(mut self, reader: impl SourceReader + 'static) -> Self {
        self.reader = Arc::new(reader);
        self
    }

    /// Follows `http(s)` references by calling `fetch` with the URL.
    pub fn with_remote_fetcher(
        mut self,
        fetch: impl Fn(&str) -> Result<String, String> + Send + Sync + 'static,
    ) -> Self {
        self.remote = RemotePolicy::Fetch(Arc::new(fetch));
        self
    }

    /// Follows `http(s)` references, fetching each document once and keeping it in `cache`
    /// (feature `remote`; see [`crate::remote`]).
    #[cfg(feature = "remote")]
    pub fn with_remote_cache(self, cache: impl Into<PathBuf>) -> Self {
        LoadOptions {
            remote: RemotePolicy::Fetch(crate::remote::cached_fetcher(cache.into())),
            ..self
        }
    }

    /// The options of the macros: local references inside the crate's folder
    /// (`CARGO_MANIFEST_DIR`; the root document's folder when it is not set); remote references
    /// only when the environment variable `ASYNCAPI_REMOTE_REFS` is `1` or `true` (and the
    /// `remote` feature is built), cached in [`crate::remote::default_cache_dir`].
    pub fn for_macros() -> Self {
        let allowed = std::env::var("ASYNCAPI_REMOTE_REFS")
            .is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
        Self::default()
            .allowing_remote(allowed)
            .with_local(LocalPolicy::crate_folder())
    }

    /// These options, following `http(s)` references with the default cache when `allowed`
    /// (without the `remote` feature, remote references stay refused, and the error says how
    /// to build it in).
    pub fn allowing_remote(self, allowed: bool) -> Self {
        #[cfg(feature = "remote")]
        if allowed {
            return self.with_remote_cache(crate::remote::default_cache_dir());
        }
        #[cfg(not(feature = "remote"))]
        let _ = allowed;
        self
    }

    /// References may reach the local files `policy` says.
    pub fn with_local(mut self, policy: LocalPolicy) -> Self {
        self.local = policy;
        self
    }

    /// Uses other resource limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}
