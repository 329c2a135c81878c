//! Files and references: reads the root document and every file its `$ref`s reach, and resolves
//! references to nodes.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Code, Diagnostic, Location};
use crate::node::{Node, Value};
use crate::parse::{self, ParseError, Syntax};
use crate::pointer::JsonPointer;
use crate::reference::{self, Fragment, RefSyntaxError, RefTarget};
use crate::source::{FileId, SourceFile, Span};

mod options;
mod scan;

pub use options::{
    FsReader, LoadOptions, LocalPolicy, MemoryReader, RemoteFetcher, RemotePolicy, SourceReader,
};

use scan::{avro_names, collect_ids, collect_refs, find_anchor};

/// Why a file could not be used.
#[derive(Clone, Debug)]
enum FileState {
    Parsed(Node),
    Unreadable(String),
    Unparsable(ParseError),
    /// Over the file-count limit.
    Skipped,
}

#[derive(Clone, Debug)]
struct LoadedFile {
    source: SourceFile,
    remote: bool,
    syntax: Option<Syntax>,
    state: FileState,
    /// Departures from the specification read the obvious way (see [`crate::lenient`]).
    departures: Vec<crate::lenient::Departure>,
}

/// A node found by following a reference, with its file and pointer.
#[derive(Clone, Debug)]
pub struct Target<'w> {
    /// The file it is in.
    pub file: FileId,
    /// Its pointer inside the file.
    pub pointer: JsonPointer,
    /// The node.
    pub node: &'w Node,
}

/// A reference that could not be followed; turned into a [`Diagnostic`] by the caller, who knows
/// where the reference is written.
#[derive(Clone, Debug)]
pub enum RefError {
    /// Not a valid reference.
    Syntax(RefSyntaxError),
    /// A remote reference while remote references are denied.
    RemoteDenied(String),
    /// The target file could not be read or fetched.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The target file is not valid JSON/YAML.
    Unparsable {
        /// The file.
        file: FileId,
        /// The parse error.
        error: ParseError,
    },
    /// More files than the limit allows.
    TooManyFiles(PathBuf),
    /// The fragment names nothing in the target file.
    NotFound {
        /// The target file.
        file: FileId,
        /// The pointer or anchor as written.
        fragment: String,
        /// The deepest node that exists along the pointer, and its pointer.
        nearest: Option<(JsonPointer, Span)>,
    },
    /// The fragment is a malformed JSON pointer.
    BadPointer(String),
}

/// All files of one document, parsed, with reference resolution.
pub struct Workspace {
    files: Vec<LoadedFile>,
    by_key: HashMap<String, FileId>,
    /// Schemas that declare an absolute `$id` (`https://example.com/user.json`, `urn:...`),
    /// by that id: a reference to the id resolves there, without fetching anything.
    ids: HashMap<String, (FileId, JsonPointer)>,
    options: LoadOptions,
}

