//! Broken rules (position and code of the error), accepted forms, and a property-style test that
//! no input makes parsing, highlighting or evaluating panic.

use crate::error::code;
use crate::testing::{Cell, TestUser, now, plan};
use crate::{TEXT_CODES, parse, tokens};

const G1: &str = "11111111-1111-1111-1111-111111111111";

/// The error of `rule`: (1-based position, code).
fn error(rule: &str) -> (usize, String) {
    match parse(rule) {
        Ok(_) => panic!("{rule} parsed"),
        Err(error) => {
            assert!(
                TEXT_CODES.contains(&error.text.code.as_str()),
                "{} not listed",
                error.text.code
            );
            (error.position, error.text.code)
        }
    }
}

fn check(rule: &str, position: usize, expected: &str) {
    assert_eq!(error(rule), (position, expected.to_owned()), "{rule}");
}

#[test]
fn syntax_errors_say_where_and_what_was_expected() {
    check("", 1, code::EMPTY);
    check("   ", 1, code::EMPTY);
    check("user.department -eq", 20, code::EXPECTED_VALUE);
    check(r#"user.department -eq "Sales"#, 21, code::UNCLOSED_STRING);
    check("user.department -eq 'Sales", 21, code::UNCLOSED_STRING);
    check(
        r#"(user.department -eq "Sales""#,
        29,
        code::UNCLOSED_PARENTHESIS,
    );
    check(r#"user.department -eq "a")"#, 24, code::UNEXPECTED_CLOSE);
    check(
        r#"user.department -eq "a" user.city -eq "b""#,
        25,
        code::EXPECTED_LOGICAL,
    );
    check(r#"-and user.city -eq "x""#, 1, code::EXPECTED_CONDITION);
    check(r#"user.city -eq "x" -and"#, 23, code::EXPECTED_CONDITION);
    check("user.city", 10, code::EXPECTED_OPERATOR);
    check(r#"user.city "x""#, 11, code::EXPECTED_OPERATOR);
    check(r#"user.department -gt "x""#, 17, code::UNKNOWN_OPERATOR);
    check("user.mail -not null", 11, code::NOT_AS_OPERATOR);
    check("user.department -eq Sales", 21, code::UNQUOTED_TEXT);
    check(
        r#"user.department -eq -and user.city -eq "x""#,
        21,
        code::EXPECTED_VALUE,
    );
    check(
        r#"user.department -in ["a" "b"]"#,
        26,
        code::EXPECTED_COMMA_OR_BRACKET,
    );
    check(r#"user.department -in ["a","#, 26, code::EXPECTED_LIST_ITEM);
    check(
        r#"user.department -in ["a",]"#,
        26,
        code::EXPECTED_LIST_ITEM,
    );
    check("user.department -in []", 21, code::EMPTY_LIST);
    check(r#"user.department -in "a""#, 21, code::EXPECTED_LIST);
    check("user.department - eq", 17, code::EXPECTED_OPERATOR);
}

#[test]
fn meaning_errors_name_the_property_or_operator() {
    check(
        r#"user.Department -eq "x""#,
        1,
        code::UNKNOWN_PROPERTY_DID_YOU_MEAN,
    );
    check(
        r#"User.department -eq "x""#,
        1,
        code::UNKNOWN_PROPERTY_DID_YOU_MEAN,
    );
    check(
        r#"department -eq "x""#,
        1,
        code::UNKNOWN_PROPERTY_DID_YOU_MEAN,
    );
    check(r#"user.favouriteColour -eq "x""#, 1, code::UNKNOWN_PROPERTY);
    check(r#"user.manager -eq "x""#, 1, code::UNKNOWN_PROPERTY);
    check(
        r#"device.deviceOSType -eq "iPad""#,
        1,
        code::NOT_USER_PROPERTY,
    );
    check(
        r#"user.accountEnabled -contains "x""#,
        21,
        code::OPERATOR_NOT_ALLOWED,
    );
    check(r#"user.department -le "x""#, 17, code::OPERATOR_NOT_ALLOWED);
    check(
        r#"user.department -any (_ -eq "x")"#,
        17,
        code::OPERATOR_NOT_ALLOWED,
    );
    check(
        r#"user.assignedPlans -eq "x""#,
        20,
        code::OPERATOR_NOT_ALLOWED,
    );
    check(
        r#"user.employeeHireDate -startsWith "2020""#,
        23,
        code::OPERATOR_NOT_ALLOWED,
    );
    check(
        r#"user.accountEnabled -eq "yes""#,
        25,
        code::EXPECTED_BOOLEAN,
    );
    check(
        r#"user.department -startsWith null"#,
        29,
        code::NULL_NOT_ALLOWED,
    );
    check(
        r#"user.department -in ["a", null]"#,
        27,
        code::NULL_NOT_ALLOWED,
    );
    check("user.employeeHireDate -le null", 27, code::NULL_NOT_ALLOWED);
    check(
        r#"user.employeeHireDate -le "last tuesday""#,
        27,
        code::INVALID_DATE,
    );
    check(
        "user.employeeHireDate -ge 2020-13-01",
        27,
        code::INVALID_DATE,
    );
    check(
        "user.employeeHireDate -ge system.now -plus 1 day",
        44,
        code::INVALID_DURATION,
    );
    check(
        "user.employeeHireDate -ge system.now -minus",
        44,
        code::EXPECTED_VALUE,
    );
    check(r#"user.city -match "(ab""#, 18, code::INVALID_REGEX);
    check(
        r#"user.city -match "a{1000}{1000}""#,
        18,
        code::INVALID_REGEX,
    );
    check("user.city -match 5", 18, code::EXPECTED_TEXT);
}

#[test]
fn collection_errors() {
    check(r#"_ -eq "x""#, 1, code::ITEM_OUTSIDE_COLLECTION);
    check(
        r#"assignedPlan.service -eq "x""#,
        1,
        code::ITEM_OUTSIDE_COLLECTION,
    );
    check(
        r#"user.proxyAddresses -any _ -eq "a" -and user.city -eq "b""#,
        41,
        code::WRONG_ITEM,
    );
    check(
        r#"user.proxyAddresses -any (x -eq "a")"#,
        27,
        code::WRONG_ITEM,
    );
    check(
        r#"user.assignedPlans -any (assignedPlan.ServicePlanId -eq "x")"#,
        26,
        code::UNKNOWN_PROPERTY_DID_YOU_MEAN,
    );
    check(
        r#"user.assignedPlans -any (assignedPlan.service -le "x")"#,
        47,
        code::OPERATOR_NOT_ALLOWED,
    );
    check(
        &format!("user.memberOf -any (group.objectId -in ['{G1}']) -and user.city -eq \"x\""),
        1,
        code::MEMBER_OF_ALONE,
    );
    check(
        &format!("-not user.memberOf -any (group.objectId -in ['{G1}'])"),
        6,
        code::MEMBER_OF_ALONE,
    );
    check(
        &format!("user.memberOf -all (group.objectId -in ['{G1}'])"),
        15,
        code::OPERATOR_NOT_ALLOWED,
    );
    check(
        "user.memberOf -any (group.objectId -startsWith \"1\")",
        36,
        code::MEMBER_OF_FORM,
    );
    check(
        &format!("user.memberOf -any (-not group.objectId -eq '{G1}')"),
        20,
        code::MEMBER_OF_FORM,
    );
    check(
        "user.memberOf -any (group.objectId -in ['sales'])",
        41,
        code::INVALID_OBJECT_ID,
    );
    let many: Vec<String> = (0..51)
        .map(|i| format!("'{i:08}-1111-1111-1111-111111111111'"))
        .collect();
    check(
        &format!(
            "user.memberOf -any (group.objectId -in [{}])",
            many.join(",")
        ),
        40,
        code::TOO_MANY_GROUPS,
    );
}

#[test]
fn whole_rule_forms_and_limits() {
    let manager = "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb";
    check(
        &format!("Direct Reports \"{manager}\""),
        16,
        code::DIRECT_REPORTS_FORM,
    );
    check("Direct Reports for", 19, code::DIRECT_REPORTS_FORM);
    check(r#"Direct Reports for "boss""#, 20, code::INVALID_OBJECT_ID);
    check(
        &format!("Direct Reports for \"{manager}\" -and user.city -eq \"x\""),
        59,
        code::DIRECT_REPORTS_ALONE,
    );
    check(
        &format!("user.city -eq \"x\" -or Direct Reports for \"{manager}\""),
        23,
        code::DIRECT_REPORTS_ALONE,
    );
    let long = format!("user.city -eq \"{}\"", "x".repeat(3060));
    check(&long, 3073, code::TOO_LONG);
    check(&"(".repeat(100), 65, code::TOO_DEEP);
    let just_fits = format!("user.city -eq \"{}\"", "x".repeat(3072 - 16));
    assert_eq!(just_fits.chars().count(), 3072);
    assert!(parse(&just_fits).is_ok());
}

#[test]
fn positions_count_characters_and_messages_read_well() {
    check(
        r#"user.city -eq "Zürich" -and user.x -eq "a""#,
        29,
        code::UNKNOWN_PROPERTY,
    );
    let error = parse("user.department -eq").unwrap_err();
    assert_eq!(
        error.to_string(),
        "at position 20: expected a value after -eq, found end of rule"
    );
    let error = parse(r#"user.Department -eq "x""#).unwrap_err();
    assert_eq!(error.text.params["property"], "user.Department");
    assert_eq!(error.text.params["suggestion"], "user.department");
    assert!(
        error
            .text
            .english
            .ends_with("did you mean user.department?")
    );
    let error = parse(r#"(user.city -eq "x" -and (user.city -eq "y")"#).unwrap_err();
    assert_eq!(
        error.text.english,
        "expected ) to close the ( at position 1, found end of rule"
    );
}

#[test]
fn documented_examples_parse() {
    for rule in [
        r#"user.department -eq "Sales""#,
        r#"user.mailNickname -endsWith "-vendor""#,
        r#"user.otherMails -endsWith"@contoso.com""#,
        r#"user.proxyAddresses -notEndsWith "@outlook.com""#,
        r#"user.department -in ["50001","50002","50003","50005","50006","50007","50008","50016","50020","50024","50038","50039","51100"]"#,
        "user.employeehiredate -ge system.now -plus p1d ",
        "user.employeehiredate -le 2020-06-10T18:13:20Z ",
        r#"user.displayName -match "^Da.*"   "#,
        "user.mail \u{2013}ne null",
        r#"(user.department -eq "Sales") -or (user.department -eq "Marketing")"#,
        "user.department \u{2013}eq \"Marketing\" \u{2013}and user.country \u{2013}eq \"US\"",
        r#"user.assignedPlans -all (assignedPlan.servicePlanId -eq null)"#,
        r#"(user.proxyAddresses -any (_ -startsWith "contoso"))"#,
        r#"user.employeeId -ne "null""#,
        r#"(user.extensionAttribute15 -eq "Marketing")"#,
        r#"user.extension_c272a57b722d4eb29bfe327874ae79cb_OfficeNumber -eq "123""#,
        "user.memberof -any (group.objectId -in ['aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'])",
        r#"Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb""#,
        r#"user.department -eq `"Sales`""#,
    ] {
        if let Err(error) = parse(rule) {
            panic!("{rule}: {error}");
        }
    }
}

/// A small deterministic generator (no dependency needed for a property-style test).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
}

/// Parses, highlights and (if it parses) evaluates `source`; checks the tokens' offsets.
fn exercise(source: &str) {
    let length = source.chars().count();
    let mut previous_end = 0;
    for token in tokens(source) {
        assert!(token.start >= previous_end && token.start < token.end && token.end <= length);
        previous_end = token.end;
    }
    match parse(source) {
        Ok(rule) => {
            let user = TestUser::new()
                .text("department", "Sales")
                .items("proxyAddresses", &["smtp:a@b.c"])
                .with(
                    "assignedPlans",
                    Cell::Plans(vec![plan("x", "Enabled", "s")]),
                );
            let _ = rule.evaluate(&user.bind(&rule), now());
        }
        Err(error) => assert!(error.position >= 1 && error.position <= length.max(3072) + 1),
    }
}

#[test]
fn no_input_panics() {
    let valid = [
        r#"(user.department -eq "Sales") -and -not (user.jobTitle -startsWith "SDE")"#,
        r#"user.proxyAddresses -any (_ -startsWith "smtp:" -or _ -match "^x.*$")"#,
        r#"user.assignedPlans -any (assignedPlan.servicePlanId -eq "efb87545-963c-4e0d-99df-69c6916d9eb0" -and assignedPlan.capabilityStatus -eq "Enabled")"#,
        "user.employeeHireDate -ge system.now -minus P1Y2M3DT4H and user.accountEnabled eq 'true'",
        "user.memberOf -any (group.objectId -in ['aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'])",
        r#"Direct Reports for "aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb""#,
        "user.department -in [\"Zürich\", 'it''s', 5] -or user.city -eq `\"x`\"",
    ];
    for rule in valid {
        let chars: Vec<char> = rule.chars().collect();
        for end in 0..=chars.len() {
            exercise(&chars[..end].iter().collect::<String>());
            exercise(&chars[end..].iter().collect::<String>());
        }
    }
    let vocabulary = [
        "user.department",
        "user.proxyAddresses",
        "user.assignedPlans",
        "user.memberOf",
        "user.employeeHireDate",
        "user.accountEnabled",
        "_",
        "assignedPlan.service",
        "group.objectId",
        "-eq",
        "-ne",
        "-in",
        "-match",
        "-le",
        "-any",
        "-all",
        "-and",
        "-or",
        "-not",
        "(",
        ")",
        "[",
        "]",
        ",",
        "\"x\"",
        "'aaaaaaaa-0000-1111-2222-bbbbbbbbbbbb'",
        "null",
        "true",
        "system.now",
        "-plus",
        "p1d",
        "2024-01-01",
        "Direct",
        "Reports",
        "for",
        "\"",
        "'",
        "-",
        "\u{2013}",
        "ü",
        "\"(\"",
        "5",
    ];
    let mut random = Lcg(7);
    for _ in 0..5_000 {
        let words = random.next() % 14;
        let soup: Vec<&str> = (0..words)
            .map(|_| vocabulary[random.next() % vocabulary.len()])
            .collect();
        exercise(&soup.join(" "));
        let bytes: Vec<u8> = (0..random.next() % 40)
            .map(|_| (random.next() % 256) as u8)
            .collect();
        exercise(&String::from_utf8_lossy(&bytes));
    }
}
