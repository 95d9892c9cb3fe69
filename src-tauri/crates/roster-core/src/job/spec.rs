//! What a job does: its kind and parameters, stored as JSON with the job so that a resumed job
//! runs exactly the same request as the first run.

use super::{GroupFilter, JobKind, UserFilter};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A job's parameters. Tagged by `type` (`download_users`, ...) on the wire and in storage.
/// More kinds (bulk member add/remove) will join; match with a wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum JobSpec {
    /// Users to CSV.
    DownloadUsers(DownloadUsers),
    /// Groups to CSV.
    DownloadGroups(DownloadGroups),
    /// Members of one or more groups to one CSV.
    DownloadMembers(DownloadMembers),
    /// Owners of one or more groups to one CSV.
    DownloadOwners(DownloadOwners),
    /// The groups of one or more users to one CSV.
    DownloadUserGroups(DownloadUserGroups),
}

impl JobSpec {
    /// The kind of job this spec describes.
    pub fn kind(&self) -> JobKind {
        match self {
            Self::DownloadUsers(_) => JobKind::DownloadUsers,
            Self::DownloadGroups(_) => JobKind::DownloadGroups,
            Self::DownloadMembers(_) => JobKind::DownloadMembers,
            Self::DownloadOwners(_) => JobKind::DownloadOwners,
            Self::DownloadUserGroups(_) => JobKind::DownloadUserGroups,
        }
    }

    /// Where and how the job writes its CSV file.
    pub fn output(&self) -> &CsvOutput {
        match self {
            Self::DownloadUsers(s) => &s.output,
            Self::DownloadGroups(s) => &s.output,
            Self::DownloadMembers(s) => &s.output,
            Self::DownloadOwners(s) => &s.output,
            Self::DownloadUserGroups(s) => &s.output,
        }
    }

    /// The CSV settings to change before the job is created (the file's absolute path).
    pub fn output_mut(&mut self) -> &mut CsvOutput {
        match self {
            Self::DownloadUsers(s) => &mut s.output,
            Self::DownloadGroups(s) => &mut s.output,
            Self::DownloadMembers(s) => &mut s.output,
            Self::DownloadOwners(s) => &mut s.output,
            Self::DownloadUserGroups(s) => &mut s.output,
        }
    }

    /// The job's name as stored and as the CLI prints it: its [`title`](Self::title) in English,
    /// e.g. "Download users (department is Sales)".
    pub fn describe(&self) -> String {
        self.title().english
    }
}

/// Download users to CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadUsers {
    /// Which users.
    #[serde(default)]
    pub filter: UserFilter,
    /// Column spec: `portal`, `all` or `a,b,c` (see `roster_core::columns::parse_user_columns`).
    pub columns: String,
    /// The file.
    pub output: CsvOutput,
    /// How many slices of the directory are read at once: `None` chooses (a large download is
    /// split, a small one is not), `Some(1)` reads one chain of pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<u32>,
}

/// Download groups to CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadGroups {
    /// Which groups.
    #[serde(default)]
    pub filter: GroupFilter,
    /// Column spec: `default`, `all` or `a,b,c` (see `roster_core::columns::parse_group_columns`);
    /// naming `memberCount` costs one `$count` request per group.
    pub columns: String,
    /// The file.
    pub output: CsvOutput,
    /// How many `displayName` slices are read at once: `None` chooses (a large download is split,
    /// a small one is not), `Some(1)` reads one chain of pages. Absent from jobs stored before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<u32>,
}

/// Which groups a members download reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum GroupSelection {
    /// Groups named by object id or exact display name (from the command line or a file), in
    /// this order; a name matching several groups takes all of them, in Graph order.
    Groups {
        /// Ids or display names.
        groups: Vec<String>,
    },
    /// Every group the signed-in user owns.
    Owned,
    /// Every group a filter selects.
    Filter {
        /// The filter.
        filter: GroupFilter,
    },
}

impl GroupSelection {
    /// The groups in words, for a job's name: a group's name, "3 groups", "groups I own" or the filter.
    pub fn describe(&self) -> String {
        match self {
            Self::Groups { groups } if groups.len() == 1 => groups[0].clone(),
            Self::Groups { groups } => format!("{} groups", groups.len()),
            Self::Owned => "groups I own".to_owned(),
            Self::Filter { filter } => filter
                .odata_filter()
                .unwrap_or_else(|| "all groups".to_owned()),
        }
    }
}

/// Download the owners of one or more groups to one CSV: one row per group and owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadOwners {
    /// Which groups.
    pub groups: GroupSelection,
    /// Owner column spec (see `roster_core::columns::parse_owner_columns`); `None` = the defaults.
    #[serde(default)]
    pub columns: Option<String>,
    /// The file.
    pub output: CsvOutput,
}

/// Download the groups each of one or more users is a member of to one CSV: one row per user and
/// group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadUserGroups {
    /// Which users: listed ids or UPNs, or a filter (the same filter a users download takes).
    #[serde(default)]
    pub users: UserFilter,
    /// Also the groups a user is in through nested groups, with whether each is direct or inherited.
    #[serde(default)]
    pub transitive: bool,
    /// Column spec (see `roster_core::columns::parse_user_group_columns`); `None` = the defaults.
    #[serde(default)]
    pub columns: Option<String>,
    /// The file.
    pub output: CsvOutput,
}

