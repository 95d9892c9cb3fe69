//! Incremental consent as an admin meets it in the app: a browser sign-in (reads only) against the
//! emulator's identity platform, then a change. The silent refresh for GroupMember.ReadWrite.All
//! is refused (AADSTS65001, as the identity platform does), so the write client is refused with
//! SignInAgain and the coded `app.allowChanges` before anything is written, while reads go on;
//! "sign in again to allow changes" ([`Session::allow_changes`]) consents, and then the write
//! client comes silently.
//!
//! The browser is a few lines of raw HTTP: this crate's tests have no HTTP client.

use std::sync::Arc;

use roster_app::sign_in::{SignInMethod, SignInTarget};
use roster_app::{ErrorCode, Session, TEXT_CODES};
use roster_auth::{Cloud, Interaction, TokenVault, WRITE_SCOPE};
use roster_emulator::{EmulatorConfig, ThrottleMode};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 request to a plain-http `url`: the status and the `Location` header.
async fn request(method: &str, url: &url::Url, form: Option<&str>) -> (u16, Option<String>) {
    let host = format!(
        "{}:{}",
        url.host_str().unwrap(),
        url.port_or_known_default().unwrap()
    );
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    let body = form.unwrap_or_default();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    let location = answer.lines().take_while(|l| !l.is_empty()).find_map(|l| {
        l.split_once(':')
            .filter(|(name, _)| name.eq_ignore_ascii_case("location"))
            .map(|(_, value)| value.trim().to_owned())
    });
    (status, location)
}

/// A person at the browser: opens the sign-in page, picks `upn`, follows the redirect home.
async fn browse(url: url::Url, upn: String) {
    let (status, _) = request("GET", &url, None).await;
    assert_eq!(status, 200, "the sign-in page");
    let form: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("login", &upn)
        .finish();
    let (status, location) = request("POST", &url, Some(&form)).await;
    assert_eq!(status, 302, "authorize redirects");
    let home = url::Url::parse(&location.unwrap()).unwrap();
    request("GET", &home, None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_sign_in_is_asked_to_sign_in_again_to_allow_changes_before_any_write() {
    let emu = roster_emulator::start(EmulatorConfig {
        users: 20,
        groups: 5,
        throttle: ThrottleMode::Off,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let upn = format!("admin@{}", emu.domain());
    let person = upn.clone();
    let interaction = Interaction {
        open_url: Arc::new(move |url: &url::Url| {
            tokio::spawn(browse(url.clone(), person.clone()));
            Ok(())
        }),
        ..Interaction::default()
    };
    let target = SignInTarget {
        authority: Some(emu.base_url().to_owned()),
        tenant: Some(emu.tenant_id().to_owned()),
        ..SignInTarget::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let app = Session::new(dir.path(), target, "roster-app-tests")
        .with_vault(TokenVault::in_memory().unwrap())
        .with_interaction(interaction);
    let connection = app
        .sign_in(SignInMethod::Browser, Cloud::Global, |_| {})
        .await
        .unwrap();
    assert_eq!(connection.account_info().username, upn);

    let error = connection.write_graph().await.unwrap_err();
    assert_eq!(error.code, ErrorCode::SignInAgain, "{error}");
    assert_eq!(error.text.code, "app.allowChanges", "{error}");
    assert!(TEXT_CODES.contains(&"app.allowChanges"));
    assert_eq!(error.text.params["permission"], WRITE_SCOPE);
    assert!(
        error.message.contains("Sign in again to allow changes"),
        "{}",
        error.message
    );
    // Reading goes on with the read token.
    let users = connection
        .read_graph()
        .list_users(&roster_graph::ListQuery::new().select(["id"]).top(5))
        .unwrap()
        .collect_all()
        .await;
    assert!(users.is_ok(), "{users:?}");

    // Sign in again to allow changes: the consent screen grants the write permission; from then
    // on the write client gets it silently.
    app.allow_changes().await.unwrap();
    assert!(connection.write_graph().await.is_ok());
    let tokens = connection.auth_session().unwrap();
    assert!(tokens.account().scopes.iter().any(|s| s == WRITE_SCOPE));
    emu.shutdown().await;
}
