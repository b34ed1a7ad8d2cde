/**
 * The options page's `ModelApi`: list, download and remove through the encoder host's
 * `model.*` messages (the host holds the download, so it survives this page being closed),
 * and folder imports straight into the model store, which extension pages share with the
 * host (same origin, same IndexedDB): a 100 MB folder never has to travel as a message.
 */
import { expectedSha256From, parseModelManifest, type ModelManifest } from '../../lib/model-manifest';
import type { MessageType, RequestOf, ResponseOf } from '../../lib/protocol';
import manifestJson from '../../models/manifest.json';
import { importModelFolder, openModelStore } from '../../platform/encoder/model-store';
import type { ModelApi } from './api';

export type SendLike = <T extends MessageType>(type: T, payload: RequestOf<T>) => Promise<ResponseOf<T>>;

export interface ModelApiDeps {
  readonly send: SendLike;
  readonly indexedDB: IDBFactory;
  readonly manifest?: ModelManifest;
}

export function createModelApi({ send, indexedDB, manifest = parseModelManifest(manifestJson) }: ModelApiDeps): ModelApi {
  return {
    list: () => send('model.list', {}),
    download: (encoderId) => send('model.download', { encoderId }),
    remove: (modelId) => send('model.remove', { modelId }),
    async importFolder(modelId, files, required) {
      const store = await openModelStore({ indexedDB, expectedSha256: expectedSha256From(manifest) });
      try {
        const result = await importModelFolder(store, modelId, files, { files: required });
        return { stored: result.stored.length };
      } finally {
        store.close();
      }
    },
  };
}
