//! Access tokens the emulator issues and checks: JWT-shaped (`header.payload.signature`, HS256 over a
//! key derived from the seed), so clients that peek into tokens (MSAL reads `id_token` claims) work, and
//! the Graph routes can tell who is calling, with which scopes, and whether the token expired.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who a token speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Subject {
    /// A signed-in user (delegated permissions in `scopes`).
    User {
        /// The user's object id.
        object_id: String,
        /// The user's principal name.
        upn: String,
    },
    /// An application acting as itself (application permissions in `roles`).
    App {
        /// The client (application) id.
        app_id: String,
    },
}

/// What a token grants. Serialised as the token's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The tenant id the token was issued in.
    pub tid: String,
    /// The caller.
    pub sub: Subject,
    /// Delegated permissions (`User.Read.All`, ...); empty for app-only tokens.
    pub scp: Vec<String>,
    /// Application permissions; empty for delegated tokens.
    pub roles: Vec<String>,
    /// The client id that asked for the token.
    pub azp: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expires at, Unix seconds.
    pub exp: i64,
    /// A unique id, so two tokens minted in the same second differ.
    pub jti: String,
}

impl Claims {
    /// Whether the token carries `permission` as a delegated scope or an application role
    /// (case-insensitive, as Entra compares them).
    pub fn has_permission(&self, permission: &str) -> bool {
        self.scp
            .iter()
            .chain(&self.roles)
            .any(|p| p.eq_ignore_ascii_case(permission))
    }
}

/// Why a bearer token was refused. The Graph routes turn these into 401 `InvalidAuthenticationToken`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRejection {
    /// No `Authorization: Bearer` header.
    #[error("Access token is empty.")]
    Missing,
    /// Not a token this emulator issued (bad shape or bad signature).
    #[error("IDX14100: JWT is not well formed, there are no dots (.).")]
    Malformed,
    /// The token's `exp` is in the past.
    #[error("Lifetime validation failed, the token is expired.")]
    Expired,
}

/// Signs and verifies tokens with a key derived from the tenant seed (same seed, same key).
#[derive(Clone)]
pub struct TokenSigner {
    key: [u8; 32],
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSigner(<key redacted>)")
    }
}

type HmacSha256 = Hmac<Sha256>;

const HEADER: &str = r#"{"typ":"JWT","alg":"HS256"}"#;

impl TokenSigner {
    /// A signer whose key is derived from `seed`.
    pub fn new(seed: u64) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"roster-emulator token key");
        hasher.update(seed.to_le_bytes());
        Self {
            key: hasher.finalize().into(),
        }
    }

    /// Encodes and signs `claims` as a compact JWT.
    pub fn mint(&self, claims: &Claims) -> String {
        self.mint_payload(claims)
    }

    /// Encodes and signs any JSON payload as a compact JWT (the emulator's `id_token`s). Such tokens
    /// do not carry [`Claims`], so [`TokenSigner::verify`] refuses them as access tokens.
    pub fn mint_payload<T: Serialize>(&self, payload: &T) -> String {
        let payload = serde_json::to_vec(payload).unwrap_or_default();
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(HEADER),
            URL_SAFE_NO_PAD.encode(payload)
        );
        let signature = self.sign(signing_input.as_bytes());
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// Checks the signature and expiry of `token` at `now_unix` and returns its claims.
    pub fn verify(&self, token: &str, now_unix: i64) -> Result<Claims, TokenRejection> {
        let mut parts = token.rsplitn(2, '.');
        let (Some(signature), Some(signing_input)) = (parts.next(), parts.next()) else {
            return Err(TokenRejection::Malformed);
        };
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| TokenRejection::Malformed)?;
        let mut mac = self.mac();
        mac.update(signing_input.as_bytes());
        mac.verify_slice(&signature)
            .map_err(|_| TokenRejection::Malformed)?;
        let payload = signing_input
            .split('.')
            .nth(1)
            .ok_or(TokenRejection::Malformed)?;
        let payload = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| TokenRejection::Malformed)?;
        let claims: Claims =
            serde_json::from_slice(&payload).map_err(|_| TokenRejection::Malformed)?;
        if claims.exp <= now_unix {
            return Err(TokenRejection::Expired);
        }
        Ok(claims)
    }

    fn mac(&self) -> HmacSha256 {
        // A 32-byte key is always a valid HMAC key; `new_from_slice` only fails for unusable key sizes.
        HmacSha256::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
    }

    fn sign(&self, input: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(input);
        mac.finalize().into_bytes().to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            tid: "tenant".into(),
            sub: Subject::User {
                object_id: "id-1".into(),
                upn: "admin@contoso.onmicrosoft.com".into(),
            },
            scp: vec!["User.Read.All".into()],
            roles: vec![],
            azp: "client".into(),
            iat: 0,
            exp,
            jti: "j1".into(),
        }
    }

    #[test]
    fn minted_tokens_verify_and_round_trip_claims() {
        let signer = TokenSigner::new(7);
        let token = signer.mint(&claims(100));
        assert_eq!(token.matches('.').count(), 2);
        assert_eq!(signer.verify(&token, 50), Ok(claims(100)));
        assert!(claims(1).has_permission("user.read.all"));
    }

    #[test]
    fn expired_tampered_and_foreign_tokens_are_refused() {
        let signer = TokenSigner::new(7);
        let token = signer.mint(&claims(100));
        assert_eq!(signer.verify(&token, 100), Err(TokenRejection::Expired));
        assert_eq!(
            TokenSigner::new(8).verify(&token, 50),
            Err(TokenRejection::Malformed)
        );
        let tampered = token.replacen('e', "f", 1);
        assert_eq!(signer.verify(&tampered, 50), Err(TokenRejection::Malformed));
        assert_eq!(signer.verify("garbage", 50), Err(TokenRejection::Malformed));
    }
}
