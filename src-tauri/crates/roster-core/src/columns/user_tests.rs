use super::*;
use crate::columns::{AuthMethods, RowContext, plan_select, render_row};
use serde_json::json;

const PORTAL_HEADER: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,physicalDeliveryOfficeName,city,postalCode,telephoneNumber,mobile,authenticationPhoneNumber,authenticationAlternativePhoneNumber,authenticationEmail,alternateEmailAddress,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";

fn sample_user() -> serde_json::Value {
    json!({
        "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
        "userPrincipalName": "AdeleV@contoso.com",
        "displayName": "Adele Vance",
        "surname": "Vance",
        "mail": "AdeleV@contoso.com",
        "givenName": "Adele",
        "userType": "Member",
        "jobTitle": "Retail Manager",
        "department": "Retail",
        "accountEnabled": true,
        "usageLocation": "US",
        "streetAddress": "18 Grattan St",
        "state": "CO",
        "country": "United States",
        "officeLocation": "18/2111",
        "city": "Louisville",
        "postalCode": "80027",
        "businessPhones": ["+1 425 555 0109", "+1 425 555 0110"],
        "mobilePhone": null,
        "otherMails": ["adele@fabrikam.com", "av@example.org"],
        "ageGroup": null,
        "consentProvidedForMinor": null,
        "legalAgeGroupClassification": "Adult"
    })
}

#[test]
fn portal_set_is_the_26_portal_headers_in_order() {
    let headers: Vec<String> = portal_user_columns()
        .iter()
        .map(|c| c.header.to_string())
        .collect();
    assert_eq!(headers.join(","), PORTAL_HEADER);
}

#[test]
fn sample_user_maps_to_the_26_cells() {
    let auth = AuthMethods {
        mobile: Some("+1 2065555555".into()),
        alternate_mobile: None,
        email: Some("Kim@contoso.com".into()),
    };
    let ctx = RowContext {
        auth_methods: Some(&auth),
        ..RowContext::default()
    };
    let row = render_row(&portal_user_columns(), &sample_user(), &ctx);
    let expected = [
        "AdeleV@contoso.com",
        "Adele Vance",
        "Vance",
        "AdeleV@contoso.com",
        "Adele",
        "87d349ed-44d7-43e1-9a83-5f2406dee5bd",
        "Member",
        "Retail Manager",
        "Retail",
        "True",
        "US",
        "18 Grattan St",
        "CO",
        "United States",
        "18/2111",
        "Louisville",
        "80027",
        "+1 425 555 0109",
        "",
        "+1 2065555555",
        "",
        "Kim@contoso.com",
        "adele@fabrikam.com;av@example.org",
        "",
        "",
        "Adult",
    ];
    assert_eq!(row, expected);
}

#[test]
fn auth_columns_are_empty_without_auth_data() {
    let row = render_row(
        &portal_user_columns(),
        &sample_user(),
        &RowContext::default(),
    );
    assert_eq!(&row[19..22], &["", "", ""]);
}

#[test]
fn portal_select_matches_the_reference_select() {
    let plan = plan_select(&portal_user_columns());
    let mut got = plan.select.clone();
    got.sort_unstable();
    let mut want: Vec<&str> = "id,userPrincipalName,displayName,surname,mail,givenName,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,businessPhones,mobilePhone,otherMails,ageGroup,consentProvidedForMinor,legalAgeGroupClassification".split(',').collect();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(plan.select[0], "id");
    assert!(plan.phone_methods && plan.email_methods);
    assert_eq!(
        plan.extra_permissions,
        vec!["UserAuthenticationMethod.Read.All"]
    );
    assert_eq!(plan.max_page_size, 999);
    assert_eq!(plan.expand, None);
}

#[test]
fn auth_cost_counts_two_requests_per_user() {
    let plan = plan_select(&portal_user_columns());
    let cost = auth_method_cost(&plan, 1000).unwrap();
    assert_eq!(cost.requests, 2000);
    assert_eq!(cost.batches, 100);
    assert!(
        cost.note
            .starts_with("1000 users → 1000×2 = 2000 extra requests via $batch")
    );
    assert!(cost.note.contains("UserAuthenticationMethod.Read.All"));
    let no_auth = plan_select(&parse_user_columns("userPrincipalName").unwrap());
    assert_eq!(auth_method_cost(&no_auth, 10), None);
    let phone_only = plan_select(&parse_user_columns("authenticationPhoneNumber").unwrap());
    assert_eq!(auth_method_cost(&phone_only, 10).unwrap().requests, 10);
}

