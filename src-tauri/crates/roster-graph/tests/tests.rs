//! roster-graph's integration tests, one binary, all against the in-process emulator: paging (complete
//! listings, advanced queries, continuations), resilience (injected faults, dropped connections,
//! throttled `$batch` items, rejected tokens) and membership writes. Shared helpers in `support` and in
//! roster-test-support.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod paging;
mod resilience;
mod support;
mod writes;
