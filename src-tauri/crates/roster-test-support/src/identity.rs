//! The emulator's identity platform alone (no generated tenant, no Graph), served on 127.0.0.1:0 over
//! http or https with a small fixed directory, and the helpers of hand-written OAuth flows: PKCE pairs,
//! JWT payloads, a client that does not follow redirects.

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use roster_emulator::identity::tokens::{Claims, TokenSigner};
use roster_emulator::identity::{
    AccountDirectory, AccountInfo, HttpsListener, IdentityOptions, IdentityState, router,
    s256_challenge,
};

/// The directory's tenant id.
pub const TENANT_ID: &str = "8f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b";
/// The directory's domain.
pub const DOMAIN: &str = "contoso.onmicrosoft.com";
/// The public client tests sign in with (Graph PowerShell's, as Roster uses by default).
pub const CLIENT_ID: &str = roster_emulator::TEST_CLIENT_ID;

/// The seed of the token signer: tokens verify with [`IdentityServer::signer`] only.
const SIGNER_SEED: u64 = 42;

/// `name@contoso.onmicrosoft.com`.
pub fn upn(name: &str) -> String {
    format!("{name}@{DOMAIN}")
}

/// The accounts that can sign in, in the sign-in page's order: admin@, owner@, reader@ (object ids
/// ending in 1, 2, 3, display names "admin user" ...) and adele@, a fourth later in the list.
#[derive(Debug, Clone, Copy, Default)]
pub struct TestDirectory;

impl AccountDirectory for TestDirectory {
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
        ["admin", "owner", "reader", "adele"]
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

/// The identity platform over http on a random local port; stops when dropped.
#[derive(Debug)]
pub struct IdentityServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The platform's state (codes, refresh tokens, device codes), e.g. to revoke.
    pub state: Arc<IdentityState>,
    /// Verifies the tokens this platform issues.
    pub signer: TokenSigner,
    /// A client that does not follow redirects, to look at each step of a flow.
    pub http: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for IdentityServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl IdentityServer {
    /// Serves [`TestDirectory`] with `options` on 127.0.0.1:0.
    pub async fn start(options: IdentityOptions) -> Self {
        let signer = TokenSigner::new(SIGNER_SEED);
        let state = Arc::new(IdentityState::new(
            signer.clone(),
            Arc::new(TestDirectory),
            options,
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free local port");
        let base = format!(
            "http://{}",
            listener.local_addr().expect("a bound listener's address")
        );
        let app = router(state.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the identity platform serves");
        });
        Self {
            base,
            state,
            signer,
            http: no_redirects(),
            server,
        }
    }

    /// `path` under the tenant's authority, e.g. `url("/oauth2/v2.0/token")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/{TENANT_ID}{path}", self.base)
    }

    /// The claims of `token`, asserting this platform issued it and it has not expired.
    pub fn accepts(&self, token: &str) -> Claims {
        self.signer
            .verify(token, now())
            .expect("a token this platform issued, still valid")
    }
}

/// The identity platform over https (self-signed; trust `listener.cert_der`) on a random local port,
/// serving [`TestDirectory`] with `options`, and the signer its tokens verify with. Stop it with
/// `listener.shutdown()`.
pub async fn serve_https(options: IdentityOptions) -> (HttpsListener, TokenSigner) {
    let signer = TokenSigner::new(SIGNER_SEED);
    let state = Arc::new(IdentityState::new(
        signer.clone(),
        Arc::new(TestDirectory),
        options,
    ));
    let listener = roster_emulator::identity::serve_https(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        router(state),
    )
    .await
    .expect("the https listener starts");
    (listener, signer)
}

/// A client that does not follow redirects.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an http client")
}

/// Seconds since the Unix epoch, as tokens count time.
pub fn now() -> i64 {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970");
    i64::try_from(since.as_secs()).expect("seconds fit in i64")
}

/// A fresh PKCE verifier and its S256 challenge.
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes())
        + &URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes());
    let challenge = s256_challenge(&verifier);
    (verifier, challenge)
}

/// The payload of a compact JWT, decoded without checking the signature.
pub fn jwt_payload(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).expect("a JWT has three parts");
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .expect("a JWT payload is base64url");
    serde_json::from_slice(&bytes).expect("a JWT payload is JSON")
}
