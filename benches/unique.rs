//! `uniqueItems` on large arrays from a peer (see `docs/BENCHMARKS.md`, issue 22): the check as
//! it is (`schema::first_duplicate`: canonical hashes, sorted, equal hashes compared) against the
//! pairwise comparison it replaced, on arrays of distinct objects (the worst case for both: no
//! early exit).
//!
//! Run with `cargo bench --bench unique`.

use asyncapi::schema::{first_duplicate, json_eq};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

/// `n` distinct objects, as a list of readings would be.
fn readings(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({"sensor": format!("s-{}", i % 97), "seq": i, "value": (i as f64) * 0.5}))
        .collect()
}

/// The check as it is.
#[divan::bench(args = [1_000, 10_000, 100_000])]
fn hashed(bencher: divan::Bencher, n: usize) {
    let items = readings(n);
    bencher.bench_local(|| first_duplicate(divan::black_box(&items)));
}

/// The pairwise comparison it replaced (quadratic; 100,000 items would take minutes).
#[divan::bench(args = [1_000, 10_000])]
fn pairwise(bencher: divan::Bencher, n: usize) {
    let items = readings(n);
    bencher.bench_local(|| {
        let items = divan::black_box(&items);
        items.iter().enumerate().find_map(|(i, a)| {
            items[..i]
                .iter()
                .position(|b| json_eq(a, b))
                .map(|j| (j, i))
        })
    });
}
