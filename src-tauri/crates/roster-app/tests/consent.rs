//! Incremental consent as an admin meets it in the app: a browser sign-in (reads only) against the
//! emulator's identity platform, then a change. The silent refresh for GroupMember.ReadWrite.All
//! is refused (AADSTS65001, as the identity platform does), so the write client is refused with
//! SignInAgain and the coded `app.allowChanges` before anything is written, while reads go on;
//! "sign in again to allow changes" ([`Session::allow_changes`]) consents, and then the write
//! client comes silently.
//!
//! The browser is a few lines of raw HTTP: this crate's tests have no HTTP client.

use std::sync::Arc;

use roster_app::dynamic_rule::apply_rule;
use roster_app::sign_in::{SignInMethod, SignInTarget};
use roster_app::{ErrorCode, Session, TEXT_CODES};
use roster_auth::{Cloud, Interaction, RULE_WRITE_SCOPE, TokenVault, WRITE_SCOPE};
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

/// The rule lab's "save to a dynamic group" as an admin meets it: a read sign-in, then a rule
/// saved. Group.ReadWrite.All (which GroupMember.ReadWrite.All does not cover) is asked for the
/// same way as the membership write permission: silently first; the emulator refuses the refresh
/// (AADSTS65001), so the save stops with SignInAgain and `app.allowChanges` naming the permission
/// and the `roster login` command that asks for it, before anything changes. "Allow changes" then
/// asks for exactly that permission, and the rule is saved; a later session of the same saved
/// sign-in gets the permission silently, without a browser.
#[tokio::test(flavor = "multi_thread")]
async fn saving_a_rule_asks_for_the_rule_permission_like_any_change() {
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
    let vault = TokenVault::in_memory().unwrap();
    let app = Session::new(dir.path(), target.clone(), "roster-app-tests")
        .with_vault(vault.clone())
        .with_interaction(interaction);
    let connection = app
        .sign_in(SignInMethod::Browser, Cloud::Global, |_| {})
        .await
        .unwrap();
    let graph = connection.read_graph();
    let group = roster_jobs::membership::find_group(&graph, "Sales (dynamic)")
        .await
        .unwrap();
    let rule_now = || async {
        graph
            .get_group(&group.id, &["membershipRule"])
            .await
            .unwrap()["membershipRule"]
            .as_str()
            .map(str::to_owned)
    };
    let before = rule_now().await;
    let rule = r#"user.department -eq "Marketing""#;

    let error = apply_rule(&connection, &group.id, rule).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::SignInAgain, "{error}");
    assert_eq!(error.text.code, "app.allowChanges", "{error}");
    assert_eq!(error.text.params["permission"], RULE_WRITE_SCOPE);
    assert!(
        error.message.contains("Sign in again to allow changes")
            && error.message.contains(&format!(
                "roster login --account {upn} --allow-rule-changes"
            )),
        "{}",
        error.message
    );
    assert_eq!(rule_now().await, before, "nothing changed");
    assert_eq!(connection.changes_to_allow(), [RULE_WRITE_SCOPE]);

    // "Allow changes" asks for the rule permission (not only the membership one); then it saves.
    app.allow_changes().await.unwrap();
    apply_rule(&connection, &group.id, rule).await.unwrap();
    assert_eq!(rule_now().await.as_deref(), Some(rule));
    let account = connection.auth_session().unwrap().account();
    assert!(account.scopes.iter().any(|s| s == RULE_WRITE_SCOPE));
    assert!(
        !account.scopes.iter().any(|s| s == WRITE_SCOPE),
        "only the permission that was needed: {:?}",
        account.scopes
    );

    // The same saved sign-in, later (a new app session, no browser): the permission comes silently.
    let later = Session::new(dir.path(), target, "roster-app-tests")
        .with_vault(vault)
        .with_interaction(Interaction {
            open_url: Arc::new(|_: &url::Url| Err("no browser in this test".to_owned())),
            ..Interaction::default()
        });
    let again = later.use_account(&account.key()).await.unwrap();
    let other = r#"user.department -eq "Sales""#;
    apply_rule(&again, &group.id, other).await.unwrap();
    assert_eq!(rule_now().await.as_deref(), Some(other));
    emu.shutdown().await;
}
