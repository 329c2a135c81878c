//! JSON Schema (and the AsyncAPI Schema superset of it), typed.

use indexmap::IndexMap;

use super::{Extensions, ExternalDocs, Origin, SchemaId};

/// The JSON types a schema may allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JsonType {
    /// `null`
    Null,
    /// `boolean`
    Boolean,
    /// `integer`
    Integer,
    /// `number`
    Number,
    /// `string`
    String,
    /// `array`
    Array,
    /// `object`
    Object,
}

impl JsonType {
    /// The `type` keyword value: `string`, `integer`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Integer => "integer",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    /// Parses a `type` keyword value.
    pub fn parse(text: &str) -> Option<JsonType> {
        Some(match text {
            "null" => JsonType::Null,
            "boolean" => JsonType::Boolean,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "string" => JsonType::String,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }
}

/// How a `oneOf`/`anyOf` is told apart by a property (AsyncAPI's `discriminator` is a property
/// name; OpenAPI's is an object with an optional mapping).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discriminator {
    /// The property whose value names the variant.
    pub property_name: String,
    /// Value to schema (OpenAPI `mapping`), resolved.
    pub mapping: IndexMap<String, SchemaId>,
}

/// One schema. Keywords that hold schemas name other schemas by id; absent keywords are
/// `None`/empty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Schema {
    /// For the boolean schemas `true` (anything) and `false` (nothing).
    pub boolean: Option<bool>,
    /// The schema's name when it is defined in `components.schemas` (or a `definitions`/`$defs`
    /// entry of a schema file).
    pub name: Option<String>,
    /// `title`
    pub title: Option<String>,
    /// `description`
    pub description: Option<String>,
    /// `type` (empty means any type).
    pub types: Vec<JsonType>,
    /// `nullable: true` (OpenAPI) or `x-nullable: true`.
    pub nullable: bool,
    /// `format`
    pub format: Option<String>,
    /// `enum`
    pub enum_values: Option<Vec<serde_json::Value>>,
    /// `const`
    pub const_value: Option<serde_json::Value>,
    /// `default`
    pub default: Option<serde_json::Value>,
    /// `examples` (and `example`).
    pub examples: Vec<serde_json::Value>,
    /// `deprecated`
    pub deprecated: bool,
    /// `readOnly`
    pub read_only: bool,
    /// `writeOnly`
    pub write_only: bool,

    /// `properties`, in document order.
    pub properties: IndexMap<String, SchemaId>,
    /// `required`
    pub required: Vec<String>,
    /// `additionalProperties` (`true`/`false` are boolean schemas).
    pub additional_properties: Option<SchemaId>,
    /// `patternProperties`
    pub pattern_properties: IndexMap<String, SchemaId>,
    /// `propertyNames`
    pub property_names: Option<SchemaId>,
    /// `minProperties`
    pub min_properties: Option<u64>,
    /// `maxProperties`
    pub max_properties: Option<u64>,
    /// `dependentRequired` (and the array form of draft-07 `dependencies`).
    pub dependent_required: IndexMap<String, Vec<String>>,
    /// `dependentSchemas` (and the schema form of draft-07 `dependencies`).
    pub dependent_schemas: IndexMap<String, SchemaId>,

    /// The schema of every item after [`Schema::prefix_items`] (of every item when there is no
    /// prefix): 2020-12 `items`, draft-07 `items` when it is a schema, or draft-07
    /// `additionalItems` next to an array-form `items`.
    pub items: Option<SchemaId>,
    /// Tuple items: 2020-12 `prefixItems`, or draft-07 array-form `items`.
    pub prefix_items: Vec<SchemaId>,
    /// `contains`
    pub contains: Option<SchemaId>,
    /// `minItems`
    pub min_items: Option<u64>,
    /// `maxItems`
    pub max_items: Option<u64>,
    /// `uniqueItems`
    pub unique_items: bool,

    /// `minLength`
    pub min_length: Option<u64>,
    /// `maxLength`
    pub max_length: Option<u64>,
    /// `pattern`
    pub pattern: Option<String>,
    /// `contentEncoding`
    pub content_encoding: Option<String>,
    /// `contentMediaType`
    pub content_media_type: Option<String>,

    /// `minimum`
    pub minimum: Option<serde_json::Number>,
    /// `maximum`
    pub maximum: Option<serde_json::Number>,
    /// `exclusiveMinimum` as a number (draft-04's boolean form is normalised into this).
    pub exclusive_minimum: Option<serde_json::Number>,
    /// `exclusiveMaximum` as a number (draft-04's boolean form is normalised into this).
    pub exclusive_maximum: Option<serde_json::Number>,
    /// `multipleOf`
    pub multiple_of: Option<serde_json::Number>,

