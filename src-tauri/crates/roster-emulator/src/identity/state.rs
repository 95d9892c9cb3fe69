//! What the identity platform remembers between requests: authorization codes, refresh tokens,
//! device codes, consent, and the registered confidential apps.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use super::errors::OAuthError;
use super::scopes::{ScopeRequest, contains_ignore_case};
use super::tokens::{Claims, Subject, TokenSigner};
use super::{AccountDirectory, AccountInfo};
use crate::faults::Fault;

/// The client id of the demo confidential app every emulated tenant has (client credentials flow).
pub const DEMO_APP_ID: &str = "5c8a3e5b-6f1d-4f7e-9a51-0d2c7b9e4a10";
/// The client secret of the demo app. A well-known test value, not a secret.
pub const DEMO_APP_SECRET: &str = "roster-demo~Q7d8Kq2vX1mZ3pLw9Tn4Hs6";

/// A confidential app that may use the client credentials flow.
#[derive(Clone, PartialEq, Eq)]
pub struct AppRegistration {
    /// The client (application) id.
    pub app_id: String,
    /// The app's display name (used in consent messages).
    pub display_name: String,
    /// Its one client secret.
    pub secret: String,
    /// The application permissions granted to it (they end up in the token's `roles`).
    pub roles: Vec<String>,
    /// Certificates (DER) whose keys may sign client assertions for the app (certificate
    /// credentials); empty: only the secret works.
    pub certificates: Vec<Vec<u8>>,
}

impl std::fmt::Debug for AppRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppRegistration")
            .field("app_id", &self.app_id)
            .field("display_name", &self.display_name)
            .field("secret", &"<redacted>")
            .field("roles", &self.roles)
            .field("certificates", &self.certificates.len())
            .finish()
    }
}

impl AppRegistration {
    /// The demo app ([`DEMO_APP_ID`], [`DEMO_APP_SECRET`]) with read and membership-write permissions.
    pub fn demo() -> Self {
        Self {
            app_id: DEMO_APP_ID.to_owned(),
            display_name: "Roster Demo Automation".to_owned(),
            secret: DEMO_APP_SECRET.to_owned(),
            roles: [
                "User.Read.All",
                "Group.Read.All",
                "GroupMember.ReadWrite.All",
                "Directory.Read.All",
            ]
            .map(str::to_owned)
            .to_vec(),
            certificates: Vec::new(),
        }
    }
}

/// How the identity platform behaves; the defaults are Entra's.
#[derive(Debug, Clone)]
pub struct IdentityOptions {
    /// Sign this UPN in without showing a page (authorize redirects at once, device codes are approved
    /// on the first poll after `interval`).
    pub auto_approve: Option<String>,
    /// Access token lifetime (Entra: about an hour).
    pub token_lifetime: Duration,
    /// Refresh token lifetime (Entra: 90 days of inactivity).
    pub refresh_token_lifetime: Duration,
    /// Authorization code lifetime (Entra: about 10 minutes).
    pub code_lifetime: Duration,
    /// Device code lifetime (`expires_in`, Entra: 900 s).
    pub device_code_lifetime: Duration,
    /// Device code polling `interval` (Entra: 5 s). Tests shorten it.
    pub device_code_interval: Duration,
    /// Confidential apps for the client credentials flow.
    pub apps: Vec<AppRegistration>,
    /// Graph permissions nobody has consented to and users may not consent to (tests of consent failures).
    pub admin_only_scopes: Vec<String>,
}

impl Default for IdentityOptions {
    fn default() -> Self {
        Self {
            auto_approve: None,
            token_lifetime: Duration::from_secs(3600),
            refresh_token_lifetime: Duration::from_secs(90 * 24 * 3600),
            code_lifetime: Duration::from_secs(600),
            device_code_lifetime: Duration::from_secs(900),
            device_code_interval: Duration::from_secs(5),
            apps: vec![AppRegistration::demo()],
            admin_only_scopes: Vec::new(),
        }
    }
}

/// A completed sign-in that tokens can be issued for.
#[derive(Debug, Clone)]
pub(crate) struct SignIn {
    pub account: AccountInfo,
    pub client_id: String,
    pub request: ScopeRequest,
    pub nonce: Option<String>,
}

/// An issued authorization code.
#[derive(Debug, Clone)]
pub(crate) struct AuthCode {
    pub sign_in: SignIn,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub expires_at: Instant,
    pub redeemed: bool,
}

#[derive(Debug, Clone)]
struct RefreshGrant {
    sign_in: SignIn,
    expires_at: Instant,
}

