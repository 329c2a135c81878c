//! JSON Schema nodes to [`Schema`]s, memoised so recursion stays a reference.

use indexmap::IndexMap;

use super::{Reader, extensions, key};
use crate::diag::Code;
use crate::model::*;
use crate::node::{Map, Node, Value};
use crate::pointer::JsonPointer;

/// Deepest chain of nested schemas the reader follows before refusing the document.
const MAX_SCHEMA_DEPTH: usize = 256;

/// Keywords that hold one schema.
const ONE: &[&str] = &[
    "additionalProperties",
    "propertyNames",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "additionalItems",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Keywords read by this module; everything else (but `x-*`) goes to [`Schema::other`].
const KNOWN: &[&str] = &[
    "$ref",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$defs",
    "definitions",
    "title",
    "description",
    "type",
    "nullable",
    "x-nullable",
    "format",
    "enum",
    "const",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "dependentRequired",
    "dependentSchemas",
    "dependencies",
    "items",
    "prefixItems",
    "additionalItems",
    "contains",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "contentEncoding",
    "contentMediaType",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "discriminator",
    "externalDocs",
];

impl Reader<'_, '_> {
    /// Reads the schema at `node` (following `$ref`s) and returns its id. Broken references and
    /// invalid schemas are reported; the id then names a permissive placeholder so reading goes on.
    pub(crate) fn schema(&mut self, node: &Node, ptr: &JsonPointer) -> SchemaId {
        if let Some(map) = node.as_object()
            && map.contains_key("$ref")
        {
            let Some((target, tptr)) = self.deref(node, ptr) else {
                return self.placeholder(node, ptr);
            };
            let has_siblings = map.keys().any(|k| k != "$ref");
            let target_id = self.schema(target, &tptr);
            if !has_siblings {
                return target_id;
            }
            // `$ref` next to other keywords: both apply (2019-09 and later; annotations such as
            // a description next to a `$ref` are common in every dialect).
            let id = self.schema_object(node, ptr);
            self.doc.schema_table[id.index()].reference = Some(target_id);
            return id;
        }
        self.schema_object(node, ptr)
    }

    /// A schema that allows exactly the string `node` holds (for plain values written where a
    /// schema belongs).
    pub(crate) fn const_schema(&mut self, node: &Node, ptr: &JsonPointer) -> SchemaId {
        if let Some(id) = self.memo.schemas.get(&key(node)) {
            return *id;
        }
        let id = SchemaId(self.doc.schema_table.len() as u32);
        self.memo.schemas.insert(key(node), id);
        self.doc.schema_table.push(Schema {
            types: vec![JsonType::String],
            const_value: Some(node.to_json()),
            origin: Self::origin(node, ptr),
            ..Schema::default()
        });
        id
    }

    fn placeholder(&mut self, node: &Node, ptr: &JsonPointer) -> SchemaId {
        let id = SchemaId(self.doc.schema_table.len() as u32);
        self.doc.schema_table.push(Schema {
            origin: Self::origin(node, ptr),
            ..Schema::default()
        });
        id
    }

    fn schema_object(&mut self, node: &Node, ptr: &JsonPointer) -> SchemaId {
        if let Some(id) = self.memo.schemas.get(&key(node)) {
            return *id;
        }
        if self.schema_depth >= MAX_SCHEMA_DEPTH {
            self.error(
                Code::Limit,
                format!("schemas are nested more than {MAX_SCHEMA_DEPTH} levels deep"),
                node,
                ptr,
            );
            return self.placeholder(node, ptr);
        }
        let id = self.placeholder(node, ptr);
        self.memo.schemas.insert(key(node), id);
        let schema = match &node.value {
            Value::Bool(b) => Schema {
                boolean: Some(*b),
                origin: Self::origin(node, ptr),
                ..Schema::default()
            },
            Value::Object(map) => {
                self.schema_depth += 1;
                let s = self.schema_fields(node, map, ptr);
                self.schema_depth -= 1;
                s
            }
            _ => {
                self.error(
                    Code::InvalidValue,
                    format!(
                        "a schema must be a mapping or a boolean, but this is {}",
                        node.kind_name()
                    ),
                    node,
                    ptr,
                );
                return id;
            }
        };
        self.doc.schema_table[id.index()] = schema;
        id
    }

    fn schema_fields(&mut self, node: &Node, map: &Map, ptr: &JsonPointer) -> Schema {
        let mut s = Schema {
            origin: Self::origin(node, ptr),
            name: schema_name(ptr),
            title: self.string(map, "title", ptr),
            description: self.string(map, "description", ptr),
            format: self.string(map, "format", ptr),
            pattern: self.string(map, "pattern", ptr),
            content_encoding: self.string(map, "contentEncoding", ptr),
            content_media_type: self.string(map, "contentMediaType", ptr),
            deprecated: self.bool_field(map, "deprecated", ptr).unwrap_or(false),
            read_only: self.bool_field(map, "readOnly", ptr).unwrap_or(false),
            write_only: self.bool_field(map, "writeOnly", ptr).unwrap_or(false),
            unique_items: self.bool_field(map, "uniqueItems", ptr).unwrap_or(false),
            nullable: self.bool_field(map, "nullable", ptr).unwrap_or(false)
                || self.bool_field(map, "x-nullable", ptr).unwrap_or(false),
            const_value: map.get("const").map(|m| m.value.to_json()),
            default: map.get("default").map(|m| m.value.to_json()),
            external_docs: self.read_external_docs(map, ptr),
            extensions: extensions(map),
            ..Schema::default()
        };
        s.types = self.types(map, ptr);
        if let Some(m) = map.get("enum") {
            let p = ptr.child("enum");
            if let Some(items) = self.array(&m.value, &p, "`enum`") {
                s.enum_values = Some(items.iter().map(Node::to_json).collect());
            }
        }
        if let Some(m) = map.get("examples") {
            match m.value.as_array() {
                Some(items) => s.examples = items.iter().map(Node::to_json).collect(),
                None => s.examples.push(m.value.to_json()),
            }
        }
        if let Some(m) = map.get("example") {
            s.examples.push(m.value.to_json());
        }
        for (name, field) in [
            ("minProperties", &mut s.min_properties),
            ("maxProperties", &mut s.max_properties),
            ("minItems", &mut s.min_items),
            ("maxItems", &mut s.max_items),
            ("minLength", &mut s.min_length),
            ("maxLength", &mut s.max_length),
        ] {
            *field = self.count(map, name, ptr);
        }
        s.minimum = self.number(map, "minimum", ptr);
        s.maximum = self.number(map, "maximum", ptr);
        s.multiple_of = self.number(map, "multipleOf", ptr);
        for (name, exclusive, bound) in [
            ("exclusiveMinimum", &mut s.exclusive_minimum, &mut s.minimum),
            ("exclusiveMaximum", &mut s.exclusive_maximum, &mut s.maximum),
        ] {
            if let Some(m) = map.get(name) {
                match &m.value.value {
                    Value::Number(n) => *exclusive = Some(n.clone()),
                    // draft-04 / OpenAPI 3.0: a boolean that makes `minimum`/`maximum` exclusive.
                    Value::Bool(true) => *exclusive = bound.take(),
                    Value::Bool(false) => {}
                    _ => self.error(
                        Code::InvalidValue,
                        format!("`{name}` must be a number (or, in older dialects, a boolean)"),
                        &m.value,
                        &ptr.child(name),
                    ),
                }
            }
        }
        // Object keywords.
        if let Some(m) = map.get("properties") {
            let p = ptr.child("properties");
            if let Some(props) = self.object(&m.value, &p, "`properties`") {
                for (name, pm) in props {
                    let id = self.schema(&pm.value, &p.child(name.clone()));
                    s.properties.insert(name.clone(), id);
                }
            }
        }
        if let Some(m) = map.get("required") {
            let p = ptr.child("required");
            match &m.value.value {
                Value::Array(_) => s.required = self.strings(map, "required", ptr),
                Value::Bool(_) => self.warning(
                    Code::InvalidValue,
                    "`required: true` on a property is draft-03 syntax and is ignored; list required properties in the parent's `required` array",
                    &m.value,
                    &p,
                ),
                _ => self.error(Code::InvalidValue, "`required` must be a sequence of property names", &m.value, &p),
            }
        }
        s.pattern_properties = self.schema_map(map, "patternProperties", ptr);
        s.dependent_schemas = self.schema_map(map, "dependentSchemas", ptr);
        if let Some(m) = map.get("dependentRequired") {
            let p = ptr.child("dependentRequired");
            if let Some(deps) = self.object(&m.value, &p, "`dependentRequired`") {
                for (name, _) in deps {
                    let list = self.strings(deps, name, &p);
                    s.dependent_required.insert(name.clone(), list);
                }
            }
        }
        if let Some(m) = map.get("dependencies") {
            let p = ptr.child("dependencies");
            if let Some(deps) = self.object(&m.value, &p, "`dependencies`") {
                for (name, dm) in deps {
                    if dm.value.as_array().is_some() {
                        let list = self.strings(deps, name, &p);
                        s.dependent_required.insert(name.clone(), list);
                    } else {
                        let id = self.schema(&dm.value, &p.child(name.clone()));
                        s.dependent_schemas.insert(name.clone(), id);
                    }
                }
            }
        }
        let mut one = IndexMap::new();
        for name in ONE {
            if let Some(m) = map.get(*name) {
                one.insert(*name, self.schema(&m.value, &ptr.child(*name)));
            }
        }
        s.additional_properties = one.get("additionalProperties").copied();
        s.property_names = one.get("propertyNames").copied();
        s.contains = one.get("contains").copied();
        s.not = one.get("not").copied();
        s.if_schema = one.get("if").copied();
        s.then_schema = one.get("then").copied();
        s.else_schema = one.get("else").copied();
        // Array keywords: draft-07 array-form `items` + `additionalItems`, or 2020-12
        // `prefixItems` + `items`, both into `prefix_items` + `items`.
        match map.get("items") {
            Some(m) if m.value.as_array().is_some() => {
                s.prefix_items = self.schema_list(map, "items", ptr);
                s.items = one.get("additionalItems").copied();
            }
            Some(m) => s.items = Some(self.schema(&m.value, &ptr.child("items"))),
            None => {}
        }
        if map.contains_key("prefixItems") {
            s.prefix_items = self.schema_list(map, "prefixItems", ptr);
        }
        s.all_of = self.schema_list(map, "allOf", ptr);
        s.any_of = self.schema_list(map, "anyOf", ptr);
        s.one_of = self.schema_list(map, "oneOf", ptr);
        s.discriminator = self.discriminator(map, ptr);
        s.other = map
            .iter()
            .filter(|(k, _)| {
                !k.starts_with("x-") && !KNOWN.contains(&k.as_str()) && !ONE.contains(&k.as_str())
            })
            .map(|(k, m)| (k.clone(), m.value.to_json()))
            .collect();
        // Definitions are schemas too, even when nothing references them.
        for defs in ["$defs", "definitions"] {
            let _ = self.schema_map(map, defs, ptr);
        }
        s
    }

    fn types(&mut self, map: &Map, ptr: &JsonPointer) -> Vec<JsonType> {
        let Some(m) = map.get("type") else {
            return Vec::new();
        };
        let p = ptr.child("type");
        let names: Vec<(&Node, JsonPointer)> = match &m.value.value {
            Value::String(_) => vec![(&m.value, p.clone())],
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| (n, p.child(i.to_string())))
                .collect(),
            _ => {
                self.error(
                    Code::InvalidValue,
                    "`type` must be a string or a sequence of strings",
                    &m.value,
                    &p,
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for (n, np) in names {
            match n.as_str().and_then(JsonType::parse) {
                Some(t) if !out.contains(&t) => out.push(t),
                Some(_) => {}
                None => {
                    let found = match n.as_str() {
                        Some(s) => format!("unknown type `{s}`"),
                        None => format!("a type must be a name, but this is {}", n.kind_name()),
                    };
                    self.error(
                        Code::InvalidValue,
                        format!("{found}; JSON Schema types are null, boolean, integer, number, string, array and object"),
                        n,
                        &np,
                    )
                }
            }
        }
        out
    }

    fn count(&mut self, map: &Map, name: &str, ptr: &JsonPointer) -> Option<u64> {
        let m = map.get(name)?;
        let value = m.value.as_number().and_then(|n| {
            n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                    .map(|f| f as u64)
            })
        });
        if value.is_none() {
            self.error(
                Code::InvalidValue,
                format!("`{name}` must be a non-negative integer"),
                &m.value,
                &ptr.child(name),
            );
        }
        value
    }

    fn number(&mut self, map: &Map, name: &str, ptr: &JsonPointer) -> Option<serde_json::Number> {
        let m = map.get(name)?;
        match m.value.as_number() {
            Some(n) => Some(n.clone()),
            None => {
                self.error(
                    Code::InvalidValue,
                    format!("`{name}` must be a number"),
                    &m.value,
                    &ptr.child(name),
                );
                None
            }
        }
    }

    fn schema_list(&mut self, map: &Map, name: &str, ptr: &JsonPointer) -> Vec<SchemaId> {
        let Some(m) = map.get(name) else {
            return Vec::new();
        };
        let p = ptr.child(name);
        let Some(items) = self.array(&m.value, &p, &format!("`{name}`")) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(i, n)| self.schema(n, &p.child(i.to_string())))
            .collect()
    }

    fn schema_map(
        &mut self,
        map: &Map,
        name: &str,
        ptr: &JsonPointer,
    ) -> IndexMap<String, SchemaId> {
        let Some(m) = map.get(name) else {
            return IndexMap::new();
        };
        let p = ptr.child(name);
        let Some(entries) = self.object(&m.value, &p, &format!("`{name}`")) else {
            return IndexMap::new();
        };
        entries
            .iter()
            .map(|(k, v)| (k.clone(), self.schema(&v.value, &p.child(k.clone()))))
            .collect()
    }

    fn discriminator(&mut self, map: &Map, ptr: &JsonPointer) -> Option<Discriminator> {
        let m = map.get("discriminator")?;
        let p = ptr.child("discriminator");
        match &m.value.value {
            Value::String(name) => Some(Discriminator {
                property_name: name.clone(),
                mapping: IndexMap::new(),
            }),
            Value::Object(obj) => {
                let property_name =
                    self.required_string(&m.value, obj, "propertyName", &p, "a discriminator");
                let mut mapping = IndexMap::new();
                if let Some(mm) = obj.get("mapping") {
                    let mp = p.child("mapping");
                    if let Some(entries) = self.object(&mm.value, &mp, "`mapping`") {
                        for (value, target) in entries {
                            let tp = mp.child(value.clone());
                            let Some(text) = self.string_value(&target.value, &tp, "mapping")
                            else {
                                continue;
                            };
                            // A mapping value is a reference, or the name of a component schema.
                            let reference =
                                if text.contains('#') || text.contains('/') || text.contains('.') {
                                    text
                                } else {
                                    format!("#/components/schemas/{text}")
                                };
                            let ref_node = Node {
                                value: Value::Object(
                                    [(
                                        "$ref".to_owned(),
                                        crate::node::Member {
                                            key_span: target.value.span,
                                            value: Node {
                                                value: Value::String(reference),
                                                span: target.value.span,
                                            },
                                        },
                                    )]
                                    .into_iter()
                                    .collect(),
                                ),
                                span: target.value.span,
                            };
                            let id = self.schema(&ref_node, &tp);
                            mapping.insert(value.clone(), id);
                        }
                    }
                }
                Some(Discriminator {
                    property_name,
                    mapping,
                })
            }
            _ => {
                self.error(
                    Code::InvalidValue,
                    "`discriminator` must be a property name or an object with `propertyName`",
                    &m.value,
                    &p,
                );
                None
            }
        }
    }
}

/// The name of a schema defined under `components.schemas`, `definitions` or `$defs`.
fn schema_name(ptr: &JsonPointer) -> Option<String> {
    let tokens = ptr.tokens();
    match tokens {
        [.., parent, name] if parent == "definitions" || parent == "$defs" => Some(name.clone()),
        [c, s, name] if c == "components" && s == "schemas" => Some(name.clone()),
        _ => None,
    }
}
