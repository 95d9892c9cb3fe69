import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '$lib/i18n/index.svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import type { PeekDto } from '$lib/ipc/gen/PeekDto';
import { createMockTransport } from '$lib/ipc/mock';
import PeekView from './PeekView.svelte';
import RuleToGroup from './RuleToGroup.svelte';
import { elapsedSeconds, peekRows } from './peek';

const peek: PeekDto = {
  headers: ['id', 'displayName'],
  kind: 'users',
  encoding: 'utf8',
  delimiter: ',',
  preamble: [],
  rows: [
    ['u1', 'Ada'],
    ['u2', 'Grace'],
  ],
};

describe('first rows while a file opens, and a rule saved to a group', () => {
  afterEach(() => {
    setLocale('en');
    setTransport(tauriTransport);
  });

  it('numbers peeked rows from 1 and counts whole seconds', () => {
    expect(peekRows(peek).map((r) => r.number)).toEqual([1, 2]);
    expect(peekRows(peek)[1]?.cells).toEqual(['u2', 'Grace']);
    expect(elapsedSeconds(1000, 3999)).toBe(2);
    expect(elapsedSeconds(5000, 1000)).toBe(0);
  });

  it('shows the first rows with how long reading takes, or the error at once', async () => {
    setTransport(createMockTransport({ review_peek: () => peek }));
    render(PeekView, { file: { handle: 'file-1', name: 'big.csv', path: '/data/big.csv' }, startedAt: 0, now: 3500 });
    expect(await screen.findByText('Grace')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Reading the whole file… 3 s');

    setLocale('nl');
    setTransport(
      createMockTransport({
        review_peek: () => {
          throw { code: 'validation', message: 'This is an Excel workbook.' };
        },
      }),
    );
    render(PeekView, { file: { handle: 'file-2', name: 'book.xlsx', path: '/data/book.xlsx' }, startedAt: 0, now: 0 });
    expect(await screen.findByText(/Excel workbook/)).toBeTruthy();
  });

  it('previews the group in plain words, then saves only after the confirm step', async () => {
    const applied: unknown[] = [];
    setTransport(
      createMockTransport({
        rules_propose_group: (request) => ({
          groupId: 'g1',
          groupName: `${request.group} found`,
          currentRule: 'user.department -eq "Sales"',
          matched: 12,
          join: 5,
          leave: 3,
          stay: 7,
          membersNotInFile: 1,
        }),
        rules_apply_group: (request) => {
          applied.push(request);
          return null;
        },
      }),
    );
    let closed = false;
    render(RuleToGroup, { users: 4, rule: 'user.department -eq "HR"', onclose: () => (closed = true) });
    await fireEvent.input(screen.getByRole('textbox', { name: 'Group name or ID' }), {
      target: { value: 'Sales (dynamic)' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('Sales (dynamic) found')).toBeTruthy();
    expect(screen.getByText('Would join: 5')).toBeTruthy();
    expect(screen.getByText('Would leave: 3')).toBeTruthy();
    expect(screen.getByText('Would stay: 7')).toBeTruthy();
    expect(screen.getByText(/does not list.*: 1/)).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(applied).toEqual([]);
    expect(screen.getByRole('alert').textContent).toContain('emails its new members');
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, save the rule' }));
    await new Promise((r) => setTimeout(r, 0));
    expect(applied).toEqual([{ groupId: 'g1', rule: 'user.department -eq "HR"' }]);
    expect(closed).toBe(true);
  });
});
