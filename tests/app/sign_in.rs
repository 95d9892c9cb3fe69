//! Real sign-in in the app against the emulator (in-process, as the app would reach it with
//! `--authority`): device code with the prompt reported before polling ends, PKCE through a scripted
//! browser and the loopback listener, saved accounts (silent sign-in, switch, sign out), cancel, a
//! revoked sign-in, incremental write consent, and a demo session outliving its token lifetime.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use roster_auth::{Interaction, TokenVault};
use roster_desktop::ipc::{
    Cloud, ErrorCode, SignInMethod, SignInProgress, SignInRequest, UsersListRequest,
};
use roster_desktop::{AppOptions, AppState};
use roster_emulator::{Emulator, EmulatorConfig};
use roster_test_support::browser::{BrowserLog, ScriptedBrowser};
use roster_test_support::files::files_text;
use roster_test_support::tenant::{small_tenant, start};

use crate::support::only_the_writer_adds;

/// The generated tenant's domain (the same for every seed).
const DOMAIN: &str = "contoso.onmicrosoft.com";

/// A small emulator; `auto_approve` signs that account in without a page.
async fn emulator(auto_approve: Option<&str>) -> Emulator {
    let emulator = start(EmulatorConfig {
        device_code_interval: Duration::ZERO,
        auto_approve: auto_approve.map(|name| format!("{name}@{DOMAIN}")),
        ..small_tenant(40, 20)
    })
    .await;
    assert_eq!(emulator.domain(), DOMAIN);
    emulator
}

/// Device-code polls without waiting; URLs open in a scripted browser that follows redirects like a
/// browser with a remembered sign-in (the emulator auto-approves), ending on the loopback listener.
fn interaction(browser: ScriptedBrowser) -> Interaction {
    Interaction {
        open_url: Arc::new(move |url: &url::Url| {
            browser.open(url);
            Ok(())
        }),
        sleep: Arc::new(|_| Box::pin(async {})),
        browser_timeout: Duration::from_secs(30),
    }
}

struct Setup {
    state: AppState,
    emulator: Emulator,
    vault: TokenVault,
    browser: BrowserLog,
    data_dir: tempfile::TempDir,
}

impl Setup {
    /// The URLs the app opened in the browser so far.
    fn opened(&self) -> Vec<String> {
        self.browser.visits().opened
    }

    /// An administrator consents, for `username` and the app, to changing memberships (the
    /// identity platform then grants it on a refresh, without the person).
    fn admin_consents_to_membership_changes(&self, username: &str) {
        self.emulator
            .identity()
            .grant_consent(
                username,
                roster_auth::GRAPH_POWERSHELL_CLIENT_ID,
                &["GroupMember.ReadWrite.All"],
            )
            .unwrap();
    }
}

/// A user (`id`, `userPrincipalName`) who is not a direct member of group `group_id`.
async fn user_not_in(reader: &roster_graph::GraphClient, group_id: &str) -> serde_json::Value {
    let members: serde_json::Value = reader
        .get_json(&format!("groups/{group_id}/members?$select=id&$top=999"))
        .await
        .unwrap();
    let users: serde_json::Value = reader
        .get_json("users?$select=id,userPrincipalName&$top=999")
        .await
        .unwrap();
    users["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| {
            !members["value"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == u["id"])
        })
        .expect("a user who is not a member")
        .clone()
}

async fn setup(auto_approve: Option<&str>) -> Setup {
    let emulator = emulator(auto_approve).await;
    let data_dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let browser = ScriptedBrowser::new();
    let log = browser.log();
    let state = AppState::new(AppOptions {
        data_dir: data_dir.path().to_owned(),
        authority: Some(emulator.base_url().to_owned()),
        graph_url: Some(emulator.base_url().to_owned()),
        ..AppOptions::default()
    })
    .with_vault(vault.clone())
    .with_interaction(interaction(browser));
    Setup {
        state,
        emulator,
        vault,
        browser: log,
        data_dir,
    }
}

fn request(method: SignInMethod) -> SignInRequest {
    SignInRequest {
        method,
        cloud: Cloud::Global,
    }
}

