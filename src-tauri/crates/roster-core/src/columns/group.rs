//! Group columns and the classification of a group as the portal names it (graph-api.md §5.1).

use super::spec::{self, ColumnError};
use super::{Column, ColumnSource, ColumnTheme, Computed, col};
use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;

/// A group's kind, from `groupTypes`, `mailEnabled` and `securityEnabled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GroupKind {
    /// `groupTypes` contains `Unified`.
    Microsoft365,
    /// Not mail-enabled, security-enabled.
    Security,
    /// Mail-enabled and security-enabled, not Unified (read-only in Graph: managed in Exchange).
    MailEnabledSecurity,
    /// Mail-enabled, not security-enabled, not Unified (read-only in Graph: managed in Exchange).
    Distribution,
    /// Neither mail- nor security-enabled and not Unified: not a combination Graph documents.
    Unknown,
}

impl GroupKind {
    /// Classifies from the three Graph properties (§5.1 table).
    pub fn classify(group_types: &[&str], mail_enabled: bool, security_enabled: bool) -> Self {
        if group_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("Unified"))
        {
            return Self::Microsoft365;
        }
        match (mail_enabled, security_enabled) {
            (false, true) => Self::Security,
            (true, true) => Self::MailEnabledSecurity,
            (true, false) => Self::Distribution,
            (false, false) => Self::Unknown,
        }
    }

    /// Classifies a Graph group object (missing booleans count as false).
    pub fn of_group(group: &Value) -> Self {
        let types = group_types(group);
        let flag = |name: &str| group.get(name).and_then(Value::as_bool).unwrap_or(false);
        Self::classify(&types, flag("mailEnabled"), flag("securityEnabled"))
    }

    /// The portal's label: "Microsoft 365", "Security", "Mail-enabled security", "Distribution".
    pub fn label(self) -> &'static str {
        match self {
            Self::Microsoft365 => "Microsoft 365",
            Self::Security => "Security",
            Self::MailEnabledSecurity => "Mail-enabled security",
            Self::Distribution => "Distribution",
            Self::Unknown => "Unknown",
        }
    }

    /// Whether Graph can change this group's members (mail-enabled security and distribution
    /// groups are read-only in Graph; they are managed in Exchange).
    pub fn members_writable_via_graph(self) -> bool {
        matches!(self, Self::Microsoft365 | Self::Security)
    }
}

/// How a group's members are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum MembershipType {
    /// Members are added and removed by hand.
    Assigned,
    /// `DynamicMembership` with a rule over users.
    DynamicUser,
    /// `DynamicMembership` with a rule over devices (the rule starts with `device.`).
    DynamicDevice,
}

impl MembershipType {
    /// Classifies a Graph group object from `groupTypes` and `membershipRule`.
    pub fn of_group(group: &Value) -> Self {
        let dynamic = group_types(group)
            .iter()
            .any(|t| t.eq_ignore_ascii_case("DynamicMembership"));
        if !dynamic {
            return Self::Assigned;
        }
        let rule = group
            .get("membershipRule")
            .and_then(Value::as_str)
            .unwrap_or("");
        let rule = rule.trim_start().trim_start_matches('(').trim_start();
        if rule.to_ascii_lowercase().starts_with("device.") {
            Self::DynamicDevice
        } else {
            Self::DynamicUser
        }
    }

    /// The portal's label: "Assigned", "Dynamic user" or "Dynamic device".
    pub fn label(self) -> &'static str {
        match self {
            Self::Assigned => "Assigned",
            Self::DynamicUser => "Dynamic user",
            Self::DynamicDevice => "Dynamic device",
        }
    }
}

