/**
 * fast-check generators for the message protocol (lib/protocol.ts), shared by the fuzz tests
 * of the schema and of the receiving side: a valid payload for every message type (sizes
 * reaching exactly the LIMITS, odd Unicode included), and mutations of a valid payload that no
 * correct schema may accept (unknown or prototype-polluting keys, missing keys, values of the
 * wrong kind, non-finite numbers, strings over every limit).
 *
 * The generators are written from the protocol's documented limits, not from its valibot
 * schemas, so that a schema that silently loosens is caught rather than mirrored.
 */
import fc from 'fast-check';
import { CHANNEL, LIMITS, type MessageType, type RequestOf } from '../../lib/protocol';
import { ANKI_NAME_LIMITS } from '../../lib/settings';

// ---- text ---------------------------------------------------------------------------------

/** Code units a hostile page can put in text: lone surrogates, bidi and zero-width controls, NUL. */
const nastyUnit = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u202e', '\u202d', '\u2066', '\u2069', '\u200b', '\u200d', '\ufeff', '\u0000', '\u2028', '<', '"', '&'),
);

/** Short strings of any kind of code unit (ASCII, any code point, lone surrogates, controls). */
function shortText(maxLength: number, minLength = 0): fc.Arbitrary<string> {
  const max = Math.min(maxLength, 40);
  return fc.oneof(
    fc.string({ minLength, maxLength: max }),
    fc.string({ unit: 'binary', minLength, maxLength: max }),
    fc.string({ unit: nastyUnit, minLength, maxLength: max }),
  );
}

/**
 * A string of at most `max` code units, sometimes exactly at the limit (or one below) so that
 * the boundary itself is exercised; the long ones are cheap repeats of a random unit.
 */
export function boundedText(max: number, min = 0): fc.Arbitrary<string> {
  const boundary = fc
    .tuple(fc.constantFrom(max, max - 1, Math.max(min, 1)), fc.constantFrom('a', 'é', '\u200b', ' '))
    .filter(([n]) => n >= min && n <= max)
    .map(([n, unit]) => unit.repeat(n));
  return fc.oneof({ arbitrary: shortText(max, min), weight: 4 }, { arbitrary: boundary, weight: 1 });
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_:.-';
export const idArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 1, maxLength: 24 }),
  fc.constantFrom(...ID_CHARS).map((c) => c.repeat(128)),
  fc.uuid(),
);
const urlArb = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), boundedText(LIMITS.url));
const titleArb = boundedText(LIMITS.title);
const langArb = fc.oneof(fc.constantFrom('en', 'de-CH', 'und', 'zh-Hant-TW', ''), boundedText(35));

/** A model id: "owner/name" or "name" of letters, digits, "_", "-", "."; no "..", "--" or leading ".". */
const modelSegment = (max: number) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...'abcXYZ0189_-.'), minLength: 1, maxLength: 12 }),
    fc.constantFrom('a', 'Z', '9').map((c) => c.repeat(max)),
  );
const modelIdArb = fc.oneof(
  fc.constantFrom('Xenova/all-MiniLM-L6-v2', 'Xenova/paraphrase-multilingual-MiniLM-L12-v2', 'use-lite'),
  fc
    .tuple(fc.option(modelSegment(96), { nil: undefined }), modelSegment(96))
    .map(([owner, name]) => (owner === undefined ? name : `${owner}/${name}`))
    .filter((id) => !id.includes('..') && !id.includes('--') && !id.startsWith('.')),
);
/** An encoder id: a model id, optionally ":" and a precision (letters, digits, "_", ".", "/", ":", "-"; at most 240). */
const encoderIdArb = fc.oneof(
  fc.constantFrom('use-lite-int8', 'Xenova/all-MiniLM-L6-v2:q8'),
  fc.tuple(modelIdArb, fc.option(fc.constantFrom('int8', 'fp32', 'q4', 'fp16'), { nil: undefined })).map(([id, p]) => (p ? `${id}:${p}` : id)).filter((id) => id.length <= 240),
  fc.string({ unit: fc.constantFrom(...'ab9_./:-'), minLength: 1, maxLength: 240 }),
);

