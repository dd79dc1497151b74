//! TLS settings: rustls (ring), verified against the platform's roots or a given CA file only.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::error::{Error, TransportKind};
use crate::fork::ForkCell;

/// The platform verifier reads the system's roots when it is made: once per process, shared by
/// every client (a fork child makes its own, as a parent thread may hold its locks).
static PLATFORM: ForkCell<Arc<rustls_platform_verifier::Verifier>> = ForkCell::new();

/// The roots a client trusts.
#[derive(Clone)]
pub(crate) enum Roots {
    Platform,
    CaFile(Vec<CertificateDer<'static>>),
}

impl Roots {
    /// The certificates of a PEM file; an error that names the file when none is usable.
    pub fn from_ca_file(path: &Path) -> Result<Roots, Error> {
        let pem = std::fs::read(path)
            .map_err(|e| Error::InvalidArgument(format!("cannot read CA file {}: {e}", path.display())))?;
        let certs = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::InvalidArgument(format!("CA file {} is not valid PEM: {e}", path.display())))?;
        if certs.is_empty() {
            return Err(Error::InvalidArgument(format!("CA file {} holds no certificate", path.display())));
        }
        let roots = Roots::CaFile(certs);
        // Fails now, not at the first call, when none of them is usable.
        roots
            .config(&[])
            .map_err(|_| Error::InvalidArgument(format!("CA file {} holds no usable certificate", path.display())))?;
        Ok(roots)
    }

    /// A client configuration offering `alpn` (most preferred first).
    pub fn config(&self, alpn: &[&[u8]]) -> Result<ClientConfig, Error> {
        let tls_error = |e: rustls::Error| Error::transport(TransportKind::Tls, format!("TLS setup: {e}"));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?;
        let mut config = match self {
            Roots::CaFile(certs) => {
                let mut store = RootCertStore::empty();
                let (added, _) = store.add_parsable_certificates(certs.iter().cloned());
                if added == 0 {
                    return Err(Error::InvalidArgument("the CA file holds no usable certificate".into()));
                }
                builder.with_root_certificates(store).with_no_client_auth()
            }
            Roots::Platform => {
                let verifier = PLATFORM
                    .get_or_try_init(|| rustls_platform_verifier::Verifier::new(provider.clone()).map(Arc::new))
                    .map_err(|e| tls_error(e.clone()))?;
                builder.dangerous().with_custom_certificate_verifier(verifier.clone()).with_no_client_auth()
            }
        };
        // reqwest leaves a preconfigured client's ALPN as it finds it.
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(config)
    }
}
