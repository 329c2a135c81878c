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

/// Rewrites the departures of an AsyncAPI 3 document's tree; other trees are left alone.
pub(crate) fn normalize(root: &mut Node) -> Vec<Departure> {
    let is_v3 = root
        .get("asyncapi")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with('3'));
    let mut found = Vec::new();
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
