/**
 * One day's reading budget, spent across the day: simulated days of 30-60 pages in random
 * order for a simulated learner (one topic of interest, stated as one word; a level), judged
 * by the product's own code (lib/head relevance from the stated interest, lib/scoring
 * difficulty and load with the shipped word list, lib/selection, lib/load, lib/online-knapsack)
 * and scored by the data's labels only (bench/lib/day-data.ts).
 *
 *   npm run bench:day -- [DATA_DIR] [--json out.json] [--predictions preds.jsonl]
 *                        [--seed 1] [--runs 20] [--budget 20] [--cache dir] [--feedback-days 3]
 *                        [--density few|normal|many] [--page-context 0.5] [--zero-shot shipped|held-out]
 *
 * Two learners read the same days: A has stated one interest word and never gives feedback;
 * B, on the `--feedback-days` days before (the previous day included), marked the first two
 * highlights of each page "relevant" or "not relevant" by their topic, with the toolbar's
 * buttons, and gives none on the day measured.
 *
 * Policies, side by side on the same days and the same judgements:
 * - ours: lib/scoring `choose` (languages studied, the zone's hard edge, 30% density cap, the
 *   day's online bar with the exact knapsack inside the page), its value-density history
 *   carried from a warm-up day of the same learner;
 * - per-page (main before this change): the knapsack over gain x fit for what is left of the
 *   budget x 0.7 on each page, no zone edge, no language check;
 * - top third: the most valuable third of each page's paragraphs (gain x fit), no budget.
 *
 * The learner reads every highlighted passage, in page order, while the day's budget lasts (a
 * passage that no longer fits is skipped). A passage is worth 1 when its page is on the
 * learner's topic, its level label is at most one above the learner's (ele < int < adv: an
 * elementary learner cannot read native news, an intermediate one can read the advanced
 * rewrites with effort), and the page is in English; else 0. Learners are elementary (the
 * product's A2), intermediate (B1) or advanced (C1), one in three each. The hindsight optimum is the most such passages that fit the
 * budget (by the product's load estimate, smallest first: exact for unit values).
 *
 * Figures, median over the days: value captured / optimum, precision of highlights (share of
 * highlighted passages worth 1), share of the budget read on the first 10% of pages,
 * highlights on pages in another language, and order invariance: a probe article's gain in
 * bits after the day's pages read in two different orders and in a fresh profile (Spearman,
 * mean absolute change), with no feedback given.
 *
 * `--zero-shot held-out` gives each day's learner the cold-start calibration fitted without
 * the day's topic (bench/cold-calibration.ts, leave-one-topic-out) instead of the shipped one,
 * which was fitted on all five topics of these pages.
 *
 * Nothing in the product was tuned on these data; the constants of the policy (zone floor,
 * density cap, quantiles of the bounds) were set beforehand and are reported as they are.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { baseRate, createHead, exampleFromFeedback, explicitLabels, observe as observeHead, predict, update as updateHead, withoutLabels, type HeadState } from '../lib/head';
import { prototypeTexts } from '../lib/interests';
import { inPageContext, PAGE_CONTEXT_WEIGHT } from '../lib/page-context';
import { resolveLanguage } from '../lib/language';
import { createLearner, type Learner } from '../lib/learner';
import { committedMinutes, newDailyLoad, recordDensities, recordOffered, type DailyLoad } from '../lib/load';
import { boundsFromHistory } from '../lib/online-knapsack';
import { seededRandom } from '../lib/random';
import { choose, judgeParagraph, type Judgement } from '../lib/scoring';
import { HIGHLIGHT_DENSITY, maxHighlightShare, type HighlightDensity } from '../lib/settings';
import { selectHighlights } from '../lib/selection';
import { createLexicon, type Lexicon } from '../lib/vocabulary';
import { atLeastOne, benchArgs } from './lib/cli';
import { LEVELS, loadDayData, type DayPage, type Level } from './lib/day-data';
import { loadFrequencyList } from './lib/difficulty-data';
import { cachedEmbedder, type CachedEmbedder } from './lib/relevance-embeddings';
import { leaveOneInterestOut, type Platt } from './lib/cold-calibration';
import { coldRows } from './cold-calibration';
import { TOPIC_INTERESTS } from './lib/relevance-data';
import { median } from './lib/stats';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const POLICIES = ['ours', 'per-page', 'top-third'] as const;
type Policy = (typeof POLICIES)[number];

/** The learner's level label and the product level it is given. */
const LEARNER_LEVELS: ReadonlyArray<{ label: Level; cefr: 'A2' | 'B1' | 'C1' }> = [
  { label: 'ele', cefr: 'A2' },
  { label: 'int', cefr: 'B1' },
  { label: 'adv', cefr: 'C1' },
];
/** Main's share of what is left of the budget per page ("normal" density). */
const MAIN_PAGE_SHARE = 0.7;
/** The density cap: the product's default (lib/settings.ts, "normal") unless --density names another. */
let MAX_SHARE = maxHighlightShare('normal');
/** Days the learner who gives feedback has read before the day measured (the previous one included). */
const FEEDBACK_DAYS = 3;
/** Highlights a page's reader marks relevant or not relevant, at most. */
const FEEDBACK_PER_PAGE = 2;
/** Mix of a day's pages. */
const TOPIC_SHARE = 0.6;
const LEVEL_SHARE = 0.25;

