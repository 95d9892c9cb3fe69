//! The Microsoft identity platform side of the emulator: OpenID configuration, authorize (code + PKCE),
//! token (authorization_code, refresh_token, device_code, client_credentials), devicecode; with the
//! `harness` feature also an https listener (`azure_identity` tests need an https authority).

mod assertion;
mod authorize;
mod device;
pub mod errors;
pub mod managed_identity;
mod routes;
pub mod scopes;
mod state;
#[cfg(feature = "harness")]
pub mod tls;
mod token;
pub mod tokens;

pub use routes::{ServedOverTls, router};
pub use state::{AppRegistration, DEMO_APP_ID, DEMO_APP_SECRET, IdentityOptions, IdentityState};
#[cfg(feature = "harness")]
pub use tls::{HttpsListener, TlsError, serve_https};
pub use token::{DEVICE_CODE_GRANT, JWT_BEARER_ASSERTION, s256_challenge};

/// A user who can sign in, as the identity platform needs to know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountInfo {
    /// The user's object id.
    pub object_id: String,
    /// The user's principal name.
    pub upn: String,
    /// The name shown on the sign-in page.
    pub display_name: String,
}

/// The tenant's directory as the identity platform sees it (implemented by the tenant model).
pub trait AccountDirectory: Send + Sync {
    /// The tenant id (a GUID).
    fn tenant_id(&self) -> String;
    /// The tenant's initial domain (`contoso.onmicrosoft.com`).
    fn domain(&self) -> String;
    /// Finds an enabled user by UPN (case-insensitive) or object id.
    fn find_account(&self, upn_or_id: &str) -> Option<AccountInfo>;
    /// The accounts offered on the sign-in page (the known accounts first).
    fn sign_in_accounts(&self) -> Vec<AccountInfo>;
}
