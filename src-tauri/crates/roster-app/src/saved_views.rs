//! Saved views of the directory screens: a name for a set of filter pickers ("Sales guests") that
//! the admin picks again later, kept in the job database's settings table so they outlive a restart.
//!
//! The query is the front end's own type (`Q`): this module only names, orders, replaces and stores
//! views, so the desktop's list requests travel through it unchanged.

use roster_core::text::Text;
use roster_store::Store;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{AppError, ErrorCode};

/// At most this many views per screen: the menu stays a menu.
pub const MAX_VIEWS: usize = 50;
/// A view's name is at most this many characters.
pub const MAX_NAME_CHARS: usize = 80;

/// The screen a view belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewScreen {
    /// The Users screen.
    Users,
    /// The Groups screen.
    Groups,
}

/// A named set of filter pickers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedView<Q> {
    /// What the admin called it (trimmed, unique per screen ignoring case).
    pub name: String,
    /// The pickers it stands for.
    pub query: Q,
}

fn key(screen: ViewScreen) -> &'static str {
    match screen {
        ViewScreen::Users => "desktop.views.users",
        ViewScreen::Groups => "desktop.views.groups",
    }
}

/// The screen's views in the order they were first saved. A stored view this version cannot read
/// (written by a newer one) is left out of the list but kept in the store.
pub fn list<Q: DeserializeOwned>(
    store: &Store,
    screen: ViewScreen,
) -> Result<Vec<SavedView<Q>>, AppError> {
    Ok(stored(store, screen)?
        .into_iter()
        .filter_map(|raw| serde_json::from_value(raw).ok())
        .collect())
}

/// Saves `view` under its name: a view of the same name (ignoring case) is replaced in its place,
/// a new one goes last. Answers the screen's views after the change.
pub fn save<Q: Serialize + DeserializeOwned>(
    store: &Store,
    screen: ViewScreen,
    view: SavedView<Q>,
) -> Result<Vec<SavedView<Q>>, AppError> {
    let name = checked_name(&view.name)?;
    let entry = serde_json::to_value(SavedView {
        name: name.clone(),
        query: view.query,
    })
    .map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("could not encode the view: {e}"),
        )
    })?;
    let mut views = stored(store, screen)?;
    match views.iter().position(|raw| same_name(raw, &name)) {
        Some(at) => views[at] = entry,
        None if views.len() >= MAX_VIEWS => {
            return Err(AppError::coded(
                ErrorCode::Validation,
                Text::new(
                    "app.viewsFull",
                    format!("There are already {MAX_VIEWS} saved views here. Delete one you no longer use, then save again."),
                )
                .with("count", MAX_VIEWS.to_string()),
            ));
        }
        None => views.push(entry),
    }
    write(store, screen, &views)?;
    list(store, screen)
}

/// Deletes the view called `name` (ignoring case); deleting one that is not there changes nothing.
pub fn delete<Q: DeserializeOwned>(
    store: &Store,
    screen: ViewScreen,
    name: &str,
) -> Result<Vec<SavedView<Q>>, AppError> {
    let mut views = stored(store, screen)?;
    let before = views.len();
    views.retain(|raw| !same_name(raw, name.trim()));
    if views.len() != before {
        write(store, screen, &views)?;
    }
    list(store, screen)
}

fn checked_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(AppError::coded(
            ErrorCode::Validation,
            Text::new(
                "app.viewNameBlank",
                "Give the view a name, for example “Sales guests”.",
            ),
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::coded(
            ErrorCode::Validation,
            Text::new(
                "app.viewNameLong",
                format!("A view’s name can have at most {MAX_NAME_CHARS} characters. Choose a shorter name."),
            )
            .with("max", MAX_NAME_CHARS.to_string()),
        ));
    }
    Ok(name.to_owned())
}

fn same_name(raw: &Value, name: &str) -> bool {
    raw["name"]
        .as_str()
        .is_some_and(|n| n.to_lowercase() == name.to_lowercase())
}

fn stored(store: &Store, screen: ViewScreen) -> Result<Vec<Value>, AppError> {
    let Some(text) = store.setting(key(screen))? else {
        return Ok(Vec::new());
    };
    match serde_json::from_str::<Vec<Value>>(&text) {
        Ok(views) => Ok(views),
        Err(e) => Err(AppError::new(
            ErrorCode::Internal,
            format!("the saved views could not be read ({e}); they are left as they are"),
        )),
    }
}

fn write(store: &Store, screen: ViewScreen, views: &[Value]) -> Result<(), AppError> {
    let text = serde_json::to_string(views).map_err(|e| {
        AppError::new(
            ErrorCode::Internal,
            format!("could not encode the views: {e}"),
        )
    })?;
    store.set_setting(key(screen), &text)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> Store {
        Store::open_in_memory().unwrap()
    }

    fn view(name: &str, department: &str) -> SavedView<Value> {
        SavedView {
            name: name.into(),
            query: json!({ "department": [department] }),
        }
    }

    #[test]
    fn views_are_kept_replaced_by_name_and_deleted() {
        let store = store();
        save(&store, ViewScreen::Users, view(" Sales guests ", "Sales")).unwrap();
        save(&store, ViewScreen::Users, view("Legal", "Legal")).unwrap();
        let views = save(
            &store,
            ViewScreen::Users,
            view("sales GUESTS", "Sales EMEA"),
        )
        .unwrap();
        assert_eq!(views.len(), 2);
        assert_eq!(views[0].name, "sales GUESTS");
        assert_eq!(views[0].query, json!({ "department": ["Sales EMEA"] }));
        assert!(
            list::<Value>(&store, ViewScreen::Groups)
                .unwrap()
                .is_empty()
        );
        let views = delete::<Value>(&store, ViewScreen::Users, "legal").unwrap();
        assert_eq!(views.len(), 1);
    }

    #[test]
    fn blank_long_and_too_many_names_are_refused_with_the_way_out() {
        let store = store();
        let blank = save(&store, ViewScreen::Users, view("  ", "x")).unwrap_err();
        assert_eq!(blank.text.code, "app.viewNameBlank");
        let long = save(&store, ViewScreen::Users, view(&"n".repeat(81), "x")).unwrap_err();
        assert_eq!(long.text.code, "app.viewNameLong");
        for i in 0..MAX_VIEWS {
            save(&store, ViewScreen::Groups, view(&format!("v{i}"), "x")).unwrap();
        }
        let full = save(&store, ViewScreen::Groups, view("one more", "x")).unwrap_err();
        assert_eq!(full.text.code, "app.viewsFull");
        assert!(full.to_string().contains("Delete one"), "{full}");
        save(&store, ViewScreen::Groups, view("V0", "replaced")).unwrap();
    }

    #[test]
    fn a_view_this_version_cannot_read_is_skipped_not_lost() {
        #[derive(Debug, Deserialize, Serialize)]
        struct Strict {
            department: Vec<String>,
        }
        let store = store();
        save(&store, ViewScreen::Users, view("ok", "Sales")).unwrap();
        save(
            &store,
            ViewScreen::Users,
            SavedView {
                name: "newer".into(),
                query: json!({ "department": 7 }),
            },
        )
        .unwrap();
        let views = list::<Strict>(&store, ViewScreen::Users).unwrap();
        assert_eq!(views.len(), 1);
        assert_eq!(list::<Value>(&store, ViewScreen::Users).unwrap().len(), 2);
    }
}
