//! Files the person chose, as they cross to the UI: an opaque handle minted in Rust for a path picked
//! in a native dialog (or dropped on the window, or kept in the recent list), with the name and path
//! for the person to read. Commands take the handle, never a path: the webview cannot name a file
//! the person did not choose.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{AppError, ErrorCode, TextDto};

/// A file the person chose: `handle` names it in later commands; `name` and `path` are for reading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileRefDto {
    /// The opaque handle the commands take (minted in Rust; meaningless elsewhere).
    pub handle: String,
    /// The file's name (for tabs, titles and messages).
    pub name: String,
    /// The file's full path, shown to the person; never accepted back.
    pub path: String,
}

/// Response of the file pickers and the save dialog: the chosen file, `None` when the person
/// cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickedFile {
    /// The chosen file.
    pub file: Option<FileRefDto>,
}

/// Request of a file picker: where it opens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct PickFileRequest {
    /// A path the person typed: the picker opens there with that file selected. Only a starting
    /// point: the file used is the one the person then confirms in the picker.
    pub start: Option<String>,
    /// The picker's title in the person's language; absent: the English one.
    pub title: Option<String>,
    /// The name of the kinds of file it shows ("CSV or Excel workbook"), in the person's language.
    pub filter_name: Option<String>,
}

/// Request of `dialog_save_file`: the native save dialog for a CSV file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveFileRequest {
    /// The dialog's title, in the person's language (the end-to-end tests find the dialog by it).
    pub title: String,
    /// The name (or full path) the dialog suggests; a bare name opens in the output folder.
    pub suggested: String,
}

/// Request of `dialog_choose_folder`: the native folder picker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct FolderRequest {
    /// The folder it opens in.
    pub start: Option<String>,
}

/// Response of `dialog_choose_folder`: the chosen folder, `None` when the person cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChosenFolderDto {
    /// The folder's full path.
    pub path: Option<String>,
}

/// What a drag of files over the window is doing: the `file-drop` event. The app handles the drop
/// itself (the window's drag-and-drop event, in Rust) and hands the UI handles for the files it
/// accepts, so a dropped file opens like a picked one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum FileDropDto {
    /// Files are being dragged over the window.
    Over,
    /// The drag left the window or was cancelled.
    Leave,
    /// Files were dropped: those accepted for review, and why the others were not.
    #[serde(rename_all = "camelCase")]
    Drop {
        /// The accepted files, in the order dropped.
        files: Vec<FileRefDto>,
        /// Why each other dropped item was refused (a folder, not a CSV file).
        refused: Vec<AppError>,
    },
}

/// The codes of the messages about chosen files, each worded in `ui/src/lib/i18n` (`engine.CODE`).
pub const FILE_TEXT_CODES: &[&str] = &[
    UNKNOWN_HANDLE,
    NOT_A_FILE,
    WRONG_KIND,
    MISSING,
    NO_FOLDER,
    NO_FILE_CHOSEN,
];

const UNKNOWN_HANDLE: &str = "desktop.files.unknownHandle";
const NOT_A_FILE: &str = "desktop.files.notAFile";
const WRONG_KIND: &str = "desktop.files.wrongKind";
const MISSING: &str = "desktop.files.missing";
const NO_FOLDER: &str = "desktop.files.noFolder";
const NO_FILE_CHOSEN: &str = "desktop.files.noFileChosen";

/// An error whose message has a code the UI words in the person's language.
fn coded(code: ErrorCode, text: &str, english: String, params: &[(&str, &str)]) -> AppError {
    let params: BTreeMap<String, String> = params
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let mut error = AppError::new(code, english.clone());
    error.text = Some(Box::new(TextDto {
        code: text.to_owned(),
        params,
        text: english,
    }));
    error
}

impl AppError {
    /// A command was given a handle Roster did not mint for this use (or a path instead of one).
    pub fn unknown_file_handle() -> Self {
        coded(
            ErrorCode::NotFound,
            UNKNOWN_HANDLE,
            "Roster does not know this file. Choose it again with the file picker or drop it on the window.".to_owned(),
            &[],
        )
    }

    /// The chosen item is a folder, a device or a pipe, not a regular file.
    pub fn not_a_file(name: &str) -> Self {
        coded(
            ErrorCode::Validation,
            NOT_A_FILE,
            format!("{name} is not a file (a folder, a device or a pipe). Choose a file."),
            &[("name", name)],
        )
    }

    /// The chosen file is not of a kind this place takes (`kinds`: ".csv, .txt").
    pub fn wrong_file_kind(name: &str, kinds: &str) -> Self {
        coded(
            ErrorCode::Validation,
            WRONG_KIND,
            format!("{name} is not a file Roster reads here. Choose a {kinds} file."),
            &[("name", name), ("kinds", kinds)],
        )
    }

    /// The chosen file is not there (any more).
    pub fn missing_file(name: &str) -> Self {
        coded(
            ErrorCode::NotFound,
            MISSING,
            format!("{name} is not there any more. Choose the file again."),
            &[("name", name)],
        )
    }

    /// A save dialog's answer is in a folder that does not exist.
    pub fn no_such_folder(name: &str) -> Self {
        coded(
            ErrorCode::Validation,
            NO_FOLDER,
            format!("The folder for {name} does not exist. Choose another place to save it."),
            &[("name", name)],
        )
    }

    /// A command that writes a file was not given the file chosen in the save dialog.
    pub fn no_file_chosen() -> Self {
        coded(
            ErrorCode::Validation,
            NO_FILE_CHOSEN,
            "Choose where to save the file in the save dialog.".to_owned(),
            &[],
        )
    }
}
