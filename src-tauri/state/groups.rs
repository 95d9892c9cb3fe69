//! The group page: a group's details and its members, direct or transitive (with the nesting path
//! each transitive member is reached through), through roster-app (mapped in `ipc/groups.rs`).

use roster_app::directory::ListingKind;

use super::AppState;
use crate::ipc::{
    AppError, GROUP_PROPERTIES, GroupDetails, GroupMembersRequest, GroupRequest, ListingRequest,
    MEMBER_PROPERTIES, MembersPage,
};

impl AppState {
    /// The group page's header: the group classified, its owner and member counts, and why its
    /// members cannot be changed here (when that is known from the group alone).
    pub async fn group(&self, request: GroupRequest) -> Result<GroupDetails, AppError> {
        let graph = self.read_graph().await?;
        let summary =
            roster_app::directory::group_summary(&graph, &request.id, GROUP_PROPERTIES).await?;
        Ok(summary.into())
    }

    /// The first page of a group's members; transitive members carry the nested groups they come
    /// through.
    pub async fn group_members(
        &self,
        request: GroupMembersRequest,
    ) -> Result<MembersPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .members(
                &graph,
                &request.group_id,
                request.transitive,
                MEMBER_PROPERTIES,
            )
            .await?;
        Ok(page.into())
    }

    /// The next page of a group's members.
    pub async fn group_members_more(
        &self,
        request: ListingRequest,
    ) -> Result<MembersPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .more(&graph, &request.listing, ListingKind::Members)
            .await?;
        Ok(page.into())
    }
}