/** Host-permission patterns as the browser lists them, sometimes oversized. */
const originArb = fc.oneof(
  fc.constantFrom('*://*/*', '*://news.example/*', 'http://127.0.0.1:8765/*', 'https://a.example/*'),
  fc.string({ maxLength: 300 }),
);

/** Array of at most `max` items, sometimes exactly `max` (one item repeated, to stay cheap). */
export function boundedArray<T>(item: fc.Arbitrary<T>, max: number, min = 0): fc.Arbitrary<T[]> {
  const full = item.map((x) => Array.from({ length: max }, () => x));
  return fc.oneof({ arbitrary: fc.array(item, { minLength: min, maxLength: Math.min(max, 6) }), weight: 6 }, { arbitrary: full, weight: 1 });
}

const paragraphArb = fc.record({ id: idArb, text: boundedText(LIMITS.paragraphText, 1), lang: langArb });
/** Numbers in [min, max], never NaN or infinite (the protocol's number fields are all bounded). */
const between = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
/** Interests are trimmed on receipt; generate them trimmed so a valid payload comes back unchanged. */
const interestArb = shortText(200, 1).filter((s) => s.trim() === s && s.length > 0);

/** A name for Anki (deck, note type, field): trimmed, not empty, no control characters or lone surrogates. */
const ankiNameArb = (max: number) => boundedText(max, 1).filter((s) => s.trim() === s && s.length > 0 && !/[\p{Cc}\p{Cs}]/u.test(s));
/** Two field names of one note type, different even ignoring case. */
const twoFieldsArb = fc.tuple(ankiNameArb(ANKI_NAME_LIMITS.field), ankiNameArb(ANKI_NAME_LIMITS.field)).filter(([a, b]) => a.toLowerCase() !== b.toLowerCase());
const ankiNoteTypesArb = fc.record({
  cloze: fc.tuple(ankiNameArb(ANKI_NAME_LIMITS.noteType), twoFieldsArb).map(([modelName, [textField, extraField]]) => ({ modelName, textField, extraField })),
  basic: fc.tuple(ankiNameArb(ANKI_NAME_LIMITS.noteType), twoFieldsArb).map(([modelName, [frontField, backField]]) => ({ modelName, frontField, backField })),
});

// ---- valid payloads, one generator per message type -----------------------------------------

