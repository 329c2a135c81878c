//! Stage 4: the Rust types planned for a document's schemas.
//!
//! [`TypeSpace::build`] decides, for every schema the generated code needs, which Rust type
//! represents it: structs for objects (required, optional and nullable kept apart), enums for
//! `enum`, enums for `oneOf`/`anyOf` (tagged when a discriminator or a `const` property decides the
//! variant), `allOf` merged into one struct, vectors, tuples and maps, `Box` where types contain
//! themselves. Names are chosen here, once, deterministically. Emitting tokens is the next stage's
//! job ([`crate::emit`]).

pub mod names;
mod recursion;
pub mod rules;
mod shapes;

use std::collections::HashMap;

use heck::ToUpperCamelCase;
use indexmap::IndexMap;

use crate::model::{ChannelId, Document, JsonType, MessageId, Schema, SchemaId, SchemaPayload};
use names::{Namer, field_name, type_name};
use rules::Rules;
pub(crate) use shapes::{
    collect_parts, collect_properties, defines_no_type, fixed_value, non_null_types, properties_of,
    resolve_alias,
};
use shapes::{
    common_const_property, const_branches, const_property, ignored, int_variant_name, integer_type,
    is_object_like, needs_definition, origin_context, primitive_variant_name, render_values,
    string_type, value_type,
};

/// Names a [`TypeDef`] of a [`TypeSpace`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) u32);

impl TypeId {
    /// The position of the definition in [`TypeSpace::defs`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A Rust type expression.
#[derive(Clone, Debug, PartialEq)]
pub enum RustType {
    /// Any JSON value (`serde_json::Value`): the schema allows anything.
    Any,
    /// `bool`
    Bool,
    /// `i8` (`format: int8`)
    I8,
    /// `i16` (`format: int16`)
    I16,
    /// `i32` (`format: int32`)
    I32,
    /// `i64` (integers by default, `format: int64`)
    I64,
    /// `u8` (`format: uint8`)
    U8,
    /// `u16` (`format: uint16`)
    U16,
    /// `u32` (`format: uint32`)
    U32,
    /// `u64` (`format: uint64`)
    U64,
    /// `f32` (`format: float`)
    F32,
    /// `f64` (numbers by default, `format: double`)
    F64,
    /// `String`
    String,
    /// `chrono::DateTime<chrono::FixedOffset>` (`format: date-time`; the offset is kept).
    DateTime,
    /// `chrono::NaiveDate` (`format: date`).
    Date,
    /// `uuid::Uuid` (`format: uuid`).
    Uuid,
    /// `std::net::Ipv4Addr` (`format: ipv4`).
    Ipv4,
    /// `std::net::Ipv6Addr` (`format: ipv6`).
    Ipv6,
    /// Bytes written as base64 (`format: byte`, `contentEncoding: base64`).
    Base64,
    /// `rust_decimal::Decimal` (`type: string, format: decimal`: exact decimal numbers).
    Decimal,
    /// `Option<T>`: a nullable value, or an optional field.
    Option(Box<RustType>),
    /// `Box<T>`: indirection for a type that contains itself.
    Box(Box<RustType>),
    /// `Vec<T>`
    Vec(Box<RustType>),
    /// A map from strings to `T` (ordered by key).
    Map(Box<RustType>),
    /// A tuple (`prefixItems`, or draft-07 array-form `items`).
    Tuple(Vec<RustType>),
    /// A type defined by this space.
    Named(TypeId),
    /// A type the document names with `x-rust-type` (a path, used as written).
    External(String),
}

impl RustType {
    /// Whether this is a Rust integer type.
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            RustType::I8
                | RustType::I16
                | RustType::I32
                | RustType::I64
                | RustType::U8
                | RustType::U16
                | RustType::U32
                | RustType::U64
        )
    }

    /// Whether this is a Rust integer or floating-point type.
    pub fn is_number(&self) -> bool {
        self.is_integer() || matches!(self, RustType::F32 | RustType::F64)
    }

    /// `Option<self>`, unless it already is an option.
    fn nullable(self) -> RustType {
        match self {
            RustType::Option(_) => self,
            other => RustType::Option(Box::new(other)),
        }
    }
}

