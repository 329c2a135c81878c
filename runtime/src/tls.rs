//! TLS settings with one meaning on every transport, and the rustls client configuration built
//! from them.
//!
//! A transport takes a [`TlsOptions`] (every built-in one has `XOptions::tls`) and hands the
//! protocol library the [`rustls::ClientConfig`] of [`TlsOptions::client_config`], or, for a
//! library that wants PEM text, [`TlsOptions::roots_pem`] and [`TlsOptions::identity_pem`]:
//!
//! - **Roots:** the system's certificate authorities, plus every one given with
//!   [`root_certificate`](TlsOptions::root_certificate) (each call adds); only the given ones
//!   after [`without_system_roots`](TlsOptions::without_system_roots).
//! - **Client certificate:** a certificate chain and its private key (PKCS #8, PKCS #1 or SEC1),
//!   presented when the server asks.
//! - **PEM:** a file read at connect time ([`Pem::file`], or any path) or the text itself
//!   ([`Pem::text`]).
//! - **Server name:** the name the server's certificate is checked against, by default the host
//!   of the URL; [`server_name`](TlsOptions::server_name) overrides it (a broker reached by IP
//!   address whose certificate names a host, a tunnel).
//!
//! One TLS stack, rustls with the ring provider, for every transport. `Debug` never shows a
//! private key, nor PEM text given inline.
//!
//! ```
//! use asyncapi_runtime::tls::{Pem, TlsOptions};
//!
//! let tls = TlsOptions::new()
//!     .root_certificate("/etc/ssl/our-ca.pem")
//!     .client_certificate(Pem::file("client.pem"), Pem::text("-----BEGIN PRIVATE KEY-----..."));
//! let shown = format!("{tls:?}");
//! assert!(shown.contains("our-ca.pem") && !shown.contains("BEGIN PRIVATE KEY"));
//! ```

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};

/// PEM, from a file or given as text.
#[derive(Clone, PartialEq, Eq)]
pub enum Pem {
    /// A file, read each time a configuration is built (at connect time).
    File(PathBuf),
    /// The PEM text itself.
    Text(Arc<[u8]>),
}

impl Pem {
    /// PEM read from this file.
    pub fn file(path: impl Into<PathBuf>) -> Pem {
        Pem::File(path.into())
    }

    /// PEM given as text (`-----BEGIN CERTIFICATE-----` …).
    pub fn text(pem: impl AsRef<[u8]>) -> Pem {
        Pem::Text(Arc::from(pem.as_ref()))
    }

    /// The PEM's bytes.
    pub fn read(&self) -> Result<Vec<u8>, TlsError> {
        match self {
            Pem::File(path) => std::fs::read(path).map_err(|source| TlsError::Read {
                path: path.clone(),
                source,
            }),
            Pem::Text(text) => Ok(text.to_vec()),
        }
    }

    /// The certificates the PEM holds (at least one), for a rustls configuration.
    pub fn certificates(&self) -> Result<Vec<CertificateDer<'static>>, TlsError> {
        let bytes = self.read()?;
        let certificates = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TlsError::Pem {
                what: "certificate",
                from: self.clone(),
                reason: e.to_string(),
            })?;
        if certificates.is_empty() {
            return Err(TlsError::Pem {
                what: "certificate",
                from: self.clone(),
                reason: "it holds no certificate".into(),
            });
        }
        Ok(certificates)
    }

    /// The private key the PEM holds (PKCS #8, PKCS #1 or SEC1), for a rustls configuration.
    pub fn private_key(&self) -> Result<PrivateKeyDer<'static>, TlsError> {
        let bytes = self.read()?;
        // The parser's message names what it did not find, never the key's bytes.
        PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| TlsError::Pem {
            what: "private key",
            from: self.clone(),
            reason: e.to_string(),
        })
    }
}

/// A path is a file to read.
impl From<PathBuf> for Pem {
    fn from(path: PathBuf) -> Pem {
        Pem::File(path)
    }
}

/// A path is a file to read.
impl From<&Path> for Pem {
    fn from(path: &Path) -> Pem {
        Pem::File(path.to_owned())
    }
}

/// A path is a file to read.
impl From<&PathBuf> for Pem {
    fn from(path: &PathBuf) -> Pem {
        Pem::File(path.clone())
    }
}

/// A string is the path of a file to read (PEM text goes through [`Pem::text`]).
impl From<&str> for Pem {
    fn from(path: &str) -> Pem {
        Pem::File(PathBuf::from(path))
    }
}

/// The file's path, or the length of the text (which may be a key).
impl std::fmt::Debug for Pem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pem::File(path) => f.debug_tuple("File").field(path).finish(),
            Pem::Text(text) => write!(f, "Text(<{} bytes>)", text.len()),
        }
    }
}

