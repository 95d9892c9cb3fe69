//! Reading the first sheet of an Excel workbook (.xlsx) through calamine, within the limits.
//!
//! calamine's `worksheet_range` allocates the rectangle spanned by the sheet's cells, so two
//! cells at A1 and XFD1048576 ask for 17 billion cells and abort the process (calamine issue
//! 693). Here the sheet is streamed twice with calamine's cell reader: the first pass finds the
//! span of the non-empty cells and refuses one larger than the limits, the second yields one
//! [`Record`] per sheet row of that span (blank rows included) without holding the sheet. The
//! records are what `worksheet_range` gave: numbered by sheet row, fields from the span's first
//! column, except that a row's trailing empty cells are not materialised.
//!
//! Before calamine opens the file, its zip is checked ([`super::archive`]). Excel 97-2003
//! (.xls), .xlsb and .ods workbooks are refused: calamine reserves room for what their headers
//! claim while it opens them (an .xls sheet's dimensions record, an .xlsb's sheet count, an
//! .ods row's repeat counts), before anything could be checked. A compound file is also what a
//! password-protected .xlsx is, which calamine refused already.

use super::ReadError;
use super::archive::{self, ZipLimits};
use super::limits::{MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use super::table::Record;
use calamine::{Cell, Data, DataRef, Reader, Xlsx, XlsxCellReader, XlsxError};
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

type Source<'b> = Cursor<&'b [u8]>;

/// An opened workbook whose zip passed the checks.
pub(crate) struct Workbook<'b> {
    xlsx: Xlsx<Source<'b>>,
}

/// The first sheet's name and the span of its non-empty cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sheet {
    /// The sheet's name.
    pub name: String,
    /// 0-based (first row, first column, last row, last column); `None` for an empty sheet.
    span: Option<(u32, u32, u32, u32)>,
}

impl Sheet {
    /// Columns spanned (the fields a row had in calamine's range).
    pub(crate) fn width(&self) -> usize {
        self.span.map_or(0, |(_, c0, _, c1)| (c1 - c0) as usize + 1)
    }
}

/// The bytes of an Excel 97-2003 workbook (a compound file) start with this.
pub(crate) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

impl<'b> Workbook<'b> {
    /// Checks the zip in `bytes` and opens it as an .xlsx workbook.
    pub(crate) fn open(bytes: &'b [u8]) -> Result<Self, ReadError> {
        if bytes.starts_with(OLE_MAGIC) {
            return Err(ReadError::UnsupportedWorkbook {
                format: "Excel 97-2003 workbooks (.xls) and password-protected workbooks",
            });
        }
        archive::check(bytes, &ZipLimits::DEFAULT)?;
        let xlsx = guarded(|| Xlsx::new(Cursor::new(bytes)))?;
        Ok(Self { xlsx })
    }

    /// The first sheet and the span of its cells, refused when it spans more than the limits.
    pub(crate) fn first_sheet(&mut self) -> Result<Sheet, ReadError> {
        let Some(name) = self.xlsx.sheet_names().into_iter().next() else {
            return Err(ReadError::Empty);
        };
        let Some(mut cells) = self.cells(&name)? else {
            return Ok(Sheet { name, span: None });
        };
        let mut survey = Survey::default();
        while let Some(cell) = next_cell(&mut cells)? {
            if !matches!(cell.get_value(), DataRef::Empty) {
                survey.add(cell.get_position())?;
            }
        }
        Ok(Sheet {
            name,
            span: survey.finish()?,
        })
    }

