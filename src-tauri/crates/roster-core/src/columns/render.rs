//! Turning Graph JSON values into CSV cell text.

use super::{
    AuthMethodField, Column, ColumnSource, Computed, GroupKind, MemberType, MembershipType,
    SkuCatalogue, property_cell,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Data for a row that is not part of the Graph object itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct RowContext<'a> {
    /// Id of the group whose members are being listed.
    pub group_id: Option<&'a str>,
    /// Display name of that group.
    pub group_name: Option<&'a str>,
    /// Transitive downloads: group names from the listed group to the member's direct parent,
    /// already joined by the caller (Roster uses ` > `).
    pub nesting_path: Option<&'a str>,
    /// Member count of the group on this row, when the caller asked for it.
    pub member_count: Option<u64>,
    /// Owner count of the group on this row, when the caller asked for it.
    pub owner_count: Option<u64>,
    /// Id of the user whose groups are being listed.
    pub user_id: Option<&'a str>,
    /// User principal name of that user.
    pub user_principal_name: Option<&'a str>,
    /// Whether the user is in the row's group directly or through a nested group.
    pub membership: Option<super::Membership>,
    /// The user's authentication methods, when auth-method columns were requested.
    pub auth_methods: Option<&'a AuthMethods>,
    /// The tenant's subscribed SKUs, read once per download, when licence columns were requested.
    pub skus: Option<&'a SkuCatalogue>,
    /// The moment "days since last sign-in" counts to: when the download started.
    pub as_of: Option<DateTime<Utc>>,
}

/// The three values of the portal's authentication columns for one user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthMethods {
    /// Number of the `phoneMethods` item with `phoneType` `mobile`.
    pub mobile: Option<String>,
    /// Number of the `phoneMethods` item with `phoneType` `alternateMobile`.
    pub alternate_mobile: Option<String>,
    /// `emailAddress` of the first `emailMethods` item.
    pub email: Option<String>,
}

