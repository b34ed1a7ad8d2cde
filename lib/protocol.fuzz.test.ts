/**
 * Fuzzing the message schema: whatever arrives, `parseEnvelope` answers without throwing,
 * accepts every valid message of every type unchanged, refuses every message broken in one
 * place (unknown or prototype-polluting keys, missing keys, wrong kinds, non-finite numbers,
 * oversized strings and arrays), and leaves `Object.prototype` as it found it.
 */
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  OVER_EVERY_FIELD_LIMIT,
  POLLUTING_KEYS,
  badEnvelopeArb,
  clone,
  defineOwn,
  envelopeOf,
  invalidMessageArb,
  validMessageArb,
  type ValidMessage,
} from '../tests/unit/protocol-arbitraries';
import { CHANNEL, LIMITS, PROTOCOL, parseEnvelope, type MessageType } from './protocol';

let cases = 0;
const RUNS = 1500;

const objectProtoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayProtoKeys = Object.getOwnPropertyNames(Array.prototype).sort();

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(objectProtoKeys);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayProtoKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

afterAll(() => {
  console.info(`[protocol fuzz] ${cases} generated cases checked`);
});

/** Largest string a request may carry anywhere (a backup's JSON), and elsewhere. */
const MAX_STRING = LIMITS.paragraphText;
const MAX_ARRAY = LIMITS.paragraphsPerMessage * 10;

/**
 * What any accepted payload must look like, checked without the schema: plain objects and
 * arrays only, no own polluting keys, finite numbers, strings and arrays within the limits.
 */
