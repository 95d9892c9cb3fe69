//! DTOs of the `session_*` commands: who is signed in, and how to sign in.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The Microsoft cloud an account lives in (each has its own sign-in and Graph hosts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    /// Microsoft Entra global service (`login.microsoftonline.com`, `graph.microsoft.com`).
    #[default]
    Global,
    /// Microsoft Entra for US Government (`login.microsoftonline.us`, `graph.microsoft.us`).
    UsGov,
    /// Microsoft Entra operated by 21Vianet (`login.chinacloudapi.cn`, `microsoftgraph.chinacloudapi.cn`).
    China,
    /// Another authority and Graph root given on the command line (`--authority`, `--graph-url`),
    /// such as the emulator. Signing in always uses it when the app was started with one.
    Custom,
}

/// How the person wants to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SignInMethod {
    /// Authorization code + PKCE in the system browser.
    Browser,
    /// Device code: a code to enter on another device.
    DeviceCode,
    /// The built-in demo tenant (the emulator, in-process); needs no account.
    Demo,
}

/// Request of `session_sign_in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInRequest {
    /// How to sign in.
    pub method: SignInMethod,
    /// Which cloud to sign in to (ignored for the demo tenant).
    pub cloud: Cloud,
}

/// The signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountDto {
    /// The account's user principal name, e.g. `admin@contoso.example`.
    pub username: String,
    /// The tenant's id (a GUID).
    pub tenant_id: String,
    /// The tenant's primary domain.
    pub tenant_domain: String,
    /// The cloud the account lives in.
    pub cloud: Cloud,
    /// This is the built-in demo tenant, not a real one.
    pub demo: bool,
}

/// The current session: an account, or nobody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionDto {
    /// The signed-in account; `null` when signed out.
    pub account: Option<AccountDto>,
}

/// The name of the Tauri event that carries [`SignInProgress`] while `session_sign_in` runs.
pub const SIGN_IN_PROGRESS_EVENT: &str = <SignInProgress as super::UiEvent>::NAME;

/// What a running sign-in needs the person to do, sent as the [`SIGN_IN_PROGRESS_EVENT`] event (and
/// readable with `session_sign_in_progress` when the UI missed it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SignInProgress {
    /// The system browser was asked to open the sign-in page; finish signing in there.
    Browser,
    /// A device code sign-in: enter `userCode` at `verificationUri` (on any device).
    #[serde(rename_all = "camelCase")]
    DeviceCode {
        /// The code to type.
        user_code: String,
        /// Where to type it.
        verification_uri: String,
        /// How long the code stays valid, in seconds.
        expires_in_secs: u32,
        /// The identity platform's own instructions.
        message: String,
    },
}

/// Response of `session_sign_in_progress`: the running sign-in's prompt, if one is running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInProgressDto {
    /// `null` when no sign-in is waiting for the person.
    pub progress: Option<SignInProgress>,
}

/// An account that signed in before (its refresh token is in the OS keyring), for the account picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccountDto {
    /// The account's stable key (what `session_use_account` and `session_remove_account` take).
    pub key: String,
    /// The user principal name.
    pub username: String,
    /// The display name.
    pub display_name: String,
    /// The tenant id.
    pub tenant_id: String,
    /// The cloud the account lives in.
    pub cloud: Cloud,
    /// This was the last account used.
    pub active: bool,
}

/// Response of `session_accounts`: the saved accounts and where new sign-ins go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInOptionsDto {
    /// Saved accounts, in sign-in order.
    pub accounts: Vec<SavedAccountDto>,
    /// The authority the app was started with (`--authority`); when set, the cloud choice is fixed.
    pub custom_authority: Option<String>,
}

/// Request naming one saved account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountRequest {
    /// The account's key ([`SavedAccountDto::key`]).
    pub key: String,
}

impl From<&roster_auth::Cloud> for Cloud {
    /// roster-auth's cloud as the UI names it.
    fn from(cloud: &roster_auth::Cloud) -> Self {
        match cloud {
            roster_auth::Cloud::Global => Self::Global,
            roster_auth::Cloud::UsGov | roster_auth::Cloud::UsGovDod => Self::UsGov,
            roster_auth::Cloud::China => Self::China,
            roster_auth::Cloud::Custom { .. } => Self::Custom,
        }
    }
}

impl From<&roster_app::AccountInfo> for AccountDto {
    fn from(info: &roster_app::AccountInfo) -> Self {
        Self {
            username: info.username.clone(),
            tenant_id: info.tenant_id.clone(),
            tenant_domain: info.tenant_domain.clone(),
            cloud: Cloud::from(&info.cloud),
            demo: info.demo,
        }
    }
}

impl SavedAccountDto {
    /// A saved account for the picker; `active` when it is the one signed in last.
    pub fn from_account(account: &roster_auth::Account, active: bool) -> Self {
        Self {
            key: account.key(),
            username: account.upn.clone(),
            display_name: account.display_name.clone(),
            tenant_id: account.tenant_id.clone(),
            cloud: Cloud::from(&account.cloud),
            active,
        }
    }
}

impl From<&roster_app::sign_in::SignInStep> for SignInProgress {
    /// A sign-in step as the UI shows it.
    fn from(step: &roster_app::sign_in::SignInStep) -> Self {
        match step {
            roster_app::sign_in::SignInStep::Browser => Self::Browser,
            roster_app::sign_in::SignInStep::DeviceCode(prompt) => Self::DeviceCode {
                user_code: prompt.user_code.clone(),
                verification_uri: prompt.verification_uri.clone(),
                expires_in_secs: u32::try_from(prompt.expires_in.as_secs()).unwrap_or(u32::MAX),
                message: prompt.message.clone(),
            },
        }
    }
}
