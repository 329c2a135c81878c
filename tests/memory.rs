//! End to end on the in-process transport, through the code `include_spec!` generates: typed
//! send and receive, several messages on one channel told apart exactly, parameters read back
//! from the address, request/reply with correlation, and a malformed message that is an error
//! for itself only.

use std::time::Duration;

use asyncapi::envelope::Envelope;
use asyncapi::memory::Broker;
use asyncapi::transport::{ChannelSpec, Producer, Publisher};
use asyncapi::{Error, StreamExt};

mod app {
    asyncapi::include_spec!("tests/specs/e2e.yaml");
}

use app::channels::events;
use app::messages::{Alarm, Ping, Pong, Status};
use app::models::{AlarmPayload, PingHeaders, PingPayload, PongPayload, StatusPayload};
use app::operations::{OnEvents, OnEventsMessage, OnPing, PublishEvents, PublishEventsMessage};

fn alarm(level: i64) -> PublishEventsMessage {
    PublishEventsMessage::Alarm(Alarm::new(AlarmPayload { level, note: None }))
}

fn params(device: &str, kind: events::Kind) -> events::Params {
    events::Params {
        device_id: device.to_owned(),
        kind,
    }
}

#[tokio::test]
async fn several_messages_on_one_channel_with_parameters_read_back() {
    let broker = Broker::new();
    let c = broker.connect();
    let mut all = OnEvents::subscribe(&c, &events::Filter::default())
        .await
        .unwrap();
    let mut alarms_of_d2 = OnEvents::subscribe(
        &c,
        &events::Filter {
            device_id: Some("d2".into()),
            kind: Some(events::Kind::Alarm),
        },
    )
    .await
    .unwrap();
    let sender = PublishEvents::open(&c).await.unwrap();
    sender
        .send(&params("d1", events::Kind::Alarm), &alarm(3))
        .await
        .unwrap();
    let status = PublishEventsMessage::Status(Status::new(StatusPayload {
        online: true,
        note: Some("boot".into()),
    }));
    sender
        .send(&params("d2", events::Kind::Status), &status)
        .await
        .unwrap();
    sender
        .send(&params("d2", events::Kind::Alarm), &alarm(5))
        .await
        .unwrap();

    let first = all.next().await.unwrap().unwrap();
    assert_eq!(first.params, params("d1", events::Kind::Alarm));
    let values = asyncapi::operation::ChannelParams::values(&first.params);
    assert_eq!(
        values,
        [
            ("deviceId".into(), "d1".to_owned()),
            ("kind".into(), "alarm".to_owned())
        ]
    );
    assert_eq!(first.address, "devices/d1/events/alarm");
    assert!(matches!(first.message, OnEventsMessage::Alarm(ref a) if a.payload.level == 3));
    let second = all.next().await.unwrap().unwrap();
    assert!(
        matches!(second.message, OnEventsMessage::Status(ref s) if s.payload.online),
        "{second:?}"
    );
    assert_eq!(second.params.kind, events::Kind::Status);
    let only = alarms_of_d2.next().await.unwrap().unwrap();
    assert_eq!(only.params, params("d2", events::Kind::Alarm));
    assert!(matches!(only.message, OnEventsMessage::Alarm(ref a) if a.payload.level == 5));
}

#[tokio::test]
async fn invalid_messages_are_refused_before_sending() {
    let broker = Broker::new();
    let c = broker.connect();
    let err = PublishEvents::send(&c, &params("d1", events::Kind::Alarm), &alarm(9))
        .await
        .unwrap_err();
    match &err {
        Error::Invalid {
            channel,
            message,
            address,
            violations,
        } => {
            assert_eq!((*channel, *message), ("events", "alarm"));
            assert_eq!(*address, None, "not sent, so not received anywhere");
            assert_eq!(
                violations.to_string(),
                "/payload/level: 9 is greater than 5"
            );
        }
        other => panic!("{other}"),
    }
    // A parameter value that would change the address is refused too.
    let err = PublishEvents::send(&c, &params("", events::Kind::Alarm), &alarm(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Address { .. }), "{err}");
}

