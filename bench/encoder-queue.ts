/**
 * Many tabs asking the encoder at once (a restored window, links opened in a row): how long the
 * tab the learner is looking at waits, and how much work closed tabs still cost, with the
 * encoder queue (lib/work-queue.ts: front tab first, closed tabs' waiting batches dropped)
 * against the same queue in arrival order with nothing dropped. The real bundled encoder
 * (USE-lite int8 on onnxruntime-node, 1 thread) does the work, in batches of EMBED_BATCH texts
 * as the product sends them.
 *
 *   npx tsx bench/encoder-queue.ts [dataDir] [--tabs 6] [--paragraphs 128] [--closed 2] [--runs 3] [--json out.json]
 *
 * Scenario per run: `tabs` tabs each submit `paragraphs` paragraphs of real articles (in a run,
 * the same paragraphs for both systems) at the same moment, the front tab last (it is the one
 * the learner just switched to); right after, the first `closed` background tabs are closed.
 * Reported, median over runs: time until the front tab's paragraphs are all embedded, time until
 * all work is done, and texts embedded.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkQueue, isCancelled, type Owner } from '../lib/work-queue';
import { EMBED_BATCH } from '../platform/service/relevance';
import { atLeastOne, benchArgs } from './lib/cli';
import { createNodeEncoder } from './lib/node-encoder';
import { loadTopics } from './lib/relevance-data';
import { median } from './lib/stats';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Outcome {
  frontMs: number;
  allMs: number;
  textsEmbedded: number;
}

const { dataDir, values } = benchArgs(process.argv.slice(2), resolve(root, '../shared/data/topics-dev'), {
  tabs: { type: 'string' },
  paragraphs: { type: 'string' },
  closed: { type: 'string' },
  runs: { type: 'string' },
  json: { type: 'string' },
});
const tabs = atLeastOne(values.tabs, 6);
const perTab = atLeastOne(values.paragraphs, 128);
const closed = Math.min(Number(values.closed ?? 2), tabs - 1);
const runs = atLeastOne(values.runs, 3);

const texts = loadTopics(dataDir).flatMap((a) => a.paragraphs.map((p) => p.text));
if (texts.length < tabs * perTab) throw new Error(`need ${tabs * perTab} paragraphs, the data has ${texts.length}`);
// No embedding cache here: a paragraph met again costs the same, so the data may be reused.
const encoder = await createNodeEncoder({ quantized: true, threads: 1 });
let cursor = 0;
/** The next `n` paragraphs, going round the data; each tab gets different ones. */
const take = (n: number) => Array.from({ length: n }, () => texts[cursor++ % texts.length]!);

/**
 * One scenario over `tabTexts` (the paragraphs of tab i + 1 at index i). Both systems of a run
 * get the same texts, so the side-by-side ratio compares queues, not texts.
 */
async function scenario(ordered: boolean, tabTexts: readonly string[][]): Promise<Outcome> {
  const front = tabs; // tab ids 1..tabs; the last one is in front
  const queue = ordered ? createWorkQueue((owner: Owner) => (owner === front ? 2 : 0)) : createWorkQueue();
  let textsEmbedded = 0;
  const start = performance.now();
  const tabWork = Array.from({ length: tabs }, (_, i) => {
    const tab = i + 1;
    const paragraphs = tabTexts[i]!;
    const batches: string[][] = [];
    for (let k = 0; k < paragraphs.length; k += EMBED_BATCH) batches.push(paragraphs.slice(k, k + EMBED_BATCH));
    return Promise.all(
      batches.map((batch) =>
        queue.submit(tab, async () => {
          textsEmbedded += batch.length;
          return encoder.embed(batch);
        }),
      ),
    ).then(
      () => performance.now() - start,
      (e: unknown) => {
        if (isCancelled(e)) return null;
        throw e;
      },
    );
  });
  // The learner closes the first background tabs right away.
  if (ordered) for (let tab = 1; tab <= closed; tab++) queue.cancel(tab, 'the tab was closed');
  const finished = await Promise.all(tabWork.map((p) => p.catch(() => null)));
  return { frontMs: finished[tabs - 1]!, allMs: performance.now() - start, textsEmbedded };
}

// Warm the session so that neither side pays the first run's setup.
await encoder.embed(take(EMBED_BATCH));
const results: Record<'ours' | 'arrival', Outcome[]> = { ours: [], arrival: [] };
for (let r = 0; r < runs; r++) {
  // Drawn once per run and given to both sides; each run draws the next paragraphs of the data.
  const tabTexts = Array.from({ length: tabs }, () => take(perTab));
  // Alternate which goes first, so a drift in machine load does not favour one side.
  const order: Array<'ours' | 'arrival'> = r % 2 === 0 ? ['ours', 'arrival'] : ['arrival', 'ours'];
  for (const name of order) results[name].push(await scenario(name === 'ours', tabTexts));
}

const summary = (list: Outcome[]) => ({
  frontMs: median(list.map((o) => o.frontMs)),
  allMs: median(list.map((o) => o.allMs)),
  textsEmbedded: median(list.map((o) => o.textsEmbedded)),
});
const ours = summary(results.ours);
const arrival = summary(results.arrival);
const row = (name: string, s: ReturnType<typeof summary>) =>
  `${name.padEnd(34)}${(s.frontMs / 1000).toFixed(2).padStart(12)}${(s.allMs / 1000).toFixed(2).padStart(12)}${String(s.textsEmbedded).padStart(10)}`;
console.log(`Encoder queue: ${tabs} tabs x ${perTab} paragraphs at once, front tab last, ${closed} tabs closed at once; batches of ${EMBED_BATCH}; median of ${runs} runs`);
console.log(`${'system'.padEnd(34)}${'front tab s'.padStart(12)}${'all work s'.padStart(12)}${'texts'.padStart(10)}`);
console.log(row('ours (front first, closed dropped)', ours));
console.log(row('arrival order, nothing dropped', arrival));
console.log(`front tab ready ${(arrival.frontMs / ours.frontMs).toFixed(1)}x sooner; ${arrival.textsEmbedded - ours.textsEmbedded} texts not embedded for closed tabs`);

if (values.json) {
  writeFileSync(values.json, JSON.stringify({ benchmark: 'encoder-queue', dataDir, tabs, paragraphsPerTab: perTab, closed, batch: EMBED_BATCH, runs, ours, arrival, perRun: results }, null, 2));
}
