/**
 * Does the relevance head's cold start mean what it says? For each of the topic-relevance
 * set's five topics, a learner who stated that topic's interest word (and nothing else) has
 * every paragraph of the set judged by the cold head, in the context of its page, as the
 * product judges it; a paragraph is relevant when its article is on that topic. The
 * paragraphs of the three-level rewrites are judged too (`--no-levels` leaves them out):
 * other writers, mostly on no listed topic.
 *
 *   npm run bench:cold-calibration -- [DATA_DIR] [--json out.json] [--predictions rows.jsonl]
 *                                     [--cache dir] [--no-levels]
 *
 * Reported side by side, over all rows and per held-out topic:
 * - uncalibrated: the cold logit read at the prior base rate (what the head did before it
 *   had a zero-shot calibration: Platt slope 1, offset logit(0.2));
 * - shipped: lib/head.ts ZERO_SHOT_CALIBRATION;
 * - held out: Platt scaling fitted on the other four topics' rows (leave-one-topic-out), the
 *   figure to trust for topics nobody fitted on;
 * - in-sample: fitted on all five, the candidate for the shipped constant.
 * Log loss (nats), expected calibration error, and precision / recall of "P >= 0.5".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHead, predict, ZERO_SHOT_CALIBRATION } from '../lib/head';
import { prototypeTexts } from '../lib/interests';
import { inPageContext, PAGE_CONTEXT_WEIGHT } from '../lib/page-context';
import { benchArgs } from './lib/cli';
import { calibrate, figures, fitPlatt, leaveOneInterestOut, type CalibrationFigures, type CalibrationRow, type Platt } from './lib/cold-calibration';
import { loadDayData } from './lib/day-data';
import { cachedEmbedder, type CachedEmbedder } from './lib/relevance-embeddings';
import { loadTopics, TOPIC_INTERESTS } from './lib/relevance-data';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Page {
  readonly id: string;
  readonly topic: string;
  readonly paragraphs: ReadonlyArray<{ id: string; text: string }>;
}

/** Every paragraph of `pages` judged by the cold head of each topic's interest word; `raw` is the logit before calibration. */
export async function coldRows(embedder: CachedEmbedder, pages: readonly Page[], topics: readonly string[]): Promise<CalibrationRow[]> {
  const prototypes = new Map(topics.map((t) => [t, prototypeTexts({ phrases: [TOPIC_INTERESTS[t]!], lang: 'en' })]));
  const texts = [...new Set([...pages.flatMap((p) => p.paragraphs.map((q) => q.text)), ...[...prototypes.values()].flatMap((x) => [...x.interests, ...x.contrasts].map((y) => y.text))])];
  const vectors = await embedder.embedAll(texts);
  const vec = new Map(texts.map((t, i) => [t, vectors[i]!]));
  const inContext = pages.map((p) => inPageContext(p.paragraphs.map((q) => vec.get(q.text)!), PAGE_CONTEXT_WEIGHT));
  const rows: CalibrationRow[] = [];
  for (const interest of topics) {
    const { interests, contrasts } = prototypes.get(interest)!;
    const withVec = (xs: ReadonlyArray<{ id: string; text: string }>) => xs.map((x) => ({ ...x, embedding: vec.get(x.text)! }));
    // Calibration slope 1, offset 0: the head's probability is then sigmoid(raw logit).
    const head = createHead(embedder.encoderId, embedder.dims, withVec(interests), { contrasts: withVec(contrasts), options: { zeroShotSlope: 1, zeroShotOffset: 0 } });
    pages.forEach((page, k) =>
      page.paragraphs.forEach((q, i) => {
        const p = Math.min(1 - 1e-12, Math.max(1e-12, predict(head, inContext[k]![i]!)));
        rows.push({ interest, topic: page.topic, id: q.id, raw: Math.log(p / (1 - p)), relevant: page.topic === interest ? 1 : 0 });
      }),
    );
  }
  return rows;
}

const UNCALIBRATED: Platt = { slope: 1, offset: Math.log(0.2 / 0.8) };

