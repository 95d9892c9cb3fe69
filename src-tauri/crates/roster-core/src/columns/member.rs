//! Member columns for group member downloads (direct or transitive).

use super::spec::{self, ColumnError};
use super::user::{LIST_UNSUPPORTED_USER_PROPERTIES, user_catalogue};
use super::{Column, ColumnSource, ColumnTheme, Computed, col};
use serde::Serialize;
use serde_json::Value;

/// A member's object type, from its `@odata.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MemberType {
    /// `#microsoft.graph.user`.
    User,
    /// `#microsoft.graph.group` (a nested group).
    Group,
    /// `#microsoft.graph.device`.
    Device,
    /// `#microsoft.graph.servicePrincipal`.
    ServicePrincipal,
    /// `#microsoft.graph.orgContact`.
    OrgContact,
    /// Missing or another `@odata.type`.
    Other,
}

impl MemberType {
    /// Reads `@odata.type` of a Graph directory object.
    pub fn of_object(obj: &Value) -> Self {
        Self::of_odata_type(obj.get("@odata.type").and_then(Value::as_str).unwrap_or(""))
    }

    /// Reads an `@odata.type` value (`#microsoft.graph.user`).
    pub fn of_odata_type(odata_type: &str) -> Self {
        match odata_type
            .trim_start_matches('#')
            .trim_start_matches("microsoft.graph.")
        {
            "user" => Self::User,
            "group" => Self::Group,
            "device" => Self::Device,
            "servicePrincipal" => Self::ServicePrincipal,
            "orgContact" => Self::OrgContact,
            _ => Self::Other,
        }
    }

    /// The cell text: Graph's type name (`user`, `group`, `device`, `servicePrincipal`,
    /// `orgContact`), or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
            Self::Device => "device",
            Self::ServicePrincipal => "servicePrincipal",
            Self::OrgContact => "orgContact",
            Self::Other => "other",
        }
    }
}

/// The member download columns: `groupId`, `groupName`, `memberType`, `id`, `displayName`,
/// `userPrincipalName`, `mail`, and for transitive downloads `nestingPath` (group names from the
/// listed group to the member's direct parent). Group id and name come from the row context.
pub fn member_columns(transitive: bool) -> Vec<Column> {
    use ColumnSource::{Computed as C, Property as P};
    let mut cols = listed_group_columns().to_vec();
    cols.extend([
        col(
            "memberType",
            &[],
            C(Computed::MemberType),
            "user, group, device, servicePrincipal or orgContact.",
            ColumnTheme::Membership,
        ),
        col(
            "id",
            &["id"],
            P("id"),
            "Member object ID.",
            ColumnTheme::Identity,
        ),
        col(
            "displayName",
            &["displayName"],
            P("displayName"),
            "Member display name.",
            ColumnTheme::Identity,
        ),
        col(
            "userPrincipalName",
            &["userPrincipalName"],
            P("userPrincipalName"),
            "UPN (users only).",
            ColumnTheme::Identity,
        ),
        col(
            "mail",
            &["mail"],
            P("mail"),
            "Primary SMTP address (users, groups, contacts).",
            ColumnTheme::Contact,
        ),
    ]);
    if transitive {
        cols.push(col(
            "nestingPath",
            &[],
            C(Computed::NestingPath),
            "Groups between the listed group and the member, joined with ` > `.",
            ColumnTheme::Membership,
        ));
    }
    cols
}

/// `groupId` and `groupName` of the group a row was listed for (its members or owners), from the row
/// context.
pub(super) fn listed_group_columns() -> [Column; 2] {
    [
        col(
            "groupId",
            &[],
            ColumnSource::Computed(Computed::ParentGroupId),
            "Id of the group whose members or owners are listed.",
            ColumnTheme::Group,
        ),
        col(
            "groupName",
            &[],
            ColumnSource::Computed(Computed::ParentGroupName),
            "Display name of that group.",
            ColumnTheme::Group,
        ),
    ]
}

/// Parses a member column spec: `None`, a blank spec, `default` or `all` give [`member_columns`]; otherwise a
/// comma-separated list of member column headers (case-insensitive) and, for user members,
/// any plain user property from the user catalogue (`jobTitle`, `department`, `employeeId`,
/// `extensionAttribute1`...; empty for other member types). `nestingPath` exists only for
/// transitive downloads. Columns needing `$expand` or extra permissions (manager,
/// `signInActivity`, `customSecurityAttributes`) are not offered: `/members` cannot expand them.
pub fn parse_member_columns(
    spec_text: Option<&str>,
    transitive: bool,
) -> Result<Vec<Column>, ColumnError> {
    parse_related_columns(spec_text, "member", member_columns(transitive))
}

