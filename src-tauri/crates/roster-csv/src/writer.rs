//! Streaming CSV writer: RFC 4180, Excel-friendly, atomic and resumable.
//!
//! Format: fields are quoted only when they contain the delimiter, `"`, CR or LF; a `"` inside a
//! quoted field is doubled; records end with CRLF (RFC 4180 §2.1, and what Excel writes). The
//! file starts with a UTF-8 byte-order mark unless [`WriterOptions::bom`] is false: without it
//! Excel opens UTF-8 as the ANSI code page and mangles non-ASCII names.
//!
//! Atomicity: rows go to `NAME.part`; [`CsvWriter::finish`] flushes, fsyncs and renames it to
//! `NAME`, so a file under its final name is always complete.
//!
//! Resuming: [`CsvWriter::checkpoint`] flushes and fsyncs and returns the byte length reached;
//! [`CsvWriter::resume`] reopens the `.part` file, cuts it back to that length (dropping rows
//! written after the checkpoint, which the caller will produce again) and appends from there.
//! A download resumed from a checkpoint therefore ends byte-identical to an uninterrupted one.

use crate::guard::{FormulaGuard, guard_cell};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The field separator of a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Delimiter {
    /// `,` (default).
    #[default]
    Comma,
    /// `;` (what Excel expects in locales whose decimal separator is `,`).
    Semicolon,
    /// Tab.
    Tab,
}

impl Delimiter {
    /// The separator byte.
    pub fn byte(self) -> u8 {
        match self {
            Self::Comma => b',',
            Self::Semicolon => b';',
            Self::Tab => b'\t',
        }
    }
}

/// How a CSV file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriterOptions {
    /// Start the file with a UTF-8 BOM (default true, for Excel).
    pub bom: bool,
    /// Field separator (default `,`).
    pub delimiter: Delimiter,
    /// Spreadsheet formula-injection guard (default [`FormulaGuard::Standard`]).
    pub formula_guard: FormulaGuard,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            bom: true,
            delimiter: Delimiter::Comma,
            formula_guard: FormulaGuard::Standard,
        }
    }
}

impl From<roster_core::job::CsvDelimiter> for Delimiter {
    fn from(d: roster_core::job::CsvDelimiter) -> Self {
        use roster_core::job::CsvDelimiter as D;
        match d {
            D::Comma => Self::Comma,
            D::Semicolon => Self::Semicolon,
            D::Tab => Self::Tab,
        }
    }
}

impl From<&roster_core::job::CsvOutput> for WriterOptions {
    /// The writer options a download job's output settings ask for.
    fn from(o: &roster_core::job::CsvOutput) -> Self {
        Self {
            bom: o.bom,
            delimiter: o.delimiter.into(),
            formula_guard: o.formula_guard.into(),
        }
    }
}

/// A point the writer can be resumed from: everything before `bytes_written` is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WriteCheckpoint {
    /// Length of the `.part` file at the checkpoint, BOM included.
    pub bytes_written: u64,
    /// Records (header included) written before the checkpoint.
    pub records_written: u64,
    /// CRC-32 of the `.part` file's first `bytes_written` bytes: a resume checks the file still
    /// holds what was written (absent in checkpoints of older versions: only the length is
    /// checked then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crc32: Option<u32>,
}

