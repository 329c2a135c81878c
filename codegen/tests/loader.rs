//! Behaviour of the loader that users rely on, feature by feature, on small in-memory documents.

mod common;

use common::{HEAD, diags, load_files, loaded_has_errors, ok, only};

use asyncapi_rs_codegen::diag::Code;
use asyncapi_rs_codegen::model::security::ApiKeyLocation;
use asyncapi_rs_codegen::model::{
    Action, JsonType, SchemaPayload, SecuritySchemeKind, V2OperationKind,
};
use asyncapi_rs_codegen::{LoadOptions, MemoryReader, Severity, load};

#[test]
fn local_pointers_with_tilde_and_percent_escapes() {
    let doc = ok(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  c:\n    address: x\n    messages:\n      m: {{$ref: '#/components/messages/a~1b%20c'}}\ncomponents:\n  messages:\n    'a/b c':\n      payload: {{$ref: '#/components/schemas/t~0x'}}\n  schemas:\n    t~x: {{type: string}}\n"
        ),
    )]);
    let channel = &doc[doc.channels["c"]];
    let message = &doc[channel.messages["m"]];
    assert_eq!(message.key, "a/b c");
    let schema = &doc[message.payload.as_ref().unwrap().schema_id().unwrap()];
    assert_eq!(schema.types, [JsonType::String]);
    assert_eq!(schema.name.as_deref(), Some("t~x"));
}

#[test]
fn relative_files_chained_through_several_files_resolve_from_the_referring_file() {
    let doc = ok(&[
        (
            "specs/api/asyncapi.yaml",
            &format!(
                "{HEAD}channels:\n  c: {{$ref: '../common/channels.yaml#/c'}}\noperations:\n  o: {{action: send, channel: {{$ref: '#/channels/c'}}, messages: [{{$ref: '#/channels/c/messages/m'}}]}}\n"
            ),
        ),
        (
            "specs/common/channels.yaml",
            "c:\n  address: 'users/{id}'\n  parameters: {id: {$ref: './params.yaml#/id'}}\n  messages:\n    m: {$ref: 'messages/user.yaml'}\n",
        ),
        ("specs/common/params.yaml", "id: {description: the user}\n"),
        (
            "specs/common/messages/user.yaml",
            "payload: {$ref: '../../schemas/user.json#/definitions/User'}\n",
        ),
        (
            "specs/schemas/user.json",
            r##"{"definitions": {"User": {"type": "object", "properties": {"name": {"$ref": "#/definitions/Name"}}}, "Name": {"type": "string"}}}"##,
        ),
    ]);
    let channel = &doc[doc.channels["c"]];
    assert_eq!(
        channel.parameters["id"].description.as_deref(),
        Some("the user")
    );
    let op = &doc[doc.operations["o"]];
    assert_eq!(op.messages, vec![channel.messages["m"]]);
    let user = &doc[doc[op.messages[0]]
        .payload
        .as_ref()
        .unwrap()
        .schema_id()
        .unwrap()];
    assert_eq!(user.name.as_deref(), Some("User"));
    let name = &doc[user.properties["name"]];
    assert_eq!(name.name.as_deref(), Some("Name"));
    assert!(
        doc.files()
            .iter()
            .any(|f| f.ends_with("specs/schemas/user.json"))
    );
    assert_eq!(doc.files().len(), 5);
}

#[test]
fn refs_into_openapi_documents_and_2020_defs() {
    let doc = ok(&[
        (
            "a.yaml",
            &format!(
                "{HEAD}components:\n  schemas:\n    Pet: {{$ref: './openapi.yaml#/components/schemas/Pet'}}\n    Tag: {{$ref: 'tag.json#/$defs/Tag'}}\n"
            ),
        ),
        (
            "openapi.yaml",
            "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        age: {type: integer, nullable: true, minimum: 0, exclusiveMinimum: true}\n",
        ),
        (
            "tag.json",
            r#"{"$defs": {"Tag": {"type": ["string", "null"], "maxLength": 5}}}"#,
        ),
    ]);
    let pet = &doc[doc.components.schemas["Pet"]];
    let age = &doc[pet.properties["age"]];
    assert!(age.nullable);
    // draft-04 style boolean exclusiveMinimum becomes a numeric bound.
    assert_eq!(age.minimum, None);
    assert_eq!(
        age.exclusive_minimum.as_ref().and_then(|n| n.as_i64()),
        Some(0)
    );
    let tag = &doc[doc.components.schemas["Tag"]];
    assert_eq!(tag.types, [JsonType::String, JsonType::Null]);
    assert_eq!(tag.max_length, Some(5));
}

