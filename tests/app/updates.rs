//! Update checks through the real tauri-plugin-updater, in a mock-runtime app whose channel points
//! at a local release server: off until chosen, a policy wins, a check downloads nothing, an
//! install takes only the release shown and only a package signed with the channel's key.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::routing::get;
use base64::Engine;
use roster_desktop::ipc::{AppError, UpdatePolicyDto};
use roster_desktop::{AppOptions, AppState};
use tauri::Manager;
use tauri::test::MockRuntime;

/// What the local release server was asked for.
#[derive(Default)]
struct Requests {
    manifest: AtomicUsize,
    package: AtomicUsize,
}

/// A release server announcing `9.9.9`, whose package is `package` and whose manifest carries
/// `signature`; answers its address and the request counts.
async fn release_server(package: &'static [u8], signature: String) -> (String, Arc<Requests>) {
    let requests = Arc::new(Requests::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let root = format!("http://{}", listener.local_addr().unwrap());
    let manifest = serde_json::json!({
        "version": "9.9.9",
        "notes": "Faster downloads.",
        "pub_date": "2026-12-01T10:00:00Z",
        "platforms": {
            tauri_plugin_updater::target().unwrap(): {
                "signature": signature,
                "url": format!("{root}/Roster_9.9.9.tar.gz"),
            }
        }
    });
    let app = Router::new()
        .route(
            "/latest.json",
            get(move |State(r): State<Arc<Requests>>| {
                let manifest = manifest.clone();
                async move {
                    r.manifest.fetch_add(1, Ordering::SeqCst);
                    axum::Json(manifest)
                }
            }),
        )
        .route(
            "/Roster_9.9.9.tar.gz",
            get(move |State(r): State<Arc<Requests>>| async move {
                r.package.fetch_add(1, Ordering::SeqCst);
                package
            }),
        )
        .with_state(Arc::clone(&requests));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (root, requests)
}

/// A release key pair as `tauri signer generate` makes it: the public key (base64 of minisign's
/// key file) and a signer of packages (base64 of minisign's signature file).
fn release_key() -> (String, impl Fn(&[u8]) -> String) {
    let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let b64 = |text: String| base64::engine::general_purpose::STANDARD.encode(text);
    let public = b64(pair.pk.to_box().unwrap().into_string());
    let sign = move |data: &[u8]| {
        let signature = minisign::sign(
            Some(&pair.pk),
            &pair.sk,
            data,
            Some("timestamp:1796678546\tfile:Roster_9.9.9.tar.gz"),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        b64(signature.into_string())
    };
    (public, sign)
}

/// A mock-runtime app with the updater plugin, its channel at `channel` (`None`: a build without
/// one), its state's data in `data` and its policy file at `policy`.
fn app(channel: Option<(&str, &str)>, data: &Path, policy: PathBuf) -> tauri::App<MockRuntime> {
    let mut context = tauri::test::mock_context(tauri::test::noop_assets());
    let (endpoints, pubkey) = channel.map_or((vec![], String::new()), |(root, key)| {
        (vec![format!("{root}/latest.json")], key.to_owned())
    });
    context.config_mut().plugins.0.insert(
        "updater".to_owned(),
        serde_json::json!({ "pubkey": pubkey, "endpoints": endpoints }),
    );
    let state = AppState::new(AppOptions {
        data_dir: data.to_owned(),
        policy_file: policy,
        ..AppOptions::default()
    });
    tauri::test::mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(state)
        .build(context)
        .unwrap()
}

/// An app whose channel at `root` (signed with `public`) found 9.9.9, checks turned on: the
/// state an Install click starts from.
async fn found_release(root: &str, public: &str, data: &Path) -> tauri::App<MockRuntime> {
    let app = app(Some((root, public)), data, data.join("none.json"));
    let handle = app.handle();
    let state = handle.state::<AppState>();
    state.update_choose(handle, true).await.unwrap();
    state.update_check(handle).await.unwrap().available.unwrap();
    app
}

fn code_of(error: &AppError) -> &str {
    error.text.as_deref().map_or("", |t| t.code.as_str())
}

const PACKAGE: &[u8] = b"Roster 9.9.9, not an installable package";

#[tokio::test]
async fn checks_are_off_until_chosen_and_a_check_downloads_nothing() {
    let (public, sign) = release_key();
    let (root, requests) = release_server(PACKAGE, sign(PACKAGE)).await;
    let data = tempfile::tempdir().unwrap();
    let app = app(
        Some((&root, &public)),
        data.path(),
        data.path().join("no-policy.json"),
    );
    let handle = app.handle();
    let state = handle.state::<AppState>();

    let fresh = state.update_status(handle).await.unwrap();
    assert!(
        fresh.channel && !fresh.enabled && !fresh.chosen,
        "{fresh:?}"
    );
    let refused = state.update_check(handle).await.unwrap_err();
    assert_eq!(code_of(&refused), "app.updatesOff");
    assert_eq!(
        requests.manifest.load(Ordering::SeqCst),
        0,
        "no request while off"
    );

    let chosen = state.update_choose(handle, true).await.unwrap();
    assert!(chosen.enabled, "{chosen:?}");
    let found = state
        .update_check(handle)
        .await
        .unwrap()
        .available
        .expect("9.9.9 is newer");
    assert_eq!(found.version, "9.9.9");
    assert_eq!(found.notes.as_deref(), Some("Faster downloads."));
    assert_eq!(found.date.as_deref(), Some("2026-12-01T10:00:00Z"));
    assert_eq!(requests.manifest.load(Ordering::SeqCst), 1);
    assert_eq!(
        requests.package.load(Ordering::SeqCst),
        0,
        "a check never downloads the package"
    );

    // Install takes only the release shown.
    let other = state.update_install(handle, "9.9.8").await.unwrap_err();
    assert_eq!(code_of(&other), "desktop.update.notFound");
    assert_eq!(requests.package.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_organisations_policy_wins_over_the_setting() {
    let (public, sign) = release_key();
    let (root, requests) = release_server(PACKAGE, sign(PACKAGE)).await;
    let data = tempfile::tempdir().unwrap();
    let policy = data.path().join("policy.json");
    let app = app(Some((&root, &public)), data.path(), policy.clone());
    let handle = app.handle();
    let state = handle.state::<AppState>();

    std::fs::write(&policy, r#"{"updateChecks": "off"}"#).unwrap();
    let locked = state.update_choose(handle, true).await.unwrap();
    assert!(!locked.enabled && locked.chosen, "{locked:?}");
    assert_eq!(locked.policy, UpdatePolicyDto::Off);
    let refused = state.update_check(handle).await.unwrap_err();
    assert_eq!(code_of(&refused), "app.updatesOffByPolicy");

    std::fs::write(&policy, "updateChecks: off").unwrap();
    let broken = state.update_status(handle).await.unwrap();
    assert_eq!(broken.policy, UpdatePolicyDto::Unreadable);
    assert!(!broken.enabled, "a broken policy turns checks off");
    assert_eq!(
        broken.problem.as_ref().map(|p| p.code.as_str()),
        Some("app.updatePolicyUnreadable")
    );
    assert_eq!(
        requests.manifest.load(Ordering::SeqCst),
        0,
        "no request at all"
    );

    state.update_choose(handle, false).await.unwrap();
    std::fs::write(&policy, r#"{"updateChecks": "on"}"#).unwrap();
    let forced = state.update_status(handle).await.unwrap();
    assert!(forced.enabled && !forced.chosen, "{forced:?}");
    assert!(
        state
            .update_check(handle)
            .await
            .unwrap()
            .available
            .is_some()
    );
}

#[tokio::test]
async fn a_package_not_signed_with_the_channels_key_is_not_installed() {
    let (public, _) = release_key();
    let (_, forger) = release_key();
    let (root, requests) = release_server(PACKAGE, forger(PACKAGE)).await;
    let data = tempfile::tempdir().unwrap();
    let app = found_release(&root, &public, data.path()).await;
    let handle = app.handle();
    let state = handle.state::<AppState>();

    let refused = state.update_install(handle, "9.9.9").await.unwrap_err();
    assert_eq!(
        code_of(&refused),
        "desktop.update.badSignature",
        "{refused:?}"
    );
    assert_eq!(requests.package.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_correctly_signed_package_passes_the_signature_check() {
    let (public, sign) = release_key();
    let (root, _) = release_server(PACKAGE, sign(PACKAGE)).await;
    let data = tempfile::tempdir().unwrap();
    let app = found_release(&root, &public, data.path()).await;
    let handle = app.handle();
    let state = handle.state::<AppState>();

    // The signature holds, so the plugin goes on to install; this test binary is not an
    // installed package, and the plugin refuses a payload that is not one, before touching it.
    let refused = state.update_install(handle, "9.9.9").await.unwrap_err();
    assert_eq!(code_of(&refused), "desktop.update.failed", "{refused:?}");
    assert!(
        refused
            .detail
            .as_deref()
            .unwrap_or_default()
            .contains("InvalidUpdaterFormat"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_build_without_a_channel_never_checks() {
    let data = tempfile::tempdir().unwrap();
    let app = app(None, data.path(), data.path().join("none.json"));
    let handle = app.handle();
    let state = handle.state::<AppState>();
    let status = state.update_choose(handle, true).await.unwrap();
    assert!(
        !status.channel && !status.enabled && status.chosen,
        "{status:?}"
    );
    let refused = state.update_check(handle).await.unwrap_err();
    assert_eq!(code_of(&refused), "desktop.update.noChannel");
}