    /// The sheet's rows as records (see the module docs); `sheet` is what
    /// [`first_sheet`](Self::first_sheet) returned.
    pub(crate) fn rows(
        &mut self,
        sheet: &Sheet,
    ) -> Result<impl Iterator<Item = Result<Record, ReadError>> + '_, ReadError> {
        let cells = match sheet.span {
            Some(_) => self.cells(&sheet.name)?,
            None => None,
        };
        let (first_row, first_column, last_row, _) = sheet.span.unwrap_or_default();
        Ok(Rows {
            cells,
            first_column,
            last_row,
            next_row: first_row,
            building: None,
            ready: None,
        })
    }

    fn cells(&mut self, name: &str) -> Result<Option<XlsxCellReader<'_, Source<'b>>>, ReadError> {
        match guarded(|| Ok(self.xlsx.worksheet_cells_reader(name)))? {
            Ok(cells) => Ok(Some(cells)),
            // A chart sheet first: nothing to read, as calamine's range would say.
            Err(XlsxError::NotAWorksheet(_)) => Ok(None),
            Err(e) => Err(workbook_error(e)),
        }
    }
}

/// The first pass over a sheet's non-empty cells: their span, and how many fields the second
/// pass will make (each row up to its last cell).
#[derive(Default)]
struct Survey {
    /// 0-based (first row, first column, last row, last column).
    span: Option<(u32, u32, u32, u32)>,
    /// The last column of the current row.
    row_end: u32,
    /// Sum over finished rows of their last column + 1.
    ends: u64,
    /// Rows with cells.
    rows: u64,
}

impl Survey {
    fn add(&mut self, (row, column): (u32, u32)) -> Result<(), ReadError> {
        self.span = Some(match self.span {
            None => {
                self.row_end = column;
                (row, column, row, column)
            }
            Some((r0, c0, r1, c1)) => {
                if row < r1 {
                    return Err(ReadError::RowsOutOfOrder {
                        row: u64::from(row) + 1,
                        after: u64::from(r1) + 1,
                    });
                }
                if row > r1 {
                    self.end_row();
                    self.row_end = column;
                } else {
                    self.row_end = self.row_end.max(column);
                }
                (r0, c0.min(column), row, c1.max(column))
            }
        });
        Ok(())
    }

    fn end_row(&mut self) {
        self.ends += u64::from(self.row_end) + 1;
        self.rows += 1;
    }

    /// The span, refused when it or the fields it makes exceed the limits.
    fn finish(mut self) -> Result<Option<(u32, u32, u32, u32)>, ReadError> {
        let Some(span) = self.span else {
            return Ok(None);
        };
        self.end_row();
        check_span(span)?;
        let cells = self.ends - u64::from(span.1) * self.rows;
        if cells > MAX_CELLS {
            return Err(ReadError::TooManyCells { cells });
        }
        Ok(Some(span))
    }
}

/// Refuses a span of more rows than a member file may have (the header and a version line on
/// top of [`MAX_ROWS`]) or more columns than Excel has.
fn check_span((r0, c0, r1, c1): (u32, u32, u32, u32)) -> Result<(), ReadError> {
    let rows = u64::from(r1 - r0) + 1;
    let columns = u64::from(c1 - c0) + 1;
    if rows > MAX_ROWS as u64 + 2 || columns > MAX_COLUMNS as u64 {
        return Err(ReadError::SheetTooLarge {
            span: format!("{}:{}", a1(r0, c0), a1(r1, c1)),
            rows,
            columns,
        });
    }
    Ok(())
}

/// The A1-style name of a 0-based cell position.
fn a1(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        let digit = ((n - 1) % 26) as u8;
        letters.push(char::from(b'A' + digit));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(u64::from(row) + 1).to_string()
}

/// The second pass: one record per row of the span, in order.
struct Rows<'a, 'b> {
    cells: Option<XlsxCellReader<'a, Source<'b>>>,
    first_column: u32,
    last_row: u32,
    /// The next sheet row (0-based) to yield.
    next_row: u32,
    /// The row whose cells are being read.
    building: Option<(u32, Vec<String>)>,
    /// A complete row waiting for the blank rows before it to be yielded.
    ready: Option<(u32, Vec<String>)>,
}

