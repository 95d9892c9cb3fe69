//! Everything that crosses the IPC boundary to the UI: request and response DTOs (serde camelCase,
//! exported to TypeScript by ts-rs), [`AppError`] with its closed [`ErrorCode`], and the single command
//! list. Domain types from the crates are converted into these DTOs here, so no crate depends on ts-rs.

mod app;
#[cfg(test)]
mod bindings;
pub mod commands;
mod directory;
mod error;
mod session;

pub use app::AppInfo;
pub use directory::{
    GROUP_PROPERTIES, GroupDto, GroupsListRequest, GroupsPage, USER_PROPERTIES, UserDto,
    UsersListRequest, UsersPage,
};
pub use error::{AppError, ErrorCode};
pub use session::{AccountDto, Cloud, SessionDto, SignInMethod, SignInRequest};
pub use session::{
    AccountRequest, SIGN_IN_PROGRESS_EVENT, SavedAccountDto, SignInOptionsDto, SignInProgress,
    SignInProgressDto,
};
