/**
 * The background's handle on the encoder. On Chrome the encoder runs in an offscreen
 * document (a hidden extension page: WebAssembly threads and WebGPU are available there, and
 * a service worker restart does not lose the loaded model). The document is created on first
 * use and again whenever the browser closed it. On Firefox, which has no offscreen API, the
 * background page runs the same encoder host itself.
 */
import type { RequestOf, ResponseOf } from '../lib/protocol';
import { send, type RuntimeLike } from './messaging';

export interface RemoteEncoder {
  embed(texts: string[]): Promise<ResponseOf<'encoder.embed'>>;
  status(): Promise<ResponseOf<'encoder.status'>>;
  /** A word's meanings from the dictionary that lives beside the encoder, ranked with it (absent in tests' fakes). */
  lookupWord?(request: RequestOf<'dictionary.lookup'>): Promise<ResponseOf<'dictionary.lookup'>>;
  /** Makes sure the encoder's context is up, so pages can talk to it directly (model.*). */
  ensure(): Promise<void>;
  /**
   * Throws the encoder's context away (its WebAssembly runtime ran out of memory or aborted);
   * the next call starts a fresh one. Absent where the context cannot be replaced.
   */
  restart?(): Promise<void>;
}

export interface OffscreenApi {
  createDocument(params: { url: string; reasons: Array<'WORKERS'>; justification: string }): Promise<void>;
  closeDocument(): Promise<void>;
}

export interface ChromeLike {
  runtime: RuntimeLike & {
    getURL(path: string): string;
    getContexts?(filter: { contextTypes: Array<'OFFSCREEN_DOCUMENT'>; documentUrls?: string[] }): Promise<unknown[]>;
  };
  offscreen?: OffscreenApi;
}

const OFFSCREEN_PATH = '/offscreen.html';

export function createOffscreenEncoder(browser: ChromeLike): RemoteEncoder {
  let creating: Promise<void> | null = null;

  async function ensureDocument(): Promise<void> {
    const url = browser.runtime.getURL(OFFSCREEN_PATH);
    const existing = (await browser.runtime.getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] })) ?? [];
    if (existing.length > 0) return;
    // Two pages scored at once must not both try to create the document (Chrome allows one).
    creating ??= browser
      .offscreen!.createDocument({
        url,
        reasons: ['WORKERS'],
        justification: 'Runs the on-device text encoder (WebAssembly/WebGPU) that scores paragraphs.',
      })
      .catch((e: unknown) => {
        if (!String(e).includes('Only a single offscreen')) throw e;
      })
      .finally(() => {
        creating = null;
      });
    await creating;
  }

  return {
    ensure: ensureDocument,
    async embed(texts) {
      await ensureDocument();
      return send(browser.runtime, 'encoder.embed', { texts });
    },
    async status() {
      await ensureDocument();
      return send(browser.runtime, 'encoder.status', {});
    },
    async lookupWord(request) {
      await ensureDocument();
      return send(browser.runtime, 'dictionary.lookup', request);
    },
    async restart() {
      await creating?.catch(() => undefined);
      const url = browser.runtime.getURL(OFFSCREEN_PATH);
      const existing = (await browser.runtime.getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] })) ?? [];
      // Already gone (the browser closed it, or another restart won): nothing to close.
      if (existing.length > 0) await browser.offscreen!.closeDocument().catch(() => undefined);
    },
  };
}
