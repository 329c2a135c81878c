//! The conformance suite of asyncapi-rs transports: the scenarios every transport must pass,
//! whoever wrote it. A transport is defined by this suite, not by its own tests.
//!
//! A transport's tests describe how to reach a server and what the transport promises (a
//! [`Harness`] with its [`Capabilities`]), and [`conformance!`] writes one test per scenario:
//!
//! ```ignore
//! use asyncapi_conformance::{Capabilities, Harness, conformance};
//! use asyncapi::transport::{Connect, ServerSpec, TransportError};
//!
//! struct PgHarness;
//!
//! impl Harness for PgHarness {
//!     type Connection = PgConnection;
//!     fn capabilities(&self) -> Capabilities {
//!         Capabilities::networked().largest_payload(7_000)
//!     }
//!     fn server(&self) -> ServerSpec {
//!         asyncapi_conformance::server("postgres", "postgres://postgres@127.0.0.1:5432/postgres")
//!     }
//!     async fn connect(&self, server: &ServerSpec) -> Result<PgConnection, TransportError> {
//!         PgConnection::connect_to(server).await
//!     }
//!     async fn close(&self, connection: &PgConnection) -> Result<(), TransportError> {
//!         connection.close().await
//!     }
//! }
//!
//! conformance!(pg, PgHarness);
//! ```
//!
//! The tests are named `conformance_pg_<scenario>` (`cargo test conformance_pg` runs them); the
//! harness expression is evaluated per test inside an `async` block on the scenario's runtime
//! (so it may `.await`, to start a server of its own).
//! Each [`Scenario`] says what it checks; one that needs a capability the transport does not
//! declare says so on stderr and passes, and a server that cannot be reached is, under
//! `CI=true`, a failure (elsewhere it is said loudly and the scenario returns).
//!
//! Every scenario speaks through the code generated from one document
//! (`specs/field-notes.yaml`: notes one way, receipts the other, the run's id in every address; the
//! group scenarios through `specs/work-queue.yaml`: jobs a dispatcher sends to a group of workers),
//! from both of its perspectives ([`service`] and [`device`]), and through raw envelopes where a
//! peer misbehaves. Everything the process logs through `tracing`, at every level and from every
//! library, is recorded for the scenario that looks for secrets in it.

mod certificates;
mod groups;
mod record;
mod relay;
mod scenarios;

use std::future::Future;

use asyncapi::delivery::{Limits, Overflow};
use asyncapi::transport::{
    Connect, ConnectOptions, Consumer, Producer, Reconnect, ServerSpec, TransportError,
};

pub use asyncapi_rs_conformance_macros::conformance;
pub use certificates::make_certificates;
pub use relay::Relay;
pub use scenarios::Scenario;

/// The suite's document as the service sees it: it publishes notes and takes receipts.
pub mod service {
    asyncapi::include_spec!("specs/field-notes.yaml");
}

/// The suite's document as a device sees it: it takes notes and sends receipts.
pub mod device {
    asyncapi::include_spec!("specs/field-notes.yaml", perspective = "client");
}

/// The group scenarios' document: a dispatcher sends survey jobs, workers in a group share them.
pub mod survey {
    asyncapi::include_spec!("specs/work-queue.yaml");
}

/// What a transport promises, which decides the scenarios that apply to it. Start from
/// [`Capabilities::in_process`] or [`Capabilities::networked`] and add what it keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// It reaches its server over TCP at the URL of [`Harness::server`]: connect errors,
    /// secrets, and (with the next two) breaking the connection through a [`Relay`] apply.
    pub network: bool,
    /// A send resolves once the server has taken the message, so that a send to a server that
    /// has gone is an error, never `Ok`.
    pub acknowledged_sends: bool,
    /// A broken connection comes back by itself: each subscription yields one error for the
    /// break and then the messages sent after it.
    pub reconnects: bool,
    /// Message headers travel.
    pub headers: bool,
    /// A message a manual subscription `nack`s is delivered to it again (AMQP's requeue, a
    /// Redis stream's claim of what stays pending), and one it `ack`s is not.
    pub redelivers: bool,
    /// The largest payload, in bytes, the protocol carries (a scenario sends one of about this
    /// size).
    pub largest_payload: usize,
    /// What a subscriber that does not keep up gets past its subscription limits
    /// ([`Harness::connect_with_settings`]): backpressure or counted drops; `None` when the
    /// transport does not say.
    pub slow_consumer: Option<Overflow>,
    /// Subscribers in one consumer group (`ChannelSpec::group`) share the messages, each
    /// going to one of them; without it, a subscription in a group is refused.
    pub groups: bool,
    /// What a member of a group dies holding unacknowledged goes to another member (needs
    /// [`groups`](Self::groups)).
    pub handover: bool,
}

