//! Owner columns for group owner downloads: one row per group and owner.
//!
//! Graph's `GET /groups/{id}/owners` returns `directoryObject`s, each with its `@odata.type`: users
//! and service principals (<https://learn.microsoft.com/graph/api/group-list-owners>).

use super::member::{listed_group_columns, parse_related_columns};
use super::spec::ColumnError;
use super::{Column, ColumnSource, ColumnTheme, Computed, col};

/// The owner download columns: `groupId`, `groupName`, `ownerId`, `ownerUserPrincipalName`,
/// `ownerDisplayName`, `ownerType` (`user`, `servicePrincipal`, ...). Group id and name come from
/// the row context.
pub fn owner_columns() -> Vec<Column> {
    use ColumnSource::{Computed as C, Property as P};
    let mut cols = listed_group_columns().to_vec();
    cols.extend([
        col(
            "ownerId",
            &["id"],
            P("id"),
            "Owner object ID.",
            ColumnTheme::Identity,
        ),
        col(
            "ownerUserPrincipalName",
            &["userPrincipalName"],
            P("userPrincipalName"),
            "Owner UPN (users only).",
            ColumnTheme::Identity,
        ),
        col(
            "ownerDisplayName",
            &["displayName"],
            P("displayName"),
            "Owner display name.",
            ColumnTheme::Identity,
        ),
        col(
            "ownerType",
            &[],
            C(Computed::MemberType),
            "user or servicePrincipal.",
            ColumnTheme::Membership,
        ),
    ]);
    cols
}

/// Parses an owner column spec: `None`, a blank spec, `default` or `all` give [`owner_columns`];
/// otherwise a comma-separated list of owner column headers (case-insensitive) and, for user
/// owners, any plain user property from the user catalogue (`jobTitle`, `mail`, ...; empty for
/// service principals).
pub fn parse_owner_columns(spec_text: Option<&str>) -> Result<Vec<Column>, ColumnError> {
    parse_related_columns(spec_text, "owner", owner_columns())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{PageReader, RowContext, plan_select, render_row};
    use serde_json::json;

    #[test]
    fn an_owner_row_names_group_owner_and_type() {
        let owner = json!({
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": "5c70937c-d9ea-4a47-8852-ab77630f803d",
            "displayName": "Provisioning app",
            "userPrincipalName": null
        });
        let ctx = RowContext {
            group_id: Some("g1"),
            group_name: Some("Sales"),
            ..RowContext::default()
        };
        let row = render_row(&owner_columns(), &owner, &ctx);
        assert_eq!(
            row,
            [
                "g1",
                "Sales",
                "5c70937c-d9ea-4a47-8852-ab77630f803d",
                "",
                "Provisioning app",
                "servicePrincipal"
            ]
        );
        let body = serde_json::to_vec(&json!({"value": [owner]})).unwrap();
        let reader = PageReader::new(&owner_columns()).expect("owner columns stream");
        let mut streamed = Vec::new();
        reader
            .read_page::<()>(&body, &ctx, |cells| {
                streamed.push(cells.iter().map(|c| c.to_string()).collect::<Vec<_>>());
                Ok(())
            })
            .unwrap();
        assert_eq!(streamed, [row]);
        assert_eq!(
            plan_select(&owner_columns()).select_param(),
            "id,userPrincipalName,displayName"
        );
    }

    #[test]
    fn owner_specs_narrow_and_add_user_properties() {
        assert_eq!(parse_owner_columns(None).unwrap(), owner_columns());
        assert_eq!(parse_owner_columns(Some("all")).unwrap(), owner_columns());
        let cols =
            parse_owner_columns(Some("groupName, ownerUserPrincipalName, jobTitle")).unwrap();
        let headers: Vec<&str> = cols.iter().map(|c| c.header.as_ref()).collect();
        assert_eq!(headers, ["groupName", "ownerUserPrincipalName", "jobTitle"]);
        let err = parse_owner_columns(Some("ownerMial"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("unknown owner column `ownerMial`"), "{err}");
        assert!(parse_owner_columns(Some("manager/displayName")).is_err());
    }
}
