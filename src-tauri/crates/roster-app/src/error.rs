//! The one error type of the application API, with the closed set of codes both front ends act
//! on: the desktop maps a code to a screen or a button, the CLI to its exit code.

use roster_auth::AuthError;
use roster_graph::{ErrorKind, GraphError};
use roster_jobs::JobError;
use roster_jobs::membership::{ErrorClass, MembershipError};
use roster_store::StoreError;

/// What kind of failure an operation hit. Front ends branch on the code, never on the message.
/// Closed on purpose: add a code only when a front end acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// Nobody is signed in, or the session expired: sign in.
    Unauthenticated,
    /// The signed-in account lacks a role or consent for this operation.
    Forbidden,
    /// The user, group, file or job does not exist (any more).
    NotFound,
    /// The group's members cannot be changed here (dynamic, synced from on-premises, managed in
    /// Exchange); the message says why and where instead.
    Refused,
    /// Microsoft Graph throttled the request; retry later.
    Throttled,
    /// Microsoft Graph or the identity platform could not be reached.
    Network,
    /// The request itself is wrong (a field, a file, a job in the wrong state).
    Validation,
    /// The feature exists in the front end but not in this build yet.
    NotAvailable,
    /// The saved sign-in cannot do this silently (expired, revoked, or a new permission needs the
    /// person): sign in again.
    SignInAgain,
    /// The person cancelled (a sign-in).
    Cancelled,
    /// Local files or the job history could not be read or written.
    Io,
    /// A bug or an unexpected failure; `detail` carries the technical cause.
    Internal,
}

/// A failed operation: its code, a sentence for people that says what to do, and the technical
/// cause. Never carries a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// The kind of failure.
    pub code: ErrorCode,
    /// What went wrong and what to do, for people.
    pub message: String,
    /// The technical cause, when there is one.
    pub detail: Option<String>,
}

impl AppError {
    /// An error with a code and a message for people.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// Adds the technical cause.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Nobody is signed in.
    pub fn unauthenticated() -> Self {
        Self::new(
            ErrorCode::Unauthenticated,
            "You are not signed in. Sign in to continue.",
        )
    }

    /// Bad input.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }
}

impl From<GraphError> for AppError {
    /// Graph's error kinds mapped to what a front end does about them; the message keeps Graph's
    /// advice.
    fn from(error: GraphError) -> Self {
        let code = match error.kind() {
            ErrorKind::Auth => ErrorCode::Unauthenticated,
            ErrorKind::Permission => ErrorCode::Forbidden,
            ErrorKind::NotFound => ErrorCode::NotFound,
            ErrorKind::Throttled => ErrorCode::Throttled,
            ErrorKind::Transient | ErrorKind::Network | ErrorKind::Server => ErrorCode::Network,
            ErrorKind::BadRequest
            | ErrorKind::UnsupportedQuery
            | ErrorKind::Usage
            | ErrorKind::AlreadyExists
            | ErrorKind::NotPresent => ErrorCode::Validation,
            ErrorKind::Decode => ErrorCode::Internal,
        };
        Self::new(code, error.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        Self::new(
            ErrorCode::Io,
            "The job history could not be read or saved. Try again; restart Roster if it keeps failing.",
        )
        .with_detail(error.to_string())
    }
}

impl From<MembershipError> for AppError {
    /// The membership engine's messages already say what to do.
    fn from(error: MembershipError) -> Self {
        let message = sentence(&error.to_string());
        match error {
            MembershipError::Graph(e) => Self::from(e),
            MembershipError::Store(e) => Self::from(e),
            MembershipError::Group(_) => Self::new(ErrorCode::NotFound, message),
            MembershipError::Refused(_) => Self::new(ErrorCode::Refused, message),
            other => {
                let code = match other.class() {
                    ErrorClass::Input => ErrorCode::Validation,
                    ErrorClass::Auth => ErrorCode::Forbidden,
                    ErrorClass::Graph => ErrorCode::Network,
                    ErrorClass::Io => ErrorCode::Io,
                };
                Self::new(code, message)
            }
        }
    }
}

impl From<JobError> for AppError {
    fn from(error: JobError) -> Self {
        match error {
            JobError::Graph(e) => Self::from(e),
            JobError::Store(e) => Self::from(e),
            JobError::Membership(e) => Self::from(e),
            JobError::Columns(e) => Self::validation(e.to_string()),
            JobError::Input(text) => Self::validation(text),
            JobError::State(t) => Self::validation(format!("The job cannot do that now: {t}.")),
            JobError::NotFound(_) => Self::new(
                ErrorCode::NotFound,
                "This job is not in the job history (any more). Pick one from the job list.",
            ),
            JobError::Write(e) => Self::new(ErrorCode::Io, e.to_string()),
            JobError::Cancelled => Self::new(ErrorCode::Cancelled, error.to_string()),
            other => Self::new(ErrorCode::Internal, other.to_string()),
        }
    }
}

impl From<AuthError> for AppError {
    /// roster-auth's messages already say what is wrong and what to do.
    fn from(error: AuthError) -> Self {
        let code = match &error {
            AuthError::SignInRequired(_)
            | AuthError::NotSignedIn
            | AuthError::UnknownAccount(_) => ErrorCode::SignInAgain,
            AuthError::ConsentRequired(_) => ErrorCode::Forbidden,
            AuthError::Cancelled(_) => ErrorCode::Cancelled,
            AuthError::Unreachable(_) => ErrorCode::Network,
            AuthError::StateMismatch
            | AuthError::TimedOut(_)
            | AuthError::DeviceCodeExpired
            | AuthError::Browser(_)
            | AuthError::Refused(_) => ErrorCode::Unauthenticated,
            AuthError::Keyring(_) | AuthError::AccountsFile { .. } | AuthError::Config(_) => {
                ErrorCode::Internal
            }
        };
        Self::new(code, error.to_string())
    }
}

/// The engines' texts start in lower case (the CLI's style); front ends show sentences.
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_graph::RequestContext;

    #[test]
    fn graph_errors_map_to_codes_a_front_end_acts_on() {
        let cases = [
            (ErrorKind::Auth, ErrorCode::Unauthenticated),
            (ErrorKind::Permission, ErrorCode::Forbidden),
            (ErrorKind::Throttled, ErrorCode::Throttled),
            (ErrorKind::Network, ErrorCode::Network),
            (ErrorKind::UnsupportedQuery, ErrorCode::Validation),
            (ErrorKind::Decode, ErrorCode::Internal),
        ];
        for (kind, code) in cases {
            let error = AppError::from(GraphError::new(
                kind,
                "it failed",
                RequestContext::default(),
            ));
            assert_eq!(error.code, code, "{kind:?}");
            assert!(error.message.contains("it failed"), "{}", error.message);
        }
    }

    #[test]
    fn job_errors_keep_their_class() {
        assert_eq!(
            AppError::from(JobError::Input("no file".into())).code,
            ErrorCode::Validation
        );
        assert_eq!(
            AppError::from(JobError::NotFound(roster_core::job::JobId::new())).code,
            ErrorCode::NotFound
        );
        assert_eq!(
            AppError::from(JobError::Cancelled).code,
            ErrorCode::Cancelled
        );
    }

    #[test]
    fn engine_texts_become_sentences() {
        assert_eq!(sentence("the file is empty"), "The file is empty");
        assert_eq!(sentence(""), "");
    }
}
