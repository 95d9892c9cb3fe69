//! Roster CSV/XLSX streaming read and write.
//!
//! - [`writer`]: RFC 4180 CSV written through `NAME.part`, with a BOM for Excel, a formula
//!   guard and byte checkpoints to resume an interrupted download.
//! - [`guard`]: the spreadsheet formula-injection guard used by the writer.
//! - [`reader`]: bulk member input files (CSV in any common encoding, or a workbook) into
//!   classified rows.

pub mod guard;
pub mod reader;
mod replace;
pub mod writer;

pub use guard::{FormulaGuard, guard_cell};
pub use reader::{
    FileFormat, IdentifierColumn, InputKind, InputRow, MemberFile, ReadError, RowCounts,
    decode_text, parse_member_file, read_member_file,
};
pub use replace::replace;
pub use writer::{
    CsvWriter, Delimiter, WriteCheckpoint, WriteError, WriterOptions, discard_part, encode_record,
    job_part_path, job_slice_files, job_slice_path, part_path, partial_files,
};
