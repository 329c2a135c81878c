//! Generated models through serde_json against the same structs written by hand with
//! `#[derive(Serialize, Deserialize)]` (see `docs/BENCHMARKS.md`): the generated types get their
//! serde implementations from the runtime's `object!` and `string_enum!` macros, which must be
//! no slower than serde_derive's.
//!
//! Run with `cargo bench --bench models`.

use serde::{Deserialize, Serialize};

mod api {
    asyncapi::include_spec!("benches/models.yaml");
}

use api::models::{Location, Reading, ReadingMode};

fn main() {
    same_json_both_ways();
    divan::main();
}

/// What a user writes without the generator.
mod by_hand {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Reading {
        #[serde(rename = "sensorId")]
        pub sensor_id: String,
        pub value: f64,
        pub unit: String,
        #[serde(rename = "takenAt")]
        pub taken_at: String,
        pub mode: Mode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub battery: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tags: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub location: Option<Location>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub samples: Option<Vec<f64>>,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
    pub enum Mode {
        #[serde(rename = "fast")]
        Fast,
        #[serde(rename = "slow")]
        Slow,
        #[serde(rename = "off")]
        Off,
    }

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    pub struct Location {
        pub lat: f64,
        pub lon: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub floor: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub room: Option<String>,
    }
}

/// A reading with every property set and `samples` numbers (236 bytes of JSON with none, 780 with 100).
fn json(samples: usize) -> Vec<u8> {
    let reading = Reading {
        sensor_id: "lab-17".into(),
        value: 21.375,
        unit: "celsius".into(),
        taken_at: "2026-12-04T03:00:00Z".into(),
        mode: ReadingMode::Slow,
        battery: Some(87),
        note: Some("recalibrated".into()),
        tags: Some(vec!["indoor".into(), "north".into()]),
        location: Some(Location {
            lat: 52.52,
            lon: 13.405,
            floor: Some(3),
            room: Some("3.14".into()),
        }),
        samples: Some((0..samples).map(|i| i as f64 * 0.125).collect()),
    };
    serde_json::to_vec(&reading).expect("json")
}

const SAMPLES: &[usize] = &[0, 100];

#[divan::bench(args = SAMPLES)]
fn decode_generated(bencher: divan::Bencher, samples: usize) {
    let bytes = json(samples);
    bencher
        .bench_local(|| serde_json::from_slice::<Reading>(divan::black_box(&bytes)).expect("json"));
}

#[divan::bench(args = SAMPLES)]
fn decode_by_hand(bencher: divan::Bencher, samples: usize) {
    let bytes = json(samples);
    bencher.bench_local(|| {
        serde_json::from_slice::<by_hand::Reading>(divan::black_box(&bytes)).expect("json")
    });
}

#[divan::bench(args = SAMPLES)]
fn encode_generated(bencher: divan::Bencher, samples: usize) {
    let reading: Reading = serde_json::from_slice(&json(samples)).expect("json");
    bencher.bench_local(|| serde_json::to_vec(divan::black_box(&reading)).expect("json"));
}

#[divan::bench(args = SAMPLES)]
fn encode_by_hand(bencher: divan::Bencher, samples: usize) {
    let reading: by_hand::Reading = serde_json::from_slice(&json(samples)).expect("json");
    bencher.bench_local(|| serde_json::to_vec(divan::black_box(&reading)).expect("json"));
}

/// Both types read the same JSON and write it back byte for byte (checked before measuring).
fn same_json_both_ways() {
    for samples in SAMPLES {
        let bytes = json(*samples);
        let generated: Reading = serde_json::from_slice(&bytes).expect("generated");
        let by_hand: by_hand::Reading = serde_json::from_slice(&bytes).expect("by hand");
        assert_eq!(serde_json::to_vec(&generated).expect("generated"), bytes);
        assert_eq!(serde_json::to_vec(&by_hand).expect("by hand"), bytes);
    }
}
