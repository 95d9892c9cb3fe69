//! The rule lab: a rule checked as it is typed, evaluated on an open users file (with a group's
//! members file for who would join, leave or stay), the people a page at a time, and export. A
//! few results are kept; the UI closes those it no longer shows, and the oldest go first anyway.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

use roster_app::dynamic_rule::{apply_rule, propose_rule};
use roster_app::review::{RuleResult, check_rule};

use super::{ReviewHost, off_thread};
use crate::ipc::{
    AppError, ErrorCode, ReviewExportedDto, RuleCheckDto, RuleCheckRequest, RuleCountsDto,
    RuleEvaluateRequest, RuleExportRequest, RuleGroupApplyRequest, RuleGroupProposeRequest,
    RuleLinesDto, RuleLinesRequest, RuleOutcomeDto, RuleProposalDto, RuleResultRequest, TextDto,
};
use crate::state::{AppState, FileUse};

/// Results kept at once (one is shown; answers to older keystrokes may still arrive).
const KEPT_RESULTS: usize = 4;

/// The rule results kept for paging and export, oldest first.
pub(crate) type RuleResults = std::sync::Mutex<VecDeque<(u64, Arc<RuleResult>)>>;

impl ReviewHost {
    fn rule_result(&self, id: u64) -> Result<Arc<RuleResult>, AppError> {
        self.rules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(kept, _)| *kept == id)
            .map(|(_, result)| Arc::clone(result))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    "This result is no longer kept. Edit the rule or try it again.",
                )
            })
    }
}

impl AppState {
    /// Checks a rule as typed: valid, or the first problem with its position; its tokens.
    pub async fn rule_check(&self, request: RuleCheckRequest) -> Result<RuleCheckDto, AppError> {
        Ok(check_rule(&request.rule).into())
    }

    /// Evaluates a rule on an open users file (and members file), off the UI thread.
    pub async fn rule_evaluate(
        &self,
        request: RuleEvaluateRequest,
    ) -> Result<RuleOutcomeDto, AppError> {
        let reviews = Arc::clone(&self.review.reviews);
        let result = off_thread(move || {
            reviews.evaluate_rule(
                request.users,
                request.members,
                request
                    .group
                    .as_deref()
                    .map(str::trim)
                    .filter(|g| !g.is_empty()),
                &request.rule,
            )
        })
        .await?;
        let header = result.header()?.to_vec();
        let id = self.review.next_id.fetch_add(1, Ordering::Relaxed);
        let outcome = RuleOutcomeDto {
            id,
            counts: RuleCountsDto::from(result.counts()),
            notices: result.notices().iter().map(TextDto::from).collect(),
            header,
        };
        let mut kept = self
            .review
            .rules
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        kept.push_back((id, Arc::new(result)));
        while kept.len() > KEPT_RESULTS {
            kept.pop_front();
        }
        Ok(outcome)
    }

    /// A page of a result's people (one list, or all).
    pub async fn rule_lines(&self, request: RuleLinesRequest) -> Result<RuleLinesDto, AppError> {
        let result = self.review.rule_result(request.id)?;
        let change = request.change.map(Into::into);
        let (offset, limit) = (request.offset, request.limit);
        let (total, lines) = off_thread(move || result.page(change, offset, limit)).await?;
        Ok(RuleLinesDto {
            total,
            offset,
            lines: lines.into_iter().map(Into::into).collect(),
        })
    }

    /// Writes a result as CSV, formatted as the settings say.
    pub async fn rule_export(
        &self,
        request: RuleExportRequest,
    ) -> Result<ReviewExportedDto, AppError> {
        let dest = self.chosen_file(&request.file, FileUse::SaveCsv)?;
        let options = self.writer_options(&dest).await?;
        let result = self.review.rule_result(request.id)?;
        let target = dest.clone();
        let rows = off_thread(move || result.write_csv(&target, options)).await?;
        Ok(ReviewExportedDto {
            path: dest.display().to_string(),
            rows,
        })
    }

    /// Forgets a result.
    pub async fn rule_close(&self, request: RuleResultRequest) -> Result<(), AppError> {
        self.review
            .rules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(id, _)| *id != request.id);
        Ok(())
    }

    /// What saving a rule to a dynamic group would do (signed in; reads the group's members).
    pub async fn rules_propose_group(
        &self,
        request: RuleGroupProposeRequest,
    ) -> Result<RuleProposalDto, AppError> {
        let connection = self.tenant().await?;
        let proposal = propose_rule(
            &connection,
            &self.review.reviews,
            request.users,
            request.group.trim(),
            &request.rule,
        )
        .await?;
        Ok(proposal.into())
    }

    /// Saves a rule as a dynamic group's membership rule (asks for Group.ReadWrite.All).
    pub async fn rules_apply_group(&self, request: RuleGroupApplyRequest) -> Result<(), AppError> {
        let connection = self.tenant().await?;
        apply_rule(&connection, &request.group_id, &request.rule).await?;
        Ok(())
    }
}
