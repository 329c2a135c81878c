//! The WebSocket server's reading of an upgrade request (path below the pathname, the channel's
//! template, percent-encoded query pairs, basic authorization, cookies, API keys) must never
//! panic, whatever a client sends: the request target on the first line, then header lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    asyncapi_ws::fuzzing::upgrade(&String::from_utf8_lossy(data));
});
