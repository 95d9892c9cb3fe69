import { describe, expect, it } from 'vitest';
import { typingIn } from './keys';

describe('typingIn', () => {
  it('keeps Ctrl+letter for fields that take text, not for buttons, ticks or a picker box', () => {
    const field = (type: string) => Object.assign(document.createElement('input'), { type });
    expect(typingIn(field('search'))).toBe(true);
    expect(typingIn(field('text'))).toBe(true);
    expect(typingIn(document.createElement('textarea'))).toBe(true);
    expect(typingIn(field('checkbox'))).toBe(false);
    expect(typingIn(document.createElement('button'))).toBe(false);
    expect(typingIn(document.body)).toBe(false);
    expect(typingIn(null)).toBe(false);
    const pickerBox = field('text');
    pickerBox.dataset.shortcuts = '';
    expect(typingIn(pickerBox)).toBe(false);
  });
});
