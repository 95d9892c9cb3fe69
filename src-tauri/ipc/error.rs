//! The one error type every command returns, and its closed set of codes.

use serde::Serialize;
use ts_rs::TS;

use super::TextDto;

/// What kind of failure a command hit. The UI branches on the code (sign in again, wait and retry, fix
/// the form), never on the message. Closed on purpose: add a code only when the UI acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorCode {
    /// Nobody is signed in, or the session expired: show the sign-in screen.
    Unauthenticated,
    /// The signed-in account lacks a role or consent for this operation.
    Forbidden,
    /// The user, group or job does not exist (any more).
    NotFound,
    /// Microsoft Graph throttled the request; retry later.
    Throttled,
    /// Microsoft Graph or the identity platform could not be reached.
    Network,
    /// The request itself is wrong (a form field, a file); the message names the field.
    Validation,
    /// The feature exists in the UI but not in this build yet.
    NotAvailable,
    /// The saved sign-in cannot do this silently (expired, revoked, or a new permission needs the
    /// person): the UI asks to sign in again ("Sign in again to allow changes").
    SignInAgain,
    /// The person cancelled the sign-in; the UI just goes back to the sign-in screen.
    Cancelled,
    /// A bug or an unexpected failure; `detail` carries the technical cause.
    Internal,
}

/// A failed command as the UI receives it: `{ code, message, detail? }`.
///
/// `message` is written for people and says what to do; `detail` is the technical cause for the log
/// and the "details" disclosure. Neither ever contains a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct AppError {
    /// The kind of failure the UI acts on.
    pub code: ErrorCode,
    /// A sentence for people: what went wrong and what to do.
    pub message: String,
    /// The technical cause, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<String>,
    /// The message as a code with parameters, which the UI words in the person's language; absent
    /// for messages that have no code of their own (the UI shows `message`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub text: Option<Box<TextDto>>,
}

impl AppError {
    /// An error with a code and a message for people.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
            text: None,
        }
    }

    /// Adds the technical cause.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The session is gone: the UI shows the sign-in screen.
    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorCode::Unauthenticated,
            "You are not signed in. Sign in to continue.",
        )
    }
}

impl From<roster_app::AppError> for AppError {
    /// The API's error as the UI receives it; the codes the UI does not branch on (local files)
    /// become `validation`, whose message says what to do.
    fn from(error: roster_app::AppError) -> Self {
        use roster_app::ErrorCode as Api;
        let code = match error.code {
            Api::Unauthenticated => ErrorCode::Unauthenticated,
            Api::Forbidden | Api::Refused => ErrorCode::Forbidden,
            Api::NotFound => ErrorCode::NotFound,
            Api::Throttled => ErrorCode::Throttled,
            Api::Network => ErrorCode::Network,
            Api::Validation | Api::Io => ErrorCode::Validation,
            Api::NotAvailable => ErrorCode::NotAvailable,
            Api::SignInAgain => ErrorCode::SignInAgain,
            Api::Cancelled => ErrorCode::Cancelled,
            Api::Internal => ErrorCode::Internal,
        };
        // Plain words carry no code; those from sign-in advise a `roster` command, which in the app is
        // the sign-in screen.
        let coded = error.text.code != roster_core::text::PLAIN;
        let text = coded.then(|| Box::new(TextDto::from(error.text.as_ref())));
        let message = if coded {
            error.message
        } else {
            desktop_wording(&error.message)
        };
        Self {
            code,
            message,
            detail: error.detail,
            text,
        }
    }
}

impl From<roster_graph::GraphError> for AppError {
    /// Graph's error kinds mapped to what the UI does about them (roster-app's classification).
    fn from(error: roster_graph::GraphError) -> Self {
        roster_app::AppError::from(error).into()
    }
}

impl From<roster_auth::AuthError> for AppError {
    /// A sign-in or token failure (roster-app's classification), its advice worded for the app.
    fn from(error: roster_auth::AuthError) -> Self {
        roster_app::AppError::from(error).into()
    }
}

/// roster-auth words its advice for the CLI (`run \`roster login ...\``); in the app the same step
/// is the sign-in screen, so each such command becomes "sign in again".
fn desktop_wording(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find("`roster ") {
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        let before = &rest[..open];
        let (before, verb) = match before.strip_suffix("Run ").or(before.strip_suffix("run ")) {
            Some(head) => (
                head,
                if before.ends_with("Run ") {
                    "Sign in again"
                } else {
                    "sign in again"
                },
            ),
            None => (before, "signing in again"),
        };
        out.push_str(before);
        out.push_str(verb);
        rest = &rest[open + 1 + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_keep_their_coded_text_and_auth_advice_is_worded_for_the_app() {
        let api = roster_app::AppError::unauthenticated();
        let error = AppError::from(api);
        assert_eq!(error.code, ErrorCode::Unauthenticated);
        assert_eq!(
            error.text.as_deref().map(|t| t.code.as_str()),
            Some("app.notSignedIn")
        );
        let plain = AppError::from(roster_app::AppError::validation("plain words"));
        assert!(
            plain.text.is_none(),
            "plain words need no code: the UI shows the message"
        );
        let auth = AppError::from(roster_auth::AuthError::NotSignedIn);
        assert!(!auth.message.contains("`roster "), "{}", auth.message);
    }

    #[test]
    fn serialises_to_the_shape_the_ui_expects() {
        let error =
            AppError::new(ErrorCode::NotFound, "No such group.").with_detail("GET /groups/x: 404");
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "code": "notFound", "message": "No such group.", "detail": "GET /groups/x: 404" })
        );
        let bare = serde_json::to_value(AppError::unauthenticated()).unwrap();
        assert_eq!(bare.get("detail"), None);
        assert_eq!(bare["code"], "unauthenticated");
    }
}
