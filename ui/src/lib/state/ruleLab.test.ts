import { afterEach, describe, expect, it } from 'vitest';
import { segments } from '$lib/components/review/ruleTokens';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { IpcError } from '$lib/ipc/errors';
import type { RuleEvaluateRequest } from '$lib/ipc/gen/RuleEvaluateRequest';
import { createMockTransport } from '$lib/ipc/mock';
import { RuleLab, missingColumns } from './ruleLab.svelte';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('rule lab', () => {
  afterEach(() => setTransport(tauriTransport));

  it('colours a rule by its tokens, counting characters, and marks the problem', () => {
    const rule = 'user.city -eq "Zoë 😀" x';
    const tokens = [
      { start: 0, end: 9, kind: 'property' as const },
      { start: 10, end: 13, kind: 'operator' as const },
      { start: 14, end: 21, kind: 'string' as const },
    ];
    const pieces = segments(rule, tokens, 23);
    expect(pieces.map((p) => [p.text, p.kind, p.problem])).toEqual([
      ['user.city', 'property', false],
      [' ', null, false],
      ['-eq', 'operator', false],
      [' ', null, false],
      ['"Zoë 😀"', 'string', false],
      [' ', null, false],
      ['x', null, true],
    ]);
    expect(segments('a', [], 5).at(-1)).toEqual({ text: ' ', kind: null, problem: true });
  });

  it('names the columns a users file lacks from the engine’s error', () => {
    const error = new IpcError('validation', 'no column', null, {
      code: 'review.error.missingProperties',
      params: { missing: 'employeeId, city' },
      text: 'The users file has no column for employeeId, city',
    });
    expect(missingColumns(error)).toEqual(['employeeId', 'city']);
    expect(missingColumns(null)).toEqual([]);
  });

  it('tries only the latest rule after a pause and drops older answers', async () => {
    const evaluated: RuleEvaluateRequest[] = [];
    const closed: number[] = [];
    let next = 1;
    let slow: Promise<void> | null = null;
    setTransport(
      createMockTransport({
        rule_check: ({ rule }) => ({
          valid: !rule.endsWith('-eq'),
          error: rule.endsWith('-eq')
            ? { position: rule.length + 1, text: { code: 'rule.expectedValue', params: {}, text: 'expected a value' } }
            : null,
          tokens: [],
          properties: ['department'],
        }),
        rule_evaluate: async (request) => {
          evaluated.push(request);
          const id = next++;
          if (slow) await slow;
          return { id, counts: { evaluated: 6, matched: 2, join: null, leave: null, stay: null }, notices: [], header: ['id', 'upn', 'name'] };
        },
        rule_lines: () => ({ total: 2, offset: 0, lines: [] }),
        rule_close: ({ id }) => {
          closed.push(id);
          return null;
        },
      }),
    );
    const lab = new RuleLab();
    lab.users = 3;
    lab.rule = 'user.department -eq';
    lab.schedule(1);
    lab.rule = 'user.department -eq "Sales"';
    lab.schedule(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await flush();
    expect(evaluated.map((r) => r.rule)).toEqual(['user.department -eq "Sales"']);
    expect(lab.result?.counts.matched).toBe(2);
    expect(lab.checkedRule).toBe('user.department -eq "Sales"');

    let release: () => void = () => {};
    slow = new Promise<void>((resolve) => (release = resolve));
    const older = lab.update();
    await flush();
    slow = null;
    const newer = lab.update();
    await newer;
    release();
    await older;
    expect(lab.result?.id).toBe(3);
    expect(closed).toEqual([1, 2]);

    lab.rule = 'user.department -eq';
    await lab.update();
    expect(lab.result).toBeNull();
    expect(lab.check?.error?.position).toBe(20);
  });
});
