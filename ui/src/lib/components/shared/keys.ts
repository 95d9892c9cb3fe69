/**
 * Whether a key went to a field that takes text (a search box, a date, a name): there Ctrl+letter
 * and Ctrl+Enter belong to the field, never to a screen's shortcut. An element marked
 * `data-shortcuts` (a picker's narrowing box: a few letters to find a value, not text of its own)
 * lets the shortcuts through.
 */
export function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement) || target.dataset.shortcuts !== undefined) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
}
