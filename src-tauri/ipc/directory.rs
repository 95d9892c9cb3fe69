//! DTOs of the `users_*`, `groups_*` and `group_*` commands: the filter pickers, directory objects as
//! the tables show them, and the pages of a listing that the UI reads on demand while scrolling.

use roster_core::job::{GroupFilter, UserFilter};
use roster_jobs::membership::{GroupKind, TargetGroup};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{
    GroupFilterDto, GroupKindDto, GroupSourceDto, MembershipDto, UserFilterDto, UserTypeDto,
};

/// The Graph properties a [`UserDto`] is made of (the `$select` of `users_list`).
pub const USER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "jobTitle",
    "department",
    "country",
    "userType",
    "accountEnabled",
    "createdDateTime",
];

/// The Graph properties a [`GroupDto`] is made of (the `$select` of `groups_list`).
pub const GROUP_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "description",
    "mail",
    "mailEnabled",
    "securityEnabled",
    "groupTypes",
    "onPremisesSyncEnabled",
    "isAssignableToRole",
];

fn text(object: &Value, property: &str) -> Option<String> {
    object
        .get(property)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Request of `users_list`: the search text and the filter pickers (all optional, combined with "and").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersListRequest {
    /// Words searched in display name, user principal name and mail (word-prefix match).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
    /// Members, guests, or either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user_type: Option<Vec<UserTypeDto>>,
    /// Sign-in allowed (`true`) or blocked (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub account_enabled: Option<bool>,
    /// Exact departments: a user in any of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub department: Option<Vec<String>>,
    /// Exact countries or regions: a user in any of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub country: Option<Vec<String>>,
    /// Created on or after this date (`2024-01-31`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub created_from: Option<String>,
    /// Created before this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub created_before: Option<String>,
}

impl UsersListRequest {
    /// The same filter a users download uses, so the table and the file always select the same users
    /// (roster-core builds the OData from it).
    pub fn to_filter(&self) -> UserFilter {
        UserFilterDto {
            user_type: self.user_type.clone(),
            account_enabled: self.account_enabled,
            department: self.department.clone(),
            country: self.country.clone(),
            created_from: self.created_from.clone(),
            created_before: self.created_before.clone(),
            search: self.search.clone(),
            odata: None,
        }
        .to_filter()
    }
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
    /// The country or region, if any.
    pub country: Option<String>,
    /// A guest (`userType` `Guest`) rather than a member.
    pub guest: bool,
    /// Whether the account can sign in.
    pub account_enabled: bool,
    /// When the account was created (ISO 8601), if known.
    pub created: Option<String>,
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
            country: text(user, "country"),
            guest: text(user, "userType").as_deref() == Some("Guest"),
            account_enabled: user
                .get("accountEnabled")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            created: text(user, "createdDateTime"),
        }
    }
}

/// A page of a users listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsersPage {
    /// Where the next page comes from (`users_more`); `None` when this page was the last.
    pub listing: Option<String>,
    /// The users of this page, in Graph's order.
    pub items: Vec<UserDto>,
    /// How many users match in all (Graph's `$count`), when known.
    pub total: Option<u64>,
}

/// The values the Users screen's department and country pickers offer: what the tenant's users have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UserFacets {
    /// Distinct departments, sorted.
    pub departments: Vec<String>,
    /// Distinct countries or regions, sorted.
    pub countries: Vec<String>,
    /// `false` when the tenant has more users than were read for these lists.
    pub complete: bool,
}

/// Request of `users_more`, `groups_more` and `group_members_more`: the next page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListingRequest {
    /// The `listing` of the previous page.
    pub listing: String,
}

impl From<GroupKind> for GroupKindDto {
    fn from(kind: GroupKind) -> Self {
        match kind {
            GroupKind::Microsoft365 => Self::M365,
            GroupKind::Security => Self::Security,
            GroupKind::MailEnabledSecurity => Self::MailSecurity,
            GroupKind::Distribution => Self::Distribution,
        }
    }
}

/// Request of `groups_list`: name search and the filter pickers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupsListRequest {
    /// Only groups whose display name starts with this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub search: Option<String>,
    /// Group kinds: a group of any of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<Vec<GroupKindDto>>,
    /// Assigned or dynamic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub membership: Option<MembershipDto>,
    /// Cloud or synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub source: Option<GroupSourceDto>,
    /// Only groups that can (or cannot) be assigned to Entra roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub role_assignable: Option<bool>,
}

impl GroupsListRequest {
    /// The same filter a groups download uses (roster-core builds the OData from it).
    pub fn to_filter(&self) -> GroupFilter {
        GroupFilterDto {
            kind: self.kind.clone(),
            membership: self.membership,
            source: self.source,
            role_assignable: self.role_assignable,
            name: self.search.clone(),
            odata: None,
        }
        .to_filter()
    }
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
    /// The kind, in the admin center's terms.
    pub kind: GroupKindDto,
    /// Assigned or dynamic membership.
    pub membership: MembershipDto,
    /// Cloud or synced.
    pub source: GroupSourceDto,
    /// Can be assigned to Entra roles.
    pub role_assignable: bool,
}

