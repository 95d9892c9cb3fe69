//! Why a member file could not be read, in words that say what to do.

use super::limits::{Count, MAX_CELLS, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Megabytes};
use std::path::PathBuf;

/// Why a member file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("could not read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The path is a folder, FIFO, device or socket.
    #[error(
        "{} is {what}, not a file: choose the CSV or .xlsx file that lists the members",
        path.display()
    )]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is instead ("a folder", "a named pipe (FIFO)", ...).
        what: &'static str,
    },
    /// Larger than [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES).
    #[error(
        "the file is {}; Roster reads member files up to {} MB: split it into smaller files (the admin center takes 40,000 rows per import) and import them one after the other",
        Megabytes(*bytes),
        MAX_FILE_BYTES / 1_000_000
    )]
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
    },
    /// More than [`MAX_ROWS`](super::MAX_ROWS) rows below the header.
    #[error(
        "the file has more than {} rows below its header (blank rows count too): split it into smaller files, or delete the empty rows at its end",
        Count(MAX_ROWS as u64)
    )]
    TooManyRows,
    /// A row with more than [`MAX_COLUMNS`](super::MAX_COLUMNS) cells.
    #[error(
        "line {line} has more than {} columns: a member file has one member per row; check that this is the right file and that its delimiter is , ; or tab",
        Count(MAX_COLUMNS as u64)
    )]
    TooManyColumns {
        /// The 1-based line where the row starts.
        line: usize,
    },
    /// Nothing in the file.
    #[error(
        "the file is empty: put one member (object ID or user principal name) per row, with or without a header row"
    )]
    Empty,
    /// Only header/template rows.
    #[error(
        "the file has no member rows, only {what}: add one object ID or user principal name per row below it"
    )]
    NoMembers {
        /// What was found, e.g. "the header row".
        what: String,
    },
    /// Not text and not a workbook.
    #[error(
        "the file is neither text (CSV) nor an Excel workbook: save it as \"CSV UTF-8 (comma delimited)\" or as an .xlsx workbook and try again"
    )]
    Binary,
    /// UTF-16 text without a BOM.
    #[error(
        "the file looks like UTF-16 text without a byte-order mark, which cannot be read reliably: save it as \"CSV UTF-8 (comma delimited)\" and try again"
    )]
    Utf16WithoutBom,
    /// Text that is not valid in the encoding its BOM announces.
    #[error(
        "the file says it is {encoding} but is not valid {encoding} text (damaged or cut short?): save it again as \"CSV UTF-8 (comma delimited)\""
    )]
    Encoding {
        /// The announced encoding.
        encoding: &'static str,
    },
    /// A workbook that calamine could not read.
    #[error(
        "the workbook could not be read ({detail}): open it in Excel, check it is not password-protected and save it again as .xlsx or CSV UTF-8"
    )]
    Workbook {
        /// calamine's message.
        detail: String,
    },
    /// A spreadsheet format other than .xlsx, or a password-protected workbook.
    #[error(
        "{format} are not read: open the file in Excel or LibreOffice, remove its password if it has one, and save it as an Excel workbook (.xlsx) or as \"CSV UTF-8 (comma delimited)\""
    )]
    UnsupportedWorkbook {
        /// The formats, e.g. "OpenDocument spreadsheets (.ods)".
        format: &'static str,
    },
    /// A workbook whose zip claims or unpacks to more than the limits allow.
    #[error(
        "the workbook is not read because {reason}: it is damaged or built to exhaust memory; open it in Excel and save the sheet as \"CSV UTF-8 (comma delimited)\", then import that"
    )]
    UnsafeWorkbook {
        /// What is wrong, e.g. "its part xl/sharedStrings.xml unpacks to 300,000,000 bytes".
        reason: String,
    },
    /// A sheet whose cells span more rows or columns than the limits allow.
    #[error(
        "the sheet's cells span {span} ({} rows × {} columns); Roster reads at most {} rows and {} columns: delete the cells outside the member list, or save the sheet as \"CSV UTF-8 (comma delimited)\" and import that",
        Count(*rows),
        Count(*columns),
        Count(MAX_ROWS as u64),
        Count(MAX_COLUMNS as u64)
    )]
    SheetTooLarge {
        /// The range, e.g. `A1:XFD1048576`.
        span: String,
        /// Rows spanned.
        rows: u64,
        /// Columns spanned.
        columns: u64,
    },
    /// A sheet whose rows hold more than [`MAX_CELLS`](super::limits::MAX_CELLS) cells.
    #[error(
        "the sheet holds {} cells (each row counted up to its last filled cell); Roster reads at most {}: delete the cells outside the member list, or save the sheet as \"CSV UTF-8 (comma delimited)\" and import that",
        Count(*cells),
        Count(MAX_CELLS)
    )]
    TooManyCells {
        /// Cells counted.
        cells: u64,
    },
    /// A sheet whose rows are not stored top to bottom (Excel never writes that).
    #[error(
        "the sheet stores row {row} after row {after}, which Excel never does: open the workbook in Excel and save it again, or save the sheet as \"CSV UTF-8 (comma delimited)\""
    )]
    RowsOutOfOrder {
        /// The 1-based row found.
        row: u64,
        /// The 1-based row it came after.
        after: u64,
    },
}
