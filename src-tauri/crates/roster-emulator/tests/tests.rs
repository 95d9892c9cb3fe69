//! roster-emulator's integration tests, one binary: Graph reads, writes and members against the
//! in-process emulator, the identity platform's flows, service behaviour (throttling, faults, control
//! endpoints, delta) and the `roster-emulator` binary. One module per area; shared helpers in `support`
//! and in roster-test-support.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod binary_options;
mod graph_members;
mod graph_memberships;
mod graph_reads;
mod graph_streaming;
mod graph_writes;
mod identity_app_and_tls;
mod identity_auth_code;
mod identity_refresh_and_device;
mod identity_with_tenant;
mod msgraph_sdk;
mod service;
mod support;
