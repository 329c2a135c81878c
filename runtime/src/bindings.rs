//! Protocol bindings as the transports read them: what the document says about a server, a
//! channel, an operation or a message for one protocol (MQTT QoS and retain, the NATS queue
//! group, the AMQP exchange, the Kafka topic, the WebSocket upgrade method, ...).
//!
//! Generated code fills these from the document: channel and operation bindings travel in the
//! [`ChannelSpec`](crate::transport::ChannelSpec) a transport opens, server bindings in the
//! [`ServerSpec`](crate::transport::ServerSpec), message bindings come from
//! [`Message::bindings`](crate::message::Message::bindings) and are handed to the envelope with
//! [`EnvelopeWriter::apply_bindings`](crate::envelope::EnvelopeWriter::apply_bindings). A
//! transport reads the part for its protocol; the in-process transport reads none.
//!
//! The types are declared once, in the crate `asyncapi-rs-bindings`, which the code generator
//! builds values of: every field here is carried from the document without a second list to
//! keep in step. They are `#[non_exhaustive]`: start from `Default::default()` and set fields.

pub use asyncapi_bindings::*;