interface Args {
  dataDir: string;
  json?: string;
  predictions?: string;
  seed: number;
  runs: number;
  budget: number;
  cacheDir: string;
  feedbackDays: number;
  density: HighlightDensity;
  zeroShot: 'shipped' | 'held-out';
}

function parseArgs(argv: string[]): Args {
  const { dataDir, values } = benchArgs(argv, resolve(projectRoot, '../shared/data'), {
    json: { type: 'string' },
    predictions: { type: 'string' },
    seed: { type: 'string' },
    runs: { type: 'string' },
    budget: { type: 'string' },
    cache: { type: 'string' },
    'feedback-days': { type: 'string' },
    density: { type: 'string' },
    'page-context': { type: 'string' },
    'zero-shot': { type: 'string' },
  });
  const zeroShot = values['zero-shot'] ?? 'shipped';
  if (zeroShot !== 'shipped' && zeroShot !== 'held-out') throw new Error('--zero-shot must be shipped or held-out');
  if (values['page-context'] !== undefined) PAGE_CONTEXT = Number(values['page-context']);
  const density = (values.density ?? 'normal') as HighlightDensity;
  if (!HIGHLIGHT_DENSITY.includes(density)) throw new Error(`--density must be one of ${HIGHLIGHT_DENSITY.join(', ')}`);
  return {
    dataDir,
    json: values.json,
    predictions: values.predictions,
    seed: values.seed === undefined ? 1 : Number(values.seed),
    runs: atLeastOne(values.runs, 20),
    budget: values.budget === undefined ? 20 : Number(values.budget),
    cacheDir: values.cache ?? join(projectRoot, 'test-output', 'relevance-cache'),
    feedbackDays: values['feedback-days'] === undefined ? FEEDBACK_DAYS : Math.max(1, Number(values['feedback-days'])),
    density,
    zeroShot,
  };
}

