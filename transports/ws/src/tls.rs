//! TLS with rustls: certificates from PEM files and the crypto provider.

use std::path::Path;
use std::sync::Arc;

use asyncapi_runtime::transport::BoxError;

/// Reads the certificates of a PEM file.
pub(crate) fn certificates(
    file: &Path,
) -> Result<Vec<rustls_pki_types::CertificateDer<'static>>, BoxError> {
    use rustls_pki_types::pem::PemObject;
    let certs = rustls_pki_types::CertificateDer::pem_file_iter(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    if certs.is_empty() {
        return Err(format!("`{}` holds no certificate", file.display()).into());
    }
    Ok(certs)
}

pub(crate) fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}
