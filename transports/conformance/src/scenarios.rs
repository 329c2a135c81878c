//! The scenarios, each written against the contract and the suite's generated code only.

use std::time::Duration;

use asyncapi::StreamExt;
use asyncapi::delivery::{Limits, Overflow};
use asyncapi::envelope::EnvelopeWriter;
use asyncapi::security::{Credential, UserPassword};
use asyncapi::transport::{
    ChannelSpec, Producer, Publisher, Reconnect, ServerSpec, TransportError,
};
use asyncapi::url::ServerUrl;

use crate::{Capabilities, Harness, Relay, Settings, device, missing, record, service};

/// How long a scenario waits for a message, an error or the end of a stream before it fails.
pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// One scenario of the suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scenario {
    /// A note the service sends reaches a device, typed, with its parameters (and its headers
    /// where headers travel); a receipt the device sends reaches the service.
    RoundTrip,
    /// A note of about [`Capabilities::largest_payload`] bytes arrives whole.
    LargePayload,
    /// A payload that is not JSON, from a peer that is not generated code, is an error item
    /// for that message; the note after it arrives.
    Malformed,
    /// A JSON payload the schema refuses (a priority of 9 where the maximum is 5) is an error
    /// item for that message; the note after it arrives.
    Invalid,
    /// Connecting to a closed port is `TransportError::Connect`, and its message names the
    /// server it could not reach (network transports).
    ClosedPort,
    /// Connecting to a host that does not exist is `TransportError::Connect` naming it
    /// (network transports).
    UnknownHost,
    /// After its connection is closed, a subscription's stream ends, and a send fails.
    Close,
    /// A password in the URL and another in the credentials, to a closed port and to a server
    /// that refuses them: neither appears in the error, its `Debug`, the server's `Debug` or any
    /// line logged through `tracing` meanwhile (network transports).
    Secrets,
    /// Through a TLS listener with a certificate of an authority made for the scenario: with
    /// that authority trusted a note goes round; with the system's roots alone the connection is
    /// refused (network transports whose harness connects with TLS).
    Tls,
    /// Through a relay that then goes down: a send is an error, never `Ok` (transports with
    /// acknowledged sends).
    SendToGone,
    /// Through a relay that stalls (the connection stays open and carries nothing, as behind a
    /// dead route): a send is an error within the transport's own timeouts, never `Ok`, and
    /// opening a subscription returns instead of waiting for ever (transports with acknowledged
    /// sends).
    Stalled,
    /// Through a relay that cuts every connection: the subscription yields one error for the
    /// break, then the notes sent after it (transports that reconnect).
    Reconnect,
    /// A manual subscription `nack`s a note: it comes again; `ack`ed, it does not, and the next
    /// note follows (transports that redeliver).
    Redelivery,
    /// Connected through a relay with `Reconnect::Never`, then the relay goes down: the
    /// subscription's stream ends (after an error item, at most one), and where sends are
    /// acknowledged a send fails (network transports whose harness connects with settings).
    NoReconnect,
    /// A subscriber whose queue holds 4 messages or 64 KiB reads nothing while 60 notes of
    /// 4 KiB are sent, then reads: the notes arrive in order, without duplicates, and every note
    /// is either received or counted in a `TransportError::Lagged` (no other error); with the
    /// [`Overflow::Drop`] policy some are dropped (the bound held), with [`Overflow::Wait`] none
    /// (transports that declare their slow-consumer policy and connect with limits).
    SlowConsumer,
    /// Two workers in one consumer group, on two connections, share 200 typed jobs: each job
    /// reaches exactly one of them, and each gets some (transports with groups).
    GroupShares,
    /// A worker joining its group after 20 jobs were done gets none of them, only a share of
    /// the 20 sent after it joined; none twice, none lost (transports with groups).
    GroupLateMember,
    /// A worker that dies holding unacknowledged jobs: every one of them reaches the group's
    /// other worker (transports that hand over).
    GroupHandover,
    /// A subscription in a consumer group is refused, naming the group (transports without
    /// groups).
    GroupRefused,
}