#[test]
fn recursive_schemas_stay_references() {
    let doc = ok(&[(
        "a.yaml",
        &format!(
            "{HEAD}components:\n  schemas:\n    Node:\n      type: object\n      properties:\n        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}\n        parent: {{$ref: '#/components/schemas/Node'}}\n"
        ),
    )]);
    let id = doc.components.schemas["Node"];
    let node = &doc[id];
    assert_eq!(node.properties["parent"], id);
    assert_eq!(doc[node.properties["children"]].items, Some(id));
}

#[test]
fn absolute_ids_resolve_references_to_them_across_files_without_fetching() {
    // `user.json` declares its own URI; the root refers to it by relative path (so it is
    // loaded) and, in another place, by that URI: both are the same schema, and nothing is
    // fetched (remote references are off).
    let doc = ok(&[
        (
            "api.yaml",
            "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  a:\n    messages:\n      byPath: {payload: {$ref: 'user.json'}}\n      byId: {payload: {$ref: 'https://example.com/schemas/user.json'}}\n      name: {payload: {$ref: 'https://example.com/schemas/user.json#/properties/name'}}\n      anchor: {payload: {$ref: 'https://example.com/schemas/user.json#email'}}\n      local: {payload: {$ref: 'urn:example:point'}}\ncomponents:\n  schemas:\n    Point: {$id: 'urn:example:point', type: object, required: [x], properties: {x: {type: number}}}\n",
        ),
        (
            "user.json",
            r#"{"$id": "https://example.com/schemas/user.json", "type": "object", "required": ["name"], "properties": {"name": {"type": "string", "minLength": 2}, "email": {"$anchor": "email", "type": "string", "format": "email"}}}"#,
        ),
    ]);
    let channel = &doc[doc.channels["a"]];
    let payload = |m: &str| {
        doc[channel.messages[m]]
            .payload
            .as_ref()
            .and_then(SchemaPayload::schema_id)
            .unwrap_or_else(|| panic!("{m} has a schema payload"))
    };
    assert_eq!(payload("byPath"), payload("byId"));
    assert_eq!(doc[payload("name")].min_length, Some(2));
    assert_eq!(doc[payload("anchor")].format.as_deref(), Some("email"));
    assert_eq!(doc[payload("local")].required, ["x"]);
}

#[test]
fn departures_of_real_tools_load_with_located_warnings() {
    let files = [
        (
            "v2.yaml",
            "asyncapi: 2.6.0\ninfo: {title: t, version: '1'}\nservers:\n  p: {url: 'h:{port}', protocol: kafka}\nchannels:\n  'o.{tenant}':\n    subscribe:\n      message:\n        oneOf: [{$ref: '#/components/messages/A'}, {$ref: '#/components/messages/A'}]\ncomponents:\n  messages:\n    A: {payload: {type: string}}\n",
        ),
        (
            "v3.yaml",
            "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\nchannels:\n  c: {address: c}\noperations:\n  o:\n    action: send\n    channel: {$ref: '#/channels/c'}\n    messages: [{$ref: '#/components/messages/M'}]\ncomponents:\n  messages:\n    M:\n      payload:\n        schemaFormat: application/vnd.apache.avro+json;version=1.9.0\n        schema: {$ref: 'avro/Order.avsc'}\n    N: {payload: {type: object, properties: null}}\n",
        ),
        (
            "avro/Order.avsc",
            r#"{"type": "record", "name": "Order", "fields": [{"name": "lines", "type": {"type": "array", "items": "Line"}}, {"name": "s", "type": "Status"}, {"name": "t", "type": {"type": "enum", "name": "Status", "symbols": ["A"]}}]}"#,
        ),
        (
            "avro/Line.avsc",
            r#"{"type": "record", "name": "Line", "fields": [{"name": "sku", "type": "string"}]}"#,
        ),
    ];
    for root in ["v2.yaml", "v3.yaml"] {
        let mut reader = MemoryReader::new();
        for (path, text) in &files {
            reader = reader.with(*path, *text);
        }
        let loaded = load(root, &LoadOptions::default().with_reader(reader));
        let errors: Vec<String> = loaded.diagnostics.errors().map(|d| d.to_string()).collect();
        assert!(errors.is_empty(), "{root}: {errors:?}");
        let departures: Vec<String> = only(loaded.diagnostics.iter().as_slice(), Code::Departure)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        let expected: &[&str] = if root == "v2.yaml" {
            &[
                "variable `{port}`",
                "parameter `{tenant}`",
                "lists this message twice",
            ]
        } else {
            &["does not carry", "`Line`", "`Status`", "is null"]
        };
        for e in expected {
            assert!(
                departures.iter().any(|d| d.contains(e)),
                "{root}: no warning about {e} in {departures:#?}"
            );
        }
        let doc = loaded.document.expect("a document");
        if root == "v3.yaml" {
            let order = doc
                .schemas()
                .find(|(_, s)| s.name.as_deref() == Some("Order"));
            let (_, order) = order.expect("the Avro record");
            assert_eq!(
                doc[order.properties["lines"]]
                    .items
                    .map(|i| doc[i].name.clone()),
                Some(Some("Line".into()))
            );
        }
    }
}

