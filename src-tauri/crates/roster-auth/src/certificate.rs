//! A client certificate for app-only sign-in: a PEM file (certificate and private key) or a PFX /
//! PKCS#12 bundle, held as the PKCS#12 bytes `azure_identity` signs its client assertions with. The
//! private key never reaches `Debug` output or an error message.

use std::path::Path;

use azure_core::credentials::SecretBytes;
use openssl::pkcs12::Pkcs12;
use openssl::pkey::PKey;
use openssl::x509::X509;
use secrecy::{ExposeSecret, SecretBox, SecretString};

use crate::error::AuthError;

/// A certificate with its RSA private key, ready for `ClientCertificateCredential`.
pub struct ClientCertificate {
    pkcs12: SecretBox<Vec<u8>>,
    password: SecretString,
}

impl Clone for ClientCertificate {
    fn clone(&self) -> Self {
        Self {
            pkcs12: SecretBox::new(Box::new(self.pkcs12.expose_secret().clone())),
            password: self.password.clone(),
        }
    }
}

impl std::fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientCertificate(<redacted>)")
    }
}

fn unusable(path: &Path, reason: impl std::fmt::Display) -> AuthError {
    AuthError::Config(format!(
        "The client certificate {} cannot be used: {reason}",
        path.display()
    ))
}

impl ClientCertificate {
    /// Reads `path`: PEM (`-----BEGIN CERTIFICATE-----` and a private key, the key optionally
    /// encrypted with `password`) or PFX/PKCS#12 (opened with `password`, empty when `None`).
    pub fn from_file(path: &Path, password: Option<&str>) -> Result<Self, AuthError> {
        let bytes = std::fs::read(path).map_err(|e| unusable(path, e))?;
        Self::from_bytes(&bytes, password).map_err(|reason| unusable(path, reason))
    }

    /// [`ClientCertificate::from_file`] on bytes already read; the error says what is wrong.
    pub fn from_bytes(bytes: &[u8], password: Option<&str>) -> Result<Self, String> {
        let password = password.unwrap_or_default();
        let pkcs12 = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            let key = if password.is_empty() {
                PKey::private_key_from_pem(bytes)
            } else {
                PKey::private_key_from_pem_passphrase(bytes, password.as_bytes())
            }
            .map_err(|_| {
                "the PEM file has no private key Roster can read (it needs the certificate and its \
                 unencrypted private key, or --client-certificate-password-env for an encrypted one)"
                    .to_owned()
            })?;
            let certificate = X509::stack_from_pem(bytes)
                .ok()
                .and_then(|certs| certs.into_iter().next())
                .ok_or_else(|| "the PEM file has no certificate".to_owned())?;
            Pkcs12::builder()
                .name("roster")
                .pkey(&key)
                .cert(&certificate)
                .build2(password)
                .and_then(|bundle| bundle.to_der())
                .map_err(|e| format!("could not bundle the key and certificate ({e})"))?
        } else {
            let parsed = Pkcs12::from_der(bytes)
                .map_err(|_| "it is neither PEM nor a PFX/PKCS#12 bundle".to_owned())?
                .parse2(password)
                .map_err(|_| {
                    "the PFX could not be opened: wrong or missing password \
                     (--client-certificate-password-env VAR)"
                        .to_owned()
                })?;
            if parsed.pkey.is_none() || parsed.cert.is_none() {
                return Err("the PFX must hold both the certificate and its private key".to_owned());
            }
            bytes.to_vec()
        };
        Ok(Self {
            pkcs12: SecretBox::new(Box::new(pkcs12)),
            password: SecretString::from(password.to_owned()),
        })
    }

    /// The PKCS#12 bundle for `azure_identity`.
    pub(crate) fn pkcs12(&self) -> SecretBytes {
        SecretBytes::new(self.pkcs12.expose_secret().clone())
    }

    /// The bundle's password (empty for one made from PEM without a passphrase).
    pub(crate) fn password(&self) -> &str {
        self.password.expose_secret()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_files_say_what_is_wrong_without_their_content() {
        let error = ClientCertificate::from_bytes(b"not a certificate", None).unwrap_err();
        assert!(error.contains("neither PEM nor a PFX"), "{error}");
        let error = ClientCertificate::from_bytes(
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
            None,
        )
        .unwrap_err();
        assert!(error.contains("private key"), "{error}");
        let missing = ClientCertificate::from_file(Path::new("/nonexistent/cert.pem"), None)
            .unwrap_err()
            .to_string();
        assert!(missing.contains("/nonexistent/cert.pem"), "{missing}");
    }
}
