//! Bulk add/remove members (issue #6) end to end against the in-process emulator: input forms
//! and encodings, every row status, refused groups, narrowing a failed chunk, idempotent second
//! runs and the undo file.

use crate::support::membership::{run_membership, runner};
use roster_core::job::{JobId, JobStatus};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_graph::{GraphClient, ListQuery};
use roster_jobs::membership::{
    EngineConfig, ErrorClass, JobReport, MembershipCheck, MembershipError, MembershipOp,
    MembershipSpec, Preview, RowState, preview,
};
use roster_jobs::{FailureKind, JobOutcome};
use roster_store::Store;
use roster_test_support::files::read_csv;
use roster_test_support::graph::client;
use roster_test_support::tenant::{self, group_id, member_ids, small_tenant};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const WRITE: &[&str] = &[
    "User.Read.All",
    "GroupMember.ReadWrite.All",
    "Directory.Read.All",
    "Device.Read.All",
];

struct Env {
    emu: Emulator,
    client: GraphClient,
    store: Arc<Store>,
    dir: tempfile::TempDir,
}

async fn env() -> Env {
    env_with(small_tenant(400, 40)).await
}

async fn env_with(config: EmulatorConfig) -> Env {
    let emu = tenant::start(config).await;
    let client = client(&emu, "admin", WRITE);
    Env {
        emu,
        client,
        store: Arc::new(Store::open_in_memory().unwrap()),
        dir: tempfile::tempdir().unwrap(),
    }
}