impl Capabilities {
    /// An in-process transport: no network, headers travel.
    pub const fn in_process() -> Capabilities {
        Capabilities {
            network: false,
            acknowledged_sends: false,
            reconnects: false,
            headers: true,
            redelivers: false,
            largest_payload: 256 * 1024,
            slow_consumer: None,
            groups: false,
            handover: false,
        }
    }

    /// A transport that reaches its server over TCP; nothing more promised yet.
    pub const fn networked() -> Capabilities {
        Capabilities {
            network: true,
            acknowledged_sends: false,
            reconnects: false,
            headers: false,
            redelivers: false,
            largest_payload: 64 * 1024,
            slow_consumer: None,
            groups: false,
            handover: false,
        }
    }

    /// Sends resolve once the server has taken the message.
    pub const fn acknowledged_sends(mut self) -> Capabilities {
        self.acknowledged_sends = true;
        self
    }

    /// Broken connections come back by themselves, one error per break.
    pub const fn reconnects(mut self) -> Capabilities {
        self.reconnects = true;
        self
    }

    /// A `nack`ed message comes again to the subscription that nacked it.
    pub const fn redelivers(mut self) -> Capabilities {
        self.redelivers = true;
        self
    }

    /// Subscribers in one consumer group share the messages.
    pub const fn groups(mut self) -> Capabilities {
        self.groups = true;
        self
    }

    /// What a group's member dies holding unacknowledged goes to another member (and groups).
    pub const fn handover(mut self) -> Capabilities {
        self.groups = true;
        self.handover = true;
        self
    }

    /// Message headers travel.
    pub const fn headers(mut self) -> Capabilities {
        self.headers = true;
        self
    }

    /// The largest payload the protocol carries.
    pub const fn largest_payload(mut self, bytes: usize) -> Capabilities {
        self.largest_payload = bytes;
        self
    }

    /// What a slow consumer gets past its subscription limits (the harness connects with
    /// limits through [`Harness::connect_with_settings`]).
    pub const fn slow_consumer(mut self, policy: Overflow) -> Capabilities {
        self.slow_consumer = Some(policy);
        self
    }
}

/// How the suite reaches a transport: its connection type, a server, and how to connect and
/// close. Everything else the suite does through the transport contract and generated code.
pub trait Harness: Send + Sync {
    /// The connection under test: both a producer and a consumer.
    type Connection: Producer + Consumer + Send + Sync + 'static;

    /// What the transport promises.
    fn capabilities(&self) -> Capabilities;

    /// A server that accepts the suite: protocol and URL (a full URL with scheme, host and
    /// port for a networked transport, which the suite rewrites to reach a closed port, an
    /// unknown host or a [`Relay`]), and any credentials it needs.
    fn server(&self) -> ServerSpec;

    /// Connects to `server` (usually `Connect::connect_to`).
    fn connect(
        &self,
        server: &ServerSpec,
    ) -> impl Future<Output = Result<Self::Connection, TransportError>> + Send;

    /// Closes a connection: its subscriptions end and its sends fail after it.
    fn close(
        &self,
        connection: &Self::Connection,
    ) -> impl Future<Output = Result<(), TransportError>> + Send;

    /// Connects with TLS, with these settings, to `server`: a TLS listener the suite put in
    /// front of the harness's server (its URL still has the plain scheme: use the TLS one, or
    /// set the options' TLS). `None` (the default) when the transport has no TLS from the first
    /// byte, which the TLS scenario needs (NATS upgrades after the server's first line).
    fn connect_tls(
        &self,
        server: &ServerSpec,
        tls: asyncapi::tls::TlsOptions,
    ) -> impl Future<Output = Option<Result<Self::Connection, TransportError>>> + Send {
        let _ = (server, tls);
        async { None }
    }

