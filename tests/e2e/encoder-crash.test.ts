/**
 * The offscreen document that runs the encoder can disappear at any time (a crash, the browser
 * reclaiming memory). Killed between pages, the next page starts a new one and is scored by
 * the encoder; killed while a page waits on it, that page is answered by word matching (with
 * the reason) and the page after it is scored by the encoder again. The same when only the
 * document's encoder worker fails: the document starts a new one for the next page.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, type Session } from './harness';
import { encoderWorker, openOffscreenDocument } from './lib/encoder-probe';
import { ask, openExtensionPage } from './lib/extension-pages';

let session: Session;
let control: Page;

beforeAll(async () => {
  session = await launch();
  control = await openExtensionPage(session);
  await ask(control, 'settings.update', { patch: { interests: ['rivers and floods'], onboarded: true } });
});

afterAll(async () => {
  await session?.close().catch(() => {});
});

const WORDS = ['river', 'bridge', 'meadow', 'station', 'harbour', 'library', 'orchard', 'valley', 'tunnel', 'market', 'glacier', 'canal'];

/** A page of `n` paragraphs no other page has, so each needs the encoder. */
function freshPage(name: string, n: number) {
  const paragraphs = Array.from({ length: n }, (_, i) => ({
    id: `${name}-${i}`,
    text: `On ${name} day ${i}, the ${WORDS[i % WORDS.length]} near the ${WORDS[(i * 7 + 3) % WORDS.length]} was described again in ${i + 3} careful sentences about its history.`,
    lang: 'en',
  }));
  return { url: `https://${name}.example/article`, title: name, lang: 'en', paragraphs, shown: [] };
}

type OffscreenChrome = {
  chrome: {
    offscreen: { closeDocument(): Promise<void> };
    runtime: { getContexts(f: { contextTypes: string[] }): Promise<unknown[]> };
  };
};

async function offscreenDocuments(): Promise<number> {
  const worker = await session.worker();
  return worker.evaluate(async () => (await (globalThis as unknown as OffscreenChrome).chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] })).length);
}

async function killOffscreen(): Promise<void> {
  const worker = await session.worker();
  await worker.evaluate(() => (globalThis as unknown as OffscreenChrome).chrome.offscreen.closeDocument());
}

describe('the encoder’s document killed', () => {
  it('between pages: the next page starts a new one and is scored by the encoder', async () => {
    expect((await ask(control, 'page.paragraphs', freshPage('first', 12))).scorer).toBe('encoder');
    expect(await offscreenDocuments()).toBe(1);
    await killOffscreen();
    expect(await offscreenDocuments()).toBe(0);
    expect((await ask(control, 'page.paragraphs', freshPage('second', 12))).scorer).toBe('encoder');
    expect(await offscreenDocuments()).toBe(1);
  });

  it('while a page waits on it: that page gets word matching and the reason, the next the encoder', async () => {
    // Several batches of work, so the document is busy when it is killed.
    let answeredAt = Number.POSITIVE_INFINITY;
    const waiting = ask(control, 'page.paragraphs', freshPage('third', 400)).then((reply) => {
      answeredAt = Date.now();
      return reply;
    });
    await new Promise((r) => setTimeout(r, 300));
    // From the moment the close is asked for: a page still waiting then lost its encoder.
    const killedAt = Date.now();
    await killOffscreen();
    const reply = await waiting;
    if (answeredAt < killedAt) {
      // The encoder finished the whole page first (a fast machine): nothing was lost, so the
      // encoder's answer stands, and the kill is tested by the page that follows.
      console.log(`page answered ${killedAt - answeredAt} ms before its encoder's document was killed, by ${reply.scorer}`);
      expect(reply.scorer).toBe('encoder');
    } else {
      console.log(`page answered ${answeredAt - killedAt} ms after its encoder's document was killed, by ${reply.scorer}`);
      expect(reply.scorer).toBe('lexical');
      expect((await ask(control, 'dashboard.get', {})).scorerNote).toMatch(/word matching fallback/);
    }

    const next = await ask(control, 'page.paragraphs', freshPage('fourth', 12));
    expect(next.scorer).toBe('encoder');
    expect((await ask(control, 'dashboard.get', {})).scorer).toBe('encoder');
  });

  it('its encoder worker failing while a page waits: that page gets word matching, the next a new worker', async () => {
    const offscreen = await openOffscreenDocument(session, control);
    const failing = await encoderWorker(offscreen);
    expect((await ask(control, 'encoder.status', {})).ready).toBe(true);
    // The worker breaks (an uncaught error, as a runtime bug would throw) the moment the page's
    // first embedding request reaches it: the page is then certainly waiting on this worker,
    // however fast or slow the machine prepares the page before asking.
    await failing.evaluate(() => {
      const scope = self as unknown as { onmessage: ((event: { data: unknown }) => void) | null };
      const serve = scope.onmessage;
      scope.onmessage = (event) => {
        serve?.(event);
        const call = event.data as { message?: { type?: string } };
        if (call.message?.type === 'encoder.embed') {
          setTimeout(() => {
            throw new Error('the encoder worker broke (test)');
          }, 0);
        }
      };
    });
    const reply = await ask(control, 'page.paragraphs', freshPage('fifth', 400));
    expect(reply.scorer).toBe('lexical');
    expect((await ask(control, 'dashboard.get', {})).scorerNote).toMatch(/word matching fallback: .*encoder worker failed/);

    expect((await ask(control, 'page.paragraphs', freshPage('sixth', 12))).scorer).toBe('encoder');
    expect(offscreen.workers().filter((w) => w.url().includes('encoder.worker')).map((w) => w === failing)).toEqual([false]);
  });
});
