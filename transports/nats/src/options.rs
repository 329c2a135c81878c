//! How to connect: [`NatsOptions`], from a URL, a document's server and its credentials.

use std::time::Duration;

use asyncapi_runtime::delivery::Limits;
use asyncapi_runtime::security::{Credential, Credentials, KeyLocation};
use asyncapi_runtime::tls::{Pem, TlsOptions};
use asyncapi_runtime::transport::{
    ConnectOptions, Reconnect, ServerSpec, TransportError, redacted_url,
};

/// How to connect.
#[derive(Clone)]
pub struct NatsOptions {
    pub(crate) url: String,
    pub(crate) name: Option<String>,
    pub(crate) user: Option<(String, String)>,
    pub(crate) token: Option<String>,
    pub(crate) nkey: Option<String>,
    pub(crate) credentials_file: Option<std::path::PathBuf>,
    pub(crate) connect_timeout: Duration,
    pub(crate) tls: Option<TlsOptions>,
    pub(crate) reconnect: Reconnect,
    pub(crate) require_tls: bool,
    pub(crate) tls_first: bool,
    pub(crate) flush_each_send: bool,
    pub(crate) send_timeout: Duration,
    pub(crate) subscription_limits: Limits,
}

impl std::fmt::Debug for NatsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NatsOptions")
            .field("url", &redacted_url(&self.url))
            .field("name", &self.name)
            .field("user", &self.user.as_ref().map(|(u, _)| u))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("nkey", &self.nkey.as_ref().map(|_| "<redacted>"))
            .field("credentials_file", &self.credentials_file)
            .field("connect_timeout", &self.connect_timeout)
            .field("tls", &self.tls)
            .field("reconnect", &self.reconnect)
            .field("require_tls", &self.require_tls)
            .field("tls_first", &self.tls_first)
            .field("subscription_limits", &self.subscription_limits)
            .finish_non_exhaustive()
    }
}

impl NatsOptions {
    /// Options for a server URL (`nats://host:port`, `host:port`; `tls://host:port` requires
    /// TLS).
    pub fn new(url: impl Into<String>) -> NatsOptions {
        let url = url.into();
        NatsOptions {
            require_tls: url.starts_with("tls://"),
            url,
            name: None,
            user: None,
            token: None,
            nkey: None,
            credentials_file: None,
            connect_timeout: Duration::from_secs(10),
            tls: None,
            reconnect: Reconnect::DEFAULT,
            tls_first: false,
            flush_each_send: false,
            send_timeout: Duration::from_secs(10),
            subscription_limits: Limits::DEFAULT,
        }
    }

    /// Whether each send waits until the client has written it to the server's connection
    /// (a flush), instead of returning once the client has queued it. Off by default: core NATS
    /// is at most once either way, and a flush per message costs throughput.
    pub fn flush_each_send(mut self, flush: bool) -> Self {
        self.flush_each_send = flush;
        self
    }

