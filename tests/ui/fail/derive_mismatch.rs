//! A struct that does not fit the message it claims to be: every mismatch at its field.

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, asyncapi::Message)]
#[asyncapi(spec = "../../specs/e2e.yaml", relative_to = "file", message = "alarm")]
struct Alarm {
    level: Option<String>,
    colour: String,
}

fn main() {}