/// Documentation carried to the generated item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    /// `title`
    pub title: Option<String>,
    /// `description`
    pub description: Option<String>,
    /// `deprecated: true`
    pub deprecated: bool,
    /// Remarks the generator adds (how a union is decided, constraints kept for validation, ...).
    pub notes: Vec<String>,
}

impl Docs {
    fn of(schema: &Schema) -> Docs {
        Docs {
            title: schema.title.clone(),
            description: schema.description.clone(),
            deprecated: schema.deprecated,
            notes: Vec::new(),
        }
    }
}

/// How a struct field is present on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Required and not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, `null` when `None`.
    RequiredNullable,
    /// Optional and not nullable: `Option<T>`, absent when `None`.
    Optional,
    /// Optional and nullable: `Option<Option<T>>` (absent, `null`, or a value).
    OptionalNullable,
}

/// A field of a generated struct.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The property name on the wire.
    pub wire: String,
    /// The type of the value when present and not null.
    pub ty: RustType,
    /// Required / optional / nullable.
    pub presence: Presence,
    /// The property's schema.
    pub schema: SchemaId,
    /// Documentation.
    pub docs: Docs,
    /// The schema's `default`, documented (an absent optional field stays `None`).
    pub default: Option<serde_json::Value>,
}

impl Field {
    /// The full Rust type of the field, with the options its presence needs.
    pub fn full_type(&self) -> RustType {
        match self.presence {
            Presence::Required => self.ty.clone(),
            Presence::RequiredNullable | Presence::Optional => self.ty.clone().nullable(),
            Presence::OptionalNullable => RustType::Option(Box::new(self.ty.clone().nullable())),
        }
    }
}

/// What a struct does with properties it does not declare.
#[derive(Clone, Debug, PartialEq)]
pub enum Additional {
    /// Ignored when decoding (JSON Schema allows them by default).
    Ignore,
    /// Refused (`additionalProperties: false`).
    Deny,
    /// Kept in a map of this value type (`additionalProperties: <schema>`).
    Map(RustType),
}

/// A variant of a string enum.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: String,
    /// What the value means (the `description` or `title` of a `oneOf` branch that fixes it).
    pub description: Option<String>,
}

/// A variant of an integer enum.
#[derive(Clone, Debug, PartialEq)]
pub struct IntVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: i64,
    /// What the value means (the `description` or `title` of a `oneOf` branch that fixes it).
    pub description: Option<String>,
}

/// A variant of a `oneOf`/`anyOf` enum.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The variant's type.
    pub ty: RustType,
    /// The variant's schema.
    pub schema: SchemaId,
    /// For tagged unions, the tag value that selects this variant.
    pub tag_value: Option<String>,
}

/// What kind of item a definition is.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// A struct.
    Struct {
        /// Fields in document order.
        fields: Vec<Field>,
        /// Undeclared properties.
        additional: Additional,
    },
    /// An enum of strings.
    Enum {
        /// Variants in document order.
        variants: Vec<EnumVariant>,
    },
    /// An enum of integers (`enum: [1, 2, 3]`), written as the numbers.
    IntEnum {
        /// Variants in document order.
        variants: Vec<IntVariant>,
    },
    /// A `oneOf`/`anyOf`.
    Union {
        /// Variants in document order.
        variants: Vec<UnionVariant>,
        /// The property whose value decides the variant; `None` means untagged (the first variant
        /// that decodes wins).
        tag: Option<String>,
    },
    /// Another name for a type (`pub type Name = ...;`).
    Alias(RustType),
    /// A type of its own around another (`pub struct Name(pub T);`, serde-transparent): a named
    /// schema whose values have constraints to check, so that it can implement `Validate`.
    Newtype(RustType),
}

