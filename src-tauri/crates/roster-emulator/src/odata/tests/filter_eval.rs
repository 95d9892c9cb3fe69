//! `$filter` evaluation: operators, literals, precedence, lambdas, nested paths, case-insensitivity.

use super::*;

fn check_users(cases: &[(&str, bool, &[&str])]) {
    for (f, aq, want) in cases {
        assert_eq!(users_where(f, *aq), *want, "filter {f:?} (aq={aq})");
    }
}

#[test]
fn eq_on_strings_is_case_insensitive() {
    check_users(&[
        ("displayName eq 'Adele Vance'", false, &["u1"]),
        ("displayName eq 'adele vance'", false, &["u1"]),
        ("userPrincipalName eq 'ALEXW@CONTOSO.COM'", false, &["u2"]),
        ("displayName eq 'Adele'", false, &[]),
    ]);
}

#[test]
fn eq_on_non_ascii_is_case_insensitive() {
    check_users(&[
        ("displayName eq 'élodie ünal'", false, &["u4"]),
        ("startsWith(displayName,'ÉLO')", false, &["u4"]),
        ("surname eq 'ÜNAL'", false, &["u4"]),
    ]);
}

#[test]
fn ne_and_not_with_aq() {
    check_users(&[
        ("userType ne 'Member'", true, &["u3", "u4"]),
        ("not(userType eq 'Member')", true, &["u3", "u4"]),
        ("accountEnabled ne true", true, &["u2"]),
    ]);
}

#[test]
fn starts_with_and_ends_with() {
    check_users(&[
        ("startswith(displayName,'a')", false, &["u1", "u2"]),
        ("startsWith(displayName,'Al')", false, &["u2"]),
        ("STARTSWITH(givenName,'b')", false, &["u3"]),
        ("endswith(mail,'@contoso.com')", true, &["u1", "u2"]),
        (
            "endsWith(userPrincipalName,'#EXT#@contoso.onmicrosoft.com')",
            true,
            &["u3"],
        ),
    ]);
}

#[test]
fn in_operator_matches_any_listed_value() {
    check_users(&[
        ("id in ('u1','u3')", false, &["u1", "u3"]),
        ("department in ('retail', 'R&D')", false, &["u1", "u4"]),
        ("userType in ('Guest')", false, &["u3"]),
    ]);
}

#[test]
fn range_operators_on_strings() {
    check_users(&[
        ("displayName ge 'B'", false, &["u3", "u4"]),
        ("displayName le 'Alex Wilber'", false, &["u1", "u2"]),
        ("displayName gt 'Alex Wilber'", false, &["u3", "u4"]),
        ("displayName lt 'Alex Wilber'", false, &["u1"]),
    ]);
}

#[test]
fn datetime_literals_compare_as_instants() {
    check_users(&[
        (
            "createdDateTime ge 2024-01-01T00:00:00Z",
            false,
            &["u3", "u4"],
        ),
        ("createdDateTime lt 2023-01-01T00:00:00Z", false, &["u2"]),
        // The stored fraction (.5 s) sorts after the whole second.
        ("createdDateTime gt 2024-02-01T00:00:00Z", false, &["u3"]),
        ("createdDateTime eq 2024-02-01T00:00:00Z", false, &["u4"]),
        (
            "createdDateTime le 2022-01-15T09:00:00+01:00",
            false,
            &["u2"],
        ),
        ("createdDateTime ge 2024-02-01", false, &["u3", "u4"]),
    ]);
}

#[test]
fn boolean_literals() {
    check_users(&[
        ("accountEnabled eq true", false, &["u1", "u3", "u4"]),
        ("accountEnabled eq false", false, &["u2"]),
        ("accountEnabled eq TRUE", false, &["u1", "u3", "u4"]),
    ]);
}

