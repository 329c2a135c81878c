//! From the spanned trees of a [`Workspace`] to the typed [`Document`].
//!
//! The reader walks the root document, follows every `$ref` through the workspace, reads each
//! shared object once (memoised by where it is written), merges traits, and normalises 2.x
//! documents into the 3 shape. It never stops at the first problem: every problem becomes a
//! diagnostic and reading goes on with a best-effort value.

mod avro;
mod bindings;
mod objects;
mod schema;
mod v2;
mod v3;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, Diagnostics, Location, Severity};
use crate::model::*;
use crate::node::{Map, Node, Value};
use crate::pointer::JsonPointer;
use crate::source::Span;
use crate::workspace::{Target, Workspace};

/// The identity of a shared object: where its definition is written.
type Key = (Span,);

fn key(node: &Node) -> Key {
    (node.span,)
}

/// Reads the whole document. Returns `None` only when the root is not an AsyncAPI document of a
/// supported version (the reason is in the diagnostics).
pub(crate) fn read(ws: &Workspace, diags: &mut Diagnostics) -> Option<Document> {
    for departure in ws.departures() {
        diags.push(departure);
    }
    let root = ws.root();
    let ptr = JsonPointer::root();
    let Some(map) = root.node.as_object() else {
        diags.push(
            Diagnostic::error(
                Code::Version,
                format!(
                    "an AsyncAPI document must be a mapping, but this is {}",
                    root.node.kind_name()
                ),
            )
            .at(ws.location(root.node.span, &ptr)),
        );
        return None;
    };
    let Some(asyncapi) = map.get("asyncapi") else {
        let mut diag = Diagnostic::error(
            Code::Version,
            "this is not an AsyncAPI document: it has no `asyncapi` field",
        )
        .at(ws.location(root.node.span, &ptr));
        if map.contains_key("openapi") || map.contains_key("swagger") {
            diag = diag.with_help("this looks like an OpenAPI document; AsyncAPI documents may `$ref` schemas inside it, but it cannot be the root");
        } else {
            diag = diag.with_help(
                "add `asyncapi: 3.0.0` (or the 2.x version the document follows) at the top",
            );
        }
        diags.push(diag);
        return None;
    };
    let version_text = match &asyncapi.value.value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let Some(version) = SpecVersion::parse(&version_text) else {
        diags.push(
            Diagnostic::error(
                Code::Version,
                format!(
                    "unsupported AsyncAPI version `{version_text}`: this loader reads 2.0.0 to 2.6.0, 3.0.0 and 3.1.0"
                ),
            )
            .at(ws.location(asyncapi.value.span, &ptr.child("asyncapi"))),
        );
        return None;
    };
    let mut reader = Reader {
        ws,
        diags,
        version,
        doc: Document {
            asyncapi: version_text,
            version,
            id: None,
            info: Info::default(),
            default_content_type: None,
            servers: Default::default(),
            channels: Default::default(),
            operations: Default::default(),
            components: Components::default(),
            extensions: Default::default(),
            server_table: Vec::new(),
            channel_table: Vec::new(),
            operation_table: Vec::new(),
            message_table: Vec::new(),
            schema_table: Vec::new(),
            security_table: Vec::new(),
            files: ws.files().map(|f| f.path.clone()).collect(),
        },
        memo: Memo::default(),
        schema_depth: 0,
        avro_names: HashMap::new(),
        v2_unnamed: Vec::new(),
    };
    if version.is_v2() {
        reader.read_v2(root.node, map);
    } else {
        reader.read_v3(root.node, map);
    }
    let doc = reader.doc;
    crate::check::check(&doc, ws, diags);
    crate::overlap::check(&doc, ws, diags);
    crate::filters::check(&doc, ws, diags);
    Some(doc)
}

#[derive(Default)]
struct Memo {
    servers: HashMap<Key, ServerId>,
    channels: HashMap<Key, ChannelId>,
    operations: HashMap<Key, OperationId>,
    messages: HashMap<Key, MessageId>,
    schemas: HashMap<Key, SchemaId>,
    security: HashMap<Key, SecuritySchemeId>,
}

pub(crate) struct Reader<'w, 'd> {
    ws: &'w Workspace,
    diags: &'d mut Diagnostics,
    version: SpecVersion,
    doc: Document,
    memo: Memo,
    schema_depth: usize,
    /// Avro named types of every Avro schema read so far, by full and short name (tools that
    /// read a document's Avro files together resolve names across them).
    avro_names: HashMap<String, SchemaId>,
    /// The 2.x operations read without `operationId`, to be named once all are known.
    v2_unnamed: Vec<UnnamedV2Operation>,
}