/// A named type the generated code defines.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// The schema it represents.
    pub schema: SchemaId,
    /// Documentation.
    pub docs: Docs,
    /// The item.
    pub kind: TypeKind,
    /// Constraints of the whole value that its fields and variants do not cover, as JSON Schema
    /// text for the runtime's evaluator (see [`rules`]): for a struct merged from several
    /// schemas, what each part adds; for an untagged `oneOf`, that exactly one variant matches.
    pub checks: Option<String>,
}

/// Every type planned for a document.
#[derive(Clone, Debug, Default)]
pub struct TypeSpace {
    /// The definitions, in the order they were first needed (components first).
    pub defs: Vec<TypeDef>,
    /// The payload type of each message with a JSON Schema payload.
    pub payloads: IndexMap<MessageId, RustType>,
    /// The headers type of each message with a JSON Schema headers schema.
    pub headers: IndexMap<MessageId, RustType>,
    /// The type of each WebSocket channel binding's `query` schema, by channel.
    pub ws_query: IndexMap<ChannelId, RustType>,
    /// The type of each WebSocket channel binding's `headers` schema, by channel.
    pub ws_headers: IndexMap<ChannelId, RustType>,
    /// What `validate()` checks for each schema of the document, by [`SchemaId::index`].
    pub rules: Vec<Rules>,
    /// The whole schema, as JSON Schema text, of schemas whose values are left open
    /// (`serde_json::Value`) but constrained: `validate()` checks them with the evaluator.
    pub open: HashMap<SchemaId, String>,
    named: HashMap<SchemaId, TypeId>,
    namer: Namer,
}

impl std::ops::Index<TypeId> for TypeSpace {
    type Output = TypeDef;
    fn index(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.index()]
    }
}

impl TypeSpace {
    /// Plans the types of every component schema and every message payload and headers schema.
    pub fn build(doc: &Document) -> TypeSpace {
        let mut space = TypeSpace {
            rules: doc
                .schemas()
                .map(|(id, _)| rules::rules_of(doc, id))
                .collect(),
            ..TypeSpace::default()
        };
        // Component schemas get their names first, so that every reference to one, wherever it
        // is met, uses that name (a `$ref` to a string schema stays `SentAt`, not `String`).
        let reserved: Vec<TypeId> = doc
            .components
            .schemas
            .iter()
            .filter(|(_, id)| !ignored(&doc[**id]))
            .map(|(key, &id)| space.reserve(doc, id, key))
            .collect();
        for tid in reserved {
            space.fill(doc, tid);
        }
        for (id, message) in doc.messages() {
            let base = message
                .name
                .as_deref()
                .unwrap_or(&message.key)
                .to_upper_camel_case();
            if let Some(schema) = message.payload.as_ref().and_then(SchemaPayload::schema_id) {
                let ty = space.root_type(doc, schema, &format!("{base}Payload"));
                space.payloads.insert(id, ty);
            }
            if let Some(schema) = message.headers.as_ref().and_then(SchemaPayload::schema_id) {
                let ty = space.root_type(doc, schema, &headers_name(doc, schema, &base));
                space.headers.insert(id, ty);
            }
        }
        for (id, channel) in doc.all_channels() {
            let Some(ws) = &channel.bindings.ws else {
                continue;
            };
            let base = channel.key.to_upper_camel_case();
            if let Some(schema) = ws.query {
                let ty = space.root_type(doc, schema, &format!("{base}WsQuery"));
                space.ws_query.insert(id, ty);
            }
            if let Some(schema) = ws.headers {
                let ty = space.root_type(doc, schema, &format!("{base}WsHeaders"));
                space.ws_headers.insert(id, ty);
            }
        }
        space.box_recursion();
        space
    }

    /// The type of a message payload or headers: the schema's type, given a definition of its own
    /// when it has constraints that a type without one could not check (so that every payload
    /// with constraints implements `Validate`).
    fn root_type(&mut self, doc: &Document, id: SchemaId, context: &str) -> RustType {
        let ty = self.type_for(doc, id, context);
        if self.implements_validate(&ty) || !self.has_checks(doc, id, &mut Vec::new()) {
            return ty;
        }
        let target = resolve_alias(doc, id);
        if self.named.contains_key(&target) {
            return ty;
        }
        let tid = self.reserve(doc, target, context);
        let inner = self.inline(doc, target, context);
        let def = &mut self.defs[tid.index()];
        def.kind = TypeKind::Newtype(inner);
        RustType::Named(tid)
    }

