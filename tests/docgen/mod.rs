//! A generator of AsyncAPI documents that walks what JSON Schema and AsyncAPI allow where the
//! code generator plans a type: every schema shape of [`shapes`] in every position of
//! [`Position`] (component schema, payload, property, array item, map value, headers, channel
//! parameter, WebSocket query and headers, HTTP query, Kafka key), and random nestings of the
//! shapes for a timed run ([`random_document`]).

#![allow(dead_code)] // The timed mode uses part of it.

use serde_json::{Map, Value, json};

/// One schema shape: the schema, and the component schemas it refers to.
#[derive(Clone, Debug)]
pub struct Shape {
    pub name: &'static str,
    pub schema: Value,
    pub components: Map<String, Value>,
}

fn shape(name: &'static str, schema: Value) -> Shape {
    Shape {
        name,
        schema,
        components: Map::new(),
    }
}

fn with_components(name: &'static str, schema: Value, components: Value) -> Shape {
    Shape {
        name,
        schema,
        components: components.as_object().cloned().unwrap_or_default(),
    }
}

/// Every shape, each a kind of schema the type planner meets.
pub fn shapes() -> Vec<Shape> {
    let mut all = vec![
        shape("empty", json!({})),
        shape("true", json!(true)),
        shape("false", json!(false)),
        shape("free_object", json!({"type": "object"})),
        shape("free_array", json!({"type": "array"})),
        shape(
            "object_any_values",
            json!({"type": "object", "additionalProperties": true}),
        ),
        shape(
            "closed_object",
            json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false}),
        ),
        shape(
            "empty_closed_object",
            json!({"type": "object", "additionalProperties": false}),
        ),
        shape(
            "object_typed_extras",
            json!({"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": {"type": "string"}}),
        ),
        shape(
            "pattern_properties",
            json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}}),
        ),
        shape(
            "pattern_and_additional",
            json!({"type": "object", "patternProperties": {"^n": {"type": "number"}}, "additionalProperties": false}),
        ),
        shape(
            "object_no_type",
            json!({"properties": {"a": {"type": "boolean"}}, "required": ["a"]}),
        ),
        shape(
            "array_of_objects",
            json!({"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}}),
        ),
        shape(
            "array_of_arrays",
            json!({"type": "array", "items": {"type": "array", "items": {"type": "integer"}}}),
        ),
        shape(
            "tuple",
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}),
        ),
        shape(
            "long_tuple",
            json!({"type": "array", "prefixItems": [
                {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
                {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
                {"type": "string"}, {"type": "integer"}, {"type": "number"}, {"type": "boolean"},
                {"type": "string"}, {"type": "integer"}
            ], "items": false}),
        ),
        shape(
            "tuple_in_map",
            json!({"type": "object", "additionalProperties": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}}),
        ),
        shape(
            "tuple_draft7",
            json!({"type": "array", "items": [{"type": "string"}, {"type": "boolean"}], "additionalItems": false}),
        ),
        shape(
            "unique_items",
            json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true, "minItems": 1}),
        ),
        shape(
            "contains",
            json!({"type": "array", "contains": {"const": 3}}),
        ),
    ];
    for t in ["string", "integer", "number", "boolean", "null"] {
        all.push(Shape {
            name: match t {
                "string" => "type_string",
                "integer" => "type_integer",
                "number" => "type_number",
                "boolean" => "type_boolean",
                _ => "type_null",
            },
            schema: json!({ "type": t }),
            components: Map::new(),
        });
    }
    all.extend([
        shape("types_string_null", json!({"type": ["string", "null"]})),
        shape("types_string_integer", json!({"type": ["string", "integer"]})),
        shape("types_integer_number", json!({"type": ["integer", "number"]})),
        shape("types_object_array", json!({"type": ["object", "array"]})),
        shape("types_all", json!({"type": ["string", "integer", "number", "boolean", "object", "array", "null"]})),
        shape("types_empty_list", json!({"type": []})),
        shape("nullable_openapi", json!({"type": "string", "nullable": true})),
        shape("nullable_object", json!({"type": "object", "properties": {"a": {"type": "string"}}, "nullable": true})),
        shape("null_or_ref", json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Point"}]})),
        shape("any_of_null", json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
        shape("const_string", json!({"const": "fixed"})),
        shape("const_integer", json!({"const": 7})),
        shape("const_number", json!({"const": 1.5})),
        shape("const_boolean", json!({"const": true})),
        shape("const_null", json!({"const": null})),
        shape("const_object", json!({"const": {"a": 1}})),
        shape("const_array", json!({"const": [1, "a"]})),
        shape("enum_strings", json!({"type": "string", "enum": ["a", "b-c", "B_C", "", "self", "1x"]})),
        shape("enum_integers", json!({"type": "integer", "enum": [1, -2, 300]})),
        shape("enum_numbers", json!({"enum": [1.5, 2]})),
        shape("enum_mixed", json!({"enum": ["a", 1, true, null, {"k": "v"}, [1]]})),
        shape("enum_with_null", json!({"type": ["string", "null"], "enum": ["a", null]})),
        shape("enum_single", json!({"enum": ["only"]})),
        shape("one_of_primitives", json!({"oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]})),
        shape("one_of_objects", json!({"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]}
        ]})),
        shape("one_of_const_tag", json!({"oneOf": [
            {"type": "object", "properties": {"kind": {"const": "circle"}, "r": {"type": "number"}}, "required": ["kind"]},
            {"type": "object", "properties": {"kind": {"const": "square"}, "side": {"type": "number"}}, "required": ["kind"]}
        ]})),
        shape("any_of_overlapping", json!({"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "object", "properties": {"a": {"type": "integer"}}}]})),
        shape("all_of_inline", json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "integer", "minimum": 0}}}
        ]})),
        shape("all_of_conflicting", json!({"allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "properties": {"a": {"type": "integer"}}}
        ]})),
        shape("all_of_primitive", json!({"allOf": [{"type": "string"}, {"maxLength": 3}]})),
        shape("nested_combinators", json!({"oneOf": [
            {"allOf": [{"$ref": "#/components/schemas/Point"}, {"properties": {"z": {"type": "number"}}}]},
            {"anyOf": [{"type": "string"}, {"type": "array", "items": {"oneOf": [{"type": "integer"}, {"type": "null"}]}}]}
        ]})),
        shape("not", json!({"not": {"type": "string"}})),
        shape("if_then_else", json!({"type": "object", "if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}, "else": {"required": ["c"]}})),
        shape("keyword_names", json!({"type": "object", "properties": {
            "type": {"type": "string"}, "self": {"type": "string"}, "Self": {"type": "string"},
            "async": {"type": "string"}, "foo-bar": {"type": "string"}, "foo_bar": {"type": "string"},
            "FooBar": {"type": "string"}, "1st": {"type": "string"}, "": {"type": "string"},
            "r#try": {"type": "string"}, "crate": {"type": "string"}, "super": {"type": "string"},
            "é": {"type": "string"}, "a b": {"type": "string"}, "__rt": {"type": "string"},
            "Option": {"type": "string"}, "payload": {"type": "string"}
        }, "required": ["type", "self", ""]})),
        shape("constraints_everywhere", json!({"type": "object", "properties": {
            "s": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
            "i": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10, "multipleOf": 2},
            "n": {"type": "number", "exclusiveMinimum": 0, "maximum": 1.5},
            "a": {"type": "array", "minItems": 1, "maxItems": 3},
            "o": {"type": "object", "minProperties": 1, "maxProperties": 2},
            "bad_pattern": {"type": "string", "pattern": "(?<=a)b"}
        }})),
    ]);
    for (name, ty, format) in [
        ("format_date_time", "string", "date-time"),
        ("format_date", "string", "date"),
        ("format_time", "string", "time"),
        ("format_uuid", "string", "uuid"),
        ("format_email", "string", "email"),
        ("format_uri", "string", "uri"),
        ("format_ipv4", "string", "ipv4"),
        ("format_ipv6", "string", "ipv6"),
        ("format_byte", "string", "byte"),
        ("format_binary", "string", "binary"),
        ("format_decimal", "string", "decimal"),
        ("format_unknown", "string", "made-up"),
        ("format_int8", "integer", "int8"),
        ("format_int32", "integer", "int32"),
        ("format_int64", "integer", "int64"),
        ("format_uint8", "integer", "uint8"),
        ("format_uint64", "integer", "uint64"),
        ("format_float", "number", "float"),
        ("format_double", "number", "double"),
        ("format_number_decimal", "number", "decimal"),
        ("format_on_boolean", "boolean", "date-time"),
        ("format_on_object", "object", "uuid"),
        ("format_on_array", "array", "int32"),
    ] {
        all.push(shape(name, json!({"type": ty, "format": format})));
    }
    all.extend([
        with_components(
            "ref_component",
            json!({"$ref": "#/components/schemas/Point"}),
            json!({}),
        ),
        with_components(
            "recursive_through_map",
            json!({"$ref": "#/components/schemas/Tree"}),
            json!({"Tree": {"type": "object", "properties": {
                "children": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Tree"}}
            }}}),
        ),
        with_components(
            "recursive_through_array",
            json!({"$ref": "#/components/schemas/List"}),
            json!({"List": {"type": "object", "properties": {
                "value": {"type": "integer"},
                "rest": {"type": "array", "items": {"$ref": "#/components/schemas/List"}}
            }, "required": ["value"]}}),
        ),
        with_components(
            "recursive_required",
            json!({"$ref": "#/components/schemas/Chain"}),
            json!({"Chain": {"type": "object", "properties": {
                "next": {"oneOf": [{"$ref": "#/components/schemas/Chain"}, {"type": "null"}]}
            }, "required": ["next"]}}),
        ),
        with_components(
            "mutual_recursion",
            json!({"$ref": "#/components/schemas/Ping"}),
            json!({
                "Ping": {"type": "object", "properties": {"pong": {"$ref": "#/components/schemas/Pong"}}},
                "Pong": {"type": "object", "properties": {"ping": {"$ref": "#/components/schemas/Ping"}}}
            }),
        ),
        with_components(
            "dynamic_ref_recursion",
            json!({"$ref": "#/components/schemas/DynTree"}),
            json!({"DynTree": {"$dynamicAnchor": "node", "type": "object", "properties": {
                "children": {"type": "array", "items": {"$dynamicRef": "#node"}}
            }}}),
        ),
        with_components(
            "recursive_ref_recursion",
            json!({"$ref": "#/components/schemas/RecList"}),
            json!({"RecList": {"$recursiveAnchor": true, "type": "object", "properties": {
                "next": {"$recursiveRef": "#"}
            }}}),
        ),
        with_components(
            "ref_by_id",
            json!({"$ref": "urn:example:thing"}),
            json!({"Thing": {"$id": "urn:example:thing", "type": "object", "properties": {"a": {"type": "string"}}}}),
        ),
        with_components(
            "discriminator",
            json!({"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}], "discriminator": {"propertyName": "pet"}}),
            json!({
                "Cat": {"type": "object", "properties": {"pet": {"type": "string"}, "meows": {"type": "boolean"}}, "required": ["pet"]},
                "Dog": {"type": "object", "properties": {"pet": {"type": "string"}, "barks": {"type": "boolean"}}, "required": ["pet"]}
            }),
        ),
        with_components(
            "discriminator_2x_string",
            json!({"$ref": "#/components/schemas/Animal"}),
            json!({
                "Animal": {"type": "object", "discriminator": "kind", "properties": {"kind": {"type": "string"}}, "required": ["kind"]}
            }),
        ),
        with_components(
            "colliding_component_names",
            json!({"type": "object", "properties": {
                "a": {"$ref": "#/components/schemas/foo_bar"},
                "b": {"$ref": "#/components/schemas/FooBar"},
                "c": {"$ref": "#/components/schemas/foo-bar"}
            }}),
            json!({
                "foo_bar": {"type": "string"},
                "FooBar": {"type": "integer"},
                "foo-bar": {"type": "object", "properties": {"x": {"type": "string"}}}
            }),
        ),
        with_components(
            "keyword_component_names",
            json!({"type": "object", "properties": {
                "a": {"$ref": "#/components/schemas/Self"},
                "b": {"$ref": "#/components/schemas/type"},
                "c": {"$ref": "#/components/schemas/String"},
                "d": {"$ref": "#/components/schemas/Option"},
                "e": {"$ref": "#/components/schemas/Vec"},
                "f": {"$ref": "#/components/schemas/Result"}
            }}),
            json!({
                "Self": {"type": "string"},
                "type": {"type": "object"},
                "String": {"type": "integer"},
                "Option": {"type": "object", "properties": {"x": {"type": "string"}}},
                "Vec": {"type": "array", "items": {"type": "string"}},
                "Result": {"enum": ["ok", "err"]}
            }),
        ),
    ]);
    all
}

/// Where a shape is put.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// `components.schemas.Subject`, the payload a `$ref` to it.
    Component,
    /// The payload itself.
    Payload,
    /// A required property of the payload.
    Property,
    /// An optional property of the payload.
    OptionalProperty,
    /// The items of an array payload.
    ArrayItem,
    /// The values of a map payload.
    MapValue,
    /// A header of the message.
    Header,
    /// A channel parameter's schema (AsyncAPI 2.6).
    Parameter,
    /// A query parameter of the channel's WebSocket binding.
    WsQuery,
    /// The whole `query` schema of the channel's WebSocket binding (object shapes only).
    WsQueryWhole,
    /// The whole `headers` schema of the channel's WebSocket binding (object shapes only).
    WsHeadersWhole,
    /// The whole `query` schema of the operation's HTTP binding (object shapes only).
    HttpQueryWhole,
    /// The whole `headers` schema of the message (object shapes only).
    HeadersWhole,
    /// A header of the channel's WebSocket binding.
    WsHeader,
    /// A query parameter of the operation's HTTP binding.
    HttpQuery,
    /// The message's Kafka key.
    KafkaKey,
}

pub const POSITIONS: &[Position] = &[
    Position::Component,
    Position::Payload,
    Position::Property,
    Position::OptionalProperty,
    Position::ArrayItem,
    Position::MapValue,
    Position::Header,
    Position::Parameter,
    Position::WsQuery,
    Position::WsQueryWhole,
    Position::WsHeadersWhole,
    Position::HttpQueryWhole,
    Position::HeadersWhole,
    Position::WsHeader,
    Position::HttpQuery,
    Position::KafkaKey,
];

impl Position {
    /// Whether the position takes `shape`: the whole-object positions (a binding's `query`,
    /// a message's `headers`) take only schemas of objects (or of anything).
    pub fn takes(self, shape: &Shape) -> bool {
        match self {
            Position::WsQueryWhole
            | Position::WsHeadersWhole
            | Position::HttpQueryWhole
            | Position::HeadersWhole => object_like(&shape.schema, &shape.components),
            _ => true,
        }
    }
}

/// A schema of objects, or of anything.
fn object_like(schema: &Value, components: &Map<String, Value>) -> bool {
    match schema {
        Value::Bool(b) => *b,
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let name = target.rsplit('/').next().unwrap_or_default();
                return name == "Point"
                    || components
                        .get(name)
                        .is_some_and(|s| object_like(s, components));
            }
            match map.get("type") {
                Some(Value::String(t)) => t == "object",
                Some(_) => false,
                None => {
                    !map.contains_key("enum")
                        && !map.contains_key("const")
                        && !map.contains_key("not")
                }
            }
        }
        _ => false,
    }
}

