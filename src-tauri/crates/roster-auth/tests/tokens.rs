//! Access and refresh tokens against the emulator: silent refresh before expiry with rotation, a
//! revoked refresh token, incremental and refused consent, and no token in files or logs.

use std::time::Duration;

use crate::support::*;
use roster_auth::{AuthError, TokenVault, WRITE_SCOPE};
use roster_emulator::identity::IdentityOptions;
use roster_graph::{TokenError, TokenSource};

async fn refresh_directly(idp: &Idp, client_id: &str, refresh_token: &str) -> serde_json::Value {
    no_redirects()
        .post(format!("{}/{TENANT_ID}/oauth2/v2.0/token", idp.base))
        .form(&[
            ("client_id", client_id),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn tokens_near_expiry_are_refreshed_silently_and_each_rotated_refresh_token_is_saved() {
    // One-minute tokens are always inside the five-minute refresh margin: every call refreshes.
    let idp = start(IdentityOptions {
        token_lifetime: Duration::from_secs(60),
        ..IdentityOptions::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let session = auth(&idp, dir.path(), &vault, "admin")
        .sign_in_interactive(None)
        .await
        .unwrap();
    let key = session.account().key();
    let first_refresh = vault.load(&key).unwrap().unwrap();

    let first = session
        .access_token(&["User.Read.All".to_owned()])
        .await
        .unwrap();
    let second_refresh = vault.load(&key).unwrap().unwrap();
    let second = session
        .access_token(&["User.Read.All".to_owned()])
        .await
        .unwrap();
    let third_refresh = vault.load(&key).unwrap().unwrap();
    assert_ne!(first.secret(), second.secret());
    assert_ne!(first_refresh.secret(), second_refresh.secret());
    assert_ne!(second_refresh.secret(), third_refresh.secret());
    idp.accepts(second.secret());

    // The emulator refuses the rotated-away refresh token.
    let refused =
        refresh_directly(&idp, &session.account().client_id, first_refresh.secret()).await;
    assert_eq!(refused["error"], "invalid_grant");
}

#[tokio::test]
async fn valid_tokens_come_from_memory_and_invalidate_forces_a_refresh() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let session = auth(&idp, dir.path(), &vault, "admin")
        .sign_in_interactive(None)
        .await
        .unwrap();
    let key = session.account().key();
    let saved = vault.load(&key).unwrap().unwrap();

    let first = session
        .access_token(&["User.Read.All".to_owned()])
        .await
        .unwrap();
    let again = session
        .access_token(&["user.read.all".to_owned()])
        .await
        .unwrap();
    assert_eq!(first.secret(), again.secret());
    assert_eq!(
        vault.load(&key).unwrap().unwrap().secret(),
        saved.secret(),
        "no refresh while the token is fresh"
    );

    session.invalidate(&first).await;
    let fresh = session
        .access_token(&["User.Read.All".to_owned()])
        .await
        .unwrap();
    assert_ne!(fresh.secret(), first.secret());
    assert_ne!(vault.load(&key).unwrap().unwrap().secret(), saved.secret());
}

/// The admin's path: a read sign-in, then a change. Without consent for the write permission the
/// silent refresh is refused (AADSTS65001) and the error says to sign in again to allow changes,
/// with the command; once an admin has consented, the same call gets it silently. The read and the
/// write token are cached apart: neither replaces the other.
#[tokio::test]
async fn write_scope_needs_consent_then_comes_silently_in_its_own_cached_token() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let auth = auth(&idp, dir.path(), &vault, "admin");
    let session = auth.sign_in_interactive(None).await.unwrap();
    let account = session.account();
    assert!(!account.scopes.iter().any(|s| s == WRITE_SCOPE));
    let read = session.token(&["User.Read.All".to_owned()]).await.unwrap();

    let error = session
        .ensure_scopes(&[WRITE_SCOPE], false)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("Sign in again to allow changes")
            && message.contains(&format!(
                "roster login --account {} --allow-changes",
                account.upn
            ))
            && message.contains(WRITE_SCOPE),
        "{message}"
    );
    assert!(matches!(
        TokenError::from(error),
        TokenError::ConsentRequired(_)
    ));
    // Nothing changed for reading.
    let again = session.token(&["User.Read.All".to_owned()]).await.unwrap();
    assert_eq!(again.secret(), read.secret());

    // An admin consents for the app; the saved sign-in now gets the permission silently.
    idp.state
        .grant_consent(&account.upn, &account.client_id, &[WRITE_SCOPE])
        .unwrap();
    session.ensure_scopes(&[WRITE_SCOPE], false).await.unwrap();
    let write = session
        .access_token(&[WRITE_SCOPE.to_owned()])
        .await
        .unwrap();
    assert_ne!(write.secret(), read.secret());
    let claims = idp.accepts(write.secret());
    assert!(claims.has_permission(WRITE_SCOPE) && claims.has_permission("User.Read.All"));
    let read_after = session.token(&["User.Read.All".to_owned()]).await.unwrap();
    assert_eq!(
        read_after.secret(),
        read.secret(),
        "the write token does not replace the read token"
    );
    let write_again = session.token(&[WRITE_SCOPE.to_owned()]).await.unwrap();
    assert_eq!(write_again.secret(), write.secret());
    let saved = auth.accounts().unwrap().active().unwrap().clone();
    assert!(
        saved.scopes.iter().any(|s| s == WRITE_SCOPE),
        "{:?}",
        saved.scopes
    );
}

#[tokio::test]
async fn a_write_scope_nobody_may_consent_to_is_a_plain_message() {
    let options = IdentityOptions {
        admin_only_scopes: vec![WRITE_SCOPE.to_owned()],
        ..IdentityOptions::default()
    };
    let idp = start(options).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let session = auth(&idp, dir.path(), &vault, "reader")
        .sign_in_interactive(None)
        .await
        .unwrap();

    // Silently: the refresh is refused, and the person is told to sign in again to allow changes.
    let error = session
        .ensure_scopes(&[WRITE_SCOPE], false)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(WRITE_SCOPE)
            && message.contains("--allow-changes")
            && message.contains(&upn("reader")),
        "{message}"
    );

    // The interactive sign-in is refused too, saying who can grant it; the read sign-in still works.
    let error = session
        .ensure_scopes(&[WRITE_SCOPE], true)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, AuthError::ConsentRequired(_)), "{message}");
    assert!(
        message.contains(WRITE_SCOPE)
            && message.contains("Global Administrator")
            && message.contains(&upn("reader")),
        "{message}"
    );
    assert!(session.token(&["User.Read.All".to_owned()]).await.is_ok());
}

