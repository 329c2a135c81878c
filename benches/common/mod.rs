//! What the broker benchmarks share: the payload both paths carry, the runtime they run on, and
//! finding a broker (each `benches/*.rs` that includes this module uses all of it).

use serde::{Deserialize, Serialize};

/// Messages per iteration: each iteration sends a batch and receives all of it.
pub const BATCH: usize = 200;
/// Payload sizes on the wire, in bytes.
pub const SIZES: &[usize] = &[64, 4096];

/// The payload of both paths: text of a chosen size.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Blob {
    pub data: String,
}

/// A blob whose JSON is `size` bytes (JSON adds 11 bytes around the text).
pub fn blob(size: usize) -> Blob {
    Blob {
        data: "x".repeat(size.saturating_sub(11)),
    }
}

/// Two worker threads, as the machine has two cores.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// The address in `var`, else `default`.
pub fn address(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// Whether something listens on `address` (said loudly when not: its benchmarks do not run).
pub fn reachable(address: &str) -> bool {
    let ok = std::net::TcpStream::connect(address).is_ok();
    if !ok {
        eprintln!("!!! nothing listens on {address}: its benchmarks did NOT run !!!");
    }
    ok
}