#[test]
fn recursive_and_dynamic_references_are_recursion() {
    let doc = ok(&[(
        "api.yaml",
        "asyncapi: 3.0.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Tree:\n      $dynamicAnchor: node\n      type: object\n      properties:\n        children: {type: array, items: {$dynamicRef: '#node'}}\n    List:\n      $recursiveAnchor: true\n      type: object\n      properties:\n        next: {$recursiveRef: '#'}\n",
    )]);
    let tree = doc.components.schemas["Tree"];
    let items = doc[doc[tree].properties["children"]].items.expect("items");
    assert_eq!(items, tree, "the items are the tree itself");
    let list = doc.components.schemas["List"];
    assert_eq!(doc[list].properties["next"], list);
}

#[test]
fn reference_cycles_that_never_reach_a_value_are_reported() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"
        ),
    )]);
    let cycles = only(&d, Code::RefCycle);
    assert!(!cycles.is_empty(), "{d:#?}");
    assert!(cycles[0].message.contains("cycle"));
    assert!(!cycles[0].related.is_empty());
}

#[test]
fn unresolved_refs_name_the_target_and_where_they_are_written() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/Missing'}}\n    B: {{$ref: 'gone.yaml#/X'}}\n"
        ),
    )]);
    let unresolved = only(&d, Code::UnresolvedRef);
    assert_eq!(unresolved.len(), 2, "{d:#?}");
    let a = unresolved[0];
    assert!(
        a.message.contains("`#/components/schemas/Missing`"),
        "{}",
        a.message
    );
    let loc = a.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column), (5, 15));
    assert_eq!(loc.pointer, "/components/schemas/A/$ref");
    // The closest existing node is shown too.
    assert_eq!(a.related[0].location.pointer, "/components/schemas");
    let b = unresolved[1];
    assert!(b.message.contains("gone.yaml"), "{}", b.message);
    assert_eq!(b.location.as_ref().unwrap().line, 6);
}

#[test]
fn remote_refs_are_refused_by_default_and_followed_with_a_fetcher() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A: {{$ref: 'https://example.com/s.json#/X'}}\n"
    );
    let d = diags(&[("a.yaml", &text)]);
    let remote = only(&d, Code::RemoteRef);
    assert_eq!(remote.len(), 1);
    assert!(
        remote[0]
            .help
            .as_ref()
            .unwrap()
            .contains("--allow-remote-refs")
    );

    let options = LoadOptions::default()
        .with_reader(MemoryReader::new().with("a.yaml", text.as_str()))
        .with_remote_fetcher(|url| {
            assert_eq!(url, "https://example.com/s.json");
            Ok(r#"{"X": {"type": "boolean"}}"#.to_owned())
        });
    let (doc, _) = load("a.yaml", &options).into_result().unwrap();
    assert_eq!(doc[doc.components.schemas["A"]].types, [JsonType::Boolean]);
}