impl Scenario {
    /// Runs the scenario against `harness`; it panics where the transport breaks a promise.
    pub async fn run<H: Harness>(self, harness: &H) {
        let capabilities = harness.capabilities();
        let needs = |what: bool, why: &str| {
            if !what {
                println!("not applicable: the transport does not declare that {why}");
            }
            what
        };
        let applies = match self {
            Scenario::ClosedPort | Scenario::UnknownHost | Scenario::Secrets | Scenario::Tls => {
                needs(capabilities.network, "it reaches a server over the network")
            }
            Scenario::SendToGone | Scenario::Stalled => {
                needs(capabilities.network, "it reaches a server over the network")
                    && needs(
                        capabilities.acknowledged_sends,
                        "a send waits for the server to take the message",
                    )
            }
            Scenario::Reconnect => {
                needs(capabilities.network, "it reaches a server over the network")
                    && needs(capabilities.reconnects, "it reconnects by itself")
            }
            Scenario::NoReconnect => {
                needs(capabilities.network, "it reaches a server over the network")
            }
            Scenario::Redelivery => needs(
                capabilities.redelivers,
                "a nacked message is delivered again",
            ),
            Scenario::SlowConsumer => needs(
                capabilities.slow_consumer.is_some(),
                "what a slow consumer gets (its overflow policy)",
            ),
            Scenario::GroupShares | Scenario::GroupLateMember => {
                needs(capabilities.groups, "it has consumer groups")
            }
            Scenario::GroupHandover => needs(
                capabilities.handover,
                "a group member's unacknowledged messages go to another member",
            ),
            Scenario::GroupRefused => {
                if capabilities.groups {
                    println!("not applicable: the transport has consumer groups");
                }
                !capabilities.groups
            }
            _ => true,
        };
        if !applies || !reachable(harness) {
            return;
        }
        match self {
            Scenario::RoundTrip => round_trip(harness, &capabilities).await,
            Scenario::LargePayload => large_payload(harness, &capabilities).await,
            Scenario::Malformed => bad_payload(harness, b"{\"text\": \"half a note", "").await,
            Scenario::Invalid => {
                bad_payload(
                    harness,
                    br#"{"text":"too urgent","priority":9}"#,
                    "9 is greater than 5",
                )
                .await
            }
            Scenario::ClosedPort => closed_port(harness).await,
            Scenario::UnknownHost => unknown_host(harness).await,
            Scenario::Close => close(harness).await,
            Scenario::Secrets => secrets(harness).await,
            Scenario::Tls => tls(harness).await,
            Scenario::SendToGone => send_to_gone(harness).await,
            Scenario::Stalled => stalled(harness).await,
            Scenario::Reconnect => reconnect(harness).await,
            Scenario::NoReconnect => no_reconnect(harness, &capabilities).await,
            Scenario::Redelivery => redelivery(harness).await,
            Scenario::SlowConsumer => {
                let policy = capabilities.slow_consumer.unwrap_or(Overflow::Wait);
                slow_consumer(harness, policy).await
            }
            Scenario::GroupShares => crate::groups::shares(harness).await,
            Scenario::GroupLateMember => crate::groups::late_member(harness).await,
            Scenario::GroupHandover => crate::groups::handover(harness).await,
            Scenario::GroupRefused => crate::groups::refused(harness).await,
        }
    }
}

/// Whether the harness's server answers (a networked transport's only: TCP to its host and
/// port); when it does not, says so ([`missing`]).
fn reachable<H: Harness>(harness: &H) -> bool {
    if !harness.capabilities().network {
        return true;
    }
    let server = harness.server();
    let Some(address) = socket_address(&server) else {
        panic!(
            "the harness's server URL `{}` has no host and port the suite can reach",
            asyncapi::url::redacted_url(&server.url)
        );
    };
    if std::net::TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok() {
        return true;
    }
    missing(&format!(
        "THE {} SERVER IS MISSING: nothing listens at {address}: this conformance scenario did NOT run",
        server.protocol.to_uppercase()
    ));
    false
}

fn socket_address(server: &ServerSpec) -> Option<std::net::SocketAddr> {
    use std::net::ToSocketAddrs;
    let url = ServerUrl::parse(&server.url).ok()?;
    (url.host(), url.port()?).to_socket_addrs().ok()?.next()
}

