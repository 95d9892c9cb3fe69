import { checkRule, closeRule, evaluateRule, exportRule, ruleLines } from '$lib/api/rules';
import { type IpcError, normaliseError } from '$lib/ipc/errors';
import type { RuleChangeDto } from '$lib/ipc/gen/RuleChangeDto';
import type { RuleCheckDto } from '$lib/ipc/gen/RuleCheckDto';
import type { RuleLineDto } from '$lib/ipc/gen/RuleLineDto';
import type { RuleOutcomeDto } from '$lib/ipc/gen/RuleOutcomeDto';
import { RowPager } from './pager';

/** A person of a result with its position in the list shown (a stable row key). */
export interface RuleRow extends RuleLineDto {
  position: number;
}

/** How long typing must pause before the rule is checked and tried again. */
export const PAUSE_MS = 250;

/** The columns a users file lacks for a rule, from the engine's `review.error.missingProperties`. */
export function missingColumns(error: IpcError | null): string[] {
  if (error?.text?.code !== 'review.error.missingProperties') return [];
  return (error.text.params.missing ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/**
 * The rule lab: the rule as typed, checked and tried on an open users file (with a group's members
 * file for who would join, leave or stay) after a short pause in typing; an answer to an older
 * version of the rule is dropped. The people of the result are read a page at a time.
 */
export class RuleLab {
  /** The users file's handle. */
  users = $state<number | null>(null);
  /** The members file's handle. */
  members = $state<number | null>(null);
  /** The group of a members file that lists several. */
  group = $state('');
  /** The rule as typed. */
  rule = $state('');
  /** The last check, and the rule text it was made of (its tokens fit that text only). */
  check = $state.raw<RuleCheckDto | null>(null);
  checkedRule = $state('');
  /** The result shown. */
  result = $state.raw<RuleOutcomeDto | null>(null);
  /** Why the rule could not be tried (missing columns, wrong file). */
  error = $state<IpcError | null>(null);
  /** Checking or trying now. */
  busy = $state(false);
  /** The list shown: one of join, leave, stay, or every person. */
  list = $state<RuleChangeDto | null>(null);
  /** People in the list shown, once known. */
  total = $state<number | null>(null);
  /** Bumped when people arrive. */
  version = $state(0);
  /** Bumped when the list starts again. */
  generation = $state(0);

  readonly pager: RowPager<RuleRow>;
  #run = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    this.pager = new RowPager<RuleRow>(
      async (offset, limit) => {
        const id = this.result?.id;
        if (id === undefined) return { total: 0, offset, rows: [] };
        const page = await ruleLines({ id, change: this.list ?? undefined, offset, limit });
        return { total: page.total, offset, rows: page.lines.map((line, i) => ({ ...line, position: offset + i })) };
      },
      () => {
        this.version += 1;
        this.total = this.pager.total;
      },
    );
  }

  /** The person at a list position (reactive), or `undefined` while loading. */
  rowAt(index: number): RuleRow | undefined {
    void this.version;
    return this.pager.rowAt(index);
  }

  /** Something changed (the rule, a file, the group): check and try again after a pause. */
  schedule(pause = PAUSE_MS): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.update(), pause);
  }

  /** Checks the rule and, when it is valid and a users file is chosen, tries it. */
  async update(): Promise<void> {
    const run = ++this.#run;
    const rule = this.rule;
    this.busy = true;
    try {
      const check = await checkRule(rule);
      if (run !== this.#run) return;
      this.check = check;
      this.checkedRule = rule;
      if (!check.valid || this.users === null) {
        this.error = null;
        await this.#show(null);
        return;
      }
      const members = this.members ?? undefined;
      const outcome = await evaluateRule({ users: this.users, members, group: this.group.trim() || undefined, rule });
      if (run !== this.#run) {
        void closeRule(outcome.id).catch(() => undefined);
        return;
      }
      this.error = null;
      await this.#show(outcome);
    } catch (raw) {
      if (run !== this.#run) return;
      this.error = normaliseError(raw);
      await this.#show(null);
    } finally {
      if (run === this.#run) this.busy = false;
    }
  }

  /** Lists one of join, leave, stay, or every person (`null`). */
  showList(list: RuleChangeDto | null): void {
    this.list = list;
    this.#refresh();
  }

  /** Writes the result to the file chosen in the save dialog (its handle); resolves to the rows written. */
  async exportTo(file: string): Promise<number> {
    if (!this.result) return 0;
    return (await exportRule(this.result.id, file)).rows;
  }

  /** Forgets the file `handle` where it was chosen (it was closed). */
  forget(handle: number): void {
    if (this.users === handle) this.users = null;
    if (this.members === handle) this.members = null;
    if (this.users === null) void this.#show(null);
  }

  async #show(outcome: RuleOutcomeDto | null): Promise<void> {
    const previous = this.result;
    this.result = outcome;
    if (!outcome || (this.list !== null && outcome.counts.join === null)) this.list = null;
    this.#refresh();
    if (previous && previous.id !== outcome?.id) await closeRule(previous.id).catch(() => undefined);
  }

  #refresh(): void {
    this.generation += 1;
    this.total = this.result ? null : 0;
    this.pager.reset();
  }
}
