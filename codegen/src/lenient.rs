//! Departures from the specification that documents written by real tools make, read the obvious
//! way, each with a located warning ([`Code::Departure`](crate::diag::Code::Departure)), never a
//! silent guess. They are rewritten in the parsed tree before anything else reads it, so that
//! references into the rewritten places resolve as their authors meant.
//!
//! - **A channel's `messages` as a sequence** (AsyncAPI 3; ZenWave SDK writes it, after an early
//!   draft of 3.0): read as the mapping the specification asks for, each message keyed by its
//!   `name`, else the name of the component its `$ref` points to, else its `messageId`, else its
//!   position (`message1`, ...); a key taken twice gets a number (`_2`).
//! - **An operation's `messages` as a mapping** (AsyncAPI 3, which asks for a sequence of
//!   references): read as the sequence of its values, in order.
//! - **An operation's message that its channel does not list**, referenced straight from
//!   `components.messages` (ZenWave SDK): read as the channel carrying it too, under its
//!   component name.
//! - **A `{variable}` of a server's URL (or host and pathname) that `variables` does not
//!   declare**, and **a `{parameter}` of a channel's address that `parameters` does not
//!   declare** (ZenWave SDK's test documents): read as declared, with no default.

use crate::node::{Member, Node, Value};
use crate::pointer::JsonPointer;
use crate::source::Span;

/// One departure that was read the obvious way.
#[derive(Clone, Debug)]
pub(crate) struct Departure {
    /// Where the departing value is written.
    pub span: Span,
    /// Its pointer in its file.
    pub pointer: JsonPointer,
    /// What was found and how it was read.
    pub message: String,
}