/** Every message type must appear here: the mapped type makes a missing one a compile error. */
export const VALID_PAYLOADS: { [T in MessageType]: fc.Arbitrary<RequestOf<T>> } = {
  'page.paragraphs': fc.record({
    url: urlArb,
    title: titleArb,
    lang: langArb,
    paragraphs: boundedArray(paragraphArb, LIMITS.paragraphsPerMessage),
    shown: boundedArray(idArb, LIMITS.paragraphsPerMessage * 10),
    harder: fc.boolean(),
  }, { requiredKeys: ['url', 'title', 'lang', 'paragraphs', 'shown'] }),
  'language.study': fc.record({ lang: fc.constantFrom('fr', 'it', 'pt-BR', 'de', 'zh-Hant') }),
  'snippet.save': fc.record({
    eventId: idArb,
    url: urlArb,
    title: titleArb,
    lang: langArb,
    text: boundedText(LIMITS.snippetText, 1),
    context: boundedText(LIMITS.paragraphText),
    paragraphId: fc.option(idArb, { nil: null }),
    markedWords: boundedArray(boundedText(100, 1), LIMITS.markedWords),
    sense: fc.record({ lemma: boundedText(200, 1), pos: fc.constantFrom('noun' as const, 'verb' as const, 'adjective' as const, 'adverb' as const), gloss: boundedText(LIMITS.gloss) }),
  }, { requiredKeys: ['eventId', 'url', 'title', 'lang', 'text', 'context', 'paragraphId', 'markedWords'] }),
  'word.lookup': fc.record({
    eventId: idArb,
    word: boundedText(LIMITS.lookupWord, 1),
    sentence: boundedText(LIMITS.lookupSentence),
    lang: langArb,
    url: urlArb,
    title: titleArb,
  }),
  'dictionary.lookup': fc.record({ word: boundedText(LIMITS.lookupWord, 1), sentence: boundedText(LIMITS.lookupSentence), lang: langArb }),
  'lookup.history': fc.record({ limit: fc.integer({ min: 1, max: 100_000 }) }),
  'reader.lookup': fc.constant({}),
  'word.mark': fc.record({
    eventId: idArb,
    word: boundedText(100, 1),
    lang: langArb,
    state: fc.constantFrom('known' as const, 'ignored' as const, 'learning' as const),
  }),
  'feedback.give': fc.record({
    eventId: idArb,
    paragraphId: idArb,
    kind: fc.constantFrom('relevant', 'not-relevant', 'too-hard', 'too-easy'),
    url: urlArb,
  }),
  'reading.dwell': fc.record({
    url: urlArb,
    events: boundedArray(
      fc.record(
        { eventId: idArb, paragraphId: idArb, visibleMs: between(0, 24 * 3600_000), highlighted: fc.boolean(), passedMs: between(0, 24 * 3600_000) },
        { requiredKeys: ['eventId', 'paragraphId', 'visibleMs', 'highlighted'] },
      ),
      LIMITS.dwellEventsPerMessage,
    ),
  }),
  'highlight.explain': fc.record({ paragraphId: idArb }),
  'page.summary': fc.record({ url: urlArb }),
  'dashboard.get': fc.constant({}),
  'review.due': fc.constant({}),
  'review.rate': fc.record({
    eventId: idArb,
    cardId: idArb,
    rating: fc.constantFrom(1, 2, 3, 4),
    durationMs: between(0, 3600_000),
  }),
  'review.undo': fc.constant({}),
  // Exactly one of note/tags: with both, dropping one would leave a valid edit, and the
  // drop-key mutation below must always yield an invalid payload.
  'review.editCard': fc.oneof(
    fc.record({ cardId: idArb, note: boundedText(LIMITS.cardNote) }),
    fc.record({ cardId: idArb, tags: boundedArray(boundedText(LIMITS.cardTag, 1), LIMITS.cardTags) }),
  ),
  'review.suspendCard': fc.record({ cardId: idArb, suspended: fc.boolean() }),
  'review.suspended': fc.constant({}),
  'review.deleteCard': fc.record({ cardId: idArb }),
  'review.export': fc.record({ format: fc.constantFrom('tsv', 'csv') }),
  'review.pushAnki': fc.constant({}),
  'encoder.embed': fc.record({ texts: boundedArray(boundedText(LIMITS.paragraphText), LIMITS.paragraphsPerMessage) }),
  'encoder.status': fc.constant({}),
  'model.download': fc.record({ encoderId: encoderIdArb }),
  'model.list': fc.constant({}),
  'model.remove': fc.record({ modelId: modelIdArb }),
  'settings.get': fc.constant({}),
  'settings.update': fc.record({
    patch: fc.record(
      {
        targetLang: boundedText(35, 2),
        nativeLang: boundedText(35),
        interests: fc.array(interestArb, { maxLength: 20 }),
        budgetMinutes: between(1, 600),
        rolloverHour: fc.integer({ min: 0, max: 23 }),
        density: fc.constantFrom('few', 'normal', 'many'),
        desiredRetention: between(0.7, 0.99),
        onboarded: fc.boolean(),
        reviewNudge: fc.boolean(),
        encoderId: encoderIdArb,
        ankiDeck: ankiNameArb(ANKI_NAME_LIMITS.deck),
        ankiNoteTypes: ankiNoteTypesArb,
        ankiApiKey: fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.~!'), maxLength: 200 }),
      },
      { requiredKeys: [] },
    ),
  }),
  'learner.get': fc.constant({}),
  'learner.setVocabulary': fc.record({ vocabularySize: fc.integer({ min: 100, max: 100_000 }) }),
  'data.restored': fc.constant({}),
  'data.deleteAll': fc.constant({ confirm: 'delete everything' as const }),
  'encoder.open': fc.constant({}),
  'sync.configure': fc.record({
    url: fc.webUrl({ withQueryParameters: true }).filter((u) => u.length <= LIMITS.url),
    user: boundedText(LIMITS.syncUser),
    password: boundedText(LIMITS.syncSecret),
    passphrase: boundedText(LIMITS.syncSecret, LIMITS.syncPassphraseMin),
  }),
  'sync.now': fc.constant({}),
  'sync.status': fc.constant({}),
  'sync.stop': fc.constant({}),
  'site.read': fc.record({ tabId: fc.nat() }),
  'relevance.reset': fc.constant({ confirm: 'forget what was learned' as const }),
  'reader.stop': fc.record({ removed: fc.array(originArb, { maxLength: 4 }), granted: fc.array(originArb, { maxLength: 4 }) }),
  'reader.step': fc.record({ step: fc.constantFrom(1 as const, -1 as const) }),
  ping: fc.constant({}),
};