/// Where a [`Pem`] came from, for messages: the file's path, or "PEM text".
impl std::fmt::Display for Pem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Pem::File(path) => write!(f, "`{}`", path.display()),
            Pem::Text(_) => f.write_str("the PEM text given"),
        }
    }
}

/// Why a TLS configuration could not be built. Never holds a key's bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// PEM that does not hold what it should.
    #[error("no valid {what} in {from}: {reason}")]
    Pem {
        /// `certificate` or `private key`.
        what: &'static str,
        /// The file or text.
        from: Pem,
        /// What the parser said.
        reason: String,
    },
    /// The system's certificate authorities could not be loaded, and no other root is given.
    #[error("no trusted certificate authority: {0}")]
    NoRoots(String),
    /// A server name that is neither a DNS name nor an IP address.
    #[error("`{0}` is not a valid TLS server name")]
    ServerName(String),
    /// rustls refused the configuration (a certificate authority it cannot use, a key that does
    /// not match its certificate).
    #[error(transparent)]
    Rustls(#[from] rustls::Error),
}

/// TLS settings: which certificate authorities to trust, the client certificate to present and
/// the name to check the server's certificate against. See the [module](self) for what each
/// means; the default trusts the system's authorities and presents no certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsOptions {
    system_roots: bool,
    roots: Vec<Pem>,
    client: Option<ClientIdentity>,
    server_name: Option<String>,
}

/// A client certificate chain and its key.
#[derive(Clone, PartialEq, Eq)]
struct ClientIdentity {
    certificate: Pem,
    key: Pem,
}

/// The certificate's source; the key as redacted.
impl std::fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("certificate", &self.certificate)
            .field("key", &"<redacted>")
            .finish()
    }
}

impl Default for TlsOptions {
    fn default() -> Self {
        TlsOptions::new()
    }
}

impl TlsOptions {
    /// Trusts the system's certificate authorities; no client certificate.
    pub fn new() -> TlsOptions {
        TlsOptions {
            system_roots: true,
            roots: Vec::new(),
            client: None,
            server_name: None,
        }
    }

    /// Also trusts the certificate authorities in this PEM (a file's path, or [`Pem::text`]);
    /// each call adds to the others.
    pub fn root_certificate(mut self, pem: impl Into<Pem>) -> TlsOptions {
        self.roots.push(pem.into());
        self
    }

    /// Trusts only the authorities given with [`root_certificate`](Self::root_certificate), not
    /// the system's.
    pub fn without_system_roots(mut self) -> TlsOptions {
        self.system_roots = false;
        self
    }

    /// Presents this certificate chain and private key (PEM: PKCS #8, PKCS #1 or SEC1) when the
    /// server asks for a client certificate.
    pub fn client_certificate(
        mut self,
        certificate: impl Into<Pem>,
        key: impl Into<Pem>,
    ) -> TlsOptions {
        self.client = Some(ClientIdentity {
            certificate: certificate.into(),
            key: key.into(),
        });
        self
    }

    /// Checks the server's certificate against this name instead of the URL's host.
    pub fn server_name(mut self, name: impl Into<String>) -> TlsOptions {
        self.server_name = Some(name.into());
        self
    }

