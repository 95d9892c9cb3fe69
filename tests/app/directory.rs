//! The Users and Groups screens and the group page against the demo tenant: filters select the right
//! rows, paging returns every row exactly once, the group page counts and nests correctly.

use std::collections::HashSet;

use roster_desktop::ipc::{
    ErrorCode, GroupDto, GroupKindDto, GroupMembersRequest, GroupRequest, GroupSourceDto,
    GroupsListRequest, ListingRequest, MemberDto, MembershipDto, UserDto, UserTypeDto,
    UsersListRequest,
};
use roster_desktop::{AppOptions, AppState};

use crate::support::{demo_state, sign_in_demo};

/// Every user matching `request`, page after page; asserts the total matches what arrived.
async fn all_users(state: &AppState, request: UsersListRequest) -> Vec<UserDto> {
    let mut page = state.users(request).await.unwrap();
    let total = page.total.expect("a total from $count");
    let mut users = std::mem::take(&mut page.items);
    while let Some(listing) = page.listing.clone() {
        page = state.users_more(ListingRequest { listing }).await.unwrap();
        assert_eq!(
            page.total,
            Some(total),
            "the total stays the same on every page"
        );
        users.append(&mut page.items);
    }
    assert_eq!(users.len() as u64, total);
    users
}

/// Every group matching `request`.
async fn all_groups(state: &AppState, request: GroupsListRequest) -> Vec<GroupDto> {
    let mut page = state.groups(request).await.unwrap();
    let total = page.total.expect("a total from $count");
    let mut groups = std::mem::take(&mut page.items);
    while let Some(listing) = page.listing.clone() {
        page = state.groups_more(ListingRequest { listing }).await.unwrap();
        groups.append(&mut page.items);
    }
    assert_eq!(groups.len() as u64, total);
    groups
}

/// The id of the demo tenant's group named `name`.
pub async fn group_id(state: &AppState, name: &str) -> String {
    let found = all_groups(
        state,
        GroupsListRequest {
            search: Some(name.to_owned()),
            ..GroupsListRequest::default()
        },
    )
    .await;
    found
        .iter()
        .find(|g| g.display_name == name)
        .unwrap_or_else(|| panic!("no group named {name}"))
        .id
        .clone()
}

async fn all_members(state: &AppState, group_id: &str, transitive: bool) -> Vec<MemberDto> {
    let mut page = state
        .group_members(GroupMembersRequest {
            group_id: group_id.to_owned(),
            transitive,
        })
        .await
        .unwrap();
    let total = page.total.expect("a member total");
    let mut members = std::mem::take(&mut page.items);
    while let Some(listing) = page.listing.clone() {
        page = state
            .group_members_more(ListingRequest { listing })
            .await
            .unwrap();
        members.append(&mut page.items);
    }
    assert_eq!(members.len() as u64, total);
    members
}

fn ids<T>(rows: &[T], id: impl Fn(&T) -> &str) -> HashSet<String> {
    rows.iter().map(|r| id(r).to_owned()).collect()
}

