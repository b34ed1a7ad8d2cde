/**
 * The browser's passage shortcuts in headless Chromium. The build declares them as manifest
 * `commands` (lib/shortcuts.ts), but headless Chromium assigns no extension shortcuts
 * (chrome.commands.getAll() lists them with an empty `shortcut`) and input sent over CDP never
 * reaches the browser's accelerators. So the test sends what the background's relay sends when
 * the browser reports the command (platform/commands.ts, unit-tested): `reader.step` to the
 * tab, from the extension's own service worker. In Firefox the real key reaches the command
 * (tests/e2e/firefox.test.ts).
 */
import type { Page } from 'puppeteer-core';
import { envelope } from '../../../lib/protocol';
import type { Session } from '../harness';

export async function pressPassageShortcut(session: Session, page: Page, step: 1 | -1): Promise<void> {
  await page.bringToFront();
  const worker = await session.worker();
  const moved = await worker.evaluate(
    async (url: string, message: unknown) => {
      const tabs = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id?: number; url?: string }>>; sendMessage(id: number, m: unknown): Promise<unknown> } } }).chrome.tabs;
      const tab = (await tabs.query({ active: true })).find((t) => t.url === url);
      if (tab?.id === undefined) return `no active tab at ${url}`;
      const reply = (await tabs.sendMessage(tab.id, message)) as { ok?: boolean; value?: { moved?: boolean } } | undefined;
      return reply?.ok && reply.value?.moved ? null : `the reader did not move: ${JSON.stringify(reply)}`;
    },
    page.url(),
    envelope('reader.step', { step }) as unknown,
  );
  if (moved !== null) throw new Error(moved);
}
