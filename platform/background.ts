/**
 * Wires the background context: the database, the encoder tier (offscreen document on
 * Chrome, in-process on Firefox), the shipped word list, and the protocol listener. Nothing
 * here keeps state that matters in memory: the service worker may be stopped at any moment,
 * and every handler reads what it needs from IndexedDB.
 */
import { createLexicon, type FrequencyList, type Lexicon } from '../lib/vocabulary';
import { openReaderDB, type ReaderDatabase } from './db';
import { createEncoderHost } from './encoder-host';
import { listen, type RuntimeLike } from './messaging';
import { createOffscreenEncoder, type ChromeLike, type RemoteEncoder } from './offscreen-client';
import { createHandlers } from './service';
import { createEncoderTier } from './service/relevance';
import { systemClock } from './service/state';

export const FREQUENCY_LIST_PATH = '/models/frequency-en.json';

type BrowserLike = ChromeLike & { runtime: RuntimeLike & { getURL(path: string): string } };

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => {
    value ??= make().catch((e: unknown) => {
      value = null; // let the next call retry
      throw e;
    });
    return value;
  };
}

function encoderFor(browser: BrowserLike): RemoteEncoder {
  if (browser.offscreen) return createOffscreenEncoder(browser);
  // Firefox: no offscreen documents; the background page can run WebAssembly itself.
  const host = createEncoderHost({ assetUrl: (p) => browser.runtime.getURL(p) });
  return { embed: (texts) => host.embed({ texts }), status: () => host.status() };
}

export function startBackground(browser: BrowserLike): void {
  const db = once<ReaderDatabase>(() => openReaderDB());
  const lexicon = once<Lexicon | undefined>(async () => {
    try {
      const response = await fetch(browser.runtime.getURL(FREQUENCY_LIST_PATH));
      return createLexicon((await response.json()) as FrequencyList);
    } catch (e) {
      console.warn('[attention-reader] word list unavailable; difficulty from the learner’s own reading only', e);
      return undefined;
    }
  });
  const handlers = createHandlers({ db, clock: systemClock, encoder: createEncoderTier(encoderFor(browser)), lexicon });
  listen(browser.runtime, 'background', handlers);
}