#[derive(Debug, Clone, Copy)]
enum Retired {
    Used,
    Revoked,
}

/// Where a device code stands.
#[derive(Debug, Clone)]
pub(crate) enum DeviceStatus {
    Pending,
    Approved(AccountInfo),
    Declined,
}

/// An issued device code.
#[derive(Debug, Clone)]
pub(crate) struct DeviceGrant {
    pub user_code: String,
    pub client_id: String,
    pub request: ScopeRequest,
    pub issued_at: Instant,
    pub expires_at: Instant,
    pub last_poll: Option<Instant>,
    pub status: DeviceStatus,
}

#[derive(Default)]
pub(crate) struct Stores {
    pub codes: HashMap<String, AuthCode>,
    refresh: HashMap<String, RefreshGrant>,
    retired: HashMap<String, Retired>,
    /// Device grants by device code.
    pub devices: HashMap<String, DeviceGrant>,
    consent: HashMap<(String, String), BTreeSet<String>>,
    /// How the token endpoint misbehaves (a hostile server, for clients' defences); `None`: it
    /// answers as Entra does.
    token_fault: Option<Fault>,
}

/// The identity platform's state, shared by its routes.
pub struct IdentityState {
    pub(crate) signer: TokenSigner,
    pub(crate) directory: Arc<dyn AccountDirectory>,
    pub(crate) options: IdentityOptions,
    stores: Mutex<Stores>,
}

impl std::fmt::Debug for IdentityState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdentityState")
            .field("tenant", &self.directory.tenant_id())
            .finish_non_exhaustive()
    }
}

