//! A CSV file read into a columnar index: per column a [`Dictionary`] of distinct values and one
//! `u32` code per row. Sorting, filtering, statistics, comparison and rule evaluation all work on
//! codes; the file itself is not kept in memory.

use crate::build::Pending;
use crate::dictionary::Dictionary;
use crate::error::ReviewError;
use crate::kind::{self, FileKind};
use crate::source::{self, Detected};
use roster_core::text::Text;
use roster_csv::reader::TextEncoding;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The most rows a table holds (codes and row numbers are `u32`).
pub const MAX_ROWS: u64 = u32::MAX as u64 - 1;

/// One column: its name, distinct values and one code per row.
pub struct Column {
    /// The header as written.
    pub name: String,
    /// The distinct values.
    pub dictionary: Dictionary,
    /// One code per row.
    pub codes: Vec<u32>,
    /// Each code's position in sort order, computed on first sort.
    ranks: OnceLock<Vec<u32>>,
    /// For a table read only for its figures ([`Table::open_counted`]): rows per code, and
    /// `codes` empty.
    pub(crate) counts: Option<Vec<u32>>,
}

impl Column {
    /// A column named `name` of `codes` into `dictionary`.
    pub(crate) fn new(name: String, dictionary: Dictionary, codes: Vec<u32>) -> Self {
        Self {
            name,
            dictionary,
            codes,
            ranks: OnceLock::new(),
            counts: None,
        }
    }

    /// The cell of `row`.
    pub fn cell(&self, row: u32) -> &str {
        self.dictionary.get(self.codes[row as usize])
    }

    /// Each code's position in the column's sort order ([`crate::view::compare_cells`]),
    /// computed once.
    pub fn ranks(&self) -> &[u32] {
        self.ranks
            .get_or_init(|| crate::view::rank_codes(&self.dictionary))
    }

    /// Reserves room for `scale` times what the column holds now (its share of the first batch
    /// scaled to the whole file), so that it does not grow by copying.
    pub(crate) fn reserve_scaled(&mut self, scale: f64) {
        let more = |now: usize| ((now as f64) * (scale - 1.0) * 1.02).max(0.0) as usize;
        self.codes.reserve(more(self.codes.len()));
        self.dictionary.reserve_scaled(scale);
    }

    /// How many rows have a value.
    pub fn filled(&self) -> usize {
        self.codes.iter().filter(|&&c| c != 0).count()
    }
}

/// An indexed CSV file.
pub struct Table {
    /// Where it was read from.
    pub path: PathBuf,
    /// Encoding, delimiter and skipped preamble.
    pub detected: Detected,
    /// What the header says the file holds.
    pub kind: FileKind,
    /// The columns read, in file order.
    pub columns: Vec<Column>,
    /// Things to tell the reader (short or long rows).
    pub notices: Vec<Text>,
    rows: u32,
}

/// How columns are indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    /// Distinct values interned: counts, value lists, fast filters and sorts (exploring, stats).
    Interned,
    /// Every cell stored as it is, at the speed of copying: for reading cells only (comparing
    /// snapshots, evaluating rules).
    Raw,
}

/// Which columns to index.
pub enum Columns<'a> {
    /// Every column.
    All,
    /// Only those whose header passes the test (rule evaluation and comparison need few).
    Only(&'a dyn Fn(&str) -> bool),
}

impl Table {
    /// Reads and indexes every column of the file at `path`, interned.
    pub fn open(path: &Path) -> Result<Self, ReviewError> {
        Self::open_with(path, &Columns::All, Index::Interned)
    }

    /// Reads the file at `path`, indexing the columns `which` selects as `index` says.
    pub fn open_with(path: &Path, which: &Columns<'_>, index: Index) -> Result<Self, ReviewError> {
        Self::read_as(path, which, index, false)
    }

    /// Reads every column for its figures only: each column counts its rows per distinct value
    /// instead of keeping a code per row (a quarter less memory, no counting pass afterwards).
    /// Its cells cannot be read: only [`crate::stats`] uses such a table.
    pub(crate) fn open_counted(path: &Path) -> Result<Self, ReviewError> {
        Self::read_as(path, &Columns::All, Index::Interned, true)
    }

    fn read_as(
        path: &Path,
        which: &Columns<'_>,
        index: Index,
        counted: bool,
    ) -> Result<Self, ReviewError> {
        let detected = source::detect(path)?;
        match read(path, detected, which, index, counted) {
            Err(ReadFailure::NotUtf8) => {
                let detected = source::detect_as(path, TextEncoding::Windows1252)?;
                read(path, detected, which, index, counted).map_err(ReadFailure::into_error)
            }
            other => other.map_err(ReadFailure::into_error),
        }
    }

    /// Rows (the header not counted).
    pub fn rows(&self) -> usize {
        self.rows as usize
    }

