//! The app's settings through roster-app (mapped to and from the UI's type in `ipc/settings.rs`).

use std::path::PathBuf;

use roster_app::settings::Settings;
use roster_core::job::CsvOutput;

use super::AppState;
use crate::ipc::{AppError, SettingsDto};

impl AppState {
    /// The settings as saved, with defaults for those never set.
    pub async fn settings(&self) -> Result<SettingsDto, AppError> {
        Ok(Settings::load(self.settings_store()?.as_ref())?.into())
    }

    /// Checks and saves the settings; answers them as saved.
    pub async fn set_settings(&self, settings: SettingsDto) -> Result<SettingsDto, AppError> {
        Ok(settings
            .to_settings()
            .save(self.settings_store()?.as_ref())?
            .into())
    }

    /// The output folder: where the save dialog opens.
    pub(crate) async fn output_folder(&self) -> Result<PathBuf, AppError> {
        Ok(PathBuf::from(self.settings().await?.output_folder))
    }

    /// How a download writes `path`, from the settings.
    pub(crate) async fn csv_output(&self, path: PathBuf) -> Result<CsvOutput, AppError> {
        Ok(Settings::load(self.settings_store()?.as_ref())?.csv_output(&path))
    }
}