export const MESSAGE_TYPES = Object.keys(VALID_PAYLOADS) as MessageType[];

export interface ValidMessage {
  type: MessageType;
  payload: unknown;
}

/** A valid payload of any message type (each type equally likely). */
export const validMessageArb: fc.Arbitrary<ValidMessage> = fc.oneof(
  ...MESSAGE_TYPES.map((type) => (VALID_PAYLOADS[type] as fc.Arbitrary<unknown>).map((payload) => ({ type, payload }))),
);

// ---- mutations that must be refused -------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

/** Keys that pollute prototypes when an object is merged or assigned carelessly. */
export const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Every place in a JSON tree, with the value there. */
function sites(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  const out = [{ path, value }];
  if (Array.isArray(value)) {
    // Long arrays are repeats of one item: looking at the first few is enough.
    value.slice(0, 3).forEach((v, i) => out.push(...sites(v, [...path, i])));
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) out.push(...sites(value[key], [...path, key]));
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Deep copy that keeps own `__proto__` keys as own data properties (as JSON.parse makes them). */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) defineOwn(out, key, clone(value[key]));
    return out as T;
  }
  return value;
}

/** Sets an own, enumerable data property, even for `__proto__` (plain assignment would set the prototype). */
export function defineOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Replaces the value at `path` in a copy of `root`. */
function replaceAt(root: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) node[last as number] = replace(node[last as number]);
  else defineOwn(node, String(last), replace(node[last]));
  return copy;
}

/** The one place where keys are optional: a settings patch names only what changes. */
const isOptionalKeyObject = (type: MessageType, path: Path) => type === 'settings.update' && path.length === 1 && path[0] === 'patch';
/**
 * Single optional keys: a dwell event's pass time is sent only when the learner scrolled the
 * paragraph away; a save's meaning only when it was saved from a word card.
 */
const isOptionalKey = (type: MessageType, key: string) => (type === 'reading.dwell' && key === 'passedMs') || (type === 'snippet.save' && key === 'sense');

/** A string longer than every string limit of every request field except a backup's JSON. */
export const OVER_EVERY_FIELD_LIMIT = LIMITS.paragraphText + 1;

export interface Mutation {
  type: MessageType;
  payload: unknown;
  /** What was done, for the failure message. */
  how: string;
}

/**
 * A valid message changed in one place so that it is no longer valid. Each mutation is chosen
 * among the places it applies to; when it applies nowhere (e.g. no number in the payload), a
 * type swap of the whole payload is used instead.
 */
