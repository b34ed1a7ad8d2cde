/**
 * Judging a page's paragraphs for one learner and choosing what to highlight.
 *
 * Each paragraph gets three numbers: information gain (bits of pointwise mutual information
 * with what the learner finds relevant, from the relevance head or the lexical fallback), fit
 * (how well its difficulty sits in the learner's readable zone) and load (expected minutes of
 * focused reading). Value = gain x fit, or fit alone while the learner has told us nothing
 * about their interests. The knapsack then picks the most value that fits in what is left of
 * today's budget.
 */
import { estimateDifficulty, type DifficultyEstimate } from './difficulty';
import { informationGain } from './gain';
import type { Learner, LearnerContext } from './learner';
import { difficultyFactor, loadInput, paragraphLoadMinutes } from './load';
import { selectHighlights, type SelectionResult } from './selection';

export interface Relevance {
  /** Calibrated P(relevant | paragraph). */
  pRelevant: number;
  /** The learner's base rate P(relevant). */
  baseRate: number;
  /** The interest or example the paragraph is closest to, for the explanation. */
  nearest?: string;
}

export interface Judgement {
  id: string;
  gainBits: number;
  fit: number;
  loadMinutes: number;
  value: number;
  /** How much slower than easy text this paragraph reads for this learner (>= 1). */
  difficultyFactor: number;
  coverage: number;
  level: string;
  relevance: Relevance | null;
}

export function judgeParagraph(
  paragraph: { id: string; text: string },
  learner: Learner,
  relevance: Relevance | null,
  ctx: LearnerContext = {},
): Judgement {
  const difficulty: DifficultyEstimate = estimateDifficulty(paragraph.text, learner, ctx);
  const gainBits = relevance ? informationGain(relevance.pRelevant, relevance.baseRate) : 0;
  const fit = difficulty.fit;
  return {
    id: paragraph.id,
    gainBits,
    fit,
    loadMinutes: paragraphLoadMinutes(difficulty, learner.wordsPerMinute),
    value: relevance ? Math.max(0, gainBits) * fit : fit,
    difficultyFactor: difficultyFactor(loadInput(difficulty), learner.wordsPerMinute),
    coverage: difficulty.lexical.coverage,
    level: difficulty.level,
    relevance,
  };
}

export interface PageChoice {
  chosen: Array<Judgement & { tier: 1 | 2 | 3 }>;
  selection: SelectionResult;
  /** One line for the page when the budget held highlights back, else null. */
  notice: string | null;
}

/**
 * Chooses highlights among `judgements` for `budgetMinutes` (what is left today, times the
 * learner's density share). `keep` are ids already shown: kept when still affordable, so
 * that re-selection after new content does not make highlights flicker.
 */
export function choose(judgements: readonly Judgement[], budgetMinutes: number, keep: readonly string[] = []): PageChoice {
  const selection = selectHighlights(
    judgements.map((j) => ({ id: j.id, value: j.value, load: j.loadMinutes })),
    Math.max(0, budgetMinutes),
    { keep },
  );
  const byId = new Map(judgements.map((j) => [j.id, j]));
  const picked = selection.chosen.map((id) => byId.get(id)!).sort((a, b) => b.value - a.value);
  // Tiers by rank among the chosen: the best third is strongest, so the page always shows a
  // gradient however the absolute values fall.
  const chosen = picked.map((j, i) => ({ ...j, tier: (i < picked.length / 3 ? 1 : i < (2 * picked.length) / 3 ? 2 : 3) as 1 | 2 | 3 }));
  const worthy = judgements.filter((j) => j.value > 0).length;
  let notice: string | null = null;
  if (selection.limitedByBudget) {
    notice =
      budgetMinutes <= 0
        ? `Today’s reading budget is spent: no passages highlighted (${worthy} would be worth it).`
        : `Today’s reading budget allows ${chosen.length} of ${worthy} worthwhile passages.`;
  }
  return { chosen, selection, notice };
}

/** Information gain in words: "2.0× more likely relevant to you than an average passage (+1.00 bits)". */
export function gainPhrase(gainBits: number): string {
  const ratio = Math.pow(2, gainBits);
  const times = ratio >= 1 ? `${ratio.toFixed(1)}× more` : `${(1 / ratio).toFixed(1)}× less`;
  return `${times} likely relevant to you than an average passage (${gainBits >= 0 ? '+' : ''}${gainBits.toFixed(2)} bits)`;
}

/** The learner-facing reason for a highlight, in one line. */
export function reasonLine(j: Judgement): string {
  const parts: string[] = [];
  if (j.relevance) {
    parts.push(`${gainPhrase(j.gainBits)}${j.relevance.nearest ? `, closest to “${j.relevance.nearest}”` : ''}`);
  } else {
    parts.push('chosen for its level (tell us your interests to rank by relevance)');
  }
  parts.push(`${Math.round(j.coverage * 100)}% of its words likely known (level ${j.level}, fit ${j.fit.toFixed(2)})`);
  parts.push(`about ${j.loadMinutes < 1 ? `${Math.max(1, Math.round(j.loadMinutes * 60))} s` : `${j.loadMinutes.toFixed(1)} min`} of reading`);
  return parts.join(' · ');
}
