//! New releases: checked only when the person (or their organisation's policy) turned checks on,
//! installed only when the person clicks Install for the release they were shown.
//!
//! The check, the download and the signature check are tauri-plugin-updater's: the manifest comes
//! from the channel compiled into a release build (`plugins.updater` in `tauri.conf.json`, filled in
//! by the release workflow), and a downloaded package is installed only when its minisign signature
//! matches the public key in the same place. The webview has no permission for the plugin's own
//! commands; it reaches the updater only through the `update_*` commands here.

use std::sync::Mutex;

use roster_app::updates::{UpdateChecks, UpdatePolicy};
use roster_core::text::Text;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

use super::AppState;
use crate::ipc::{
    self, AppError, AvailableUpdateDto, UpdateCheckDto, UpdateProgressDto, UpdateStatusDto,
};

/// The codes of the update messages, each worded in `ui/src/lib/i18n` (`engine.CODE`).
pub const UPDATE_TEXT_CODES: &[&str] = &[NOT_FOUND, NO_CHANNEL, BAD_SIGNATURE, FAILED];

const NOT_FOUND: &str = "desktop.update.notFound";
const NO_CHANNEL: &str = "desktop.update.noChannel";
const BAD_SIGNATURE: &str = "desktop.update.badSignature";
const FAILED: &str = "desktop.update.failed";

/// The release the last check found, kept for the Install click that names it.
#[derive(Default)]
pub(crate) struct UpdateHost {
    found: Mutex<Option<Update>>,
}

impl AppState {
    /// Whether update checks are on, who decided, and whether this build has a channel.
    pub async fn update_status<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<UpdateStatusDto, AppError> {
        let checks = UpdateChecks::load(self.settings_store()?.as_ref(), self.update_policy())?;
        Ok(UpdateStatusDto::new(&checks, has_channel(app)))
    }

    /// Saves the person's choice; answers what applies (a policy still wins).
    pub async fn update_choose<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        check: bool,
    ) -> Result<UpdateStatusDto, AppError> {
        let checks =
            UpdateChecks::choose(self.settings_store()?.as_ref(), check, self.update_policy())?;
        Ok(UpdateStatusDto::new(&checks, has_channel(app)))
    }

    /// Asks the channel for a newer release; nothing is downloaded. Refused while checks are off.
    pub async fn update_check<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<UpdateCheckDto, AppError> {
        UpdateChecks::load(self.settings_store()?.as_ref(), self.update_policy())?
            .require_enabled()?;
        if !has_channel(app) {
            return Err(no_channel());
        }
        let updater = app.updater().map_err(updater_failed)?;
        let found = updater.check().await.map_err(updater_failed)?;
        let shown = found.as_ref().map(|update| AvailableUpdateDto {
            version: update.version.clone(),
            notes: update.body.clone().filter(|b| !b.trim().is_empty()),
            date: update
                .raw_json
                .get("pub_date")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned),
        });
        *self.updates.found.lock().map_err(|_| poisoned())? = found;
        Ok(UpdateCheckDto { available: shown })
    }

    /// Downloads the release the last check found, checks its signature, installs it and restarts
    /// the app. `version` must be the one shown: a click never installs anything else.
    pub async fn update_install<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        version: &str,
    ) -> Result<(), AppError> {
        let update = self
            .updates
            .found
            .lock()
            .map_err(|_| poisoned())?
            .take()
            .filter(|u| u.version == version)
            .ok_or_else(|| {
                AppError::from(roster_app::AppError::coded(
                    roster_app::ErrorCode::Validation,
                    Text::new(
                        NOT_FOUND,
                        format!("Version {version} was not found by the last check. Check for updates again."),
                    )
                    .with("version", version),
                ))
            })?;
        let mut received = 0_u64;
        let progress = app.clone();
        let bytes = update
            .download(
                move |chunk, total| {
                    received += chunk as u64;
                    let _ = ipc::emit(&progress, &UpdateProgressDto { received, total });
                },
                || {},
            )
            .await
            .map_err(updater_failed)?;
        update.install(bytes).map_err(updater_failed)?;
        app.restart()
    }

    fn update_policy(&self) -> UpdatePolicy {
        UpdatePolicy::read(&self.options.policy_file)
    }
}

/// Whether this build carries an update channel: a manifest address and the key its packages are
/// signed with (both empty in `tauri.conf.json`; the release workflow fills them in).
pub(crate) fn has_channel<R: Runtime>(app: &AppHandle<R>) -> bool {
    let Some(config) = app.config().plugins.0.get("updater") else {
        return false;
    };
    let filled = |key: &str| match config.get(key) {
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(serde_json::Value::Array(a)) => !a.is_empty(),
        _ => false,
    };
    filled("pubkey") && filled("endpoints")
}

fn no_channel() -> AppError {
    AppError::from(roster_app::AppError::coded(
        roster_app::ErrorCode::NotAvailable,
        Text::new(
            NO_CHANNEL,
            "This copy of Roster has no update channel (it was built from source or installed from a package). Update it the way it was installed.",
        ),
    ))
}

fn updater_failed(error: tauri_plugin_updater::Error) -> AppError {
    use tauri_plugin_updater::Error;
    let (code, text) = match &error {
        Error::Minisign(_) | Error::SignatureUtf8(_) | Error::Base64(_) => (
            roster_app::ErrorCode::Validation,
            Text::new(
                BAD_SIGNATURE,
                "The downloaded update is not signed by Roster's release key, so it was not installed. Try again later, or get Roster from its release page.",
            ),
        ),
        _ => (
            roster_app::ErrorCode::Network,
            Text::new(
                FAILED,
                format!("Looking for or installing an update failed: {error}. Try again later."),
            )
            .with("error", &error),
        ),
    };
    AppError::from(roster_app::AppError::coded(code, text).with_detail(format!("{error:?}")))
}

fn poisoned() -> AppError {
    AppError::from(roster_app::AppError::new(
        roster_app::ErrorCode::Internal,
        "The update state is unusable after an earlier failure. Restart Roster.",
    ))
}
