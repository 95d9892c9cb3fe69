//! Membership writes against the emulator and the typed errors they produce.

use std::collections::HashSet;

use crate::support::*;
use roster_emulator::tenant::model::GroupKind;
use roster_graph::{ErrorKind, ListQuery};

/// An assigned (not dynamic, not role-assignable) cloud security group and users that are not in it.
fn writable_group(emu: &roster_emulator::Emulator, outsiders: usize) -> (String, Vec<String>) {
    let tenant = emu.tenant().read();
    let group = tenant
        .groups()
        .iter()
        .find(|g| {
            g.kind() == GroupKind::Security
                && !g.is_dynamic()
                && !g.is_role_assignable()
                && !g.is_synced()
        })
        .expect("an assigned security group");
    let members: HashSet<&str> = group.members().iter().map(|&m| tenant.id_of(m)).collect();
    let others = tenant
        .users()
        .iter()
        .skip(3)
        .map(|u| u.id())
        .filter(|id| !members.contains(id))
        .take(outsiders);
    (group.id().to_owned(), others.map(str::to_owned).collect())
}

async fn member_ids(client: &roster_graph::GraphClient, group: &str) -> HashSet<String> {
    let members = client
        .list_members(group, &ListQuery::new().select(["id"]).top(999), false)
        .unwrap();
    ids(&members.collect_all().await.unwrap())
        .into_iter()
        .collect()
}

#[tokio::test]
async fn add_and_remove_members_with_typed_outcomes() {
    let emu = emulator(500, 40).await;
    let (client, _) = client(&emu, "admin", WRITE);
    let (group, outsiders) = writable_group(&emu, 5);

    client.add_member(&group, &outsiders[0]).await.unwrap();
    let again = client.add_member(&group, &outsiders[0]).await.unwrap_err();
    assert_eq!(again.kind(), ErrorKind::AlreadyExists, "{again}");
    assert!(again.advice().contains("already a member"));

    client.add_members(&group, &outsiders[1..4]).await.unwrap();
    let members = member_ids(&client, &group).await;
    assert!(outsiders[..4].iter().all(|id| members.contains(id)));

    client.remove_member(&group, &outsiders[0]).await.unwrap();
    let gone = client
        .remove_member(&group, &outsiders[0])
        .await
        .unwrap_err();
    assert_eq!(gone.kind(), ErrorKind::NotPresent, "{gone}");
    assert!(!member_ids(&client, &group).await.contains(&outsiders[0]));

    let unknown = client
        .add_member(&group, "00000000-0000-0000-0000-000000000000")
        .await
        .unwrap_err();
    assert_eq!(unknown.kind(), ErrorKind::NotFound, "{unknown}");
    assert!(unknown.kind().is_per_item());
    emu.shutdown().await;
}

#[tokio::test]
async fn writes_without_permission_explain_what_is_missing() {
    let emu = emulator(500, 40).await;
    let (client, _) = client(&emu, "admin", READ);
    let (group, outsiders) = writable_group(&emu, 1);
    let err = client.add_member(&group, &outsiders[0]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Permission, "{err}");
    assert_eq!(err.status, Some(403));
    assert!(err.advice().contains("GroupMember.ReadWrite.All"));
    assert!(err.advice().contains("Groups Administrator"));
    emu.shutdown().await;
}

#[tokio::test]
async fn writes_survive_injected_faults() {
    let emu = emulator(500, 40).await;
    let (client, _) = client(&emu, "admin", WRITE);
    let (group, outsiders) = writable_group(&emu, 20);
    emu.set_faults(faults("429=0.2,503=0.1"));
    client.add_members(&group, &outsiders).await.unwrap();
    emu.set_faults(faults("none"));
    let members = member_ids(&client, &group).await;
    assert!(outsiders.iter().all(|id| members.contains(id)));
    emu.shutdown().await;
}
