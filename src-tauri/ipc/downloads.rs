//! DTOs of the `downloads_*` commands: what to download (the filter or selection the Users and Groups
//! screens were showing), which columns, and where the file goes.

use roster_app::downloads::PresetName;
use roster_core::columns::ColumnTheme;
use roster_core::job::{
    GroupFilter, GroupKindChoice, GroupSourceChoice, MembershipChoice, UserFilter, UserTypeChoice,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Member or guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum UserTypeDto {
    /// Users of the tenant.
    Member,
    /// B2B guests.
    Guest,
}

/// Which users to download: the pickers of the Users screen, a raw OData filter, or ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct UserFilterDto {
    /// A raw OData `$filter`, added in parentheses.
    pub odata: Option<String>,
    /// Members, guests, or either.
    pub user_type: Option<Vec<UserTypeDto>>,
    /// Sign-in allowed (`true`) or blocked (`false`).
    pub account_enabled: Option<bool>,
    /// Exact departments: a user in any of them.
    pub department: Option<Vec<String>>,
    /// Exact countries or regions: a user in any of them.
    pub country: Option<Vec<String>>,
    /// Created on or after this date (`2024-01-31`).
    pub created_from: Option<String>,
    /// Created before this date.
    pub created_before: Option<String>,
    /// Words searched in name, UPN and mail.
    pub search: Option<String>,
}

/// Group kind as the admin center names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GroupKindDto {
    /// Microsoft 365 groups.
    M365,
    /// Security groups.
    Security,
    /// Mail-enabled security groups.
    MailSecurity,
    /// Distribution lists.
    Distribution,
}

/// Assigned or dynamic membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum MembershipDto {
    /// Members added by hand.
    Assigned,
    /// Members from a rule.
    Dynamic,
}

/// Cloud or synced from on-premises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GroupSourceDto {
    /// Created in Entra ID.
    Cloud,
    /// Synced from Windows Server AD.
    Synced,
}

/// Which groups to download: the pickers of the Groups screen or a raw OData filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct GroupFilterDto {
    /// Group kinds: a group of any of them.
    pub kind: Option<Vec<GroupKindDto>>,
    /// Assigned or dynamic.
    pub membership: Option<MembershipDto>,
    /// Cloud or synced.
    pub source: Option<GroupSourceDto>,
    /// Only role-assignable groups (`true`) or only the others (`false`).
    pub role_assignable: Option<bool>,
    /// Display name starts with this text.
    pub name: Option<String>,
    /// A raw OData `$filter`, added in parentheses.
    pub odata: Option<String>,
}

