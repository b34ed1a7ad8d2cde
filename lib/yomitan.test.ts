import { describe, expect, it } from 'vitest';
import { frequencyList, index, row, tinyDictionary, zipOf } from '../tests/unit/yomitan-fixtures';
import { DEFAULT_LIMITS, DictionaryRefused, readYomitanZip, type RefusalKind, type YomitanLimits } from './yomitan';

const limits = (over: Partial<YomitanLimits>): YomitanLimits => ({ ...DEFAULT_LIMITS, ...over });

async function refused(bytes: Uint8Array, kind: RefusalKind, message: RegExp, lim: YomitanLimits = DEFAULT_LIMITS): Promise<void> {
  const error = await readYomitanZip(bytes, lim).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DictionaryRefused);
  expect((error as DictionaryRefused).kind).toBe(kind);
  expect((error as Error).message).toMatch(message);
}

/** Offset of the central-directory record of `name` (to damage the zip's declared sizes). */
function centralRecord(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let at = zip.length - 46; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const length = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(zip.subarray(at + 46, at + 46 + length)) === name) return at;
  }
  throw new Error(`no ${name} in the zip`);
}

function withDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice();
  new DataView(copy.buffer).setUint32(centralRecord(copy, name) + 24, size, true);
  return copy;
}

describe('reading a Yomitan dictionary', () => {
  it('reads the index, every term bank in order, tags and plain-text definitions', async () => {
    const { info, terms, frequencies } = await readYomitanZip(zipOf(tinyDictionary({ author: 'A. Lexicographer' })));
    expect(info).toEqual({ title: 'Tiny English', revision: '1', format: 3, sourceLanguage: 'en', targetLanguage: 'en', author: 'A. Lexicographer', kanjiCount: 0 });
    expect(terms.map((t) => t.term)).toEqual(['river', 'bank', 'bank', 'harbour']);
    expect(terms[2]).toEqual({ term: 'bank', reading: '', definitions: ['a place that keeps money'], tags: ['n', 'fin'], score: 9 });
    expect(terms[3]!.definitions).toEqual(['a sheltered port']);
    expect(frequencies).toEqual([]);
  });

  it('reads frequencies in every form the format allows, leaving pitch rows and words without a number out', async () => {
    const zip = zipOf({
      'index.json': index({ title: 'Counts', frequencyMode: 'occurrence-based', sourceLanguage: 'ja' }),
      'term_meta_bank_1.json': [
        ['の', 'freq', 1],
        ['日本', 'freq', { value: 12, displayValue: '12㋕' }],
        ['行く', 'freq', { reading: 'いく', frequency: '1,234' }],
        ['行く', 'freq', { reading: 'ゆく', frequency: { value: 9000 } }],
        ['稀', 'freq', 'rare'],
        ['箸', 'pitch', { reading: 'はし', pitches: [{ position: 1 }] }],
      ],
    });
    const { info, terms, frequencies } = await readYomitanZip(zip);
    expect(info.frequencyMode).toBe('occurrence-based');
    expect(terms).toEqual([]);
    expect(frequencies).toEqual([
      { term: 'の', value: 1 },
      { term: '日本', value: 12 },
      { term: '行く', reading: 'いく', value: 1234 },
      { term: '行く', reading: 'ゆく', value: 9000 },
    ]);
  });

  it('keeps readings that differ from the term and reads format 2 like format 3', async () => {
    const zip = zipOf({ 'index.json': index({ format: undefined, version: 2, sourceLanguage: 'ja' }), 'term_bank_1.json': [row('川', ['river'], { reading: 'かわ' }), row('かわ', ['river'], { reading: 'かわ' })] });
    const { info, terms } = await readYomitanZip(zip);
    expect(info.format).toBe(2);
    expect(terms.map((t) => [t.term, t.reading])).toEqual([['川', 'かわ'], ['かわ', '']]);
  });

  it('reads a dictionary stored without compression', async () => {
    const { terms } = await readYomitanZip(zipOf(tinyDictionary(), 0));
    expect(terms).toHaveLength(4);
  });

  it('reports progress by bytes read, ending at the total', async () => {
    const seen: Array<[number, number]> = [];
    await readYomitanZip(zipOf(tinyDictionary()), DEFAULT_LIMITS, (done, total) => seen.push([done, total]));
    expect(seen.length).toBe(4); // index + two term banks + the tag bank
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
    expect(seen.at(-1)![0]).toBe(seen.at(-1)![1]);
  });
});

