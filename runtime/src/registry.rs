//! The transports a program has, described as data: which protocols (and versions) each
//! speaks, on which library, which bindings it applies and which security schemes it accepts,
//! and how to connect with it when the protocol is known only at run time.
//!
//! Each transport crate publishes one [`Descriptor`] per connection type (the MQTT crate two:
//! MQTT 3.1.1 and MQTT 5); the `asyncapi` facade gathers those of the transports its cargo
//! features enable into a [`Registry`], which its `transport::connect_any` and the command-line
//! tool's `implementations` listing read. A transport of your own registers the same way:
//!
//! ```
//! use asyncapi_runtime::registry::{Descriptor, Kind, Protocol, Registry};
//! use asyncapi_runtime::transport::ServerSpec;
//!
//! static PG_NOTIFY: Descriptor = Descriptor {
//!     name: "PostgreSQL LISTEN/NOTIFY",
//!     feature: None,
//!     protocols: &[Protocol::any_version("postgres")],
//!     library: "tokio-postgres",
//!     library_version: "0.7",
//!     kind: Kind::Brokered,
//!     bindings: &[],
//!     security: &["userPassword"],
//!     groups: None,
//!     connect: None,
//! };
//!
//! let registry = Registry::new().with(&PG_NOTIFY);
//! let server = ServerSpec {
//!     name: "db".into(),
//!     url: "postgres://127.0.0.1:5432".into(),
//!     protocol: "postgres".into(),
//!     protocol_version: None,
//!     bindings: Default::default(),
//!     credentials: Vec::new(),
//! };
//! assert_eq!(registry.find(&server).unwrap().name, "PostgreSQL LISTEN/NOTIFY");
//! ```

use std::fmt;

use serde::Serialize;

use crate::transport::{BoxFuture, Connect, DynConnection, ServerSpec, TransportError};

/// How a transport's peers meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Through a broker: connections to a server that routes messages (MQTT, NATS, AMQP, Kafka,
    /// Redis).
    Brokered,
    /// Directly: a client connects to a server, which is the other peer (WebSocket, HTTP, TCP).
    Brokerless,
    /// With no connection at all: datagrams between peers (UDP, raw IP).
    Connectionless,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Brokered => "brokered",
            Kind::Brokerless => "brokerless",
            Kind::Connectionless => "connectionless",
        })
    }
}

/// A protocol key of `servers.*.protocol`, with the `protocolVersion`s a transport speaks under
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Protocol {
    /// The key (`mqtt`, `mqtts`, `nats`, `ws`, ...), lower case.
    pub key: &'static str,
    /// The versions (`3.1.1`, `5`): a server's version matches one it starts with. Empty: any
    /// version.
    pub versions: &'static [&'static str],
    /// Whether a server that gives no version is served (the protocol's default version).
    pub unversioned: bool,
}

impl Protocol {
    /// `key` in any version, and without one.
    pub const fn any_version(key: &'static str) -> Protocol {
        Protocol {
            key,
            versions: &[],
            unversioned: true,
        }
    }

    /// `key` in these versions only; a server that gives none is not served.
    pub const fn versions(key: &'static str, versions: &'static [&'static str]) -> Protocol {
        Protocol {
            key,
            versions,
            unversioned: false,
        }
    }

    /// `key` in these versions, and without one (these are the protocol's default).
    pub const fn default_versions(
        key: &'static str,
        versions: &'static [&'static str],
    ) -> Protocol {
        Protocol {
            key,
            versions,
            unversioned: true,
        }
    }

    /// Whether a server with this protocol and version is one to speak to.
    pub fn serves(&self, protocol: &str, version: Option<&str>) -> bool {
        if !self.key.eq_ignore_ascii_case(protocol.trim()) {
            return false;
        }
        match version.map(str::trim).filter(|v| !v.is_empty()) {
            None => self.unversioned,
            Some(_) if self.versions.is_empty() => true,
            Some(v) => self.versions.iter().any(|known| {
                v == *known
                    || v.strip_prefix(known)
                        .is_some_and(|rest| rest.starts_with('.'))
            }),
        }
    }
}

/// Connects to a server with a transport, behind [`DynConnection`].
pub type ConnectFn =
    for<'a> fn(&'a ServerSpec) -> BoxFuture<'a, Result<Box<dyn DynConnection>, TransportError>>;

