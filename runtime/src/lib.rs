//! The runtime behind the code that `asyncapi-rs` generates from AsyncAPI documents: the
//! transport contract and what generated code and transports share.
//!
//! Users reach it through the `asyncapi` facade crate; generated code reaches it through the
//! facade's hidden `__private` module; transport crates depend on it directly. What generated
//! *types* need:
//!
//! - [`validate`]: the [`Validate`](validate::Validate) trait that every generated type
//!   implements, and the [`Violations`](validate::Violations) it reports (every broken constraint
//!   with the JSON pointer of the value that broke it).
//! - [`formats`]: checks for the JSON Schema string formats that stay strings (`email`,
//!   `hostname`, `uri`, `time`, `duration`, ...).
//! - [`schema`]: a JSON Schema evaluator over `serde_json::Value`, used by generated code for the
//!   keywords a Rust type cannot express (`not`, `if`/`then`/`else`, `contains`, ...).
//! - [`types`]: value types for formats that have no better-known crate type (`Base64`).
//!
//! And the transport contract generated operations are written against:
//!
//! - [`transport`]: `Producer`/`Consumer` (connections), `Publisher`/`Subscriber` (channels),
//!   [`ChannelSpec`](transport::ChannelSpec), typed transport errors, and a boxed path.
//! - [`ack`]: acknowledgements of received messages (automatic or manual), and how each
//!   protocol maps them.
//! - [`envelope`]: `EnvelopeWriter`/`EnvelopeReader`, headers, the plain `Envelope`.
//! - [`bindings`]: the document's protocol bindings, as transports read them.
//! - [`message`]: the `Message` trait of generated messages and the errors of generated code.
//! - [`operation`]: typed senders, receiver streams, request and reply, for generated operations.
//! - [`codec`]: payload codecs by content type, with an extension point.
//! - [`address`]: address templates, parameters parsed back, MQTT and NATS wildcards.
//! - [`expression`]: runtime expressions (`$message.header#/correlationId`).
//! - [`delivery`]: the bounded queue of each subscription and the fan-out to them (limits in
//!   messages and bytes, what a slow consumer gets, one error per break).
//! - [`reply`]: request/reply with correlation and timeout over any transport.
//! - [`security`]: credentials for the document's security schemes.
//! - [`url`]: server URLs parsed in one place (user information included) and the one
//!   redacted form every output prints.
//! - [`registry`]: transports described as data (protocols, library, bindings, security), and
//!   the run-time choice of one for a server.
//! - [`memory`] (feature `memory`, on by default): the in-process transport.
//! - `tls` (feature `tls`): TLS settings with one meaning on every transport, and the rustls
//!   configuration built from them.
//!
//! The runtime names no protocol library: each protocol's transport is a crate of its own on
//! this contract (`asyncapi-rs-mqtt`, `asyncapi-rs-nats`, `asyncapi-rs-ws`), exactly as a
//! transport of your own would be, and the `asyncapi` facade installs those its features enable.
//!
//! Everything logs through [`tracing`] with the target `asyncapi` (nothing is printed unless the
//! application installs a subscriber): `debug` spans around connecting, opening a channel,
//! subscribing, each send (with the concrete address) and each request (with its correlation
//! id); a `debug` event per received message and a `warn` event per message a stream yields as
//! an error; `warn` when a connection is lost and `info` when it is back.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod ack;
pub mod address;
pub mod bindings;
mod closing;
pub mod codec;
mod connect;
mod deadline;
pub mod delivery;
pub mod envelope;
pub mod expression;
pub mod formats;
mod headers;
#[cfg(feature = "memory")]
pub mod memory;
pub mod message;
pub mod operation;
pub mod registry;
pub mod reply;
pub mod schema;
pub mod security;
pub mod serde_impls;
#[cfg(feature = "tls")]
pub mod tls;
pub mod transport;
pub mod types;
pub mod url;
pub mod validate;

/// serde, for the macros of [`serde_impls`] (`$crate::__serde`).
#[doc(hidden)]
pub use serde as __serde;

/// What the unit tests of several modules share.
#[cfg(test)]
mod test_support {
    /// Runs `f` to its end on a current-thread runtime with a timer.
    pub(crate) fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
            .block_on(f)
    }
}
