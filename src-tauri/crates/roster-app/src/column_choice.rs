//! The columns last chosen for each kind of download, kept in the job database's settings table so
//! the next download of that kind starts from them (also after a restart).

use roster_core::text::Text;
use roster_store::Store;

use crate::downloads::{DownloadKind, parse_spec};
use crate::error::{AppError, ErrorCode};

/// The settings key of a kind's last column choice.
fn key(kind: DownloadKind) -> &'static str {
    match kind {
        DownloadKind::Users => "desktop.columns.users",
        DownloadKind::Groups => "desktop.columns.groups",
        DownloadKind::Members => "desktop.columns.members",
        DownloadKind::Owners => "desktop.columns.owners",
        DownloadKind::UserGroups => "desktop.columns.userGroups",
    }
}

/// The column spec last chosen for `kind`, or `None` when none was, or when it no longer names
/// columns this version offers (it is then forgotten, so the kind's default applies).
pub fn remembered(store: &Store, kind: DownloadKind) -> Result<Option<String>, AppError> {
    let Some(spec) = store.setting(key(kind))? else {
        return Ok(None);
    };
    if spec.trim().is_empty() || parse_spec(kind, &spec, true).is_err() {
        store.remove_setting(key(kind))?;
        return Ok(None);
    }
    Ok(Some(spec))
}

/// Keeps `spec` as the column choice of `kind`, once it is known to be a valid spec of that kind
/// (a users preset such as `portal` is refused for members, with the reason).
pub fn remember(store: &Store, kind: DownloadKind, spec: &str) -> Result<(), AppError> {
    let spec = spec.trim();
    if let Err(e) = parse_spec(kind, spec, true) {
        return Err(AppError::coded(
            ErrorCode::Validation,
            Text::new("app.columnChoice", format!("The columns chosen: {e}")).with("error", e),
        ));
    }
    store.set_setting(key(kind), spec)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_keeps_its_own_choice() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(remembered(&store, DownloadKind::Users).unwrap(), None);
        remember(
            &store,
            DownloadKind::Users,
            " department,userPrincipalName ",
        )
        .unwrap();
        remember(&store, DownloadKind::Groups, "all").unwrap();
        assert_eq!(
            remembered(&store, DownloadKind::Users).unwrap().as_deref(),
            Some("department,userPrincipalName")
        );
        assert_eq!(
            remembered(&store, DownloadKind::Groups).unwrap().as_deref(),
            Some("all")
        );
        assert_eq!(remembered(&store, DownloadKind::Members).unwrap(), None);
        remember(&store, DownloadKind::Users, "portal").unwrap();
        assert_eq!(
            remembered(&store, DownloadKind::Users).unwrap().as_deref(),
            Some("portal")
        );
    }

    #[test]
    fn a_spec_of_another_kind_is_refused_with_the_reason() {
        let store = Store::open_in_memory().unwrap();
        let error = remember(&store, DownloadKind::Members, "portal").unwrap_err();
        assert_eq!(error.code, ErrorCode::Validation);
        assert!(
            error.message.contains("unknown member column `portal`"),
            "{}",
            error.message
        );
        assert!(remember(&store, DownloadKind::Users, " ").is_err());
        assert_eq!(remembered(&store, DownloadKind::Members).unwrap(), None);
    }

    #[test]
    fn a_choice_this_version_no_longer_offers_is_forgotten() {
        let store = Store::open_in_memory().unwrap();
        store
            .set_setting("desktop.columns.groups", "displayName,retiredColumn")
            .unwrap();
        assert_eq!(remembered(&store, DownloadKind::Groups).unwrap(), None);
        assert_eq!(store.setting("desktop.columns.groups").unwrap(), None);
    }
}