function assertSafeValue(value: unknown, type: MessageType, path = 'payload'): void {
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} is finite`).toBe(true);
  } else if (typeof value === 'string') {
    expect(value.length, `${path} length`).toBeLessThanOrEqual(MAX_STRING);
  } else if (Array.isArray(value)) {
    expect(Object.getPrototypeOf(value)).toBe(Array.prototype);
    expect(value.length, `${path} length`).toBeLessThanOrEqual(MAX_ARRAY);
    value.slice(0, 3).forEach((v, i) => assertSafeValue(v, type, `${path}.${i}`));
  } else if (typeof value === 'object' && value !== null) {
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    for (const key of POLLUTING_KEYS) expect(Object.hasOwn(value, key), `${path} has own ${key}`).toBe(false);
    for (const [k, v] of Object.entries(value)) assertSafeValue(v, type, `${path}.${k}`);
  } else {
    expect(['boolean', 'object'].includes(typeof value), `${path} is JSON`).toBe(true);
  }
}

describe('parseEnvelope under fuzzing', () => {
  it('never throws on arbitrary values, and refuses whatever is not on our channel', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true, withTypedArray: true, withBigInt: true, withDate: true, stringUnit: 'binary' }),
        (value) => {
          cases++;
          const parsed = parseEnvelope(value);
          const channel = typeof value === 'object' && value !== null ? (value as { channel?: unknown }).channel : undefined;
          if (channel !== CHANNEL) expect(parsed.ok).toBe(false);
          if (!parsed.ok) expect(typeof parsed.error).toBe('string');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never throws on arbitrary JSON payloads of every type, and whatever it accepts is safe', () => {
    const types = Object.keys(PROTOCOL) as MessageType[];
    fc.assert(
      fc.property(fc.constantFrom(...types), fc.jsonValue({ maxDepth: 4 }), (type, payload) => {
        cases++;
        const parsed = parseEnvelope(envelopeOf(type, payload));
        if (parsed.ok) {
          expect(parsed.envelope.type).toBe(type);
          assertSafeValue(parsed.envelope.payload, type);
        } else expect(parsed.error).toMatch(new RegExp(`^invalid ${type.replace('.', '\\.')}`));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('accepts every valid message of every type, at and under the limits, unchanged', () => {
    const seen = new Set<MessageType>();
    fc.assert(
      fc.property(validMessageArb, ({ type, payload }: ValidMessage) => {
        cases++;
        seen.add(type);
        const parsed = parseEnvelope(envelopeOf(type, payload));
        expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.envelope.type).toBe(type);
        expect(parsed.envelope.payload).toEqual(payload);
        assertSafeValue(parsed.envelope.payload, type);
      }),
      { numRuns: RUNS },
    );
    expect([...seen].sort()).toEqual(Object.keys(PROTOCOL).sort());
  });

  it('refuses a valid message broken in any one place, naming the message type', () => {
    const kinds = new Set<string>();
    fc.assert(
      fc.property(invalidMessageArb, ({ type, payload, how }) => {
        cases++;
        kinds.add(how.split(' ')[0]!);
        const parsed = parseEnvelope(envelopeOf(type, payload));
        expect(parsed.ok, `${type}: ${how} was accepted`).toBe(false);
        if (!parsed.ok) expect(parsed.error).toContain(type);
      }),
      { numRuns: RUNS * 2 },
    );
    // Every kind of mutation really ran (non-finite numbers are named by their value).
    for (const k of ['extra-key', 'polluting-key', 'drop-key', 'wrong-kind', `string`]) expect(kinds).toContain(k);
    expect([...kinds].some((k) => /NaN|Infinity/.test(k))).toBe(true);
  });

  it('refuses envelopes with a foreign channel, an unknown or inherited type, or no payload', () => {
    fc.assert(
      fc.property(badEnvelopeArb, (message) => {
        cases++;
        expect(parseEnvelope(message).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('prototype pollution', () => {
  it('an own __proto__ / constructor key never reaches the parsed payload or Object.prototype', () => {
    for (const key of POLLUTING_KEYS) {
      // JSON.parse makes `__proto__` an own property, which is how such a key arrives.
      const raw = JSON.parse(`{"channel":"${CHANNEL}","type":"settings.update","payload":{"patch":{"${key}":{"polluted":true},"budgetMinutes":30}}}`);
      const parsed = parseEnvelope(raw);
      expect(parsed.ok).toBe(false);
      const nested = JSON.parse(`{"channel":"${CHANNEL}","type":"snippet.save","payload":{"${key}":{"polluted":true}}}`);
      expect(parseEnvelope(nested).ok).toBe(false);
    }
    // The type itself as a prototype name.
    for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) expect(parseEnvelope(envelopeOf(type, {})).ok).toBe(false);
  });
});

describe('limits at their boundary', () => {
  const base = {
    'page.paragraphs': { url: 'https://example.org/', title: 't', lang: 'en', paragraphs: [] as unknown[], shown: [] as unknown[] },
    'snippet.save': { eventId: 'e1', url: 'u', title: 't', lang: 'en', text: 'x', context: '', paragraphId: null, markedWords: [] as unknown[] },
  };
  const para = { id: 'p1', text: 'Some prose.', lang: 'en' };

  /** [type, make payload of size n, limit] for every array and string limit of the requests. */
  const table: [string, MessageType, (n: number) => unknown, number][] = [
    ['paragraphs per message', 'page.paragraphs', (n) => ({ ...base['page.paragraphs'], paragraphs: Array(n).fill(para) }), LIMITS.paragraphsPerMessage],
    ['shown ids', 'page.paragraphs', (n) => ({ ...base['page.paragraphs'], shown: Array(n).fill('p1') }), LIMITS.paragraphsPerMessage * 10],
    ['paragraph text', 'page.paragraphs', (n) => ({ ...base['page.paragraphs'], paragraphs: [{ ...para, text: 'a'.repeat(n) }] }), LIMITS.paragraphText],
    ['url', 'page.summary', (n) => ({ url: 'h'.repeat(n) }), LIMITS.url],
    ['title', 'page.paragraphs', (n) => ({ ...base['page.paragraphs'], title: 'T'.repeat(n) }), LIMITS.title],
    ['snippet text', 'snippet.save', (n) => ({ ...base['snippet.save'], text: 's'.repeat(n) }), LIMITS.snippetText],
    ['snippet context', 'snippet.save', (n) => ({ ...base['snippet.save'], context: 'c'.repeat(n) }), LIMITS.paragraphText],
    ['marked words', 'snippet.save', (n) => ({ ...base['snippet.save'], markedWords: Array(n).fill('word') }), LIMITS.markedWords],
    ['marked word length', 'snippet.save', (n) => ({ ...base['snippet.save'], markedWords: ['w'.repeat(n)] }), 100],
    ['dwell events', 'reading.dwell', (n) => ({ url: 'u', events: Array(n).fill({ eventId: 'e', paragraphId: 'p', visibleMs: 5, highlighted: true }) }), LIMITS.dwellEventsPerMessage],
    ['texts to embed', 'encoder.embed', (n) => ({ texts: Array(n).fill('x') }), LIMITS.paragraphsPerMessage],
    ['id length', 'highlight.explain', (n) => ({ paragraphId: 'i'.repeat(n) }), 128],
    ['interests', 'settings.update', (n) => ({ patch: { interests: Array(n).fill('chess') } }), 20],
  ];

  it.each(table)('%s: exactly the limit passes, one more is refused', (_name, type, make, limit) => {
    cases += 2;
    const at = parseEnvelope(envelopeOf(type, make(limit)));
    expect(at.ok, at.ok ? '' : at.error).toBe(true);
    expect(parseEnvelope(envelopeOf(type, make(limit + 1))).ok).toBe(false);
  });

  it('the largest valid page message (400 paragraphs of 20,000 characters, 4,000 shown ids) parses in bounded time', () => {
    cases++;
    const paragraphs = Array.from({ length: LIMITS.paragraphsPerMessage }, (_, i) => ({ id: `p${i}`.padEnd(128, '0'), text: String(i % 10).repeat(LIMITS.paragraphText), lang: 'en' }));
    const shown = Array.from({ length: LIMITS.paragraphsPerMessage * 10 }, (_, i) => `s${i}`.padEnd(128, 'x'));
    const started = performance.now();
    const parsed = parseEnvelope(envelopeOf('page.paragraphs', { ...base['page.paragraphs'], paragraphs, shown }));
    const ms = performance.now() - started;
    expect(parsed.ok).toBe(true);
    // Generous for a shared, loaded CI machine; typical is a few milliseconds.
    expect(ms).toBeLessThan(1000);
    // An id over the regex's limit in the same message is caught without backtracking blow-up.
    const bad = clone({ ...base['page.paragraphs'], paragraphs, shown: [...shown, 'z'.repeat(OVER_EVERY_FIELD_LIMIT)] });
    const t2 = performance.now();
    expect(parseEnvelope(envelopeOf('page.paragraphs', bad)).ok).toBe(false);
    expect(performance.now() - t2).toBeLessThan(1000);
  });

  it('a deeply nested payload is refused without recursion trouble', () => {
    cases++;
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const obj: Record<string, unknown> = {};
    defineOwn(obj, 'paragraphs', deep);
    expect(parseEnvelope(envelopeOf('page.paragraphs', { ...base['page.paragraphs'], paragraphs: deep })).ok).toBe(false);
    expect(parseEnvelope(envelopeOf('encoder.embed', obj)).ok).toBe(false);
  });
});
