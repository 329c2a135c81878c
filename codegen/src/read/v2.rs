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
//! - An operation without `operationId` is named after what the application does and the end
//!   of its channel's address (see [`short_keys`]): `publish` on
//!   `smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured` is
//!   `receiveLightingMeasured`. Its messages without a name of their own are named after it.

use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;

use super::{Reader, UnnamedV2Operation, component_name, extensions, key};
use crate::diag::Code;
use crate::model::bindings::Level;
use crate::model::*;
use crate::node::{Map, Node};
use crate::pointer::JsonPointer;
use crate::types::names::type_name;

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
        self.name_v2_operations();
        if let Some(m) = map.get("components") {
            self.read_components(&m.value, &ptr.child("components"));
        }
    }

    /// Gives the root operations without `operationId` their short keys (see [`short_keys`]),
    /// once every operation of the document is known, and renames the messages named after them.
    fn name_v2_operations(&mut self) {
        let unnamed: Vec<UnnamedV2Operation> = std::mem::take(&mut self.v2_unnamed)
            .into_iter()
            .filter(|u| self.doc.operations.values().any(|id| *id == u.operation))
            .collect();
        if unnamed.is_empty() {
            return;
        }
        let explicit: Vec<&str> = self
            .doc
            .operations
            .iter()
            .filter(|(_, id)| !unnamed.iter().any(|u| u.operation == **id))
            .map(|(k, _)| k.as_str())
            .collect();
        let wanted: Vec<(Vec<String>, String)> = unnamed
            .iter()
            .map(|u| {
                let op = &self.doc[u.operation];
                (short_keys(op.action, &u.address), op.key.clone())
            })
            .collect();
        let chosen = choose_keys(&wanted, &explicit);
        let new_key: HashMap<OperationId, &String> =
            unnamed.iter().map(|u| u.operation).zip(&chosen).collect();
        let mut operations = indexmap::IndexMap::new();
        for (old, id) in std::mem::take(&mut self.doc.operations) {
            let wanted = new_key.get(&id).map_or(old.as_str(), |k| k.as_str());
            let unique = unique_key(&operations, wanted);
            self.doc.operation_table[id.index()].key = unique.clone();
            operations.insert(unique, id);
        }
        self.doc.operations = operations;
        for u in &unnamed {
            let op_key = self.doc[u.operation].key.clone();
            let channel = self.doc[u.operation].channel;
            for (message, suffix) in &u.messages {
                let old = std::mem::replace(
                    &mut self.doc.message_table[message.index()].key,
                    format!("{op_key}{suffix}"),
                );
                let messages =
                    std::mem::take(&mut self.doc.channel_table[channel.index()].messages);
                let mut renamed = indexmap::IndexMap::new();
                for (k, id) in messages {
                    let wanted = if id == *message && k == old {
                        self.doc[id].key.clone()
                    } else {
                        k
                    };
                    let unique = unique_key(&renamed, &wanted);
                    renamed.insert(unique, id);
                }
                self.doc.channel_table[channel.index()].messages = renamed;
            }
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
        let operation_id = self.string(map, "operationId", &ptr);
        let named = operation_id.is_some();
        // Without `operationId`, the full name for now; the short one once every operation of
        // the document is known (`name_v2_operations`).
        let op_key =
            operation_id.unwrap_or_else(|| format!("{verb}{}", address.to_upper_camel_case()));
        // The messages named after the operation, with what follows its name.
        let mut named_after: Vec<(MessageId, String)> = Vec::new();
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
                                    let suffix = format!("Message{}", i + 1);
                                    let fallback = format!("{op_key}{suffix}");
                                    let fresh = self.doc.message_table.len();
                                    let read = self.v2_message(n, &np, &fallback);
                                    if let Some(id) = read
                                        && id.index() >= fresh
                                        && self.doc[id].key == fallback
                                    {
                                        named_after.push((id, suffix));
                                    }
                                    match read {
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
                        let fresh = self.doc.message_table.len();
                        if let Some(id) = self.v2_message(mnode, &mptr, &fallback) {
                            if id.index() >= fresh && self.doc[id].key == fallback {
                                named_after.push((id, "Message".to_owned()));
                            }
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
        if !named {
            self.v2_unnamed.push(UnnamedV2Operation {
                operation: id,
                address: address.to_owned(),
                messages: named_after,
            });
        }
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

/// The keys a 2.x operation without `operationId` may take, shortest first: what the
/// application does (`send` for `subscribe`, `receive` for `publish`), then the end of the
/// channel's address in UpperCamelCase.
///
/// The address is split into segments on `/`, `.` and `:` (MQTT and WebSocket paths, Kafka
/// topics and NATS subjects, Redis key conventions). A segment is a parameter when it holds a
/// `{parameter}` (or is a wildcard, with no letter or digit: `+`, `#`, `*`, `>`). The shortest
/// key takes the segments after the last parameter, or the last segment that is not a parameter
/// when the address ends with a parameter or has none; each longer key adds the next segment to
/// the left that is not a parameter. An address with no segment but parameters has no short
/// key.
///
/// `smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured` received gives
/// `receiveLightingMeasured`, `receiveEventLightingMeasured`, `receive0EventLightingMeasured`, ...
pub(crate) fn short_keys(action: Action, address: &str) -> Vec<String> {
    let verb = match action {
        Action::Send => "send",
        Action::Receive => "receive",
    };
    let is_name = |s: &str| !s.contains(['{', '}']) && s.chars().any(|c| c.is_ascii_alphanumeric());
    let segments: Vec<&str> = address
        .split(['/', '.', ':'])
        .filter(|s| !s.is_empty())
        .collect();
    let names: Vec<String> = segments
        .iter()
        .filter(|s| is_name(s))
        .map(|s| s.to_upper_camel_case())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    let after_last_parameter = match segments.iter().rposition(|s| !is_name(s)) {
        Some(p) => segments[..p].iter().filter(|s| is_name(s)).count(),
        None => names.len() - 1,
    };
    let start = after_last_parameter.min(names.len() - 1);
    (0..=start)
        .rev()
        .map(|from| format!("{verb}{}", names[from..].concat()))
        .collect()
}

/// The keys of the 2.x operations without `operationId`, each given with its short keys
/// (shortest first) and its full key, among the operations with one (`explicit`): every
/// operation starts with its shortest key; while two operations would have the same Rust name
/// (or one would have an explicit operation's), each of them takes its next longer key, and one
/// with no longer key left takes its full key.
pub(crate) fn choose_keys(wanted: &[(Vec<String>, String)], explicit: &[&str]) -> Vec<String> {
    let rust = |k: &str| type_name(k, "Operation");
    let taken: HashSet<String> = explicit.iter().map(|k| rust(k)).collect();
    let rust_names: Vec<Vec<String>> = wanted
        .iter()
        .map(|(short, _)| short.iter().map(|k| rust(k)).collect())
        .collect();
    // Which operations would share their current Rust name (or have an explicit one's).
    let colliding = |level: &[usize]| -> Vec<bool> {
        let current: Vec<Option<&String>> = rust_names
            .iter()
            .zip(level)
            .map(|(names, &l)| names.get(l))
            .collect();
        let mut counts: HashMap<&String, usize> = HashMap::new();
        for name in current.iter().flatten() {
            *counts.entry(name).or_default() += 1;
        }
        current
            .iter()
            .map(|name| name.is_some_and(|n| counts[n] > 1 || taken.contains(n)))
            .collect()
    };
    let mut level: Vec<usize> = vec![0; wanted.len()];
    // Every round moves at least one operation to a longer key, so this ends; the bound keeps
    // a pathological document from taking long (what still collides keeps its full key).
    let longest = wanted.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
    for _ in 0..(2 * longest + 2) {
        let bump = colliding(&level);
        if !bump.contains(&true) {
            break;
        }
        for (l, b) in level.iter_mut().zip(bump) {
            *l += usize::from(b);
        }
    }
    let still = colliding(&level);
    wanted
        .iter()
        .zip(&level)
        .zip(still)
        .map(|(((short, full), &l), still)| match short.get(l) {
            Some(key) if !still => key.clone(),
            _ => full.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEASURED: &str =
        "smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured";

    #[test]
    fn short_keys_start_after_the_last_parameter() {
        assert_eq!(
            short_keys(Action::Receive, MEASURED),
            [
                "receiveLightingMeasured",
                "receiveEventLightingMeasured",
                "receive0EventLightingMeasured",
                "receive10EventLightingMeasured",
                "receiveStreetlights10EventLightingMeasured",
                "receiveSmartylightingStreetlights10EventLightingMeasured",
            ]
        );
        assert_eq!(
            short_keys(Action::Send, "a/{id}/turn/on"),
            ["sendTurnOn", "sendATurnOn"]
        );
        // No parameter, or one at the end: the last name.
        assert_eq!(
            short_keys(Action::Send, "user/signed-up"),
            ["sendSignedUp", "sendUserSignedUp"]
        );
        assert_eq!(short_keys(Action::Receive, "users/{id}"), ["receiveUsers"]);
        // `.` and `:` separate too; wildcards are parameters.
        assert_eq!(
            short_keys(Action::Send, "orders.{tenant}.created")[0],
            "sendCreated"
        );
        assert_eq!(
            short_keys(Action::Send, "user:{id}:events")[0],
            "sendEvents"
        );
        assert_eq!(
            short_keys(Action::Receive, "devices/+/status")[0],
            "receiveStatus"
        );
        assert!(short_keys(Action::Receive, "{only}").is_empty());
        assert!(short_keys(Action::Receive, "").is_empty());
    }

    fn wanted(action: Action, address: &str) -> (Vec<String>, String) {
        (
            short_keys(action, address),
            format!("full{}", address.to_upper_camel_case()),
        )
    }

    #[test]
    fn keys_grow_leftward_until_unique() {
        let chosen = choose_keys(
            &[
                wanted(Action::Receive, MEASURED),
                wanted(Action::Send, "a/{id}/turn/on"),
                wanted(Action::Send, "b/{id}/turn/on"),
                wanted(Action::Send, "b/dim"),
                wanted(Action::Send, "{x}"),
            ],
            &["sendDim"],
        );
        assert_eq!(
            chosen,
            [
                "receiveLightingMeasured",
                "sendATurnOn",
                "sendBTurnOn",
                "sendBDim",
                "fullX"
            ]
        );
        // Still the same: the full key.
        let chosen = choose_keys(
            &[wanted(Action::Send, "a/b"), wanted(Action::Send, "a.b")],
            &[],
        );
        assert_eq!(chosen, ["fullAB", "fullAB"]);
    }
}
