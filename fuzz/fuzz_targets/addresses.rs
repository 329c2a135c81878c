//! Address templates and wildcards must never panic: input is a template, a newline, and an
//! address received from a peer, matched with each protocol's wildcards, with the values read
//! back and built again.
#![no_main]

use asyncapi_runtime::address::{AddressTemplate, Wildcards};
use libfuzzer_sys::fuzz_target;

const WILDCARDS: &[Wildcards] = &[
    Wildcards::new('/', "+", "#").forbidding(&['+', '#']),
    Wildcards::new('.', "*", ">").forbidding(&['*', '>', ' ']),
    Wildcards::new('.', "*", "#")
        .forbidding(&['*', '#'])
        .rest_matches_parent(true),
    Wildcards::new(':', "*", "*").glob(true),
    Wildcards::new('/', "{}", "").single_matches_empty(true),
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (template, address) = text.split_once('\n').unwrap_or((&text, ""));
    for w in WILDCARDS {
        let _ = w.matches(template, address);
        let _ = w.check_value(address);
    }
    let Ok(template) = AddressTemplate::parse(template) else {
        return;
    };
    let _ = template.matches(address, &[]);
    if let Some(values) = template.extract(address) {
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let _ = template.build(&pairs);
        for w in WILDCARDS {
            let _ = template.build_for(&pairs, w);
            let _ = template.pattern(&pairs, w);
        }
    }
});
