//! DTOs of the `review_*` commands: a CSV file opened for review (what was detected about it), pages
//! of its filtered and sorted view, the values of a column, its summary and charts, exports, recent
//! files, and the comparison of two snapshots. Everything here is local: no sign-in, no network.

use roster_app::review::{
    Change, ColumnFilter, FileKind, FilterTest, Opened, SortKey, Summary, ViewPage, ViewQuery,
};
use roster_csv::reader::TextEncoding;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TextDto;

/// What a file lists, told from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FileKindDto {
    /// One row per user.
    Users,
    /// One row per group.
    Groups,
    /// One row per group membership.
    Members,
    /// Anything else.
    Other,
}

impl From<FileKind> for FileKindDto {
    fn from(kind: FileKind) -> Self {
        match kind {
            FileKind::Users => Self::Users,
            FileKind::Groups => Self::Groups,
            FileKind::Members => Self::Members,
            FileKind::Other => Self::Other,
        }
    }
}

/// The text encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EncodingDto {
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-8.
    Utf8,
    /// UTF-16 little-endian.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// Windows-1252 (Western European).
    Windows1252,
}

impl From<TextEncoding> for EncodingDto {
    fn from(encoding: TextEncoding) -> Self {
        match encoding {
            TextEncoding::Utf8Bom => Self::Utf8Bom,
            TextEncoding::Utf8 => Self::Utf8,
            TextEncoding::Utf16Le => Self::Utf16Le,
            TextEncoding::Utf16Be => Self::Utf16Be,
            TextEncoding::Windows1252 => Self::Windows1252,
        }
    }
}

/// A request naming a file the person chose, by the handle of its [`FileRefDto`](super::FileRefDto).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewFileRequest {
    /// The chosen file's handle (from the picker, a drop, the recent list or a job).
    pub file: String,
}

/// A request naming an open file by its handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewHandleRequest {
    /// The handle `review_open` answered.
    pub handle: u64,
}

/// A file opened for review: response of `review_open`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewFileDto {
    /// Names the file in later calls.
    pub handle: u64,
    /// The file's full path.
    pub path: String,
    /// The file's name (for tabs and titles).
    pub name: String,
    /// Data rows (the header not counted).
    pub rows: u64,
    /// The headers, in file order (a column's position is its index here).
    pub columns: Vec<String>,
    /// Users, groups, members or other.
    pub kind: FileKindDto,
    /// The text encoding.
    pub encoding: EncodingDto,
    /// The field delimiter as one character (`,` `;` tab `|`).
    pub delimiter: String,
    /// Lines before the header that were skipped (`#TYPE …`, `sep=;`).
    pub preamble: Vec<String>,
    /// Things to know about the file (short or long rows).
    pub notices: Vec<TextDto>,
}

impl From<Opened> for ReviewFileDto {
    fn from(opened: Opened) -> Self {
        Self {
            handle: opened.handle,
            name: opened.path.file_name().map_or_else(
                || opened.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            path: opened.path.display().to_string(),
            rows: opened.rows,
            columns: opened.columns,
            kind: opened.kind.into(),
            encoding: opened.detected.encoding.into(),
            delimiter: opened.detected.delimiter.to_string(),
            preamble: opened.detected.preamble,
            notices: opened.notices.iter().map(TextDto::from).collect(),
        }
    }
}

/// What one column filter keeps: `{ test: "contains", value: "sales" }`, `{ test: "empty" }`, ….
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "test", content = "value")]
pub enum FilterTestDto {
    /// Cells containing the text, ignoring case.
    Contains(String),
    /// Cells equal to the text, ignoring case.
    Equals(String),
    /// Empty cells.
    Empty,
    /// Cells with a value.
    NotEmpty,
    /// Cells whose value is exactly one of these (the value list).
    OneOf(Vec<String>),
}

impl From<FilterTestDto> for FilterTest {
    fn from(test: FilterTestDto) -> Self {
        match test {
            FilterTestDto::Contains(text) => Self::Contains(text),
            FilterTestDto::Equals(text) => Self::Equals(text),
            FilterTestDto::Empty => Self::Empty,
            FilterTestDto::NotEmpty => Self::NotEmpty,
            FilterTestDto::OneOf(values) => Self::OneOf(values),
        }
    }
}

/// A filter on one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnFilterDto {
    /// The column's position (in file order).
    pub column: u32,
    /// What passes.
    pub test: FilterTestDto,
}