/// Users from index 10 on that are not members of `group`: (id, upn).
fn outsiders(emu: &Emulator, group: &str, n: usize) -> Vec<(String, String)> {
    let members = member_ids(emu, group);
    let t = emu.tenant().read();
    t.users()
        .iter()
        .skip(10)
        .filter(|u| !members.contains(u.id()))
        .take(n)
        .map(|u| (u.id().to_owned(), u.upn().to_owned()))
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

async fn preview_file(
    env: &Env,
    op: MembershipOp,
    group: &str,
    file: &Path,
) -> Result<Preview, MembershipError> {
    let members = roster_csv::read_member_file(file)?;
    preview(&env.client, &EngineConfig::default(), op, group, &members).await
}

/// Preview + create + run, as `roster members add|remove --yes` does.
async fn run(
    env: &Env,
    op: MembershipOp,
    group: &str,
    file: &Path,
    results: &str,
) -> (Preview, JobReport) {
    let mut p = preview_file(env, op, group, file).await.expect("preview");
    let spec = MembershipSpec::new(op, group, file, env.dir.path().join(results));
    let (_, report) = apply(env, &env.client, &spec, &mut p).await;
    (p, report.expect("job runs"))
}

/// Runs the job for `spec` applying an existing preview with `client` through the runner (default
/// engine settings, never cancelled), as the CLI and the app do once the preview is confirmed.
async fn apply(
    env: &Env,
    client: &GraphClient,
    spec: &MembershipSpec,
    p: &mut Preview,
) -> (JobId, Result<JobReport, JobOutcome>) {
    let runner = runner(&env.store);
    run_membership(&runner, client, None, spec, p, EngineConfig::default()).await
}

fn state_of(p: &Preview, line: u64) -> RowState {
    p.rows
        .iter()
        .find(|r| r.line == line)
        .map(|r| r.state)
        .unwrap_or_else(|| panic!("no line {line}"))
}

#[tokio::test]
async fn admin_template_with_every_row_kind_gives_every_status() {
    let env = env().await;
    let group = group_id(&env.emu, "Owner Security Group");
    let users = outsiders(&env.emu, &group, 6);
    let existing = member_ids(&env.emu, &group)
        .into_iter()
        .next()
        .expect("the group has members");
    let (guest_upn, guest_id) = {
        let t = env.emu.tenant().read();
        let members = member_ids(&env.emu, &group);
        let g = t
            .users()
            .iter()
            .find(|u| {
                u.upn().contains("#EXT#")
                    && !members.contains(u.id())
                    && !users.iter().any(|(id, _)| id == u.id())
            })
            .unwrap();
        (g.upn().to_owned(), g.id().to_owned())
    };
    let device = env.emu.tenant().read().devices()[0].id().to_owned();
    let file = format!(
        "version:v1.0\r\nMember object ID or user principal name [memberObjectIdOrUpn] Required\r\n\
         Example: 9832aad8-e4fe-496b-a604-95c6eF01ae75\r\n\
         {u0}\r\n  {u1upn}  \r\n{guest_upn}\r\n{existing}\r\n\r\n{u0}\r\nnobody.at.all@{domain}\r\n\
         not an id\r\n{{{u2}}}\r\n{device}\r\n{u2upn}\r\n00000000-0000-4000-8000-000000000001\r\n",
        u0 = users[0].0,
        u1upn = users[1].1,
        u2 = users[2].0.to_uppercase(),
        u2upn = users[2].1,
        domain = env.emu.domain(),
    );
    let path = write(env.dir.path(), "template.csv", file.as_bytes());
    let (p, report) = run(
        &env,
        MembershipOp::Add,
        "Owner Security Group",
        &path,
        "results.csv",
    )
    .await;

    // Lines: 1 version, 2 header, 3 example, then data.
    assert_eq!(state_of(&p, 4), RowState::Added);
    assert_eq!(state_of(&p, 5), RowState::Added, "UPN with spaces around");
    assert_eq!(state_of(&p, 6), RowState::Added, "guest #EXT# UPN");
    assert_eq!(state_of(&p, 7), RowState::AlreadyMember);
    assert_eq!(state_of(&p, 9), RowState::Duplicate);
    assert_eq!(state_of(&p, 10), RowState::NotFound);
    assert_eq!(state_of(&p, 11), RowState::Invalid);
    assert_eq!(state_of(&p, 12), RowState::Added, "braced upper-case GUID");
    assert_eq!(
        state_of(&p, 13),
        RowState::Added,
        "a security group takes devices"
    );
    assert_eq!(
        state_of(&p, 14),
        RowState::Duplicate,
        "the same user by UPN after its id"
    );
    assert_eq!(state_of(&p, 15), RowState::NotFound);
    assert_eq!(p.counts.blank, 1);
    let row = |line: u64| p.rows.iter().find(|r| r.line == line).unwrap();
    assert_eq!(row(5).input, users[1].1);
    assert_eq!(
        row(5).raw.as_deref(),
        Some(format!("  {}  ", users[1].1).as_str()),
        "the cell as typed, spaces kept"
    );
    assert_eq!(row(4).raw, None, "a clean cell is only `input`");
    assert!(row(6).is_guest(), "the #EXT# UPN is a guest's");
    assert!(!row(13).is_guest(), "a device is no guest");
    {
        let t = env.emu.tenant().read();
        for r in p.rows.iter().filter(|r| r.object.is_some()) {
            let id = &r.object.as_ref().unwrap().id;
            let user = t.users().iter().find(|u| u.id() == id);
            assert_eq!(
                r.is_guest(),
                user.is_some_and(|u| u.is_guest()),
                "line {}",
                r.line
            );
        }
    }
    assert!(p.notices.iter().any(|n| n.contains("example row (line 3)")));

    let members = member_ids(&env.emu, &group);
    for id in [&users[0].0, &users[1].0, &users[2].0, &guest_id, &device] {
        assert!(members.contains(id), "{id} added");
    }
    assert_eq!(report.status, JobStatus::CompletedWithErrors);
    assert!(
        report
            .error
            .as_deref()
            .unwrap()
            .starts_with("NotAllRowsSuccessfullyProcessed: 3 of 11 rows")
    );
    let job = env.store.get_job(report.id).unwrap().unwrap();
    assert_eq!(job.status, JobStatus::CompletedWithErrors);
    assert_eq!(
        (job.counts.succeeded, job.counts.failed, job.counts.skipped),
        (5, 3, 3)
    );
    assert_eq!(env.store.count_row_results(report.id).unwrap(), 11);

    let rows = read_csv(&report.results);
    assert_eq!(
        rows[0],
        [
            "line",
            "input",
            "objectId",
            "objectType",
            "displayName",
            "userPrincipalName",
            "status",
            "reason"
        ]
    );
    assert_eq!(rows.len(), 12);
    let guest_row = rows.iter().find(|r| r[0] == "6").unwrap();
    assert_eq!(
        (
            guest_row[2].as_str(),
            guest_row[3].as_str(),
            guest_row[6].as_str()
        ),
        (guest_id.as_str(), "user", "added")
    );
    assert_eq!(guest_row[5], guest_upn);
    let invalid = rows.iter().find(|r| r[0] == "11").unwrap();
    assert!(invalid[7].contains("no @"), "{invalid:?}");

    let undo = read_csv(report.undo.as_ref().unwrap());
    assert_eq!(
        undo[0],
        ["Member object ID or user principal name [memberObjectIdOrUpn] Required"]
    );
    let undone: HashSet<&str> = undo[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(undone.len(), 5);
    assert!(undone.contains(device.as_str()) && undone.contains(guest_id.as_str()));
}

#[tokio::test]
async fn a_second_run_of_the_same_file_changes_nothing() {
    let env = env().await;
    let group = group_id(&env.emu, "Empty Group");
    let users = outsiders(&env.emu, &group, 45);
    let file: String = users.iter().map(|(id, _)| format!("{id}\n")).collect();
    let path = write(env.dir.path(), "ids.csv", file.as_bytes());
    let (_, first) = run(&env, MembershipOp::Add, "Empty Group", &path, "first.csv").await;
    assert_eq!(
        (first.status, first.counts.added),
        (JobStatus::Completed, 45)
    );
    let writes = env.emu.tenant().read().audit().len();

    let (second_preview, second) =
        run(&env, MembershipOp::Add, "Empty Group", &path, "second.csv").await;
    assert_eq!(
        second.status,
        JobStatus::Completed,
        "already a member is success"
    );
    assert_eq!(second.counts.already_member, 45);
    assert_eq!(second_preview.pending(), 0);
    assert_eq!(
        env.emu.tenant().read().audit().len(),
        writes,
        "no write the second time"
    );
    assert!(second.undo.is_none(), "nothing changed, nothing to undo");
}

#[tokio::test]
async fn remove_then_feed_the_undo_file_back() {
    let env = env().await;
    let group = group_id(&env.emu, "Owner Security Group");
    let before = member_ids(&env.emu, &group);
    let mut members: Vec<&String> = before.iter().collect();
    members.sort();
    let gone = outsiders(&env.emu, &group, 1);
    let mut file = String::from("ObjectId\n");
    for id in members.iter().take(3) {
        file.push_str(id);
        file.push('\n');
    }
    file.push_str(&gone[0].0);
    file.push('\n');
    let path = write(env.dir.path(), "remove.csv", file.as_bytes());
    let (p, report) = run(&env, MembershipOp::Remove, &group, &path, "removed.csv").await;
    assert_eq!(report.status, JobStatus::Completed);
    assert_eq!((p.counts.removed, p.counts.not_a_member), (3, 1));
    assert_eq!(member_ids(&env.emu, &group).len(), before.len() - 3);

    let undo = report.undo.clone().unwrap();
    assert!(undo.to_string_lossy().ends_with("removed.undo-add.csv"));
    let (_, back) = run(&env, MembershipOp::Add, &group, &undo, "restored.csv").await;
    assert_eq!((back.status, back.counts.added), (JobStatus::Completed, 3));
    assert_eq!(member_ids(&env.emu, &group), before);
}

#[tokio::test]
async fn groups_managed_elsewhere_are_refused_up_front_with_the_reason() {
    let env = env().await;
    let path = write(env.dir.path(), "one.csv", b"adele@contoso.com\n");
    for (name, words) in [
        ("Owner Dynamic Sales", "dynamic membership"),
        ("Owner Synced Group", "on-premises Active Directory"),
        ("Owner Mail-enabled Security", "Exchange Online"),
        ("Owner Distribution List", "Exchange Online"),
    ] {
        let err = preview_file(&env, MembershipOp::Add, name, &path)
            .await
            .unwrap_err();
        assert!(matches!(err, MembershipError::Refused(_)), "{name}: {err}");
        assert!(err.to_string().contains(words), "{name}: {err}");
        assert_eq!(err.class(), ErrorClass::Input);
    }
    let p = preview_file(&env, MembershipOp::Add, "Owner Role Admins", &path)
        .await
        .unwrap();
    assert!(
        p.notices
            .iter()
            .any(|n| n.contains("RoleManagement.ReadWrite.Directory")
                && n.contains("Privileged Role Administrator"))
    );
    let err = preview_file(&env, MembershipOp::Add, "No Such Group", &path)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("no group is named 'No Such Group'"),
        "{err}"
    );
}

#[tokio::test]
async fn microsoft_365_groups_take_users_only() {
    let env = env().await;
    let group = group_id(&env.emu, "Owner Team (Microsoft 365)");
    let user = outsiders(&env.emu, &group, 1).remove(0);
    let (device, security) = {
        let t = env.emu.tenant().read();
        (
            t.devices()[1].id().to_owned(),
            group_id(&env.emu, "Empty Group"),
        )
    };
    let file = format!("{}\n{device}\n{security}\n", user.1);
    let path = write(env.dir.path(), "m365.csv", file.as_bytes());
    let (p, report) = run(&env, MembershipOp::Add, &group, &path, "m365-results.csv").await;
    assert_eq!(state_of(&p, 1), RowState::Added);
    assert_eq!(state_of(&p, 2), RowState::WrongType);
    assert_eq!(state_of(&p, 3), RowState::WrongType);
    assert!(
        p.rows[1].reason.contains("only users"),
        "{}",
        p.rows[1].reason
    );
    assert_eq!(report.status, JobStatus::CompletedWithErrors);
}

#[tokio::test]
async fn a_chunk_with_one_bad_row_is_narrowed_down_to_it() {
    let env = env().await;
    let group = group_id(&env.emu, "Empty Group");
    let users = outsiders(&env.emu, &group, 45);
    let file: String = users.iter().map(|(id, _)| format!("{id}\n")).collect();
    let path = write(env.dir.path(), "chunk.csv", file.as_bytes());
    let mut p = preview_file(&env, MembershipOp::Add, &group, &path)
        .await
        .unwrap();
    assert_eq!(p.pending(), 45);
    // Someone else adds row 7 between the preview and the apply: its PATCH of 20 fails whole.
    env.client.add_member(&group, &users[6].0).await.unwrap();
    let spec = MembershipSpec::new(
        MembershipOp::Add,
        &group,
        &path,
        env.dir.path().join("chunk-results.csv"),
    );
    let report = apply(&env, &env.client, &spec, &mut p).await.1.unwrap();
    assert_eq!(state_of(&p, 7), RowState::AlreadyMember);
    assert!(p.rows[6].reason.contains("when Roster tried to add it"));
    assert_eq!(report.counts.added, 44);
    assert_eq!(report.status, JobStatus::Completed);
    assert_eq!(member_ids(&env.emu, &group).len(), 45);
    let stats = serde_json::to_value(env.emu.stats()).unwrap().to_string();
    assert!(
        stats.contains("POST /groups/{id}/members/$ref"),
        "narrowed down to single adds: {stats}"
    );
    let undo = read_csv(report.undo.as_ref().unwrap());
    assert_eq!(undo.len(), 45, "header + the 44 rows this job added");
}

#[tokio::test]
async fn encodings_and_spreadsheets_resolve_through_the_engine() {
    let env = env().await;
    let group = group_id(&env.emu, "Empty Group");
    let users = outsiders(&env.emu, &group, 4);
    // Excel "Unicode text": UTF-16 LE with BOM, tab-delimited, with a second column.
    let text = format!(
        "ObjectId\tName\r\n{}\tA\r\n{}\tB\r\n",
        users[0].0, users[1].0
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let path = write(env.dir.path(), "unicode.txt", &utf16);
    let (p, _) = run(&env, MembershipOp::Add, &group, &path, "u16.csv").await;
    assert_eq!(p.counts.added, 2);
    // Windows-1252, semicolons, a single row and no header.
    let mut bytes = users[2].1.as_bytes().to_vec();
    bytes.extend_from_slice(b";M\xfcller\r\n");
    let path = write(env.dir.path(), "cp1252.csv", &bytes);
    let (p, _) = run(&env, MembershipOp::Add, &group, &path, "cp1252-results.csv").await;
    assert_eq!((p.rows.len(), p.counts.added), (1, 1));
    // The reader's workbook fixture: its ids are from another tenant, so every row is not found.
    let xlsx =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../roster-csv/tests/fixtures/members.xlsx");
    let p = preview_file(&env, MembershipOp::Add, &group, &xlsx)
        .await
        .unwrap();
    assert!(!p.rows.is_empty());
    assert!(
        p.rows.iter().all(|r| matches!(
            r.state,
            RowState::NotFound | RowState::Invalid | RowState::Duplicate
        )),
        "{:?}",
        p.rows
    );
}

#[tokio::test]
async fn per_object_membership_check_agrees_with_the_listing() {
    let env = env().await;
    let group = group_id(&env.emu, "Owner Security Group");
    let mut ids: Vec<String> = member_ids(&env.emu, &group).into_iter().take(3).collect();
    ids.extend(outsiders(&env.emu, &group, 3).into_iter().map(|u| u.0));
    let file: String = ids.iter().map(|id| format!("{id}\n")).collect();
    let members = roster_csv::parse_member_file(file.as_bytes()).unwrap();
    let listed = preview(
        &env.client,
        &EngineConfig::default(),
        MembershipOp::Remove,
        &group,
        &members,
    )
    .await
    .unwrap();
    let config = EngineConfig {
        list_members_threshold: 0,
        ..EngineConfig::default()
    };
    let checked = preview(&env.client, &config, MembershipOp::Remove, &group, &members)
        .await
        .unwrap();
    assert!(matches!(listed.check, MembershipCheck::Listed { .. }));
    assert_eq!(checked.check, MembershipCheck::PerObject);
    assert_eq!(listed.rows, checked.rows);
    assert_eq!(
        (checked.counts.will_remove, checked.counts.not_a_member),
        (3, 3)
    );
}

#[tokio::test]
async fn group_owners_change_their_own_groups_only() {
    let env = env().await;
    let owned = group_id(&env.emu, "Owner Security Group");
    let user = outsiders(&env.emu, &owned, 1).remove(0);
    let path = write(
        env.dir.path(),
        "owner.csv",
        format!("{}\n", user.0).as_bytes(),
    );
    let owner = client(&env.emu, "owner", WRITE);
    let members = roster_csv::read_member_file(&path).unwrap();
    let config = EngineConfig::default();
    let err = preview(&owner, &config, MembershipOp::Add, "All Company", &members)
        .await
        .unwrap_err();
    assert_eq!(err.class(), ErrorClass::Auth, "{err}");

    // A role-assignable group: the preview warns, and without RoleManagement.ReadWrite.Directory
    // the first write is refused, which stops the job as a permission problem.
    let roles = group_id(&env.emu, "Owner Role Admins");
    let mut p = preview(&env.client, &config, MembershipOp::Add, &roles, &members)
        .await
        .unwrap();
    assert!(!p.notices.is_empty());
    let spec = MembershipSpec::new(
        MembershipOp::Add,
        &roles,
        &path,
        env.dir.path().join("denied.csv"),
    );
    let (job, result) = apply(&env, &env.client, &spec, &mut p).await;
    let outcome = result.unwrap_err();
    assert_eq!(outcome.failure, Some(FailureKind::Auth), "{outcome:?}");
    let stored = env.store.get_job(job).unwrap().unwrap();
    assert_eq!(stored.status, JobStatus::Failed);
    assert!(stored.error.unwrap().contains("403"));
    assert!(!member_ids(&env.emu, &roles).contains(&user.0));

    let mut p = preview(&owner, &config, MembershipOp::Add, &owned, &members)
        .await
        .unwrap();
    let spec = MembershipSpec::new(
        MembershipOp::Add,
        &owned,
        &path,
        env.dir.path().join("owned.csv"),
    );
    let report = apply(&env, &owner, &spec, &mut p).await.1.unwrap();
    assert_eq!(
        (report.status, report.counts.added),
        (JobStatus::Completed, 1)
    );
}

#[tokio::test]
async fn item_level_throttling_and_faults_still_reach_every_row() {
    let env = env_with(EmulatorConfig {
        faults: "429=0.15,503=0.05".parse().unwrap(),
        ..small_tenant(400, 40)
    })
    .await;
    let group = group_id(&env.emu, "Empty Group");
    let users = outsiders(&env.emu, &group, 120);
    let file: String = users.iter().map(|(_, upn)| format!("{upn}\n")).collect();
    let path = write(env.dir.path(), "faults.csv", file.as_bytes());
    let (p, report) = run(&env, MembershipOp::Add, &group, &path, "faults-results.csv").await;
    assert_eq!((report.status, p.counts.added), (JobStatus::Completed, 120));
    let listed = env
        .client
        .list_members(&group, &ListQuery::new().select(["id"]).top(999), false)
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), 120);
}