export const invalidMessageArb: fc.Arbitrary<Mutation> = fc
  .tuple(
    validMessageArb,
    fc.constantFrom('extra-key', 'polluting-key', 'drop-key', 'wrong-kind', 'non-finite', 'over-limit'),
    fc.nat(),
    fc.oneof(fc.string().map((s) => `$${s}`), fc.constantFrom('__defineGetter__', 'toString', 'hasOwnProperty', 'valueOf')),
    fc.constantFrom(...POLLUTING_KEYS),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    fc.jsonValue({ maxDepth: 2 }),
  )
  .map(([{ type, payload }, kind, pick, extraKey, pollutingKey, nonFinite, junk]) => {
    const all = sites(payload);
    const choose = <T>(xs: T[]): T | undefined => (xs.length ? xs[pick % xs.length] : undefined);
    const fallback = (): Mutation => ({ type, payload: 'not an object', how: `${kind} (no site) -> payload replaced by a string` });
    switch (kind) {
      case 'extra-key':
      case 'polluting-key': {
        const site = choose(all.filter((s) => isPlainObject(s.value)))!;
        const key = kind === 'extra-key' ? extraKey : pollutingKey;
        // An own `__proto__` carrying junk, as JSON.parse would deliver it.
        const value = kind === 'polluting-key' ? { polluted: true, junk } : junk;
        return {
          type,
          payload: replaceAt(payload, site.path, (old) => {
            const obj = clone(old) as Record<string, unknown>;
            defineOwn(obj, key, value);
            return obj;
          }),
          how: `${kind} ${JSON.stringify(key)} at ${site.path.join('.') || '<payload>'}`,
        };
      }
      case 'drop-key': {
        const site = choose(all.filter((s) => isPlainObject(s.value) && Object.keys(s.value).length > 0 && !isOptionalKeyObject(type, s.path)));
        if (!site) return fallback();
        const keys = Object.keys(site.value as object).filter((k) => !isOptionalKey(type, k));
        if (keys.length === 0) return fallback();
        const key = keys[pick % keys.length]!;
        return {
          type,
          payload: replaceAt(payload, site.path, (old) => {
            const obj = clone(old) as Record<string, unknown>;
            delete obj[key];
            return obj;
          }),
          how: `drop-key ${key} at ${site.path.join('.') || '<payload>'}`,
        };
      }
      case 'wrong-kind': {
        const site = choose(all)!;
        return { type, payload: replaceAt(payload, site.path, wrongKind), how: `wrong-kind at ${site.path.join('.') || '<payload>'}` };
      }
      case 'non-finite': {
        const site = choose(all.filter((s) => typeof s.value === 'number'));
        if (!site) return fallback();
        return { type, payload: replaceAt(payload, site.path, () => nonFinite), how: `${nonFinite} at ${site.path.join('.')}` };
      }
      case 'over-limit': {
        const site = choose(all.filter((s) => typeof s.value === 'string'));
        if (!site) return fallback();
        return {
          type,
          payload: replaceAt(payload, site.path, () => 'a'.repeat(OVER_EVERY_FIELD_LIMIT)),
          how: `string of ${OVER_EVERY_FIELD_LIMIT} at ${site.path.join('.')}`,
        };
      }
    }
  });

/** A value of a kind the schema cannot want where `old` was: no field of the protocol is a union of kinds. */
function wrongKind(old: unknown): unknown {
  if (typeof old === 'string') return 0;
  if (typeof old === 'number') return String(old);
  if (typeof old === 'boolean') return String(old);
  if (old === null) return 0;
  return 'x'; // arrays and objects
}

// ---- envelopes ----------------------------------------------------------------------------

export function envelopeOf(type: string, payload: unknown): Record<string, unknown> {
  return { channel: CHANNEL, type, payload };
}

/** Envelopes wrong outside the payload: channel, type (including prototype names), shape. */
export const badEnvelopeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(fc.string(), validMessageArb).filter(([c]) => c !== CHANNEL).map(([channel, m]) => ({ channel, type: m.type, payload: m.payload })),
  fc
    .tuple(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf')), validMessageArb)
    .filter(([t]) => !(MESSAGE_TYPES as string[]).includes(t))
    .map(([type, m]) => envelopeOf(type, m.payload)),
  fc.tuple(fc.jsonValue(), validMessageArb).map(([type, m]) => ({ channel: CHANNEL, type, payload: m.payload })).filter((e) => typeof e.type !== 'string'),
  // No payload at all.
  validMessageArb.map((m) => ({ channel: CHANNEL, type: m.type })),
  fc.array(fc.jsonValue(), { maxLength: 3 }).map((xs) => [CHANNEL, ...xs]),
);
