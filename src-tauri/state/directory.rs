//! Reading the directory for the tables: users and groups.

use roster_graph::{ListQuery, Pager};
use serde_json::Value;

use super::AppState;
use crate::ipc::{
    AppError, GROUP_PROPERTIES, GroupDto, GroupsListRequest, GroupsPage, USER_PROPERTIES, UserDto,
    UsersListRequest, UsersPage,
};

/// The most rows one list command sends to the UI; beyond it the page says `truncated`.
pub const MAX_LIST_ROWS: usize = 20_000;

impl AppState {
    /// The tenant's users, optionally those whose name or UPN starts with `request.search`.
    pub async fn users(&self, request: UsersListRequest) -> Result<UsersPage, AppError> {
        let mut query = ListQuery::new()
            .select(USER_PROPERTIES.iter().copied())
            .top(999);
        if let Some(text) = search_text(request.search.as_deref()) {
            query = query.filter(format!(
                "startswith(displayName,'{text}') or startswith(userPrincipalName,'{text}')"
            ));
        }
        let graph = self.read_graph().await?;
        let (rows, truncated) = collect(graph.list_users(&query)?).await?;
        Ok(UsersPage {
            items: rows.iter().map(UserDto::from_graph).collect(),
            truncated,
        })
    }

    /// The tenant's groups, optionally those whose name starts with `request.search`.
    pub async fn groups(&self, request: GroupsListRequest) -> Result<GroupsPage, AppError> {
        let mut query = ListQuery::new()
            .select(GROUP_PROPERTIES.iter().copied())
            .top(999);
        if let Some(text) = search_text(request.search.as_deref()) {
            query = query.filter(format!("startswith(displayName,'{text}')"));
        }
        let graph = self.read_graph().await?;
        let (rows, truncated) = collect(graph.list_groups(&query)?).await?;
        Ok(GroupsPage {
            items: rows.iter().map(GroupDto::from_graph).collect(),
            truncated,
        })
    }
}

/// The trimmed search text as an OData string literal body (`'` doubled), or `None` when blank.
fn search_text(search: Option<&str>) -> Option<String> {
    let text = search?.trim();
    (!text.is_empty()).then(|| text.replace('\'', "''"))
}

/// Reads pages until the listing ends or [`MAX_LIST_ROWS`] rows are in; says whether rows were left.
async fn collect(mut pager: Pager<Value>) -> Result<(Vec<Value>, bool), AppError> {
    let mut rows = Vec::new();
    while let Some(page) = pager.next_page().await {
        rows.extend(page?.items);
        if rows.len() >= MAX_LIST_ROWS {
            let more = rows.len() > MAX_LIST_ROWS || pager.continuation().is_some();
            rows.truncate(MAX_LIST_ROWS);
            return Ok((rows, more));
        }
    }
    Ok((rows, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_is_trimmed_and_quoted_for_odata() {
        assert_eq!(search_text(None), None);
        assert_eq!(search_text(Some("  ")), None);
        assert_eq!(search_text(Some(" O'Brien ")).as_deref(), Some("O''Brien"));
    }
}