#[test]
fn manager_sign_in_and_extension_columns() {
    let cols = parse_user_columns(
        "userPrincipalName, manager/displayName, MANAGER/userPrincipalName, lastSignInDateTime, extensionAttribute7",
    )
    .unwrap();
    let headers: Vec<&str> = cols.iter().map(|c| c.header.as_ref()).collect();
    assert_eq!(
        headers,
        [
            "userPrincipalName",
            "manager/displayName",
            "manager/userPrincipalName",
            "signInActivity/lastSignInDateTime",
            "extensionAttribute7"
        ]
    );
    let plan = plan_select(&cols);
    assert_eq!(
        plan.select_param(),
        "id,userPrincipalName,signInActivity,onPremisesExtensionAttributes"
    );
    assert_eq!(
        plan.expand.as_deref(),
        Some("manager($select=id,displayName,userPrincipalName)")
    );
    assert_eq!(plan.max_page_size, 500);
    assert_eq!(plan.extra_permissions, vec!["AuditLog.Read.All"]);

    let user = json!({
        "userPrincipalName": "a@contoso.com",
        "manager": {"displayName": "Boss", "userPrincipalName": "boss@contoso.com"},
        "signInActivity": {"lastSignInDateTime": "2026-10-01T08:00:00Z"},
        "onPremisesExtensionAttributes": {"extensionAttribute7": "cost-42"}
    });
    assert_eq!(
        render_row(&cols, &user, &RowContext::default()),
        [
            "a@contoso.com",
            "Boss",
            "boss@contoso.com",
            "2026-10-01T08:00:00Z",
            "cost-42"
        ]
    );
    let no_manager = json!({"userPrincipalName": "b@contoso.com", "signInActivity": null});
    assert_eq!(
        render_row(&cols, &no_manager, &RowContext::default()),
        ["b@contoso.com", "", "", "", ""]
    );
}

#[test]
fn unknown_names_are_listed_with_suggestions() {
    let err = parse_user_columns("displayName,departmnt,frobnicate").unwrap_err();
    let ColumnError::Unknown { unknown, .. } = &err else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(unknown.len(), 2);
    assert_eq!(unknown[0].0, "departmnt");
    assert_eq!(unknown[0].1.first().map(String::as_str), Some("department"));
    assert!(unknown[1].1.is_empty());
    let text = err.to_string();
    assert!(
        text.contains("`departmnt` (did you mean department"),
        "{text}"
    );
    assert!(text.contains("`frobnicate`"), "{text}");
}

#[test]
fn single_object_properties_and_empty_specs_are_refused() {
    assert!(matches!(
        parse_user_columns("displayName,aboutMe"),
        Err(ColumnError::NotListable { .. })
    ));
    assert!(matches!(
        parse_user_columns(" , "),
        Err(ColumnError::Empty { .. })
    ));
}

#[test]
fn all_adds_catalogue_columns_without_duplicates_or_licensed_ones() {
    let all = parse_user_columns("all").unwrap();
    let headers: Vec<&str> = all.iter().map(|c| c.header.as_ref()).collect();
    assert_eq!(headers[..26].join(","), PORTAL_HEADER);
    for wanted in [
        "businessPhones",
        "employeeId",
        "onPremisesSamAccountName",
        "manager/displayName",
        "extensionAttribute15",
        "proxyAddresses",
    ] {
        assert!(headers.contains(&wanted), "{wanted} missing");
    }
    for unwanted in [
        "customSecurityAttributes",
        "id",
        "otherMails",
        "mobilePhone",
        "signInActivity",
        "signInActivity/lastSignInDateTime",
    ] {
        assert!(!headers.contains(&unwanted), "{unwanted} present");
    }
    let mut unique = headers.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), headers.len());
    let plan = plan_select(&all);
    assert!(!plan.select.contains(&"signInActivity"));
    assert!(
        plan.extra_permissions
            .contains(&"UserAuthenticationMethod.Read.All")
    );
    assert_eq!(plan.extra_permissions.len(), 1);
    let csa = plan_select(&parse_user_columns("customSecurityAttributes").unwrap());
    assert_eq!(
        csa.extra_permissions,
        ["CustomSecAttributeAssignment.Read.All"]
    );
}

#[test]
fn presets_mix_with_names_and_duplicates_collapse() {
    let cols = parse_user_columns("portal,employeeId,displayName,Portal").unwrap();
    assert_eq!(cols.len(), 27);
    assert_eq!(cols[26].header, "employeeId");
}

#[test]
fn catalogue_has_every_listable_csdl_property_once() {
    let catalogue = user_catalogue();
    assert_eq!(catalogue.len(), USER_PROPERTIES.len() + 2 + 6 + 1 + 3 + 15);
    for name in LIST_UNSUPPORTED_USER_PROPERTIES {
        assert!(catalogue.iter().all(|c| c.header != *name));
    }
}

