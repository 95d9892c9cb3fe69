//! Which `$filter` operators each property supports, and which of them need an advanced query
//! (graph-api.md §3.1). The tables are Graph's documented per-property support; a property missing
//! from a table cannot be filtered at all.

use super::meta::EntityType;

/// A set of filter operators, as bit flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Ops(u16);

impl Ops {
    pub(crate) const NONE: Ops = Ops(0);
    pub(crate) const EQ: Ops = Ops(1);
    pub(crate) const NE: Ops = Ops(1 << 1);
    pub(crate) const NOT: Ops = Ops(1 << 2);
    pub(crate) const IN: Ops = Ops(1 << 3);
    /// `ge le gt lt`.
    pub(crate) const RANGE: Ops = Ops(1 << 4);
    pub(crate) const STARTS: Ops = Ops(1 << 5);
    pub(crate) const ENDS: Ops = Ops(1 << 6);
    /// `eq null` / `ne null`.
    pub(crate) const NULL: Ops = Ops(1 << 7);
    /// `collection/$count` comparisons.
    pub(crate) const COUNT: Ops = Ops(1 << 8);

    pub(crate) const fn or(self, other: Ops) -> Ops {
        Ops(self.0 | other.0)
    }

    pub(crate) const fn has(self, other: Ops) -> bool {
        self.0 & other.0 == other.0
    }
}

const fn ops(list: &[Ops]) -> Ops {
    let mut acc = 0;
    let mut i = 0;
    while i < list.len() {
        acc |= list[i].0;
        i += 1;
    }
    Ops(acc)
}

use Ops as O;

/// `eq ne not in`.
const KEY: Ops = ops(&[O::EQ, O::NE, O::NOT, O::IN]);
/// `eq ne not in ge le`.
const DATE: Ops = KEY.or(O::RANGE);
/// `eq ne not ge le in startsWith eq-null`: the usual string set.
const STR: Ops = ops(&[O::EQ, O::NE, O::NOT, O::IN, O::RANGE, O::STARTS, O::NULL]);
/// Negation and `$count` on a collection (plus whatever its `any` allows).
const COLL: Ops = ops(&[O::NOT, O::COUNT]);

/// How one property may be filtered.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    pub(crate) name: &'static str,
    /// Operators on the property itself (or on a nested path below it).
    pub(crate) ops: Ops,
    /// Operators allowed inside `any(...)` on a collection property.
    pub(crate) any_ops: Ops,
    /// "All need AQ, even eq" (graph-api.md §3.1).
    pub(crate) aq_all: bool,
    /// Filterable only *without* AQ: with `ConsistencyLevel: eventual` + `$count=true` Graph answers
    /// "Unsupported or invalid query filter clause" (observed for `hasMembersWithLicenseErrors`,
    /// microsoftgraph/microsoft-graph-docs-contrib PR 9437, 2024).
    pub(crate) no_aq: bool,
}

const fn r(name: &'static str, ops: Ops) -> Rule {
    Rule {
        name,
        ops,
        any_ops: Ops::NONE,
        aq_all: false,
        no_aq: false,
    }
}

const fn aq(name: &'static str, ops: Ops) -> Rule {
    Rule {
        name,
        ops,
        any_ops: Ops::NONE,
        aq_all: true,
        no_aq: false,
    }
}

const fn coll(name: &'static str, any_ops: Ops) -> Rule {
    Rule {
        name,
        ops: COLL,
        any_ops,
        aq_all: false,
        no_aq: false,
    }
}

const fn plain_only(name: &'static str, ops: Ops) -> Rule {
    Rule {
        name,
        ops,
        any_ops: Ops::NONE,
        aq_all: false,
        no_aq: true,
    }
}

const ANY_STR: Ops = ops(&[O::EQ, O::IN, O::STARTS, O::ENDS, O::RANGE]);
const ANY_EQ: Ops = ops(&[O::EQ, O::IN]);

static USER_RULES: &[Rule] = &[
    r("id", KEY),
    r(
        "userPrincipalName",
        KEY.or(O::RANGE).or(O::STARTS).or(O::ENDS),
    ),
    r("displayName", STR),
    r("givenName", STR),
    r("surname", STR),
    r("jobTitle", STR),
    r("mailNickname", STR),
    r("city", STR),
    r("state", STR),
    r("country", STR),
    r("usageLocation", STR),
    r("department", STR),
    r("employeeId", STR),
    r("mail", STR.or(O::ENDS)),
    coll("otherMails", ANY_STR),
    coll("proxyAddresses", ANY_STR),
    r("accountEnabled", KEY),
    r("userType", KEY.or(O::NULL)),
    r("ageGroup", KEY),
    r("consentProvidedForMinor", KEY),
    r("creationType", KEY),
    r("externalUserState", KEY),
    r("onPremisesSyncEnabled", KEY.or(O::NULL)),
    r("createdDateTime", DATE),
    r("deletedDateTime", DATE),
    r("lastPasswordChangeDateTime", DATE),
    aq("companyName", STR),
    aq("mobilePhone", STR),
    aq("officeLocation", STR),
    aq("postalCode", STR),
    aq("streetAddress", STR),
    aq("preferredLanguage", STR),
    aq("employeeType", STR),
    aq("employeeHireDate", DATE),
    aq("onPremisesImmutableId", STR),
    aq("onPremisesSamAccountName", STR),
    aq("showInAddressList", KEY),
    coll("businessPhones", ANY_EQ),
    coll("assignedLicenses", ANY_EQ),
    coll("assignedPlans", ANY_EQ),
    coll("imAddresses", ANY_EQ),
    coll("identities", ANY_EQ),
    r("signInActivity", DATE),
    r(
        "onPremisesExtensionAttributes",
        ops(&[O::EQ, O::NE, O::IN, O::NULL]),
    ),
];