#[test]
fn string_literal_quote_escape() {
    let mut objs = users();
    objs[0].0.push(("city", s("O'Fallon")));
    let p = plan_ok(EntitySet::Users, &filter("city eq 'O''Fallon'"));
    assert_eq!(ids(&p, &objs), ["u1"]);
}

#[test]
fn eq_null_and_ne_null_with_aq() {
    check_users(&[
        ("department eq null", true, &["u3"]),
        ("givenName eq null", true, &["u4"]),
        ("jobTitle ne null", true, &["u1", "u2", "u4"]),
        ("userType eq null", true, &["u4"]),
    ]);
}

#[test]
fn missing_property_reads_as_null() {
    // u3/u4 have no companyName property at all.
    check_users(&[("companyName eq null", true, &["u2", "u3", "u4"])]);
}

#[test]
fn and_binds_tighter_than_or() {
    check_users(&[
        (
            "userType eq 'Guest' or department eq 'Retail' and accountEnabled eq false",
            false,
            &["u3"],
        ),
        (
            "(userType eq 'Guest' or department eq 'Retail') and accountEnabled eq true",
            false,
            &["u1", "u3"],
        ),
        (
            "department eq 'Retail' or department eq 'Marketing' or userType eq 'Guest'",
            false,
            &["u1", "u2", "u3"],
        ),
    ]);
}

#[test]
fn not_binds_tighter_than_and() {
    check_users(&[
        (
            "not department eq 'Retail' and accountEnabled eq true",
            true,
            &["u3", "u4"],
        ),
        (
            "NOT (department eq 'Retail' and accountEnabled eq true)",
            true,
            &["u2", "u3", "u4"],
        ),
        ("not not startswith(displayName,'A')", true, &["u1", "u2"]),
    ]);
}

#[test]
fn operator_words_are_case_insensitive() {
    check_users(&[
        (
            "displayName EQ 'Adele Vance' OR displayName Eq 'Bob Guest'",
            false,
            &["u1", "u3"],
        ),
        (
            "accountEnabled eq true AND userType eq 'Member'",
            false,
            &["u1"],
        ),
    ]);
}

#[test]
fn plus_signs_act_as_spaces_outside_literals() {
    check_users(&[("displayName+eq+'Adele Vance'", false, &["u1"])]);
}

#[test]
fn any_on_string_collections() {
    check_users(&[
        (
            "proxyAddresses/any(p:p eq 'smtp:adelev@contoso.com')",
            false,
            &["u1"],
        ),
        (
            "proxyAddresses/any(p:startswith(p,'SMTP:Alex'))",
            false,
            &["u2"],
        ),
        (
            "otherMails/any(x:x eq 'bob.personal@outlook.com')",
            false,
            &["u3"],
        ),
        (
            "businessPhones/any(b:b eq '+1 425 555 0109')",
            false,
            &["u1"],
        ),
        (
            "proxyAddresses/any(p:endsWith(p,'OnMicrosoft.com'))",
            true,
            &["u1"],
        ),
        (
            "otherMails/any(x:x in ('alex@outlook.com','nobody@x.com'))",
            false,
            &["u2"],
        ),
    ]);
}

#[test]
fn any_on_complex_collections() {
    check_users(&[
        (
            "assignedLicenses/any(x:x/skuId eq cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46)",
            false,
            &["u1"],
        ),
        (
            "assignedLicenses/any(x:x/skuId eq CBDC14AB-D96C-4C30-B9F4-6ADA7CDC1D46)",
            false,
            &["u1"],
        ),
        (
            "identities/any(c:c/issuerAssignedId eq 'j' and c/issuer eq 'contoso')",
            false,
            &["u1"],
        ),
        (
            "identities/any(c:c/issuerAssignedId eq 'j' and c/issuer eq 'fabrikam')",
            false,
            &[],
        ),
    ]);
}

