/**
 * Reads the compact WordNet text (wordnet-format.ts) in place: one pass at load records where
 * each synset and lemma line starts (two typed arrays), and a lookup binary-searches the sorted
 * lemma lines and decodes only the lines it needs. No object per entry exists until a word is
 * looked up, so loading costs one scan of the text and memory stays near the text's own size.
 */
import { lemmatise, type ExceptionMap } from './lemma';
import { FORMAT_MAGIC, FORMAT_VERSION, LETTER_POS, POS_LETTER, SAME_AS_LEMMA } from './wordnet-format';
import type { Dictionary, DictionaryEntry, PartOfSpeech, Sense } from './types';

export class CorruptDictionaryError extends Error {
  constructor(detail: string) {
    super(`The dictionary asset is corrupt or of another version: ${detail}`);
    this.name = 'CorruptDictionaryError';
  }
}

const COMMA = 44;
const TAB = 9;
const NEWLINE = 10;

export class CompactWordNet implements Dictionary {
  readonly language: string;
  readonly synsetCount: number;
  readonly lemmaCount: number;
  readonly exceptions: ExceptionMap;
  private readonly synsetStart: Uint32Array;
  private readonly lemmaStart: Uint32Array;
  /** Number of the first synset a lemma line introduces (its empty references count on from it). */
  private readonly lemmaFirstNew: Uint32Array;
  private readonly exists = (lemma: string, pos: PartOfSpeech) => this.refsOf(lemma, pos) !== undefined;

  constructor(private readonly text: string) {
    const headerEnd = text.indexOf('\n');
    const header = text.slice(0, Math.max(0, headerEnd)).split('\t');
    if (header[0] !== FORMAT_MAGIC) throw new CorruptDictionaryError(`it does not start with ${FORMAT_MAGIC}`);
    if (header[1] !== String(FORMAT_VERSION)) throw new CorruptDictionaryError(`format version ${header[1]}, expected ${FORMAT_VERSION}`);
    this.language = header[2] ?? '';
    const [synsets, lemmas, exceptionCount] = header.slice(3, 6).map(Number) as [number, number, number];
    if (![synsets, lemmas, exceptionCount].every((n) => Number.isInteger(n) && n >= 0)) throw new CorruptDictionaryError('bad counts in its header');
    this.synsetCount = synsets;
    this.lemmaCount = lemmas;

    let at = this.expectSection(text.indexOf('\n@synsets\n') + 1, '@synsets');
    this.synsetStart = new Uint32Array(synsets + 1);
    for (let i = 0; i < synsets; i++) {
      this.synsetStart[i] = at;
      at = this.nextLine(at, 'synsets');
    }
    this.synsetStart[synsets] = at;

    at = this.expectSection(at, '@lemmas');
    this.lemmaStart = new Uint32Array(lemmas + 1);
    this.lemmaFirstNew = new Uint32Array(lemmas + 1);
    let introduced = 0;
    for (let i = 0; i < lemmas; i++) {
      this.lemmaStart[i] = at;
      this.lemmaFirstNew[i] = introduced;
      const end = text.indexOf('\n', at);
      if (end < 0) throw new CorruptDictionaryError('it ends inside the lemmas');
      // Count references written as an empty id: a comma followed by a comma, tab or line end.
      for (let c = text.indexOf(',', at); c >= 0 && c < end; c = text.indexOf(',', c + 1)) {
        const next = text.charCodeAt(c + 1);
        if (next === COMMA || next === TAB || next === NEWLINE) introduced++;
      }
      at = end + 1;
    }
    this.lemmaStart[lemmas] = at;
    this.lemmaFirstNew[lemmas] = introduced;
    if (introduced !== synsets) throw new CorruptDictionaryError(`its lemmas introduce ${introduced} synsets, its header says ${synsets}`);

    at = this.expectSection(at, '@exceptions');
    const maps: Record<PartOfSpeech, Map<string, string[]>> = { noun: new Map(), verb: new Map(), adjective: new Map(), adverb: new Map() };
    for (let i = 0; i < exceptionCount; i++) {
      const end = text.indexOf('\n', at);
      if (end < 0) throw new CorruptDictionaryError('it ends inside the exceptions');
      const [form, ...bases] = text.slice(at, end).split('\t');
      for (const field of bases) {
        const pos = LETTER_POS[field[0] ?? ''];
        if (!pos || !form) throw new CorruptDictionaryError(`bad exception line ${i + 1}`);
        const list = maps[pos].get(form) ?? [];
        list.push(field.slice(1));
        maps[pos].set(form, list);
      }
      at = end + 1;
    }
    this.exceptions = maps;
    if (text.slice(at, at + 4) !== '@end') throw new CorruptDictionaryError('its end marker is missing (truncated?)');
  }

