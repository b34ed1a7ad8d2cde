/**
 * The dictionary asset's format, and the converter that writes it from WordNet's own files.
 *
 * WordNet ships one line per synonym set (synset) in data.<pos> and one line per lemma in
 * index.<pos>, whose synset list is in sense-frequency order. The extension needs only a few
 * of those fields (the words of each synset, its gloss and examples, and which synsets each
 * lemma has in which order), so the converter keeps those and writes one plain-text file.
 * Plain text because the browser decodes it natively and V8 keeps an ASCII string at one byte
 * a character; the reader then binary-searches it in place (reader.ts), with no per-entry
 * objects built at load.
 *
 * Layout (fields separated by tabs, one record per line):
 *
 *   WORDNET-COMPACT <version> <language> <synsets> <lemmas> <exceptions>
 *   # licence lines (WordNet's notice, which must travel with every copy)
 *   @synsets
 *   <member|member|...> <gloss> [<example>]...          one line per synset, numbered from 0
 *   @lemmas
 *   <lemma> <pos letter><refs> [<pos letter><refs>]...  sorted by lemma (UTF-16 order)
 *   @exceptions
 *   <inflected form> <pos letter><base> [...]           sorted by form
 *   @end
 *
 * Lemmas are WordNet keys (lower case, `_` between words). Members keep WordNet's case with
 * spaces between words. `<refs>` is the lemma's synsets for that part of speech in frequency
 * order, each written as `,<id>`: synsets are numbered in the order they are first referred to
 * when the lemma lines are read top to bottom, so a synset met for the first time is written
 * as an empty id (`,`) and only later references spell out their number (base 36). Most
 * synsets have a single lemma, so most references cost one character. For the same reason a
 * synset's member that is spelled exactly as the lemma that introduced it (with spaces for
 * `_`) is written `~`: the reader finds that lemma from the synset's number.
 */
import type { PartOfSpeech } from './types';

export const FORMAT_MAGIC = 'WORDNET-COMPACT';
export const FORMAT_VERSION = 1;
/** A synset member spelled as the lemma that introduced the synset. */
export const SAME_AS_LEMMA = '~';

export const POS_LETTER: Readonly<Record<PartOfSpeech, string>> = { noun: 'n', verb: 'v', adjective: 'a', adverb: 'r' };
export const LETTER_POS: Readonly<Record<string, PartOfSpeech>> = { n: 'noun', v: 'verb', a: 'adjective', r: 'adverb' };

/** WordNet's file suffixes (data.adj, index.adv, ...). */
export const WORDNET_FILE: Readonly<Record<PartOfSpeech, string>> = { noun: 'noun', verb: 'verb', adjective: 'adj', adverb: 'adv' };

export interface WordNetSource {
  /** The text of data.noun, data.verb, data.adj and data.adv. */
  readonly data: Readonly<Record<PartOfSpeech, string>>;
  /** The text of index.noun, index.verb, index.adj and index.adv. */
  readonly index: Readonly<Record<PartOfSpeech, string>>;
  /** WordNet's morphological exceptions per part of speech: inflected form -> base form(s). */
  readonly exceptions: Readonly<Partial<Record<PartOfSpeech, Readonly<Record<string, string | readonly string[]>>>>>;
  /** The licence notice to carry in the asset's header. */
  readonly license: string;
}

export interface CompactStats {
  synsets: number;
  lemmas: number;
  senses: number;
  exceptions: number;
}

const SEPARATORS = /[\t\n\r]/;

/**
 * Splits a WordNet gloss into its definition and its quoted examples: the examples are the
 * `"..."` parts after the first `; "` (or `: "`); attributions after a quote
 * (`"..." - Shakespeare`) are dropped.
 */
export function splitGloss(raw: string): { gloss: string; examples: string[] } {
  const text = raw.trim();
  const start = /(^|[;:] )"/.exec(text);
  if (!start) return { gloss: text, examples: [] };
  const gloss = text.slice(0, start.index).replace(/[;:]\s*$/, '').trim();
  const examples: string[] = [];
  for (const m of text.slice(start.index).matchAll(/"([^"]*)"/g)) {
    const example = (m[1] ?? '').trim();
    if (example) examples.push(example);
  }
  return { gloss, examples };
}

interface Synset {
  members: string[];
  gloss: string;
  examples: string[];
}

/** WordNet's licence header lines start with two spaces; every other line is a record. */
function records(file: string): string[] {
  return file.split('\n').filter((line) => line.length > 0 && !line.startsWith('  '));
}

/** A synset's words as shown to a reader: adjective markers such as `(p)` dropped, spaces for `_`. */
function displayMember(word: string): string {
  return word.replace(/\((a|p|ip)\)$/, '').replace(/_/g, ' ');
}

function parseDataFile(file: string, pos: PartOfSpeech): Map<string, Synset> {
  const synsets = new Map<string, Synset>();
  for (const line of records(file)) {
    const bar = line.indexOf(' | ');
    if (bar < 0) throw new Error(`data.${WORDNET_FILE[pos]}: no gloss in line "${line.slice(0, 60)}"`);
    const fields = line.slice(0, bar).split(' ');
    const count = parseInt(fields[3] ?? '', 16);
    if (!(count > 0)) throw new Error(`data.${WORDNET_FILE[pos]}: bad word count in line "${line.slice(0, 60)}"`);
    const members: string[] = [];
    for (let i = 0; i < count; i++) members.push(displayMember(fields[4 + 2 * i] ?? ''));
    synsets.set(fields[0] ?? '', { members, ...splitGloss(line.slice(bar + 3)) });
  }
  return synsets;
}