/// The sort order of a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SortKeyDto {
    /// The column's position.
    pub column: u32,
    /// Largest first.
    pub descending: bool,
}

/// Which rows of a file, in which order: every filter must pass, and the search (any cell).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ViewQueryDto {
    /// Column filters, all of which must pass.
    #[serde(default)]
    pub filters: Vec<ColumnFilterDto>,
    /// Text searched in every cell, ignoring case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
    /// The order; file order when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sort: Option<SortKeyDto>,
}

impl From<ViewQueryDto> for ViewQuery {
    fn from(query: ViewQueryDto) -> Self {
        Self {
            filters: query
                .filters
                .into_iter()
                .map(|f| ColumnFilter {
                    column: f.column as usize,
                    test: f.test.into(),
                })
                .collect(),
            search: query
                .search
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty()),
            sort: query.sort.map(|s| SortKey {
                column: s.column as usize,
                descending: s.descending,
            }),
        }
    }
}

/// Column positions as the engine takes them.
pub fn column_positions(columns: &[u32]) -> Vec<usize> {
    columns.iter().map(|&c| c as usize).collect()
}

/// Request of `review_page`: rows `offset..offset+limit` of a view (at most 1,000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewPageRequest {
    /// The open file.
    pub handle: u64,
    /// The view.
    pub query: ViewQueryDto,
    /// The first row wanted (position in the view).
    pub offset: u64,
    /// How many rows (at most 1,000).
    pub limit: u64,
    /// The columns wanted, in order; every column when empty.
    #[serde(default)]
    pub columns: Vec<u32>,
}

/// Response of `review_page`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewPageDto {
    /// Rows in the whole view.
    pub total: u64,
    /// The view position of the first row sent.
    pub offset: u64,
    /// Each row's line in the file, 1-based data row number (for "row 1,234").
    pub row_numbers: Vec<u64>,
    /// The cells, one list per row, in the requested column order.
    pub rows: Vec<Vec<String>>,
}

impl From<ViewPage> for ReviewPageDto {
    fn from(page: ViewPage) -> Self {
        Self {
            total: page.total,
            offset: page.offset,
            row_numbers: page.row_numbers,
            rows: page.rows,
        }
    }
}

/// Request of `review_values`: a column's values within the view (its own filter left out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewValuesRequest {
    /// The open file.
    pub handle: u64,
    /// The view.
    pub query: ViewQueryDto,
    /// The column's position.
    pub column: u32,
    /// Only values containing this text (ignoring case).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub containing: Option<String>,
    /// At most this many values (default 200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<u32>,
}

/// A value and how many rows have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ValueCountDto {
    /// The value as in the file (`""`: empty).
    pub value: String,
    /// Rows with it.
    pub count: u64,
}

impl ValueCountDto {
    /// The DTOs of the engine's `(value, count)` pairs.
    pub fn list(pairs: Vec<(String, u64)>) -> Vec<Self> {
        pairs
            .into_iter()
            .map(|(value, count)| Self { value, count })
            .collect()
    }
}

/// Response of `review_values`: most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewValuesDto {
    /// The values with their counts.
    pub values: Vec<ValueCountDto>,
}

/// One column's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnStatsDto {
    /// The header.
    pub name: String,
    /// Rows with a value.
    pub filled: u64,
    /// Distinct non-empty values.
    pub distinct: u64,
    /// The most frequent non-empty values, most frequent first.
    pub top: Vec<ValueCountDto>,
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BarDto {
    /// A value from the file, or a stable label (`(empty)`, `(other)`, `0-7 days`, `never`, …).
    pub label: String,
    /// Rows.
    pub count: u64,
}

/// A chart of a file's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartDto {
    /// Stable id, the UI's title key (`userType`, `accountEnabled`, `department`, `country`,
    /// `signInAge`, `membersPerGroup`, `memberType`, `groupType`, `membershipType`).
    pub id: String,
    /// The column it counts.
    pub column: String,
    /// The bars, largest first (age buckets in age order).
    pub bars: Vec<BarDto>,
}

/// Response of `review_summary`: per column figures and the charts of the file's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewSummaryDto {
    /// Data rows.
    pub rows: u64,
    /// Per column, in file order.
    pub columns: Vec<ColumnStatsDto>,
    /// The charts (only those whose column the file has).
    pub charts: Vec<ChartDto>,
}

