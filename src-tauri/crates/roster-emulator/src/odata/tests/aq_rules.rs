//! The advanced-query gate and Graph's exact error codes and messages (graph-api.md §1.3, §3.4).

use super::*;
use crate::odata::plan;

fn aq_msg(op: &str) -> String {
    format!(
        "Operator '{op}' is not supported because the required parameters might be missing. Try adding $count=true \
         query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries \
         for more information"
    )
}

fn unsupported_prop(prop: &str, resource: &str) -> String {
    format!(
        "Unsupported or invalid query filter clause specified for property '{prop}' of resource '{resource}'."
    )
}

fn assert_unsupported(set: EntitySet, raw: &RawQuery, message: &str) {
    let e = plan_err(set, raw);
    assert_eq!(
        (e.status, e.code, e.message.as_str()),
        (400, "Request_UnsupportedQuery", message),
        "{raw:?}"
    );
}

#[test]
fn ends_with_without_aq_is_rejected_with_graphs_message() {
    let raw = filter("endsWith(userPrincipalName,'#EXT#@contoso.com')");
    assert_unsupported(EntitySet::Users, &raw, &aq_msg("endsWith"));
}

#[test]
fn ne_without_aq() {
    assert_unsupported(
        EntitySet::Users,
        &filter("userType ne 'Member'"),
        &aq_msg("ne"),
    );
}

#[test]
fn not_without_aq() {
    assert_unsupported(
        EntitySet::Groups,
        &filter("NOT groupTypes/any(c:c eq 'Unified')"),
        &aq_msg("not"),
    );
}

#[test]
fn eq_null_and_ne_null_without_aq() {
    assert_unsupported(
        EntitySet::Users,
        &filter("department eq null"),
        &aq_msg("eq"),
    );
    assert_unsupported(
        EntitySet::Users,
        &filter("department ne null"),
        &aq_msg("ne"),
    );
}

#[test]
fn header_alone_is_not_aq() {
    let mut raw = filter("userType ne 'Member'");
    raw.eventual = true;
    assert_unsupported(EntitySet::Users, &raw, &aq_msg("ne"));
}

#[test]
fn count_true_alone_is_not_aq() {
    let mut raw = filter("userType ne 'Member'");
    raw.count = Some("true".into());
    assert_unsupported(EntitySet::Users, &raw, &aq_msg("ne"));
}

#[test]
fn aq_only_properties_need_aq_even_for_eq() {
    for p in [
        "companyName",
        "mobilePhone",
        "officeLocation",
        "postalCode",
        "employeeType",
        "onPremisesSamAccountName",
    ] {
        assert_unsupported(
            EntitySet::Users,
            &filter(&format!("{p} eq 'x'")),
            &unsupported_prop(p, "User"),
        );
        plan_ok(EntitySet::Users, &with_aq(filter(&format!("{p} eq 'x'"))));
    }
}

#[test]
fn count_segment_in_filter_needs_aq() {
    assert_unsupported(
        EntitySet::Users,
        &filter("assignedLicenses/$count eq 0"),
        &unsupported_prop("assignedLicenses", "User"),
    );
}

#[test]
fn operator_a_property_does_not_support_fails_even_with_aq() {
    let cases = [
        ("startswith(id,'u')", "id"),
        ("endswith(displayName,'x')", "displayName"),
        ("accountEnabled ge true", "accountEnabled"),
        ("id eq null", "id"),
        ("proxyAddresses eq 'x'", "proxyAddresses"),
        ("businessPhones/any(b:startswith(b,'+1'))", "businessPhones"),
        ("otherMails/all(x:x eq 'a')", "otherMails"),
        ("aboutMe eq 'x'", "aboutMe"),
        ("signInActivity eq 'x'", "signInActivity"),
    ];
    for (f, prop) in cases {
        assert_unsupported(
            EntitySet::Users,
            &with_aq(filter(f)),
            &unsupported_prop(prop, "User"),
        );
    }
}

