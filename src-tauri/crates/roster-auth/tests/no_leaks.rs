//! After a whole run (sign-in, silent refreshes with rotation, incremental consent) no token string
//! is in the data dir, in the logs (captured at TRACE level) or in `Debug` output. It sets the
//! process's global log subscriber, so that it sees every event of every thread; no other test sets
//! one (nextest runs each test in its own process; under `cargo test` other tests' events only add to
//! what is searched).

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;
use roster_auth::{TokenVault, WRITE_SCOPE};
use roster_emulator::identity::IdentityOptions;
use roster_graph::TokenSource;

/// A `tracing` writer that collects everything into a buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_appears_in_the_data_dir_or_the_logs() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let idp = start(IdentityOptions {
        token_lifetime: Duration::from_secs(60),
        ..IdentityOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let auth = auth(&idp, dir.path(), &vault, "admin");
    let session = auth.sign_in_interactive(None).await.unwrap();
    let mut secrets = vec![
        vault
            .load(&session.account().key())
            .unwrap()
            .unwrap()
            .secret()
            .to_owned(),
    ];
    for _ in 0..2 {
        secrets.push(
            session
                .access_token(&["User.Read.All".to_owned()])
                .await
                .unwrap()
                .secret()
                .to_owned(),
        );
        secrets.push(
            vault
                .load(&session.account().key())
                .unwrap()
                .unwrap()
                .secret()
                .to_owned(),
        );
    }
    let account = session.account();
    idp.state
        .grant_consent(&account.upn, &account.client_id, &[WRITE_SCOPE])
        .unwrap();
    session.ensure_scopes(&[WRITE_SCOPE], false).await.unwrap();
    secrets.push(
        vault
            .load(&session.account().key())
            .unwrap()
            .unwrap()
            .secret()
            .to_owned(),
    );
    let debug = format!("{session:?} {auth:?} {:?}", auth.accounts().unwrap());

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("signed in") && logs.contains("refreshing"),
        "the run was logged: {logs}"
    );
    let files = files_text(dir.path());
    assert!(files.contains("admin@"));
    for secret in &secrets {
        assert!(secret.len() > 20);
        assert!(
            !files.contains(secret.as_str()),
            "a token reached the data dir"
        );
        assert!(!logs.contains(secret.as_str()), "a token reached the logs");
        assert!(
            !debug.contains(secret.as_str()),
            "a token reached Debug output"
        );
    }
}
