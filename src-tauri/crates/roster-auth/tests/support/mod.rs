//! The emulator's identity platform served on 127.0.0.1:0 with a small directory, and a scripted
//! "browser" that follows the authorize redirect to Roster's loopback listener.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use roster_auth::config::UrlOpener;
use roster_auth::{Auth, AuthConfig, Interaction, TokenVault};
use roster_emulator::identity::tokens::TokenSigner;
use roster_emulator::identity::{
    AccountDirectory, AccountInfo, IdentityOptions, IdentityState, router,
};

pub const TENANT_ID: &str = "5b0e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4";
pub const DOMAIN: &str = "contoso.onmicrosoft.com";

pub fn upn(name: &str) -> String {
    format!("{name}@{DOMAIN}")
}

/// The test tenant's directory: admin@, owner@ and reader@.
pub struct Directory;

pub fn directory() -> Directory {
    Directory
}

impl AccountDirectory for Directory {
    fn tenant_id(&self) -> String {
        TENANT_ID.to_owned()
    }
    fn domain(&self) -> String {
        DOMAIN.to_owned()
    }
    fn find_account(&self, upn_or_id: &str) -> Option<AccountInfo> {
        self.sign_in_accounts()
            .into_iter()
            .find(|a| a.upn.eq_ignore_ascii_case(upn_or_id) || a.object_id == upn_or_id)
    }
    fn sign_in_accounts(&self) -> Vec<AccountInfo> {
        ["admin", "owner", "reader"]
            .iter()
            .enumerate()
            .map(|(i, name)| AccountInfo {
                object_id: format!("00000000-0000-4000-8000-00000000000{}", i + 1),
                upn: upn(name),
                display_name: format!("{name} user"),
            })
            .collect()
    }
}

/// The identity platform on a random port.
pub struct Idp {
    pub base: String,
    pub state: Arc<IdentityState>,
    pub signer: TokenSigner,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Idp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub async fn start(options: IdentityOptions) -> Idp {
    let signer = TokenSigner::new(7);
    let state = Arc::new(IdentityState::new(
        signer.clone(),
        Arc::new(Directory),
        options,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(state.clone());
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Idp {
        base,
        state,
        signer,
        server,
    }
}

impl Idp {
    pub fn config(&self) -> AuthConfig {
        AuthConfig::emulator(&self.base, TENANT_ID)
    }

    /// Whether `token` is an access token this platform issued and still accepts.
    pub fn accepts(&self, token: &str) -> roster_emulator::identity::tokens::Claims {
        self.signer.verify(token, chrono_now()).unwrap()
    }
}

pub fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// What the scripted browser did: the loopback URL it was sent to (with the real state).
#[derive(Default, Clone)]
pub struct BrowserLog(pub Arc<Mutex<Vec<String>>>);

/// A "browser" that opens the authorize URL, clicks `account` on the sign-in page, and follows the
/// redirect to the loopback listener, after passing its URL through `tamper`.
pub fn scripted_browser(
    account: Option<String>,
    tamper: fn(String) -> String,
    log: BrowserLog,
) -> UrlOpener {
    Arc::new(move |url: &url::Url| {
        let url = url.clone();
        let account = account.clone();
        let log = log.clone();
        tokio::spawn(async move {
            let client = http();
            let mut response = client.get(url.as_str()).send().await.unwrap();
            if response.status().as_u16() == 200 {
                // The sign-in page: click the account (its form posts back to the same URL).
                let upn = account.expect("the sign-in page needs an account to click");
                assert!(
                    response.text().await.unwrap().contains(&upn),
                    "{upn} is not on the sign-in page"
                );
                response = client
                    .post(url.as_str())
                    .form(&[("login", upn.as_str())])
                    .send()
                    .await
                    .unwrap();
            }
            assert_eq!(
                response.status().as_u16(),
                302,
                "authorize did not redirect"
            );
            let location = tamper(response.headers()["location"].to_str().unwrap().to_owned());
            log.0.lock().unwrap().push(location.clone());
            let landing = client.get(location).send().await.unwrap();
            let page = landing.text().await.unwrap();
            log.0.lock().unwrap().push(page);
        });
        Ok(())
    })
}

pub fn unchanged(location: String) -> String {
    location
}

/// An `Auth` over a temp data dir and an in-memory keyring, signing in as `account` in the scripted
/// browser.
pub fn auth(idp: &Idp, data_dir: &std::path::Path, vault: &TokenVault, account: &str) -> Auth {
    let interaction = Interaction {
        open_url: scripted_browser(Some(upn(account)), unchanged, BrowserLog::default()),
        ..Interaction::default()
    };
    Auth::new(idp.config(), data_dir, vault.clone())
        .unwrap()
        .with_interaction(interaction)
}

/// Every file under `dir`, read as text.
pub fn files_text(dir: &std::path::Path) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            text.push_str(&files_text(&path));
        } else {
            text.push_str(&String::from_utf8_lossy(&std::fs::read(&path).unwrap()));
        }
    }
    text
}