    /// The column headers, in order.
    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The position of the column named `name`: exact first, then ignoring case.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .or_else(|| {
                self.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(name))
            })
    }

    /// The position of `name`, or an error naming it.
    pub fn require_column(&self, name: &str) -> Result<usize, ReviewError> {
        self.column_index(name)
            .ok_or_else(|| ReviewError::NoColumn {
                column: name.to_owned(),
            })
    }

    /// The cell at `row`, `column`.
    pub fn cell(&self, row: u32, column: usize) -> &str {
        self.columns[column].cell(row)
    }

    /// Bytes the index holds (for memory figures).
    pub fn heap_bytes(&self) -> usize {
        self.columns
            .iter()
            .map(|c| c.dictionary.heap_bytes() + c.codes.capacity() * 4)
            .sum()
    }
}

/// The first rows of a file, read in milliseconds, to show while the whole file is indexed.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Peek {
    /// Encoding, delimiter and preamble.
    pub detected: Detected,
    /// The header.
    pub headers: Vec<String>,
    /// What the header says the file holds.
    pub kind: FileKind,
    /// Up to the rows asked for, each as wide as the header.
    pub rows: Vec<Vec<String>>,
}

/// Reads the header and the first `rows` rows of `path`.
pub fn peek(path: &Path, rows: usize) -> Result<Peek, ReviewError> {
    let detected = source::detect(path)?;
    match peek_as(path, detected, rows) {
        Err(ReadFailure::NotUtf8) => {
            let detected = source::detect_as(path, TextEncoding::Windows1252)?;
            peek_as(path, detected, rows).map_err(ReadFailure::into_error)
        }
        other => other.map_err(ReadFailure::into_error),
    }
}

fn peek_as(path: &Path, detected: Detected, limit: usize) -> Result<Peek, ReadFailure> {
    let mut reader = csv_reader(path, &detected)?;
    let mut record = csv::StringRecord::new();
    if !next_record(&mut reader, &mut record)? {
        return Err(ReviewError::Empty.into());
    }
    let headers = header_names(&record)?;
    let mut rows = Vec::new();
    while rows.len() < limit && next_record(&mut reader, &mut record)? {
        let row = (0..headers.len())
            .map(|i| Ok::<_, ReadFailure>(record.get(i).unwrap_or_default().to_owned()))
            .collect::<Result<Vec<_>, _>>()?;
        rows.push(row);
    }
    Ok(Peek {
        kind: kind::detect(&headers),
        detected,
        headers,
        rows,
    })
}

fn csv_reader(
    path: &Path,
    detected: &Detected,
) -> Result<csv::Reader<source::TextStream>, ReviewError> {
    let stream = source::open_stream(path, detected)?;
    Ok(csv::ReaderBuilder::new()
        .delimiter(u8::try_from(detected.delimiter).unwrap_or(b','))
        .has_headers(false)
        .flexible(true)
        .from_reader(stream))
}

/// Why reading stopped.
pub(crate) enum ReadFailure {
    /// A field was not UTF-8 in a file taken for UTF-8: read it again as Windows-1252.
    NotUtf8,
    /// The second indexing thread panicked.
    Crashed,
    /// Anything else.
    Error(ReviewError),
}

impl ReadFailure {
    fn into_error(self) -> ReviewError {
        match self {
            Self::NotUtf8 => ReviewError::Binary,
            Self::Crashed => ReviewError::Io(std::io::Error::other("the indexing thread stopped")),
            Self::Error(e) => e,
        }
    }
}

impl From<ReviewError> for ReadFailure {
    fn from(e: ReviewError) -> Self {
        Self::Error(e)
    }
}

/// Rows whose field count differs from the header's, for the notices.
#[derive(Default)]
struct Ragged {
    short: (u64, Vec<u64>),
    long: (u64, Vec<u64>),
}

impl Ragged {
    fn note(slot: &mut (u64, Vec<u64>), line: u64) {
        slot.0 += 1;
        if slot.1.len() < 5 {
            slot.1.push(line);
        }
    }

    fn notices(&self) -> Vec<Text> {
        let lines = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
        let mut out = Vec::new();
        if self.short.0 > 0 {
            out.push(
                Text::new(
                    "review.notice.shortRows",
                    format!(
                        "{} rows have fewer cells than the header (lines {}{}): the missing cells are empty; the file may be cut short or edited",
                        self.short.0,
                        lines(&self.short.1),
                        if self.short.0 > 5 { ", ..." } else { "" }
                    ),
                )
                .with("count", self.short.0)
                .with("lines", lines(&self.short.1)),
            );
        }
        if self.long.0 > 0 {
            out.push(
                Text::new(
                    "review.notice.longRows",
                    format!(
                        "{} rows have more cells than the header (lines {}{}): the extra cells are not shown; check the delimiter and the quotes",
                        self.long.0,
                        lines(&self.long.1),
                        if self.long.0 > 5 { ", ..." } else { "" }
                    ),
                )
                .with("count", self.long.0)
                .with("lines", lines(&self.long.1)),
            );
        }
        out
    }
}

