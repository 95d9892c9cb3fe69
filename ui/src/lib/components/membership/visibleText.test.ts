import { describe, expect, it } from 'vitest';
import { hasHidden, visiblePieces } from './visibleText';

describe('visiblePieces', () => {
  it('marks spaces around a value, and tabs, non-breaking spaces and invisible characters anywhere', () => {
    expect(visiblePieces('  ann@contoso.com ')).toEqual([
      { mark: '␣', kind: 'space' },
      { mark: '␣', kind: 'space' },
      { text: 'ann@contoso.com' },
      { mark: '␣', kind: 'space' },
    ]);
    expect(visiblePieces('ann\u200b@contoso.com\u00a0')).toEqual([
      { text: 'ann' },
      { mark: '·', kind: 'invisible' },
      { text: '@contoso.com' },
      { mark: '⍽', kind: 'nbsp' },
    ]);
    expect(visiblePieces('a\tb')).toEqual([{ text: 'a' }, { mark: '⇥', kind: 'tab' }, { text: 'b' }]);
  });

  it('leaves spaces inside a value as they are, and a clean value whole', () => {
    expect(visiblePieces('not an id')).toEqual([{ text: 'not an id' }]);
    expect(hasHidden('ann@contoso.con')).toBe(false);
    expect(hasHidden(' ')).toBe(true);
    expect(visiblePieces('')).toEqual([]);
  });
});