#[test]
fn the_default_set_is_the_portal_set_without_the_costly_authentication_columns() {
    let default = parse_user_columns("default").unwrap();
    let portal = portal_user_columns();
    assert!(default.iter().all(|c| !c.needs_auth_methods()));
    let expected: Vec<_> = portal.iter().filter(|c| !c.needs_auth_methods()).collect();
    assert_eq!(default.iter().collect::<Vec<_>>(), expected);
    assert!(portal.iter().any(|c| c.needs_auth_methods()));
    let plan = plan_select(&default);
    assert!(!plan.phone_methods && !plan.email_methods);
}

#[test]
fn a_list_keeps_the_order_it_is_given_in() {
    let cols =
        parse_user_columns("department,userPrincipalName,manager/displayName,lastSignInDateTime")
            .unwrap();
    let headers: Vec<&str> = cols.iter().map(|c| c.header.as_ref()).collect();
    assert_eq!(
        headers,
        [
            "department",
            "userPrincipalName",
            "manager/displayName",
            "signInActivity/lastSignInDateTime"
        ]
    );
    let cols = parse_user_columns("city,portal").unwrap();
    assert_eq!(cols[0].header, "city");
    assert_eq!(cols[1].header, "userPrincipalName");
}

#[test]
fn licence_and_sign_in_columns_read_their_cells_from_skus_and_the_start_time() {
    let cols = parse_user_columns(
        "licenses,licenseNames,licenseDisabledPlans,lastSignInDateTime,lastNonInteractiveSignInDateTime,lastSuccessfulSignInDateTime,daysSinceLastSignIn,employeeOrgData",
    )
    .unwrap();
    let plan = plan_select(&cols);
    assert_eq!(
        plan.select_param(),
        "id,assignedLicenses,signInActivity,employeeOrgData"
    );
    assert!(plan.subscribed_skus);
    assert_eq!(plan.max_page_size, 500);
    assert_eq!(
        plan.extra_permissions,
        ["LicenseAssignment.Read.All", "AuditLog.Read.All"]
    );
    let skus = crate::columns::SkuCatalogue::from_graph(&json!({"value": [
        {"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "skuPartNumber": "SPE_E3",
         "servicePlans": [{"servicePlanId": "a23b959c-7ce8-4e57-9140-b90eb88a9e97", "servicePlanName": "SWAY"}]},
        {"skuId": "efccb6f7-5641-4e0e-bd10-b4976e1bf68e", "skuPartNumber": "EMS", "servicePlans": []}
    ]}));
    let as_of = chrono::DateTime::parse_from_rfc3339("2026-03-01T12:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let ctx = RowContext {
        skus: Some(&skus),
        as_of: Some(as_of),
        ..RowContext::default()
    };
    let user = json!({
        "assignedLicenses": [
            {"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "disabledPlans": ["a23b959c-7ce8-4e57-9140-b90eb88a9e97"]},
            {"skuId": "efccb6f7-5641-4e0e-bd10-b4976e1bf68e", "disabledPlans": []}
        ],
        "signInActivity": {
            "lastSignInDateTime": "2026-02-01T08:00:00Z",
            "lastNonInteractiveSignInDateTime": "2026-02-19T13:00:00Z",
            "lastSuccessfulSignInDateTime": "2026-02-01T08:00:00Z"
        },
        "employeeOrgData": {"division": "Retail", "costCenter": "CC-42"}
    });
    assert_eq!(
        render_row(&cols, &user, &ctx),
        [
            "SPE_E3; EMS",
            "Microsoft 365 E3; Enterprise Mobility + Security E3",
            "SPE_E3: SWAY",
            "2026-02-01T08:00:00Z",
            "2026-02-19T13:00:00Z",
            "2026-02-01T08:00:00Z",
            "9",
            "Retail / CC-42"
        ]
    );
    let never = json!({"assignedLicenses": [], "signInActivity": null});
    assert_eq!(
        render_row(&cols, &never, &ctx),
        ["", "", "", "", "", "", "", ""]
    );
}

#[test]
fn no_catalogue_column_is_written_as_json() {
    let user = json!({
        "identities": [{"signInType": "userPrincipalName", "issuer": "contoso.com", "issuerAssignedId": "a@contoso.com"}],
        "passwordProfile": {"password": null, "forceChangePasswordNextSignIn": false},
        "onPremisesProvisioningErrors": [{"category": "PropertyConflict", "propertyCausingError": "ProxyAddresses", "value": "smtp:a@contoso.com", "occurredDateTime": null}],
        "onPremisesExtensionAttributes": {"extensionAttribute1": "x"},
        "signInActivity": {"lastSignInDateTime": "2026-02-01T08:00:00Z"},
        "assignedLicenses": [{"skuId": "s", "disabledPlans": []}]
    });
    for column in user_catalogue() {
        let cell = column.cell(&user, &RowContext::default());
        assert!(
            !cell.starts_with('{') && !cell.starts_with('['),
            "{} gave {cell}",
            column.header
        );
    }
}
