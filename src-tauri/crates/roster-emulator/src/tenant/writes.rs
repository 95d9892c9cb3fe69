//! Membership writes with Graph's rules (graph-api.md §6.2, §6.3), the write audit log and the change log
//! that delta queries read.

use serde::Serialize;

use super::Tenant;
use super::model::{GroupKind, Kind, Ref};

/// Why a membership write was refused, in Graph's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// A membership rule on a group that is not dynamic (wording not verified against Graph).
    #[error(
        "The membershipRule property can be set only on a group whose groupTypes contains 'DynamicMembership'."
    )]
    NotDynamic,
    /// A membership rule the emulator cannot read (wording not verified against Graph).
    #[error("Invalid value specified for property 'membershipRule' of resource 'Group': {0}")]
    InvalidRule(String),
    /// The object is already a member.
    #[error(
        "One or more added object references already exist for the following modified properties: 'members'."
    )]
    AlreadyMember,
    /// The object is not a member.
    #[error(
        "One or more removed object references do not exist for the following modified properties: 'members'."
    )]
    NotMember,
    /// No object with that id.
    #[error(
        "Resource '{0}' does not exist or one of its queried reference-property objects are not present."
    )]
    NotFound(String),
    /// Dynamic groups compute their membership from a rule.
    #[error("Members of a group with dynamic membership cannot be added or removed manually.")]
    Dynamic,
    /// Groups synced from on-premises AD are managed there.
    #[error(
        "Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration."
    )]
    ManagedOnPremises,
    /// Mail-enabled security groups and distribution lists are managed in Exchange.
    #[error("Insufficient privileges to complete the operation.")]
    ManagedInExchange,
    /// The group kind cannot hold that member type (Microsoft 365 groups: users only), or a group would
    /// contain itself.
    #[error("Invalid object identifier '{0}'.")]
    UnsupportedMemberType(String),
}

/// One applied membership write.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Position in the log (1-based).
    pub sequence: u64,
    /// When it was applied (UTC, ISO 8601).
    pub time: String,
    /// Who did it (UPN or app id).
    pub actor: String,
    /// `addMember` or `removeMember`.
    pub action: &'static str,
    /// The group's id.
    pub group_id: String,
    /// The member's id.
    pub member_id: String,
    /// The member's `@odata.type`.
    pub member_type: &'static str,
}

/// A membership change, for delta queries.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    /// Position in the change log (1-based; a delta token names the last one seen).
    pub sequence: u64,
    /// The group.
    pub group: u32,
    /// The member.
    pub member: Ref,
    /// Added (true) or removed (false).
    pub added: bool,
}

impl Tenant {
    /// Checks that group `group` may be changed by anyone through Graph.
    pub fn check_writable(&self, group: usize) -> Result<(), WriteError> {
        let g = &self.groups[group];
        if g.is_dynamic() {
            return Err(WriteError::Dynamic);
        }
        if g.is_synced() {
            return Err(WriteError::ManagedOnPremises);
        }
        if matches!(
            g.kind(),
            GroupKind::MailEnabledSecurity | GroupKind::Distribution
        ) {
            return Err(WriteError::ManagedInExchange);
        }
        Ok(())
    }

    /// Resolves `ids` for adding to `group`, checking existence, member type and duplicates (also within
    /// `ids`), without changing anything.
    pub fn validate_adds(&self, group: usize, ids: &[String]) -> Result<Vec<Ref>, WriteError> {
        self.check_writable(group)?;
        let g = &self.groups[group];
        let mut refs: Vec<Ref> = Vec::with_capacity(ids.len());
        for id in ids {
            let r = self
                .find_id(id)
                .ok_or_else(|| WriteError::NotFound(id.clone()))?;
            let allowed = match g.kind() {
                GroupKind::Unified => r.kind() == Kind::User,
                _ => {
                    !(r.kind() == Kind::Group
                        && (r.index() == group
                            || self.groups[r.index()].kind() == GroupKind::Unified))
                }
            };
            if !allowed {
                return Err(WriteError::UnsupportedMemberType(id.clone()));
            }
            if r.kind() == Kind::Group
                && self
                    .transitive_members(r.index())
                    .contains(&super::Ref::new(Kind::Group, group))
            {
                return Err(WriteError::UnsupportedMemberType(id.clone()));
            }
            if g.members.contains(&r) || refs.contains(&r) {
                return Err(WriteError::AlreadyMember);
            }
            refs.push(r);
        }
        Ok(refs)
    }