function shuffle<T>(xs: readonly T[], rand: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pick = <T>(xs: readonly T[], rand: () => number): T => xs[Math.floor(rand() * xs.length)]!;

/** Spearman's rank correlation, ties averaged. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const ranks = (xs: readonly number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? (da === db ? 1 : 0) : num / Math.sqrt(da * db);
}

interface World {
  embedder: CachedEmbedder;
  vectors: Map<string, Float32Array>;
  lexicon: Lexicon;
  topicPages: DayPage[];
  levelPages: DayPage[];
  foreignPages: DayPage[];
}

/** Weight of the page's centre in each paragraph's vector: the product's (lib/page-context.ts) unless --page-context says otherwise. */
let PAGE_CONTEXT = PAGE_CONTEXT_WEIGHT;
const contextCache = new WeakMap<DayPage, Float32Array[]>();
function pageVectors(world: World, page: DayPage): Float32Array[] {
  let v = contextCache.get(page);
  if (!v) contextCache.set(page, (v = inPageContext(page.paragraphs.map((p) => world.vectors.get(p.text)!), PAGE_CONTEXT)));
  return v;
}

/** Cold-start calibrations fitted without each topic (`--zero-shot held-out`); empty: the shipped one. */
let HELD_OUT_ZERO_SHOT = new Map<string, Platt>();

/** The relevance head as the product builds it (platform/service/relevance.ts) for one stated interest. */
function newHead(world: World, interest: string): HeadState {
  const { interests, contrasts } = prototypeTexts({ phrases: [interest], lang: 'en' });
  const withVec = (xs: ReadonlyArray<{ id: string; text: string }>) => xs.map((x) => ({ ...x, embedding: world.vectors.get(x.text)! }));
  const topic = Object.keys(TOPIC_INTERESTS).find((t) => TOPIC_INTERESTS[t] === interest);
  const held = topic === undefined ? undefined : HELD_OUT_ZERO_SHOT.get(topic);
  const options = held ? { zeroShotSlope: held.slope, zeroShotOffset: held.offset } : undefined;
  return createHead(world.embedder.encoderId, world.embedder.dims, withVec(interests), { contrasts: withVec(contrasts), options });
}

/** A page judged as the background judges it: observe its new paragraphs, then relevance, difficulty and load. */
function judgePage(world: World, head: HeadState, learner: Learner, page: DayPage): { head: HeadState; judgements: Judgement[] } {
  const vecs = pageVectors(world, page);
  const next = observeHead(head, vecs);
  // As platform/service/relevance.ts: labels move the scores once one is explicit.
  const scorer = explicitLabels(next) >= 1 ? next : withoutLabels(next);
  const base = baseRate(scorer);
  const judgements = page.paragraphs.map((p, i) =>
    judgeParagraph({ id: p.id, text: p.text, lang: resolveLanguage('en', p.text, 'und') }, learner, { pRelevant: predict(scorer, vecs[i]!), baseRate: base }, { lexicon: world.lexicon }),
  );
  return { head: next, judgements };
}

interface DaySetup {
  topic: string;
  level: (typeof LEARNER_LEVELS)[number];
  pages: DayPage[];
  /** The learner's previous day. */
  warmup: DayPage[];
  /** Days before that, oldest first (read only by the learner who gives feedback). */
  earlier: DayPage[][];
  probe: DayPage;
}

function makeDay(world: Pick<World, 'topicPages' | 'levelPages' | 'foreignPages'>, seed: number, feedbackDays: number): DaySetup {
  // Seeds next to each other start Mulberry32 close together: spread them first.
  const rand = seededRandom(Math.imul(seed, 0x9e3779b1) ^ 0x5bd1e995);
  const topic = pick(Object.keys(TOPIC_INTERESTS), rand);
  const level = pick(LEARNER_LEVELS, rand);
  const page = () => {
    const r = rand();
    if (r < TOPIC_SHARE || (world.levelPages.length === 0 && world.foreignPages.length === 0)) return pick(world.topicPages, rand);
    if (r < TOPIC_SHARE + LEVEL_SHARE || world.foreignPages.length === 0) return pick(world.levelPages, rand);
    return pick(world.foreignPages, rand);
  };
  const dayOf = () => {
    const n = 30 + Math.floor(rand() * 31);
    const seen = new Set<string>();
    const out: DayPage[] = [];
    while (out.length < n) {
      const p = page();
      if (!seen.has(p.id)) (seen.add(p.id), out.push(p));
    }
    return out;
  };
  const pages = dayOf();
  const warmup = dayOf();
  const used = new Set([...pages, ...warmup].map((p) => p.id));
  const probe = shuffle(world.topicPages.filter((p) => p.topic === topic && !used.has(p.id)), rand)[0]!;
  // Drawn after everything else, so the day, the previous day and the probe stay the same
  // whatever the number of feedback days.
  const earlier = Array.from({ length: feedbackDays - 1 }, dayOf);
  return { topic, level, pages, warmup, earlier, probe };
}

const levelRank = (l: Level) => LEVELS.indexOf(l);

interface PageOutcome {
  page: DayPage;
  highlighted: string[];
}

interface DayResult {
  seed: number;
  topic: string;
  level: Level;
  pages: number;
  optimum: number;
  cappedOptimum: number;
  /** Relevance labels the learner gave before the day (0 without feedback). */
  labels: number;
  byPolicy: Record<Policy, { captured: number; ratio: number | null; cappedRatio: number | null; precision: number | null; highlights: number; budgetRead: number; firstTenthShare: number; foreignHighlights: number; emptyPages: number }>;
  invariance: { spearmanOrders: number; meanAbsOrders: number; spearmanFresh: number; meanAbsFresh: number };
  outcomes: Record<Policy, PageOutcome[]>;
  judged: Map<string, Judgement>;
}

function runDay(world: World, day: DaySetup, seed: number, budget: number, feedback: boolean): DayResult {
  const learner = createLearner({ targetLang: 'en', nativeLang: '', level: day.level.cefr, now: 0 });
  const interest = TOPIC_INTERESTS[day.topic]!;
  // In the zone by the labels: at most one level above the learner's (easier text is readable).
  const valuable = (page: DayPage) => page.lang === 'en' && page.topic === day.topic && levelRank(page.level) <= levelRank(day.level.label) + 1;

  // Warm-up: the learner's previous day (and, for the learner who gives feedback, the days
  // before it), read with the product's own choices. It gives the history of value densities
  // (ours only uses it) and, with feedback, the labels the head learns from.
  let head = newHead(world, interest);
  let densities: number[] = [];
  let labels = 0;
  for (const [k, warmDay] of (feedback ? [...day.earlier, day.warmup] : [day.warmup]).entries()) {
    let history: DailyLoad = { ...newDailyLoad(`warm-up ${k}`, budget), densities };
    for (const page of warmDay) {
      const judged = judgePage(world, head, learner, page);
      head = judged.head;
      const c = choose(judged.judgements, { budgetMinutes: budget, committedMinutes: committedMinutes(history), bounds: boundsFromHistory(history.densities), maxShare: MAX_SHARE, studies: (l) => l === 'und' || l.startsWith('en') });
      history = recordDensities(recordOffered(history, c.chosen), c.candidates.map((x) => x.density));
      if (!feedback) continue;
      // The learner marks the first highlights of the page they read "relevant" or "not
      // relevant" by their interest (the toolbar's buttons), as the relevance bench's learner
      // judges the top of each article.
      for (const chosen of c.chosen.slice(0, FEEDBACK_PER_PAGE)) {
        const at = page.paragraphs.findIndex((p) => p.id === chosen.id);
        const onTopic = page.lang === 'en' && page.topic === day.topic;
        const example = exampleFromFeedback(onTopic ? 'relevant' : 'not-relevant', chosen.id, pageVectors(world, page)[at]!);
        if (example) (head = updateHead(head, example), labels++);
      }
    }
    densities = [...(history.densities ?? [])];
  }
  const history = { densities };

  // The day: every page judged once, in order, by the same head for all policies.
  const pageJudgements: Judgement[][] = [];
  for (const page of day.pages) {
    const judged = judgePage(world, head, learner, page);
    head = judged.head;
    pageJudgements.push(judged.judgements);
  }
  const judged = new Map(pageJudgements.flat().map((j) => [j.id, j]));
  const worth = new Set(day.pages.filter(valuable).flatMap((p) => p.paragraphs.map((q) => q.id)));

  // Hindsight optimum: the most valuable passages that fit, smallest load first (exact for
  // unit values). The capped optimum also keeps to the density cap on every page.
  const mostThatFit = (ids: string[]) => {
    let room = budget;
    let n = 0;
    for (const load of ids.map((id) => judged.get(id)!.loadMinutes).sort((a, b) => a - b)) {
      if (load <= room + 1e-9) {
        room -= load;
        n++;
      }
    }
    return n;
  };
  const optimum = mostThatFit([...worth]);
  const cappedOptimum = mostThatFit(
    day.pages.flatMap((p) => {
      const cap = Math.max(1, Math.floor(MAX_SHARE * p.paragraphs.length));
      return p.paragraphs.filter((q) => worth.has(q.id)).map((q) => q.id).sort((a, b) => judged.get(a)!.loadMinutes - judged.get(b)!.loadMinutes).slice(0, cap);
    }),
  );

  const byPolicy = {} as DayResult['byPolicy'];
  const outcomes = {} as DayResult['outcomes'];
  const firstTenth = Math.ceil(day.pages.length / 10);
  for (const policy of POLICIES) {
    let consumed = 0;
    let firstTenthMinutes = 0;
    let captured = 0;
    let highlights = 0;
    let good = 0;
    let foreign = 0;
    let empty = 0;
    let today: DailyLoad = { ...newDailyLoad('today', budget), densities: history.densities };
    const pageOutcomes: PageOutcome[] = [];
    day.pages.forEach((page, i) => {
      const js = pageJudgements[i]!;
      let ids: string[];
      if (policy === 'ours') {
        const c = choose(js, { budgetMinutes: budget, committedMinutes: committedMinutes(today), bounds: boundsFromHistory(today.densities), maxShare: MAX_SHARE, studies: (l) => l === 'und' || l.startsWith('en') });
        ids = c.chosen.map((x) => x.id);
        today = recordDensities(recordOffered(today, c.chosen), c.candidates.map((x) => x.density));
      } else if (policy === 'per-page') {
        const sel = selectHighlights(js.map((j) => ({ id: j.id, value: j.value, load: j.loadMinutes })), Math.max(0, budget - consumed) * MAIN_PAGE_SHARE);
        ids = sel.chosen;
      } else {
        const ranked = js.filter((j) => j.value > 0).sort((a, b) => b.value - a.value);
        ids = ranked.slice(0, Math.ceil(js.length / 3)).map((j) => j.id);
      }
      pageOutcomes.push({ page, highlighted: ids });
      highlights += ids.length;
      if (ids.length === 0) empty++;
      if (page.kind === 'foreign') foreign += ids.length;
      // The learner reads what is highlighted while the budget lasts.
      for (const id of ids) {
        if (worth.has(id)) good++;
        const load = judged.get(id)!.loadMinutes;
        if (consumed + load > budget + 1e-9) continue;
        consumed += load;
        if (i < firstTenth) firstTenthMinutes += load;
        if (worth.has(id)) captured++;
      }
      if (policy === 'ours') today = { ...today, consumedMinutes: consumed, readMinutes: consumed };
    });
    byPolicy[policy] = {
      captured,
      ratio: optimum > 0 ? captured / optimum : null,
      cappedRatio: cappedOptimum > 0 ? captured / cappedOptimum : null,
      precision: highlights > 0 ? good / highlights : null,
      highlights,
      budgetRead: consumed / budget,
      firstTenthShare: firstTenthMinutes / budget,
      foreignHighlights: foreign,
      emptyPages: empty,
    };
    outcomes[policy] = pageOutcomes;
  }

  // Order invariance: the probe's gains after the day in its order, in another order, and fresh.
  const probeGains = (pages: readonly DayPage[]) => {
    let h = newHead(world, interest);
    for (const p of pages) h = observeHead(h, pageVectors(world, p));
    return judgePage(world, h, learner, day.probe).judgements.map((j) => j.gainBits);
  };
  const inOrder = probeGains(day.pages);
  const reordered = probeGains(shuffle(day.pages, seededRandom(seed + 7919)));
  const fresh = probeGains([]);
  const meanAbs = (a: number[], b: number[]) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / a.length;
  return {
    seed,
    topic: day.topic,
    level: day.level.label,
    pages: day.pages.length,
    optimum,
    cappedOptimum,
    labels,
    byPolicy,
    invariance: {
      spearmanOrders: spearman(inOrder, reordered),
      meanAbsOrders: meanAbs(inOrder, reordered),
      spearmanFresh: spearman(inOrder, fresh),
      meanAbsFresh: meanAbs(inOrder, fresh),
    },
    outcomes,
    judged,
  };
}

interface PolicySummary {
  valueOverOptimum: number;
  valueOverCappedOptimum: number;
  precision: number;
  budgetRead: number;
  firstTenthBudgetShare: number;
  foreignHighlightsTotal: number;
  highlightsPerDay: number;
  emptyPageShare: number;
}

const med = (xs: Array<number | null>) => {
  const ys = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return ys.length ? median(ys) : Number.NaN;
};

/** Medians over the days, per policy. */
function summarise(days: readonly DayResult[]): Record<Policy, PolicySummary> {
  return Object.fromEntries(
    POLICIES.map((p): [Policy, PolicySummary] => [
      p,
      {
        valueOverOptimum: med(days.map((d) => d.byPolicy[p].ratio)),
        valueOverCappedOptimum: med(days.map((d) => d.byPolicy[p].cappedRatio)),
        precision: med(days.map((d) => d.byPolicy[p].precision)),
        budgetRead: med(days.map((d) => d.byPolicy[p].budgetRead)),
        firstTenthBudgetShare: med(days.map((d) => d.byPolicy[p].firstTenthShare)),
        foreignHighlightsTotal: days.reduce((s, d) => s + d.byPolicy[p].foreignHighlights, 0),
        highlightsPerDay: med(days.map((d) => d.byPolicy[p].highlights)),
        emptyPageShare: med(days.map((d) => d.byPolicy[p].emptyPages / d.pages)),
      },
    ]),
  ) as Record<Policy, PolicySummary>;
}

function invarianceOf(days: readonly DayResult[]) {
  return {
    spearmanTwoOrders: med(days.map((d) => d.invariance.spearmanOrders)),
    meanAbsBitsTwoOrders: med(days.map((d) => d.invariance.meanAbsOrders)),
    spearmanFreshVsAfterDay: med(days.map((d) => d.invariance.spearmanFresh)),
    meanAbsBitsFreshVsAfterDay: med(days.map((d) => d.invariance.meanAbsFresh)),
  };
}

function table(summary: Record<Policy, PolicySummary>, f: (x: number, d?: number) => string): string[] {
  return [
    'median over days          ours   per-page  top-third   goal',
    `value / hindsight optimum ${f(summary.ours.valueOverOptimum)}   ${f(summary['per-page'].valueOverOptimum)}      ${f(summary['top-third'].valueOverOptimum)}       >= 0.85`,
    `  same, optimum capped    ${f(summary.ours.valueOverCappedOptimum)}   ${f(summary['per-page'].valueOverCappedOptimum)}      ${f(summary['top-third'].valueOverCappedOptimum)}       (at most ${Math.round(MAX_SHARE * 100)}% of each page, as the product)`,
    `precision of highlights   ${f(summary.ours.precision)}   ${f(summary['per-page'].precision)}      ${f(summary['top-third'].precision)}       >= 0.80`,
    `budget read over the day  ${f(summary.ours.budgetRead)}   ${f(summary['per-page'].budgetRead)}      ${f(summary['top-third'].budgetRead)}`,
    `budget read on first 10%  ${f(summary.ours.firstTenthBudgetShare)}   ${f(summary['per-page'].firstTenthBudgetShare)}      ${f(summary['top-third'].firstTenthBudgetShare)}`,
    `foreign-page highlights   ${summary.ours.foreignHighlightsTotal}      ${summary['per-page'].foreignHighlightsTotal}        ${summary['top-third'].foreignHighlightsTotal}          0 (total over days)`,
    `highlights per day        ${f(summary.ours.highlightsPerDay, 0)}     ${f(summary['per-page'].highlightsPerDay, 0)}        ${f(summary['top-third'].highlightsPerDay, 0)}`,
    `pages with none           ${f(summary.ours.emptyPageShare)}   ${f(summary['per-page'].emptyPageShare)}      ${f(summary['top-third'].emptyPageShare)}`,
  ];
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  MAX_SHARE = maxHighlightShare(args.density);
  const data = loadDayData(args.dataDir);
  const { list } = await loadFrequencyList(projectRoot);
  const lexicon = createLexicon(list);
  const { createNodeEncoder, useLiteModelFingerprint } = await import('./lib/node-encoder');
  // The encoder the extension ships (USE-lite, int8), as bench/relevance.ts --quantized.
  const encoder = await createNodeEncoder({ quantized: true, threads: 2 });
  const embedder = cachedEmbedder(encoder, args.cacheDir, useLiteModelFingerprint(true));

  // Embed what the days use (all pages' paragraphs and every interest's prototypes), once, cached.
  const t0 = performance.now();
  const protoTexts = Object.values(TOPIC_INTERESTS).flatMap((i) => {
    const { interests, contrasts } = prototypeTexts({ phrases: [i], lang: 'en' });
    return [...interests, ...contrasts].map((x) => x.text);
  });
  const setups = Array.from({ length: args.runs }, (_, r) => makeDay(data, args.seed + r, args.feedbackDays));
  const usedPages = setups.flatMap((d) => [...d.pages, ...d.warmup, ...d.earlier.flat(), d.probe]);
  const allTexts = [...new Set(usedPages.flatMap((p) => p.paragraphs.map((q) => q.text)).concat(protoTexts))];
  const out = await embedder.embedAll(allTexts);
  const vectors = new Map(allTexts.map((t, i) => [t, out[i]!]));
  const embedSeconds = (performance.now() - t0) / 1000;
  const world: World = { embedder, vectors, lexicon, ...data };
  if (args.zeroShot === 'held-out') HELD_OUT_ZERO_SHOT = leaveOneInterestOut(await coldRows(embedder, [...data.topicPages, ...data.levelPages], Object.keys(TOPIC_INTERESTS)));

  const t1 = performance.now();
  const cold: DayResult[] = setups.map((setup, r) => runDay(world, setup, args.seed + r, args.budget, false));
  const taught: DayResult[] = setups.map((setup, r) => runDay(world, setup, args.seed + r, args.budget, true));
  const simSeconds = (performance.now() - t1) / 1000;

  const summary = summarise(cold);
  const summaryAfterFeedback = summarise(taught);
  const invariance = invarianceOf(cold);
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
  const lines = [
    `bench:day — ${args.runs} seeded days (seeds ${args.seed}..${args.seed + args.runs - 1}), budget ${args.budget} min, ${data.topicPages.length} topic / ${data.levelPages.length} level / ${data.foreignPages.length} foreign pages available`,
    `cold-start calibration: ${args.zeroShot === 'held-out' ? `fitted without the day's topic (${[...HELD_OUT_ZERO_SHOT].map(([t, p]) => `${t} ${p.slope.toFixed(2)}/${p.offset.toFixed(2)}`).join(', ')})` : 'shipped'}`,
    `encoder ${embedder.encoderId} (${embedder.misses()} texts embedded in ${f(embedSeconds, 1)} s, the rest cached); simulation ${f(simSeconds, 1)} s`,
    `days with something worth reading: ${cold.filter((d) => d.optimum > 0).length}; learners: ${cold.map((d) => `${d.topic}/${d.level}`).join(' ')}`,
    '',
    'A. the learner has told the product nothing but one interest word (no feedback ever)',
    ...table(summary, f),
    '',
    `B. the same days for a learner who, on the ${args.feedbackDays} days before, marked the first ${FEEDBACK_PER_PAGE} highlights of each page`,
    `   relevant or not relevant (median ${f(median(taught.map((d) => d.labels)), 0)} labels before the day)`,
    ...table(summaryAfterFeedback, f),
    '',
    `order invariance (probe article, no feedback; same for every policy: scores do not depend on the policy)`,
    `  two reading orders:         Spearman ${f(invariance.spearmanTwoOrders, 3)}, mean |change| ${f(invariance.meanAbsBitsTwoOrders, 3)} bits   (goal >= 0.99, <= 0.05)`,
    `  fresh profile vs after day: Spearman ${f(invariance.spearmanFreshVsAfterDay, 3)}, mean |change| ${f(invariance.meanAbsBitsFreshVsAfterDay, 3)} bits`,
  ];
  console.log(lines.join('\n'));
  if (process.env.BENCH_DAY_VERBOSE) {
    for (const [name, days] of [['cold', cold], ['feedback', taught]] as const) {
      for (const d of days) console.log(name, d.seed, d.topic, d.level, 'pages', d.pages, 'optimum', d.optimum, JSON.stringify(d.byPolicy));
    }
  }

  if (args.json) {
    mkdirSync(dirname(resolve(args.json)), { recursive: true });
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          args: { ...args, dataDir: args.dataDir },
          summary,
          summaryAfterFeedback,
          invariance,
          days: cold.map(({ outcomes: _o, judged: _j, ...d }) => d),
          daysAfterFeedback: taught.map(({ outcomes: _o, judged: _j, ...d }) => d),
        },
        null,
        2,
      ),
    );
  }
  if (args.predictions) {
    mkdirSync(dirname(resolve(args.predictions)), { recursive: true });
    const rows: string[] = [];
    for (const [feedback, days] of [[false, cold], [true, taught]] as const) {
      for (const d of days) {
        for (const policy of POLICIES) {
          d.outcomes[policy].forEach((o, order) => {
            const shown = new Set(o.highlighted);
            for (const p of o.page.paragraphs) {
              const j = d.judged.get(p.id)!;
              rows.push(JSON.stringify({ seed: d.seed, feedback, policy, order, page: o.page.id, paragraph: p.id, highlighted: shown.has(p.id), gainBits: j.gainBits, fit: j.fit, loadMinutes: j.loadMinutes, lang: j.lang }));
            }
          });
        }
      }
    }
    writeFileSync(args.predictions, rows.join('\n') + '\n');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
