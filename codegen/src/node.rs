//! The spanned tree every document is parsed into, whatever its syntax.
//!
//! JSON and YAML both become [`Node`]s: JSON-like values where every node and every mapping key
//! remembers its file, line and column. Mappings keep the document's key order.

use indexmap::IndexMap;

use crate::source::Span;

/// A value in a document, with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where the value is written.
    pub span: Span,
}

/// A mapping entry: the key's location and the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// An ordered mapping from string keys to nodes.
pub type Map = IndexMap<String, Member>;

/// A JSON-like value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` (YAML `~`, `null` or an empty value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as JSON would keep it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A sequence.
    Array(Vec<Node>),
    /// A mapping.
    Object(Map),
}

impl Node {
    /// The mapping, if this node is one.
    pub fn as_object(&self) -> Option<&Map> {
        match &self.value {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The sequence, if this node is one.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The string, if this node is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this node is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, if this node is one.
    pub fn as_number(&self) -> Option<&serde_json::Number> {
        match &self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Member `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?.get(key).map(|m| &m.value)
    }

    /// The string in `$ref` when this node is a reference object.
    pub fn ref_target(&self) -> Option<&str> {
        self.get("$ref")?.as_str()
    }

    /// A short name for the kind of value, for messages ("a string", "a mapping", ...).
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a sequence",
            Value::Object(_) => "a mapping",
        }
    }

    /// Follows a sequence of already-unescaped JSON pointer tokens from this node.
    pub fn pointer<'a, I, S>(&self, tokens: I) -> Option<&Node>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str> + 'a,
    {
        let mut node = self;
        for token in tokens {
            let token = token.as_ref();
            node = match &node.value {
                Value::Object(map) => &map.get(token)?.value,
                Value::Array(items) => items.get(parse_index(token)?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Converts the tree into a plain `serde_json::Value`, dropping locations.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, m)| (k.clone(), m.value.to_json()))
                    .collect(),
            ),
        }
    }
}

/// An array index token as JSON Pointer defines it: `0` or digits without a leading zero.
fn parse_index(token: &str) -> Option<usize> {
    if token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    if !token.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    token.parse().ok()
}