/// Rewrites the departures of an AsyncAPI document's tree (most are AsyncAPI 3 only); other
/// trees are left alone.
pub(crate) fn normalize(root: &mut Node) -> Vec<Departure> {
    let is_v3 = root
        .get("asyncapi")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with('3'));
    let mut found = Vec::new();
    if root.get("asyncapi").is_some() {
        declare_template_names(root, &mut found);
    }
    if !is_v3 {
        return found;
    }
    for (section, pointer) in [
        (&["channels"][..], JsonPointer::root().child("channels")),
        (
            &["components", "channels"][..],
            JsonPointer::root().child("components").child("channels"),
        ),
    ] {
        let keys = channel_message_keys(root, section);
        let Some(channels) = object_at(root, section) else {
            continue;
        };
        for (name, keys) in keys {
            let Some(member) = channels.get_mut(&name) else {
                continue;
            };
            let Value::Object(channel) = &mut member.value.value else {
                continue;
            };
            let Some(messages) = channel
                .get_mut("messages")
                .filter(|m| matches!(m.value.value, Value::Array(_)))
            else {
                continue;
            };
            let Value::Array(items) = std::mem::replace(&mut messages.value.value, Value::Null)
            else {
                continue;
            };
            let span = messages.value.span;
            let map = items
                .into_iter()
                .zip(&keys)
                .map(|(item, key)| {
                    (
                        key.clone(),
                        Member {
                            key_span: item.span,
                            value: item,
                        },
                    )
                })
                .collect();
            messages.value.value = Value::Object(map);
            found.push(Departure {
                span,
                pointer: pointer.child(name.as_str()).child("messages"),
                message: format!(
                    "a channel's `messages` is a mapping in AsyncAPI 3, but this is a sequence (as ZenWave SDK writes it); read as the mapping {}",
                    keys.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
    }
    channel_carries_operation_messages(root, &mut found);
    for (section, pointer) in [
        (&["operations"][..], JsonPointer::root().child("operations")),
        (
            &["components", "operations"][..],
            JsonPointer::root().child("components").child("operations"),
        ),
    ] {
        let Some(operations) = object_at(root, section) else {
            continue;
        };
        for (name, member) in operations.iter_mut() {
            let Value::Object(operation) = &mut member.value.value else {
                continue;
            };
            let here = pointer.child(name.as_str());
            sequence_of_values(operation, here.clone(), &mut found);
            if let Some(Value::Object(reply)) =
                operation.get_mut("reply").map(|r| &mut r.value.value)
            {
                sequence_of_values(reply, here.child("reply"), &mut found);
            }
        }
    }
    found
}

/// Operations that list `#/components/messages/X` while their (root) channel does not carry
/// it: the channel carries it too (as `X`), and the operation refers to it there.
fn channel_carries_operation_messages(root: &mut Node, found: &mut Vec<Departure>) {
    let mut adds: Vec<(String, String, String, Span, JsonPointer)> = Vec::new();
    let Some(operations) = root.get("operations").and_then(Node::as_object) else {
        return;
    };
    for (op_key, op) in operations {
        let Some(channel) = op
            .value
            .get("channel")
            .and_then(Node::ref_target)
            .and_then(|r| r.strip_prefix("#/channels/"))
            .filter(|c| !c.contains('/'))
        else {
            continue;
        };
        let Some(items) = op.value.get("messages").and_then(Node::as_array) else {
            continue;
        };
        let carried: Vec<&str> = root
            .get("channels")
            .and_then(|c| c.get(channel))
            .and_then(|c| c.get("messages"))
            .and_then(Node::as_object)
            .map(|m| m.values().filter_map(|v| v.value.ref_target()).collect())
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            let Some(target) = item.ref_target() else {
                continue;
            };
            let Some(name) = target.strip_prefix("#/components/messages/") else {
                continue;
            };
            if name.contains('/') || carried.contains(&target) {
                continue;
            }
            let pointer = JsonPointer::root()
                .child("operations")
                .child(op_key.as_str())
                .child("messages")
                .child(i.to_string());
            adds.push((
                op_key.clone(),
                channel.to_owned(),
                name.to_owned(),
                item.span,
                pointer,
            ));
        }
    }
    for (op_key, channel, name, span, pointer) in adds {
        let target = format!("#/components/messages/{name}");
        let Some(channel_node) = node_at(root, &["channels".to_owned(), channel.clone()]) else {
            continue;
        };
        let Value::Object(map) = &mut channel_node.value else {
            continue;
        };
        let messages = map.entry("messages".to_owned()).or_insert_with(|| Member {
            key_span: span,
            value: Node {
                value: Value::Object(Default::default()),
                span,
            },
        });
        if matches!(messages.value.value, Value::Null) {
            messages.value.value = Value::Object(Default::default());
        }
        let Value::Object(messages) = &mut messages.value.value else {
            continue;
        };
        let ref_node = |text: String| Node {
            value: Value::Object(
                [(
                    "$ref".to_owned(),
                    Member {
                        key_span: span,
                        value: Node {
                            value: Value::String(text),
                            span,
                        },
                    },
                )]
                .into_iter()
                .collect(),
            ),
            span,
        };
        messages.entry(name.clone()).or_insert_with(|| Member {
            key_span: span,
            value: ref_node(target.clone()),
        });
        let tokens: Vec<String> = pointer.tokens().to_vec();
        if let Some(item) = node_at(root, &tokens) {
            *item = ref_node(format!("#/channels/{channel}/messages/{name}"));
        }
        found.push(Departure {
            span,
            pointer,
            message: format!(
                "operation `{op_key}` lists the message `{target}`, which its channel `{channel}` does not carry; read as the channel carrying it too, as `{name}`"
            ),
        });
    }
}

/// The `{names}` of an address or URL template; `None` when its braces do not balance (the
/// checks report that).
fn template_names(template: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        if name.contains('{') {
            return None;
        }
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &rest[close + 1..];
    }
    (!rest.contains('}')).then_some(names)
}

/// A server variable or channel parameter a template uses without declaring it.
struct Undeclared {
    /// The path of the server or channel.
    owner: Vec<String>,
    /// `variables` or `parameters`.
    field: &'static str,
    name: String,
    /// Where the template is written.
    span: Span,
    /// `server `x`` or `channel `y``, for the message.
    label: String,
    /// The pointer of the template.
    used: JsonPointer,
}

/// The pointer of a path of tokens.
fn pointer_to(tokens: &[String]) -> JsonPointer {
    let mut pointer = JsonPointer::root();
    for t in tokens {
        pointer.push(t.clone());
    }
    pointer
}

/// Declares the server variables and channel parameters that templates use without declaring
/// (with no default), each with a warning.
fn declare_template_names(root: &mut Node, found: &mut Vec<Departure>) {
    let v2 = root
        .get("asyncapi")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with('2'));
    let mut wanted: Vec<Undeclared> = Vec::new();
    for (section, pointer) in [
        (&["servers"][..], vec!["servers"]),
        (
            &["components", "servers"][..],
            vec!["components", "servers"],
        ),
    ] {
        let Some(servers) = section
            .iter()
            .try_fold(&*root, |n, t| n.get(t))
            .and_then(Node::as_object)
        else {
            continue;
        };
        for (key, server) in servers {
            let server = &server.value;
            let fields: &[&str] = if v2 { &["url"] } else { &["host", "pathname"] };
            for field in fields {
                let Some(node) = server.get(field) else {
                    continue;
                };
                let Some(names) = node.as_str().and_then(template_names) else {
                    continue;
                };
                let declared = server.get("variables").and_then(Node::as_object);
                for name in names {
                    if declared.is_none_or(|d| !d.contains_key(&name)) {
                        let mut at: Vec<String> = pointer.iter().map(|s| s.to_string()).collect();
                        at.push(key.clone());
                        let used = pointer_to(&at).child(*field);
                        wanted.push(Undeclared {
                            owner: at,
                            field: "variables",
                            name,
                            span: node.span,
                            label: format!("server `{key}`"),
                            used,
                        });
                    }
                }
            }
        }
    }
    for (section, pointer) in [
        (&["channels"][..], vec!["channels"]),
        (
            &["components", "channels"][..],
            vec!["components", "channels"],
        ),
    ] {
        let Some(channels) = section
            .iter()
            .try_fold(&*root, |n, t| n.get(t))
            .and_then(Node::as_object)
        else {
            continue;
        };
        for (key, channel) in channels {
            let key_span = channel.key_span;
            let channel = &channel.value;
            if channel.ref_target().is_some() {
                continue;
            }
            let (template, span) = if v2 && section.len() == 1 {
                (Some(key.as_str()), key_span)
            } else {
                match channel.get("address") {
                    Some(a) => (a.as_str(), a.span),
                    None => (None, channel.span),
                }
            };
            let Some(names) = template.and_then(template_names) else {
                continue;
            };
            let declared = channel.get("parameters").and_then(Node::as_object);
            for name in names {
                if declared.is_none_or(|d| !d.contains_key(&name)) {
                    let mut at: Vec<String> = pointer.iter().map(|s| s.to_string()).collect();
                    at.push(key.clone());
                    let used = if v2 && section.len() == 1 {
                        pointer_to(&at)
                    } else {
                        pointer_to(&at).child("address")
                    };
                    wanted.push(Undeclared {
                        owner: at,
                        field: "parameters",
                        name,
                        span,
                        label: format!("channel `{key}`"),
                        used,
                    });
                }
            }
        }
    }
    for Undeclared {
        owner: at,
        field,
        name,
        span,
        label: owner,
        used,
    } in wanted
    {
        let Some(owner_node) = node_at(root, &at) else {
            continue;
        };
        let Value::Object(map) = &mut owner_node.value else {
            continue;
        };
        let declared = map.entry(field.to_owned()).or_insert_with(|| Member {
            key_span: span,
            value: Node {
                value: Value::Object(Default::default()),
                span,
            },
        });
        if matches!(declared.value.value, Value::Null) {
            declared.value.value = Value::Object(Default::default());
        }
        let Value::Object(names) = &mut declared.value.value else {
            continue;
        };
        names.insert(
            name.clone(),
            Member {
                key_span: span,
                value: Node {
                    value: Value::Object(Default::default()),
                    span,
                },
            },
        );
        let what = if field == "variables" {
            "variable"
        } else {
            "parameter"
        };
        found.push(Departure {
            span,
            pointer: used,
            message: format!(
                "{owner} uses the {what} `{{{name}}}` without declaring it under `{field}`; read as a {what} with no default"
            ),
        });
    }
}