/// The document with `schema` (needing `components`) at `position`.
pub fn document(position: Position, schema: &Value, components: &Map<String, Value>) -> Value {
    let mut schemas = components.clone();
    schemas.insert(
        "Point".into(),
        json!({"type": "object", "properties": {"x": {"type": "number"}, "y": {"type": "number"}}, "required": ["x", "y"]}),
    );
    let object_of = |name: &str| json!({"type": "object", "properties": {name: schema}});
    let mut payload = json!({"type": "object", "properties": {"id": {"type": "string"}}});
    let mut headers = None;
    let mut message_bindings = None;
    let mut channel_bindings = None;
    let mut operation_bindings = None;
    match position {
        Position::Component => {
            schemas.insert("Subject".into(), schema.clone());
            payload = json!({"$ref": "#/components/schemas/Subject"});
        }
        Position::Payload => payload = schema.clone(),
        Position::Property => {
            payload =
                json!({"type": "object", "properties": {"value": schema}, "required": ["value"]})
        }
        Position::OptionalProperty => payload = object_of("value"),
        Position::ArrayItem => payload = json!({"type": "array", "items": schema}),
        Position::MapValue => payload = json!({"type": "object", "additionalProperties": schema}),
        Position::Header => headers = Some(object_of("x-subject")),
        Position::Parameter => {}
        Position::WsQuery => channel_bindings = Some(json!({"ws": {"query": object_of("q")}})),
        Position::WsQueryWhole => channel_bindings = Some(json!({"ws": {"query": schema}})),
        Position::WsHeadersWhole => channel_bindings = Some(json!({"ws": {"headers": schema}})),
        Position::HttpQueryWhole => {
            operation_bindings = Some(json!({"http": {"method": "GET", "query": schema}}))
        }
        Position::HeadersWhole => headers = Some(schema.clone()),
        Position::WsHeader => {
            channel_bindings = Some(json!({"ws": {"headers": object_of("X-Subject")}}))
        }
        Position::HttpQuery => {
            operation_bindings = Some(json!({"http": {"method": "GET", "query": object_of("q")}}))
        }
        Position::KafkaKey => message_bindings = Some(json!({"kafka": {"key": schema}})),
    }
    let mut message = json!({"payload": payload, "contentType": "application/json"});
    if let Some(h) = headers {
        message["headers"] = h;
    }
    if let Some(b) = message_bindings {
        message["bindings"] = b;
    }
    if position == Position::Parameter {
        return json!({
            "asyncapi": "2.6.0",
            "info": {"title": "generated", "version": "1.0.0"},
            "channels": {
                "subjects/{p}": {
                    "parameters": {"p": {"schema": schema}},
                    "subscribe": {"operationId": "onSubject", "message": message},
                    "publish": {"operationId": "sendSubject", "message": {"$ref": "#/components/messages/other"}}
                }
            },
            "components": {
                "schemas": schemas,
                "messages": {"other": {"payload": {"type": "string"}}}
            }
        });
    }
    let mut channel = json!({"address": "subjects", "messages": {"subject": message}});
    if let Some(b) = channel_bindings {
        channel["bindings"] = b;
    }
    let mut receive = json!({"action": "receive", "channel": {"$ref": "#/channels/subjects"}});
    let mut send = json!({"action": "send", "channel": {"$ref": "#/channels/subjects"}});
    if let Some(b) = operation_bindings {
        receive["bindings"] = b.clone();
        send["bindings"] = b;
    }
    json!({
        "asyncapi": "3.0.0",
        "info": {"title": "generated", "version": "1.0.0"},
        "channels": {"subjects": channel},
        "operations": {"onSubject": receive, "sendSubject": send},
        "components": {"schemas": schemas}
    })
}

