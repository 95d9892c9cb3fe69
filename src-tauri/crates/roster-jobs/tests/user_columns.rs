//! The licence and sign-in activity columns of a users download against the emulator: the cells of
//! users checked by hand against Graph's own answers, `subscribedSkus` read once per job, pages of
//! 500 with sign-in activity, and what a missing permission says.

use crate::support::{Env, column, env, env_with, read_csv, users_spec};
use chrono::{DateTime, Utc};
use roster_core::job::{JobStatus, UserFilter};
use roster_graph::GraphClient;
use roster_jobs::{Runner, RunnerConfig};
use roster_test_support::{graph, tenant};
use serde_json::Value;

const COLUMNS: &str = "objectId,licenses,licenseNames,licenseDisabledPlans,lastSignInDateTime,\
                       lastNonInteractiveSignInDateTime,lastSuccessfulSignInDateTime,daysSinceLastSignIn";

/// What Graph says of one user: its licences and sign-in activity.
async fn graph_user(client: &GraphClient, id: &str) -> Value {
    client
        .get_json(&format!(
            "/users/{id}?$select=id,assignedLicenses,signInActivity"
        ))
        .await
        .unwrap()
}

/// The part number and plan names of a SKU, from Graph's `subscribedSkus`.
fn sku<'a>(skus: &'a Value, sku_id: &str) -> (&'a str, Vec<(&'a str, &'a str)>) {
    let sku = skus["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["skuId"] == sku_id)
        .unwrap();
    let plans = sku["servicePlans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["servicePlanId"].as_str().unwrap(),
                p["servicePlanName"].as_str().unwrap(),
            )
        })
        .collect();
    (sku["skuPartNumber"].as_str().unwrap(), plans)
}

/// Runs a users download of `columns` on a runner without a page size of its own.
async fn run_unpaged(
    env: &Env,
    columns: &str,
    client: GraphClient,
    file: &str,
) -> roster_jobs::JobOutcome {
    let runner = Runner::new(env.store(), RunnerConfig::default());
    let out = env.path(file);
    let id = runner
        .submit(users_spec(&out, columns, UserFilter::default()), client)
        .unwrap();
    runner.wait(id).await.unwrap()
}

#[tokio::test]
async fn licence_and_sign_in_cells_match_graph_for_hand_checked_users() {
    let env = env().await;
    let out = env.path("users.csv");
    let outcome = env
        .run(users_spec(&out, COLUMNS, UserFilter::default()))
        .await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    let started: DateTime<Utc> = env
        .store()
        .get_job(outcome.id)
        .unwrap()
        .unwrap()
        .started_at
        .unwrap();
    let rows = read_csv(&out);
    assert_eq!(
        rows[0].join(","),
        "objectId,licenses,licenseNames,licenseDisabledPlans,signInActivity/lastSignInDateTime,signInActivity/lastNonInteractiveSignInDateTime,signInActivity/lastSuccessfulSignInDateTime,daysSinceLastSignIn"
    );
    let skus: Value = env.client.get_json("/subscribedSkus").await.unwrap();
    let cell = |row: &[String], name: &str| row[column(&rows, name)].clone();
    let (mut with_disabled, mut never_signed_in, mut unlicensed) = (0, 0, 0);
    for row in &rows[1..] {
        let user = graph_user(&env.client, &row[0]).await;
        let licences = user["assignedLicenses"].as_array().unwrap();
        let parts: Vec<&str> = licences
            .iter()
            .map(|l| sku(&skus, l["skuId"].as_str().unwrap()).0)
            .collect();
        assert_eq!(cell(row, "licenses"), parts.join("; "));
        let disabled: Vec<String> = licences
            .iter()
            .filter(|l| !l["disabledPlans"].as_array().unwrap().is_empty())
            .map(|l| {
                let (part, plans) = sku(&skus, l["skuId"].as_str().unwrap());
                let names: Vec<&str> = l["disabledPlans"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|id| plans.iter().find(|p| p.0 == id).unwrap().1)
                    .collect();
                format!("{part}: {}", names.join(", "))
            })
            .collect();
        assert_eq!(cell(row, "licenseDisabledPlans"), disabled.join("; "));
        with_disabled += usize::from(!disabled.is_empty());
        unlicensed += usize::from(licences.is_empty());
        if parts == ["SPE_E3"] {
            assert_eq!(cell(row, "licenseNames"), "Microsoft 365 E3");
        }
        let activity = &user["signInActivity"];
        let date = |key: &str| activity[key].as_str().unwrap_or_default().to_owned();
        for field in [
            "lastSignInDateTime",
            "lastNonInteractiveSignInDateTime",
            "lastSuccessfulSignInDateTime",
        ] {
            assert_eq!(cell(row, &format!("signInActivity/{field}")), date(field));
        }
        let latest = [
            date("lastSignInDateTime"),
            date("lastNonInteractiveSignInDateTime"),
        ]
        .into_iter()
        .filter_map(|d| DateTime::parse_from_rfc3339(&d).ok())
        .max();
        let days = latest.map(|t| (started - t.with_timezone(&Utc)).num_days().to_string());
        assert_eq!(cell(row, "daysSinceLastSignIn"), days.unwrap_or_default());
        never_signed_in += usize::from(latest.is_none());
    }
    assert!(with_disabled > 0 && never_signed_in > 0 && unlicensed > 0);
}

#[tokio::test]
async fn subscribed_skus_are_read_once_and_sign_in_pages_hold_500_users() {
    let env = env_with(tenant::small_tenant(1200, 10)).await;
    let outcome = run_unpaged(&env, COLUMNS, env.client.clone(), "users.csv").await;
    assert_eq!(outcome.status, JobStatus::Completed, "{:?}", outcome.error);
    assert_eq!(outcome.rows, 1200);
    let stats = env.emu.stats();
    assert_eq!(stats.requests_by_route["GET /subscribedSkus"], 1);
    // 1,200 users in pages of 500: three pages (pages of 999 would be two, and are refused).
    assert_eq!(stats.requests_by_route["GET /users"], 3);
    assert!(!stats.responses_by_status.contains_key(&400));
}

#[tokio::test]
async fn a_missing_permission_fails_the_download_naming_the_permission() {
    let env = env().await;
    let scopes = ["User.Read.All", "Group.Read.All"];
    let reader = graph::client(&env.emu, "admin", &scopes);
    for (file, columns, permission) in [
        ("a.csv", "objectId,lastSignInDateTime", "AuditLog.Read.All"),
        ("b.csv", "objectId,daysSinceLastSignIn", "AuditLog.Read.All"),
        (
            "c.csv",
            "objectId,licenseNames",
            "LicenseAssignment.Read.All",
        ),
    ] {
        let outcome = run_unpaged(&env, columns, reader.clone(), file).await;
        assert_eq!(outcome.status, JobStatus::Failed, "{columns}");
        let error = outcome.error.unwrap_or_default();
        assert!(error.contains(permission), "{columns}: {error}");
    }
}
