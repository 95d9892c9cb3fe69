//! `roster download users|groups|members|owners|user-groups`: flags → a job spec → a job followed to its end.

use crate::app::App;
use crate::cli::{self, Download, Output};
use crate::exit::{Exit, Failure};
use crate::follow::follow;
use roster_core::job::{
    CsvDelimiter, CsvFormulaGuard, CsvOutput, DownloadGroups, DownloadMembers, DownloadOwners,
    DownloadUserGroups, DownloadUsers, GroupFilter, GroupKindChoice, GroupSelection,
    GroupSourceChoice, JobSpec, MembershipChoice, UserFilter, UserTypeChoice,
};
use std::path::Path;

/// Runs a download command.
pub async fn run(app: &App, command: &Download) -> Result<Exit, Failure> {
    let spec = spec(command)?;
    let events = app.jobs.subscribe();
    let job = app.jobs.download(spec, app.connection()?).await?;
    follow(app, job.id, events).await
}

/// The job spec a download command stands for.
pub fn spec(command: &Download) -> Result<JobSpec, Failure> {
    Ok(match command {
        Download::Users(u) => JobSpec::DownloadUsers(DownloadUsers {
            filter: user_filter(&u.users)?,
            columns: u.columns.clone(),
            output: output(&u.output),
            parallel: u.parallel,
        }),
        Download::Groups(g) => JobSpec::DownloadGroups(DownloadGroups {
            filter: GroupFilter {
                kind: g
                    .kind
                    .iter()
                    .map(|k| match k {
                        cli::KindArg::M365 => GroupKindChoice::M365,
                        cli::KindArg::Security => GroupKindChoice::Security,
                        cli::KindArg::MailSecurity => GroupKindChoice::MailSecurity,
                        cli::KindArg::Distribution => GroupKindChoice::Distribution,
                    })
                    .collect(),
                membership: g.membership.map(|m| match m {
                    cli::MembershipArg::Assigned => MembershipChoice::Assigned,
                    cli::MembershipArg::Dynamic => MembershipChoice::Dynamic,
                }),
                source: g.source.map(|s| match s {
                    cli::SourceArg::Cloud => GroupSourceChoice::Cloud,
                    cli::SourceArg::Synced => GroupSourceChoice::Synced,
                }),
                role_assignable: g.role_assignable,
                name: g.name.clone(),
                odata: g.filter.clone(),
            },
            columns: g.columns.clone(),
            output: output(&g.output),
            parallel: g.parallel,
        }),
        Download::Members(m) => JobSpec::DownloadMembers(DownloadMembers {
            groups: group_selection(&m.groups)?,
            transitive: m.transitive,
            columns: m.columns.clone(),
            output: output(&m.output),
        }),
        Download::Owners(o) => JobSpec::DownloadOwners(DownloadOwners {
            groups: group_selection(&o.groups)?,
            columns: o.columns.clone(),
            output: output(&o.output),
        }),
        Download::UserGroups(u) => JobSpec::DownloadUserGroups(DownloadUserGroups {
            users: user_filter(&u.users)?,
            transitive: u.transitive,
            columns: u.columns.clone(),
            output: output(&u.output),
        }),
    })
}

/// The users `--filter`, `--search`, the pickers or `--ids-file` select.
fn user_filter(u: &cli::UserChoice) -> Result<UserFilter, Failure> {
    let ids = match &u.ids_file {
        Some(file) => read_user_ids(file)?,
        None => Vec::new(),
    };
    Ok(UserFilter {
        odata: u.filter.clone(),
        user_type: u
            .user_type
            .iter()
            .map(|t| match t {
                cli::UserTypeArg::Member => UserTypeChoice::Member,
                cli::UserTypeArg::Guest => UserTypeChoice::Guest,
            })
            .collect(),
        account_enabled: u.enabled,
        department: u.department.clone(),
        country: u.country.clone(),
        created_from: u.created_from.clone(),
        created_before: u.created_before.clone(),
        search: u.search.clone(),
        ids,
    })
}

