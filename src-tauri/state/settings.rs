//! The app's settings (output folder, CSV format, default columns), kept in the job database's
//! settings table so they survive restarts; every download reads them.

use std::path::PathBuf;

use roster_core::job::{CsvDelimiter, CsvFormulaGuard, CsvOutput};

use super::AppState;
use crate::ipc::{AppError, DelimiterDto, ErrorCode, SettingsDto};

const OUTPUT_FOLDER: &str = "desktop.outputFolder";
const BOM: &str = "desktop.bom";
const DELIMITER: &str = "desktop.delimiter";
const FORMULA_GUARD: &str = "desktop.formulaGuard";
const USER_COLUMNS: &str = "desktop.userColumns";

/// The output folder when none was chosen: the OS's download folder, else the home folder.
fn default_output_folder() -> PathBuf {
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

impl AppState {
    /// The settings as saved, with defaults for those never set.
    pub async fn settings(&self) -> Result<SettingsDto, AppError> {
        let store = self.settings_store()?;
        let get = |key: &str| {
            store
                .setting(key)
                .map_err(|e| AppError::from(roster_app::AppError::from(e)))
        };
        let flag = |value: Option<String>, default: bool| value.map_or(default, |v| v == "true");
        Ok(SettingsDto {
            output_folder: get(OUTPUT_FOLDER)?
                .filter(|f| !f.is_empty())
                .unwrap_or_else(|| default_output_folder().to_string_lossy().into_owned()),
            bom: flag(get(BOM)?, true),
            delimiter: get(DELIMITER)?
                .as_deref()
                .and_then(DelimiterDto::parse)
                .unwrap_or_default(),
            formula_guard: flag(get(FORMULA_GUARD)?, true),
            user_columns: get(USER_COLUMNS)?
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| "portal".to_owned()),
        })
    }

    /// Checks and saves the settings; answers them as saved.
    pub async fn set_settings(&self, settings: SettingsDto) -> Result<SettingsDto, AppError> {
        let folder = PathBuf::from(settings.output_folder.trim());
        if !folder.is_absolute() {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!(
                    "Output folder '{}' is not a full folder path. Choose a folder with Browse.",
                    settings.output_folder
                ),
            ));
        }
        let columns = settings.user_columns.trim();
        if let Err(e) = roster_core::columns::parse_user_columns(columns) {
            return Err(AppError::new(
                ErrorCode::Validation,
                format!("Default user columns: {e}"),
            ));
        }
        let store = self.settings_store()?;
        let set = |key: &str, value: &str| {
            store
                .set_setting(key, value)
                .map_err(|e| AppError::from(roster_app::AppError::from(e)))
        };
        set(OUTPUT_FOLDER, &folder.to_string_lossy())?;
        set(BOM, if settings.bom { "true" } else { "false" })?;
        set(DELIMITER, settings.delimiter.as_str())?;
        set(
            FORMULA_GUARD,
            if settings.formula_guard {
                "true"
            } else {
                "false"
            },
        )?;
        set(USER_COLUMNS, columns)?;
        self.settings().await
    }

    /// How a download writes `path`, from the settings.
    pub(crate) async fn csv_output(&self, path: PathBuf) -> Result<CsvOutput, AppError> {
        let settings = self.settings().await?;
        Ok(CsvOutput {
            path,
            bom: settings.bom,
            delimiter: match settings.delimiter {
                DelimiterDto::Comma => CsvDelimiter::Comma,
                DelimiterDto::Semicolon => CsvDelimiter::Semicolon,
                DelimiterDto::Tab => CsvDelimiter::Tab,
            },
            formula_guard: if settings.formula_guard {
                CsvFormulaGuard::Standard
            } else {
                CsvFormulaGuard::Off
            },
        })
    }
}
