//! User columns: the portal's 26-column "Download users" set and the picker catalogue.

use super::spec::{self, ColumnError, SelectPlan};
use super::{AuthMethodField, Column, ColumnSource, ColumnTheme, Computed, LicenseField, col};
use std::borrow::Cow;

/// The Entra admin center's classic "Download users" columns, in its order, with its headers and
/// their Graph v1.0 sources (graph-api.md §4.1).
pub fn portal_user_columns() -> Vec<Column> {
    use ColumnSource::{AuthMethod, FirstOf, Joined, Property};
    vec![
        col(
            "userPrincipalName",
            &["userPrincipalName"],
            Property("userPrincipalName"),
            "Sign-in name (UPN).",
            ColumnTheme::Identity,
        ),
        col(
            "displayName",
            &["displayName"],
            Property("displayName"),
            "Display name.",
            ColumnTheme::Identity,
        ),
        col(
            "surname",
            &["surname"],
            Property("surname"),
            "Last name.",
            ColumnTheme::Identity,
        ),
        col(
            "mail",
            &["mail"],
            Property("mail"),
            "Primary SMTP address.",
            ColumnTheme::Contact,
        ),
        col(
            "givenName",
            &["givenName"],
            Property("givenName"),
            "First name.",
            ColumnTheme::Identity,
        ),
        col(
            "objectId",
            &["id"],
            Property("id"),
            "Object ID (Graph `id`).",
            ColumnTheme::Identity,
        ),
        col(
            "userType",
            &["userType"],
            Property("userType"),
            "Member or Guest.",
            ColumnTheme::Identity,
        ),
        col(
            "jobTitle",
            &["jobTitle"],
            Property("jobTitle"),
            "Job title.",
            ColumnTheme::Job,
        ),
        col(
            "department",
            &["department"],
            Property("department"),
            "Department.",
            ColumnTheme::Job,
        ),
        col(
            "accountEnabled",
            &["accountEnabled"],
            Property("accountEnabled"),
            "True when sign-in is allowed.",
            ColumnTheme::SignIn,
        ),
        col(
            "usageLocation",
            &["usageLocation"],
            Property("usageLocation"),
            "Usage location (ISO 3166 alpha-2).",
            ColumnTheme::Licenses,
        ),
        col(
            "streetAddress",
            &["streetAddress"],
            Property("streetAddress"),
            "Street address.",
            ColumnTheme::Contact,
        ),
        col(
            "state",
            &["state"],
            Property("state"),
            "State or province.",
            ColumnTheme::Contact,
        ),
        col(
            "country",
            &["country"],
            Property("country"),
            "Country or region.",
            ColumnTheme::Contact,
        ),
        col(
            "physicalDeliveryOfficeName",
            &["officeLocation"],
            Property("officeLocation"),
            "Office (Graph `officeLocation`).",
            ColumnTheme::Job,
        ),
        col(
            "city",
            &["city"],
            Property("city"),
            "City.",
            ColumnTheme::Contact,
        ),
        col(
            "postalCode",
            &["postalCode"],
            Property("postalCode"),
            "ZIP or postal code.",
            ColumnTheme::Contact,
        ),
        col(
            "telephoneNumber",
            &["businessPhones"],
            FirstOf("businessPhones"),
            "Office phone: first of Graph `businessPhones`.",
            ColumnTheme::Contact,
        ),
        col(
            "mobile",
            &["mobilePhone"],
            Property("mobilePhone"),
            "Mobile phone (Graph `mobilePhone`).",
            ColumnTheme::Contact,
        ),
        col(
            "authenticationPhoneNumber",
            &[],
            AuthMethod(AuthMethodField::MobilePhone),
            "MFA mobile phone (phoneMethods `mobile`); needs per-user calls and UserAuthenticationMethod.Read.All.",
            ColumnTheme::Authentication,
        ),
        col(
            "authenticationAlternativePhoneNumber",
            &[],
            AuthMethod(AuthMethodField::AlternateMobilePhone),
            "MFA alternate mobile phone (phoneMethods `alternateMobile`); needs per-user calls and UserAuthenticationMethod.Read.All.",
            ColumnTheme::Authentication,
        ),
        col(
            "authenticationEmail",
            &[],
            AuthMethod(AuthMethodField::Email),
            "MFA e-mail (emailMethods[0]); needs per-user calls and UserAuthenticationMethod.Read.All.",
            ColumnTheme::Authentication,
        ),
        col(
            "alternateEmailAddress",
            &["otherMails"],
            Joined("otherMails"),
            "Other e-mail addresses (Graph `otherMails`), joined with `;`.",
            ColumnTheme::Contact,
        ),
        col(
            "ageGroup",
            &["ageGroup"],
            Property("ageGroup"),
            "Age group: minor, notAdult or adult.",
            ColumnTheme::Account,
        ),
        col(
            "consentProvidedForMinor",
            &["consentProvidedForMinor"],
            Property("consentProvidedForMinor"),
            "granted, denied or notRequired.",
            ColumnTheme::Account,
        ),
        col(
            "legalAgeGroupClassification",
            &["legalAgeGroupClassification"],
            Property("legalAgeGroupClassification"),
            "Computed legal age group.",
            ColumnTheme::Account,
        ),
    ]
}