#[test]
fn v2_servers_channels_and_operations_are_normalised() {
    let doc = ok(&[(
        "a.yaml",
        r#"
asyncapi: 2.6.0
info: {title: T, version: '1'}
servers:
  prod: {url: 'mqtt://broker.example.com:{port}/base', protocol: mqtt, variables: {port: {default: '1883', enum: ['1883', '8883']}}}
channels:
  'lights/{id}/measured':
    parameters: {id: {schema: {type: string, enum: [a, b]}}}
    subscribe:
      operationId: sendMeasured
      message:
        oneOf:
          - {$ref: '#/components/messages/Measured'}
          - {messageId: other, payload: {type: string}}
    publish:
      message: {name: incoming, payload: {type: integer}}
components:
  messages:
    Measured: {payload: {type: object}}
"#,
    )]);
    let server = &doc[doc.servers["prod"]];
    assert_eq!(server.host, "broker.example.com:{port}");
    assert_eq!(server.pathname.as_deref(), Some("/base"));
    assert_eq!(server.protocol, "mqtt");
    let channel_id = doc.channels["lights/{id}/measured"];
    let channel = &doc[channel_id];
    assert_eq!(channel.address.as_deref(), Some("lights/{id}/measured"));
    assert_eq!(channel.parameters["id"].enum_values, ["a", "b"]);
    assert_eq!(
        channel.messages.keys().collect::<Vec<_>>(),
        ["Measured", "other", "incoming"]
    );
    let send = &doc[doc.operations["sendMeasured"]];
    assert_eq!(send.action, Action::Send);
    assert_eq!(send.v2_kind, Some(V2OperationKind::Subscribe));
    assert_eq!(send.channel, channel_id);
    assert_eq!(send.messages.len(), 2);
    assert_eq!(send.messages[0], doc.components.messages["Measured"]);
    let receive = &doc[doc.operations["receiveMeasured"]];
    assert_eq!(receive.action, Action::Receive);
    assert_eq!(receive.messages.len(), 1);
}

#[test]
fn v2_operations_without_operation_id_are_named_after_the_end_of_their_address() {
    let doc = ok(&[(
        "a.yaml",
        r#"
asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  'lights/1/0/event/{id}/lighting/measured':
    parameters: {id: {}}
    publish:
      message: {payload: {type: integer}}
  'lights/{id}/turn/on':
    parameters: {id: {}}
    subscribe:
      message: {payload: {type: string}}
  'alarms/{id}/turn/on':
    parameters: {id: {}}
    subscribe:
      message:
        oneOf: [{payload: {type: string}}, {name: named, payload: {type: boolean}}]
  'lights/{id}':
    parameters: {id: {}}
    subscribe:
      operationId: sendDim
  'lights/dim':
    subscribe: {}
    publish: {}
"#,
    )]);
    let keys: Vec<&str> = doc.operations.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "receiveLightingMeasured",
            // Both end in `turn/on`: each grows by the next name to the left.
            "sendLightsTurnOn",
            "sendAlarmsTurnOn",
            "sendDim",
            // `sendDim` is taken by an `operationId`.
            "sendLightsDim",
            "receiveDim",
        ]
    );
    let op = &doc[doc.operations["receiveLightingMeasured"]];
    assert_eq!(op.v2_kind, Some(V2OperationKind::Publish));
    assert_eq!(doc[op.messages[0]].key, "receiveLightingMeasuredMessage");
    let op = &doc[doc.operations["sendAlarmsTurnOn"]];
    let messages: Vec<&str> = op.messages.iter().map(|m| doc[*m].key.as_str()).collect();
    assert_eq!(messages, ["sendAlarmsTurnOnMessage1", "named"]);
    assert_eq!(
        doc[op.channel].messages.keys().collect::<Vec<_>>(),
        ["sendAlarmsTurnOnMessage1", "named"]
    );
}