/// A small xorshift generator: deterministic from its seed, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// A random nesting of shapes, `depth` levels deep, with the components it needs.
pub fn random_schema(
    rng: &mut Rng,
    shapes: &[Shape],
    depth: usize,
    components: &mut Map<String, Value>,
) -> Value {
    let leaf = &shapes[rng.below(shapes.len())];
    components.extend(leaf.components.clone());
    if depth == 0 {
        return leaf.schema.clone();
    }
    let inner = |rng: &mut Rng, components: &mut Map<String, Value>| {
        random_schema(rng, shapes, depth - 1, components)
    };
    match rng.below(7) {
        0 => {
            json!({"type": "object", "properties": {"a": inner(rng, components), "b": inner(rng, components)}, "required": ["a"]})
        }
        1 => json!({"type": "array", "items": inner(rng, components)}),
        2 => json!({"type": "object", "additionalProperties": inner(rng, components)}),
        3 => json!({"oneOf": [inner(rng, components), inner(rng, components)]}),
        4 => json!({"anyOf": [inner(rng, components), {"type": "null"}]}),
        5 => {
            json!({"allOf": [inner(rng, components), {"type": "object", "properties": {"extra": {"type": "string"}}}]})
        }
        _ => leaf.schema.clone(),
    }
}

/// A random document: a random nesting at a random position.
pub fn random_document(rng: &mut Rng, shapes: &[Shape]) -> (String, Value) {
    let mut components = Map::new();
    let depth = rng.below(4);
    let schema = random_schema(rng, shapes, depth, &mut components);
    let mut position = POSITIONS[rng.below(POSITIONS.len())];
    let nested = Shape {
        name: "random",
        schema: schema.clone(),
        components: components.clone(),
    };
    if !position.takes(&nested) {
        position = Position::Payload;
    }
    (
        format!("random {position:?} depth {depth}: {schema}"),
        document(position, &schema, &components),
    )
}

