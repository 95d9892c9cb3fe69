//! Operator by operator against hand-computed expectations on four users:
//! ann (everything set), bob (other values, some odd case), cid (nothing set), dee (values in
//! other case and cells that do not parse).

use super::*;
use crate::testing::{Cell, TestUser, now, plan};
use crate::{Rule, parse};

const G1: &str = "11111111-1111-1111-1111-111111111111";
const G2: &str = "22222222-2222-2222-2222-222222222222";
const EXO: &str = "efb87545-963c-4e0d-99df-69c6916d9eb0";
const INTUNE: &str = "c1ec4a95-1f05-45b3-a911-aa3fa01094f5";
const OFFICE: &str = "extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber";

fn users() -> Vec<TestUser> {
    let ann = TestUser::named("ann")
        .text("objectId", "0a0a0a0a-0000-0000-0000-000000000001")
        .text("department", "Sales")
        .text("city", "Oslo")
        .text("jobTitle", "SDE II")
        .text("mail", "ann@contoso.com")
        .text("userType", "Member")
        .text("accountEnabled", "true")
        .text("dirSyncEnabled", "True")
        .text("employeeHireDate", "2024-06-10T00:00:00Z")
        .items("otherMails", &["ann@gmail.com", "Ann@Contoso.com"])
        .items(
            "proxyAddresses",
            &["SMTP:ann@contoso.com", "smtp:a@fabrikam.com"],
        )
        .with(
            "assignedPlans",
            Cell::Plans(vec![plan(EXO, "Enabled", "exchange")]),
        )
        .items("memberOf", &[G1])
        .text("manager", "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb")
        .text("extensionAttribute1", "Blue")
        .text("extensionAttribute2", "50001")
        .text(OFFICE, "123");
    let bob = TestUser::named("bob")
        .text("objectId", "0a0a0a0a-0000-0000-0000-000000000002")
        .text("department", "Marketing")
        .text("city", "ZÜRICH")
        .text("jobTitle", "Manager")
        .text("mail", "")
        .text("userType", "Guest")
        .text("accountEnabled", "FALSE")
        .text("employeeHireDate", "2020-01-01")
        .items("otherMails", &[])
        .items("proxyAddresses", &["smtp:bob@fabrikam.com"])
        .with(
            "assignedPlans",
            Cell::Plans(vec![
                plan(EXO, "Suspended", "exchange"),
                plan(INTUNE, "Enabled", "SCO"),
            ]),
        )
        .items("memberOf", &[G2])
        .text("manager", "cccccccc-0000-1111-2222-dddddddddddd")
        .text("extensionAttribute1", "blue")
        .text("extensionAttribute2", "50002");
    let cid = TestUser::named("cid");
    let dee = TestUser::named("dee")
        .text("objectId", "0a0a0a0a-0000-0000-0000-000000000004")
        .text("department", "sales")
        .text("city", "Zürich")
        .text("jobTitle", "Head of SDE")
        .text("mail", "dee@Contoso.com")
        .text("userType", "member")
        .text("accountEnabled", "yes")
        .text("employeeHireDate", "soon")
        .items("otherMails", &["dee@contoso.com"])
        .items("proxyAddresses", &["SMTP:dee@contoso.com"])
        .items("memberOf", &[G1, G2])
        .text("manager", " AAAAAAAA-0000-1111-2222-BBBBBBBBBBBB ");
    vec![ann, bob, cid, dee]
}