/// How Graph types a catalogue property, which decides how it is read.
#[derive(Clone, Copy)]
enum Shape {
    Scalar,
    Strings,
    Complex,
}

/// Every user property of the v1.0 CSDL that `GET /users` can return, with its shape and theme.
const USER_PROPERTIES: &[(&str, Shape, ColumnTheme)] = {
    use ColumnTheme::*;
    use Shape::{Complex, Scalar, Strings};
    &[
        ("id", Scalar, Identity),
        ("accountEnabled", Scalar, SignIn),
        ("ageGroup", Scalar, Account),
        ("assignedLicenses", Complex, Licenses),
        ("assignedPlans", Complex, Licenses),
        ("authorizationInfo", Complex, Authentication),
        ("businessPhones", Strings, Contact),
        ("city", Scalar, Contact),
        ("companyName", Scalar, Job),
        ("consentProvidedForMinor", Scalar, Account),
        ("country", Scalar, Contact),
        ("createdDateTime", Scalar, Account),
        ("creationType", Scalar, Account),
        ("customSecurityAttributes", Complex, Account),
        ("deletedDateTime", Scalar, Account),
        ("department", Scalar, Job),
        ("deviceEnrollmentLimit", Scalar, Account),
        ("displayName", Scalar, Identity),
        ("employeeHireDate", Scalar, Job),
        ("employeeId", Scalar, Job),
        ("employeeLeaveDateTime", Scalar, Job),
        ("employeeOrgData", Complex, Job),
        ("employeeType", Scalar, Job),
        ("externalUserState", Scalar, Identity),
        ("externalUserStateChangeDateTime", Scalar, Identity),
        ("faxNumber", Scalar, Contact),
        ("givenName", Scalar, Identity),
        ("identities", Complex, Identity),
        ("identityParentId", Scalar, Identity),
        ("imAddresses", Strings, Contact),
        ("isManagementRestricted", Scalar, Account),
        ("isResourceAccount", Scalar, Identity),
        ("jobTitle", Scalar, Job),
        ("lastPasswordChangeDateTime", Scalar, SignIn),
        ("legalAgeGroupClassification", Scalar, Account),
        ("licenseAssignmentStates", Complex, Licenses),
        ("mail", Scalar, Contact),
        ("mailNickname", Scalar, Contact),
        ("mobilePhone", Scalar, Contact),
        ("officeLocation", Scalar, Job),
        ("onPremisesDistinguishedName", Scalar, OnPremises),
        ("onPremisesDomainName", Scalar, OnPremises),
        (
            "onPremisesExtensionAttributes",
            Complex,
            ExtensionAttributes,
        ),
        ("onPremisesImmutableId", Scalar, OnPremises),
        ("onPremisesLastSyncDateTime", Scalar, OnPremises),
        ("onPremisesProvisioningErrors", Complex, OnPremises),
        ("onPremisesSamAccountName", Scalar, OnPremises),
        ("onPremisesSecurityIdentifier", Scalar, OnPremises),
        ("onPremisesSyncEnabled", Scalar, OnPremises),
        ("onPremisesUserPrincipalName", Scalar, OnPremises),
        ("otherMails", Strings, Contact),
        ("passwordPolicies", Scalar, SignIn),
        ("passwordProfile", Complex, SignIn),
        ("postalCode", Scalar, Contact),
        ("preferredDataLocation", Scalar, Account),
        ("preferredLanguage", Scalar, Account),
        ("print", Complex, Account),
        ("provisionedPlans", Complex, Licenses),
        ("proxyAddresses", Strings, Contact),
        ("securityIdentifier", Scalar, Identity),
        ("serviceProvisioningErrors", Complex, Licenses),
        ("showInAddressList", Scalar, Contact),
        ("signInActivity", Complex, SignIn),
        ("signInSessionsValidFromDateTime", Scalar, SignIn),
        ("state", Scalar, Contact),
        ("streetAddress", Scalar, Contact),
        ("surname", Scalar, Identity),
        ("usageLocation", Scalar, Licenses),
        ("userPrincipalName", Scalar, Identity),
        ("userType", Scalar, Identity),
    ]
};

