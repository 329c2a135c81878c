//! Loads an AsyncAPI document and prints what the generator will see: servers, channels with
//! their parameters and messages, operations with their bindings, and every diagnostic.
//!
//! ```text
//! cargo run --example inspect --features codegen    # the bundled Streetlights (MQTT) document
//! cargo run --example inspect --features codegen -- path/to/asyncapi.yaml
//! ```

use std::process::ExitCode;

use asyncapi::codegen::model::{Action, Document, SchemaPayload};
use asyncapi::codegen::{LoadOptions, load};

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/specs/streetlights-mqtt.yaml"
        )
        .to_owned()
    });
    let loaded = load(&path, &LoadOptions::default());
    for diagnostic in &loaded.diagnostics {
        eprintln!("{diagnostic}\n");
    }
    let Some(doc) = loaded.document else {
        return ExitCode::FAILURE;
    };
    print_document(&doc);
    if loaded.diagnostics.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_document(doc: &Document) {
    println!(
        "{} {} (AsyncAPI {})",
        doc.info.title, doc.info.version, doc.asyncapi
    );
    println!("\nservers:");
    for (key, &id) in &doc.servers {
        let server = &doc[id];
        println!(
            "  {key}: {}://{}{}",
            server.protocol,
            server.host,
            server.pathname.as_deref().unwrap_or("")
        );
        for (name, var) in &server.variables {
            println!(
                "    {{{name}}} default {:?}, one of {:?}",
                var.default.as_deref().unwrap_or("-"),
                var.enum_values
            );
        }
        for requirement in &server.security {
            let schemes: Vec<&str> = requirement
                .schemes
                .iter()
                .map(|s| doc[s.scheme].key.as_str())
                .collect();
            println!("    security: {}", schemes.join(" + "));
        }
    }
    println!("\nchannels:");
    for (key, &id) in &doc.channels {
        let channel = &doc[id];
        println!(
            "  {key}: {}",
            channel.address.as_deref().unwrap_or("(dynamic address)")
        );
        for (name, param) in &channel.parameters {
            println!(
                "    parameter {name}: {}",
                param.description.as_deref().unwrap_or("")
            );
        }
        for (name, &message) in &channel.messages {
            let message = &doc[message];
            let payload = match &message.payload {
                Some(SchemaPayload::Schema { schema, .. }) => {
                    let s = &doc[*schema];
                    let fields: Vec<&str> = s.properties.keys().map(String::as_str).collect();
                    format!(
                        "{} {{ {} }}",
                        s.name.as_deref().or(s.title.as_deref()).unwrap_or("object"),
                        fields.join(", ")
                    )
                }
                Some(other) => format!("{} payload", other.format().media_type),
                None => "no payload".to_owned(),
            };
            println!("    message {name}: {payload}");
        }
    }
    println!("\noperations:");
    for (key, &id) in &doc.operations {
        let op = &doc[id];
        let verb = match op.action {
            Action::Send => "send to",
            Action::Receive => "receive from",
        };
        let qos = op
            .bindings
            .mqtt
            .as_ref()
            .and_then(|b| b.qos)
            .map(|q| format!(" (MQTT QoS {q})"))
            .unwrap_or_default();
        println!("  {key}: {verb} {}{qos}", doc[op.channel].key);
    }
}