    /// Connects to `server` with these settings of the options contract applied (usually
    /// [`connect_with_settings`]: the options `from_server`, [`Settings::apply`],
    /// `connect_with`), for the scenarios that bound subscriptions or forbid reconnecting;
    /// `None` (the default) when it cannot, and those scenarios say they did not run.
    fn connect_with_settings(
        &self,
        server: &ServerSpec,
        settings: Settings,
    ) -> impl Future<Output = Option<Result<Self::Connection, TransportError>>> + Send {
        let _ = (server, settings);
        async { None }
    }

    /// What a relay the suite puts on `relay_port` forwards to, for a protocol whose clients
    /// connect to the addresses the server gives them rather than to the one they started from
    /// (Kafka's advertised listeners): a server of the harness's own that gives `relay_port`,
    /// and what keeps it running as long as the relay. `None` (the default): the harness's
    /// server.
    fn behind_relay(
        &self,
        relay_port: u16,
    ) -> impl Future<Output = Option<(std::net::SocketAddr, Box<dyn std::any::Any + Send + Sync>)>> + Send
    {
        let _ = relay_port;
        async { None }
    }

    /// A server (or `server` with other credentials) that refuses the user `conformance-user`
    /// with a password it does not know, for the secrets scenario; `None` when the transport's
    /// test server accepts anyone.
    fn refusing(&self, server: ServerSpec) -> Option<ServerSpec> {
        let _ = server;
        None
    }
}

/// A server spec by hand, as a tool that reads any document makes one: named `conformance`,
/// no bindings, no credentials.
pub fn server(protocol: &'static str, url: impl Into<String>) -> ServerSpec {
    ServerSpec {
        name: "conformance".into(),
        url: url.into(),
        protocol: protocol.into(),
        protocol_version: None,
        bindings: Default::default(),
        credentials: Vec::new(),
    }
}

/// What a scenario asks of a connection beyond its server: settings of the options contract
/// ([`ConnectOptions`]), each applied when given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Settings {
    /// [`ConnectOptions::subscription_limits`].
    pub subscription_limits: Option<Limits>,
    /// [`ConnectOptions::reconnect`].
    pub reconnect: Option<Reconnect>,
}

impl Settings {
    /// Each subscription bounded by `limits`.
    pub fn limits(limits: Limits) -> Settings {
        Settings {
            subscription_limits: Some(limits),
            ..Settings::default()
        }
    }

    /// Reconnecting as `reconnect` says.
    pub fn reconnect(reconnect: Reconnect) -> Settings {
        Settings {
            reconnect: Some(reconnect),
            ..Settings::default()
        }
    }

    /// `options` with every setting given applied.
    pub fn apply<O: ConnectOptions>(&self, mut options: O) -> O {
        if let Some(limits) = self.subscription_limits {
            options = options.subscription_limits(limits);
        }
        if let Some(reconnect) = self.reconnect {
            options = options.reconnect(reconnect);
        }
        options
    }
}

/// Connects a `C` to `server` with `settings`: its options from the server,
/// [`Settings::apply`], then [`Connect::connect_with`]. What a harness's
/// [`Harness::connect_with_settings`] usually is.
pub async fn connect_with_settings<C: Connect>(
    server: &ServerSpec,
    settings: Settings,
) -> Result<C, TransportError> {
    C::connect_with(settings.apply(C::Options::from_server(server)?)).await
}

/// Runs one scenario against the harness `make` builds (on the scenario's runtime, so that it
/// may start servers of its own), on a runtime of its own: what each test [`conformance!`]
/// writes calls.
pub fn run<H: Harness, F: Future<Output = H>>(make: impl FnOnce() -> F, scenario: Scenario) {
    record::install();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let harness = make().await;
        scenario.run(&harness).await;
    });
}

/// Something a scenario needs is missing: under CI (`CI=true`) the scenario fails with
/// `message`; elsewhere it is said loudly on stderr and the scenario returns.
pub fn missing(message: &str) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "\n!!! {message} !!!\n");
}
