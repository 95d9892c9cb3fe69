//! DTOs of the `views_*` commands: the saved views of the Users and Groups screens.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{GroupsListRequest, UsersListRequest};

/// A saved view of the Users screen: a name for its search and pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersViewDto {
    /// What the admin called it.
    pub name: String,
    /// The search and pickers it restores.
    pub query: UsersListRequest,
}

/// A saved view of the Groups screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupsViewDto {
    /// What the admin called it.
    pub name: String,
    /// The search and pickers it restores.
    pub query: GroupsListRequest,
}

/// Response of every `views_*` command: both screens' views, in the order they were first saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedViewsDto {
    /// The Users screen's views.
    pub users: Vec<UsersViewDto>,
    /// The Groups screen's views.
    pub groups: Vec<GroupsViewDto>,
}

/// Request of `views_save`: one view of one screen (exactly one of the two is given); a view of the
/// same name on that screen is replaced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct ViewSaveRequest {
    /// A Users screen view.
    pub users: Option<UsersViewDto>,
    /// A Groups screen view.
    pub groups: Option<GroupsViewDto>,
}

/// The screen of a view to delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ViewScreenDto {
    /// The Users screen.
    Users,
    /// The Groups screen.
    Groups,
}

/// Request of `views_delete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ViewDeleteRequest {
    /// Which screen's view.
    pub screen: ViewScreenDto,
    /// Its name (ignoring case).
    pub name: String,
}