/// Sends raw bytes on the channel, as a foreign or broken producer would.
async fn send_raw(c: &asyncapi::memory::MemoryConnection, address: &str, payload: &'static str) {
    let publisher = c.publisher(&ChannelSpec::new("raw", "raw")).await.unwrap();
    let mut envelope = Envelope::new(address).with_payload(payload);
    envelope.content_type = Some("application/json".into());
    publisher.send(envelope).await.unwrap();
}

#[tokio::test]
async fn malformed_and_ambiguous_messages_are_errors_and_the_stream_goes_on() {
    let broker = Broker::new();
    let c = broker.connect();
    let mut events = OnEvents::subscribe(&c, &events::Filter::default())
        .await
        .unwrap();
    send_raw(&c, "devices/d1/events/alarm", "{not json").await;
    send_raw(&c, "devices/d1/events/alarm", r#"{"level": 7}"#).await;
    send_raw(&c, "devices/d9/events/alarm", r#"{"level": "high"}"#).await;
    send_raw(
        &c,
        "devices/d1/events/alarm",
        r#"{"level": 2, "online": true}"#,
    )
    .await;
    send_raw(&c, "devices/d1/events/unknown", r#"{"level": 2}"#).await;
    send_raw(&c, "devices/d1/events/status", r#"{"online": false}"#).await;

    let malformed = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(&malformed, Error::UnknownMessage { reason, .. } if reason.contains("none of the expected")),
        "{malformed}"
    );
    // `level: 7` decodes as an alarm but breaks `maximum`, and is no status: no message fits.
    let out_of_range = events.next().await.unwrap().unwrap_err();
    assert!(
        out_of_range.to_string().contains("7 is greater than 5"),
        "{out_of_range}"
    );
    // A received message that breaks its schema says where it came from (who sent it).
    assert!(
        out_of_range.to_string().contains(
            "message `alarm` received on `devices/d1/events/alarm` is invalid: /payload/level"
        ),
        "{out_of_range}"
    );
    // A value of the wrong type is named by its JSON pointer.
    let wrong_type = events.next().await.unwrap().unwrap_err();
    assert!(
        wrong_type
            .to_string()
            .contains("received on `devices/d9/events/alarm`")
            && wrong_type
                .to_string()
                .contains("at `/level`: invalid type: string \"high\""),
        "{wrong_type}"
    );
    // Both messages forbid unknown properties, so this one fits neither.
    let neither = events.next().await.unwrap().unwrap_err();
    assert!(matches!(neither, Error::UnknownMessage { .. }), "{neither}");
    // `unknown` is not a `kind`: the address does not fit the channel's parameters.
    let wrong_address = events.next().await.unwrap().unwrap_err();
    assert!(
        wrong_address.to_string().contains("does not fit"),
        "{wrong_address}"
    );
    // And the stream goes on.
    let ok = events.next().await.unwrap().unwrap();
    assert!(matches!(ok.message, OnEventsMessage::Status(ref s) if !s.payload.online));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_reply_with_correlation() {
    let broker = Broker::new();
    let server = broker.connect();
    let mut pings = OnPing::subscribe(&server, &app::channels::ping::Filter)
        .await
        .unwrap();
    tokio::spawn(async move {
        while let Some(Ok(request)) = pings.next().await {
            let reply = Pong::new(PongPayload {
                seq: request.message.payload.seq + 1,
            });
            OnPing::reply(&server, &request, &reply).await.unwrap();
        }
    });
    let client = broker.connect();
    for seq in [1, 10] {
        let ping = Ping {
            payload: PingPayload { seq },
            headers: PingHeaders {
                correlation_id: Some(format!("req-{seq}")),
                reply_to: None,
            },
        };
        let reply = app::operations::Ping::request(
            &client,
            &app::channels::ping::Params,
            &ping,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!(reply.message.payload.seq, seq + 1);
        assert_eq!(
            reply.correlation_id.as_deref(),
            Some(format!("req-{seq}").as_str())
        );
    }
    // Nobody answers on a closed broker's channel in time.
    broker.close();
    let err = app::operations::Ping::request(
        &client,
        &app::channels::ping::Params,
        &Ping {
            payload: PingPayload { seq: 0 },
            headers: PingHeaders {
                correlation_id: None,
                reply_to: None,
            },
        },
        Duration::from_millis(50),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err}");
}

mod lights {
    asyncapi::include_spec!("examples/specs/streetlights-mqtt.yaml");
}

#[test]
fn bindings_reach_the_channel_specs_and_envelopes() {
    use asyncapi::Message as _;
    use asyncapi::bindings::{MqttOperation, NatsOperation, WsChannel};
    // Streetlights' operations carry `mqtt: {qos: 1}` through an operation trait.
    let spec = lights::operations::TurnOn::spec();
    let mut qos1 = MqttOperation::default();
    qos1.qos = Some(1);
    assert_eq!(spec.bindings.mqtt, Some(qos1));
    let spec = OnPing::spec();
    let mut get = WsChannel::default();
    get.method = Some("GET".into());
    assert_eq!(spec.bindings.ws, Some(get));
    let mut pingers = NatsOperation::default();
    pingers.queue = Some("pingers".into());
    assert_eq!(spec.bindings.nats, Some(pingers));
    // A protocol's own group applies on that protocol alone.
    assert_eq!(spec.queue_group, None);
    assert_eq!(spec.group("nats"), Some("pingers"));
    assert_eq!(spec.group("ws"), None);
    assert_eq!(
        Pong::bindings()
            .mqtt
            .and_then(|m| m.payload_format_indicator),
        Some(1)
    );
}

#[test]
fn servers_have_typed_variables_and_security() {
    use asyncapi::security::{ApiKey, Credential, Credentials, KeyLocation, Token};
    use lights::servers::{Production, ProductionPort, ProductionSecurity};
    let default = Production::default();
    assert_eq!(default.url(), "mqtt://test.mosquitto.org:1883");
    let tls = Production {
        port: ProductionPort::N8883,
    };
    assert_eq!(tls.host(), "test.mosquitto.org:8883");
    assert_eq!(Production::PROTOCOL, "mqtt");
    // The document accepts an API key as the MQTT user, or OAuth2 / OpenID Connect tokens.
    let key = ProductionSecurity::ApiKey(ApiKey { key: "k".into() });
    assert_eq!(
        key.credentials(),
        [Credential::ApiKey {
            key: ApiKey { key: "k".into() },
            location: KeyLocation::User
        }]
    );
    let oauth = ProductionSecurity::Oauth2(Token { token: "t".into() });
    assert_eq!(
        oauth.credentials(),
        [Credential::Authorization {
            scheme: "Bearer".into(),
            credentials: "t".into()
        }]
    );
}

mod hooks {
    asyncapi::include_spec!("tests/specs/no-messages.yaml");
}
mod hooks_client {
    asyncapi::include_spec!("tests/specs/no-messages.yaml", perspective = "client");
}

/// Operations whose channels declare no message carry whatever arrives, as bytes with their
/// content type and headers.
#[tokio::test]
async fn operations_without_messages_carry_any_payload() {
    use asyncapi::message::AnyMessage;
    let broker = Broker::new();
    let c = broker.connect();
    let mut checks = hooks::operations::CheckHealth::subscribe(&c, &Default::default())
        .await
        .unwrap();
    let mut triggered = hooks_client::operations::TriggerJob::subscribe(&c, &Default::default())
        .await
        .unwrap();
    hooks_client::operations::CheckHealth::send(
        &c,
        &hooks_client::channels::health::Params,
        &AnyMessage::new(""),
    )
    .await
    .unwrap();
    let check = checks.next().await.unwrap().unwrap();
    assert!(check.message.payload.is_empty());
    let mut body = AnyMessage::new(r#"{"priority":"high"}"#).with_content_type("application/json");
    body.headers.insert("x-caller", "cron");
    hooks::operations::TriggerJob::send(
        &c,
        &hooks::channels::trigger::Params {
            job_id: "nightly".into(),
        },
        &body,
    )
    .await
    .unwrap();
    let got = triggered.next().await.unwrap().unwrap();
    assert_eq!(got.params.job_id, "nightly");
    assert_eq!(
        got.message, body,
        "payload, content type and headers as sent"
    );
}
