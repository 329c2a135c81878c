//! Walks over a parsed tree that the workspace needs: the references a file makes, the Avro
//! named types a schema file uses and defines, the absolute `$id`s it declares, and the schema
//! an anchor names.

use crate::node::{Node, Value};
use crate::pointer::JsonPointer;

/// Every `$ref` string under `node`.
pub(super) fn collect_refs(node: &Node, out: &mut Vec<String>) {
    match &node.value {
        Value::Object(map) => {
            for (key, member) in map {
                if key == "$ref" {
                    if let Some(s) = member.value.as_str() {
                        out.push(s.to_owned());
                    }
                } else {
                    collect_refs(&member.value, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|n| collect_refs(n, out)),
        _ => {}
    }
}

/// The short names of the Avro named types `node` uses (`used`) and defines (`defined`).
pub(super) fn avro_names(node: &Node, used: &mut Vec<String>, defined: &mut Vec<String>) {
    const PRIMITIVES: &[&str] = &[
        "null", "boolean", "int", "long", "float", "double", "bytes", "string", "record", "error",
        "enum", "array", "map", "fixed",
    ];
    let short = |s: &str| s.rsplit('.').next().unwrap_or(s).to_owned();
    let use_type = |value: &Node, used: &mut Vec<String>| match &value.value {
        Value::String(s) if !PRIMITIVES.contains(&s.as_str()) => used.push(short(s)),
        _ => {}
    };
    match &node.value {
        Value::Object(map) => {
            if let Some(name) = map.get("name").and_then(|m| m.value.as_str())
                && map.contains_key("type")
                && matches!(
                    map.get("type").and_then(|m| m.value.as_str()),
                    Some("record" | "error" | "enum" | "fixed")
                )
            {
                defined.push(short(name));
            }
            for key in ["type", "items", "values"] {
                if let Some(m) = map.get(key) {
                    use_type(&m.value, used);
                }
            }
            for member in map.values() {
                avro_names(&member.value, used, defined);
            }
        }
        Value::Array(items) => {
            for item in items {
                use_type(item, used);
                avro_names(item, used, defined);
            }
        }
        _ => {}
    }
}

/// Every absolute `$id` under `node` (`scheme:...`, without a fragment), with its pointer.
pub(super) fn collect_ids(
    node: &Node,
    path: &mut JsonPointer,
    out: &mut Vec<(String, JsonPointer)>,
) {
    match &node.value {
        Value::Object(map) => {
            if let Some(id) = map.get("$id").and_then(|m| m.value.as_str()) {
                let uri = id.split_once('#').map_or(id, |(u, _)| u);
                let absolute = uri.split_once(':').is_some_and(|(scheme, _)| {
                    !scheme.is_empty()
                        && scheme
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if absolute {
                    out.push((uri.to_owned(), path.clone()));
                }
            }
            for (key, member) in map {
                path.push(key.clone());
                collect_ids(&member.value, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                collect_ids(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The schema under `node` whose `$anchor` (or draft-07 `$id: "#name"`) is `name`, with `path`
/// extended to it.
pub(super) fn find_anchor<'a>(
    node: &'a Node,
    name: &str,
    path: &mut JsonPointer,
) -> Option<&'a Node> {
    match &node.value {
        Value::Object(map) => {
            let anchor = map.get("$anchor").and_then(|m| m.value.as_str());
            let id = map.get("$id").and_then(|m| m.value.as_str());
            if anchor == Some(name) || id.and_then(|i| i.strip_prefix('#')) == Some(name) {
                return Some(node);
            }
            for (key, member) in map {
                path.push(key.clone());
                if let Some(found) = find_anchor(&member.value, name, path) {
                    return Some(found);
                }
                path.pop();
            }
            None
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                if let Some(found) = find_anchor(item, name, path) {
                    return Some(found);
                }
                path.pop();
            }
            None
        }
        _ => None,
    }
}
