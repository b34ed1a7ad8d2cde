import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as v from 'valibot';
import { createSnippet } from './snippet.ts';
import { cardsFromSnippet, createScheduler, editCard, type ReviewCard, type ReviewLogEntry, type ReviewRating } from './review.ts';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  REVIEW_STORE_SCHEMAS,
  backupFileName,
  createBackup,
  parseBackup,
  serialiseBackup,
  serialiseBackupParts,
  type StoreSchemas,
} from './backup.ts';

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;

const WORDS = ['Hund', 'Katze', 'läuft', 'schnell', 'Sofa', 'regnet', 'heute', 'naïve', '日本語', 'x<b>y</b>', '{{c1::z}}', 'a&b'];

/** Realistic learner data made by the real constructors: snippets, their cards, review logs. */
const learnerData = fc
  .array(
    fc.record({
      sentences: fc.array(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
      title: fc.string({ maxLength: 40, unit: 'binary' }),
      note: fc.string({ maxLength: 40, unit: 'binary' }),
      markPicks: fc.array(fc.nat(), { maxLength: 3 }),
      ratings: fc.array(fc.constantFrom<ReviewRating>(1, 2, 3, 4), { maxLength: 6 }),
      late: fc.nat(10 * DAY),
      createdAt: fc.integer({ min: 0, max: 4_000_000_000_000 }),
      suspended: fc.boolean(),
      withSense: fc.boolean(),
    }),
    { maxLength: 4 },
  )
  .map((specs) => {
    const scheduler = createScheduler();
    const snippets = [];
    const cards: ReviewCard[] = [];
    const reviewLogs: ReviewLogEntry[] = [];
    for (const [i, spec] of specs.entries()) {
      const words = spec.sentences.flat();
      const snippet = createSnippet({
        passage: spec.sentences.map((s) => s.join(' ') + '.').join(' '),
        url: `https://example.org/page/${i}`,
        title: spec.title,
        lang: 'de',
        createdAt: spec.createdAt,
        marks: spec.markPicks.map((k) => words[k % words.length]!).filter((w) => /\p{L}/u.test(w)),
      });
      snippets.push(snippet);
      // Some cloze cards carry the meaning they were saved with from a look-up.
      const firstMark = snippet.marks[0] ? snippet.passage.slice(snippet.marks[0].start, snippet.marks[0].end) : undefined;
      const sense = spec.withSense && firstMark ? { word: firstMark, lemma: firstMark, pos: 'noun', gloss: spec.title } : undefined;
      const made = cardsFromSnippet(snippet, spec.createdAt, sense ? { sense } : {});
      let first = editCard(made[0]!, { note: spec.note, tags: ['t1'] }, spec.createdAt);
      for (const r of spec.ratings) {
        const out = scheduler.rate(first, r, first.due + spec.late, 4000);
        first = out.card;
        reviewLogs.push(out.log);
      }
      cards.push({ ...first, suspended: spec.suspended }, ...made.slice(1));
    }
    return { snippets, cards, reviewLogs };
  });

function validBackupText(): string {
  const snippet = createSnippet({ passage: 'Die Katze schläft.', url: 'https://example.org', title: 'T', lang: 'de', createdAt: T0, marks: ['Katze'] });
  const cards = cardsFromSnippet(snippet, T0);
  const { card, log } = createScheduler().rate(cards[0]!, 3, T0 + 1000, 2000);
  return serialiseBackup(createBackup({ stores: { snippets: [snippet], cards: [card], reviewLogs: [log] } }, T0 + 5000));
}

const refusal = (text: string, options?: Parameters<typeof parseBackup>[1]) => {
  const result = parseBackup(text, options);
  if (result.ok) throw new Error('expected the backup to be refused');
  return result.error;
};

/** Edits the valid backup's JSON, then serialises it again. */
function tamper(edit: (backup: Record<string, unknown> & { stores: Record<string, Record<string, unknown>[]> }) => void): string {
  const backup = JSON.parse(validBackupText());
  edit(backup);
  return JSON.stringify(backup);
}

describe('createBackup', () => {
  it('wraps the stores in a versioned envelope', () => {
    const backup = createBackup({ stores: { cards: [{ id: 'a' }] } }, T0);
    expect(backup).toEqual({ format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: T0, stores: { cards: [{ id: 'a' }] } });
    expect(backupFileName(T0)).toBe('attention-reader-backup-2023-11-14.json');
  });
});

describe('parseBackup: lossless', () => {
  it('restores exactly what was backed up (snippets, cards, review logs)', () => {
    fc.assert(
      fc.property(learnerData, fc.integer({ min: 0, max: 4_000_000_000_000 }), (stores, now) => {
        const backup = createBackup({ stores }, now);
        const result = parseBackup(serialiseBackup(backup));
        expect(result).toEqual({ ok: true, backup });
      }),
      { numRuns: 60 },
    );
  });

  it('restores any JSON records for a store whose injected schema accepts them', () => {
    const anyJson = fc
      .jsonValue({ maxDepth: 4 })
      .filter((value) => !/"(__proto__|constructor|prototype)"\s*:/u.test(JSON.stringify(value)))
      .map((value) => JSON.parse(JSON.stringify(value, (_k, x) => (Object.is(x, -0) || (typeof x === 'number' && Math.abs(x) > Number.MAX_SAFE_INTEGER) ? 0 : x))) as unknown);
    const schemas: StoreSchemas = { settings: v.unknown(), other: v.unknown() };
    fc.assert(
      fc.property(fc.array(anyJson, { maxLength: 5 }), fc.array(anyJson, { maxLength: 5 }), (settings, other) => {
        const backup = createBackup({ stores: { settings, other } }, T0);
        expect(parseBackup(serialiseBackup(backup), { schemas })).toEqual({ ok: true, backup });
      }),
    );
  });

  it('accepts a byte-order mark and stores missing from an older backup', () => {
    expect(parseBackup('\ufeff' + validBackupText()).ok).toBe(true);
    const partial = parseBackup(serialiseBackup(createBackup({ stores: { cards: [] } }, T0)));
    expect(partial).toEqual({ ok: true, backup: createBackup({ stores: { cards: [] } }, T0) });
  });
});

describe('parseBackup: refusals say why', () => {
  it('a truncated file', () => {
    const text = validBackupText();
    expect(refusal(text.slice(0, text.length - 40))).toMatch(/cut short/u);
    expect(refusal(text.slice(0, 30))).toMatch(/cut short/u);
  });

  it('an empty, non-JSON or oversized file', () => {
    expect(refusal('')).toMatch(/empty/u);
    expect(refusal('  \n')).toMatch(/empty/u);
    expect(refusal('hello')).toMatch(/not valid JSON/u);
    expect(refusal(validBackupText(), { maxChars: 100 })).toMatch(/too large/u);
  });

  it('a foreign file', () => {
    expect(refusal('[1,2,3]')).toMatch(/not an Attention Reader backup/u);
    expect(refusal('{"format":"some-other-app","version":1}')).toMatch(/not an Attention Reader backup/u);
    expect(refusal('"attention-reader-backup"')).toMatch(/not an Attention Reader backup/u);
  });

  it('a backup from a newer version', () => {
    expect(refusal(tamper((b) => (b.version = 2)))).toMatch(/newer version.*format 2.*Update the extension/su);
    expect(refusal(tamper((b) => (b.version = 0)))).toMatch(/no format version/u);
    expect(refusal(tamper((b) => (b.version = '1')))).toMatch(/no format version/u);
  });

  it('huge numbers', () => {
    const text = validBackupText();
    expect(refusal(text.replace(/"createdAt":\d+/u, '"createdAt":1e400'))).toMatch(/too large to represent.*createdAt/su);
    expect(refusal(text.replace(/"reps":\d+/u, '"reps":123456789012345678901234'))).toMatch(/number 1\.2345\d+e\+23 at stores\.cards\.0\.schedule\.reps, larger than any value/su);
  });

  it('prototype-pollution keys anywhere', () => {
    const text = validBackupText();
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const nested = text.replace('"schedule":{', `"schedule":{"${key}":{"polluted":true},`);
      expect(refusal(nested)).toContain(`"${key}"`);
      expect(refusal(text.replace('"stores":{', `"stores":{"${key}":[],`))).toContain(`"${key}"`);
    }
    expect(refusal(text.replace('{', '{"__proto__":{"polluted":true},'))).toMatch(/tamper/u);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('unknown stores, non-list stores, damaged or duplicate records', () => {
    expect(refusal(tamper((b) => (b.stores['passwords'] = [])))).toMatch(/does not know \("passwords"\)/u);
    expect(refusal(tamper((b) => ((b.stores as Record<string, unknown>)['cards'] = {})))).toMatch(/"cards" section .* not a list/u);
    expect(refusal(tamper((b) => (b.stores['cards']![0]!['suspended'] = 'yes')))).toMatch(/Entry 1 of "cards" is damaged \(suspended: /u);
    expect(refusal(tamper((b) => (b.stores['reviewLogs']![0]!['rating'] = 7)))).toMatch(/Entry 1 of "reviewLogs".*rating/su);
    expect(refusal(tamper((b) => (b.stores['snippets']![0]!['extra'] = 1)))).toMatch(/Entry 1 of "snippets" is damaged/u);
    expect(refusal(tamper((b) => b.stores['cards']!.push(b.stores['cards']![0]!)))).toMatch(/share the id/u);
  });

  it('a damaged envelope', () => {
    expect(refusal(tamper((b) => (b.createdAt = -1)))).toMatch(/creation time/u);
    expect(refusal(tamper((b) => (b.extra = true)))).toMatch(/unexpected field "extra"/u);
    expect(refusal(tamper((b) => delete (b as Partial<typeof b>).stores))).toMatch(/no data section/u);
  });

  it('data nested far deeper than a backup', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = validBackupText().replace('"stores":{', `"stores":{"settings":[${deep}],`);
    expect(refusal(text, { schemas: { ...REVIEW_STORE_SCHEMAS, settings: v.unknown() } })).toMatch(/nested more deeply/u);
  });

  it('returns nothing at all when only the last record is bad', () => {
    const text = tamper((b) => b.stores['reviewLogs']!.push({ id: 'x' }));
    expect(parseBackup(text)).toEqual({ ok: false, error: expect.stringMatching(/Entry 2 of "reviewLogs"/u) });
  });

  it('an injected schema that throws is reported, not thrown', () => {
    const throwing = v.pipe(
      v.unknown(),
      v.check(() => {
        throw new Error('schema bug');
      }),
    );
    expect(refusal(validBackupText(), { schemas: { ...REVIEW_STORE_SCHEMAS, cards: throwing } })).toMatch(/could not be checked \(schema bug\)/u);
  });
});

describe('parseBackup: fuzzing', () => {
  const SPECIAL = ['"__proto__":{"a":1},', '"constructor":{"prototype":{}},', '1e999,', '-98765432109876543210,', '{', ']', '"', ',', 'null,', '\\u0000'];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom(...SPECIAL)) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
  );

  function mutate(text: string, ops: readonly { kind: string; at: number; length?: number; text?: string }[]): string {
    let t = text;
    for (const op of ops) {
      const at = t.length === 0 ? 0 : op.at % t.length;
      if (op.kind === 'delete') t = t.slice(0, at) + t.slice(at + (op.length ?? 1));
      else if (op.kind === 'insert') t = t.slice(0, at) + op.text + t.slice(at);
      else if (op.kind === 'truncate') t = t.slice(0, at);
      else t = t.slice(0, at) + op.text + t.slice(at + 1);
    }
    return t;
  }

  /** Whatever comes back is a well-formed answer, and an accepted backup is a valid one. */
  function checkAnswer(text: unknown) {
    const result = parseBackup(text as string);
    expect(typeof result.ok).toBe('boolean');
    if (!result.ok) {
      expect(typeof result.error).toBe('string');
      expect(result.error.length).toBeGreaterThan(10);
      return;
    }
    for (const [name, records] of Object.entries(result.backup.stores)) {
      const schema = REVIEW_STORE_SCHEMAS[name as keyof typeof REVIEW_STORE_SCHEMAS];
      for (const record of records) expect(v.safeParse(schema, record).success).toBe(true);
    }
  }

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), checkAnswer), { numRuns: 300 });
    fc.assert(fc.property(fc.json(), checkAnswer), { numRuns: 300 });
  });

  it('never throws on arbitrary values that are not text', () => {
    fc.assert(fc.property(fc.anything(), checkAnswer), { numRuns: 100 });
  });

  it('never throws on mutations of a valid backup, and accepts only valid data', () => {
    const text = validBackupText();
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ops) => {
        checkAnswer(mutate(text, ops));
      }),
      { numRuns: 500 },
    );
    expect(({} as Record<string, unknown>)['a']).toBeUndefined();
  });

  it('never throws when any value in a valid backup is replaced by arbitrary JSON', () => {
    const base = JSON.parse(validBackupText()) as unknown;
    const paths: (string | number)[][] = [];
    const walk = (node: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(node)) node.forEach((x, i) => walk(x, [...path, i]));
      else if (node && typeof node === 'object') for (const [k, x] of Object.entries(node)) walk(x, [...path, k]);
    };
    walk(base, []);
    fc.assert(
      fc.property(fc.nat(paths.length - 1), fc.jsonValue(), (which, replacement) => {
        const copy = JSON.parse(JSON.stringify(base)) as Record<string | number, unknown>;
        const path = paths[which]!;
        if (path.length === 0) return checkAnswer(JSON.stringify(replacement));
        let node = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        node[path[path.length - 1]!] = replacement;
        checkAnswer(JSON.stringify(copy));
      }),
      { numRuns: 400 },
    );
  });
});

describe('a backup in pieces', () => {
  it('joins to exactly the one-string file, whatever the stores hold', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 8 }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }), { maxKeys: 4 }),
        fc.nat(),
        (stores, createdAt) => {
          const backup = createBackup({ stores }, createdAt);
          const parts = serialiseBackupParts(backup);
          expect(parts.join('')).toBe(serialiseBackup(backup));
          // One piece per record at most, plus the envelope's: never the whole file in one string.
          const records = Object.values(stores).reduce((n, r) => n + r.length, 0);
          if (records > 1) expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(serialiseBackup(backup).length);
        },
      ),
    );
  });
});
