//! Everything that crosses the IPC boundary to the UI: request and response DTOs (serde camelCase,
//! exported to TypeScript by ts-rs), [`AppError`] with its closed [`ErrorCode`], and the single command
//! list. Domain types from the crates are converted into these DTOs here, so no crate depends on ts-rs.

mod app;
#[cfg(test)]
mod bindings;
pub mod commands;
mod directory;
mod error;
mod groups;
mod membership;
mod session;

pub use app::AppInfo;
pub use directory::{
    GROUP_PROPERTIES, GroupDto, GroupKindDto, GroupSourceDto, GroupsListRequest, GroupsPage,
    ListingRequest, MembershipDto, USER_PROPERTIES, UserDto, UserFacets, UserTypeDto,
    UsersListRequest, UsersPage,
};
pub use error::{AppError, ErrorCode};
pub use groups::{
    GroupDetails, GroupMembersRequest, GroupRequest, MEMBER_PROPERTIES, MemberDto, MembersPage,
};
pub use membership::{
    MembershipOpDto, MembershipPreviewRequest, PickedFile, PreviewDto, PreviewRowDto, RowStateDto,
    StateCount, sentence,
};
pub use session::{AccountDto, Cloud, SessionDto, SignInMethod, SignInRequest};
