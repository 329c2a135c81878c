//! The constraints `validate()` checks, planned per schema.
//!
//! Each schema's own constraints split in two:
//!
//! - **typed rules**, checked by generated code on the Rust value: string lengths, `pattern` and
//!   string `format`s; numeric bounds and `multipleOf`; array lengths and `uniqueItems`;
//! - **the residual schema**: the keywords a Rust type cannot express (`const`, `enum` on types
//!   that are not Rust enums, `not`, `if`/`then`/`else`, `contains`, `dependentRequired`,
//!   `dependentSchemas`, `propertyNames`, `minProperties`/`maxProperties`, `patternProperties`),
//!   written out as JSON Schema text that the runtime's evaluator checks on the value's JSON
//!   form. Subschemas they hold are written whole, with every named schema under `$defs`.
//!
//! What the Rust type already guarantees (`type`, `properties`, `required`,
//! `additionalProperties: false`, string and integer enums, tagged unions, formats with a type
//! of their own) is not checked again.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use crate::model::{Document, JsonType, Schema, SchemaId};

/// String constraints of one schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringRules {
    /// `minLength`
    pub min_length: Option<u64>,
    /// `maxLength`
    pub max_length: Option<u64>,
    /// `pattern`, when it compiles with the runtime's regex engine.
    pub pattern: Option<String>,
    /// `format`
    pub format: Option<String>,
}

