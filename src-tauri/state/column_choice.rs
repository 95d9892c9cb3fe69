//! The columns last chosen for each kind of download, through roster-app's `column_choice`.

use roster_app::column_choice;

use super::AppState;
use crate::ipc::{AppError, ColumnChoiceDto, ColumnChoiceRequest, ColumnsRequest};

impl AppState {
    /// The column spec last chosen for a kind of download, if any.
    pub fn column_choice(&self, request: ColumnsRequest) -> Result<ColumnChoiceDto, AppError> {
        let store = self.settings_store()?;
        Ok(ColumnChoiceDto {
            spec: column_choice::remembered(&store, request.kind.into())?,
        })
    }

    /// Keeps the column spec chosen for a kind of download (checked against that kind).
    pub fn remember_column_choice(&self, request: ColumnChoiceRequest) -> Result<(), AppError> {
        let store = self.settings_store()?;
        Ok(column_choice::remember(
            &store,
            request.kind.into(),
            &request.spec,
        )?)
    }
}
