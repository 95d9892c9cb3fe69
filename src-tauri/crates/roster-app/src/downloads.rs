//! Downloads as a front end offers them: the columns each kind can write, where the file goes when
//! the person named only a folder, and which groups a members download reads.

use std::path::{Path, PathBuf};

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

/// What a download lists: users, groups or group members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DownloadKind {
    /// Users.
    Users,
    /// Groups.
    Groups,
    /// Members of groups.
    Members,
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
}

/// The columns a download of one kind offers, the default ones first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnCatalogue {
    /// Every column.
    pub columns: Vec<CatalogueColumn>,
    /// The column spec of the default set (`default`, or empty for all).
    pub default_spec: String,
    /// What the costly columns cost, in words.
    pub cost_note: String,
}

/// The columns a download of `kind` offers.
pub fn column_catalogue(kind: DownloadKind) -> ColumnCatalogue {
    use roster_core::columns::{self, Column, ColumnSource, Computed};
    let (defaults, all, default_spec): (Vec<Column>, Vec<Column>, &str) = match kind {
        DownloadKind::Users => (
            columns::default_user_columns(),
            columns::portal_user_columns()
                .into_iter()
                .chain(columns::user_catalogue())
                .collect(),
            "default",
        ),
        DownloadKind::Groups => (
            columns::group_default_columns(),
            columns::group_catalogue(),
            "default",
        ),
        DownloadKind::Members => (Vec::new(), columns::member_columns(true), ""),
    };
    let entry = |column: &Column, default: bool| CatalogueColumn {
        header: column.header.to_string(),
        description: column.description.to_string(),
        default,
        costly: column.needs_auth_methods()
            || matches!(column.source, ColumnSource::Computed(Computed::MemberCount)),
    };
    let mut out: Vec<CatalogueColumn> = defaults.iter().map(|c| entry(c, true)).collect();
    for column in &all {
        if !out.iter().any(|c| c.header == column.header) {
            out.push(entry(column, defaults.is_empty()));
        }
    }
    ColumnCatalogue {
        columns: out,
        default_spec: default_spec.to_owned(),
        cost_note: match kind {
            DownloadKind::Users => "Authentication-method columns need one or two extra Graph requests per user and the UserAuthenticationMethod.Read.All permission; a large download takes much longer with them.".to_owned(),
            DownloadKind::Groups => "memberCount needs one extra Graph request per group.".to_owned(),
            DownloadKind::Members => String::new(),
        },
    }
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
        let users = column_catalogue(DownloadKind::Users);
        assert_eq!(users.default_spec, "default");
        assert!(users.columns[0].default);
        // The default set costs nothing extra: the authentication-method columns are offered, not ticked.
        assert!(users.columns.iter().any(|c| c.costly));
        assert!(!users.columns.iter().any(|c| c.costly && c.default));
        assert!(
            users.columns.iter().any(|c| c.costly && !c.default)
                || users.columns.iter().any(|c| c.costly)
        );
        let groups = column_catalogue(DownloadKind::Groups);
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