/// Numeric constraints of one schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NumberRules {
    /// `minimum`
    pub minimum: Option<f64>,
    /// `maximum`
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`
    pub exclusive_maximum: Option<f64>,
    /// `multipleOf`
    pub multiple_of: Option<f64>,
}

/// Array constraints of one schema.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ArrayRules {
    /// `minItems`
    pub min_items: Option<u64>,
    /// `maxItems`
    pub max_items: Option<u64>,
    /// `uniqueItems: true`
    pub unique: bool,
}

/// What `validate()` checks for values of one schema (its own keywords; subschemas have rules of
/// their own).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rules {
    /// String rules, if any.
    pub string: Option<StringRules>,
    /// Number rules, if any.
    pub number: Option<NumberRules>,
    /// Array rules, if any.
    pub array: Option<ArrayRules>,
    /// The residual schema, as JSON Schema text for the runtime's evaluator.
    pub residual: Option<String>,
    /// A `pattern` the runtime cannot compile, with the reason (it is not checked).
    pub unusable_pattern: Option<(String, String)>,
    /// Schemas whose rules apply to the same value: the target of a `$ref` written with
    /// siblings, and `allOf` parts of a schema without `properties` of its own.
    pub also: Vec<SchemaId>,
    /// The schema of array items after the tuple prefix (`items`).
    pub items: Option<SchemaId>,
    /// The schemas of tuple items (`prefixItems`).
    pub prefix_items: Vec<SchemaId>,
    /// The schema of map values (`additionalProperties`, or a lone `patternProperties` entry).
    pub values: Option<SchemaId>,
}

impl Rules {
    /// Whether nothing is checked.
    pub fn is_empty(&self) -> bool {
        self.string.is_none()
            && self.number.is_none()
            && self.array.is_none()
            && self.residual.is_none()
    }
}

fn f64_of(n: &Option<serde_json::Number>) -> Option<f64> {
    n.as_ref().and_then(serde_json::Number::as_f64)
}

/// Why a pattern cannot be used by the runtime, if it cannot.
pub fn pattern_error(pattern: &str) -> Option<String> {
    regex_lite::Regex::new(pattern).err().map(|e| {
        e.to_string()
            .lines()
            .last()
            .unwrap_or("invalid")
            .trim()
            .to_owned()
    })
}

/// Whether an `enum` is expressed by a Rust enum (all strings, or all integers, `null` aside).
pub(crate) fn enum_is_typed(values: &[Value]) -> bool {
    let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    !non_null.is_empty()
        && (non_null.iter().all(|v| v.is_string()) || non_null.iter().all(|v| v.is_i64()))
}

/// Plans the rules of schema `id`.
pub fn rules_of(doc: &Document, id: SchemaId) -> Rules {
    let s = &doc[id];
    let mut rules = Rules::default();
    let may_be_string = s.types.is_empty() || s.types.contains(&JsonType::String);
    let mut string = StringRules {
        min_length: s.min_length,
        max_length: s.max_length,
        pattern: None,
        // Formats with a type of their own are checked by decoding.
        format: s
            .format
            .clone()
            .filter(|_| may_be_string && super::string_type(s) == super::RustType::String),
    };
    if let Some(p) = &s.pattern {
        match pattern_error(p) {
            None => string.pattern = Some(p.clone()),
            Some(e) => rules.unusable_pattern = Some((p.clone(), e)),
        }
    }
    if string != StringRules::default() {
        rules.string = Some(string);
    }
    let number = NumberRules {
        minimum: f64_of(&s.minimum),
        maximum: f64_of(&s.maximum),
        exclusive_minimum: f64_of(&s.exclusive_minimum),
        exclusive_maximum: f64_of(&s.exclusive_maximum),
        multiple_of: f64_of(&s.multiple_of),
    };
    if number != NumberRules::default() {
        rules.number = Some(number);
    }
    let array = ArrayRules {
        min_items: s.min_items,
        max_items: s.max_items,
        unique: s.unique_items,
    };
    if array != ArrayRules::default() {
        rules.array = Some(array);
    }
    rules.residual = residual(doc, id).map(|v| v.to_string());
    rules.also.extend(s.reference);
    if s.properties.is_empty() {
        rules.also.extend(s.all_of.iter().copied());
    }
    rules.items = s.items;
    rules.prefix_items = s.prefix_items.clone();
    rules.values = s
        .additional_properties
        .filter(|&ap| doc[ap].boolean.is_none())
        .or_else(|| {
            (s.pattern_properties.len() == 1)
                .then(|| s.pattern_properties.values().next().copied())
                .flatten()
        });
    rules
}

/// The keywords of `id` that the Rust type does not express, as a schema (with `$defs`).
fn residual(doc: &Document, id: SchemaId) -> Option<Value> {
    let s = &doc[id];
    let mut w = Writer::new(doc);
    let mut out = Map::new();
    if let Some(c) = &s.const_value {
        out.insert("const".into(), c.clone());
    }
    if let Some(values) = &s.enum_values
        && !enum_is_typed(values)
    {
        out.insert("enum".into(), Value::Array(values.clone()));
    }
    for (key, sub) in [
        ("not", s.not),
        ("if", s.if_schema),
        ("contains", s.contains),
        ("propertyNames", s.property_names),
    ] {
        if let Some(sub) = sub {
            out.insert(key.into(), w.schema(sub));
        }
    }
    if s.if_schema.is_some() {
        for (key, sub) in [("then", s.then_schema), ("else", s.else_schema)] {
            if let Some(sub) = sub {
                out.insert(key.into(), w.schema(sub));
            }
        }
    }
    if s.contains.is_some() {
        for key in ["minContains", "maxContains"] {
            if let Some(v) = s.other.get(key) {
                out.insert(key.into(), v.clone());
            }
        }
    }
    if !s.dependent_required.is_empty() {
        out.insert("dependentRequired".into(), json!(s.dependent_required));
    }
    if !s.dependent_schemas.is_empty() {
        out.insert(
            "dependentSchemas".into(),
            w.schema_map(&s.dependent_schemas),
        );
    }
    if let Some(n) = s.min_properties {
        out.insert("minProperties".into(), n.into());
    }
    if let Some(n) = s.max_properties {
        out.insert("maxProperties".into(), n.into());
    }
    if !s.pattern_properties.is_empty() {
        out.insert(
            "patternProperties".into(),
            w.schema_map(&s.pattern_properties),
        );
        // Properties named nowhere fall to `additionalProperties` only once `properties` and
        // the patterns are known, so all three travel together.
        if let Some(ap) = s.additional_properties {
            let props = s.properties.keys().map(|k| (k.clone(), Value::Bool(true)));
            out.insert("properties".into(), Value::Object(props.collect()));
            out.insert("additionalProperties".into(), w.schema(ap));
        }
    }
    if out.is_empty() {
        return None;
    }
    Some(w.finish(Value::Object(out)))
}

/// The residual schema of a struct merged from several schemas (`allOf` parts, `$ref` with
/// siblings): each part's residual, every definition of a property after the first (the struct
/// field has the first one's type; the others still constrain it), and `oneOf`/`anyOf` written
/// next to properties.
pub fn merged_residual(
    doc: &Document,
    parts: &[SchemaId],
    fields: &[(String, SchemaId)],
) -> Option<String> {
    let mut w = Writer::new(doc);
    let mut all = Vec::new();
    for &part in parts {
        let s = &doc[part];
        if let Some(r) = residual(doc, part) {
            all.push(r);
        }
        let mut later = Map::new();
        for (name, &pid) in &s.properties {
            let first = fields.iter().find(|(n, _)| n == name).map(|(_, id)| *id);
            if first.is_some_and(|f| f != pid) {
                later.insert(name.clone(), w.schema(pid));
            }
        }
        if !later.is_empty() {
            all.push(json!({ "properties": later }));
        }
        for (key, list) in [("oneOf", &s.one_of), ("anyOf", &s.any_of)] {
            if !list.is_empty() {
                let items: Vec<Value> = list.iter().map(|&v| w.schema(v)).collect();
                all.push(json!({ key: items }));
            }
        }
    }
    let body = match all.len() {
        0 => return None,
        1 => all.pop().unwrap_or_default(),
        _ => json!({ "allOf": all }),
    };
    Some(w.finish(body).to_string())
}

/// `oneOf` of the variants, for untagged unions: JSON Schema wants exactly one to match, which
/// decoding (first that fits) does not check.
pub fn one_of_residual(doc: &Document, variants: &[SchemaId]) -> String {
    let mut w = Writer::new(doc);
    let items: Vec<Value> = variants.iter().map(|&v| w.schema(v)).collect();
    w.finish(json!({ "oneOf": items })).to_string()
}

/// The whole of schema `id`, for values the Rust type leaves open (`serde_json::Value`); `None`
/// when it allows anything.
pub fn whole(doc: &Document, id: SchemaId) -> Option<String> {
    let mut w = Writer::new(doc);
    let v = w.schema(id);
    match &v {
        Value::Bool(true) => None,
        Value::Object(m) if m.is_empty() => None,
        _ => Some(w.finish(v).to_string()),
    }
}

/// Writes schemas as JSON Schema text: named schemas (and any schema met again inside itself) go
/// under `$defs` once and are referenced from everywhere else.
struct Writer<'a> {
    doc: &'a Document,
    defs: IndexMap<SchemaId, Value>,
    stack: HashSet<SchemaId>,
}

impl<'a> Writer<'a> {
    fn new(doc: &'a Document) -> Self {
        Writer {
            doc,
            defs: IndexMap::new(),
            stack: HashSet::new(),
        }
    }

    fn def_name(id: SchemaId) -> String {
        format!("s{}", id.index())
    }

    fn finish(self, body: Value) -> Value {
        if self.defs.is_empty() {
            return body;
        }
        let defs: Map<String, Value> = self
            .defs
            .into_iter()
            .map(|(id, v)| (Self::def_name(id), v))
            .collect();
        match body {
            Value::Object(mut m) => {
                m.insert("$defs".into(), Value::Object(defs));
                Value::Object(m)
            }
            other => json!({ "$defs": defs, "allOf": [other] }),
        }
    }

    fn schema_map(&mut self, map: &IndexMap<String, SchemaId>) -> Value {
        Value::Object(
            map.iter()
                .map(|(k, &v)| (k.clone(), self.schema(v)))
                .collect(),
        )
    }

    fn list(&mut self, ids: &[SchemaId]) -> Value {
        Value::Array(ids.iter().map(|&v| self.schema(v)).collect())
    }

    /// The schema, inline or as a `$ref` to `$defs`.
    fn schema(&mut self, id: SchemaId) -> Value {
        let s = &self.doc[id];
        if let Some(b) = s.boolean {
            return Value::Bool(b);
        }
        let shared = s.name.is_some() || self.stack.contains(&id);
        if !shared {
            self.stack.insert(id);
            let v = self.body(id);
            self.stack.remove(&id);
            return v;
        }
        if !self.defs.contains_key(&id) {
            self.defs.insert(id, Value::Bool(true));
            self.stack.insert(id);
            let v = self.body(id);
            self.stack.remove(&id);
            self.defs.insert(id, v);
        }
        json!({ "$ref": format!("#/$defs/{}", Self::def_name(id)) })
    }

    fn body(&mut self, id: SchemaId) -> Value {
        let s: &Schema = &self.doc[id];
        let mut m = Map::new();
        if !s.types.is_empty() {
            let mut types: Vec<Value> = s.types.iter().map(|t| json!(t.as_str())).collect();
            if s.nullable && !s.types.contains(&JsonType::Null) {
                types.push(json!("null"));
            }
            m.insert("type".into(), Value::Array(types));
        }
        if let Some(v) = &s.enum_values {
            m.insert("enum".into(), Value::Array(v.clone()));
        }
        if let Some(v) = &s.const_value {
            m.insert("const".into(), v.clone());
        }
        if let Some(v) = &s.format {
            m.insert("format".into(), json!(v));
        }
        if let Some(p) = s.pattern.as_ref().filter(|p| pattern_error(p).is_none()) {
            m.insert("pattern".into(), json!(p));
        }
        let counts = [
            ("minLength", s.min_length),
            ("maxLength", s.max_length),
            ("minItems", s.min_items),
            ("maxItems", s.max_items),
            ("minProperties", s.min_properties),
            ("maxProperties", s.max_properties),
        ];
        for (key, v) in counts {
            if let Some(v) = v {
                m.insert(key.into(), v.into());
            }
        }
        let numbers = [
            ("minimum", &s.minimum),
            ("maximum", &s.maximum),
            ("exclusiveMinimum", &s.exclusive_minimum),
            ("exclusiveMaximum", &s.exclusive_maximum),
            ("multipleOf", &s.multiple_of),
        ];
        for (key, v) in numbers {
            if let Some(v) = v {
                m.insert(key.into(), Value::Number(v.clone()));
            }
        }
        if s.unique_items {
            m.insert("uniqueItems".into(), true.into());
        }
        if !s.properties.is_empty() {
            m.insert("properties".into(), self.schema_map(&s.properties));
        }
        if !s.required.is_empty() {
            m.insert("required".into(), json!(s.required));
        }
        if !s.pattern_properties.is_empty() {
            m.insert(
                "patternProperties".into(),
                self.schema_map(&s.pattern_properties),
            );
        }
        if !s.dependent_required.is_empty() {
            m.insert("dependentRequired".into(), json!(s.dependent_required));
        }
        if !s.dependent_schemas.is_empty() {
            m.insert(
                "dependentSchemas".into(),
                self.schema_map(&s.dependent_schemas),
            );
        }
        if !s.prefix_items.is_empty() {
            m.insert("prefixItems".into(), self.list(&s.prefix_items));
        }
        for key in ["minContains", "maxContains"] {
            if let Some(v) = s.other.get(key) {
                m.insert(key.into(), v.clone());
            }
        }
        for (key, list) in [
            ("allOf", &s.all_of),
            ("anyOf", &s.any_of),
            ("oneOf", &s.one_of),
        ] {
            if !list.is_empty() {
                m.insert(key.into(), self.list(list));
            }
        }
        let singles = [
            ("additionalProperties", s.additional_properties),
            ("propertyNames", s.property_names),
            ("items", s.items),
            ("contains", s.contains),
            ("not", s.not),
            ("if", s.if_schema),
            ("then", s.then_schema),
            ("else", s.else_schema),
        ];
        for (key, sub) in singles {
            if let Some(sub) = sub {
                m.insert(key.into(), self.schema(sub));
            }
        }
        if let Some(target) = s.reference {
            // A `$ref` with siblings: both apply, so the target joins through `allOf`.
            let r = self.schema(target);
            let all = m.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = all {
                list.push(r);
            }
        }
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LoadOptions, load_str};

    fn doc(yaml: &str) -> Document {
        let loaded = load_str("t.yaml", yaml, &LoadOptions::default());
        loaded.into_result().expect("loads").0
    }

    #[test]
    fn residual_keeps_only_what_types_cannot_say() {
        let d = doc(r#"
asyncapi: 3.0.0
info: { title: t, version: '1' }
components:
  schemas:
    Name:
      type: string
      maxLength: 8
      pattern: '^[a-z]+$'
      not: { const: admin }
    Kind: { enum: [a, b] }
    Mixed: { enum: [a, 1] }
    Node:
      type: object
      properties: { next: { $ref: '#/components/schemas/Node' } }
      if: { required: [next] }
      then: { properties: { next: { $ref: '#/components/schemas/Node' } } }
    Look: { pattern: '(?<=a)b' }
"#);
        let id = |n: &str| d.components.schemas[n];
        let name = rules_of(&d, id("Name"));
        assert_eq!(name.string.as_ref().unwrap().max_length, Some(8));
        assert_eq!(
            name.residual.as_deref(),
            Some(r#"{"not":{"const":"admin"}}"#)
        );
        assert!(rules_of(&d, id("Kind")).is_empty());
        assert_eq!(
            rules_of(&d, id("Mixed")).residual.as_deref(),
            Some(r#"{"enum":["a",1]}"#)
        );
        let node = rules_of(&d, id("Node")).residual.unwrap();
        let v: Value = serde_json::from_str(&node).unwrap();
        assert!(
            v["$defs"].is_object(),
            "recursion goes through $defs: {node}"
        );
        let look = rules_of(&d, id("Look"));
        assert!(look.string.is_none() && look.unusable_pattern.is_some());
    }
}
