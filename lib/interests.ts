/**
 * The learner's stated interests, turned into the texts of the prototypes the relevance head
 * starts from (lib/head.ts; platform/service/relevance.ts embeds them): each interest phrase
 * and optional example paragraph becomes one prototype, and a fixed list of broad topics
 * becomes the contrast set of its zero-shot score.
 *
 * Why a contrast set: with one stated word ("business"), raw cosine to the word ranks
 * generic, word-rich paragraphs too high; asking "is this closer to business than to the
 * other things people read about?" (a softmax over interest and contrasts) ranks by relative
 * similarity instead. The list is the tier-1 category names of the IAB content taxonomy, a
 * public, general-purpose classification of web content, not chosen for any benchmark;
 * contrasts too close to a stated interest are dropped by the head (they are sub-topics or
 * restatements of it, e.g. "sports" for "sport").
 */
import { contentHash, normaliseWhitespace } from './text';

/** IAB content taxonomy tier-1 categories (names written out in plain words). */
export const CONTRAST_TOPICS_EN: readonly string[] = [
  'arts and entertainment',
  'automotive',
  'business',
  'careers',
  'education',
  'family and parenting',
  'health and fitness',
  'food and drink',
  'hobbies and interests',
  'home and garden',
  'law, government and politics',
  'news',
  'personal finance',
  'society',
  'science',
  'pets',
  'sports',
  'style and fashion',
  'technology and computing',
  'travel',
  'real estate',
  'shopping',
  'religion and spirituality',
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
  const contrasts = contrastTopics(stated.lang)
    .filter((t) => !seen.has(t))
    .map((text) => ({ id: `contrast:${contentHash(text)}`, text }));
  return { interests, contrasts };
}
