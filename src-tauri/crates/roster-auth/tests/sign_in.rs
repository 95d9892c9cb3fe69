//! Delegated sign-in against the emulator's identity platform: the whole PKCE flow through a scripted
//! browser and the loopback listener (a forged state is ignored, an idle local socket does not stall
//! it), the device code flow with pending and slow_down, accounts, switching and signing out.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;
use roster_auth::{Auth, AuthError, Interaction, TokenVault};
use roster_emulator::identity::IdentityOptions;

#[tokio::test]
async fn pkce_sign_in_through_the_browser_saves_the_account_and_the_refresh_token() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let browser = ScriptedBrowser::signing_in_as(upn("owner"));
    let log = browser.log();
    let interaction = Interaction {
        open_url: opener(browser),
        ..Interaction::default()
    };
    let auth = Auth::new(config(&idp), dir.path(), vault.clone())
        .unwrap()
        .with_interaction(interaction);

    let session = auth.sign_in_interactive(None).await.unwrap();
    let account = session.account();
    assert_eq!(account.upn, upn("owner"));
    assert_eq!(account.tenant_id, TENANT_ID);
    assert_eq!(account.display_name, "owner user");
    assert_eq!(account.scopes, ["Group.Read.All", "User.Read.All"]);

    let token = session.token(&["User.Read.All".to_owned()]).await.unwrap();
    let claims = idp.accepts(token.secret());
    assert!(claims.has_permission("User.Read.All") && claims.has_permission("Group.Read.All"));
    assert!(!format!("{session:?}").contains(token.secret()));

    let visits = log.visits();
    let redirect_uri = redirect_uri(&visits.opened[0]);
    let port = redirect_uri
        .strip_prefix("http://localhost:")
        .and_then(|port| port.parse::<u16>().ok());
    assert!(
        port.is_some(),
        "the redirect URI is http://localhost:PORT, as graph-api.md §11.2 (no path): {redirect_uri}"
    );
    assert!(
        visits.redirected_to[0].starts_with(&redirect_uri),
        "redirected to the loopback: {}",
        visits.redirected_to[0]
    );
    assert!(visits.landed_on[0].contains("You can close this window"));

    let saved = vault
        .load(&account.key())
        .unwrap()
        .expect("refresh token in the keyring");
    let accounts = auth.accounts().unwrap();
    assert_eq!(accounts.active().unwrap(), &account);
    let on_disk = files_text(dir.path());
    assert!(on_disk.contains(&upn("owner")));
    assert!(!on_disk.contains(saved.secret()) && !on_disk.contains(token.secret()));
}

fn forge_state(location: String) -> String {
    let mut url = url::Url::parse(&location).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let value = if k == "state" {
                "forged".to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), value)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

/// The `redirect_uri` parameter of an authorize URL.
fn redirect_uri(authorize: &str) -> String {
    url::Url::parse(authorize)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .expect("the authorize URL names its redirect URI")
}

/// The loopback port the sign-in listens on, from its authorize URL.
fn loopback_port(authorize: &url::Url) -> u16 {
    url::Url::parse(&redirect_uri(authorize.as_str()))
        .unwrap()
        .port()
        .expect("the redirect URI has a port")
}

#[tokio::test]
async fn a_redirect_with_another_state_is_ignored_and_nothing_is_saved() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let browser = ScriptedBrowser::signing_in_as(upn("admin")).tampering(forge_state);
    let log = browser.log();
    let interaction = Interaction {
        open_url: opener(browser),
        // Nothing else comes: the sign-in ends when the person would give up.
        browser_timeout: Duration::from_secs(1),
        ..Interaction::default()
    };
    let auth = Auth::new(config(&idp), dir.path(), vault)
        .unwrap()
        .with_interaction(interaction);

    let error = auth.sign_in_interactive(None).await.unwrap_err();
    assert!(matches!(error, AuthError::TimedOut(_)), "{error}");
    assert!(
        log.visits().landed_on[0].contains("was ignored"),
        "{:?}",
        log.visits().landed_on
    );
    assert!(auth.accounts().unwrap().list().is_empty());
    assert!(!dir.path().join("accounts.json").exists());
}

