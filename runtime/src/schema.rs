//! A JSON Schema evaluator over [`serde_json::Value`].
//!
//! Generated types check most constraints with typed code; the keywords a Rust type cannot
//! express — `not`, `if`/`then`/`else`, `const` and `enum` on non-enum types, `contains`,
//! `dependentRequired`, `dependentSchemas`, `propertyNames`, `oneOf`/`anyOf` next to properties,
//! property constraints repeated by several `allOf` parts — are checked by this evaluator on the
//! JSON form of the value. The generator embeds each such schema as JSON text, with every
//! schema it references under `$defs`.
//!
//! Supported keywords: `type` (and OpenAPI `nullable`), `enum`, `const`, `properties`,
//! `required`, `additionalProperties`, `patternProperties`, `propertyNames`, `minProperties`,
//! `maxProperties`, `dependentRequired`, `dependentSchemas`, `items` (schema or draft-07 array),
//! `prefixItems`, `additionalItems`, `contains`, `minContains`, `maxContains`, `minItems`,
//! `maxItems`, `uniqueItems`, `minLength`, `maxLength`, `pattern`, `format` (see
//! [`formats`](crate::formats)), `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`
//! (number or draft-04 boolean), `multipleOf`, `allOf`, `anyOf`, `oneOf`, `not`, `if`, `then`,
//! `else`, and `$ref` to `#` or `#/$defs/<name>`. Annotations are ignored.
//!
//! ```
//! use asyncapi_runtime::schema::Schema;
//! use serde_json::json;
//!
//! let schema = Schema::compile(&json!({"not": {"const": "admin"}, "maxLength": 8})).unwrap();
//! assert!(schema.validate(&json!("guest")).is_ok());
//! let err = schema.validate(&json!("admin")).unwrap_err();
//! assert_eq!(err.iter().next().unwrap().keyword, "not");
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::validate::{Path, Violations, check};

/// Why a schema could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schema at `{pointer}`: {message}")]
pub struct SchemaError {
    /// Where in the schema.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

/// A compiled schema.
#[derive(Debug)]
pub struct Schema {
    nodes: Vec<Node>,
    root: usize,
}

#[derive(Debug)]
enum Node {
    Bool(bool),
    Keywords(Box<Keywords>),
    /// A `$ref`, resolved to a node once every definition is compiled.
    Ref(usize),
}

#[derive(Debug, Default)]
struct Keywords {
    types: Option<Vec<String>>,
    nullable: bool,
    enum_values: Option<Vec<Value>>,
    const_value: Option<Value>,
    properties: Vec<(String, usize)>,
    required: Vec<String>,
    additional_properties: Option<usize>,
    pattern_properties: Vec<(regex_lite::Regex, usize)>,
    property_names: Option<usize>,
    min_properties: Option<u64>,
    max_properties: Option<u64>,
    dependent_required: Vec<(String, Vec<String>)>,
    dependent_schemas: Vec<(String, usize)>,
    items: Option<usize>,
    prefix_items: Vec<usize>,
    contains: Option<usize>,
    min_contains: Option<u64>,
    max_contains: Option<u64>,
    min_items: Option<u64>,
    max_items: Option<u64>,
    unique_items: bool,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<regex_lite::Regex>,
    format: Option<String>,
    numbers: check::NumberRules,
    all_of: Vec<usize>,
    any_of: Vec<usize>,
    one_of: Vec<usize>,
    not: Option<usize>,
    if_then_else: Option<(usize, Option<usize>, Option<usize>)>,
    reference: Option<usize>,
}

struct Compiler {
    nodes: Vec<Node>,
    defs: HashMap<String, usize>,
    pending_refs: Vec<(usize, String, String)>,
}

impl Schema {
    /// Compiles a schema; `$ref`s may point at `#` or at `#/$defs/<name>` of this value.
    pub fn compile(value: &Value) -> Result<Schema, SchemaError> {
        let mut c = Compiler {
            nodes: Vec::new(),
            defs: HashMap::new(),
            pending_refs: Vec::new(),
        };
        let root = c.reserve();
        if let Some(defs) = value.get("$defs").and_then(Value::as_object) {
            for name in defs.keys() {
                let id = c.reserve();
                c.defs.insert(name.clone(), id);
            }
            for (name, def) in defs {
                let id = c.defs[name];
                c.fill(id, def, &format!("/$defs/{}", escape(name)))?;
            }
        }
        c.fill(root, value, "")?;
        for (node, reference, pointer) in std::mem::take(&mut c.pending_refs) {
            let target = if reference == "#" {
                root
            } else {
                let name = reference
                    .strip_prefix("#/$defs/")
                    .map(|n| n.replace("~1", "/").replace("~0", "~"));
                match name.and_then(|n| c.defs.get(&n).copied()) {
                    Some(t) => t,
                    None => {
                        return Err(SchemaError {
                            pointer,
                            message: format!("unsupported or unknown `$ref` {reference:?}"),
                        });
                    }
                }
            };
            c.nodes[node] = Node::Ref(target);
        }
        Ok(Schema {
            nodes: c.nodes,
            root,
        })
    }

