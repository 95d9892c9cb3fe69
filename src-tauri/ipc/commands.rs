//! The single list of commands: it expands to the Tauri invoke handler, the list of names, and the
//! request/response table from which the UI's `CommandName` and `Commands` types are generated.

// The request and response types are named only in the generator's `signatures()`.
#[cfg(any(test, feature = "ipc-gen"))]
use super::{AccountRequest, SignInOptionsDto, SignInProgressDto};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{
    AppInfo, GroupsListRequest, GroupsPage, NotificationWordsDto, SessionDto, SignInRequest,
    UsersListRequest, UsersPage,
};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{ChosenFolderDto, FileRefDto, FolderRequest, PickFileRequest, SaveFileRequest};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{
    ColumnCatalogue, ColumnsRequest, DownloadGroupsRequest, DownloadMembersRequest,
    DownloadOwnersRequest, DownloadUserGroupsRequest, DownloadUsersRequest, GroupDetails,
    GroupMembersRequest, GroupRequest, JobDetail, JobDto, JobIdRequest, JobRef, JobsDeleteRequest,
    JobsGetRequest, JobsListRequest, JobsOpenRequest, JobsPage, JobsSaveResultsRequest,
    ListingRequest, MembersPage, MembershipPreviewRequest, MembershipStartRequest, PathDto,
    PickedFile, PreviewDto, SettingsDto, UserFacets,
};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{ColumnChoiceDto, ColumnChoiceRequest};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{
    ComparisonDto, ComparisonExportRequest, ComparisonLinesDto, ComparisonLinesRequest,
    ComparisonRequest, ComparisonRunRequest, RecentFilesDto, ReviewCopiedDto, ReviewCopyRequest,
    ReviewExportRequest, ReviewExportedDto, ReviewFileDto, ReviewFileRequest, ReviewHandleRequest,
    ReviewPageDto, ReviewPageRequest, ReviewSummaryDto, ReviewValuesDto, ReviewValuesRequest,
};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{FollowUpDto, FollowUpRequest};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{MembershipPreviewRowsRequest, MembershipTemplateRequest, PreviewRowsPage};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{PeekDto, RuleGroupApplyRequest, RuleGroupProposeRequest, RuleProposalDto};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{
    RuleCheckDto, RuleCheckRequest, RuleEvaluateRequest, RuleExportRequest, RuleLinesDto,
    RuleLinesRequest, RuleOutcomeDto, RuleResultRequest,
};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{SavedViewsDto, ViewDeleteRequest, ViewSaveRequest};
#[cfg(any(test, feature = "ipc-gen"))]
use super::{UpdateCheckDto, UpdateChoiceRequest, UpdateInstallRequest, UpdateStatusDto};

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
        #[cfg(any(test, feature = "ipc-gen"))]
        pub(crate) fn signatures() -> Vec<super::bindings::Signature> {
            vec![$(super::bindings::Signature::of::<$request, $response>(stringify!($name))),*]
        }
    };
}

