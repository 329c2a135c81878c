//! Instructions and allocations per message, typed vs by hand, on every transport (see
//! `docs/BENCHMARKS.md`): the generated path (`SendBlobs::open` and `send`;
//! `ReceiveBlobs::subscribe` and `next`: validation, JSON, the address from its parameters and
//! back) against what a user without this project writes with the protocol library and
//! serde_json for the same promise (rumqttc, async-nats, tokio-tungstenite, redis, lapin, and
//! rdkafka with the feature `kafka`, on a nisshi the driver starts), same
//! broker, payloads of 64 B and 4 KiB.
//!
//! Run with `cargo bench --bench instructions --features mqtt,nats,ws,redis,amqp` (needs
//! `valgrind`); `-- mqtt nats` runs the transports named (see [`driver::TRANSPORTS`]),
//! `--messages N` measures N messages (1000), `--runs N` reports the median of N measurements
//! (1), `--keep DIR` keeps callgrind's files for `callgrind_annotate`, `--check` fails when
//! typed costs more than 1.02× the instructions or more allocations than by hand.
//!
//! The driver runs, for each transport, size and path, a receiving and a sending process of this
//! same binary under `valgrind --tool=callgrind` and paces them over their stdin and stdout: both
//! open, a warm-up batch goes through (first-use costs: connection buffers, lazily built tables),
//! then each process zeroes callgrind's counts (a client request), the measured batch goes
//! through, and each dumps its counts once the receiver has them all. A process's instructions
//! are those of all its threads (the broker is another process and not counted); divided by the
//! batch, they are the instructions per message sent and per message received. The allocations
//! come from a counting global allocator over the same stretch.
//!
//! Sends are counted with the batch sent as fast as the sender goes (a send's count does not
//! depend on the receiver). Receives are counted in a second pair of processes where each message
//! is sent once the receiver has decoded the last one, so that every message arrives alone:
//! with the batch sent at once, how many messages one socket read brings depends on how far the
//! receiver lags, and the count per message with it (by 20% and more from run to run).

mod amqp;
mod driver;
#[cfg(feature = "kafka")]
mod kafka;
mod measure;
mod mqtt;
mod nats;
mod redis;
mod typed;
mod ws;

#[allow(dead_code)]
#[path = "../common/mod.rs"]
mod common;

#[global_allocator]
static ALLOCATOR: measure::Counting = measure::Counting;

/// The document of the typed path, as `benches/brokers.rs` uses it.
mod api {
    asyncapi::include_spec!("benches/brokers.yaml");
}

/// The JetStream document of the typed path, as `benches/jetstream.rs` uses it.
mod jetstream_api {
    asyncapi::include_spec!("benches/jetstream.yaml");
}

/// Which way a measured process carries messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Send,
    Receive,
}

/// What one measured process does, as the driver tells it on its command line.
#[derive(Clone, Debug)]
pub struct Run {
    pub transport: String,
    /// `typed` or `hand`.
    pub path: String,
    pub side: Side,
    /// The JSON payload's size in bytes.
    pub size: usize,
    /// Messages sent before the measured ones.
    pub warm: usize,
    /// Messages measured.
    pub count: usize,
    /// The broker's `host:port`, or the port a WebSocket server listens on.
    pub address: String,
    /// The channel parameter both processes of a measurement use.
    pub run: String,
    /// Whether the measured messages go one at a time (each sent once the last was received),
    /// or as fast as the sender sends them.
    pub paced: bool,
}

impl Run {
    /// The channel both processes use: `bench.<run>.blobs`, the typed path's address.
    pub fn topic(&self) -> String {
        format!("bench.{}.blobs", self.run)
    }

    /// The warm-up and measured counts.
    pub fn counts(&self) -> measure::Counts {
        measure::Counts {
            warm: self.warm,
            measured: self.count,
            paced: self.paced,
        }
    }

    /// The payload, a [`common::Blob`] of [`Run::size`] bytes of JSON.
    pub fn blob(&self) -> common::Blob {
        common::blob(self.size)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(&args[1..]);
    } else {
        driver::main(&args);
    }
}

/// A measured process: `--child <transport> <path> <send|receive> <size> <warm> <count>
/// <address> <run> <burst|paced>`.
fn child(args: &[String]) {
    let [transport, path, side, size, warm, count, address, run, pace] = args else {
        panic!("--child takes nine arguments, not {args:?}");
    };
    let run = Run {
        transport: transport.clone(),
        path: path.clone(),
        side: match side.as_str() {
            "send" => Side::Send,
            "receive" => Side::Receive,
            other => panic!("a side is send or receive, not {other}"),
        },
        size: size.parse().expect("a size"),
        warm: warm.parse().expect("a count"),
        count: count.parse().expect("a count"),
        address: address.clone(),
        run: run.clone(),
        paced: match pace.as_str() {
            "paced" => true,
            "burst" => false,
            other => panic!("a pace is burst or paced, not {other}"),
        },
    };
    // Whatever happens, a measured process ends: a lost message must not hang the driver.
    std::thread::spawn(|| {
        std::thread::sleep(std::time::Duration::from_secs(600));
        eprintln!("!!! a measured process ran for ten minutes: stopped !!!");
        std::process::exit(3);
    });
    // One thread: the interleaving of the transport's tasks and the application's is the same
    // from run to run (on two worker threads, which one wakes which varies, and with it the
    // count by several percent); the comparison is of the same runtime on both paths.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut ctl = measure::Control::new();
    rt.block_on(async {
        match run.transport.as_str() {
            "mqtt" | "mqtt5" => mqtt::run(&run, &mut ctl).await,
            "nats" | "jetstream" => nats::run(&run, &mut ctl).await,
            "ws" => ws::run(&run, &mut ctl).await,
            "redis" | "redis-streams" => redis::run(&run, &mut ctl).await,
            "amqp" => amqp::run(&run, &mut ctl).await,
            #[cfg(feature = "kafka")]
            "kafka" => kafka::run(&run, &mut ctl).await,
            other => panic!("no transport {other}"),
        }
    });
}