#[tokio::test]
async fn a_row_graph_refuses_fails_alone_with_graphs_reason() {
    let env = env().await;
    // Nesting "Nested Level 1" inside "Nested Level 4" would make a cycle: Graph refuses that
    // row only; the preview cannot know it.
    let target = group_id(&env.emu, "Nested Level 4");
    let cycle = group_id(&env.emu, "Nested Level 1");
    let users = outsiders(&env.emu, &target, 3);
    let file = format!("{}\n{cycle}\n{}\n{}\n", users[0].0, users[1].0, users[2].1);
    let path = write(env.dir.path(), "cycle.csv", file.as_bytes());
    let (p, report) = run(&env, MembershipOp::Add, &target, &path, "cycle-results.csv").await;
    assert_eq!(state_of(&p, 2), RowState::Failed);
    assert!(
        p.rows[1].reason.contains("Invalid object identifier"),
        "{}",
        p.rows[1].reason
    );
    assert!(p.rows[1].reason.contains("(400 "), "{}", p.rows[1].reason);
    for line in [1, 3, 4] {
        assert_eq!(state_of(&p, line), RowState::Added);
    }
    assert_eq!(report.status, JobStatus::CompletedWithErrors);
    assert_eq!(report.counts.failed, 1);
    assert!(!member_ids(&env.emu, &target).contains(&cycle));
}

