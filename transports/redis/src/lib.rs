//! The Redis transport of asyncapi-rs (the `asyncapi` crate's feature `redis`), on the redis
//! crate.
//!
//! A [`RedisConnection`] is a [`Producer`](asyncapi_runtime::transport::Producer) and a
//! [`Consumer`](asyncapi_runtime::transport::Consumer). Each channel travels one of two
//! ways, chosen per channel with [`RedisOptions::stream`]:
//!
//! - **Pub/sub** (the default): a send is `PUBLISH address payload`, `Ok` once Redis has
//!   answered (it says how many subscribers got it; none is not an error, as on any pub/sub).
//!   A subscription is `SUBSCRIBE address`, or `PSUBSCRIBE` with `*` for each parameter it does
//!   not fix, on a connection of its own that speaks RESP3, reconnects by itself and subscribes
//!   again. At most once: what is published while a subscriber is away is not kept for it.
//!   Pub/sub carries the payload alone: headers, the content type, the correlation id and the
//!   reply address do not travel (a send that has any says so in a `debug` event); documents
//!   that need them on Redis put them in the payload (runtime expressions `$message.payload#/...`
//!   are read and written there) or use a stream.
//! - **Streams**: a send is `XADD address * payload <bytes> [field value ...]`, `Ok` with the
//!   entry's id once Redis has answered; the envelope's headers are the entry's other fields, the
//!   content type the field `content-type`, the correlation id `correlation-id` and the reply
//!   address `reply-to`. A subscription reads with a consumer group (`XREADGROUP`; the group is
//!   the operation's `x-group` or [`RedisOptions::group`], created at the stream's start when it
//!   does not exist): at least once. Each entry carries its acknowledgement: `ack` and `reject`
//!   are `XACK`; `nack`, or a consumer that dies, leaves the entry pending, and a consumer of the
//!   group claims it (`XAUTOCLAIM`) once it has been pending for [`RedisOptions::claim_after`].
//!   A consumer that starts under the name of one that died first reads what that one left
//!   pending.
//!
//! Credentials: `userPassword` is `AUTH user password` (Redis 6 ACLs), a password alone
//! (`httpApiKey`/`apiKey` in the password) is `AUTH password`; both may also be in the URL
//! (`redis://user:password@host:6379/0`). `rediss://` is TLS with rustls (ring), configured by
//! the runtime's [`TlsOptions`](asyncapi_runtime::tls::TlsOptions) as on every transport: the system's roots and those of
//! [`RedisOptions::root_certificate`], an optional client certificate.

/// Entry points for the project's fuzz targets (`fuzz/`); not part of the API.
#[doc(hidden)]
pub mod fuzzing {
    /// A Redis reply as it comes off the wire (RESP2 or RESP3), read as a stream subscription
    /// reads an `XREADGROUP` answer: its entries and their envelopes.
    pub fn stream_reply(bytes: &[u8]) {
        let Ok(reply) = redis::parse_redis_value(bytes) else {
            return;
        };
        for (id, fields) in crate::streams::read_reply(reply) {
            let envelope = crate::streams::entry_envelope("lights:commands".into(), fields);
            let _ = (id.len(), format!("{envelope:?}"));
        }
    }
}

use asyncapi_runtime::address::Wildcards;
use asyncapi_runtime::registry::{Descriptor, Kind, connect_with};
use asyncapi_runtime::transport::Connect;

mod connection;
mod options;
mod publisher;
mod pubsub;
mod streams;
mod subscriber;

pub use connection::RedisConnection;
pub use options::{DEFAULT_MAX_MESSAGE_SIZE, RedisOptions};
pub use publisher::RedisPublisher;
pub use pubsub::RedisPubSubSubscriber;
pub use streams::RedisStreamSubscriber;
pub use subscriber::RedisSubscriber;

pub(crate) use connection::manager_config;

/// The stream field that holds the payload.
pub const PAYLOAD: &str = "payload";
/// The stream field that holds the content type.
pub const CONTENT_TYPE: &str = "content-type";
/// The stream field that holds the correlation id.
pub const CORRELATION_ID: &str = "correlation-id";
/// The stream field that holds the reply address.
pub const REPLY_TO: &str = "reply-to";

/// Redis's `PSUBSCRIBE` globs as far as addresses need them: a parameter that a subscription
/// does not fix is `*`, which matches any run of characters (the separator `:` included, so a
/// received address is parsed back by its template). A parameter's value may not hold a glob's
/// special characters.
pub const WILDCARDS: Wildcards = Wildcards::new(':', "*", "*")
    .forbidding(&['*', '?', '[', ']', '\\'])
    .glob(true);

/// [`RedisConnection`] in the registry.
pub static REDIS: Descriptor = Descriptor {
    name: "Redis",
    feature: Some("redis"),
    protocols: <RedisConnection as Connect>::PROTOCOLS,
    library: "redis",
    library_version: "1.8",
    kind: Kind::Brokered,
    bindings: &["channel.x-stream", "operation.x-group"],
    security: &["userPassword", "apiKey", "httpApiKey", "X509"],
    groups: Some(
        "stream channels: the stream's consumer group (`XREADGROUP`), each entry to one member; what a member leaves pending is claimed by another after `claim_after`; pub/sub channels have no groups and refuse one",
    ),
    connect: Some(connect_with::<RedisConnection>),
};

#[cfg(test)]
mod tests {
    use super::*;
    use asyncapi_runtime::transport::ChannelSpec;

    #[test]
    fn free_parameters_become_globs() {
        let channel = ChannelSpec::new("lights", "lights:{id}:on");
        let pattern = |c: &ChannelSpec| {
            c.subscription_pattern(&WILDCARDS)
                .map(|s| s.pattern().to_owned())
        };
        assert_eq!(pattern(&channel).unwrap(), "lights:*:on");
        let fixed = channel.clone().with_param("id", "7");
        assert_eq!(pattern(&fixed).unwrap(), "lights:7:on");
        let glob = channel.with_param("id", "7*");
        assert!(glob.subscription_pattern(&WILDCARDS).is_err());
        // A parameter inside a level stands as the glob in its place, and what the glob also
        // takes is not admitted.
        let slashed = ChannelSpec::new("lights", "lights/{id}/on");
        let s = slashed.subscription_pattern(&WILDCARDS).unwrap();
        assert_eq!(s.pattern(), "lights/*/on");
        assert!(s.admits("lights/7/on") && !s.admits("lights/7/off"));
    }
}