fn group_types(group: &Value) -> Vec<&str> {
    group
        .get("groupTypes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Header of the optional member-count column (one `$count` request per group).
pub const GROUP_MEMBER_COUNT_HEADER: &str = "memberCount";
/// Header of the optional owner-count column (one `/owners` request per group, shared with
/// [`GROUP_HAS_NO_OWNER_HEADER`]).
pub const GROUP_OWNER_COUNT_HEADER: &str = "ownerCount";
/// Header of the optional "has no owner" column (`True`/`False`).
pub const GROUP_HAS_NO_OWNER_HEADER: &str = "hasNoOwner";

/// The catalogue columns that cost a request per group: left out of `all`, named on purpose.
const PER_GROUP_REQUEST: &[&str] = &[
    GROUP_MEMBER_COUNT_HEADER,
    GROUP_OWNER_COUNT_HEADER,
    GROUP_HAS_NO_OWNER_HEADER,
];

/// The default group columns: id, name, description, the portal's group and membership types,
/// mail, the two flags, source, creation date and dynamic rule.
pub fn group_default_columns() -> Vec<Column> {
    use ColumnSource::{Computed as C, Property as P};
    vec![
        col("id", &["id"], P("id"), "Object ID.", ColumnTheme::Group),
        col(
            "displayName",
            &["displayName"],
            P("displayName"),
            "Display name.",
            ColumnTheme::Group,
        ),
        col(
            "description",
            &["description"],
            P("description"),
            "Description.",
            ColumnTheme::Group,
        ),
        col(
            "groupType",
            &["groupTypes", "mailEnabled", "securityEnabled"],
            C(Computed::GroupType),
            "Microsoft 365, Security, Mail-enabled security or Distribution.",
            ColumnTheme::Group,
        ),
        col(
            "membershipType",
            &["groupTypes", "membershipRule"],
            C(Computed::MembershipType),
            "Assigned, Dynamic user or Dynamic device.",
            ColumnTheme::Membership,
        ),
        col(
            "mail",
            &["mail"],
            P("mail"),
            "Primary SMTP address.",
            ColumnTheme::Contact,
        ),
        col(
            "mailEnabled",
            &["mailEnabled"],
            P("mailEnabled"),
            "True for mail-enabled groups.",
            ColumnTheme::Group,
        ),
        col(
            "securityEnabled",
            &["securityEnabled"],
            P("securityEnabled"),
            "True for security groups.",
            ColumnTheme::Group,
        ),
        col(
            "source",
            &["onPremisesSyncEnabled"],
            C(Computed::GroupSource),
            "Cloud, or Windows Server AD when synced from on-premises.",
            ColumnTheme::OnPremises,
        ),
        col(
            "createdDateTime",
            &["createdDateTime"],
            P("createdDateTime"),
            "Creation time (ISO 8601 UTC).",
            ColumnTheme::Group,
        ),
        col(
            "membershipRule",
            &["membershipRule"],
            P("membershipRule"),
            "Dynamic membership rule.",
            ColumnTheme::Membership,
        ),
    ]
}

/// Group properties left out of the catalogue: `hasMembersWithLicenseErrors` and `isArchived`
/// are filter-only (graph-api.md §2.2); the others are returned only by `GET /groups/{id}`
/// (Graph's group resource page).
const GROUP_NOT_LISTABLE: &[&str] = &[
    "hasMembersWithLicenseErrors",
    "isArchived",
    "allowExternalSenders",
    "autoSubscribeNewMembers",
    "hideFromAddressLists",
    "hideFromOutlookClients",
    "isSubscribedByMail",
    "isFavorite",
    "unseenCount",
    "unseenConversationsCount",
    "unseenMessagesCount",
];

/// Listable group properties of the v1.0 CSDL with their theme; `true` marks collections of strings.
const GROUP_PROPERTIES: &[(&str, bool, ColumnTheme)] = {
    use ColumnTheme::*;
    &[
        ("accessType", false, Group),
        ("assignedLabels", false, Group),
        ("assignedLicenses", false, Licenses),
        ("classification", false, Group),
        ("deletedDateTime", false, Group),
        ("expirationDateTime", false, Group),
        ("groupTypes", true, Group),
        ("infoCatalogs", true, Group),
        ("isAssignableToRole", false, Group),
        ("isManagementRestricted", false, Group),
        ("licenseProcessingState", false, Licenses),
        ("mailNickname", false, Contact),
        ("membershipRuleProcessingState", false, Membership),
        ("onPremisesDomainName", false, OnPremises),
        ("onPremisesExtensionAttributes", false, ExtensionAttributes),
        ("onPremisesLastSyncDateTime", false, OnPremises),
        ("onPremisesNetBiosName", false, OnPremises),
        ("onPremisesProvisioningErrors", false, OnPremises),
        ("onPremisesSamAccountName", false, OnPremises),
        ("onPremisesSecurityIdentifier", false, OnPremises),
        ("onPremisesSyncEnabled", false, OnPremises),
        ("organizationId", false, Group),
        ("preferredDataLocation", false, Group),
        ("preferredLanguage", false, Group),
        ("proxyAddresses", true, Contact),
        ("renewedDateTime", false, Group),
        ("resourceBehaviorOptions", true, Group),
        ("resourceProvisioningOptions", true, Group),
        ("securityIdentifier", false, Group),
        ("serviceProvisioningErrors", false, Group),
        ("theme", false, Group),
        ("uniqueName", false, Group),
        ("visibility", false, Group),
    ]
};

/// Every group column besides the defaults: the listable CSDL group properties under their
/// Graph names, plus `memberCount`, `ownerCount` and `hasNoOwner`.
pub fn group_catalogue() -> Vec<Column> {
    let mut out: Vec<Column> = GROUP_PROPERTIES
        .iter()
        .map(|&(name, strings, theme)| Column {
            header: Cow::Borrowed(name),
            graph_select: vec![name],
            source: if strings {
                ColumnSource::Joined(name)
            } else {
                ColumnSource::Property(name)
            },
            description: Cow::Owned(format!("Graph group property `{name}`.")),
            theme,
        })
        .collect();
    out.push(col(
        GROUP_MEMBER_COUNT_HEADER,
        &[],
        ColumnSource::Computed(Computed::MemberCount),
        "Number of direct members: one extra `$count` request per group.",
        ColumnTheme::Membership,
    ));
    out.push(col(
        GROUP_OWNER_COUNT_HEADER,
        &[],
        ColumnSource::Computed(Computed::OwnerCount),
        "Number of owners (users and service principals): one extra `/owners` request per group.",
        ColumnTheme::Membership,
    ));
    out.push(col(
        GROUP_HAS_NO_OWNER_HEADER,
        &[],
        ColumnSource::Computed(Computed::HasNoOwner),
        "True when the group has no owner: one extra `/owners` request per group, shared with ownerCount.",
        ColumnTheme::Membership,
    ));
    out
}

/// Parses a group column spec: `default`, `all` (defaults + every catalogue column except
/// `memberCount`, `ownerCount` and `hasNoOwner`, which cost a request per group and must be
/// named) or a comma-separated list
/// of headers (case-insensitive; presets may appear inside the list).
pub fn parse_group_columns(spec_text: &str) -> Result<Vec<Column>, ColumnError> {
    let defaults = group_default_columns();
    let catalogue = group_catalogue();
    let mut all = defaults.clone();
    all.extend(
        catalogue
            .iter()
            .filter(|c| !PER_GROUP_REQUEST.contains(&c.header.as_ref()))
            .cloned(),
    );
    let mut choices = defaults.clone();
    choices.extend(catalogue);
    spec::parse(
        spec_text,
        "group",
        &[("default", defaults), ("all", all)],
        &choices,
        GROUP_NOT_LISTABLE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{RowContext, plan_select, render_row};
    use serde_json::json;

    #[test]
    fn classification_follows_the_graph_table() {
        assert_eq!(
            GroupKind::classify(&["Unified"], true, false),
            GroupKind::Microsoft365
        );
        assert_eq!(
            GroupKind::classify(&["Unified"], true, true),
            GroupKind::Microsoft365
        );
        assert_eq!(GroupKind::classify(&[], false, true), GroupKind::Security);
        assert_eq!(
            GroupKind::classify(&[], true, true),
            GroupKind::MailEnabledSecurity
        );
        assert_eq!(
            GroupKind::classify(&[], true, false),
            GroupKind::Distribution
        );
        assert_eq!(
            GroupKind::classify(&["DynamicMembership"], false, true),
            GroupKind::Security
        );
        assert_eq!(GroupKind::classify(&[], false, false), GroupKind::Unknown);
        assert!(!GroupKind::Distribution.members_writable_via_graph());
        assert!(GroupKind::Security.members_writable_via_graph());
    }

    #[test]
    fn membership_type_reads_the_rule_subject() {
        let dyn_device = json!({"groupTypes": ["DynamicMembership"], "membershipRule": "(device.deviceOSType -eq \"Windows\")"});
        let dyn_user = json!({"groupTypes": ["DynamicMembership", "Unified"], "membershipRule": "user.department -eq \"Sales\""});
        assert_eq!(
            MembershipType::of_group(&dyn_device),
            MembershipType::DynamicDevice
        );
        assert_eq!(
            MembershipType::of_group(&dyn_user),
            MembershipType::DynamicUser
        );
        assert_eq!(
            MembershipType::of_group(&json!({"groupTypes": []})),
            MembershipType::Assigned
        );
    }

    #[test]
    fn default_columns_render_a_synced_security_group() {
        let group = json!({
            "id": "45b7d2e7-b882-4a80-ba97-10b7a63b8fa4",
            "displayName": "Finance, EMEA",
            "description": null,
            "groupTypes": [],
            "mail": null,
            "mailEnabled": false,
            "securityEnabled": true,
            "onPremisesSyncEnabled": true,
            "createdDateTime": "2019-03-04T10:00:00Z",
            "membershipRule": null
        });
        let row = render_row(&group_default_columns(), &group, &RowContext::default());
        assert_eq!(
            row,
            vec![
                "45b7d2e7-b882-4a80-ba97-10b7a63b8fa4",
                "Finance, EMEA",
                "",
                "Security",
                "Assigned",
                "",
                "False",
                "True",
                "Windows Server AD",
                "2019-03-04T10:00:00Z",
                ""
            ]
        );
    }

    #[test]
    fn member_count_comes_from_the_context_and_is_opt_in() {
        let cols = parse_group_columns("default,memberCount").unwrap();
        assert_eq!(cols.last().unwrap().header, "memberCount");
        let ctx = RowContext {
            member_count: Some(12),
            ..RowContext::default()
        };
        assert_eq!(cols.last().unwrap().cell(&json!({}), &ctx), "12");
        let all = parse_group_columns("all").unwrap();
        assert!(all.iter().all(|c| c.header != "memberCount"));
        assert!(all.iter().any(|c| c.header == "visibility"));
    }

    #[test]
    fn owner_columns_come_from_the_owner_count_and_are_opt_in() {
        let cols = parse_group_columns("id,ownerCount,hasNoOwner").unwrap();
        let cell = |n: Option<u64>| {
            let ctx = RowContext {
                owner_count: n,
                ..RowContext::default()
            };
            (
                cols[1].cell(&json!({}), &ctx),
                cols[2].cell(&json!({}), &ctx),
            )
        };
        assert_eq!(cell(Some(0)), ("0".into(), "True".into()));
        assert_eq!(cell(Some(3)), ("3".into(), "False".into()));
        assert_eq!(cell(None), (String::new(), String::new()));
        let all = parse_group_columns("all").unwrap();
        assert!(
            all.iter()
                .all(|c| !PER_GROUP_REQUEST.contains(&c.header.as_ref()))
        );
    }

    #[test]
    fn default_select_is_deduplicated() {
        let plan = plan_select(&group_default_columns());
        assert_eq!(
            plan.select_param(),
            "id,displayName,description,groupTypes,mailEnabled,securityEnabled,membershipRule,mail,onPremisesSyncEnabled,createdDateTime"
        );
        assert_eq!(plan.expand, None);
    }

    #[test]
    fn filter_only_properties_are_refused_with_a_reason() {
        let err = parse_group_columns("id,isArchived").unwrap_err();
        assert!(matches!(err, ColumnError::NotListable { .. }), "{err}");
        assert!(err.to_string().contains("isArchived"));
    }
}
