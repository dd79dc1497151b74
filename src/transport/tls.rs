//! TLS settings: rustls (ring), verified against the platform's roots or a given CA file only.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

use crate::error::{Error, TransportKind};
use crate::fork::ForkCell;

/// The platform verifier reads every root of the system when it is made (a few milliseconds):
/// so it is made once per process, shared by every client, and only when a TLS handshake first
/// needs it, never for a client that only speaks plain http to the emulator. A fork child makes
/// its own, as a parent thread may hold its locks.
static PLATFORM: ForkCell<Arc<rustls_platform_verifier::Verifier>> = ForkCell::new();

/// The platform verifier, made on first use (see [`PLATFORM`]).
#[derive(Debug)]
struct LazyPlatformVerifier {
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl LazyPlatformVerifier {
    fn get(&self) -> Result<&'static Arc<rustls_platform_verifier::Verifier>, rustls::Error> {
        PLATFORM.get_or_try_init(|| rustls_platform_verifier::Verifier::new(self.provider.clone()).map(Arc::new))
    }
}

impl rustls::client::danger::ServerCertVerifier for LazyPlatformVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &rustls::pki_types::ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        self.get()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.get()?.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.get()?.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        // What the provider can check; the platform verifier answers the same.
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

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
            Roots::Platform => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(LazyPlatformVerifier { provider }))
                .with_no_client_auth(),
        };
        // reqwest leaves a preconfigured client's ALPN as it finds it.
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(config)
    }
}
