/**
 * Puts text that is still being made (read from Rust) on the clipboard. WebKit allows clipboard
 * writes only during the click that asks for them, so the write starts at once with the text still
 * to come (a `ClipboardItem` holding a promise); where that is not supported, the text is written
 * when it arrives.
 */
export async function copyText(text: Promise<string>): Promise<void> {
  const clipboard = navigator.clipboard;
  if (typeof ClipboardItem !== 'undefined' && typeof clipboard.write === 'function') {
    const blob = text.then((value) => new Blob([value], { type: 'text/plain' }));
    await clipboard.write([new ClipboardItem({ 'text/plain': blob })]);
    return;
  }
  await clipboard.writeText(await text);
}