#[test]
fn group_property_errors_name_the_group_resource() {
    assert_unsupported(
        EntitySet::Groups,
        &with_aq(filter("startswith(mailEnabled,'t')")),
        &unsupported_prop("mailEnabled", "Group"),
    );
    assert_unsupported(
        EntitySet::Groups,
        &with_aq(filter("hasMembersWithLicenseErrors ne true")),
        &unsupported_prop("hasMembersWithLicenseErrors", "Group"),
    );
}

#[test]
fn has_members_with_license_errors_works_only_without_aq() {
    plan_ok(
        EntitySet::Groups,
        &filter("hasMembersWithLicenseErrors eq true"),
    );
    assert_unsupported(
        EntitySet::Groups,
        &with_aq(filter("hasMembersWithLicenseErrors eq true")),
        &unsupported_prop("hasMembersWithLicenseErrors", "Group"),
    );
}

#[test]
fn sign_in_activity_cannot_be_combined_with_other_properties() {
    let raw = filter(
        "signInActivity/lastSignInDateTime ge 2024-01-01T00:00:00Z and accountEnabled eq true",
    );
    assert_unsupported(
        EntitySet::Users,
        &with_aq(raw),
        &unsupported_prop("signInActivity", "User"),
    );
}

#[test]
fn search_without_header_is_rejected() {
    let raw = RawQuery {
        search: Some("\"displayName:wa\"".into()),
        ..RawQuery::default()
    };
    assert_unsupported(
        EntitySet::Users,
        &raw,
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
}

#[test]
fn search_with_header_needs_no_count() {
    let raw = RawQuery {
        search: Some("\"displayName:wa\"".into()),
        eventual: true,
        ..RawQuery::default()
    };
    let p = plan_ok(EntitySet::Users, &raw);
    assert!(p.is_advanced());
    assert!(!p.count);
}

#[test]
fn count_without_header_is_silently_ignored() {
    let raw = RawQuery {
        count: Some("true".into()),
        ..RawQuery::default()
    };
    let p = plan_ok(EntitySet::Users, &raw);
    assert!(!p.count);
    assert!(!p.is_advanced());
}

#[test]
fn count_with_header_is_reported() {
    let p = plan_ok(EntitySet::Users, &with_aq(RawQuery::default()));
    assert!(p.count);
    assert!(p.is_advanced());
}

#[test]
fn invalid_count_value_is_a_bad_request() {
    let raw = RawQuery {
        count: Some("yes".into()),
        ..RawQuery::default()
    };
    assert_eq!(plan_err(EntitySet::Users, &raw).code, "Request_BadRequest");
}

#[test]
fn count_segment_needs_the_header() {
    let e = crate::odata::check_count_segment(&RawQuery::default()).unwrap_err();
    assert_eq!(
        (e.status, e.code, e.message.as_str()),
        (
            400,
            "Request_BadRequest",
            "$count is not currently supported."
        )
    );
    let ok = RawQuery {
        eventual: true,
        ..RawQuery::default()
    };
    assert!(crate::odata::check_count_segment(&ok).is_ok());
}

#[test]
fn members_filters_all_need_aq() {
    for set in [
        EntitySet::Members,
        EntitySet::TransitiveMembers,
        EntitySet::OwnedObjects,
    ] {
        assert_unsupported(
            set,
            &filter("startswith(displayName,'a')"),
            &aq_msg("startsWith"),
        );
        assert_unsupported(set, &filter("displayName eq 'a'"), &aq_msg("eq"));
        plan_ok(set, &with_aq(filter("displayName eq 'a'")));
    }
}

#[test]
fn members_search_and_orderby_need_aq() {
    let mut raw = RawQuery {
        search: Some("\"displayName:pr\"".into()),
        eventual: true,
        ..RawQuery::default()
    };
    assert_unsupported(EntitySet::Members, &raw, &aq_msg("$search"));
    raw.search = None;
    raw.orderby = Some("displayName".into());
    assert_unsupported(
        EntitySet::Members,
        &raw,
        "Sorting not supported for current query.",
    );
    plan_ok(EntitySet::Members, &with_aq(raw));
}

#[test]
fn members_cast_needs_aq() {
    let e = plan(
        EntitySet::Members,
        &RawQuery::default(),
        Some("microsoft.graph.user"),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message),
        ("Request_UnsupportedQuery", aq_msg("cast"))
    );
    assert!(
        plan(
            EntitySet::TransitiveMembers,
            &with_aq(RawQuery::default()),
            Some("microsoft.graph.user")
        )
        .is_ok()
    );
}

