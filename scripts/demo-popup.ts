/**
 * The popup as the learner sees it over the article: the browser's own action popup, opened
 * by `chrome.action.openPopup()` while the article is the active tab, which is what a click on
 * the toolbar button does. The popup then finds "this page" exactly as after a click (the
 * active tab of its window), so its "This page" part shows the article's own summary.
 */
import type { Page } from 'puppeteer-core';
import type { Session } from '../tests/e2e/harness';

export async function capturePopupOver(session: Session, article: Page, file: string): Promise<void> {
  await article.bringToFront();
  const worker = await session.worker();
  const opened = await worker.evaluate(() =>
    (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup().then(
      () => null,
      (e: unknown) => String(e),
    ),
  );
  if (opened !== null) throw new Error(`The browser did not open the popup: ${opened}`);
  const target = await session.browser.waitForTarget((t) => t.url() === `chrome-extension://${session.extensionId}/popup.html`, { timeout: 10_000 });
  const popup = (await target.asPage())!;
  // The dashboard and the page's summary drawn (nothing busy, the page part past 'loading').
  await popup.waitForFunction(
    () => !document.querySelector('[aria-busy="true"]') && ![null, 'loading'].includes(document.querySelector('[data-page]')?.getAttribute('data-page') ?? null),
    { timeout: 20_000 },
  );
  // The browser caps a popup's height and scrolls the rest (a larger viewport does not grow
  // the popup's window: its picture came out cut, or tiled when taken beyond it). The picture
  // is what the learner sees on opening it, the page's own part included.
  await popup.screenshot({ path: file as `${string}.png` });
  await popup.close();
}