/// What went wrong while writing a CSV file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file operation failed.
    #[error("could not {action} {}: {source}; check the folder exists, is writable and the disk is not full", path.display())]
    Io {
        /// What was being done, e.g. "write to".
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The `.part` file to resume does not hold what was written up to the checkpoint: something
    /// else changed it.
    #[error("cannot resume {}: its first {expected} bytes are not the ones written; the partial file was changed, start the download again", path.display())]
    PartChanged {
        /// The `.part` file.
        path: PathBuf,
        /// The checkpointed length.
        expected: u64,
    },
    /// Another job (or program) already has a partial file of this name.
    #[error("cannot start {}: the partial file already exists and belongs to another run; wait for it to end, or choose another file name", path.display())]
    PartTaken {
        /// The `.part` file.
        path: PathBuf,
    },
    /// The finished file could not replace an existing file of its name because another program
    /// (Excel, on Windows) has that file open; the `.part` file holds the complete download.
    #[error("{} is open in another program (Excel?): close it there and resume the job, or open the complete download in {}; the system said: {source}", path.display(), part.display())]
    TargetInUse {
        /// The file that is open elsewhere.
        path: PathBuf,
        /// The complete `.part` file.
        part: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The `.part` file to resume is shorter than the checkpoint: it was changed or replaced.
    #[error("cannot resume {}: it holds {actual} bytes but the checkpoint says {expected}; the partial file was changed, start the download again", path.display())]
    PartTooShort {
        /// The `.part` file.
        path: PathBuf,
        /// Its length now.
        actual: u64,
        /// The checkpointed length.
        expected: u64,
    },
}

/// Writes one CSV file through `NAME.part`, see the [module docs](self).
#[derive(Debug)]
pub struct CsvWriter {
    out: BufWriter<File>,
    part: PathBuf,
    dest: PathBuf,
    options: WriterOptions,
    /// CRC-32 of every byte written, for checkpoints.
    crc: crc32fast::Hasher,
    bytes_written: u64,
    records_written: u64,
    record: Vec<u8>,
}

/// The `.part` path of job `job`'s download to `dest` (`users.csv` → `users.csv.1a2b3c4d.part`):
/// one per job, so two jobs writing to the same file never share a partial file.
pub fn job_part_path(dest: &Path, job: &str) -> PathBuf {
    let short: String = job
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let mut name = dest.as_os_str().to_owned();
    name.push(format!(".{short}.part"));
    PathBuf::from(name)
}

/// The partial file of slice `slice` of job `job`'s download to `dest` (`users.csv` →
/// `users.csv.1a2b3c4d.s3.part`): a download read in parallel slices writes each slice to its own
/// file and joins them, in order, into the job's partial file at the end.
pub fn job_slice_path(dest: &Path, job: &str, slice: usize) -> PathBuf {
    let part = job_part_path(dest, job);
    let stem = part.as_os_str().to_string_lossy();
    let stem = stem.strip_suffix(".part").unwrap_or(&stem);
    PathBuf::from(format!("{stem}.s{slice}.part"))
}

/// The slices' partial files of job `job`'s download to `dest` that exist now (see
/// [`job_slice_path`]), for deleting the job with its files.
pub fn job_slice_files(dest: &Path, job: &str) -> Vec<PathBuf> {
    let part = job_part_path(dest, job);
    let stem = part.as_os_str().to_string_lossy();
    let prefix = format!("{}.s", stem.strip_suffix(".part").unwrap_or(&stem));
    partial_files(dest)
        .into_iter()
        .filter(|p| p.to_string_lossy().starts_with(&prefix))
        .collect()
}

/// The partial files of `dest` that exist now: `dest.part`, every job's `dest.<job>.part` and
/// the slices' `dest.<job>.s<N>.part`.
pub fn partial_files(dest: &Path) -> Vec<PathBuf> {
    let Some(name) = dest.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let folder = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| {
            f.strip_prefix(name.as_str())
                .and_then(|rest| rest.strip_suffix(".part"))
                .is_some_and(|middle| {
                    middle.is_empty()
                        || middle.strip_prefix('.').is_some_and(|rest| {
                            let (job, slice) = rest.split_once(".s").unwrap_or((rest, "0"));
                            !job.is_empty()
                                && job.chars().all(|c| c.is_ascii_alphanumeric())
                                && !slice.is_empty()
                                && slice.chars().all(|c| c.is_ascii_digit())
                        })
                })
        })
        .map(|f| dest.with_file_name(f))
        .collect();
    found.sort();
    found
}

