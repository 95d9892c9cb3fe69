//! Who is calling and what they may do: bearer-token checks (401s of graph-api.md §10) and the permission
//! rules (scopes or app roles, intersected with the signed-in account's directory role).

use crate::identity::tokens::{Claims, Subject, TokenRejection, TokenSigner};
use crate::tenant::model::{Kind, Ref};
use crate::tenant::{AccountRole, Tenant};

use super::error::GraphError;

/// Scopes that allow reading users' full profiles.
pub const USER_READ: &[&str] = &[
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "User.ReadBasic.All",
];
/// Scopes that allow reading groups and their memberships.
pub const GROUP_READ: &[&str] = &[
    "GroupMember.Read.All",
    "Group.Read.All",
    "Directory.Read.All",
    "Group.ReadWrite.All",
    "GroupMember.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// Scopes that allow changing group membership.
pub const GROUP_WRITE: &[&str] = &[
    "GroupMember.ReadWrite.All",
    "Group.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// Scopes that allow reading other users' authentication methods.
pub const AUTH_METHODS_READ: &[&str] = &[
    "UserAuthenticationMethod.Read.All",
    "UserAuthenticationMethod.ReadWrite.All",
];
/// Scopes that allow reading users' `signInActivity` (Learn "signInActivity resource type" and
/// "List users": AuditLog.Read.All besides a user-read permission, and an Entra ID P1 or P2
/// tenant, which the emulated tenant is); without it Graph answers 403.
pub const SIGN_IN_ACTIVITY_READ: &[&str] = &["AuditLog.Read.All"];
/// Scopes for `getByIds`.
pub const DIRECTORY_READ: &[&str] = &["Directory.Read.All", "Directory.ReadWrite.All"];

/// A verified caller.
#[derive(Debug, Clone)]
pub struct Caller {
    claims: Claims,
    /// The signed-in user (delegated tokens only).
    pub user: Option<usize>,
    /// The account's directory role (apps act as administrators within their roles).
    pub role: AccountRole,
}

impl Caller {
    /// Verifies the `Authorization` header value against the tenant.
    pub fn authenticate(
        tenant: &Tenant,
        signer: &TokenSigner,
        authorization: Option<&str>,
        now_unix: i64,
    ) -> Result<Caller, GraphError> {
        let unauthenticated =
            |message: String| GraphError::new(401, "InvalidAuthenticationToken", message);
        let token = authorization
            .and_then(|h| {
                let (scheme, token) = h.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or_else(|| unauthenticated(TokenRejection::Missing.to_string()))?;
        let claims = signer.verify(token, now_unix).map_err(|e| match e {
            TokenRejection::Malformed if !token.contains('.') => {
                unauthenticated("CompactToken parsing failed with error code: 80049217".into())
            }
            other => unauthenticated(other.to_string()),
        })?;
        if !claims.tid.eq_ignore_ascii_case(tenant.tenant_id()) {
            return Err(unauthenticated(
                "Access token validation failure. Invalid audience.".into(),
            ));
        }
        let (user, role) = match &claims.sub {
            Subject::User { object_id, upn } => {
                let index = tenant
                    .find_user(object_id)
                    .or_else(|| tenant.find_user(upn))
                    .ok_or_else(|| unauthenticated("Access token validation failure.".into()))?;
                (Some(index), tenant.role_of(index))
            }
            Subject::App { .. } => (None, AccountRole::Admin),
        };
        Ok(Caller { claims, user, role })
    }

    /// The application the token was issued to (the throttling key).
    pub fn app_id(&self) -> &str {
        match &self.claims.sub {
            Subject::App { app_id } => app_id,
            Subject::User { .. } => &self.claims.azp,
        }
    }

    /// The UPN or app id, for the audit log.
    pub fn actor(&self) -> String {
        match &self.claims.sub {
            Subject::User { upn, .. } => upn.clone(),
            Subject::App { app_id } => format!("app:{app_id}"),
        }
    }

    /// Whether the token is app-only.
    pub fn is_app(&self) -> bool {
        self.user.is_none()
    }

    /// Whether the token carries any of `permissions`.
    pub fn has_any(&self, permissions: &[&str]) -> bool {
        permissions.iter().any(|p| self.claims.has_permission(p))
    }

    /// 403 unless the token carries one of `permissions`.
    pub fn require_any(&self, permissions: &[&str]) -> Result<(), GraphError> {
        if self.has_any(permissions) {
            Ok(())
        } else {
            Err(GraphError::forbidden())
        }
    }

    /// Whether the caller may read the membership of group `group` (owners and administrators; hidden
    /// membership also needs `Member.Read.Hidden`).
    pub fn check_read_members(&self, tenant: &Tenant, group: usize) -> Result<(), GraphError> {
        self.require_any(GROUP_READ)?;
        let owner = self.user.is_some_and(|u| tenant.is_owner(u, group));
        if self.role != AccountRole::Admin && !owner {
            return Err(GraphError::forbidden());
        }
        if tenant.groups()[group].is_hidden_membership() && !self.has_any(&["Member.Read.Hidden"]) {
            return Err(GraphError::forbidden());
        }
        Ok(())
    }

    /// Whether the caller may change the membership of group `group`.
    pub fn check_write_members(&self, tenant: &Tenant, group: usize) -> Result<(), GraphError> {
        self.require_any(GROUP_WRITE)?;
        let g = &tenant.groups()[group];
        let owner = self.user.is_some_and(|u| tenant.is_owner(u, group));
        if g.is_role_assignable() {
            self.require_any(&["RoleManagement.ReadWrite.Directory"])?;
            if self.role != AccountRole::Admin {
                return Err(GraphError::forbidden());
            }
        }
        if self.role != AccountRole::Admin && !owner {
            return Err(GraphError::forbidden());
        }
        Ok(())
    }

    /// Whether an item of kind `r` must be returned with limited information (type and id only) because
    /// the token lacks read permission for its type or the account may not see its details.
    pub fn limited(&self, r: Ref) -> bool {
        match r.kind() {
            Kind::User => {
                !self.has_any(USER_READ)
                    || (self.role == AccountRole::Restricted && self.user != Some(r.index()))
            }
            Kind::Group => !self.has_any(GROUP_READ),
            Kind::Device => !self.has_any(&[
                "Device.Read.All",
                "Device.ReadWrite.All",
                "Directory.Read.All",
                "Directory.ReadWrite.All",
            ]),
            Kind::ServicePrincipal => !self.has_any(&[
                "Application.Read.All",
                "Application.ReadWrite.All",
                "Directory.Read.All",
                "Directory.ReadWrite.All",
            ]),
            Kind::OrgContact => !self.has_any(&[
                "OrgContact.Read.All",
                "Directory.Read.All",
                "Directory.ReadWrite.All",
            ]),
        }
    }

    /// 403 unless the caller may add members of these types (graph-api.md §6.2: devices need
    /// `Device.ReadWrite.All` (delegated: `Device.Read.All`), contacts `OrgContact.Read.All`, service
    /// principals `Application.ReadWrite.All`; `Directory.ReadWrite.All` covers all).
    pub fn check_member_types(&self, members: &[Ref]) -> Result<(), GraphError> {
        for member in members {
            let allowed = self.has_any(&["Directory.ReadWrite.All"])
                || match member.kind() {
                    Kind::User | Kind::Group => true,
                    Kind::Device => {
                        self.has_any(&["Device.ReadWrite.All"])
                            || (!self.is_app()
                                && self.has_any(&["Device.Read.All", "Directory.Read.All"]))
                    }
                    Kind::OrgContact => {
                        self.has_any(&["OrgContact.Read.All", "Directory.Read.All"])
                    }
                    Kind::ServicePrincipal => self.has_any(&["Application.ReadWrite.All"]),
                };
            if !allowed {
                return Err(GraphError::forbidden());
            }
        }
        Ok(())
    }

    /// Whether user reads are limited to the basic profile (`User.ReadBasic.All` only).
    pub fn basic_users_only(&self) -> bool {
        self.has_any(&["User.ReadBasic.All"])
            && !self.has_any(&[
                "User.Read.All",
                "User.ReadWrite.All",
                "Directory.Read.All",
                "Directory.ReadWrite.All",
            ])
    }
}
