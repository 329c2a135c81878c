//! The driver: runs each measurement's two processes under callgrind, paces them, reads their
//! counts and prints the table.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::common::{self, SIZES};

/// The transports measured, by the names `--child` and the command line take.
pub const TRANSPORTS: &[&str] = &[
    "mqtt",
    "mqtt5",
    "nats",
    "jetstream",
    "ws",
    "redis",
    "redis-streams",
    "amqp",
    "kafka",
];

/// The paths compared: what a user writes by hand, and the generated code.
const PATHS: &[&str] = &["hand", "typed"];

/// Typed may cost at most this many times the instructions of by hand.
const TOLERANCE: f64 = 1.02;

/// Messages sent before counting starts.
const WARM: usize = 100;

/// One path's counts per message.
#[derive(Clone, Copy, Debug, Default)]
struct PerMessage {
    sent: f64,
    received: f64,
    allocations_sent: f64,
    allocations_received: f64,
    bytes: f64,
}

impl PerMessage {
    /// Each count's median over `runs` (how reads batch on a socket varies from run to run,
    /// and with it a receiver's instructions).
    fn median(runs: Vec<PerMessage>) -> PerMessage {
        let median = |count: fn(&PerMessage) -> f64| {
            let mut values: Vec<f64> = runs.iter().map(count).collect();
            values.sort_by(f64::total_cmp);
            values[values.len() / 2]
        };
        PerMessage {
            sent: median(|p| p.sent),
            received: median(|p| p.received),
            allocations_sent: median(|p| p.allocations_sent),
            allocations_received: median(|p| p.allocations_received),
            bytes: median(|p| p.bytes),
        }
    }

    fn instructions(&self) -> f64 {
        self.sent + self.received
    }

    fn allocations(&self) -> f64 {
        self.allocations_sent + self.allocations_received
    }
}

/// The command line: transports to run (all when none is named), `--messages N`, `--check`,
/// `--keep DIR`.
struct Args {
    transports: Vec<String>,
    messages: usize,
    /// Measurements of each row, whose median is reported.
    runs: usize,
    check: bool,
    /// Where callgrind's files stay, for `callgrind_annotate` (otherwise a temporary directory).
    keep: Option<PathBuf>,
}

fn parse(args: &[String]) -> Args {
    let mut parsed = Args {
        transports: Vec::new(),
        messages: 1000,
        runs: 1,
        check: false,
        keep: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // What `cargo bench` adds.
            "--bench" => {}
            "--check" => parsed.check = true,
            "--keep" => parsed.keep = Some(args.next().expect("--keep takes a directory").into()),
            "--runs" => {
                parsed.runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .expect("--runs takes a number above 0");
            }
            "--messages" => {
                parsed.messages = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--messages takes a number");
            }
            name if TRANSPORTS.contains(&name) => parsed.transports.push(name.to_owned()),
            other => panic!("unknown argument {other}: name transports among {TRANSPORTS:?}"),
        }
    }
    if parsed.transports.is_empty() {
        parsed.transports = TRANSPORTS
            .iter()
            .filter(|t| **t != "kafka" || cfg!(feature = "kafka"))
            .map(|t| (*t).to_owned())
            .collect();
    }
    parsed
}

