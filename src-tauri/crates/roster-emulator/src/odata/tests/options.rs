//! `$select`, `$expand`, `$top`, `$orderby`, filter syntax errors and the CSDL metadata tables.

use std::cmp::Ordering;

use super::*;
use crate::odata::meta::{
    EntityType, default_properties, find_property, is_collection_only_forbidden,
};

fn raw_select(sel: &str) -> RawQuery {
    RawQuery {
        select: Some(sel.to_owned()),
        ..RawQuery::default()
    }
}

fn raw_top(top: &str) -> RawQuery {
    RawQuery {
        top: Some(top.to_owned()),
        ..RawQuery::default()
    }
}

#[test]
fn select_names_come_back_canonical_and_deduplicated() {
    let p = plan_ok(
        EntitySet::Users,
        &raw_select("ID, displayname,USERPRINCIPALNAME,id"),
    );
    assert_eq!(
        p.select.unwrap(),
        ["id", "displayName", "userPrincipalName"]
    );
}

#[test]
fn select_unknown_property_uses_graphs_message() {
    let e = plan_err(EntitySet::Users, &raw_select("id,colour"));
    assert_eq!(
        (e.status, e.code, e.message.as_str()),
        (
            400,
            "Request_BadRequest",
            "Could not find a property named 'colour' on type 'microsoft.graph.user'."
        )
    );
    let e = plan_err(EntitySet::Groups, &raw_select("userPrincipalName"));
    assert_eq!(
        e.message,
        "Could not find a property named 'userPrincipalName' on type 'microsoft.graph.group'."
    );
}

#[test]
fn select_single_only_user_property_on_collection_is_501() {
    for p in [
        "aboutMe",
        "birthday",
        "hireDate",
        "interests",
        "mySite",
        "pastProjects",
        "preferredName",
        "responsibilities",
        "schools",
        "skills",
        "mailboxSettings",
    ] {
        let e = plan_err(EntitySet::Users, &raw_select(&format!("id,{p}")));
        assert_eq!(
            (e.status, e.code, e.message.as_str()),
            (
                501,
                "NotImplemented",
                "This operation target is not yet supported."
            ),
            "{p}"
        );
    }
}

#[test]
fn select_accepts_every_csdl_property() {
    for t in EntityType::ALL {
        for def in crate::odata::property_defs(t) {
            let set = match t {
                EntityType::User if is_collection_only_forbidden(def.name) => continue,
                EntityType::User => EntitySet::Users,
                EntityType::Group => EntitySet::Groups,
                EntityType::Device => EntitySet::Devices,
                _ => EntitySet::DirectoryObjects,
            };
            plan_ok(set, &raw_select(def.name));
        }
    }
}

#[test]
fn select_on_members_accepts_properties_of_every_member_type() {
    let p = plan_ok(
        EntitySet::Members,
        &raw_select("userPrincipalName,groupTypes,deviceId,appId"),
    );
    assert_eq!(p.select.unwrap().len(), 4);
}

#[test]
fn csdl_table_has_types_and_base_properties() {
    assert_eq!(
        find_property(EntityType::User, "signinactivity")
            .unwrap()
            .edm,
        "microsoft.graph.signInActivity"
    );
    assert_eq!(
        find_property(EntityType::User, "businessPhones")
            .unwrap()
            .edm,
        "Collection(Edm.String)"
    );
    assert_eq!(
        find_property(EntityType::Group, "id").unwrap().edm,
        "Edm.String"
    );
    assert_eq!(
        find_property(EntityType::Device, "deletedDateTime")
            .unwrap()
            .edm,
        "Edm.DateTimeOffset"
    );
    assert_eq!(
        find_property(EntityType::OrgContact, "proxyAddresses")
            .unwrap()
            .edm,
        "Collection(Edm.String)"
    );
    assert!(find_property(EntityType::ServicePrincipal, "appId").is_some());
    assert!(find_property(EntityType::Group, "manager").is_none());
}

