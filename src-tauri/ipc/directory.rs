//! DTOs of the `users_*` and `groups_*` commands: directory objects as the tables show them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Request of `users_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersListRequest {
    /// Only users whose display name or user principal name starts with this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
}

/// One user row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserDto {
    /// The object id (a GUID).
    pub id: String,
    /// The display name.
    pub display_name: String,
    /// The user principal name (sign-in name).
    pub user_principal_name: String,
    /// The primary SMTP address, if any.
    pub mail: Option<String>,
    /// The job title, if any.
    pub job_title: Option<String>,
    /// The department, if any.
    pub department: Option<String>,
    /// Whether the account can sign in.
    pub account_enabled: bool,
}

/// Response of `users_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    /// The users, in Graph's order.
    pub items: Vec<UserDto>,
}

/// Request of `groups_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupsListRequest {
    /// Only groups whose display name starts with this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
}

/// One group row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupDto {
    /// The object id (a GUID).
    pub id: String,
    /// The display name.
    pub display_name: String,
    /// The description, if any.
    pub description: Option<String>,
    /// The group's SMTP address, if it is mail-enabled.
    pub mail: Option<String>,
    /// A security group (can be used in access control).
    pub security_enabled: bool,
    /// A Microsoft 365 group (`groupTypes` contains `Unified`).
    pub unified: bool,
}

/// Response of `groups_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupsPage {
    /// The groups, in Graph's order.
    pub items: Vec<GroupDto>,
}
