//! The group page: a group's details and its members, direct or transitive (with the nesting path
//! each transitive member is reached through), through roster-app; this file maps to the UI's types.

use roster_app::directory::{ListingKind, RowPage};

use super::AppState;
use crate::ipc::{
    AppError, GROUP_PROPERTIES, GroupDetails, GroupDto, GroupMembersRequest, GroupRequest,
    ListingRequest, MEMBER_PROPERTIES, MemberDto, MembersPage,
};

pub use roster_app::directory::NESTING_BUDGET;

impl AppState {
    /// The group page's header: the group classified, its owner and member counts, and why its
    /// members cannot be changed here (when that is known from the group alone).
    pub async fn group(&self, request: GroupRequest) -> Result<GroupDetails, AppError> {
        let graph = self.read_graph().await?;
        let summary =
            roster_app::directory::group_summary(&graph, &request.id, GROUP_PROPERTIES).await?;
        Ok(GroupDetails {
            group: GroupDto::from_graph(&summary.group),
            owners_count: summary.owners_count,
            members_count: summary.members_count,
            refusal: summary.target.refusal(),
            notice: summary.target.notice(),
        })
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
        Ok(members_page(page))
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
        Ok(members_page(page))
    }
}

fn members_page(page: RowPage) -> MembersPage {
    let items = page
        .items
        .iter()
        .map(|item| {
            let mut member = MemberDto::from_graph(item);
            member.path = page.path_of(&member.id);
            member
        })
        .collect();
    MembersPage {
        listing: page.listing,
        items,
        total: page.total,
    }
}
