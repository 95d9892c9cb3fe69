//! What can go wrong while signing in or getting tokens, in words for people. No message ever carries
//! a token, a code or a secret.

use std::path::PathBuf;

use roster_graph::TokenError;

/// A sign-in or token failure.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The saved sign-in is gone, expired or revoked: the person has to sign in again.
    #[error("{0}")]
    SignInRequired(String),
    /// A permission is missing and the person cannot grant it: says which and who can.
    #[error("{0}")]
    ConsentRequired(String),
    /// The saved sign-in cannot get `scopes` without the person: the identity platform wants
    /// consent first (AADSTS65001 on a refresh), or its token response granted less than was
    /// asked. Signing in again for the permissions (their consent screen) fixes it; the message
    /// says how. Built with [`AuthError::consent_needed`].
    #[error("{message}")]
    ConsentNeeded {
        /// The Graph permissions the sign-in lacks.
        scopes: Vec<String>,
        /// What is wrong and the command to run.
        message: String,
    },
    /// The person cancelled or declined the sign-in.
    #[error("Sign-in was cancelled: {0}")]
    Cancelled(String),
    /// A redirect carried a `state` we did not send: possibly forged or stale. The loopback listener
    /// no longer ends a sign-in with it (it answers 400 and goes on waiting); kept for callers that
    /// match on it.
    #[error(
        "The sign-in answer did not belong to this sign-in (state mismatch), so it was ignored and nothing \
         was saved. Run the sign-in again."
    )]
    StateMismatch,
    /// Nobody completed the browser sign-in in time.
    #[error(
        "No answer from the browser after {0} seconds. Run the sign-in again, or use the device code sign-in \
         (`roster login --device-code`)."
    )]
    TimedOut(u64),
    /// The device code expired before anybody entered it.
    #[error(
        "The device code expired before sign-in was completed. Run the sign-in again for a new code."
    )]
    DeviceCodeExpired,
    /// The browser could not be opened.
    #[error("Could not open a browser ({0}). Use `roster login --device-code` or `--no-browser`.")]
    Browser(String),
    /// The identity platform refused the request for another reason (first line of its message).
    #[error("The identity platform refused the request: {0}")]
    Refused(String),
    /// The identity platform could not be reached.
    #[error(
        "Could not reach the identity platform ({0}). Check the network connection and the authority URL."
    )]
    Unreachable(String),
    /// The identity platform's answer was longer than any token response (a broken or hostile
    /// token endpoint, or a wrong authority URL); nothing of it was used.
    #[error(
        "The identity platform's answer was larger than {limit_kib} KiB, more than any token response, so \
         Roster stopped reading it. Check the authority URL (--authority, ROSTER_AUTHORITY) and try again."
    )]
    AnswerTooLarge {
        /// The cap, in KiB.
        limit_kib: u64,
    },
    /// The OS keyring failed.
    #[error("The OS keyring could not be used: {0}")]
    Keyring(String),
    /// The account list could not be read or written.
    #[error("Could not use the account list {path}: {reason}")]
    AccountsFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// No account matches what was asked for.
    #[error(
        "No signed-in account matches '{0}'. Run `roster accounts` to list them, or `roster login` to add one."
    )]
    UnknownAccount(String),
    /// Nobody is signed in.
    #[error("Nobody is signed in. Run `roster login` first.")]
    NotSignedIn,
    /// The configuration cannot work (bad URL, empty client id, ...).
    #[error("{0}")]
    Config(String),
}

impl AuthError {
    /// [`AuthError::ConsentNeeded`] for `upn`, which lacks `scopes`: "sign in again to allow
    /// changes" with the `roster login` command that asks for them (`--allow-changes` for the
    /// membership write permission, `--allow-rule-changes` for saving membership rules; see
    /// [`CHANGE_SCOPES`](crate::config::CHANGE_SCOPES)).
    pub fn consent_needed(upn: &str, scopes: &[String]) -> Self {
        let changes: Option<Vec<&(&str, &str, &str)>> = scopes
            .iter()
            .map(|scope| {
                crate::config::CHANGE_SCOPES
                    .iter()
                    .find(|(name, _, _)| name.eq_ignore_ascii_case(scope))
            })
            .collect();
        let message = match changes.filter(|c| !c.is_empty()) {
            Some(mut changes) => {
                changes.sort_by_key(|(name, _, _)| *name);
                changes.dedup();
                let names: Vec<&str> = changes.iter().map(|(name, _, _)| *name).collect();
                let flags: Vec<&str> = changes.iter().map(|(_, flag, _)| *flag).collect();
                let what: Vec<&str> = changes.iter().map(|(_, _, what)| *what).collect();
                format!(
                    "This sign-in of {upn} does not include the {} permission yet, so Roster cannot {}. Sign in \
                     again to allow changes: run `roster login --account {upn} {}` (in the app: Allow changes). \
                     Nothing was changed.",
                    names.join(" and "),
                    what.join(" or "),
                    flags.join(" ")
                )
            }
            None => format!(
                "This sign-in of {upn} does not include {} yet. Sign in again to allow it: run `roster login \
                 --account {upn}` (in the app: sign in again). Nothing was changed.",
                scopes.join(", ")
            ),
        };
        Self::ConsentNeeded {
            scopes: scopes.to_vec(),
            message,
        }
    }
}