#[test]
fn traits_merge_with_each_version_s_precedence() {
    let v2 = ok(&[(
        "a.yaml",
        r#"
asyncapi: 2.6.0
info: {title: T, version: '1'}
channels:
  c:
    publish:
      traits: [{$ref: '#/components/operationTraits/T'}]
      summary: own
      message:
        contentType: text/plain
        traits: [{contentType: application/json, headers: {type: object, properties: {a: {type: string}}}}]
components:
  operationTraits:
    T: {summary: from trait, description: trait description}
"#,
    )]);
    let op = &v2[v2.operations["receiveC"]];
    // 2.x: traits are merged over the object (the trait wins).
    assert_eq!(op.summary.as_deref(), Some("from trait"));
    assert_eq!(op.description.as_deref(), Some("trait description"));
    let message = &v2[op.messages[0]];
    assert_eq!(message.content_type.as_deref(), Some("application/json"));
    assert!(message.headers.is_some());

    let v3 = ok(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  c:\n    messages:\n      m:\n        contentType: text/plain\n        traits: [{{contentType: application/json, name: fromTrait}}]\n"
        ),
    )]);
    let message = &v3[v3[v3.channels["c"]].messages["m"]];
    // 3.x: the object wins over its traits.
    assert_eq!(message.content_type.as_deref(), Some("text/plain"));
    assert_eq!(message.name.as_deref(), Some("fromTrait"));
}

#[test]
fn bindings_are_typed_with_schemas_and_versions() {
    let loaded = load_files(&[(
        "a.yaml",
        &format!(
            r#"{HEAD}servers:
  s:
    host: h
    protocol: mqtt
    bindings:
      mqtt: {{clientId: c1, keepAlive: 60, sessionExpiryInterval: 120, bindingVersion: 0.2.0}}
channels:
  c:
    address: c
    bindings:
      ws: {{method: GET, query: {{type: object, properties: {{token: {{type: string}}}}}}}}
      kafka: {{partitions: 3, topicConfiguration: {{cleanup.policy: [compact]}}, bindingVersion: 0.3.0}}
    messages:
      m:
        bindings:
          kafka: {{key: {{type: string, format: uuid}}, bindingVersion: 0.9.9}}
          mqtt: {{contentType: application/json, bindingVersion: 0.1.0}}
operations:
  o:
    action: send
    channel: {{$ref: '#/channels/c'}}
    bindings:
      mqtt: {{qos: 1, retain: true}}
      nats: {{queue: workers, clientId: oops}}
      amqp: {{deliveryMode: 2, cc: [a]}}
      custom: {{anything: [1, 2]}}
"#
        ),
    )]);
    let d = loaded.diagnostics.clone().into_vec();
    let doc = loaded.document.unwrap();
    let server = &doc[doc.servers["s"]];
    let mqtt = server.bindings.mqtt.as_ref().unwrap();
    assert_eq!(mqtt.client_id.as_deref(), Some("c1"));
    assert_eq!(mqtt.keep_alive, Some(60));
    assert_eq!(
        mqtt.session_expiry_interval,
        Some(asyncapi_rs_codegen::model::bindings::IntOrSchema::Value(
            120
        ))
    );
    let channel = &doc[doc.channels["c"]];
    let ws = channel.bindings.ws.as_ref().unwrap();
    let query = &doc[ws.query.unwrap()];
    assert!(query.properties.contains_key("token"));
    let kafka = channel.bindings.kafka.as_ref().unwrap();
    assert_eq!(kafka.partitions, Some(3));
    let message = &doc[channel.messages["m"]];
    let key = &doc[message.bindings.kafka.as_ref().unwrap().key.unwrap()];
    assert_eq!(key.format.as_deref(), Some("uuid"));
    let op = &doc[doc.operations["o"]];
    assert_eq!(op.bindings.mqtt.as_ref().unwrap().qos, Some(1));
    assert_eq!(
        op.bindings.nats.as_ref().unwrap().queue.as_deref(),
        Some("workers")
    );
    assert_eq!(op.bindings.amqp.as_ref().unwrap().delivery_mode, Some(2));
    assert_eq!(op.bindings.other["custom"].value["anything"][1], 2);

    let binding_warnings: Vec<&str> = d
        .iter()
        .filter(|d| d.code == Code::Binding)
        .map(|d| d.message.as_str())
        .collect();
    // Unknown version, a field newer than the stated version, an unknown field; topicConfiguration
    // is 0.4.0+ but the channel says 0.3.0.
    assert!(
        binding_warnings.iter().any(|m| m.contains("`0.9.9`")),
        "{binding_warnings:#?}"
    );
    assert!(
        binding_warnings
            .iter()
            .any(|m| m
                .contains("`contentType` exists in the `mqtt` message binding from version 0.2.0")),
        "{binding_warnings:#?}"
    );
    assert!(
        binding_warnings
            .iter()
            .any(|m| m.contains("no field `clientId`")),
        "{binding_warnings:#?}"
    );
    assert!(
        binding_warnings
            .iter()
            .any(|m| m.contains("`topicConfiguration`")),
        "{binding_warnings:#?}"
    );
    assert!(!loaded_has_errors(&d));
}