/// User properties Graph returns only for a single user (`GET /users/{id}`); `$select`ing one
/// on `GET /users` answers `501 Not Implemented` (graph-api.md §2.1), so they are not offered.
pub const LIST_UNSUPPORTED_USER_PROPERTIES: &[&str] = &[
    "aboutMe",
    "birthday",
    "hireDate",
    "interests",
    "mySite",
    "pastProjects",
    "preferredName",
    "responsibilities",
    "schools",
    "skills",
    "mailboxSettings",
];

const SIGN_IN_FIELDS: &[&[&str]] = &[
    &["signInActivity", "lastSignInDateTime"],
    &["signInActivity", "lastSignInRequestId"],
    &["signInActivity", "lastNonInteractiveSignInDateTime"],
    &["signInActivity", "lastNonInteractiveSignInRequestId"],
    &["signInActivity", "lastSuccessfulSignInDateTime"],
    &["signInActivity", "lastSuccessfulSignInRequestId"],
];

const EXTENSION_ATTRIBUTES: [&str; 15] = [
    "extensionAttribute1",
    "extensionAttribute2",
    "extensionAttribute3",
    "extensionAttribute4",
    "extensionAttribute5",
    "extensionAttribute6",
    "extensionAttribute7",
    "extensionAttribute8",
    "extensionAttribute9",
    "extensionAttribute10",
    "extensionAttribute11",
    "extensionAttribute12",
    "extensionAttribute13",
    "extensionAttribute14",
    "extensionAttribute15",
];

const EXTENSION_PATHS: [&[&str]; 15] = [
    &["onPremisesExtensionAttributes", "extensionAttribute1"],
    &["onPremisesExtensionAttributes", "extensionAttribute2"],
    &["onPremisesExtensionAttributes", "extensionAttribute3"],
    &["onPremisesExtensionAttributes", "extensionAttribute4"],
    &["onPremisesExtensionAttributes", "extensionAttribute5"],
    &["onPremisesExtensionAttributes", "extensionAttribute6"],
    &["onPremisesExtensionAttributes", "extensionAttribute7"],
    &["onPremisesExtensionAttributes", "extensionAttribute8"],
    &["onPremisesExtensionAttributes", "extensionAttribute9"],
    &["onPremisesExtensionAttributes", "extensionAttribute10"],
    &["onPremisesExtensionAttributes", "extensionAttribute11"],
    &["onPremisesExtensionAttributes", "extensionAttribute12"],
    &["onPremisesExtensionAttributes", "extensionAttribute13"],
    &["onPremisesExtensionAttributes", "extensionAttribute14"],
    &["onPremisesExtensionAttributes", "extensionAttribute15"],
];

