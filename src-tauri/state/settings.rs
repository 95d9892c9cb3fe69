//! The app's settings through roster-app; this file maps them to and from the UI's type.

use std::path::PathBuf;

use roster_app::settings::Settings;
use roster_core::job::{CsvDelimiter, CsvOutput};

use super::AppState;
use crate::ipc::{AppError, DelimiterDto, SettingsDto};

impl AppState {
    /// The settings as saved, with defaults for those never set.
    pub async fn settings(&self) -> Result<SettingsDto, AppError> {
        Ok(dto(Settings::load(self.settings_store()?.as_ref())?))
    }

    /// Checks and saves the settings; answers them as saved.
    pub async fn set_settings(&self, settings: SettingsDto) -> Result<SettingsDto, AppError> {
        let wanted = Settings {
            output_folder: PathBuf::from(settings.output_folder.trim()),
            bom: settings.bom,
            delimiter: match settings.delimiter {
                DelimiterDto::Comma => CsvDelimiter::Comma,
                DelimiterDto::Semicolon => CsvDelimiter::Semicolon,
                DelimiterDto::Tab => CsvDelimiter::Tab,
            },
            formula_guard: settings.formula_guard,
            user_columns: settings.user_columns,
        };
        Ok(dto(wanted.save(self.settings_store()?.as_ref())?))
    }

    /// How a download writes `path`, from the settings.
    pub(crate) async fn csv_output(&self, path: PathBuf) -> Result<CsvOutput, AppError> {
        Ok(Settings::load(self.settings_store()?.as_ref())?.csv_output(&path))
    }
}

fn dto(settings: Settings) -> SettingsDto {
    SettingsDto {
        output_folder: settings.output_folder.to_string_lossy().into_owned(),
        bom: settings.bom,
        delimiter: match settings.delimiter {
            CsvDelimiter::Comma => DelimiterDto::Comma,
            CsvDelimiter::Semicolon => DelimiterDto::Semicolon,
            CsvDelimiter::Tab => DelimiterDto::Tab,
        },
        formula_guard: settings.formula_guard,
        user_columns: settings.user_columns,
    }
}
