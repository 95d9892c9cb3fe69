//! roster-auth's integration tests, one binary, against the emulator's identity platform (alone, from
//! roster-test-support, or inside the whole emulator): delegated sign-in (PKCE through a scripted browser,
//! device code), tokens and refresh, accounts (keys, earlier account lists, sign-out, a private data
//! folder), app-only credentials (secret, certificate) over https, nothing secret in files, logs or
//! `Debug`, and the real OS keyring. Shared helpers in `support` and in
//! roster-test-support.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod app_certificate;
mod app_only;
mod emulator;
mod no_leaks;
#[cfg(target_os = "linux")]
mod os_keyring;
mod sign_in;
mod support;
mod tokens;
