import { describe, expect, it } from 'vitest';
import { HELP_INDEX, HELP_PAGES, headingId, headingSlug, helpPageFor, helpTarget, renderHelp, type HelpPage } from './help';

/** Every screen of the app: `/src/routes/groups/[id]/+page.svelte` → `/groups/[id]`. */
const routes = Object.keys(import.meta.glob('/src/routes/**/+page.svelte')).map(
  (file) => file.replace(/^\/src\/routes/, '').replace(/\/\+page\.svelte$/, '') || '/',
);

/** The guide's files, as the repository has them. */
const guideFiles = Object.keys(import.meta.glob('../../../../../docs/guide/*.md', { query: '?raw' })).map((file) =>
  file.replace(/^.*\//, '').replace(/\.md$/, ''),
);

/** A route as the address bar shows it: a parameter becomes a sample value. */
const pathOf = (route: string) => route.replace(/\[[^\]]+\]/g, 'ee3c6f0a-5d1e-4c43-9a8e-2f5b3d7c9e10');

describe('help pages', () => {
  it('has a page for every screen of the app, each its own', () => {
    expect(routes.length).toBeGreaterThanOrEqual(8);
    const pages = routes.map((route) => helpPageFor(pathOf(route)));
    for (const [i, route] of routes.entries()) {
      expect(pages[i], route).not.toBe(HELP_INDEX);
      expect(HELP_PAGES[pages[i] as HelpPage].length, route).toBeGreaterThan(200);
    }
    expect(new Set(pages).size, 'two screens share a page').toBe(routes.length);
  });

  it('maps the screens to their pages', () => {
    expect(helpPageFor('/')).toBe('sign-in');
    expect(helpPageFor('/users')).toBe('users');
    expect(helpPageFor('/groups')).toBe('groups');
    expect(helpPageFor('/groups/0b9e7d1c-1111-2222-3333-444455556666')).toBe('group');
    expect(helpPageFor('/jobs')).toBe('jobs');
    expect(helpPageFor('/jobs/view')).toBe('job');
    expect(helpPageFor('/review')).toBe('review');
    expect(helpPageFor('/settings')).toBe('settings');
    expect(helpPageFor('/no/such/screen')).toBe(HELP_INDEX);
  });

  it('bundles every page of docs/guide, and only those', () => {
    expect([...guideFiles].sort()).toEqual(Object.keys(HELP_PAGES).sort());
  });

  it('reads links to guide pages and headings, and nothing else', () => {
    expect(helpTarget('users.md')).toEqual({ kind: 'page', page: 'users', anchor: null });
    expect(helpTarget('./group.md#where-to-change-a-group-roster-cannot-change')).toEqual({
      kind: 'page',
      page: 'group',
      anchor: 'where-to-change-a-group-roster-cannot-change',
    });
    expect(helpTarget('README.md')).toEqual({ kind: 'page', page: 'README', anchor: null });
    expect(helpTarget('#limits')).toEqual({ kind: 'anchor', anchor: 'limits' });
    expect(helpTarget('../emulator.md').kind).toBe('outside');
    expect(helpTarget('https://learn.microsoft.com/entra').kind).toBe('outside');
    expect(helpTarget('nothere.md').kind).toBe('outside');
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect(headingSlug('Where to change a group Roster cannot change')).toBe(
      'where-to-change-a-group-roster-cannot-change',
    );
    expect(headingSlug("A job's page")).toBe('a-jobs-page');
    expect(headingSlug('Role-assignable groups')).toBe('role-assignable-groups');
  });

  it('renders links between pages as links the panel follows, and others as text', () => {
    const html = renderHelp('README');
    expect(html).toContain('data-help-page="users"');
    expect(html).toContain('data-help-anchor="where-to-change-a-group-roster-cannot-change"');
    expect(html).toContain(`id="${headingId('the-screens')}"`);
    expect(html).not.toMatch(/<img|<script/);
  });

  it('has no link to a page or heading that does not exist', () => {
    const ids = (page: HelpPage) => [...renderHelp(page).matchAll(/ id="help-([\w-]+)"/g)].map((m) => m[1]);
    for (const page of Object.keys(HELP_PAGES) as HelpPage[]) {
      const html = renderHelp(page);
      expect(html, `${page} has a link Roster cannot follow`).not.toMatch(/<a (?![^>]*data-help-)/);
      for (const [, target, anchor] of html.matchAll(/data-help-page="([\w-]+)" data-help-anchor="([\w-]*)"/g)) {
        if (anchor) expect(ids(target as HelpPage), `${page} → ${target}#${anchor}`).toContain(anchor);
      }
      for (const [, anchor] of html.matchAll(/<a href="#[\w-]+" data-help-anchor="([\w-]+)"/g)) {
        expect(ids(page), `${page} → #${anchor}`).toContain(anchor);
      }
    }
  });
});
