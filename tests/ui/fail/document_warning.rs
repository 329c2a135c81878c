//! A document's warnings are compiler warnings at the macro call, with the document's file,
//! line and column (denied here, so that the test sees them); `warnings = "allow"` silences
//! them and `warnings = "deny"` makes them errors.
#![deny(deprecated)]

mod warned {
    asyncapi::include_spec!("../../specs/quirks/zenwave-messages-sequence.yaml", relative_to = "file");
}

mod silent {
    asyncapi::include_spec!(
        "../../specs/quirks/zenwave-messages-sequence.yaml",
        relative_to = "file",
        warnings = "allow"
    );
}

mod denied {
    asyncapi::include_spec!(
        "../../specs/quirks/zenwave-messages-sequence.yaml",
        relative_to = "file",
        warnings = "deny"
    );
}

fn main() {}