#[tokio::test]
async fn a_mail_shared_by_a_guest_and_a_contact_is_ambiguous_and_left_alone() {
    let env = env().await;
    let group = group_id(&env.emu, "Empty Group");
    let (shared, guest_id, contact_id, contact_mail, other_contact) = {
        let t = env.emu.tenant().read();
        let contact = &t.contacts()[0];
        let shared = contact.mail().unwrap().to_owned();
        let guest = t
            .users()
            .iter()
            .find(|u| u.mail() == Some(shared.as_str()))
            .expect("the tenant has a guest and a contact sharing a mail");
        let other = &t.contacts()[1];
        (
            shared,
            guest.id().to_owned(),
            contact.id().to_owned(),
            other.mail().unwrap().to_owned(),
            other.id().to_owned(),
        )
    };
    let users: Vec<(String, String)> = outsiders(&env.emu, &group, 5)
        .into_iter()
        .filter(|(id, _)| *id != guest_id)
        .collect();
    let file = format!(
        "{}\n{}\n{contact_mail}\n",
        users[0].0,
        shared.to_uppercase()
    );
    let path = write(env.dir.path(), "mails.csv", file.as_bytes());
    let writes_before = env.emu.tenant().read().audit().len();
    let (p, report) = run(&env, MembershipOp::Add, "Empty Group", &path, "results.csv").await;

    let row = p.rows.iter().find(|r| r.line == 2).unwrap();
    assert_eq!(row.state, RowState::Ambiguous);
    assert!(row.object.is_none());
    for needle in [
        "2 objects",
        "user '",
        &guest_id,
        "orgContact '",
        &contact_id,
        "user principal name",
    ] {
        assert!(
            row.reason.contains(needle),
            "{needle:?} in {:?}",
            row.reason
        );
    }
    assert_eq!(state_of(&p, 1), RowState::Added);
    assert_eq!(
        state_of(&p, 3),
        RowState::Added,
        "a contact's own mail resolves to it"
    );
    assert_eq!(report.counts.added, 2);

    let members = member_ids(&env.emu, &group);
    assert!(
        !members.contains(&guest_id) && !members.contains(&contact_id),
        "{members:?} {guest_id} {contact_id} {:?}",
        p.rows
    );
    assert!(members.contains(&other_contact) && members.contains(&users[0].0));
    let t = env.emu.tenant().read();
    let written: Vec<&str> = t.audit()[writes_before..]
        .iter()
        .map(|a| a.member_id.as_str())
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");
    assert!(!written.contains(&guest_id.as_str()) && !written.contains(&contact_id.as_str()));

    let results = read_csv(&env.dir.path().join("results.csv"));
    let line = results
        .iter()
        .find(|r| r.iter().any(|c| c.eq_ignore_ascii_case(&shared)))
        .expect("the ambiguous row is in the results");
    assert!(line.iter().any(|c| c == "ambiguous"), "{line:?}");
}

