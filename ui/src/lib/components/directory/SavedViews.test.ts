import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import type { SavedViewsDto } from '$lib/ipc/gen/SavedViewsDto';
import type { UsersListRequest } from '$lib/ipc/gen/UsersListRequest';
import type { ViewSaveRequest } from '$lib/ipc/gen/ViewSaveRequest';
import { toasts } from '$lib/components/shared/Toasts.svelte';
import { sameQuery, savedViews } from '$lib/state/views.svelte';
import SavedViews from './SavedViews.svelte';

/** A store of views the way the app keeps them: saving replaces a view of the same name. */
function fakeApp(start: SavedViewsDto) {
  let views = start;
  return createMockTransport({
    views_get: () => views,
    views_save: (request: ViewSaveRequest) => {
      const view = request.users!;
      const others = views.users.filter((v) => v.name.toLowerCase() !== view.name.trim().toLowerCase());
      views = { ...views, users: [...others, { ...view, name: view.name.trim() }] };
      return views;
    },
    views_delete: ({ name }: { name: string }) => {
      views = { ...views, users: views.users.filter((v) => v.name !== name) };
      return views;
    },
  });
}

describe('SavedViews', () => {
  afterEach(() => {
    setTransport(tauriTransport);
    savedViews.value = null;
    toasts.items = [];
  });

  it('saves the pickers under a name, without the empty ones', async () => {
    const transport = fakeApp({ users: [], groups: [] });
    setTransport(transport);
    const query: UsersListRequest = { userType: ['guest'], department: ['Sales'], country: [], search: ' ' };
    render(SavedViews, { screen: 'users', query, onapply: () => {} });
    await fireEvent.click(await screen.findByRole('button', { name: 'Save as view…' }));
    const name = screen.getByRole('textbox', { name: 'Name of the view' });
    await fireEvent.input(name, { target: { value: ' Sales guests ' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save view' }));
    await waitFor(() => expect(transport.calls.some((c) => c.command === 'views_save')).toBe(true));
    const call = transport.calls.find((c) => c.command === 'views_save');
    expect(call?.request).toEqual({ users: { name: ' Sales guests ', query: { userType: ['guest'], department: ['Sales'] } } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Delete view “Sales guests”' })).toBeTruthy());
  });

  it('gives a chosen view back to the screen, and knows the view the screen shows', async () => {
    setTransport(
      fakeApp({
        users: [
          { name: 'Legal', query: { department: ['Legal'] } },
          { name: 'Sales guests', query: { userType: ['guest'], department: ['Sales'] } },
        ],
        groups: [],
      }),
    );
    const applied: UsersListRequest[] = [];
    render(SavedViews, { screen: 'users', query: {}, onapply: (q: UsersListRequest) => applied.push(q) });
    const select = (await screen.findByRole('combobox', { name: 'Saved views' })) as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(3));
    await fireEvent.change(select, { target: { value: 'Sales guests' } });
    expect(applied).toEqual([{ userType: ['guest'], department: ['Sales'] }]);
  });

  it('treats picker values in any order and blank fields as the same view', () => {
    expect(sameQuery({ department: ['B', 'A'], search: '' }, { department: ['A', 'B'] })).toBe(true);
    expect(sameQuery({ department: ['A'] }, { department: ['A', 'B'] })).toBe(false);
  });

  it('says why a view cannot be saved', async () => {
    setTransport(
      createMockTransport({
        views_get: () => ({ users: [], groups: [] }),
        views_save: () => {
          throw {
            code: 'validation',
            message: 'Give the view a name, for example “Sales guests”.',
            text: { code: 'app.viewNameBlank', text: 'Give the view a name, for example “Sales guests”.', params: {} },
          };
        },
      }),
    );
    render(SavedViews, { screen: 'users', query: { department: ['Sales'] }, onapply: () => {} });
    await fireEvent.click(await screen.findByRole('button', { name: 'Save as view…' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Save view' }));
    await waitFor(() => expect(toasts.items.map((t) => t.text)).toEqual(['Give the view a name, for example “Sales guests”.']));
  });
});
