//! DTOs of the `comparison_*` commands: two open files compared as snapshots (rows matched by key,
//! fields by name), the counts and per-field figures, joins and leaves per group for members files,
//! and the differences a page at a time.

use roster_app::review::{ComparisonSummary, DiffLine};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ChangeDto, TextDto};

/// Request of `comparison_run`: compare an older and a newer open file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonRunRequest {
    /// The older file's handle.
    pub old: u64,
    /// The newer file's handle.
    pub new: u64,
    /// The key columns (one or two names); the kind's default (object id; group id and member id)
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<Vec<String>>,
}

/// A request naming a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonRequest {
    /// The id `comparison_run` answered.
    pub id: u64,
}

/// How many objects of each kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffCountsDto {
    /// Only in the newer file.
    pub added: u64,
    /// Only in the older file.
    pub removed: u64,
    /// In both, different.
    pub changed: u64,
    /// In both, the same.
    pub unchanged: u64,
}

/// Who joined and left one group (members files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupChangesDto {
    /// The group's id (empty for a one-group file without a group column).
    pub group_id: String,
    /// Its name, when the file has one.
    pub group_name: String,
    /// Members added.
    pub joined: u64,
    /// Members removed.
    pub left: u64,
}

/// Response of `comparison_run`: what the comparison found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonDto {
    /// Names the comparison in later calls.
    pub id: u64,
    /// The older file's handle.
    pub old: u64,
    /// The newer file's handle.
    pub new: u64,
    /// The key columns.
    pub key: Vec<String>,
    /// The counts.
    pub counts: DiffCountsDto,
    /// The fields compared (both files have them).
    pub fields: Vec<String>,
    /// Changed objects per field, in `fields` order.
    pub field_changes: Vec<u64>,
    /// For members files: joins and leaves per group.
    pub groups: Vec<GroupChangesDto>,
    /// Columns only one file has, repeated keys.
    pub notices: Vec<TextDto>,
}

impl ComparisonDto {
    /// The DTO of the comparison `id` of files `old` and `new`.
    pub fn new(id: u64, old: u64, new: u64, summary: ComparisonSummary) -> Self {
        Self {
            id,
            old,
            new,
            key: summary.key,
            counts: DiffCountsDto {
                added: summary.counts.added,
                removed: summary.counts.removed,
                changed: summary.counts.changed,
                unchanged: summary.counts.unchanged,
            },
            fields: summary.fields,
            field_changes: summary.field_changes,
            groups: summary
                .groups
                .into_iter()
                .map(|g| GroupChangesDto {
                    group_id: g.group_id,
                    group_name: g.group_name,
                    joined: g.joined,
                    left: g.left,
                })
                .collect(),
            notices: summary.notices.iter().map(TextDto::from).collect(),
        }
    }
}

/// Request of `comparison_lines`: a page of the differences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonLinesRequest {
    /// The comparison.
    pub id: u64,
    /// Only these kinds of change; every kind when empty.
    #[serde(default)]
    pub changes: Vec<ChangeDto>,
    /// Only changes of this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// The first line wanted.
    pub offset: u64,
    /// How many (at most 1,000).
    pub limit: u64,
}

/// One difference: an added or removed object, or one changed field of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffLineDto {
    /// Added, removed or changed.
    pub change: ChangeDto,
    /// The key values.
    pub key: Vec<String>,
    /// Who or what it is ("Adele Vance (adele@contoso.com)"), when the file says.
    pub label: String,
    /// The changed field (changed lines).
    pub field: String,
    /// Its older value.
    pub old: String,
    /// Its newer value.
    pub new: String,
}

impl From<DiffLine> for DiffLineDto {
    fn from(line: DiffLine) -> Self {
        Self {
            change: line.change.into(),
            key: line.key,
            label: line.label,
            field: line.field,
            old: line.old,
            new: line.new,
        }
    }
}

/// Response of `comparison_lines`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonLinesDto {
    /// Lines matching the request in all.
    pub total: u64,
    /// The position of the first line sent.
    pub offset: u64,
    /// The lines.
    pub lines: Vec<DiffLineDto>,
}

/// Request of `comparison_export`: write the differences as CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonExportRequest {
    /// The comparison.
    pub id: u64,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}
