//! Downloads as a front end offers them: the columns each kind can write, where the file goes when
//! the person named only a folder, and which groups a members download reads.

use std::path::{Path, PathBuf};

use roster_core::columns::ColumnTheme;
use roster_core::text::Text;

use crate::error::{AppError, ErrorCode};

/// `NAME.csv` in `folder`, or `NAME-2.csv`, `NAME-3.csv`... when that name (or its partial file) is
/// taken, so a new download never overwrites an earlier one.
pub fn free_file_name(folder: &Path, name: &str) -> PathBuf {
    let mut candidate = folder.join(format!("{name}.csv"));
    let mut n = 2;
    while candidate.exists() || !roster_csv::partial_files(&candidate).is_empty() {
        candidate = folder.join(format!("{name}-{n}.csv"));
        n += 1;
    }
    candidate
}

/// What a download lists: users, groups, group members or owners, or users' groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadKind {
    /// Users.
    Users,
    /// Groups.
    Groups,
    /// Members of groups.
    Members,
    /// Owners of groups.
    Owners,
    /// The groups of users.
    UserGroups,
}

/// One column a download can write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueColumn {
    /// The CSV header, also the name to ask for it by.
    pub header: String,
    /// What the column holds and where it comes from.
    pub description: String,
    /// Part of the default set (for users, the admin center's columns but the costly ones).
    pub default: bool,
    /// Costs extra Graph calls per row (authentication methods, member counts).
    pub costly: bool,
    /// What it tells about; the picker groups columns by it.
    pub theme: ColumnTheme,
    /// The Graph permissions it needs beyond the sign-in's reads (e.g. AuditLog.Read.All for
    /// sign-in activity), so the picker can say so before the download fails on them.
    pub permissions: Vec<String>,
}

/// A named set of columns the picker offers in one click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresetName {
    /// The kind's default columns (`default`).
    Default,
    /// The admin center's "Download users" columns (`portal`).
    Portal,
    /// The admin center's columns, the manager and the last sign-in.
    PortalManagerSignIn,
    /// Every column that needs no extra licence or permission (`all`).
    Everything,
}

/// A preset: its column spec and the columns that spec gives, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnPreset {
    /// Which preset.
    pub name: PresetName,
    /// The column spec to download it with.
    pub spec: String,
    /// The headers the spec gives, in file order.
    pub columns: Vec<String>,
}

/// The columns a download of one kind offers, the default ones first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnCatalogue {
    /// Every column.
    pub columns: Vec<CatalogueColumn>,
    /// The column spec of the default set (`default`).
    pub default_spec: String,
    /// What the costly columns cost, in words.
    pub cost_note: String,
    /// The presets, each giving other columns.
    pub presets: Vec<ColumnPreset>,
}

/// The column spec of the preset of the portal's columns, the manager and the last sign-in.
pub const PORTAL_MANAGER_SIGN_IN: &str =
    "portal,manager/displayName,signInActivity/lastSignInDateTime";

/// The columns a download of `kind` offers; `transitive` members downloads also offer the nesting
/// path, `transitive` user-groups downloads how the user is in each group.
pub fn column_catalogue(kind: DownloadKind, transitive: bool) -> ColumnCatalogue {
    use roster_core::columns::{self, Column};
    let (defaults, all): (Vec<Column>, Vec<Column>) = match kind {
        DownloadKind::Users => (
            columns::default_user_columns(),
            columns::portal_user_columns()
                .into_iter()
                .chain(columns::user_catalogue())
                .collect(),
        ),
        DownloadKind::Groups => (columns::group_default_columns(), columns::group_catalogue()),
        DownloadKind::Members => (columns::member_columns(transitive), Vec::new()),
        DownloadKind::Owners => (columns::owner_columns(), Vec::new()),
        DownloadKind::UserGroups => (
            columns::user_group_columns(transitive),
            columns::group_default_columns()
                .into_iter()
                .chain(columns::group_catalogue())
                .filter(|c| !per_group_request(c))
                .collect(),
        ),
    };
    let entry = |column: &Column, default: bool| CatalogueColumn {
        header: column.header.to_string(),
        description: column.description.to_string(),
        default,
        costly: column.needs_auth_methods() || per_group_request(column),
        theme: column.theme,
        permissions: columns::plan_select(std::slice::from_ref(column))
            .extra_permissions
            .iter()
            .map(|p| (*p).to_owned())
            .collect(),
    };
    let mut out: Vec<CatalogueColumn> = defaults.iter().map(|c| entry(c, true)).collect();
    for column in &all {
        if !out.iter().any(|c| c.header == column.header) {
            out.push(entry(column, false));
        }
    }
    ColumnCatalogue {
        columns: out,
        default_spec: "default".to_owned(),
        cost_note: match kind {
            DownloadKind::Users => "Authentication-method columns need one or two extra Graph requests per user and the UserAuthenticationMethod.Read.All permission; a large download takes much longer with them.".to_owned(),
            DownloadKind::Groups => "memberCount needs one extra Graph request per group, and so do ownerCount and hasNoOwner (one request for both).".to_owned(),
            DownloadKind::Members | DownloadKind::Owners | DownloadKind::UserGroups => String::new(),
        },
        presets: presets(kind, transitive),
    }
}