#[test]
fn default_property_sets() {
    assert_eq!(default_properties(EntityType::User).unwrap().len(), 11);
    assert!(
        default_properties(EntityType::Group)
            .unwrap()
            .contains(&"securityIdentifier")
    );
    assert!(default_properties(EntityType::Device).is_none());
    for t in [EntityType::User, EntityType::Group] {
        for p in default_properties(t).unwrap() {
            assert!(find_property(t, p).is_some(), "{p} not in the CSDL table");
        }
    }
}

#[test]
fn top_bounds() {
    assert_eq!(plan_ok(EntitySet::Users, &raw_top("1")).top, Some(1));
    assert_eq!(plan_ok(EntitySet::Groups, &raw_top("999")).top, Some(999));
    for bad in ["0", "1000", "-1", "abc"] {
        let e = plan_err(EntitySet::Users, &raw_top(bad));
        assert_eq!(
            (e.code, e.message),
            (
                "Request_UnsupportedQuery",
                format!(
                    "Invalid page size specified: '{bad}'. Must be between 1 and 999 inclusive."
                )
            )
        );
    }
    assert_eq!(plan_ok(EntitySet::Users, &RawQuery::default()).top, None);
}

#[test]
fn top_is_limited_to_500_with_sign_in_activity() {
    let mut raw = raw_select("id,signInActivity");
    raw.top = Some("500".into());
    assert_eq!(plan_ok(EntitySet::Users, &raw).top, Some(500));
    raw.top = Some("501".into());
    assert_eq!(
        plan_err(EntitySet::Users, &raw).message,
        "Cannot query data for more than 500 users at a time."
    );
    raw.top = Some("1000".into());
    assert_eq!(
        plan_err(EntitySet::Users, &raw).message,
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
    );
    let mut raw = filter("signInActivity/lastSignInDateTime le 2024-01-01T00:00:00Z");
    raw.top = Some("600".into());
    assert_eq!(
        plan_err(EntitySet::Users, &raw).code,
        "Request_UnsupportedQuery"
    );
}

