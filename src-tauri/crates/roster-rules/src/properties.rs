//! The user properties a rule can read (the docs' list for users), their types, and the names a
//! condition inside `-any`/`-all` reads. Property names are case-sensitive, as the docs say; a name
//! that is wrong only in case, or by a letter or two, gets a "did you mean" suggestion.

use serde::Serialize;

use crate::error::{Problem, code};

/// A user property a rule reads, by its rule name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Property {
    /// The rule name: `department`, `otherMails`, `extensionAttribute3`,
    /// `extension_<appid>_<name>`, `memberOf`, or `manager` for a Direct Reports rule.
    pub name: String,
    /// Its type, which says how [`crate::UserValues`] supplies it.
    pub kind: PropertyKind,
}

/// The type of a [`Property`]: what values it holds and which operators apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PropertyKind {
    /// One text value ([`crate::UserValues::text`]).
    Text,
    /// `true` or `false` ([`crate::UserValues::text`], written `true`/`false` in any case).
    Boolean,
    /// A date or date and time in ISO 8601 ([`crate::UserValues::text`]).
    DateTime,
    /// Several text values ([`crate::UserValues::items`]): `otherMails`, `proxyAddresses`.
    TextList,
    /// The assigned service plans ([`crate::UserValues::plans`]).
    AssignedPlans,
    /// The ids of the groups the user is a direct member of ([`crate::UserValues::items`]).
    MemberOf,
    /// The manager's object id ([`crate::UserValues::text`]), read by a Direct Reports rule.
    Manager,
}

impl PropertyKind {
    /// The operators a condition on a property of this kind may use, for error messages.
    pub(crate) fn allowed_operators(self) -> &'static str {
        match self {
            Self::Text => TEXT_OPERATORS,
            Self::TextList => {
                "-eq, -ne, -startsWith, -notStartsWith, -endsWith, -notEndsWith, -contains, -notContains, -match, -notMatch, -in, -notIn, -any or -all"
            }
            Self::Boolean => "-eq or -ne",
            Self::DateTime => "-eq, -ne, -le or -ge",
            Self::AssignedPlans => "-any or -all",
            Self::MemberOf => "-any",
            Self::Manager => "Direct Reports for",
        }
    }
}

/// The operators that compare text, for error messages.
pub(crate) const TEXT_OPERATORS: &str = "-eq, -ne, -startsWith, -notStartsWith, -endsWith, -notEndsWith, -contains, -notContains, -match, -notMatch, -in or -notIn";

const BOOLEAN: &[&str] = &["accountEnabled", "dirSyncEnabled"];
const DATE_TIME: &[&str] = &["employeeHireDate"];
const TEXT_LIST: &[&str] = &["otherMails", "proxyAddresses"];
const TEXT: &[&str] = &[
    "city",
    "country",
    "companyName",
    "department",
    "displayName",
    "employeeId",
    "facsimileTelephoneNumber",
    "givenName",
    "jobTitle",
    "mail",
    "mailNickName",
    "mobile",
    "objectId",
    "onPremisesDistinguishedName",
    "onPremisesSecurityIdentifier",
    "passwordPolicies",
    "physicalDeliveryOfficeName",
    "postalCode",
    "preferredLanguage",
    "sipProxyAddress",
    "state",
    "streetAddress",
    "surname",
    "telephoneNumber",
    "usageLocation",
    "userPrincipalName",
    "userType",
];

/// Other spellings the docs themselves use in their examples (`user.mailNickname -endsWith …`,
/// `user.employeehiredate -ge …`, `user.memberof -any …`), and the name each stands for.
const ALIASES: &[(&str, &str)] = &[
    ("mailNickname", "mailNickName"),
    ("employeehiredate", "employeeHireDate"),
    ("memberof", "memberOf"),
];

/// The property named `name` (without `user.`), or `Err` with the closest known name if any.
pub(crate) fn user_property(name: &str) -> Result<Property, Option<String>> {
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, canonical)| canonical);
    let kind = if TEXT.contains(&name) || is_extension(name) {
        PropertyKind::Text
    } else if BOOLEAN.contains(&name) {
        PropertyKind::Boolean
    } else if DATE_TIME.contains(&name) {
        PropertyKind::DateTime
    } else if TEXT_LIST.contains(&name) {
        PropertyKind::TextList
    } else if name == "assignedPlans" {
        PropertyKind::AssignedPlans
    } else if name == "memberOf" {
        PropertyKind::MemberOf
    } else {
        return Err(suggest(name, known_names()));
    };
    Ok(Property {
        name: name.to_owned(),
        kind,
    })
}

