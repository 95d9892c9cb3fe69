//! Graph clients on an in-process emulator, as the job engine and the front ends get them once signed in.

use std::sync::Arc;

use roster_emulator::Emulator;
use roster_graph::{AccessToken, GraphClient, StaticToken, VirtualClock};

/// A client signed in as `account` (`admin`, `owner`, ...) with `scopes`, on a virtual clock: retry
/// waits and `Retry-After` return at once, so faults and throttling cost a test no time.
pub fn client(emu: &Emulator, account: &str, scopes: &[&str]) -> GraphClient {
    let token = crate::tenant::token(emu, account, scopes);
    GraphClient::builder(
        emu.base_url(),
        Arc::new(StaticToken(AccessToken::new(token))),
    )
    .clock(Arc::new(VirtualClock::default()))
    .build()
    .expect("a Graph client for the emulator")
}