describe('definitions as text', () => {
  const definitionsOf = async (glossary: unknown[]) => (await readYomitanZip(zipOf({ 'index.json': index(), 'term_bank_1.json': [row('word', glossary)] }))).terms[0]!.definitions;

  it('flattens structured content: lines for blocks and breaks, readings in parentheses, image alt text', async () => {
    const content = [
      { tag: 'div', content: [{ tag: 'span', style: { fontWeight: 'bold' }, content: 'noun' }, ' — a ', { tag: 'ruby', content: ['川', { tag: 'rp', content: '(' }, { tag: 'rt', content: 'かわ' }, { tag: 'rp', content: ')' }] }] },
      { tag: 'ul', content: [{ tag: 'li', content: 'first sense' }, { tag: 'li', content: { tag: 'div', content: 'second sense' } }] },
      { tag: 'table', content: { tag: 'tr', content: [{ tag: 'th', content: 'plural' }, { tag: 'td', content: 'rivers' }] } },
      'line one',
      { tag: 'br' },
      'line two',
      { tag: 'img', path: 'img/river.png', alt: 'a river' },
    ];
    expect(await definitionsOf([{ type: 'structured-content', content }])).toEqual([
      ['noun — a 川(かわ)', '• first sense', '• second sense', 'plural rivers', 'line one', 'line two a river'].join('\n'),
    ]);
  });

  it('keeps markup in a dictionary as text and drops links, styles, data and image paths', async () => {
    const content = [
      '<img src=x onerror=alert(1)>',
      { tag: 'a', href: 'https://tracker.example/?q=1', content: 'see also' },
      { tag: 'span', data: { secret: 'data-attribute' }, style: { background: 'url(https://x.example/p.png)' }, content: ' here' },
      { tag: 'script', content: 'unknown tags give their text only' },
      { tag: 'img', path: 'https://x.example/pixel.png' },
    ];
    const [text] = await definitionsOf([{ type: 'structured-content', content }]);
    expect(text).toBe('<img src=x onerror=alert(1)>see also hereunknown tags give their text only');
    expect(text).not.toMatch(/tracker|data-attribute|x\.example/);
  });

  it('reads text, image and deinflection items, removes control characters and drops empty items', async () => {
    expect(
      await definitionsOf([
        'plain\u0007 text\u202e',
        { type: 'text', text: '  spaced   out  ' },
        { type: 'image', path: 'a.png', alt: 'a picture' },
        { type: 'image', path: 'b.png' },
        ['run', ['past']],
      ]),
    ).toEqual(['plain text', 'spaced out', 'a picture', '→ run (past)']);
  });
});

