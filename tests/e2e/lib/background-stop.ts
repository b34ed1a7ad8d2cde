/**
 * Stopping the extension's service worker so that it stays stopped until the test's next
 * message. The harness's `stopServiceWorker` opens a tab to reach DevTools and closes it
 * again; the background listens to tab events (the encoder queue follows the front tab), so
 * that close starts the worker again at once, and a starting worker opens the database. A
 * test that must be the first to open the database reaches DevTools through a page it
 * already has instead, so that no tab opens, closes or changes.
 */
import type { Page } from 'puppeteer-core';
import type { Session } from '../harness';

/** Whether the extension's service worker is running now. */
export function backgroundRunning(session: Session): boolean {
  return session.browser.targets().some((t) => t.type() === 'service_worker' && t.url().includes(session.extensionId));
}

export async function stopBackgroundQuietly(session: Session, from: Page, timeoutMs = 10_000): Promise<void> {
  const cdp = await from.createCDPSession();
  try {
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const deadline = Date.now() + timeoutMs;
    while (backgroundRunning(session)) {
      if (Date.now() > deadline) throw new Error(`the service worker was still running ${timeoutMs} ms after being stopped`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await cdp.detach();
  }
}
