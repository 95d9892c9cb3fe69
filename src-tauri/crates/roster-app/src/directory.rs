//! Reading the directory a page at a time, for tables: users, groups and a group's members (direct
//! or transitive with the nesting path each member is reached through), the group page's summary,
//! and the department and country values the pickers offer.
//!
//! A listing's first page comes with Graph's `$count` as the total; the Graph continuation of every
//! open listing is kept in [`Listings`] under an id, and the next page is read when the table asks
//! for it. So 100,000 users never cross to a front end at once.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use roster_core::job::{GroupFilter, UserFilter};
use roster_core::text::Text;
use roster_graph::query::encode_segment;
use roster_graph::{Continuation, GraphClient, ListQuery, Pager};
use roster_jobs::membership::TargetGroup;
use serde_json::Value;

use crate::error::{AppError, ErrorCode};

/// Rows per page read from Graph (Graph's maximum for directory collections).
pub const PAGE_SIZE: u32 = 999;

/// Listings kept open at once; opening one more forgets the oldest (its table starts over on scroll).
const OPEN_LISTINGS: usize = 32;

/// Users read to offer the department and country pickers' values.
pub const FACET_USERS: usize = 50_000;

/// The most member objects read to map the nesting of a group; beyond it paths are not shown.
pub const NESTING_BUDGET: usize = 100_000;

/// Member id to the names of the nested groups it is a member through (outermost first).
pub type NestingPaths = Arc<HashMap<String, Vec<String>>>;

/// What a listing lists, so a page is never read as the wrong kind of row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingKind {
    /// Users.
    Users,
    /// Groups.
    Groups,
    /// A group's members.
    Members,
}

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct RowPage {
    /// The Graph objects, with the properties asked for.
    pub items: Vec<Value>,
    /// The id to read the next page with, when there is one.
    pub listing: Option<String>,
    /// Graph's count of the whole listing, when known.
    pub total: Option<u64>,
    /// For transitive members whose nesting was mapped: the path of every member.
    pub paths: Option<NestingPaths>,
}

impl RowPage {
    /// The nesting path of member `id`, when this listing maps paths.
    pub fn path_of(&self, id: &str) -> Option<Vec<String>> {
        self.paths
            .as_ref()
            .map(|p| p.get(id).cloned().unwrap_or_default())
    }
}

/// The group page's header.
#[derive(Debug, Clone)]
pub struct GroupSummary {
    /// The group as Graph returns it.
    pub group: Value,
    /// Direct members.
    pub members_count: u64,
    /// Owners.
    pub owners_count: u64,
    /// The group classified: why its members cannot be changed here, and warnings.
    pub target: TargetGroup,
}

/// The department and country values of the tenant's users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFacets {
    /// Departments, sorted.
    pub departments: Vec<String>,
    /// Countries, sorted.
    pub countries: Vec<String>,
    /// False when more users exist than were read ([`FACET_USERS`]).
    pub complete: bool,
}

/// One open listing: where its next page is, and for transitive members the nesting paths.
struct Listing {
    kind: ListingKind,
    continuation: Continuation,
    paths: Option<NestingPaths>,
}

/// The open listings of a session, by id.
#[derive(Default)]
pub struct Listings {
    open: Mutex<OpenListings>,
}

#[derive(Default)]
struct OpenListings {
    next_id: u64,
    open: VecDeque<(String, Listing)>,
}

impl std::fmt::Debug for Listings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listings").finish_non_exhaustive()
    }
}

