//! Everything that crosses the IPC boundary to the UI: request and response DTOs (serde camelCase,
//! exported to TypeScript by ts-rs), [`AppError`] with its closed [`ErrorCode`], and the single command
//! list. Domain types from the crates are converted into these DTOs here, so no crate depends on ts-rs.

mod app;
#[cfg(any(test, feature = "ipc-gen"))]
mod bindings;
mod column_choice;
pub mod commands;
mod comparison;
mod directory;
mod downloads;
mod error;
mod events;
mod files;
mod groups;
mod jobs;
mod membership;
mod review;
mod rules;
mod session;
mod settings;
mod text;
mod updates;
mod views;

pub use app::AppInfo;
#[cfg(feature = "ipc-gen")]
pub use bindings::write_bindings;
pub use column_choice::{ColumnChoiceDto, ColumnChoiceRequest};
pub use comparison::{
    ComparisonDto, ComparisonExportRequest, ComparisonLinesDto, ComparisonLinesRequest,
    ComparisonRequest, ComparisonRunRequest, DiffCountsDto, DiffLineDto, GroupChangesDto,
};
pub use directory::{
    GROUP_PROPERTIES, GroupDto, GroupsListRequest, GroupsPage, ListingRequest, USER_PROPERTIES,
    UserDto, UserFacets, UsersListRequest, UsersPage,
};
pub use downloads::{
    ColumnCatalogue, ColumnDto, ColumnsRequest, DownloadGroupsRequest, DownloadKindDto,
    DownloadMembersRequest, DownloadOwnersRequest, DownloadUserGroupsRequest, DownloadUsersRequest,
    GroupFilterDto, GroupKindDto, GroupSourceDto, MembershipDto, UserFilterDto, UserTypeDto,
};
pub use error::{AppError, ErrorCode};
pub use events::{UiEvent, emit};
pub use files::{
    ChosenFolderDto, FILE_TEXT_CODES, FileDropDto, FileRefDto, FolderRequest, PickFileRequest,
    PickedFile, SaveFileRequest,
};
pub use groups::{
    GroupDetails, GroupMembersRequest, GroupRequest, MEMBER_PROPERTIES, MemberDto, MembersPage,
};
pub use jobs::{
    JOB_EVENT, JobCountsDto, JobDetail, JobDto, JobEventDto, JobIdRequest, JobKindDto,
    JobProgressDto, JobRef, JobRowDto, JobStatusDto, JobsDeleteRequest, JobsGetRequest,
    JobsListRequest, JobsOpenRequest, JobsPage, JobsSaveResultsRequest, NotificationWordsDto,
    PathDto, RowStatusDto, job_end_message, parse_job_id,
};
pub use membership::{
    FollowUpDto, FollowUpKindDto, FollowUpRequest, MembershipOpDto, MembershipPreviewRequest,
    MembershipPreviewRowsRequest, MembershipStartRequest, MembershipTemplateRequest,
    PREVIEW_PAGE_MAX, PreviewDto, PreviewRowDto, PreviewRowsPage, RowStateDto, StateCount,
    sentence,
};
pub use review::{
    BarDto, ChangeDto, ChartDto, ColumnFilterDto, ColumnStatsDto, EncodingDto, FileKindDto,
    FilterTestDto, PEEK_ROWS, PeekDto, RecentFileDto, RecentFilesDto, ReviewCopiedDto,
    ReviewCopyRequest, ReviewExportRequest, ReviewExportedDto, ReviewFileDto, ReviewFileRequest,
    ReviewHandleRequest, ReviewPageDto, ReviewPageRequest, ReviewSummaryDto, ReviewValuesDto,
    ReviewValuesRequest, SortKeyDto, ValueCountDto, ViewQueryDto, column_positions,
};
pub use rules::{
    RuleChangeDto, RuleCheckDto, RuleCheckRequest, RuleCountsDto, RuleEvaluateRequest,
    RuleExportRequest, RuleGroupApplyRequest, RuleGroupProposeRequest, RuleLineDto, RuleLinesDto,
    RuleLinesRequest, RuleOutcomeDto, RuleProblemDto, RuleProposalDto, RuleResultRequest,
    RuleTokenDto, RuleTokenKindDto,
};
pub use session::{AccountDto, Cloud, SessionDto, SignInMethod, SignInRequest};
pub use session::{
    AccountRequest, SIGN_IN_PROGRESS_EVENT, SavedAccountDto, SignInOptionsDto, SignInProgress,
    SignInProgressDto,
};
pub use settings::{DelimiterDto, SettingsDto};
pub use text::TextDto;
pub use updates::{
    AvailableUpdateDto, UpdateCheckDto, UpdateChoiceRequest, UpdateInstallRequest, UpdatePolicyDto,
    UpdateProgressDto, UpdateStatusDto,
};
pub use views::{
    GroupsViewDto, SavedViewsDto, UsersViewDto, ViewDeleteRequest, ViewSaveRequest, ViewScreenDto,
};
