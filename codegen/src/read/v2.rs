//! AsyncAPI 2.0–2.6 documents, normalised into the 3 shape.
//!
//! - `servers.*.url` becomes host and pathname.
//! - Each channel (keyed by its address) becomes a channel whose key and address are that
//!   address, and its `subscribe`/`publish` operations become operations on it. As the 2.x
//!   specification defines them from the application's point of view, `subscribe` (others
//!   subscribe to what the application sends) becomes `send`, and `publish` (others publish what
//!   the application receives) becomes `receive`.
//! - Operation messages (`message`, or `message.oneOf`) become the channel's messages, keyed by
//!   `messageId`, by component name, by `name`, or by the operation they belong to.
//! - Message and operation traits are merged with 2.x semantics (the trait wins).

use heck::ToUpperCamelCase;

use super::{Reader, component_name, extensions, key};
use crate::diag::Code;
use crate::model::bindings::Level;
use crate::model::*;
use crate::node::{Map, Node};
use crate::pointer::JsonPointer;

const ROOT_KEYS: &[&str] = &[
    "asyncapi",
    "id",
    "info",
    "servers",
    "defaultContentType",
    "channels",
    "components",
    "tags",
    "externalDocs",
];

impl Reader<'_, '_> {
    pub(super) fn read_v2(&mut self, root: &Node, map: &Map) {
        let ptr = JsonPointer::root();
        self.read_root_common(root, map, ROOT_KEYS);
        // 3.0 moved the root `tags` and `externalDocs` into `info`.
        let tags = self.read_tags(map, &ptr);
        self.doc.info.tags.extend(tags);
        if let Some(docs) = self.read_external_docs(map, &ptr) {
            self.doc.info.external_docs = Some(docs);
        }
        // Security requirements name `components.securitySchemes` entries: read them first.
        if let Some(m) = map.get("components")
            && let Some((c, cp)) = self.deref(&m.value, &ptr.child("components"))
            && let Some(cmap) = c.as_object()
        {
            self.for_each_entry(cmap, "securitySchemes", &cp, |r, name, n, p| {
                if let Some(id) = r.security_scheme(n, p) {
                    r.doc
                        .components
                        .security_schemes
                        .insert(name.to_owned(), id);
                }
            });
        }
        self.for_each_entry(map, "servers", &ptr, |r, name, node, p| {
            if let Some(id) = r.server(node, p, name) {
                r.doc.servers.insert(name.to_owned(), id);
            }
        });
        self.for_each_entry(map, "channels", &ptr, |r, address, node, p| {
            if let Some(id) = r.channel_v2(node, p, address, true) {
                r.doc.channels.insert(address.to_owned(), id);
            }
        });
        if let Some(m) = map.get("components") {
            self.read_components(&m.value, &ptr.child("components"));
        }
    }

    /// Reads a 2.x channel item (memoised) with its operations. `node` must already be
    /// dereferenced. `address` is the key it is listed under; `root` says whether it is a root
    /// channel (only those get operations in the document's operation list).
    pub(super) fn channel_v2(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        address: &str,
        root: bool,
    ) -> Option<ChannelId> {
        if let Some(id) = self.memo.channels.get(&key(node)) {
            return Some(*id);
        }
        let map = self.object(node, ptr, &format!("channel `{address}`"))?;
        self.check_keys(
            map,
            ptr,
            &[
                "$ref",
                "description",
                "servers",
                "subscribe",
                "publish",
                "parameters",
                "bindings",
            ],
            &format!("channel `{address}`"),
        );
        let id = ChannelId(self.doc.channel_table.len() as u32);
        self.memo.channels.insert(key(node), id);
        let channel_key = component_name(ptr, "channels").unwrap_or_else(|| address.to_owned());
        let channel = Channel {
            key: channel_key,
            address: Some(address.to_owned()),
            title: None,
            summary: None,
            description: self.string(map, "description", ptr),
            messages: Default::default(),
            parameters: Default::default(),
            servers: Vec::new(),
            tags: Vec::new(),
            external_docs: None,
            bindings: ChannelBindings::default(),
            extensions: extensions(map),
            origin: Self::origin(node, ptr),
        };
        self.doc.channel_table.push(channel);
        let parameters = self.read_parameters(map, ptr);
        let servers = self.v2_server_names(map, ptr);
        let bindings = self.bindings_of(map, ptr, Level::Channel, Self::channel_binding);
        {
            let channel = &mut self.doc.channel_table[id.index()];
            channel.parameters = parameters;
            channel.servers = servers;
            channel.bindings = bindings;
        }
        for (field, kind, action) in [
            ("subscribe", V2OperationKind::Subscribe, Action::Send),
            ("publish", V2OperationKind::Publish, Action::Receive),
        ] {
            let Some(m) = map.get(field) else {
                continue;
            };
            let op_ptr = ptr.child(field);
            if let Some(op) = self.operation_v2(&m.value, &op_ptr, id, address, kind, action)
                && root
            {
                let op_key = self.doc[op].key.clone();
                let unique = unique_key(&self.doc.operations, &op_key);
                self.doc.operation_table[op.index()].key = unique.clone();
                self.doc.operations.insert(unique, op);
            }
        }
        Some(id)
    }

