//! Reading bulk member files (add/remove members): the admin center's templates, one-column
//! lists and spreadsheets, into one [`InputRow`] per data row.
//!
//! What is accepted:
//! - CSV/TSV text in UTF-8 (with or without BOM), UTF-16 LE/BE with BOM (Excel "Unicode text")
//!   or Windows-1252; the delimiter (`,` `;` tab) is sniffed; or a workbook (first sheet).
//! - An optional Excel `sep=;` first line (it names the delimiter and is skipped).
//! - An optional `version:v1.0` first line (the historic admin center template), skipped.
//! - An optional header row. The first non-blank row is a header when its first cell is not an
//!   object id, UPN or e-mail address. The identifier column is the first header cell that
//!   names one (`[memberObjectIdOrUpn]`, `ObjectId`, `id`, `upn`, `userPrincipalName`, `mail`,
//!   `email`, `member`...), else the first column; other columns are ignored and
//!   [`MemberFile::column`] says which one was used.
//! - Template example rows: a row whose identifier cell starts with `Example` (and is not itself
//!   a valid UPN such as `example.user@contoso.com`) is skipped.
//! - One data row is enough (the admin center wants two; we do not).
//! - Only .xlsx workbooks: Excel 97-2003 (.xls), password-protected, .xlsb and .ods workbooks are
//!   refused with advice (calamine trusts what their headers claim before anything can be checked).
//!
//! Limits (documented in [`limits`]): files up to 50 MB, 1,000,000 rows below the header, 16,384
//! cells per row; workbooks are also held to the size and compression of their zip parts, the
//! shared strings they claim, and the span and number of their cells. Only regular files are
//! opened (a FIFO would block forever).
//!
//! Each data row is classified ([`InputKind`]): a GUID is an object id; a value with one `@` is
//! a UPN when it has UPN shape (guest `#EXT#` UPNs included) and a mail address otherwise.
//! Lookup order for both: by `userPrincipalName` first, then by `mail` (a UPN is unique and
//! what the admin center template asks for; mail is the fallback admins expect when they paste
//! addresses, peers item 25). Blank rows and later duplicates are kept and marked, never
//! dropped silently.

mod archive;
mod decode;
mod error;
pub mod limits;
mod table;
mod xlsx;

pub use decode::TextEncoding;
pub use error::ReadError;
pub use limits::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
pub use table::InputDelimiter;

use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;
use table::Record;

/// How a data row's value will be resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "reason", rename_all = "camelCase")]
pub enum InputKind {
    /// An object id (GUID), looked up directly.
    Id,
    /// A user principal name (`#EXT#` guest UPNs included): looked up by UPN, then by mail.
    Upn,
    /// Has an `@` but not UPN shape (e.g. `+` or `&` in the local part): looked up by UPN, then
    /// by mail, like [`InputKind::Upn`].
    Mail,
    /// A blank row (or a row whose identifier cell is empty): skipped and counted.
    Blank,
    /// Not an id, UPN or address; the reason is for people.
    Invalid(String),
}

/// One data row of a member file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InputRow {
    /// 1-based file line (CSV) or sheet row (workbook).
    pub line: usize,
    /// The identifier cell as read.
    pub raw: String,
    /// The identifier, trimmed (also of surrounding `<>` and a `mailto:` prefix).
    pub value: String,
    /// How it will be resolved.
    pub kind: InputKind,
    /// For a repeated value: the line of its first occurrence (that one is processed, this one
    /// is skipped).
    pub duplicate_of: Option<usize>,
}

impl InputRow {
    /// True when the row will be sent to Graph (valid kind and not a duplicate).
    pub fn is_actionable(&self) -> bool {
        matches!(self.kind, InputKind::Id | InputKind::Upn | InputKind::Mail)
            && self.duplicate_of.is_none()
    }
}

/// How the file was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum FileFormat {
    /// Delimited text.
    Csv {
        /// Detected encoding.
        encoding: TextEncoding,
        /// Sniffed delimiter.
        delimiter: InputDelimiter,
    },
    /// A workbook; only its first sheet is read.
    Workbook {
        /// Name of the sheet read.
        sheet: String,
    },
}

/// Which column holds the identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentifierColumn {
    /// 0-based column index.
    pub index: usize,
    /// Its header text, when the file has a header row.
    pub header: Option<String>,
    /// Number of columns in the header (or first) row; the others are ignored.
    pub columns: usize,
}

