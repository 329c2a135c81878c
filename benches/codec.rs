//! The typed message path without a transport (see `docs/BENCHMARKS.md`): a generated message
//! encoded into an envelope and decoded back (validation included), against the JSON a user would
//! write by hand for the same struct with `serde_json`. The difference is what the generated layer
//! costs beyond the JSON itself.
//!
//! Run with `cargo bench --bench codec`.

use asyncapi::envelope::Envelope;
use asyncapi::operation::{Incoming, Outgoing};

mod api {
    asyncapi::include_spec!("benches/brokers.yaml");
}

use api::messages::Blob;
use api::models::BlobPayload;

const SIZES: &[usize] = &[64, 4096];

fn main() {
    divan::main();
}

fn payload(size: usize) -> BlobPayload {
    // JSON adds 11 bytes around the text; the payload is `size` bytes.
    BlobPayload {
        data: "x".repeat(size.saturating_sub(11)),
    }
}

/// `serde_json::to_vec` and `from_slice` of the payload struct: the floor.
#[divan::bench(args = SIZES)]
fn json_by_hand(bencher: divan::Bencher, size: usize) {
    let payload = payload(size);
    bencher.bench_local(|| {
        let bytes = serde_json::to_vec(divan::black_box(&payload)).expect("json");
        let back: BlobPayload = serde_json::from_slice(divan::black_box(&bytes)).expect("json");
        back
    });
}

/// The generated message through an envelope: validate, encode, content type; decode, validate.
#[divan::bench(args = SIZES)]
fn typed(bencher: divan::Bencher, size: usize) {
    let message = Blob::new(payload(size));
    bencher.bench_local(|| {
        let mut envelope = Envelope::new("bench.1.blobs");
        divan::black_box(&message)
            .encode_into("blobs", &mut envelope)
            .expect("encode");
        Blob::decode_from("blobs", divan::black_box(&envelope)).expect("decode")
    });
}
