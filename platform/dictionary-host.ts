/**
 * The dictionary's home, beside the encoder (the offscreen document on Chrome, the background
 * page on Firefox): answers `dictionary.lookup` with a word's meanings from the bundled
 * English WordNet, the one that fits the sentence first. The sentence and each candidate
 * sense's text are embedded with the product's own encoder (the same `embed` that scores
 * pages) and lib/dictionary's `rankSenses` orders them.
 *
 * The dictionary asset is one of the extension's own files, fetched and parsed on the first
 * look-up and then kept in memory; nothing leaves the device. Sense embeddings are kept in
 * memory too (by encoder and sense), so looking up a common word again costs one embedding:
 * its sentence's.
 */
import { parseDictionary, rankSenses, senseText, DICTIONARY_ASSET, type Dictionary, type Sense } from '../lib/dictionary';
import { partOfSpeechHint } from '../lib/pos-hint';
import { LIMITS, type DictionaryLookupOut, type RequestOf, type SenseOut } from '../lib/protocol';
import { errorText } from '../lib/text';
import type { Handlers } from './messaging';

export interface DictionaryHostOptions {
  /** The asset's text or bytes (the extension's own file). */
  loadAsset(): Promise<string | ArrayBuffer>;
  /** The product's encoder: one vector per text, and which encoder made them. */
  embed(texts: string[]): Promise<{ encoderId: string; vectors: number[][] }>;
  /** Default: lib/dictionary's parser. */
  parse?(data: string | ArrayBuffer): Dictionary;
}

export interface DictionaryHost {
  lookup(request: RequestOf<'dictionary.lookup'>): Promise<DictionaryLookupOut>;
}

/** Sense embeddings kept at most (a few MB at 512 dimensions). */
const MAX_CACHED_VECTORS = 4_000;

/** Whether the bundled (English) dictionary applies to text in `lang` (unknown languages are tried). */
export function dictionaryCovers(lang: string): boolean {
  const base = lang.split('-')[0]!.toLowerCase();
  return base === 'en' || base === 'und' || base === '';
}

function senseOut(sense: Sense, probability: number): SenseOut {
  return {
    id: sense.id.slice(0, 200),
    lemma: sense.lemma.slice(0, 200),
    pos: sense.pos,
    gloss: sense.gloss.slice(0, LIMITS.gloss),
    examples: sense.examples.slice(0, 20).map((e) => e.slice(0, 1_000)),
    synonyms: sense.synonyms.slice(0, 50).map((s) => s.slice(0, 200)),
    probability: Math.min(1, Math.max(0, Number.isFinite(probability) ? probability : 0)),
  };
}

/** Dictionary order, with a share of the probability that falls with the rank (used when nothing ranks them). */
function unranked(senses: readonly Sense[], note: string | null): DictionaryLookupOut {
  const weights = senses.map((s) => 1 / (s.rank + 1));
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return { senses: senses.map((s, i) => senseOut(s, weights[i]! / total)), ranked: false, note };
}

export function createDictionaryHost(options: DictionaryHostOptions): DictionaryHost {
  const parse = options.parse ?? parseDictionary;
  let loading: Promise<Dictionary> | null = null;
  /** Sense embeddings by sense id, all from the encoder `cachedFor`. */
  const vectors = new Map<string, Float32Array>();
  let cachedFor: string | null = null;

  function dictionary(): Promise<Dictionary> {
    loading ??= options
      .loadAsset()
      .then((data) => parse(data))
      .catch((e: unknown) => {
        loading = null; // the next look-up tries again
        throw e;
      });
    return loading;
  }

  function remember(key: string, vector: Float32Array) {
    if (vectors.size >= MAX_CACHED_VECTORS) vectors.delete(vectors.keys().next().value!);
    vectors.set(key, vector);
  }

  return {
    async lookup({ word, sentence, lang }) {
      if (!dictionaryCovers(lang)) return { senses: [], ranked: false, note: 'The bundled dictionary is English only.' };
      let dict: Dictionary;
      try {
        dict = await dictionary();
      } catch (e) {
        return { senses: [], ranked: false, note: `The dictionary could not be read: ${errorText(e)}` };
      }
      const senses = dict
        .lookup(word)
        .flatMap((entry) => entry.senses)
        .slice(0, LIMITS.senses);
      if (senses.length === 0) return { senses: [], ranked: false, note: null };
      if (senses.length === 1 || !sentence.trim()) return unranked(senses, null);
      try {
        // The sentence first, then the senses this encoder has not embedded yet. An answer from
        // another encoder (the learner switched models) empties the cache and embeds them all.
        const missing = senses.filter((s) => !vectors.has(s.id));
        let reply = await options.embed([sentence, ...missing.map((s) => senseText(s))]);
        let embedded = missing;
        if (reply.encoderId !== cachedFor) {
          vectors.clear();
          cachedFor = reply.encoderId;
          if (missing.length < senses.length) {
            reply = await options.embed([sentence, ...senses.map((s) => senseText(s))]);
            embedded = senses;
          }
        }
        const fresh = new Map(embedded.map((s, i) => [s.id, Float32Array.from(reply.vectors[i + 1]!)]));
        const pairs = senses.map((sense) => ({ sense, vector: fresh.get(sense.id) ?? vectors.get(sense.id)! }));
        for (const [id, vector] of fresh) remember(id, vector);
        const sentenceVector = Float32Array.from(reply.vectors[0]!);
        // Where the word before says noun or verb, that part of speech comes first (its
        // probabilities among themselves); the others follow, ranked, at probability 0.
        const pos = partOfSpeechHint(sentence, word, lang);
        const hinted = pos ? pairs.filter((p) => p.sense.pos === pos) : [];
        if (hinted.length === 0 || hinted.length === pairs.length) {
          const ranked = rankSenses(sentenceVector, pairs);
          return { senses: ranked.map((r) => senseOut(r.sense, r.probability)), ranked: true, note: null };
        }
        const first = rankSenses(sentenceVector, hinted);
        const rest = rankSenses(sentenceVector, pairs.filter((p) => p.sense.pos !== pos));
        return { senses: [...first.map((r) => senseOut(r.sense, r.probability)), ...rest.map((r) => senseOut(r.sense, 0))], ranked: true, note: null };
      } catch (e) {
        return unranked(senses, `In the dictionary's order: the language model could not rank the meanings (${errorText(e)}).`);
      }
    },
  };
}

/** The message the dictionary host answers, for `listen(runtime, 'offscreen', ...)`. */
export function dictionaryHostHandlers(host: DictionaryHost): Handlers<'dictionary.lookup'> {
  return { 'dictionary.lookup': (req) => host.lookup(req) };
}

/** The host as the extension runs it: the asset from the extension's own files. */
export function createExtensionDictionaryHost(
  assetUrl: (path: string) => string,
  embed: DictionaryHostOptions['embed'],
  fetchFile: (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }> = (url) => fetch(url),
): DictionaryHost {
  return createDictionaryHost({
    embed,
    async loadAsset() {
      const response = await fetchFile(assetUrl(`/${DICTIONARY_ASSET}`));
      if (!response.ok) throw new Error(`the dictionary file is missing from this build (HTTP ${response.status})`);
      return response.arrayBuffer();
    },
  });
}
