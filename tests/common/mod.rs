//! What the tests share: finding the corpus and reading its manifest, reporting what is
//! missing, servers of a test's own, and a TCP relay to break connections with.
#![allow(dead_code)] // Each test binary uses only part of this module.

use std::path::{Path, PathBuf};

#[cfg(feature = "kafka")]
pub mod kafka;
#[cfg(feature = "amqp")]
pub mod rabbitmq;
#[cfg(feature = "ws")]
pub mod ws;

#[cfg(feature = "codegen")]
use asyncapi::codegen::diag::Code;

/// The next item of a stream within ten seconds (a test that waits longer has failed).
pub async fn next<S: asyncapi::StreamExt + Unpin>(s: &mut S) -> S::Item {
    tokio::time::timeout(std::time::Duration::from_secs(10), s.next())
        .await
        .expect("a message within 10 s")
        .expect("the stream is open")
}

/// Reads a slow consumer's stream until `total` messages are received or counted as dropped
/// (`TransportError::Lagged`), or nothing comes for 5 s: what was received (through `read`) and
/// how many were dropped. Any other error fails the test.
pub async fn received_or_dropped<S, T, R>(
    stream: &mut S,
    total: usize,
    read: impl Fn(T) -> R,
) -> (Vec<R>, u64)
where
    S: asyncapi::StreamExt<Item = Result<T, asyncapi::Error>> + Unpin,
{
    let (mut received, mut dropped) = (Vec::new(), 0u64);
    while received.len() + (dropped as usize) < total {
        match tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await {
            Err(_) => break,
            Ok(None) => panic!("the subscription ended"),
            Ok(Some(Ok(message))) => received.push(read(message)),
            Ok(Some(Err(asyncapi::Error::Transport {
                source: asyncapi::transport::TransportError::Lagged { dropped: d, .. },
                ..
            }))) => dropped += d,
            Ok(Some(Err(other))) => panic!("not a message or a Lagged count: {other}"),
        }
    }
    (received, dropped)
}

/// `what` within ten seconds (a test that waits longer has failed).
pub async fn within<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(10), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: nothing within 10 s"))
}

/// Whether each of `programs` runs (`<program> --help`); loudly not, otherwise (a failure under
/// CI).
pub fn programs(programs: &[&str]) -> bool {
    for program in programs {
        let runs = std::process::Command::new(program)
            .arg("--help")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok();
        if !runs {
            missing(&format!(
                "THE {program} PROGRAM IS MISSING: this test did NOT run"
            ));
            return false;
        }
    }
    true
}

/// A name no other test run uses: `prefix-<unique id>`.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", asyncapi::operation::unique_id())
}

/// One manifest row.
pub struct Entry {
    pub path: String,
    pub version: String,
    pub notes: String,
}

/// Something a test needs is missing: under CI (`CI=true`) the test fails with `message`;
/// elsewhere it says so loudly and the caller returns without running.
pub fn missing(message: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    // Straight to the process's stderr: the test harness captures `eprintln!` of a passing
    // test, and this must be seen.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n!!! {message} !!!\n");
}

/// The corpus folder, or `None` (after saying so loudly) outside CI when it is missing; under CI
/// a missing corpus fails the test.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ASYNCAPI_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("MANIFEST.tsv").is_file() {
        return Some(dir);
    }
    missing(&format!(
        "THE CORPUS IS MISSING: no MANIFEST.tsv in {}; set ASYNCAPI_CORPUS to its folder: corpus tests did NOT run",
        dir.display()
    ));
    None
}

/// The documents of the manifest (fragments left out).
pub fn documents(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).expect("readable manifest");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Entry {
                path: cols[0].to_owned(),
                version: cols[5].to_owned(),
                notes: cols.get(7).copied().unwrap_or_default().to_owned(),
            }
        })
        .filter(|e| e.version != "fragment")
        .collect()
}

/// The documents the manifest describes as broken, with the errors (code, line) each must give.
#[cfg(feature = "codegen")]
pub const BROKEN: &[(&str, &[(Code, u32)])] = &[
    // Avro payloads `$ref` remote `.avsc` files.
    (
        "spec/v3.0.0/adeo-kafka-request-reply-asyncapi.yml",
        &[
            (Code::RemoteRef, 214),
            (Code::RemoteRef, 245),
            (Code::RemoteRef, 249),
        ],
    ),
    // A placeholder remote reference, references to schemas the document never defines, and a
    // server name that is not in `servers`.
    (
        "converter-js/2.6.0/for-3.0.0-with-servers-and-channels-components.yml",
        &[
            (Code::UnresolvedRef, 29),
            (Code::UnresolvedRef, 73),
            (Code::RemoteRef, 89),
            (Code::UnresolvedRef, 106),
            (Code::UnresolvedRef, 110),
            (Code::UnresolvedRef, 114),
        ],
    ),
    // Dangling references by design: an `external-schema.json` that was never published and a
    // pointer into a message that does not exist.
    (
        "spec-json-schemas/3.0.0/streetlights-all.json",
        &[
            (Code::UnresolvedRef, 381),
            (Code::UnresolvedRef, 702),
            (Code::UnresolvedRef, 765),
        ],
    ),
];