/// Whether `name` is `extensionAttribute1`..`15` or `extension_<appid>_<name>` (the app id is the
/// application's id without hyphens: 32 letters and digits).
fn is_extension(name: &str) -> bool {
    if let Some(number) = name.strip_prefix("extensionAttribute") {
        return number.parse::<u8>().is_ok_and(|n| (1..=15).contains(&n))
            && !number.starts_with('0');
    }
    let Some(rest) = name.strip_prefix("extension_") else {
        return false;
    };
    let Some((app, attribute)) = rest.split_once('_') else {
        return false;
    };
    app.len() == 32
        && app.chars().all(|c| c.is_ascii_alphanumeric())
        && !attribute.is_empty()
        && attribute
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Every fixed user property name, for suggestions.
fn known_names() -> impl Iterator<Item = String> {
    let fixed = TEXT
        .iter()
        .chain(BOOLEAN)
        .chain(DATE_TIME)
        .chain(TEXT_LIST)
        .chain(&["assignedPlans", "memberOf"])
        .map(|name| (*name).to_owned());
    fixed.chain((1..=15).map(|n| format!("extensionAttribute{n}")))
}

/// What a condition inside `-any`/`-all` on `assignedPlans` reads of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemField {
    /// The item itself (`_` on a text list, `group.objectId` on `memberOf`).
    Value,
    /// `assignedPlan.servicePlanId`.
    ServicePlanId,
    /// `assignedPlan.capabilityStatus`.
    CapabilityStatus,
    /// `assignedPlan.service`.
    Service,
}

const PLAN_FIELDS: &[(&str, ItemField)] = &[
    ("servicePlanId", ItemField::ServicePlanId),
    ("capabilityStatus", ItemField::CapabilityStatus),
    ("service", ItemField::Service),
];

/// The field of `assignedPlan.<name>`, or the problem (unknown, with a suggestion if one is close).
pub(crate) fn plan_field(word: &str, name: &str) -> Result<ItemField, Problem> {
    if let Some((_, field)) = PLAN_FIELDS.iter().find(|(n, _)| *n == name) {
        return Ok(*field);
    }
    let names = PLAN_FIELDS.iter().map(|(n, _)| (*n).to_owned());
    Err(unknown(
        word,
        suggest(name, names).map(|s| format!("assignedPlan.{s}")),
    ))
}

/// The unknown-property problem for `word`, with `suggestion` if there is one.
pub(crate) fn unknown(word: &str, suggestion: Option<String>) -> Problem {
    match suggestion {
        Some(suggestion) => Problem::new(code::UNKNOWN_PROPERTY_DID_YOU_MEAN)
            .with("property", word)
            .with("suggestion", suggestion),
        None => Problem::new(code::UNKNOWN_PROPERTY).with("property", word),
    }
}

/// The known name closest to `name`: the same ignoring case, else at most two edits away (one for
/// short names).
fn suggest(name: &str, known: impl Iterator<Item = String>) -> Option<String> {
    let lower = name.to_lowercase();
    let limit = if name.chars().count() <= 5 { 1 } else { 2 };
    let mut best: Option<(usize, String)> = None;
    for candidate in known {
        let distance = if candidate.to_lowercase() == lower {
            0
        } else {
            edit_distance(&lower, &candidate.to_lowercase())
        };
        if distance <= limit && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_properties_have_their_types() {
        let kind = |name| user_property(name).map(|p| p.kind);
        assert_eq!(kind("department"), Ok(PropertyKind::Text));
        assert_eq!(kind("accountEnabled"), Ok(PropertyKind::Boolean));
        assert_eq!(kind("employeeHireDate"), Ok(PropertyKind::DateTime));
        assert_eq!(kind("proxyAddresses"), Ok(PropertyKind::TextList));
        assert_eq!(kind("assignedPlans"), Ok(PropertyKind::AssignedPlans));
        assert_eq!(kind("memberOf"), Ok(PropertyKind::MemberOf));
        assert_eq!(kind("extensionAttribute15"), Ok(PropertyKind::Text));
        assert_eq!(
            kind("extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber"),
            Ok(PropertyKind::Text)
        );
        assert!(user_property("manager").is_err());
    }

    #[test]
    fn the_docs_own_spellings_resolve_to_the_listed_name() {
        assert_eq!(user_property("mailNickname").unwrap().name, "mailNickName");
        assert_eq!(
            user_property("employeehiredate").unwrap().name,
            "employeeHireDate"
        );
        assert_eq!(user_property("memberof").unwrap().name, "memberOf");
    }

    #[test]
    fn wrong_names_get_the_closest_known_name() {
        assert_eq!(user_property("Department"), Err(Some("department".into())));
        assert_eq!(user_property("departmnt"), Err(Some("department".into())));
        assert_eq!(
            user_property("extensionattribute3"),
            Err(Some("extensionAttribute3".into()))
        );
        assert_eq!(
            user_property("extensionAttribute16"),
            Err(Some("extensionAttribute1".into()))
        );
        assert_eq!(user_property("favouriteColour"), Err(None));
        assert_eq!(user_property("extension_abc_Office"), Err(None));
        assert_eq!(
            user_property("extensionAttribute07"),
            Err(Some("extensionAttribute7".into()))
        );
    }

    #[test]
    fn plan_fields_are_case_sensitive_with_suggestions() {
        assert_eq!(
            plan_field("assignedPlan.service", "service").unwrap(),
            ItemField::Service
        );
        let problem = plan_field("assignedPlan.ServicePlanID", "ServicePlanID").unwrap_err();
        let error = problem.at(1);
        assert_eq!(error.text.code, code::UNKNOWN_PROPERTY_DID_YOU_MEAN);
        assert_eq!(
            error.text.params["suggestion"],
            "assignedPlan.servicePlanId"
        );
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
