/**
 * The learner's stated interests, turned into the texts of the prototypes the relevance head
 * starts from (lib/head.ts; platform/service/relevance.ts embeds them): each interest phrase
 * and optional example paragraph becomes one prototype, and a fixed list of broad topics
 * becomes the contrast set of its zero-shot score.
 *
 * Why a contrast set: with one stated word ("business"), raw cosine to the word ranks
 * generic, word-rich paragraphs too high; asking "is this closer to business than to the
 * other things people read about?" (a softmax over interest and contrasts) ranks by relative
 * similarity instead. The contrasts also give the head its fixed reference for the score's
 * typical value (lib/head.ts), so they should cover what people read about evenly.
 *
 * The list is the top level of the IPTC Media Topics taxonomy (IPTC NewsCodes, "mediatopic"
 * scheme, the 17 top-level concepts medtop:01000000 ... medtop:20000000, as published at
 * https://cv.iptc.org/newscodes/mediatopic/), the subject vocabulary news agencies tag
 * their stories with: a general classification of news and web topics, taken as it is and
 * not chosen by looking at any benchmark's labels. A category whose label names a stated
 * interest ("economy, business and finance" for "business") is the interest's own category,
 * not an alternative to it, so it is left out (`contrastsFor`); the head also drops
 * contrasts too close to an interest in meaning (restatements or sub-topics).
 */
import { contentHash, normaliseWhitespace } from './text';

/** IPTC Media Topics, top level (the English labels, lower-cased). */
export const CONTRAST_TOPICS_EN: readonly string[] = [
  'arts, culture, entertainment and media',
  'conflict, war and peace',
  'crime, law and justice',
  'disaster, accident and emergency incident',
  'economy, business and finance',
  'education',
  'environment',
  'health',
  'human interest',
  'labour',
  'lifestyle and leisure',
  'politics',
  'religion',
  'science and technology',
  'society',
  'sport',
  'weather',
];

/**
 * Contrast topics in the language the interests are stated in. Only English exists so far;
 * for other languages there are none and the zero-shot score falls back to similarity
 * against a neutral background (still a sound ranking, without the relative correction).
 * Contrasts must be in the interests' language, or a monolingual encoder would compare
 * across languages and every contrast would look remote.
 */
export function contrastTopics(lang: string): readonly string[] {
  return lang.toLowerCase().split('-')[0] === 'en' ? CONTRAST_TOPICS_EN : [];
}

export interface StatedInterests {
  /** Short phrases ("football", "climate policy"). */
  readonly phrases: readonly string[];
  /** Optional example paragraphs the learner finds relevant. */
  readonly examples?: readonly string[];
  /** Language the phrases and examples are written in (BCP 47). */
  readonly lang: string;
}

export interface PrototypeText {
  readonly id: string;
  readonly text: string;
}

/** The lower-cased words of a phrase, letters and digits only. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether `label` names `phrase`: the phrase's words appear in the label, whole and in order. */
function names(label: string, phrase: string): boolean {
  const l = wordsOf(label);
  const p = wordsOf(phrase);
  if (p.length === 0) return false;
  for (let i = 0; i + p.length <= l.length; i++) if (p.every((w, k) => l[i + k] === w)) return true;
  return false;
}

/**
 * The contrast topics for these stated interests: the language's list without the
 * categories whose label names one of the interests (a learner interested in "business"
 * is not contrasted with "economy, business and finance", the category business belongs to).
 */
export function contrastsFor(phrases: readonly string[], lang: string): string[] {
  return contrastTopics(lang).filter((t) => !phrases.some((p) => names(t, p)));
}

/**
 * The texts to embed for a head: interests (phrases and examples, deduplicated, ids by
 * content hash so the same phrase keeps its id) and contrasts.
 */
export function prototypeTexts(stated: StatedInterests): { interests: PrototypeText[]; contrasts: PrototypeText[] } {
  const seen = new Set<string>();
  const interests: PrototypeText[] = [];
  const add = (kind: 'interest' | 'example', raw: string) => {
    const text = normaliseWhitespace(raw);
    const id = `${kind}:${contentHash(text)}`;
    if (text && !seen.has(text)) {
      seen.add(text);
      interests.push({ id, text });
    }
  };
  for (const p of stated.phrases) add('interest', p);
  for (const e of stated.examples ?? []) add('example', e);
  const contrasts = contrastsFor(stated.phrases, stated.lang)
    .filter((t) => !seen.has(t))
    .map((text) => ({ id: `contrast:${contentHash(text)}`, text }));
  return { interests, contrasts };
}
