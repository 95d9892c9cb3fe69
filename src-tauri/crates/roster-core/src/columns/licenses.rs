//! The licence columns: a user's `assignedLicenses` (`skuId`, `disabledPlans`) joined with the
//! tenant's `GET /subscribedSkus` (part numbers and service plan names), read once per download.

use super::product_names::product_name;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// What a licence column shows for each SKU a user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum LicenseField {
    /// The SKU part numbers (`SPE_E3; EMS`).
    SkuPartNumbers,
    /// The products' display names ("Microsoft 365 E3"), the part number for SKUs not in
    /// Roster's table of common products.
    ProductNames,
    /// Per SKU with disabled plans, the plans' names (`SPE_E3: SWAY, YAMMER_ENTERPRISE`).
    DisabledPlans,
}

/// One subscribed SKU: its part number and the names of its service plans by plan id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Sku {
    part_number: String,
    plans: HashMap<String, String>,
}

/// The tenant's subscribed SKUs, by `skuId` (lower case), from `GET /subscribedSkus`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkuCatalogue {
    skus: HashMap<String, Sku>,
}

impl SkuCatalogue {
    /// Reads a `GET /subscribedSkus` body (`{"value":[{"skuId", "skuPartNumber",
    /// "servicePlans":[{"servicePlanId", "servicePlanName"}]}]}`); anything else is an empty
    /// catalogue (every licence then shows its `skuId`).
    pub fn from_graph(body: &Value) -> Self {
        let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_owned);
        let skus = body
            .get("value")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|sku| {
                let id = text(sku, "skuId")?.to_ascii_lowercase();
                let plans = sku
                    .get("servicePlans")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|p| {
                        Some((
                            text(p, "servicePlanId")?.to_ascii_lowercase(),
                            text(p, "servicePlanName")?,
                        ))
                    })
                    .collect();
                let part_number = text(sku, "skuPartNumber").unwrap_or_else(|| id.clone());
                Some((id, Sku { part_number, plans }))
            })
            .collect();
        Self { skus }
    }

    /// The part number of `sku_id`, or the id itself for a SKU the tenant does not list.
    fn part_number<'a>(&'a self, sku_id: &'a str) -> &'a str {
        self.skus
            .get(&sku_id.to_ascii_lowercase())
            .map_or(sku_id, |s| s.part_number.as_str())
    }

    /// The name of plan `plan_id` of `sku_id`, or the plan id when unknown.
    fn plan_name<'a>(&'a self, sku_id: &str, plan_id: &'a str) -> &'a str {
        self.skus
            .get(&sku_id.to_ascii_lowercase())
            .and_then(|s| s.plans.get(&plan_id.to_ascii_lowercase()))
            .map_or(plan_id, String::as_str)
    }
}

/// The cell of licence column `field` for a user's `assignedLicenses` value, values joined with
/// `; `. Without a catalogue every SKU shows its id.
pub fn license_cell(field: LicenseField, assigned: &Value, skus: Option<&SkuCatalogue>) -> String {
    let empty = SkuCatalogue::default();
    let skus = skus.unwrap_or(&empty);
    let licenses = assigned.as_array().map(Vec::as_slice).unwrap_or_default();
    let parts = licenses.iter().filter_map(|license| {
        let sku_id = license.get("skuId").and_then(Value::as_str)?;
        let part = skus.part_number(sku_id);
        Some(match field {
            LicenseField::SkuPartNumbers => part.to_owned(),
            LicenseField::ProductNames => product_name(part).unwrap_or(part).to_owned(),
            LicenseField::DisabledPlans => {
                let plans: Vec<&str> = license
                    .get("disabledPlans")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|plan| skus.plan_name(sku_id, plan))
                    .collect();
                if plans.is_empty() {
                    return None;
                }
                format!("{part}: {}", plans.join(", "))
            }
        })
    });
    parts.collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const E3: &str = "05e9a617-0261-4cee-bb44-138d3ef5d965";
    const EMS: &str = "efccb6f7-5641-4e0e-bd10-b4976e1bf68e";
    const SWAY: &str = "a23b959c-7ce8-4e57-9140-b90eb88a9e97";

    fn catalogue() -> SkuCatalogue {
        SkuCatalogue::from_graph(&json!({"value": [
            {"skuId": E3, "skuPartNumber": "SPE_E3", "servicePlans": [
                {"servicePlanId": SWAY, "servicePlanName": "SWAY"},
                {"servicePlanId": "7547a3fe-08ee-4ccb-b430-5077c5041653", "servicePlanName": "YAMMER_ENTERPRISE"}
            ]},
            {"skuId": EMS.to_ascii_uppercase(), "skuPartNumber": "EMS", "servicePlans": []}
        ]}))
    }

    fn assigned() -> Value {
        json!([
            {"skuId": E3, "disabledPlans": [SWAY, "7547a3fe-08ee-4ccb-b430-5077c5041653"]},
            {"skuId": EMS, "disabledPlans": []}
        ])
    }

    #[test]
    fn part_numbers_and_product_names_follow_the_users_licences() {
        let skus = catalogue();
        assert_eq!(
            license_cell(LicenseField::SkuPartNumbers, &assigned(), Some(&skus)),
            "SPE_E3; EMS"
        );
        assert_eq!(
            license_cell(LicenseField::ProductNames, &assigned(), Some(&skus)),
            "Microsoft 365 E3; Enterprise Mobility + Security E3"
        );
    }

    #[test]
    fn disabled_plans_are_named_per_sku_and_skus_without_any_are_left_out() {
        assert_eq!(
            license_cell(LicenseField::DisabledPlans, &assigned(), Some(&catalogue())),
            "SPE_E3: SWAY, YAMMER_ENTERPRISE"
        );
    }

    #[test]
    fn unknown_skus_and_plans_show_their_ids_and_products_their_part_number() {
        let other = "11111111-2222-3333-4444-555555555555";
        let skus = SkuCatalogue::from_graph(&json!({"value": [
            {"skuId": other, "skuPartNumber": "CONTOSO_CUSTOM", "servicePlans": []}
        ]}));
        let user = json!([{"skuId": other, "disabledPlans": ["p-1"]}, {"skuId": E3}]);
        assert_eq!(
            license_cell(LicenseField::ProductNames, &user, Some(&skus)),
            format!("CONTOSO_CUSTOM; {E3}")
        );
        assert_eq!(
            license_cell(LicenseField::DisabledPlans, &user, Some(&skus)),
            "CONTOSO_CUSTOM: p-1"
        );
    }

    #[test]
    fn no_licences_is_an_empty_cell() {
        for value in [json!([]), Value::Null] {
            assert_eq!(
                license_cell(LicenseField::SkuPartNumbers, &value, Some(&catalogue())),
                ""
            );
        }
        assert_eq!(
            license_cell(LicenseField::SkuPartNumbers, &assigned(), None),
            format!("{E3}; {EMS}")
        );
    }
}
