//! Reading the first sheet of an Excel workbook (.xlsx, also .xls/.xlsb/.ods) through calamine.

use super::ReadError;
use super::table::Record;
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;

/// Records of the first sheet, numbered by sheet row (1-based, as Excel shows them).
pub(crate) fn first_sheet(bytes: &[u8]) -> Result<(String, Vec<Record>), ReadError> {
    let mut workbook =
        open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| ReadError::Workbook {
            detail: e.to_string(),
        })?;
    let name = workbook
        .sheet_names()
        .into_iter()
        .next()
        .unwrap_or_default();
    let range = match workbook.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(e)) => {
            return Err(ReadError::Workbook {
                detail: e.to_string(),
            });
        }
        None => return Err(ReadError::Empty),
    };
    let Some((first_row, _)) = range.start() else {
        return Ok((name, Vec::new()));
    };
    let records = range
        .rows()
        .enumerate()
        .map(|(i, row)| Record {
            line: first_row as usize + i + 1,
            fields: row.iter().map(cell_text).collect(),
        })
        .collect();
    Ok((name, records))
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}