#[test]
fn guid_literal_starting_with_a_digit() {
    let mut objs = users();
    objs[1].0.retain(|(k, _)| *k != "assignedLicenses");
    objs[1].0.push((
        "assignedLicenses",
        Tv::List(vec![obj(&[(
            "skuId",
            guid("05e9a617-0261-4cee-bb44-138d3ef5d965"),
        )])]),
    ));
    let p = plan_ok(
        EntitySet::Users,
        &filter("assignedLicenses/any(x:x/skuId eq 05e9a617-0261-4cee-bb44-138d3ef5d965)"),
    );
    assert_eq!(ids(&p, &objs), ["u2"]);
}

#[test]
fn negated_lambda_with_aq() {
    check_users(&[(
        "NOT(proxyAddresses/any(p:startsWith(p,'SMTP:')))",
        true,
        &["u3", "u4"],
    )]);
}

#[test]
fn nested_complex_paths() {
    check_users(&[
        (
            "signInActivity/lastSignInDateTime ge 2024-01-01T00:00:00Z",
            false,
            &["u1"],
        ),
        (
            "signInActivity/lastSignInDateTime le 2024-01-01T00:00:00Z",
            false,
            &["u2"],
        ),
        (
            "onPremisesExtensionAttributes/extensionAttribute1 eq 'X'",
            false,
            &["u1"],
        ),
        (
            "onPremisesExtensionAttributes/extensionAttribute1 eq null",
            true,
            &["u2", "u3", "u4"],
        ),
    ]);
}

#[test]
fn collection_count_filters_with_aq() {
    check_users(&[
        ("assignedLicenses/$count eq 0", true, &["u2", "u3", "u4"]),
        ("assignedLicenses/$count ge 1", true, &["u1"]),
        ("proxyAddresses/$count gt 1", true, &["u1"]),
        ("otherMails/$count ne 0", true, &["u2", "u3"]),
    ]);
}

#[test]
fn aq_only_property_matches_with_aq() {
    check_users(&[("companyName eq 'contoso'", true, &["u1"])]);
}

#[test]
fn group_kind_filters_from_the_reference_work_verbatim() {
    let cases: &[(&str, bool, &[&str])] = &[
        ("groupTypes/any(c:c eq 'Unified')", false, &["g1", "g6"]),
        ("groupTypes/any(c:c+eq+'Unified')", false, &["g1", "g6"]),
        (
            "mailEnabled eq false and securityEnabled eq true",
            false,
            &["g2", "g5"],
        ),
        (
            "mailEnabled eq true and securityEnabled eq true and NOT groupTypes/any(c:c eq 'Unified')",
            true,
            &["g3"],
        ),
        (
            "mailEnabled eq true and securityEnabled eq false and NOT groupTypes/any(c:c eq 'Unified')",
            true,
            &["g4"],
        ),
        (
            "NOT groupTypes/any(c:c eq 'Unified')",
            true,
            &["g2", "g3", "g4", "g5"],
        ),
        (
            "groupTypes/any(c:c eq 'DynamicMembership')",
            false,
            &["g5", "g6"],
        ),
        ("onPremisesSyncEnabled eq true", false, &["g2"]),
        ("isAssignableToRole eq true", false, &[]),
    ];
    for (f, aq, want) in cases {
        assert_eq!(groups_where(f, *aq), *want, "filter {f:?}");
    }
}

#[test]
fn members_filter_across_types_with_aq() {
    let mut objs: Vec<Obj> = users();
    objs.extend(groups());
    let p = plan_ok(
        EntitySet::Members,
        &with_aq(filter("startswith(displayName,'S')")),
    );
    assert_eq!(ids(&p, &objs), ["g1", "g2"]);
}

#[test]
fn cast_restricts_property_resolution_to_that_type() {
    let raw = with_aq(filter("startswith(userPrincipalName,'adele')"));
    let p = plan(EntitySet::Members, &raw, Some("microsoft.graph.user")).unwrap();
    assert_eq!(ids(&p, &users()), ["u1"]);
    let err = plan(EntitySet::Members, &raw, Some("microsoft.graph.group")).unwrap_err();
    assert_eq!(
        err.message,
        "Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'."
    );
}

