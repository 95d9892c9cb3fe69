//! The saved views of the Users and Groups screens, through roster-app's `saved_views`.

use roster_app::saved_views::{self, SavedView, ViewScreen};

use super::AppState;
use crate::ipc::{
    AppError, ErrorCode, GroupsViewDto, SavedViewsDto, UsersViewDto, ViewDeleteRequest,
    ViewSaveRequest, ViewScreenDto,
};

impl AppState {
    /// Both screens' saved views.
    pub fn saved_views(&self) -> Result<SavedViewsDto, AppError> {
        let store = self.settings_store()?;
        Ok(SavedViewsDto {
            users: saved_views::list(&store, ViewScreen::Users)?
                .into_iter()
                .map(|v| UsersViewDto {
                    name: v.name,
                    query: v.query,
                })
                .collect(),
            groups: saved_views::list(&store, ViewScreen::Groups)?
                .into_iter()
                .map(|v| GroupsViewDto {
                    name: v.name,
                    query: v.query,
                })
                .collect(),
        })
    }

    /// Saves one view (replacing a view of the same name on its screen).
    pub fn save_view(&self, request: ViewSaveRequest) -> Result<SavedViewsDto, AppError> {
        let store = self.settings_store()?;
        match (request.users, request.groups) {
            (Some(view), None) => {
                let view = SavedView {
                    name: view.name,
                    query: view.query,
                };
                saved_views::save(&store, ViewScreen::Users, view)?;
            }
            (None, Some(view)) => {
                let view = SavedView {
                    name: view.name,
                    query: view.query,
                };
                saved_views::save(&store, ViewScreen::Groups, view)?;
            }
            _ => {
                return Err(AppError::new(
                    ErrorCode::Validation,
                    "Save one view at a time: of the Users screen or of the Groups screen.",
                ));
            }
        }
        self.saved_views()
    }

    /// Deletes one view.
    pub fn delete_view(&self, request: ViewDeleteRequest) -> Result<SavedViewsDto, AppError> {
        let store = self.settings_store()?;
        let screen = match request.screen {
            ViewScreenDto::Users => ViewScreen::Users,
            ViewScreenDto::Groups => ViewScreen::Groups,
        };
        saved_views::delete::<serde_json::Value>(&store, screen, &request.name)?;
        self.saved_views()
    }
}