    /// Whether `ty` implements `Default` in generated code: a struct whose properties may all be
    /// absent, an option, a vector or a map.
    pub fn has_default(&self, ty: &RustType) -> bool {
        match ty {
            RustType::Named(t) => match &self.defs[t.index()].kind {
                TypeKind::Alias(inner) => self.has_default(inner),
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable)),
                _ => false,
            },
            RustType::Option(_) | RustType::Vec(_) | RustType::Map(_) => true,
            _ => false,
        }
    }

    /// Whether values of `ty` implement the runtime's `Validate` (generated structs, enums,
    /// unions and newtypes do, and so do options, boxes, vectors and maps of them).
    pub fn implements_validate(&self, ty: &RustType) -> bool {
        match ty {
            RustType::Named(t) => match &self.defs[t.index()].kind {
                TypeKind::Alias(inner) => self.implements_validate(inner),
                _ => true,
            },
            RustType::Option(inner)
            | RustType::Box(inner)
            | RustType::Vec(inner)
            | RustType::Map(inner) => self.implements_validate(inner),
            _ => false,
        }
    }

    /// Whether values of schema `id` have anything to check besides what named types inside
    /// them check themselves.
    fn has_checks(&self, doc: &Document, id: SchemaId, seen: &mut Vec<SchemaId>) -> bool {
        if seen.contains(&id) {
            return false;
        }
        seen.push(id);
        let s = &doc[id];
        if !self.rules[id.index()].is_empty() {
            return true;
        }
        let mut children: Vec<SchemaId> = s.prefix_items.clone();
        children.extend(s.items);
        children.extend(s.additional_properties);
        children.extend(s.pattern_properties.values().copied());
        children.extend(s.reference);
        if s.properties.is_empty() {
            children.extend(s.all_of.iter().copied());
        }
        children
            .into_iter()
            .filter(|c| !self.named.contains_key(c))
            .any(|c| self.has_checks(doc, c, seen))
    }

    /// The type defined for a schema, if it has a named one.
    pub fn named(&self, schema: SchemaId) -> Option<TypeId> {
        self.named.get(&schema).copied()
    }

    /// The Rust type for schema `id`; `context` names it if it needs a definition of its own.
    pub fn type_for(&mut self, doc: &Document, id: SchemaId, context: &str) -> RustType {
        let s = &doc[id];
        if let Some(target) = s.reference {
            // Annotations (and `nullable`) next to a `$ref`: the target's type.
            if defines_no_type(s) && !self.named.contains_key(&id) {
                let ty = self.type_for(doc, target, context);
                return if s.nullable { ty.nullable() } else { ty };
            }
        }
        if s.boolean.is_some() || ignored(s) {
            return RustType::Any;
        }
        if let Some(path) = s.extensions.get("x-rust-type").and_then(|v| v.as_str()) {
            return RustType::External(path.to_owned());
        }
        // Named types never hold nullability: it is applied where they are used, so a component
        // `type: [string, "null"]` is `pub type X = String;` used as `Option<X>`.
        let nullable = s.nullable || s.types.contains(&JsonType::Null);
        let core = match self.named.get(&id) {
            Some(&t) => RustType::Named(t),
            None if needs_definition(s) => RustType::Named(self.define(doc, id, context)),
            None => self.inline(doc, id, context),
        };
        if core == RustType::Any
            && !self.open.contains_key(&id)
            && let Some(whole) = rules::whole(doc, id)
        {
            self.open.insert(id, whole);
        }
        if nullable { core.nullable() } else { core }
    }

    /// Types that need no definition of their own: primitives, arrays, maps.
    fn inline(&mut self, doc: &Document, id: SchemaId, context: &str) -> RustType {
        let s = &doc[id];
        let types = non_null_types(s);
        let single = match types.as_slice() {
            [t] => Some(*t),
            [] if s.const_value.is_some() || s.enum_values.is_some() => {
                // No `type`, but the values it allows tell it.
                let values: Vec<&serde_json::Value> = s
                    .const_value
                    .iter()
                    .chain(s.enum_values.iter().flatten())
                    .collect();
                value_type(&values)
            }
            [] if !s.prefix_items.is_empty() || s.items.is_some() => Some(JsonType::Array),
            [] if s.additional_properties.is_some() => Some(JsonType::Object),
            _ => None,
        };
        match single {
            None => RustType::Any,
            Some(t) => self.of_json_type(doc, id, context, t),
        }
    }

    /// The Rust type of schema `id`'s values of JSON type `t`.
    fn of_json_type(
        &mut self,
        doc: &Document,
        id: SchemaId,
        context: &str,
        t: JsonType,
    ) -> RustType {
        let s = &doc[id];
        match t {
            JsonType::Boolean => RustType::Bool,
            JsonType::Integer => integer_type(s.format.as_deref()),
            JsonType::Number => match s.format.as_deref() {
                Some("float") => RustType::F32,
                _ => RustType::F64,
            },
            JsonType::String => string_type(s),
            JsonType::Array => {
                // A tuple of at most 12 items (what the standard traits and `Validate` cover);
                // longer ones are arrays of any value.
                if !s.prefix_items.is_empty()
                    && s.prefix_items.len() <= 12
                    && s.items.is_none_or(|i| doc[i].boolean == Some(false))
                {
                    let items = s.prefix_items.clone();
                    RustType::Tuple(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| {
                                self.type_for(doc, *item, &format!("{context}{}", i + 1))
                            })
                            .collect(),
                    )
                } else if !s.prefix_items.is_empty() {
                    RustType::Vec(Box::new(RustType::Any))
                } else {
                    match s.items {
                        Some(item) => RustType::Vec(Box::new(self.type_for(
                            doc,
                            item,
                            &format!("{context}Item"),
                        ))),
                        None => RustType::Vec(Box::new(RustType::Any)),
                    }
                }
            }
            JsonType::Object => match s.additional_properties {
                Some(ap) if doc[ap].boolean.is_none() => {
                    RustType::Map(Box::new(self.type_for(doc, ap, &format!("{context}Value"))))
                }
                _ => match s.pattern_properties.values().next() {
                    Some(&pp) if s.pattern_properties.len() == 1 => {
                        RustType::Map(Box::new(self.type_for(doc, pp, &format!("{context}Value"))))
                    }
                    _ => RustType::Map(Box::new(RustType::Any)),
                },
            },
            JsonType::Null => RustType::Any,
        }
    }

    /// Defines a named type for schema `id` (once) and returns its id.
    fn define(&mut self, doc: &Document, id: SchemaId, context: &str) -> TypeId {
        if let Some(&t) = self.named.get(&id) {
            return t;
        }
        // An inline schema inside a component schema is named after where it is defined, not
        // after the first place that happens to use it (through an `allOf`, say).
        let context = origin_context(doc, id).unwrap_or_else(|| context.to_owned());
        let tid = self.reserve(doc, id, &context);
        self.fill(doc, tid);
        tid
    }

    /// Chooses the name of schema `id`'s type and registers it, with its body still to plan.
    fn reserve(&mut self, doc: &Document, id: SchemaId, context: &str) -> TypeId {
        if let Some(&t) = self.named.get(&id) {
            return t;
        }
        let s = &doc[id];
        let preferred = s
            .extensions
            .get("x-rust-name")
            .and_then(|v| v.as_str())
            .map(str::to_owned)
            .or_else(|| s.name.clone())
            .or_else(|| {
                s.title
                    .clone()
                    .filter(|t| t.len() <= 40 && t.split_whitespace().count() <= 4)
            })
            .unwrap_or_else(|| context.to_owned());
        let name = self.namer.unique(&type_name(&preferred, context));
        let tid = TypeId(self.defs.len() as u32);
        self.named.insert(id, tid);
        let mut docs = Docs::of(s);
        if let Some((pattern, why)) = &self.rules[id.index()].unusable_pattern {
            docs.notes.push(format!(
                "The pattern `{pattern}` is not checked by `validate()`: the runtime's regular expressions cannot compile it ({why})."
            ));
        }
        self.defs.push(TypeDef {
            name,
            schema: id,
            docs,
            kind: TypeKind::Alias(RustType::Any),
            checks: None,
        });
        tid
    }

    /// Plans the body of a reserved type.
    fn fill(&mut self, doc: &Document, tid: TypeId) {
        let (id, name) = {
            let def = &self.defs[tid.index()];
            (def.schema, def.name.clone())
        };
        let (mut kind, notes) = self.kind_of(doc, id, &name);
        // A named type with constraints of its own becomes a type of its own, so that it can
        // implement `Validate`; one without stays an alias.
        if let TypeKind::Alias(inner) = &kind {
            let own = !self.rules[id.index()].is_empty()
                || (!matches!(inner, RustType::Named(_))
                    && self.has_checks(doc, id, &mut Vec::new()));
            if own && !matches!(inner, RustType::Any | RustType::External(_)) {
                kind = TypeKind::Newtype(inner.clone());
            }
        }
        let checks = match &kind {
            TypeKind::Struct { .. } => {
                let mut parts = Vec::new();
                collect_parts(doc, id, &mut parts);
                let fields: Vec<(String, SchemaId)> = match &kind {
                    TypeKind::Struct { fields, .. } => {
                        fields.iter().map(|f| (f.wire.clone(), f.schema)).collect()
                    }
                    _ => Vec::new(),
                };
                rules::merged_residual(doc, &parts, &fields)
            }
            TypeKind::Union {
                variants,
                tag: None,
            } if !doc[id].one_of.is_empty() && variants.len() > 1 => {
                let schemas: Vec<SchemaId> = variants.iter().map(|v| v.schema).collect();
                Some(rules::one_of_residual(doc, &schemas))
            }
            // A newtype checks its schema's rules on the inner value; an alias has no
            // `validate()` of its own (its rules are checked where it is used).
            TypeKind::Newtype(_) | TypeKind::Alias(_) => None,
            _ => self.rules[id.index()].residual.clone(),
        };
        let def = &mut self.defs[tid.index()];
        def.kind = kind;
        def.checks = checks;
        def.docs.notes.extend(notes);
    }

    fn kind_of(&mut self, doc: &Document, id: SchemaId, name: &str) -> (TypeKind, Vec<String>) {
        let s = &doc[id];
        if let Some(values) = &s.enum_values {
            let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
            let non_null = values.iter().filter(|v| !v.is_null()).count();
            if !strings.is_empty() && strings.len() == non_null {
                let mut namer = Namer::new();
                let variants = strings
                    .iter()
                    .enumerate()
                    .map(|(i, v)| EnumVariant {
                        name: namer.unique(&type_name(v, &format!("Variant{}", i + 1))),
                        value: (*v).to_owned(),
                        description: None,
                    })
                    .collect();
                return (TypeKind::Enum { variants }, Vec::new());
            }
            let ints: Vec<i64> = values
                .iter()
                .filter_map(serde_json::Value::as_i64)
                .collect();
            if !ints.is_empty() && ints.len() == non_null {
                let mut namer = Namer::new();
                let variants = ints
                    .iter()
                    .map(|&value| IntVariant {
                        name: namer.unique(&int_variant_name(value)),
                        value,
                        description: None,
                    })
                    .collect();
                return (TypeKind::IntEnum { variants }, Vec::new());
            }
            let inline = self.inline(doc, id, name);
            return (
                TypeKind::Alias(inline),
                vec![format!("Allowed values: {}.", render_values(values))],
            );
        }
        if !s.one_of.is_empty() || !s.any_of.is_empty() {
            if let Some(kind) = const_branches(doc, s) {
                return (kind, Vec::new());
            }
            return self.union(doc, id, name);
        }
        if !s.all_of.is_empty() || !s.properties.is_empty() || s.reference.is_some() {
            if let Some(single) = self.single_part(doc, id) {
                let ty = self.type_for(doc, single, name);
                return (TypeKind::Alias(ty), Vec::new());
            }
            return self.object(doc, id, name);
        }
        let types = non_null_types(s);
        if types.len() > 1 {
            return self.multi_type(doc, id, name, &types);
        }
        (TypeKind::Alias(self.inline(doc, id, name)), Vec::new())
    }

    /// `type: [string, integer, ...]`: an untagged enum with a variant per type (integers before
    /// numbers, so that `1` stays an integer).
    fn multi_type(
        &mut self,
        doc: &Document,
        id: SchemaId,
        name: &str,
        types: &[JsonType],
    ) -> (TypeKind, Vec<String>) {
        let mut ordered = types.to_vec();
        ordered.sort_by_key(|t| match t {
            JsonType::Integer => 0,
            JsonType::Number => 1,
            _ => 2,
        });
        let mut namer = Namer::new();
        let variants = ordered
            .iter()
            .map(|&t| {
                let ty = self.of_json_type(doc, id, &format!("{name}{t:?}"), t);
                UnionVariant {
                    name: namer.unique(&format!("{t:?}")),
                    ty,
                    schema: id,
                    tag_value: None,
                }
            })
            .collect();
        let note = "A value of any of the schema's types; JSON tells them apart.".to_owned();
        (
            TypeKind::Union {
                variants,
                tag: None,
            },
            vec![note],
        )
    }

    /// For `allOf: [X]` with nothing else (and a lone `$ref` with constraints next to it), the
    /// one part; `None` when parts must be merged.
    fn single_part(&self, doc: &Document, id: SchemaId) -> Option<SchemaId> {
        let s = &doc[id];
        let mut parts: Vec<SchemaId> = s.all_of.clone();
        parts.extend(s.reference);
        if parts.len() == 1 && s.properties.is_empty() && !is_object_like(doc, parts[0]) {
            return Some(parts[0]);
        }
        None
    }

    /// A struct from `properties`, merging every `allOf` part (and a `$ref` with siblings).
    fn object(&mut self, doc: &Document, id: SchemaId, name: &str) -> (TypeKind, Vec<String>) {
        let mut props: IndexMap<String, SchemaId> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut notes = Vec::new();
        collect_properties(
            doc,
            id,
            &mut props,
            &mut required,
            &mut Vec::new(),
            &mut notes,
        );
        let s = &doc[id];
        let mut namer = Namer::new();
        let mut fields = Vec::new();
        let mut ignored_any = false;
        for (wire, pid) in props {
            if ignored(&doc[pid]) {
                notes.push(format!("The property `{wire}` is not generated (`x-ignore`); it is ignored when decoding."));
                ignored_any = true;
                continue;
            }
            let context = format!("{name}{}", wire.to_upper_camel_case());
            let ty = self.type_for(doc, pid, &context);
            let is_required = required.contains(&wire);
            let (ty, nullable) = match ty {
                RustType::Option(inner) => (*inner, true),
                other => (other, false),
            };
            let presence = match (is_required, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let ps = &doc[pid];
            // A property that is a named type is documented on the type; repeat nothing here.
            let mut docs = if self.named.contains_key(&resolve_alias(doc, pid)) && ps.name.is_some()
            {
                Docs::default()
            } else {
                Docs::of(ps)
            };
            if ps.read_only {
                docs.notes
                    .push("Read-only: sent by the server, not by clients.".to_owned());
            }
            if ps.write_only {
                docs.notes
                    .push("Write-only: sent by clients, never returned.".to_owned());
            }
            fields.push(Field {
                name: namer.unique(&field_name(&wire, "field")),
                wire,
                ty,
                presence,
                schema: pid,
                docs,
                default: ps.default.clone(),
            });
        }
        let additional = match s.additional_properties {
            // An ignored property may still arrive: refusing unknown ones would refuse it.
            Some(ap) if doc[ap].boolean == Some(false) && ignored_any => Additional::Ignore,
            Some(ap) if doc[ap].boolean == Some(false) => Additional::Deny,
            Some(ap) if doc[ap].boolean == Some(true) => Additional::Ignore,
            Some(ap) => Additional::Map(self.type_for(doc, ap, &format!("{name}Value"))),
            None => Additional::Ignore,
        };
        if let Additional::Map(_) = additional {
            namer.unique("additional_properties");
        }
        (TypeKind::Struct { fields, additional }, notes)
    }

    fn union(&mut self, doc: &Document, id: SchemaId, name: &str) -> (TypeKind, Vec<String>) {
        let s = &doc[id];
        let (list, keyword) = if s.one_of.is_empty() {
            (s.any_of.clone(), "anyOf")
        } else {
            (s.one_of.clone(), "oneOf")
        };
        let discriminator = s.discriminator.clone();
        let mut namer = Namer::new();
        let mut variants = Vec::new();
        for (i, &v) in list.iter().enumerate() {
            let target = resolve_alias(doc, v);
            let vs = &doc[target];
            let context = vs
                .name
                .clone()
                .or_else(|| vs.title.clone())
                .unwrap_or_else(|| format!("{name}Variant{}", i + 1));
            let ty = self.type_for(
                doc,
                v,
                &type_name(&context, &format!("{name}Variant{}", i + 1)),
            );
            let variant_name = match &ty {
                RustType::Named(t) => self.defs[t.index()].name.clone(),
                other => {
                    primitive_variant_name(other).unwrap_or_else(|| format!("Variant{}", i + 1))
                }
            };
            variants.push(UnionVariant {
                name: namer.unique(&variant_name),
                ty,
                schema: v,
                tag_value: None,
            });
        }
        let mut notes = Vec::new();
        let tag = match discriminator {
            Some(d) => {
                for (variant, &v) in variants.iter_mut().zip(&list) {
                    let target = resolve_alias(doc, v);
                    variant.tag_value = d
                        .mapping
                        .iter()
                        .find(|(_, m)| resolve_alias(doc, **m) == target)
                        .map(|(k, _)| k.clone())
                        .or_else(|| const_property(doc, target, &d.property_name))
                        .or_else(|| doc[target].name.clone());
                }
                Some(d.property_name)
            }
            None => common_const_property(doc, &list).inspect(|property| {
                for (variant, &v) in variants.iter_mut().zip(&list) {
                    variant.tag_value = const_property(doc, resolve_alias(doc, v), property);
                }
            }),
        };
        match &tag {
            Some(property) => notes.push(format!(
                "`{keyword}` decided by the `{property}` property: decoding reads it and decodes exactly that variant."
            )),
            None => notes.push(format!(
                "Untagged `{keyword}`: nothing in the document says which variant a value is, so decoding tries the variants in order and takes the first that fits."
            )),
        }
        if tag.is_some() && variants.iter().any(|v| v.tag_value.is_none()) {
            notes.push("Some variants have no tag value in the document; they are never chosen when decoding.".to_owned());
        }
        (TypeKind::Union { variants, tag }, notes)
    }
}

/// The name of a message's headers type: after the message trait that declares the headers
/// (`CommonHeaders` for `components/messageTraits/CommonHeaders/headers`, `AuditHeaders` for a
/// trait `Audit`), which every message with that trait shares, else after the message.
fn headers_name(doc: &Document, schema: SchemaId, message: &str) -> String {
    match doc[schema].origin.pointer.tokens() {
        [components, traits, name, headers]
            if components == "components" && traits == "messageTraits" && headers == "headers" =>
        {
            let name = name.to_upper_camel_case();
            if name.ends_with("Headers") {
                name
            } else {
                format!("{name}Headers")
            }
        }
        _ => format!("{message}Headers"),
    }
}
