//! What the generator knows before anything runs, as compile-time diagnostics at the
//! document's file, line and column (as errors here, with `warnings = "deny"`): subscriptions
//! that AMQP cannot make with `Filter::default()` (a direct exchange, a queue named by its
//! address), and two messages of one operation that a payload cannot tell apart.

mod billing {
    asyncapi::include_spec!(
        "../../specs/amqp-lints.yaml",
        relative_to = "file",
        warnings = "deny"
    );
}

fn main() {}
