//! What the runtime logs through `tracing` (target `asyncapi`) on the in-process transport:
//! spans around opening, subscribing, sending (with the concrete address) and requesting (with
//! the correlation id), and events for received messages and for errors.
//!
//! One test in a binary of its own: tracing caches, per call site and process-wide, whether any
//! subscriber wants it, and a test recording through a thread-scoped subscriber must not share
//! call sites with tests running on other threads at the same time.

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::envelope::Envelope;
use asyncapi::memory::Broker;
use asyncapi::transport::{ChannelSpec, Producer, Publisher};

mod app {
    asyncapi::include_spec!("tests/specs/e2e.yaml");
}

use app::channels::events;
use app::messages::{Alarm, Ping, Pong};
use app::models::{AlarmPayload, PingHeaders, PingPayload, PongPayload};
use app::operations::{OnEvents, OnPing, PublishEvents, PublishEventsMessage};

fn alarm(level: i64) -> PublishEventsMessage {
    PublishEventsMessage::Alarm(Alarm::new(AlarmPayload { level, note: None }))
}

fn params(device: &str, kind: events::Kind) -> events::Params {
    events::Params {
        device_id: device.to_owned(),
        kind,
    }
}

async fn send_raw(c: &asyncapi::memory::MemoryConnection, address: &str, payload: &'static str) {
    let publisher = c.publisher(&ChannelSpec::new("raw", "raw")).await.unwrap();
    let mut envelope = Envelope::new(address).with_payload(payload);
    envelope.content_type = Some("application/json".into());
    publisher.send(envelope).await.unwrap();
}

/// A tracing subscriber that writes down what it sees, as text: `span NAME field=value ...` (with
/// the fields recorded later appended) and `LEVEL in SPAN: field=value ...` for events.
#[derive(Clone, Default)]
struct Recorder {
    lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    spans: std::sync::Arc<std::sync::Mutex<Vec<(String, usize)>>>,
    current: std::sync::Arc<std::sync::Mutex<Vec<u64>>>,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={value}", field.name()));
    }
}

impl Recorder {
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target() == "asyncapi"
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut fields = Fields(format!("span {}", span.metadata().name()));
        span.record(&mut fields);
        let mut lines = self.lines.lock().unwrap();
        lines.push(fields.0);
        let mut spans = self.spans.lock().unwrap();
        spans.push((span.metadata().name().to_owned(), lines.len() - 1));
        tracing::span::Id::from_u64(spans.len() as u64)
    }
    fn record(&self, id: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let line = self.spans.lock().unwrap()[id.into_u64() as usize - 1].1;
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        self.lines.lock().unwrap()[line].push_str(&fields.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let within = match self.current.lock().unwrap().last() {
            Some(id) => self.spans.lock().unwrap()[*id as usize - 1].0.clone(),
            None => "-".to_owned(),
        };
        let mut fields = Fields(format!("{} in {within}:", event.metadata().level()));
        event.record(&mut fields);
        self.lines.lock().unwrap().push(fields.0);
    }
    fn enter(&self, id: &tracing::span::Id) {
        self.current.lock().unwrap().push(id.into_u64());
    }
    fn exit(&self, _: &tracing::span::Id) {
        self.current.lock().unwrap().pop();
    }
}

#[tokio::test]
async fn sends_receives_and_errors_are_traced() {
    let recorder = Recorder::default();
    let _guard = tracing::subscriber::set_default(recorder.clone());
    let broker = Broker::new();
    let c = broker.connect();
    let mut events = OnEvents::subscribe(&c, &events::Filter::default())
        .await
        .unwrap();
    let sender = PublishEvents::open(&c).await.unwrap();
    sender
        .send(&params("d1", events::Kind::Alarm), &alarm(3))
        .await
        .unwrap();
    events.next().await.unwrap().unwrap();
    // Refused before sending: the error is logged.
    let _ = sender
        .send(&params("d1", events::Kind::Alarm), &alarm(9))
        .await
        .unwrap_err();
    send_raw(&c, "devices/d1/events/alarm", "{not json").await;
    events.next().await.unwrap().unwrap_err();
    // A request, answered by a responder on the same broker.
    let mut pings = OnPing::subscribe(&c, &app::channels::ping::Filter)
        .await
        .unwrap();
    let server = broker.connect();
    tokio::spawn(async move {
        while let Some(Ok(request)) = pings.next().await {
            let reply = Pong::new(PongPayload { seq: 2 });
            OnPing::reply(&server, &request, &reply).await.unwrap();
        }
    });
    let ping = Ping {
        payload: PingPayload { seq: 1 },
        headers: PingHeaders {
            correlation_id: Some("req-traced".into()),
            reply_to: None,
        },
    };
    app::operations::Ping::request(
        &c,
        &app::channels::ping::Params,
        &ping,
        Duration::from_secs(5),
    )
    .await
    .unwrap();

    let lines = recorder.lines();
    let has = |wanted: &str| {
        assert!(
            lines.iter().any(|l| l.starts_with(wanted)),
            "no line starting with `{wanted}` in:\n{}",
            lines.join("\n")
        )
    };
    has("span subscribe channel=events address=devices/{deviceId}/events/{kind}");
    has("span open channel=events address=devices/{deviceId}/events/{kind}");
    // The concrete address is recorded once it is built.
    has("span send channel=events address=devices/d1/events/alarm");
    has("DEBUG in -: message=received channel=events address=devices/d1/events/alarm");
    has("DEBUG in -: message=failed error=channel `events`: message `alarm` is invalid");
    has(
        "WARN in -: message=received channel=events error=channel `events`: the message received on `devices/d1/events/alarm` is none of the expected messages",
    );
}
