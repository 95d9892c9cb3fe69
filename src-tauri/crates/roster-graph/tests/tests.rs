//! roster-graph's integration tests, one binary, against the in-process emulator: paging (complete
//! listings, advanced queries, continuations), resilience (injected faults, dropped connections,
//! throttled `$batch` items, rejected tokens), membership writes, and the defences against a hostile
//! server (absurd `Retry-After`, dripping and huge answers; header-level misbehaviour the emulator
//! cannot produce comes from a tiny hand-written server). Shared helpers in `support` and in
//! roster-test-support.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod hostile;
mod paging;
mod resilience;
mod support;
mod writes;