/// Every user column a picker can offer besides the portal set: each listable CSDL property under
/// its Graph name (complex ones as readable text), `manager/userPrincipalName`,
/// `manager/displayName`, the `signInActivity/...` fields, `daysSinceLastSignIn`, the licence
/// columns (`licenses`, `licenseNames`, `licenseDisabledPlans`) and `extensionAttribute1`..`15`.
pub fn user_catalogue() -> Vec<Column> {
    let mut out: Vec<Column> = USER_PROPERTIES
        .iter()
        .map(|&(name, shape, theme)| Column {
            header: Cow::Borrowed(name),
            graph_select: vec![name],
            source: match shape {
                Shape::Scalar => ColumnSource::Property(name),
                Shape::Complex => ColumnSource::Readable(name),
                Shape::Strings => ColumnSource::Joined(name),
            },
            description: Cow::Owned(match shape {
                Shape::Scalar => format!("Graph user property `{name}`."),
                Shape::Strings => format!("Graph user property `{name}`, values joined with `;`."),
                Shape::Complex => {
                    format!("Graph user property `{name}`, as readable text (`name: value` pairs).")
                }
            }),
            theme,
        })
        .collect();
    out.push(col(
        "manager/userPrincipalName",
        &[],
        ColumnSource::Path(&["manager", "userPrincipalName"]),
        "Manager's UPN (`$expand=manager`).",
        ColumnTheme::Job,
    ));
    out.push(col(
        "manager/displayName",
        &[],
        ColumnSource::Path(&["manager", "displayName"]),
        "Manager's display name (`$expand=manager`).",
        ColumnTheme::Job,
    ));
    for path in SIGN_IN_FIELDS {
        out.push(Column {
            header: Cow::Owned(path.join("/")),
            graph_select: vec!["signInActivity"],
            source: ColumnSource::Path(path),
            description: Cow::Owned(format!(
                "`{}`; needs AuditLog.Read.All and Entra ID P1, pages of at most 500.",
                path.join("/")
            )),
            theme: ColumnTheme::SignIn,
        });
    }
    out.push(col(
        "daysSinceLastSignIn",
        &["signInActivity"],
        ColumnSource::Computed(Computed::DaysSinceLastSignIn),
        "Whole days from the latest interactive or non-interactive sign-in to when the download started; empty when never signed in. Needs AuditLog.Read.All and Entra ID P1, pages of at most 500.",
        ColumnTheme::SignIn,
    ));
    out.extend(license_columns());
    for (name, path) in EXTENSION_ATTRIBUTES.iter().zip(EXTENSION_PATHS) {
        out.push(Column {
            header: Cow::Borrowed(name),
            graph_select: vec!["onPremisesExtensionAttributes"],
            source: ColumnSource::Path(path),
            description: Cow::Owned(format!("`onPremisesExtensionAttributes/{name}`.")),
            theme: ColumnTheme::ExtensionAttributes,
        });
    }
    out
}

/// The licence column family: the user's `assignedLicenses` named from the tenant's
/// `GET /subscribedSkus`, read once per download.
fn license_columns() -> [Column; 3] {
    [
        col(
            "licenses",
            &["assignedLicenses"],
            ColumnSource::License(LicenseField::SkuPartNumbers),
            "Assigned licences as SKU part numbers (`SPE_E3; EMS`), from subscribedSkus (one request per download, needs LicenseAssignment.Read.All, Organization.Read.All or Directory.Read.All).",
            ColumnTheme::Licenses,
        ),
        col(
            "licenseNames",
            &["assignedLicenses"],
            ColumnSource::License(LicenseField::ProductNames),
            "Assigned licences as product names (\"Microsoft 365 E3\") from Microsoft's published list of common products; the SKU part number for a product not in it. Needs subscribedSkus like `licenses`.",
            ColumnTheme::Licenses,
        ),
        col(
            "licenseDisabledPlans",
            &["assignedLicenses"],
            ColumnSource::License(LicenseField::DisabledPlans),
            "Service plans turned off, per licence (`SPE_E3: SWAY, YAMMER_ENTERPRISE`). Needs subscribedSkus like `licenses`.",
            ColumnTheme::Licenses,
        ),
    ]
}