    /// Adds `ids` to `group`, all or nothing.
    pub fn add_members(
        &mut self,
        group: usize,
        ids: &[String],
        actor: &str,
    ) -> Result<(), WriteError> {
        let refs = self.validate_adds(group, ids)?;
        for r in refs {
            self.groups[group].members.push(r);
            self.record(group, r, true, actor);
        }
        Ok(())
    }

    /// Removes member `id` from `group`.
    pub fn remove_member(&mut self, group: usize, id: &str, actor: &str) -> Result<(), WriteError> {
        self.check_writable(group)?;
        let r = self
            .find_id(id)
            .ok_or_else(|| WriteError::NotFound(id.to_owned()))?;
        let members = &mut self.groups[group].members;
        let pos = members
            .iter()
            .position(|m| *m == r)
            .ok_or(WriteError::NotMember)?;
        members.remove(pos);
        self.record(group, r, false, actor);
        Ok(())
    }

    /// Deletes object `r` from the directory: it leaves every group it was a member or owner of (each
    /// membership removal is logged for delta and audit) and can no longer be found or listed. Indexes of
    /// other objects do not move.
    pub fn delete_object(&mut self, r: Ref, actor: &str) {
        if !self.deleted.insert(r) {
            return;
        }
        if let Ok(uuid) = uuid::Uuid::parse_str(self.id_of(r)) {
            self.by_id.remove(&uuid);
        }
        if r.kind() == Kind::User {
            let upn = self.users[r.index()].upn().to_lowercase();
            self.by_upn.remove(upn.as_str());
        }
        for group in 0..self.groups.len() {
            let members = &mut self.groups[group].members;
            if let Some(pos) = members.iter().position(|m| *m == r) {
                members.remove(pos);
                self.record(group, r, false, actor);
            }
            self.groups[group].owners.retain(|o| *o != r);
        }
    }

    /// Adds a user made like user `template` with a new object id and `upn` as its user principal
    /// name; returns its index (`None` when there is no such template or the UPN is taken). For
    /// tests and benchmarks: a directory that changes while it is read, UPNs that start with every
    /// character Entra allows.
    pub fn add_user_like(&mut self, template: usize, upn: &str) -> Option<usize> {
        let key: Box<str> = upn.to_lowercase().into();
        if self.by_upn.contains_key(&key) {
            return None;
        }
        let mut user = self.users.get(template)?.clone();
        user.id = super::model::Id::new(uuid::Uuid::new_v4());
        user.user_principal_name = upn.into();
        let index = self.users.len();
        self.by_id
            .insert(user.id.uuid(), Ref::new(Kind::User, index));
        self.by_upn.insert(key, u32::try_from(index).ok()?);
        self.users.push(user);
        self.upn_order = std::sync::OnceLock::new();
        Some(index)
    }

    /// Adds a group made like group `template`, without members or owners, with a new object id
    /// and `display_name`; returns its index (`None` when there is no such template). For tests:
    /// groups named exactly like a `displayName` range's bound, which `le` and `ge` both hold.
    pub fn add_group_like(&mut self, template: usize, display_name: &str) -> Option<usize> {
        let mut group = self.groups.get(template)?.clone();
        group.id = super::model::Id::new(uuid::Uuid::new_v4());
        group.display_name = display_name.into();
        group.members.clear();
        group.owners.clear();
        let index = self.groups.len();
        self.by_id
            .insert(group.id.uuid(), Ref::new(Kind::Group, index));
        self.groups.push(group);
        Some(index)
    }

    /// Makes the unfiltered `GET /users/$count` answer `users` fewer than there are, as the
    /// eventually consistent index of advanced queries does while it catches up with recent
    /// changes ("Advanced query capabilities on Microsoft Entra ID objects": the index is eventually
    /// consistent). Filtered counts are left exact, so the two disagree: for tests of a download
    /// whose slices' counts do not add up to the whole's. `0` turns it off.
    pub fn set_count_lag(&mut self, users: u64) {
        self.count_lag = users;
    }

