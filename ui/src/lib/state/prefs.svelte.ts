/** The colour theme: follow the OS, or force one. */
export type Theme = 'system' | 'light' | 'dark';

/** Display preferences that live only in the UI. */
class PrefsStore {
  /** The chosen theme; `system` follows `prefers-color-scheme`. */
  theme = $state<Theme>('system');

  /** Applies the theme to the document (`data-theme` overrides the OS preference in app.css). */
  setTheme(theme: Theme): void {
    this.theme = theme;
    if (typeof document === 'undefined') return;
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }
}

/** The app's display preferences. */
export const prefs = new PrefsStore();
