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
