//! `rule_*` commands: the rule lab. Check a dynamic membership rule as it is typed, try it on an
//! open users file (and a group's members file), list and export who it matches, and save it to a
//! dynamic group.

use tauri::State;

use crate::ipc::{
    AppError, ReviewExportedDto, RuleCheckDto, RuleCheckRequest, RuleEvaluateRequest,
    RuleExportRequest, RuleGroupApplyRequest, RuleGroupProposeRequest, RuleLinesDto,
    RuleLinesRequest, RuleOutcomeDto, RuleProposalDto, RuleResultRequest,
};
use crate::state::AppState;

/// Checks a rule: valid, or where it is wrong and why; its tokens for colouring.
#[tauri::command]
pub async fn rule_check(
    state: State<'_, AppState>,
    request: RuleCheckRequest,
) -> Result<RuleCheckDto, AppError> {
    state.rule_check(request).await
}

/// Evaluates a rule on an open users file: how many it matches, who would join, leave or stay.
#[tauri::command]
pub async fn rule_evaluate(
    state: State<'_, AppState>,
    request: RuleEvaluateRequest,
) -> Result<RuleOutcomeDto, AppError> {
    state.rule_evaluate(request).await
}

/// A page of a result's people.
#[tauri::command]
pub async fn rule_lines(
    state: State<'_, AppState>,
    request: RuleLinesRequest,
) -> Result<RuleLinesDto, AppError> {
    state.rule_lines(request).await
}

/// Writes a result to a CSV file chosen in the save dialog.
#[tauri::command]
pub async fn rule_export(
    state: State<'_, AppState>,
    request: RuleExportRequest,
) -> Result<ReviewExportedDto, AppError> {
    state.rule_export(request).await
}

/// Forgets a result.
#[tauri::command]
pub async fn rule_close(
    state: State<'_, AppState>,
    request: RuleResultRequest,
) -> Result<(), AppError> {
    state.rule_close(request).await
}

/// What saving a rule to a dynamic group would do: the group, its rule now, who joins, leaves and
/// stays (signed in; nothing changes).
#[tauri::command]
pub async fn rules_propose_group(
    state: State<'_, AppState>,
    request: RuleGroupProposeRequest,
) -> Result<RuleProposalDto, AppError> {
    state.rules_propose_group(request).await
}

/// Saves a rule as a dynamic group's membership rule (Group.ReadWrite.All).
#[tauri::command]
pub async fn rules_apply_group(
    state: State<'_, AppState>,
    request: RuleGroupApplyRequest,
) -> Result<(), AppError> {
    state.rules_apply_group(request).await
}
