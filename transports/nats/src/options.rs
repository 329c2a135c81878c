//! How to connect: [`NatsOptions`], from a URL, a document's server and its credentials.

use std::time::Duration;

use asyncapi_runtime::bindings::NatsJetStream;
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
    pub(crate) client_buffer: usize,
    pub(crate) send_timeout: Duration,
    pub(crate) subscription_limits: Limits,
    /// Channels on JetStream by name, with their settings (before the document's).
    pub(crate) jetstream: Vec<(String, NatsJetStream)>,
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
            .field("flush_each_send", &self.flush_each_send)
            .field("client_buffer", &self.client_buffer)
            .field("subscription_limits", &self.subscription_limits)
            .field("jetstream", &self.jetstream)
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
            flush_each_send: true,
            client_buffer: 65_536,
            send_timeout: Duration::from_secs(10),
            subscription_limits: Limits::DEFAULT,
            jetstream: Vec::new(),
        }
    }

    /// Carries the channel named `channel` (its name in the document) on JetStream with these
    /// settings, in place of any its binding gives (`x-jetstream`): the stream is created or
    /// checked when the channel opens, a send is `Ok` once the stream has stored the message,
    /// and subscriptions read through pull consumers whose messages are acknowledged (at least
    /// once). `NatsJetStream::default()` takes every default: see the crate's documentation.
    pub fn jetstream(mut self, channel: impl Into<String>, settings: NatsJetStream) -> Self {
        let channel = channel.into();
        self.jetstream.retain(|(name, _)| *name != channel);
        self.jetstream.push((channel, settings));
        self
    }

    /// Whether each send waits until the client has written it to the server's connection (a
    /// flush; on by default, as the transport contract asks: a send is not `Ok` while the
    /// message only sits in a local queue). Core NATS has no acknowledgement, so "written" is
    /// the most it can say; a server that is gone by then loses the message (use JetStream for
    /// more). Turning it off makes a send `Ok` once async-nats has queued the message, for
    /// throughput at the cost of that promise.
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

    /// How many messages async-nats buffers per subscription before the subscription's task
    /// moves them into its queue (65,536 by default, async-nats's own). The task empties it as
    /// messages come, so it fills only when the process cannot keep up; then async-nats drops
    /// what does not fit and the server reports the client as a slow consumer (a tracing
    /// event). Smaller bounds that buffer's memory (at most this many messages of the server's
    /// `max_payload`, 1 MiB by default); the suite found 4 losing most of a burst.
    pub fn client_buffer(mut self, messages: usize) -> Self {
        self.client_buffer = messages.max(1);
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

    /// Options for a server of the document (its generated `spec`): URL and credentials. TLS
    /// is required for a `tls://` URL, and for a server with credentials that is not on this
    /// machine (a user and password or a token in the CONNECT line would otherwise cross the
    /// network in clear text when the server does not insist on TLS itself);
    /// [`NatsOptions::require_tls`]`(false)` after this says otherwise.
    pub fn from_server(server: &ServerSpec) -> Result<NatsOptions, TransportError> {
        let options = NatsOptions::new(server.url.clone())
            .name(server.name.to_string())
            .credentials(&server.credentials)?;
        let remote = asyncapi_runtime::url::ServerUrl::parse(&server.url)
            .map(|u| !u.is_loopback())
            .unwrap_or(true);
        let required = options.require_tls || (!server.credentials.is_empty() && remote);
        Ok(options.require_tls(required))
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

    #[test]
    fn a_documents_server_with_credentials_off_this_machine_requires_tls() {
        use asyncapi_runtime::security::{Credential, UserPassword};
        let user = vec![Credential::UserPassword(UserPassword {
            user: "fleet".into(),
            password: "pw".into(),
        })];
        let spec = |url: &str, credentials: &Vec<Credential>| ServerSpec {
            name: "production".into(),
            url: url.to_owned(),
            protocol: "nats".into(),
            protocol_version: None,
            bindings: Default::default(),
            credentials: credentials.clone(),
        };
        let required = |url: &str, c: &Vec<Credential>| {
            NatsOptions::from_server(&spec(url, c)).unwrap().require_tls
        };
        assert!(required("nats://nats.example.com:4222", &user));
        assert!(required("nats.example.com:4222", &user));
        assert!(!required("nats://127.0.0.1:4222", &user));
        assert!(!required("nats://localhost:4222", &user));
        assert!(!required("nats://[::1]:4222", &user));
        assert!(!required("nats://nats.example.com:4222", &Vec::new()));
        assert!(required("tls://nats.example.com:4222", &Vec::new()));
    }
}
