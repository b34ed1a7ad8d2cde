/**
 * The encoder loads before the first page asks for it, for a learner who reads somewhere: with
 * a site turned on, the browser's start alone (no page opened, no message sent) creates the
 * offscreen document and starts the WebAssembly runtime in it; with no site turned on,
 * nothing is loaded.
 */
import type { Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, extensionUrl, launch, type Session } from './harness';

const OFFSCREEN = '/offscreen.html';
/** From the browser's start to the loaded encoder, with no page open (a cold load is 1-3 s here). */
const LOADED_WITHIN_MS = 30_000;
/** How long a browser with no site turned on is watched for an offscreen document. */
const WATCH_MS = 5_000;

let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** The offscreen document, if one appears within `ms`. */
async function offscreenDocument(s: Session, ms: number): Promise<Page | null> {
  const url = extensionUrl(s, OFFSCREEN);
  const target = await s.browser.waitForTarget((t) => t.type() === 'background_page' && t.url() === url, { timeout: ms }).catch(() => null);
  return (await target?.asPage()) ?? null;
}

describe('the encoder at browser start', () => {
  it('is loaded with a site turned on, before any page is opened', async () => {
    session = await launch();
    expect((await session.browser.pages()).map((p) => p.url()).filter((u) => u.startsWith('http'))).toEqual([]);
    const offscreen = await offscreenDocument(session, LOADED_WITHIN_MS);
    expect(offscreen, 'an offscreen document was created at start').not.toBeNull();
    // The runtime's thread pool runs in it: onnxruntime-web started its WebAssembly, which it
    // does when the model's session is made (no page asked for it).
    const deadline = Date.now() + LOADED_WITHIN_MS;
    while (!offscreen!.workers().some((w) => /\/ort\/ort-wasm-simd-threaded[.a-z]*\.mjs$/.test(w.url())) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(offscreen!.workers().map((w) => new URL(w.url()).pathname)).toContain('/ort/ort-wasm-simd-threaded.jspi.mjs');
    // For reading, not asserted: the first status answer, which a cold load would make wait.
    const ext = await session.browser.newPage();
    await ext.goto(extensionUrl(session, '/popup.html'));
    const t0 = Date.now();
    const status = await ask(ext, 'encoder.status', {});
    console.info(`[encoder warm-up] first encoder.status after start answered in ${Date.now() - t0} ms: ${JSON.stringify(status)}`);
    expect(status).toMatchObject({ ready: true, encoderId: 'use-lite-int8', error: null });
  });

  it('is not loaded with no site turned on', async () => {
    session = await launch({ grantedSites: [] });
    expect(await offscreenDocument(session, WATCH_MS)).toBeNull();
  });
});
