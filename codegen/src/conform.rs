//! Does a hand-written struct fit a message of a document? What `#[derive(asyncapi::Message)]`
//! checks at compile time when it is told the document and the message.
//!
//! The struct is described by its fields (wire name and the shape of the Rust type); the
//! message's payload schema says which properties exist, which are required and of what JSON
//! type. Every mismatch is reported, each naming the field, with the schema's location.

use crate::diag::Location;
use crate::model::{Document, JsonType, MessageId, Schema, SchemaId};

/// The shape of a Rust field type, as far as a JSON Schema can tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `String`, `&str`, `char`, and types known to be written as strings (`Uuid`, dates, ...).
    String,
    /// Integer types.
    Integer,
    /// `f32`, `f64`.
    Number,
    /// `bool`.
    Boolean,
    /// `Vec<T>`, slices, arrays, sets.
    Array(Box<Shape>),
    /// Maps.
    Map,
    /// `Option<T>`.
    Option(Box<Shape>),
    /// `serde_json::Value` and anything else the check cannot see into (another struct, an enum):
    /// accepted where the schema is an object, or any type.
    Opaque,
}

/// One field of the struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// The name on the wire (after serde renames).
    pub wire: String,
    /// The Rust field name, for messages.
    pub rust: String,
    /// Its shape.
    pub shape: Shape,
}

/// One mismatch between the struct and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The field concerned (`None` for a required property the struct lacks).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// Where the schema says otherwise.
    pub location: Location,
}

/// Finds a message by its key in `components.messages`, its name, its `messageId`, or its key in
/// a channel.
pub fn find_message(doc: &Document, name: &str) -> Option<MessageId> {
    if let Some(&id) = doc.components.messages.get(name) {
        return Some(id);
    }
    doc.messages()
        .find(|(_, m)| {
            m.name.as_deref() == Some(name)
                || m.message_id.as_deref() == Some(name)
                || m.key == name
        })
        .map(|(id, _)| id)
}

/// Checks the fields of a struct against the payload of message `id`.
pub fn check_fields(doc: &Document, id: MessageId, fields: &[FieldInfo]) -> Vec<Mismatch> {
    let message = &doc[id];
    let Some(schema) = message.payload.as_ref().and_then(|p| p.schema_id()) else {
        return vec![Mismatch {
            field: None,
            message: format!(
                "message `{}` has no JSON Schema payload to check the struct against",
                message.key
            ),
            location: doc.location(&message.origin),
        }];
    };
    // The properties and required ones of the payload and every part merged into it, as the
    // generated struct gathers them.
    let mut props = indexmap::IndexMap::new();
    let mut required = Vec::new();
    crate::types::collect_properties(
        doc,
        schema,
        &mut props,
        &mut required,
        &mut Vec::new(),
        &mut Vec::new(),
    );
    let mut parts = Vec::new();
    crate::types::collect_parts(doc, schema, &mut parts);
    let additional_allowed = !parts.iter().any(|&p| {
        doc[p]
            .additional_properties
            .is_some_and(|ap| doc[ap].boolean == Some(false))
    });
    let root_location = doc.location(&doc[schema].origin);
    let mut out = Vec::new();
    for f in fields {
        match props.get(&f.wire) {
            None if !additional_allowed => out.push(Mismatch {
                field: Some(f.rust.clone()),
                message: format!(
                    "field `{}` (`{}` on the wire) is not a property of message `{}`'s payload, which allows no others",
                    f.rust, f.wire, message.key
                ),
                location: root_location.clone(),
            }),
            None => {}
            Some(&pid) => {
                let is_required = required.contains(&f.wire);
                let s = resolve(doc, pid);
                let nullable = s.nullable || s.types.contains(&JsonType::Null);
                let (shape, optional) = match &f.shape {
                    Shape::Option(inner) => ((**inner).clone(), true),
                    other => (other.clone(), false),
                };
                if optional && is_required && !nullable {
                    out.push(Mismatch {
                        field: Some(f.rust.clone()),
                        message: format!(
                            "field `{}` is an `Option`, but `{}` is required and not nullable in message `{}`",
                            f.rust, f.wire, message.key
                        ),
                        location: doc.location(&doc[pid].origin),
                    });
                }
                if !optional && !is_required {
                    out.push(Mismatch {
                        field: Some(f.rust.clone()),
                        message: format!(
                            "field `{}` is not an `Option`, but `{}` is optional in message `{}`: decoding fails when it is absent",
                            f.rust, f.wire, message.key
                        ),
                        location: doc.location(&doc[pid].origin),
                    });
                }
                if let Some(why) = type_mismatch(doc, pid, &shape, 0) {
                    out.push(Mismatch {
                        field: Some(f.rust.clone()),
                        message: format!("field `{}`: {why}", f.rust),
                        location: doc.location(&doc[pid].origin),
                    });
                }
            }
        }
    }
    for r in &required {
        if !fields.iter().any(|f| &f.wire == r) {
            out.push(Mismatch {
                field: None,
                message: format!(
                    "message `{}` requires the property `{r}`, which the struct has no field for",
                    message.key
                ),
                location: props
                    .get(r)
                    .map(|&pid| doc.location(&doc[pid].origin))
                    .unwrap_or_else(|| root_location.clone()),
            });
        }
    }
    out
}