#[test]
fn binding_values_of_the_wrong_type_point_at_the_field() {
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  c:\n    address: c\n    bindings:\n      amqp:\n        is: routingKey\n        exchange: {{name: x, type: sideways}}\n"
        ),
    )]);
    let e: Vec<_> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(e.len(), 1, "{d:#?}");
    assert!(e[0].message.contains("`exchange.type`"), "{}", e[0].message);
    let loc = e[0].location.as_ref().unwrap();
    assert_eq!(loc.line, 9);
    assert_eq!(loc.pointer, "/channels/c/bindings/amqp/exchange/type");
}

#[test]
fn payload_schema_formats() {
    let doc = ok(&[(
        "a.yaml",
        &format!(
            r#"{HEAD}channels:
  c:
    address: c
    messages:
      avro:
        payload:
          schemaFormat: application/vnd.apache.avro;version=1.9.0
          schema: {{type: record, name: User, fields: [{{name: id, type: long}}]}}
      proto:
        payload:
          schemaFormat: application/vnd.google.protobuf;version=3
          schema: 'message User {{ int64 id = 1; }}'
      openapi:
        payload:
          schemaFormat: application/vnd.oai.openapi;version=3.0.0
          schema: {{type: string, nullable: true}}
"#
        ),
    )]);
    let channel = &doc[doc.channels["c"]];
    let payload = |k: &str| doc[channel.messages[k]].payload.clone().unwrap();
    assert!(
        matches!(payload("avro"), SchemaPayload::Avro { ref schema, .. } if schema["name"] == "User")
    );
    assert!(matches!(payload("proto"), SchemaPayload::Other { .. }));
    let SchemaPayload::Schema { schema, .. } = payload("openapi") else {
        panic!("openapi payload is a schema");
    };
    assert!(doc[schema].nullable);
}

#[test]
fn security_schemes_in_both_versions() {
    let v3 = ok(&[(
        "a.yaml",
        &format!(
            "{HEAD}servers:\n  s: {{host: h, protocol: kafka, security: [{{$ref: '#/components/securitySchemes/sasl'}}, {{$ref: '#/components/securitySchemes/oauth'}}]}}\ncomponents:\n  securitySchemes:\n    sasl: {{type: scramSha256}}\n    oauth: {{type: oauth2, scopes: [write], flows: {{clientCredentials: {{tokenUrl: 'https://t', availableScopes: {{write: w}}}}}}}}\n"
        ),
    )]);
    let server = &v3[v3.servers["s"]];
    assert_eq!(server.security.len(), 2);
    assert_eq!(
        v3[server.security[0].schemes[0].scheme].kind,
        SecuritySchemeKind::ScramSha256
    );
    assert_eq!(server.security[1].schemes[0].scopes, ["write"]);

    let v2 = ok(&[(
        "a.yaml",
        "asyncapi: 2.6.0\ninfo: {title: T, version: '1'}\nservers:\n  s: {url: h, protocol: mqtt, security: [{user: [], key: []}]}\ncomponents:\n  securitySchemes:\n    user: {type: userPassword}\n    key: {type: httpApiKey, name: X-Key, in: header}\n",
    )]);
    let server = &v2[v2.servers["s"]];
    assert_eq!(server.security.len(), 1);
    assert_eq!(server.security[0].schemes.len(), 2);
    assert!(matches!(
        v2[server.security[0].schemes[1].scheme].kind,
        SecuritySchemeKind::HttpApiKey { ref name, .. } if name == "X-Key"
    ));
}

