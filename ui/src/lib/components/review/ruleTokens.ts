/**
 * A rule split into the pieces its editor colours: the tokens Rust found (positions in characters,
 * not UTF-16 units), the text between them, and the character where the first problem is (marked;
 * a problem after the last character marks an added space).
 */
import type { RuleTokenDto } from '$lib/ipc/gen/RuleTokenDto';
import type { RuleTokenKindDto } from '$lib/ipc/gen/RuleTokenKindDto';

/** A run of the rule's text: its kind (`null` between tokens) and whether the problem is there. */
export interface Segment {
  text: string;
  kind: RuleTokenKindDto | null;
  problem: boolean;
}

/** The rule as coloured runs; `problemAt` is the problem's 1-based character position. */
export function segments(rule: string, tokens: readonly RuleTokenDto[], problemAt: number | null = null): Segment[] {
  const chars = Array.from(rule);
  const kinds: (RuleTokenKindDto | null)[] = chars.map(() => null);
  for (const token of tokens) {
    for (let i = token.start; i < Math.min(token.end, chars.length); i++) kinds[i] = token.kind;
  }
  const problem = problemAt === null ? -1 : Math.min(problemAt - 1, chars.length);
  if (problem === chars.length) {
    chars.push(' ');
    kinds.push(null);
  }
  const out: Segment[] = [];
  chars.forEach((char, i) => {
    const kind = kinds[i] ?? null;
    const marked = i === problem;
    const last = out.at(-1);
    if (last && last.kind === kind && last.problem === marked && !marked) last.text += char;
    else out.push({ text: char, kind, problem: marked });
  });
  return out;
}