/// Documents whose operations declare no message (a health check, a trigger, a request whose
/// reply declares none): AsyncAPI 3.0 channels without `messages`, with and without parameters,
/// from both sides, and a 2.x operation without `message`.
pub fn without_messages() -> Vec<(&'static str, Value)> {
    vec![
        (
            "3.0 no messages",
            json!({
                "asyncapi": "3.0.0",
                "info": {"title": "generated", "version": "1.0.0"},
                "channels": {
                    "health": {"address": "/health"},
                    "trigger": {
                        "address": "/jobs/{id}/trigger",
                        "parameters": {"id": {}}
                    },
                    "replies": {"address": "replies"}
                },
                "operations": {
                    "checkHealth": {"action": "receive", "channel": {"$ref": "#/channels/health"}},
                    "triggerJob": {"action": "send", "channel": {"$ref": "#/channels/trigger"}},
                    "ask": {
                        "action": "send",
                        "channel": {"$ref": "#/channels/trigger"},
                        "reply": {"channel": {"$ref": "#/channels/replies"}}
                    },
                    "answer": {
                        "action": "receive",
                        "channel": {"$ref": "#/channels/trigger"},
                        "reply": {"channel": {"$ref": "#/channels/replies"}}
                    }
                }
            }),
        ),
        (
            "2.6 no message",
            json!({
                "asyncapi": "2.6.0",
                "info": {"title": "generated", "version": "1.0.0"},
                "channels": {
                    "ping": {"subscribe": {"operationId": "pinged"}, "publish": {"operationId": "ping"}}
                }
            }),
        ),
    ]
}