    /// `allOf`
    pub all_of: Vec<SchemaId>,
    /// `anyOf`
    pub any_of: Vec<SchemaId>,
    /// `oneOf`
    pub one_of: Vec<SchemaId>,
    /// `not`
    pub not: Option<SchemaId>,
    /// `if`
    pub if_schema: Option<SchemaId>,
    /// `then`
    pub then_schema: Option<SchemaId>,
    /// `else`
    pub else_schema: Option<SchemaId>,
    /// `discriminator`
    pub discriminator: Option<Discriminator>,
    /// A `$ref` written next to other keywords (2019-09 and later apply both); a schema that is
    /// only a `$ref` is never stored, the target's id is used instead.
    pub reference: Option<SchemaId>,
    /// `externalDocs`
    pub external_docs: Option<ExternalDocs>,
    /// `x-*` fields (`x-rust-type`, `x-rust-name`, `x-ignore`, ...).
    pub extensions: Extensions,
    /// Keywords this model does not type, kept as written (`$comment`, vocabulary extensions).
    pub other: IndexMap<String, serde_json::Value>,
    /// Where the schema is defined.
    pub origin: Origin,
}

/// The schema format of a payload or headers (`schemaFormat`), parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaFormat {
    /// The media type as written (or the default for the document's version).
    pub media_type: String,
    /// What family it is.
    pub kind: SchemaFormatKind,
}

/// Families of schema formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaFormatKind {
    /// `application/vnd.aai.asyncapi(+json|+yaml)`: the AsyncAPI Schema.
    AsyncApi,
    /// `application/schema(+json|+yaml)`: JSON Schema.
    JsonSchema,
    /// `application/vnd.oai.openapi(+json|+yaml)`: the OpenAPI 3.0 Schema.
    OpenApi,
    /// `application/vnd.apache.avro(+json|+yaml)`.
    Avro,
    /// Anything else (Protobuf, RAML, ...): the payload is opaque bytes.
    Other,
}

impl SchemaFormat {
    /// Parses a `schemaFormat` value.
    pub fn parse(media_type: &str) -> SchemaFormat {
        let base = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let base = base
            .strip_suffix("+json")
            .or_else(|| base.strip_suffix("+yaml"))
            .unwrap_or(&base);
        let kind = match base {
            "application/vnd.aai.asyncapi" => SchemaFormatKind::AsyncApi,
            "application/schema" => SchemaFormatKind::JsonSchema,
            "application/vnd.oai.openapi" => SchemaFormatKind::OpenApi,
            "application/vnd.apache.avro" => SchemaFormatKind::Avro,
            _ => SchemaFormatKind::Other,
        };
        SchemaFormat {
            media_type: media_type.to_owned(),
            kind,
        }
    }

    /// Whether schemas of this format are JSON Schema dialects read into [`Schema`]s.
    pub fn is_json_schema_like(&self) -> bool {
        matches!(
            self.kind,
            SchemaFormatKind::AsyncApi | SchemaFormatKind::JsonSchema | SchemaFormatKind::OpenApi
        )
    }
}

/// A payload or headers schema.
#[derive(Clone, Debug, PartialEq)]
pub enum SchemaPayload {
    /// A JSON Schema dialect (AsyncAPI, JSON Schema, OpenAPI), typed.
    Schema {
        /// The format it was written in.
        format: SchemaFormat,
        /// The schema.
        schema: SchemaId,
    },
    /// An Avro schema, kept as JSON (named-type references are Avro's own, not `$ref`s), and
    /// read into JSON Schemas for types and validation.
    Avro {
        /// The format it was written in.
        format: SchemaFormat,
        /// The Avro schema as written.
        schema: serde_json::Value,
        /// The JSON Schema the Avro schema was read into (records are objects whose fields are
        /// all required, unions with `null` are nullable, ...).
        types: SchemaId,
    },
    /// A schema in a format the generator does not read; the payload is opaque bytes.
    Other {
        /// The format it was written in.
        format: SchemaFormat,
        /// The schema as written (a string for Protobuf and similar).
        schema: serde_json::Value,
    },
}

impl SchemaPayload {
    /// The JSON Schema that types this payload: the schema of a JSON Schema dialect, or the one
    /// an Avro schema was read into; `None` for opaque formats.
    pub fn schema_id(&self) -> Option<SchemaId> {
        match self {
            SchemaPayload::Schema { schema, .. } => Some(*schema),
            SchemaPayload::Avro { types, .. } => Some(*types),
            SchemaPayload::Other { .. } => None,
        }
    }

    /// The schema format.
    pub fn format(&self) -> &SchemaFormat {
        match self {
            SchemaPayload::Schema { format, .. }
            | SchemaPayload::Avro { format, .. }
            | SchemaPayload::Other { format, .. } => format,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_formats() {
        assert_eq!(
            SchemaFormat::parse("application/vnd.aai.asyncapi+json;version=3.0.0").kind,
            SchemaFormatKind::AsyncApi
        );
        assert_eq!(
            SchemaFormat::parse("application/schema+yaml;version=draft-07").kind,
            SchemaFormatKind::JsonSchema
        );
        assert_eq!(
            SchemaFormat::parse("application/vnd.apache.avro;version=1.9.0").kind,
            SchemaFormatKind::Avro
        );
        assert_eq!(
            SchemaFormat::parse("application/vnd.oai.openapi;version=3.0.0").kind,
            SchemaFormatKind::OpenApi
        );
        assert_eq!(
            SchemaFormat::parse("application/vnd.google.protobuf;version=3").kind,
            SchemaFormatKind::Other
        );
    }
}