/** index.<pos>: lemma -> synset offsets in sense-frequency order. */
function parseIndexFile(file: string, pos: PartOfSpeech): Map<string, string[]> {
  const lemmas = new Map<string, string[]>();
  for (const line of records(file)) {
    const fields = line.trim().split(' ');
    const synsetCount = Number(fields[2]);
    const pointerCount = Number(fields[3]);
    const offsets = fields.slice(4 + pointerCount + 2);
    if (!(synsetCount > 0) || offsets.length !== synsetCount) {
      throw new Error(`index.${WORDNET_FILE[pos]}: malformed line "${line.slice(0, 60)}"`);
    }
    lemmas.set(fields[0] ?? '', offsets);
  }
  return lemmas;
}

function checkField(text: string, what: string, listed = false): string {
  if (SEPARATORS.test(text) || (listed && (text.includes('|') || text === SAME_AS_LEMMA))) throw new Error(`${what} holds a separator character: "${text.slice(0, 60)}"`);
  return text;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Converts WordNet's files into the compact text described above (deterministic). */
export function buildCompactWordNet(source: WordNetSource): { text: string; stats: CompactStats } {
  const posList = Object.keys(POS_LETTER) as PartOfSpeech[];
  const synsetsByPos = new Map(posList.map((pos) => [pos, parseDataFile(source.data[pos], pos)]));
  const indexByPos = new Map(posList.map((pos) => [pos, parseIndexFile(source.index[pos], pos)]));
  const allLemmas = [...new Set(posList.flatMap((pos) => [...indexByPos.get(pos)!.keys()]))].sort(byCodeUnits);

  const numbers = new Map<string, number>();
  const synsetLines: string[] = [];
  const lemmaLines: string[] = [];
  let senses = 0;
  for (const lemma of allLemmas) {
    const fields = [checkField(lemma, 'lemma')];
    for (const pos of posList) {
      const offsets = indexByPos.get(pos)!.get(lemma);
      if (!offsets) continue;
      let refs = POS_LETTER[pos];
      for (const offset of offsets) {
        const key = `${pos}:${offset}`;
        const known = numbers.get(key);
        senses++;
        if (known !== undefined) {
          refs += `,${known.toString(36)}`;
          continue;
        }
        const synset = synsetsByPos.get(pos)!.get(offset);
        if (!synset) throw new Error(`index.${WORDNET_FILE[pos]}: "${lemma}" refers to synset ${offset}, missing from data.${WORDNET_FILE[pos]}`);
        numbers.set(key, synsetLines.length);
        const display = lemma.replace(/_/g, ' ');
        const members = synset.members.map((m) => (m === display ? SAME_AS_LEMMA : checkField(m, 'synset word', true)));
        synsetLines.push(
          [
            members.join('|'),
            checkField(synset.gloss, 'gloss'),
            ...synset.examples.map((e) => checkField(e, 'example')),
          ].join('\t'),
        );
        refs += ',';
      }
      fields.push(refs);
    }
    lemmaLines.push(fields.join('\t'));
  }

  const exceptionFields = new Map<string, string[]>();
  for (const pos of posList) {
    const table = source.exceptions[pos] ?? {};
    const index = indexByPos.get(pos)!;
    for (const form of Object.keys(table).sort(byCodeUnits)) {
      const raw = table[form]!;
      const bases = typeof raw === 'string' ? [raw] : raw;
      for (const base of bases) {
        if (base === form || !index.has(base)) continue;
        const fields = exceptionFields.get(form) ?? [];
        fields.push(POS_LETTER[pos] + checkField(base, 'exception base'));
        exceptionFields.set(checkField(form, 'exception form'), fields);
      }
    }
  }
  const exceptionLines = [...exceptionFields.keys()].sort(byCodeUnits).map((form) => [form, ...exceptionFields.get(form)!].join('\t'));

  const licence = source.license
    .split('\n')
    .map((line) => `# ${line.trimEnd()}`.trimEnd());
  const header = [FORMAT_MAGIC, FORMAT_VERSION, 'en', synsetLines.length, lemmaLines.length, exceptionLines.length].join('\t');
  const text = [header, ...licence, '@synsets', ...synsetLines, '@lemmas', ...lemmaLines, '@exceptions', ...exceptionLines, '@end', ''].join('\n');
  return { text, stats: { synsets: synsetLines.length, lemmas: lemmaLines.length, senses, exceptions: exceptionLines.length } };
}

/** WordNet's licence notice as printed at the top of its data files (line numbers removed). */
export function licenseFromDataFile(file: string): string {
  const lines: string[] = [];
  for (const line of file.split('\n')) {
    if (!line.startsWith('  ')) break;
    lines.push(line.replace(/^\s+\d+\s?/, '').trimEnd());
  }
  return lines.join('\n').trim();
}
