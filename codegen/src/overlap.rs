//! Messages of one operation that a payload cannot tell apart: a located warning for each pair
//! of an operation's messages whose payload schemas both accept some object (every property one
//! requires is one the other declares or allows, neither forbids what the other requires, and no
//! `const` property or discriminator separates them). Received messages of such an operation
//! are told apart by what the envelope names (the protocol's message type, the
//! `asyncapi-message` header) and otherwise by the best fit (the runtime's `dispatch`).

use indexmap::IndexMap;

use crate::check::location_at;
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::model::{Document, MessageId, Origin, SchemaId, SchemaPayload};
use crate::workspace::Workspace;

/// Where an operation lists its messages (`message` in 2.x, `messages` in 3.x), else the
/// operation.
fn messages_location(doc: &Document, ws: &Workspace, origin: &Origin) -> Location {
    location_at(ws, origin, &["message"])
        .or_else(|| location_at(ws, origin, &["messages"]))
        .unwrap_or_else(|| doc.location(origin))
}
/// What an object schema says about its properties, `allOf` parts merged.
#[derive(Default)]
struct Shape {
    declared: IndexMap<String, SchemaId>,
    required: Vec<String>,
    /// `additionalProperties: false` in some part.
    closed: bool,
    /// A discriminator property.
    discriminator: Option<String>,
}

/// How deep `allOf` and references are followed.
const DEPTH: usize = 16;

fn shape(doc: &Document, id: SchemaId, out: &mut Shape, depth: usize) -> bool {
    if depth > DEPTH {
        return false;
    }
    let s = &doc[id];
    if s.boolean == Some(false) || !s.one_of.is_empty() || !s.any_of.is_empty() {
        // Unions are told apart by their own variants; leave them out.
        return false;
    }
    if !s.types.is_empty() && !s.types.contains(&crate::model::JsonType::Object) {
        return false;
    }
    for (k, v) in &s.properties {
        out.declared.entry(k.clone()).or_insert(*v);
    }
    out.required.extend(s.required.iter().cloned());
    if let Some(extra) = s.additional_properties
        && doc[extra].boolean == Some(false)
    {
        out.closed = true;
    }
    if let Some(d) = &s.discriminator {
        out.discriminator = Some(d.property_name.clone());
    }
    let parts = s.all_of.iter().chain(s.reference.iter());
    for part in parts {
        if !shape(doc, *part, out, depth + 1) {
            return false;
        }
    }
    true
}

fn payload_shape(doc: &Document, id: MessageId) -> Option<Shape> {
    let schema = match doc[id].payload.as_ref()? {
        SchemaPayload::Schema { schema, .. } => *schema,
        SchemaPayload::Avro { types, .. } => *types,
        SchemaPayload::Other { .. } => return None,
    };
    let mut out = Shape::default();
    (shape(doc, schema, &mut out, 0) && !out.declared.is_empty()).then_some(out)
}

/// The `const` (or single `enum`) value of a property's schema.
fn fixed(doc: &Document, id: SchemaId) -> Option<&serde_json::Value> {
    let s = &doc[id];
    s.const_value.as_ref().or_else(|| {
        s.enum_values
            .as_ref()
            .filter(|v| v.len() == 1)
            .map(|v| &v[0])
    })
}

/// Whether some payload fits both shapes.
fn overlap(doc: &Document, a: &Shape, b: &Shape) -> bool {
    if a.discriminator.is_some() || b.discriminator.is_some() {
        return false;
    }
    let allows = |s: &Shape, property: &str| !s.closed || s.declared.contains_key(property);
    if !a.required.iter().all(|p| allows(b, p)) || !b.required.iter().all(|p| allows(a, p)) {
        return false;
    }
    // A property both fix, to different values, separates them.
    !a.declared.iter().any(|(name, sa)| {
        b.declared
            .get(name)
            .and_then(|sb| Some((fixed(doc, *sa)?, fixed(doc, *sb)?)))
            .is_some_and(|(x, y)| x != y)
    })
}

/// Warns about every operation whose messages overlap.
pub(crate) fn check(doc: &Document, ws: &Workspace, diags: &mut Diagnostics) {
    for op in &doc.operation_table {
        let messages: Vec<MessageId> = if op.messages.is_empty() {
            doc[op.channel].messages.values().copied().collect()
        } else {
            op.messages.clone()
        };
        let shapes: Vec<(MessageId, Option<Shape>)> = messages
            .iter()
            .map(|m| (*m, payload_shape(doc, *m)))
            .collect();
        for (i, (ma, sa)) in shapes.iter().enumerate() {
            let Some(sa) = sa else { continue };
            for (mb, sb) in &shapes[i + 1..] {
                let Some(sb) = sb else { continue };
                if !overlap(doc, sa, sb) {
                    continue;
                }
                let name = |m: MessageId| {
                    let m = &doc[m];
                    m.name.clone().unwrap_or_else(|| m.key.clone())
                };
                let (a, b) = (name(*ma), name(*mb));
                diags.push(
                    Diagnostic::warning(
                        Code::OverlappingMessages,
                        format!(
                            "the messages `{a}` and `{b}` of operation `{}` overlap: some payloads fit both, so a payload alone cannot tell them apart; received messages are told apart by the protocol's message type or the `asyncapi-message` header when the sender gives one, else by the best fit (`{b}` for a payload with a property only `{b}` declares, `{a}`, the first, on a tie); a `const` property or a discriminator would tell them apart",
                            op.key
                        ),
                    )
                    .at(messages_location(doc, ws, &op.origin)),
                );
            }
        }
    }
}