/// A member file, read and classified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberFile {
    /// How it was read.
    pub format: FileFormat,
    /// The identifier column used.
    pub column: IdentifierColumn,
    /// Line of the skipped `version:v1.0` row, if any.
    pub version_line: Option<usize>,
    /// Line of the header row, if any.
    pub header_line: Option<usize>,
    /// Lines of skipped template example rows.
    pub example_lines: Vec<usize>,
    /// Every data row, blank ones included, in file order.
    pub rows: Vec<InputRow>,
}

/// Row tallies for a preview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowCounts {
    /// Rows that will be sent to Graph.
    pub actionable: usize,
    /// Blank rows skipped.
    pub blank: usize,
    /// Repeated values skipped.
    pub duplicates: usize,
    /// Invalid values.
    pub invalid: usize,
}

impl MemberFile {
    /// Tallies the rows.
    pub fn counts(&self) -> RowCounts {
        let mut c = RowCounts::default();
        for row in &self.rows {
            match row.kind {
                InputKind::Blank => c.blank += 1,
                InputKind::Invalid(_) => c.invalid += 1,
                _ if row.duplicate_of.is_some() => c.duplicates += 1,
                _ => c.actionable += 1,
            }
        }
        c
    }
}

/// Reads and classifies a member file from disk (see the [module docs](self)). Refuses a path
/// that is not a regular file before opening it, and a file over [`MAX_FILE_BYTES`].
pub fn read_member_file(path: impl AsRef<Path>) -> Result<MemberFile, ReadError> {
    let bytes = limits::read_regular(path.as_ref())?;
    parse_member_file(&bytes)
}

/// Reads and classifies a member file from its bytes (see the [module docs](self)).
pub fn parse_member_file(bytes: &[u8]) -> Result<MemberFile, ReadError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    limits::check_size(bytes.len() as u64)?;
    if bytes.starts_with(ZIP) || bytes.starts_with(xlsx::OLE_MAGIC) {
        let mut workbook = xlsx::Workbook::open(bytes)?;
        let sheet = workbook.first_sheet()?;
        let format = FileFormat::Workbook {
            sheet: sheet.name.clone(),
        };
        return classify_records(format, workbook.rows(&sheet)?, Some(sheet.width()));
    }
    let (text, encoding) = decode::decode(bytes)?;
    // Excel's `sep=;` first line names the delimiter; it is not data.
    let hinted = table::sep_hint(&text);
    let delimiter = hinted.unwrap_or_else(|| table::sniff(&text));
    let mut records = table::Records::new(&text, delimiter);
    if hinted.is_some() {
        records.next();
    }
    let format = FileFormat::Csv {
        encoding,
        delimiter,
    };
    classify_records(format, records, None)
}

/// Detects the encoding of a text file's bytes (a BOM, else valid UTF-8, else Windows-1252) and
/// decodes them; refuses binary data and UTF-16 without a BOM. What [`parse_member_file`] does
/// with a file that is not a workbook, before splitting it into rows.
pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), ReadError> {
    decode::decode(bytes)
}

fn is_blank(record: &Record) -> bool {
    record.fields.iter().all(|f| f.trim().is_empty())
}

/// Records until the first error, which is kept.
struct Fallible<I> {
    records: I,
    error: Option<ReadError>,
}

impl<I: Iterator<Item = Result<Record, ReadError>>> Iterator for Fallible<I> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.error.is_some() {
            return None;
        }
        match self.records.next()? {
            Ok(record) => Some(record),
            Err(e) => {
                self.error = Some(e);
                None
            }
        }
    }
}

/// Classifies the records as they are read; `width` is the number of columns when the source
/// knows it (a sheet's span), else the first row's.
fn classify_records(
    format: FileFormat,
    records: impl Iterator<Item = Result<Record, ReadError>>,
    width: Option<usize>,
) -> Result<MemberFile, ReadError> {
    let mut records = Fallible {
        records,
        error: None,
    };
    let classified = classify_stream(format, &mut records, width);
    match records.error {
        Some(e) => Err(e),
        None => classified,
    }
}

