import { afterEach, describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import { setTransport, tauriTransport } from '$lib/ipc/client';
import { createMockTransport } from '$lib/ipc/mock';
import About from './About.svelte';

describe('About', () => {
  afterEach(() => setTransport(tauriTransport));

  it('shows the version and the commit the app was built from', async () => {
    setTransport(createMockTransport({ app_info: () => ({ version: '1.2.3', commit: '6ecd641', demo: false }) }));
    render(About);
    expect(await screen.findByText('Roster 1.2.3 (commit 6ecd641)')).toBeTruthy();
  });
});