fn read(
    path: &Path,
    detected: Detected,
    which: &Columns<'_>,
    index: Index,
    counted: bool,
) -> Result<Table, ReadFailure> {
    let file_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    let mut reader = csv_reader(path, &detected)?;
    let mut record = csv::ByteRecord::new();
    if !next_cells(&mut reader, &mut record)? {
        return Err(ReviewError::Empty.into());
    }
    let header_line = record.position().map_or(1, csv::Position::line);
    let header = csv::StringRecord::from_byte_record(record).map_err(|_| ReadFailure::NotUtf8)?;
    let headers = header_names(&header)?;
    let pending: Vec<Pending> = (0..headers.len())
        .filter(|&i| match which {
            Columns::All => true,
            Columns::Only(test) => test(&headers[i]),
        })
        .map(|field| {
            let mut column = Column::new(
                headers[field].clone(),
                match index {
                    Index::Interned => Dictionary::new(),
                    Index::Raw => Dictionary::raw(),
                },
                Vec::new(),
            );
            if counted {
                column.counts = Some(vec![0]);
            }
            Pending { field, column }
        })
        .collect();
    let mut ragged = Ragged::default();
    let mut rows: u64 = 0;
    let width = headers.len();
    // Cells are read as bytes: the columns check each new value, not every cell (see
    // `Dictionary::intern_cell`).
    let next_batch = |batch: &mut Vec<csv::ByteRecord>| {
        batch.resize_with(crate::build::BATCH, csv::ByteRecord::new);
        let mut read = 0;
        while read < crate::build::BATCH && next_cells(&mut reader, &mut batch[read])? {
            let record = &batch[read];
            read += 1;
            rows += 1;
            if rows > MAX_ROWS {
                return Err(ReviewError::TooLarge {
                    reason: format!("more than {MAX_ROWS} rows"),
                }
                .into());
            }
            let line = record
                .position()
                .map_or(header_line + rows, csv::Position::line);
            match record.len().cmp(&width) {
                std::cmp::Ordering::Less => Ragged::note(&mut ragged.short, line),
                std::cmp::Ordering::Greater => Ragged::note(&mut ragged.long, line),
                std::cmp::Ordering::Equal => {}
            }
        }
        batch.truncate(read);
        Ok((read, reader.position().byte()))
    };
    let text_bytes = match detected.encoding {
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => file_bytes / 2,
        _ => file_bytes,
    };
    let mut columns = crate::build::fill_columns(pending, text_bytes, next_batch)?;
    if columns.iter().any(|c| c.dictionary.overflowed()) {
        return Err(ReviewError::TooLarge {
            reason: "a column holds more than 4 GiB of text".to_owned(),
        }
        .into());
    }
    for column in &mut columns {
        column.dictionary.freeze();
        column.codes.shrink_to_fit();
    }
    let kind = kind::detect(&headers);
    Ok(Table {
        path: path.to_owned(),
        detected,
        kind,
        columns,
        notices: ragged.notices(),
        rows: u32::try_from(rows).unwrap_or(u32::MAX),
    })
}

fn next_record<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::StringRecord,
) -> Result<bool, ReadFailure> {
    reader.read_record(record).map_err(read_failure)
}

/// Like [`next_record`] without checking that the cells are UTF-8.
fn next_cells<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    record: &mut csv::ByteRecord,
) -> Result<bool, ReadFailure> {
    reader.read_byte_record(record).map_err(read_failure)
}

fn read_failure(e: csv::Error) -> ReadFailure {
    let line = e.position().map_or(0, csv::Position::line);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => ReadFailure::Error(ReviewError::Io(io)),
        csv::ErrorKind::Utf8 { .. } => ReadFailure::NotUtf8,
        other => ReadFailure::Error(ReviewError::Malformed {
            line,
            reason: format!("{other:?}"),
        }),
    }
}

/// The header cells as names: blank ones become `column N`, a repeated one gets ` (2)`.
fn header_names(record: &csv::StringRecord) -> Result<Vec<String>, ReadFailure> {
    let mut names: Vec<String> = Vec::with_capacity(record.len());
    for (i, cell) in record.iter().enumerate() {
        let text = cell;
        let text = text.trim();
        let mut name = if text.is_empty() {
            format!("column {}", i + 1)
        } else {
            text.to_owned()
        };
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{text} ({n})");
            n += 1;
        }
        names.push(name);
    }
    Ok(names)
}