    /// Checks `value`, returning every violation.
    pub fn validate(&self, value: &Value) -> Result<(), Violations> {
        let mut out = Violations::new();
        self.validate_at(value, &Path::Root, &mut out);
        out.into_result()
    }

    /// Checks `value`, which sits at `path`, adding every violation to `out`.
    pub fn validate_at(&self, value: &Value, path: &Path<'_>, out: &mut Violations) {
        self.eval(self.root, value, path, out, 0);
    }

    /// Whether `value` is valid against node `id` (violations are not kept).
    fn is_valid(&self, id: usize, value: &Value, depth: usize) -> bool {
        let mut scratch = Violations::new();
        self.eval(id, value, &Path::Root, &mut scratch, depth);
        scratch.is_empty()
    }

    fn eval(&self, id: usize, value: &Value, path: &Path<'_>, out: &mut Violations, depth: usize) {
        if depth > 256 {
            out.push(path, "$ref", "schema references nest too deeply");
            return;
        }
        let k = match &self.nodes[id] {
            Node::Bool(true) => return,
            Node::Bool(false) => {
                out.push(path, "false", "no value is allowed here");
                return;
            }
            Node::Ref(target) => return self.eval(*target, value, path, out, depth + 1),
            Node::Keywords(k) => k,
        };
        let d = depth + 1;
        if let Some(target) = k.reference {
            self.eval(target, value, path, out, d);
        }
        if let Some(types) = &k.types {
            let ok = types.iter().any(|t| has_type(value, t)) || (k.nullable && value.is_null());
            if !ok {
                out.push(
                    path,
                    "type",
                    format!("{} is not of type {}", json_kind(value), types.join(" or ")),
                );
                return;
            }
        }
        if let Some(values) = &k.enum_values {
            let allowed =
                values.iter().any(|v| json_eq(v, value)) || (k.nullable && value.is_null());
            if !allowed {
                out.push(
                    path,
                    "enum",
                    format!("{value} is not one of the allowed values"),
                );
            }
        }
        if let Some(c) = &k.const_value
            && !json_eq(c, value)
        {
            out.push(path, "const", format!("{value} is not {c}"));
        }
        match value {
            Value::String(s) => {
                let rules = check::StringRules {
                    min_length: k.min_length,
                    max_length: k.max_length,
                    pattern: None,
                    format: None,
                };
                check::string(s, &rules, path, out);
                if let Some(re) = &k.pattern
                    && !re.is_match(s)
                {
                    out.push(path, "pattern", format!("{s:?} does not match `{re}`"));
                }
                if let Some(format) = &k.format
                    && crate::formats::check(format, s) == Some(false)
                {
                    out.push(path, "format", format!("{s:?} is not a valid {format}"));
                }
            }
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    check::number(i, &k.numbers, path, out);
                } else if let Some(u) = n.as_u64() {
                    check::number(u, &k.numbers, path, out);
                } else if let Some(f) = n.as_f64() {
                    check::number(f, &k.numbers, path, out);
                }
            }
            Value::Array(items) => self.eval_array(k, items, path, out, d),
            Value::Object(map) => self.eval_object(k, map, path, out, d),
            _ => {}
        }
        for &part in &k.all_of {
            self.eval(part, value, path, out, d);
        }
        if !k.any_of.is_empty() && !k.any_of.iter().any(|&s| self.is_valid(s, value, d)) {
            out.push(path, "anyOf", "matches none of the `anyOf` schemas");
        }
        if !k.one_of.is_empty() {
            let matching = k
                .one_of
                .iter()
                .filter(|&&s| self.is_valid(s, value, d))
                .count();
            if matching != 1 {
                out.push(
                    path,
                    "oneOf",
                    format!("matches {matching} of the `oneOf` schemas, not exactly one"),
                );
            }
        }
        if let Some(not) = k.not
            && self.is_valid(not, value, d)
        {
            out.push(path, "not", "matches the schema under `not`");
        }
        if let Some((cond, then, otherwise)) = k.if_then_else {
            let branch = if self.is_valid(cond, value, d) {
                then
            } else {
                otherwise
            };
            if let Some(branch) = branch {
                self.eval(branch, value, path, out, d);
            }
        }
    }

    fn eval_array(
        &self,
        k: &Keywords,
        items: &[Value],
        path: &Path<'_>,
        out: &mut Violations,
        d: usize,
    ) {
        let rules = check::ArrayRules {
            min_items: k.min_items,
            max_items: k.max_items,
            unique: false,
        };
        check::array(items, &rules, path, out);
        if k.unique_items
            && let Some((j, i)) = first_duplicate(items)
        {
            out.push(path, "uniqueItems", format!("items {j} and {i} are equal"));
        }
        for (i, item) in items.iter().enumerate() {
            let schema = k.prefix_items.get(i).copied().or(k.items);
            if let Some(schema) = schema {
                self.eval(schema, item, &path.index(i), out, d);
            }
        }
        if let Some(contains) = k.contains {
            let n = items
                .iter()
                .filter(|v| self.is_valid(contains, v, d))
                .count() as u64;
            let min = k.min_contains.unwrap_or(1);
            if n < min {
                out.push(
                    path,
                    "contains",
                    format!("{n} items match `contains`, fewer than {min}"),
                );
            }
            if let Some(max) = k.max_contains.filter(|&m| n > m) {
                out.push(
                    path,
                    "maxContains",
                    format!("{n} items match `contains`, more than {max}"),
                );
            }
        }
    }

    fn eval_object(
        &self,
        k: &Keywords,
        map: &Map<String, Value>,
        path: &Path<'_>,
        out: &mut Violations,
        d: usize,
    ) {
        for name in &k.required {
            if !map.contains_key(name) {
                out.push(
                    path,
                    "required",
                    format!("the property `{name}` is missing"),
                );
            }
        }
        check::properties(map.len(), k.min_properties, k.max_properties, path, out);
        for (name, required) in &k.dependent_required {
            if map.contains_key(name) {
                for r in required {
                    if !map.contains_key(r) {
                        out.push(
                            path,
                            "dependentRequired",
                            format!("`{name}` is present, so `{r}` is required"),
                        );
                    }
                }
            }
        }
        for (name, schema) in &k.dependent_schemas {
            if map.contains_key(name) {
                self.eval(*schema, &Value::Object(map.clone()), path, out, d);
            }
        }
        for (key, value) in map {
            let child = path.key(key);
            let mut matched = false;
            if let Some((_, schema)) = k.properties.iter().find(|(n, _)| n == key) {
                matched = true;
                self.eval(*schema, value, &child, out, d);
            }
            for (re, schema) in &k.pattern_properties {
                if re.is_match(key) {
                    matched = true;
                    self.eval(*schema, value, &child, out, d);
                }
            }
            if !matched && let Some(additional) = k.additional_properties {
                self.eval(additional, value, &child, out, d);
            }
            if let Some(names) = k.property_names {
                self.eval(names, &Value::String(key.clone()), &child, out, d);
            }
        }
    }
}

