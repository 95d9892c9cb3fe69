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
    let write_error = |e: roster_csv::WriteError| ReviewError::Write {
        path: dest.display().to_string(),
        reason: e.to_string(),
    };
    if dest.is_dir() {
        return Err(ReviewError::Write {
            path: dest.display().to_string(),
            reason: "it is a folder; give a file name".to_owned(),
        });
    }
    let columns: Vec<&crate::table::Column> = columns
        .iter()
        .map(|&c| {
            table.columns.get(c).ok_or_else(|| ReviewError::NoColumn {
                column: c.to_string(),
            })
        })
        .collect::<Result<_, _>>()?;
    let mut writer = CsvWriter::create(dest, options).map_err(write_error)?;
    let outcome = (|| {
        writer.write_record(columns.iter().map(|c| c.name.as_str()))?;
        for &row in rows {
            writer.write_record(columns.iter().map(|c| c.cell(row)))?;
        }
        Ok::<_, roster_csv::WriteError>(())
    })();
    if let Err(e) = outcome {
        let _ = std::fs::remove_file(writer.part());
        return Err(write_error(e));
    }
    writer.finish().map_err(write_error)?;
    Ok(rows.len() as u64)
}
