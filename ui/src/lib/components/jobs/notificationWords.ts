/**
 * The words of the native "job ended" notifications in the current language, as templates: Rust
 * fills in `{file}`, `{added}`, `{removed}`, `{failed}` and `{name}` when a job ends (it shows the
 * notifications), writing numbers with the language's thousands separator.
 */
import { locale, t } from '$lib/i18n/index.svelte';
import type { NotificationWordsDto } from '$lib/ipc/gen/NotificationWordsDto';

export function notificationWords(): NotificationWordsDto {
  const thousands =
    new Intl.NumberFormat(locale()).formatToParts(12345).find((part) => part.type === 'group')?.value ?? ',';
  return {
    fileReady: t('notify.fileReady'),
    importFinished: t('notify.importFinished'),
    removalFinished: t('notify.removalFinished'),
    jobFailed: t('notify.jobFailed'),
    thousands,
  };
}
