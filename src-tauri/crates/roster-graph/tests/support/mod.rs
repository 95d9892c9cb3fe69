//! What roster-graph's tests share beyond roster-test-support: Graph clients on the emulator with a
//! virtual clock, listings and the tenant's largest group, and a token source that is rejected first.

pub mod hostile_server;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use roster_emulator::{Emulator, FaultSpec};
use roster_graph::{
    AccessToken, BoxFuture, GraphClient, ListQuery, StaticToken, TokenError, TokenSource,
    VirtualClock,
};
pub use roster_test_support::tenant::{
    READ, WRITE, start_small as emulator, upn, user_ids as tenant_user_ids,
};
use serde_json::Value;

/// Parses a fault spec such as `429=0.1,reset=0.05`.
pub fn faults(spec: &str) -> FaultSpec {
    spec.parse().expect("valid fault spec")
}

/// A client signed in as `account` with `scopes`, on a virtual clock (retry waits return at once).
pub fn client(emu: &Emulator, account: &str, scopes: &[&str]) -> (GraphClient, Arc<VirtualClock>) {
    let token = roster_test_support::tenant::token(emu, account, scopes);
    client_with_tokens(emu, Arc::new(StaticToken(AccessToken::new(token))))
}

/// A client using `tokens`, on a virtual clock.
pub fn client_with_tokens(
    emu: &Emulator,
    tokens: Arc<dyn TokenSource>,
) -> (GraphClient, Arc<VirtualClock>) {
    let clock = Arc::new(VirtualClock::default());
    let client = GraphClient::builder(emu.base_url(), tokens)
        .clock(clock.clone())
        .build()
        .expect("client builds");
    (client, clock)
}

/// The admin client most tests use.
pub fn admin(emu: &Emulator) -> GraphClient {
    client(emu, "admin", READ).0
}

/// The direct member ids of the group with the most members, and that group's id.
pub fn largest_group(emu: &Emulator) -> (String, HashSet<String>) {
    let tenant = emu.tenant().read();
    let group = tenant
        .groups()
        .iter()
        .max_by_key(|g| g.members().len())
        .expect("groups exist");
    let members = group
        .members()
        .iter()
        .map(|&m| tenant.id_of(m).to_owned())
        .collect();
    (group.id().to_owned(), members)
}

/// The `id` of each item.
pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| v["id"].as_str().expect("items have ids").to_owned())
        .collect()
}

/// All users' ids and UPNs with a given page size.
pub async fn all_users(client: &GraphClient, top: u32) -> Vec<Value> {
    client
        .list_users(
            &ListQuery::new()
                .select(["id", "userPrincipalName"])
                .top(top),
        )
        .expect("valid query")
        .collect_all()
        .await
        .expect("listing succeeds")
}

/// A token source that hands out a rejected token first, then good ones, and counts invalidations.
pub struct RotatingTokens {
    pub bad: AccessToken,
    pub good: AccessToken,
    pub invalidated: AtomicUsize,
    pub issued: AtomicUsize,
}

impl RotatingTokens {
    /// Starts with `bad`, switches to `good` once `bad` is invalidated.
    pub fn new(bad: &str, good: String) -> Self {
        Self {
            bad: AccessToken::new(bad),
            good: AccessToken::new(good),
            invalidated: AtomicUsize::new(0),
            issued: AtomicUsize::new(0),
        }
    }
}

impl TokenSource for RotatingTokens {
    fn access_token<'a>(
        &'a self,
        _scopes: &'a [String],
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        self.issued.fetch_add(1, Ordering::SeqCst);
        let token = if self.invalidated.load(Ordering::SeqCst) == 0 {
            self.bad.clone()
        } else {
            self.good.clone()
        };
        Box::pin(async move { Ok(token) })
    }

    fn invalidate<'a>(&'a self, rejected: &'a AccessToken) -> BoxFuture<'a, ()> {
        if rejected.secret() == self.bad.secret() {
            self.invalidated.fetch_add(1, Ordering::SeqCst);
        }
        Box::pin(async {})
    }
}