#[test]
fn property_names_are_case_insensitive() {
    check_users(&[
        ("DISPLAYNAME eq 'Bob Guest'", false, &["u3"]),
        ("startswith(UserPrincipalName,'elo')", false, &["u4"]),
    ]);
}

#[test]
fn filter_and_search_combine_as_and() {
    let raw = RawQuery {
        filter: Some("accountEnabled eq true".into()),
        search: Some("\"displayName:a\"".into()),
        eventual: true,
        count: Some("true".into()),
        ..RawQuery::default()
    };
    assert_eq!(ids(&plan_ok(EntitySet::Users, &raw), &users()), ["u1"]);
}

#[test]
fn no_filter_matches_everything() {
    assert_eq!(
        ids(&plan_ok(EntitySet::Users, &RawQuery::default()), &users()).len(),
        4
    );
}

#[test]
fn lambda_over_missing_collection_is_false() {
    let o = Obj(vec![("id", s("x"))]);
    let p = plan_ok(EntitySet::Users, &filter("proxyAddresses/any(p:p eq 'a')"));
    assert!(!p.matches(&o));
}

#[test]
fn int_properties_compare_numerically() {
    let mut objs = users();
    objs[0].0.push(("deviceEnrollmentLimit", Tv::Int(5)));
    // deviceEnrollmentLimit is in the CSDL but not filterable on users.
    let e = plan_err(EntitySet::Users, &filter("deviceEnrollmentLimit eq 5"));
    assert_eq!(e.code, "Request_UnsupportedQuery");
    let dev = Obj(vec![
        ("id", s("d1")),
        (
            "alternativeSecurityIds",
            Tv::List(vec![obj(&[("type", Tv::Int(2))])]),
        ),
    ]);
    let p = plan_ok(
        EntitySet::Devices,
        &filter("alternativeSecurityIds/any(a:a/type eq 2)"),
    );
    assert!(p.matches(&dev));
    let p = plan_ok(
        EntitySet::Devices,
        &filter("alternativeSecurityIds/any(a:a/type eq 3)"),
    );
    assert!(!p.matches(&dev));
}

#[test]
fn documented_negated_lambda_example() {
    let mut objs = users();
    objs[1]
        .0
        .push(("imAddresses", strs(&["admin@contoso.com"])));
    let p = plan_ok(
        EntitySet::Users,
        &with_aq(filter("NOT(imAddresses/any(s:s eq 'admin@contoso.com'))")),
    );
    assert_eq!(ids(&p, &objs), ["u1", "u3", "u4"]);
}

#[test]
fn directory_objects_filter_needs_no_aq_for_eq() {
    let mut objs = users();
    objs.extend(groups());
    let p = plan_ok(EntitySet::DirectoryObjects, &filter("id in ('u2','g3')"));
    assert_eq!(ids(&p, &objs), ["u2", "g3"]);
}

#[test]
fn device_filters() {
    let devs = [
        Obj(vec![
            ("id", s("d1")),
            ("operatingSystem", s("Windows")),
            ("accountEnabled", Tv::Bool(true)),
        ]),
        Obj(vec![
            ("id", s("d2")),
            ("operatingSystem", s("iOS")),
            ("accountEnabled", Tv::Bool(false)),
        ]),
    ];
    let p = plan_ok(
        EntitySet::Devices,
        &filter("startswith(operatingSystem,'win') and accountEnabled eq true"),
    );
    assert_eq!(ids(&p, &devs), ["d1"]);
}

/// Alternates the case of every other character, to exercise case-insensitive matching.
fn mixed_case(v: &str) -> String {
    v.chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let up: Vec<char> = if i % 2 == 0 {
                c.to_uppercase().collect()
            } else {
                c.to_lowercase().collect()
            };
            up
        })
        .collect()
}