    /// The name set by [`server_name`](Self::server_name), if any.
    pub fn server_name_override(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// Whether a client certificate is set.
    pub fn has_client_certificate(&self) -> bool {
        self.client.is_some()
    }

    /// The certificate authorities to trust: the system's (unless left out) and the given ones.
    pub fn root_store(&self) -> Result<RootCertStore, TlsError> {
        let mut store = RootCertStore::empty();
        let mut system_error = None;
        if self.system_roots {
            let loaded = rustls_native_certs::load_native_certs();
            store.add_parsable_certificates(loaded.certs);
            system_error = loaded.errors.first().map(ToString::to_string);
        }
        for pem in &self.roots {
            for certificate in pem.certificates()? {
                store.add(certificate)?;
            }
        }
        if store.is_empty() {
            return Err(TlsError::NoRoots(system_error.unwrap_or_else(|| {
                if self.system_roots {
                    "the system has none".to_owned()
                } else {
                    "the system's are left out and none is given".to_owned()
                }
            })));
        }
        Ok(store)
    }

    /// The trusted authorities as PEM text, for a library that takes roots as PEM and trusts
    /// nothing else (the system's are included unless left out).
    pub fn roots_pem(&self) -> Result<Vec<u8>, TlsError> {
        let mut pem = Vec::new();
        if self.system_roots {
            for certificate in rustls_native_certs::load_native_certs().certs {
                pem.extend(pem_block("CERTIFICATE", certificate.as_ref()).into_bytes());
            }
        }
        pem.extend(self.given_roots_pem()?.unwrap_or_default());
        if pem.is_empty() {
            return Err(TlsError::NoRoots(
                "the system's are left out and none is given".to_owned(),
            ));
        }
        Ok(pem)
    }

    /// The authorities given with [`root_certificate`](Self::root_certificate) (not the
    /// system's) as one PEM text, for a library that adds roots to the system's itself; `None`
    /// when none is given.
    pub fn given_roots_pem(&self) -> Result<Option<Vec<u8>>, TlsError> {
        if self.roots.is_empty() {
            return Ok(None);
        }
        let mut pem = Vec::new();
        for given in &self.roots {
            // Checked here, so that a broken file is this error rather than the library's.
            given.certificates()?;
            let mut text = given.read()?;
            if !text.ends_with(b"\n") {
                text.push(b'\n');
            }
            pem.extend(text);
        }
        Ok(Some(pem))
    }

    /// Whether the system's certificate authorities are trusted (unless
    /// [`without_system_roots`](Self::without_system_roots)).
    pub fn uses_system_roots(&self) -> bool {
        self.system_roots
    }

    /// The client certificate chain and key as PEM text, for a library that takes them so.
    pub fn identity_pem(&self) -> Result<Option<IdentityPem>, TlsError> {
        let Some(client) = &self.client else {
            return Ok(None);
        };
        client.certificate.certificates()?;
        client.key.private_key()?;
        Ok(Some(IdentityPem {
            certificate: client.certificate.read()?,
            key: client.key.read()?,
        }))
    }

    /// The rustls client configuration (ring provider, TLS 1.2 and 1.3): these roots, this
    /// client certificate, this server name.
    pub fn client_config(&self) -> Result<rustls::ClientConfig, TlsError> {
        let provider = provider();
        let roots = self.root_store()?;
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?;
        let builder = match &self.server_name {
            None => builder.with_root_certificates(roots),
            Some(name) => {
                let name = ServerName::try_from(name.clone())
                    .map_err(|_| TlsError::ServerName(name.clone()))?;
                let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider,
                )
                .build()
                .map_err(|e| rustls::Error::General(e.to_string()))?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(NamedVerifier { inner, name }))
            }
        };
        Ok(match &self.client {
            None => builder.with_no_client_auth(),
            Some(client) => builder.with_client_auth_cert(
                client.certificate.certificates()?,
                client.key.private_key()?,
            )?,
        })
    }
}

/// A client certificate chain and its key as PEM text ([`TlsOptions::identity_pem`]).
#[derive(Clone)]
pub struct IdentityPem {
    /// The certificate chain.
    pub certificate: Vec<u8>,
    /// The private key.
    pub key: Vec<u8>,
}

/// The certificate's length; never the key.
impl std::fmt::Debug for IdentityPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityPem")
            .field(
                "certificate",
                &format_args!("<{} bytes>", self.certificate.len()),
            )
            .field("key", &"<redacted>")
            .finish()
    }
}

/// The crypto provider of every transport: ring.
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// One PEM block of DER bytes.
fn pem_block(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The web PKI's verification against a fixed name, whatever name the connection was opened
/// with (the server name override).
#[derive(Debug)]
struct NamedVerifier {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    name: ServerName<'static>,
}

impl ServerCertVerifier for NamedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, &self.name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_source_and_never_a_key() {
        let key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n";
        let tls = TlsOptions::new()
            .without_system_roots()
            .root_certificate(Pem::text("no pem here"))
            .client_certificate("/nonexistent/client.pem", Pem::text(key));
        let shown = format!("{tls:?}");
        assert!(!shown.contains("bm90IGEga2V5"), "{shown}");
        let err = tls.client_config().unwrap_err().to_string();
        assert!(
            err.contains("no valid certificate in the PEM text given"),
            "{err}"
        );
        let err = TlsOptions::new()
            .root_certificate("/nonexistent/ca.pem")
            .client_config()
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read `/nonexistent/ca.pem`"), "{err}");
        let err = TlsOptions::new()
            .without_system_roots()
            .client_config()
            .unwrap_err();
        assert!(matches!(err, TlsError::NoRoots(_)), "{err}");
        let err = TlsOptions::new()
            .server_name("not a name!")
            .client_config()
            .unwrap_err();
        assert!(matches!(err, TlsError::ServerName(_)), "{err}");
    }

    #[test]
    fn pem_blocks_read_back() {
        let der = (0..=255u8).cycle().take(1000).collect::<Vec<u8>>();
        let pem = pem_block("CERTIFICATE", &der);
        let back: Vec<_> = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(back, vec![CertificateDer::from(der)]);
        assert!(pem.lines().all(|l| l.len() <= 64 || l.starts_with("-----")));
    }
}