/// Whether the manifest describes `path` as broken.
#[cfg(feature = "codegen")]
pub fn is_broken(path: &str) -> bool {
    BROKEN.iter().any(|(p, _)| *p == path)
}

/// Whether a broker listens at `address` (`host:port`). When it does not, says so loudly; under
/// CI (`CI=true`) a missing broker fails the test instead.
pub fn broker(name: &str, address: &str) -> bool {
    use std::net::{TcpStream, ToSocketAddrs};
    let reachable = address
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| TcpStream::connect_timeout(&a, std::time::Duration::from_secs(2)).is_ok());
    if reachable {
        return true;
    }
    missing(&format!(
        "THE {name} BROKER IS MISSING: nothing listens at {address}: this test did NOT run"
    ));
    false
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A server program of the test's own (a broker to kill and restart, one with authentication),
/// listening on a loopback port; it is killed when dropped.
pub struct OwnServer {
    /// The port it listens on.
    pub port: u16,
    program: String,
    args: Vec<String>,
    child: Option<std::process::Child>,
}

impl OwnServer {
    /// Starts `program` with `args` and waits until `port` accepts connections. `None` (after
    /// saying so loudly) when the program is missing; under CI a missing program fails the test.
    pub fn start(program: &str, args: Vec<String>, port: u16) -> Option<OwnServer> {
        let mut server = OwnServer {
            port,
            program: program.to_owned(),
            args,
            child: None,
        };
        server.spawn().then_some(server)
    }

    /// Starts the program again (after [`OwnServer::kill`]).
    pub fn spawn(&mut self) -> bool {
        let child = std::process::Command::new(&self.program)
            .args(&self.args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        let Ok(child) = child else {
            missing(&format!(
                "THE {} PROGRAM IS MISSING: this test did NOT run",
                self.program
            ));
            return false;
        };
        self.child = Some(child);
        let address = format!("127.0.0.1:{}", self.port);
        for _ in 0..100 {
            if std::net::TcpStream::connect(&address).is_ok() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("the test's own {} did not start on {address}", self.program);
    }

    /// Kills the program.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A certificate authority and a server certificate for 127.0.0.1 (the conformance suite's).
#[allow(unused_imports)] // Each test binary uses only part of this module.
pub use asyncapi_conformance::make_certificates;

/// The conformance suite's relay: connections to cut and a network to take down.
#[allow(unused_imports)] // Each test binary uses only part of this module.
pub use asyncapi_conformance::Relay;

/// A server spec by hand, as a tool that reads any document would make one.
pub fn server_spec(
    protocol: &'static str,
    url: String,
    protocol_version: Option<&'static str>,
) -> asyncapi::transport::ServerSpec {
    asyncapi::transport::ServerSpec {
        name: "local".into(),
        url,
        protocol: protocol.into(),
        protocol_version: protocol_version.map(Into::into),
        bindings: Default::default(),
        credentials: Vec::new(),
    }
}

/// Through the dynamic path (`connect_any`, `send_dyn`, `subscribe_dyn`): a text message to a
/// fresh address under `prefix` comes back, with its content type when `keeps_content_type`.
pub async fn round_trip_dyn(
    connection: &dyn asyncapi::transport::DynConnection,
    address: String,
    keeps_content_type: bool,
) {
    use asyncapi::StreamExt;
    let channel = asyncapi::transport::ChannelSpec::new("dyn", address.clone());
    let mut received = connection.subscribe_dyn(&channel).await.unwrap();
    let mut envelope = asyncapi::envelope::Envelope::new(address).with_payload("hello");
    envelope.content_type = Some("text/plain".into());
    connection.send_dyn(&channel, envelope).await.unwrap();
    let got = tokio::time::timeout(std::time::Duration::from_secs(10), received.next())
        .await
        .expect("a message within 10 s")
        .expect("the stream is open")
        .unwrap();
    assert_eq!(&got.payload[..], b"hello");
    assert_eq!(
        got.content_type.as_deref(),
        keeps_content_type.then_some("text/plain")
    );
}
