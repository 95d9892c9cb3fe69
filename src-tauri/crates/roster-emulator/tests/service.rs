//! Service behaviour: throttling (with a manual clock), injected faults, control endpoints, delta queries,
//! and the `roster-emulator` binary's start-up lines.

use std::io::BufRead as _;

use crate::support::graph::{Env, env, env_with};
use reqwest::Method;
use roster_emulator::{EmulatorConfig, FaultSpec, ThrottleMode};
use serde_json::{Value, json};

#[tokio::test]
async fn throttling_answers_429_with_graph_headers_per_request_and_per_batch_item() {
    let env = env_with(EmulatorConfig {
        users: 20,
        groups: 16,
        throttle: ThrottleMode::Graph,
        ..EmulatorConfig::default()
    })
    .await;
    let token = env.admin();
    let ids: Vec<String> = (0..5).map(|i| env.user_id(i)).collect();
    let item = |n: usize| {
        json!({"id": n.to_string(), "method": "POST", "url": "/directoryObjects/getByIds",
               "headers": {"Content-Type": "application/json"}, "body": {"ids": ids}})
    };
    let mut saw_percentage = false;
    let mut throttled_item: Option<Value> = None;
    for _ in 0..40 {
        let batch = json!({ "requests": (0..20).map(item).collect::<Vec<_>>() });
        let reply = env.post("/v1.0/$batch", &token, batch).await;
        assert_eq!(
            reply.status, 200,
            "the batch itself is never throttled: {}",
            reply.text
        );
        for response in reply.json()["responses"].as_array().unwrap() {
            assert_eq!(response["headers"]["x-ms-resource-unit"], "5");
            saw_percentage |= response["headers"]
                .get("x-ms-throttle-limit-percentage")
                .is_some();
            if response["status"] == 429 && throttled_item.is_none() {
                throttled_item = Some(response.clone());
            }
        }
        if throttled_item.is_some() {
            break;
        }
    }
    assert!(
        saw_percentage,
        "x-ms-throttle-limit-percentage once above 80 %"
    );
    let throttled = throttled_item.expect("3,500 RU per 10 s run out");
    assert!(
        throttled["headers"]["Retry-After"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert_eq!(throttled["body"]["error"]["code"], "TooManyRequests");

    let reply = env
        .post(
            "/v1.0/directoryObjects/getByIds",
            &token,
            json!({"ids": ids}),
        )
        .await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.error_code(), "TooManyRequests");
    assert!(reply.header("retry-after").is_some());
    let scope = reply.header("x-ms-throttle-scope").unwrap();
    assert!(
        scope.starts_with("Tenant_Application/ReadWrite/") && scope.ends_with(env.emu.tenant_id()),
        "{scope}"
    );
    assert_eq!(
        reply.header("x-ms-throttle-information").unwrap(),
        "ResourceUnitLimitExceeded"
    );
    assert!(env.emu.stats().throttled >= 2);

    env.clock.advance(10_000);
    assert_eq!(
        env.post(
            "/v1.0/directoryObjects/getByIds",
            &token,
            json!({"ids": ids})
        )
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn injected_faults_change_at_run_time() {
    let env = env().await;
    let token = env.admin();
    env.emu.set_faults(FaultSpec {
        too_many_requests: 1.0,
        ..FaultSpec::none()
    });
    let reply = env.get("/v1.0/users", &token).await;
    assert_eq!(reply.status, 429);
    assert!(reply.header("retry-after").is_some());
    env.emu.set_faults(FaultSpec {
        service_unavailable: 1.0,
        ..FaultSpec::none()
    });
    assert_eq!(env.get("/v1.0/users", &token).await.status, 503);
    env.emu.set_faults(FaultSpec {
        gateway_timeout: 1.0,
        ..FaultSpec::none()
    });
    assert_eq!(env.get("/v1.0/users", &token).await.status, 504);
    env.emu.set_faults(FaultSpec {
        reset: 1.0,
        ..FaultSpec::none()
    });
    let response = env
        .http
        .get(env.url("/v1.0/users?$top=999"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.is_err(), "the body must break off");

    let set = env
        .post("/_emulator/faults", "", json!({"spec": "none"}))
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    assert_eq!(env.get("/v1.0/users", &token).await.status, 200);
    assert_eq!(
        env.post("/_emulator/faults", "", json!({"spec": "418=0.5"}))
            .await
            .status,
        400
    );
    assert_eq!(env.emu.stats().faults_injected, 4);
}

#[tokio::test]
async fn hostile_faults_drip_a_body_send_a_huge_one_and_set_any_retry_after() {
    use futures::StreamExt as _;
    let env = env().await;
    let token = env.admin();
    let spec = |s: &str| s.parse::<FaultSpec>().unwrap();

    env.emu
        .set_faults(spec("429=1,retry-after=18446744073709551615"));
    let reply = env.get("/v1.0/users", &token).await;
    assert_eq!(reply.status, 429);
    assert_eq!(
        reply.header("retry-after").as_deref(),
        Some("18446744073709551615")
    );
    env.emu.set_faults(spec("503=1,retry-after=31536000"));
    let reply = env.get("/v1.0/users", &token).await;
    assert_eq!(
        (reply.status, reply.header("retry-after").as_deref()),
        (503, Some("31536000"))
    );

    env.emu.set_faults(spec("drip=1"));
    let response = env
        .http
        .get(env.url("/v1.0/users?$top=5"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    for _ in 0..3 {
        assert_eq!(
            body.next().await.unwrap().unwrap().len(),
            1,
            "one byte at a time"
        );
    }
    drop(body);

    env.emu.set_faults(spec("huge=1"));
    let response = env
        .http
        .get(env.url("/v1.0/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut body = response.bytes_stream();
    let (mut total, mut head, mut tail) = (0u64, Vec::new(), Vec::new());
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        if head.is_empty() {
            head = chunk.to_vec();
        }
        total += chunk.len() as u64;
        tail = chunk.to_vec();
    }
    assert_eq!(total, roster_emulator::faults::HUGE_BODY_BYTES);
    assert!(head.starts_with(br#"{"value":["#) && tail.ends_with(b"]}"));
}

#[tokio::test]
async fn control_endpoints_mint_tokens_and_report_stats() {
    let env = env().await;
    let minted = env
        .post(
            "/_emulator/token",
            "",
            json!({"upn": env.upn("owner"), "scopes": ["User.Read.All"]}),
        )
        .await
        .json();
    let token = minted["access_token"].as_str().unwrap();
    assert_eq!(env.get("/v1.0/users?$top=3", token).await.status, 200);
    let app = env
        .post("/_emulator/token", "", json!({"roles": ["Group.Read.All"]}))
        .await
        .json();
    assert_eq!(
        env.get("/v1.0/groups?$top=3", app["access_token"].as_str().unwrap())
            .await
            .status,
        200
    );
    assert_eq!(
        env.post("/_emulator/token", "", json!({"upn": "ghost@nowhere"}))
            .await
            .status,
        404
    );
    let stats = env
        .send(Method::GET, "/_emulator/stats", None, false, None)
        .await
        .json();
    assert_eq!(stats["requestsByRoute"]["GET /users"], 1);
    assert_eq!(stats["requestsByRoute"]["GET /groups"], 1);
    assert_eq!(stats["itemsServed"], 6);
    assert_eq!(env.emu.stats().requests_total, 2);
}

async fn delta_round(env: &Env, url: &str, token: &str) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut next = url.to_owned();
    loop {
        let body = env.get(&next, token).await.json();
        items.extend(body["value"].as_array().unwrap().iter().cloned());
        if let Some(link) = body["@odata.nextLink"].as_str() {
            next = link.to_owned();
        } else {
            return (
                items,
                body["@odata.deltaLink"]
                    .as_str()
                    .expect("last page has a deltaLink")
                    .to_owned(),
            );
        }
    }
}

#[tokio::test]
async fn delta_queries_page_then_report_membership_changes() {
    let env = env().await;
    let token = env.admin();
    let (users, users_link) =
        delta_round(&env, "/v1.0/users/delta?$select=id,displayName", &token).await;
    assert_eq!(users.len(), 300);
    assert!(users_link.contains("$deltatoken="));
    let (none, _) = delta_round(&env, &users_link, &token).await;
    assert!(none.is_empty());

    let (groups, groups_link) = delta_round(
        &env,
        "/v1.0/groups/delta?$select=id,displayName,members",
        &token,
    )
    .await;
    assert_eq!(groups.len(), 40);
    assert!(groups.iter().all(|g| g.get("members@delta").is_some()));
    let latest = env
        .get("/v1.0/groups/delta?$deltatoken=latest", &token)
        .await
        .json();
    assert!(latest["value"].as_array().unwrap().is_empty());
    let latest_link = latest["@odata.deltaLink"].as_str().unwrap().to_owned();

    let group = env.group_id("Empty Group");
    let user = env.user_id(70);
    let reference =
        json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{user}")});
    assert_eq!(
        env.post(
            &format!("/v1.0/groups/{group}/members/$ref"),
            &token,
            reference
        )
        .await
        .status,
        204
    );
    let (changed, next_link) = delta_round(&env, &groups_link, &token).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["id"], group.as_str());
    assert_eq!(
        changed[0]["members@delta"],
        json!([{"@odata.type": "#microsoft.graph.user", "id": user}])
    );
    let (from_latest, _) = delta_round(&env, &latest_link, &token).await;
    assert_eq!(from_latest.len(), 1);

    let path = format!("/v1.0/groups/{group}/members/{user}/$ref");
    assert_eq!(
        env.send(Method::DELETE, &path, Some(&token), false, None)
            .await
            .status,
        204
    );
    let (removed, _) = delta_round(&env, &next_link, &token).await;
    assert_eq!(
        removed[0]["members@delta"][0]["@removed"]["reason"],
        "deleted"
    );
}

/// Kills the child process when dropped, so a failing assertion leaves nothing behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_its_address_tenant_and_domain_first() {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_roster-emulator"))
        .args([
            "--users",
            "20",
            "--groups",
            "16",
            "--seed",
            "9",
            "--throttle",
            "off",
            "--faults",
            "none",
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("binary starts");
    let mut child = Child(child);
    let stdout = child.0.stdout.take().unwrap();
    let lines: Vec<String> = std::io::BufReader::new(stdout)
        .lines()
        .take(3)
        .map(Result::unwrap)
        .collect();
    let base = lines[0]
        .strip_prefix("listening on ")
        .expect("first line names the address");
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let tenant = lines[1].strip_prefix("tenant: ").unwrap();
    assert!(uuid::Uuid::parse_str(tenant).is_ok());
    assert_eq!(lines[2], "domain: contoso.onmicrosoft.com");
    let stats = reqwest::get(format!("{base}/_emulator/stats"))
        .await
        .unwrap();
    assert_eq!(stats.status(), 200);
    let same_seed = env_with(EmulatorConfig {
        seed: 9,
        users: 20,
        groups: 16,
        ..EmulatorConfig::default()
    })
    .await;
    assert_eq!(same_seed.emu.tenant_id(), tenant);
    drop(child);
}

#[tokio::test]
async fn https_listener_serves_graph_with_https_links() {
    let config = EmulatorConfig {
        users: 150,
        groups: 16,
        throttle: ThrottleMode::Off,
        https_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..EmulatorConfig::default()
    };
    let env = env_with(config).await;
    let https = env.emu.https_base_url().expect("https listener").to_owned();
    assert!(https.starts_with("https://127.0.0.1:"));
    let cert = reqwest::Certificate::from_der(env.emu.https_cert_der().unwrap()).unwrap();
    let client = reqwest::Client::builder()
        .add_root_certificate(cert)
        .build()
        .unwrap();
    let body: Value = client
        .get(format!("{https}/v1.0/users?$select=id"))
        .bearer_auth(env.admin())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["value"].as_array().unwrap().len(), 100);
    let next = body["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&format!("{https}/v1.0/users?")), "{next}");
    let openid: Value = client
        .get(format!(
            "{https}/{}/v2.0/.well-known/openid-configuration",
            env.emu.tenant_id()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        openid["token_endpoint"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}
