//! The job vocabulary shared by the store, the runner, the CLI and the desktop app: what a job is
//! ([`JobId`], [`JobKind`]), what it does ([`JobSpec`]) and where it is in its life
//! ([`JobStatus`] and its state machine). No IO.

mod filter;
mod spec;
mod status;
mod title;

pub use filter::{
    GroupFilter, GroupKindChoice, GroupSourceChoice, MembershipChoice, UserFilter, UserTypeChoice,
    odata_string,
};
pub use spec::{
    CsvDelimiter, CsvFormulaGuard, CsvOutput, DownloadGroups, DownloadMembers, DownloadOwners,
    DownloadUserGroups, DownloadUsers, GroupSelection, JobSpec,
};
pub use status::{JobStatus, TransitionError};
pub use title::TITLE_CODES;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A job's identity: a random UUID, stored and shown as its hyphenated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub uuid::Uuid);

impl JobId {
    /// A new random id.
    pub fn new() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

impl Default for JobId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

impl FromStr for JobId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(Self)
    }
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// Download users to CSV.
    DownloadUsers,
    /// Download groups to CSV.
    DownloadGroups,
    /// Download the members of one or more groups to CSV.
    DownloadMembers,
    /// Download the owners of one or more groups to CSV.
    DownloadOwners,
    /// Download the groups one or more users are members of to CSV.
    DownloadUserGroups,
    /// Add members to a group from a file.
    AddMembers,
    /// Remove members from a group from a file.
    RemoveMembers,
}

/// Stable text names, used in storage and on the wire.
macro_rules! names {
    ($ty:ty, $what:literal, $($variant:ident => $name:literal),+ $(,)?) => {
        impl $ty {
            /// The stable snake_case name (as stored in the database).
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $name),+ }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(Self::$variant),)+
                    _ => Err(UnknownName { what: $what, name: s.to_owned() }),
                }
            }
        }
    };
}
pub(crate) use names;

names!(JobKind, "job kind",
    DownloadUsers => "download_users",
    DownloadGroups => "download_groups",
    DownloadMembers => "download_members",
    DownloadOwners => "download_owners",
    DownloadUserGroups => "download_user_groups",
    AddMembers => "add_members",
    RemoveMembers => "remove_members",
);

/// A stored name that is not a known kind or status (a database written by a newer Roster).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown {what} `{name}`: the job list was written by a newer Roster; update Roster to read it"
)]
pub struct UnknownName {
    /// "job kind" or "job status".
    pub what: &'static str,
    /// The name found.
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for status in JobStatus::ALL {
            assert_eq!(status.as_str().parse::<JobStatus>(), Ok(status));
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{}\"", status.as_str())
            );
        }
        for kind in [
            JobKind::DownloadUsers,
            JobKind::DownloadGroups,
            JobKind::DownloadMembers,
            JobKind::DownloadOwners,
            JobKind::DownloadUserGroups,
            JobKind::AddMembers,
            JobKind::RemoveMembers,
        ] {
            assert_eq!(kind.as_str().parse::<JobKind>(), Ok(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        let err = "paused".parse::<JobStatus>().unwrap_err();
        assert!(err.to_string().contains("unknown job status `paused`"));
        assert!(JobStatus::Cancelled.is_final());
        assert!(!JobStatus::Interrupted.is_final());
        let id = JobId::new();
        assert_eq!(id.to_string().parse::<JobId>().unwrap(), id);
        assert_ne!(JobId::new(), id);
    }
}
