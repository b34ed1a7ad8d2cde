/**
 * Fuzzing the receiving side (`listen`): whatever a sender delivers, the listener returns
 * synchronously without throwing, its promise never rejects, a handler runs only with a valid
 * payload from this extension addressed to its own context, every refusal is counted under
 * its reason, and `Object.prototype` stays clean.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  MESSAGE_TYPES,
  POLLUTING_KEYS,
  badEnvelopeArb,
  envelopeOf,
  invalidMessageArb,
  validMessageArb,
} from '../tests/unit/protocol-arbitraries';
import { CHANNEL, PROTOCOL, SENDERS, type MessageType, type Target } from '../lib/protocol';
import { listen, type Handlers, type Listening, type RuntimeLike, type SenderLike } from './messaging';

const EXTENSION_ID = 'our-extension-id';
let cases = 0;
const RUNS = 1500;

const objectProtoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(objectProtoKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
afterAll(() => {
  console.info(`[messaging fuzz] ${cases} generated deliveries checked`);
});

type Listener = (m: unknown, s: SenderLike) => Promise<unknown> | undefined;

interface Call {
  target: Target;
  type: MessageType;
  payload: unknown;
  /** Whether the payload the handler got was valid when it got it. */
  valid: boolean;
  problem: string | null;
}

/**
 * One runtime with both receiving contexts listening (background and offscreen document), as
 * in the browser, where every context's listener sees every runtime message. Each handler
 * records what it was called with and checks it on the spot; `fail` makes the handlers throw.
 */
function world() {
  const listeners: Listener[] = [];
  const runtime: RuntimeLike = {
    id: EXTENSION_ID,
    sendMessage: async () => undefined,
    onMessage: { addListener: (l) => void listeners.push(l), removeListener: (l) => void listeners.splice(listeners.indexOf(l), 1) },
  };
  const calls: Call[] = [];
  let fail = false;
  const handlersFor = (target: Target) => {
    const out: Record<string, (p: unknown) => Promise<unknown>> = {};
    for (const type of MESSAGE_TYPES.filter((t) => PROTOCOL[t].to === target)) {
      out[type] = async (payload) => {
        calls.push({ target, type, payload, valid: v.is(PROTOCOL[type].request, payload), problem: unsafeShape(payload) });
        if (fail) throw new Error('handler failed on purpose');
        return { handled: type };
      };
    }
    return out as unknown as Handlers<MessageType>;
  };
  const contexts: Record<Target, Listening> = {
    background: listen(runtime, 'background', handlersFor('background')),
    offscreen: listen(runtime, 'offscreen', handlersFor('offscreen')),
    page: listen(runtime, 'page', handlersFor('page')),
  };
  return {
    listeners,
    calls,
    contexts,
    setFailing(on: boolean) {
      fail = on;
    },
  };
}