static GROUP_RULES: &[Rule] = &[
    r("id", KEY),
    r("displayName", STR),
    r("description", KEY.or(O::RANGE).or(O::STARTS)),
    r("mail", STR),
    r("mailNickname", STR),
    r("preferredLanguage", STR),
    coll("groupTypes", ANY_EQ),
    r("mailEnabled", KEY),
    r("isAssignableToRole", KEY),
    r("securityEnabled", KEY),
    r("membershipRule", KEY.or(O::RANGE).or(O::STARTS)),
    r("membershipRuleProcessingState", KEY),
    r("onPremisesSyncEnabled", KEY.or(O::NULL)),
    r("onPremisesSamAccountName", KEY.or(O::RANGE).or(O::STARTS)),
    coll("proxyAddresses", ops(&[O::EQ, O::IN, O::STARTS, O::RANGE])),
    r("createdDateTime", DATE),
    r("expirationDateTime", DATE),
    r("renewedDateTime", DATE),
    r("onPremisesLastSyncDateTime", DATE),
    r("classification", KEY.or(O::RANGE).or(O::STARTS)),
    plain_only("hasMembersWithLicenseErrors", O::EQ),
    r("isArchived", O::EQ),
    coll("assignedLicenses", ANY_EQ),
];

static DEVICE_RULES: &[Rule] = &[
    r("id", KEY),
    r("deviceId", KEY),
    r("displayName", STR),
    r("accountEnabled", KEY),
    r("operatingSystem", STR),
    r("operatingSystemVersion", STR),
    r("trustType", KEY.or(O::NULL)),
    r("profileType", KEY),
    r("isCompliant", KEY),
    r("isManaged", KEY),
    r("mdmAppId", KEY.or(O::NULL)),
    r("approximateLastSignInDateTime", DATE.or(O::NULL)),
    r("registrationDateTime", DATE),
    r("onPremisesSyncEnabled", KEY.or(O::NULL)),
    coll("physicalIds", ANY_STR),
    coll("alternativeSecurityIds", ANY_EQ),
    r("extensionAttributes", ops(&[O::EQ, O::NE, O::IN, O::NULL])),
];

static SERVICE_PRINCIPAL_RULES: &[Rule] = &[
    r("id", KEY),
    r("appId", KEY),
    r("displayName", STR),
    r("appDisplayName", STR),
    r("publisherName", STR),
    r("accountEnabled", KEY),
    r("appOwnerOrganizationId", KEY),
    r("servicePrincipalType", KEY),
    coll("servicePrincipalNames", ANY_STR),
    coll("tags", ANY_STR),
];

static ORG_CONTACT_RULES: &[Rule] = &[
    r("id", KEY),
    r("displayName", STR),
    r("givenName", STR),
    r("surname", STR),
    r("mail", STR),
    r("mailNickname", STR),
    r("companyName", STR),
    r("department", STR),
    r("jobTitle", STR),
    r("onPremisesSyncEnabled", KEY.or(O::NULL)),
    coll("proxyAddresses", ANY_STR),
];

/// The filter rule of a property (canonical name) of `t`, if it is filterable at all.
pub(crate) fn rule(t: EntityType, canonical: &str) -> Option<&'static Rule> {
    let table = match t {
        EntityType::User => USER_RULES,
        EntityType::Group => GROUP_RULES,
        EntityType::Device => DEVICE_RULES,
        EntityType::ServicePrincipal => SERVICE_PRINCIPAL_RULES,
        EntityType::OrgContact => ORG_CONTACT_RULES,
    };
    table.iter().find(|r| r.name == canonical)
}

/// Properties `$orderby` accepts without AQ on a set (graph-api.md §3.3).
pub(crate) fn default_sortable(t: EntityType, canonical: &str) -> bool {
    match t {
        EntityType::User => matches!(canonical, "displayName" | "userPrincipalName"),
        EntityType::Group => canonical == "displayName",
        _ => false,
    }
}
