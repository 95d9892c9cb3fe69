//! The emulated tenant: a deterministic directory (users, groups, devices, service principals, contacts)
//! generated from a seed, with indexes built once, membership writes, a write audit log and a change log
//! for delta queries.

mod generate;
pub mod model;
pub mod names;
pub mod props;
pub mod rules;
mod writes;

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

pub use generate::{MIN_GROUPS, MIN_USERS, SPECIAL_GROUPS};
use model::{Device, Group, Id, Kind, OrgContact, Ref, ServicePrincipal, User};
pub use writes::{AuditEntry, Change, WriteError};

/// What a signed-in account may do beyond its token's scopes (its directory role, simplified).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountRole {
    /// Global Administrator: reads and writes everything its scopes allow.
    Admin,
    /// An ordinary member: reads the directory, writes only groups it owns.
    Member,
    /// Restricted (limited-information) reader: sees only id and type of other users.
    Restricted,
}

/// Index of the known account `admin@<domain>`.
pub const ADMIN: usize = 0;
/// Index of the known account `owner@<domain>`.
pub const OWNER: usize = 1;
/// Index of the known account `reader@<domain>`.
pub const READER: usize = 2;

/// The whole directory.
pub struct Tenant {
    pub(crate) tenant_id: Id,
    pub(crate) domain: String,
    pub(crate) seed: u64,
    pub(crate) users: Vec<User>,
    pub(crate) groups: Vec<Group>,
    pub(crate) devices: Vec<Device>,
    pub(crate) service_principals: Vec<ServicePrincipal>,
    pub(crate) contacts: Vec<OrgContact>,
    by_id: HashMap<Uuid, Ref>,
    by_upn: HashMap<Box<str>, u32>,
    owned: HashMap<u32, Vec<u32>>,
    pub(crate) audit: Vec<AuditEntry>,
    pub(crate) changes: Vec<Change>,
    pub(crate) deleted: HashSet<Ref>,
    /// Users the advanced-query index is behind by: `GET /users/$count` without `$filter` leaves
    /// out this many (see [`Tenant::set_count_lag`]).
    pub(crate) count_lag: u64,
    /// User indexes ordered by user principal name, case-insensitively: Graph's index for
    /// `userPrincipalName ge/le`, built on first use and again after a change.
    upn_order: std::sync::OnceLock<std::sync::Arc<[u32]>>,
}

impl std::fmt::Debug for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tenant")
            .field("tenant_id", &self.tenant_id)
            .field("domain", &self.domain)
            .field("users", &self.users.len())
            .field("groups", &self.groups.len())
            .finish_non_exhaustive()
    }
}

impl Tenant {
    /// Generates the tenant for `seed` with `users` users and `groups` groups (at least
    /// [`MIN_USERS`] and [`MIN_GROUPS`]), and builds its indexes.
    pub fn generate(seed: u64, users: usize, groups: usize) -> Tenant {
        let g = generate::generate(seed, users, groups);
        let mut tenant = Tenant {
            tenant_id: g.tenant_id,
            domain: g.domain,
            seed,
            users: g.users,
            groups: g.groups,
            devices: g.devices,
            service_principals: g.service_principals,
            contacts: g.contacts,
            by_id: HashMap::new(),
            by_upn: HashMap::new(),
            count_lag: 0,
            upn_order: std::sync::OnceLock::new(),
            owned: HashMap::new(),
            audit: Vec::new(),
            changes: Vec::new(),
            deleted: HashSet::new(),
        };
        tenant.build_indexes();
        tenant
    }

    /// User indexes ordered by user principal name (case-insensitive, as `ge` and `le` compare).
    pub fn users_by_upn(&self) -> std::sync::Arc<[u32]> {
        std::sync::Arc::clone(self.upn_order.get_or_init(|| {
            let mut order: Vec<u32> = (0..self.users.len() as u32).collect();
            order.sort_by(|&a, &b| {
                crate::odata::ci_cmp_both(
                    &self.users[a as usize].user_principal_name,
                    &self.users[b as usize].user_principal_name,
                )
            });
            order.into()
        }))
    }