/** A reason a handler's payload is unsafe, judged without the schema; null if none. */
function unsafeShape(value: unknown, path = 'payload'): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is ${value}`;
  if (Array.isArray(value)) {
    for (const [i, x] of value.slice(0, 3).entries()) {
      const p = unsafeShape(x, `${path}.${i}`);
      if (p) return p;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    if (Object.getPrototypeOf(value) !== Object.prototype) return `${path} has an unusual prototype`;
    for (const key of POLLUTING_KEYS) if (Object.hasOwn(value, key)) return `${path} has own ${key}`;
    for (const [k, x] of Object.entries(value)) {
      const p = unsafeShape(x, `${path}.${k}`);
      if (p) return p;
    }
  }
  return null;
}

function isReply(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { ok?: unknown; error?: unknown; value?: unknown };
  return (r.ok === true && 'value' in r) || (r.ok === false && typeof r.error === 'string');
}

type Delivery = { message: unknown; sender: SenderLike };

/** Delivers to every listener as the browser does; checks nothing throws and every answer is a reply. */
async function deliver(w: ReturnType<typeof world>, { message, sender }: Delivery): Promise<unknown[]> {
  const answers: unknown[] = [];
  for (const l of w.listeners) {
    let r: Promise<unknown> | undefined;
    expect(() => (r = l(message, sender))).not.toThrow();
    if (r !== undefined) {
      const settled = await r.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      expect(settled, 'the listener promise rejected').not.toHaveProperty('error');
      const value = (settled as { value: unknown }).value;
      expect(isReply(value), `not a reply: ${JSON.stringify(value)}`).toBe(true);
      answers.push(value);
    }
  }
  return answers;
}

const ours: fc.Arbitrary<SenderLike> = fc.constantFrom<SenderLike>({ id: EXTENSION_ID }, { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/popup.html` }, { id: EXTENSION_ID, url: `chrome-extension://${EXTENSION_ID}/options.html`, tab: { id: 4, url: `chrome-extension://${EXTENSION_ID}/options.html` } });
/** Our content script, in a web page: the browser gives its tab and the page's URL. */
const contentScript: fc.Arbitrary<SenderLike> = fc.constantFrom<SenderLike>(
  { id: EXTENSION_ID, url: 'https://example.org/article', tab: { id: 3, url: 'https://example.org/article' } },
  { id: EXTENSION_ID, tab: { id: 3, url: 'https://example.org/' } },
  // A page cannot choose its URL to look like ours: another extension's pages are web pages too.
  { id: EXTENSION_ID, url: `chrome-extension://not-${EXTENSION_ID}/x.html`, tab: { id: 5 } },
);
const foreign: fc.Arbitrary<SenderLike> = fc.oneof(
  fc.constant<SenderLike>({}),
  fc.constant<SenderLike>({ url: 'https://evil.example/' }),
  fc.string().filter((id) => id !== EXTENSION_ID).map((id): SenderLike => ({ id, url: 'https://evil.example/' })),
);

function counts(w: ReturnType<typeof world>) {
  const sum = (k: 'foreignSender' | 'invalid') => Object.values(w.contexts).reduce((total, c) => total + c.refused[k], 0);
  return { foreignSender: sum('foreignSender'), invalid: sum('invalid') };
}