/// The `.part` path used while `dest` is being written (`users.csv` → `users.csv.part`).
pub fn part_path(dest: &Path) -> PathBuf {
    let mut name = dest.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

impl CsvWriter {
    /// Starts a new file: creates (or truncates) `dest.part` and writes the BOM if asked.
    pub fn create(dest: impl Into<PathBuf>, options: WriterOptions) -> Result<Self, WriteError> {
        let dest = dest.into();
        let part = part_path(&dest);
        let file = File::create(&part).map_err(io_err("create", &part))?;
        let mut writer = Self::new(file, part, dest, options, WriteCheckpoint::default());
        if options.bom {
            writer.write_bytes(UTF8_BOM)?;
        }
        Ok(writer)
    }

    /// Starts a new file through the partial file `part`, which must not exist: created
    /// exclusively, so a partial file another run is writing is never taken over or truncated.
    pub fn create_new(
        dest: impl Into<PathBuf>,
        part: impl Into<PathBuf>,
        options: WriterOptions,
    ) -> Result<Self, WriteError> {
        let (dest, part) = (dest.into(), part.into());
        let file = match OpenOptions::new().write(true).create_new(true).open(&part) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return Err(WriteError::PartTaken { path: part });
            }
            Err(e) => return Err(io_err("create", &part)(e)),
        };
        let mut writer = Self::new(file, part, dest, options, WriteCheckpoint::default());
        if options.bom {
            writer.write_bytes(UTF8_BOM)?;
        }
        Ok(writer)
    }

    /// Reopens `dest.part` after an interruption, cuts it back to `checkpoint.bytes_written` and
    /// continues from there. The options must be the ones the file was started with.
    pub fn resume(
        dest: impl Into<PathBuf>,
        options: WriterOptions,
        checkpoint: WriteCheckpoint,
    ) -> Result<Self, WriteError> {
        let dest = dest.into();
        let part = part_path(&dest);
        Self::resume_part(dest, part, options, checkpoint)
    }

    /// Reopens the partial file `part` after an interruption, checks that it still holds the
    /// bytes written up to `checkpoint` (length and CRC-32), cuts it back to there and continues.
    pub fn resume_part(
        dest: impl Into<PathBuf>,
        part: impl Into<PathBuf>,
        options: WriterOptions,
        checkpoint: WriteCheckpoint,
    ) -> Result<Self, WriteError> {
        let (dest, part) = (dest.into(), part.into());
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(&part)
            .map_err(io_err("reopen", &part))?;
        let actual = file.metadata().map_err(io_err("inspect", &part))?.len();
        if actual < checkpoint.bytes_written {
            return Err(WriteError::PartTooShort {
                path: part,
                actual,
                expected: checkpoint.bytes_written,
            });
        }
        let crc = prefix_crc(&mut file, checkpoint.bytes_written).map_err(io_err("read", &part))?;
        if checkpoint
            .crc32
            .is_some_and(|expected| expected != crc.clone().finalize())
        {
            return Err(WriteError::PartChanged {
                path: part,
                expected: checkpoint.bytes_written,
            });
        }
        file.set_len(checkpoint.bytes_written)
            .map_err(io_err("truncate", &part))?;
        file.seek(SeekFrom::Start(checkpoint.bytes_written))
            .map_err(io_err("seek in", &part))?;
        let mut writer = Self::new(file, part, dest, options, checkpoint);
        writer.crc = crc;
        Ok(writer)
    }

    fn new(
        file: File,
        part: PathBuf,
        dest: PathBuf,
        options: WriterOptions,
        at: WriteCheckpoint,
    ) -> Self {
        Self {
            out: BufWriter::with_capacity(64 * 1024, file),
            part,
            dest,
            options,
            crc: crc32fast::Hasher::new(),
            bytes_written: at.bytes_written,
            records_written: at.records_written,
            record: Vec::with_capacity(1024),
        }
    }

    /// Writes one record (the header row is a record too). Cells are guarded and quoted per the
    /// writer's options.
    pub fn write_record<I, S>(&mut self, cells: I) -> Result<(), WriteError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        encode_record(&mut record, cells, self.options);
        let result = self.write_bytes(&record);
        self.record = record;
        result?;
        self.records_written += 1;
        Ok(())
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.out
            .write_all(bytes)
            .map_err(io_err("write to", &self.part))?;
        self.crc.update(bytes);
        self.bytes_written += bytes.len() as u64;
        Ok(())
    }

    /// Appends the `records` records another writer wrote to `part` (same options, no BOM): a
    /// slice of a download joined into the whole file. The bytes are copied as they are.
    pub fn append_part(&mut self, part: &Path, records: u64) -> Result<(), WriteError> {
        use std::io::Read;
        let mut file = File::open(part).map_err(io_err("open", part))?;
        let mut buffer = vec![0u8; 256 * 1024];
        loop {
            let n = file.read(&mut buffer).map_err(io_err("read", part))?;
            if n == 0 {
                break;
            }
            self.write_bytes(&buffer[..n])?;
        }
        self.records_written += records;
        Ok(())
    }

    /// Flushes and fsyncs, then returns the checkpoint to store for [`CsvWriter::resume`].
    pub fn checkpoint(&mut self) -> Result<WriteCheckpoint, WriteError> {
        self.out.flush().map_err(io_err("flush", &self.part))?;
        self.out
            .get_ref()
            .sync_data()
            .map_err(io_err("sync", &self.part))?;
        Ok(WriteCheckpoint {
            bytes_written: self.bytes_written,
            records_written: self.records_written,
            crc32: Some(self.crc.clone().finalize()),
        })
    }

    /// Bytes written so far (BOM included), flushed or not.
    pub fn bytes_written(&self) -> u64 {
        self.bytes_written
    }

    /// Records written so far (header included).
    pub fn records_written(&self) -> u64 {
        self.records_written
    }

    /// The `.part` file being written.
    pub fn part(&self) -> &Path {
        &self.part
    }

    /// Completes the file: flush, fsync, rename `NAME.part` → `NAME` (replacing an existing
    /// `NAME`). Returns the final path.
    pub fn finish(mut self) -> Result<PathBuf, WriteError> {
        self.checkpoint()?;
        drop(self.out);
        crate::replace::replace(&self.part, &self.dest)?;
        if let Some(dir) = self.dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Persist the rename itself; not possible on every platform, so best effort.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(self.dest)
    }
}