/// The groups `--group`, `--groups-file`, `--owned` or `--group-filter` select.
fn group_selection(g: &cli::GroupChoice) -> Result<GroupSelection, Failure> {
    if g.owned {
        return Ok(GroupSelection::Owned);
    }
    if let Some(filter) = &g.group_filter {
        return Ok(GroupSelection::Filter {
            filter: GroupFilter {
                odata: Some(filter.clone()),
                ..GroupFilter::default()
            },
        });
    }
    let mut groups = g.group.clone();
    if let Some(file) = &g.groups_file {
        groups.extend(read_lines(file)?);
    }
    if groups.is_empty() {
        return Err(Failure::input(
            "no group given: use --group ID_OR_NAME, --groups-file F or --owned",
        ));
    }
    Ok(GroupSelection::Groups { groups })
}

fn output(o: &Output) -> CsvOutput {
    csv_output(o.out.clone(), &o.format)
}

/// The CSV settings the format flags ask for, writing to `path`.
pub(crate) fn csv_output(path: std::path::PathBuf, f: &cli::CsvFormat) -> CsvOutput {
    CsvOutput {
        path,
        bom: !f.no_bom,
        delimiter: match f.delimiter {
            cli::DelimiterArg::Comma => CsvDelimiter::Comma,
            cli::DelimiterArg::Semicolon => CsvDelimiter::Semicolon,
            cli::DelimiterArg::Tab => CsvDelimiter::Tab,
        },
        formula_guard: match f.formula_guard {
            cli::GuardArg::Standard => CsvFormulaGuard::Standard,
            cli::GuardArg::Strict => CsvFormulaGuard::Strict,
            cli::GuardArg::Off => CsvFormulaGuard::Off,
        },
    }
}

/// The non-empty lines of a file (BOM, surrounding quotes and `#` comments dropped).
fn read_lines(path: &Path) -> Result<Vec<String>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure::input(format!(
            "cannot read {}: {e}; check the path and that it is UTF-8 text",
            path.display()
        ))
    })?;
    Ok(text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.trim().trim_matches('"').trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect())
}

/// Object ids or UPNs from a file: one per line, or the first column of a CSV; lines that are
/// neither (a header such as `objectId`) are skipped.
fn read_user_ids(path: &Path) -> Result<Vec<String>, Failure> {
    let ids: Vec<String> = read_lines(path)?
        .into_iter()
        .filter_map(|line| {
            let first = line
                .split([',', ';', '\t'])
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches('"')
                .to_owned();
            (first.contains('@') || looks_like_guid(&first)).then_some(first)
        })
        .collect();
    if ids.is_empty() {
        return Err(Failure::input(format!(
            "{} holds no object ids or user principal names (one per line, or in the first column)",
            path.display()
        )));
    }
    Ok(ids)
}

fn looks_like_guid(text: &str) -> bool {
    text.len() == 36 && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn spec_of(args: &[&str]) -> JobSpec {
        let cli = cli::Cli::try_parse_from(args).unwrap();
        match cli.command {
            cli::Command::Download(download) => spec(&download).unwrap(),
            other => panic!("not a download: {other:?}"),
        }
    }

    #[test]
    fn a_repeated_picker_flag_means_any_of_its_values() {
        let JobSpec::DownloadUsers(users) = spec_of(&[
            "roster",
            "download",
            "users",
            "--department",
            "Sales",
            "--department",
            "Legal",
            "--user-type",
            "guest",
            "-o",
            "u.csv",
        ]) else {
            panic!("a users download")
        };
        assert_eq!(
            users.filter.odata_filter().unwrap(),
            "userType eq 'Guest' and department in ('Sales','Legal')"
        );
        let JobSpec::DownloadGroups(groups) = spec_of(&[
            "roster", "download", "groups", "--kind", "m365", "--kind", "security", "-o", "g.csv",
        ]) else {
            panic!("a groups download")
        };
        assert_eq!(groups.filter.kind.len(), 2);
    }

    #[test]
    fn id_files_accept_lines_and_csv_first_columns() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("ids.csv");
        std::fs::write(
            &file,
            "\u{feff}objectId,name\r\n0b1f3c2a-1234-4abc-8def-0123456789ab,Ann\r\n\r\n\"bob@contoso.com\"\r\n# comment\r\n",
        )
        .unwrap();
        assert_eq!(
            read_user_ids(&file).unwrap(),
            ["0b1f3c2a-1234-4abc-8def-0123456789ab", "bob@contoso.com"]
        );
        std::fs::write(&file, "objectId\n").unwrap();
        assert!(
            read_user_ids(&file)
                .unwrap_err()
                .message
                .contains("no object ids")
        );
    }
}
