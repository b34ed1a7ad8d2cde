/**
 * The SentencePiece Unigram tokenizer of Universal Sentence Encoder lite, reading the
 * vocabulary from the generated tokenizer.json (transformers.js format).
 *
 * Why our own instead of transformers.js' Unigram model: the model's ids come from USE's JS
 * tokenizer, whose Viterbi search differs from the textbook one that transformers.js
 * implements, and those differences change ids on real text:
 * - an unknown character scores 0 (transformers.js: lowest score - 10) and is a candidate
 *   only where no vocabulary piece starts at all;
 * - a best score of exactly 0 counts as "nothing found yet", so a zero-score piece at the
 *   start (e.g. "▁:" for a text starting with ":") loses to any later candidate;
 * - ties go to the candidate that starts last.
 * Reproducing that exactly keeps the ids — and so the embeddings — identical to the
 * reference implementation. It is also synchronous, small, and needs no tokenizer_config.
 */

/** SentencePiece's word-boundary mark, which replaces spaces. */
export const WORD_BOUNDARY = '\u2581';

/** USE's normalisation: NFKC, spaces become "▁", and non-empty text starts with one. */
export function normaliseForUse(text: string): string {
  const normalised = text.normalize('NFKC');
  return normalised.length > 0 ? WORD_BOUNDARY + normalised.replace(/ /g, WORD_BOUNDARY) : normalised;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  id: number;
  score: number;
}

const newNode = (): TrieNode => ({ children: new Map(), id: -1, score: 0 });

export class UnigramTokenizer {
  private readonly root: TrieNode = newNode();

  /**
   * @param pieces the vocabulary as [piece, log-probability score]; the index is the id.
   * @param unkId the id of unknown characters; its piece is never matched in text.
   */
  constructor(pieces: readonly (readonly [string, number])[], readonly unkId: number) {
    pieces.forEach(([piece, score], id) => {
      if (id === unkId || piece.length === 0) return;
      let node = this.root;
      for (const char of piece) {
        let next = node.children.get(char);
        if (!next) {
          next = newNode();
          node.children.set(char, next);
        }
        node = next;
      }
      // A piece listed twice keeps its last id, as in USE.
      node.id = id;
      node.score = score;
    });
  }

  /** Builds the tokenizer from a parsed tokenizer.json with a Unigram model. */
  static fromTokenizerJson(json: unknown): UnigramTokenizer {
    const model = (json as { model?: { type?: unknown; unk_id?: unknown; vocab?: unknown } } | null)?.model;
    if (!model || model.type !== 'Unigram' || typeof model.unk_id !== 'number' || !Array.isArray(model.vocab)) {
      throw new Error('tokenizer.json: expected a Unigram model with unk_id and vocab');
    }
    const pieces = model.vocab.map((entry: unknown, id: number): [string, number] => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
        throw new Error(`tokenizer.json: vocabulary entry ${id} is not [piece, score]`);
      }
      return [entry[0], entry[1]];
    });
    return new UnigramTokenizer(pieces, model.unk_id);
  }

  /** The token ids of `text`; an empty text has none. */
  encode(text: string): number[] {
    const chars = Array.from(normaliseForUse(text));
    const n = chars.length;
    // best[e]: score of the best segmentation of chars[0, e); 0 doubles as "none yet" (USE).
    const best = new Float64Array(n + 1);
    const bestId = new Int32Array(n + 1);
    const bestLength = new Int32Array(n + 1);
    // Candidates ending at each position, collected in ascending start order, which is the
    // order USE compares them in (it matters for ties and for the zero-score quirk).
    const endingAt: { start: number; id: number; score: number }[][] = Array.from({ length: n + 1 }, () => []);
    for (let start = 0; start < n; start++) {
      let node: TrieNode | undefined = this.root;
      let matched = false;
      for (let end = start; end < n && node; end++) {
        node = node.children.get(chars[end] as string);
        if (node && node.id >= 0) {
          endingAt[end + 1]?.push({ start, id: node.id, score: node.score });
          matched = true;
        }
      }
      if (!matched) endingAt[start + 1]?.push({ start, id: this.unkId, score: 0 });
    }
    for (let end = 1; end <= n; end++) {
      for (const { start, id, score } of endingAt[end] ?? []) {
        const total = score + (best[start] as number);
        if (best[end] === 0 || total >= (best[end] as number)) {
          best[end] = total;
          bestId[end] = id;
          bestLength[end] = end - start;
        }
      }
    }
    const reversed: number[] = [];
    for (let end = n; end > 0; end -= bestLength[end] as number) reversed.push(bestId[end] as number);
    const ids: number[] = [];
    // Runs of unknown characters collapse into one unknown token.
    for (let i = reversed.length - 1; i >= 0; i--) {
      const id = reversed[i] as number;
      if (id === this.unkId && ids[ids.length - 1] === this.unkId) continue;
      ids.push(id);
    }
    return ids;
  }
}