#[test]
fn unknown_cast_is_a_bad_request() {
    let e = plan(
        EntitySet::Members,
        &with_aq(RawQuery::default()),
        Some("microsoft.graph.banana"),
    )
    .unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (
            "Request_BadRequest",
            "Resource not found for the segment 'microsoft.graph.banana'."
        )
    );
    assert!(
        plan(
            EntitySet::Users,
            &RawQuery::default(),
            Some("microsoft.graph.user")
        )
        .is_err()
    );
}

#[test]
fn members_without_any_option_need_no_aq() {
    let raw = RawQuery {
        top: Some("10".into()),
        select: Some("id,displayName".into()),
        ..RawQuery::default()
    };
    let p = plan_ok(EntitySet::Members, &raw);
    assert_eq!(p.top, Some(10));
}

#[test]
fn filter_plus_orderby_needs_aq() {
    let raw = RawQuery {
        filter: Some("startswith(displayName,'a')".into()),
        orderby: Some("displayName".into()),
        ..RawQuery::default()
    };
    assert_unsupported(
        EntitySet::Users,
        &raw,
        "Sorting not supported for current query.",
    );
    plan_ok(EntitySet::Users, &with_aq(raw));
}

#[test]
fn orderby_on_non_default_property_needs_aq() {
    let raw = RawQuery {
        orderby: Some("createdDateTime desc".into()),
        ..RawQuery::default()
    };
    assert_unsupported(
        EntitySet::Users,
        &raw,
        "Sorting not supported for current query.",
    );
    plan_ok(EntitySet::Users, &with_aq(raw));
    let raw = RawQuery {
        orderby: Some("userPrincipalName".into()),
        ..RawQuery::default()
    };
    assert_unsupported(
        EntitySet::Groups,
        &RawQuery {
            orderby: Some("mail".into()),
            ..RawQuery::default()
        },
        "Sorting not supported for current query.",
    );
    plan_ok(EntitySet::Users, &raw);
}

#[test]
fn expand_is_rejected_with_aq() {
    let raw = with_aq(RawQuery {
        expand: Some("manager".into()),
        ..RawQuery::default()
    });
    let e = plan_err(EntitySet::Users, &raw);
    assert_eq!((e.status, e.code), (400, "Request_UnsupportedQuery"));
    let raw = RawQuery {
        expand: Some("members".into()),
        search: Some("\"displayName:a\"".into()),
        eventual: true,
        ..RawQuery::default()
    };
    assert_unsupported(
        EntitySet::Groups,
        &raw,
        "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
}

#[test]
fn unsupported_error_wins_over_missing_aq() {
    // endsWith on displayName is unsupported even with AQ, so that is the error, not the AQ hint.
    assert_unsupported(
        EntitySet::Users,
        &filter("endswith(displayName,'x')"),
        &unsupported_prop("displayName", "User"),
    );
}

#[test]
fn in_is_supported_wherever_eq_is_without_aq() {
    plan_ok(EntitySet::Groups, &filter("securityEnabled in (true)"));
    plan_ok(
        EntitySet::Users,
        &filter("userPrincipalName in ('a@b.c','d@e.f')"),
    );
}