#[tokio::test]
async fn a_forged_redirect_from_another_local_program_does_not_end_the_sign_in() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let browser = ScriptedBrowser::signing_in_as(upn("admin"));
    let forged_status: Arc<Mutex<Option<u16>>> = Arc::default();
    let seen = forged_status.clone();
    let interaction = Interaction {
        open_url: Arc::new(move |url: &url::Url| {
            let port = loopback_port(url);
            let (browser, url, seen) = (browser.clone(), url.clone(), seen.clone());
            tokio::spawn(async move {
                let forged = format!("http://127.0.0.1:{port}/?code=forged&state=guessed");
                let status = no_redirects().get(forged).send().await.unwrap().status();
                *seen.lock().unwrap() = Some(status.as_u16());
                browser.visit(url).await;
            });
            Ok(())
        }),
        browser_timeout: Duration::from_secs(20),
        ..Interaction::default()
    };
    let auth = Auth::new(config(&idp), dir.path(), TokenVault::in_memory().unwrap())
        .unwrap()
        .with_interaction(interaction);

    let session = auth.sign_in_interactive(None).await.unwrap();
    assert_eq!(session.account().upn, upn("admin"));
    assert_eq!(*forged_status.lock().unwrap(), Some(400));
}

#[tokio::test]
async fn an_idle_local_connection_does_not_stall_the_sign_in() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let browser = ScriptedBrowser::signing_in_as(upn("admin"));
    let idle: Arc<Mutex<Vec<tokio::net::TcpStream>>> = Arc::default();
    let held = idle.clone();
    let interaction = Interaction {
        open_url: Arc::new(move |url: &url::Url| {
            let port = loopback_port(url);
            let (browser, url, held) = (browser.clone(), url.clone(), held.clone());
            tokio::spawn(async move {
                // A program that connects and says nothing (or a browser's speculative socket).
                let socket = tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .unwrap();
                held.lock().unwrap().push(socket);
                browser.visit(url).await;
            });
            Ok(())
        }),
        browser_timeout: Duration::from_secs(20),
        ..Interaction::default()
    };
    let auth = Auth::new(config(&idp), dir.path(), TokenVault::in_memory().unwrap())
        .unwrap()
        .with_interaction(interaction);

    let session = auth.sign_in_interactive(None).await.unwrap();
    assert_eq!(session.account().upn, upn("admin"));
    assert_eq!(
        idle.lock().unwrap().len(),
        1,
        "the idle socket was open throughout"
    );
}

#[tokio::test]
async fn browser_that_cannot_open_is_a_clear_error() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let interaction = Interaction {
        open_url: Arc::new(|_: &url::Url| Err("no display".to_owned())),
        ..Interaction::default()
    };
    let auth = Auth::new(config(&idp), dir.path(), TokenVault::in_memory().unwrap())
        .unwrap()
        .with_interaction(interaction);
    let error = auth
        .sign_in_interactive(None)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("no display") && error.contains("--device-code"),
        "{error}"
    );
}

