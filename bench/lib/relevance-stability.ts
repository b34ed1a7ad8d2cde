/**
 * Order invariance of the head's cold start (no feedback): the same held-out paragraphs are
 * scored by a fresh head, and by heads that first observed two different reading histories
 * (the stream's articles on the learner's topic first, then the others; and the reverse).
 * Reported as the mean absolute change in bits (log2 odds) and the Spearman correlation
 * against the fresh head's scores, worst over topics and histories.
 */
import { createHead, observe, predict } from '../../lib/head';
import { spearman } from './level-fit';
import type { BenchArticle } from './relevance-protocol';
import type { InterestSpec } from './relevance-scorers';

export interface Stability {
  /** Largest mean |change| in bits over topics and histories. */
  readonly meanAbsChangeBits: number;
  /** Smallest Spearman correlation with the fresh head's scores. */
  readonly spearman: number;
}

const bits = (p: number) => Math.log2(p / (1 - p));

export function coldStartStability(
  topic: string,
  interest: InterestSpec,
  encoder: { id: string; dims: number },
  stream: readonly BenchArticle[],
  test: readonly Float32Array[],
): Stability {
  const fresh = createHead(encoder.id, encoder.dims, [interest], { contrasts: interest.contrasts });
  const reference = test.map((e) => bits(predict(fresh, e)));
  const onTopicFirst = [...stream.filter((a) => a.topic === topic), ...stream.filter((a) => a.topic !== topic)];
  let worstChange = 0;
  let worstRho = 1;
  for (const history of [onTopicFirst, [...onTopicFirst].reverse()]) {
    const head = history.reduce((h, a) => observe(h, a.paragraphs.map((p) => p.embedding)), fresh);
    const scores = test.map((e) => bits(predict(head, e)));
    const change = scores.reduce((s, b, i) => s + Math.abs(b - reference[i]!), 0) / scores.length;
    worstChange = Math.max(worstChange, change);
    worstRho = Math.min(worstRho, spearman(scores, reference));
  }
  return { meanAbsChangeBits: worstChange, spearman: worstRho };
}