fn classify_stream(
    format: FileFormat,
    records: impl Iterator<Item = Record>,
    width: Option<usize>,
) -> Result<MemberFile, ReadError> {
    let mut iter = records.peekable();
    let mut rows = RowsBuilder::default();
    // Blank lines before the first content line are data-area blanks too; keep them.
    let mut leading_blank = Vec::new();
    while let Some(r) = iter.next_if(is_blank) {
        rows.hold_blank(r, &mut leading_blank)?;
    }
    if iter.peek().is_none() {
        return Err(ReadError::Empty);
    }
    let mut version_line = None;
    let mut header_line = None;
    let mut column = IdentifierColumn {
        index: 0,
        header: None,
        columns: 1,
    };
    if let Some(r) = iter.next_if(|r| first_cell(r).to_ascii_lowercase().starts_with("version:")) {
        version_line = Some(r.line);
        while let Some(r) = iter.next_if(is_blank) {
            rows.hold_blank(r, &mut leading_blank)?;
        }
    }
    if let Some(first) = iter.peek() {
        column.columns = width.unwrap_or(first.fields.len());
        let looks_like_data = !matches!(
            classify(clean(first_cell(first))),
            InputKind::Invalid(_) | InputKind::Blank
        ) || is_example(first_cell(first));
        if !looks_like_data && let Some(header) = iter.next() {
            header_line = Some(header.line);
            column.index = identifier_column(&header.fields);
            column.header = header.fields.get(column.index).map(|h| h.trim().to_owned());
        }
    }
    for record in leading_blank {
        rows.push(record, column.index);
    }
    for record in iter {
        rows.count()?;
        rows.push(record, column.index);
    }
    let RowsBuilder {
        rows,
        example_lines,
        ..
    } = rows;
    if rows.iter().all(|r| r.kind == InputKind::Blank) {
        let what = match (version_line, header_line, example_lines.is_empty()) {
            (_, Some(_), false) => "the header and example rows",
            (_, Some(_), true) => "the header row",
            (_, None, false) => "example rows",
            (Some(_), None, true) => "the version line",
            (None, None, true) => "blank rows",
        };
        return Err(ReadError::NoMembers { what: what.into() });
    }
    Ok(MemberFile {
        format,
        column,
        version_line,
        header_line,
        example_lines,
        rows,
    })
}

/// The data rows as they are classified, within [`MAX_ROWS`].
#[derive(Default)]
struct RowsBuilder {
    rows: Vec<InputRow>,
    example_lines: Vec<usize>,
    first_seen: HashMap<String, usize>,
    /// Rows counted against [`MAX_ROWS`].
    counted: usize,
    /// Fields kept of the blank rows held before the header.
    held_fields: usize,
}

impl RowsBuilder {
    /// Counts one data row; refuses the file past [`MAX_ROWS`].
    fn count(&mut self) -> Result<(), ReadError> {
        self.counted += 1;
        if self.counted > MAX_ROWS {
            return Err(ReadError::TooManyRows);
        }
        Ok(())
    }

    /// Counts and holds a blank row read before the header (which says which of its cells is
    /// the identifier). Trailing empty cells are dropped, and past [`MAX_COLUMNS`] cells held in
    /// all, whitespace-only cells too, so that blank rows cannot hold much memory.
    fn hold_blank(&mut self, mut record: Record, held: &mut Vec<Record>) -> Result<(), ReadError> {
        self.count()?;
        let kept = record
            .fields
            .iter()
            .rposition(|f| !f.is_empty())
            .map_or(0, |last| last + 1);
        record.fields.truncate(kept);
        self.held_fields += kept;
        if self.held_fields > MAX_COLUMNS {
            record.fields.clear();
        }
        held.push(record);
        Ok(())
    }

    /// Classifies one record by its identifier cell.
    fn push(&mut self, record: Record, index: usize) {
        let raw = record.fields.get(index).cloned().unwrap_or_default();
        if is_example(&raw) {
            self.example_lines.push(record.line);
            return;
        }
        let value = clean(&raw).to_owned();
        let kind = classify(&value);
        let duplicate_of = match kind {
            InputKind::Id | InputKind::Upn | InputKind::Mail => {
                let key = value.to_lowercase();
                match self.first_seen.get(&key) {
                    Some(&line) => Some(line),
                    None => {
                        self.first_seen.insert(key, record.line);
                        None
                    }
                }
            }
            _ => None,
        };
        self.rows.push(InputRow {
            line: record.line,
            raw,
            value,
            kind,
            duplicate_of,
        });
    }
}

fn first_cell(record: &Record) -> &str {
    record
        .fields
        .first()
        .map(String::as_str)
        .unwrap_or("")
        .trim()
}

/// A template example row: starts with `Example` and is not itself a usable value (so a real
/// `example.user@contoso.com` is kept).
fn is_example(cell: &str) -> bool {
    cell.trim_start()
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("example"))
        && matches!(classify(clean(cell)), InputKind::Invalid(_))
}

/// Trims whitespace (also non-breaking spaces from web copies), `<...>`, quotes and `mailto:`.
fn clean(raw: &str) -> &str {
    let trimmed = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let trimmed = trimmed
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(trimmed);
    let trimmed = trimmed.trim_matches('\'');
    match trimmed.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("mailto:") => &trimmed[7..],
        _ => trimmed,
    }
    .trim()
}