    /// The positions in [`Tenant::users_by_upn`] of the users whose UPN is at least `lower` and at
    /// most `upper` (lowercase bounds, both included; `None` is open).
    pub fn upn_range(&self, lower: Option<&str>, upper: Option<&str>) -> std::ops::Range<usize> {
        let order = self.users_by_upn();
        let upn = |i: u32| &*self.users[i as usize].user_principal_name;
        let start = lower.map_or(0, |l| {
            order.partition_point(|&i| crate::odata::ci_cmp(upn(i), l).is_lt())
        });
        let end = upper.map_or(order.len(), |u| {
            order.partition_point(|&i| !crate::odata::ci_cmp(upn(i), u).is_gt())
        });
        start..end.max(start)
    }

    fn build_indexes(&mut self) {
        self.upn_order = std::sync::OnceLock::new();
        let total = self.users.len()
            + self.groups.len()
            + self.devices.len()
            + self.service_principals.len()
            + self.contacts.len();
        let mut by_id = HashMap::with_capacity(total);
        let mut by_upn = HashMap::with_capacity(self.users.len());
        for (i, u) in self.users.iter().enumerate() {
            by_id.insert(u.id.uuid(), Ref::new(Kind::User, i));
            by_upn.insert(
                u.user_principal_name.to_lowercase().into_boxed_str(),
                i as u32,
            );
        }
        for (i, g) in self.groups.iter().enumerate() {
            by_id.insert(g.id.uuid(), Ref::new(Kind::Group, i));
        }
        for (i, d) in self.devices.iter().enumerate() {
            by_id.insert(d.id.uuid(), Ref::new(Kind::Device, i));
        }
        for (i, s) in self.service_principals.iter().enumerate() {
            by_id.insert(s.id.uuid(), Ref::new(Kind::ServicePrincipal, i));
        }
        for (i, c) in self.contacts.iter().enumerate() {
            by_id.insert(c.id.uuid(), Ref::new(Kind::OrgContact, i));
        }
        let mut owned: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, g) in self.groups.iter().enumerate() {
            for owner in &g.owners {
                if owner.kind() == Kind::User {
                    owned
                        .entry(owner.index() as u32)
                        .or_default()
                        .push(i as u32);
                }
            }
        }
        self.by_id = by_id;
        self.by_upn = by_upn;
        self.owned = owned;
    }

    /// The tenant id.
    pub fn tenant_id(&self) -> &str {
        self.tenant_id.as_str()
    }

    /// The initial domain, e.g. `contoso.onmicrosoft.com`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// All users, in listing order.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// All groups, in listing order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// All devices.
    pub fn devices(&self) -> &[Device] {
        &self.devices
    }

    /// All service principals.
    pub fn service_principals(&self) -> &[ServicePrincipal] {
        &self.service_principals
    }

    /// All organizational contacts.
    pub fn contacts(&self) -> &[OrgContact] {
        &self.contacts
    }

    /// The object with id `id` (any kind).
    pub fn find_id(&self, id: &str) -> Option<Ref> {
        let uuid = Uuid::parse_str(id).ok()?;
        self.by_id.get(&uuid).copied()
    }

    /// The user with object id or user principal name `key` (case-insensitive).
    pub fn find_user(&self, key: &str) -> Option<usize> {
        if let Some(r) = self.find_id(key) {
            return (r.kind() == Kind::User).then_some(r.index());
        }
        self.by_upn
            .get(key.to_lowercase().as_str())
            .map(|&i| i as usize)
    }

    /// The group with object id `id`.
    pub fn find_group(&self, id: &str) -> Option<usize> {
        self.find_id(id)
            .filter(|r| r.kind() == Kind::Group)
            .map(Ref::index)
    }

    /// The id of the object behind `r`.
    pub fn id_of(&self, r: Ref) -> &str {
        match r.kind() {
            Kind::User => self.users[r.index()].id.as_str(),
            Kind::Group => self.groups[r.index()].id.as_str(),
            Kind::Device => self.devices[r.index()].id.as_str(),
            Kind::ServicePrincipal => self.service_principals[r.index()].id.as_str(),
            Kind::OrgContact => self.contacts[r.index()].id.as_str(),
        }
    }

    /// The groups user `user` owns, in index order.
    pub fn owned_groups(&self, user: usize) -> &[u32] {
        self.owned.get(&(user as u32)).map_or(&[], Vec::as_slice)
    }

    /// Whether `user` owns group `group`.
    pub fn is_owner(&self, user: usize, group: usize) -> bool {
        self.groups[group]
            .owners
            .contains(&Ref::new(Kind::User, user))
    }

    /// The directory role of user `user`.
    pub fn role_of(&self, user: usize) -> AccountRole {
        match user {
            ADMIN => AccountRole::Admin,
            READER => AccountRole::Restricted,
            _ => AccountRole::Member,
        }
    }

    /// The groups object `r` is a direct member of, in index order (a scan of every group's members).
    pub fn member_of(&self, r: Ref) -> Vec<usize> {
        (0..self.groups.len())
            .filter(|&g| self.groups[g].members.contains(&r))
            .collect()
    }

    /// The groups object `r` is a member of directly or through nested groups, each once, in index
    /// order.
    pub fn transitive_member_of(&self, r: Ref) -> Vec<usize> {
        let mut seen = vec![false; self.groups.len()];
        let mut queue: std::collections::VecDeque<usize> = self.member_of(r).into();
        while let Some(g) = queue.pop_front() {
            if std::mem::replace(&mut seen[g], true) {
                continue;
            }
            queue.extend(self.member_of(Ref::new(Kind::Group, g)));
        }
        (0..self.groups.len()).filter(|&g| seen[g]).collect()
    }

    /// Every object reachable from group `group` through nested membership, each once, groups included
    /// (depth-first, in membership order).
    pub fn transitive_members(&self, group: usize) -> Vec<Ref> {
        let mut seen_groups = vec![false; self.groups.len()];
        seen_groups[group] = true;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        let mut stack: Vec<(usize, usize)> = vec![(group, 0)];
        while let Some((g, pos)) = stack.pop() {
            let members = &self.groups[g].members;
            if let Some(&m) = members.get(pos) {
                stack.push((g, pos + 1));
                if seen.insert(m) {
                    out.push(m);
                }
                if m.kind() == Kind::Group && !seen_groups[m.index()] {
                    seen_groups[m.index()] = true;
                    stack.push((m.index(), 0));
                }
            }
        }
        out
    }
}

