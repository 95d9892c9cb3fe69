//! The whole emulator in-process, with a small tenant and no throttling unless a test asks for it, and
//! what tests look up in its directory.

use std::collections::{HashMap, HashSet};

use roster_emulator::{Emulator, EmulatorConfig, ThrottleMode};

/// Read scopes of the Graph client tests: users, memberships, directory objects, hidden membership.
pub const READ: &[&str] = &[
    "User.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Member.Read.Hidden",
];

/// Scopes for membership writes.
pub const WRITE: &[&str] = &[
    "User.Read.All",
    "GroupMember.ReadWrite.All",
    "Directory.Read.All",
];

/// Every scope the admin needs to read each object type Roster's columns touch, and to change
/// memberships.
pub const ADMIN: &[&str] = &[
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.ReadWrite.All",
    "Device.Read.All",
    "Application.Read.All",
    "OrgContact.Read.All",
    "UserAuthenticationMethod.Read.All",
    "Member.Read.Hidden",
    "AuditLog.Read.All",
    "LicenseAssignment.Read.All",
];

/// A tenant of `users` users and `groups` groups without throttling (tests that want Graph's limits
/// say so), otherwise the emulator's defaults: seed 1, no faults, no latency.
pub fn small_tenant(users: usize, groups: usize) -> EmulatorConfig {
    EmulatorConfig {
        users,
        groups,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    }
}

/// Starts an emulator with `config`; panics when it cannot.
pub async fn start(config: EmulatorConfig) -> Emulator {
    roster_emulator::start(config)
        .await
        .expect("the emulator starts")
}

/// Starts an emulator with [`small_tenant`]`(users, groups)`.
pub async fn start_small(users: usize, groups: usize) -> Emulator {
    start(small_tenant(users, groups)).await
}

/// `account@<the tenant's domain>`, e.g. `upn(&emu, "admin")`.
pub fn upn(emu: &Emulator, account: &str) -> String {
    format!("{account}@{}", emu.domain())
}

/// A delegated access token for `account` (`admin`, `owner`, `reader`, ...) with `scopes`.
pub fn token(emu: &Emulator, account: &str, scopes: &[&str]) -> String {
    emu.mint_token(&upn(emu, account), scopes)
}

/// The id of the group named `name` (every tenant has the named groups of docs/emulator.md).
pub fn group_id(emu: &Emulator, name: &str) -> String {
    emu.tenant()
        .read()
        .groups()
        .iter()
        .find(|g| g.display_name() == name)
        .map(|g| g.id().to_owned())
        .unwrap_or_else(|| panic!("no group named '{name}' in the tenant"))
}

/// The id of user number `index` in listing order.
pub fn user_id(emu: &Emulator, index: usize) -> String {
    emu.tenant().read().users()[index].id().to_owned()
}

/// Every user id, in listing order.
pub fn user_ids(emu: &Emulator) -> Vec<String> {
    emu.tenant()
        .read()
        .users()
        .iter()
        .map(|u| u.id().to_owned())
        .collect()
}

/// The ids of the direct members of the group with id `group`.
pub fn member_ids(emu: &Emulator, group: &str) -> HashSet<String> {
    let tenant = emu.tenant().read();
    let found = tenant
        .groups()
        .iter()
        .find(|g| g.id() == group)
        .unwrap_or_else(|| panic!("no group with id '{group}' in the tenant"));
    found
        .members()
        .iter()
        .map(|&m| tenant.id_of(m).to_owned())
        .collect()
}

/// How many times each member was added to the group with id `group`, from the emulator's audit log
/// of writes: what proves that no row of a membership job was applied twice.
pub fn adds_per_member(emu: &Emulator, group: &str) -> HashMap<String, usize> {
    let mut adds = HashMap::new();
    for entry in emu.tenant().read().audit() {
        if entry.group_id == group && entry.action == "addMember" {
            *adds.entry(entry.member_id.clone()).or_default() += 1;
        }
    }
    adds
}
