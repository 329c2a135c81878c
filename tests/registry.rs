//! The registry of the transports this build has: what `asyncapi implementations` lists and
//! `transport::connect_any` picks from, checked against the workspace's own manifest.

use asyncapi::registry::Kind;
use asyncapi::transport::{ServerSpec, registry};

fn server(protocol: &str, version: Option<&str>) -> ServerSpec {
    ServerSpec {
        name: "s".into(),
        url: format!("{protocol}://127.0.0.1:1"),
        protocol: protocol.to_owned().into(),
        protocol_version: version.map(|v| v.to_owned().into()),
        bindings: Default::default(),
        credentials: Vec::new(),
    }
}

#[test]
fn every_built_in_transport_is_registered_and_connectable() {
    let registry = registry();
    let names: Vec<&str> = registry.descriptors().iter().map(|d| d.name).collect();
    assert_eq!(
        names,
        [
            "MQTT 3.1.1",
            "MQTT 5",
            "NATS",
            "WebSocket",
            "Redis",
            "AMQP 0-9-1",
            "Kafka"
        ]
    );
    for d in registry.descriptors() {
        assert!(d.connect.is_some(), "{} has no connect function", d.name);
        assert!(
            !d.security.is_empty(),
            "{} accepts no security scheme",
            d.name
        );
        assert!(!d.bindings.is_empty(), "{} applies no binding", d.name);
    }
    let kinds: Vec<Kind> = registry.descriptors().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::Brokered,
            Kind::Brokered,
            Kind::Brokered,
            Kind::Brokerless,
            Kind::Brokered,
            Kind::Brokered,
            Kind::Brokered
        ]
    );
}

#[test]
fn servers_find_their_transport_by_protocol_and_version() {
    let registry = registry();
    let pick = |p, v| registry.find(&server(p, v)).map(|d| d.name).unwrap();
    assert_eq!(pick("mqtt", None), "MQTT 3.1.1");
    assert_eq!(pick("secure-mqtt", Some("3.1.1")), "MQTT 3.1.1");
    assert_eq!(pick("mqtt", Some("5")), "MQTT 5");
    assert_eq!(pick("mqtt5", None), "MQTT 5");
    assert_eq!(pick("nats", Some("2.10")), "NATS");
    assert_eq!(pick("wss", None), "WebSocket");
    assert_eq!(pick("redis", None), "Redis");
    assert_eq!(pick("amqp", Some("0.9.1")), "AMQP 0-9-1");
    assert_eq!(pick("kafka", Some("3.5.0")), "Kafka");
    assert_eq!(pick("kafka-secure", None), "Kafka");
    let err = registry
        .find(&server("stomp", None))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no transport speaks `stomp`"), "{err}");
}

/// The library versions the descriptors state are the ones the workspace builds with.
#[test]
fn library_versions_are_the_workspaces() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("the workspace manifest");
    for d in registry().descriptors() {
        let line = manifest
            .lines()
            .find(|l| {
                l.starts_with(&format!("{} = ", d.library))
                    || l.contains(&format!("package = \"{}\"", d.library))
            })
            .unwrap_or_else(|| panic!("{} is not a workspace dependency", d.library));
        assert!(
            line.contains(&format!("\"{}\"", d.library_version)),
            "{}: the descriptor says {}, the workspace `{line}`",
            d.name,
            d.library_version
        );
    }
}