/// A cheap summary of a user for the identity platform.
fn account_info(user: &User) -> crate::identity::AccountInfo {
    crate::identity::AccountInfo {
        object_id: user.id().to_owned(),
        upn: user.upn().to_owned(),
        display_name: user.display_name().to_owned(),
    }
}

/// The tenant behind a lock, as the identity platform's [`crate::identity::AccountDirectory`].
#[derive(Clone)]
pub struct SharedTenant {
    inner: std::sync::Arc<parking_lot::RwLock<Tenant>>,
    tenant_id: String,
    domain: String,
}

impl std::fmt::Debug for SharedTenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedTenant")
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
}

impl SharedTenant {
    /// Wraps `tenant` for shared use.
    pub fn new(tenant: Tenant) -> Self {
        let tenant_id = tenant.tenant_id().to_owned();
        let domain = tenant.domain().to_owned();
        Self {
            inner: std::sync::Arc::new(parking_lot::RwLock::new(tenant)),
            tenant_id,
            domain,
        }
    }

    /// Read access.
    pub fn read(&self) -> parking_lot::RwLockReadGuard<'_, Tenant> {
        self.inner.read()
    }

    /// Write access.
    pub fn write(&self) -> parking_lot::RwLockWriteGuard<'_, Tenant> {
        self.inner.write()
    }

    /// The tenant id.
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The initial domain.
    pub fn domain(&self) -> &str {
        &self.domain
    }
}

impl crate::identity::AccountDirectory for SharedTenant {
    fn tenant_id(&self) -> String {
        self.tenant_id.clone()
    }