impl Compiler {
    fn reserve(&mut self) -> usize {
        self.nodes.push(Node::Bool(true));
        self.nodes.len() - 1
    }

    fn sub(&mut self, value: &Value, pointer: &str) -> Result<usize, SchemaError> {
        let id = self.reserve();
        self.fill(id, value, pointer)?;
        Ok(id)
    }

    fn subs(&mut self, value: &Value, pointer: &str) -> Result<Vec<usize>, SchemaError> {
        let list = value
            .as_array()
            .ok_or_else(|| err(pointer, "expected an array"))?;
        list.iter()
            .enumerate()
            .map(|(i, v)| self.sub(v, &format!("{pointer}/{i}")))
            .collect()
    }

    fn fill(&mut self, id: usize, value: &Value, pointer: &str) -> Result<(), SchemaError> {
        let map = match value {
            Value::Bool(b) => {
                self.nodes[id] = Node::Bool(*b);
                return Ok(());
            }
            Value::Object(map) => map,
            _ => return Err(err(pointer, "a schema is an object or a boolean")),
        };
        let mut k = Keywords::default();
        let at = |key: &str| format!("{pointer}/{}", escape(key));
        let uint = |key: &str, v: &Value| -> Result<u64, SchemaError> {
            v.as_u64()
                .ok_or_else(|| err(&at(key), "expected a non-negative integer"))
        };
        let float = |key: &str, v: &Value| -> Result<f64, SchemaError> {
            v.as_f64().ok_or_else(|| err(&at(key), "expected a number"))
        };
        let regex = |key: &str, v: &str| -> Result<regex_lite::Regex, SchemaError> {
            regex_lite::Regex::new(v).map_err(|e| err(&at(key), &e.to_string()))
        };
        let mut exclusive_draft4 = (false, false);
        for (key, v) in map {
            let p = at(key);
            match key.as_str() {
                "type" => {
                    k.types = Some(match v {
                        Value::String(s) => vec![s.clone()],
                        Value::Array(list) => list
                            .iter()
                            .map(|t| t.as_str().map(str::to_owned))
                            .collect::<Option<_>>()
                            .ok_or_else(|| err(&p, "expected type names"))?,
                        _ => return Err(err(&p, "expected a type name")),
                    })
                }
                "nullable" | "x-nullable" => k.nullable = v.as_bool() == Some(true),
                "enum" => k.enum_values = v.as_array().cloned(),
                "const" => k.const_value = Some(v.clone()),
                "properties" => {
                    let props = v.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                    for (name, s) in props {
                        let sid = self.sub(s, &format!("{p}/{}", escape(name)))?;
                        k.properties.push((name.clone(), sid));
                    }
                }
                "required" => {
                    k.required = strings(v).ok_or_else(|| err(&p, "expected strings"))?;
                }
                "additionalProperties" => k.additional_properties = Some(self.sub(v, &p)?),
                "patternProperties" => {
                    let props = v.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                    for (re, s) in props {
                        let sid = self.sub(s, &format!("{p}/{}", escape(re)))?;
                        k.pattern_properties.push((regex(key, re)?, sid));
                    }
                }
                "propertyNames" => k.property_names = Some(self.sub(v, &p)?),
                "minProperties" => k.min_properties = Some(uint(key, v)?),
                "maxProperties" => k.max_properties = Some(uint(key, v)?),
                "dependentRequired" => {
                    let deps = v.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                    for (name, list) in deps {
                        let list = strings(list).ok_or_else(|| err(&p, "expected strings"))?;
                        k.dependent_required.push((name.clone(), list));
                    }
                }
                "dependentSchemas" => {
                    let deps = v.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                    for (name, s) in deps {
                        let sid = self.sub(s, &format!("{p}/{}", escape(name)))?;
                        k.dependent_schemas.push((name.clone(), sid));
                    }
                }
                "items" if v.is_array() => k.prefix_items = self.subs(v, &p)?,
                // `additionalItems` only matters next to an array-form `items`; a schema `items`
                // (2020-12) applies after `prefixItems`. Both land in `items`.
                "items" => k.items = Some(self.sub(v, &p)?),
                "additionalItems" if map.get("items").is_some_and(Value::is_array) => {
                    k.items = Some(self.sub(v, &p)?)
                }
                "prefixItems" => k.prefix_items = self.subs(v, &p)?,
                "contains" => k.contains = Some(self.sub(v, &p)?),
                "minContains" => k.min_contains = Some(uint(key, v)?),
                "maxContains" => k.max_contains = Some(uint(key, v)?),
                "minItems" => k.min_items = Some(uint(key, v)?),
                "maxItems" => k.max_items = Some(uint(key, v)?),
                "uniqueItems" => k.unique_items = v.as_bool() == Some(true),
                "minLength" => k.min_length = Some(uint(key, v)?),
                "maxLength" => k.max_length = Some(uint(key, v)?),
                "pattern" => {
                    let source = v.as_str().ok_or_else(|| err(&p, "expected a string"))?;
                    k.pattern = Some(regex(key, source)?);
                }
                "format" => k.format = v.as_str().map(str::to_owned),
                "minimum" => k.numbers.minimum = Some(float(key, v)?),
                "maximum" => k.numbers.maximum = Some(float(key, v)?),
                "exclusiveMinimum" => match v {
                    Value::Bool(b) => exclusive_draft4.0 = *b,
                    _ => k.numbers.exclusive_minimum = Some(float(key, v)?),
                },
                "exclusiveMaximum" => match v {
                    Value::Bool(b) => exclusive_draft4.1 = *b,
                    _ => k.numbers.exclusive_maximum = Some(float(key, v)?),
                },
                "multipleOf" => k.numbers.multiple_of = Some(float(key, v)?),
                "allOf" => k.all_of = self.subs(v, &p)?,
                "anyOf" => k.any_of = self.subs(v, &p)?,
                "oneOf" => k.one_of = self.subs(v, &p)?,
                "not" => k.not = Some(self.sub(v, &p)?),
                "if" => {
                    let cond = self.sub(v, &p)?;
                    let then = map
                        .get("then")
                        .map(|t| self.sub(t, &at("then")))
                        .transpose()?;
                    let otherwise = map
                        .get("else")
                        .map(|e| self.sub(e, &at("else")))
                        .transpose()?;
                    k.if_then_else = Some((cond, then, otherwise));
                }
                "$ref" => {
                    let reference = v.as_str().ok_or_else(|| err(&p, "expected a string"))?;
                    let node = self.reserve();
                    self.pending_refs.push((node, reference.to_owned(), p));
                    k.reference = Some(node);
                }
                _ => {}
            }
        }
        // Draft-04 booleans turn `minimum`/`maximum` exclusive.
        if exclusive_draft4.0 {
            k.numbers.exclusive_minimum = k.numbers.minimum.take();
        }
        if exclusive_draft4.1 {
            k.numbers.exclusive_maximum = k.numbers.maximum.take();
        }
        self.nodes[id] = Node::Keywords(Box::new(k));
        Ok(())
    }
}

