//! Bench binary: generate a large tenant, then serve every user through the Graph handler at `$top=999`
//! with the 23 properties behind the portal's users CSV, and report wall and CPU time.
//!
//! `cargo bench -p roster-emulator --bench serve_users` (1,000,000 users; set `ROSTER_BENCH_USERS` to
//! change). Target: under 15 s of CPU for the whole listing on one core.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use bytes::Bytes;
use roster_emulator::ThrottleMode;
use roster_emulator::graph::{Ctx, GraphRequest, handle};
use roster_emulator::identity::tokens::{Claims, Subject, TokenSigner};
use roster_emulator::stats::StatsCollector;
use roster_emulator::tenant::{SharedTenant, Tenant};
use roster_emulator::throttle::{SystemClock, Throttle};

const SELECT: &str = "id,userPrincipalName,displayName,surname,mail,givenName,userType,jobTitle,department,accountEnabled,usageLocation,streetAddress,state,country,officeLocation,city,postalCode,businessPhones,mobilePhone,otherMails,ageGroup,consentProvidedForMinor,legalAgeGroupClassification";

/// User + system CPU seconds of this process (Linux `/proc/self/stat`, 100 ticks per second).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn resident_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let users: usize = std::env::var("ROSTER_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let groups = (users / 20).max(16);
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let tenant = SharedTenant::new(Tenant::generate(1, users, groups));
    println!(
        "generate {users} users, {groups} groups: {:.2} s wall, {:.2} s CPU, {:.0} MB resident",
        wall.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        resident_mb()
    );
    let signer = TokenSigner::new(1);
    let (admin_id, admin_upn) = {
        let t = tenant.read();
        (t.users()[0].id().to_owned(), t.users()[0].upn().to_owned())
    };
    let now = chrono::Utc::now().timestamp();
    let token = signer.mint(&Claims {
        tid: tenant.tenant_id().to_owned(),
        sub: Subject::User {
            object_id: admin_id,
            upn: admin_upn,
        },
        scp: vec!["User.Read.All".into()],
        roles: Vec::new(),
        azp: "bench".into(),
        iat: now,
        exp: now + 3600,
        jti: "bench".into(),
    });
    let throttle = Throttle::new(
        ThrottleMode::Off,
        users,
        tenant.tenant_id(),
        std::sync::Arc::new(SystemClock::default()),
    );
    let stats = StatsCollector::default();
    let ctx = Ctx {
        base_url: "http://127.0.0.1:1",
        tenant: &tenant,
        signer: &signer,
        throttle: &throttle,
        stats: &stats,
        now_unix: now,
        request_id: "bench".into(),
        client_request_id: "bench".into(),
    };
    let mut query = format!("$top=999&$select={SELECT}");
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let (mut pages, mut bytes) = (0usize, 0usize);
    loop {
        let req = GraphRequest {
            method: "GET".into(),
            path: "users".into(),
            query: query.clone(),
            authorization: Some(format!("Bearer {token}")),
            eventual: false,
            body: Bytes::new(),
        };
        let response = handle(&ctx, &req);
        assert_eq!(
            response.status,
            200,
            "{}",
            String::from_utf8_lossy(&response.body)
        );
        pages += 1;
        bytes += response.body.len();
        let text = std::str::from_utf8(&response.body).unwrap();
        let Some(start) = text.find("\"@odata.nextLink\":\"") else {
            break;
        };
        let link = &text[start + 19..];
        let link = &link[..link.find('"').unwrap()];
        query = link.split_once('?').unwrap().1.to_owned();
    }
    let served = stats.snapshot().items_served;
    println!(
        "serve {served} users in {pages} pages ({:.0} MB of JSON): {:.2} s wall, {:.2} s CPU (target < 15 s CPU)",
        bytes as f64 / 1e6,
        wall.elapsed().as_secs_f64(),
        cpu_seconds() - cpu
    );
    assert_eq!(served as usize, tenant.read().users().len());
}