/// The CRC-32 state of the first `len` bytes of `file` (read from its start).
fn prefix_crc(file: &mut File, len: u64) -> std::io::Result<crc32fast::Hasher> {
    use std::io::Read;
    file.seek(SeekFrom::Start(0))?;
    let mut crc = crc32fast::Hasher::new();
    let mut left = len;
    let mut buffer = vec![0u8; 256 * 1024];
    while left > 0 {
        let want = buffer
            .len()
            .min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = file.read(&mut buffer[..want])?;
        if n == 0 {
            break;
        }
        crc.update(&buffer[..n]);
        left -= n as u64;
    }
    Ok(crc)
}

/// Deletes the `.part` file of an abandoned download of `dest` (a cancelled job that is thrown
/// away). A missing `.part` file is not an error.
pub fn discard_part(dest: &Path) -> Result<(), WriteError> {
    let part = part_path(dest);
    match std::fs::remove_file(&part) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(WriteError::Io {
            action: "delete",
            path: part,
            source: e,
        }),
        _ => Ok(()),
    }
}

fn io_err<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(std::io::Error) -> WriteError + 'p {
    move |source| WriteError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}

/// Appends one encoded record (guarded, quoted, CRLF-terminated) to `out`.
pub fn encode_record<I, S>(out: &mut Vec<u8>, cells: I, options: WriterOptions)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let delimiter = options.delimiter.byte();
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let cell: Cow<'_, str> = guard_cell(cell.as_ref(), options.formula_guard);
        encode_field(out, &cell, delimiter);
    }
    out.extend_from_slice(b"\r\n");
}

fn encode_field(out: &mut Vec<u8>, field: &str, delimiter: u8) {
    let needs_quotes = field
        .bytes()
        .any(|b| b == delimiter || b == b'"' || b == b'\r' || b == b'\n');
    if !needs_quotes {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    for b in field.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(cells: &[&str], options: WriterOptions) -> String {
        let mut out = Vec::new();
        encode_record(&mut out, cells, options);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quotes_only_when_needed() {
        let o = WriterOptions::default();
        assert_eq!(encoded(&["a", "b c", ""], o), "a,b c,\r\n");
        assert_eq!(
            encoded(&["a,b", "say \"hi\"", "l1\nl2"], o),
            "\"a,b\",\"say \"\"hi\"\"\",\"l1\nl2\"\r\n"
        );
        let semi = WriterOptions {
            delimiter: Delimiter::Semicolon,
            ..o
        };
        assert_eq!(encoded(&["a,b", "c;d"], semi), "a,b;\"c;d\"\r\n");
        let tab = WriterOptions {
            delimiter: Delimiter::Tab,
            ..o
        };
        assert_eq!(encoded(&["a b", "c\td"], tab), "a b\t\"c\td\"\r\n");
    }

    #[test]
    fn job_output_settings_map_to_writer_options() {
        use roster_core::job::{CsvDelimiter, CsvFormulaGuard, CsvOutput};
        assert_eq!(
            WriterOptions::from(&CsvOutput::new("u.csv")),
            WriterOptions::default()
        );
        let custom = CsvOutput {
            bom: false,
            delimiter: CsvDelimiter::Tab,
            formula_guard: CsvFormulaGuard::Off,
            ..CsvOutput::new("u.csv")
        };
        assert_eq!(
            WriterOptions::from(&custom),
            WriterOptions {
                bom: false,
                delimiter: Delimiter::Tab,
                formula_guard: FormulaGuard::Off
            }
        );
    }

    #[test]
    fn part_path_appends_suffix() {
        assert_eq!(
            part_path(Path::new("/x/users.csv")),
            PathBuf::from("/x/users.csv.part")
        );
    }
}