/// Index of the header cell naming an identifier column, else 0.
fn identifier_column(header: &[String]) -> usize {
    const NAMES: &[&str] = &[
        "memberobjectidorupn",
        "objectid",
        "id",
        "upn",
        "userprincipalname",
        "memberobjectidoruserprincipalname",
        "member",
        "members",
        "user",
        "users",
        "mail",
        "email",
        "emailaddress",
        "username",
    ];
    let normal = |h: &str| -> String {
        let h = h.trim();
        // `Label [propertyName] Required`: the bracketed name is the real one.
        let h = match (h.find('['), h.find(']')) {
            (Some(a), Some(b)) if a < b => &h[a + 1..b],
            _ => h,
        };
        h.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    header
        .iter()
        .position(|h| NAMES.contains(&normal(h).as_str()))
        .unwrap_or(0)
}

/// Classifies a cleaned value.
pub fn classify(value: &str) -> InputKind {
    if value.is_empty() {
        return InputKind::Blank;
    }
    if is_guid(value) {
        return InputKind::Id;
    }
    let Some((local, domain)) = value.rsplit_once('@') else {
        return InputKind::Invalid(
            "not an object ID (GUID) or a user principal name / e-mail address (no @)".into(),
        );
    };
    if value.chars().any(char::is_whitespace) {
        return InputKind::Invalid("contains spaces; put one member per row".into());
    }
    if value.contains([',', ';']) {
        return InputKind::Invalid("contains , or ; — put one member per row".into());
    }
    if local.is_empty() || local.contains('@') || !is_domain(domain) {
        return InputKind::Invalid("not a valid user principal name or e-mail address".into());
    }
    let upn_local = local
        .chars()
        .all(|c| c.is_alphanumeric() || "'.-_!#^~".contains(c));
    if upn_local && !local.starts_with('.') && !local.ends_with('.') {
        InputKind::Upn
    } else {
        InputKind::Mail
    }
}

fn is_domain(domain: &str) -> bool {
    domain.contains('.')
        && domain
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

fn is_guid(value: &str) -> bool {
    let v = value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(value);
    v.len() == 36
        && v.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_ids_upns_mail_and_junk() {
        assert_eq!(
            classify("9832aad8-e4fe-496b-a604-95c6eF01ae75"),
            InputKind::Id
        );
        assert_eq!(
            classify("{9832aad8-e4fe-496b-a604-95c6ef01ae75}"),
            InputKind::Id
        );
        assert_eq!(classify("adele.vance@contoso.com"), InputKind::Upn);
        assert_eq!(
            classify("jane_fabrikam.com#EXT#@contoso.onmicrosoft.com"),
            InputKind::Upn
        );
        assert_eq!(classify("o'brien@contoso.com"), InputKind::Upn);
        assert_eq!(classify("jane+news@contoso.com"), InputKind::Mail);
        assert_eq!(classify("r&d@contoso.com"), InputKind::Mail);
        assert_eq!(classify(""), InputKind::Blank);
        for junk in [
            "adele",
            "a@b",
            "@contoso.com",
            "a b@contoso.com",
            "a@contoso.com;b@contoso.com",
            "9832aad8",
        ] {
            assert!(matches!(classify(junk), InputKind::Invalid(_)), "{junk}");
        }
    }

    #[test]
    fn example_rows_are_recognised_but_real_values_are_not() {
        assert!(is_example("Example: 9832aad8-e4fe-496b-a604-95c6eF01ae75"));
        assert!(is_example("example"));
        assert!(!is_example("example.user@contoso.com"));
        assert!(!is_example("adele@contoso.com"));
    }

    #[test]
    fn cleaning_strips_decoration() {
        assert_eq!(clean("  a@b.com \u{a0}"), "a@b.com");
        assert_eq!(clean("<a@b.com>"), "a@b.com");
        assert_eq!(clean("mailto:a@b.com"), "a@b.com");
    }

    #[test]
    fn identifier_column_prefers_named_headers() {
        let h = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(identifier_column(&h(&["Name", "E-mail"])), 1);
        assert_eq!(
            identifier_column(&h(&[
                "Member object ID or user principal name [memberObjectIdOrUpn] Required"
            ])),
            0
        );
        assert_eq!(identifier_column(&h(&["Display", "ObjectId"])), 1);
        assert_eq!(identifier_column(&h(&["foo", "bar"])), 0);
    }
}
