//! Property metadata the routes and the query engine share: entity types, default property sets, the
//! user properties Graph refuses on collections, and case-insensitive lookup in the CSDL table.

use super::schema::{self, PropertyDef};

/// A directory entity type the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    /// `microsoft.graph.user`.
    User,
    /// `microsoft.graph.group`.
    Group,
    /// `microsoft.graph.device`.
    Device,
    /// `microsoft.graph.servicePrincipal`.
    ServicePrincipal,
    /// `microsoft.graph.orgContact`.
    OrgContact,
}

impl EntityType {
    /// Every type, in the order used to resolve properties on mixed `directoryObject` collections.
    pub const ALL: [EntityType; 5] = [
        EntityType::User,
        EntityType::Group,
        EntityType::Device,
        EntityType::ServicePrincipal,
        EntityType::OrgContact,
    ];

    /// The qualified OData name, e.g. `microsoft.graph.user` (as in casts and `@odata.type`).
    pub fn qualified_name(self) -> &'static str {
        match self {
            EntityType::User => "microsoft.graph.user",
            EntityType::Group => "microsoft.graph.group",
            EntityType::Device => "microsoft.graph.device",
            EntityType::ServicePrincipal => "microsoft.graph.servicePrincipal",
            EntityType::OrgContact => "microsoft.graph.orgContact",
        }
    }

    /// The resource name Graph uses in filter error messages, e.g. `User`.
    pub fn resource_name(self) -> &'static str {
        match self {
            EntityType::User => "User",
            EntityType::Group => "Group",
            EntityType::Device => "Device",
            EntityType::ServicePrincipal => "ServicePrincipal",
            EntityType::OrgContact => "OrgContact",
        }
    }

    /// Parses a cast segment (`microsoft.graph.user`, case-insensitive); `None` for anything else.
    pub fn from_cast(cast: &str) -> Option<EntityType> {
        EntityType::ALL
            .into_iter()
            .find(|t| t.qualified_name().eq_ignore_ascii_case(cast))
    }
}

/// Properties `GET /users` returns without `$select` (graph-api.md §2.1), in the order Graph writes
/// them (`id` last); the one list both the query engine and the JSON writer use.
pub const USER_DEFAULT_PROPERTIES: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];

/// Properties `GET /groups` returns without `$select`, in the order Graph writes them: the documented
/// set (graph-api.md §2.7) plus [`GROUP_OBSERVED_DEFAULT_PROPERTIES`], which live responses also carry.
pub const GROUP_DEFAULT_PROPERTIES: &[&str] = &[
    "id",
    "deletedDateTime",
    "classification",
    "createdDateTime",
    "creationOptions",
    "description",
    "displayName",
    "expirationDateTime",
    "groupTypes",
    "isAssignableToRole",
    "mail",
    "mailEnabled",
    "mailNickname",
    "membershipRule",
    "membershipRuleProcessingState",
    "onPremisesDomainName",
    "onPremisesLastSyncDateTime",
    "onPremisesNetBiosName",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "preferredDataLocation",
    "preferredLanguage",
    "proxyAddresses",
    "renewedDateTime",
    "resourceBehaviorOptions",
    "resourceProvisioningOptions",
    "securityEnabled",
    "securityIdentifier",
    "theme",
    "uniqueName",
    "visibility",
    "onPremisesProvisioningErrors",
    "serviceProvisioningErrors",
];

/// Group default properties seen in live responses but not in the documented set.
pub const GROUP_OBSERVED_DEFAULT_PROPERTIES: &[&str] = &["creationOptions", "uniqueName"];

/// The documented group default set: [`GROUP_DEFAULT_PROPERTIES`] without the observed-only ones.
static GROUP_DOCUMENTED_DEFAULT: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| {
        GROUP_DEFAULT_PROPERTIES
            .iter()
            .copied()
            .filter(|p| !GROUP_OBSERVED_DEFAULT_PROPERTIES.contains(p))
            .collect()
    });

/// User properties returned only by `GET /users/{id}`; `$select`ing one on a collection is a 501.
pub const USER_SINGLE_ONLY_PROPERTIES: &[&str] = &[
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

/// Group properties usable in `$filter` but never returned, not even through `$select`.
pub const GROUP_FILTER_ONLY_PROPERTIES: &[&str] = &["hasMembersWithLicenseErrors", "isArchived"];

/// The documented default property set of a type (devices, service principals and contacts return
/// all their structural properties, so `None`).
pub fn default_properties(t: EntityType) -> Option<&'static [&'static str]> {
    match t {
        EntityType::User => Some(USER_DEFAULT_PROPERTIES),
        EntityType::Group => Some(GROUP_DOCUMENTED_DEFAULT.as_slice()),
        _ => None,
    }
}

/// Whether `$select` of this user property on a collection must answer 501 (case-insensitive).
pub fn is_collection_only_forbidden(property: &str) -> bool {
    USER_SINGLE_ONLY_PROPERTIES
        .iter()
        .any(|p| p.eq_ignore_ascii_case(property))
}

/// Every structural property of a type, from the CSDL.
pub fn property_defs(t: EntityType) -> &'static [PropertyDef] {
    match t {
        EntityType::User => schema::USER,
        EntityType::Group => schema::GROUP,
        EntityType::Device => schema::DEVICE,
        EntityType::ServicePrincipal => schema::SERVICE_PRINCIPAL,
        EntityType::OrgContact => schema::ORG_CONTACT,
    }
}

/// Looks a property of `t` up case-insensitively; the result carries the canonical name.
pub fn find_property(t: EntityType, name: &str) -> Option<&'static PropertyDef> {
    lookup(property_defs(t), name)
}

/// Looks a property of a complex type (qualified name, e.g. `microsoft.graph.signInActivity`) up
/// case-insensitively.
pub fn find_complex_property(type_name: &str, name: &str) -> Option<&'static PropertyDef> {
    let (_, defs) = schema::COMPLEX_TYPES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(type_name))?;
    lookup(defs, name)
}

/// The element type of a `Collection(X)` type name, or the name itself.
pub fn element_type(edm: &str) -> &str {
    edm.strip_prefix("Collection(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(edm)
}

/// Whether a type name is a collection.
pub fn is_collection(edm: &str) -> bool {
    edm.starts_with("Collection(")
}

/// Whether a type name is one of the CSDL's complex types (e.g. `microsoft.graph.signInActivity`).
pub fn is_complex(edm: &str) -> bool {
    schema::COMPLEX_TYPES.iter().any(|(n, _)| *n == edm)
}

fn lookup(defs: &'static [PropertyDef], name: &str) -> Option<&'static PropertyDef> {
    defs.iter().find(|d| d.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rendered_group_set_is_the_documented_one_plus_the_observed_ones() {
        let documented = default_properties(EntityType::Group).unwrap_or_default();
        assert_eq!(documented.len(), 32);
        assert_eq!(
            documented.len() + GROUP_OBSERVED_DEFAULT_PROPERTIES.len(),
            GROUP_DEFAULT_PROPERTIES.len()
        );
        for p in GROUP_OBSERVED_DEFAULT_PROPERTIES {
            assert!(GROUP_DEFAULT_PROPERTIES.contains(p) && !documented.contains(p));
        }
    }
}