#[test]
fn every_stored_string_matches_itself_by_eq_and_every_prefix_by_starts_with() {
    let objs = users();
    let props = [
        "displayName",
        "givenName",
        "surname",
        "mail",
        "userPrincipalName",
        "jobTitle",
        "department",
    ];
    for o in &objs {
        let Some(Value::Str(id)) = o.get("id") else {
            continue;
        };
        for prop in props {
            let Some(Value::Str(v)) = o.get(prop) else {
                continue;
            };
            let lit = mixed_case(v).replace('\'', "''");
            let p = plan_ok(EntitySet::Users, &filter(&format!("{prop} eq '{lit}'")));
            assert!(ids(&p, &objs).contains(&id.to_owned()), "{prop} eq '{lit}'");
            for (cut, _) in v.char_indices().skip(1) {
                let prefix = mixed_case(&v[..cut]).replace('\'', "''");
                let p = plan_ok(
                    EntitySet::Users,
                    &filter(&format!("startswith({prop},'{prefix}')")),
                );
                let hits = ids(&p, &objs);
                assert!(
                    hits.contains(&id.to_owned()),
                    "startswith({prop},'{prefix}')"
                );
                // Every hit really starts with the prefix.
                for h in &hits {
                    let other = objs
                        .iter()
                        .find(|x| matches!(x.get("id"), Some(Value::Str(i)) if i == h));
                    let Some(Value::Str(ov)) = other.and_then(|x| x.get(prop)) else {
                        panic!("{h} has no {prop}")
                    };
                    assert!(
                        ov.to_lowercase().starts_with(&v[..cut].to_lowercase()),
                        "{h}: {ov} vs {}",
                        &v[..cut]
                    );
                }
            }
        }
    }
}

#[test]
fn eq_and_ne_partition_the_users_that_have_a_value() {
    for (prop, value) in [
        ("department", "Retail"),
        ("userType", "Member"),
        ("jobTitle", "Engineer"),
    ] {
        let all: Vec<String> = users_where(&format!("{prop} ne null"), true);
        let mut eq = users_where(&format!("{prop} eq '{value}'"), true);
        let ne = users_where(&format!("{prop} ne '{value}'"), true);
        let null = users_where(&format!("{prop} eq null"), true);
        // OData: a null value is "ne" any non-null literal.
        let ne_non_null: Vec<String> = ne.iter().filter(|i| !null.contains(i)).cloned().collect();
        eq.extend(ne_non_null);
        eq.sort();
        assert_eq!(eq, all, "{prop}");
    }
}

/// A group whose `groupTypes` is readable only through the allocation-free `any_item` hook.
struct StreamingGroup(Vec<&'static str>);

impl Entity for StreamingGroup {
    fn get(&self, property: &str) -> Option<Value<'_>> {
        match property {
            "id" => Some(Value::Str("sg")),
            _ => None,
        }
    }

    fn any_item(&self, property: &str, test: &mut dyn FnMut(&Value<'_>) -> bool) -> Option<bool> {
        (property == "groupTypes").then(|| self.0.iter().any(|t| test(&Value::Str(t))))
    }
}

#[test]
fn any_uses_the_entitys_any_item_hook_when_provided() {
    let unified = plan_ok(
        EntitySet::Groups,
        &filter("groupTypes/any(c:c eq 'unified')"),
    );
    let not_unified = plan_ok(
        EntitySet::Groups,
        &with_aq(filter("NOT groupTypes/any(c:c eq 'Unified')")),
    );
    assert!(unified.matches(&StreamingGroup(vec!["DynamicMembership", "Unified"])));
    assert!(!unified.matches(&StreamingGroup(vec!["DynamicMembership"])));
    assert!(not_unified.matches(&StreamingGroup(vec![])));
    assert!(!not_unified.matches(&StreamingGroup(vec!["Unified"])));
}