impl From<AuthError> for TokenError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::SignInRequired(_)
            | AuthError::NotSignedIn
            | AuthError::UnknownAccount(_) => TokenError::SignInRequired(error.to_string()),
            AuthError::ConsentRequired(_) | AuthError::ConsentNeeded { .. } => {
                TokenError::ConsentRequired(error.to_string())
            }
            _ => TokenError::Unavailable(error.to_string()),
        }
    }
}

/// The AADSTS number at the start of an identity-platform `error_description`.
pub(crate) fn aadsts_code(description: &str) -> Option<u32> {
    let rest = description.trim_start().strip_prefix("AADSTS")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The human part of an `error_description`: its first line (the rest is trace ids and a timestamp).
pub(crate) fn first_line(description: &str) -> &str {
    description.lines().next().unwrap_or_default().trim()
}

/// [`AuthError::ConsentRequired`]: `scopes` (all asked, when empty) need consent that `upn` cannot
/// give by signing in; says who can grant it and, with `cause`, the platform's own first line.
pub(crate) fn admin_consent(
    upn: Option<&str>,
    scopes: &[String],
    cause: Option<&str>,
) -> AuthError {
    let who = upn.map(|u| format!(" for {u}")).unwrap_or_default();
    let again = upn
        .map(|u| format!("roster login --account {u}"))
        .unwrap_or_else(|| "roster login".to_owned());
    let missing = if scopes.is_empty() {
        "the requested permissions".to_owned()
    } else {
        scopes.join(", ")
    };
    let cause = cause
        .filter(|c| !c.is_empty())
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    AuthError::ConsentRequired(format!(
        "Roster is not allowed to use {missing}{who}: nobody has consented to it for this app. A Global \
         Administrator, Privileged Role Administrator or Cloud Application Administrator can grant admin \
         consent for the app in the Entra admin center (Enterprise applications > Permissions); then run \
         `{again}`.{cause}"
    ))
}

/// Turns an identity-platform error (`error` + `error_description`) into an [`AuthError`].
pub(crate) fn classify(
    error: &str,
    description: Option<&str>,
    upn: Option<&str>,
    scopes: &[String],
) -> AuthError {
    let description = description.unwrap_or_default();
    let code = aadsts_code(description);
    let who = upn.map(|u| format!(" for {u}")).unwrap_or_default();
    let again = upn
        .map(|u| format!("roster login --account {u}"))
        .unwrap_or_else(|| "roster login".to_owned());
    let consent =
        error == "consent_required" || matches!(code, Some(65001 | 90094 | 90008 | 650057));
    if consent {
        return admin_consent(upn, scopes, Some(first_line(description)));
    }
    match (error, code) {
        ("invalid_grant", Some(50173 | 50132 | 50133)) => AuthError::SignInRequired(format!(
            "The saved sign-in{who} was revoked (for example after a password change or when an administrator \
             revoked sessions). Run `{again}` to sign in again; your account settings are kept."
        )),
        ("invalid_grant", _) | ("interaction_required" | "login_required", _) => {
            AuthError::SignInRequired(format!(
                "The saved sign-in{who} has expired or is no longer valid. Run `{again}` to sign in again; your \
             account settings are kept. ({})",
                first_line(description)
            ))
        }
        ("access_denied" | "authorization_declined", _) => {
            AuthError::Cancelled(first_line(description).to_owned())
        }
        ("expired_token", _) => AuthError::DeviceCodeExpired,
        _ => AuthError::Refused(format!("{error}: {}", first_line(description))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aadsts_codes_and_first_lines_are_extracted() {
        let description =
            "AADSTS50173: The provided grant has expired.\r\nTrace ID: x\r\nTimestamp: y";
        assert_eq!(aadsts_code(description), Some(50173));
        assert_eq!(
            first_line(description),
            "AADSTS50173: The provided grant has expired."
        );
        assert_eq!(aadsts_code("no code here"), None);
    }

    #[test]
    fn consent_errors_name_the_permission_and_who_can_grant_it() {
        let error = classify(
            "invalid_grant",
            Some("AADSTS65001: The user or administrator has not consented."),
            Some("reader@contoso.com"),
            &["GroupMember.ReadWrite.All".to_owned()],
        );
        let message = error.to_string();
        assert!(matches!(error, AuthError::ConsentRequired(_)));
        assert!(
            message.contains("GroupMember.ReadWrite.All")
                && message.contains("Global Administrator")
        );
        assert!(message.contains("reader@contoso.com"));
    }

    #[test]
    fn revoked_and_expired_grants_ask_to_sign_in_again() {
        let revoked = classify(
            "invalid_grant",
            Some("AADSTS50173: revoked"),
            Some("a@b.c"),
            &[],
        );
        assert!(
            matches!(revoked, AuthError::SignInRequired(ref m) if m.contains("revoked") && m.contains("--account a@b.c"))
        );
        let expired = classify("invalid_grant", Some("AADSTS700082: expired"), None, &[]);
        assert!(
            matches!(expired, AuthError::SignInRequired(ref m) if m.contains("`roster login`"))
        );
        assert!(matches!(
            TokenError::from(expired),
            TokenError::SignInRequired(_)
        ));
    }
}