impl AuthMethods {
    /// Reads the bodies of `GET /users/{id}/authentication/phoneMethods` and
    /// `.../emailMethods` (each `{"value":[...]}`); pass `Value::Null` for a call not made.
    pub fn from_graph(phone_methods: &Value, email_methods: &Value) -> Self {
        let phones = phone_methods.get("value").and_then(Value::as_array);
        let phone = |kind: &str| {
            phones?
                .iter()
                .find(|p| p.get("phoneType").and_then(Value::as_str) == Some(kind))
                .and_then(|p| p.get("phoneNumber"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let email = email_methods
            .get("value")
            .and_then(Value::as_array)
            .and_then(|v| v.first())
            .and_then(|e| e.get("emailAddress"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        Self {
            mobile: phone("mobile"),
            alternate_mobile: phone("alternateMobile"),
            email,
        }
    }
}

/// Renders one JSON value as cell text (rules in the [module docs](super)).
pub fn render_value(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.iter().all(is_scalar) => {
            items.iter().map(render_value).collect::<Vec<_>>().join(";")
        }
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Array(_) | Value::Object(_))
}

/// Renders every column of one row.
pub fn render_row(columns: &[Column], obj: &Value, ctx: &RowContext<'_>) -> Vec<String> {
    columns.iter().map(|c| cell(c, obj, ctx)).collect()
}

pub(super) fn cell(column: &Column, obj: &Value, ctx: &RowContext<'_>) -> String {
    match column.source {
        ColumnSource::Property(name) => obj.get(name).map(render_value).unwrap_or_default(),
        ColumnSource::FirstOf(name) => obj
            .get(name)
            .and_then(Value::as_array)
            .and_then(|items| items.first())
            .map(render_value)
            .unwrap_or_default(),
        ColumnSource::Joined(name) => match obj.get(name) {
            Some(Value::Array(items)) => {
                items.iter().map(render_value).collect::<Vec<_>>().join(";")
            }
            Some(other) => render_value(other),
            None => String::new(),
        },
        ColumnSource::Path(_)
        | ColumnSource::License(_)
        | ColumnSource::Readable(_)
        | ColumnSource::Computed(Computed::DaysSinceLastSignIn) => {
            let property = property_cell::property_of(column.source).unwrap_or_default();
            property_cell::cell(column.source, obj.get(property), ctx)
        }
        ColumnSource::AuthMethod(field) => {
            let Some(methods) = ctx.auth_methods else {
                return String::new();
            };
            match field {
                AuthMethodField::MobilePhone => methods.mobile.clone(),
                AuthMethodField::AlternateMobilePhone => methods.alternate_mobile.clone(),
                AuthMethodField::Email => methods.email.clone(),
            }
            .unwrap_or_default()
        }
        ColumnSource::Computed(computed) => computed_cell(computed, obj, ctx),
    }
}

fn computed_cell(computed: Computed, obj: &Value, ctx: &RowContext<'_>) -> String {
    match computed {
        Computed::GroupType => GroupKind::of_group(obj).label().to_owned(),
        Computed::DaysSinceLastSignIn => property_cell::cell(
            ColumnSource::Computed(computed),
            obj.get("signInActivity"),
            ctx,
        ),
        Computed::MembershipType => MembershipType::of_group(obj).label().to_owned(),
        Computed::GroupSource => {
            if obj.get("onPremisesSyncEnabled").and_then(Value::as_bool) == Some(true) {
                "Windows Server AD".to_owned()
            } else {
                "Cloud".to_owned()
            }
        }
        Computed::MemberType => MemberType::of_object(obj).as_str().to_owned(),
        Computed::MemberCount => ctx.member_count.map(|n| n.to_string()).unwrap_or_default(),
        Computed::OwnerCount => ctx.owner_count.map(|n| n.to_string()).unwrap_or_default(),
        Computed::HasNoOwner => ctx
            .owner_count
            .map(|n| render_value(&Value::Bool(n == 0)))
            .unwrap_or_default(),
        Computed::ParentUserId => ctx.user_id.unwrap_or_default().to_owned(),
        Computed::ParentUserPrincipalName => ctx.user_principal_name.unwrap_or_default().to_owned(),
        Computed::Membership => ctx
            .membership
            .map(|m| m.as_str().to_owned())
            .unwrap_or_default(),
        Computed::ParentGroupId => ctx.group_id.unwrap_or_default().to_owned(),
        Computed::ParentGroupName => ctx.group_name.unwrap_or_default().to_owned(),
        Computed::NestingPath => ctx.nesting_path.unwrap_or_default().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_render_like_the_portal() {
        assert_eq!(render_value(&Value::Null), "");
        assert_eq!(render_value(&json!(true)), "True");
        assert_eq!(render_value(&json!(false)), "False");
        assert_eq!(render_value(&json!(42)), "42");
        assert_eq!(
            render_value(&json!("2024-01-31T09:12:45Z")),
            "2024-01-31T09:12:45Z"
        );
    }

    #[test]
    fn collections_join_with_semicolon_and_objects_stay_json() {
        assert_eq!(
            render_value(&json!(["a@x.com", "b@x.com"])),
            "a@x.com;b@x.com"
        );
        assert_eq!(render_value(&json!([])), "");
        assert_eq!(render_value(&json!([{"skuId": "1"}])), r#"[{"skuId":"1"}]"#);
        assert_eq!(
            render_value(&json!({"lastSignInDateTime": null})),
            r#"{"lastSignInDateTime":null}"#
        );
    }

    #[test]
    fn auth_methods_are_read_from_graph_bodies() {
        let phones = json!({"value": [
            {"id": "3179e48a-750b-4051-897c-87b9720928f7", "phoneNumber": "+1 2065555555", "phoneType": "mobile"},
            {"id": "b6332ec1-7057-4abe-9331-3d72feddfe41", "phoneNumber": "+1 2065555556", "phoneType": "alternateMobile"},
            {"id": "e37fc753-ff3b-4958-9484-eaa9425c82bc", "phoneNumber": "+1 2065555557", "phoneType": "office"}
        ]});
        let emails = json!({"value": [{"id": "3ddfcfc8", "emailAddress": "Kim@contoso.com"}]});
        let m = AuthMethods::from_graph(&phones, &emails);
        assert_eq!(m.mobile.as_deref(), Some("+1 2065555555"));
        assert_eq!(m.alternate_mobile.as_deref(), Some("+1 2065555556"));
        assert_eq!(m.email.as_deref(), Some("Kim@contoso.com"));
        assert_eq!(
            AuthMethods::from_graph(&json!({"value": []}), &Value::Null),
            AuthMethods::default()
        );
    }
}
