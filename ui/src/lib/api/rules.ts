/**
 * The `rule_*` and `rules_*_group` commands (`src-tauri/commands/rules.rs`): the rule lab, and saving
 * a rule to a dynamic group (signed in). Every function rejects with an `IpcError`.
 */
import { call } from '$lib/ipc/client';
import type { ReviewExportedDto } from '$lib/ipc/gen/ReviewExportedDto';
import type { RuleCheckDto } from '$lib/ipc/gen/RuleCheckDto';
import type { RuleEvaluateRequest } from '$lib/ipc/gen/RuleEvaluateRequest';
import type { RuleGroupProposeRequest } from '$lib/ipc/gen/RuleGroupProposeRequest';
import type { RuleLinesDto } from '$lib/ipc/gen/RuleLinesDto';
import type { RuleLinesRequest } from '$lib/ipc/gen/RuleLinesRequest';
import type { RuleOutcomeDto } from '$lib/ipc/gen/RuleOutcomeDto';
import type { RuleProposalDto } from '$lib/ipc/gen/RuleProposalDto';

/** Checks a rule as typed: valid, or where it is wrong and why; its tokens for colouring. */
export function checkRule(rule: string): Promise<RuleCheckDto> {
  return call('rule_check', { rule });
}

/** Tries a rule on an open users file (and a group's members file). */
export function evaluateRule(request: RuleEvaluateRequest): Promise<RuleOutcomeDto> {
  return call('rule_evaluate', request);
}

/** A page of a result's people (at most 1,000). */
export function ruleLines(request: RuleLinesRequest): Promise<RuleLinesDto> {
  return call('rule_lines', request);
}

/** Writes a result to a CSV file chosen in the save dialog (its handle). */
export function exportRule(id: number, file: string): Promise<ReviewExportedDto> {
  return call('rule_export', { id, file });
}

/** Forgets a result. */
export function closeRule(id: number): Promise<null> {
  return call('rule_close', { id });
}

/** What saving a rule to a dynamic group (name or ID) would do; nothing changes. */
export function proposeRuleForGroup(request: RuleGroupProposeRequest): Promise<RuleProposalDto> {
  return call('rules_propose_group', request);
}

/** Saves a rule as the dynamic group's membership rule (Entra then adds and removes members). */
export function applyRuleToGroup(groupId: string, rule: string): Promise<null> {
  return call('rules_apply_group', { groupId, rule });
}