command_list! {
    app::app_info(()) -> AppInfo;
    app::app_notification_words(NotificationWordsDto) -> ();
    session::session_get(()) -> SessionDto;
    session::session_sign_in(SignInRequest) -> SessionDto;
    session::session_sign_out(()) -> SessionDto;
    session::session_allow_changes(()) -> ();
    session::session_accounts(()) -> SignInOptionsDto;
    session::session_use_account(AccountRequest) -> SessionDto;
    session::session_remove_account(AccountRequest) -> SignInOptionsDto;
    session::session_switch_account(()) -> SessionDto;
    session::session_cancel_sign_in(()) -> ();
    session::session_sign_in_progress(()) -> SignInProgressDto;
    session::session_open_device_page(()) -> ();
    directory::users_list(UsersListRequest) -> UsersPage;
    directory::groups_list(GroupsListRequest) -> GroupsPage;
    directory::users_more(ListingRequest) -> UsersPage;
    directory::users_facets(()) -> UserFacets;
    directory::groups_more(ListingRequest) -> GroupsPage;
    directory::group_get(GroupRequest) -> GroupDetails;
    directory::group_members(GroupMembersRequest) -> MembersPage;
    directory::group_members_more(ListingRequest) -> MembersPage;
    membership::membership_preview(MembershipPreviewRequest) -> PreviewDto;
    membership::membership_preview_rows(MembershipPreviewRowsRequest) -> PreviewRowsPage;
    membership::membership_pick_file(PickFileRequest) -> PickedFile;
    membership::membership_start(MembershipStartRequest) -> JobRef;
    membership::membership_template(MembershipTemplateRequest) -> PathDto;
    downloads::downloads_users(DownloadUsersRequest) -> JobRef;
    downloads::downloads_groups(DownloadGroupsRequest) -> JobRef;
    downloads::downloads_members(DownloadMembersRequest) -> JobRef;
    downloads::downloads_owners(DownloadOwnersRequest) -> JobRef;
    downloads::downloads_user_groups(DownloadUserGroupsRequest) -> JobRef;
    downloads::downloads_columns(ColumnsRequest) -> ColumnCatalogue;
    column_choice::column_choice_get(ColumnsRequest) -> ColumnChoiceDto;
    column_choice::column_choice_set(ColumnChoiceRequest) -> ();
    views::views_get(()) -> SavedViewsDto;
    views::views_save(ViewSaveRequest) -> SavedViewsDto;
    views::views_delete(ViewDeleteRequest) -> SavedViewsDto;
    jobs::jobs_list(JobsListRequest) -> JobsPage;
    jobs::jobs_get(JobsGetRequest) -> JobDetail;
    jobs::jobs_resume(JobIdRequest) -> JobRef;
    jobs::jobs_cancel(JobIdRequest) -> JobDto;
    jobs::jobs_follow_up(FollowUpRequest) -> FollowUpDto;
    jobs::jobs_delete(JobsDeleteRequest) -> PathDto;
    jobs::jobs_save_results(JobsSaveResultsRequest) -> PathDto;
    jobs::jobs_open(JobsOpenRequest) -> PathDto;
    settings::settings_get(()) -> SettingsDto;
    settings::settings_set(SettingsDto) -> SettingsDto;
    updates::update_status(()) -> UpdateStatusDto;
    updates::update_choose(UpdateChoiceRequest) -> UpdateStatusDto;
    updates::update_check(()) -> UpdateCheckDto;
    updates::update_install(UpdateInstallRequest) -> ();
    dialog::dialog_save_file(SaveFileRequest) -> PickedFile;
    dialog::dialog_choose_folder(FolderRequest) -> ChosenFolderDto;
    review::review_open(ReviewFileRequest) -> ReviewFileDto;
    review::review_peek(ReviewFileRequest) -> PeekDto;
    review::review_pick_file(PickFileRequest) -> PickedFile;
    review::review_job_file(JobIdRequest) -> FileRefDto;
    review::review_close(ReviewHandleRequest) -> ();
    review::review_summary(ReviewHandleRequest) -> ReviewSummaryDto;
    review::review_page(ReviewPageRequest) -> ReviewPageDto;
    review::review_values(ReviewValuesRequest) -> ReviewValuesDto;
    review::review_export(ReviewExportRequest) -> ReviewExportedDto;
    review::review_copy(ReviewCopyRequest) -> ReviewCopiedDto;
    review::review_recent(()) -> RecentFilesDto;
    review::review_forget_recent(ReviewFileRequest) -> RecentFilesDto;
    review::comparison_run(ComparisonRunRequest) -> ComparisonDto;
    review::comparison_lines(ComparisonLinesRequest) -> ComparisonLinesDto;
    review::comparison_export(ComparisonExportRequest) -> ReviewExportedDto;
    review::comparison_close(ComparisonRequest) -> ();
    rules::rule_check(RuleCheckRequest) -> RuleCheckDto;
    rules::rule_evaluate(RuleEvaluateRequest) -> RuleOutcomeDto;
    rules::rule_lines(RuleLinesRequest) -> RuleLinesDto;
    rules::rule_export(RuleExportRequest) -> ReviewExportedDto;
    rules::rule_close(RuleResultRequest) -> ();
    rules::rules_propose_group(RuleGroupProposeRequest) -> RuleProposalDto;
    rules::rules_apply_group(RuleGroupApplyRequest) -> ();
}
