/**
 * What the settings page's Dictionaries section needs: the imported dictionaries' store
 * (platform/dictionary-store.ts), opened in the options page itself. Extension pages share
 * the extension's IndexedDB, so a dictionary file of tens of megabytes is checked and stored
 * here and never travels as a message; the word card's look-ups read the same database.
 */
import { DEFAULT_LIMITS } from '../../lib/yomitan';
import { createDictionaryStore, type DictionaryStore } from '../../platform/dictionary-store';

export interface DictionariesApi extends Pick<DictionaryStore, 'importDictionary' | 'listDictionaries' | 'removeDictionary' | 'reorderDictionaries'> {
  /** Files larger than this are refused before they are read into memory. */
  readonly maxFileBytes: number;
}

export function createDictionariesApi(store: DictionaryStore = createDictionaryStore(), maxFileBytes = DEFAULT_LIMITS.maxZipBytes): DictionariesApi {
  return {
    importDictionary: store.importDictionary,
    listDictionaries: store.listDictionaries,
    removeDictionary: store.removeDictionary,
    reorderDictionaries: store.reorderDictionaries,
    maxFileBytes,
  };
}
