//! DTOs of the `settings_*` commands: how downloads write their files.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The field separator of written CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DelimiterDto {
    /// `,` (the default; what Excel expects in English locales).
    #[default]
    Comma,
    /// `;` (what Excel expects where `,` is the decimal separator, e.g. Dutch).
    Semicolon,
    /// A tab.
    Tab,
}

impl DelimiterDto {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Comma => "comma",
            Self::Semicolon => "semicolon",
            Self::Tab => "tab",
        }
    }

    /// The value for a stored name; `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "comma" => Some(Self::Comma),
            "semicolon" => Some(Self::Semicolon),
            "tab" => Some(Self::Tab),
            _ => None,
        }
    }
}

/// The app's settings, used by every download. Request and response of `settings_set`, response of
/// `settings_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsDto {
    /// The folder the save dialog opens in and downloads go to when no path is given.
    pub output_folder: String,
    /// Start CSV files with a UTF-8 byte order mark (so Excel reads accents right).
    pub bom: bool,
    /// Field separator.
    pub delimiter: DelimiterDto,
    /// Prefix cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) with `'`.
    pub formula_guard: bool,
    /// The user columns the download dialog starts with: `portal`, `all` or `a,b,c`.
    pub user_columns: String,
}

impl From<roster_app::settings::Settings> for SettingsDto {
    fn from(settings: roster_app::settings::Settings) -> Self {
        use roster_core::job::CsvDelimiter;
        Self {
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
}

impl SettingsDto {
    /// The settings the form holds (the output folder trimmed).
    pub fn to_settings(self) -> roster_app::settings::Settings {
        use roster_core::job::CsvDelimiter;
        roster_app::settings::Settings {
            output_folder: std::path::PathBuf::from(self.output_folder.trim()),
            bom: self.bom,
            delimiter: match self.delimiter {
                DelimiterDto::Comma => CsvDelimiter::Comma,
                DelimiterDto::Semicolon => CsvDelimiter::Semicolon,
                DelimiterDto::Tab => CsvDelimiter::Tab,
            },
            formula_guard: self.formula_guard,
            user_columns: self.user_columns,
        }
    }
}