impl Iterator for Rows<'_, '_> {
    type Item = Result<Record, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some((row, _)) = &self.ready {
                let row = *row;
                let fields = if self.next_row < row {
                    Vec::new()
                } else {
                    self.ready
                        .take()
                        .map(|(_, fields)| fields)
                        .unwrap_or_default()
                };
                let line = self.next_row as usize + 1;
                self.next_row = self.next_row.saturating_add(1);
                return Some(Ok(Record { line, fields }));
            }
            let cells = self.cells.as_mut()?;
            let cell = match next_cell(cells) {
                Err(e) => {
                    self.cells = None;
                    return Some(Err(e));
                }
                Ok(None) => {
                    self.cells = None;
                    self.ready = self.building.take();
                    continue;
                }
                Ok(Some(cell)) => cell,
            };
            if matches!(cell.get_value(), DataRef::Empty) {
                continue;
            }
            let (row, column) = cell.get_position();
            if row > self.last_row || column < self.first_column {
                continue;
            }
            match &self.building {
                Some((r, _)) if *r > row => {
                    self.cells = None;
                    return Some(Err(ReadError::RowsOutOfOrder {
                        row: u64::from(row) + 1,
                        after: u64::from(*r) + 1,
                    }));
                }
                Some((r, _)) if *r < row => self.ready = self.building.take(),
                _ => {}
            }
            let (_, fields) = self.building.get_or_insert_with(|| (row, Vec::new()));
            let index = (column - self.first_column) as usize;
            if fields.len() <= index {
                fields.resize(index + 1, String::new());
            }
            fields[index] = cell_text(&Data::from(cell.get_value().clone()));
        }
    }
}

/// The next cell of the sheet, through [`guarded`].
fn next_cell<'a>(
    cells: &mut XlsxCellReader<'a, Source<'_>>,
) -> Result<Option<Cell<DataRef<'a>>>, ReadError> {
    guarded(|| cells.next_cell())
}

/// Runs a call into calamine, turning a panic inside it into a [`ReadError::Workbook`]: calamine
/// panics on some malformed sheets (in builds with overflow checks, a cell reference of many
/// letters overflows its column arithmetic), and a hostile file must not end the process. The
/// reader that panicked is not used again.
fn guarded<T>(call: impl FnOnce() -> Result<T, XlsxError>) -> Result<T, ReadError> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result.map_err(workbook_error),
        Err(_) => Err(ReadError::Workbook {
            detail: "its sheet XML is malformed".to_owned(),
        }),
    }
}

fn workbook_error(e: XlsxError) -> ReadError {
    ReadError::Workbook {
        detail: e.to_string(),
    }
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names_cells_as_excel_does() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(9, 25), "Z10");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(u32::MAX, u32::MAX), "MWLQKWV4294967296");
    }

    #[test]
    fn the_survey_counts_each_row_up_to_its_last_cell() {
        let mut survey = Survey::default();
        for cell in [(1, 2), (1, 5), (1, 3), (4, 2), (6, 9)] {
            survey.add(cell).unwrap();
        }
        assert_eq!(survey.finish().unwrap(), Some((1, 2, 6, 9)));
        let mut survey = Survey::default();
        survey.add((3, 0)).unwrap();
        assert!(matches!(
            survey.add((2, 0)),
            Err(ReadError::RowsOutOfOrder { row: 3, after: 4 })
        ));
        let mut wide = Survey::default();
        wide.add((0, 0)).unwrap();
        for row in 1..=(MAX_CELLS / 16_384 + 1) as u32 {
            wide.add((row, 16_383)).unwrap();
        }
        let e = wide.finish().unwrap_err();
        assert!(e.to_string().contains("50,003,969 cells"), "{e}");
    }

    #[test]
    fn spans_are_held_to_the_row_and_column_limits() {
        assert!(check_span((0, 0, MAX_ROWS as u32 + 1, 16_383)).is_ok());
        let e = check_span((0, 0, 1_048_575, 16_383)).unwrap_err();
        assert!(
            e.to_string()
                .contains("A1:XFD1048576 (1,048,576 rows × 16,384 columns)"),
            "{e}"
        );
        assert!(check_span((0, 0, 0, 16_384)).is_err());
    }
}
