//! Entra ID sign-in and token cache for Roster.
//!
//! - Delegated sign-in ([`Auth`]): authorization code + PKCE in the system browser with a loopback
//!   redirect, or the device code flow; incremental consent ([`Session::ensure_scopes`]).
//! - Tokens: access tokens in memory only, refreshed before they expire; refresh tokens in the OS
//!   keyring ([`TokenVault`]), rotated ones saved at once; accounts (no secrets) in
//!   `accounts.json` in the data dir ([`Accounts`]).
//! - App-only automation ([`AppOnly`]): client secret, client certificate, managed identity or Azure CLI through
//!   `azure_identity`.
//!
//! [`Session`] and [`AppOnly`] implement [`roster_graph::TokenSource`].

pub mod accounts;
pub mod app_only;
mod auth;
pub mod certificate;
pub mod cloud;
pub mod config;
pub mod error;
mod loopback;
mod oauth;
mod private;
pub mod secret;
pub mod session;
pub mod signin;
pub mod token_http;
mod transport;
pub mod vault;

pub use accounts::{Account, Accounts};
pub use app_only::{AppCredential, AppOnly};
pub use auth::Auth;
pub use certificate::ClientCertificate;
pub use cloud::Cloud;
pub use config::{
    AuthConfig, CHANGE_SCOPES, GRAPH_POWERSHELL_CLIENT_ID, Interaction, READ_SCOPES,
    RULE_WRITE_SCOPE, WRITE_SCOPE,
};
pub use error::AuthError;
pub use secret::{ClientSecret, RefreshToken};
pub use session::Session;
pub use signin::DeviceCodePrompt;
pub use vault::TokenVault;
