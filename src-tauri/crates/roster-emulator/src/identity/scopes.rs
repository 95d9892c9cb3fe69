//! Scope strings as the identity platform reads them: OIDC scopes, Graph permissions (bare or as
//! `https://graph.microsoft.com/X`) and `.default`.

use std::collections::BTreeSet;

/// The resource prefix of Microsoft Graph permissions.
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com/";

/// A `scope` parameter split into what it asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeRequest {
    /// `openid` was asked for: the response carries an `id_token`.
    pub openid: bool,
    /// `offline_access` was asked for: the response carries a `refresh_token`.
    pub offline_access: bool,
    /// Other OIDC scopes (`profile`, `email`), echoed back.
    pub oidc_other: BTreeSet<String>,
    /// Graph permissions by their bare names (`User.Read.All`).
    pub graph: BTreeSet<String>,
    /// `.default` (bare or `https://graph.microsoft.com/.default`): all consented permissions.
    pub default: bool,
}

/// Why a `scope` parameter was refused (turned into `invalid_scope`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidScope(pub String);

impl ScopeRequest {
    /// Parses a space-separated `scope` parameter.
    pub fn parse(scope: &str) -> Result<Self, InvalidScope> {
        let mut request = Self::default();
        for raw in scope.split_whitespace() {
            let lower = raw.to_ascii_lowercase();
            match lower.as_str() {
                "openid" => request.openid = true,
                "offline_access" => request.offline_access = true,
                "profile" | "email" => {
                    request.oidc_other.insert(lower);
                }
                ".default" => request.default = true,
                _ => {
                    let bare = if lower.starts_with(GRAPH_RESOURCE) {
                        &raw[GRAPH_RESOURCE.len()..]
                    } else {
                        raw
                    };
                    if bare.eq_ignore_ascii_case(".default") {
                        request.default = true;
                    } else if bare.contains("://") || bare.contains('/') || bare.is_empty() {
                        return Err(InvalidScope(raw.to_owned()));
                    } else {
                        request.graph.insert(bare.to_owned());
                    }
                }
            }
        }
        if request.default && !request.graph.is_empty() {
            return Err(InvalidScope(scope.to_owned()));
        }
        Ok(request)
    }

    /// The `scope` value of a token response: the granted Graph permissions and the OIDC scopes asked for
    /// (`offline_access` is not echoed, as Entra does not echo it).
    pub fn response_scope(&self, granted: &BTreeSet<String>) -> String {
        let mut parts: Vec<String> = granted.iter().cloned().collect();
        parts.extend(self.oidc_other.iter().cloned());
        if self.openid {
            parts.push("openid".to_owned());
        }
        parts.join(" ")
    }
}

/// Whether `set` holds `scope`, compared case-insensitively as Entra does.
pub fn contains_ignore_case(set: &BTreeSet<String>, scope: &str) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(scope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_oidc_bare_and_prefixed_graph_scopes() {
        let request =
            ScopeRequest::parse("openid profile offline_access User.Read.All https://graph.microsoft.com/Group.Read.All")
                .unwrap();
        assert!(request.openid && request.offline_access && !request.default);
        assert_eq!(
            request.graph.iter().cloned().collect::<Vec<_>>(),
            ["Group.Read.All", "User.Read.All"]
        );
        assert_eq!(
            request.response_scope(&request.graph),
            "Group.Read.All User.Read.All profile openid"
        );
    }

    #[test]
    fn default_cannot_be_mixed_with_named_permissions_and_foreign_resources_are_refused() {
        assert!(
            ScopeRequest::parse("https://graph.microsoft.com/.default")
                .unwrap()
                .default
        );
        assert!(ScopeRequest::parse("https://graph.microsoft.com/.default User.Read").is_err());
        assert!(ScopeRequest::parse("https://vault.azure.net/user_impersonation").is_err());
    }
}
