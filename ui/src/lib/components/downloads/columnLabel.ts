import { en, type MessageKey } from '$lib/i18n/en';
import { t } from '$lib/i18n/index.svelte';

/**
 * A column's friendly name in the current language ("Last sign-in"), keyed by its header
 * (`signInActivity/lastSignInDateTime`); the header itself for a column this UI has no name for yet.
 */
export function columnLabel(header: string): string {
  const key = `column.${header}`;
  return key in en ? t(key as MessageKey) : header;
}
