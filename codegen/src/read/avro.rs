//! Avro schemas (`schemaFormat: application/vnd.apache.avro…`) read into the JSON Schemas of the
//! document, so that Avro payloads get Rust types, validation and docs like any other.
//!
//! The mapping follows what serde-based Avro libraries read and write: a record is an object
//! whose fields are all present (a field whose type is a union with `null` is nullable), an enum
//! is a string enum, arrays and maps are arrays and maps, `int`/`long`/`float`/`double` keep their
//! widths, `bytes` and `fixed` are strings (Avro's JSON encoding writes them as strings of
//! code points), and a union is `oneOf` its branches. Logical types annotate their underlying
//! type (`uuid` strings become `format: uuid`). Named types are referenced by full or short name,
//! so recursive records stay references.

use std::collections::HashMap;

use crate::diag::Code;
use crate::model::{JsonType, Schema, SchemaId};
use crate::node::{Node, Value};
use crate::pointer::JsonPointer;

use super::Reader;

/// Named types met so far in one Avro schema, by full name and by short name, and those of the
/// Avro schemas read before it.
#[derive(Default)]
pub(crate) struct AvroNames {
    names: HashMap<String, SchemaId>,
    outer: HashMap<String, SchemaId>,
}

impl Reader<'_, '_> {
    /// Reads an Avro schema into the document's schemas and returns the root's id.
    pub(crate) fn avro(&mut self, node: &Node, ptr: &JsonPointer) -> SchemaId {
        let mut names = AvroNames {
            names: HashMap::new(),
            outer: self.avro_names.clone(),
        };
        let id = self.avro_type(node, ptr, None, &mut names, 0);
        for (name, id) in names.names {
            self.avro_names.entry(name).or_insert(id);
        }
        id
    }

    /// A named type used where it is not defined (yet): defined in another Avro schema of the
    /// document, or later in this one. Avro asks for a definition before use in each schema;
    /// tools that read a document's Avro files together (the Avro Maven plugin's imports,
    /// ZenWave SDK) accept both, so they are read the obvious way, with a located warning.
    fn avro_elsewhere(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        name: &str,
        namespace: Option<&str>,
        names: &mut AvroNames,
        depth: usize,
    ) -> Option<SchemaId> {
        let full = full_name(name, namespace);
        let found = match names.outer.get(&full).or_else(|| names.outer.get(name)) {
            Some(&id) => Some((id, "in another Avro schema of the document".to_owned())),
            None => {
                let ws = self.ws;
                let files = ws.files().count();
                let definition = (0..files).find_map(|i| {
                    let file = crate::source::FileId(i as u32);
                    let tree = ws.tree(file)?;
                    let mut at = JsonPointer::root();
                    find_avro_definition(tree, name, &full, None, &mut at)
                        .map(|(node, ns)| (file, node, at, ns))
                });
                definition.map(|(file, def, at, ns)| {
                    let id = self.avro_type(def, &at, ns.as_deref(), names, depth + 1);
                    let place = if file == node.span.file {
                        "further down in the same file".to_owned()
                    } else {
                        format!("in `{}`", ws.path(file).display())
                    };
                    (id, place)
                })
            }
        }?;
        self.warning(
            Code::Departure,
            format!(
                "the Avro type `{name}` is used before it is defined; read as the `{name}` defined {}, as tools that read a document's Avro schemas together do",
                found.1
            ),
            node,
            ptr,
        );
        Some(found.0)
    }

    fn avro_push(&mut self, node: &Node, ptr: &JsonPointer, schema: Schema) -> SchemaId {
        let id = SchemaId(self.doc.schema_table.len() as u32);
        self.doc.schema_table.push(Schema {
            origin: Self::origin(node, ptr),
            ..schema
        });
        id
    }