fn err(pointer: &str, message: &str) -> SchemaError {
    SchemaError {
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value
                .as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.is_finite())
                || value.is_i64()
                || value.is_u64()
        }
        _ => false,
    }
}

/// How a JSON value is named in messages: `a string`, `an object`, `null`, ...
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// JSON equality, with numbers compared by value (`1` equals `1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The first item equal ([`json_eq`]) to an earlier one, as (earlier, later), the later index
/// smallest and the earlier the first equal to it; `None` when all differ.
///
/// In O(n log n) plus the items' size, not O(n²): each item is hashed in a form in which equal
/// values agree (object keys in order, numbers by value), with a key drawn at random for the
/// process so that a peer cannot choose items whose hashes collide; the items are sorted by
/// hash, and only items of equal hash are compared.
pub fn first_duplicate(items: &[Value]) -> Option<(usize, usize)> {
    use std::hash::{BuildHasher, Hasher};
    static KEYS: OnceLock<std::collections::hash_map::RandomState> = OnceLock::new();
    let keys = KEYS.get_or_init(std::collections::hash_map::RandomState::new);
    let mut hashed: Vec<(u64, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut hasher = keys.build_hasher();
            canonical_hash(item, &mut hasher);
            (hasher.finish(), i)
        })
        .collect();
    hashed.sort_unstable();
    let mut found: Option<(usize, usize)> = None;
    for run in hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        // Within a run (in index order), the first item equal to an earlier one.
        for (n, &(_, i)) in run.iter().enumerate() {
            if found.is_some_and(|(_, best)| best <= i) {
                break;
            }
            if let Some(&(_, j)) = run[..n]
                .iter()
                .find(|(_, j)| json_eq(&items[*j], &items[i]))
            {
                found = Some((j, i));
                break;
            }
        }
    }
    found
}