/// Request of `downloads_users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct DownloadUsersRequest {
    /// Which users (ignored when `ids` is not empty).
    pub filter: Option<UserFilterDto>,
    /// Exactly these users (object ids or UPNs), in this order.
    pub ids: Option<Vec<String>>,
    /// `portal`, `all` or `a,b,c`; absent: the default columns from the settings.
    pub columns: Option<String>,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Request of `downloads_groups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct DownloadGroupsRequest {
    /// Which groups.
    pub filter: Option<GroupFilterDto>,
    /// `default`, `all` or `a,b,c`; absent: `default`.
    pub columns: Option<String>,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Request of `downloads_members`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct DownloadMembersRequest {
    /// The groups (object ids or exact names), in this order; all their members go in one file.
    pub group_ids: Vec<String>,
    /// Include members of nested groups, with the nesting path.
    pub transitive: Option<bool>,
    /// Member column headers to keep, `a,b,c`; absent: all.
    pub columns: Option<String>,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Request of `downloads_owners`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct DownloadOwnersRequest {
    /// The groups (object ids or exact names), in this order; all their owners go in one file.
    pub group_ids: Vec<String>,
    /// Owner column headers to keep, `a,b,c`; absent: the defaults.
    pub columns: Option<String>,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Request of `downloads_user_groups`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(optional_fields)]
pub struct DownloadUserGroupsRequest {
    /// Which users (ignored when `ids` is not empty).
    pub filter: Option<UserFilterDto>,
    /// Exactly these users (object ids or UPNs), in this order.
    pub ids: Option<Vec<String>>,
    /// Also the groups each user is in through nested groups, saying direct or inherited.
    pub transitive: Option<bool>,
    /// Column headers, `a,b,c`; absent: the defaults.
    pub columns: Option<String>,
    /// The file to write: the handle the save dialog answered.
    pub file: String,
}

/// Which download a column catalogue is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DownloadKindDto {
    /// `downloads_users`.
    Users,
    /// `downloads_groups`.
    Groups,
    /// `downloads_members`.
    Members,
    /// `downloads_owners`.
    Owners,
    /// `downloads_user_groups`.
    UserGroups,
}

/// Request of `downloads_columns` and `column_choice_get`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnsRequest {
    /// Which download.
    pub kind: DownloadKindDto,
    /// A members or user-groups download including nested groups (which adds the nesting path or
    /// the membership column).
    #[serde(default)]
    #[ts(optional)]
    pub transitive: Option<bool>,
}

/// What a column tells about; the picker groups columns by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ColumnThemeDto {
    /// Names, sign-in name, object id, member or guest.
    Identity,
    /// Job title, department, employee data, office, manager.
    Job,
    /// Mail, phones, postal address.
    Contact,
    /// Synced from Windows Server AD.
    OnPremises,
    /// Licences and service plans.
    Licenses,
    /// Sign-in allowed, last sign-ins, password.
    SignIn,
    /// Authentication methods.
    Authentication,
    /// `extensionAttribute1`..`15`.
    ExtensionAttributes,
    /// Other account settings.
    Account,
    /// What a group is.
    Group,
    /// How a group's members are decided or reached.
    Membership,
}

/// A preset of the column picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PresetNameDto {
    /// The default columns.
    Default,
    /// The admin center's columns.
    Portal,
    /// The admin center's columns, the manager and the last sign-in.
    PortalManagerSignIn,
    /// Every column needing no extra licence or permission.
    Everything,
}

/// A named set of columns the picker offers in one click.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnPresetDto {
    /// Which preset.
    pub name: PresetNameDto,
    /// The column spec to download it with (`portal`, `all`, ...).
    pub spec: String,
    /// The headers it gives, in file order.
    pub columns: Vec<String>,
}

/// One column the column picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnDto {
    /// The CSV header, also the name to pass in `columns`.
    pub header: String,
    /// What the column holds and where it comes from.
    pub description: String,
    /// Part of the default set (the portal's columns for users).
    pub default: bool,
    /// Costs extra Graph calls per row (authentication methods, member counts).
    pub costly: bool,
    /// What it tells about.
    pub theme: ColumnThemeDto,
    /// Graph permissions it needs beyond the sign-in's reads (shown beside it in the picker).
    pub permissions: Vec<String>,
}

/// Response of `downloads_columns`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ColumnCatalogue {
    /// Every column, default ones first in their file order.
    pub columns: Vec<ColumnDto>,
    /// The name of the default set (`default`).
    pub default_spec: String,
    /// What the costly columns cost, in words.
    pub cost_note: String,
    /// The presets, each giving other columns.
    pub presets: Vec<ColumnPresetDto>,
}
fn nonblank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

impl UserFilterDto {
    /// The download's user filter (roster-core builds the OData from it).
    pub fn to_filter(self) -> UserFilter {
        let dto = self;
        UserFilter {
            odata: nonblank(dto.odata),
            user_type: dto
                .user_type
                .unwrap_or_default()
                .into_iter()
                .map(|t| match t {
                    UserTypeDto::Member => UserTypeChoice::Member,
                    UserTypeDto::Guest => UserTypeChoice::Guest,
                })
                .collect(),
            account_enabled: dto.account_enabled,
            department: dto.department.unwrap_or_default(),
            country: dto.country.unwrap_or_default(),
            created_from: nonblank(dto.created_from),
            created_before: nonblank(dto.created_before),
            search: nonblank(dto.search),
            ids: Vec::new(),
        }
    }
}

impl GroupFilterDto {
    /// The download's group filter (roster-core builds the OData from it).
    pub fn to_filter(self) -> GroupFilter {
        let dto = self;
        GroupFilter {
            kind: dto
                .kind
                .unwrap_or_default()
                .into_iter()
                .map(|k| match k {
                    GroupKindDto::M365 => GroupKindChoice::M365,
                    GroupKindDto::Security => GroupKindChoice::Security,
                    GroupKindDto::MailSecurity => GroupKindChoice::MailSecurity,
                    GroupKindDto::Distribution => GroupKindChoice::Distribution,
                })
                .collect(),
            membership: dto.membership.map(|m| match m {
                MembershipDto::Assigned => MembershipChoice::Assigned,
                MembershipDto::Dynamic => MembershipChoice::Dynamic,
            }),
            source: dto.source.map(|s| match s {
                GroupSourceDto::Cloud => GroupSourceChoice::Cloud,
                GroupSourceDto::Synced => GroupSourceChoice::Synced,
            }),
            role_assignable: dto.role_assignable,
            name: nonblank(dto.name),
            odata: nonblank(dto.odata),
        }
    }
}

impl From<DownloadKindDto> for roster_app::downloads::DownloadKind {
    fn from(kind: DownloadKindDto) -> Self {
        match kind {
            DownloadKindDto::Users => Self::Users,
            DownloadKindDto::Groups => Self::Groups,
            DownloadKindDto::Members => Self::Members,
            DownloadKindDto::Owners => Self::Owners,
            DownloadKindDto::UserGroups => Self::UserGroups,
        }
    }
}

impl From<roster_app::downloads::ColumnCatalogue> for ColumnCatalogue {
    fn from(catalogue: roster_app::downloads::ColumnCatalogue) -> Self {
        Self {
            columns: catalogue
                .columns
                .into_iter()
                .map(|c| ColumnDto {
                    header: c.header,
                    description: c.description,
                    default: c.default,
                    costly: c.costly,
                    theme: c.theme.into(),
                    permissions: c.permissions,
                })
                .collect(),
            default_spec: catalogue.default_spec,
            cost_note: catalogue.cost_note,
            presets: catalogue
                .presets
                .into_iter()
                .map(|p| ColumnPresetDto {
                    name: p.name.into(),
                    spec: p.spec,
                    columns: p.columns,
                })
                .collect(),
        }
    }
}

impl From<ColumnTheme> for ColumnThemeDto {
    fn from(theme: ColumnTheme) -> Self {
        match theme {
            ColumnTheme::Identity => Self::Identity,
            ColumnTheme::Job => Self::Job,
            ColumnTheme::Contact => Self::Contact,
            ColumnTheme::OnPremises => Self::OnPremises,
            ColumnTheme::Licenses => Self::Licenses,
            ColumnTheme::SignIn => Self::SignIn,
            ColumnTheme::Authentication => Self::Authentication,
            ColumnTheme::ExtensionAttributes => Self::ExtensionAttributes,
            ColumnTheme::Account => Self::Account,
            ColumnTheme::Group => Self::Group,
            ColumnTheme::Membership => Self::Membership,
        }
    }
}

impl From<PresetName> for PresetNameDto {
    fn from(name: PresetName) -> Self {
        match name {
            PresetName::Default => Self::Default,
            PresetName::Portal => Self::Portal,
            PresetName::PortalManagerSignIn => Self::PortalManagerSignIn,
            PresetName::Everything => Self::Everything,
        }
    }
}
