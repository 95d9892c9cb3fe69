//! Whether the desktop app may look for a new release: the person's setting, off by default, and
//! the organisation's policy file, which wins.
//!
//! Managed devices get their software from their organisation, so the app never contacts a
//! release server unless the person turned the check on and no policy forbids it. An organisation
//! can also turn the check on for everybody. Either way the app only says that a release exists:
//! installing it is always the person's click (the desktop layer holds that flow).
//!
//! The policy file is machine-wide JSON, `{"updateChecks": "off"}` or `{"updateChecks": "on"}`, at
//! [`machine_policy_file`]. A policy file that exists but cannot be read or understood turns the
//! check off and says why: failing open would contact a server the organisation may have meant
//! to forbid.

use std::path::{Path, PathBuf};

use roster_core::text::Text;
use roster_store::Store;

use crate::error::AppError;

const CHECK_SETTING: &str = "desktop.updateChecks";

/// Largest policy file read; a real one is a line.
const POLICY_MAX_BYTES: u64 = 64 * 1024;

/// What the organisation's policy file says about update checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdatePolicy {
    /// No policy file: the person decides.
    None,
    /// The policy turns checks on for everybody.
    On,
    /// The policy turns checks off for everybody.
    Off,
    /// A policy file exists but is not usable; checks are off, and `problem` says why.
    Unreadable {
        /// What is wrong with the file, for the person and their administrator.
        problem: Text,
    },
}

/// The machine-wide policy file: `/etc/roster/policy.json` on Linux and other Unix systems,
/// `/Library/Application Support/Roster/policy.json` on macOS, and
/// `%ProgramData%\Roster\policy.json` on Windows (places only an administrator can write).
pub fn machine_policy_file() -> PathBuf {
    if cfg!(windows) {
        let program_data = std::env::var_os("ProgramData")
            .map_or_else(|| PathBuf::from(r"C:\ProgramData"), PathBuf::from);
        program_data.join("Roster").join("policy.json")
    } else if cfg!(target_os = "macos") {
        PathBuf::from("/Library/Application Support/Roster/policy.json")
    } else {
        PathBuf::from("/etc/roster/policy.json")
    }
}

impl UpdatePolicy {
    /// Reads the policy at `path`; no file means no policy.
    pub fn read(path: &Path) -> Self {
        let unreadable = |why: String| {
            Self::Unreadable {
            problem: Text::new(
                "app.updatePolicyUnreadable",
                format!(
                    "The update policy {} cannot be used ({why}), so Roster does not check for updates. Ask your administrator to fix it: {{\"updateChecks\": \"off\"}} or {{\"updateChecks\": \"on\"}}.",
                    path.display()
                ),
            )
            .with("file", path.display())
            .with("problem", why),
        }
        };
        let text = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Self::None,
            Err(e) => return unreadable(e.to_string()),
            Ok(meta) if !meta.is_file() => return unreadable("not a file".to_owned()),
            Ok(meta) if meta.len() > POLICY_MAX_BYTES => {
                return unreadable(format!("larger than {POLICY_MAX_BYTES} bytes"));
            }
            Ok(_) => match std::fs::read_to_string(path) {
                Ok(text) => text,
                Err(e) => return unreadable(e.to_string()),
            },
        };
        Self::parse(&text).unwrap_or_else(unreadable)
    }

    /// The policy in `text`, or what is wrong with it.
    fn parse(text: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
            .map_err(|e| format!("not JSON: {e}"))?;
        let object = value
            .as_object()
            .ok_or_else(|| "not a JSON object".to_owned())?;
        match object.get("updateChecks") {
            None => Ok(Self::None),
            Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("off") => Ok(Self::Off),
            Some(serde_json::Value::String(s)) if s.eq_ignore_ascii_case("on") => Ok(Self::On),
            Some(other) => Err(format!(
                "updateChecks is {other}; it must be \"off\" or \"on\""
            )),
        }
    }
}

/// Whether the app checks for updates, and who decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateChecks {
    /// The app looks for a new release when it starts, and "Check now" may be used.
    pub enabled: bool,
    /// The person's own choice (saved even while a policy overrides it).
    pub chosen: bool,
    /// The organisation's policy, which wins over the choice.
    pub policy: UpdatePolicy,
}

