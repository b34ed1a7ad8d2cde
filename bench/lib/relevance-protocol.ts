/**
 * The simulated learner of the topic-relevance benchmark (README protocol): for one topic,
 * walk the reading stream; on each article rank its paragraphs with the system and give
 * feedback on the top 2 (relevant iff the article is on the topic); after N = 0, 10, 25, 50,
 * 100, 200 feedback events score every held-out paragraph and compute ROC AUC.
 */
import type { BenchParagraph, InterestSpec, ScorerSpec } from './relevance-scorers';
import { rocAuc } from './relevance-metrics';

export const CHECKPOINTS = [0, 10, 25, 50, 100, 200] as const;
export const FEEDBACK_PER_ARTICLE = 2;

export interface BenchArticle {
  readonly id: string;
  readonly topic: string;
  readonly paragraphs: readonly BenchParagraph[];
}

export interface CheckpointResult {
  readonly n: number;
  readonly auc: number;
  /** Held-out scores in `heldOutParagraphs` order (for --predictions). */
  readonly scores: number[];
}

export interface TopicRun {
  readonly topic: string;
  readonly checkpoints: CheckpointResult[];
  /** Positive labels among the feedback events, at each checkpoint. */
  readonly positivesAt: number[];
  readonly millis: number;
}

export function heldOutParagraphs(heldOut: readonly BenchArticle[]): { paragraphs: BenchParagraph[]; topics: string[] } {
  const paragraphs: BenchParagraph[] = [];
  const topics: string[] = [];
  for (const a of heldOut) for (const p of a.paragraphs) {
    paragraphs.push(p);
    topics.push(a.topic);
  }
  return { paragraphs, topics };
}

export function runTopic(
  spec: ScorerSpec,
  topic: string,
  interest: InterestSpec,
  encoder: { id: string; dims: number },
  stream: readonly BenchArticle[],
  heldOut: readonly BenchArticle[],
): TopicRun {
  const t0 = performance.now();
  const scorer = spec.create(interest, encoder.id, encoder.dims);
  const { paragraphs: test, topics } = heldOutParagraphs(heldOut);
  const labels = topics.map((t) => (t === topic ? 1 : 0) as 0 | 1);
  const checkpoints: CheckpointResult[] = [];
  const positivesAt: number[] = [];
  let events = 0;
  let positives = 0;
  const last = CHECKPOINTS[CHECKPOINTS.length - 1]!;
  const record = () => {
    const scores = scorer.score(test);
    checkpoints.push({ n: events, auc: rocAuc(scores, labels), scores });
    positivesAt.push(positives);
  };
  if ((CHECKPOINTS as readonly number[]).includes(0)) record();
  for (const article of stream) {
    if (events >= last) break;
    scorer.observe(article.paragraphs);
    const scores = scorer.score(article.paragraphs);
    const top = scores
      .map((s, i) => ({ s, i }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, FEEDBACK_PER_ARTICLE);
    const label = (article.topic === topic ? 1 : 0) as 0 | 1;
    for (const { i } of top) {
      if (events >= last) break;
      scorer.feedback(article.paragraphs[i]!, label);
      events++;
      positives += label;
      if ((CHECKPOINTS as readonly number[]).includes(events)) record();
    }
  }
  if (checkpoints.length < CHECKPOINTS.length) throw new Error(`stream too short: ${events} feedback events`);
  return { topic, checkpoints, positivesAt, millis: performance.now() - t0 };
}
