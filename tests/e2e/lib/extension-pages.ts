/**
 * Talking to the built extension from the tests: protocol messages sent from one of its own
 * pages (as the popup and options page do), its IndexedDB read and seeded directly, and the
 * in-page toolbar found through the accessibility tree (it lives in a closed shadow root,
 * which only the browser's own tooling can see into).
 */
import type { Page } from 'puppeteer-core';
import { ask, extensionUrl, type Session } from '../harness';
import { TIER_PATTERN } from './page-probes';

/** An extension page to send messages from; the popup, which asks for nothing heavy. */
export async function openExtensionPage(session: Session, path = 'popup.html'): Promise<Page> {
  const page = await session.browser.newPage();
  await page.goto(extensionUrl(session, path));
  return page;
}

/** Protocol messages from an extension page: the harness's one helper. */
export { ask } from '../harness';

/** Every record of one store of the extension's database, read from an extension page. */
export async function storeRecords(page: Page, store: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (name: string) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('attention-reader');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      if (!db.objectStoreNames.contains(name)) return [];
      return await new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const r = db.transaction(name, 'readonly').objectStore(name).getAll();
        r.onsuccess = () => resolve(r.result as Record<string, unknown>[]);
        r.onerror = () => reject(r.error);
      });
    } finally {
      db.close();
    }
  }, store);
}

/** Writes records straight into one store of the extension's database (put: a record with the same key is replaced). */
export async function putRecords(page: Page, store: string, records: unknown[]): Promise<void> {
  await page.evaluate(
    async (name: string, rows: unknown[]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('attention-reader');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      try {
        const tx = db.transaction(name, 'readwrite');
        for (const row of rows) tx.objectStore(name).put(row);
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } finally {
        db.close();
      }
    },
    store,
    records,
  );
}

/** What the learner has given the extension so far: snippets, and events by kind. */
export async function learnerActivity(page: Page): Promise<{ snippets: number; feedback: number; saves: number }> {
  const snippets = await storeRecords(page, 'snippets');
  const events = await storeRecords(page, 'events');
  return {
    snippets: snippets.length,
    feedback: events.filter((e) => e.kind === 'feedback').length,
    saves: events.filter((e) => e.kind === 'save').length,
  };
}

/** Whether the in-page toolbar is open (its role="toolbar" element is in the accessibility tree). */
export async function toolbarOpen(page: Page): Promise<boolean> {
  return (await page.$$('::-p-aria([role="toolbar"])')).length > 0;
}

/** Waits until the toolbar's status line says `text`. */
export async function statusSays(page: Page, text: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen: (string | null)[] = [];
  while (Date.now() < deadline) {
    const handles = await page.$$('::-p-aria([role="status"])');
    seen = await Promise.all(handles.map((h) => h.evaluate((e) => e.textContent)));
    if (seen.some((t) => t?.includes(text))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`status never said "${text}"; it said ${JSON.stringify(seen)}`);
}

/**
 * Centre of the first range of the strongest highlight tier, scrolled into view, and the text
 * of the block (paragraph, list item or quotation) it lies in.
 */
export async function firstHighlightPoint(page: Page): Promise<{ x: number; y: number; blockText: string }> {
  return page.evaluate((tier: string) => {
    const name = [...CSS.highlights.keys()].filter((k) => new RegExp(tier).test(k)).sort()[0]!;
    const range = [...CSS.highlights.get(name)!][0] as Range;
    const parent = range.startContainer.parentElement!;
    parent.scrollIntoView({ block: 'center' });
    const rect = range.getClientRects()[0]!;
    const blockText = parent.closest('p,li,blockquote')?.textContent ?? '';
    return { x: rect.left + Math.min(40, rect.width / 2), y: rect.top + rect.height / 2, blockText };
  }, TIER_PATTERN.source);
}

/** Clicks into the paragraph whose text starts with `start`, near the start of its first line, scrolled into view. */
export async function clickParagraph(page: Page, start: string): Promise<void> {
  const point = await page.evaluate((text: string) => {
    const p = [...document.querySelectorAll('p')].find((e) => e.textContent!.startsWith(text))!;
    p.scrollIntoView({ block: 'center' });
    const r = document.createRange();
    r.selectNodeContents(p);
    const rect = r.getClientRects()[0]!;
    return { x: rect.left + 10, y: rect.top + rect.height / 2 };
  }, start);
  await page.mouse.click(point.x, point.y);
}

/**
 * The box of the first whole `word` (space on each side) in the paragraph that contains
 * `sentence`, in viewport coordinates; with `scroll`, the paragraph is first scrolled to the
 * middle of the window. For clicking a word and for checking what covers it.
 */
export function wordBox(page: Page, sentence: string, word: string, scroll = true): Promise<{ left: number; top: number; right: number; bottom: number; x: number; y: number }> {
  return page.evaluate(
    (sentence: string, word: string, scroll: boolean) => {
      const p = [...document.querySelectorAll('p')].find((e) => e.textContent!.includes(sentence))!;
      if (scroll) p.scrollIntoView({ block: 'center' });
      const text = p.firstChild as Text;
      const at = text.data.indexOf(` ${word} `) + 1;
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + word.length);
      const r = range.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, x: r.left + r.width / 2, y: r.top + r.height / 2 };
    },
    sentence,
    word,
    scroll,
  );
}

/** How many ranges the page has painted in the highlight tiers (not the focus or the fallback). */
export function paintedCount(page: Page): Promise<number> {
  return page.evaluate((tier: string) => [...CSS.highlights.entries()].filter(([k]) => new RegExp(tier).test(k)).reduce((s, [, h]) => s + h.size, 0), TIER_PATTERN.source);
}

/**
 * Opens `url` in a new tab in front, `viewport` in size, and waits until the background has
 * judged the page (its summary exists) and what it chose is painted, highlights or none.
 * `control` is an extension page to ask from.
 */
export async function openJudged(session: Session, control: Page, url: string, viewport: { width: number; height: number }, timeoutMs = 60_000): Promise<Page> {
  const page = await session.browser.newPage();
  await page.setViewport(viewport);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  // Hidden tabs are not read: the page read is the one in front.
  await page.bringToFront();
  await page.waitForFunction(() => document.readyState === 'complete');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const summary = await ask(control, 'page.summary', { url: page.url() });
    if (summary.known && (summary.highlights.length === 0 || (await paintedCount(page)) > 0)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return page;
}
