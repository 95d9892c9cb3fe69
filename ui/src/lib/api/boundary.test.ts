import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '$lib/ipc/gen/commands';

/**
 * The rule of `ui/`: components, state stores and routes reach Rust only through the api modules of
 * `lib/api/` (which use the typed `call` of `lib/ipc/`). Nothing else calls `call(`/`invoke(` or imports
 * Tauri's JavaScript API.
 */

/** Every source file of the UI, as text, by path (`/src/...`). */
const sources = import.meta.glob<string>('/src/**/*.{ts,js,svelte}', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The folders allowed to talk to Tauri. */
const BOUNDARY = ['/src/lib/api/', '/src/lib/ipc/'];

/** What only the boundary may do, each with the words a failure reports. */
const FORBIDDEN: [RegExp, string][] = [
  [/(?<![\w$.])(?:call|invoke)\s*(?:<[^>()]*>)?\s*\(/, 'calls call()/invoke() directly'],
  [/\.invoke\s*(?:<[^>()]*>)?\s*\(/, 'calls a transport’s invoke()'],
  [/['"]@tauri-apps\//, 'imports Tauri’s JavaScript API'],
  [/import\s*\{[^}]*\bcall\b[^}]*\}\s*from\s*['"]\$lib\/ipc\/client['"]/, 'imports call from $lib/ipc/client'],
];

/** The source without its comments (`//…`, `/* … *\/`, `<!-- … -->`), so that prose may name `call(`. */
function code(source: string): string {
  return source
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** The rules a file's source breaks, as "line N: what" strings. */
function violations(source: string): string[] {
  const found: string[] = [];
  code(source)
    .split('\n')
    .forEach((line, index) => {
      for (const [pattern, what] of FORBIDDEN) {
        if (pattern.test(line)) found.push(`line ${index + 1}: ${what}: ${line.trim()}`);
      }
    });
  return found;
}

describe('the api boundary', () => {
  it('finds the sources it checks', () => {
    const paths = Object.keys(sources);
    expect(paths).toContain('/src/routes/+layout.svelte');
    expect(paths).toContain('/src/lib/state/jobs.svelte.ts');
    expect(paths.length).toBeGreaterThan(30);
  });

  it('is kept: outside lib/api and lib/ipc nothing calls call()/invoke() or imports Tauri', () => {
    const broken: Record<string, string[]> = {};
    for (const [path, source] of Object.entries(sources)) {
      if (BOUNDARY.some((folder) => path.startsWith(folder))) continue;
      const found = violations(source);
      if (found.length > 0) broken[path] = found;
    }
    expect(broken).toEqual({});
  });

  it('recognises what it forbids and lets the rest through', () => {
    expect(violations("const page = await call('jobs_list', {});")).toHaveLength(1);
    expect(violations("await invoke<string>('plugin:dialog|save', { options });")).toHaveLength(1);
    expect(violations('return transport.invoke(command, args);')).toHaveLength(1);
    expect(violations("const { listen } = await import('@tauri-apps/api/event');")).toHaveLength(1);
    expect(violations("import { call, setTransport } from '$lib/ipc/client';")).toHaveLength(1);
    expect(violations("import { setTransport, tauriTransport } from '$lib/ipc/client';")).toEqual([]);
    expect(violations('handler.call(this, event); recall(x);')).toEqual([]);
    expect(violations("// call('jobs_list') in prose\n<!-- invoke('x') -->\n/** call() */")).toEqual([]);
  });

  it('leaves no end-to-end test hooks (window.__roster…) in the app', () => {
    const hooked = Object.entries(sources)
      .filter(([path, source]) => !path.endsWith('.test.ts') && /__roster\w*/.test(code(source)))
      .map(([path]) => path);
    expect(hooked).toEqual([]);
  });

  it('has an api function for every command the Rust side registers', () => {
    const api = Object.entries(sources)
      .filter(([path]) => path.startsWith('/src/lib/api/') && !path.endsWith('.test.ts'))
      .map(([, source]) => code(source))
      .join('\n');
    const missing = COMMAND_NAMES.filter((name) => !api.includes(`call('${name}'`));
    expect(missing).toEqual([]);
  });

  // The app's own commands need no permission and `listen` needs core:event:allow-listen and
  // allow-unlisten: all tauri.conf.json grants (tests/app/boundary.rs checks that list).
  it('reaches Tauri only through what the window’s capability grants: app commands and events', () => {
    const boundary = Object.entries(sources)
      .filter(([path]) => BOUNDARY.some((folder) => path.startsWith(folder)) && !path.endsWith('.test.ts'))
      .map(([path, source]) => [path, code(source)] as const);
    const modules = new Set(boundary.flatMap(([, source]) => [...source.matchAll(/['"](@tauri-apps\/[^'"]+)['"]/g)].map((m) => m[1])));
    expect([...modules].sort()).toEqual(['@tauri-apps/api/core', '@tauri-apps/api/event']);
    const plugins = boundary.filter(([, source]) => /['"`]plugin:/.test(source)).map(([path]) => path);
    expect(plugins).toEqual([]);
  });
});