/// An operation's (or reply's) `messages` written as a mapping: its values, in order.
fn sequence_of_values(
    owner: &mut crate::node::Map,
    pointer: JsonPointer,
    found: &mut Vec<Departure>,
) {
    let Some(messages) = owner
        .get_mut("messages")
        .filter(|m| matches!(m.value.value, Value::Object(_)))
    else {
        return;
    };
    let Value::Object(map) = std::mem::replace(&mut messages.value.value, Value::Null) else {
        return;
    };
    let span = messages.value.span;
    let keys: Vec<String> = map.keys().map(|k| format!("`{k}`")).collect();
    messages.value.value = Value::Array(map.into_values().map(|m| m.value).collect());
    found.push(Departure {
        span,
        pointer: pointer.child("messages"),
        message: format!(
            "an operation's `messages` is a sequence of references in AsyncAPI 3, but this is a mapping; read as the sequence of its values ({})",
            keys.join(", ")
        ),
    });
}

/// The mapping at `path` from the root, to change.
fn object_at<'n>(root: &'n mut Node, path: &[&str]) -> Option<&'n mut crate::node::Map> {
    let mut at = root;
    for token in path {
        let Value::Object(map) = &mut at.value else {
            return None;
        };
        at = &mut map.get_mut(*token)?.value;
    }
    match &mut at.value {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// For each channel at `section` whose `messages` is a sequence: the keys its items get.
fn channel_message_keys(root: &Node, section: &[&str]) -> Vec<(String, Vec<String>)> {
    let Some(channels) = section
        .iter()
        .try_fold(root, |n, t| n.get(t))
        .and_then(Node::as_object)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, channel) in channels {
        let Some(items) = channel.value.get("messages").and_then(Node::as_array) else {
            continue;
        };
        let mut keys: Vec<String> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let base = message_key(root, item).unwrap_or_else(|| format!("message{}", i + 1));
            let mut key = base.clone();
            let mut n = 2;
            while keys.contains(&key) {
                key = format!("{base}_{n}");
                n += 1;
            }
            keys.push(key);
        }
        out.push((name.clone(), keys));
    }
    out
}

