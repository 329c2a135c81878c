//! The options contract every transport's options keep (model: sqlx's `ConnectOptions`): from a
//! URL, from a document's server, credentials, a connect timeout, a reconnection policy and TLS,
//! each with one meaning everywhere; and what [`Connect`](crate::transport::Connect) builds
//! `connect_to` from.

use std::time::Duration;

use crate::delivery::Limits;
use crate::security::{Credential, Credentials};
use crate::transport::{Backoff, ServerSpec, TransportError};

/// How a connection that broke comes back: by itself, waiting longer after each failed
/// attempt, or never (its subscriptions end with an error, and the next use fails).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reconnect {
    /// Connects again first after `first`, then twice as long after each failed attempt, up to
    /// `longest` ([`Backoff`]).
    Backoff {
        /// The first wait.
        first: Duration,
        /// The longest wait.
        longest: Duration,
    },
    /// Never connects again by itself.
    Never,
}

impl Reconnect {
    /// Every transport's default: 100 ms, doubled up to 5 s.
    pub const DEFAULT: Reconnect = Reconnect::Backoff {
        first: Duration::from_millis(100),
        longest: Duration::from_secs(5),
    };

    /// Waiting from `first` up to `longest`.
    pub const fn backoff(first: Duration, longest: Duration) -> Reconnect {
        Reconnect::Backoff { first, longest }
    }

    /// The first and the longest wait, `None` for [`Reconnect::Never`].
    pub const fn bounds(&self) -> Option<(Duration, Duration)> {
        match *self {
            Reconnect::Backoff { first, longest } => Some((first, longest)),
            Reconnect::Never => None,
        }
    }

    /// The waits of this policy, `None` for [`Reconnect::Never`].
    pub fn waits(&self) -> Option<Backoff> {
        match *self {
            Reconnect::Backoff { first, longest } => Some(Backoff::new(first, longest)),
            Reconnect::Never => None,
        }
    }
}

impl Default for Reconnect {
    fn default() -> Self {
        Reconnect::DEFAULT
    }
}

/// What every transport's options are built from and set, with the same meaning on each: a
/// transport's `XOptions` implements it (besides its protocol's own knobs), and its connection's
/// [`Connect`](crate::transport::Connect) names it.
///
/// - **URL** ([`from_url`](Self::from_url)): parsed with [`url::ServerUrl`](crate::url::ServerUrl);
///   a user and password in it are credentials; printed only [redacted](crate::url::redacted_url).
/// - **Document server** ([`from_server`](Self::from_server)): its URL, the protocol's server
///   bindings and its credentials.
/// - **Credentials** ([`credentials`](Self::credentials)): one a protocol cannot carry is
///   [`cannot_carry`]'s error, never ignored.
/// - **Connect timeout** ([`connect_timeout`](Self::connect_timeout)): ten seconds by default;
///   connecting that takes longer is `TransportError::Connect`.
/// - **Reconnection** ([`reconnect`](Self::reconnect)): [`Reconnect::DEFAULT`] by default.
/// - **Subscription buffers** ([`subscription_limits`](Self::subscription_limits)): what each
///   subscription holds at most for a consumer that does not keep up, in messages and bytes
///   ([`Limits::DEFAULT`] by default); what a slow consumer gets past it (backpressure into the
///   protocol, or a counted [`TransportError::Lagged`]) is the transport's
///   [`Overflow`](crate::delivery::Overflow) policy, which its docs state.
/// - **TLS** (`TlsConnectOptions::tls`, runtime feature `tls`, for the transports that speak it):
///   [`TlsOptions`](crate::tls::TlsOptions).
pub trait ConnectOptions: Clone + std::fmt::Debug + Send + Sync + Sized + 'static {
    /// Options for a server URL.
    fn from_url(url: &str) -> Result<Self, TransportError>;

    /// Options for a server of a document (its generated `spec`).
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError>;

    /// Applies credentials; a credential the protocol cannot carry is an error.
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError>;

    /// How long connecting may take.
    fn connect_timeout(self, timeout: Duration) -> Self;

    /// How a broken connection comes back.
    fn reconnect(self, reconnect: Reconnect) -> Self;

    /// What each subscription holds at most for a consumer that does not keep up.
    fn subscription_limits(self, limits: Limits) -> Self;
}

/// The options of a transport that speaks TLS (runtime feature `tls`): every built-in one.
#[cfg(feature = "tls")]
pub trait TlsConnectOptions: ConnectOptions {
    /// The TLS settings, for the URLs (or the options) that ask for TLS, with the meaning of
    /// [`TlsOptions`](crate::tls::TlsOptions).
    fn tls(self, tls: crate::tls::TlsOptions) -> Self;
}

/// The error of a credential `protocol` cannot carry, for `server` (printed redacted): the one
/// error every transport's [`ConnectOptions::credentials`] gives for it.
///
/// ```
/// use asyncapi_runtime::security::{Credential, SaslCredentials, SaslMechanism};
/// use asyncapi_runtime::transport::cannot_carry;
///
/// let kerberos = Credential::Sasl {
///     mechanism: SaslMechanism::Plain,
///     credentials: SaslCredentials { user: "ada".into(), password: "s3cret".into() },
/// };
/// let err = cannot_carry("MQTT", "mqtt://ada:pw@broker:1883", &kerberos).to_string();
/// assert!(err.contains("MQTT cannot carry") && !err.contains("s3cret") && !err.contains(":pw@"));
/// ```
pub fn cannot_carry(protocol: &str, server: &str, credential: &Credential) -> TransportError {
    TransportError::Connect {
        server: crate::url::redacted_url(server),
        source: format!("{protocol} cannot carry the credential {credential:?}").into(),
    }
}
