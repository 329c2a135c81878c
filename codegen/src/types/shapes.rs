//! What a schema looks like, as the type planner asks it: annotation-only schemas, aliases,
//! object-like schemas, `const` branches and properties, the Rust types of formats, variant names.

use heck::ToUpperCamelCase;
use indexmap::IndexMap;

use super::names::{Namer, type_name};
use super::{EnumVariant, IntVariant, RustType, TypeKind};
use crate::model::{Document, JsonType, Schema, SchemaId};

/// Whether a schema is only annotations next to its `$ref` (the `$ref`'s type is used).
pub(super) fn annotation_only(s: &Schema) -> bool {
    defines_no_type(s) && !s.nullable
}

/// Whether a schema says nothing about the shape of its values (only annotations, constraints,
/// or `nullable`): next to a `$ref`, the target's type is used.
pub(crate) fn defines_no_type(s: &Schema) -> bool {
    s.types.is_empty()
        && s.properties.is_empty()
        && s.all_of.is_empty()
        && s.any_of.is_empty()
        && s.one_of.is_empty()
        && s.enum_values.is_none()
        && s.items.is_none()
        && s.prefix_items.is_empty()
        && s.additional_properties.is_none()
}

/// Follows annotation-only `$ref` wrappers to the schema that defines the type.
pub(crate) fn resolve_alias(doc: &Document, mut id: SchemaId) -> SchemaId {
    for _ in 0..64 {
        match doc[id].reference {
            Some(target) if annotation_only(&doc[id]) => id = target,
            _ => break,
        }
    }
    id
}

/// Whether a schema needs a named definition (struct, enum, union, merged `allOf`).
pub(super) fn needs_definition(s: &Schema) -> bool {
    s.enum_values
        .as_ref()
        .is_some_and(|v| v.iter().any(|x| !x.is_null()))
        || !s.one_of.is_empty()
        || !s.any_of.is_empty()
        || !s.all_of.is_empty()
        || !s.properties.is_empty()
        || s.reference.is_some()
        || (non_null_types(s).len() > 1 && s.enum_values.is_none() && s.const_value.is_none())
}