    /// Gives dynamic group `group` a new membership rule and, as Entra's processing would, makes
    /// its members exactly the users the rule matches (each join and leave logged). Refused for a
    /// group that is not dynamic, and for a rule the emulator cannot read.
    pub fn set_membership_rule(
        &mut self,
        group: usize,
        rule: &str,
        actor: &str,
    ) -> Result<(), WriteError> {
        if !self.groups[group].is_dynamic() {
            return Err(WriteError::NotDynamic);
        }
        let parsed =
            super::rules::Rule::parse(rule).map_err(|e| WriteError::InvalidRule(e.to_string()))?;
        let wanted: Vec<Ref> = self
            .users
            .iter()
            .enumerate()
            .filter(|(i, u)| !self.is_deleted(Ref::new(Kind::User, *i)) && parsed.matches(u))
            .map(|(i, _)| Ref::new(Kind::User, i))
            .collect();
        let wanted_set: std::collections::HashSet<Ref> = wanted.iter().copied().collect();
        let current: Vec<Ref> = self.groups[group].members.clone();
        let current_set: std::collections::HashSet<Ref> = current.iter().copied().collect();
        for r in current.iter().filter(|r| !wanted_set.contains(r)) {
            self.record(group, *r, false, actor);
        }
        for r in wanted.iter().filter(|r| !current_set.contains(r)) {
            self.record(group, *r, true, actor);
        }
        let g = &mut self.groups[group];
        g.members = wanted;
        g.membership_rule = Some(rule.into());
        Ok(())
    }

    /// Whether object `r` was deleted.
    pub fn is_deleted(&self, r: Ref) -> bool {
        !self.deleted.is_empty() && self.deleted.contains(&r)
    }

    fn record(&mut self, group: usize, member: Ref, added: bool, actor: &str) {
        let sequence = self.changes.len() as u64 + 1;
        self.changes.push(Change {
            sequence,
            group: group as u32,
            member,
            added,
        });
        self.audit.push(AuditEntry {
            sequence,
            time: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            actor: actor.to_owned(),
            action: if added { "addMember" } else { "removeMember" },
            group_id: self.groups[group].id().to_owned(),
            member_id: self.id_of(member).to_owned(),
            member_type: member.kind().odata_type(),
        });
    }

    /// The audit log, oldest first.
    pub fn audit(&self) -> &[AuditEntry] {
        &self.audit
    }

    /// The change log, oldest first.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::SPECIAL_GROUPS;

    fn group(name: &str) -> usize {
        SPECIAL_GROUPS
            .iter()
            .position(|n| *n == name)
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn adds_are_all_or_nothing_and_audited() {
        let mut t = Tenant::generate(1, 200, 30);
        let g = group("Empty Group");
        let a = t.users[10].id().to_owned();
        let b = t.users[11].id().to_owned();
        let missing = "00000000-0000-4000-8000-000000000000".to_owned();
        assert_eq!(
            t.add_members(g, &[a.clone(), missing.clone()], "x"),
            Err(WriteError::NotFound(missing))
        );
        assert!(t.groups[g].members.is_empty());
        assert_eq!(
            t.add_members(g, &[a.clone(), a.clone()], "x"),
            Err(WriteError::AlreadyMember)
        );
        assert_eq!(t.add_members(g, &[a.clone(), b.clone()], "admin"), Ok(()));
        assert_eq!(t.groups[g].members.len(), 2);
        assert_eq!(
            t.add_members(g, std::slice::from_ref(&a), "x"),
            Err(WriteError::AlreadyMember)
        );
        assert_eq!(t.remove_member(g, &a, "admin"), Ok(()));
        assert_eq!(t.remove_member(g, &a, "admin"), Err(WriteError::NotMember));
        assert_eq!(t.audit().len(), 3);
        assert_eq!(t.audit()[2].action, "removeMember");
    }

    #[test]
    fn managed_elsewhere_dynamic_and_type_rules() {
        let mut t = Tenant::generate(1, 200, 30);
        let user = t.users[10].id().to_owned();
        let device = t.devices[3].id().to_owned();
        assert_eq!(
            t.add_members(
                group("Owner Synced Group"),
                std::slice::from_ref(&user),
                "x"
            ),
            Err(WriteError::ManagedOnPremises)
        );
        for name in ["Owner Mail-enabled Security", "Owner Distribution List"] {
            assert_eq!(
                t.add_members(group(name), std::slice::from_ref(&user), "x"),
                Err(WriteError::ManagedInExchange)
            );
        }
        assert_eq!(
            t.add_members(
                group("Owner Dynamic Sales"),
                std::slice::from_ref(&user),
                "x"
            ),
            Err(WriteError::Dynamic)
        );
        assert_eq!(
            t.add_members(
                group("Owner Team (Microsoft 365)"),
                std::slice::from_ref(&device),
                "x"
            ),
            Err(WriteError::UnsupportedMemberType(device.clone()))
        );
        let level1 = t.groups[group("Nested Level 1")].id().to_owned();
        assert_eq!(
            t.add_members(group("Nested Level 4"), std::slice::from_ref(&level1), "x"),
            Err(WriteError::UnsupportedMemberType(level1))
        );
    }
}
