import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit(), svelteTesting()],
  // Tauri expects a fixed port in dev and prints Rust errors in the same terminal.
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // The in-app help bundles the guide's pages (docs/guide/*.md, outside ui/) as text; relative
    // to ui/, the project root.
    fs: { allow: ['../docs/guide'] },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
  },
});
