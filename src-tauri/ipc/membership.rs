//! DTOs of the `membership_*` commands: importing or removing a group's members from a file, shown
//! first as a preview (every row with its state and reason) before anything changes.

use roster_jobs::membership::{MembershipOp, PlannedRow, Preview, RowState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TextDto;

/// Add the file's members to the group, or remove them from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MembershipOpDto {
    /// Import members.
    Add,
    /// Remove members.
    Remove,
}

impl From<MembershipOpDto> for MembershipOp {
    fn from(op: MembershipOpDto) -> Self {
        match op {
            MembershipOpDto::Add => Self::Add,
            MembershipOpDto::Remove => Self::Remove,
        }
    }
}

impl From<MembershipOp> for MembershipOpDto {
    fn from(op: MembershipOp) -> Self {
        match op {
            MembershipOp::Add => Self::Add,
            MembershipOp::Remove => Self::Remove,
        }
    }
}

/// The state of one row (the names of the results file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum RowStateDto {
    /// Will be added.
    WillAdd,
    /// Will be removed.
    WillRemove,
    /// Was added.
    Added,
    /// Was removed.
    Removed,
    /// Already a member: nothing to do.
    AlreadyMember,
    /// Not a member: nothing to do.
    NotAMember,
    /// No such object.
    NotFound,
    /// The mail address belongs to several objects.
    Ambiguous,
    /// The group cannot hold this kind of object.
    WrongType,
    /// Same value as an earlier line.
    Duplicate,
    /// Not an object id, UPN or mail address.
    Invalid,
    /// Graph refused the change.
    Failed,
}

impl From<RowState> for RowStateDto {
    fn from(state: RowState) -> Self {
        match state {
            RowState::WillAdd => Self::WillAdd,
            RowState::WillRemove => Self::WillRemove,
            RowState::Added => Self::Added,
            RowState::Removed => Self::Removed,
            RowState::AlreadyMember => Self::AlreadyMember,
            RowState::NotAMember => Self::NotAMember,
            RowState::NotFound => Self::NotFound,
            RowState::Ambiguous => Self::Ambiguous,
            RowState::WrongType => Self::WrongType,
            RowState::Duplicate => Self::Duplicate,
            RowState::Invalid => Self::Invalid,
            RowState::Failed => Self::Failed,
        }
    }
}

/// Request of `membership_preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MembershipPreviewRequest {
    /// The group's object id.
    pub group_id: String,
    /// Add or remove.
    pub op: MembershipOpDto,
    /// The CSV or XLSX file (the handle the picker answered): the portal's template or a plain list
    /// of object ids, UPNs or mail addresses.
    pub file: String,
}

/// Request of `membership_preview_rows`: a page of a preview's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MembershipPreviewRowsRequest {
    /// The `previewId` of the preview shown.
    pub preview_id: String,
    /// The first row wanted (0-based, in file order).
    pub offset: u64,
    /// How many rows (at most [`PREVIEW_PAGE_MAX`]).
    pub limit: u32,
}

/// The most rows one `membership_preview_rows` answer carries: a file of a million members crosses
/// to the webview a page at a time as the person scrolls, never whole.
pub const PREVIEW_PAGE_MAX: u32 = 1000;

/// Response of `membership_preview_rows`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRowsPage {
    /// Rows of the preview in all.
    pub total: u64,
    /// The first row's position.
    pub offset: u64,
    /// The rows from `offset`, in file order.
    pub rows: Vec<PreviewRowDto>,
}

impl PreviewRowsPage {
    /// The page of `preview`'s rows that `offset` and `limit` (capped) ask for.
    pub fn of(preview: &Preview, offset: u64, limit: u32) -> Self {
        let limit = limit.min(PREVIEW_PAGE_MAX) as usize;
        let rows = usize::try_from(offset)
            .ok()
            .and_then(|start| preview.rows.get(start..))
            .unwrap_or_default();
        Self {
            total: preview.rows.len() as u64,
            offset,
            rows: rows.iter().take(limit).map(PreviewRowDto::from).collect(),
        }
    }
}

/// Request of `membership_start`: apply a preview the person confirmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MembershipStartRequest {
    /// The `previewId` of the preview shown.
    pub preview_id: String,
}

/// How many rows are in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StateCount {
    /// The state.
    pub state: RowStateDto,
    /// Rows in it.
    pub count: u64,
}

/// One row of the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRowDto {
    /// Line (CSV) or sheet row (XLSX), 1-based.
    pub line: u64,
    /// The value as read (trimmed).
    pub input: String,
    /// The cell exactly as typed, when it is not `input` (spaces, quotes, `<...>` or `mailto:`
    /// around the value).
    pub raw: Option<String>,
    /// What will happen to it.
    pub state: RowStateDto,
    /// Why, in plain words.
    pub reason: TextDto,
    /// The object it resolved to: its display name.
    pub display_name: Option<String>,
    /// The object's type (`user`, `group`, ...).
    pub object_type: Option<String>,
    /// The object's id.
    pub object_id: Option<String>,
    /// The object's user principal name (users), to compare with what was typed.
    pub user_principal_name: Option<String>,
    /// Whether it is a guest user (Graph's `userType` is `Guest`).
    pub guest: bool,
}

