//! The client's TLS: the system's roots (through the platform verifier, which also honours
//! OS-level distrust) plus an optional CA file, ring as the crypto provider.

use std::error::Error as StdError;
use std::path::Path;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};

use crate::ClientError;

pub(crate) fn client_config(
    extra_ca: Option<&Path>,
    danger_accept_invalid_certs: bool,
) -> Result<rustls::ClientConfig, ClientError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|err| ClientError::Config(format!("TLS set-up failed: {err}")))?
        .dangerous();
    let verifier: Arc<dyn ServerCertVerifier> = if danger_accept_invalid_certs {
        tracing::warn!(
            "TLS CERTIFICATE VERIFICATION IS OFF (danger_accept_invalid_certs): anyone between \
             this computer and the instance can read and change every key and DEK"
        );
        Arc::new(AcceptAnyCertificate(provider))
    } else {
        let extra = match extra_ca {
            Some(path) => certificates(path)?,
            None => Vec::new(),
        };
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
            .map_err(|err| ClientError::Config(format!("cannot load the trusted roots: {err}")))?;
        Arc::new(verifier)
    };
    Ok(builder
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth())
}

fn certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, ClientError> {
    let unreadable = |err: &dyn std::fmt::Display| {
        ClientError::Config(format!("CA file {}: {err}", path.display()))
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|err| unreadable(&err))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|err| unreadable(&err))?;
    if certs.is_empty() {
        return Err(unreadable(&"no PEM certificate in it"));
    }
    Ok(certs)
}

/// The TLS failure somewhere in an HTTP error's chain, if the handshake is what failed.
/// `io::Error::source` skips the error it wraps, so wrapped errors are opened by hand.
pub(crate) fn tls_failure(err: &(dyn StdError + 'static)) -> Option<String> {
    let mut next = Some(err);
    while let Some(err) = next {
        if let Some(tls) = err.downcast_ref::<rustls::Error>() {
            return Some(in_plain_words(tls));
        }
        if let Some(inner) = err
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            if let Some(found) = tls_failure(inner) {
                return Some(found);
            }
        }
        next = err.source();
    }
    None
}

/// The verifier's reason, led by what to do about it for the failures people meet setting up
/// a server of their own; the verifier's own words follow in brackets.
fn in_plain_words(tls: &rustls::Error) -> String {
    use rustls::CertificateError as Certificate;
    let plain = match tls {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            Certificate::UnknownIssuer => Some(
                "the server's certificate is not signed by an authority this machine trusts; \
                 pass that authority's certificate (or a self-signed certificate itself) with \
                 --ca-file",
            ),
            Certificate::Expired | Certificate::ExpiredContext { .. } => {
                Some("the server's certificate has expired")
            }
            Certificate::NotValidForName | Certificate::NotValidForNameContext { .. } => {
                Some("the server's certificate does not name the host of the endpoint")
            }
            // webpki's error arrives boxed in `Other`; its name is the only handle on it
            // without depending on webpki itself.
            Certificate::Other(other) if format!("{other:?}").contains("CaUsedAsEndEntity") => {
                Some(
                    "the server presents a CA certificate (basicConstraints CA:TRUE) as its own, \
                     which TLS clients refuse; give the server a certificate with CA:FALSE, \
                     self-signed or signed by that CA",
                )
            }
            _ => None,
        },
        _ => None,
    };
    match plain {
        Some(plain) => format!("{plain} ({tls})"),
        None => tls.to_string(),
    }
}

/// Verifies handshake signatures but not who signed the certificate: the deliberate hole
/// behind `danger_accept_invalid_certs`.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
