//! Column schemas for the CSV downloads: which Graph properties to `$select` and how to turn one
//! Graph JSON object into one row of cells.
//!
//! Rendering rules, shared by every column (see [`render_value`]):
//! - `null`, a missing property or a missing parent object → empty cell;
//! - booleans → `True` / `False`, the spelling of the Entra admin center's classic "Download
//!   users" file (graph-api.md §4.1 lists `accountEnabled` as a Boolean column without showing its
//!   text; the classic export is written by .NET, whose `bool.ToString()` gives `True`/`False`,
//!   and admins compare our files with the portal's, so we keep that spelling);
//! - strings (dates included) → exactly as Graph sends them, so dates stay ISO 8601 UTC
//!   (`2024-01-31T09:12:45Z`);
//! - numbers → their JSON text;
//! - a collection of scalars → the values joined with `;` (Graph never puts `;` inside an e-mail
//!   address or phone number, and `;` is the separator Excel users and the portal's own
//!   multi-value fields use; a `,` would collide with the CSV delimiter in every viewer that
//!   ignores quoting);
//! - anything else (complex objects, collections of objects) → compact JSON, so nothing is
//!   silently lost (`signInActivity` exported as a type name is a known peer complaint).

mod group;
mod licenses;
mod member;
mod owner;
mod product_names;
mod property_cell;
mod readable;
mod render;
mod sign_in;
mod spec;
mod stream;
mod theme;
mod user;
mod user_group;

pub use group::{
    GROUP_HAS_NO_OWNER_HEADER, GROUP_MEMBER_COUNT_HEADER, GROUP_OWNER_COUNT_HEADER, GroupKind,
    MembershipType, group_catalogue, group_default_columns, parse_group_columns,
};
pub use licenses::{LicenseField, SkuCatalogue, license_cell};
pub use member::{MemberType, member_columns, parse_member_columns};
pub use owner::{owner_columns, parse_owner_columns};
pub use readable::readable_cell;
pub use render::{AuthMethods, RowContext, render_row, render_value};
pub use sign_in::days_since_last_sign_in;
pub use spec::{ColumnError, SelectPlan, plan_select};
pub use stream::{PageError, PageRead, PageReader};
pub use theme::ColumnTheme;
pub use user::{
    AuthMethodCost, LIST_UNSUPPORTED_USER_PROPERTIES, auth_method_cost, default_user_columns,
    parse_user_columns, portal_user_columns, user_catalogue,
};
pub use user_group::{Membership, parse_user_group_columns, user_group_columns};

use serde::Serialize;
use std::borrow::Cow;

/// One column of a download: its header, the Graph properties it needs and how to read its cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Header cell written in the CSV (the portal's name for portal columns, Graph's otherwise).
    pub header: Cow<'static, str>,
    /// Properties to add to `$select` for this column (empty for expanded/per-user/context data).
    pub graph_select: Vec<&'static str>,
    /// How to turn a Graph object into this column's cell.
    pub source: ColumnSource,
    /// One sentence for the column picker: what the column holds and where it comes from.
    pub description: Cow<'static, str>,
    /// What part of the object it tells about; the picker groups columns by it.
    pub theme: ColumnTheme,
}

/// Where a column's cell comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "from", rename_all = "camelCase")]
pub enum ColumnSource {
    /// A top-level property, rendered by [`render_value`].
    Property(&'static str),
    /// The first element of a collection (`telephoneNumber` ← `businessPhones[0]`).
    FirstOf(&'static str),
    /// A collection joined with `;` (`alternateEmailAddress` ← `otherMails`).
    Joined(&'static str),
    /// A nested path (`signInActivity/lastSignInDateTime`, `manager/displayName`).
    Path(&'static [&'static str]),
    /// A value from the user's authentication methods: needs one or two extra calls per user
    /// and `UserAuthenticationMethod.Read.All`; supplied through [`RowContext::auth_methods`].
    AuthMethod(AuthMethodField),
    /// A licence column: the user's `assignedLicenses` joined with the tenant's `subscribedSkus`
    /// (read once per download), supplied through [`RowContext::skus`].
    License(LicenseField),
    /// A complex property as readable text (see [`readable_cell`]), never JSON.
    Readable(&'static str),
    /// A value computed from several properties or from the row's context.
    Computed(Computed),
}

/// The three per-user authentication-method columns of the portal export (graph-api.md §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum AuthMethodField {
    /// `phoneMethods` item whose `phoneType` is `mobile`.
    MobilePhone,
    /// `phoneMethods` item whose `phoneType` is `alternateMobile`.
    AlternateMobilePhone,
    /// `emailMethods[0].emailAddress`.
    Email,
}

/// Values that are not a single Graph property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Computed {
    /// Group type as the portal names it (see [`GroupKind`]).
    GroupType,
    /// "Assigned", "Dynamic user" or "Dynamic device" (see [`MembershipType`]).
    MembershipType,
    /// "Windows Server AD" when `onPremisesSyncEnabled` is true, else "Cloud".
    GroupSource,
    /// Member type from `@odata.type` (see [`MemberType`]).
    MemberType,
    /// Member count of a group, from [`RowContext::member_count`] (a `$count` call per group).
    MemberCount,
    /// Whole days from the user's latest interactive or non-interactive sign-in to
    /// [`RowContext::as_of`] (see [`days_since_last_sign_in`]); empty when never signed in.
    DaysSinceLastSignIn,
    /// Owner count of a group, from [`RowContext::owner_count`] (an `/owners` call per group).
    OwnerCount,
    /// `True` when a group has no owner, from [`RowContext::owner_count`].
    HasNoOwner,
    /// Id of the user whose groups are listed, from [`RowContext::user_id`].
    ParentUserId,
    /// User principal name of that user, from [`RowContext::user_principal_name`].
    ParentUserPrincipalName,
    /// `direct` or `inherited` (through a nested group), from [`RowContext::membership`].
    Membership,
    /// Id of the group whose members are listed, from [`RowContext::group_id`].
    ParentGroupId,
    /// Display name of the group whose members are listed, from [`RowContext::group_name`].
    ParentGroupName,
    /// For transitive downloads, the chain of group names from the listed group down to the
    /// member's direct parent, from [`RowContext::nesting_path`].
    NestingPath,
}

impl Column {
    /// The navigation property this column needs expanded (`manager`), if any.
    pub fn expand(&self) -> Option<&'static str> {
        match self.source {
            ColumnSource::Path(path) if path.first() == Some(&"manager") => Some("manager"),
            _ => None,
        }
    }

    /// True when the column needs the tenant's `GET /subscribedSkus` (licence names).
    pub fn needs_subscribed_skus(&self) -> bool {
        matches!(self.source, ColumnSource::License(_))
    }

    /// True when the column needs per-user authentication-method calls.
    pub fn needs_auth_methods(&self) -> bool {
        matches!(self.source, ColumnSource::AuthMethod(_))
    }

    /// The cell for one Graph object (`obj`) in the given row context.
    pub fn cell(&self, obj: &serde_json::Value, ctx: &RowContext<'_>) -> String {
        render::cell(self, obj, ctx)
    }
}

/// Builds a column whose header and description are static text.
pub(crate) fn col(
    header: &'static str,
    graph_select: &[&'static str],
    source: ColumnSource,
    description: &'static str,
    theme: ColumnTheme,
) -> Column {
    Column {
        header: Cow::Borrowed(header),
        graph_select: graph_select.to_vec(),
        source,
        description: Cow::Borrowed(description),
        theme,
    }
}