describe('refusing files that are not good dictionaries', () => {
  const good = zipOf(tinyDictionary());

  it('refuses a file that is not a zip, and a truncated one', async () => {
    await refused(new TextEncoder().encode('just some text, not a zip at all, long enough'), 'not-yomitan', /^This file is not a Yomitan dictionary: it is not a zip archive/);
    await refused(good.slice(0, good.length - 30), 'not-yomitan', /not a zip archive, or only the start of one/);
    await refused(good.slice(0, Math.floor(good.length / 2)), 'not-yomitan', /not a zip archive/);
  });

  it('refuses an archive without index.json, saying when it sits inside a folder', async () => {
    await refused(zipOf({ 'term_bank_1.json': [row('a', ['b'])] }), 'not-yomitan', /^This file is not a Yomitan dictionary: index\.json is missing\.$/);
    await refused(zipOf({ 'Tiny/index.json': index(), 'Tiny/term_bank_1.json': [row('a', ['b'])] }), 'not-yomitan', /inside the folder "Tiny\/"/);
  });

  it('refuses format 1 and unknown formats, and an index without title or revision', async () => {
    await refused(zipOf({ ...tinyDictionary(), 'index.json': index({ format: 1 }) }), 'old-format', /first Yomichan format \(format 1\), which is not supported/);
    await refused(zipOf({ ...tinyDictionary(), 'index.json': index({ format: 4 }) }), 'malformed', /index\.json has format 4/);
    await refused(zipOf({ ...tinyDictionary(), 'index.json': index({ title: ' ' }) }), 'malformed', /index\.json has no title/);
    await refused(zipOf({ ...tinyDictionary(), 'index.json': index({ revision: 3 }) }), 'malformed', /index\.json has no revision/);
    await refused(zipOf({ ...tinyDictionary(), 'index.json': index({ sourceLanguage: 'English' }) }), 'malformed', /index\.json: sourceLanguage must be a language code/);
    await refused(zipOf({ ...tinyDictionary(), 'index.json': index({ frequencyMode: 'often' }) }), 'malformed', /frequencyMode must be/);
  });

  it('refuses malformed JSON and files of the wrong shape, naming the file and the entry', async () => {
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_2.json': '[["river", "", "", ' }), 'malformed', /^term_bank_2\.json is not valid JSON/);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_2.json': { river: 1 } }), 'malformed', /^term_bank_2\.json must be a list of entries\.$/);
    const rows = Array.from({ length: 1300 }, (_, i) => row(`w${i}`, ['d']));
    rows[1203] = row('broken', 'not a list' as unknown as unknown[]);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_3.json': rows }), 'malformed', /^term_bank_3\.json, entry 1,204: glossary must be a list\.$/);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_1.json': [['river', '', '', '', 0, []]] }), 'malformed', /term_bank_1\.json, entry 1: must be a list of 8 items/);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_1.json': [row('', ['x'])] }), 'malformed', /entry 1: the term must not be empty/);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_1.json': [row('a', [{ type: 'structured-content', content: { content: 'no tag' } }])] }), 'malformed', /entry 1: glossary item 1: a structured content node has no tag/);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_1.json': [row('a', [{ type: 'video', src: 'x' }])] }), 'malformed', /glossary item's type must be/);
    await refused(zipOf({ ...tinyDictionary(), 'term_meta_bank_1.json': [['a', 'freq', { rank: 1 }]] }), 'malformed', /term_meta_bank_1\.json, entry 1: the frequency must be/);
    await refused(zipOf({ ...tinyDictionary(), 'term_meta_bank_1.json': [['a', 'often', 1]] }), 'malformed', /the mode must be "freq", "pitch" or "ipa"/);
    await refused(zipOf({ ...tinyDictionary(), 'tag_bank_1.json': [['n', 'pos', 'first', '', 0]] }), 'malformed', /tag_bank_1\.json, entry 1: the order and score must be numbers/);
    await refused(zipOf({ ...tinyDictionary(), 'kanji_bank_1.json': [['川', 'セン', 'かわ', '', 'river', {}]] }), 'malformed', /kanji_bank_1\.json, entry 1: the meanings must be a list/);
    await refused(zipOf({ ...tinyDictionary(), 'term_bank_1.json': new Uint8Array([0x5b, 0xff, 0xfe, 0x5d]) }), 'malformed', /term_bank_1\.json is not valid UTF-8/);
  });

  it('refuses structured content nested deeper than any dictionary needs, without overflowing the stack', async () => {
    // Written as text: JSON.stringify itself would overflow on such a tree.
    const content = `${'{"tag":"span","content":'.repeat(5000)}"deep"${'}'.repeat(5000)}`;
    const bank = `[["a","","","",0,[{"type":"structured-content","content":${content}}],1,""]]`;
    expect(bank.length).toBeGreaterThan(100_000);
    await refused(zipOf({ 'index.json': index(), 'term_bank_1.json': bank }), 'malformed', /term_bank_1\.json, entry 1: glossary item 1: structured content is nested too deeply/);
  });

  it('refuses an archive with neither terms nor frequencies', async () => {
    await refused(zipOf({ 'index.json': index(), 'term_bank_1.json': [] }), 'not-yomitan', /holds no terms and no frequencies/);
  });

  it('refuses dictionaries over each limit', async () => {
    await refused(good, 'too-large', /^This dictionary is larger than the extension accepts: the file is \d{3} bytes, the limit is 100 bytes\.$/, limits({ maxZipBytes: 100 }));
    await refused(good, 'too-large', /it unpacks to \d{3} bytes, the limit is 200 bytes/, limits({ maxUnpackedBytes: 200 }));
    await refused(good, 'too-large', /more than 3 entries/, limits({ maxEntries: 3 }));
    await refused(good, 'too-large', /holds 4 files, the limit is 2/, limits({ maxFiles: 2 }));
    await refused(good, 'malformed', /term_bank_1\.json, entry 1: glossary item 1 is longer than 20 characters/, limits({ maxStringLength: 20 }));
  });

  it('stops inflating a file that unpacks to more than it declares (a zip bomb) and refuses it', async () => {
    const bomb = zipOf({ 'index.json': index(), 'term_bank_1.json': `[${'"'.padEnd(8 * 1024 * 1024, 'a')}"]` });
    expect(bomb.length).toBeLessThan(50_000);
    // Declaring 1,000 bytes, it is stopped as soon as its output passes them (the refusal
    // comes from the inflater's output check, not from a size compared after the end).
    await refused(withDeclaredSize(bomb, 'term_bank_1.json', 1000), 'damaged', /"term_bank_1\.json" unpacks to more than the size it declares/);
    // Declaring its true size, it is refused by the limit before anything is inflated.
    await refused(bomb, 'too-large', /it unpacks to 9 MB, the limit is 4 MB/, limits({ maxUnpackedBytes: 4 * 1024 * 1024 }));
  });

  it('refuses a file that unpacks to less than it declares, or fails its checksum', async () => {
    await refused(withDeclaredSize(good, 'term_bank_2.json', 5000), 'damaged', /"term_bank_2\.json" does not unpack to the size it declares/);
    const copy = good.slice();
    const at = centralRecord(copy, 'term_bank_1.json');
    new DataView(copy.buffer).setUint32(at + 16, 12345, true);
    await refused(copy, 'damaged', /"term_bank_1\.json" fails its checksum/);
  });
});

describe('frequency list fixture', () => {
  it('is a valid rank-based list', async () => {
    const { frequencies, info } = await readYomitanZip(zipOf(frequencyList(['the', 'of', 'and'])));
    expect(info.frequencyMode).toBe('rank-based');
    expect(frequencies.map((f) => [f.term, f.value])).toEqual([['the', 1], ['of', 2], ['and', 3]]);
  });
});
