//! Bindings: typed per protocol through serde, with schema-valued fields read as schemas.

use serde::de::DeserializeOwned;

use super::Reader;
use crate::diag::{Code, Diagnostic};
use crate::model::bindings::{
    self, HasExtra, Level, MARKER, RawBinding, SCHEMA_FIELDS, SchemaField, VERSIONED_FIELDS,
};
use crate::model::*;
use crate::node::{Map, Node, Value};
use crate::pointer::JsonPointer;

impl Reader<'_, '_> {
    /// The bindings of an object (`map.bindings`), typed for `level`.
    pub(super) fn bindings_of<B: Default>(
        &mut self,
        map: &Map,
        ptr: &JsonPointer,
        level: Level,
        apply: fn(&mut Self, &mut B, &str, &Node, &JsonPointer),
    ) -> B {
        match map.get("bindings") {
            Some(member) => self.bindings(&member.value, &ptr.child("bindings"), level, apply),
            None => B::default(),
        }
    }

    /// Reads a bindings object (`{protocol: binding, ...}`, or a `$ref` to one), handing each
    /// protocol's binding to `apply`, which stores it typed in the level's set.
    pub(super) fn bindings<B: Default>(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        level: Level,
        apply: fn(&mut Self, &mut B, &str, &Node, &JsonPointer),
    ) -> B {
        let mut out = B::default();
        let Some((node, bptr)) = self.deref(node, ptr) else {
            return out;
        };
        let Some(entries) = self.object(node, &bptr, "`bindings`") else {
            return out;
        };
        for (protocol, m) in entries {
            let p = bptr.child(protocol.clone());
            let Some((value, vp)) = self.deref(&m.value, &p) else {
                continue;
            };
            if value.value == Value::Null {
                continue;
            }
            if value.as_object().is_none() {
                let what = format!("the `{protocol}` {} binding", level.name());
                if bindings::is_known_protocol(protocol) {
                    self.object(value, &vp, &what);
                } else {
                    self.warning(
                        Code::Binding,
                        format!(
                            "{what} should be a mapping, but this is {}; `{protocol}` is not a protocol of the bindings specification, so the value is kept as written",
                            value.kind_name()
                        ),
                        value,
                        &vp,
                    );
                    apply(self, &mut out, protocol, value, &vp);
                }
                continue;
            }
            self.check_binding_version(protocol, level, value, &vp);
            apply(self, &mut out, protocol, value, &vp);
        }
        out
    }

