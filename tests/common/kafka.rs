//! Kafka-protocol brokers of the tests' own: nisshi (built once by `scripts/kafka-broker
//! install`), each on a free loopback port with in-memory storage, stopped when dropped (and
//! when the test process ends, however it ends).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The nisshi version `scripts/kafka-broker` builds.
const VERSION: &str = "0.8.1";

/// Where the project's scripts keep the tools they build: `$ASYNCAPI_TOOLS`, or
/// `~/.cache/asyncapi-rs/tools`.
fn tools() -> PathBuf {
    std::env::var_os("ASYNCAPI_TOOLS").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/asyncapi-rs/tools")
        },
        PathBuf::from,
    )
}

/// The broker's binary: `$ASYNCAPI_NISSHI`, or where `scripts/kafka-broker install` puts it.
/// `None` (loudly; a failure under CI) when it is not there.
pub fn binary() -> Option<PathBuf> {
    let path = match std::env::var_os("ASYNCAPI_NISSHI") {
        Some(path) => PathBuf::from(path),
        None => tools().join(format!("nisshi-{VERSION}/bin/nisshi")),
    };
    if path.is_file() {
        return Some(path);
    }
    super::missing(&format!(
        "THE KAFKA BROKER IS MISSING: no nisshi at {} (run `scripts/kafka-broker install`, about 12 minutes once): this test did NOT run",
        path.display()
    ));
    None
}

/// A broker of the test's own.
pub struct Kafka {
    /// The port it listens on.
    pub port: u16,
    /// The port it tells clients to connect to (its own, or a relay's in front of it).
    pub advertised: u16,
    binary: PathBuf,
    dir: PathBuf,
    child: Option<Child>,
}

impl Kafka {
    /// A broker on a free port, telling clients that port. `None` when nisshi is missing.
    pub fn start() -> Option<Kafka> {
        let port = super::free_port();
        Kafka::start_at(port, port)
    }

    /// A broker on `port` that tells clients to connect to `advertised` (a relay in front of
    /// it: Kafka clients connect to the address the broker gives, not to the one they started
    /// from).
    pub fn start_at(port: u16, advertised: u16) -> Option<Kafka> {
        let binary = binary()?;
        let dir = std::env::temp_dir().join(super::unique("nisshi"));
        std::fs::create_dir_all(&dir).expect("a directory for the broker");
        let mut broker = Kafka {
            port,
            advertised,
            binary,
            dir,
            child: None,
        };
        broker.spawn();
        Some(broker)
    }

    /// The URL to reach it at.
    pub fn url(&self) -> String {
        format!("kafka://127.0.0.1:{}", self.advertised)
    }

    /// Starts it (again, after [`Kafka::stop`]: an in-memory broker comes back empty).
    pub fn spawn(&mut self) {
        // Through a shell that kills the broker when this process's end of its stdin closes:
        // a test that dies leaves no broker behind.
        let script = format!(
            "'{}' broker --listener-url tcp://127.0.0.1:{port} --advertised-listener-url tcp://127.0.0.1:{advertised} --storage-engine memory://nisshi/ --group-initial-rebalance-delay 0s </dev/null & pid=$!; read _; kill $pid; wait $pid",
            self.binary.display(),
            port = self.port,
            advertised = self.advertised,
        );
        let log = std::fs::File::create(self.dir.join("broker.log")).expect("a log file");
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .current_dir(&self.dir)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(log.try_clone().expect("a log file"))
            .stderr(log)
            .spawn()
            .expect("sh starts the broker");
        self.child = Some(child);
        let address = format!("127.0.0.1:{}", self.port);
        for _ in 0..200 {
            if std::net::TcpStream::connect(&address).is_ok() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let log = std::fs::read_to_string(self.dir.join("broker.log")).unwrap_or_default();
        panic!("the test's own Kafka broker did not start on {address}: {log}");
    }

    /// Stops it (its records are gone with it).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Closing its stdin has the shell kill it.
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}

impl Drop for Kafka {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The Python of the foreign peers' virtual environment (`scripts/python-peers install`):
/// `$ASYNCAPI_PYTHON`, or where the script makes it. `None` (loudly; a failure under CI) when
/// it is not there.
pub fn python() -> Option<PathBuf> {
    let path = match std::env::var_os("ASYNCAPI_PYTHON") {
        Some(path) => PathBuf::from(path),
        None => tools().join("python-peers/bin/python"),
    };
    if path.is_file() {
        return Some(path);
    }
    super::missing(&format!(
        "THE PYTHON PEERS ARE MISSING: no {} (run `scripts/python-peers install`): this test did NOT run",
        path.display()
    ));
    None
}

/// Runs the foreign Kafka client (`tests/peers/kafka_peer.py`) with `args`: the JSON lines it
/// printed. A peer that fails fails the test.
pub async fn peer(python: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/peers/kafka_peer.py");
    let run = tokio::process::Command::new(python)
        .arg(script)
        .args(args)
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), run)
        .await
        .expect("the peer within 60 s")
        .expect("the peer runs");
    assert!(
        out.status.success(),
        "kafka_peer.py {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}