    fn avro_type(
        &mut self,
        node: &Node,
        ptr: &JsonPointer,
        namespace: Option<&str>,
        names: &mut AvroNames,
        depth: usize,
    ) -> SchemaId {
        if depth > 128 {
            self.error(
                Code::Limit,
                "Avro types nest more than 128 levels deep",
                node,
                ptr,
            );
            return self.avro_push(node, ptr, Schema::default());
        }
        match &node.value {
            Value::String(name) => match primitive(name) {
                Some(schema) => self.avro_push(node, ptr, schema),
                None => {
                    let full = full_name(name, namespace);
                    let local = names.names.get(&full).or_else(|| names.names.get(name));
                    let found = match local {
                        Some(&id) => Some(id),
                        None => self.avro_elsewhere(node, ptr, name, namespace, names, depth),
                    };
                    match found {
                        Some(id) => id,
                        None => {
                            self.error(
                                Code::UnresolvedRef,
                                format!("the Avro type `{name}` is not defined before it is used"),
                                node,
                                ptr,
                            );
                            self.avro_push(node, ptr, Schema::default())
                        }
                    }
                }
            },
            Value::Array(branches) => {
                let mut nullable = false;
                let mut ids = Vec::new();
                for (i, b) in branches.iter().enumerate() {
                    if b.as_str() == Some("null") {
                        nullable = true;
                        continue;
                    }
                    ids.push(self.avro_type(
                        b,
                        &ptr.child(i.to_string()),
                        namespace,
                        names,
                        depth + 1,
                    ));
                }
                if ids.len() == 1 && nullable {
                    // `["null", T]`: T, nullable, through a wrapper so a named T keeps its name.
                    return self.avro_push(
                        node,
                        ptr,
                        Schema {
                            reference: Some(ids[0]),
                            nullable: true,
                            ..Schema::default()
                        },
                    );
                }
                self.avro_push(
                    node,
                    ptr,
                    Schema {
                        one_of: ids,
                        nullable,
                        ..Schema::default()
                    },
                )
            }
            Value::Object(map) => {
                let Some(type_node) = map.get("type").map(|m| &m.value) else {
                    self.error(
                        Code::InvalidValue,
                        "an Avro schema object needs a `type`",
                        node,
                        ptr,
                    );
                    return self.avro_push(node, ptr, Schema::default());
                };
                let doc = map
                    .get("doc")
                    .and_then(|m| m.value.as_str())
                    .map(str::to_owned);
                let name = map.get("name").and_then(|m| m.value.as_str());
                let own_namespace = map
                    .get("namespace")
                    .and_then(|m| m.value.as_str())
                    .or(namespace);
                let register = |reader: &mut Self, names: &mut AvroNames, schema: Schema| {
                    let id = reader.avro_push(node, ptr, schema);
                    if let Some(name) = name {
                        names.names.insert(full_name(name, own_namespace), id);
                        let short = name.rsplit('.').next().unwrap_or(name);
                        names.names.entry(short.to_owned()).or_insert(id);
                    }
                    id
                };
                // Already read (a use before the definition read it first): the same type.
                if let Some(name) = name {
                    let full = full_name(name, own_namespace);
                    let known = names.names.get(&full).or_else(|| names.outer.get(&full));
                    if let Some(&id) = known
                        && self.doc.schema_table[id.index()].origin.span == node.span
                    {
                        return id;
                    }
                }
                let short_name = name.map(|n| n.rsplit('.').next().unwrap_or(n).to_owned());
                match type_node.as_str() {
                    Some("record" | "error") => {
                        let id = register(
                            self,
                            names,
                            Schema {
                                name: short_name,
                                description: doc,
                                types: vec![JsonType::Object],
                                ..Schema::default()
                            },
                        );
                        let fields = map.get("fields").and_then(|m| m.value.as_array());
                        let fptr = ptr.child("fields");
                        for (i, f) in fields.unwrap_or_default().iter().enumerate() {
                            let p = fptr.child(i.to_string());
                            let Some(fmap) = f.as_object() else {
                                self.error(Code::InvalidValue, "an Avro field is an object", f, &p);
                                continue;
                            };
                            let Some(fname) = fmap.get("name").and_then(|m| m.value.as_str())
                            else {
                                self.error(
                                    Code::InvalidValue,
                                    "an Avro field needs a `name`",
                                    f,
                                    &p,
                                );
                                continue;
                            };
                            let Some(ftype) = fmap.get("type") else {
                                self.error(
                                    Code::InvalidValue,
                                    "an Avro field needs a `type`",
                                    f,
                                    &p,
                                );
                                continue;
                            };
                            let mut fid = self.avro_type(
                                &ftype.value,
                                &p.child("type"),
                                own_namespace,
                                names,
                                depth + 1,
                            );
                            let fdoc = fmap.get("doc").and_then(|m| m.value.as_str());
                            let default = fmap.get("default").map(|m| m.value.to_json());
                            if fdoc.is_some() || default.is_some() {
                                // Field documentation belongs to the field, not to a type that
                                // other fields may share.
                                fid = self.avro_push(
                                    f,
                                    &p,
                                    Schema {
                                        reference: Some(fid),
                                        description: fdoc.map(str::to_owned),
                                        default,
                                        ..Schema::default()
                                    },
                                );
                            }
                            let schema = &mut self.doc.schema_table[id.index()];
                            schema.properties.insert(fname.to_owned(), fid);
                            schema.required.push(fname.to_owned());
                        }
                        if fields.is_none() {
                            self.error(
                                Code::InvalidValue,
                                "an Avro record needs `fields`",
                                node,
                                ptr,
                            );
                        }
                        id
                    }
                    Some("enum") => {
                        let symbols = map
                            .get("symbols")
                            .and_then(|m| m.value.as_array())
                            .map(|s| s.iter().map(Node::to_json).collect());
                        register(
                            self,
                            names,
                            Schema {
                                name: short_name,
                                description: doc,
                                types: vec![JsonType::String],
                                enum_values: symbols,
                                ..Schema::default()
                            },
                        )
                    }
                    Some("fixed") => register(
                        self,
                        names,
                        Schema {
                            name: short_name,
                            description: doc,
                            types: vec![JsonType::String],
                            format: Some("binary".to_owned()),
                            ..Schema::default()
                        },
                    ),
                    Some("array") => {
                        let items = map.get("items").map(|m| {
                            self.avro_type(
                                &m.value,
                                &ptr.child("items"),
                                namespace,
                                names,
                                depth + 1,
                            )
                        });
                        self.avro_push(
                            node,
                            ptr,
                            Schema {
                                description: doc,
                                types: vec![JsonType::Array],
                                items,
                                ..Schema::default()
                            },
                        )
                    }
                    Some("map") => {
                        let values = map.get("values").map(|m| {
                            self.avro_type(
                                &m.value,
                                &ptr.child("values"),
                                namespace,
                                names,
                                depth + 1,
                            )
                        });
                        self.avro_push(
                            node,
                            ptr,
                            Schema {
                                description: doc,
                                types: vec![JsonType::Object],
                                additional_properties: values,
                                ..Schema::default()
                            },
                        )
                    }
                    _ => {
                        // A primitive written as an object, maybe with a logical type; or a
                        // nested type definition (`{"type": {...}}`).
                        let inner = self.avro_type(
                            type_node,
                            &ptr.child("type"),
                            namespace,
                            names,
                            depth + 1,
                        );
                        let logical = map.get("logicalType").and_then(|m| m.value.as_str());
                        let mut schema = self.doc.schema_table[inner.index()].clone();
                        if schema.name.is_some() {
                            return inner;
                        }
                        match logical {
                            Some("uuid") => schema.format = Some("uuid".to_owned()),
                            Some(other) => {
                                let note = format!("Avro logical type `{other}`.");
                                schema.description = Some(match doc {
                                    Some(d) => format!("{d}\n\n{note}"),
                                    None => note,
                                });
                            }
                            None => schema.description = doc.or(schema.description),
                        }
                        self.avro_push(node, ptr, schema)
                    }
                }
            }
            _ => {
                self.error(
                    Code::InvalidValue,
                    format!(
                        "an Avro schema is a name, an object or a union, but this is {}",
                        node.kind_name()
                    ),
                    node,
                    ptr,
                );
                self.avro_push(node, ptr, Schema::default())
            }
        }
    }
}

