/**
 * Sentences for checking that an encoder embeds meaning, not characters: for each anchor, a
 * paraphrase sharing few of its words and an unrelated sentence of similar length. A working
 * sentence encoder puts the paraphrase closer; a broken one (wrong tokenizer ids, garbage
 * weights, all-zero or constant output) does not, on at least one of them.
 */
import { cosine } from './encoder-probe';

export interface SemanticTriple {
  anchor: string;
  paraphrase: string;
  unrelated: string;
}

export const SEMANTIC_TRIPLES: readonly SemanticTriple[] = [
  {
    anchor: 'The cat sat on the mat.',
    paraphrase: 'A kitten was resting on the rug.',
    unrelated: 'Stock markets fell sharply after the interest rate decision.',
  },
  {
    anchor: 'The council will vote on the new budget next week.',
    paraphrase: 'Local politicians decide about public spending in a few days.',
    unrelated: 'She baked a chocolate cake for her grandmother.',
  },
  {
    anchor: 'Heavy rain flooded the streets of the city overnight.',
    paraphrase: 'After a night of storms, water covered the town’s roads.',
    unrelated: 'The striker scored twice in the second half of the match.',
  },
];

/** Every sentence of the triples, in order: anchor, paraphrase, unrelated, anchor, ... */
export function tripleTexts(triples: readonly SemanticTriple[] = SEMANTIC_TRIPLES): string[] {
  return triples.flatMap((t) => [t.anchor, t.paraphrase, t.unrelated]);
}

export interface TripleScore {
  anchor: string;
  paraphrase: number;
  unrelated: number;
}

/** Cosine of each anchor to its paraphrase and to its unrelated sentence, from vectors of `tripleTexts`. */
export function tripleScores(vectors: readonly (readonly number[])[], triples: readonly SemanticTriple[] = SEMANTIC_TRIPLES): TripleScore[] {
  if (vectors.length !== triples.length * 3) throw new Error(`expected ${triples.length * 3} vectors, got ${vectors.length}`);
  return triples.map((t, i) => {
    const [a, p, u] = [vectors[3 * i], vectors[3 * i + 1], vectors[3 * i + 2]] as [number[], number[], number[]];
    return { anchor: t.anchor, paraphrase: cosine(a, p), unrelated: cosine(a, u) };
  });
}

/**
 * Texts for comparing two backends of the same model: short and long, punctuation, digits,
 * and one longer than the 128 tokens the model reads (its tail is cut the same way on both).
 */
export const AGREEMENT_TEXTS: readonly string[] = [
  ...tripleTexts(),
  'In 2024 the library lent 38,500 books, 12% more than the year before.',
  'Why do rivers that were buried under concrete a century ago flood so easily during heavy storms?',
  Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} of a long paragraph keeps talking about trains, rivers and the history of the old town.`).join(' '),
];