impl From<&PlannedRow> for PreviewRowDto {
    fn from(row: &PlannedRow) -> Self {
        let object = row.object.as_ref();
        Self {
            line: row.line,
            input: row.input.clone(),
            raw: row.raw.clone(),
            state: row.state.into(),
            reason: TextDto::from(&row.reason),
            display_name: object.and_then(|o| o.display_name.clone()),
            object_type: object.map(|o| o.object_type.clone()),
            object_id: object.map(|o| o.id.clone()),
            user_principal_name: object.and_then(|o| o.user_principal_name.clone()),
            guest: row.is_guest(),
        }
    }
}

/// Request of `membership_template`: write the member file template admins fill in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MembershipTemplateRequest {
    /// Where to write it: the handle the save dialog answered.
    pub file: String,
}

/// Response of `membership_preview`: nothing has changed yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewDto {
    /// Names this preview when the job is started from it.
    pub preview_id: String,
    /// Add or remove.
    pub op: MembershipOpDto,
    /// The group's display name.
    pub group_name: String,
    /// The file read.
    pub file: String,
    /// Rows per state (only states with rows), in a fixed order.
    pub counts: Vec<StateCount>,
    /// Blank lines skipped.
    pub blank: u64,
    /// Rows that will be sent to Graph.
    pub pending: u64,
    /// Things to read before confirming.
    pub notices: Vec<TextDto>,
    /// Rows of the file (blank lines not counted); read them a page at a time with
    /// `membership_preview_rows`.
    pub rows: u64,
}

impl PreviewDto {
    /// The DTO of an engine preview.
    pub fn from_preview(preview_id: String, file: String, preview: &Preview) -> Self {
        Self {
            preview_id,
            op: match preview.op {
                MembershipOp::Add => MembershipOpDto::Add,
                MembershipOp::Remove => MembershipOpDto::Remove,
            },
            group_name: preview.group.display_name.clone(),
            file,
            counts: RowState::ALL
                .iter()
                .map(|&state| StateCount {
                    state: state.into(),
                    count: preview.counts.get(state),
                })
                .filter(|c| c.count > 0)
                .collect(),
            blank: preview.counts.blank,
            pending: preview.pending() as u64,
            notices: preview.notices.iter().map(TextDto::from).collect(),
            rows: preview.rows.len() as u64,
        }
    }
}

pub use roster_app::sentence;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_states_serialise_like_the_results_file() {
        for state in RowState::ALL {
            let dto: RowStateDto = state.into();
            assert_eq!(
                serde_json::to_value(dto).unwrap(),
                serde_json::Value::String(state.as_str().to_owned())
            );
        }
    }

    #[test]
    fn a_row_carries_the_cell_as_typed_and_the_guest_it_resolved_to() {
        let object = roster_jobs::membership::ResolvedObject {
            id: "u1".into(),
            object_type: "user".into(),
            display_name: Some("Ann".into()),
            user_principal_name: Some("ann_fabrikam.com#EXT#@contoso.com".into()),
            is_m365_group: false,
            user_type: Some("Guest".into()),
        };
        let row = PlannedRow {
            line: 4,
            input: "ann@fabrikam.com".into(),
            raw: Some(" ann@fabrikam.com ".into()),
            object: Some(object),
            state: RowState::WillAdd,
            reason: RowState::WillAdd.reason(),
        };
        let dto = serde_json::to_value(PreviewRowDto::from(&row)).unwrap();
        assert_eq!(dto["raw"], " ann@fabrikam.com ");
        assert_eq!(
            dto["userPrincipalName"],
            "ann_fabrikam.com#EXT#@contoso.com"
        );
        assert_eq!(dto["objectId"], "u1");
        assert_eq!(dto["guest"], true);
        let unresolved = PlannedRow {
            object: None,
            raw: None,
            ..row
        };
        let dto = serde_json::to_value(PreviewRowDto::from(&unresolved)).unwrap();
        assert_eq!(dto["guest"], false);
        assert!(dto["userPrincipalName"].is_null() && dto["raw"].is_null());
    }
}

/// Which follow-up of a membership job: request of `jobs_follow_up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FollowUpKindDto {
    /// Its failed rows again.
    RetryFailed,
    /// Undo what it changed.
    Undo,
}

/// Request of `jobs_follow_up`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpRequest {
    /// The membership job.
    pub id: String,
    /// What follows it.
    pub what: FollowUpKindDto,
}

/// A follow-up ready to preview like any import: the group, the operation and the member file
/// (a handle for `membership_preview`). Response of `jobs_follow_up`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpDto {
    /// The group's object id.
    pub group_id: String,
    /// Add or remove.
    pub op: MembershipOpDto,
    /// The member file to preview.
    pub file: super::FileRefDto,
}