#[test]
fn v3_security_written_with_2x_habits_is_read_as_meant_with_located_warnings() {
    // The project's own fixture: a 2.x requirement object in a 3.0 server's `security`, and an
    // `apiKey` scheme sent in a header.
    let loaded = load(
        "../tests/specs/quirks/v2-habits-in-v3.yaml",
        &LoadOptions::default(),
    );
    let errors: Vec<String> = loaded.diagnostics.errors().map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let departures: Vec<(&str, u32, &str)> =
        only(loaded.diagnostics.iter().as_slice(), Code::Departure)
            .iter()
            .map(|d| {
                let at = d.location.as_ref().expect("located");
                (d.message.as_str(), at.line, at.pointer.as_str())
            })
            .collect();
    assert_eq!(
        departures,
        [
            (
                "in AsyncAPI 3.0.0, `security` lists security schemes (or `$ref`s to them), but this is a 2.x security requirement; read as the scheme `mqttAuth` of `components.securitySchemes`",
                15,
                "/servers/broker/security/0"
            ),
            (
                "an `apiKey` security scheme is sent as the user or the password (`in: user` or `in: password`); `in: header` is for `httpApiKey`: read as an `httpApiKey` in the header `X-Api-Key`",
                48,
                "/components/securitySchemes/gatewayKey/in"
            ),
        ]
    );
    let doc = loaded.document.expect("a document");
    let broker = &doc[doc.servers["broker"]];
    assert_eq!(broker.security.len(), 1);
    let scheme = &doc[broker.security[0].schemes[0].scheme];
    assert_eq!(scheme.key, "mqttAuth");
    assert_eq!(scheme.kind, SecuritySchemeKind::UserPassword);
    let gateway = &doc[doc.servers["gateway"]];
    assert_eq!(
        doc[gateway.security[0].schemes[0].scheme].kind,
        SecuritySchemeKind::HttpApiKey {
            name: "X-Api-Key".into(),
            location: ApiKeyLocation::Header
        }
    );

    // Several schemes in one requirement are all required, with their scopes; names that are not
    // schemes are errors, as in 2.x; an `apiKey` in a header with no `name` is an error.
    let d = diags(&[(
        "a.yaml",
        &format!(
            "{HEAD}servers:\n  s: {{host: h, protocol: kafka, security: [{{user: [], oauth: [write]}}, {{nope: []}}]}}\ncomponents:\n  securitySchemes:\n    user: {{type: userPassword}}\n    oauth: {{type: oauth2, flows: {{clientCredentials: {{tokenUrl: 'https://t', availableScopes: {{write: w}}}}}}}}\n    key: {{type: apiKey, in: query}}\n"
        ),
    )]);
    let departures = only(&d, Code::Departure);
    assert_eq!(departures.len(), 3, "{d:#?}");
    assert!(departures[0].message.contains(
        "read as the schemes `user`, `oauth` of `components.securitySchemes`, all of them required"
    ));
    assert!(
        departures[2]
            .message
            .contains("read as an `httpApiKey` in a query")
    );
    let errors: Vec<&str> = d
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(
        errors,
        [
            "the security requirement names `nope`, which is not in `components.securitySchemes`",
            "an `apiKey` security scheme with `in: query` (read as `httpApiKey`) has no `name`, which says which query carries the key"
        ]
    );
    let doc = load_files(&[(
        "a.yaml",
        &format!(
            "{HEAD}servers:\n  s: {{host: h, protocol: kafka, security: [{{user: [], oauth: [write]}}]}}\ncomponents:\n  securitySchemes:\n    user: {{type: userPassword}}\n    oauth: {{type: oauth2, flows: {{clientCredentials: {{tokenUrl: 'https://t', availableScopes: {{write: w}}}}}}}}\n"
        ),
    )])
    .document
    .expect("a document");
    let requirement = &doc[doc.servers["s"]].security[0];
    assert_eq!(requirement.schemes.len(), 2);
    assert_eq!(requirement.schemes[1].scopes, ["write"]);
}

#[test]
fn not_an_asyncapi_document() {
    for (text, needle) in [
        ("openapi: 3.0.0\n", "no `asyncapi` field"),
        ("asyncapi: 1.2.0\n", "unsupported AsyncAPI version `1.2.0`"),
        ("- a\n- b\n", "must be a mapping"),
    ] {
        let loaded = load_files(&[("a.yaml", text)]);
        assert!(loaded.document.is_none());
        let d = loaded.diagnostics.into_vec();
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains(needle), "{}", d[0].message);
        assert_eq!(d[0].code, Code::Version);
    }
}

