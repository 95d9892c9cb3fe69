/**
 * The `rule_*` commands (`src-tauri/commands/rules.rs`): the rule lab. Every function rejects with
 * an `IpcError`.
 */
import { call } from '$lib/ipc/client';
import type { ReviewExportedDto } from '$lib/ipc/gen/ReviewExportedDto';
import type { RuleCheckDto } from '$lib/ipc/gen/RuleCheckDto';
import type { RuleEvaluateRequest } from '$lib/ipc/gen/RuleEvaluateRequest';
import type { RuleLinesDto } from '$lib/ipc/gen/RuleLinesDto';
import type { RuleLinesRequest } from '$lib/ipc/gen/RuleLinesRequest';
import type { RuleOutcomeDto } from '$lib/ipc/gen/RuleOutcomeDto';

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

/** Writes a result to a CSV file. */
export function exportRule(id: number, path: string): Promise<ReviewExportedDto> {
  return call('rule_export', { id, path });
}

/** Forgets a result. */
export function closeRule(id: number): Promise<null> {
  return call('rule_close', { id });
}