impl GroupDto {
    /// A row from a Graph `group` object, classified the way the membership engine does.
    pub fn from_graph(group: &Value) -> Self {
        let target = TargetGroup::from_json(group);
        Self {
            id: text(group, "id").unwrap_or_default(),
            display_name: text(group, "displayName").unwrap_or_default(),
            description: text(group, "description"),
            mail: text(group, "mail"),
            security_enabled: group
                .get("securityEnabled")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            unified: target.kind == GroupKind::Microsoft365,
            kind: target.kind.into(),
            membership: if target.dynamic {
                MembershipDto::Dynamic
            } else {
                MembershipDto::Assigned
            },
            source: if target.synced {
                GroupSourceDto::Synced
            } else {
                GroupSourceDto::Cloud
            },
            role_assignable: target.role_assignable,
        }
    }
}

/// A page of a groups listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupsPage {
    /// Where the next page comes from (`groups_more`); `None` when this page was the last.
    pub listing: Option<String>,
    /// The groups of this page, in Graph's order.
    pub items: Vec<GroupDto>,
    /// How many groups match in all (Graph's `$count`), when known.
    pub total: Option<u64>,
}

impl From<roster_app::directory::RowPage> for UsersPage {
    fn from(page: roster_app::directory::RowPage) -> Self {
        Self {
            items: page.items.iter().map(UserDto::from_graph).collect(),
            listing: page.listing,
            total: page.total,
        }
    }
}

impl From<roster_app::directory::RowPage> for GroupsPage {
    fn from(page: roster_app::directory::RowPage) -> Self {
        Self {
            items: page.items.iter().map(GroupDto::from_graph).collect(),
            listing: page.listing,
            total: page.total,
        }
    }
}

impl From<roster_app::directory::UserFacets> for UserFacets {
    fn from(facets: roster_app::directory::UserFacets) -> Self {
        Self {
            departments: facets.departments,
            countries: facets.countries,
            complete: facets.complete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn users_and_groups_convert_from_graph_objects() {
        let user = UserDto::from_graph(&json!({
            "id": "u1", "displayName": "Adele Vance", "userPrincipalName": "adele@contoso.example",
            "mail": null, "jobTitle": "Retail Manager", "accountEnabled": false, "userType": "Guest"
        }));
        assert_eq!(user.display_name, "Adele Vance");
        assert_eq!(user.mail, None);
        assert_eq!(user.job_title.as_deref(), Some("Retail Manager"));
        assert!(!user.account_enabled);
        assert!(user.guest);

        let group = GroupDto::from_graph(&json!({
            "id": "g1", "displayName": "Sales", "groupTypes": ["Unified", "DynamicMembership"],
            "securityEnabled": false, "mailEnabled": true, "onPremisesSyncEnabled": null
        }));
        assert!(group.unified);
        assert_eq!(group.kind, GroupKindDto::M365);
        assert_eq!(group.membership, MembershipDto::Dynamic);
        assert_eq!(group.source, GroupSourceDto::Cloud);
        let json = serde_json::to_value(GroupsPage {
            listing: None,
            items: vec![group],
            total: Some(1),
        })
        .unwrap();
        assert_eq!(json["items"][0]["displayName"], "Sales");
        assert_eq!(json["items"][0]["kind"], "m365");
    }

    #[test]
    fn pickers_become_the_core_filters() {
        let users = UsersListRequest {
            search: Some("  ".into()),
            user_type: Some(vec![UserTypeDto::Guest]),
            department: Some(vec![" Sales ".into(), "Legal".into()]),
            ..UsersListRequest::default()
        };
        let filter = users.to_filter();
        assert_eq!(filter.search, None);
        assert_eq!(
            filter.odata_filter().as_deref(),
            Some("userType eq 'Guest' and department in ('Sales','Legal')")
        );
        let groups = GroupsListRequest {
            kind: Some(vec![GroupKindDto::Security]),
            source: Some(GroupSourceDto::Synced),
            search: Some("Fin".into()),
            ..GroupsListRequest::default()
        };
        assert_eq!(
            groups.to_filter().odata_filter().as_deref(),
            Some(
                "mailEnabled eq false and securityEnabled eq true and onPremisesSyncEnabled eq true \
                 and startswith(displayName,'Fin')"
            )
        );
        let request: UsersListRequest =
            serde_json::from_value(json!({ "userType": ["member"], "accountEnabled": true }))
                .unwrap();
        assert_eq!(request.user_type, Some(vec![UserTypeDto::Member]));
    }
}
