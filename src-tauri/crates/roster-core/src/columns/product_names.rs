//! Display names of common licence products by SKU part number. Graph's `subscribedSkus` gives a
//! SKU's part number (`SPE_E3`) and its service plans, but not the name the admin centers show
//! ("Microsoft 365 E3"); Microsoft publishes that mapping separately.
//!
//! Source: Microsoft Learn, "Product names and service plan identifiers for licensing"
//! (learn.microsoft.com/entra/identity/users/licensing-service-plan-reference, the page and its CSV:
//! `String_Id` → `Product_Display_Name`), as updated on 2025-10-29. Only common SKUs are listed;
//! for any other the licence columns fall back to the part number.

/// `(skuPartNumber, product display name)`, sorted by part number.
const PRODUCT_NAMES: &[(&str, &str)] = &[
    ("AAD_PREMIUM", "Microsoft Entra ID P1"),
    ("AAD_PREMIUM_P2", "Microsoft Entra ID P2"),
    ("DESKLESSPACK", "Office 365 F3"),
    ("EMS", "Enterprise Mobility + Security E3"),
    ("EMSPREMIUM", "Enterprise Mobility + Security E5"),
    ("ENTERPRISEPACK", "Office 365 E3"),
    ("ENTERPRISEPREMIUM", "Office 365 E5"),
    ("EXCHANGEENTERPRISE", "Exchange Online (Plan 2)"),
    ("EXCHANGESTANDARD", "Exchange Online (Plan 1)"),
    ("FLOW_FREE", "Microsoft Power Automate Free"),
    ("MCOEV", "Microsoft Teams Phone Standard"),
    ("MCOMEETADV", "Microsoft 365 Audio Conferencing"),
    ("Microsoft_365_Copilot", "Copilot for Microsoft 365"),
    ("O365_BUSINESS_ESSENTIALS", "Microsoft 365 Business Basic"),
    ("O365_BUSINESS_PREMIUM", "Microsoft 365 Business Standard"),
    ("POWER_BI_PRO", "Power BI Pro"),
    ("PROJECTPREMIUM", "Project Plan 5"),
    ("PROJECTPROFESSIONAL", "Project Plan 3"),
    ("RIGHTSMANAGEMENT", "Azure Information Protection Plan 1"),
    ("SPB", "Microsoft 365 Business Premium"),
    ("SPE_E3", "Microsoft 365 E3"),
    ("SPE_E5", "Microsoft 365 E5"),
    ("SPE_F1", "Microsoft 365 F3"),
    ("STANDARDPACK", "Office 365 E1"),
    ("VISIOCLIENT", "Visio Plan 2"),
];

/// The product's display name for SKU part number `part_number` (case-insensitive), when it is
/// among the common SKUs listed.
pub(crate) fn product_name(part_number: &str) -> Option<&'static str> {
    PRODUCT_NAMES
        .iter()
        .find(|(part, _)| part.eq_ignore_ascii_case(part_number))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_by_part_number_in_any_case() {
        assert_eq!(product_name("SPE_E3"), Some("Microsoft 365 E3"));
        assert_eq!(product_name("spb"), Some("Microsoft 365 Business Premium"));
        assert_eq!(product_name("CONTOSO_CUSTOM"), None);
    }

    #[test]
    fn the_table_is_sorted_without_duplicates() {
        let parts: Vec<String> = PRODUCT_NAMES
            .iter()
            .map(|(p, _)| p.to_ascii_uppercase())
            .collect();
        let mut sorted = parts.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(parts, sorted);
    }
}