impl fmt::Debug for Workspace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Workspace")
            .field(
                "files",
                &self
                    .files
                    .iter()
                    .map(|f| &f.source.path)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Workspace {
    /// Reads `path` and every file its references reach (transitively). Problems with files that
    /// are reached are kept and reported when the reference to them is followed; a root that cannot
    /// be read or parsed is returned as an error diagnostic.
    pub fn load(
        path: impl AsRef<Path>,
        options: LoadOptions,
    ) -> Result<Workspace, Box<Diagnostic>> {
        let path = reference::normalize(path.as_ref());
        let mut ws = Workspace::empty(options);
        let root = ws.load_file(path.clone(), false);
        match &ws.files[root.index()].state {
            FileState::Parsed(_) => {}
            FileState::Unreadable(reason) => {
                return Err(Box::new(Diagnostic::error(
                    Code::Io,
                    format!("cannot read `{}`: {reason}", path.display()),
                )));
            }
            FileState::Unparsable(err) => return Err(Box::new(ws.parse_diagnostic(root, err))),
            FileState::Skipped => {
                return Err(Box::new(Diagnostic::error(
                    Code::Limit,
                    "the file limit (`Limits::max_files`) is 0, so not even the root document can be read",
                )));
            }
        }
        ws.preload(root);
        Ok(ws)
    }

    /// Parses `text` as the root document at `path` (which is used for relative references and in
    /// diagnostics), then loads what it references.
    pub fn from_text(
        path: impl AsRef<Path>,
        text: &str,
        options: LoadOptions,
    ) -> Result<Workspace, Box<Diagnostic>> {
        let path = reference::normalize(path.as_ref());
        let mut ws = Workspace::empty(options);
        let id = ws.add_text(path, text.to_owned(), false);
        if let FileState::Unparsable(err) = &ws.files[id.index()].state {
            return Err(Box::new(ws.parse_diagnostic(id, err)));
        }
        ws.preload(id);
        Ok(ws)
    }

    /// A workspace with no file yet.
    fn empty(options: LoadOptions) -> Workspace {
        Workspace {
            files: Vec::new(),
            by_key: HashMap::new(),
            ids: HashMap::new(),
            options,
        }
    }

    /// The id the next file will get.
    fn next_id(&self) -> FileId {
        FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX))
    }

    fn add_text(&mut self, path: PathBuf, text: String, remote: bool) -> FileId {
        let mut departures = Vec::new();
        let (state, syntax) = match parse::parse(&text, self.next_id(), &self.options.limits) {
            Ok((mut node, syntax)) => {
                departures = crate::lenient::normalize(&mut node);
                crate::lenient::static_dynamic_refs(&mut node);
                (FileState::Parsed(node), Some(syntax))
            }
            Err(e) => (FileState::Unparsable(e), None),
        };
        let id = self.push_file(path, text.into(), remote, state);
        if let FileState::Parsed(node) = &self.files[id.index()].state {
            let mut found = Vec::new();
            collect_ids(node, &mut JsonPointer::root(), &mut found);
            for (uri, pointer) in found {
                self.ids.entry(uri).or_insert((id, pointer));
            }
        }
        self.files[id.index()].syntax = syntax;
        self.files[id.index()].departures = departures;
        id
    }

    fn push_file(
        &mut self,
        path: PathBuf,
        text: Arc<str>,
        remote: bool,
        state: FileState,
    ) -> FileId {
        let id = self.next_id();
        self.by_key.insert(path.to_string_lossy().into_owned(), id);
        self.files.push(LoadedFile {
            source: SourceFile { path, text },
            remote,
            syntax: None,
            state,
            departures: Vec::new(),
        });
        id
    }

    fn load_file(&mut self, path: PathBuf, remote: bool) -> FileId {
        let key = path.to_string_lossy().into_owned();
        if let Some(&id) = self.by_key.get(&key) {
            return id;
        }
        if self.files.len() >= self.options.limits.max_files {
            return self.push_file(path, Arc::from(""), remote, FileState::Skipped);
        }
        let text = if remote {
            match &self.options.remote {
                RemotePolicy::Fetch(fetch) => fetch(&key).map_err(|e| e.to_string()),
                RemotePolicy::Deny => Err("remote references are denied".to_owned()),
            }
        } else if let Some(refused) = self.outside(&path) {
            Err(refused)
        } else {
            self.options
                .reader
                .read_at_most(&path, self.options.limits.max_file_bytes)
                .map_err(|e| e.to_string())
        };
        match text {
            Ok(text) => self.add_text(path, text, remote),
            Err(reason) => {
                self.push_file(path, Arc::from(""), remote, FileState::Unreadable(reason))
            }
        }
    }

    /// Why `path` may not be read (a file other than the root, outside the folder references
    /// may reach), or `None`.
    fn outside(&mut self, path: &Path) -> Option<String> {
        // The root document itself is read wherever it is.
        if matches!(self.options.local, LocalPolicy::Anywhere) || self.files.is_empty() {
            return None;
        }
        let reader = &self.options.reader;
        let root = &self.files[0].source.path;
        let root_folder = reader.resolve(root.parent().unwrap_or(Path::new("")));
        let mut folders = vec![root_folder];
        if let LocalPolicy::Within(folder) = &self.options.local {
            folders.insert(0, reader.resolve(folder));
        }
        let target = reader.resolve(path);
        if folders.iter().any(|f| target.starts_with(f)) {
            return None;
        }
        Some(format!(
            "it is outside `{}`, the folder references may reach (allow more with the macros' \
             `references = \"anywhere\"`, the CLI's `--references-anywhere` or \
             `Builder::references_anywhere`)",
            folders[0].display()
        ))
    }

    /// Loads every file reachable through `$ref`s from `root`, breadth first.
    fn preload(&mut self, root: FileId) {
        let mut queue = VecDeque::from([root]);
        let mut seen = vec![root];
        while let Some(file) = queue.pop_front() {
            let mut refs = Vec::new();
            if let FileState::Parsed(node) = &self.files[file.index()].state {
                collect_refs(node, &mut refs);
            }
            for text in refs {
                if self.by_id(&text).is_some() {
                    continue;
                }
                let Some((path, remote)) = self.target_file(file, &text) else {
                    continue;
                };
                if remote && matches!(self.options.remote, RemotePolicy::Deny) {
                    continue;
                }
                let id = self.load_file(path, remote);
                if !seen.contains(&id) {
                    seen.push(id);
                    queue.push_back(id);
                }
            }
            // An Avro schema file that uses named types it does not define: the files named
            // after them next to it (`Address.avsc`), as Avro tools that read a folder of schemas
            // together find them (the reader warns where such a type is used).
            for path in self.sibling_avro_files(file) {
                let id = self.load_file(path, false);
                if !seen.contains(&id) {
                    seen.push(id);
                    queue.push_back(id);
                }
            }
        }
    }

    /// For an `.avsc` file: the existing `<Name>.avsc` files beside it for the named types it
    /// uses and does not define.
    fn sibling_avro_files(&self, file: FileId) -> Vec<PathBuf> {
        let loaded = &self.files[file.index()];
        let path = &loaded.source.path;
        if loaded.remote || path.extension().is_none_or(|e| e != "avsc") {
            return Vec::new();
        }
        let FileState::Parsed(node) = &loaded.state else {
            return Vec::new();
        };
        let (mut used, mut defined) = (Vec::new(), Vec::new());
        avro_names(node, &mut used, &mut defined);
        used.retain(|n| !defined.contains(n));
        used.sort();
        used.dedup();
        used.into_iter()
            .map(|name| reference::join(path, &format!("{name}.avsc")))
            .filter(|p| !self.by_key.contains_key(&p.to_string_lossy().into_owned()))
            .filter(|p| self.options.reader.read(p).is_ok())
            .collect()
    }

    /// The file a reference written in `from` points into, when it is another file.
    fn target_file(&self, from: FileId, text: &str) -> Option<(PathBuf, bool)> {
        let from_file = &self.files[from.index()];
        match reference::parse_ref(text).ok()? {
            RefTarget::Local(_) => None,
            RefTarget::File { path, .. } => {
                if from_file.remote {
                    let base = from_file.source.path.to_string_lossy();
                    Some((PathBuf::from(reference::join_url(&base, &path)), true))
                } else {
                    Some((reference::join(&from_file.source.path, &path), false))
                }
            }
            RefTarget::Remote { url, .. } => Some((PathBuf::from(url), true)),
        }
    }

    /// The departures from the specification that were read the obvious way, as warnings.
    pub(crate) fn departures(&self) -> Vec<Diagnostic> {
        self.files
            .iter()
            .flat_map(|f| &f.departures)
            .map(|d| {
                Diagnostic::warning(Code::Departure, d.message.clone())
                    .at(self.location(d.span, &d.pointer))
            })
            .collect()
    }

    /// The root document's file.
    pub fn root_file(&self) -> FileId {
        FileId(0)
    }

    /// The parsed tree of a file, if it parsed.
    pub fn tree(&self, file: FileId) -> Option<&Node> {
        match &self.files.get(file.index())?.state {
            FileState::Parsed(node) => Some(node),
            _ => None,
        }
    }

    /// The root node of the root document.
    pub fn root(&self) -> Target<'_> {
        Target {
            file: FileId(0),
            pointer: JsonPointer::root(),
            node: self.tree(FileId(0)).unwrap_or_else(|| null_node()),
        }
    }

    /// Every file that was read (or tried), in load order: what a build must watch for changes.
    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().map(|f| &f.source)
    }

    /// The path of a file.
    pub fn path(&self, file: FileId) -> &Path {
        &self.files[file.index()].source.path
    }

    /// A diagnostic location for a node.
    pub fn location(&self, span: Span, pointer: &JsonPointer) -> Location {
        Location {
            file: self.path(span.file).to_path_buf(),
            line: span.start.line,
            column: span.start.column,
            pointer: pointer.to_string(),
        }
    }

    /// Resolves the reference `text`, written in `from`, to the node it names (one step: the target
    /// may itself be a reference). A pointer that runs through a reference object continues in the
    /// reference's target, so `#/channels/a/messages/b` works when `channels.a` is a `$ref`.
    pub fn resolve(&self, from: FileId, text: &str) -> Result<Target<'_>, RefError> {
        self.resolve_at_depth(from, text, 0)
    }

    fn resolve_at_depth(
        &self,
        from: FileId,
        text: &str,
        depth: usize,
    ) -> Result<Target<'_>, RefError> {
        if let Some((file, base)) = self.by_id(text) {
            let fragment = match text.split_once('#') {
                Some((_, f)) if !f.is_empty() && !f.starts_with('/') => {
                    Fragment::Anchor(f.to_owned())
                }
                Some((_, f)) => Fragment::Pointer(f.to_owned()),
                None => Fragment::Pointer(String::new()),
            };
            let base = base.clone();
            return self.resolve_in(file, &base, fragment, depth);
        }
        let target = reference::parse_ref(text).map_err(RefError::Syntax)?;
        let (file, fragment) = match target {
            RefTarget::Local(fragment) => (from, fragment),
            RefTarget::File { fragment, .. } | RefTarget::Remote { fragment, .. } => {
                let Some((path, remote)) = self.target_file(from, text) else {
                    return Err(RefError::Syntax(RefSyntaxError::Empty));
                };
                if remote && matches!(self.options.remote, RemotePolicy::Deny) {
                    return Err(RefError::RemoteDenied(path.to_string_lossy().into_owned()));
                }
                let key = path.to_string_lossy().into_owned();
                let Some(&file) = self.by_key.get(&key) else {
                    return Err(RefError::Unreadable {
                        path,
                        reason: "it was not loaded".to_owned(),
                    });
                };
                (file, fragment)
            }
        };
        let tree = self.parsed(file)?;
        match fragment {
            Fragment::Pointer(raw) => {
                let pointer = JsonPointer::parse_fragment(&raw)
                    .map_err(|e| RefError::BadPointer(e.to_string()))?;
                self.walk(file, tree, &pointer, &raw, depth)
            }
            Fragment::Anchor(name) => {
                let mut path = JsonPointer::root();
                match find_anchor(tree, &name, &mut path) {
                    Some(node) => Ok(Target {
                        file,
                        pointer: path,
                        node,
                    }),
                    None => Err(RefError::NotFound {
                        file,
                        fragment: format!("#{name}"),
                        nearest: None,
                    }),
                }
            }
        }
    }

    /// The schema whose absolute `$id` is the URI part of `text`, if one was loaded.
    fn by_id(&self, text: &str) -> Option<(FileId, &JsonPointer)> {
        let uri = text.split_once('#').map_or(text, |(u, _)| u);
        self.ids.get(uri).map(|(file, pointer)| (*file, pointer))
    }

    /// `fragment` resolved inside the schema at `base` of `file` (a schema with an `$id`).
    fn resolve_in(
        &self,
        file: FileId,
        base: &JsonPointer,
        fragment: Fragment,
        depth: usize,
    ) -> Result<Target<'_>, RefError> {
        let tree = self.parsed(file)?;
        let Some(node) = tree.pointer(base.tokens()) else {
            return Err(RefError::NotFound {
                file,
                fragment: format!("#{base}"),
                nearest: None,
            });
        };
        match fragment {
            Fragment::Pointer(raw) => {
                let inner = JsonPointer::parse_fragment(&raw)
                    .map_err(|e| RefError::BadPointer(e.to_string()))?;
                let mut full = base.clone();
                for token in inner.tokens() {
                    full.push(token.clone());
                }
                self.walk(file, tree, &full, &format!("{full}"), depth)
            }
            Fragment::Anchor(name) => {
                let mut path = base.clone();
                match find_anchor(node, &name, &mut path) {
                    Some(found) => Ok(Target {
                        file,
                        pointer: path,
                        node: found,
                    }),
                    None => Err(RefError::NotFound {
                        file,
                        fragment: format!("#{name}"),
                        nearest: None,
                    }),
                }
            }
        }
    }

    /// The tree of a file, or why there is none.
    fn parsed(&self, file: FileId) -> Result<&Node, RefError> {
        let loaded = &self.files[file.index()];
        match &loaded.state {
            FileState::Parsed(node) => Ok(node),
            FileState::Unreadable(reason) => Err(RefError::Unreadable {
                path: loaded.source.path.clone(),
                reason: reason.clone(),
            }),
            FileState::Unparsable(error) => Err(RefError::Unparsable {
                file,
                error: error.clone(),
            }),
            FileState::Skipped => Err(RefError::TooManyFiles(loaded.source.path.clone())),
        }
    }

    /// Follows `pointer` from `tree`, continuing through reference objects it meets.
    fn walk<'a>(
        &'a self,
        mut file: FileId,
        tree: &'a Node,
        pointer: &JsonPointer,
        raw: &str,
        depth: usize,
    ) -> Result<Target<'a>, RefError> {
        const MAX_HOPS: usize = 64;
        let mut node = tree;
        let mut at = JsonPointer::root();
        for token in pointer.tokens() {
            let mut hops = 0;
            loop {
                if let Some(next) = node.pointer([token]) {
                    node = next;
                    at.push(token.clone());
                    break;
                }
                let not_found = || RefError::NotFound {
                    file,
                    fragment: format!("#{raw}"),
                    nearest: Some((at.clone(), node.span)),
                };
                let Some(text) = node.ref_target() else {
                    return Err(not_found());
                };
                hops += 1;
                if hops > MAX_HOPS || depth > MAX_HOPS {
                    return Err(not_found());
                }
                let target = self.resolve_at_depth(file, text, depth + 1)?;
                file = target.file;
                at = target.pointer;
                node = target.node;
            }
        }
        Ok(Target {
            file,
            pointer: at,
            node,
        })
    }

    /// Follows `$ref`s from `start` until a node that is not a reference, reporting broken
    /// references and cycles. `start` is returned unchanged when it is not a reference.
    pub fn follow<'w>(&'w self, start: Target<'w>) -> Result<Target<'w>, Box<Diagnostic>> {
        let mut current = start;
        let mut chain: Vec<(FileId, JsonPointer, Span)> = Vec::new();
        while let Some(text) = current.node.ref_target() {
            if let Some(first) = chain
                .iter()
                .position(|(f, p, _)| *f == current.file && *p == current.pointer)
            {
                return Err(Box::new(self.cycle_diagnostic(&chain[first..])));
            }
            chain.push((current.file, current.pointer.clone(), current.node.span));
            let ref_node = current.node.get("$ref").unwrap_or(current.node);
            let next = self.resolve(current.file, text).map_err(|e| {
                self.ref_diagnostic(&e, text, ref_node.span, &current.pointer.child("$ref"))
            })?;
            current = next;
        }
        Ok(current)
    }

    /// The diagnostic for references that only lead to each other. It is the same whichever member
    /// of the cycle reading started from (located at the first member in file order), so a cycle
    /// is reported once.
    fn cycle_diagnostic(&self, cycle: &[(FileId, JsonPointer, Span)]) -> Diagnostic {
        let start = cycle
            .iter()
            .enumerate()
            .min_by_key(|(_, (f, _, span))| (*f, span.start))
            .map_or(0, |(i, _)| i);
        let ordered: Vec<_> = cycle[start..].iter().chain(&cycle[..start]).collect();
        let (file, pointer, span) = ordered[0];
        let text = self
            .tree(*file)
            .and_then(|t| t.pointer(pointer.tokens()))
            .and_then(Node::ref_target)
            .unwrap_or_default();
        let mut diag = Diagnostic::error(
            Code::RefCycle,
            format!(
                "the reference `{text}` is part of a cycle of references that never reaches a value"
            ),
        )
        .at(self.location(*span, pointer));
        for (_, p, span) in &ordered[1..] {
            diag = diag.with_related("which refers through here", self.location(*span, p));
        }
        diag
    }

    /// Turns a [`RefError`] into a diagnostic located at the reference.
    pub fn ref_diagnostic(
        &self,
        error: &RefError,
        text: &str,
        at: Span,
        pointer: &JsonPointer,
    ) -> Diagnostic {
        let here = self.location(at, pointer);
        match error {
            RefError::Syntax(e) => {
                Diagnostic::error(Code::InvalidRef, format!("invalid reference `{text}`: {e}")).at(here)
            }
            RefError::BadPointer(e) => {
                Diagnostic::error(Code::InvalidRef, format!("invalid reference `{text}`: {e}")).at(here)
            }
            RefError::RemoteDenied(url) => Diagnostic::error(
                Code::RemoteRef,
                format!("the remote reference `{text}` was not followed: remote references are off"),
            )
            .at(here)
            .with_help(format!(
                "remote references are followed only when asked: `asyncapi check --allow-remote-refs`, `Builder::allow_remote_refs(true)` in a build script, or `ASYNCAPI_REMOTE_REFS=1` in the environment of `cargo build` for the macros (with the `asyncapi` crate's feature `remote-refs`); fetched documents are cached, so later builds work offline. Or download `{url}` next to the document and refer to it by a relative path"
            )),
            RefError::Unreadable { path, reason } => Diagnostic::error(
                Code::UnresolvedRef,
                format!(
                    "unresolved reference `{text}`: cannot read `{}`: {reason}",
                    path.display()
                ),
            )
            .at(here),
            RefError::Unparsable { file, error } => Diagnostic::error(
                Code::UnresolvedRef,
                format!(
                    "unresolved reference `{text}`: `{}` is not valid JSON or YAML",
                    self.path(*file).display()
                ),
            )
            .at(here)
            .with_related(
                error.message.clone(),
                Location {
                    file: self.path(*file).to_path_buf(),
                    line: error.pos.line,
                    column: error.pos.column,
                    pointer: String::new(),
                },
            ),
            RefError::TooManyFiles(path) => Diagnostic::error(
                Code::Limit,
                format!(
                    "unresolved reference `{text}`: `{}` would be file number {} and the limit is {}",
                    path.display(),
                    self.options.limits.max_files + 1,
                    self.options.limits.max_files
                ),
            )
            .at(here),
            RefError::NotFound {
                file,
                fragment,
                nearest,
            } => {
                let diag = Diagnostic::error(
                    Code::UnresolvedRef,
                    format!(
                        "unresolved reference `{text}`: `{}` has nothing at `{fragment}`",
                        self.path(*file).display()
                    ),
                )
                .at(here);
                match nearest {
                    Some((pointer, span)) => {
                        diag.with_related("the closest existing node", self.location(*span, pointer))
                    }
                    None => diag,
                }
            }
        }
    }

    /// The diagnostic for a file that does not parse.
    pub(crate) fn parse_diagnostic(&self, file: FileId, error: &ParseError) -> Diagnostic {
        let mut diag = Diagnostic::error(error.code, error.message.clone()).at(Location {
            file: self.path(file).to_path_buf(),
            line: error.pos.line,
            column: error.pos.column,
            pointer: String::new(),
        });
        if let Some((message, pos)) = &error.related {
            diag = diag.with_related(
                message.clone(),
                Location {
                    file: self.path(file).to_path_buf(),
                    line: pos.line,
                    column: pos.column,
                    pointer: String::new(),
                },
            );
        }
        diag
    }

    /// Which syntax a file was read as, if it parsed.
    pub fn syntax(&self, file: FileId) -> Option<Syntax> {
        self.files.get(file.index())?.syntax
    }
}

/// Stands in for the root tree, which always exists: `Workspace::load` and `from_text` only return
/// a workspace whose root parsed.
fn null_node() -> &'static Node {
    static NULL: std::sync::OnceLock<Node> = std::sync::OnceLock::new();
    NULL.get_or_init(|| Node {
        value: Value::Null,
        span: Span {
            file: FileId(0),
            start: crate::source::Pos::new(1, 1),
            end: crate::source::Pos::new(1, 1),
        },
    })
}