#[tokio::test]
async fn device_code_sign_in_survives_pending_and_slow_down() {
    let options = IdentityOptions {
        device_code_interval: Duration::from_secs(2),
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let prompt: Arc<Mutex<Option<roster_auth::DeviceCodePrompt>>> = Arc::default();
    let waits: Arc<Mutex<Vec<Duration>>> = Arc::default();

    // The sleeper: the first wait (after authorization_pending) returns at once, so the next poll comes
    // too early and gets slow_down; the second wait enters the code on the device page and then really
    // waits the server's interval.
    let sleeper_prompt = prompt.clone();
    let sleeper_waits = waits.clone();
    let deviceauth = format!("{}/{TENANT_ID}/oauth2/deviceauth", idp.base);
    let interaction = Interaction {
        sleep: Arc::new(move |duration| {
            let calls = {
                let mut waits = sleeper_waits.lock().unwrap();
                waits.push(duration);
                waits.len()
            };
            let user_code = sleeper_prompt
                .lock()
                .unwrap()
                .as_ref()
                .map(|p| p.user_code.clone())
                .unwrap();
            let deviceauth = deviceauth.clone();
            Box::pin(async move {
                if calls == 2 {
                    let done = no_redirects()
                        .post(deviceauth)
                        .form(&[
                            ("user_code", user_code.as_str()),
                            ("login", &upn("reader")),
                            ("action", "approve"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(done.status().as_u16(), 200);
                    tokio::time::sleep(Duration::from_millis(2100)).await;
                }
            })
        }),
        ..Interaction::default()
    };
    let auth = Auth::new(config(&idp), dir.path(), vault.clone())
        .unwrap()
        .with_interaction(interaction);

    let on_code_prompt = prompt.clone();
    let session = auth
        .sign_in_device_code(move |shown| *on_code_prompt.lock().unwrap() = Some(shown.clone()))
        .await
        .unwrap();

    let shown = prompt.lock().unwrap().clone().unwrap();
    assert_eq!(
        shown.verification_uri,
        format!("{}/{TENANT_ID}/oauth2/deviceauth", idp.base)
    );
    assert!(shown.message.contains(&shown.user_code));
    assert_eq!(shown.expires_in, Duration::from_secs(900));
    // 2 s after authorization_pending, then 2 + 5 s after slow_down (RFC 8628 §3.5).
    assert_eq!(
        *waits.lock().unwrap(),
        [Duration::from_secs(2), Duration::from_secs(7)]
    );
    assert_eq!(session.account().upn, upn("reader"));
    assert!(vault.load(&session.account().key()).unwrap().is_some());
}

#[tokio::test]
async fn declined_device_code_is_a_cancelled_sign_in() {
    let options = IdentityOptions {
        device_code_interval: Duration::ZERO,
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let dir = tempfile::tempdir().unwrap();
    let state = idp.state.clone();
    let auth = Auth::new(config(&idp), dir.path(), TokenVault::in_memory().unwrap()).unwrap();
    let error = auth
        .sign_in_device_code(move |shown| {
            state
                .complete_device_code(&shown.user_code, &upn("admin"), false)
                .unwrap()
        })
        .await
        .unwrap_err();
    assert!(matches!(error, AuthError::Cancelled(_)), "{error}");
}

#[tokio::test]
async fn several_accounts_side_by_side_switch_and_sign_out() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let admin = auth(&idp, dir.path(), &vault, "admin")
        .sign_in_interactive(None)
        .await
        .unwrap()
        .account();
    let reader = auth(&idp, dir.path(), &vault, "reader")
        .sign_in_interactive(None)
        .await
        .unwrap()
        .account();

    let auth = auth(&idp, dir.path(), &vault, "admin");
    let accounts = auth.accounts().unwrap();
    assert_eq!(accounts.list().len(), 2);
    assert_eq!(accounts.active().unwrap().upn, reader.upn);

    assert_eq!(auth.switch_account(&upn("ADMIN")).unwrap().upn, admin.upn);
    assert_eq!(auth.session(None).unwrap().account().upn, admin.upn);
    let token = auth
        .session(Some(&upn("reader")))
        .unwrap()
        .token(&[])
        .await
        .unwrap();
    assert!(
        matches!(idp.accepts(token.secret()).sub, roster_emulator::identity::tokens::Subject::User { upn: ref u, .. } if u == &reader.upn)
    );

    let removed = auth.sign_out(None).unwrap();
    assert_eq!(removed.upn, admin.upn);
    assert!(vault.load(&admin.key()).unwrap().is_none());
    assert!(vault.load(&reader.key()).unwrap().is_some());
    assert_eq!(auth.accounts().unwrap().active().unwrap().upn, reader.upn);
    assert!(matches!(
        auth.sign_out(Some("nobody@x")),
        Err(AuthError::UnknownAccount(_))
    ));
}
