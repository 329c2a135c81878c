//! Documents with the departures real tools write load with warnings and compile: a channel's
//! `messages` as a sequence (ZenWave SDK), keyed by their names; undeclared server variables
//! and channel parameters, a `oneOf` listing a message twice, an operation message its channel
//! does not carry, `properties: null`, and Avro named types defined beside the file or further
//! down in it; a 3.0 server's `security` written as a 2.x requirement, and an `apiKey` sent in a
//! header.

mod customers {
    asyncapi::include_spec!(
        "../../specs/quirks/zenwave-messages-sequence.yaml",
        relative_to = "file"
    );
}

fn main() {
    let _ = customers::operations::OnCustomerEvent::subscribe::<asyncapi::memory::MemoryConnection>;
    let _ = customers::operations::PublishCustomerEvent::send::<asyncapi::memory::MemoryConnection>;
    let created = customers::messages::CustomerCreated::new(customers::models::CustomerCreatedPayload {
        id: "c-1".into(),
        name: "Ada".into(),
    });
    let _: customers::operations::OnCustomerEventMessage = created.into();
}

mod generated_v2 {
    asyncapi::include_spec!(
        "../../specs/quirks/tool-departures-v2.yaml",
        relative_to = "file",
        warnings = "allow"
    );
}

mod generated_v3 {
    asyncapi::include_spec!(
        "../../specs/quirks/tool-departures-v3.yaml",
        relative_to = "file",
        warnings = "allow"
    );
}

mod v2_habits {
    asyncapi::include_spec!(
        "../../specs/quirks/v2-habits-in-v3.yaml",
        relative_to = "file",
        warnings = "allow"
    );
}

/// What the departures above are read as.
fn _read_as() {
    // The undeclared server variable and channel parameter, without defaults.
    let _ = generated_v2::servers::Production { port: "9092".into() };
    let _ = generated_v2::channels::orders_tenant_v1::Params { tenant: "acme".into() };
    // `OrderPlaced` listed twice is one variant.
    let _ = |m: generated_v2::operations::OnOrderMessage| match m {
        generated_v2::operations::OnOrderMessage::OrderPlaced(_)
        | generated_v2::operations::OnOrderMessage::OrderCancelled(_) => (),
    };
    // The Avro types found beside the file and further down in it.
    let _ = |o: generated_v3::models::Order| (o.lines, o.status);
    let _ = generated_v3::operations::PublishOrder::send::<asyncapi::memory::MemoryConnection>;
    // `- mqttAuth: []` is the scheme `mqttAuth`; the `apiKey` in a header an `httpApiKey`.
    let _ = |c: asyncapi::security::UserPassword| v2_habits::servers::BrokerSecurity::MqttAuth(c);
    let _ = |k: asyncapi::security::ApiKey| v2_habits::servers::GatewaySecurity::GatewayKey(k);
}