    fn domain(&self) -> String {
        self.domain.clone()
    }

    fn find_account(&self, upn_or_id: &str) -> Option<crate::identity::AccountInfo> {
        let tenant = self.read();
        let user = &tenant.users[tenant.find_user(upn_or_id)?];
        user.account_enabled.then(|| account_info(user))
    }

    fn sign_in_accounts(&self) -> Vec<crate::identity::AccountInfo> {
        let tenant = self.read();
        tenant
            .users
            .iter()
            .filter(|u| u.account_enabled && !u.guest)
            .take(12)
            .map(account_info)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_seed_dependent() {
        let a = Tenant::generate(7, 300, 40);
        let b = Tenant::generate(7, 300, 40);
        let c = Tenant::generate(8, 300, 40);
        assert_eq!(a.tenant_id(), b.tenant_id());
        assert_ne!(a.tenant_id(), c.tenant_id());
        let ids = |t: &Tenant| {
            t.users
                .iter()
                .map(|u| u.id().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        assert_ne!(ids(&a), ids(&c));
        assert_eq!(a.groups[20].members, b.groups[20].members);
    }

    #[test]
    fn known_accounts_and_indexes_resolve() {
        let t = Tenant::generate(1, 200, 30);
        assert_eq!(t.find_user("ADMIN@contoso.onmicrosoft.com"), Some(ADMIN));
        assert_eq!(t.find_user("owner@contoso.onmicrosoft.com"), Some(OWNER));
        assert_eq!(t.find_user(t.users[42].id()), Some(42));
        assert_eq!(t.find_group(t.groups[5].id()), Some(5));
        assert_eq!(t.find_group(t.users[5].id()), None);
        assert!(t.owned_groups(OWNER).len() >= 8);
        assert_eq!(t.role_of(READER), AccountRole::Restricted);
    }

    #[test]
    fn dynamic_groups_hold_exactly_the_matching_users() {
        let t = Tenant::generate(3, 500, 40);
        let group = &t.groups[4];
        assert!(group.is_dynamic());
        let expected: Vec<Ref> = t
            .users
            .iter()
            .enumerate()
            .filter(|(_, u)| u.department.as_deref() == Some("Sales"))
            .map(|(i, _)| Ref::new(Kind::User, i))
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(group.members, expected);
    }

    #[test]
    fn nesting_is_acyclic_and_transitive_members_follow_it() {
        let t = Tenant::generate(1, 200, 60);
        let level1 = SPECIAL_GROUPS
            .iter()
            .position(|n| *n == "Nested Level 1")
            .unwrap_or_default();
        let all = t.transitive_members(level1);
        for level in 1..=3 {
            assert!(all.contains(&Ref::new(Kind::Group, level1 + level)));
        }
        assert!(all.iter().any(|r| r.kind() == Kind::Device));
        for (i, g) in t.groups.iter().enumerate() {
            for m in &g.members {
                if m.kind() == Kind::Group {
                    assert!(m.index() > i || i == 14, "group {i} nests {m:?}");
                }
            }
        }
    }

    #[test]
    fn data_has_guests_awkward_values_and_giant_group() {
        let t = Tenant::generate(1, 2000, 200);
        let guest = t
            .users
            .iter()
            .find(|u| u.guest)
            .map(|u| u.upn().to_owned())
            .unwrap_or_default();
        assert!(guest.contains("#EXT#@contoso.onmicrosoft.com"), "{guest}");
        assert!(
            t.users
                .iter()
                .any(|u| u.department.as_deref().is_some_and(|d| d.starts_with('=')))
        );
        assert!(
            t.users
                .iter()
                .any(|u| u.display_name.contains("IJsbrand") || u.display_name.contains("van der"))
        );
        assert!(t.users.iter().any(|u| !u.account_enabled));
        assert!(t.groups[0].members.len() * 10 >= t.users.len());
        for g in &t.groups {
            if g.kind() == model::GroupKind::Unified {
                assert!(g.members.iter().all(|m| m.kind() == Kind::User));
            }
        }
    }
}
