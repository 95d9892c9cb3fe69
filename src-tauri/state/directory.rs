//! The tables' reads (users, groups) through roster-app's listings (pages mapped to the UI's types
//! in `ipc/directory.rs`).

use roster_app::directory::ListingKind;

use super::AppState;
use crate::ipc::{
    AppError, GROUP_PROPERTIES, GroupsListRequest, GroupsPage, ListingRequest, USER_PROPERTIES,
    UserFacets, UsersListRequest, UsersPage,
};

impl AppState {
    /// The first page of the users matching the search and pickers, with their total.
    pub async fn users(&self, request: UsersListRequest) -> Result<UsersPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .users(&graph, &request.to_filter(), USER_PROPERTIES)
            .await?;
        Ok(page.into())
    }

    /// The next page of a users listing.
    pub async fn users_more(&self, request: ListingRequest) -> Result<UsersPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .more(&graph, &request.listing, ListingKind::Users)
            .await?;
        Ok(page.into())
    }

    /// The first page of the groups matching the name search and pickers, with their total.
    pub async fn groups(&self, request: GroupsListRequest) -> Result<GroupsPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .groups(&graph, &request.to_filter(), GROUP_PROPERTIES)
            .await?;
        Ok(page.into())
    }

    /// The next page of a groups listing.
    pub async fn groups_more(&self, request: ListingRequest) -> Result<GroupsPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .more(&graph, &request.listing, ListingKind::Groups)
            .await?;
        Ok(page.into())
    }

    /// The departments and countries the tenant's users have (the first [`roster_app::directory::FACET_USERS`] users read).
    pub async fn user_facets(&self) -> Result<UserFacets, AppError> {
        let graph = self.read_graph().await?;
        Ok(roster_app::directory::user_facets(&graph).await?.into())
    }
}