#[test]
fn expand_manager_members_owners() {
    let p = plan_ok(
        EntitySet::Users,
        &RawQuery {
            expand: Some("Manager".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(
        p.expand.unwrap(),
        crate::odata::Expand {
            property: "manager".into(),
            select: None
        }
    );
    let raw = RawQuery {
        select: Some("id,displayName".into()),
        expand: Some("members($select=id,userPrincipalName,displayName)".into()),
        ..RawQuery::default()
    };
    let x = plan_ok(EntitySet::Groups, &raw).expand.unwrap();
    assert_eq!(
        (x.property.as_str(), x.select.unwrap()),
        (
            "members",
            vec![
                "id".to_owned(),
                "userPrincipalName".into(),
                "displayName".into()
            ]
        )
    );
    let p = plan_ok(
        EntitySet::Groups,
        &RawQuery {
            expand: Some("owners".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(p.expand.unwrap().property, "owners");
}

#[test]
fn expand_rejects_unknown_or_several_navigation_properties() {
    let e = plan_err(
        EntitySet::Users,
        &RawQuery {
            expand: Some("members".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(
        e.message,
        "Could not find a property named 'members' on type 'microsoft.graph.user'."
    );
    let e = plan_err(
        EntitySet::Groups,
        &RawQuery {
            expand: Some("members,owners".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "Request_BadRequest",
            "The result of parsing $expand contained at least 2 items, but the maximum allowed is 1."
        )
    );
    let e = plan_err(
        EntitySet::Groups,
        &RawQuery {
            expand: Some("members($top=5)".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(e.code, "Request_BadRequest");
    let e = plan_err(
        EntitySet::Groups,
        &RawQuery {
            expand: Some("members($select=colour)".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(
        e.message,
        "Could not find a property named 'colour' on type 'microsoft.graph.directoryObject'."
    );
}

#[test]
fn orderby_default_properties_without_aq() {
    let users = users();
    let raw = RawQuery {
        orderby: Some("displayName".into()),
        ..RawQuery::default()
    };
    let p = plan_ok(EntitySet::Users, &raw);
    assert!(p.has_order());
    let mut v: Vec<&Obj> = users.iter().collect();
    v.sort_by(|a, b| p.compare(*a, *b));
    let names: Vec<_> = v
        .iter()
        .map(|o| o.0[1].1.clone())
        .map(|t| format!("{t:?}"))
        .collect();
    assert_eq!(
        names,
        [
            "Str(\"Adele Vance\")",
            "Str(\"Alex Wilber\")",
            "Str(\"Bob Guest\")",
            "Str(\"Élodie Ünal\")"
        ]
    );
}

fn sorted_ids(set: EntitySet, raw: &RawQuery, objs: &[Obj]) -> Vec<String> {
    let p = plan_ok(set, raw);
    let mut v: Vec<&Obj> = objs.iter().collect();
    v.sort_by(|a, b| p.compare(*a, *b));
    v.iter()
        .map(|o| match o.get("id") {
            Some(Value::Str(s)) => s.to_owned(),
            _ => String::new(),
        })
        .collect()
}

#[test]
fn orderby_desc_and_several_keys_with_aq() {
    let raw = with_aq(RawQuery {
        orderby: Some("createdDateTime desc".into()),
        ..RawQuery::default()
    });
    assert_eq!(
        sorted_ids(EntitySet::Users, &raw, &users()),
        ["u3", "u4", "u1", "u2"]
    );
    let raw = with_aq(RawQuery {
        orderby: Some("userType desc, displayName asc".into()),
        ..RawQuery::default()
    });
    assert_eq!(
        sorted_ids(EntitySet::Users, &raw, &users()),
        ["u1", "u2", "u3", "u4"]
    );
}

#[test]
fn orderby_puts_nulls_first_ascending_and_last_descending() {
    let raw = with_aq(RawQuery {
        orderby: Some("department".into()),
        ..RawQuery::default()
    });
    assert_eq!(
        sorted_ids(EntitySet::Users, &raw, &users()),
        ["u3", "u2", "u4", "u1"]
    );
    let raw = with_aq(RawQuery {
        orderby: Some("department DESC".into()),
        ..RawQuery::default()
    });
    assert_eq!(
        sorted_ids(EntitySet::Users, &raw, &users()),
        ["u1", "u4", "u2", "u3"]
    );
}

#[test]
fn orderby_errors() {
    let e = plan_err(
        EntitySet::Users,
        &with_aq(RawQuery {
            orderby: Some("colour".into()),
            ..RawQuery::default()
        }),
    );
    assert_eq!(
        e.message,
        "Could not find a property named 'colour' on type 'microsoft.graph.user'."
    );
    let e = plan_err(
        EntitySet::Users,
        &with_aq(RawQuery {
            orderby: Some("proxyAddresses".into()),
            ..RawQuery::default()
        }),
    );
    assert_eq!(e.code, "Request_BadRequest");
    let e = plan_err(
        EntitySet::Users,
        &RawQuery {
            orderby: Some("displayName sideways".into()),
            ..RawQuery::default()
        },
    );
    assert_eq!(e.code, "Request_BadRequest");
}

#[test]
fn no_orderby_compares_equal() {
    let p = plan_ok(EntitySet::Users, &RawQuery::default());
    let u = users();
    assert!(!p.has_order());
    assert_eq!(p.compare(&u[0], &u[1]), Ordering::Equal);
}

#[test]
fn filter_syntax_errors_are_bad_requests_that_name_the_problem() {
    let cases = [
        (
            "displayName eq",
            "the expression ends where a literal was expected",
        ),
        ("displayName eq 'open", "unterminated string literal"),
        ("displayName xx 'a'", "unknown operator 'xx'"),
        ("contains(displayName,'a')", "unknown function 'contains'"),
        ("(displayName eq 'a'", "expected ')'"),
        ("displayName eq 'a' 'b'", "unexpected literal"),
        ("displayName eq 'a' and", "expected"),
        ("", "empty"),
        ("displayName eq #", "unexpected character '#'"),
    ];
    for (f, needle) in cases {
        let raw = RawQuery {
            filter: Some(f.to_owned()),
            ..RawQuery::default()
        };
        match crate::odata::plan(EntitySet::Users, &raw, None) {
            Err(e) if f.is_empty() => assert!(
                e.message.contains(needle) || e.code == "Request_BadRequest",
                "{e:?}"
            ),
            Err(e) => {
                assert_eq!(e.code, "Request_BadRequest", "{f:?}");
                assert!(
                    e.message.starts_with("Invalid filter clause"),
                    "{f:?}: {}",
                    e.message
                );
                assert!(e.message.contains(needle), "{f:?}: {}", e.message);
            }
            Ok(_) => assert!(f.is_empty(), "{f:?} parsed"),
        }
    }
}

#[test]
fn literal_type_mismatches_are_reported_like_odata() {
    let e = plan_err(EntitySet::Users, &filter("accountEnabled eq 'true'"));
    assert_eq!(
        e.message,
        "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.String' for operator kind 'Equal'."
    );
    let e = plan_err(EntitySet::Users, &filter("id eq 5"));
    assert_eq!(
        e.message,
        "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'."
    );
    let e = plan_err(EntitySet::Users, &filter("createdDateTime ge 'yesterday'"));
    assert_eq!(e.code, "Request_BadRequest");
}

#[test]
fn unknown_filter_property() {
    let e = plan_err(EntitySet::Users, &filter("colour eq 'red'"));
    assert_eq!(
        e.message,
        "Could not find a property named 'colour' on type 'microsoft.graph.user'."
    );
    let e = plan_err(
        EntitySet::Users,
        &filter("signInActivity/lastSignIn ge 2024-01-01T00:00:00Z"),
    );
    assert_eq!(
        e.message,
        "Could not find a property named 'lastSignIn' on type 'microsoft.graph.signInActivity'."
    );
}

#[test]
fn blank_options_are_ignored() {
    let raw = RawQuery {
        filter: Some("  ".into()),
        select: Some(String::new()),
        ..RawQuery::default()
    };
    let p = plan_ok(EntitySet::Users, &raw);
    assert!(p.select.is_none());
}

#[test]
fn sort_key_orders_exactly_like_compare() {
    let objs = users();
    for ob in [
        "displayName",
        "department desc",
        "createdDateTime",
        "userType desc, displayName",
        "accountEnabled, id desc",
        "surname",
    ] {
        let p = plan_ok(
            EntitySet::Users,
            &with_aq(RawQuery {
                orderby: Some(ob.into()),
                ..RawQuery::default()
            }),
        );
        for a in &objs {
            for b in &objs {
                assert_eq!(
                    p.sort_key(a).cmp(&p.sort_key(b)),
                    p.compare(a, b),
                    "{ob}: {:?} vs {:?}",
                    a.get("id"),
                    b.get("id")
                );
            }
        }
    }
}

#[test]
fn validate_select_for_single_objects_allows_single_only_properties() {
    use crate::odata::validate_select;
    assert_eq!(
        validate_select(EntityType::User, "ABOUTME,id", false).unwrap(),
        ["aboutMe", "id"]
    );
    assert_eq!(
        validate_select(EntityType::User, "aboutMe", true)
            .unwrap_err()
            .status,
        501
    );
    assert_eq!(
        validate_select(EntityType::Group, "allowExternalSenders", false).unwrap(),
        ["allowExternalSenders"]
    );
    let e = validate_select(EntityType::Device, "colour", false).unwrap_err();
    assert_eq!(
        e.message,
        "Could not find a property named 'colour' on type 'microsoft.graph.device'."
    );
}

#[test]
fn expand_manager_with_nested_select() {
    let raw = RawQuery {
        expand: Some("manager($select=id,DisplayName)".into()),
        ..RawQuery::default()
    };
    let x = plan_ok(EntitySet::Users, &raw).expand.unwrap();
    assert_eq!(x.select.unwrap(), ["id", "displayName"]);
}