/// Feeds `value` to `hasher` so that values [`json_eq`] holds equal hash alike.
fn canonical_hash(value: &Value, hasher: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    match value {
        Value::Null => hasher.write_u8(0),
        Value::Bool(b) => {
            hasher.write_u8(1);
            b.hash(hasher);
        }
        Value::Number(n) => {
            hasher.write_u8(2);
            match n.as_f64() {
                // -0.0 and 0.0 are one number.
                Some(f) => (if f == 0.0 { 0.0f64 } else { f }).to_bits().hash(hasher),
                None => n.to_string().hash(hasher),
            }
        }
        Value::String(s) => {
            hasher.write_u8(3);
            s.hash(hasher);
        }
        Value::Array(items) => {
            hasher.write_u8(4);
            hasher.write_usize(items.len());
            for item in items {
                canonical_hash(item, hasher);
            }
        }
        Value::Object(map) => {
            hasher.write_u8(5);
            hasher.write_usize(map.len());
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_unstable();
            for key in keys {
                key.hash(hasher);
                canonical_hash(&map[key], hasher);
            }
        }
    }
}

/// A schema embedded in generated code as JSON text, compiled the first time it is used.
#[derive(Debug)]
pub struct LazySchema {
    source: &'static str,
    compiled: OnceLock<Result<Schema, String>>,
}