impl Listings {
    fn with<T>(&self, f: impl FnOnce(&mut OpenListings) -> T) -> T {
        f(&mut self.open.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The first page of the users `filter` selects (the filter a users download uses, so the table
    /// and the file select the same users), with `select` properties.
    pub async fn users(
        &self,
        graph: &GraphClient,
        filter: &UserFilter,
        select: &[&str],
    ) -> Result<RowPage, AppError> {
        let mut query = page_query(select, filter.odata_filter());
        if let Some(search) = filter.odata_search() {
            query = query.search(search);
        }
        let pager = graph.list_users(&query)?.pipelining(false);
        self.first_page(pager, ListingKind::Users, None, None).await
    }

    /// The first page of the groups `filter` selects.
    pub async fn groups(
        &self,
        graph: &GraphClient,
        filter: &GroupFilter,
        select: &[&str],
    ) -> Result<RowPage, AppError> {
        let query = page_query(select, filter.odata_filter());
        let pager = graph.list_groups(&query)?.pipelining(false);
        self.first_page(pager, ListingKind::Groups, None, None)
            .await
    }

    /// The first page of a group's members; transitive members carry the nested groups they come
    /// through (when the tree holds at most [`NESTING_BUDGET`] members).
    pub async fn members(
        &self,
        graph: &GraphClient,
        group_id: &str,
        transitive: bool,
        select: &[&str],
    ) -> Result<RowPage, AppError> {
        let query = page_query(select, None);
        let paths = if transitive {
            nesting_paths(graph, group_id).await?
        } else {
            None
        };
        let pager = graph
            .list_members(group_id, &query, transitive)?
            .pipelining(false);
        self.first_page(pager, ListingKind::Members, paths, None)
            .await
    }

    /// The next page of open listing `id` of `kind`. The listing stays open until the page arrived,
    /// so a failed page can be asked for again.
    pub async fn more(
        &self,
        graph: &GraphClient,
        id: &str,
        kind: ListingKind,
    ) -> Result<RowPage, AppError> {
        let (continuation, paths) = self
            .with(|l| {
                l.open
                    .iter()
                    .find(|(key, listing)| key == id && listing.kind == kind)
                    .map(|(_, listing)| (listing.continuation.clone(), listing.paths.clone()))
            })
            .ok_or_else(|| {
                AppError::coded(
                    ErrorCode::NotFound,
                    Text::new(
                        "app.listingGone",
                        "This list was closed or replaced; reload it to see more rows.",
                    ),
                )
            })?;
        let pager = graph.resume::<Value>(&continuation).pipelining(false);
        let page = self
            .first_page(pager, kind, paths, continuation.count)
            .await?;
        self.with(|l| l.open.retain(|(key, _)| key != id));
        Ok(page)
    }

    /// Reads one page of `pager` and keeps the listing open when more pages follow; `known_total`
    /// is the listing's count from its first page.
    async fn first_page(
        &self,
        mut pager: Pager<Value>,
        kind: ListingKind,
        paths: Option<NestingPaths>,
        known_total: Option<u64>,
    ) -> Result<RowPage, AppError> {
        let Some(page) = pager.next_page().await else {
            return Ok(RowPage {
                total: known_total,
                paths,
                ..RowPage::default()
            });
        };
        let page = page?;
        let total = known_total.or(page.count);
        let listing = pager.continuation().map(|mut continuation| {
            continuation.count = total;
            let listing = Listing {
                kind,
                continuation,
                paths: paths.clone(),
            };
            self.with(|l| l.insert(listing))
        });
        Ok(RowPage {
            items: page.items,
            listing,
            total,
            paths,
        })
    }

    /// Listings open now.
    pub fn open_count(&self) -> usize {
        self.with(|l| l.open.len())
    }
}

impl OpenListings {
    fn insert(&mut self, listing: Listing) -> String {
        self.next_id += 1;
        let id = format!("listing-{}", self.next_id);
        if self.open.len() >= OPEN_LISTINGS {
            self.open.pop_front();
        }
        self.open.push_back((id.clone(), listing));
        id
    }
}

/// A table's query: `select` properties, the largest page, Graph's count, and `filter`.
fn page_query(select: &[&str], filter: Option<String>) -> ListQuery {
    let query = ListQuery::new()
        .select(select.iter().copied())
        .top(PAGE_SIZE)
        .count();
    match filter {
        Some(odata) => query.filter(odata),
        None => query,
    }
}

/// The group page's header: the group with `select` properties, classified, with its member and
/// owner counts.
pub async fn group_summary(
    graph: &GraphClient,
    id: &str,
    select: &[&str],
) -> Result<GroupSummary, AppError> {
    let group = graph.get_group(id, select).await?;
    let path = format!("/groups/{}", encode_segment(id));
    let members_count = graph
        .count(&format!("{path}/members"), &ListQuery::new())
        .await?;
    let owners_count = graph
        .count(&format!("{path}/owners"), &ListQuery::new())
        .await?;
    let target = TargetGroup::from_json(&group);
    Ok(GroupSummary {
        group,
        members_count,
        owners_count,
        target,
    })
}

/// The departments and countries the tenant's users have (the first [`FACET_USERS`] users read).
pub async fn user_facets(graph: &GraphClient) -> Result<UserFacets, AppError> {
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

/// Maps every member of `group_id`'s nesting tree to the nested groups it is first reached through
/// (breadth first, so a direct member has an empty path). `None` when the tree holds more than
/// [`NESTING_BUDGET`] members: the table then shows members without paths.
async fn nesting_paths(
    graph: &GraphClient,
    group_id: &str,
) -> Result<Option<NestingPaths>, AppError> {
    let query = ListQuery::new()
        .select(["id", "displayName"])
        .top(PAGE_SIZE);
    let mut paths: HashMap<String, Vec<String>> = HashMap::new();
    let mut visited: HashSet<String> = HashSet::from([group_id.to_ascii_lowercase()]);
    let mut queue: VecDeque<(String, Vec<String>)> =
        VecDeque::from([(group_id.to_owned(), Vec::new())]);
    let mut read = 0usize;
    while let Some((group, path)) = queue.pop_front() {
        let mut pager = graph.list_members(&group, &query, false)?;
        while let Some(page) = pager.next_page().await {
            for member in page?.items {
                read += 1;
                if read > NESTING_BUDGET {
                    return Ok(None);
                }
                let Some(id) = member.get("id").and_then(Value::as_str) else {
                    continue;
                };
                paths.entry(id.to_owned()).or_insert_with(|| path.clone());
                let is_group = member.get("@odata.type").and_then(Value::as_str)
                    == Some("#microsoft.graph.group");
                if is_group && visited.insert(id.to_ascii_lowercase()) {
                    let name = member
                        .get("displayName")
                        .and_then(Value::as_str)
                        .unwrap_or(id)
                        .to_owned();
                    let mut nested = path.clone();
                    nested.push(name);
                    queue.push_back((id.to_owned(), nested));
                }
            }
        }
    }
    Ok(Some(Arc::new(paths)))
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
        let listings = Listings::default();
        let first = listings.with(|l| l.insert(listing(ListingKind::Users)));
        for _ in 0..OPEN_LISTINGS {
            listings.with(|l| l.insert(listing(ListingKind::Users)));
        }
        assert_eq!(listings.open_count(), OPEN_LISTINGS);
        let find = |id: &str, kind| {
            listings.with(|l| l.open.iter().any(|(k, li)| k == id && li.kind == kind))
        };
        assert!(!find(&first, ListingKind::Users));
        let groups = listings.with(|l| l.insert(listing(ListingKind::Groups)));
        assert!(!find(&groups, ListingKind::Users));
        assert!(find(&groups, ListingKind::Groups));
    }
}
