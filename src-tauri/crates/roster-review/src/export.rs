//! Writing a view (the filtered, sorted rows and the shown columns) to a CSV file with the same
//! options as downloads (BOM, delimiter, formula guard), through a `.part` file renamed when
//! complete, so a failed export never leaves a half-written file under the final name.

use crate::error::ReviewError;
use crate::table::Table;
use roster_csv::{CsvWriter, WriterOptions};
use std::path::Path;

/// Writes `rows` of `table` with `columns` (in that order) to `dest`; returns the rows written.
pub fn export(
    table: &Table,
    rows: &[u32],
    columns: &[usize],
    dest: &Path,
    options: WriterOptions,
) -> Result<u64, ReviewError> {
    let columns: Vec<&crate::table::Column> = columns
        .iter()
        .map(|&c| {
            table.columns.get(c).ok_or_else(|| ReviewError::NoColumn {
                column: c.to_string(),
            })
        })
        .collect::<Result<_, _>>()?;
    write_csv_file(dest, options, |writer| {
        writer.write_record(columns.iter().map(|c| c.name.as_str()))?;
        for &row in rows {
            writer.write_record(columns.iter().map(|c| c.cell(row)))?;
        }
        Ok(rows.len() as u64)
    })
}

/// Writes a CSV file at `dest` with `write` (which returns what it counts: rows or lines) through
/// a `.part` file renamed when complete; a folder is refused, and on failure the part file is
/// removed, so no half-written file is left under either name.
pub(crate) fn write_csv_file(
    dest: &Path,
    options: WriterOptions,
    write: impl FnOnce(&mut CsvWriter) -> Result<u64, roster_csv::WriteError>,
) -> Result<u64, ReviewError> {
    let write_error = |reason: String| ReviewError::Write {
        path: dest.display().to_string(),
        reason,
    };
    if dest.is_dir() {
        return Err(write_error("it is a folder; give a file name".to_owned()));
    }
    let mut writer = CsvWriter::create(dest, options).map_err(|e| write_error(e.to_string()))?;
    match write(&mut writer) {
        Ok(written) => {
            writer.finish().map_err(|e| write_error(e.to_string()))?;
            Ok(written)
        }
        Err(e) => {
            let _ = std::fs::remove_file(writer.part());
            Err(write_error(e.to_string()))
        }
    }
}