#[tokio::test]
async fn without_contact_permission_mail_matches_users_only_and_says_so() {
    let env = env().await;
    let (shared, guest_id) = {
        let t = env.emu.tenant().read();
        let shared = t.contacts()[0].mail().unwrap().to_owned();
        let guest = t.users().iter().find(|u| u.mail() == Some(shared.as_str()));
        (shared, guest.unwrap().id().to_owned())
    };
    let client = client(
        &env.emu,
        "admin",
        &["User.Read.All", "GroupMember.ReadWrite.All"],
    );
    let path = write(env.dir.path(), "mail.csv", format!("{shared}\n").as_bytes());
    let members = roster_csv::read_member_file(&path).unwrap();
    let p = preview(
        &client,
        &EngineConfig::default(),
        MembershipOp::Add,
        "Empty Group",
        &members,
    )
    .await
    .expect("a 403 on /contacts does not stop the preview");
    assert_eq!(state_of(&p, 1), RowState::WillAdd);
    assert_eq!(p.rows[0].object.as_ref().unwrap().id, guest_id);
    assert!(
        p.notices
            .iter()
            .any(|n| n.contains("users only") && n.contains("OrgContact.Read.All")),
        "{:?}",
        p.notices
    );
}

/// A row that resolves to a guest user says so, whether the file names the guest by object id
/// (`getByIds`), user principal name or mail address (`/users` filters), and the preview stored as
/// JSON keeps it; members are not marked.
#[tokio::test]
async fn guests_are_known_by_object_id_upn_and_mail() {
    let env = env().await;
    let (guests, member) = {
        let t = env.emu.tenant().read();
        let shared: HashSet<String> = t
            .contacts()
            .iter()
            .filter_map(|c| c.mail())
            .map(str::to_lowercase)
            .collect();
        let guests: Vec<(String, String, String)> = t
            .users()
            .iter()
            .filter(|u| u.is_guest())
            .filter_map(|u| Some((u.id().to_owned(), u.upn().to_owned(), u.mail()?.to_owned())))
            .filter(|(_, upn, mail)| !shared.contains(&mail.to_lowercase()) && upn != mail)
            .take(3)
            .collect();
        let member = t.users().iter().find(|u| !u.is_guest()).unwrap();
        (guests, (member.id().to_owned(), member.upn().to_owned()))
    };
    assert_eq!(
        guests.len(),
        3,
        "the tenant has guests with a mail of their own"
    );
    let file = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        guests[0].0, guests[1].1, guests[2].2, member.0, member.1
    );
    let path = write(env.dir.path(), "guests.csv", file.as_bytes());
    let p = preview_file(&env, MembershipOp::Add, "Empty Group", &path)
        .await
        .unwrap();
    let guest_of = |line: u64| {
        let row = p.rows.iter().find(|r| r.line == line).unwrap();
        let object = row.object.as_ref().expect("resolved");
        (object.id.clone(), object.user_type.clone(), row.is_guest())
    };
    let guest = Some("Guest".to_owned());
    assert_eq!(
        guest_of(1),
        (guests[0].0.clone(), guest.clone(), true),
        "by object id"
    );
    assert_eq!(
        guest_of(2),
        (guests[1].0.clone(), guest.clone(), true),
        "by UPN"
    );
    assert_eq!(guest_of(3), (guests[2].0.clone(), guest, true), "by mail");
    let member_type = Some("Member".to_owned());
    assert_eq!(guest_of(4), (member.0.clone(), member_type.clone(), false));
    assert_eq!(
        state_of(&p, 5),
        RowState::Duplicate,
        "the same member by UPN"
    );
    let resolved = p.rows[1].object.as_ref().unwrap();
    assert_eq!(
        resolved.user_principal_name.as_deref(),
        Some(guests[1].1.as_str())
    );

    let stored: Preview = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
    assert!(stored.rows[..3].iter().all(|r| r.is_guest()));
    let objects = |p: &Preview| p.rows.iter().map(|r| r.object.clone()).collect::<Vec<_>>();
    assert_eq!(objects(&stored), objects(&p));
}