pub fn main(args: &[String]) {
    let args = parse(args);
    if Command::new("valgrind")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_err()
    {
        eprintln!("!!! valgrind is not on PATH: nothing was measured !!!");
        std::process::exit(1);
    }
    let dir = args.keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("asyncapi-instructions-{}", std::process::id()))
    });
    std::fs::create_dir_all(&dir).expect("a directory for callgrind's files");
    println!(
        "{} messages per measurement after {WARM} to warm up, median of {} measurements; \
         instructions (Ir) and allocations per message, each side counted in its own process",
        args.messages, args.runs
    );
    println!(
        "{:<14} {:>5} {:<6} {:>10} {:>10} {:>10} {:>8} {:>9} {:>8} {:>9}",
        "transport",
        "size",
        "path",
        "sent",
        "received",
        "total",
        "allocs",
        "alloc B",
        "ratio",
        "verdict"
    );
    let mut rows = Vec::new();
    let mut failed = false;
    for transport in &args.transports {
        // A broker of the run's own where the machine has none (Kafka): stopped when dropped.
        let mut own = None;
        let address = match transport.as_str() {
            "kafka" => kafka_broker(&dir).map(|(address, broker)| {
                own = Some(broker);
                address
            }),
            other => address(other),
        };
        let Some(address) = address else {
            failed = true;
            continue;
        };
        for &size in SIZES {
            let mut measured = Vec::new();
            for path in PATHS {
                let runs: Vec<PerMessage> = (0..args.runs)
                    .map(|_| {
                        measure(&Row {
                            dir: &dir,
                            transport,
                            path,
                            size,
                            count: args.messages,
                            address: &address,
                        })
                    })
                    .collect();
                measured.push(PerMessage::median(runs));
            }
            let (hand, typed) = (measured[0], measured[1]);
            let ratio = typed.instructions() / hand.instructions();
            let ok = ratio <= TOLERANCE && typed.allocations() <= hand.allocations();
            failed |= !ok;
            for (path, per) in PATHS.iter().zip(&measured) {
                let (ratio, verdict) = if *path == "typed" {
                    (format!("{ratio:.3}"), if ok { "ok" } else { "OVER" })
                } else {
                    (String::new(), "")
                };
                println!(
                    "{transport:<14} {size:>5} {path:<6} {:>10.0} {:>10.0} {:>10.0} {:>8.2} {:>9.0} {ratio:>8} {verdict:>9}",
                    per.sent,
                    per.received,
                    per.instructions(),
                    per.allocations(),
                    per.bytes
                );
            }
            rows.push((transport.clone(), size, hand, typed, ratio));
        }
    }
    match &args.keep {
        Some(dir) => println!("callgrind's files are in {}", dir.display()),
        None => {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    println!();
    println!(
        "| transport | size | by hand: sent + received = Ir/msg | typed: sent + received = Ir/msg | typed / by hand | allocations/msg by hand | typed |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (transport, size, hand, typed, ratio) in &rows {
        println!(
            "| {transport} | {} | {:.0} + {:.0} = {:.0} | {:.0} + {:.0} = {:.0} | {ratio:.3} | {:.2} | {:.2} |",
            if *size >= 1024 {
                format!("{} KiB", size / 1024)
            } else {
                format!("{size} B")
            },
            hand.sent,
            hand.received,
            hand.instructions(),
            typed.sent,
            typed.received,
            typed.instructions(),
            hand.allocations(),
            typed.allocations(),
        );
    }
    if args.check && failed {
        eprintln!(
            "!!! typed costs more than {TOLERANCE}x the instructions, or more allocations, than by \
             hand somewhere above (or a broker was missing) !!!"
        );
        std::process::exit(1);
    }
}

/// Where `transport`'s peer is: the broker's `host:port` (from `ASYNCAPI_BENCH_<PROTOCOL>` or the
/// machine's default), or a free port for the WebSocket server. `None`, said loudly, when no
/// broker listens there.
fn address(transport: &str) -> Option<String> {
    let (var, default) = match transport {
        "mqtt" | "mqtt5" => ("ASYNCAPI_BENCH_MQTT", "127.0.0.1:1883"),
        "nats" | "jetstream" => ("ASYNCAPI_BENCH_NATS", "127.0.0.1:4222"),
        "redis" | "redis-streams" => ("ASYNCAPI_BENCH_REDIS", "127.0.0.1:6379"),
        "amqp" => ("ASYNCAPI_BENCH_AMQP", "127.0.0.1:5672"),
        _ => return Some(String::new()),
    };
    let address = common::address(var, default);
    common::reachable(&address).then_some(address)
}

/// A Kafka broker for the run: `ASYNCAPI_BENCH_KAFKA` when it is set, else a nisshi (from
/// `ASYNCAPI_NISSHI`, or where `scripts/kafka-broker install` puts it) on a free port, run in a
/// directory of its own under `dir` and killed when the guard is dropped. `None`, said loudly,
/// when there is neither.
fn kafka_broker(dir: &Path) -> Option<(String, Option<KafkaBroker>)> {
    if !cfg!(feature = "kafka") {
        eprintln!("!!! built without the `kafka` feature: Kafka was NOT measured !!!");
        return None;
    }
    if let Ok(address) = std::env::var("ASYNCAPI_BENCH_KAFKA") {
        return common::reachable(&address).then_some((address, None));
    }
    let binary = std::env::var_os("ASYNCAPI_NISSHI").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/asyncapi-rs/tools/nisshi-0.8.1/bin/nisshi")
        },
        PathBuf::from,
    );
    if !binary.is_file() {
        eprintln!(
            "!!! no Kafka broker: set ASYNCAPI_BENCH_KAFKA, or run `scripts/kafka-broker install` (nisshi at {}): Kafka was NOT measured !!!",
            binary.display()
        );
        return None;
    }
    let port = free_port();
    let home = dir.join("nisshi");
    std::fs::create_dir_all(&home).expect("a directory for the broker");
    let listener = format!("tcp://127.0.0.1:{port}");
    let child = Command::new(&binary)
        .args([
            "broker",
            "--listener-url",
            &listener,
            "--advertised-listener-url",
            &listener,
        ])
        .args([
            "--storage-engine",
            "memory://nisshi/",
            "--group-initial-rebalance-delay",
            "0s",
        ])
        .current_dir(&home)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("nisshi starts");
    let address = format!("127.0.0.1:{port}");
    let broker = KafkaBroker(child);
    for _ in 0..200 {
        if std::net::TcpStream::connect(&address).is_ok() {
            return Some((address, Some(broker)));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    eprintln!("!!! nisshi did not start on {address}: Kafka was NOT measured !!!");
    None
}

/// A broker the driver started, killed when dropped.
struct KafkaBroker(Child);

impl Drop for KafkaBroker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A free loopback port (the WebSocket server of a measurement binds it).
fn free_port() -> String {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
        .to_string()
}

/// One measured process, killed if the driver gives up on it.
struct Measured {
    name: String,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    out: PathBuf,
}

impl Measured {
    fn start(dir: &Path, name: &str, args: &[String]) -> Measured {
        let out = dir.join(format!("{name}.out"));
        let mut child = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg("--quiet")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg("--dump-instr=no")
            .arg(std::env::current_exe().expect("this binary"))
            .arg("--child")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("valgrind starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Measured {
            name: name.to_owned(),
            child,
            stdin,
            stdout,
            out,
        }
    }

    /// Reads the process's next line.
    fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self
            .stdout
            .read_line(&mut line)
            .expect("a measured process's stdout");
        assert!(n > 0, "the {} process ended early (see above)", self.name);
        line.trim().to_owned()
    }

    /// Waits until the process says `word`.
    fn expect(&mut self, word: &str) {
        let line = self.line();
        assert_eq!(
            line, word,
            "the {} process said something unexpected",
            self.name
        );
    }

    fn tell(&mut self, word: &str) {
        writeln!(self.stdin, "{word}").expect("a measured process's stdin");
        self.stdin.flush().expect("a measured process's stdin");
    }

    /// The allocations the process counted: (allocations, bytes).
    fn allocations(&mut self) -> (f64, f64) {
        let line = self.line();
        let mut words = line.split(' ');
        assert_eq!(words.next(), Some("allocations"), "{}: {line}", self.name);
        let mut number = || words.next().and_then(|w| w.parse().ok()).expect("a count");
        (number(), number())
    }

    /// Waits for the process to end, and reads the instructions of its measured stretch
    /// (callgrind's first dump, `<out>.1`).
    fn finish(mut self) -> f64 {
        let status = self.child.wait().expect("a measured process");
        assert!(
            status.success(),
            "the {} process failed: {status}",
            self.name
        );
        let dump = PathBuf::from(format!("{}.1", self.out.display()));
        let text = std::fs::read_to_string(&dump)
            .unwrap_or_else(|e| panic!("callgrind's dump {}: {e}", dump.display()));
        text.lines()
            .find_map(|l| {
                l.strip_prefix("totals:")
                    .or_else(|| l.strip_prefix("summary:"))
            })
            .and_then(|n| n.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no totals in {}", dump.display()))
    }
}

impl Drop for Measured {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One row of the table: `count` messages of `size` bytes on `transport` through `path`.
struct Row<'a> {
    /// Where callgrind's files go.
    dir: &'a Path,
    transport: &'a str,
    path: &'a str,
    size: usize,
    count: usize,
    /// The broker's address (a WebSocket row picks a free port instead).
    address: &'a str,
}

/// Measures a row: the sends from a batch sent at once, the receives from a batch sent one at a
/// time (see the module's docs).
fn measure(row: &Row) -> PerMessage {
    let burst = pair(row, false);
    let paced = pair(row, true);
    let n = row.count as f64;
    PerMessage {
        sent: burst.sent.0 / n,
        received: paced.received.0 / n,
        allocations_sent: burst.sent.1 / n,
        allocations_received: paced.received.1 / n,
        bytes: (burst.sent.2 + paced.received.2) / n,
    }
}

/// What one pair of processes counted, each side's (instructions, allocations, bytes allocated).
struct Pair {
    sent: (f64, f64, f64),
    received: (f64, f64, f64),
}

/// Runs a sending and a receiving process of `row` through the warm-up and the measured batch.
fn pair(row: &Row, paced: bool) -> Pair {
    let Row {
        dir,
        transport,
        path,
        size,
        count,
        address,
    } = *row;
    let address = if transport == "ws" {
        free_port()
    } else {
        address.to_owned()
    };
    let pace = if paced { "paced" } else { "burst" };
    let run = format!(
        "{}-{path}-{size}-{pace}-{}x{}",
        transport.replace('-', "_"),
        std::process::id(),
        rand_suffix()
    );
    let args = |side: &str| -> Vec<String> {
        [
            transport,
            path,
            side,
            &size.to_string(),
            &WARM.to_string(),
            &count.to_string(),
            &address,
            &run,
            pace,
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
    };
    let mut receiver = Measured::start(dir, &format!("{run}-receive"), &args("receive"));
    let mut sender = Measured::start(dir, &format!("{run}-send"), &args("send"));
    receiver.expect("ready");
    sender.expect("ready");
    sender.tell("warm");
    sender.expect("warmed");
    receiver.expect("zeroed");
    sender.tell("go");
    if paced {
        for i in 1..=count {
            receiver.expect("got");
            if i < count {
                sender.tell("next");
            }
        }
    }
    let (allocations_received, bytes_received) = receiver.allocations();
    receiver.expect("done");
    sender.tell("stop");
    let (allocations_sent, bytes_sent) = sender.allocations();
    let received = receiver.finish();
    let sent = sender.finish();
    Pair {
        sent: (sent, allocations_sent, bytes_sent),
        received: (received, allocations_received, bytes_received),
    }
}

/// A suffix that keeps the measurements of one run apart.
fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}
