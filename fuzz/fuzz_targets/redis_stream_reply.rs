//! A Redis stream subscription's reading of an `XREADGROUP` reply must never panic, whatever
//! the server (or something posing as it) answers: the bytes are parsed as RESP2 or RESP3 by
//! the redis crate, then read into entries and envelopes as the subscription does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    asyncapi_redis::fuzzing::stream_reply(data);
});
