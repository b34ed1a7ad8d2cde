/**
 * The offscreen document's side of the encoder (Chrome): answers `encoder.*`, `model.*` and
 * `dictionary.lookup` messages. The encoder itself runs in a dedicated worker
 * (platform/encoder-host.ts `startEncoderWorker`): every extension page (popup, review page,
 * options) shares this document's main thread, which an embedding would hold for seconds.
 * This thread relays, and ranks word meanings with embeddings from the worker.
 *
 * Kept apart from encoder-host.ts so that this document's bundle holds no encoder runtime:
 * the worker's bundle does.
 */
import { createExtensionDictionaryHost, dictionaryHostHandlers } from './dictionary-host';
import type { EncoderHost } from './encoder-host';
import { listen, type Listening, type RuntimeLike } from './messaging';
import { createWorkerClient, type WorkerLike } from './worker-channel';

/** Relays to a worker started by `spawnWorker` at once, and again after it failed. */
export function startEncoderRelay(runtime: RuntimeLike & { getURL(path: string): string }, spawnWorker: () => WorkerLike): Listening {
  const worker = createWorkerClient(spawnWorker);
  // Started now, so its scripts load while this document starts; the model loads on the first call.
  worker.start();
  const host: EncoderHost = {
    embed: (request) => worker.call('encoder.embed', request),
    status: () => worker.call('encoder.status', {}),
    download: (request) => worker.call('model.download', request),
    list: () => worker.call('model.list', {}),
    remove: (request) => worker.call('model.remove', request),
  };
  // Word look-ups rank a word's meanings with this same encoder.
  const dictionary = createExtensionDictionaryHost((p) => runtime.getURL(p), (texts) => host.embed({ texts }));
  void (globalThis.navigator as { storage?: { persist?(): Promise<boolean> } }).storage?.persist?.();
  return listen(runtime, 'offscreen', {
    'encoder.embed': host.embed,
    'encoder.status': host.status,
    'model.download': host.download,
    'model.list': host.list,
    'model.remove': host.remove,
    ...dictionaryHostHandlers(dictionary),
  });
}