#[tokio::test]
async fn paging_returns_every_user_exactly_once() {
    let (state, _data) = demo_state().await;
    let first = state.users(UsersListRequest::default()).await.unwrap();
    assert!(
        first.listing.is_some(),
        "the demo tenant has more than one page of users"
    );
    let users = all_users(&state, UsersListRequest::default()).await;
    assert!(users.len() > 999, "only {} users", users.len());
    assert_eq!(ids(&users, |u| &u.id).len(), users.len(), "no user twice");

    // A page already read is not read again: its listing is closed.
    let listing = first.listing.unwrap();
    state
        .users_more(ListingRequest {
            listing: listing.clone(),
        })
        .await
        .unwrap();
    let again = state
        .users_more(ListingRequest { listing })
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn user_pickers_select_exactly_the_matching_users() {
    let (state, _data) = demo_state().await;
    let everyone = all_users(&state, UsersListRequest::default()).await;
    let facets = state.user_facets().await.unwrap();
    assert!(facets.complete);
    let sample = everyone
        .iter()
        .find(|u| !u.guest && u.account_enabled && u.department.is_some() && u.country.is_some())
        .expect("an enabled member with a department and a country");
    let department = sample.department.clone().unwrap();
    let country = sample.country.clone().unwrap();
    assert!(
        facets.departments.contains(&department),
        "{:?}",
        facets.departments
    );
    assert!(
        facets.countries.contains(&country),
        "{:?}",
        facets.countries
    );

    let guests = all_users(
        &state,
        UsersListRequest {
            user_type: Some(vec![UserTypeDto::Guest]),
            ..UsersListRequest::default()
        },
    )
    .await;
    let expected: HashSet<String> = ids(
        &everyone
            .iter()
            .filter(|u| u.guest)
            .cloned()
            .collect::<Vec<_>>(),
        |u| &u.id,
    );
    assert!(!expected.is_empty());
    assert_eq!(ids(&guests, |u| &u.id), expected);

    let picked = all_users(
        &state,
        UsersListRequest {
            user_type: Some(vec![UserTypeDto::Member]),
            account_enabled: Some(true),
            department: Some(vec![department.clone()]),
            country: Some(vec![country.clone()]),
            ..UsersListRequest::default()
        },
    )
    .await;
    let expected: HashSet<String> = everyone
        .iter()
        .filter(|u| {
            !u.guest
                && u.account_enabled
                && u.department.as_deref() == Some(department.as_str())
                && u.country.as_deref() == Some(country.as_str())
        })
        .map(|u| u.id.clone())
        .collect();
    assert!(!expected.is_empty(), "{department} in {country}");
    assert_eq!(ids(&picked, |u| &u.id), expected);

    // Several values of one picker are alternatives (`in`), the pickers still narrow each other.
    let other = facets
        .departments
        .iter()
        .find(|d| **d != department)
        .expect("a second department")
        .clone();
    let either = all_users(
        &state,
        UsersListRequest {
            user_type: Some(vec![UserTypeDto::Guest, UserTypeDto::Member]),
            department: Some(vec![department.clone(), other.clone()]),
            account_enabled: Some(true),
            ..UsersListRequest::default()
        },
    )
    .await;
    let expected: HashSet<String> = everyone
        .iter()
        .filter(|u| {
            u.account_enabled
                && [Some(department.as_str()), Some(other.as_str())]
                    .contains(&u.department.as_deref())
        })
        .map(|u| u.id.clone())
        .collect();
    let in_first = everyone
        .iter()
        .filter(|u| u.account_enabled && u.department.as_deref() == Some(department.as_str()))
        .count();
    assert!(expected.len() > in_first, "both departments count");
    assert_eq!(ids(&either, |u| &u.id), expected);
}

#[tokio::test]
async fn created_dates_and_search_narrow_the_users() {
    let (state, _data) = demo_state().await;
    let everyone = all_users(&state, UsersListRequest::default()).await;
    let mut days: Vec<&str> = everyone
        .iter()
        .filter_map(|u| u.created.as_deref())
        .map(|c| &c[..10])
        .collect();
    days.sort_unstable();
    let middle = days[days.len() / 2].to_owned();
    let from = all_users(
        &state,
        UsersListRequest {
            created_from: Some(middle.clone()),
            ..UsersListRequest::default()
        },
    )
    .await;
    let before = all_users(
        &state,
        UsersListRequest {
            created_before: Some(middle.clone()),
            ..UsersListRequest::default()
        },
    )
    .await;
    assert!(!from.is_empty() && !before.is_empty());
    assert!(
        from.iter()
            .all(|u| u.created.as_deref().unwrap()[..10] >= *middle)
    );
    assert!(
        before
            .iter()
            .all(|u| u.created.as_deref().unwrap()[..10] < *middle)
    );
    assert_eq!(
        from.len() + before.len(),
        everyone.iter().filter(|u| u.created.is_some()).count()
    );

    let word: String = everyone[0]
        .display_name
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let found = all_users(
        &state,
        UsersListRequest {
            search: Some(format!(" {word} ")),
            ..UsersListRequest::default()
        },
    )
    .await;
    assert!(found.iter().any(|u| u.id == everyone[0].id));
    assert!(found.len() < everyone.len());
}

#[tokio::test]
async fn group_pickers_select_exactly_the_matching_groups() {
    let (state, _data) = demo_state().await;
    let everyone = all_groups(&state, GroupsListRequest::default()).await;
    let cases = [
        GroupsListRequest {
            kind: Some(vec![GroupKindDto::Security]),
            membership: Some(MembershipDto::Assigned),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            kind: Some(vec![GroupKindDto::M365]),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            kind: Some(vec![GroupKindDto::MailSecurity]),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            kind: Some(vec![GroupKindDto::Distribution]),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            kind: Some(vec![GroupKindDto::Distribution, GroupKindDto::Security]),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            membership: Some(MembershipDto::Dynamic),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            source: Some(GroupSourceDto::Synced),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            source: Some(GroupSourceDto::Cloud),
            role_assignable: Some(true),
            ..GroupsListRequest::default()
        },
        GroupsListRequest {
            search: Some("Owner".into()),
            ..GroupsListRequest::default()
        },
    ];
    for request in cases {
        let found = all_groups(&state, request.clone()).await;
        let expected: HashSet<String> = everyone
            .iter()
            .filter(|g| request.kind.as_ref().is_none_or(|k| k.contains(&g.kind)))
            .filter(|g| request.membership.is_none_or(|m| g.membership == m))
            .filter(|g| request.source.is_none_or(|s| g.source == s))
            .filter(|g| {
                request
                    .role_assignable
                    .is_none_or(|r| g.role_assignable == r)
            })
            .filter(|g| {
                request
                    .search
                    .as_deref()
                    .is_none_or(|s| g.display_name.to_lowercase().starts_with(&s.to_lowercase()))
            })
            .map(|g| g.id.clone())
            .collect();
        assert!(!expected.is_empty(), "{request:?} selects no demo group");
        assert_eq!(ids(&found, |g| &g.id), expected, "{request:?}");
    }
}

#[tokio::test]
async fn the_group_page_counts_members_and_shows_the_nesting_path() {
    let (state, _data) = demo_state().await;
    let level1 = group_id(&state, "Nested Level 1").await;
    let level2 = group_id(&state, "Nested Level 2").await;
    let details = state
        .group(GroupRequest { id: level1.clone() })
        .await
        .unwrap();
    assert_eq!(details.group.display_name, "Nested Level 1");
    let direct = all_members(&state, &level1, false).await;
    assert_eq!(details.members_count, direct.len() as u64);
    assert!(direct.iter().all(|m| m.path.is_none()));
    assert!(
        direct
            .iter()
            .any(|m| m.id == level2 && m.object_type == "group")
    );

    let transitive = all_members(&state, &level1, true).await;
    assert!(transitive.len() > direct.len());
    assert_eq!(ids(&transitive, |m| &m.id).len(), transitive.len());
    let direct_ids = ids(&direct, |m| &m.id);
    for member in &transitive {
        let path = member.path.as_ref().expect("the nesting is mapped");
        assert_eq!(
            path.is_empty(),
            direct_ids.contains(&member.id),
            "{member:?}"
        );
    }
    let level2_direct = ids(&all_members(&state, &level2, false).await, |m| &m.id);
    let via_level2 = transitive
        .iter()
        .find(|m| !direct_ids.contains(&m.id) && level2_direct.contains(&m.id))
        .expect("a member that comes through Nested Level 2");
    assert_eq!(
        via_level2.path.as_deref(),
        Some(&["Nested Level 2".to_owned()][..])
    );
}

#[tokio::test]
async fn groups_managed_elsewhere_say_why_on_their_page() {
    let (state, _data) = demo_state().await;
    for (name, words) in [
        ("Owner Dynamic Sales", "dynamic membership"),
        ("Owner Synced Group", "synced from on-premises"),
        ("Owner Distribution List", "distribution list"),
    ] {
        let id = group_id(&state, name).await;
        let details = state.group(GroupRequest { id }).await.unwrap();
        let refusal = details.refusal.expect("refused");
        assert!(refusal.text.contains(words), "{name}: {refusal:?}");
        assert!(
            refusal.code.starts_with("membership.refusal."),
            "{refusal:?}"
        );
        assert_eq!(
            refusal.params["group"], name,
            "the UI words it with the group's name"
        );
    }
    let team = group_id(&state, "Owner Team (Microsoft 365)").await;
    let details = state.group(GroupRequest { id: team }).await.unwrap();
    assert!(details.owners_count >= 1, "owner@ owns Owner Team");
    let id = group_id(&state, "Owner Role Admins").await;
    let details = state.group(GroupRequest { id }).await.unwrap();
    assert!(details.group.role_assignable);
    assert_eq!(details.refusal, None);
    let notice = details.notice.expect("a notice");
    assert_eq!(notice.code, "membership.notice.roleAssignable");
    assert!(notice.text.contains("role-assignable"));
}

#[tokio::test]
async fn a_tenant_of_100_000_users_pages_through_every_user_exactly_once() {
    let state = AppState::new(AppOptions {
        demo: true,
        ..AppOptions::default()
    })
    .with_demo_config(roster_emulator::EmulatorConfig {
        users: 100_000,
        groups: 50,
        ..roster_emulator::EmulatorConfig::default()
    });
    sign_in_demo(&state).await;
    let first = state.users(UsersListRequest::default()).await.unwrap();
    assert_eq!(first.total, Some(100_000));
    assert_eq!(first.items.len(), 999, "one page crosses IPC at a time");
    let users = all_users(&state, UsersListRequest::default()).await;
    assert_eq!(users.len(), 100_000);
    assert_eq!(ids(&users, |u| &u.id).len(), 100_000, "no user twice");
}