/// True for columns `all` leaves out because they need extra licences or permissions, without
/// which the whole download fails: `signInActivity` (Entra ID P1 + AuditLog.Read.All),
/// `customSecurityAttributes` (CustomSecAttributeAssignment.Read.All) and the licence names
/// (`subscribedSkus`: LicenseAssignment.Read.All or Organization.Read.All).
fn needs_extra_permission(column: &Column) -> bool {
    column.needs_subscribed_skus()
        || column
            .graph_select
            .iter()
            .any(|p| matches!(*p, "signInActivity" | "customSecurityAttributes"))
}

/// The desktop app's default user columns: the portal set without its authentication-method columns,
/// which cost one or two extra Graph requests per user and a permission of their own (ask for them
/// by name, or with `portal` or `all`).
pub fn default_user_columns() -> Vec<Column> {
    portal_user_columns()
        .into_iter()
        .filter(|c| !c.needs_auth_methods())
        .collect()
}

/// Parses a user column spec: `portal` (the 26 portal columns), `default` (those without the
/// authentication-method ones, [`default_user_columns`]), `all` (portal columns followed
/// by every catalogue column that adds data, except the `signInActivity` and
/// `customSecurityAttributes` ones, which need extra licences or permissions and must be named), or a comma-separated list of headers
/// (case-insensitive; `portal` and `all` may appear inside the list). Duplicates are dropped.
pub fn parse_user_columns(spec_text: &str) -> Result<Vec<Column>, ColumnError> {
    let portal = portal_user_columns();
    let catalogue = user_catalogue();
    let mut all = portal.clone();
    for c in &catalogue {
        let duplicate = portal
            .iter()
            .any(|p| p.source == c.source || p.header == c.header);
        if !duplicate && !needs_extra_permission(c) {
            all.push(c.clone());
        }
    }
    let mut choices = portal.clone();
    choices.extend(
        catalogue
            .into_iter()
            .filter(|c| !portal.iter().any(|p| p.header == c.header)),
    );
    spec::parse(
        spec_text,
        "user",
        &[
            ("portal", portal),
            ("default", default_user_columns()),
            ("all", all),
        ],
        &choices,
        LIST_UNSUPPORTED_USER_PROPERTIES,
    )
}

/// The extra requests that auth-method columns cost for a download of `users` users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthMethodCost {
    /// Extra Graph requests (one or two per user).
    pub requests: u64,
    /// `$batch` calls carrying them (20 requests per batch).
    pub batches: u64,
    /// What to show before the download starts (code `download.notice.authMethodCost`).
    pub note: crate::text::Text,
}

/// The cost of the plan's auth-method columns for `users` users, or `None` when it has none.
pub fn auth_method_cost(plan: &SelectPlan, users: u64) -> Option<AuthMethodCost> {
    let per_user = u64::from(plan.phone_methods) + u64::from(plan.email_methods);
    if per_user == 0 {
        return None;
    }
    let requests = users.saturating_mul(per_user);
    let batches = requests.div_ceil(20);
    let note = crate::text::Text::new(
        "download.notice.authMethodCost",
        format!(
            "{users} users → {users}×{per_user} = {requests} extra requests via $batch ({batches} batches of 20), \
             needs UserAuthenticationMethod.Read.All (and a role such as Global Reader or \
             Authentication Administrator; Authentication Administrators see masked numbers)"
        ),
    )
    .with("users", users)
    .with("perUser", per_user)
    .with("requests", requests)
    .with("batches", batches);
    Some(AuthMethodCost {
        requests,
        batches,
        note,
    })
}

#[cfg(test)]
#[path = "user_tests.rs"]
mod tests;
