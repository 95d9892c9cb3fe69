// jsdom has no layout engine and so no ResizeObserver; Svelte's `bind:clientHeight` needs the class to
// exist. This stand-in never reports a size, so components fall back to their default viewport.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  };
}
