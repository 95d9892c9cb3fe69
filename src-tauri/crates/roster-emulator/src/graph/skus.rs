//! `GET /subscribedSkus`: the tenant's licence SKUs, the ones its users' `assignedLicenses` use,
//! with their part numbers and service plans (Learn "subscribedSku resource type" and "List
//! subscribedSkus"; ids and names from "Product names and service plan identifiers for
//! licensing"). Permissions (delegated and application): LicenseAssignment.Read.All, or
//! Organization.Read.All, Directory.Read.All and their ReadWrite forms; 403 otherwise. Graph
//! supports no query options here; the collection comes in one page.

use serde_json::{Value, json};

use super::auth::Caller;
use super::error::GraphError;
use super::{Ctx, GraphResponse};
use crate::tenant::names::SKUS;

/// Permissions that allow listing the subscribed SKUs.
pub const SKUS_READ: &[&str] = &[
    "LicenseAssignment.Read.All",
    "Organization.Read.All",
    "Organization.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// `(servicePlanId, servicePlanName)` of the plans the demo SKUs carry.
const EXCHANGE_S_ENTERPRISE: (&str, &str) = (
    "efb87545-963c-4e0d-99df-69c6916d9eb0",
    "EXCHANGE_S_ENTERPRISE",
);
const EXCHANGE_S_STANDARD: (&str, &str) = (
    "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    "EXCHANGE_S_STANDARD",
);
const SHAREPOINTENTERPRISE: (&str, &str) = (
    "5dbe027f-2339-4123-9542-606e4d348a72",
    "SHAREPOINTENTERPRISE",
);
const SHAREPOINTSTANDARD: (&str, &str) =
    ("c7699d2e-19aa-44de-8edf-1736da088ca1", "SHAREPOINTSTANDARD");
const OFFICESUBSCRIPTION: (&str, &str) =
    ("43de0ff5-c92c-492b-9116-175376d08c38", "OFFICESUBSCRIPTION");
const TEAMS1: (&str, &str) = ("57ff2da0-773e-42df-b2af-ffb7a2317929", "TEAMS1");
/// Sway, the first plan [`disabled_plans`] turns off.
pub const SWAY: (&str, &str) = ("a23b959c-7ce8-4e57-9140-b90eb88a9e97", "SWAY");
/// Yammer (Viva Engage), the second plan [`disabled_plans`] turns off.
pub const YAMMER_ENTERPRISE: (&str, &str) =
    ("7547a3fe-08ee-4ccb-b430-5077c5041653", "YAMMER_ENTERPRISE");
const AAD_PREMIUM: (&str, &str) = ("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "AAD_PREMIUM");
const INTUNE_A: (&str, &str) = ("c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "INTUNE_A");

/// Part number and service plans of each SKU of [`SKUS`], in the same order.
pub const SKU_DETAILS: [(&str, &[(&str, &str)]); 3] = [
    (
        "SPB",
        &[
            EXCHANGE_S_STANDARD,
            SHAREPOINTSTANDARD,
            OFFICESUBSCRIPTION,
            TEAMS1,
            SWAY,
            AAD_PREMIUM,
            INTUNE_A,
        ],
    ),
    (
        "SPE_E3",
        &[
            EXCHANGE_S_ENTERPRISE,
            SHAREPOINTENTERPRISE,
            OFFICESUBSCRIPTION,
            TEAMS1,
            SWAY,
            YAMMER_ENTERPRISE,
            AAD_PREMIUM,
            INTUNE_A,
        ],
    ),
    (
        "STANDARDPACK",
        &[
            EXCHANGE_S_STANDARD,
            SHAREPOINTSTANDARD,
            TEAMS1,
            SWAY,
            YAMMER_ENTERPRISE,
        ],
    ),
];

/// The plans turned off in a user's licence of SKU `sku` (an index into [`SKUS`]): Sway and
/// Yammer in the Microsoft 365 E3 licences of users whose id starts with `0` to `3` (about a
/// quarter of them, fixed by the id so it never changes the generated tenant), none otherwise.
pub fn disabled_plans(user_id: &str, sku: usize) -> &'static [(&'static str, &'static str)] {
    let quarter = user_id
        .chars()
        .next()
        .and_then(|c| c.to_digit(16))
        .is_some_and(|d| d < 4);
    if SKU_DETAILS.get(sku).map(|d| d.0) == Some("SPE_E3") && quarter {
        &[SWAY, YAMMER_ENTERPRISE]
    } else {
        &[]
    }
}

/// `GET /subscribedSkus`.
pub fn list(ctx: &Ctx<'_>, caller: &Caller) -> Result<GraphResponse, GraphError> {
    caller.require_any(SKUS_READ)?;
    let tenant = ctx.tenant.read();
    let mut consumed = [0u64; 3];
    for user in tenant.users() {
        for &sku in &user.licenses {
            if let Some(n) = consumed.get_mut(sku as usize) {
                *n += 1;
            }
        }
    }
    let value: Vec<Value> = SKUS
        .iter()
        .zip(SKU_DETAILS)
        .zip(consumed)
        .map(|((sku_id, (part_number, plans)), used)| {
            let plans: Vec<Value> = plans
                .iter()
                .map(|(id, name)| {
                    json!({"servicePlanId": id, "servicePlanName": name,
                           "provisioningStatus": "Success", "appliesTo": "User"})
                })
                .collect();
            json!({
                "accountName": "Roster demo",
                "accountId": tenant.tenant_id(),
                "appliesTo": "User",
                "capabilityStatus": "Enabled",
                "consumedUnits": used,
                "id": format!("{}_{sku_id}", tenant.tenant_id()),
                "prepaidUnits": {"enabled": used.next_multiple_of(25) + 25, "suspended": 0,
                                 "warning": 0, "lockedOut": 0},
                "servicePlans": plans,
                "skuId": sku_id,
                "skuPartNumber": part_number,
                "subscriptionIds": [],
            })
        })
        .collect();
    let body = json!({
        "@odata.context": format!("{}/v1.0/$metadata#subscribedSkus", ctx.base_url),
        "value": value,
    });
    Ok(GraphResponse::value(200, &body).with_items(SKUS.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sku_has_its_details_and_disabled_plans_are_its_own() {
        assert_eq!(SKU_DETAILS.len(), SKUS.len());
        for (sku, (_, plans)) in SKU_DETAILS.iter().enumerate() {
            for id in ["0abc", "3abc", "cabc"] {
                for plan in disabled_plans(id, sku) {
                    assert!(plans.contains(plan));
                }
            }
        }
        assert_eq!(disabled_plans("2f00", 1), &[SWAY, YAMMER_ENTERPRISE]);
        assert!(disabled_plans("af00", 1).is_empty());
        assert!(disabled_plans("2f00", 0).is_empty());
    }
}
