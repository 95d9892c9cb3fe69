//! Download jobs from the Users and Groups screens: the filter or selection they show becomes a
//! roster-core job spec, written with the CSV options from the settings.

use std::path::PathBuf;

use roster_core::columns::{self, Column, ColumnSource, Computed};
use roster_core::job::{
    DownloadGroups, DownloadMembers, DownloadUsers, GroupFilter, GroupKindChoice, GroupSelection,
    GroupSourceChoice, JobSpec, MembershipChoice, UserFilter, UserTypeChoice,
};

use super::absolute_path;
use crate::ipc::{
    AppError, ColumnCatalogue, ColumnDto, ColumnsRequest, DownloadGroupsRequest, DownloadKindDto,
    DownloadMembersRequest, DownloadUsersRequest, ErrorCode, GroupFilterDto, GroupKindDto,
    GroupSourceDto, JobRef, MembershipDto, UserFilterDto, UserTypeDto,
};
use crate::state::AppState;

impl AppState {
    /// Starts a users download; returns the job at once (progress arrives as job events).
    pub async fn download_users(&self, request: DownloadUsersRequest) -> Result<JobRef, AppError> {
        let columns = match request.columns.filter(|c| !c.trim().is_empty()) {
            Some(columns) => columns,
            None => self.settings().await?.user_columns,
        };
        let mut filter = user_filter(request.filter.unwrap_or_default());
        filter.ids = request.ids.unwrap_or_default();
        let path = self.output_path(request.path, "users").await?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadUsers(DownloadUsers {
            filter,
            columns,
            output,
        }))
        .await
    }

    /// Starts a groups download.
    pub async fn download_groups(
        &self,
        request: DownloadGroupsRequest,
    ) -> Result<JobRef, AppError> {
        let path = self.output_path(request.path, "groups").await?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadGroups(DownloadGroups {
            filter: group_filter(request.filter.unwrap_or_default()),
            columns: request
                .columns
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| "default".to_owned()),
            output,
        }))
        .await
    }

    /// Starts a download of the members of the given groups into one file.
    pub async fn download_members(
        &self,
        request: DownloadMembersRequest,
    ) -> Result<JobRef, AppError> {
        let groups: Vec<String> = request
            .group_ids
            .into_iter()
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect();
        if groups.is_empty() {
            return Err(AppError::new(
                ErrorCode::Validation,
                "No group selected. Tick one or more groups, then choose Download members.",
            ));
        }
        let path = self.output_path(request.path, "members").await?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadMembers(DownloadMembers {
            groups: GroupSelection::Groups { groups },
            transitive: request.transitive.unwrap_or(false),
            columns: request.columns.filter(|c| !c.trim().is_empty()),
            output,
        }))
        .await
    }

    /// The columns the column picker offers for a download.
    pub fn download_columns(&self, request: ColumnsRequest) -> ColumnCatalogue {
        let (defaults, all, default_spec): (Vec<Column>, Vec<Column>, &str) = match request.kind {
            DownloadKindDto::Users => (
                columns::portal_user_columns(),
                columns::user_catalogue(),
                "portal",
            ),
            DownloadKindDto::Groups => (
                columns::group_default_columns(),
                columns::group_catalogue(),
                "default",
            ),
            DownloadKindDto::Members => (Vec::new(), columns::member_columns(true), ""),
        };
        let mut out: Vec<ColumnDto> = defaults.iter().map(|c| column_dto(c, true)).collect();
        for column in &all {
            if !out.iter().any(|c| c.header == column.header) {
                out.push(column_dto(column, defaults.is_empty()));
            }
        }
        ColumnCatalogue {
            columns: out,
            default_spec: default_spec.to_owned(),
            cost_note: match request.kind {
                DownloadKindDto::Users => "Authentication-method columns need one or two extra Graph requests per user and the UserAuthenticationMethod.Read.All permission; a large download takes much longer with them.".to_owned(),
                DownloadKindDto::Groups => "memberCount needs one extra Graph request per group.".to_owned(),
                DownloadKindDto::Members => String::new(),
            },
        }
    }

    /// Starts a download through the API and reports the queued job.
    async fn submit(&self, spec: JobSpec) -> Result<JobRef, AppError> {
        let jobs = self.job_list().await?;
        let tenant = self.tenant().await?;
        let job = jobs.download(spec, &tenant).await?;
        self.publish_job(jobs.store(), job.id);
        Ok(JobRef {
            id: job.id.to_string(),
            name: job.name,
        })
    }

    /// The path the request named, or `NAME.csv` in the output folder (`NAME-2.csv`... when taken).
    async fn output_path(&self, path: Option<String>, name: &str) -> Result<PathBuf, AppError> {
        if let Some(path) = path.filter(|p| !p.trim().is_empty()) {
            return absolute_path(&path);
        }
        let folder = PathBuf::from(self.settings().await?.output_folder);
        Ok(roster_app::free_file_name(&folder, name))
    }
}

fn column_dto(column: &Column, default: bool) -> ColumnDto {
    ColumnDto {
        header: column.header.to_string(),
        description: column.description.to_string(),
        default,
        costly: column.needs_auth_methods()
            || matches!(column.source, ColumnSource::Computed(Computed::MemberCount)),
    }
}

fn nonblank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

fn user_filter(dto: UserFilterDto) -> UserFilter {
    UserFilter {
        odata: nonblank(dto.odata),
        user_type: dto.user_type.map(|t| match t {
            UserTypeDto::Member => UserTypeChoice::Member,
            UserTypeDto::Guest => UserTypeChoice::Guest,
        }),
        account_enabled: dto.account_enabled,
        department: nonblank(dto.department),
        country: nonblank(dto.country),
        created_from: nonblank(dto.created_from),
        created_before: nonblank(dto.created_before),
        search: nonblank(dto.search),
        ids: Vec::new(),
    }
}

fn group_filter(dto: GroupFilterDto) -> GroupFilter {
    GroupFilter {
        kind: dto.kind.map(|k| match k {
            GroupKindDto::M365 => GroupKindChoice::M365,
            GroupKindDto::Security => GroupKindChoice::Security,
            GroupKindDto::MailSecurity => GroupKindChoice::MailSecurity,
            GroupKindDto::Distribution => GroupKindChoice::Distribution,
        }),
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
