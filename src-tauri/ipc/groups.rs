//! DTOs of the group page: the group's details and its members (direct or transitive).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::GroupDto;

/// Request of `group_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupRequest {
    /// The group's object id.
    pub id: String,
}

/// Response of `group_get`: what the group page shows above the members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupDetails {
    /// The group, classified.
    pub group: GroupDto,
    /// How many owners it has.
    pub owners_count: u64,
    /// How many direct members it has.
    pub members_count: u64,
    /// Why its members cannot be imported or removed here (dynamic, synced, Exchange-managed), in plain
    /// words with where to do it instead; `None` when they can.
    pub refusal: Option<super::TextDto>,
    /// A warning to read before changing its members (role-assignable: needs a privileged role).
    pub notice: Option<super::TextDto>,
}

/// Request of `group_members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GroupMembersRequest {
    /// The group's object id.
    pub group_id: String,
    /// Members of nested groups too (`transitiveMembers`), each with the path it is reached through.
    #[serde(default)]
    pub transitive: bool,
}

/// The Graph properties a [`MemberDto`] is made of.
pub const MEMBER_PROPERTIES: &[&str] = &["id", "displayName", "userPrincipalName", "mail"];

/// One member row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberDto {
    /// The object id.
    pub id: String,
    /// `user`, `group`, `device`, `servicePrincipal` or `orgContact`.
    pub object_type: String,
    /// The display name.
    pub display_name: String,
    /// The user principal name (users) or mail address, when there is one.
    pub sign_in: Option<String>,
    /// Transitive listings: the nested groups it is a member through, outermost first (empty: a direct
    /// member). `None` in direct listings, and when the nesting was too large to map.
    pub path: Option<Vec<String>>,
}

impl MemberDto {
    /// A row from a Graph directory object (with `@odata.type`), without a path.
    pub fn from_graph(object: &Value) -> Self {
        let text = |k: &str| object.get(k).and_then(Value::as_str).map(str::to_owned);
        Self {
            id: text("id").unwrap_or_default(),
            object_type: text("@odata.type")
                .map(|t| t.trim_start_matches("#microsoft.graph.").to_owned())
                .unwrap_or_else(|| "directoryObject".to_owned()),
            display_name: text("displayName").unwrap_or_default(),
            sign_in: text("userPrincipalName").or_else(|| text("mail")),
            path: None,
        }
    }
}

/// A page of a group's members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MembersPage {
    /// Where the next page comes from (`group_members_more`); `None` when this page was the last.
    pub listing: Option<String>,
    /// The members of this page.
    pub items: Vec<MemberDto>,
    /// How many members in all (Graph's `$count`), when known.
    pub total: Option<u64>,
}

impl From<roster_app::directory::RowPage> for MembersPage {
    /// Member rows, each with its nesting path when the listing maps paths.
    fn from(page: roster_app::directory::RowPage) -> Self {
        let items = page
            .items
            .iter()
            .map(|item| {
                let mut member = MemberDto::from_graph(item);
                member.path = page.path_of(&member.id);
                member
            })
            .collect();
        Self {
            listing: page.listing,
            items,
            total: page.total,
        }
    }
}

impl From<roster_app::directory::GroupSummary> for GroupDetails {
    fn from(summary: roster_app::directory::GroupSummary) -> Self {
        Self {
            group: super::GroupDto::from_graph(&summary.group),
            owners_count: summary.owners_count,
            members_count: summary.members_count,
            refusal: summary.target.refusal().as_ref().map(super::TextDto::from),
            notice: summary.target.notice().as_ref().map(super::TextDto::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn members_carry_their_type_and_sign_in_name() {
        let user = MemberDto::from_graph(&json!({
            "@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ann",
            "userPrincipalName": "ann@x.example"
        }));
        assert_eq!(user.object_type, "user");
        assert_eq!(user.sign_in.as_deref(), Some("ann@x.example"));
        let contact = MemberDto::from_graph(&json!({
            "@odata.type": "#microsoft.graph.orgContact", "id": "c1", "displayName": "Bo", "mail": "bo@y.example"
        }));
        assert_eq!(contact.object_type, "orgContact");
        assert_eq!(contact.sign_in.as_deref(), Some("bo@y.example"));
    }
}