/// The names of the users `rule` selects, comma-separated.
fn who(rule: &str) -> String {
    let parsed: Rule = parse(rule).unwrap_or_else(|e| panic!("{rule}: {e}"));
    users()
        .iter()
        .filter(|user| parsed.evaluate(&user.bind(&parsed), now()))
        .map(|user| user.name)
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn eq_and_ne_ignore_case_and_treat_null_as_empty() {
    assert_eq!(who(r#"user.department -eq "Sales""#), "ann,dee");
    assert_eq!(who(r#"user.department -eq "sales ""#), "");
    assert_eq!(who(r#"user.city -eq "zürich""#), "bob,dee");
    assert_eq!(who(r#"user.department -ne "Sales""#), "bob,cid");
    assert_eq!(who(r#"user.department -EQ "marketing""#), "bob");
    assert_eq!(who(r#"user.department eq "Marketing""#), "bob");
    assert_eq!(who("user.department \u{2013}eq \"Marketing\""), "bob");
}

#[test]
fn null_checks_and_the_string_null() {
    assert_eq!(who("user.department -eq null"), "cid");
    assert_eq!(who("user.department -ne null"), "ann,bob,dee");
    assert_eq!(who("user.mail -eq null"), "bob,cid");
    assert_eq!(who("user.mail -eq NULL"), "bob,cid");
    assert_eq!(who(r#"user.mail -eq """#), "bob,cid");
    assert_eq!(who(r#"user.department -eq "null""#), "");
    assert_eq!(who("user.objectId -ne null"), "ann,bob,dee");
    assert_eq!(
        who(r#"(user.objectId -ne null) -and (user.userType -eq "Member")"#),
        "ann,dee"
    );
}

#[test]
fn starts_ends_and_contains_with_their_negations() {
    assert_eq!(who(r#"user.jobTitle -startsWith "sde""#), "ann");
    assert_eq!(who(r#"user.jobTitle -notStartsWith "sde""#), "bob,cid,dee");
    assert_eq!(who(r#"user.mail -endsWith "@CONTOSO.com""#), "ann,dee");
    assert_eq!(who(r#"user.mail -notEndsWith "@Contoso.com""#), "bob,cid");
    assert_eq!(who(r#"user.city -endsWith "RICH""#), "bob,dee");
    assert_eq!(who(r#"user.jobTitle -contains "sde""#), "ann,dee");
    assert_eq!(who(r#"user.jobTitle -notContains "sde""#), "bob,cid");
    assert_eq!(who(r#"user.city -contains "ÜR""#), "bob,dee");
}

#[test]
fn match_is_a_case_insensitive_regex() {
    assert_eq!(who(r#"user.jobTitle -match "^s.e""#), "ann");
    assert_eq!(who(r#"user.city -match "^z.rich$""#), "bob,dee");
    assert_eq!(who(r#"user.jobTitle -notMatch "^s""#), "bob,cid,dee");
    assert_eq!(who(r#"user.jobTitle -match "^$""#), "cid");
    assert_eq!(who(r#"user.jobTitle -match "\d""#), "");
    assert_eq!(who(r#"user.jobTitle -match "I+$""#), "ann");
}

#[test]
fn in_and_not_in_compare_against_lists() {
    assert_eq!(who(r#"user.department -in ["sales","HR"]"#), "ann,dee");
    assert_eq!(who(r#"user.department -notIn ["sales","HR"]"#), "bob,cid");
    assert_eq!(who("user.department -in ['Marketing']"), "bob");
    assert_eq!(
        who(r#"user.extensionAttribute2 -in [50001, "50003"]"#),
        "ann"
    );
    let long: Vec<String> = (0..30).map(|i| format!("\"{}\"", 50000 + i)).collect();
    let rule = format!("user.extensionAttribute2 -in [{}]", long.join(","));
    assert_eq!(who(&rule), "ann,bob");
    assert_eq!(
        who(&rule.replace("-in", "-notIn")),
        "cid,dee",
        "-notIn on a null value holds"
    );
}

#[test]
fn booleans_take_true_false_or_null() {
    assert_eq!(who("user.accountEnabled -eq true"), "ann");
    assert_eq!(who("user.accountEnabled -eq false"), "bob");
    assert_eq!(who("user.accountEnabled -ne true"), "bob,cid,dee");
    assert_eq!(who("user.accountEnabled -eq null"), "cid");
    assert_eq!(
        who("user.accountEnabled -ne null"),
        "ann,bob,dee",
        "a cell that isn't a boolean is not null"
    );
    assert_eq!(who(r#"user.accountEnabled -eq "TRUE""#), "ann");
    assert_eq!(who("user.dirSyncEnabled -eq True"), "ann");
}

#[test]
fn dates_compare_with_fixed_dates_and_system_now() {
    assert_eq!(
        who("user.employeeHireDate -ge system.now -minus p7d"),
        "ann"
    );
    assert_eq!(
        who("user.employeehiredate -ge system.now -minus P1M"),
        "ann"
    );
    assert_eq!(
        who("user.employeeHireDate -le system.now -minus P1Y"),
        "bob"
    );
    assert_eq!(who("user.employeeHireDate -ge system.now -plus p1d"), "");
    assert_eq!(who("user.employeeHireDate -le system.now"), "ann,bob");
    assert_eq!(who("user.employeeHireDate -le 2020-06-10T18:13:20Z"), "bob");
    assert_eq!(
        who(r#"user.employeeHireDate -eq "2020-01-01T00:00:00Z""#),
        "bob"
    );
    assert_eq!(
        who(r#"user.employeeHireDate -ne "2020-01-01""#),
        "ann,cid,dee"
    );
    assert_eq!(who("user.employeeHireDate -eq null"), "cid");
    assert_eq!(who("user.employeeHireDate -ne null"), "ann,bob,dee");
    assert_eq!(
        who("user.employeeHireDate -ge system.now -plus P1000000Y"),
        "",
        "a date beyond the calendar compares as nothing"
    );
}

#[test]
fn operators_written_on_a_text_list_look_at_any_item() {
    assert_eq!(
        who(r#"user.otherMails -endsWith "@contoso.com""#),
        "ann,dee"
    );
    assert_eq!(
        who(r#"user.otherMails -notEndsWith "@contoso.com""#),
        "bob,cid"
    );
    assert_eq!(
        who(r#"user.proxyAddresses -startsWith "smtp:""#),
        "ann,bob,dee"
    );
    assert_eq!(who(r#"user.otherMails -contains "GMAIL""#), "ann");
    assert_eq!(who(r#"user.otherMails -in ["DEE@contoso.com"]"#), "dee");
    assert_eq!(who("user.otherMails -eq null"), "bob,cid");
    assert_eq!(who("user.otherMails -ne null"), "ann,dee");
}

#[test]
fn any_and_all_over_text_lists_including_empty_ones() {
    assert_eq!(
        who(r#"user.proxyAddresses -any (_ -startsWith "SMTP:" -and _ -endsWith "contoso.com")"#),
        "ann,dee"
    );
    assert_eq!(
        who(r#"user.proxyAddresses -all (_ -endsWith "@fabrikam.com")"#),
        "bob,cid"
    );
    assert_eq!(who(r#"user.otherMails -any (_ -eq "x")"#), "");
    assert_eq!(who(r#"user.otherMails -all (_ -eq "x")"#), "bob,cid");
    assert_eq!(
        who(r#"user.proxyAddresses -any _ -contains "fabrikam""#),
        "ann,bob"
    );
    assert_eq!(
        who(r#"(user.proxyAddresses -any (_ -startsWith "contoso"))"#),
        ""
    );
    assert_eq!(
        who(r#"-not user.proxyAddresses -any (_ -contains "fabrikam")"#),
        "cid,dee"
    );
    assert_eq!(
        who(r#"user.otherMails -any (_ -in ["ann@gmail.com"] -or -not _ -match "^ann")"#),
        "ann,dee"
    );
}

#[test]
fn assigned_plans_as_the_docs_examples_use_them() {
    let exchange = format!(
        "user.assignedPlans -any (assignedPlan.servicePlanId -eq \"{EXO}\" -and assignedPlan.capabilityStatus -eq \"Enabled\")"
    );
    assert_eq!(who(&exchange), "ann");
    assert_eq!(
        who(
            r#"user.assignedPlans -any (assignedPlan.service -eq "SCO" -and assignedPlan.capabilityStatus -eq "enabled")"#
        ),
        "bob"
    );
    assert_eq!(
        who("user.assignedPlans -all (assignedPlan.servicePlanId -eq null)"),
        "cid,dee"
    );
    assert_eq!(
        who(r#"user.assignedPlans -all (assignedPlan.capabilityStatus -eq "Enabled")"#),
        "ann,cid,dee"
    );
}

#[test]
fn member_of_direct_reports_and_extension_attributes() {
    assert_eq!(
        who(&format!("user.memberOf -any (group.objectId -in ['{G1}'])")),
        "ann,dee"
    );
    assert_eq!(
        who(&format!(
            "user.memberof -any (group.objectId -in ['{G1}', '{G2}'])"
        )),
        "ann,bob,dee"
    );
    assert_eq!(
        who(&format!(
            "(user.memberOf -any group.objectId -eq \"{}\")",
            G2.to_uppercase()
        )),
        "bob,dee"
    );
    assert_eq!(
        who(r#"Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb""#),
        "ann,dee"
    );
    assert_eq!(who(r#"user.extensionAttribute1 -eq "BLUE""#), "ann,bob");
    assert_eq!(who(&format!("user.{OFFICE} -eq \"123\"")), "ann");
    assert_eq!(who(&format!("user.{OFFICE} -eq 123")), "ann");
}

#[test]
fn precedence_and_parentheses() {
    let a_or_b_and_c = r#"user.department -eq "Marketing" -or user.department -eq "Sales" -and user.city -eq "Oslo""#;
    assert_eq!(who(a_or_b_and_c), "ann,bob", "-and binds tighter than -or");
    assert_eq!(
        who(
            r#"(user.department -eq "Marketing" -or user.department -eq "Sales") -and user.city -eq "Oslo""#
        ),
        "ann"
    );
    assert_eq!(
        who(r#"-not user.department -eq "Sales" -and user.city -eq "Zürich""#),
        "bob",
        "-not binds tighter than -and"
    );
    assert_eq!(
        who(r#"-not (user.department -eq "Sales" -and user.city -eq "Zürich")"#),
        "ann,bob,cid"
    );
    assert_eq!(
        who(r#"(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")"#),
        "dee"
    );
    assert_eq!(who(r#"-not -not user.department -eq "Sales""#), "ann,dee");
    assert_eq!(
        who(r#"user.department -eq "Marketing" or user.city -eq "Oslo""#),
        "ann,bob"
    );
    assert_eq!(
        who(r#"((user.city -eq "Oslo")) AND (NOT user.mail -eq null)"#),
        "ann"
    );
}

#[test]
fn escaped_quotes_are_part_of_the_value() {
    let rule = parse(r#"user.jobTitle -eq "say `"hi`"" -or user.jobTitle -eq 'it''s'"#).unwrap();
    let quoted = TestUser::new().text("jobTitle", "Say \"Hi\"");
    let apostrophe = TestUser::new().text("jobTitle", "it's");
    let plain = TestUser::new().text("jobTitle", "say hi");
    assert!(rule.evaluate(&quoted.bind(&rule), now()));
    assert!(rule.evaluate(&apostrophe.bind(&rule), now()));
    assert!(!rule.evaluate(&plain.bind(&rule), now()));
    let docs = parse(r#"user.department -eq `"Sales`""#).unwrap();
    let quoted = TestUser::new().text("department", "\"sales\"");
    let plain = TestUser::new().text("department", "Sales");
    assert!(docs.evaluate(&quoted.bind(&docs), now()));
    assert!(!docs.evaluate(&plain.bind(&docs), now()));
}

/// A user whose every text cell is `Some("")`, as a careless caller might supply.
struct EmptyStrings;

impl UserValues for EmptyStrings {
    fn text(&self, _: usize) -> Option<&str> {
        Some("")
    }
    fn items(&self, _: usize) -> Vec<&str> {
        vec![""]
    }
    fn plans(&self, _: usize) -> Vec<AssignedPlan> {
        Vec::new()
    }
}

#[test]
fn an_empty_string_from_the_caller_counts_as_null() {
    for (rule, expected) in [
        ("user.department -eq null", true),
        ("user.department -ne null", false),
        (r#"user.department -ne "x""#, true),
        ("user.accountEnabled -eq null", true),
        ("user.employeeHireDate -eq null", true),
        ("user.employeeHireDate -le system.now", false),
        ("user.otherMails -eq null", true),
        (
            r#"Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb""#,
            false,
        ),
    ] {
        let parsed = parse(rule).unwrap();
        assert_eq!(parsed.evaluate(&EmptyStrings, now()), expected, "{rule}");
    }
}

/// Rows from a fixed set of departments, the way a CSV reader hands them over.
struct Row(&'static str);

impl UserValues for Row {
    fn text(&self, _: usize) -> Option<&str> {
        Some(self.0)
    }
    fn items(&self, _: usize) -> Vec<&str> {
        Vec::new()
    }
    fn plans(&self, _: usize) -> Vec<AssignedPlan> {
        Vec::new()
    }
}

#[test]
fn a_typical_rule_evaluates_over_a_million_rows() {
    let rule = parse(
        r#"user.department -eq "Sales" -or user.department -startsWith "mark" -and -not user.department -contains "x""#,
    )
    .unwrap();
    let departments = ["Sales", "Marketing", "HR", "Marketing X", "SALES"];
    let now = now();
    let selected = (0..1_000_000)
        .filter(|i| rule.evaluate(&Row(departments[i % departments.len()]), now))
        .count();
    assert_eq!(selected, 600_000);
}
