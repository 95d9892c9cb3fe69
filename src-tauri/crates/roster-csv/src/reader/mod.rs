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
//!
//! Each data row is classified ([`InputKind`]): a GUID is an object id; a value with one `@` is
//! a UPN when it has UPN shape (guest `#EXT#` UPNs included) and a mail address otherwise.
//! Lookup order for both: by `userPrincipalName` first, then by `mail` (a UPN is unique and
//! what the admin center template asks for; mail is the fallback admins expect when they paste
//! addresses, peers item 25). Blank rows and later duplicates are kept and marked, never
//! dropped silently.

mod decode;
mod table;
mod xlsx;

pub use decode::TextEncoding;
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

/// Why a member file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("could not read {}: {source}", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// The operating-system error.
        source: std::io::Error,
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
}

/// Reads and classifies a member file from disk (see the [module docs](self)).
pub fn read_member_file(path: impl AsRef<Path>) -> Result<MemberFile, ReadError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse_member_file(&bytes)
}

/// Reads and classifies a member file from its bytes.
pub fn parse_member_file(bytes: &[u8]) -> Result<MemberFile, ReadError> {
    const ZIP: &[u8] = b"PK\x03\x04";
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    let (format, records) = if bytes.starts_with(ZIP) || bytes.starts_with(OLE) {
        let (sheet, records) = xlsx::first_sheet(bytes)?;
        (FileFormat::Workbook { sheet }, records)
    } else {
        let (text, encoding) = decode::decode(bytes)?;
        // Excel's `sep=;` first line names the delimiter; it is not data.
        let hinted = table::sep_hint(&text);
        let delimiter = hinted.unwrap_or_else(|| table::sniff(&text));
        let mut records = table::records(&text, delimiter);
        if hinted.is_some() && !records.is_empty() {
            records.remove(0);
        }
        (
            FileFormat::Csv {
                encoding,
                delimiter,
            },
            records,
        )
    };
    classify_records(format, records)
}

fn is_blank(record: &Record) -> bool {
    record.fields.iter().all(|f| f.trim().is_empty())
}

fn classify_records(format: FileFormat, records: Vec<Record>) -> Result<MemberFile, ReadError> {
    if records.iter().all(is_blank) {
        return Err(ReadError::Empty);
    }
    let mut iter = records.into_iter().peekable();
    let mut leading_blank = Vec::new();
    let mut version_line = None;
    let mut header_line = None;
    let mut column = IdentifierColumn {
        index: 0,
        header: None,
        columns: 1,
    };
    // Blank lines before the first content line are data-area blanks too; keep them.
    while let Some(r) = iter.next_if(is_blank) {
        leading_blank.push(r);
    }
    if let Some(r) = iter.next_if(|r| first_cell(r).to_ascii_lowercase().starts_with("version:")) {
        version_line = Some(r.line);
        while let Some(r) = iter.next_if(is_blank) {
            leading_blank.push(r);
        }
    }
    if let Some(first) = iter.peek() {
        column.columns = first.fields.len();
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
    let mut example_lines = Vec::new();
    let mut rows = Vec::new();
    let mut first_seen: HashMap<String, usize> = HashMap::new();
    for record in leading_blank.into_iter().chain(iter) {
        let raw = record.fields.get(column.index).cloned().unwrap_or_default();
        if is_example(&raw) {
            example_lines.push(record.line);
            continue;
        }
        let value = clean(&raw).to_owned();
        let kind = classify(&value);
        let duplicate_of = match kind {
            InputKind::Id | InputKind::Upn | InputKind::Mail => {
                let key = value.to_lowercase();
                match first_seen.get(&key) {
                    Some(&line) => Some(line),
                    None => {
                        first_seen.insert(key, record.line);
                        None
                    }
                }
            }
            _ => None,
        };
        rows.push(InputRow {
            line: record.line,
            raw,
            value,
            kind,
            duplicate_of,
        });
    }
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
