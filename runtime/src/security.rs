//! Credentials for the security schemes of AsyncAPI, and the form transports apply them in.
//!
//! Generated servers have a `<Server>Security` enum with one variant per security requirement the
//! document lists for that server (a requirement that needs several schemes holds all of their
//! credentials), so the compiler checks that a client brings credentials of a kind the server
//! accepts. Each variant turns into [`Credential`]s, the protocol-neutral form a transport reads.

/// A user name and password (`userPassword`, HTTP `basic`).
#[derive(Clone, PartialEq, Eq)]
pub struct UserPassword {
    /// The user.
    pub user: String,
    /// The password.
    pub password: String,
}

/// An API key (`apiKey`, `httpApiKey`): where it goes comes from the document.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key.
    pub key: String,
}

/// A token sent as `Authorization: Bearer` (HTTP `bearer`, OAuth2 and OpenID Connect access
/// tokens obtained by the application).
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The token.
    pub token: String,
}

/// A client certificate and its key, PEM-encoded (`X509`).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCertificate {
    /// The certificate chain, PEM.
    pub certificate_pem: Vec<u8>,
    /// The private key, PEM.
    pub private_key_pem: Vec<u8>,
}

/// A SASL user and password (`plain`, `scramSha256`, `scramSha512`).
#[derive(Clone, PartialEq, Eq)]
pub struct SaslCredentials {
    /// The user.
    pub user: String,
    /// The password.
    pub password: String,
}

/// A Kerberos principal (`gssapi`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kerberos {
    /// The principal.
    pub principal: String,
    /// The keytab file, if not the default.
    pub keytab: Option<String>,
}

/// Key material (`symmetricEncryption`, `asymmetricEncryption`).
#[derive(Clone, PartialEq, Eq)]
pub struct EncryptionKey {
    /// The key.
    pub key: Vec<u8>,
}

/// Where an API key goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyLocation {
    /// The protocol's user field.
    User,
    /// The protocol's password field.
    Password,
    /// An HTTP header (or a protocol's header) with this name.
    Header(String),
    /// A query parameter with this name.
    Query(String),
    /// A cookie with this name.
    Cookie(String),
}

/// SASL mechanisms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaslMechanism {
    /// PLAIN
    Plain,
    /// SCRAM-SHA-256
    ScramSha256,
    /// SCRAM-SHA-512
    ScramSha512,
}

/// A credential as a transport applies it.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// User and password, in the protocol's own fields (MQTT CONNECT, AMQP PLAIN, NATS user).
    UserPassword(UserPassword),
    /// An API key, where the document says.
    ApiKey {
        /// The key.
        key: ApiKey,
        /// Where it goes.
        location: KeyLocation,
    },
    /// An HTTP `Authorization` header: `scheme` and credentials (`Bearer <token>`, `Basic ...`).
    Authorization {
        /// `Bearer`, `Basic`, ...
        scheme: String,
        /// What follows the scheme.
        credentials: String,
    },
    /// A TLS client certificate.
    ClientCertificate(ClientCertificate),
    /// SASL.
    Sasl {
        /// The mechanism.
        mechanism: SaslMechanism,
        /// User and password.
        credentials: SaslCredentials,
    },
    /// Kerberos.
    Kerberos(Kerberos),
    /// Key material for message encryption.
    EncryptionKey(EncryptionKey),
}

/// The names of the headers, query parameters and cookies these credentials put a key in (an
/// `apiKey`, `httpApiKey` scheme's `name`): what a transport redacts wherever it prints them,
/// besides the names [`is_secret_name`](crate::envelope::is_secret_name) finds.
pub fn secret_names(credentials: &[Credential]) -> Vec<String> {
    credentials
        .iter()
        .filter_map(|c| match c {
            Credential::ApiKey {
                location: KeyLocation::Header(n) | KeyLocation::Query(n) | KeyLocation::Cookie(n),
                ..
            } => Some(n.clone()),
            _ => None,
        })
        .collect()
}

/// Secrets never appear in debug output.
impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::UserPassword(u) => write!(
                f,
                "UserPassword {{ user: {:?}, password: <redacted> }}",
                u.user
            ),
            Credential::ApiKey { location, .. } => {
                write!(f, "ApiKey {{ key: <redacted>, location: {location:?} }}")
            }
            Credential::Authorization { scheme, .. } => write!(
                f,
                "Authorization {{ scheme: {scheme:?}, credentials: <redacted> }}"
            ),
            Credential::ClientCertificate(_) => f.write_str("ClientCertificate { <redacted> }"),
            Credential::Sasl {
                mechanism,
                credentials,
            } => write!(
                f,
                "Sasl {{ mechanism: {mechanism:?}, user: {:?}, password: <redacted> }}",
                credentials.user
            ),
            Credential::Kerberos(k) => write!(f, "{k:?}"),
            Credential::EncryptionKey(_) => f.write_str("EncryptionKey { <redacted> }"),
        }
    }
}

macro_rules! redacted_debug {
    ($($t:ty),*) => {$(
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($t), " {{ <redacted> }}"))
            }
        }
    )*};
}
redacted_debug!(
    UserPassword,
    ApiKey,
    Token,
    ClientCertificate,
    SaslCredentials,
    EncryptionKey
);

/// The credentials a client brings to a server: what a generated `<Server>Security` gives.
pub trait Credentials {
    /// Every credential, for the transport to apply.
    fn credentials(&self) -> Vec<Credential>;
}

/// Credentials already in the transports' form (a `ServerSpec`'s, say).
impl Credentials for [Credential] {
    fn credentials(&self) -> Vec<Credential> {
        self.to_vec()
    }
}

impl Credentials for Vec<Credential> {
    fn credentials(&self) -> Vec<Credential> {
        self.clone()
    }
}

/// A server that asks for no security.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Anonymous;

impl Credentials for Anonymous {
    fn credentials(&self) -> Vec<Credential> {
        Vec::new()
    }
}

impl Credential {
    /// HTTP basic authentication from a user and password.
    pub fn basic(credentials: &UserPassword) -> Credential {
        let raw = format!("{}:{}", credentials.user, credentials.password);
        Credential::Authorization {
            scheme: "Basic".to_owned(),
            credentials: crate::types::Base64(raw.into_bytes()).encode(),
        }
    }

    /// An `Authorization` header with a token (`Bearer` unless the document names another
    /// scheme).
    pub fn token(scheme: &str, token: &Token) -> Credential {
        Credential::Authorization {
            scheme: scheme.to_owned(),
            credentials: token.token.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let c = Credential::UserPassword(UserPassword {
            user: "ada".into(),
            password: "s3cret".into(),
        });
        let text = format!("{c:?}");
        assert!(text.contains("ada") && !text.contains("s3cret"), "{text}");
        let k = ApiKey {
            key: "k-123".into(),
        };
        assert!(!format!("{k:?}").contains("k-123"));
    }
}