/// A message's key: its `name`, the component its `$ref` names, or its `messageId`.
fn message_key(root: &Node, item: &Node) -> Option<String> {
    let named = |n: &Node| n.get("name").and_then(Node::as_str).map(str::to_owned);
    if let Some(target) = item.ref_target() {
        let (_, fragment) = target.split_once('#').unwrap_or((target, ""));
        let pointer = JsonPointer::parse_fragment(fragment).ok();
        let local = target.starts_with('#');
        let resolved = pointer
            .as_ref()
            .filter(|_| local)
            .and_then(|p| root.pointer(p.tokens()));
        return resolved
            .and_then(named)
            .or_else(|| pointer.and_then(|p| p.tokens().last().cloned()))
            .or_else(|| resolved.and_then(|n| n.get("messageId")?.as_str().map(str::to_owned)));
    }
    named(item).or_else(|| item.get("messageId")?.as_str().map(str::to_owned))
}

/// Reads `$recursiveRef` (2019-09) and `$dynamicRef` (2020-12) as the recursion they are
/// written for: a `$ref` to the schema resource they are in (`$recursiveRef: "#"`), or to the
/// `$dynamicAnchor` (or `$anchor`) they name inside it. That is what they mean unless a schema
/// that extends this one overrides the anchor, which generated types (one definition per
/// schema) cannot express anyway. A schema resource is a schema with an `$id`, a component
/// schema, a message's payload or headers, or a whole file that is not an AsyncAPI document.
pub(crate) fn static_dynamic_refs(root: &mut Node) {
    let standalone = root.get("asyncapi").is_none();
    let mut edits = Vec::new();
    let mut path = Vec::new();
    let mut resources = Vec::new();
    if standalone {
        resources.push(Vec::new());
    }
    collect_dynamic(root, root, &mut path, &mut resources, &mut edits);
    for (at, target) in edits {
        let Some(node) = node_at(root, &at) else {
            continue;
        };
        if let Value::Object(map) = &mut node.value {
            let span = node.span;
            map.shift_remove("$recursiveRef");
            map.shift_remove("$dynamicRef");
            map.entry("$ref".to_owned()).or_insert(Member {
                key_span: span,
                value: Node {
                    value: Value::String(target),
                    span,
                },
            });
        }
    }
}

/// The node at `path` under `node`, to change.
fn node_at<'n>(node: &'n mut Node, path: &[String]) -> Option<&'n mut Node> {
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    let next = match &mut node.value {
        Value::Object(map) => &mut map.get_mut(first)?.value,
        Value::Array(items) => items.get_mut(first.parse::<usize>().ok()?)?,
        _ => return None,
    };
    node_at(next, rest)
}

