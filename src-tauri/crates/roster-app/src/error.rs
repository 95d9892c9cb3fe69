//! The one error type of the application API, with the closed set of codes both front ends act
//! on: the desktop maps a code to a screen or a button, the CLI to its exit code.

use roster_auth::AuthError;
use roster_core::text::Text;
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
    /// What went wrong and what to do, for people (English).
    pub message: String,
    /// The same as a code with parameters, which a front end words in the person's language
    /// (boxed: errors travel in every `Result`).
    pub text: Box<Text>,
    /// The technical cause, when there is one.
    pub detail: Option<String>,
}

impl AppError {
    /// An error with a code and a message for people that has no translation of its own.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::coded(code, Text::plain(message))
    }

    /// An error with a code and a message with a code of its own (`app.…`, listed in
    /// [`TEXT_CODES`]).
    pub fn coded(code: ErrorCode, text: Text) -> Self {
        Self {
            code,
            message: text.english.clone(),
            text: Box::new(text),
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
        Self::coded(
            ErrorCode::Unauthenticated,
            Text::new(
                "app.notSignedIn",
                "You are not signed in. Sign in to continue.",
            ),
        )
    }

    /// Bad input.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Validation, message)
    }

    /// Refuses a file or folder whose name is not valid Unicode, before anything is read or
    /// written: jobs and settings keep paths as text, so such a name could not be kept exactly
    /// and a resume would write a different file.
    pub fn require_unicode(path: &std::path::Path) -> Result<(), Self> {
        if path.to_str().is_some() {
            return Ok(());
        }
        Err(Self::coded(
            ErrorCode::Validation,
            Text::new(
                "app.pathNotUnicode",
                format!(
                    "The name {} contains characters that are not valid Unicode, so Roster cannot keep it in its job list. Rename the file or folder, or choose another one.",
                    path.display()
                ),
            )
            .with("path", path.display()),
        ))
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
        let kind = format!("{:?}", error.kind());
        let english = error.to_string();
        Self::coded(
            code,
            Text::new(&format!("graph.{}", lower_first(&kind)), english.clone())
                .with("message", english),
        )
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        if let StoreError::OutputInUse { .. } = error {
            // Not a broken history: the person chose a file another job is writing.
            return Self::validation(sentence(&error.to_string()));
        }
        Self::coded(
            ErrorCode::Io,
            Text::new(
                "app.jobHistory",
                "The job history could not be read or saved. Try again; restart Roster if it keeps failing.",
            ),
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
            MembershipError::Refused(reason) => Self::coded(ErrorCode::Refused, reason),
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
            JobError::State(t) => Self::coded(
                ErrorCode::Validation,
                Text::new("app.jobState", format!("The job cannot do that now: {t}."))
                    .with("detail", t),
            ),
            JobError::NotFound(_) => Self::job_not_found(),
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
            | AuthError::UnknownAccount(_)
            | AuthError::ConsentNeeded { .. } => ErrorCode::SignInAgain,
            AuthError::ConsentRequired(_) => ErrorCode::Forbidden,
            AuthError::Cancelled(_) => ErrorCode::Cancelled,
            AuthError::Unreachable(_) | AuthError::AnswerTooLarge { .. } => ErrorCode::Network,
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

impl AppError {
    /// The job is not in the history.
    pub fn job_not_found() -> Self {
        Self::coded(
            ErrorCode::NotFound,
            Text::new(
                "app.jobNotFound",
                "This job is not in the job history (any more). Pick one from the job list.",
            ),
        )
    }
}

/// `Throttled` → `throttled`.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Every message code of the API's own errors (`app.…`) and of Graph failures (`graph.KIND`), for
/// the front ends' dictionaries.
pub const TEXT_CODES: &[&str] = &[
    "app.notSignedIn",
    "app.reviewClosed",
    "app.notDynamicGroup",
    "app.jobHistory",
    "app.jobState",
    "app.jobNotFound",
    "app.demoFailed",
    "app.graphAddress",
    "app.writeScope",
    "app.allowChanges",
    "app.listingGone",
    "app.noGroupSelected",
    "app.folderNotCreated",
    "app.pathNotUnicode",
    "app.copyTargetInUse",
    "app.nothingToUndo",
    "app.updatePolicyUnreadable",
    "app.updatesOffByPolicy",
    "app.updatesOff",
    "app.noJobWithId",
    "app.ambiguousJobId",
    "app.notResumable",
    "app.onlyMembershipRetry",
    "app.nothingToRetry",
    "app.otherVersion",
    "app.noJobFile",
    "app.cannotWrite",
    "app.chooseMemberFile",
    "app.outputFolder",
    "app.defaultColumns",
    "app.columnChoice",
    "app.viewsFull",
    "app.viewNameBlank",
    "app.viewNameLong",
    "app.noDeviceCode",
    "app.browserNotOpened",
    "graph.auth",
    "graph.permission",
    "graph.notFound",
    "graph.throttled",
    "graph.transient",
    "graph.server",
    "graph.network",
    "graph.badRequest",
    "graph.unsupportedQuery",
    "graph.alreadyExists",
    "graph.notPresent",
    "graph.usage",
    "graph.decode",
];

pub use roster_core::text::sentence;

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

    /// Every `"app.…"` code the API's sources word an error with is in [`TEXT_CODES`], and so is
    /// every Graph error kind's.
    #[test]
    fn every_error_code_is_listed() {
        let sources = [
            include_str!("error.rs"),
            include_str!("column_choice.rs"),
            include_str!("connection.rs"),
            include_str!("directory.rs"),
            include_str!("downloads.rs"),
            include_str!("jobs.rs"),
            include_str!("membership.rs"),
            include_str!("settings.rs"),
            include_str!("session.rs"),
        ];
        for source in sources {
            for (at, _) in source.match_indices("Text::new(\n") {
                let rest = source[at..].trim_start_matches("Text::new(\n").trim_start();
                let code = rest.trim_start_matches('"');
                let code = &code[..code.find('"').unwrap_or(0)];
                assert!(TEXT_CODES.contains(&code), "{code} is not in TEXT_CODES");
            }
            for (at, _) in source.match_indices("Text::new(\"") {
                let rest = &source[at + "Text::new(\"".len()..];
                let code = &rest[..rest.find('"').unwrap_or(0)];
                assert!(TEXT_CODES.contains(&code), "{code} is not in TEXT_CODES");
            }
        }
        use ErrorKind::*;
        for kind in [
            Auth,
            Permission,
            NotFound,
            Throttled,
            Transient,
            Server,
            Network,
            BadRequest,
            UnsupportedQuery,
            AlreadyExists,
            NotPresent,
            Usage,
            Decode,
        ] {
            let error = AppError::from(GraphError::new(kind, "x", RequestContext::default()));
            assert!(
                TEXT_CODES.contains(&error.text.code.as_str()),
                "{}",
                error.text.code
            );
        }
    }
}