/// A name for an inline schema from where it is defined, whichever place meets it first: inside
/// a component schema (`#/components/schemas/order/properties/lines/items` gives
/// `OrderLinesItem`) or inside a message's payload or headers
/// (`#/components/messages/ordered/payload/properties/address` gives `OrderedPayloadAddress`,
/// after the message's `name` when it has one, as its payload type is). `None` for schemas
/// defined anywhere else.
pub(super) fn origin_context(doc: &Document, id: SchemaId) -> Option<String> {
    let tokens = doc[id].origin.pointer.tokens();
    let message = |key: &str, id: Option<crate::model::MessageId>, part: &str| {
        let base = id
            .and_then(|m| doc[m].name.clone())
            .unwrap_or_else(|| key.to_owned())
            .to_upper_camel_case();
        format!(
            "{base}{}",
            if part == "payload" {
                "Payload"
            } else {
                "Headers"
            }
        )
    };
    let is_part = |p: &str| p == "payload" || p == "headers";
    let (start, rest) = match tokens {
        [c, s, name, rest @ ..] if c == "components" && s == "schemas" && !rest.is_empty() => {
            (name.to_upper_camel_case(), rest)
        }
        [c, m, key, part, rest @ ..]
            if c == "components" && m == "messages" && is_part(part) && !rest.is_empty() =>
        {
            let id = doc.components.messages.get(key.as_str()).copied();
            (message(key, id, part), rest)
        }
        [c, channel, m, key, part, rest @ ..]
            if c == "channels" && m == "messages" && is_part(part) && !rest.is_empty() =>
        {
            let id = doc
                .channels
                .get(channel.as_str())
                .and_then(|c| doc[*c].messages.get(key.as_str()))
                .copied();
            (message(key, id, part), rest)
        }
        _ => return None,
    };
    let mut out = start;
    let mut i = 0;
    while i < rest.len() {
        let (token, next) = (&rest[i], rest.get(i + 1));
        match (token.as_str(), next) {
            ("properties" | "patternProperties" | "$defs" | "definitions", Some(n)) => {
                out.push_str(&n.to_upper_camel_case());
                i += 2;
            }
            ("oneOf" | "anyOf", Some(n)) => {
                let n: usize = n.parse().ok()?;
                out.push_str(&format!("Variant{}", n + 1));
                i += 2;
            }
            ("allOf", Some(_)) => i += 2,
            ("items", _) => {
                out.push_str("Item");
                i += 1;
            }
            ("additionalProperties", _) => {
                out.push_str("Value");
                i += 1;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// `V3`, `Minus1`: the Rust name of an integer enum value.
pub(super) fn int_variant_name(value: i64) -> String {
    if value < 0 {
        format!("Minus{}", value.unsigned_abs())
    } else {
        format!("V{value}")
    }
}

/// A `oneOf`/`anyOf` whose every branch fixes one value (`const`, or a one-value `enum`) — the
/// common way of documenting each value of an enum — as a string or integer enum; `None` when
/// some branch allows more, or the values are neither all strings nor all integers.
pub(super) fn const_branches(doc: &Document, s: &Schema) -> Option<TypeKind> {
    let list = if s.one_of.is_empty() {
        &s.any_of
    } else {
        &s.one_of
    };
    if !s.properties.is_empty() || s.discriminator.is_some() {
        return None;
    }
    let mut branches = Vec::new();
    for &v in list {
        let b = &doc[resolve_alias(doc, v)];
        let value = b.const_value.clone().or_else(|| {
            b.enum_values
                .as_ref()
                .filter(|e| e.len() == 1)
                .map(|e| e[0].clone())
        })?;
        if !b.properties.is_empty() || !b.one_of.is_empty() || !b.any_of.is_empty() {
            return None;
        }
        let description = b.description.clone().or_else(|| b.title.clone());
        let name = b.title.clone().or_else(|| b.name.clone());
        branches.push((value, name, description));
    }
    let mut namer = Namer::new();
    if branches.iter().all(|(v, ..)| v.is_string()) {
        let variants = branches
            .into_iter()
            .enumerate()
            .map(|(i, (value, name, description))| {
                let value = value.as_str().unwrap_or_default().to_owned();
                let fallback = format!("Variant{}", i + 1);
                EnumVariant {
                    name: namer.unique(&type_name(name.as_deref().unwrap_or(&value), &fallback)),
                    value,
                    description,
                }
            })
            .collect();
        return Some(TypeKind::Enum { variants });
    }
    if branches.iter().all(|(v, ..)| v.is_i64()) {
        let variants = branches
            .into_iter()
            .map(|(value, name, description)| {
                let value = value.as_i64().unwrap_or_default();
                let name = match name {
                    Some(n) => type_name(&n, &int_variant_name(value)),
                    None => int_variant_name(value),
                };
                IntVariant {
                    name: namer.unique(&name),
                    value,
                    description,
                }
            })
            .collect();
        return Some(TypeKind::IntEnum { variants });
    }
    None
}

/// The schema's types but `null`.
pub(crate) fn non_null_types(s: &Schema) -> Vec<JsonType> {
    s.types
        .iter()
        .copied()
        .filter(|t| *t != JsonType::Null)
        .collect()
}

/// Whether the document asks for no code for this schema (`x-ignore: true`).
pub(super) fn ignored(s: &Schema) -> bool {
    s.extensions
        .get("x-ignore")
        .is_some_and(|v| v.as_bool() == Some(true))
}

/// Every schema merged into a struct: the schema, its `$ref` target and `allOf` parts, depth
/// first (as [`collect_properties`] visits them).
pub(crate) fn collect_parts(doc: &Document, id: SchemaId, parts: &mut Vec<SchemaId>) {
    let id = resolve_alias(doc, id);
    if parts.contains(&id) {
        return;
    }
    parts.push(id);
    let s = &doc[id];
    for part in s.reference.iter().chain(&s.all_of) {
        collect_parts(doc, *part, parts);
    }
}

pub(super) fn is_object_like(doc: &Document, id: SchemaId) -> bool {
    let s = &doc[resolve_alias(doc, id)];
    !s.properties.is_empty() || s.types.contains(&JsonType::Object) || !s.all_of.is_empty()
}

/// Gathers the properties of a schema and of every `allOf` part (and `$ref` with siblings),
/// depth first, the first definition of a property winning; constraints of later definitions stay
/// in the schemas for validation.
pub(crate) fn collect_properties(
    doc: &Document,
    id: SchemaId,
    props: &mut IndexMap<String, SchemaId>,
    required: &mut Vec<String>,
    seen: &mut Vec<SchemaId>,
    notes: &mut Vec<String>,
) {
    let id = resolve_alias(doc, id);
    if seen.contains(&id) {
        return;
    }
    seen.push(id);
    let s = &doc[id];
    for part in s.reference.iter().chain(&s.all_of) {
        collect_properties(doc, *part, props, required, seen, notes);
    }
    for (name, &pid) in &s.properties {
        props.entry(name.clone()).or_insert(pid);
    }
    for r in &s.required {
        if !required.contains(r) {
            required.push(r.clone());
        }
    }
    if !s.one_of.is_empty() || !s.any_of.is_empty() {
        notes.push(
            "The schema combines properties with `oneOf`/`anyOf`; the struct holds the shared properties and the alternatives are checked by validation.".to_owned(),
        );
    }
}

/// The properties of schema `id` and of its `allOf` parts (see [`collect_properties`]).
pub(crate) fn properties_of(doc: &Document, id: SchemaId) -> IndexMap<String, SchemaId> {
    let mut props = IndexMap::new();
    collect_properties(
        doc,
        id,
        &mut props,
        &mut Vec::new(),
        &mut Vec::new(),
        &mut Vec::new(),
    );
    props
}

/// The one value schema `id` allows: its `const`, or an `enum` of a single value.
pub(crate) fn fixed_value(doc: &Document, id: SchemaId) -> Option<&serde_json::Value> {
    let s = &doc[resolve_alias(doc, id)];
    s.const_value.as_ref().or(match s.enum_values.as_deref() {
        Some([only]) => Some(only),
        _ => None,
    })
}

/// The `const` (or single `enum` value) of property `property` in schema `id`, looking through
/// `allOf`.
pub(super) fn const_property(doc: &Document, id: SchemaId, property: &str) -> Option<String> {
    let prop = *properties_of(doc, id).get(property)?;
    fixed_value(doc, prop)?.as_str().map(str::to_owned)
}

/// A property that every variant fixes to a distinct string (`type: {const: "a"}`), if any.
pub(super) fn common_const_property(doc: &Document, variants: &[SchemaId]) -> Option<String> {
    let first = resolve_alias(doc, *variants.first()?);
    let mut props = IndexMap::new();
    collect_properties(
        doc,
        first,
        &mut props,
        &mut Vec::new(),
        &mut Vec::new(),
        &mut Vec::new(),
    );
    props.keys().find_map(|candidate| {
        let values: Vec<String> = variants
            .iter()
            .map(|v| const_property(doc, resolve_alias(doc, *v), candidate))
            .collect::<Option<_>>()?;
        let mut unique = values.clone();
        unique.sort();
        unique.dedup();
        (unique.len() == values.len()).then(|| candidate.clone())
    })
}

/// The Rust integer for an integer `format` (`int32`, `uint8`, ...); `i64` otherwise.
pub(super) fn integer_type(format: Option<&str>) -> RustType {
    match format {
        Some("int8") => RustType::I8,
        Some("int16") => RustType::I16,
        Some("int32") => RustType::I32,
        Some("uint8") => RustType::U8,
        Some("uint16") => RustType::U16,
        Some("uint32") => RustType::U32,
        Some("uint64") => RustType::U64,
        _ => RustType::I64,
    }
}

/// The Rust type of a string schema: the format's type where it has one whose JSON form is the
/// same string (see `asyncapi::formats`), `String` otherwise (checked by `validate()`).
pub(super) fn string_type(s: &Schema) -> RustType {
    if s.content_encoding
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
    {
        return RustType::Base64;
    }
    match s.format.as_deref() {
        Some("date-time") => RustType::DateTime,
        Some("date") => RustType::Date,
        Some("uuid") => RustType::Uuid,
        Some("ipv4") => RustType::Ipv4,
        Some("ipv6") => RustType::Ipv6,
        Some("byte") => RustType::Base64,
        Some("decimal") => RustType::Decimal,
        _ => RustType::String,
    }
}

pub(super) fn primitive_variant_name(ty: &RustType) -> Option<String> {
    Some(
        match ty {
            RustType::Bool => "Boolean",
            t if t.is_integer() => "Integer",
            RustType::F32 | RustType::F64 => "Number",
            RustType::String => "String",
            RustType::DateTime => "DateTime",
            RustType::Date => "Date",
            RustType::Uuid => "Uuid",
            RustType::Ipv4 => "Ipv4",
            RustType::Ipv6 => "Ipv6",
            RustType::Base64 => "Bytes",
            RustType::Decimal => "Decimal",
            RustType::Vec(_) | RustType::Tuple(_) => "Array",
            RustType::Map(_) => "Object",
            RustType::Option(inner) => return primitive_variant_name(inner),
            RustType::Any => "Value",
            _ => return None,
        }
        .to_owned(),
    )
}

/// The JSON type shared by every non-null value, if there is one.
pub(super) fn value_type(values: &[&serde_json::Value]) -> Option<JsonType> {
    let mut types = values.iter().filter(|v| !v.is_null()).map(|v| match v {
        serde_json::Value::Bool(_) => JsonType::Boolean,
        serde_json::Value::Number(n) if n.is_f64() => JsonType::Number,
        serde_json::Value::Number(_) => JsonType::Integer,
        serde_json::Value::String(_) => JsonType::String,
        serde_json::Value::Array(_) => JsonType::Array,
        _ => JsonType::Object,
    });
    let first = types.next()?;
    types.all(|t| t == first).then_some(first)
}

pub(super) fn render_values(values: &[serde_json::Value]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
