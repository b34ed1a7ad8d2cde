/**
 * How well the "is this a passage?" filter (lib/passage.ts) separates the article from its
 * labels: on extraction sets with a human-marked article body, the blocks our extractor
 * returns are split into those inside the body and those outside it, and the blocks the
 * filter drops are counted on each side.
 *
 *   npx tsx bench/passage.ts [dataDir ...] [--limit N] [--json out.json]
 *
 * Default sets: ../shared/data/extraction-dev, extraction-wcxb-dev and
 * extraction-dragnet-train (each its own row: their annotators drew the body differently;
 * Dragnet's body includes headlines and captions, so its "inside" holds labels too).
 * Pages are parsed by happy-dom (no layout, no scripts) and extracted with lib/extraction's
 * extractBlocks; headings are left out (they are never candidates anyway).
 *
 * A block is inside the body when its words (\w+ runs, case kept, as the extraction metric
 * tokenises) appear in the body as one consecutive run. Reported: blocks inside and outside,
 * what the filter drops on each side, the precision of a drop (share of dropped blocks that
 * were outside), the recall (share of outside blocks dropped), and the body words lost.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { extractBlocks } from '../lib/extraction';
import { passageShape, type NotPassageReason } from '../lib/passage';
import { listGz, readGzHtml } from './lib/extract-browser';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SETS = ['extraction-dev', 'extraction-wcxb-dev', 'extraction-dragnet-train'].map((s) => join(root, '../shared/data', s));

interface SetFigures {
  set: string;
  pages: number;
  inside: number;
  outside: number;
  droppedInside: number;
  droppedOutside: number;
  insideWords: number;
  droppedInsideWords: number;
  byReason: Record<NotPassageReason, { inside: number; outside: number }>;
  /** A few dropped blocks from inside the body, to read. */
  examplesInside: string[];
}

const tokens = (text: string) => text.match(/\w+/gu) ?? [];

function measureSet(dir: string, limit: number): SetFigures {
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string }>;
  const files = listGz(join(dir, 'html')).slice(0, limit).map((name) => join(dir, 'html', name.split('/').pop()!));
  const f: SetFigures = {
    set: dir.split('/').pop()!,
    pages: 0,
    inside: 0,
    outside: 0,
    droppedInside: 0,
    droppedOutside: 0,
    insideWords: 0,
    droppedInsideWords: 0,
    byReason: { 'too-short': { inside: 0, outside: 0 }, 'no-sentence': { inside: 0, outside: 0 }, capitals: { inside: 0, outside: 0 }, credit: { inside: 0, outside: 0 } },
    examplesInside: [],
  };
  for (const file of files) {
    const id = file.split('/').pop()!.replace(/\.html\.gz$/, '');
    const body = truth[id]?.articleBody;
    if (!body) continue;
    const window = new Window({ url: 'https://example.com/', settings: { disableJavaScriptEvaluation: true, disableCSSFileLoading: true, disableJavaScriptFileLoading: true, disableIframePageLoading: true } });
    try {
      const doc = window.document as unknown as Document;
      doc.write(readGzHtml(file));
      const blocks = extractBlocks(doc, undefined, { includeHeadings: false });
      const bodyText = ` ${tokens(body).join(' ')} `;
      f.pages++;
      for (const b of blocks) {
        const t = tokens(b.text);
        if (t.length === 0) continue;
        const inside = bodyText.includes(` ${t.join(' ')} `);
        const shape = passageShape(b.text, b.lang);
        if (inside) {
          f.inside++;
          f.insideWords += t.length;
        } else f.outside++;
        if (shape.passage) continue;
        f.byReason[shape.reason!][inside ? 'inside' : 'outside']++;
        if (inside) {
          f.droppedInside++;
          f.droppedInsideWords += t.length;
          if (f.examplesInside.length < 12) f.examplesInside.push(`${shape.reason}: ${b.text.slice(0, 100)}`);
        } else f.droppedOutside++;
      }
    } catch (e) {
      console.error(`${id}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      void window.happyDOM.close();
    }
  }
  return f;
}

const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '-');

function main() {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options: { limit: { type: 'string' }, json: { type: 'string' } }, allowPositionals: true, strict: true });
  const limit = values.limit ? Math.max(1, Math.floor(Number(values.limit))) : Infinity;
  const sets = (positionals.length ? positionals.map((p) => resolve(p)) : DEFAULT_SETS).filter((d) => {
    if (existsSync(join(d, 'ground-truth.json'))) return true;
    console.error(`No extraction set at ${d} (html/ and ground-truth.json; see ../shared/data/README.md): skipped.`);
    return false;
  });
  const results = sets.map((d) => measureSet(d, limit));
  console.log('set                        pages  blocks in/out   dropped in/out   drop precision  drop recall  body words lost');
  for (const r of results) {
    console.log(
      `${r.set.padEnd(26)} ${String(r.pages).padStart(5)}  ${`${r.inside}/${r.outside}`.padStart(13)}  ${`${r.droppedInside}/${r.droppedOutside}`.padStart(15)}  ${pct(r.droppedOutside, r.droppedInside + r.droppedOutside).padStart(14)}  ${pct(r.droppedOutside, r.outside).padStart(11)}  ${pct(r.droppedInsideWords, r.insideWords).padStart(15)}`,
    );
  }
  for (const r of results) {
    console.log(`\n${r.set}: dropped by reason (inside/outside): ${Object.entries(r.byReason).map(([k, v]) => `${k} ${v.inside}/${v.outside}`).join(', ')}`);
    for (const e of r.examplesInside) console.log(`  inside, dropped: ${e}`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
}

main();