/// Parses the column spec of a directory-object relationship download (`kind`: `member`,
/// `owner`): `None`, blank, `default` or `all` give `defaults`; otherwise a list of their headers
/// and of [`plain_user_columns`].
pub(super) fn parse_related_columns(
    spec_text: Option<&str>,
    kind: &'static str,
    defaults: Vec<Column>,
) -> Result<Vec<Column>, ColumnError> {
    let Some(spec_text) = spec_text.filter(|s| !s.trim().is_empty()) else {
        return Ok(defaults);
    };
    let mut choices = defaults.clone();
    choices.extend(plain_user_columns(&defaults));
    spec::parse(
        spec_text,
        kind,
        &[("default", defaults.clone()), ("all", defaults)],
        &choices,
        LIST_UNSUPPORTED_USER_PROPERTIES,
    )
}

/// The user catalogue's columns a directory-object relationship (`/members`, `/owners`) can return:
/// no `$expand` (manager) and no property needing its own permission (`signInActivity`,
/// `customSecurityAttributes`); `except` names the headers already offered.
fn plain_user_columns(except: &[Column]) -> Vec<Column> {
    user_catalogue()
        .into_iter()
        .filter(|c| {
            c.expand().is_none()
                && !c
                    .graph_select
                    .iter()
                    .any(|p| matches!(*p, "signInActivity" | "customSecurityAttributes"))
                && !except.iter().any(|d| d.header == c.header)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{RowContext, plan_select, render_row};
    use serde_json::json;

    #[test]
    fn member_types_come_from_odata_type() {
        for (t, want) in [
            ("#microsoft.graph.user", "user"),
            ("#microsoft.graph.group", "group"),
            ("#microsoft.graph.device", "device"),
            ("#microsoft.graph.servicePrincipal", "servicePrincipal"),
            ("#microsoft.graph.orgContact", "orgContact"),
            ("#microsoft.graph.application", "other"),
        ] {
            assert_eq!(
                MemberType::of_object(&json!({"@odata.type": t})).as_str(),
                want
            );
        }
        assert_eq!(MemberType::of_object(&json!({})), MemberType::Other);
    }

    #[test]
    fn transitive_row_carries_group_and_path() {
        let cols = member_columns(true);
        let member = json!({
            "@odata.type": "#microsoft.graph.device",
            "id": "d282309e-0000-0000-0000-000000000001",
            "displayName": null
        });
        let ctx = RowContext {
            group_id: Some("g1"),
            group_name: Some("All staff"),
            nesting_path: Some("All staff > Laptops"),
            ..RowContext::default()
        };
        assert_eq!(
            render_row(&cols, &member, &ctx),
            vec![
                "g1",
                "All staff",
                "device",
                "d282309e-0000-0000-0000-000000000001",
                "",
                "",
                "",
                "All staff > Laptops"
            ]
        );
        assert_eq!(member_columns(false).len(), 7);
        assert_eq!(
            plan_select(&cols).select_param(),
            "id,displayName,userPrincipalName,mail"
        );
    }

    #[test]
    fn a_users_preset_in_a_member_spec_is_refused_naming_the_kind_and_its_presets() {
        for (spec, name) in [("portal", "portal"), ("objectId,groupName", "objectId")] {
            let err = parse_member_columns(Some(spec), false)
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with(&format!("unknown member column `{name}`")),
                "{err}"
            );
            assert!(
                err.contains("a members download takes `default` or `all`"),
                "{err}"
            );
        }
    }

    #[test]
    fn member_specs_pick_member_and_user_columns() {
        assert_eq!(
            parse_member_columns(None, false).unwrap(),
            member_columns(false)
        );
        assert_eq!(
            parse_member_columns(Some("all"), true).unwrap(),
            member_columns(true)
        );
        let err = parse_member_columns(Some("groupName,UPN_typo,jobTitle"), false).unwrap_err();
        assert!(err.to_string().contains("UPN_typo"), "{err}");
        let cols = parse_member_columns(
            Some("groupName, userPrincipalName, jobTitle, extensionAttribute2"),
            false,
        )
        .unwrap();
        let headers: Vec<&str> = cols.iter().map(|c| c.header.as_ref()).collect();
        assert_eq!(
            headers,
            [
                "groupName",
                "userPrincipalName",
                "jobTitle",
                "extensionAttribute2"
            ]
        );
        assert_eq!(
            plan_select(&cols).select_param(),
            "id,userPrincipalName,jobTitle,onPremisesExtensionAttributes"
        );
        assert!(parse_member_columns(Some("nestingPath"), false).is_err());
        assert!(parse_member_columns(Some("nestingPath"), true).is_ok());
        assert!(parse_member_columns(Some("manager/displayName"), false).is_err());
    }
}