/// The [`ConnectFn`] of a connection type: [`Connect::connect_to`], boxed behind
/// [`DynConnection`]. A descriptor names it as `connect: Some(connect_with::<MyConnection>)`.
pub fn connect_with<C>(
    server: &ServerSpec,
) -> BoxFuture<'_, Result<Box<dyn DynConnection>, TransportError>>
where
    C: Connect + DynConnection + 'static,
{
    Box::pin(async move {
        let connection: Box<dyn DynConnection> = Box::new(C::connect_to(server).await?);
        Ok(connection)
    })
}

/// One transport as a program has it: what it speaks and how to connect with it.
#[derive(Clone, Copy, Serialize)]
pub struct Descriptor {
    /// A name for people (`MQTT 5`, `NATS`).
    pub name: &'static str,
    /// The `asyncapi` facade's cargo feature that brings it, for built-in transports.
    pub feature: Option<&'static str>,
    /// The protocol keys and versions it speaks, in order of preference.
    pub protocols: &'static [Protocol],
    /// The protocol library it is built on (a crate name).
    pub library: &'static str,
    /// That library's version requirement.
    pub library_version: &'static str,
    /// How its peers meet.
    pub kind: Kind,
    /// The binding fields it applies, as `level.field` (`operation.qos`, `server.clientId`).
    pub bindings: &'static [&'static str],
    /// The security scheme types it accepts (`userPassword`, `X509`, `httpApiKey`, ...).
    pub security: &'static [&'static str],
    /// What a consumer group
    /// ([`ChannelSpec::group`](crate::transport::ChannelSpec::group)) is on this
    /// transport and what it promises, for people (`"queue groups: each message to one member;
    /// at most once"`); `None` when it has no groups, and then it refuses a subscription in one.
    pub groups: Option<&'static str>,
    /// Connects to a server as a client; `None` for a transport that is only a server side or
    /// that cannot be chosen at run time.
    #[serde(skip)]
    pub connect: Option<ConnectFn>,
}

impl fmt::Debug for Descriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Descriptor")
            .field("name", &self.name)
            .field("feature", &self.feature)
            .field("protocols", &self.protocols)
            .field("library", &self.library)
            .field("library_version", &self.library_version)
            .field("kind", &self.kind)
            .field("groups", &self.groups)
            .field("connect", &self.connect.is_some())
            .finish_non_exhaustive()
    }
}

impl Descriptor {
    /// Whether it speaks this server's protocol at this server's version.
    pub fn serves(&self, server: &ServerSpec) -> bool {
        self.protocols
            .iter()
            .any(|p| p.serves(&server.protocol, server.protocol_version.as_deref()))
    }

    /// The protocol keys it speaks, without repeats, in order.
    pub fn keys(&self) -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = Vec::new();
        for p in self.protocols {
            if !keys.contains(&p.key) {
                keys.push(p.key);
            }
        }
        keys
    }
}

