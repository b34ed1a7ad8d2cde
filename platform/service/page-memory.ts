/**
 * What the background keeps in memory of the paragraphs it judged, between a page's messages.
 *
 * A huge page comes in messages (its first screen, then LATER_MESSAGE_PARAGRAPHS at a time),
 * and each message chooses the page's highlights again over all its known paragraphs (up to
 * MAX_PAGE_PARAGRAPHS): the day's bar, the page's share cap and the page's centre (relevance
 * in page context) are the whole page's. Most of judging a paragraph does not change from one
 * message to the next, though: its language, whether it is a passage, its words, their
 * frequency ranks, its sentences and level (lib/difficulty.ts `prepareText`), and its
 * embedding. Those are kept here, so a message prepares and embeds only its new paragraphs;
 * what depends on the learner and the head (knowledge of each word, reading speed, relevance
 * against the page's current centre) is worked out again for every paragraph on every
 * message, as before, from the kept parts: the same judgements, at a fraction of the work.
 *
 * Everything kept is a function of the paragraph's text (and the language the page gave it,
 * the learner's target language and word list, the encoder), and is checked against those
 * when used: a paragraph id is its text's hash, but an entry is only used for the very same
 * text. Nothing here is needed for correctness: a service worker that is stopped loses it and
 * prepares every paragraph again on its next message (then keeps them again).
 *
 * Bounded: at most MEMORY_PARAGRAPHS paragraphs, the least recently used let go first. A page
 * considers at most MAX_PAGE_PARAGRAPHS at once (platform/service/page.ts), so one huge page
 * and the pages of other tabs fit; a 50,000-paragraph page costs no more than a 2,000 one.
 * Each entry is about 8 KB (measured on news paragraphs of 450 characters: the text, its
 * words and ranks, the embedding's 2 KB at 512 dimensions), 20 MB when full. Two huge pages
 * read in turn share it: each then prepares again what the other's messages let go, as every
 * message did before.
 */
import type { PreparedText } from '../../lib/difficulty';

export interface RememberedParagraph {
  readonly text: string;
  /** Resolved language by the language the page gave (its attribute, or a stored paragraph's). */
  readonly langs: Map<string, string>;
  /** Whether it is a passage (lib/passage.ts), for the language it was resolved to. */
  passage?: { readonly lang: string; readonly value: boolean };
  /** Its words, ranks and level (lib/difficulty.ts), for one target language and word list. */
  prepared?: PreparedText;
  /** Its embedding, from one encoder. */
  embedding?: { readonly encoderId: string; readonly vector: Float32Array };
}

export interface PageMemory {
  /** The entry of paragraph `id` with this text (a new, empty one if none is kept), marked as just used. */
  paragraph(id: string, text: string): RememberedParagraph;
  /** The embedding kept for paragraph `id` from `encoderId`, if any (not marking it used). */
  embedding(encoderId: string, id: string): Float32Array | undefined;
  /** Keeps `vector` as paragraph `id`'s embedding from `encoderId`, where its entry is kept. */
  keepEmbedding(encoderId: string, id: string, vector: Float32Array): void;
  /** Forgets everything (the learner deleted or restored their data). */
  forget(): void;
  readonly size: number;
}

/** Paragraphs kept: a huge page's worth of those a page considers at once, and some. */
export const MEMORY_PARAGRAPHS = 2_500;

export function createPageMemory(limit = MEMORY_PARAGRAPHS): PageMemory {
  // A Map keeps insertion order: an entry used is moved to the end, the first is the oldest.
  const entries = new Map<string, RememberedParagraph>();
  return {
    paragraph(id, text) {
      let entry = entries.get(id);
      if (entry) entries.delete(id);
      if (!entry || entry.text !== text) entry = { text, langs: new Map() };
      entries.set(id, entry);
      while (entries.size > limit) entries.delete(entries.keys().next().value!);
      return entry;
    },
    embedding(encoderId, id) {
      const kept = entries.get(id)?.embedding;
      return kept?.encoderId === encoderId ? kept.vector : undefined;
    },
    keepEmbedding(encoderId, id, vector) {
      const entry = entries.get(id);
      if (entry) entry.embedding = { encoderId, vector };
    },
    forget() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