/// A random URL-safe string with `bytes` bytes of entropy.
pub(crate) fn random_token(bytes: usize) -> String {
    let data: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    URL_SAFE_NO_PAD.encode(data)
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl IdentityState {
    /// The state for one tenant: tokens signed by `signer`, accounts from `directory`.
    pub fn new(
        signer: TokenSigner,
        directory: Arc<dyn AccountDirectory>,
        options: IdentityOptions,
    ) -> Self {
        Self {
            signer,
            directory,
            options,
            stores: Mutex::new(Stores::default()),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &IdentityOptions {
        &self.options
    }

    /// Makes the token endpoint misbehave like a broken or hostile server until set back to `None`:
    /// [`Fault::Huge`] answers `200` with a body of
    /// [`HUGE_BODY_BYTES`](crate::faults::HUGE_BODY_BYTES), [`Fault::Drip`] sends the real answer
    /// one byte every [`DRIP_INTERVAL`](crate::faults::DRIP_INTERVAL). Other faults are ignored
    /// here. Entra never does this; clients' caps and deadlines are tested with it.
    #[cfg(feature = "harness")]
    pub fn set_token_fault(&self, fault: Option<Fault>) {
        self.lock().token_fault = fault.filter(|f| matches!(f, Fault::Huge | Fault::Drip));
    }

    /// The token endpoint's fault in force ([`IdentityState::set_token_fault`]).
    pub(crate) fn token_fault(&self) -> Option<Fault> {
        self.lock().token_fault
    }

    /// Revokes every refresh token issued to `upn` (case-insensitive; an object id works too), as an
    /// admin's "revoke sessions" does; returns how many were revoked. Using one afterwards fails with
    /// `invalid_grant` AADSTS50173.
    pub fn revoke_refresh_tokens(&self, upn: &str) -> usize {
        let mut stores = self.lock();
        let revoked: Vec<String> = stores
            .refresh
            .iter()
            .filter(|(_, grant)| {
                grant.sign_in.account.upn.eq_ignore_ascii_case(upn)
                    || grant.sign_in.account.object_id == upn
            })
            .map(|(token, _)| token.clone())
            .collect();
        for token in &revoked {
            stores.refresh.remove(token);
            stores.retired.insert(token.clone(), Retired::Revoked);
        }
        revoked.len()
    }

    /// Approves (or declines) the device code with `user_code` for `upn`, as the device login page does.
    pub fn complete_device_code(
        &self,
        user_code: &str,
        upn: &str,
        approve: bool,
    ) -> Result<(), String> {
        let account = self
            .directory
            .find_account(upn)
            .ok_or_else(|| format!("No account '{upn}' in this tenant."))?;
        let mut stores = self.lock();
        let wanted = normalize_user_code(user_code);
        let grant = stores
            .devices
            .values_mut()
            .find(|g| g.user_code == wanted && g.expires_at > Instant::now())
            .ok_or_else(|| {
                "That code is not valid or has expired. Check the code and try again.".to_owned()
            })?;
        if !matches!(grant.status, DeviceStatus::Pending) {
            return Err("That code has already been used.".to_owned());
        }
        grant.status = if approve {
            DeviceStatus::Approved(account)
        } else {
            DeviceStatus::Declined
        };
        Ok(())
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Stores> {
        self.stores
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `tenant` in a path names this tenant (`common` and `organizations` do).
    pub(crate) fn check_tenant(&self, tenant: &str) -> Result<(), OAuthError> {
        let known = [
            self.directory.tenant_id(),
            self.directory.domain(),
            "organizations".into(),
            "common".into(),
        ];
        if known.iter().any(|k| k.eq_ignore_ascii_case(tenant)) {
            Ok(())
        } else {
            Err(OAuthError::unknown_tenant(tenant))
        }
    }

    /// Refuses permissions users may not consent to (AADSTS65001, "who can grant it" in the message).
    pub(crate) fn check_consentable(
        &self,
        client_id: &str,
        request: &ScopeRequest,
    ) -> Result<(), OAuthError> {
        let blocked: Vec<&str> = request
            .graph
            .iter()
            .filter(|s| {
                self.options
                    .admin_only_scopes
                    .iter()
                    .any(|b| b.eq_ignore_ascii_case(s))
            })
            .map(String::as_str)
            .collect();
        if blocked.is_empty() {
            return Ok(());
        }
        Err(OAuthError::new(
            "invalid_grant",
            65001,
            format!(
                "The user or administrator has not consented to use the application with ID '{client_id}'. \
                 Permissions that need admin consent: {}. Send an interactive authorization request for this \
                 user and resource, or ask a Global Administrator, Privileged Role Administrator or Cloud \
                 Application Administrator to grant admin consent.",
                blocked.join(", ")
            ),
        )
        .with_suberror("consent_required"))
    }

    /// Records that `upn` (or an admin on their behalf, as "Grant admin consent" does) consented to
    /// `scopes` for the app `client_id`: a later refresh may ask for them silently. Tests use it for
    /// "an admin consented earlier".
    pub fn grant_consent(&self, upn: &str, client_id: &str, scopes: &[&str]) -> Result<(), String> {
        let account = self
            .directory
            .find_account(upn)
            .ok_or_else(|| format!("No account '{upn}' in this tenant."))?;
        let mut stores = self.lock();
        let consented = stores
            .consent
            .entry((account.object_id, client_id.to_ascii_lowercase()))
            .or_default();
        for scope in scopes {
            if !contains_ignore_case(consented, scope) {
                consented.insert((*scope).to_owned());
            }
        }
        Ok(())
    }

    /// The Graph permissions `sign_in`'s user consented to for its app.
    fn consented(stores: &Stores, sign_in: &SignIn) -> BTreeSet<String> {
        let key = (
            sign_in.account.object_id.clone(),
            sign_in.client_id.to_ascii_lowercase(),
        );
        stores.consent.get(&key).cloned().unwrap_or_default()
    }

    /// Records consent for what an interactive sign-in (`sign_in`, after its consent screen) asked.
    /// Only the authorization code and device code grants consent; a refresh never does.
    pub(crate) fn record_consent(&self, sign_in: &SignIn) {
        let mut stores = self.lock();
        let key = (
            sign_in.account.object_id.clone(),
            sign_in.client_id.to_ascii_lowercase(),
        );
        let consented = stores.consent.entry(key).or_default();
        for scope in &sign_in.request.graph {
            if !contains_ignore_case(consented, scope) {
                consented.insert(scope.clone());
            }
        }
        if consented.is_empty() {
            consented.insert("User.Read".to_owned());
        }
    }

    /// Refuses a refresh that asks for a Graph permission the user has not consented to for this
    /// app, as the identity platform does: a refresh token can be redeemed only for scopes already
    /// consented (graph-api.md §11.4: "scope ⊆ originally consented"); anything else is
    /// `invalid_grant` with AADSTS65001 "The user or administrator has not consented to use the
    /// application with ID '…'. Send an interactive authorization request for this user and
    /// resource." and suberror `consent_required` (Microsoft Entra authentication and authorization
    /// error codes, learn.microsoft.com/entra/identity-platform/reference-error-codes; the body as
    /// Entra sends it on a refresh is quoted in Microsoft Q&A 1520238).
    fn check_consented(
        stores: &Stores,
        sign_in: &SignIn,
        request: &ScopeRequest,
    ) -> Result<(), OAuthError> {
        let consented = Self::consented(stores, sign_in);
        let missing: Vec<&str> = request
            .graph
            .iter()
            .filter(|s| !contains_ignore_case(&consented, s))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(OAuthError::new(
            "invalid_grant",
            65001,
            format!(
                "The user or administrator has not consented to use the application with ID '{}'. Send an \
                 interactive authorization request for this user and resource.",
                sign_in.client_id
            ),
        )
        .with_suberror("consent_required"))
    }

    /// Issues the token response for a completed sign-in (`base` is the authority host URL): the
    /// access token carries every Graph permission consented for the user and app (`scp`), and the
    /// response's `scope` lists the same.
    pub(crate) fn issue_user_tokens(&self, sign_in: &SignIn, base: &str) -> serde_json::Value {
        let mut stores = self.lock();
        let mut granted = Self::consented(&stores, sign_in);
        if granted.is_empty() {
            granted.insert("User.Read".to_owned());
        }
        let now = unix_now();
        let lifetime = i64::try_from(self.options.token_lifetime.as_secs()).unwrap_or(i64::MAX / 2);
        let tenant_id = self.directory.tenant_id();
        let claims = Claims {
            tid: tenant_id.clone(),
            sub: Subject::User {
                object_id: sign_in.account.object_id.clone(),
                upn: sign_in.account.upn.clone(),
            },
            scp: granted.iter().cloned().collect(),
            roles: Vec::new(),
            azp: sign_in.client_id.clone(),
            iat: now,
            exp: now + lifetime,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let mut body = json!({
            "token_type": "Bearer",
            "scope": sign_in.request.response_scope(&granted),
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": self.signer.mint(&claims),
        });
        let Some(map) = body.as_object_mut() else {
            return body;
        };
        if sign_in.request.offline_access {
            let refresh_token = format!("1.{}", random_token(96));
            let grant = RefreshGrant {
                sign_in: SignIn {
                    nonce: None,
                    ..sign_in.clone()
                },
                expires_at: Instant::now() + self.options.refresh_token_lifetime,
            };
            stores.refresh.insert(refresh_token.clone(), grant);
            map.insert("refresh_token".to_owned(), json!(refresh_token));
        }
        if sign_in.request.openid {
            let mut id = json!({
                "ver": "2.0",
                "iss": format!("{base}/{tenant_id}/v2.0"),
                "aud": sign_in.client_id,
                "sub": sign_in.account.object_id,
                "oid": sign_in.account.object_id,
                "tid": tenant_id,
                "preferred_username": sign_in.account.upn,
                "name": sign_in.account.display_name,
                "iat": now,
                "nbf": now,
                "exp": now + lifetime,
            });
            if let (Some(nonce), Some(id)) = (&sign_in.nonce, id.as_object_mut()) {
                id.insert("nonce".to_owned(), json!(nonce));
            }
            map.insert("id_token".to_owned(), json!(self.signer.mint_payload(&id)));
        }
        body
    }

    /// Redeems a refresh token: checks it, retires it (rotation) and returns the sign-in it stood for,
    /// with `scope` (when given) as the new request.
    pub(crate) fn redeem_refresh_token(
        &self,
        refresh_token: &str,
        client_id: &str,
        scope: Option<&str>,
    ) -> Result<SignIn, OAuthError> {
        let mut stores = self.lock();
        let Some(grant) = stores.refresh.get(refresh_token).cloned() else {
            return Err(match stores.retired.get(refresh_token) {
                Some(Retired::Revoked) => OAuthError::new(
                    "invalid_grant",
                    50173,
                    "The provided grant has expired due to it being revoked, a fresh auth token is needed. The \
                     user might have changed or reset their password, or an administrator revoked their sessions.",
                ),
                _ => OAuthError::new(
                    "invalid_grant",
                    70008,
                    "The provided authorization code or refresh token has expired due to inactivity. Send a new \
                     interactive authorization request for this user and resource.",
                ),
            }
            .with_suberror("bad_token"));
        };
        if !grant.sign_in.client_id.eq_ignore_ascii_case(client_id) {
            return Err(OAuthError::new(
                "invalid_grant",
                700005,
                "Provided Authorization Code is intended to use against other tenant or client, thus rejected.",
            ));
        }
        if grant.expires_at <= Instant::now() {
            stores.refresh.remove(refresh_token);
            stores
                .retired
                .insert(refresh_token.to_owned(), Retired::Used);
            return Err(OAuthError::new(
                "invalid_grant",
                700082,
                "The refresh token has expired due to inactivity. The token was issued long ago and was inactive \
                 for the configured lifetime.",
            )
            .with_suberror("bad_token"));
        }
        let mut sign_in = grant.sign_in;
        if let Some(scope) = scope.filter(|s| !s.trim().is_empty()) {
            let request = ScopeRequest::parse(scope).map_err(|e| invalid_scope(&e.0))?;
            self.check_consentable(client_id, &request)?;
            Self::check_consented(&stores, &sign_in, &request)?;
            let original = &sign_in.request;
            // What the original grant asked of OIDC sticks: a refresh keeps its refresh token and id token.
            sign_in.request = ScopeRequest {
                offline_access: original.offline_access || request.offline_access,
                openid: original.openid || request.openid,
                ..request
            };
        }
        stores.refresh.remove(refresh_token);
        stores
            .retired
            .insert(refresh_token.to_owned(), Retired::Used);
        Ok(sign_in)
    }

    /// Issues an app-only token for a confidential app (client credentials flow).
    pub(crate) fn issue_app_token(
        &self,
        client_id: &str,
        proof: ClientProof<'_>,
        scope: &str,
    ) -> Result<serde_json::Value, OAuthError> {
        let app = self
            .options
            .apps
            .iter()
            .find(|a| a.app_id.eq_ignore_ascii_case(client_id))
            .ok_or_else(|| {
                OAuthError::new(
                    "unauthorized_client",
                    700016,
                    format!(
                        "Application with identifier '{client_id}' was not found in the directory '{}'. This can \
                         happen if the application has not been installed by the administrator of the tenant.",
                        self.directory.domain()
                    ),
                )
            })?;
        match proof {
            ClientProof::Secret(secret) if app.secret != secret => {
                return Err(OAuthError::new(
                    "invalid_client",
                    7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret \
                     value, not the client secret ID, for a secret added to app '"
                        .to_owned()
                        + &app.app_id
                        + "'.",
                )
                .with_status(axum::http::StatusCode::UNAUTHORIZED));
            }
            ClientProof::Secret(_) => {}
            ClientProof::Assertion {
                assertion,
                token_endpoint,
            } => super::assertion::verify(app, assertion, token_endpoint, unix_now())?,
        }
        let request = ScopeRequest::parse(scope).map_err(|e| invalid_scope(&e.0))?;
        if !request.default {
            return Err(OAuthError::new(
                "invalid_scope",
                1002012,
                format!(
                    "The provided value for scope {scope} is not valid. Client credential flows must have a scope \
                     value with /.default suffixed to the resource identifier (application ID URI)."
                ),
            ));
        }
        let (access_token, lifetime) = self.app_token(app);
        Ok(json!({
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": access_token,
        }))
    }

    /// A token of the demo app for the managed-identity endpoint, and when it expires (unix seconds).
    pub(crate) fn mint_managed_identity_token(&self) -> (String, i64) {
        let app = self
            .options
            .apps
            .iter()
            .find(|a| a.app_id == DEMO_APP_ID)
            .cloned()
            .unwrap_or_else(AppRegistration::demo);
        let (token, lifetime) = self.app_token(&app);
        (token, unix_now() + lifetime)
    }

    /// An app-only access token with `app`'s roles, and its lifetime in seconds.
    fn app_token(&self, app: &AppRegistration) -> (String, i64) {
        let now = unix_now();
        let lifetime = i64::try_from(self.options.token_lifetime.as_secs()).unwrap_or(i64::MAX / 2);
        let claims = Claims {
            tid: self.directory.tenant_id(),
            sub: Subject::App {
                app_id: app.app_id.clone(),
            },
            scp: Vec::new(),
            roles: app.roles.clone(),
            azp: app.app_id.clone(),
            iat: now,
            exp: now + lifetime,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        (self.signer.mint(&claims), lifetime)
    }
}

/// How a confidential app proves who it is at the token endpoint.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ClientProof<'a> {
    /// `client_secret`.
    Secret(&'a str),
    /// `client_assertion`: a JWT signed with the key of a registered certificate, for `token_endpoint`.
    Assertion {
        /// The compact JWT.
        assertion: &'a str,
        /// The token endpoint URL the assertion's `aud` must name.
        token_endpoint: &'a str,
    },
}

/// `invalid_scope` for a scope value that is not a Graph permission or OIDC scope.
pub(crate) fn invalid_scope(scope: &str) -> OAuthError {
    OAuthError::new(
        "invalid_scope",
        70011,
        format!(
            "The provided request must include a 'scope' input parameter. The provided value for the input \
             parameter 'scope' is not valid. The scope '{scope}' does not exist or cannot be combined."
        ),
    )
}

/// A user code as typed: dashes and spaces dropped, upper-cased.
pub(crate) fn normalize_user_code(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