  lookup(word: string, pos?: PartOfSpeech): DictionaryEntry[] {
    return lemmatise(word, this.exceptions, this.exists, pos).map(({ lemma, pos: p }) => this.entry(lemma, p)!);
  }

  /** Every lemma key (WordNet spelling), in the asset's sorted order: for tools that walk the whole dictionary. */
  lemmaKeys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.lemmaCount; i++) {
      const start = this.lemmaStart[i]!;
      keys.push(this.text.slice(start, this.text.indexOf('\t', start)));
    }
    return keys;
  }

  /** Whether `lemma` (WordNet spelling: lower case, `_` between words) has senses as `pos`. */
  has(lemma: string, pos: PartOfSpeech): boolean {
    return this.exists(lemma, pos);
  }

  /** The entry of an exact lemma (WordNet spelling), without lemmatising; undefined if absent. */
  entry(lemma: string, pos: PartOfSpeech): DictionaryEntry | undefined {
    const found = this.refsOf(lemma, pos);
    if (!found) return undefined;
    const self = lemma.replace(/_/g, ' ');
    let fresh = this.lemmaFirstNew[found.line]! + found.newBefore;
    const synsets = found.refs.map((ref) => {
      const synset = ref === '' ? fresh++ : parseInt(ref, 36);
      if (!(synset >= 0 && synset < this.synsetCount)) throw new CorruptDictionaryError(`"${lemma}" refers to synset ${ref}`);
      const [members = '', gloss = '', ...examples] = this.text.slice(this.synsetStart[synset]!, this.synsetStart[synset + 1]! - 1).split('\t');
      const words = members.split('|').map((m) => (m === SAME_AS_LEMMA ? this.introducer(synset) : m));
      return { words, gloss, examples };
    });
    // The lemma as its synsets spell it ("The Hague", "Monday"), else the key with spaces.
    const display = synsets.flatMap((s) => s.words).find((w) => w.toLowerCase() === self) ?? self;
    const letter = POS_LETTER[pos];
    const senses: Sense[] = synsets.map(({ words, gloss, examples }, rank) => ({
      id: `${lemma}.${letter}.${rank + 1}`,
      pos,
      gloss,
      examples,
      synonyms: words.filter((w) => w.toLowerCase() !== self),
      rank,
      lemma: display,
    }));
    return { lemma: display, pos, senses };
  }

  /** The line of `lemma`, its references for `pos`, and how many synsets the line introduces before them. */
  private refsOf(lemma: string, pos: PartOfSpeech): { line: number; refs: string[]; newBefore: number } | undefined {
    const line = this.findLemma(lemma);
    if (line < 0) return undefined;
    const fields = this.text.slice(this.lemmaStart[line]!, this.lemmaStart[line + 1]! - 1).split('\t');
    const letter = POS_LETTER[pos];
    let newBefore = 0;
    for (let f = 1; f < fields.length; f++) {
      const refs = fields[f]!.split(',');
      if (refs[0] === letter) return { line, refs: refs.slice(1), newBefore };
      for (let r = 1; r < refs.length; r++) if (refs[r] === '') newBefore++;
    }
    return undefined;
  }

  /** Display spelling of the lemma whose line introduced `synset` (the last line starting at or before it). */
  private introducer(synset: number): string {
    let lo = 0;
    let hi = this.lemmaCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lemmaFirstNew[mid]! <= synset) lo = mid;
      else hi = mid - 1;
    }
    const start = this.lemmaStart[lo]!;
    return this.text.slice(start, this.text.indexOf('\t', start)).replace(/_/g, ' ');
  }

  private findLemma(lemma: string): number {
    let lo = 0;
    let hi = this.lemmaCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const start = this.lemmaStart[mid]!;
      const key = this.text.slice(start, this.text.indexOf('\t', start));
      if (key === lemma) return mid;
      if (key < lemma) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private expectSection(at: number, name: string): number {
    if (at <= 0 || this.text.slice(at, at + name.length + 1) !== `${name}\n`) throw new CorruptDictionaryError(`section ${name} not where expected`);
    return at + name.length + 1;
  }

  private nextLine(at: number, section: string): number {
    const end = this.text.indexOf('\n', at);
    if (end < 0) throw new CorruptDictionaryError(`it ends inside the ${section}`);
    return end + 1;
  }
}