/// The JSON Schema of an Avro primitive type.
fn primitive(name: &str) -> Option<Schema> {
    let (t, format) = match name {
        "null" => (JsonType::Null, None),
        "boolean" => (JsonType::Boolean, None),
        "int" => (JsonType::Integer, Some("int32")),
        "long" => (JsonType::Integer, Some("int64")),
        "float" => (JsonType::Number, Some("float")),
        "double" => (JsonType::Number, Some("double")),
        "bytes" => (JsonType::String, Some("binary")),
        "string" => (JsonType::String, None),
        _ => return None,
    };
    Some(Schema {
        types: vec![t],
        format: format.map(str::to_owned),
        ..Schema::default()
    })
}

/// `name` qualified by `namespace` unless it already has dots.
fn full_name(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.to_owned(),
    }
}

/// The definition of the Avro named type `name` (or `full`) under `node`: a record, error, enum
/// or fixed type of that name, with the namespace it is in.
fn find_avro_definition<'n>(
    node: &'n Node,
    name: &str,
    full: &str,
    namespace: Option<&str>,
    at: &mut JsonPointer,
) -> Option<(&'n Node, Option<String>)> {
    match &node.value {
        Value::Object(map) => {
            let own = map
                .get("namespace")
                .and_then(|m| m.value.as_str())
                .or(namespace);
            let named = matches!(
                map.get("type").and_then(|m| m.value.as_str()),
                Some("record" | "error" | "enum" | "fixed")
            );
            if named && let Some(n) = map.get("name").and_then(|m| m.value.as_str()) {
                let short = n.rsplit('.').next().unwrap_or(n);
                if full_name(n, own) == full || (!name.contains('.') && short == name) {
                    return Some((node, namespace.map(str::to_owned)));
                }
            }
            for (key, member) in map {
                at.push(key.clone());
                if let Some(found) = find_avro_definition(&member.value, name, full, own, at) {
                    return Some(found);
                }
                at.pop();
            }
            None
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(i.to_string());
                if let Some(found) = find_avro_definition(item, name, full, namespace, at) {
                    return Some(found);
                }
                at.pop();
            }
            None
        }
        _ => None,
    }
}
