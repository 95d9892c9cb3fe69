//! The desktop app's settings (output folder, CSV format, default user columns), kept in the real job
//! database's settings table so they survive restarts and are the same in demo mode.

use std::path::{Path, PathBuf};

use roster_core::job::{CsvDelimiter, CsvFormulaGuard, CsvOutput};
use roster_store::Store;

use roster_core::text::Text;

use crate::error::{AppError, ErrorCode};

const OUTPUT_FOLDER: &str = "desktop.outputFolder";
const BOM: &str = "desktop.bom";
const DELIMITER: &str = "desktop.delimiter";
const FORMULA_GUARD: &str = "desktop.formulaGuard";
const USER_COLUMNS: &str = "desktop.userColumns";

/// The settings every download of the app uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where downloads go when the person names no file.
    pub output_folder: PathBuf,
    /// Write a UTF-8 byte order mark (Excel needs it to read UTF-8).
    pub bom: bool,
    /// The field separator.
    pub delimiter: CsvDelimiter,
    /// Guard cells that a spreadsheet would run as formulas.
    pub formula_guard: bool,
    /// The users download's default columns (`default`, `portal`, `all` or a list).
    pub user_columns: String,
}

impl Settings {
    /// The settings as saved in `store`, with defaults for those never set.
    pub fn load(store: &Store) -> Result<Self, AppError> {
        let get = |key: &str| store.setting(key);
        let flag = |value: Option<String>, default: bool| value.map_or(default, |v| v == "true");
        Ok(Self {
            output_folder: get(OUTPUT_FOLDER)?
                .filter(|f| !f.is_empty())
                .map_or_else(default_output_folder, PathBuf::from),
            bom: flag(get(BOM)?, true),
            delimiter: get(DELIMITER)?
                .as_deref()
                .and_then(parse_delimiter)
                .unwrap_or_default(),
            formula_guard: flag(get(FORMULA_GUARD)?, true),
            user_columns: get(USER_COLUMNS)?
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| "default".to_owned()),
        })
    }

    /// Checks the settings and saves them in `store`; answers them as saved.
    pub fn save(&self, store: &Store) -> Result<Self, AppError> {
        let folder = self.output_folder.as_path();
        if !folder.is_absolute() {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.outputFolder",
                    format!(
                        "Output folder '{}' is not a full folder path. Choose a folder with Browse.",
                        folder.display()
                    ),
                )
                .with("folder", folder.display()),
            ));
        }
        AppError::require_unicode(folder)?;
        let columns = self.user_columns.trim();
        if let Err(e) = roster_core::columns::parse_user_columns(columns) {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new("app.defaultColumns", format!("Default user columns: {e}"))
                    .with("error", e),
            ));
        }
        let flag = |on: bool| if on { "true" } else { "false" };
        store.set_setting(OUTPUT_FOLDER, &folder.to_string_lossy())?;
        store.set_setting(BOM, flag(self.bom))?;
        store.set_setting(DELIMITER, delimiter_name(self.delimiter))?;
        store.set_setting(FORMULA_GUARD, flag(self.formula_guard))?;
        store.set_setting(USER_COLUMNS, columns)?;
        Self::load(store)
    }

    /// How a download writes `path` with these settings.
    pub fn csv_output(&self, path: &Path) -> CsvOutput {
        CsvOutput {
            path: path.to_owned(),
            bom: self.bom,
            delimiter: self.delimiter,
            formula_guard: if self.formula_guard {
                CsvFormulaGuard::Standard
            } else {
                CsvFormulaGuard::Off
            },
        }
    }
}

/// The output folder when none was chosen: the OS's download folder, else the home folder.
fn default_output_folder() -> PathBuf {
    dirs::download_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn delimiter_name(delimiter: CsvDelimiter) -> &'static str {
    match delimiter {
        CsvDelimiter::Comma => "comma",
        CsvDelimiter::Semicolon => "semicolon",
        CsvDelimiter::Tab => "tab",
    }
}

fn parse_delimiter(text: &str) -> Option<CsvDelimiter> {
    match text {
        "comma" => Some(CsvDelimiter::Comma),
        "semicolon" => Some(CsvDelimiter::Semicolon),
        "tab" => Some(CsvDelimiter::Tab),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_bad_ones_are_refused() {
        let store = Store::open_in_memory().unwrap();
        let defaults = Settings::load(&store).unwrap();
        assert!(defaults.bom && defaults.formula_guard);
        assert_eq!(defaults.user_columns, "default");
        let dir = tempfile::tempdir().unwrap();
        let wanted = Settings {
            output_folder: dir.path().to_owned(),
            bom: false,
            delimiter: CsvDelimiter::Semicolon,
            formula_guard: false,
            user_columns: "displayName,mail".into(),
        };
        assert_eq!(wanted.save(&store).unwrap(), wanted);
        assert_eq!(Settings::load(&store).unwrap(), wanted);
        let relative = Settings {
            output_folder: "downloads".into(),
            ..wanted.clone()
        };
        assert!(
            relative
                .save(&store)
                .unwrap_err()
                .message
                .contains("full folder path")
        );
        let columns = Settings {
            user_columns: "noSuchColumn".into(),
            ..wanted
        };
        assert!(
            columns
                .save(&store)
                .unwrap_err()
                .message
                .contains("Default user columns")
        );
    }
}
