//! Client assertions (certificate credentials): a confidential app proves who it is with a JWT signed
//! (RS256) by the private key of a certificate registered for it, instead of a secret. Checked like
//! Entra does: the signature against the app's certificates, `aud` is this token endpoint, `iss` and
//! `sub` are the app id, and the assertion has not expired.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rustls::pki_types::CertificateDer;
use serde_json::Value;

use super::errors::OAuthError;
use super::state::AppRegistration;

/// Seconds of clock skew allowed on `exp` and `nbf`.
const SKEW_SECS: i64 = 300;

fn invalid(code: u32, message: impl Into<String>) -> OAuthError {
    OAuthError::new("invalid_client", code, message)
        .with_status(axum::http::StatusCode::UNAUTHORIZED)
}

fn part(segment: &str, what: &str) -> Result<Value, OAuthError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(segment.trim_end_matches('='))
        .map_err(|_| {
            invalid(
                50027,
                format!("The client assertion's {what} is not base64url."),
            )
        })?;
    serde_json::from_slice(&bytes)
        .map_err(|_| invalid(50027, format!("The client assertion's {what} is not JSON.")))
}

/// Verifies `assertion` for `app` at `token_endpoint` at time `now` (unix seconds).
pub(crate) fn verify(
    app: &AppRegistration,
    assertion: &str,
    token_endpoint: &str,
    now: i64,
) -> Result<(), OAuthError> {
    let mut segments = assertion.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (
        segments.next(),
        segments.next(),
        segments.next(),
        segments.next(),
    ) else {
        return Err(invalid(
            50027,
            "The client assertion is not a signed JWT (three parts).",
        ));
    };
    let header_json = part(header, "header")?;
    if header_json["alg"] != "RS256" {
        return Err(invalid(
            5002738,
            "The client assertion must be signed with RS256.",
        ));
    }
    if header_json.get("x5t").is_none() && header_json.get("x5t#S256").is_none() {
        return Err(invalid(
            700027,
            "The client assertion's header names no certificate (x5t or x5t#S256).",
        ));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature.trim_end_matches('='))
        .map_err(|_| invalid(50027, "The client assertion's signature is not base64url."))?;
    let signed = format!("{header}.{payload}");
    let verified = app.certificates.iter().any(|der| {
        let der = CertificateDer::from(der.as_slice());
        webpki::EndEntityCert::try_from(&der).is_ok_and(|cert| {
            cert.verify_signature(
                webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256,
                signed.as_bytes(),
                &signature,
            )
            .is_ok()
        })
    });
    if !verified {
        return Err(invalid(
            700027,
            format!(
                "Client assertion failed signature validation: no certificate registered for app '{}' matches \
                 the key that signed it. Upload the certificate's public part to the app registration.",
                app.app_id
            ),
        ));
    }
    let claims = part(payload, "payload")?;
    let text = |name: &str| claims[name].as_str().unwrap_or_default().to_owned();
    if !text("aud").eq_ignore_ascii_case(token_endpoint) {
        return Err(invalid(
            700212,
            format!("The client assertion's audience must be the token endpoint {token_endpoint}."),
        ));
    }
    if !text("iss").eq_ignore_ascii_case(&app.app_id)
        || !text("sub").eq_ignore_ascii_case(&app.app_id)
    {
        return Err(invalid(
            700211,
            "The client assertion's issuer and subject must be the app's client id.",
        ));
    }
    let exp = claims["exp"].as_i64().unwrap_or(0);
    let nbf = claims["nbf"].as_i64().unwrap_or(i64::MIN);
    if exp + SKEW_SECS < now || nbf - SKEW_SECS > now {
        return Err(invalid(
            700024,
            "The client assertion is not within its valid time range.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::hash::MessageDigest;
    use openssl::pkey::{PKey, Private};
    use openssl::rsa::Rsa;
    use openssl::sign::Signer;
    use openssl::x509::X509;

    const ENDPOINT: &str = "https://127.0.0.1:1/contoso/oauth2/v2.0/token";
    const NOW: i64 = 1_800_000_000;

    fn key_and_cert() -> (PKey<Private>, Vec<u8>) {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let mut builder = X509::builder().unwrap();
        builder.set_version(2).unwrap();
        builder.set_pubkey(&key).unwrap();
        builder
            .set_not_before(&Asn1Time::from_unix(NOW - 3600).unwrap())
            .unwrap();
        builder
            .set_not_after(&Asn1Time::from_unix(NOW + 3600).unwrap())
            .unwrap();
        builder.sign(&key, MessageDigest::sha256()).unwrap();
        (key, builder.build().to_der().unwrap())
    }

    fn assertion(key: &PKey<Private>, aud: &str, exp: i64) -> String {
        let encode = |v: serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let header = encode(serde_json::json!({ "alg": "RS256", "typ": "JWT", "x5t": "AAAA" }));
        let app = super::super::state::DEMO_APP_ID;
        let payload = encode(serde_json::json!({
            "aud": aud, "iss": app, "sub": app, "exp": exp, "nbf": NOW - 10, "jti": "1"
        }));
        let mut signer = Signer::new(MessageDigest::sha256(), key).unwrap();
        signer
            .update(format!("{header}.{payload}").as_bytes())
            .unwrap();
        let signature = URL_SAFE_NO_PAD.encode(signer.sign_to_vec().unwrap());
        format!("{header}.{payload}.{signature}")
    }

    fn app(certificate: Vec<u8>) -> AppRegistration {
        AppRegistration {
            certificates: vec![certificate],
            ..AppRegistration::demo()
        }
    }

    fn code(result: Result<(), OAuthError>) -> String {
        format!("{:?}", result.unwrap_err())
    }

    #[test]
    fn a_signed_assertion_for_this_endpoint_is_accepted_and_every_flaw_refused() {
        let (key, certificate) = key_and_cert();
        let (other_key, _) = key_and_cert();
        let app = app(certificate);
        verify(&app, &assertion(&key, ENDPOINT, NOW + 600), ENDPOINT, NOW).unwrap();

        let wrong_key = verify(
            &app,
            &assertion(&other_key, ENDPOINT, NOW + 600),
            ENDPOINT,
            NOW,
        );
        assert!(code(wrong_key).contains("700027"));
        let wrong_audience = verify(
            &app,
            &assertion(&key, "https://elsewhere/token", NOW + 600),
            ENDPOINT,
            NOW,
        );
        assert!(code(wrong_audience).contains("700212"));
        let expired = verify(&app, &assertion(&key, ENDPOINT, NOW - 3600), ENDPOINT, NOW);
        assert!(code(expired).contains("700024"));

        let good = assertion(&key, ENDPOINT, NOW + 600);
        let mut parts: Vec<&str> = good.split('.').collect();
        let forged_payload = URL_SAFE_NO_PAD.encode(
            serde_json::json!({ "aud": ENDPOINT, "iss": "x", "sub": "x", "exp": NOW + 600 })
                .to_string(),
        );
        parts[1] = &forged_payload;
        assert!(code(verify(&app, &parts.join("."), ENDPOINT, NOW)).contains("700027"));
        assert!(code(verify(&app, "not.a-jwt", ENDPOINT, NOW)).contains("50027"));
    }
}
