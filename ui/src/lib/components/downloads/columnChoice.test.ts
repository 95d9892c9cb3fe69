import { describe, expect, it } from 'vitest';
import { usersCatalogue } from './catalogue.fixture';
import { expandSpec, move, specOf } from './columnChoice';

describe('column choice', () => {
  it('expands presets in place, finds names by their last part and ignores case', () => {
    expect(expandSpec(usersCatalogue, 'city, DEFAULT ,lastSignInDateTime,city')).toEqual([
      'city',
      'userPrincipalName',
      'displayName',
      'department',
      'signInActivity/lastSignInDateTime',
    ]);
    expect(expandSpec(usersCatalogue, 'noSuchColumn,')).toEqual([]);
  });

  it('a choice is a preset’s spec only when it is that preset in its order', () => {
    const portal = usersCatalogue.presets[1]?.columns ?? [];
    expect(specOf(usersCatalogue, portal)).toBe('portal');
    expect(specOf(usersCatalogue, [...portal].reverse())).toBe([...portal].reverse().join(','));
    expect(specOf(usersCatalogue, ['userPrincipalName', 'displayName', 'department'], 'department')).toBe(
      'userPrincipalName,displayName,department',
    );
    expect(specOf(usersCatalogue, ['department'], 'department')).toBe('department');
    expect(specOf(usersCatalogue, [])).toBe('');
  });

  it('moves an item one place, and not past either end', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});