/// The presets of `kind`, expanded by the same parser a download uses; a preset that gives the
/// same columns as an earlier one (a members download's `all`) is left out.
fn presets(kind: DownloadKind, transitive: bool) -> Vec<ColumnPreset> {
    let named: &[(PresetName, &str)] = match kind {
        DownloadKind::Users => &[
            (PresetName::Default, "default"),
            (PresetName::Portal, "portal"),
            (PresetName::PortalManagerSignIn, PORTAL_MANAGER_SIGN_IN),
            (PresetName::Everything, "all"),
        ],
        DownloadKind::Groups
        | DownloadKind::Members
        | DownloadKind::Owners
        | DownloadKind::UserGroups => &[
            (PresetName::Default, "default"),
            (PresetName::Everything, "all"),
        ],
    };
    let mut out: Vec<ColumnPreset> = Vec::new();
    for &(name, spec) in named {
        let Ok(columns) = parse_spec(kind, spec, transitive) else {
            continue;
        };
        let columns: Vec<String> = columns.iter().map(|c| c.header.to_string()).collect();
        if !out.iter().any(|p| p.columns == columns) {
            out.push(ColumnPreset {
                name,
                spec: spec.to_owned(),
                columns,
            });
        }
    }
    out
}

/// Parses a column spec of `kind` as its download would.
pub fn parse_spec(
    kind: DownloadKind,
    spec: &str,
    transitive: bool,
) -> Result<Vec<roster_core::columns::Column>, roster_core::columns::ColumnError> {
    use roster_core::columns;
    match kind {
        DownloadKind::Users => columns::parse_user_columns(spec),
        DownloadKind::Groups => columns::parse_group_columns(spec),
        DownloadKind::Members => columns::parse_member_columns(Some(spec), transitive),
        DownloadKind::Owners => columns::parse_owner_columns(Some(spec)),
        DownloadKind::UserGroups => columns::parse_user_group_columns(Some(spec), transitive),
    }
}

/// Whether a group column costs a Graph request per group (the member and owner counts).
fn per_group_request(column: &roster_core::columns::Column) -> bool {
    use roster_core::columns::{ColumnSource, Computed};
    matches!(
        column.source,
        ColumnSource::Computed(Computed::MemberCount | Computed::OwnerCount | Computed::HasNoOwner)
    )
}

/// Where a download goes: `requested` when the person named a file, else a free `NAME.csv` in
/// `folder` ([`free_file_name`]).
pub fn output_path(requested: Option<PathBuf>, folder: &Path, name: &str) -> PathBuf {
    requested.unwrap_or_else(|| free_file_name(folder, name))
}

