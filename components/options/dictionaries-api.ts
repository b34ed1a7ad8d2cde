/**
 * What the settings page's Dictionaries section needs: the imported dictionaries' store
 * (platform/dictionary-store.ts), opened in the options page itself. Extension pages share
 * the extension's IndexedDB, so a dictionary file of tens of megabytes is checked and stored
 * here and never travels as a message; the word card's look-ups read the same database.
 */
import { createDictionaryStore, type DictionaryStore } from '../../platform/dictionary-store';

export type DictionariesApi = Pick<DictionaryStore, 'importDictionary' | 'listDictionaries' | 'removeDictionary' | 'reorderDictionaries'>;

export function createDictionariesApi(store: DictionaryStore = createDictionaryStore()): DictionariesApi {
  return store;
}