describe('listen under fuzzing', () => {
  it('answers every valid message from the extension once, with the handler of its own context', async () => {
    const w = world();
    await fc.assert(
      fc.asyncProperty(validMessageArb, ours, async ({ type, payload }, sender) => {
        cases++;
        const before = w.calls.length;
        const answers = await deliver(w, { message: envelopeOf(type, payload), sender });
        expect(answers).toEqual([{ ok: true, value: { handled: type } }]);
        expect(w.calls.length).toBe(before + 1);
        const call = w.calls.at(-1)!;
        expect(call).toMatchObject({ target: PROTOCOL[type].to, type, valid: true, problem: null });
        expect(call.payload).toEqual(payload);
      }),
      { numRuns: RUNS },
    );
    expect(counts(w)).toEqual({ foreignSender: 0, invalid: 0 });
  });

  it('refuses and counts every broken message from the extension, without calling a handler', async () => {
    const w = world();
    let expected = 0;
    await fc.assert(
      fc.asyncProperty(invalidMessageArb, ours, async ({ type, payload, how }, sender) => {
        cases++;
        const answers = await deliver(w, { message: envelopeOf(type, payload), sender });
        expected++;
        expect(answers, how).toHaveLength(1);
        expect(answers[0], how).toMatchObject({ ok: false });
      }),
      { numRuns: RUNS * 2 },
    );
    expect(w.calls).toEqual([]);
    expect(counts(w)).toEqual({ foreignSender: 0, invalid: expected });
  });

  it('from a content script, answers the messages a page may send and refuses every other one without calling its handler', async () => {
    const w = world();
    let refusedExpected = 0;
    await fc.assert(
      fc.asyncProperty(validMessageArb, contentScript, async ({ type, payload }, sender) => {
        cases++;
        const before = w.calls.length;
        const answers = await deliver(w, { message: envelopeOf(type, payload), sender });
        if (SENDERS[type].includes('page' as never)) {
          expect(answers).toEqual([{ ok: true, value: { handled: type } }]);
          expect(w.calls.length).toBe(before + 1);
        } else {
          refusedExpected++;
          expect(answers).toEqual([{ ok: false, error: expect.stringMatching(/not accepted from a web page/) }]);
          expect(w.calls.length).toBe(before);
        }
      }),
      { numRuns: RUNS },
    );
    expect(refusedExpected).toBeGreaterThan(0);
    expect(Object.values(w.contexts).reduce((total, c) => total + c.refused.wrongContext, 0)).toBe(refusedExpected);
  });

  it('refuses and counts every message from another sender, valid or not, without calling a handler', async () => {
    const w = world();
    let expected = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(validMessageArb, invalidMessageArb), foreign, async ({ type, payload }, sender) => {
        cases++;
        const answers = await deliver(w, { message: envelopeOf(type, payload), sender });
        expected++;
        expect(answers).toEqual([{ ok: false, error: expect.stringMatching(/sender is not this extension/) }]);
      }),
      { numRuns: RUNS },
    );
    expect(w.calls).toEqual([]);
    expect(counts(w)).toEqual({ foreignSender: expected, invalid: 0 });
  });

  it('stays silent for anything not on our channel, and never throws on arbitrary values', async () => {
    const w = world();
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true, withTypedArray: true, withBigInt: true, withDate: true }),
        fc.oneof(ours, foreign),
        async (message, sender) => {
          cases++;
          const isOurs = typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === CHANNEL;
          const answers = await deliver(w, { message, sender });
          if (!isOurs) expect(answers).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    expect(w.calls.every((c) => c.valid && c.problem === null)).toBe(true);
  });

  it('refuses envelopes that are wrong outside the payload and counts each once', async () => {
    const w = world();
    let expectedInvalid = 0;
    await fc.assert(
      fc.asyncProperty(badEnvelopeArb, async (message) => {
        cases++;
        const answers = await deliver(w, { message, sender: { id: EXTENSION_ID } });
        const m = (typeof message === 'object' && message !== null ? message : {}) as { channel?: unknown; type?: unknown };
        if (m.channel !== CHANNEL) {
          expect(answers).toEqual([]);
          return;
        }
        // A known type is refused by the one context it is addressed to; an unknown type is
        // addressed to nobody in particular, so each context refuses it (the first answer wins).
        const known = typeof m.type === 'string' && Object.hasOwn(PROTOCOL, m.type);
        const refusals = known ? 1 : Object.keys(w.contexts).length;
        expectedInvalid += refusals;
        expect(answers).toHaveLength(refusals);
        for (const a of answers) expect(a).toMatchObject({ ok: false });
      }),
      { numRuns: RUNS },
    );
    expect(w.calls).toEqual([]);
    expect(counts(w)).toEqual({ foreignSender: 0, invalid: expectedInvalid });
  });

  it('turns handler failures into error replies, never rejections', async () => {
    const w = world();
    w.setFailing(true);
    // The failure is logged in the receiving context (for the developer), not thrown at the sender.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await fc.assert(
      fc.asyncProperty(validMessageArb, async ({ type, payload }) => {
        cases++;
        const answers = await deliver(w, { message: envelopeOf(type, payload), sender: { id: EXTENSION_ID } });
        expect(answers).toEqual([{ ok: false, error: 'handler failed on purpose' }]);
      }),
      { numRuns: 300 },
    );
    expect(logged).toHaveBeenCalledTimes(300);
    logged.mockRestore();
  });

  it('an own __proto__ key in a message reaches neither a handler nor Object.prototype', async () => {
    const w = world();
    for (const key of POLLUTING_KEYS) {
      cases++;
      const message = JSON.parse(`{"channel":"${CHANNEL}","type":"settings.update","payload":{"patch":{"budgetMinutes":30,"${key}":{"polluted":true}}}}`);
      const answers = await deliver(w, { message, sender: { id: EXTENSION_ID } });
      expect(answers).toEqual([{ ok: false, error: expect.stringContaining('settings.update') }]);
    }
    expect(w.calls).toEqual([]);
  });
});
