//! Reading the directory for the tables: users and groups, one page at a time.
//!
//! A listing's first page comes from `users`/`groups` (with Graph's `$count` as the total); the Graph
//! continuation of every open listing is kept in [`Listings`], and `users_more`/`groups_more` fetch the
//! next page when the table scrolls near its end. So 100,000 users never cross IPC at once.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, PoisonError};

use roster_graph::{Continuation, GraphClient, ListQuery, Page, Pager};
use serde_json::Value;

use super::AppState;
use crate::ipc::{
    AppError, ErrorCode, GROUP_PROPERTIES, GroupDto, GroupsListRequest, GroupsPage, ListingRequest,
    USER_PROPERTIES, UserDto, UserFacets, UsersListRequest, UsersPage,
};

/// Rows per page read from Graph (Graph's maximum for directory collections).
pub const PAGE_SIZE: u32 = 999;

/// Listings kept open at once; opening one more forgets the oldest (its table starts over on scroll).
const OPEN_LISTINGS: usize = 32;

/// Users read to offer the department and country pickers' values.
pub const FACET_USERS: usize = 50_000;

/// Member id to the names of the nested groups it is a member through (outermost first).
pub(super) type NestingPaths = Arc<HashMap<String, Vec<String>>>;

/// One page read: its rows, the listing id for the next page, and the total.
pub(super) type PageRead = (Vec<Value>, Option<String>, Option<u64>);

/// What a listing lists, so a page is never read as the wrong kind of row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ListingKind {
    Users,
    Groups,
    Members,
}

/// One open listing: where its next page is, and for transitive members the nesting paths.
pub(super) struct Listing {
    pub(super) kind: ListingKind,
    pub(super) continuation: Continuation,
    pub(super) paths: Option<NestingPaths>,
}

/// The open listings of the session, by id.
#[derive(Default)]
pub(super) struct Listings {
    next_id: u64,
    open: VecDeque<(String, Listing)>,
}

impl Listings {
    /// Keeps `listing` and returns its id.
    fn insert(&mut self, listing: Listing) -> String {
        self.next_id += 1;
        let id = format!("listing-{}", self.next_id);
        if self.open.len() >= OPEN_LISTINGS {
            self.open.pop_front();
        }
        self.open.push_back((id.clone(), listing));
        id
    }

    /// Where listing `id` of `kind` continues (a copy: the listing stays open until its next page
    /// arrived, so a failed page can be asked for again).
    fn get(&self, id: &str, kind: ListingKind) -> Option<(Continuation, Option<NestingPaths>)> {
        self.open
            .iter()
            .find(|(key, l)| key == id && l.kind == kind)
            .map(|(_, l)| (l.continuation.clone(), l.paths.clone()))
    }

    /// Closes listing `id` (its next page was read; that page names the listing after it).
    fn remove(&mut self, id: &str) {
        self.open.retain(|(key, _)| key != id);
    }
}