/// The groups of a members download, trimmed; none is a mistake the person can fix.
pub fn chosen_groups(groups: Vec<String>) -> Result<Vec<String>, AppError> {
    let groups: Vec<String> = groups
        .into_iter()
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty())
        .collect();
    if groups.is_empty() {
        return Err(AppError::coded(
            ErrorCode::Validation,
            Text::new(
                "app.noGroupSelected",
                "No group selected. Tick one or more groups, then choose Download members.",
            ),
        ));
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_start_with_the_defaults_and_mark_costly_columns() {
        let users = column_catalogue(DownloadKind::Users, false);
        assert_eq!(users.default_spec, "default");
        assert!(users.columns[0].default);
        // The default set costs nothing extra: the authentication-method columns are offered, not ticked.
        assert!(users.columns.iter().any(|c| c.costly));
        assert!(!users.columns.iter().any(|c| c.costly && c.default));
        assert!(
            users.columns.iter().any(|c| c.costly && !c.default)
                || users.columns.iter().any(|c| c.costly)
        );
        let groups = column_catalogue(DownloadKind::Groups, false);
        assert!(
            groups
                .columns
                .iter()
                .any(|c| c.header == "memberCount" && c.costly)
        );
        assert!(
            chosen_groups(vec![" ".into()])
                .unwrap_err()
                .message
                .contains("No group selected")
        );
        assert_eq!(chosen_groups(vec![" a ".into()]).unwrap(), ["a"]);
    }

    #[test]
    fn presets_list_the_columns_their_spec_gives_in_file_order() {
        let users = column_catalogue(DownloadKind::Users, false);
        let names: Vec<PresetName> = users.presets.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                PresetName::Default,
                PresetName::Portal,
                PresetName::PortalManagerSignIn,
                PresetName::Everything
            ]
        );
        let portal = &users.presets[1].columns;
        let with_manager = &users.presets[2].columns;
        assert_eq!(portal.len(), 26);
        assert_eq!(&with_manager[..26], &portal[..]);
        assert_eq!(
            &with_manager[26..],
            ["manager/displayName", "signInActivity/lastSignInDateTime"]
        );
        for preset in &users.presets {
            for header in &preset.columns {
                assert!(
                    users.columns.iter().any(|c| &c.header == header),
                    "{header} of {:?} is not offered",
                    preset.name
                );
            }
        }
        let default: Vec<&String> = users
            .columns
            .iter()
            .filter(|c| c.default)
            .map(|c| &c.header)
            .collect();
        assert_eq!(default, users.presets[0].columns.iter().collect::<Vec<_>>());
    }

    #[test]
    fn a_members_download_offers_the_nesting_path_only_when_transitive() {
        let direct = column_catalogue(DownloadKind::Members, false);
        let nested = column_catalogue(DownloadKind::Members, true);
        assert!(direct.columns.iter().all(|c| c.header != "nestingPath"));
        assert!(nested.columns.iter().any(|c| c.header == "nestingPath"));
        // `all` gives a members download its default columns: offered once.
        assert_eq!(nested.presets.len(), 1);
        assert_eq!(nested.presets[0].spec, "default");
        assert!(nested.columns.iter().all(|c| c.default));
    }

    #[test]
    fn owners_and_user_groups_offer_their_columns_and_not_the_counts() {
        let groups = column_catalogue(DownloadKind::Groups, false);
        for header in ["ownerCount", "hasNoOwner"] {
            assert!(
                groups
                    .columns
                    .iter()
                    .any(|c| c.header == header && c.costly && !c.default)
            );
        }
        let owners = column_catalogue(DownloadKind::Owners, false);
        assert_eq!(owners.columns[2].header, "ownerId");
        assert!(owners.columns.iter().all(|c| c.default && !c.costly));
        let direct = column_catalogue(DownloadKind::UserGroups, false);
        let nested = column_catalogue(DownloadKind::UserGroups, true);
        assert!(direct.columns.iter().all(|c| c.header != "membership"));
        assert!(
            nested
                .columns
                .iter()
                .any(|c| c.header == "membership" && c.default)
        );
        assert!(
            nested
                .columns
                .iter()
                .any(|c| c.header == "groupType" && !c.default)
        );
        assert!(nested.columns.iter().all(|c| !c.costly));
        assert!(parse_spec(DownloadKind::UserGroups, "groupName,visibility", false).is_ok());
        assert!(parse_spec(DownloadKind::Owners, "portal", false).is_err());
    }

    #[test]
    fn catalogue_columns_carry_their_theme() {
        let users = column_catalogue(DownloadKind::Users, false);
        let theme = |header: &str| {
            users
                .columns
                .iter()
                .find(|c| c.header == header)
                .map(|c| c.theme)
        };
        assert_eq!(
            theme("authenticationEmail"),
            Some(ColumnTheme::Authentication)
        );
        assert_eq!(
            theme("extensionAttribute7"),
            Some(ColumnTheme::ExtensionAttributes)
        );
        assert_eq!(theme("manager/displayName"), Some(ColumnTheme::Job));
    }

    #[test]
    fn taken_names_get_a_number() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            free_file_name(dir.path(), "users"),
            dir.path().join("users.csv")
        );
        std::fs::write(dir.path().join("users.csv"), "x").unwrap();
        std::fs::write(dir.path().join("users-2.csv.part"), "x").unwrap();
        assert_eq!(
            free_file_name(dir.path(), "users"),
            dir.path().join("users-3.csv")
        );
    }
}
