//! AsyncAPI 3.0 and 3.1 documents.

use super::{Reader, component_name, extensions, key};
use crate::diag::{Code, Diagnostic};
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
    "operations",
    "components",
];

impl Reader<'_, '_> {
    pub(super) fn read_v3(&mut self, root: &Node, map: &Map) {
        let ptr = JsonPointer::root();
        self.read_root_common(root, map, ROOT_KEYS);
        self.for_each_entry(map, "servers", &ptr, |r, name, node, p| {
            if let Some(id) = r.server(node, p, name) {
                r.doc.servers.insert(name.to_owned(), id);
            }
        });
        self.for_each_entry(map, "channels", &ptr, |r, name, node, p| {
            if let Some(id) = r.channel_v3(node, p, name) {
                r.doc.channels.insert(name.to_owned(), id);
            }
        });
        self.for_each_entry(map, "operations", &ptr, |r, name, node, p| {
            if let Some(id) = r.operation_v3(node, p, name) {
                r.doc.operations.insert(name.to_owned(), id);
            }
        });
        if let Some(m) = map.get("components") {
            self.read_components(&m.value, &ptr.child("components"));
        }
    }

    /// Calls `f` with each entry of the mapping `map[field]`, dereferenced.
    pub(super) fn for_each_entry(
        &mut self,
        map: &Map,
        field: &str,
        ptr: &JsonPointer,
        mut f: impl FnMut(&mut Self, &str, &Node, &JsonPointer),
    ) {
        let Some(member) = map.get(field) else {
            return;
        };
        let p = ptr.child(field);
        let Some(entries) = self.object(&member.value, &p, &format!("`{field}`")) else {
            return;
        };
        for (name, m) in entries {
            let ep = p.child(name.clone());
            if let Some((node, np)) = self.deref(&m.value, &ep) {
                f(self, name, node, &np);
            }
        }
    }

    /// Reads a 3.x channel (memoised). `node` must already be dereferenced.
    pub(super) fn channel_v3(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        name: &str,
    ) -> Option<ChannelId> {
        if let Some(id) = self.memo.channels.get(&key(node)) {
            return Some(*id);
        }
        let map = self.object(node, ptr, &format!("channel `{name}`"))?;
        self.check_keys(
            map,
            ptr,
            &[
                "address",
                "messages",
                "title",
                "summary",
                "description",
                "servers",
                "parameters",
                "tags",
                "externalDocs",
                "bindings",
            ],
            &format!("channel `{name}`"),
        );
        let id = ChannelId(self.doc.channel_table.len() as u32);
        self.memo.channels.insert(key(node), id);
        let address = match map.get("address") {
            Some(m) if m.value.value == crate::node::Value::Null => None,
            Some(_) => self.string(map, "address", ptr),
            None => None,
        };
        let channel = Channel {
            key: component_name(ptr, "channels")
                .or_else(|| ptr.tokens().last().cloned())
                .unwrap_or_else(|| name.to_owned()),
            address,
            title: self.string(map, "title", ptr),
            summary: self.string(map, "summary", ptr),
            description: self.string(map, "description", ptr),
            messages: Default::default(),
            parameters: Default::default(),
            servers: Vec::new(),
            tags: self.read_tags(map, ptr),
            external_docs: self.read_external_docs(map, ptr),
            bindings: ChannelBindings::default(),
            extensions: extensions(map),
            origin: Self::origin(node, ptr),
        };
        self.doc.channel_table.push(channel);
        let mut messages = indexmap::IndexMap::new();
        self.for_each_entry(map, "messages", ptr, |r, key_name, mnode, mp| {
            if let Some(mid) = r.message(mnode, mp, key_name) {
                messages.insert(key_name.to_owned(), mid);
            }
        });
        let parameters = self.read_parameters(map, ptr);
        let servers = self.server_refs(map, ptr);
        let bindings = self.bindings_of(map, ptr, Level::Channel, Self::channel_binding);
        let channel = &mut self.doc.channel_table[id.index()];
        channel.messages = messages;
        channel.parameters = parameters;
        channel.servers = servers;
        channel.bindings = bindings;
        Some(id)
    }