#[test]
fn asyncapi_3_1_reads_like_3_0() {
    let doc = ok(&[(
        "a.yaml",
        "asyncapi: 3.1.0\ninfo: {title: T, version: '1'}\nchannels:\n  c: {address: c, messages: {m: {payload: {type: string}}}}\noperations:\n  o: {action: receive, channel: {$ref: '#/channels/c'}}\n",
    )]);
    assert_eq!(doc.version, asyncapi_rs_codegen::model::SpecVersion::V3_1);
    let op = &doc[doc.operations["o"]];
    // No `messages` on the operation: all of the channel's messages.
    assert_eq!(op.messages.len(), 1);
}

#[test]
fn json_roots_with_tabs_anchors_and_percent_encoded_file_names() {
    let doc = ok(&[
        (
            "root.json",
            "{\n\t\"asyncapi\": \"3.0.0\",\n\t\"info\": {\"title\": \"T\", \"version\": \"1\"},\n\t\"components\": {\"schemas\": {\"A\": {\"$ref\": \"my%20schemas.json#Thing\"}}}\n}",
        ),
        (
            "my schemas.json",
            r#"{"$defs": {"thing": {"$anchor": "Thing", "type": "integer", "minimum": 3}}}"#,
        ),
    ]);
    let a = &doc[doc.components.schemas["A"]];
    assert_eq!(a.types, [JsonType::Integer]);
    assert_eq!(a.minimum.as_ref().and_then(|n| n.as_u64()), Some(3));
}

#[test]
fn request_reply_operations_keep_their_reply() {
    let doc = ok(&[(
        "a.yaml",
        &format!(
            "{HEAD}channels:\n  ping: {{address: ping, messages: {{ping: {{payload: {{type: string}}}}}}}}\n  pong: {{address: null, messages: {{pong: {{payload: {{type: string}}}}}}}}\noperations:\n  ping:\n    action: send\n    channel: {{$ref: '#/channels/ping'}}\n    reply:\n      address: {{location: '$message.header#/replyTo'}}\n      channel: {{$ref: '#/channels/pong'}}\n      messages: [{{$ref: '#/channels/pong/messages/pong'}}]\n"
        ),
    )]);
    let op = &doc[doc.operations["ping"]];
    let reply = op.reply.as_ref().unwrap();
    assert_eq!(
        reply.address.as_ref().unwrap().location,
        "$message.header#/replyTo"
    );
    let pong = reply.channel.unwrap();
    assert_eq!(doc[pong].address, None);
    assert_eq!(reply.messages, vec![doc[pong].messages["pong"]]);
}

#[test]
fn files_lists_every_file_read_for_rebuild_tracking() {
    let loaded = load_files(&[
        (
            "a.yaml",
            &format!(
                "{HEAD}components:\n  schemas:\n    A: {{$ref: 'b.yaml#/B'}}\n    C: {{$ref: 'missing.yaml#/C'}}\n"
            ),
        ),
        ("b.yaml", "B: {type: string}\n"),
    ]);
    let names: Vec<String> = loaded
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    // The missing file is listed too: creating it must trigger a rebuild.
    assert_eq!(names, ["a.yaml", "b.yaml", "missing.yaml"]);
}

#[test]
fn the_workspace_resolves_references_and_remembers_each_file_s_syntax() {
    use asyncapi_rs_codegen::parse::Syntax;
    use asyncapi_rs_codegen::workspace::Workspace;

    let reader = MemoryReader::new()
        .with("root.json", r#"{"a": {"$ref": "part.yaml#/b"}}"#)
        .with("part.yaml", "b: {$ref: '#/c'}\nc: 42\n");
    let ws = Workspace::load("root.json", LoadOptions::default().with_reader(reader)).unwrap();
    let files: Vec<_> = ws.files().map(|f| f.path().to_owned()).collect();
    assert_eq!(files.len(), 2);
    assert_eq!(ws.syntax(ws.root_file()), Some(Syntax::Json));
    let a = ws.root().node.get("a").unwrap();
    let step = ws.resolve(ws.root_file(), a.ref_target().unwrap()).unwrap();
    assert_eq!(ws.syntax(step.file), Some(Syntax::Yaml));
    assert_eq!(step.pointer.to_string(), "/b");
    let end = ws.follow(step).unwrap();
    assert_eq!(end.pointer.to_string(), "/c");
    assert_eq!(end.node.to_json(), 42);
}
