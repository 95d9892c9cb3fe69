//! Columns of a user's-groups download: one row per user and group.
//!
//! The groups come from `GET /users/{id}/memberOf/microsoft.graph.group` (direct) or
//! `/transitiveMemberOf/microsoft.graph.group` (nested included): the OData cast keeps out the
//! directory roles and administrative units `memberOf` also returns
//! (<https://learn.microsoft.com/graph/api/user-list-memberof>), so every item is a group and any
//! listable group property can be a column.

use super::spec::{self, ColumnError};
use super::{
    Column, ColumnSource, ColumnTheme, Computed, col, group_catalogue, group_default_columns,
};
use serde::Serialize;

/// How a user is in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Membership {
    /// The user is a member of the group itself.
    Direct,
    /// The user is a member of a group nested (at any depth) in the group, and not of the group itself.
    Inherited,
}

impl Membership {
    /// The cell text: `direct` or `inherited`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Inherited => "inherited",
        }
    }
}

/// The default columns: `userId`, `userPrincipalName`, `groupId`, `groupName`, and when nested
/// groups are included `membership` (`direct` or `inherited`). User id and UPN come from the row
/// context.
pub fn user_group_columns(transitive: bool) -> Vec<Column> {
    use ColumnSource::{Computed as C, Property as P};
    let mut cols = vec![
        col(
            "userId",
            &[],
            C(Computed::ParentUserId),
            "Id of the user whose groups are listed.",
            ColumnTheme::Identity,
        ),
        col(
            "userPrincipalName",
            &[],
            C(Computed::ParentUserPrincipalName),
            "That user's UPN.",
            ColumnTheme::Identity,
        ),
        col(
            "groupId",
            &["id"],
            P("id"),
            "Group object ID.",
            ColumnTheme::Group,
        ),
        col(
            "groupName",
            &["displayName"],
            P("displayName"),
            "Group display name.",
            ColumnTheme::Group,
        ),
    ];
    if transitive {
        cols.push(col(
            "membership",
            &["id"],
            C(Computed::Membership),
            "direct, or inherited through a nested group.",
            ColumnTheme::Membership,
        ));
    }
    cols
}

/// Parses a spec: `None`, a blank spec, `default` or `all` give [`user_group_columns`]; otherwise
/// a comma-separated list of its headers and of group columns (`groupType`, `mail`,
/// `visibility`...; not the counts, which cost requests per group). `membership` exists only when
/// nested groups are included.
pub fn parse_user_group_columns(
    spec_text: Option<&str>,
    transitive: bool,
) -> Result<Vec<Column>, ColumnError> {
    let defaults = user_group_columns(transitive);
    let Some(spec_text) = spec_text.filter(|s| !s.trim().is_empty()) else {
        return Ok(defaults);
    };
    let mut choices = defaults.clone();
    for column in group_default_columns().into_iter().chain(group_catalogue()) {
        let per_group_request = matches!(
            column.source,
            ColumnSource::Computed(
                Computed::MemberCount | Computed::OwnerCount | Computed::HasNoOwner
            )
        );
        if !per_group_request && !choices.iter().any(|c| c.header == column.header) {
            choices.push(column);
        }
    }
    spec::parse(
        spec_text,
        "user group",
        &[("default", defaults.clone()), ("all", defaults)],
        &choices,
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{PageReader, RowContext, plan_select, render_row};
    use serde_json::json;

    #[test]
    fn a_row_names_user_group_and_how_the_user_is_in_it() {
        let group = json!({"id": "g1", "displayName": "Sales EMEA"});
        let ctx = RowContext {
            user_id: Some("u1"),
            user_principal_name: Some("ann@contoso.com"),
            membership: Some(Membership::Inherited),
            ..RowContext::default()
        };
        assert_eq!(
            render_row(&user_group_columns(true), &group, &ctx),
            ["u1", "ann@contoso.com", "g1", "Sales EMEA", "inherited"]
        );
        assert!(PageReader::new(&user_group_columns(false)).is_some());
        assert!(PageReader::new(&user_group_columns(true)).is_none());
        assert_eq!(
            plan_select(&user_group_columns(true)).select_param(),
            "id,displayName"
        );
    }

    #[test]
    fn specs_add_group_columns_but_not_the_costly_counts() {
        let cols =
            parse_user_group_columns(Some("userPrincipalName,groupName,groupType"), false).unwrap();
        let headers: Vec<&str> = cols.iter().map(|c| c.header.as_ref()).collect();
        assert_eq!(headers, ["userPrincipalName", "groupName", "groupType"]);
        assert!(parse_user_group_columns(Some("memberCount"), false).is_err());
        assert!(parse_user_group_columns(Some("hasNoOwner"), false).is_err());
        assert!(parse_user_group_columns(Some("membership"), false).is_err());
        assert!(parse_user_group_columns(Some("membership"), true).is_ok());
        assert_eq!(
            parse_user_group_columns(Some("all"), true).unwrap(),
            user_group_columns(true)
        );
    }
}