#[tokio::test]
async fn a_revoked_refresh_token_asks_to_sign_in_again_and_keeps_the_account() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let auth = auth(&idp, dir.path(), &vault, "owner");
    let account = auth.sign_in_interactive(None).await.unwrap().account();
    assert_eq!(idp.state.revoke_refresh_tokens(&account.upn), 1);

    // A new process: no access token in memory, only the keyring.
    let session = auth.session(None).unwrap();
    let error = session
        .access_token(&["User.Read.All".to_owned()])
        .await
        .unwrap_err();
    let TokenError::SignInRequired(message) = error else {
        panic!("expected SignInRequired, got {error}")
    };
    assert!(
        message.contains("revoked")
            && message.contains(&format!("roster login --account {}", account.upn)),
        "{message}"
    );
    assert_eq!(auth.accounts().unwrap().active().unwrap(), &account);
    assert!(vault.load(&account.key()).unwrap().is_some());

    // Signing in again repairs it.
    let again = auth.sign_in_interactive(Some(&account.upn)).await.unwrap();
    assert!(again.token(&["User.Read.All".to_owned()]).await.is_ok());
    assert_eq!(auth.accounts().unwrap().list().len(), 1);
}

/// A token endpoint that answers a refresh with 80 MB (a broken or hostile server, or a wrong
/// authority) ends in the typed `AnswerTooLarge` once 1 MiB has been read, not in memory filled with
/// the whole answer and a parse error; the saved sign-in is kept and works once the endpoint behaves.
#[tokio::test]
async fn a_token_answer_larger_than_any_token_response_is_refused_and_the_sign_in_kept() {
    let idp = start(IdentityOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let vault = TokenVault::in_memory().unwrap();
    let session = auth(&idp, dir.path(), &vault, "admin")
        .sign_in_interactive(None)
        .await
        .unwrap();
    let saved = vault.load(&session.account().key()).unwrap().unwrap();

    idp.state
        .set_token_fault(Some(roster_emulator::faults::Fault::Huge));
    let error = session
        .ensure_scopes(&[WRITE_SCOPE], false)
        .await
        .unwrap_err();
    assert!(
        matches!(error, AuthError::AnswerTooLarge { limit_kib: 1024 }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("larger than 1024 KiB"),
        "{error}"
    );
    assert!(matches!(
        TokenError::from(error),
        TokenError::Unavailable(_)
    ));
    assert_eq!(
        vault
            .load(&session.account().key())
            .unwrap()
            .unwrap()
            .secret(),
        saved.secret(),
        "the saved sign-in is kept"
    );

    idp.state.set_token_fault(None);
    let token = session
        .access_token(&["User.Read.All".to_owned()])
        .await
        .unwrap();
    idp.accepts(token.secret());
}