    /// A 3.x channel's `servers`: references to root servers.
    fn server_refs(&mut self, map: &Map, ptr: &JsonPointer) -> Vec<ServerId> {
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
            if !self.points_into_root(item, "servers") {
                self.error(
                    Code::InvalidValue,
                    "a channel's `servers` must reference servers under the root `servers`",
                    item,
                    &ip,
                );
            }
            let Some((n, np)) = self.deref(item, &ip) else {
                continue;
            };
            let name = np.tokens().last().cloned().unwrap_or_default();
            if let Some(id) = self.server(n, &np, &name) {
                out.push(id);
            }
        }
        out
    }

    /// Reads a 3.x operation (memoised). `node` must already be dereferenced.
    pub(super) fn operation_v3(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        name: &str,
    ) -> Option<OperationId> {
        if let Some(id) = self.memo.operations.get(&key(node)) {
            return Some(*id);
        }
        self.object(node, ptr, &format!("operation `{name}`"))?;
        let merged = self.apply_traits(node, ptr, "operation");
        let map = merged.as_object()?;
        let what = format!("operation `{name}`");
        self.check_keys(
            map,
            ptr,
            &[
                "action",
                "channel",
                "title",
                "summary",
                "description",
                "security",
                "tags",
                "externalDocs",
                "bindings",
                "messages",
                "reply",
            ],
            &what,
        );
        let action_text = self.required_string(node, map, "action", ptr, &what);
        let action = match action_text.as_str() {
            "send" => Action::Send,
            "receive" => Action::Receive,
            "" => Action::Send,
            other => {
                let at = map.get("action").map(|m| &m.value).unwrap_or(node);
                self.error(
                    Code::InvalidValue,
                    format!("`action` must be `send` or `receive`, not `{other}`"),
                    at,
                    &ptr.child("action"),
                );
                Action::Send
            }
        };
        let Some(channel_member) = map.get("channel") else {
            self.error(
                Code::MissingField,
                format!("{what} has no `channel`, which the specification requires"),
                node,
                ptr,
            );
            return None;
        };
        let channel = self.channel_ref(&channel_member.value, &ptr.child("channel"), &what)?;
        let id = OperationId(self.doc.operation_table.len() as u32);
        self.memo.operations.insert(key(node), id);
        let messages = match map.get("messages") {
            Some(m) => self.message_refs(&m.value, &ptr.child("messages"), Some(channel), &what),
            None => self.doc[channel].messages.values().copied().collect(),
        };
        let reply = map
            .get("reply")
            .and_then(|m| self.reply(&m.value, &ptr.child("reply"), &what));
        let operation = Operation {
            key: component_name(ptr, "operations")
                .or_else(|| ptr.tokens().last().cloned())
                .unwrap_or_else(|| name.to_owned()),
            action,
            channel,
            messages,
            title: self.string(map, "title", ptr),
            summary: self.string(map, "summary", ptr),
            description: self.string(map, "description", ptr),
            security: self.read_security(map, ptr),
            tags: self.read_tags(map, ptr),
            external_docs: self.read_external_docs(map, ptr),
            bindings: self.bindings_of(map, ptr, Level::Operation, Self::operation_binding),
            reply,
            v2_kind: None,
            extensions: extensions(map),
            origin: Self::origin(node, ptr),
        };
        self.doc.operation_table.push(operation);
        Some(id)
    }

    /// Resolves an operation's (or reply's) `channel` reference; it must name a channel under the
    /// root `channels`.
    fn channel_ref(&mut self, node: &Node, ptr: &JsonPointer, what: &str) -> Option<ChannelId> {
        let Some(text) = node.ref_target() else {
            self.error(
                Code::OperationChannel,
                format!(
                    "the `channel` of {what} must be a `$ref` to one of the document's channels"
                ),
                node,
                ptr,
            );
            return None;
        };
        let text = text.to_owned();
        let in_root = self.points_into_root(node, "channels");
        let (target, tptr) = self.deref(node, ptr)?;
        let name = tptr.tokens().last().cloned().unwrap_or_default();
        let id = self.channel_v3(target, &tptr, &name)?;
        if !in_root {
            let loc = self.loc(node, ptr);
            let target_loc = self.loc(target, &tptr);
            self.push(
                Diagnostic::error(
                    Code::OperationChannel,
                    format!(
                        "{what} refers to `{text}`, which is not one of the document's channels; an operation's channel must be under the root `channels`"
                    ),
                )
                .at(loc)
                .with_related("the referenced channel", target_loc),
            );
        }
        Some(id)
    }

    /// Resolves a list of message references; with `channel`, each must be one of its messages.
    fn message_refs(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        channel: Option<ChannelId>,
        what: &str,
    ) -> Vec<MessageId> {
        let Some(items) = self.array(node, ptr, "`messages`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ip = ptr.child(i.to_string());
            let text = item.ref_target().map(str::to_owned);
            let Some((target, tptr)) = self.deref(item, &ip) else {
                continue;
            };
            let fallback = tptr.tokens().last().cloned().unwrap_or_default();
            let Some(id) = self.message(target, &tptr, &fallback) else {
                continue;
            };
            if let Some(channel) = channel
                && !self.doc[channel].messages.values().any(|m| *m == id)
            {
                let loc = self.loc(item, &ip);
                let ch = &self.doc[channel];
                let channel_loc = self.doc.location(&ch.origin);
                let channel_key = ch.key.clone();
                self.push(
                        Diagnostic::error(
                            Code::OperationMessage,
                            format!(
                                "{what} lists the message `{}`, which channel `{channel_key}` does not carry",
                                text.unwrap_or(fallback)
                            ),
                        )
                        .at(loc)
                        .with_related("the channel", channel_loc)
                        .with_help("refer to the message through the channel: `$ref: '#/channels/<channel>/messages/<message>'`"),
                    );
            }
            if out.contains(&id) {
                self.warning(
                    Code::Departure,
                    "`messages` lists this message twice; read once",
                    item,
                    &ip,
                );
                continue;
            }
            out.push(id);
        }
        out
    }

    fn reply(&mut self, node: &Node, ptr: &JsonPointer, what: &str) -> Option<OperationReply> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "`reply`")?;
        self.check_keys(map, &ptr, &["address", "channel", "messages"], "a reply");
        let what = format!("the reply of {what}");
        let channel = map
            .get("channel")
            .and_then(|m| self.channel_ref(&m.value, &ptr.child("channel"), &what));
        let messages = map
            .get("messages")
            .map(|m| self.message_refs(&m.value, &ptr.child("messages"), channel, &what))
            .unwrap_or_else(|| {
                channel
                    .map(|c| self.doc[c].messages.values().copied().collect())
                    .unwrap_or_default()
            });
        let address = map
            .get("address")
            .and_then(|m| self.reply_address(&m.value, &ptr.child("address")));
        Some(OperationReply {
            address,
            channel,
            messages,
        })
    }

    fn reply_address(&mut self, node: &Node, ptr: &JsonPointer) -> Option<ReplyAddress> {
        let (node, ptr) = self.deref(node, ptr)?;
        let map = self.object(node, &ptr, "a reply address")?;
        Some(ReplyAddress {
            location: self.required_string(node, map, "location", &ptr, "a reply address"),
            description: self.string(map, "description", &ptr),
        })
    }

    /// Whether the reference object `node` points (in its first step) at an entry of the root
    /// document's `field` (`servers`, `channels`). Broken references answer `true`: they are
    /// reported when followed.
    fn points_into_root(&self, node: &Node, field: &str) -> bool {
        let Some(text) = node.ref_target() else {
            return false;
        };
        match self.ws.resolve(node.span.file, text) {
            Ok(t) => {
                t.file == self.ws.root_file() && matches!(t.pointer.tokens(), [f, _] if f == field)
            }
            Err(_) => true,
        }
    }

    /// Reads `components` (both versions; 2.x has fewer kinds).
    pub(super) fn read_components(&mut self, node: &Node, ptr: &JsonPointer) {
        let Some((node, ptr)) = self.deref(node, ptr) else {
            return;
        };
        let Some(map) = self.object(node, &ptr, "`components`") else {
            return;
        };
        let v2 = self.version.is_v2();
        self.check_keys(
            map,
            &ptr,
            &[
                "schemas",
                "servers",
                "channels",
                "operations",
                "messages",
                "securitySchemes",
                "serverVariables",
                "parameters",
                "correlationIds",
                "replies",
                "replyAddresses",
                "externalDocs",
                "tags",
                "operationTraits",
                "messageTraits",
                "serverBindings",
                "channelBindings",
                "operationBindings",
                "messageBindings",
            ],
            "`components`",
        );
        if let Some(m) = map.get("schemas") {
            let p = ptr.child("schemas");
            if let Some(entries) = self.object(&m.value, &p, "`components.schemas`") {
                for (name, sm) in entries {
                    let id = self.schema(&sm.value, &p.child(name.clone()));
                    self.doc.components.schemas.insert(name.clone(), id);
                }
            }
        }
        self.for_each_entry(map, "securitySchemes", &ptr, |r, name, n, p| {
            if let Some(id) = r.security_scheme(n, p) {
                r.doc
                    .components
                    .security_schemes
                    .insert(name.to_owned(), id);
            }
        });
        self.for_each_entry(map, "servers", &ptr, |r, name, n, p| {
            if let Some(id) = r.server(n, p, name) {
                r.doc.components.servers.insert(name.to_owned(), id);
            }
        });
        self.for_each_entry(map, "messages", &ptr, |r, name, n, p| {
            if let Some(id) = r.message(n, p, name) {
                r.doc.components.messages.insert(name.to_owned(), id);
            }
        });
        if v2 {
            self.for_each_entry(map, "channels", &ptr, |r, name, n, p| {
                if let Some(id) = r.channel_v2(n, p, name, false) {
                    r.doc.components.channels.insert(name.to_owned(), id);
                }
            });
        } else {
            self.for_each_entry(map, "channels", &ptr, |r, name, n, p| {
                if let Some(id) = r.channel_v3(n, p, name) {
                    r.doc.components.channels.insert(name.to_owned(), id);
                }
            });
            self.for_each_entry(map, "operations", &ptr, |r, name, n, p| {
                if let Some(id) = r.operation_v3(n, p, name) {
                    r.doc.components.operations.insert(name.to_owned(), id);
                }
            });
        }
        self.for_each_entry(map, "parameters", &ptr, |r, name, n, p| {
            if let Some(param) = r.read_parameter(n, p) {
                r.doc.components.parameters.insert(name.to_owned(), param);
            }
        });
        self.for_each_entry(map, "correlationIds", &ptr, |r, name, n, p| {
            if let Some(c) = r.read_correlation_id(n, p) {
                r.doc.components.correlation_ids.insert(name.to_owned(), c);
            }
        });
        self.for_each_entry(map, "replies", &ptr, |r, name, n, p| {
            if let Some(reply) = r.reply(n, p, &format!("`components.replies.{name}`")) {
                r.doc.components.replies.insert(name.to_owned(), reply);
            }
        });
        self.for_each_entry(map, "replyAddresses", &ptr, |r, name, n, p| {
            if let Some(a) = r.reply_address(n, p) {
                r.doc.components.reply_addresses.insert(name.to_owned(), a);
            }
        });
        self.for_each_entry(map, "serverVariables", &ptr, |r, name, n, p| {
            if let Some(v) = r.read_server_variable(n, p) {
                r.doc.components.server_variables.insert(name.to_owned(), v);
            }
        });
        self.for_each_entry(map, "tags", &ptr, |r, name, n, p| {
            if let Some(t) = r.read_tag(n, p) {
                r.doc.components.tags.insert(name.to_owned(), t);
            }
        });
        self.for_each_entry(map, "externalDocs", &ptr, |r, name, n, p| {
            if let Some(d) = r.read_external_docs_node(n, p) {
                r.doc.components.external_docs.insert(name.to_owned(), d);
            }
        });
        self.for_each_entry(map, "messageTraits", &ptr, |r, name, n, _| {
            r.doc
                .components
                .message_traits
                .insert(name.to_owned(), n.to_json());
        });
        self.for_each_entry(map, "operationTraits", &ptr, |r, name, n, _| {
            r.doc
                .components
                .operation_traits
                .insert(name.to_owned(), n.to_json());
        });
        self.for_each_entry(map, "serverBindings", &ptr, |r, name, n, p| {
            let b = r.bindings(n, p, Level::Server, Self::server_binding);
            r.doc.components.server_bindings.insert(name.to_owned(), b);
        });
        self.for_each_entry(map, "channelBindings", &ptr, |r, name, n, p| {
            let b = r.bindings(n, p, Level::Channel, Self::channel_binding);
            r.doc.components.channel_bindings.insert(name.to_owned(), b);
        });
        self.for_each_entry(map, "operationBindings", &ptr, |r, name, n, p| {
            let b = r.bindings(n, p, Level::Operation, Self::operation_binding);
            r.doc
                .components
                .operation_bindings
                .insert(name.to_owned(), b);
        });
        self.for_each_entry(map, "messageBindings", &ptr, |r, name, n, p| {
            let b = r.bindings(n, p, Level::Message, Self::message_binding);
            r.doc.components.message_bindings.insert(name.to_owned(), b);
        });
    }
}
