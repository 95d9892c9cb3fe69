//! Download the owners of many groups into one CSV: one row per group and owner, read by the
//! same batched walk as members ([`crate::related`]) from `GET /groups/{id}/owners`
//! (<https://learn.microsoft.com/graph/api/group-list-owners>: users and service principals,
//! `GroupMember.Read.All`). A group without owners writes no row (the groups download's
//! `hasNoOwner` column names those).

use crate::JobError;
use crate::context::JobContext;
use crate::members::{GroupsRead, read_groups};
use crate::related::Relation;
use crate::work::Finished;
use roster_core::columns::{Column, ColumnError, parse_owner_columns};
use roster_core::job::DownloadOwners;

/// Owners asked for per page: a group has at most 100 owners (Graph's group resource, `owners`:
/// "Limited to 100 owners"), so one page of 100, Graph's default page size, holds them all.
pub(crate) const OWNERS_PAGE: u32 = 100;

/// The owner columns the spec asks for (see [`parse_owner_columns`]).
pub(crate) fn columns(spec: &DownloadOwners) -> Result<Vec<Column>, ColumnError> {
    parse_owner_columns(spec.columns.as_deref())
}

pub(crate) async fn run(ctx: &JobContext, spec: &DownloadOwners) -> Result<Finished, JobError> {
    let columns = columns(spec)?;
    let read = GroupsRead {
        selection: &spec.groups,
        output: &spec.output,
        columns: &columns,
        top: OWNERS_PAGE,
    };
    read_groups(ctx, read, Relation::Owners, false).await
}