    fn check_binding_version(
        &mut self,
        protocol: &str,
        level: Level,
        node: &Node,
        ptr: &JsonPointer,
    ) {
        let version_node = node.get("bindingVersion");
        let version = version_node.and_then(|v| match &v.value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        });
        let known = bindings::known_versions(protocol);
        if let (Some(v), Some(vn)) = (&version, version_node)
            && !known.is_empty()
            && v != "latest"
            && !known.contains(&v.as_str())
        {
            self.warning(
                    Code::Binding,
                    format!(
                        "`{protocol}` binding version `{v}` is not one the bindings specification published ({}); fields are read as in the latest version",
                        known.join(", ")
                    ),
                    vn,
                    &ptr.child("bindingVersion"),
                );
        }
        let Some(version) = version.filter(|v| v != "latest" && known.contains(&v.as_str())) else {
            return;
        };
        for (p, l, field, since, until) in VERSIONED_FIELDS {
            if *p != protocol || *l != level {
                continue;
            }
            let Some(field_node) = node.get(field) else {
                continue;
            };
            let too_old = version_lt(&version, since);
            let too_new = until.is_some_and(|u| version_lt(u, &version));
            if too_old || too_new {
                let range = match until {
                    Some(u) if u == since => format!("only in version {since}"),
                    Some(u) => format!("in versions {since} to {u}"),
                    None => format!("from version {since}"),
                };
                self.warning(
                    Code::Binding,
                    format!(
                        "`{field}` exists in the `{protocol}` {} binding {range}, but this binding says `bindingVersion: {version}`",
                        level.name()
                    ),
                    field_node,
                    &ptr.child(*field),
                );
            }
        }
    }

    /// Converts a binding node to JSON, reading schema-valued fields as schemas and putting a
    /// marker with the schema id in their place.
    fn binding_json(
        &mut self,
        protocol: &str,
        level: Level,
        node: &Node,
        ptr: &JsonPointer,
    ) -> serde_json::Value {
        let mut json = node.to_json();
        let Some(map) = node.as_object() else {
            return json;
        };
        for (p, l, field, kind) in SCHEMA_FIELDS {
            if *p != protocol || *l != level {
                continue;
            }
            let Some(member) = map.get(*field) else {
                continue;
            };
            let field_ptr = ptr.child(*field);
            let id = match (kind, &member.value.value) {
                (SchemaField::ValueOrSchema, value) if !matches!(value, Value::Object(_)) => {
                    continue;
                }
                (SchemaField::Schema, Value::String(text)) => {
                    // Older documents (the 2.0 Streetlights example among them) write a plain value
                    // where the binding asks for a schema; read it as a schema of that one value.
                    self.warning(
                        Code::Binding,
                        format!(
                            "`{field}` of the `{protocol}` {} binding must be a schema; the string `{text}` is read as `{{type: string, const: {text}}}`",
                            level.name()
                        ),
                        &member.value,
                        &field_ptr,
                    );
                    self.const_schema(&member.value, &field_ptr)
                }
                _ => self.schema(&member.value, &field_ptr),
            };
            if let Some(obj) = json.as_object_mut() {
                obj.insert((*field).to_owned(), serde_json::json!({ MARKER: id.0 }));
            }
        }
        json
    }

    /// Deserialises a typed binding, reporting the exact field that is wrong.
    fn typed<T: DeserializeOwned + HasExtra>(
        &mut self,
        protocol: &str,
        level: Level,
        node: &Node,
        ptr: &JsonPointer,
    ) -> Option<T> {
        let json = self.binding_json(protocol, level, node, ptr);
        match serde_path_to_error::deserialize::<_, T>(json) {
            Ok(value) => {
                for key in value.extra().keys() {
                    if key.starts_with("x-") {
                        continue;
                    }
                    let at = node.as_object().and_then(|m| m.get(key));
                    let loc = match at {
                        Some(m) => self.ws.location(m.key_span, &ptr.child(key.clone())),
                        None => self.loc(node, ptr),
                    };
                    self.push(
                        Diagnostic::warning(
                            Code::Binding,
                            format!(
                                "the `{protocol}` {} binding has no field `{key}` in the bindings specification; it is kept as a raw value",
                                level.name()
                            ),
                        )
                        .at(loc),
                    );
                }
                Some(value)
            }
            Err(err) => {
                let path: Vec<String> = err
                    .path()
                    .iter()
                    .filter_map(|seg| match seg {
                        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                        serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                        _ => None,
                    })
                    .collect();
                let mut at = node;
                let mut at_ptr = ptr.clone();
                for token in &path {
                    match at.pointer([token]) {
                        Some(next) => {
                            at = next;
                            at_ptr.push(token.clone());
                        }
                        None => break,
                    }
                }
                let inner = err.into_inner().to_string();
                let field = if path.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", path.join("."))
                };
                self.error(
                    Code::InvalidValue,
                    format!(
                        "invalid `{protocol}` {} binding{field}: {inner}",
                        level.name()
                    ),
                    at,
                    &at_ptr,
                );
                None
            }
        }
    }

    fn raw(node: &Node) -> RawBinding {
        RawBinding {
            binding_version: node.get("bindingVersion").and_then(|v| match &v.value {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }),
            value: node.to_json(),
        }
    }

    pub(super) fn server_binding(
        &mut self,
        out: &mut ServerBindings,
        protocol: &str,
        node: &Node,
        ptr: &JsonPointer,
    ) {
        let l = Level::Server;
        match protocol {
            "ibmmq" => out.ibmmq = self.typed(protocol, l, node, ptr),
            "jms" => out.jms = self.typed(protocol, l, node, ptr),
            "kafka" => out.kafka = self.typed(protocol, l, node, ptr),
            "mqtt" => out.mqtt = self.typed(protocol, l, node, ptr),
            "mqtt5" => out.mqtt5 = self.typed(protocol, l, node, ptr),
            "pulsar" => out.pulsar = self.typed(protocol, l, node, ptr),
            "ros2" => out.ros2 = self.typed(protocol, l, node, ptr),
            "solace" => out.solace = self.typed(protocol, l, node, ptr),
            _ => {
                out.other.insert(protocol.to_owned(), Self::raw(node));
            }
        }
    }

    pub(super) fn channel_binding(
        &mut self,
        out: &mut ChannelBindings,
        protocol: &str,
        node: &Node,
        ptr: &JsonPointer,
    ) {
        let l = Level::Channel;
        match protocol {
            "amqp" => out.amqp = self.typed(protocol, l, node, ptr),
            "anypointmq" => out.anypointmq = self.typed(protocol, l, node, ptr),
            "googlepubsub" => out.googlepubsub = self.typed(protocol, l, node, ptr),
            "ibmmq" => out.ibmmq = self.typed(protocol, l, node, ptr),
            "jms" => out.jms = self.typed(protocol, l, node, ptr),
            "kafka" => out.kafka = self.typed(protocol, l, node, ptr),
            "nats" => out.nats = self.typed(protocol, l, node, ptr),
            "pulsar" => out.pulsar = self.typed(protocol, l, node, ptr),
            "redis" => out.redis = self.typed(protocol, l, node, ptr),
            "sns" => out.sns = self.typed(protocol, l, node, ptr),
            "sqs" => out.sqs = self.typed(protocol, l, node, ptr),
            "ws" => out.ws = self.typed(protocol, l, node, ptr),
            _ => {
                out.other.insert(protocol.to_owned(), Self::raw(node));
            }
        }
    }

    pub(super) fn operation_binding(
        &mut self,
        out: &mut OperationBindings,
        protocol: &str,
        node: &Node,
        ptr: &JsonPointer,
    ) {
        let l = Level::Operation;
        match protocol {
            "amqp" => out.amqp = self.typed(protocol, l, node, ptr),
            "http" => out.http = self.typed(protocol, l, node, ptr),
            "kafka" => out.kafka = self.typed(protocol, l, node, ptr),
            "mqtt" => out.mqtt = self.typed(protocol, l, node, ptr),
            "nats" => out.nats = self.typed(protocol, l, node, ptr),
            "redis" => out.redis = self.typed(protocol, l, node, ptr),
            "ros2" => out.ros2 = self.typed(protocol, l, node, ptr),
            "sns" => out.sns = self.typed(protocol, l, node, ptr),
            "solace" => out.solace = self.typed(protocol, l, node, ptr),
            "sqs" => out.sqs = self.typed(protocol, l, node, ptr),
            _ => {
                out.other.insert(protocol.to_owned(), Self::raw(node));
            }
        }
    }

    pub(super) fn message_binding(
        &mut self,
        out: &mut MessageBindings,
        protocol: &str,
        node: &Node,
        ptr: &JsonPointer,
    ) {
        let l = Level::Message;
        match protocol {
            "amqp" => out.amqp = self.typed(protocol, l, node, ptr),
            "anypointmq" => out.anypointmq = self.typed(protocol, l, node, ptr),
            "googlepubsub" => out.googlepubsub = self.typed(protocol, l, node, ptr),
            "http" => out.http = self.typed(protocol, l, node, ptr),
            "ibmmq" => out.ibmmq = self.typed(protocol, l, node, ptr),
            "jms" => out.jms = self.typed(protocol, l, node, ptr),
            "kafka" => out.kafka = self.typed(protocol, l, node, ptr),
            "mqtt" => out.mqtt = self.typed(protocol, l, node, ptr),
            _ => {
                out.other.insert(protocol.to_owned(), Self::raw(node));
            }
        }
    }
}

/// Compares dotted versions numerically (`0.10.0` > `0.9.0`).
fn version_lt(a: &str, b: &str) -> bool {
    let parse = |v: &str| -> Vec<u64> { v.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    parse(a) < parse(b)
}