/// A 2.x operation without `operationId`: it is named after its channel's address once every
/// operation of the document is known.
struct UnnamedV2Operation {
    operation: OperationId,
    /// The address of its channel.
    address: String,
    /// Its messages named after it (no `messageId`, component name or `name` of their own),
    /// with what follows the operation's key in their key (`Message`, `Message2`, ...).
    messages: Vec<(MessageId, String)>,
}

impl<'w> Reader<'w, '_> {
    fn loc(&self, node: &Node, ptr: &JsonPointer) -> Location {
        self.ws.location(node.span, ptr)
    }

    fn origin(node: &Node, ptr: &JsonPointer) -> Origin {
        Origin {
            pointer: ptr.clone(),
            span: node.span,
        }
    }

    fn push(&mut self, diag: Diagnostic) {
        self.diags.push(diag);
    }

    fn error(&mut self, code: Code, message: impl Into<String>, node: &Node, ptr: &JsonPointer) {
        let loc = self.loc(node, ptr);
        self.push(Diagnostic::error(code, message).at(loc));
    }

    fn warning(&mut self, code: Code, message: impl Into<String>, node: &Node, ptr: &JsonPointer) {
        let loc = self.loc(node, ptr);
        self.push(Diagnostic::warning(code, message).at(loc));
    }

    /// Follows `$ref`s from `node`; on a broken reference reports it and returns `None`.
    fn deref<'a>(&mut self, node: &'a Node, ptr: &JsonPointer) -> Option<(&'a Node, JsonPointer)>
    where
        'w: 'a,
    {
        if node.ref_target().is_none() {
            if let Some(r) = node.get("$ref") {
                self.error(
                    Code::InvalidRef,
                    format!("`$ref` must be a string, but this is {}", r.kind_name()),
                    r,
                    &ptr.child("$ref"),
                );
                return None;
            }
            return Some((node, ptr.clone()));
        }
        let ws: &'a Workspace = self.ws;
        let start = Target {
            file: node.span.file,
            pointer: ptr.clone(),
            node,
        };
        match ws.follow(start) {
            Ok(target) => Some((target.node, target.pointer)),
            Err(diag) => {
                self.push(*diag);
                None
            }
        }
    }

    /// The mapping of `node`, or an error saying what was expected. An explicit `null` (as
    /// some generators write for an empty mapping) is read as an empty mapping, with a warning.
    fn object<'a>(&mut self, node: &'a Node, ptr: &JsonPointer, what: &str) -> Option<&'a Map> {
        static EMPTY: std::sync::OnceLock<Map> = std::sync::OnceLock::new();
        match node.as_object() {
            Some(map) => Some(map),
            None if matches!(node.value, Value::Null) => {
                self.warning(
                    Code::Departure,
                    format!("{what} must be a mapping, but this is null; read as an empty mapping"),
                    node,
                    ptr,
                );
                Some(EMPTY.get_or_init(Map::default))
            }
            None => {
                self.error(
                    Code::InvalidValue,
                    format!("{what} must be a mapping, but this is {}", node.kind_name()),
                    node,
                    ptr,
                );
                None
            }
        }
    }

    /// The sequence of `node`, or an error.
    fn array<'a>(&mut self, node: &'a Node, ptr: &JsonPointer, what: &str) -> Option<&'a [Node]> {
        match node.as_array() {
            Some(items) => Some(items),
            None => {
                self.error(
                    Code::InvalidValue,
                    format!(
                        "{what} must be a sequence, but this is {}",
                        node.kind_name()
                    ),
                    node,
                    ptr,
                );
                None
            }
        }
    }

    /// A string field; numbers are accepted and written back as text (YAML reads `version: 1.0`
    /// as a number).
    fn string(&mut self, map: &Map, key: &str, ptr: &JsonPointer) -> Option<String> {
        let member = map.get(key)?;
        self.string_value(&member.value, &ptr.child(key), key)
    }

    fn string_value(&mut self, node: &Node, ptr: &JsonPointer, what: &str) -> Option<String> {
        match &node.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                self.error(
                    Code::InvalidValue,
                    format!(
                        "`{what}` must be a string, but this is {}",
                        node.kind_name()
                    ),
                    node,
                    ptr,
                );
                None
            }
        }
    }

    /// A string field the specification requires; its absence is an error.
    fn required_string(
        &mut self,
        node: &Node,
        map: &Map,
        key: &str,
        ptr: &JsonPointer,
        what: &str,
    ) -> String {
        self.string_or_report(Severity::Error, node, map, key, ptr, what)
    }

    /// A string field the specification requires but the generated code does not need (titles,
    /// names of tags, URLs of documentation): its absence is a warning.
    fn expected_string(
        &mut self,
        node: &Node,
        map: &Map,
        key: &str,
        ptr: &JsonPointer,
        what: &str,
    ) -> String {
        self.string_or_report(Severity::Warning, node, map, key, ptr, what)
    }

    fn string_or_report(
        &mut self,
        severity: Severity,
        node: &Node,
        map: &Map,
        key: &str,
        ptr: &JsonPointer,
        what: &str,
    ) -> String {
        if map.contains_key(key) {
            return self.string(map, key, ptr).unwrap_or_default();
        }
        let loc = self.loc(node, ptr);
        self.push(
            Diagnostic::new(
                severity,
                Code::MissingField,
                format!("{what} has no `{key}`, which the specification requires"),
            )
            .at(loc),
        );
        String::new()
    }

    fn bool_field(&mut self, map: &Map, key: &str, ptr: &JsonPointer) -> Option<bool> {
        let member = map.get(key)?;
        match member.value.as_bool() {
            Some(b) => Some(b),
            None => {
                self.error(
                    Code::InvalidValue,
                    format!(
                        "`{key}` must be a boolean, but this is {}",
                        member.value.kind_name()
                    ),
                    &member.value,
                    &ptr.child(key),
                );
                None
            }
        }
    }

    /// A list of strings.
    fn strings(&mut self, map: &Map, key: &str, ptr: &JsonPointer) -> Vec<String> {
        let Some(member) = map.get(key) else {
            return Vec::new();
        };
        let p = ptr.child(key);
        let Some(items) = self.array(&member.value, &p, &format!("`{key}`")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = self.string_value(item, &p.child(i.to_string()), key) {
                out.push(s);
            }
        }
        out
    }

    /// What 2.x and 3.x roots share: known keys, `id`, `defaultContentType`, extensions, `info`.
    fn read_root_common(&mut self, root: &Node, map: &Map, known: &[&str]) {
        let ptr = JsonPointer::root();
        self.check_keys(map, &ptr, known, "the document root");
        self.doc.id = self.string(map, "id", &ptr);
        self.doc.default_content_type = self.string(map, "defaultContentType", &ptr);
        self.doc.extensions = extensions(map);
        match map.get("info") {
            Some(m) => self.doc.info = self.read_info(&m.value, &ptr.child("info")),
            None => self.warning(
                Code::MissingField,
                "the document has no `info`, which the specification requires; the generated documentation will have no title",
                root,
                &ptr,
            ),
        }
    }

    /// Warns about fields a specification object does not define (`x-` fields are extensions).
    fn check_keys(&mut self, map: &Map, ptr: &JsonPointer, known: &[&str], what: &str) {
        for (key, member) in map {
            if key.starts_with("x-") || known.contains(&key.as_str()) {
                continue;
            }
            let loc = self.ws.location(member.key_span, &ptr.child(key.clone()));
            self.push(
                Diagnostic::warning(
                    Code::UnknownField,
                    format!(
                        "{what} has no field `{key}` in AsyncAPI {}; it is ignored",
                        self.doc.asyncapi
                    ),
                )
                .at(loc),
            );
        }
    }
}

