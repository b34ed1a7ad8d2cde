/**
 * Word look-ups: the word card's meanings, and the record of the look-up. The background asks
 * the dictionary beside the encoder for the word's senses ranked against its sentence
 * (`dictionary.lookup`), and the learner's imported dictionaries for their entries; it then
 * records the look-up once per event id (a card drawn again, or a message retried, records
 * nothing more) and counts it as evidence that the word is not known yet (lib/learner.ts
 * applyLookup), in one transaction.
 */
import { applyLookup } from '../../lib/learner';
import { lookupRecord } from '../../lib/lookup';
import { LIMITS, type DictionaryLookupOut, type ImportedEntryOut, type RequestOf, type ResponseOf } from '../../lib/protocol';
import { isPaused } from '../../lib/settings';
import { errorText } from '../../lib/text';
import type { ServiceDeps } from './deps';
import { KEYS, atomically, readLearnerTx, readSettingsTx } from './state';
import { sameLanguage } from '../../lib/language';

/** How long a look-up waits for the dictionary (a cold encoder loads first) before answering without it. */
export const DICTIONARY_TIMEOUT_MS = 15_000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
    p.then(
      (x) => (clearTimeout(t), resolve(x)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

/** Imported entries cut to what the card's message carries. */
export function boundedImported(entries: readonly ImportedEntryOut[]): ImportedEntryOut[] {
  return entries.slice(0, LIMITS.importedEntries).map((e) => ({
    dictionary: { id: e.dictionary.id.slice(0, 200), title: e.dictionary.title.slice(0, 300) },
    term: e.term.slice(0, 200),
    ...(e.reading !== undefined ? { reading: e.reading.slice(0, 200) } : {}),
    definitions: e.definitions.slice(0, 50).map((d) => d.slice(0, LIMITS.gloss)),
    tags: e.tags.slice(0, 50).map((t) => t.slice(0, 100)),
  }));
}

async function senses(deps: ServiceDeps, req: RequestOf<'word.lookup'>, timeoutMs: number): Promise<DictionaryLookupOut> {
  if (!deps.lookupWord) return { senses: [], ranked: false, note: 'No dictionary is available here.' };
  try {
    return await withTimeout(deps.lookupWord({ word: req.word, sentence: req.sentence, lang: req.lang }), timeoutMs);
  } catch (e) {
    return { senses: [], ranked: false, note: `The dictionary did not answer: ${errorText(e)}` };
  }
}

async function imported(deps: ServiceDeps, terms: string[]): Promise<ImportedEntryOut[]> {
  if (!deps.lookupImported) return [];
  try {
    return boundedImported(await deps.lookupImported(terms));
  } catch (e) {
    console.warn('[attention-reader] imported dictionaries could not be read', e);
    return [];
  }
}

export async function handleWordLookup(deps: ServiceDeps, req: RequestOf<'word.lookup'>, timeoutMs = DICTIONARY_TIMEOUT_MS): Promise<ResponseOf<'word.lookup'>> {
  const db = await deps.db();
  const settings = await readSettingsTx(db.transaction('kv', 'readonly'));
  if (isPaused(settings, req.url)) throw new Error('Look-ups are paused on this site, with the highlights.');
  const found = await senses(deps, req, timeoutMs);
  const first = found.senses[0];
  const terms = [...new Set([req.word, req.word.toLowerCase(), ...(first ? [first.lemma] : [])])];
  const entries = await imported(deps, terms);

  const now = deps.clock.now();
  const lexicon = await deps.lexicon();
  const tx = db.transaction(['lookups', 'kv'], 'readwrite');
  const duplicate = await atomically(tx, async () => {
    if (await tx.objectStore('lookups').get(req.eventId)) {
      await tx.done;
      return true;
    }
    await tx.objectStore('lookups').add(
      lookupRecord({
        id: req.eventId,
        at: now,
        word: req.word,
        lang: req.lang,
        sentence: req.sentence,
        url: req.url,
        title: req.title,
        chosen: first ? { id: first.id, lemma: first.lemma, pos: first.pos, gloss: first.gloss } : null,
      }),
    );
    // Evidence about the learner's vocabulary, for words of the language they learn.
    const settingsNow = await readSettingsTx(tx);
    if (sameLanguage(req.lang === 'und' ? settingsNow.targetLang : req.lang, settingsNow.targetLang)) {
      // Keyed by the dictionary's base form when it has one ("banks" is "bank"), as written otherwise.
      const form = first && !/\s/u.test(first.lemma) ? first.lemma : req.word;
      const learner = applyLookup(await readLearnerTx(tx, settingsNow, now), form, now, { lexicon });
      await tx.objectStore('kv').put({ key: KEYS.learner, value: learner });
    }
    await tx.done;
    return false;
  });
  return { ...found, imported: entries, duplicate };
}

/** The learner's look-ups, newest first. */
export async function handleLookupHistory(deps: ServiceDeps, req: RequestOf<'lookup.history'>): Promise<ResponseOf<'lookup.history'>> {
  const db = await deps.db();
  const tx = db.transaction('lookups', 'readonly');
  const index = tx.objectStore('lookups').index('by-time');
  const total = await index.count();
  const items = [];
  for (let cursor = await index.openCursor(null, 'prev'); cursor && items.length < req.limit; cursor = await cursor.continue()) items.push(cursor.value);
  await tx.done;
  return { items, total };
}