impl AppState {
    fn with_listings<T>(&self, f: impl FnOnce(&mut Listings) -> T) -> T {
        let mut listings = self.listings.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut listings)
    }

    /// Reads one page of `pager` and keeps the listing open when more pages follow; returns the page's
    /// items, the listing id for the next page and the total.
    pub(super) async fn read_page(
        &self,
        mut pager: Pager<Value>,
        kind: ListingKind,
        paths: Option<NestingPaths>,
        known_total: Option<u64>,
    ) -> Result<PageRead, AppError> {
        let page: Page<Value> = match pager.next_page().await {
            Some(page) => page?,
            None => {
                return Ok((Vec::new(), None, known_total));
            }
        };
        let total = known_total.or(page.count);
        let listing = pager.continuation().map(|mut continuation| {
            continuation.count = total;
            self.with_listings(|l| {
                l.insert(Listing {
                    kind,
                    continuation,
                    paths,
                })
            })
        });
        Ok((page.items, listing, total))
    }

    /// Continues an open listing: its next page.
    pub(super) async fn next_page_of(
        &self,
        request: &ListingRequest,
        kind: ListingKind,
    ) -> Result<(PageRead, Option<NestingPaths>), AppError> {
        let (continuation, paths) = self
            .with_listings(|l| l.get(&request.listing, kind))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "This list was closed or replaced; reload it to see more rows.",
                )
            })?;
        let graph = self.read_graph().await?;
        let pager = graph.resume::<Value>(&continuation).pipelining(false);
        let read = self
            .read_page(pager, kind, paths.clone(), continuation.count)
            .await?;
        self.with_listings(|l| l.remove(&request.listing));
        Ok((read, paths))
    }

    /// The first page of the users matching the search and pickers, with their total.
    pub async fn users(&self, request: UsersListRequest) -> Result<UsersPage, AppError> {
        let filter = request.to_filter();
        let mut query = ListQuery::new()
            .select(USER_PROPERTIES.iter().copied())
            .top(PAGE_SIZE)
            .count();
        if let Some(odata) = filter.odata_filter() {
            query = query.filter(odata);
        }
        if let Some(search) = filter.odata_search() {
            query = query.search(search);
        }
        let graph = self.read_graph().await?;
        let pager = graph.list_users(&query)?.pipelining(false);
        let (items, listing, total) = self
            .read_page(pager, ListingKind::Users, None, None)
            .await?;
        Ok(UsersPage {
            listing,
            items: items.iter().map(UserDto::from_graph).collect(),
            total,
        })
    }

    /// The next page of a users listing.
    pub async fn users_more(&self, request: ListingRequest) -> Result<UsersPage, AppError> {
        let ((items, listing, total), _) = self.next_page_of(&request, ListingKind::Users).await?;
        Ok(UsersPage {
            listing,
            items: items.iter().map(UserDto::from_graph).collect(),
            total,
        })
    }

    /// The first page of the groups matching the name search and pickers, with their total.
    pub async fn groups(&self, request: GroupsListRequest) -> Result<GroupsPage, AppError> {
        let mut query = ListQuery::new()
            .select(GROUP_PROPERTIES.iter().copied())
            .top(PAGE_SIZE)
            .count();
        if let Some(odata) = request.to_filter().odata_filter() {
            query = query.filter(odata);
        }
        let graph = self.read_graph().await?;
        let pager = graph.list_groups(&query)?.pipelining(false);
        let (items, listing, total) = self
            .read_page(pager, ListingKind::Groups, None, None)
            .await?;
        Ok(GroupsPage {
            listing,
            items: items.iter().map(GroupDto::from_graph).collect(),
            total,
        })
    }

    /// The next page of a groups listing.
    pub async fn groups_more(&self, request: ListingRequest) -> Result<GroupsPage, AppError> {
        let ((items, listing, total), _) = self.next_page_of(&request, ListingKind::Groups).await?;
        Ok(GroupsPage {
            listing,
            items: items.iter().map(GroupDto::from_graph).collect(),
            total,
        })
    }

    /// The departments and countries the tenant's users have (the first [`FACET_USERS`] users read).
    pub async fn user_facets(&self) -> Result<UserFacets, AppError> {
        let graph = self.read_graph().await?;
        facets(&graph).await
    }
}

async fn facets(graph: &GraphClient) -> Result<UserFacets, AppError> {
    let query = ListQuery::new()
        .select(["department", "country"])
        .top(PAGE_SIZE);
    let mut pager = graph.list_users(&query)?;
    let (mut departments, mut countries) = (BTreeSet::new(), BTreeSet::new());
    let mut read = 0usize;
    let mut complete = true;
    while let Some(page) = pager.next_page().await {
        for user in page?.items {
            for (set, property) in [
                (&mut departments, "department"),
                (&mut countries, "country"),
            ] {
                if let Some(value) = user.get(property).and_then(Value::as_str)
                    && !value.trim().is_empty()
                {
                    set.insert(value.to_owned());
                }
            }
            read += 1;
        }
        if read >= FACET_USERS {
            complete = pager.continuation().is_none();
            break;
        }
    }
    Ok(UserFacets {
        departments: departments.into_iter().collect(),
        countries: countries.into_iter().collect(),
        complete,
    })
}

impl Listings {
    /// Listings open now (for tests of the bound).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.open.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(kind: ListingKind) -> Listing {
        Listing {
            kind,
            continuation: Continuation {
                next_link: "https://graph.example/next".into(),
                advanced: true,
                scopes: Vec::new(),
                count: Some(5),
            },
            paths: None,
        }
    }

    #[test]
    fn listings_are_bounded_and_typed() {
        let mut listings = Listings::default();
        let first = listings.insert(listing(ListingKind::Users));
        for _ in 0..OPEN_LISTINGS {
            listings.insert(listing(ListingKind::Users));
        }
        assert_eq!(listings.len(), OPEN_LISTINGS);
        assert!(listings.get(&first, ListingKind::Users).is_none());
        let groups = listings.insert(listing(ListingKind::Groups));
        assert!(listings.get(&groups, ListingKind::Users).is_none());
        assert!(listings.get(&groups, ListingKind::Groups).is_some());
        listings.remove(&groups);
        assert!(listings.get(&groups, ListingKind::Groups).is_none());
    }
}
