/**
 * A value split so that what the eye cannot see in it can be marked: spaces at its start or end,
 * tabs and non-breaking spaces anywhere, and invisible characters (zero-width spaces and joiners,
 * byte order marks, soft hyphens) anywhere. A value typed into a file with any of these looks
 * right and still does not match.
 */

/** What a marked character is, for its tooltip. */
export type HiddenKind = 'space' | 'nbsp' | 'tab' | 'invisible';

/** A run of plain text, or one character shown by a symbol. */
export type Piece = { text: string } | { mark: string; kind: HiddenKind };

const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/;

/** How a hidden character is shown, or `null` when it is shown as it is. */
function hidden(char: string, edge: boolean): { mark: string; kind: HiddenKind } | null {
  if (char === ' ') return edge ? { mark: '␣', kind: 'space' } : null;
  if (char === '\t') return { mark: '⇥', kind: 'tab' };
  if (char === '\u00a0' || char === '\u202f') return { mark: '⍽', kind: 'nbsp' };
  if (INVISIBLE.test(char) || /\s/.test(char)) return { mark: '·', kind: 'invisible' };
  return null;
}

/** `value` in pieces: plain runs, and a marked piece for every hidden character. */
export function visiblePieces(value: string): Piece[] {
  const chars = [...value];
  const first = chars.findIndex((c) => c !== ' ');
  const last = chars.length - 1 - [...chars].reverse().findIndex((c) => c !== ' ');
  const pieces: Piece[] = [];
  chars.forEach((char, i) => {
    const edge = first < 0 || i < first || i > last;
    const marked = hidden(char, edge);
    const previous = pieces[pieces.length - 1];
    if (marked) pieces.push(marked);
    else if (previous && 'text' in previous) previous.text += char;
    else pieces.push({ text: char });
  });
  return pieces;
}

/** Whether `value` holds anything {@link visiblePieces} marks. */
export function hasHidden(value: string): boolean {
  return visiblePieces(value).some((p) => 'mark' in p);
}