impl LazySchema {
    /// A schema from its JSON text.
    pub const fn new(source: &'static str) -> LazySchema {
        LazySchema {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The compiled schema, or why the text is not one.
    pub fn get(&self) -> Result<&Schema, &str> {
        self.compiled
            .get_or_init(|| {
                let value: Value = serde_json::from_str(self.source).map_err(|e| e.to_string())?;
                Schema::compile(&value).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// Checks `value`, which sits at `path`; a schema that does not compile is reported as a
    /// violation rather than a panic.
    pub fn validate_at(&self, value: &Value, path: &Path<'_>, out: &mut Violations) {
        match self.get() {
            Ok(schema) => schema.validate_at(value, path, out),
            Err(e) => out.push(
                path,
                "$schema",
                format!("the embedded schema is invalid: {e}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn keywords(schema: &Value, value: &Value) -> Vec<(String, &'static str)> {
        let s = Schema::compile(schema).unwrap();
        match s.validate(value) {
            Ok(()) => Vec::new(),
            Err(v) => v.iter().map(|v| (v.pointer.clone(), v.keyword)).collect(),
        }
    }

    #[test]
    fn conditionals_and_combinators() {
        let schema = json!({
            "type": "object",
            "properties": {"kind": {"enum": ["a", "b"]}, "n": {"type": "integer"}},
            "if": {"properties": {"kind": {"const": "a"}}},
            "then": {"required": ["n"]},
            "else": {"not": {"required": ["n"]}},
            "dependentRequired": {"x": ["y"]},
        });
        assert!(keywords(&schema, &json!({"kind": "a", "n": 1})).is_empty());
        assert_eq!(
            keywords(&schema, &json!({"kind": "a"})),
            [("".to_owned(), "required")]
        );
        assert_eq!(
            keywords(&schema, &json!({"kind": "b", "n": 2, "x": 1})),
            [("".to_owned(), "dependentRequired"), ("".to_owned(), "not")]
        );
        let one_of = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
        assert_eq!(keywords(&one_of, &json!(1)), [("".to_owned(), "oneOf")]);
        assert!(keywords(&one_of, &json!(1.5)).is_empty());
    }

    #[test]
    fn refs_to_defs_and_recursion() {
        let schema = json!({
            "$defs": {"node": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string", "minLength": 1},
                               "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}
            }},
            "$ref": "#/$defs/node"
        });
        let v = json!({"name": "a", "children": [{"name": ""}, {"children": []}]});
        assert_eq!(
            keywords(&schema, &v),
            [
                ("/children/0/name".to_owned(), "minLength"),
                ("/children/1".to_owned(), "required")
            ]
        );
        assert!(Schema::compile(&json!({"$ref": "other.json"})).is_err());
    }

    #[test]
    fn arrays_and_numbers() {
        let schema = json!({
            "items": [{"type": "string"}],
            "additionalItems": {"type": "integer", "exclusiveMinimum": 0},
            "contains": {"const": 3},
            "uniqueItems": true
        });
        assert!(keywords(&schema, &json!(["a", 3, 4])).is_empty());
        assert_eq!(
            keywords(&schema, &json!(["a", 0, 1.0, 1])),
            [
                ("".to_owned(), "uniqueItems"),
                ("/1".to_owned(), "exclusiveMinimum"),
                ("".to_owned(), "contains")
            ]
        );
        let draft4 = json!({"minimum": 5, "exclusiveMinimum": true});
        assert_eq!(
            keywords(&draft4, &json!(5)),
            [("".to_owned(), "exclusiveMinimum")]
        );
    }

    #[test]
    fn invalid_embedded_schemas_do_not_panic() {
        static BAD: LazySchema = LazySchema::new("{\"pattern\": \"(\"}");
        let mut out = Violations::new();
        BAD.validate_at(&json!("x"), &Path::Root, &mut out);
        assert_eq!(out.iter().next().unwrap().keyword, "$schema");
    }

    /// What `first_duplicate` must say: the quadratic definition.
    fn quadratic(items: &[Value]) -> Option<(usize, usize)> {
        items.iter().enumerate().find_map(|(i, a)| {
            items[..i]
                .iter()
                .position(|b| json_eq(a, b))
                .map(|j| (j, i))
        })
    }

    #[test]
    fn duplicates_are_found_as_json_values() {
        let v = |text: &str| -> Vec<Value> { serde_json::from_str(text).unwrap() };
        assert_eq!(first_duplicate(&v("[1, 2, 3]")), None);
        assert_eq!(first_duplicate(&v("[1, 2, 1.0]")), Some((0, 2)));
        assert_eq!(first_duplicate(&v("[0, -0.0]")), Some((0, 1)));
        assert_eq!(
            first_duplicate(&v(r#"[{"a": 1, "b": [true]}, {"b": [true], "a": 1.0}]"#)),
            Some((0, 1))
        );
        assert_eq!(first_duplicate(&v(r#"[[1, 2], [2, 1]]"#)), None);
        assert_eq!(first_duplicate(&v(r#"["1", 1, null, false]"#)), None);
        // The later index smallest, then the first earlier one equal to it.
        assert_eq!(first_duplicate(&v("[5, 7, 7, 5, 5]")), Some((1, 2)));
    }

    #[test]
    fn duplicates_agree_with_the_quadratic_definition() {
        // A small generator of arrays with many near-equal items.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..500 {
            let len = next(12) as usize;
            let items: Vec<Value> = (0..len)
                .map(|_| match next(5) {
                    0 => json!(next(4)),
                    1 => json!(next(4) as f64),
                    2 => json!({"k": next(3), "j": next(2)}),
                    3 => json!([next(2), next(2)]),
                    _ => json!(format!("{}", next(3))),
                })
                .collect();
            assert_eq!(first_duplicate(&items), quadratic(&items), "{items:?}");
        }
    }
}