/// The transports a program can pick from at run time, in order of preference.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    transports: Vec<&'static Descriptor>,
    not_built: Vec<(&'static str, &'static [&'static str])>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// The same registry with one more transport (after those it has).
    pub fn with(mut self, transport: &'static Descriptor) -> Registry {
        self.register(transport);
        self
    }

    /// Adds a transport after those it has.
    pub fn register(&mut self, transport: &'static Descriptor) {
        self.transports.push(transport);
    }

    /// Says that the protocols `keys` have a transport behind the cargo feature `feature`, which
    /// this build leaves off: connecting to such a server is an error that names the feature.
    pub fn not_built(&mut self, feature: &'static str, keys: &'static [&'static str]) {
        self.not_built.push((feature, keys));
    }

    /// The transports, in order of preference.
    pub fn descriptors(&self) -> &[&'static Descriptor] {
        &self.transports
    }

    /// The first transport that speaks the server's protocol at its version, or a typed error
    /// that says which protocols there are (and which cargo feature would bring this one).
    pub fn find(&self, server: &ServerSpec) -> Result<&'static Descriptor, TransportError> {
        if let Some(found) = self.transports.iter().find(|t| t.serves(server)) {
            return Ok(found);
        }
        let protocol = server.protocol.trim().to_ascii_lowercase();
        let why = if let Some((feature, _)) = self
            .not_built
            .iter()
            .find(|(_, keys)| keys.contains(&protocol.as_str()))
        {
            format!(
                "`{}` needs the `{feature}` feature of the asyncapi crate",
                server.protocol
            )
        } else if let Some(same_key) = self
            .transports
            .iter()
            .find(|t| t.keys().contains(&protocol.as_str()))
        {
            format!(
                "{} does not speak `{}` version {} (server `{}`)",
                same_key.name,
                server.protocol,
                server.protocol_version.as_deref().unwrap_or("(none)"),
                server.name
            )
        } else {
            let mut known: Vec<&str> = Vec::new();
            for t in &self.transports {
                for key in t.keys() {
                    if !known.contains(&key) {
                        known.push(key);
                    }
                }
            }
            format!(
                "no transport speaks `{}` (server `{}`); transports speak {}",
                server.protocol,
                server.name,
                if known.is_empty() {
                    "nothing: none is registered".to_owned()
                } else {
                    known.join(", ")
                }
            )
        };
        Err(TransportError::Connect {
            server: server.url.clone(),
            source: why.into(),
        })
    }

    /// Connects to a server with the transport [`find`](Self::find) picks.
    pub async fn connect(
        &self,
        server: &ServerSpec,
    ) -> Result<Box<dyn DynConnection>, TransportError> {
        let transport = self.find(server)?;
        let Some(connect) = transport.connect else {
            return Err(TransportError::Connect {
                server: server.url.clone(),
                source: format!("{} cannot be connected to at run time", transport.name).into(),
            });
        };
        connect(server).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(protocol: &'static str, version: Option<&'static str>) -> ServerSpec {
        ServerSpec {
            name: "broker".into(),
            url: format!("{protocol}://127.0.0.1:1"),
            protocol: protocol.into(),
            protocol_version: version.map(Into::into),
            bindings: Default::default(),
            credentials: Vec::new(),
        }
    }

    const fn descriptor(name: &'static str, protocols: &'static [Protocol]) -> Descriptor {
        Descriptor {
            name,
            feature: None,
            protocols,
            library: "lib",
            library_version: "1",
            kind: Kind::Brokered,
            bindings: &[],
            security: &[],
            groups: None,
            connect: None,
        }
    }

    static V3: Descriptor =
        descriptor("v3", &[Protocol::default_versions("mqtt", &["3.1.1", "3"])]);
    static V5: Descriptor = descriptor(
        "v5",
        &[
            Protocol::any_version("mqtt5"),
            Protocol::versions("mqtt", &["5"]),
        ],
    );

    #[test]
    fn versions_pick_the_transport() {
        let registry = Registry::new().with(&V3).with(&V5);
        let pick = |p, v| registry.find(&server(p, v)).map(|d| d.name);
        assert_eq!(pick("mqtt", None).unwrap(), "v3");
        assert_eq!(pick("MQTT", Some("3.1.1")).unwrap(), "v3");
        assert_eq!(pick("mqtt", Some("5")).unwrap(), "v5");
        assert_eq!(pick("mqtt", Some("5.0")).unwrap(), "v5");
        assert_eq!(pick("mqtt5", None).unwrap(), "v5");
        let err = pick("mqtt", Some("50")).unwrap_err().to_string();
        assert!(err.contains("does not speak `mqtt` version 50"), "{err}");
    }

    #[test]
    fn unknown_and_unbuilt_protocols_are_named() {
        let mut registry = Registry::new().with(&V3);
        registry.not_built("nats", &["nats"]);
        let err = registry
            .find(&server("kafka", None))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no transport speaks `kafka`"), "{err}");
        assert!(err.contains("transports speak mqtt"), "{err}");
        let err = registry
            .find(&server("nats", None))
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs the `nats` feature"), "{err}");
    }

    #[tokio::test]
    async fn a_transport_without_connect_says_so() {
        let registry = Registry::new().with(&V3);
        let Err(err) = registry.connect(&server("mqtt", None)).await else {
            panic!("connected without a connect function");
        };
        assert!(
            err.to_string()
                .contains("cannot be connected to at run time")
        );
    }
}