impl From<Summary> for ReviewSummaryDto {
    fn from(summary: Summary) -> Self {
        Self {
            rows: summary.stats.rows,
            columns: summary
                .stats
                .columns
                .into_iter()
                .map(|c| ColumnStatsDto {
                    name: c.name,
                    filled: c.filled,
                    distinct: c.distinct,
                    top: ValueCountDto::list(c.top),
                })
                .collect(),
            charts: summary
                .charts
                .into_iter()
                .map(|c| ChartDto {
                    id: c.id,
                    column: c.column,
                    bars: c
                        .bars
                        .into_iter()
                        .map(|b| BarDto {
                            label: b.label,
                            count: b.count,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// Request of `review_export`: write the view (these columns) to `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewExportRequest {
    /// The open file.
    pub handle: u64,
    /// The view.
    pub query: ViewQueryDto,
    /// The columns, in order; every column when empty.
    #[serde(default)]
    pub columns: Vec<u32>,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Response of the exports: the file written and its data rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewExportedDto {
    /// The file written.
    pub path: String,
    /// Data rows (or comparison lines) written.
    pub rows: u64,
}

/// Request of `review_copy`: rows of the view as tab-separated text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewCopyRequest {
    /// The open file.
    pub handle: u64,
    /// The view.
    pub query: ViewQueryDto,
    /// The rows' positions in the view.
    pub positions: Vec<u64>,
    /// The columns, in order; every column when empty.
    #[serde(default)]
    pub columns: Vec<u32>,
}

/// Response of `review_copy`: the text for the clipboard (a header line, then one line per row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewCopiedDto {
    /// Tab-separated rows.
    pub text: String,
    /// Rows in it.
    pub rows: u64,
}

/// A file opened before, for the recent list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentFileDto {
    /// The handle to open it (or take it off the list) with.
    pub handle: String,
    /// The file's full path.
    pub path: String,
    /// Its name.
    pub name: String,
    /// When it was last opened (RFC 3339).
    pub opened_at: String,
    /// Whether it is still there (a moved or deleted file is shown as missing).
    pub exists: bool,
}

/// Response of `review_recent`: newest first, at most ten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentFilesDto {
    /// The files.
    pub files: Vec<RecentFileDto>,
}

/// What happened to an object between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChangeDto {
    /// Only in the newer file.
    Added,
    /// Only in the older file.
    Removed,
    /// In both, with a field different.
    Changed,
}

impl From<ChangeDto> for Change {
    fn from(change: ChangeDto) -> Self {
        match change {
            ChangeDto::Added => Self::Added,
            ChangeDto::Removed => Self::Removed,
            ChangeDto::Changed => Self::Changed,
        }
    }
}

impl From<Change> for ChangeDto {
    fn from(change: Change) -> Self {
        match change {
            Change::Added => Self::Added,
            Change::Removed => Self::Removed,
            Change::Changed => Self::Changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_tests_take_the_engines_json_shape() {
        for (dto, json) in [
            (
                FilterTestDto::Contains("sa".into()),
                serde_json::json!({ "test": "contains", "value": "sa" }),
            ),
            (
                FilterTestDto::NotEmpty,
                serde_json::json!({ "test": "notEmpty" }),
            ),
            (
                FilterTestDto::OneOf(vec!["a".into(), "".into()]),
                serde_json::json!({ "test": "oneOf", "value": ["a", ""] }),
            ),
        ] {
            assert_eq!(serde_json::to_value(&dto).unwrap(), json);
            let engine: FilterTest = dto.into();
            assert_eq!(serde_json::to_value(&engine).unwrap(), json);
        }
    }

    #[test]
    fn a_blank_search_is_no_search() {
        let query = ViewQuery::from(ViewQueryDto {
            search: Some("  ".into()),
            ..ViewQueryDto::default()
        });
        assert_eq!(query.search, None);
    }
}

/// Rows of a file shown at once while it is read whole: response of `review_peek`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeekDto {
    /// The headers, in file order.
    pub headers: Vec<String>,
    /// Users, groups, members or other.
    pub kind: FileKindDto,
    /// The text encoding.
    pub encoding: EncodingDto,
    /// The field delimiter as one character.
    pub delimiter: String,
    /// Lines before the header that were skipped.
    pub preamble: Vec<String>,
    /// The first rows (at most [`PEEK_ROWS`]), each as wide as the header.
    pub rows: Vec<Vec<String>>,
}

/// How many rows `review_peek` reads.
pub const PEEK_ROWS: usize = 200;