    /// How long a flushing send waits before it is
    /// [`Unconfirmed`](TransportError::Unconfirmed); ten seconds by default.
    pub fn send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout;
        self
    }

    /// Requires TLS, with these settings (see [`TlsOptions`]; by default the system's
    /// certificate authorities and no client certificate).
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        self.tls = Some(tls);
        self.require_tls = true;
        self
    }

    fn edit_tls(self, edit: impl FnOnce(TlsOptions) -> TlsOptions) -> Self {
        let tls = edit(self.tls.clone().unwrap_or_default());
        self.tls(tls)
    }

    /// Requires TLS, also trusting the certificate authorities in this PEM (a file's path, or
    /// [`Pem::text`]); each call adds to the others and to the system's.
    pub fn root_certificate(self, pem: impl Into<Pem>) -> Self {
        let pem = pem.into();
        self.edit_tls(|tls| tls.root_certificate(pem))
    }

    /// Requires TLS, presenting this client certificate and key (PEM files or texts).
    pub fn client_certificate(self, certificate: impl Into<Pem>, key: impl Into<Pem>) -> Self {
        let (certificate, key) = (certificate.into(), key.into());
        self.edit_tls(|tls| tls.client_certificate(certificate, key))
    }

    /// How a broken connection comes back ([`Reconnect::DEFAULT`]: 100 ms, doubled up to 5 s):
    /// async-nats connects again and renews every subscription, waiting this long between
    /// attempts. With [`Reconnect::Never`] it makes one attempt and gives up (async-nats has no
    /// way to make none); subscriptions then end.
    pub fn reconnect(mut self, reconnect: Reconnect) -> Self {
        self.reconnect = reconnect;
        self
    }

    /// What each subscription holds at most for a consumer that does not keep up
    /// ([`Limits::DEFAULT`] by default). Core NATS has no flow control: a message that finds the
    /// queue full is dropped and counted, and the subscriber gets one
    /// [`TransportError::Lagged`] with the count
    /// ([`Overflow::Drop`](asyncapi_runtime::delivery::Overflow::Drop)); what it missed is not
    /// sent again (use a JetStream consumer for that).
    pub fn subscription_limits(mut self, limits: Limits) -> Self {
        self.subscription_limits = limits;
        self
    }

    /// How long connecting may take; ten seconds by default.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Authenticates with an NKey: the user's seed (`SU...`), whose public key the server lists.
    /// AsyncAPI has no security scheme for NKeys, so this is set here rather than from the
    /// document. The seed never appears in debug output.
    pub fn nkey(mut self, seed: impl Into<String>) -> Self {
        self.nkey = Some(seed.into());
        self
    }

    /// Authenticates with a credentials file: a user JWT and its NKey seed, as `nsc` writes
    /// them (decentralised authentication).
    pub fn credentials_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.credentials_file = Some(path.into());
        self
    }

    /// Whether the connection must use TLS.
    pub fn require_tls(mut self, required: bool) -> Self {
        self.require_tls = required;
        self
    }

    /// Speaks TLS from the first byte (and requires it), instead of upgrading after the
    /// server's plain-text `INFO` line: for servers configured with `handshake_first` (NATS
    /// 2.10 and later), and for TLS terminated in front of the server (a proxy or a load
    /// balancer that speaks TLS to clients and plain TCP to NATS).
    pub fn tls_first(mut self) -> Self {
        self.tls_first = true;
        self.require_tls = true;
        self
    }

    /// Options for a server of the document (its generated `spec`): URL and credentials.
    pub fn from_server(server: &ServerSpec) -> Result<NatsOptions, TransportError> {
        NatsOptions::new(server.url.clone())
            .name(server.name.to_string())
            .credentials(&server.credentials)
    }

    /// The connection's name, as the server shows it.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Applies credentials: a user and password, or a token (an API key or a bearer token).
    /// Credentials NATS cannot carry are refused.
    pub fn credentials(mut self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        for c in credentials.credentials() {
            match c {
                Credential::UserPassword(u) => self.user = Some((u.user, u.password)),
                Credential::ApiKey {
                    key,
                    location: KeyLocation::User | KeyLocation::Password,
                } => self.token = Some(key.key),
                Credential::Authorization { credentials, .. } => self.token = Some(credentials),
                Credential::ClientCertificate(c) => {
                    self = self.client_certificate(
                        Pem::text(c.certificate_pem),
                        Pem::text(c.private_key_pem),
                    )
                }
                other => {
                    return Err(asyncapi_runtime::transport::cannot_carry(
                        "NATS", &self.url, &other,
                    ));
                }
            }
        }
        Ok(self)
    }
}

impl ConnectOptions for NatsOptions {
    fn from_url(url: &str) -> Result<Self, TransportError> {
        Ok(NatsOptions::new(url))
    }
    fn from_server(server: &ServerSpec) -> Result<Self, TransportError> {
        NatsOptions::from_server(server)
    }
    fn credentials(self, credentials: &impl Credentials) -> Result<Self, TransportError> {
        NatsOptions::credentials(self, credentials)
    }
    fn connect_timeout(self, timeout: Duration) -> Self {
        NatsOptions::connect_timeout(self, timeout)
    }
    fn reconnect(self, reconnect: Reconnect) -> Self {
        NatsOptions::reconnect(self, reconnect)
    }
    fn subscription_limits(self, limits: Limits) -> Self {
        NatsOptions::subscription_limits(self, limits)
    }
}

impl asyncapi_runtime::transport::TlsConnectOptions for NatsOptions {
    fn tls(self, tls: TlsOptions) -> Self {
        NatsOptions::tls(self, tls)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_in_debug() {
        let shown = format!(
            "{:?}",
            NatsOptions::new("nats://s3cret-token@127.0.0.1:4222")
        );
        assert!(!shown.contains("s3cret-token"), "{shown}");
    }
}