    /// 2.2+ channel `servers`: names of root servers.
    fn v2_server_names(&mut self, map: &Map, ptr: &JsonPointer) -> Vec<ServerId> {
        let Some(m) = map.get("servers") else {
            return Vec::new();
        };
        let p = ptr.child("servers");
        let Some(items) = self.array(&m.value, &p, "`servers`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = p.child(i.to_string());
            let Some(name) = self.string_value(item, &ip, "servers") else {
                continue;
            };
            let root = self.ws.root().node;
            let Some(server_node) = root.pointer(["servers", name.as_str()]) else {
                self.error(
                    Code::UnresolvedRef,
                    format!(
                        "the channel lists server `{name}`, which is not in the root `servers`"
                    ),
                    item,
                    &ip,
                );
                continue;
            };
            let sp = JsonPointer::root().child("servers").child(name.clone());
            if let Some((n, np)) = self.deref(server_node, &sp)
                && let Some(id) = self.server(n, &np, &name)
            {
                out.push(id);
            }
        }
        out
    }

    fn operation_v2(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        channel: ChannelId,
        address: &str,
        kind: V2OperationKind,
        action: Action,
    ) -> Option<OperationId> {
        let (node, ptr) = self.deref(node, ptr)?;
        self.object(node, &ptr, "an operation")?;
        let merged = self.apply_traits(node, &ptr, "operation");
        let map = merged.as_object()?;
        self.check_keys(
            map,
            &ptr,
            &[
                "operationId",
                "summary",
                "description",
                "security",
                "tags",
                "externalDocs",
                "bindings",
                "message",
            ],
            "an operation",
        );
        let verb = match kind {
            V2OperationKind::Publish => "publish",
            V2OperationKind::Subscribe => "subscribe",
        };
        let op_key = self
            .string(map, "operationId", &ptr)
            .unwrap_or_else(|| format!("{verb}{}", address.to_upper_camel_case()));
        let mut messages = Vec::new();
        if let Some(m) = map.get("message") {
            let mp = ptr.child("message");
            if let Some((mnode, mptr)) = self.deref(&m.value, &mp) {
                match mnode.get("oneOf") {
                    Some(list) => {
                        let lp = mptr.child("oneOf");
                        if let Some(items) = self.array(list, &lp, "`message.oneOf`") {
                            for (i, item) in items.iter().enumerate() {
                                let ip = lp.child(i.to_string());
                                if let Some((n, np)) = self.deref(item, &ip) {
                                    let fallback = format!("{op_key}Message{}", i + 1);
                                    match self.v2_message(n, &np, &fallback) {
                                        Some(id) if messages.contains(&id) => self.warning(
                                            Code::Departure,
                                            "`message.oneOf` lists this message twice; read once",
                                            item,
                                            &ip,
                                        ),
                                        Some(id) => messages.push(id),
                                        None => {}
                                    }
                                }
                            }
                        }
                    }
                    None => {
                        let fallback = format!("{op_key}Message");
                        if let Some(id) = self.v2_message(mnode, &mptr, &fallback) {
                            messages.push(id);
                        }
                    }
                }
            }
        }
        // The channel carries every message of its operations.
        for id in &messages {
            if self.doc[channel].messages.values().any(|m| m == id) {
                continue;
            }
            let wanted = self.doc[*id].key.clone();
            let unique = unique_key(&self.doc[channel].messages, &wanted);
            self.doc.channel_table[channel.index()]
                .messages
                .insert(unique, *id);
        }
        let id = OperationId(self.doc.operation_table.len() as u32);
        let operation = Operation {
            key: op_key,
            action,
            channel,
            messages,
            title: None,
            summary: self.string(map, "summary", &ptr),
            description: self.string(map, "description", &ptr),
            security: self.read_security(map, &ptr),
            tags: self.read_tags(map, &ptr),
            external_docs: self.read_external_docs(map, &ptr),
            bindings: self.bindings_of(map, &ptr, Level::Operation, Self::operation_binding),
            reply: None,
            v2_kind: Some(kind),
            extensions: extensions(map),
            origin: Self::origin(node, &ptr),
        };
        self.doc.operation_table.push(operation);
        Some(id)
    }

    /// A 2.x message, named by `messageId`, component name, `name`, or the operation.
    fn v2_message(&mut self, node: &Node, ptr: &JsonPointer, fallback: &str) -> Option<MessageId> {
        let name = node.get("name").and_then(Node::as_str).map(str::to_owned);
        let fallback = name.unwrap_or_else(|| fallback.to_owned());
        self.message(node, ptr, &fallback)
    }
}

/// `wanted`, or `wanted2`, `wanted3`, ... when it is taken.
fn unique_key<V>(map: &indexmap::IndexMap<String, V>, wanted: &str) -> String {
    if !map.contains_key(wanted) {
        return wanted.to_owned();
    }
    (2..)
        .map(|n| format!("{wanted}{n}"))
        .find(|k| !map.contains_key(k))
        .unwrap_or_else(|| wanted.to_owned())
}