/// Finds the `$recursiveRef`s and `$dynamicRef`s under `node`, with the `$ref` each becomes.
fn collect_dynamic(
    root: &Node,
    node: &Node,
    path: &mut Vec<String>,
    resources: &mut Vec<Vec<String>>,
    edits: &mut Vec<(Vec<String>, String)>,
) {
    match &node.value {
        Value::Object(map) => {
            let is_resource = map.get("$id").is_some_and(|m| m.value.as_str().is_some())
                || matches!(path.as_slice(), [c, s, _] if c == "components" && s == "schemas")
                || path
                    .last()
                    .is_some_and(|k| (k == "payload" || k == "headers") && path.len() >= 2);
            if is_resource {
                resources.push(path.clone());
            }
            let resource = resources.last().cloned();
            let pointer_of = |tokens: &[String]| {
                let mut p = JsonPointer::root();
                for t in tokens {
                    p.push(t.clone());
                }
                format!("#{p}")
            };
            if !map.contains_key("$ref") {
                if let (Some(r), Some(resource)) = (
                    map.get("$recursiveRef").and_then(|m| m.value.as_str()),
                    &resource,
                ) && r == "#"
                {
                    edits.push((path.clone(), pointer_of(resource)));
                } else if let Some(d) = map.get("$dynamicRef").and_then(|m| m.value.as_str()) {
                    let target = match (d.strip_prefix('#'), &resource) {
                        (Some(name), Some(resource))
                            if !name.is_empty() && !name.starts_with('/') =>
                        {
                            let base = resource
                                .iter()
                                .try_fold(root, |n, t| n.get(t))
                                .unwrap_or(root);
                            let mut found = resource.clone();
                            if find_dynamic_anchor(base, name, &mut found) {
                                pointer_of(&found)
                            } else {
                                pointer_of(resource)
                            }
                        }
                        _ => d.to_owned(),
                    };
                    edits.push((path.clone(), target));
                }
            }
            for (key, member) in map {
                path.push(key.clone());
                collect_dynamic(root, &member.value, path, resources, edits);
                path.pop();
            }
            if is_resource {
                resources.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                collect_dynamic(root, item, path, resources, edits);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Whether `node` (at `path`, extended to the anchor's path when found) holds a schema whose
/// `$dynamicAnchor` (or `$anchor`) is `name`.
fn find_dynamic_anchor(node: &Node, name: &str, path: &mut Vec<String>) -> bool {
    match &node.value {
        Value::Object(map) => {
            let named = |k: &str| map.get(k).and_then(|m| m.value.as_str()) == Some(name);
            if named("$dynamicAnchor") || named("$anchor") {
                return true;
            }
            for (key, member) in map {
                path.push(key.clone());
                if find_dynamic_anchor(&member.value, name, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                if find_dynamic_anchor(item, name, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(yaml: &str) -> Node {
        crate::parse::parse(yaml, crate::source::FileId(0), &Default::default())
            .unwrap()
            .0
    }

    #[test]
    fn channel_messages_as_a_sequence_become_a_mapping() {
        let mut root = tree(
            "asyncapi: 3.0.0\nchannels:\n  c:\n    messages:\n      - $ref: '#/components/messages/A'\n      - $ref: '#/components/messages/B'\n      - name: A\n      - messageId: m\n      - {}\ncomponents:\n  messages:\n    A: {name: created}\n    B: {}\n",
        );
        let found = normalize(&mut root);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer.to_string(), "/channels/c/messages");
        let keys: Vec<&String> = root
            .pointer(["channels", "c", "messages"])
            .and_then(Node::as_object)
            .unwrap()
            .keys()
            .collect();
        assert_eq!(keys, ["created", "B", "A", "m", "message5"]);
    }

    #[test]
    fn recursive_and_dynamic_references_read_as_recursion() {
        let mut root = tree(
            "asyncapi: 3.0.0\ncomponents:\n  schemas:\n    Tree:\n      $dynamicAnchor: node\n      type: object\n      properties:\n        children: {type: array, items: {$dynamicRef: '#node'}}\n        parent: {$recursiveRef: '#'}\n",
        );
        static_dynamic_refs(&mut root);
        let props = ["components", "schemas", "Tree", "properties"];
        let at = |tail: &[&str]| {
            let path: Vec<&str> = props.iter().chain(tail).copied().collect();
            root.pointer(path)
                .and_then(|n| n.ref_target())
                .map(str::to_owned)
        };
        assert_eq!(
            at(&["children", "items"]).as_deref(),
            Some("#/components/schemas/Tree")
        );
        assert_eq!(
            at(&["parent"]).as_deref(),
            Some("#/components/schemas/Tree")
        );
    }

    #[test]
    fn operation_messages_as_a_mapping_become_a_sequence_and_v2_is_left_alone() {
        let mut root = tree(
            "asyncapi: 3.0.0\noperations:\n  o:\n    messages:\n      x: {$ref: '#/a'}\n    reply:\n      messages:\n        y: {$ref: '#/b'}\n",
        );
        assert_eq!(normalize(&mut root).len(), 2);
        let items = root
            .pointer(["operations", "o", "messages"])
            .and_then(Node::as_array)
            .unwrap();
        assert_eq!(items[0].ref_target(), Some("#/a"));
        let mut v2 = tree("asyncapi: 2.6.0\nchannels:\n  c:\n    messages:\n      - {}\n");
        assert!(normalize(&mut v2).is_empty());
    }
}