/// The schema that gives `id`'s values their type: through `$ref`s written with annotations,
/// constraints or `nullable` only.
fn resolve(doc: &Document, mut id: SchemaId) -> &Schema {
    for _ in 0..64 {
        let s = &doc[id];
        match s.reference {
            Some(t) if crate::types::defines_no_type(s) => id = t,
            _ => break,
        }
    }
    &doc[id]
}

/// Why a field of `shape` cannot hold the values of schema `id`, if it cannot.
fn type_mismatch(doc: &Document, id: SchemaId, shape: &Shape, depth: usize) -> Option<String> {
    if depth > 16 {
        return None;
    }
    let s = resolve(doc, id);
    let types = crate::types::non_null_types(s);
    if types.is_empty() {
        return None;
    }
    let fits = |t: JsonType| {
        matches!(
            (shape, t),
            (Shape::Opaque | Shape::Option(_), _)
                | (Shape::String, JsonType::String)
                | (Shape::Integer, JsonType::Integer)
                | (Shape::Number, JsonType::Number | JsonType::Integer)
                | (Shape::Boolean, JsonType::Boolean)
                | (Shape::Array(_), JsonType::Array)
                | (Shape::Map, JsonType::Object)
        )
    };
    if !types.iter().any(|t| fits(*t)) {
        let wanted = types
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" or ");
        return Some(format!(
            "the schema's type is {wanted}, which a {} cannot hold",
            shape_name(shape)
        ));
    }
    if let (Shape::Array(inner), Some(items)) = (shape, s.items) {
        return type_mismatch(doc, items, inner, depth + 1).map(|why| format!("items: {why}"));
    }
    None
}

fn shape_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::String => "string type",
        Shape::Integer => "integer type",
        Shape::Number => "floating-point type",
        Shape::Boolean => "`bool`",
        Shape::Array(_) => "sequence",
        Shape::Map => "map",
        Shape::Option(_) => "`Option`",
        Shape::Opaque => "value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LoadOptions, load_str};

    #[test]
    fn every_mismatch_is_reported() {
        let doc = load_str(
            "t.yaml",
            r#"
asyncapi: 3.0.0
info: { title: t, version: '1' }
components:
  messages:
    user:
      payload:
        type: object
        required: [id, email]
        additionalProperties: false
        properties:
          id: { type: string }
          email: { type: string }
          age: { type: integer }
          tags: { type: array, items: { type: string } }
"#,
            &LoadOptions::default(),
        )
        .into_result()
        .unwrap()
        .0;
        let id = find_message(&doc, "user").unwrap();
        let field = |wire: &str, shape: Shape| FieldInfo {
            wire: wire.into(),
            rust: wire.into(),
            shape,
        };
        let ok = check_fields(
            &doc,
            id,
            &[
                field("id", Shape::String),
                field("email", Shape::String),
                field("age", Shape::Option(Box::new(Shape::Integer))),
                field(
                    "tags",
                    Shape::Option(Box::new(Shape::Array(Box::new(Shape::String)))),
                ),
            ],
        );
        assert!(ok.is_empty(), "{ok:?}");
        let bad = check_fields(
            &doc,
            id,
            &[
                field("id", Shape::Integer),
                field("age", Shape::Integer),
                field(
                    "tags",
                    Shape::Option(Box::new(Shape::Array(Box::new(Shape::Boolean)))),
                ),
                field("nick", Shape::String),
            ],
        );
        let messages: Vec<&str> = bad.iter().map(|m| m.message.as_str()).collect();
        assert_eq!(messages.len(), 5, "{messages:#?}");
        assert!(messages[0].contains("field `id`: the schema's type is string"));
        assert!(messages[1].contains("`age` is optional"));
        assert!(messages[2].contains("items: the schema's type is string"));
        assert!(messages[3].contains("`nick`") && messages[3].contains("allows no others"));
        assert!(messages[4].contains("requires the property `email`"));
    }
}