/// The `x-*` fields of a mapping.
fn extensions(map: &Map) -> Extensions {
    map.iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, m)| (k.clone(), m.value.to_json()))
        .collect()
}

/// The component name when `ptr` is `/components/<kind>/<name>` (in any file).
fn component_name(ptr: &JsonPointer, kind: &str) -> Option<String> {
    match ptr.tokens() {
        [c, k, name] if c == "components" && k == kind => Some(name.clone()),
        _ => None,
    }
}

/// JSON merge patch (RFC 7396) of two trees: `patch` wins, `null` in `patch` removes.
fn merge_patch(target: &Node, patch: &Node) -> Node {
    match (&target.value, &patch.value) {
        (Value::Object(t), Value::Object(p)) => {
            let mut out = t.clone();
            for (k, m) in p {
                if m.value.value == Value::Null {
                    out.shift_remove(k);
                } else if let Some(existing) = out.get_mut(k) {
                    existing.value = merge_patch(&existing.value, &m.value);
                } else {
                    out.insert(k.clone(), m.clone());
                }
            }
            Node {
                value: Value::Object(out),
                span: target.span,
            }
        }
        (_, Value::Object(p)) => {
            let cleaned = p
                .iter()
                .filter(|(_, m)| m.value.value != Value::Null)
                .map(|(k, m)| (k.clone(), m.clone()))
                .collect();
            Node {
                value: Value::Object(cleaned),
                span: patch.span,
            }
        }
        _ => patch.clone(),
    }
}