/// `server` at another host and port (and user information), the rest of its URL kept.
fn moved(server: &ServerSpec, userinfo: &str, host: &str, port: u16) -> ServerSpec {
    let url = ServerUrl::parse(&server.url).expect("the harness's server URL parses");
    let scheme = url.scheme().map(|s| format!("{s}://")).unwrap_or_default();
    server
        .clone()
        .at(format!("{scheme}{userinfo}{host}:{port}{}", url.rest()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A run id no other scenario uses.
pub(crate) fn run_id(what: &str) -> String {
    format!("{what}-{}", asyncapi::operation::unique_id())
}

pub(crate) async fn within<T>(what: &str, future: impl Future<Output = T>) -> T {
    tokio::time::timeout(PATIENCE, future)
        .await
        .unwrap_or_else(|_| panic!("{what}: nothing within {PATIENCE:?}"))
}

pub(crate) async fn connect<H: Harness>(harness: &H) -> H::Connection {
    within("connecting", harness.connect(&harness.server()))
        .await
        .unwrap_or_else(|e| panic!("connecting to the harness's server: {e}"))
}

fn note(text: impl Into<String>, priority: i64) -> service::messages::Note {
    service::messages::Note::new(service::models::Note {
        text: text.into(),
        priority,
        sent_at: None,
    })
}

fn notes_of(run: &str) -> device::channels::notes::Filter {
    device::channels::notes::Filter {
        run: Some(run.to_owned()),
    }
}

fn params(run: &str) -> service::channels::notes::Params {
    service::channels::notes::Params {
        run: run.to_owned(),
    }
}

async fn round_trip<H: Harness>(harness: &H, capabilities: &Capabilities) {
    let (service_side, device_side) = (connect(harness).await, connect(harness).await);
    let run = run_id("round-trip");
    let mut notes = device::operations::PublishNote::subscribe(&device_side, &notes_of(&run))
        .await
        .expect("the device subscribes to the run's notes");
    let mut receipts = service::operations::OnReceipt::subscribe(
        &service_side,
        &service::channels::receipts::Filter {
            run: Some(run.clone()),
        },
    )
    .await
    .expect("the service subscribes to the run's receipts");
    let mut sent = note("water level at the north gauge: 2.31 m", 2);
    if capabilities.headers {
        sent.headers.trace_id = Some("trace-7f3a".into());
    }
    service::operations::PublishNote::send(&service_side, &params(&run), &sent)
        .await
        .expect("the service sends a note");
    let got = within("the note", notes.next())
        .await
        .expect("the notes stream is open")
        .expect("the note decodes");
    assert_eq!(got.params.run, run, "the run is read back from the address");
    assert_eq!(
        (
            got.message.payload.text.as_str(),
            got.message.payload.priority
        ),
        ("water level at the north gauge: 2.31 m", 2)
    );
    if capabilities.headers {
        assert_eq!(
            got.message.headers.trace_id.as_deref(),
            Some("trace-7f3a"),
            "headers travel"
        );
    }
    let receipt = device::messages::Receipt::new(device::models::Receipt {
        note_text: got.message.payload.text.clone(),
        accepted: Some(true),
    });
    device::operations::OnReceipt::send(
        &device_side,
        &device::channels::receipts::Params { run: run.clone() },
        &receipt,
    )
    .await
    .expect("the device sends a receipt");
    let back = within("the receipt", receipts.next())
        .await
        .expect("the receipts stream is open")
        .expect("the receipt decodes");
    assert_eq!(back.params.run, run);
    assert_eq!(
        (
            back.message.payload.note_text.as_str(),
            back.message.payload.accepted
        ),
        ("water level at the north gauge: 2.31 m", Some(true))
    );
    let _ = harness.close(&service_side).await;
    let _ = harness.close(&device_side).await;
}

async fn large_payload<H: Harness>(harness: &H, capabilities: &Capabilities) {
    let connection = connect(harness).await;
    let run = run_id("large");
    let mut notes = device::operations::PublishNote::subscribe(&connection, &notes_of(&run))
        .await
        .expect("subscribes");
    // JSON framing and the address take some bytes; the text takes the rest, in every
    // character class a payload carries (the schema allows 100,000 characters).
    let room = capabilities
        .largest_payload
        .saturating_sub(200)
        .min(100_000);
    let pattern = "gauge 7 · état ✓ \"quoted\" \\ tab\t; ";
    let text: String = pattern.chars().cycle().take(room).collect();
    let text = truncate_to_bytes(text, room);
    service::operations::PublishNote::send(&connection, &params(&run), &note(text.clone(), 1))
        .await
        .expect("a large note is sent");
    let got = within("the large note", notes.next())
        .await
        .expect("the stream is open")
        .expect("the large note decodes");
    assert_eq!(got.message.payload.text.len(), text.len());
    assert!(
        got.message.payload.text == text,
        "the large note arrives whole"
    );
    let _ = harness.close(&connection).await;
}

fn truncate_to_bytes(mut text: String, bytes: usize) -> String {
    while text.len() > bytes {
        text.pop();
    }
    text
}

/// A payload sent raw (as a peer that is not generated code would) is an error item (a decoding
/// error when `why` is empty, else a violation saying `why`); the
/// valid note after it arrives.
async fn bad_payload<H: Harness>(harness: &H, payload: &'static [u8], why: &str) {
    let connection = connect(harness).await;
    let run = run_id("bad");
    let mut notes = device::operations::PublishNote::subscribe(&connection, &notes_of(&run))
        .await
        .expect("subscribes");
    let address = format!("field.{run}.notes");
    let publisher = connection
        .publisher(&ChannelSpec::new("notes", address.clone()))
        .await
        .expect("a raw publisher");
    let mut envelope = publisher.envelope();
    envelope.set_address(address);
    envelope.set_payload(asyncapi::bytes::Bytes::from_static(payload));
    envelope.set_content_type(Some("application/json"));
    publisher
        .send(envelope)
        .await
        .expect("the raw payload is sent");
    service::operations::PublishNote::send(&connection, &params(&run), &note("after it", 3))
        .await
        .expect("the note after it is sent");
    let first = within("the bad payload", notes.next())
        .await
        .expect("the stream is open");
    match first {
        // Not JSON: a decoding error; JSON the schema refuses: the constraint it broke, with the
        // address it came on.
        Err(asyncapi::Error::Decode { channel, .. }) if why.is_empty() => {
            assert_eq!(channel, "notes", "the error names the document's channel");
        }
        Err(asyncapi::Error::Invalid {
            channel,
            address,
            violations,
            ..
        }) if !why.is_empty() => {
            assert_eq!(channel, "notes", "the error names the document's channel");
            assert!(
                address.is_some_and(|a| a.starts_with("field.")),
                "and the address"
            );
            assert!(
                violations.to_string().contains(why),
                "{violations} says why"
            );
        }
        Err(other) => panic!(
            "{:?}: not the error this payload must be: {other}",
            String::from_utf8_lossy(payload)
        ),
        Ok(_) => panic!(
            "{:?} must be an error item",
            String::from_utf8_lossy(payload)
        ),
    }
    let second = within("the note after it", notes.next())
        .await
        .expect("the stream goes on")
        .expect("the note after it decodes");
    assert_eq!(second.message.payload.text, "after it");
    let _ = harness.close(&connection).await;
}

/// The error of connecting to `server`, which must fail.
async fn refused<H: Harness>(harness: &H, server: &ServerSpec, what: &str) -> TransportError {
    match within(what, harness.connect(server)).await {
        Ok(_) => panic!("{what}: connecting succeeded"),
        Err(e) => e,
    }
}

async fn closed_port<H: Harness>(harness: &H) {
    let port = free_port();
    let server = moved(&harness.server(), "", "127.0.0.1", port);
    let err = refused(harness, &server, "connecting to a closed port").await;
    assert!(
        matches!(err, TransportError::Connect { .. }),
        "a closed port is TransportError::Connect, not {err:?}"
    );
    assert!(
        err.to_string().contains(&port.to_string()),
        "the error names the server it could not reach: {err}"
    );
}

async fn unknown_host<H: Harness>(harness: &H) {
    let server = moved(&harness.server(), "", "no-such-host.invalid", 4000);
    let err = refused(harness, &server, "connecting to an unknown host").await;
    assert!(
        matches!(err, TransportError::Connect { .. }),
        "an unknown host is TransportError::Connect, not {err:?}"
    );
    assert!(
        err.to_string().contains("no-such-host.invalid"),
        "the error names the server it could not reach: {err}"
    );
}

async fn close<H: Harness>(harness: &H) {
    let connection = connect(harness).await;
    let run = run_id("close");
    let mut notes = device::operations::PublishNote::subscribe(&connection, &notes_of(&run))
        .await
        .expect("subscribes");
    harness.close(&connection).await.expect("closes");
    // The stream ends (an error item for the closing may come first).
    within("the end of the stream after close", async {
        while notes.next().await.is_some() {}
    })
    .await;
    let sent =
        service::operations::PublishNote::send(&connection, &params(&run), &note("late", 1)).await;
    assert!(sent.is_err(), "a send after close fails");
}

async fn secrets<H: Harness>(harness: &H) {
    if !record::install() {
        missing(
            "another global tracing subscriber is installed: the secrets scenario cannot read log lines",
        );
        return;
    }
    let id = asyncapi::operation::unique_id();
    let in_url = format!("url-secret-{id}");
    let in_credentials = format!("credential-secret-{id}");
    let with_secrets = |server: ServerSpec| {
        let mut server = server;
        server.credentials = vec![Credential::UserPassword(UserPassword {
            user: "conformance-user".into(),
            password: in_credentials.clone(),
        })];
        server
    };
    let mark = record::mark();
    let mut outputs = Vec::new();
    let closed = with_secrets(moved(
        &harness.server(),
        &format!("conformance-user:{in_url}@"),
        "127.0.0.1",
        free_port(),
    ));
    outputs.push(format!("{closed:?}"));
    let err = refused(harness, &closed, "connecting to a closed port with secrets").await;
    outputs.push(format!("{err} {err:?}"));
    let server = harness.server();
    let address = socket_address(&server).expect("the server's address");
    let refusing = harness.refusing(moved(
        &server,
        &format!("conformance-user:{in_url}@"),
        &address.ip().to_string(),
        address.port(),
    ));
    if let Some(refusing) = refusing {
        let refusing = with_secrets(refusing);
        let err = refused(
            harness,
            &refusing,
            "connecting with a password the server refuses",
        )
        .await;
        outputs.push(format!("{err} {err:?}"));
    }
    // Give what logs from tasks a moment to be written.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logged = record::since(mark);
    // The recorder saw the attempts (else looking in it proves nothing).
    assert!(
        !logged.is_empty(),
        "nothing was logged while connecting: the transport logs its connect attempts"
    );
    for secret in [&in_url, &in_credentials] {
        for output in outputs.iter().chain(&logged) {
            assert!(
                !output.contains(secret.as_str()),
                "a secret is in this output: {output}"
            );
        }
    }
}

async fn tls<H: Harness>(harness: &H) {
    use asyncapi::tls::TlsOptions;
    let dir = std::env::temp_dir().join(run_id("conformance-tls"));
    let Some((ca, certificate, key)) = crate::make_certificates(&dir) else {
        return;
    };
    let server = harness.server();
    let upstream = socket_address(&server).expect("the server's address");
    let relay = Relay::start_tls(upstream, &certificate, &key, None).await;
    let url = ServerUrl::parse(&server.url).expect("the server URL parses");
    let userinfo = userinfo_of(&url);
    let secured = moved(&server, &userinfo, "127.0.0.1", relay.port);
    let trusted = TlsOptions::new().root_certificate(&ca);
    let Some(connected) = harness.connect_tls(&secured, trusted).await else {
        println!("not applicable: the harness does not connect with TLS");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    };
    let connection = connected.unwrap_or_else(|e| panic!("TLS with the authority trusted: {e}"));
    let run = run_id("tls");
    let mut notes = device::operations::PublishNote::subscribe(&connection, &notes_of(&run))
        .await
        .expect("subscribes over TLS");
    service::operations::PublishNote::send(&connection, &params(&run), &note("over TLS", 1))
        .await
        .expect("sends over TLS");
    let got = within("the note over TLS", notes.next())
        .await
        .expect("open")
        .expect("decodes");
    assert_eq!(got.message.payload.text, "over TLS");
    let _ = harness.close(&connection).await;
    // The system's roots do not know the authority: refused, at connect or at first use.
    let untrusted = harness
        .connect_tls(&secured, TlsOptions::new())
        .await
        .expect("the harness connects with TLS");
    match untrusted {
        Err(e) => assert!(
            matches!(e, TransportError::Connect { .. }),
            "an untrusted certificate is TransportError::Connect, not {e:?}"
        ),
        Ok(connection) => {
            let used = within(
                "using a connection to an untrusted server",
                device::operations::PublishNote::subscribe(&connection, &notes_of(&run)),
            )
            .await;
            assert!(used.is_err(), "a server of an unknown authority is refused");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `user:password@` of a URL, or nothing.
fn userinfo_of(url: &ServerUrl) -> String {
    match (url.user(), url.password()) {
        (Some(u), Some(p)) => format!("{u}:{p}@"),
        (Some(u), None) => format!("{u}@"),
        (None, Some(p)) => format!(":{p}@"),
        (None, None) => String::new(),
    }
}

/// A relay in front of the harness's server, and the server as reached through it.
async fn relayed<H: Harness>(harness: &H) -> (Relay, ServerSpec) {
    let server = harness.server();
    let upstream = socket_address(&server).expect("the server's address");
    let relay = Relay::start_for(|port| async move {
        match harness.behind_relay(port).await {
            Some((address, keep)) => (address, Some(keep)),
            None => (upstream, None),
        }
    })
    .await;
    let url = ServerUrl::parse(&server.url).expect("the server URL parses");
    let relayed = moved(&server, &userinfo_of(&url), "127.0.0.1", relay.port);
    (relay, relayed)
}

async fn through_relay<H: Harness>(harness: &H) -> (Relay, H::Connection) {
    let (relay, relayed) = relayed(harness).await;
    let connection = within("connecting through the relay", harness.connect(&relayed))
        .await
        .unwrap_or_else(|e| panic!("connecting through the relay: {e}"));
    (relay, connection)
}

async fn no_reconnect<H: Harness>(harness: &H, capabilities: &Capabilities) {
    let (relay, relayed) = relayed(harness).await;
    let settings = Settings::reconnect(Reconnect::Never);
    let Some(connection) = within(
        "connecting with Reconnect::Never",
        harness.connect_with_settings(&relayed, settings),
    )
    .await
    else {
        println!("not applicable: the harness does not connect with settings");
        return;
    };
    let connection = connection.unwrap_or_else(|e| panic!("connecting with Reconnect::Never: {e}"));
    let run = run_id("never");
    let mut notes = device::operations::PublishNote::subscribe(&connection, &notes_of(&run))
        .await
        .expect("subscribes through the relay");
    service::operations::PublishNote::send(&connection, &params(&run), &note("before", 1))
        .await
        .expect("a send while the server is there");
    let got = within("the note before the break", notes.next())
        .await
        .expect("open")
        .expect("decodes");
    assert_eq!(got.message.payload.text, "before");
    relay.down();
    // The break is told (once at most), then the stream ends: nothing connects again.
    let errors = within(
        "the end of the subscription after a break with Reconnect::Never",
        async {
            let mut errors = 0;
            while let Some(item) = notes.next().await {
                match item {
                    Err(_) => errors += 1,
                    Ok(got) => panic!("a note after the break: {}", got.message.payload.text),
                }
            }
            errors
        },
    )
    .await;
    assert!(errors <= 1, "at most one error for the break, not {errors}");
    if capabilities.acknowledged_sends {
        let sent = tokio::time::timeout(
            PATIENCE,
            service::operations::PublishNote::send(&connection, &params(&run), &note("after", 1)),
        )
        .await;
        assert!(
            matches!(sent, Ok(Err(_))),
            "a send after a break that is never mended fails"
        );
    }
    relay.up();
    let _ = harness.close(&connection).await;
}

async fn send_to_gone<H: Harness>(harness: &H) {
    let (relay, connection) = through_relay(harness).await;
    let run = run_id("gone");
    service::operations::PublishNote::send(&connection, &params(&run), &note("before", 1))
        .await
        .expect("a send while the server is there");
    relay.down();
    // The transport may take a while to notice; the send must fail within three times the
    // patience: `Ok` would claim an acknowledgement no server gave.
    let sent = tokio::time::timeout(
        PATIENCE * 3,
        service::operations::PublishNote::send(&connection, &params(&run), &note("after", 1)),
    )
    .await;
    match sent {
        Ok(Ok(())) => panic!("a send to a server that has gone returned Ok"),
        Ok(Err(_)) => {}
        Err(_) => panic!(
            "a send to a server that has gone neither failed nor timed out within {:?}",
            PATIENCE * 3
        ),
    }
    let _ = harness.close(&connection).await;
}

async fn stalled<H: Harness>(harness: &H) {
    let (relay, connection) = through_relay(harness).await;
    let run = run_id("stalled");
    service::operations::PublishNote::send(&connection, &params(&run), &note("before", 1))
        .await
        .expect("a send while the server answers");
    relay.stall();
    // Nothing ends the connection: only the transport's own timeouts can.
    let sent = tokio::time::timeout(
        PATIENCE * 3,
        service::operations::PublishNote::send(&connection, &params(&run), &note("after", 1)),
    )
    .await;
    match sent {
        Ok(Ok(())) => panic!("a send to a server that does not answer returned Ok"),
        Ok(Err(_)) => {}
        Err(_) => panic!(
            "a send to a server that does not answer neither failed nor timed out within {:?}",
            PATIENCE * 3
        ),
    }
    let opened = tokio::time::timeout(
        PATIENCE * 3,
        device::operations::PublishNote::subscribe(&connection, &notes_of(&run)),
    )
    .await;
    assert!(
        opened.is_ok(),
        "subscribing on a server that does not answer neither failed nor returned within {:?}",
        PATIENCE * 3
    );
    drop(opened);
    relay.cut();
    let _ = tokio::time::timeout(PATIENCE, harness.close(&connection)).await;
}

async fn reconnect<H: Harness>(harness: &H) {
    let (relay, receiving) = through_relay(harness).await;
    let sending = connect(harness).await;
    let run = run_id("reconnect");
    let mut notes = device::operations::PublishNote::subscribe(&receiving, &notes_of(&run))
        .await
        .expect("subscribes through the relay");
    service::operations::PublishNote::send(&sending, &params(&run), &note("before the break", 1))
        .await
        .expect("sends");
    let got = within("the note before the break", notes.next())
        .await
        .expect("open")
        .expect("decodes");
    assert_eq!(got.message.payload.text, "before the break");
    relay.cut();
    // Notes keep coming from a connection that never broke; the subscription yields one error
    // for its break, then notes again.
    let mut errors = 0;
    let mut attempt = 0;
    let deadline = tokio::time::Instant::now() + PATIENCE * 3;
    loop {
        attempt += 1;
        let _ = service::operations::PublishNote::send(
            &sending,
            &params(&run),
            &note(format!("after the break {attempt}"), 1),
        )
        .await;
        match tokio::time::timeout(Duration::from_millis(500), notes.next()).await {
            Ok(Some(Ok(got))) if got.message.payload.text.starts_with("after the break") => break,
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(_))) => errors += 1,
            Ok(None) => panic!("the subscription ended at the break instead of coming back"),
            Err(_) => {}
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no note after the break within {:?}",
            PATIENCE * 3
        );
    }
    assert_eq!(errors, 1, "one error for the break");
    let _ = harness.close(&receiving).await;
    let _ = harness.close(&sending).await;
}

/// How many notes the slow-consumer scenario sends, and how large each is.
const FLOOD: usize = 60;
const FLOOD_NOTE: usize = 4 * 1024;

async fn slow_consumer<H: Harness>(harness: &H, policy: Overflow) {
    let network = harness.capabilities().network;
    let limits = Settings::limits(Limits::new(4, 64 * 1024));
    let Some(slow) = within(
        "connecting with limits",
        harness.connect_with_settings(&harness.server(), limits),
    )
    .await
    else {
        panic!(
            "the harness declares a slow-consumer policy but cannot connect with limits \
             (Harness::connect_with_settings)"
        );
    };
    let slow = slow.unwrap_or_else(|e| panic!("connecting with limits: {e}"));
    let service_side = connect(harness).await;
    let run = run_id("slow");
    let mut notes = device::operations::PublishNote::subscribe(&slow, &notes_of(&run))
        .await
        .expect("the slow device subscribes");
    // Sent beside the reader: where the transport pushes back, a send may wait for it.
    let sent = std::sync::atomic::AtomicUsize::new(0);
    let sending = async {
        for n in 0..FLOOD {
            let text = format!("{n:04} {}", "~".repeat(FLOOD_NOTE));
            service::operations::PublishNote::send(&service_side, &params(&run), &note(text, 1))
                .await
                .unwrap_or_else(|e| panic!("note {n} is sent: {e}"));
            sent.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    };
    let reading = async {
        // The consumer is slow: nothing is read for a while.
        tokio::time::sleep(Duration::from_secs(2)).await;
        if !network && policy == Overflow::Wait {
            // In process, nothing else holds the notes: the publisher must be waiting.
            let so_far = sent.load(std::sync::atomic::Ordering::SeqCst);
            assert!(
                so_far <= 5,
                "{so_far} notes were sent to a subscriber that holds 4 and read none: its queue is not bounded"
            );
        }
        let mut received: Vec<usize> = Vec::new();
        let mut dropped: u64 = 0;
        while received.len() + (dropped as usize) < FLOOD {
            let item = tokio::time::timeout(Duration::from_secs(5), notes.next()).await;
            match item {
                // Nothing for a while: over once every note is sent (a loaded machine can
                // take longer than that between two sends; `within` bounds the whole flood).
                Err(_) if sent.load(std::sync::atomic::Ordering::SeqCst) < FLOOD => {}
                Err(_) => break,
                Ok(None) => panic!("the stream ended"),
                Ok(Some(Ok(got))) => {
                    let n: usize = got.message.payload.text[..4]
                        .parse()
                        .expect("the note's number");
                    assert!(
                        received.last().is_none_or(|last| *last < n),
                        "notes arrive in order, each once: {n} after {received:?}"
                    );
                    received.push(n);
                }
                Ok(Some(Err(asyncapi::Error::Transport {
                    source: TransportError::Lagged { dropped: d, .. },
                    ..
                }))) => dropped += d,
                Ok(Some(Err(other))) => {
                    panic!("a slow consumer gets only notes and `Lagged` counts, not: {other}")
                }
            }
        }
        (received, dropped)
    };
    let ((), (received, dropped)) =
        within("the flood", async { tokio::join!(sending, reading) }).await;
    assert_eq!(
        received.len() + dropped as usize,
        FLOOD,
        "every note is received or counted as dropped ({} received, {dropped} dropped, {} sent)",
        received.len(),
        sent.load(std::sync::atomic::Ordering::SeqCst)
    );
    match policy {
        Overflow::Drop => assert!(
            dropped > 0,
            "a queue of 4 messages dropped nothing of {FLOOD} notes nobody read: it is not bounded"
        ),
        _ => assert_eq!(dropped, 0, "a transport that pushes back drops nothing"),
    }
    let _ = harness.close(&slow).await;
    let _ = harness.close(&service_side).await;
}

async fn redelivery<H: Harness>(harness: &H) {
    let connection = connect(harness).await;
    let run = run_id("redelivery");
    let manual = asyncapi::ack::ManualAck(&connection);
    let mut notes = device::operations::PublishNote::subscribe(&manual, &notes_of(&run))
        .await
        .expect("a manual subscription");
    let text = "the pump at the east well failed";
    service::operations::PublishNote::send(&connection, &params(&run), &note(text, 4))
        .await
        .expect("sends");
    let first = within("the note", notes.next())
        .await
        .expect("open")
        .expect("decodes");
    assert_eq!(first.message.payload.text, text);
    first.nack().await.expect("the note is nacked");
    // Delivered again (a stream's claim may take its idle time).
    let again = within("the nacked note, again", notes.next())
        .await
        .expect("open")
        .expect("decodes");
    assert_eq!(
        again.message.payload.text, text,
        "the nacked note comes again, before anything else"
    );
    again.ack().await.expect("the note is acked");
    service::operations::PublishNote::send(&connection, &params(&run), &note("the next", 1))
        .await
        .expect("sends");
    let next = within("the next note", notes.next())
        .await
        .expect("open")
        .expect("decodes");
    assert_eq!(
        next.message.payload.text, "the next",
        "an acked note does not come again"
    );
    next.ack().await.expect("the next note is acked");
    // Nor later: a broken acknowledgement would leave it pending, to be claimed (a Redis
    // stream's harness claims after a second) or requeued.
    let later = tokio::time::timeout(ACKED_QUIET, notes.next()).await;
    if let Ok(Some(item)) = later {
        let text = item
            .map(|r| r.message.payload.text)
            .unwrap_or_else(|e| e.to_string());
        panic!("nothing comes after acknowledged notes, and `{text}` did");
    }
    let _ = harness.close(&connection).await;
}

/// How long the redelivery scenario waits for an acknowledged note not to come again.
const ACKED_QUIET: Duration = Duration::from_secs(3);
