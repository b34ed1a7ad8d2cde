/**
 * The ranked word list that difficulty, the level and the probably-new words are judged by:
 * the list of the learner's target language. A frequency list the learner imported for that
 * language (Settings → Dictionaries, platform/dictionary-store.ts) is used first, because the
 * learner chose it for the language they read; English falls back to the list the extension
 * ships; any other language without an imported list has none (the learner's own reading then
 * ranks its words, lib/learner.ts).
 *
 * Asked on every page message, so it answers from memory: the list is read again only when
 * the target language or the imported dictionaries (ids, revisions, order, import times)
 * change, which costs two small reads (settings, the dictionaries' metadata) per call.
 */
import { sameLanguage } from '../lib/language';
import { createLexicon, type FrequencyList, type Lexicon } from '../lib/vocabulary';

export interface ImportedFrequencies {
  /** Metadata of the imported dictionaries, cheap to read: its change says the list may have changed. */
  listDictionaries(): Promise<ReadonlyArray<{ id: string; revision: string; order: number; importedAt: number; counts: { frequencies: number } }>>;
  frequencyRanks(language: string): Promise<{ list: FrequencyList } | undefined>;
}

export interface LexiconSourceDeps {
  /** The learner's target language, as the settings say now. */
  targetLanguage(): Promise<string>;
  /** The shipped English list (undefined when it could not be read). */
  shipped(): Promise<Lexicon | undefined>;
  imported: ImportedFrequencies;
  /** Told when the imported dictionaries cannot be read (the shipped list is used meanwhile). */
  onImportedUnavailable?(error: unknown): void;
}

const SHIPPED_LANGUAGE = 'en';

export function createLexiconSource(deps: LexiconSourceDeps): () => Promise<Lexicon | undefined> {
  let cached: { key: string; lexicon: Promise<Lexicon | undefined> } | undefined;

  async function importedKey(): Promise<string | undefined> {
    try {
      const all = await deps.imported.listDictionaries();
      return JSON.stringify(all.filter((d) => d.counts.frequencies > 0).map((d) => [d.id, d.revision, d.order, d.importedAt]));
    } catch (e) {
      deps.onImportedUnavailable?.(e);
      return undefined;
    }
  }

  async function build(language: string, withImported: boolean): Promise<Lexicon | undefined> {
    if (withImported) {
      try {
        const imported = await deps.imported.frequencyRanks(language);
        if (imported && imported.list.words.length > 0) return createLexicon(imported.list);
      } catch (e) {
        deps.onImportedUnavailable?.(e);
      }
    }
    return sameLanguage(language, SHIPPED_LANGUAGE) ? deps.shipped() : undefined;
  }

  return async () => {
    const language = await deps.targetLanguage();
    const imported = await importedKey();
    const key = JSON.stringify([language.toLowerCase(), imported ?? null]);
    if (cached?.key !== key) cached = { key, lexicon: build(language, imported !== undefined) };
    return cached.lexicon;
  };
}