async function main() {
  const { dataDir, values } = benchArgs(process.argv.slice(2), resolve(projectRoot, '../shared/data'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    cache: { type: 'string' },
    'no-levels': { type: 'boolean' },
  });
  const topics = Object.keys(TOPIC_INTERESTS);
  const pages: Page[] = loadTopics(join(dataDir, 'topics-dev')).map((a) => ({ id: a.id, topic: a.topic, paragraphs: a.paragraphs }));
  if (!values['no-levels']) pages.push(...loadDayData(dataDir).levelPages);
  const { createNodeEncoder, useLiteModelFingerprint } = await import('./lib/node-encoder');
  const encoder = await createNodeEncoder({ quantized: true, threads: 2 });
  const embedder = cachedEmbedder(encoder, values.cache ?? join(projectRoot, 'test-output', 'relevance-cache'), useLiteModelFingerprint(true));
  const rows = await coldRows(embedder, pages, topics);

  const heldOut = leaveOneInterestOut(rows);
  const inSample = fitPlatt(rows);
  const systems: Array<[string, (r: CalibrationRow) => number]> = [
    ['uncalibrated', (r) => calibrate(UNCALIBRATED, r.raw)],
    ['shipped', (r) => calibrate(ZERO_SHOT_CALIBRATION, r.raw)],
    ['held out', (r) => calibrate(heldOut.get(r.interest)!, r.raw)],
    ['in-sample', (r) => calibrate(inSample, r.raw)],
  ];
  const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const line = (name: string, g: CalibrationFigures) =>
    `${name.padEnd(14)} ${f(g.logLoss)}    ${f(g.ece)}   ${String(g.atHalf.n).padStart(6)}  ${f(g.atHalf.precision)}  ${f(g.atHalf.recall)}   ${String(g.atCertain.n).padStart(6)}  ${f(g.atCertain.precision)}`;
  const header = 'calibration    log loss  ECE     P>=.5: n  prec   recall  P>=.95: n  prec';
  const overall = Object.fromEntries(systems.map(([name, p]) => [name, figures(rows, p)]));
  const perTopic = Object.fromEntries(
    topics.map((t) => {
      const mine = rows.filter((r) => r.interest === t);
      return [t, { fit: heldOut.get(t)!, figures: Object.fromEntries(systems.map(([name, p]) => [name, figures(mine, p)])) }];
    }),
  );
  const out = [
    `bench:cold-calibration — ${pages.length} pages, ${rows.length / topics.length} paragraphs x ${topics.length} stated interests = ${rows.length} rows, base rate ${f(overall.shipped!.baseRate)}; encoder ${embedder.encoderId}`,
    `shipped ZERO_SHOT_CALIBRATION slope ${f(ZERO_SHOT_CALIBRATION.slope)} offset ${f(ZERO_SHOT_CALIBRATION.offset)}; fitted on all topics: slope ${f(inSample.slope)} offset ${f(inSample.offset)}`,
    '',
    header,
    ...systems.map(([name]) => line(name, overall[name]!)),
    '',
    'held-out topic (fit on the other four): slope / offset, then its rows',
    ...topics.flatMap((t) => [
      `${t}: slope ${f(perTopic[t]!.fit.slope)} offset ${f(perTopic[t]!.fit.offset)}, base rate ${f(perTopic[t]!.figures.shipped!.baseRate)}`,
      ...systems.slice(0, 3).map(([name]) => '  ' + line(name, perTopic[t]!.figures[name]!)),
    ]),
  ];
  console.log(out.join('\n'));
  if (values.json) {
    mkdirSync(dirname(resolve(values.json)), { recursive: true });
    writeFileSync(values.json, JSON.stringify({ shipped: ZERO_SHOT_CALIBRATION, inSample, heldOut: Object.fromEntries(heldOut), overall, perTopic }, null, 2));
  }
  if (values.predictions) {
    mkdirSync(dirname(resolve(values.predictions)), { recursive: true });
    writeFileSync(values.predictions, rows.map((r) => JSON.stringify({ ...r, shipped: calibrate(ZERO_SHOT_CALIBRATION, r.raw), heldOut: calibrate(heldOut.get(r.interest)!, r.raw) })).join('\n') + '\n');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