#[tokio::test]
async fn device_code_sign_in_shows_the_code_first_then_reads_the_directory() {
    let s = setup(Some("admin")).await;
    let steps = Mutex::new(Vec::new());
    let session = s
        .state
        .sign_in_with_progress(request(SignInMethod::DeviceCode), |step| {
            steps.lock().unwrap().push(step)
        })
        .await
        .unwrap();
    let account = session.account.unwrap();
    assert_eq!(account.username, format!("admin@{}", s.emulator.domain()));
    assert_eq!(account.tenant_id, s.emulator.tenant_id());
    assert_eq!(account.cloud, Cloud::Custom);
    assert!(!account.demo);

    let steps = steps.into_inner().unwrap();
    let [
        SignInProgress::DeviceCode {
            user_code,
            verification_uri,
            expires_in_secs,
            message,
        },
    ] = steps.as_slice()
    else {
        panic!("one device code prompt expected, got {steps:?}");
    };
    assert!(!user_code.is_empty());
    assert!(
        verification_uri.starts_with(s.emulator.base_url()),
        "{verification_uri}"
    );
    assert!(*expires_in_secs > 0);
    assert!(message.contains(user_code.as_str()), "{message}");
    assert_eq!(
        s.state.sign_in_progress(),
        None,
        "the prompt is gone once signed in"
    );

    let users = s.state.users(UsersListRequest::default()).await.unwrap();
    assert_eq!(users.items.len(), 40);

    let options = s.state.accounts().unwrap();
    assert_eq!(
        options.custom_authority.as_deref(),
        Some(s.emulator.base_url())
    );
    let [saved] = options.accounts.as_slice() else {
        panic!("{options:?}")
    };
    assert!(saved.active && saved.username == account.username);
    let refresh = s
        .vault
        .load(&saved.key)
        .unwrap()
        .expect("refresh token in the keyring");
    let on_disk = files_text(s.data_dir.path());
    assert!(
        on_disk.contains(&account.username),
        "the account list is saved"
    );
    assert!(
        !on_disk.contains(refresh.secret()),
        "no token in the data dir"
    );
}

#[tokio::test]
async fn browser_sign_in_then_switch_silent_sign_in_write_consent_and_sign_out() {
    let s = setup(Some("owner")).await;
    let steps = Mutex::new(Vec::new());
    let session = s
        .state
        .sign_in_with_progress(request(SignInMethod::Browser), |step| {
            steps.lock().unwrap().push(step)
        })
        .await
        .unwrap();
    let username = session.account.unwrap().username;
    assert_eq!(username, format!("owner@{}", s.emulator.domain()));
    assert_eq!(steps.into_inner().unwrap(), [SignInProgress::Browser]);
    let opened = s.opened();
    assert!(
        opened[0].contains("code_challenge_method=S256"),
        "{opened:?}"
    );

    let key = s.state.accounts().unwrap().accounts[0].key.clone();
    assert_eq!(s.state.switch_account().await.account, None);
    assert_eq!(
        s.state.accounts().unwrap().accounts.len(),
        1,
        "kept for the picker"
    );
    let again = s.state.use_account(&key).await.unwrap();
    assert_eq!(again.account.unwrap().username, username);
    assert_eq!(s.opened().len(), 1, "silent: no browser this time");

    // Incremental consent: refused with the reading sign-in, then the write permission comes
    // silently from the refresh token.
    let reader = s.state.read_graph().await.unwrap();
    let owned: serde_json::Value = reader.get_json("me/ownedObjects?$select=id").await.unwrap();
    let group_id = owned["value"][0]["id"].as_str().unwrap().to_owned();
    let newcomer = user_not_in(&reader, &group_id).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // An administrator consented to the write permission earlier (the identity platform then
    // grants it on a refresh; without consent the answer is AADSTS65001 and the app asks to
    // sign in again to allow changes).
    s.admin_consents_to_membership_changes(&username);
    only_the_writer_adds(&s.state, &group_id, &newcomer).await;
    assert_eq!(s.opened().len(), 1, "no browser for the write permission");

    assert_eq!(s.state.sign_out().await.account, None);
    assert!(s.state.accounts().unwrap().accounts.is_empty());
    assert!(
        s.vault.load(&key).unwrap().is_none(),
        "the keyring entry is gone"
    );
}

#[tokio::test]
async fn a_device_code_sign_in_can_be_cancelled_once_the_code_is_shown() {
    let s = Arc::new(setup(None).await);
    let (shown, mut code_shown) = tokio::sync::mpsc::unbounded_channel();
    let running = {
        let s = s.clone();
        tokio::spawn(async move {
            s.state
                .sign_in_with_progress(request(SignInMethod::DeviceCode), move |step| {
                    shown.send(step).unwrap();
                })
                .await
        })
    };
    let step = tokio::time::timeout(Duration::from_secs(30), code_shown.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(step, SignInProgress::DeviceCode { .. }));
    assert_eq!(s.state.sign_in_progress(), Some(step));
    s.state.open_device_page().unwrap();
    assert!(s.opened()[0].starts_with(s.emulator.base_url()));

    s.state.cancel_sign_in();
    let error = running.await.unwrap().unwrap_err();
    assert_eq!(error.code, ErrorCode::Cancelled);
    assert_eq!(s.state.session().await.account, None);
    assert!(s.state.accounts().unwrap().accounts.is_empty());
}

