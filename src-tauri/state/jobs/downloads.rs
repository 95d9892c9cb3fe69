//! Download jobs from the Users and Groups screens: the filter or selection they show becomes a
//! roster-core job spec, written with the CSV options from the settings.

use std::path::PathBuf;

use roster_app::downloads::{chosen_groups, column_catalogue};
use roster_core::job::{
    DownloadGroups, DownloadMembers, DownloadOwners, DownloadUserGroups, DownloadUsers,
    GroupSelection, JobSpec,
};

use crate::ipc::{
    AppError, ColumnCatalogue, ColumnsRequest, DownloadGroupsRequest, DownloadMembersRequest,
    DownloadOwnersRequest, DownloadUserGroupsRequest, DownloadUsersRequest, JobRef,
};
use crate::state::{AppState, FileUse};

impl AppState {
    /// Starts a users download; returns the job at once (progress arrives as job events).
    pub async fn download_users(&self, request: DownloadUsersRequest) -> Result<JobRef, AppError> {
        let columns = match request.columns.filter(|c| !c.trim().is_empty()) {
            Some(columns) => columns,
            None => self.settings().await?.user_columns,
        };
        let mut filter = request.filter.unwrap_or_default().to_filter();
        filter.ids = request.ids.unwrap_or_default();
        let path = self.save_path(&request.file)?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadUsers(DownloadUsers {
            filter,
            columns,
            output,
            parallel: None,
        }))
        .await
    }

    /// Starts a groups download.
    pub async fn download_groups(
        &self,
        request: DownloadGroupsRequest,
    ) -> Result<JobRef, AppError> {
        let path = self.save_path(&request.file)?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadGroups(DownloadGroups {
            filter: request.filter.unwrap_or_default().to_filter(),
            columns: request
                .columns
                .filter(|c| !c.trim().is_empty())
                .unwrap_or_else(|| "default".to_owned()),
            output,
            parallel: None,
        }))
        .await
    }

    /// Starts a download of the members of the given groups into one file.
    pub async fn download_members(
        &self,
        request: DownloadMembersRequest,
    ) -> Result<JobRef, AppError> {
        let groups = chosen_groups(request.group_ids)?;
        let path = self.save_path(&request.file)?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadMembers(DownloadMembers {
            groups: GroupSelection::Groups { groups },
            transitive: request.transitive.unwrap_or(false),
            columns: request.columns.filter(|c| !c.trim().is_empty()),
            output,
        }))
        .await
    }

    /// Starts a download of the owners of the given groups into one file.
    pub async fn download_owners(
        &self,
        request: DownloadOwnersRequest,
    ) -> Result<JobRef, AppError> {
        let groups = chosen_groups(request.group_ids)?;
        let path = self.save_path(&request.file)?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadOwners(DownloadOwners {
            groups: GroupSelection::Groups { groups },
            columns: request.columns.filter(|c| !c.trim().is_empty()),
            output,
        }))
        .await
    }

    /// Starts a download of the groups of the given users (ticked ids, or the filter) into one file.
    pub async fn download_user_groups(
        &self,
        request: DownloadUserGroupsRequest,
    ) -> Result<JobRef, AppError> {
        let mut users = request.filter.unwrap_or_default().to_filter();
        users.ids = request.ids.unwrap_or_default();
        let path = self.save_path(&request.file)?;
        let output = self.csv_output(path).await?;
        self.submit(JobSpec::DownloadUserGroups(DownloadUserGroups {
            users,
            transitive: request.transitive.unwrap_or(false),
            columns: request.columns.filter(|c| !c.trim().is_empty()),
            output,
        }))
        .await
    }

    /// The columns the column picker offers for a download.
    pub fn download_columns(&self, request: ColumnsRequest) -> ColumnCatalogue {
        column_catalogue(request.kind.into(), request.transitive.unwrap_or(false)).into()
    }

    /// Starts a download through the API and reports the queued job.
    async fn submit(&self, spec: JobSpec) -> Result<JobRef, AppError> {
        let jobs = self.job_list().await?;
        let tenant = self.tenant().await?;
        let job = jobs.download(spec, &tenant).await?;
        self.publish_job(jobs.store(), job.id);
        Ok(JobRef::of(&job))
    }

    /// The file the person chose in the save dialog (a download is never written where the
    /// webview alone says).
    fn save_path(&self, handle: &str) -> Result<PathBuf, AppError> {
        if handle.trim().is_empty() {
            return Err(AppError::no_file_chosen());
        }
        self.chosen_file(handle, FileUse::SaveCsv)
    }
}
