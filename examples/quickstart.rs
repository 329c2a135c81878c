//! The Streetlights document, end to end: on the in-process transport (no broker needed), or
//! on the MQTT broker given on the command line. The same generated code runs on both.
//!
//! The application the document describes receives light measurements and sends commands; the
//! street lights are its counterpart, generated from the same document with
//! `perspective = "client"` (their `send` is the application's `receive`, and the reverse).
//!
//! Run with `cargo run --example quickstart`, or on a broker with
//! `cargo run --example quickstart --features mqtt -- mqtt://127.0.0.1:1883`.

use asyncapi::StreamExt;
use asyncapi::memory::Broker;
use asyncapi::{Consumer, Producer};

/// The application: receives `lightMeasured`, sends `turnOn`, `turnOff` and `dimLight`.
mod app {
    asyncapi::include_spec!("examples/specs/streetlights-mqtt.yaml");
}

/// A street light: the same document from the other side.
mod lamp {
    asyncapi::include_spec!(
        "examples/specs/streetlights-mqtt.yaml",
        perspective = "client"
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Each side has a connection of its own. (With the document's own server, a side would
    // connect with `app::servers::Production::default().connect(security)`.)
    match std::env::args().nth(1) {
        None => {
            let broker = Broker::new();
            streetlights(&broker.connect(), &broker.connect()).await?;
        }
        #[cfg(feature = "mqtt")]
        Some(url) if url.starts_with("mqtt://") => {
            use asyncapi::mqtt::{MqttConnection, MqttOptions};
            let options = MqttOptions::from_url(&url)?;
            let app = MqttConnection::connect(options.clone()).await?;
            let lamp =
                MqttConnection::connect(options.client_id(format!("lamp-{}", std::process::id())))
                    .await?;
            streetlights(&app, &lamp).await?;
            app.close().await?;
            lamp.close().await?;
        }
        #[cfg(not(feature = "mqtt"))]
        Some(url) if url.starts_with("mqtt://") => {
            return Err(format!(
                "`{url}`: the MQTT transport is not built; run with `--features mqtt`"
            )
            .into());
        }
        Some(other) => {
            return Err(format!(
                "`{other}`: give no argument (in-process) or an `mqtt://host:port` URL"
            )
            .into());
        }
    }
    Ok(())
}

/// The application and a lamp talking through the generated operations, on any transport.
async fn streetlights<C>(app_connection: &C, lamp_connection: &C) -> Result<(), asyncapi::Error>
where
    C: Producer + Consumer,
    C::Subscriber: 'static,
{
    // The application subscribes to every street light's measurements (`streetlightId` free)...
    use app::channels::lighting_measured;
    let mut measurements = app::operations::ReceiveLightMeasurement::subscribe(
        app_connection,
        &lighting_measured::Filter::default(),
    )
    .await?;
    // ...and the lamp listens for `turnOn` commands addressed to it.
    let mut commands = lamp::operations::TurnOn::subscribe(
        lamp_connection,
        &lamp::channels::light_turn_on::Filter {
            streetlight_id: Some("lamp-7".into()),
        },
    )
    .await?;

    // The lamp reports a measurement; the payload and headers are typed from the document.
    let measurement = lamp::messages::LightMeasured {
        payload: lamp::models::LightMeasuredPayload {
            lumens: Some(250),
            sent_at: Some(asyncapi::chrono::Utc::now().fixed_offset()),
        },
        // The headers of the document's `commonHeaders` trait, named after it.
        headers: lamp::models::CommonHeaders {
            my_app_header: Some(7),
        },
    };
    lamp::operations::ReceiveLightMeasurement::send(
        lamp_connection,
        &lamp::channels::lighting_measured::Params {
            streetlight_id: "lamp-7".into(),
        },
        &measurement,
    )
    .await?;

    // The application receives it, with the parameter read back from the topic.
    let received = measurements.next().await.expect("the stream is open")?;
    println!(
        "measured: {} lumens from {} on `{}`",
        received.message.payload.lumens.unwrap_or_default(),
        received.params.streetlight_id,
        received.address,
    );

    // The application turns that light on.
    // Headers that may all be absent have a `Default`, so `new` takes the payload alone.
    let command = app::messages::TurnOnOff::new(app::models::TurnOnOffPayload {
        command: Some(app::models::TurnOnOffPayloadCommand::On),
        sent_at: Some(asyncapi::chrono::Utc::now().fixed_offset()),
    });
    app::operations::TurnOn::send(
        app_connection,
        &app::channels::light_turn_on::Params {
            streetlight_id: received.params.streetlight_id.clone(),
        },
        &command,
    )
    .await?;
    let command = commands.next().await.expect("the stream is open")?;
    println!(
        "lamp {} got command {:?}",
        command.params.streetlight_id, command.message.payload.command
    );

    // A message that breaks the document's constraints is refused before it is sent.
    let too_bright = lamp::messages::LightMeasured::new(lamp::models::LightMeasuredPayload {
        lumens: Some(-1),
        ..Default::default()
    });
    let refused = lamp::operations::ReceiveLightMeasurement::send(
        lamp_connection,
        &lamp::channels::lighting_measured::Params {
            streetlight_id: "lamp-7".into(),
        },
        &too_bright,
    )
    .await;
    if let Err(e) = refused {
        println!("refused: {e}");
    }
    Ok(())
}