#[tokio::test]
async fn a_revoked_saved_sign_in_asks_to_sign_in_again_and_keeps_the_account() {
    let s = setup(Some("reader")).await;
    s.state
        .sign_in(request(SignInMethod::DeviceCode))
        .await
        .unwrap();
    let key = s.state.accounts().unwrap().accounts[0].key.clone();
    s.state.switch_account().await;
    s.emulator
        .identity()
        .revoke_refresh_tokens(&format!("reader@{}", s.emulator.domain()));

    let error = s.state.use_account(&key).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::SignInAgain);
    assert!(error.message.contains("revoked"), "{}", error.message);
    assert!(error.message.contains("Sign in again"), "{}", error.message);
    assert!(!error.message.contains("roster login"), "{}", error.message);
    assert_eq!(s.state.accounts().unwrap().accounts.len(), 1);
}

#[tokio::test]
async fn a_demo_session_outlives_its_token_lifetime() {
    let lifetime = Duration::from_secs(2);
    let state = AppState::new(AppOptions::default()).with_demo_config(EmulatorConfig {
        token_lifetime: lifetime,
        ..small_tenant(30, 20)
    });
    let started = Instant::now();
    state.sign_in(request(SignInMethod::Demo)).await.unwrap();
    assert_eq!(
        state
            .users(UsersListRequest::default())
            .await
            .unwrap()
            .items
            .len(),
        30
    );
    // Wait until every token minted so far has expired (a clock condition, bounded by the lifetime).
    while started.elapsed() <= lifetime + Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        state
            .users(UsersListRequest::default())
            .await
            .unwrap()
            .items
            .len(),
        30
    );
    state.write_graph().await.unwrap();
    state.sign_out().await;
}

/// A confirmed import refused for want of the write permission keeps its preview: once an
/// administrator has consented (or the person allowed changes), confirming the same preview starts
/// the job, which applies the change once.
#[tokio::test]
async fn an_import_refused_for_the_write_permission_keeps_its_preview_for_after_consent() {
    use roster_desktop::ipc::{
        JobStatusDto, MembershipOpDto, MembershipPreviewRequest, MembershipStartRequest,
    };
    let s = setup(Some("owner")).await;
    let username = s
        .state
        .sign_in(request(SignInMethod::DeviceCode))
        .await
        .unwrap()
        .account
        .unwrap()
        .username;
    let reader = s.state.read_graph().await.unwrap();
    let owned: serde_json::Value = reader
        .get_json("me/ownedObjects?$select=id,groupTypes,membershipRule,onPremisesSyncEnabled,mailEnabled,securityEnabled")
        .await
        .unwrap();
    let group = owned["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["membershipRule"].is_null()
                && g["onPremisesSyncEnabled"] != true
                && g["mailEnabled"] == false
        })
        .expect("an owned assigned security group");
    let group_id = group["id"].as_str().unwrap().to_owned();
    let newcomer = user_not_in(&reader, &group_id).await["userPrincipalName"]
        .as_str()
        .unwrap()
        .to_owned();
    let file = s.data_dir.path().join("newcomer.csv");
    std::fs::write(&file, format!("{newcomer}\n")).unwrap();
    let preview = s
        .state
        .membership_preview(MembershipPreviewRequest {
            group_id: group_id.clone(),
            op: MembershipOpDto::Add,
            file: s
                .state
                .grant_file(&file, roster_desktop::state::FileUse::MemberFile)
                .unwrap()
                .handle,
        })
        .await
        .unwrap();
    assert_eq!(preview.pending, 1);
    let start = || {
        s.state.membership_start(MembershipStartRequest {
            preview_id: preview.preview_id.clone(),
        })
    };

    let refused = start().await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::SignInAgain, "{refused:?}");

    s.admin_consents_to_membership_changes(&username);
    let mut events = s.state.subscribe_jobs();
    let job = start().await.unwrap();
    let done = crate::support::wait_end(&mut events, &job.id).await;
    assert_eq!(done.status, JobStatusDto::Completed, "{:?}", done.error);
    assert_eq!(done.counts.succeeded, 1);
    let again = start().await.unwrap_err();
    assert_eq!(again.code, ErrorCode::NotFound, "a preview starts one job");
}