impl UpdateChecks {
    /// The person's saved choice (off until they turn it on) under `policy`.
    pub fn load(store: &Store, policy: UpdatePolicy) -> Result<Self, AppError> {
        let chosen = store.setting(CHECK_SETTING)?.is_some_and(|v| v == "true");
        Ok(Self::decide(chosen, policy))
    }

    /// Saves the person's choice; answers what applies under `policy` (the policy still wins).
    pub fn choose(store: &Store, chosen: bool, policy: UpdatePolicy) -> Result<Self, AppError> {
        store.set_setting(CHECK_SETTING, if chosen { "true" } else { "false" })?;
        Ok(Self::decide(chosen, policy))
    }

    fn decide(chosen: bool, policy: UpdatePolicy) -> Self {
        let enabled = match policy {
            UpdatePolicy::None => chosen,
            UpdatePolicy::On => true,
            UpdatePolicy::Off | UpdatePolicy::Unreadable { .. } => false,
        };
        Self {
            enabled,
            chosen,
            policy,
        }
    }

    /// Refuses a check when checks are off, with who turned them off and what to do.
    pub fn require_enabled(&self) -> Result<(), AppError> {
        if self.enabled {
            return Ok(());
        }
        let text = match &self.policy {
            UpdatePolicy::Unreadable { problem } => problem.clone(),
            UpdatePolicy::Off => Text::new(
                "app.updatesOffByPolicy",
                "Your organisation has turned update checks off. It provides new versions of Roster itself.",
            ),
            UpdatePolicy::None | UpdatePolicy::On => Text::new(
                "app.updatesOff",
                "Update checks are off. Turn on \"Check for new versions\" in Settings first.",
            ),
        };
        Err(AppError::coded(crate::ErrorCode::Validation, text))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn policy(text: &str) -> UpdatePolicy {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.json");
        std::fs::write(&path, text).unwrap();
        UpdatePolicy::read(&path)
    }

    #[test]
    fn no_policy_file_leaves_the_choice_to_the_person() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            UpdatePolicy::read(&dir.path().join("policy.json")),
            UpdatePolicy::None
        );
    }

    #[test]
    fn a_policy_says_on_or_off() {
        assert_eq!(policy(r#"{"updateChecks": "off"}"#), UpdatePolicy::Off);
        assert_eq!(
            policy("\u{feff}{\"updateChecks\": \"On\"}"),
            UpdatePolicy::On
        );
        assert_eq!(policy(r#"{"somethingElse": 1}"#), UpdatePolicy::None);
    }

    #[test]
    fn a_broken_policy_turns_checks_off_and_says_why() {
        for broken in [
            "updateChecks=off",
            "[1]",
            r#"{"updateChecks": false}"#,
            r#"{"updateChecks": "maybe"}"#,
        ] {
            let UpdatePolicy::Unreadable { problem } = policy(broken) else {
                panic!("{broken} accepted");
            };
            assert_eq!(problem.code, "app.updatePolicyUnreadable");
            assert!(
                problem.english.contains("does not check"),
                "{}",
                problem.english
            );
        }
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            UpdatePolicy::read(dir.path()),
            UpdatePolicy::Unreadable { .. }
        ));
    }

    #[test]
    fn checks_are_off_until_chosen_and_a_policy_wins() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("jobs.db")).unwrap();
        let fresh = UpdateChecks::load(&store, UpdatePolicy::None).unwrap();
        assert!(!fresh.enabled, "off by default");
        assert_eq!(
            fresh.require_enabled().unwrap_err().text.code,
            "app.updatesOff"
        );

        let chosen = UpdateChecks::choose(&store, true, UpdatePolicy::None).unwrap();
        assert!(chosen.enabled);
        assert!(chosen.require_enabled().is_ok());

        let forbidden = UpdateChecks::load(&store, UpdatePolicy::Off).unwrap();
        assert!(
            !forbidden.enabled && forbidden.chosen,
            "the choice is kept, the policy wins"
        );
        assert_eq!(
            forbidden.require_enabled().unwrap_err().text.code,
            "app.updatesOffByPolicy"
        );

        UpdateChecks::choose(&store, false, UpdatePolicy::None).unwrap();
        assert!(
            UpdateChecks::load(&store, UpdatePolicy::On)
                .unwrap()
                .enabled
        );
    }
}
