//! The tables' reads (users, groups) through roster-app's listings; this file maps requests and
//! Graph objects to the UI's types.

use roster_app::directory::{ListingKind, RowPage};

use super::AppState;
use crate::ipc::{
    AppError, GROUP_PROPERTIES, GroupDto, GroupsListRequest, GroupsPage, ListingRequest,
    USER_PROPERTIES, UserDto, UserFacets, UsersListRequest, UsersPage,
};

pub use roster_app::directory::{FACET_USERS, PAGE_SIZE};

impl AppState {
    /// The first page of the users matching the search and pickers, with their total.
    pub async fn users(&self, request: UsersListRequest) -> Result<UsersPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .users(&graph, &request.to_filter(), USER_PROPERTIES)
            .await?;
        Ok(users_page(page))
    }

    /// The next page of a users listing.
    pub async fn users_more(&self, request: ListingRequest) -> Result<UsersPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .more(&graph, &request.listing, ListingKind::Users)
            .await?;
        Ok(users_page(page))
    }

    /// The first page of the groups matching the name search and pickers, with their total.
    pub async fn groups(&self, request: GroupsListRequest) -> Result<GroupsPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .groups(&graph, &request.to_filter(), GROUP_PROPERTIES)
            .await?;
        Ok(groups_page(page))
    }

    /// The next page of a groups listing.
    pub async fn groups_more(&self, request: ListingRequest) -> Result<GroupsPage, AppError> {
        let graph = self.read_graph().await?;
        let page = self
            .listings
            .more(&graph, &request.listing, ListingKind::Groups)
            .await?;
        Ok(groups_page(page))
    }

    /// The departments and countries the tenant's users have (the first [`FACET_USERS`] users read).
    pub async fn user_facets(&self) -> Result<UserFacets, AppError> {
        let graph = self.read_graph().await?;
        let facets = roster_app::directory::user_facets(&graph).await?;
        Ok(UserFacets {
            departments: facets.departments,
            countries: facets.countries,
            complete: facets.complete,
        })
    }
}

fn users_page(page: RowPage) -> UsersPage {
    UsersPage {
        items: page.items.iter().map(UserDto::from_graph).collect(),
        listing: page.listing,
        total: page.total,
    }
}

fn groups_page(page: RowPage) -> GroupsPage {
    GroupsPage {
        items: page.items.iter().map(GroupDto::from_graph).collect(),
        listing: page.listing,
        total: page.total,
    }
}
