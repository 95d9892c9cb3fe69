//! What roster-auth's tests share beyond roster-test-support: the `AuthConfig` of its identity platform,
//! a scripted browser as the `Interaction`'s URL opener, and an `Auth` that signs in through both.

use std::sync::Arc;

use roster_auth::config::UrlOpener;
use roster_auth::{Auth, AuthConfig, Interaction, TokenVault};
use roster_emulator::identity::IdentityOptions;
pub use roster_test_support::browser::ScriptedBrowser;
pub use roster_test_support::files::files_text;
pub use roster_test_support::identity::{
    IdentityServer as Idp, TENANT_ID, no_redirects, now, serve_https, upn,
};

/// The identity platform alone, over http, with roster-test-support's directory (admin@, owner@,
/// reader@, adele@).
pub async fn start(options: IdentityOptions) -> Idp {
    Idp::start(options).await
}

/// Roster's sign-in configuration for `idp` (authority and tenant).
pub fn config(idp: &Idp) -> AuthConfig {
    AuthConfig::emulator(&idp.base, TENANT_ID)
}

/// `browser` as the app's "open this URL": it visits in the background and the app goes on waiting.
pub fn opener(browser: ScriptedBrowser) -> UrlOpener {
    Arc::new(move |url: &url::Url| {
        browser.open(url);
        Ok(())
    })
}

/// An `Auth` over `data_dir` and `vault`, signing in as `account` in the scripted browser.
pub fn auth(idp: &Idp, data_dir: &std::path::Path, vault: &TokenVault, account: &str) -> Auth {
    let interaction = Interaction {
        open_url: opener(ScriptedBrowser::signing_in_as(upn(account))),
        ..Interaction::default()
    };
    Auth::new(config(idp), data_dir, vault.clone())
        .unwrap()
        .with_interaction(interaction)
}
