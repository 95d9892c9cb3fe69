//! What a member file may hold, and opening one safely.
//!
//! The limits are generous: the admin center takes 40,000 rows per bulk import, Roster takes 25
//! times that. They exist so that a damaged or hostile file is refused with a message instead of
//! exhausting memory or aborting the process:
//!
//! | limit | value | why |
//! |---|---|---|
//! | [`MAX_FILE_BYTES`] | 50 MB | the file is read into memory (a 1,000,000-row list of UPNs is about 30 MB) |
//! | [`MAX_ROWS`] | 1,000,000 rows below the header, blank rows included | each row is kept for the preview |
//! | [`MAX_COLUMNS`] | 16,384 cells in one row (Excel's own limit) | a row is split into cells before its identifier is picked |
//! | [`MAX_CELLS`] | 50,000,000 cells in a sheet, each row counted up to its last filled cell | a row's empty cells before its last are made too |
//! | [`MAX_PART_BYTES`] | 250 MB unpacked, for one part of a workbook | a workbook is a zip: what it unpacks to is read |
//! | [`MAX_UNPACKED_BYTES`] | 500 MB unpacked, all parts together | the same |
//! | [`MAX_RATIO`] | 100:1 for a part over 1 MB unpacked | sheets compress about 10:1; more is a zip bomb |
//! | [`MAX_PARTS`] | 10,000 parts in a workbook | a workbook has tens |
//! | [`MAX_SHARED_STRINGS`] | 10,000,000 shared strings | calamine reserves room for the count the workbook claims |
//!
//! Only regular files are opened: a folder, a FIFO (named pipe), a device or a socket is refused
//! before it is opened for reading, so that a FIFO cannot block the reader forever.

use super::ReadError;
use std::fmt;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

/// The largest member file read, in bytes (50 MB).
pub const MAX_FILE_BYTES: u64 = 50_000_000;
/// The most rows below the header (data rows, blank and template example rows included).
pub const MAX_ROWS: usize = 1_000_000;
/// The most cells in one row (Excel's limit: columns A to XFD).
pub const MAX_COLUMNS: usize = 16_384;
/// The most cells of a workbook's sheet, each row counted up to its last filled cell (a CSV file
/// is held to this by its size).
pub const MAX_CELLS: u64 = 50_000_000;
/// The largest unpacked size of one part (zip entry) of a workbook, in bytes.
pub const MAX_PART_BYTES: u64 = 250_000_000;
/// The largest unpacked size of all parts of a workbook together, in bytes.
pub const MAX_UNPACKED_BYTES: u64 = 500_000_000;
/// The highest compression ratio (unpacked : packed) of a part larger than [`RATIO_FLOOR_BYTES`].
pub const MAX_RATIO: u64 = 100;
/// Parts up to this unpacked size are not held to [`MAX_RATIO`] (small XML compresses well).
pub const RATIO_FLOOR_BYTES: u64 = 1_000_000;
/// The most parts (zip entries) in a workbook.
pub const MAX_PARTS: usize = 10_000;
/// The most shared strings a workbook may claim (`<sst uniqueCount>`).
pub const MAX_SHARED_STRINGS: u64 = 10_000_000;

/// A count written with thousands separators (`1,048,576`), for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        f.write_str(&out)
    }
}

/// A size in megabytes with one decimal (`60.0 MB`), for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Megabytes(pub u64);

impl fmt::Display for Megabytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = self.0 / 100_000;
        write!(f, "{}.{} MB", Count(tenths / 10), tenths % 10)
    }
}

/// Reads the file at `path` when it is a regular file of at most [`MAX_FILE_BYTES`].
pub(crate) fn read_regular(path: &Path) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    check_regular(path, &std::fs::metadata(path).map_err(io)?)?;
    let file = File::open(path).map_err(io)?;
    // Checked again on the handle, in case the path changed in between.
    let metadata = file.metadata().map_err(io)?;
    check_regular(path, &metadata)?;
    check_size(metadata.len())?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    check_size(bytes.len() as u64)?;
    Ok(bytes)
}

/// Refuses a file of more than [`MAX_FILE_BYTES`].
pub(crate) fn check_size(bytes: u64) -> Result<(), ReadError> {
    if bytes > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { bytes });
    }
    Ok(())
}

fn check_regular(path: &Path, metadata: &Metadata) -> Result<(), ReadError> {
    if metadata.is_file() {
        return Ok(());
    }
    Err(ReadError::NotAFile {
        path: path.to_owned(),
        what: describe(metadata),
    })
}

/// What a path that is not a regular file is, in words.
fn describe(metadata: &Metadata) -> &'static str {
    if metadata.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_as_people_write_them() {
        assert_eq!(Count(0).to_string(), "0");
        assert_eq!(Count(999).to_string(), "999");
        assert_eq!(Count(1_000).to_string(), "1,000");
        assert_eq!(Count(1_048_576).to_string(), "1,048,576");
        assert_eq!(Megabytes(60_000_000).to_string(), "60.0 MB");
        assert_eq!(Megabytes(1_234_567_890).to_string(), "1,234.5 MB");
    }

    #[test]
    fn the_size_limit_is_inclusive() {
        assert!(check_size(MAX_FILE_BYTES).is_ok());
        assert!(matches!(
            check_size(MAX_FILE_BYTES + 1),
            Err(ReadError::TooLarge { .. })
        ));
    }
}