/// Download the members of one or more groups to one CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DownloadMembers {
    /// Which groups.
    pub groups: GroupSelection,
    /// Include members of nested groups, with the nesting path.
    #[serde(default)]
    pub transitive: bool,
    /// Member column headers to keep (comma-separated, case-insensitive); `None` = all.
    #[serde(default)]
    pub columns: Option<String>,
    /// The file.
    pub output: CsvOutput,
}

/// The field separator of a written CSV file (mirrors `roster_csv::Delimiter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CsvDelimiter {
    /// `,`.
    #[default]
    Comma,
    /// `;`.
    Semicolon,
    /// Tab.
    Tab,
}

/// The spreadsheet formula guard of a written CSV file (mirrors `roster_csv::FormulaGuard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CsvFormulaGuard {
    /// Prefix formula-like cells with `'`, except numbers and phone numbers.
    #[default]
    Standard,
    /// Prefix every formula-like cell.
    Strict,
    /// Write cells unchanged.
    Off,
}

/// Where and how a download writes its CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CsvOutput {
    /// The final file (written as `path.part` until complete).
    pub path: PathBuf,
    /// Start with a UTF-8 BOM (for Excel).
    #[serde(default = "yes")]
    pub bom: bool,
    /// Field separator.
    #[serde(default)]
    pub delimiter: CsvDelimiter,
    /// Formula-injection guard.
    #[serde(default)]
    pub formula_guard: CsvFormulaGuard,
}

fn yes() -> bool {
    true
}

impl CsvOutput {
    /// Default options (BOM, comma, standard guard) for `path`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            bom: true,
            delimiter: CsvDelimiter::Comma,
            formula_guard: CsvFormulaGuard::Standard,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::GroupKindChoice;
    use serde_json::json;

    #[test]
    fn specs_round_trip_with_a_type_tag() {
        let spec = JobSpec::DownloadMembers(DownloadMembers {
            groups: GroupSelection::Groups {
                groups: vec!["Sales".into()],
            },
            transitive: true,
            columns: None,
            output: CsvOutput::new("/tmp/m.csv"),
        });
        let value = serde_json::to_value(&spec).unwrap();
        assert_eq!(value["type"], "download_members");
        assert_eq!(
            value["groups"],
            json!({"by": "groups", "groups": ["Sales"]})
        );
        assert_eq!(serde_json::from_value::<JobSpec>(value).unwrap(), spec);
        assert_eq!(spec.kind(), JobKind::DownloadMembers);
        assert_eq!(
            spec.describe(),
            "Download members, nested included, of Sales"
        );
    }

    #[test]
    fn minimal_json_gets_defaults() {
        let spec: JobSpec = serde_json::from_value(json!({
            "type": "download_users", "columns": "portal", "output": {"path": "u.csv"}
        }))
        .unwrap();
        let JobSpec::DownloadUsers(users) = &spec else {
            panic!("{spec:?}")
        };
        assert_eq!(users.filter, UserFilter::default());
        assert_eq!(users.output, CsvOutput::new("u.csv"));
        assert_eq!(spec.describe(), "Download users");
    }

    #[test]
    fn descriptions_name_the_filter() {
        let spec = JobSpec::DownloadGroups(DownloadGroups {
            filter: GroupFilter {
                kind: vec![GroupKindChoice::M365],
                ..GroupFilter::default()
            },
            columns: "default".into(),
            output: CsvOutput::new("g.csv"),
            parallel: None,
        });
        assert_eq!(spec.describe(), "Download groups (Microsoft 365)");
        assert_eq!(spec.output().path, PathBuf::from("g.csv"));
    }

    #[test]
    fn owners_and_user_groups_round_trip_and_name_what_they_read() {
        let owners = JobSpec::DownloadOwners(DownloadOwners {
            groups: GroupSelection::Groups {
                groups: vec!["a".into(), "b".into()],
            },
            columns: None,
            output: CsvOutput::new("o.csv"),
        });
        let value = serde_json::to_value(&owners).unwrap();
        assert_eq!(value["type"], "download_owners");
        assert_eq!(serde_json::from_value::<JobSpec>(value).unwrap(), owners);
        assert_eq!(owners.kind(), JobKind::DownloadOwners);
        assert_eq!(owners.describe(), "Download owners of a, b");

        let groups: JobSpec = serde_json::from_value(json!({
            "type": "download_user_groups", "transitive": true,
            "users": {"department": "Sales"}, "output": {"path": "ug.csv"}
        }))
        .unwrap();
        assert_eq!(groups.kind(), JobKind::DownloadUserGroups);
        assert_eq!(
            groups.describe(),
            "Download groups, nested included, of users (department is Sales)"
        );
        let JobSpec::DownloadUserGroups(mut spec) = groups else {
            panic!("{groups:?}")
        };
        spec.users = UserFilter {
            ids: vec!["ann@contoso.com".into()],
            ..UserFilter::default()
        };
        spec.transitive = false;
        assert_eq!(
            JobSpec::DownloadUserGroups(spec).describe(),
            "Download groups of ann@contoso.com"
        );
    }
}
