//! The single list of commands: it expands to the Tauri invoke handler, the list of names, and the
//! request/response table from which the UI's `CommandName` and `Commands` types are generated.

// The request and response types are named only in the test-only `signatures()`.
#[cfg(test)]
use super::{
    AppInfo, GroupsListRequest, GroupsPage, SessionDto, SignInRequest, UsersListRequest, UsersPage,
};
#[cfg(test)]
use super::{
    GroupDetails, GroupMembersRequest, GroupRequest, ListingRequest, MembersPage,
    MembershipPreviewRequest, PickedFile, PreviewDto, UserFacets,
};

/// Declares every command once: `domain::name(Request) -> Response;`, where `domain` is the file in
/// `commands/` and `()` stands for "takes no request".
macro_rules! command_list {
    ($($domain:ident :: $name:ident ( $request:ty ) -> $response:ty;)*) => {
        /// The names of every command, in registration order.
        pub const COMMAND_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// The invoke handler that registers every command (used by `lib.rs` and the tests).
        pub fn invoke_handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(crate::commands::$domain::$name),*]
        }

        /// Each command's name with its request and response types, for the TypeScript generator.
        #[cfg(test)]
        pub(crate) fn signatures() -> Vec<super::bindings::Signature> {
            vec![$(super::bindings::Signature::of::<$request, $response>(stringify!($name))),*]
        }
    };
}

command_list! {
    app::app_info(()) -> AppInfo;
    session::session_get(()) -> SessionDto;
    session::session_sign_in(SignInRequest) -> SessionDto;
    session::session_sign_out(()) -> SessionDto;
    directory::users_list(UsersListRequest) -> UsersPage;
    directory::groups_list(GroupsListRequest) -> GroupsPage;
    directory::users_more(ListingRequest) -> UsersPage;
    directory::users_facets(()) -> UserFacets;
    directory::groups_more(ListingRequest) -> GroupsPage;
    directory::group_get(GroupRequest) -> GroupDetails;
    directory::group_members(GroupMembersRequest) -> MembersPage;
    directory::group_members_more(ListingRequest) -> MembersPage;
    membership::membership_preview(MembershipPreviewRequest) -> PreviewDto;
    membership::membership_pick_file(()) -> PickedFile;
}
