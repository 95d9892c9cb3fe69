//! DTOs of the `users_*` and `groups_*` commands: directory objects as the tables show them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// The Graph properties a [`UserDto`] is made of (the `$select` of `users_list`).
pub const USER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "jobTitle",
    "department",
    "accountEnabled",
];

/// The Graph properties a [`GroupDto`] is made of (the `$select` of `groups_list`).
pub const GROUP_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "description",
    "mail",
    "securityEnabled",
    "groupTypes",
];

fn text(object: &Value, property: &str) -> Option<String> {
    object
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

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

impl UserDto {
    /// A row from a Graph `user` object (missing strings become empty, a missing flag `true`).
    pub fn from_graph(user: &Value) -> Self {
        Self {
            id: text(user, "id").unwrap_or_default(),
            display_name: text(user, "displayName").unwrap_or_default(),
            user_principal_name: text(user, "userPrincipalName").unwrap_or_default(),
            mail: text(user, "mail"),
            job_title: text(user, "jobTitle"),
            department: text(user, "department"),
            account_enabled: user
                .get("accountEnabled")
                .and_then(Value::as_bool)
                .unwrap_or(true),
        }
    }
}

/// Response of `users_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    /// The users, in Graph's order.
    pub items: Vec<UserDto>,
    /// More users match than were sent; narrow the search to see them.
    pub truncated: bool,
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

impl GroupDto {
    /// A row from a Graph `group` object.
    pub fn from_graph(group: &Value) -> Self {
        let unified = group
            .get("groupTypes")
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().any(|t| t.as_str() == Some("Unified")));
        Self {
            id: text(group, "id").unwrap_or_default(),
            display_name: text(group, "displayName").unwrap_or_default(),
            description: text(group, "description"),
            mail: text(group, "mail"),
            security_enabled: group
                .get("securityEnabled")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            unified,
        }
    }
}

/// Response of `groups_list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupsPage {
    /// The groups, in Graph's order.
    pub items: Vec<GroupDto>,
    /// More groups match than were sent; narrow the search to see them.
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn users_and_groups_convert_from_graph_objects() {
        let user = UserDto::from_graph(&json!({
            "id": "u1", "displayName": "Adele Vance", "userPrincipalName": "adele@contoso.example",
            "mail": null, "jobTitle": "Retail Manager", "accountEnabled": false
        }));
        assert_eq!(user.display_name, "Adele Vance");
        assert_eq!(user.mail, None);
        assert_eq!(user.job_title.as_deref(), Some("Retail Manager"));
        assert!(!user.account_enabled);

        let group = GroupDto::from_graph(&json!({
            "id": "g1", "displayName": "Sales", "groupTypes": ["Unified"], "securityEnabled": false
        }));
        assert!(group.unified);
        assert!(!group.security_enabled);
        let json = serde_json::to_value(GroupsPage {
            items: vec![group],
            truncated: false,
        })
        .unwrap();
        assert_eq!(json["items"][0]["displayName"], "Sales");
    }
}
