import type { TextDto } from '$lib/ipc/gen/TextDto';
import { en, type MessageKey, type Messages } from './en';
import { nl } from './nl';

/** The languages Roster speaks. */
export const LOCALES = { en: 'English', nl: 'Nederlands' } as const;

/** A supported language code. */
export type Locale = keyof typeof LOCALES;

const catalogues: Record<Locale, Messages> = { en, nl };

/** Picks the best supported language for a BCP 47 tag such as `nl-BE`; English otherwise. */
export function matchLocale(tag: string | undefined): Locale {
  const primary = (tag ?? '').toLowerCase().split('-')[0];
  return primary === 'nl' ? 'nl' : 'en';
}

const state = $state<{ locale: Locale }>({
  locale: matchLocale(typeof navigator === 'undefined' ? undefined : navigator.language),
});

// Screen readers read the page in the language it says it is in.
if (typeof document !== 'undefined') document.documentElement.lang = state.locale;

/** The current language (reactive). */
export function locale(): Locale {
  return state.locale;
}

/** Switches the language; every `t()` in the UI re-renders. */
export function setLocale(next: Locale): void {
  state.locale = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/**
 * The message for `key` in the current language, with `{name}` placeholders filled from `params`.
 * With `count: 1`, the singular form `KEY.one` when the catalogue has one ("1 group", "1 groep").
 * Number parameters are written the language's way ("12,345" in English, "12.345" in Dutch); pass
 * a string for a number that is a name (a year, an id).
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const catalogue = catalogues[state.locale];
  const singular = params.count === 1 ? (catalogue as Record<string, string>)[`${key}.one`] : undefined;
  const template = singular ?? catalogue[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(state.locale) : value;
  });
}

/**
 * A message from the engines (`{ code, params, text }`) in the current language: its `engine.CODE`
 * translation when there is one; words without a code of their own (`plain`, e.g. Graph's) and
 * codes this UI does not know yet as the English sentence they came with.
 */
export function say(message: TextDto): string {
  const key = `engine.${message.code}`;
  if (key in catalogues[state.locale]) {
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.params)) params[name] = value ?? '';
    return t(key as MessageKey, params);
  }
  return message.code === 'plain' ? (message.params.text ?? message.text) : message.text;
}
