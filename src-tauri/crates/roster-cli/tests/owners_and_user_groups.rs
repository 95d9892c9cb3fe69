//! `roster download owners` and `roster download user-groups` through the real binary against the
//! demo tenant (`--demo`), checked against an identical in-process emulator (seed 1).

use crate::support::{code, read_csv, roster, text, with_demo_tenant};
use roster_emulator::tenant::model::{Kind, Ref};
use std::collections::BTreeSet;

#[test]
fn owners_of_a_group_filter_are_the_tenants_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let out = dir.path().join("owners.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "download",
        "owners",
        "--group-filter",
        "securityEnabled eq true",
        "--columns",
        "groupId,ownerId,ownerType",
        "--delimiter",
        "semicolon",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let raw = std::fs::read_to_string(&out).unwrap();
    assert!(
        raw.starts_with("\u{feff}groupId;ownerId;ownerType"),
        "{raw:.80}"
    );
    let rows: BTreeSet<String> = raw.lines().skip(1).map(str::to_owned).collect();
    let expected: BTreeSet<String> = with_demo_tenant(|t| {
        t.groups()
            .iter()
            .filter(|g| g.security_enabled())
            .flat_map(|g| {
                g.owners().iter().map(move |&o| {
                    let kind = if o.kind() == Kind::User {
                        "user"
                    } else {
                        "servicePrincipal"
                    };
                    format!("{};{};{kind}", g.id(), t.id_of(o))
                })
            })
            .collect()
    });
    assert!(expected.iter().any(|r| r.ends_with("servicePrincipal")));
    assert_eq!(rows, expected);
}

#[test]
fn user_groups_of_listed_users_say_direct_or_inherited() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let (upns, expected) = with_demo_tenant(|t| {
        let nested: Vec<usize> = (0..t.users().len())
            .filter(|&u| {
                let me = Ref::new(Kind::User, u);
                t.transitive_member_of(me).len() > t.member_of(me).len()
            })
            .take(2)
            .collect();
        let mut expected = BTreeSet::new();
        for &u in &nested {
            let me = Ref::new(Kind::User, u);
            let direct = t.member_of(me);
            for g in t.transitive_member_of(me) {
                let how = if direct.contains(&g) {
                    "direct"
                } else {
                    "inherited"
                };
                expected.insert(vec![
                    t.users()[u].upn().to_owned(),
                    t.groups()[g].id().to_owned(),
                    how.to_owned(),
                ]);
            }
        }
        let upns: Vec<String> = nested
            .iter()
            .map(|&u| t.users()[u].upn().to_owned())
            .collect();
        (upns, expected)
    });
    let ids = dir.path().join("users.txt");
    std::fs::write(&ids, upns.join("\n")).unwrap();
    let out = dir.path().join("user-groups.csv");
    let run = roster.run_blocking(&[
        "--demo",
        "download",
        "user-groups",
        "--ids-file",
        ids.to_str().unwrap(),
        "--transitive",
        "--columns",
        "userPrincipalName,groupId,membership",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", text(&run.stderr));
    let rows = read_csv(&out);
    assert_eq!(rows[0], ["userPrincipalName", "groupId", "membership"]);
    let got: BTreeSet<Vec<String>> = rows[1..].iter().cloned().collect();
    assert!(got.iter().any(|r| r[2] == "inherited"));
    assert_eq!(got, expected);
}

#[test]
fn group_and_user_choices_are_checked_like_the_other_downloads() {
    let dir = tempfile::tempdir().unwrap();
    let roster = roster(&dir.path().join("data"));
    let out = dir.path().join("x.csv");
    let out = out.to_str().unwrap();
    let none = roster.run_blocking(&["--demo", "download", "owners", "--out", out]);
    assert_eq!(code(&none), 2, "{}", text(&none.stderr));
    let both = roster.run_blocking(&[
        "--demo", "download", "owners", "--owned", "--group", "Sales", "--out", out,
    ]);
    assert_eq!(code(&both), 2, "{}", text(&both.stderr));
    let file = dir.path().join("ids.txt");
    std::fs::write(&file, "admin@contoso.onmicrosoft.com\n").unwrap();
    let conflicting = roster.run_blocking(&[
        "--demo",
        "download",
        "user-groups",
        "--ids-file",
        file.to_str().unwrap(),
        "--filter",
        "accountEnabled eq true",
        "--out",
        out,
    ]);
    assert_eq!(code(&conflicting), 2, "{}", text(&conflicting.stderr));
    let unknown = roster.run_blocking(&[
        "--demo",
        "download",
        "user-groups",
        "--department",
        "Sales",
        "--columns",
        "memberCount",
        "--out",
        out,
    ]);
    assert_eq!(code(&unknown), 2, "{}", text(&unknown.stderr));
    assert!(
        text(&unknown.stderr).contains("memberCount"),
        "{}",
        text(&unknown.stderr)
    );
}
