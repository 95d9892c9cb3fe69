//! Complex user properties as readable cells instead of JSON: `employeeOrgData` as
//! "division / costCenter", `passwordProfile` as its two flags (Graph never returns the password),
//! `onPremisesProvisioningErrors` as one sentence per error, and any other complex value as
//! `name: value` pairs (`; ` between pairs, ` | ` between the items of a collection), leaving out
//! nulls, empty collections and `@odata.type`.

use super::render::render_value;
use serde_json::Value;

/// The readable cell of complex property `property` with value `value`.
pub fn readable_cell(property: &str, value: &Value) -> String {
    match (property, value) {
        (_, Value::Null) => String::new(),
        ("employeeOrgData", Value::Object(_)) => org_data(value),
        ("passwordProfile", Value::Object(_)) => pairs(value, &["password"]),
        ("onPremisesProvisioningErrors", Value::Array(errors)) => errors
            .iter()
            .map(provisioning_error)
            .collect::<Vec<_>>()
            .join("; "),
        _ => flatten(value),
    }
}

/// "Sales / CC-42": division and cost centre, either side empty when Graph has none.
fn org_data(value: &Value) -> String {
    let part = |key: &str| value.get(key).map(render_value).unwrap_or_default();
    let (division, cost_center) = (part("division"), part("costCenter"));
    if division.is_empty() && cost_center.is_empty() {
        return String::new();
    }
    format!("{division} / {cost_center}")
}

/// "PropertyConflict on proxyAddresses (smtp:a@contoso.com) at 2024-05-01T10:00:00Z".
fn provisioning_error(error: &Value) -> String {
    let part = |key: &str| error.get(key).map(render_value).unwrap_or_default();
    let mut text = part("category");
    let property = part("propertyCausingError");
    if !property.is_empty() {
        text.push_str(&format!(" on {property}"));
    }
    let value = part("value");
    if !value.is_empty() {
        text.push_str(&format!(" ({value})"));
    }
    let at = part("occurredDateTime");
    if !at.is_empty() {
        text.push_str(&format!(" at {at}"));
    }
    text.trim().to_owned()
}

/// Any JSON value as text: scalars as [`render_value`] gives them, objects as `name: value`
/// pairs, collections of objects with ` | ` between items.
fn flatten(value: &Value) -> String {
    match value {
        Value::Object(_) => pairs(value, &[]),
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => items
            .iter()
            .map(flatten)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" | "),
        other => render_value(other),
    }
}

/// `name: value; name: value` of an object's members, without `skip`, nulls, empty values and
/// OData annotations; nested objects are put in parentheses.
fn pairs(value: &Value, skip: &[&str]) -> String {
    let Value::Object(members) = value else {
        return render_value(value);
    };
    members
        .iter()
        .filter(|(name, _)| !name.starts_with('@') && !skip.contains(&name.as_str()))
        .filter_map(|(name, v)| {
            let text = match v {
                Value::Object(_) => format!("({})", pairs(v, &[])),
                other => flatten(other),
            };
            (!text.is_empty() && text != "()").then(|| format!("{name}: {text}"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn org_data_reads_division_then_cost_centre() {
        let both = json!({"division": "Retail", "costCenter": "CC-42"});
        assert_eq!(readable_cell("employeeOrgData", &both), "Retail / CC-42");
        let one = json!({"division": null, "costCenter": "CC-42"});
        assert_eq!(readable_cell("employeeOrgData", &one), " / CC-42");
        let none = json!({"division": null, "costCenter": null});
        assert_eq!(readable_cell("employeeOrgData", &none), "");
    }

    #[test]
    fn password_profile_shows_its_flags_never_a_password() {
        let profile = json!({
            "password": "secret-should-never-show",
            "forceChangePasswordNextSignIn": true,
            "forceChangePasswordNextSignInWithMfa": false
        });
        let cell = readable_cell("passwordProfile", &profile);
        assert_eq!(
            cell,
            "forceChangePasswordNextSignIn: True; forceChangePasswordNextSignInWithMfa: False"
        );
    }

    #[test]
    fn provisioning_errors_read_as_sentences() {
        let errors = json!([
            {"category": "PropertyConflict", "occurredDateTime": "2024-05-01T10:00:00Z",
             "propertyCausingError": "ProxyAddresses", "value": "smtp:a@contoso.com"},
            {"category": "UserPrincipalName", "occurredDateTime": null,
             "propertyCausingError": null, "value": null}
        ]);
        assert_eq!(
            readable_cell("onPremisesProvisioningErrors", &errors),
            "PropertyConflict on ProxyAddresses (smtp:a@contoso.com) at 2024-05-01T10:00:00Z; UserPrincipalName"
        );
        assert_eq!(
            readable_cell("onPremisesProvisioningErrors", &json!([])),
            ""
        );
    }

    #[test]
    fn other_complex_values_become_pairs_without_nulls_or_annotations() {
        let identities = json!([
            {"signInType": "userPrincipalName", "issuer": "contoso.com", "issuerAssignedId": "a@contoso.com"},
            {"signInType": "federated", "issuer": "ExternalAzureAD", "issuerAssignedId": null}
        ]);
        assert_eq!(
            readable_cell("identities", &identities),
            "signInType: userPrincipalName; issuer: contoso.com; issuerAssignedId: a@contoso.com | signInType: federated; issuer: ExternalAzureAD"
        );
        let nested =
            json!({"@odata.type": "#x", "a": {"b": 1, "c": null}, "d": [], "e": ["x", "y"]});
        assert_eq!(readable_cell("print", &nested), "a: (b: 1); e: x;y");
        assert_eq!(readable_cell("anything", &Value::Null), "");
    }
}
