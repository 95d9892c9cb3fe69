//! DTOs of the `update_*` commands: whether the app looks for new releases, and a release found.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use roster_app::updates::{UpdateChecks, UpdatePolicy};

use super::TextDto;

/// What the organisation's policy file says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UpdatePolicyDto {
    /// No policy: the person's setting decides.
    None,
    /// Checks are on for everybody.
    On,
    /// Checks are off for everybody.
    Off,
    /// The policy file is unusable, so checks are off (`problem` says why).
    Unreadable,
}

/// Whether the app checks for new releases, who decided, and whether this build can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusDto {
    /// The app looks for a new release when it starts, and "Check now" works.
    pub enabled: bool,
    /// The person's own setting (off until they turn it on).
    pub chosen: bool,
    /// The organisation's policy, which wins over the setting.
    pub policy: UpdatePolicyDto,
    /// Why the policy file is unusable, when it is.
    pub problem: Option<TextDto>,
    /// This build was released with an update channel (a signed manifest's address and key);
    /// builds from source and distribution packages have none and are updated the way they were
    /// installed.
    pub channel: bool,
    /// The running version.
    pub current_version: String,
}

impl UpdateStatusDto {
    /// The status for `checks` in a build with or without a `channel`.
    pub fn new(checks: &UpdateChecks, channel: bool) -> Self {
        let (policy, problem) = match &checks.policy {
            UpdatePolicy::None => (UpdatePolicyDto::None, None),
            UpdatePolicy::On => (UpdatePolicyDto::On, None),
            UpdatePolicy::Off => (UpdatePolicyDto::Off, None),
            UpdatePolicy::Unreadable { problem } => {
                (UpdatePolicyDto::Unreadable, Some(TextDto::from(problem)))
            }
        };
        Self {
            enabled: checks.enabled && channel,
            chosen: checks.chosen,
            policy,
            problem,
            channel,
            current_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// The person's choice: request of `update_choose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateChoiceRequest {
    /// Look for new releases when the app starts.
    pub check: bool,
}

/// What a check found: response of `update_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheckDto {
    /// The newer release, or `None` when this is the newest.
    pub available: Option<AvailableUpdateDto>,
}

/// A newer release the channel offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdateDto {
    /// Its version, e.g. `0.2.0`.
    pub version: String,
    /// What changed, as the release notes say it (plain text).
    pub notes: Option<String>,
    /// When it was published (RFC 3339), if the manifest says.
    pub date: Option<String>,
}

/// Which release to install: request of `update_install`. It must be the one the last check found,
/// so a click installs exactly what the person was shown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInstallRequest {
    /// The version shown to the person.
    pub version: String,
}

/// How far the download of a release has come: the `update-progress` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgressDto {
    /// Bytes received.
    pub received: u64,
    /// The size, when the server said.
    pub total: Option<u64>,
}
