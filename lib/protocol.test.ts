import { describe, expect, it } from 'vitest';
import { CHANNEL, LIMITS, envelope, parseEnvelope, parseReply } from './protocol';

const paragraphs = { url: 'https://example.org/a', title: 'A', lang: 'en', paragraphs: [{ id: 'abc123', text: 'Hello there.', lang: 'en' }], shown: [] };

describe('parseEnvelope', () => {
  it('accepts a valid message and returns its typed payload', () => {
    const parsed = parseEnvelope(envelope('page.paragraphs', paragraphs));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.envelope.payload).toEqual(paragraphs);
  });

  it('refuses messages from other channels, unknown types and non-objects', () => {
    expect(parseEnvelope({ channel: 'something-else', type: 'ping', payload: {} }).ok).toBe(false);
    expect(parseEnvelope({ channel: CHANNEL, type: 'nope', payload: {} }).ok).toBe(false);
    expect(parseEnvelope({ channel: CHANNEL, type: 'toString', payload: {} }).ok).toBe(false);
    expect(parseEnvelope(null).ok).toBe(false);
    expect(parseEnvelope('ping').ok).toBe(false);
  });

  it('refuses unknown keys (strict objects) and says where the problem is', () => {
    const parsed = parseEnvelope({ ...envelope('page.paragraphs', paragraphs), payload: { ...paragraphs, extra: 1 } });
    expect(parsed.ok).toBe(false);
    const bad = parseEnvelope(envelope('page.paragraphs', { ...paragraphs, paragraphs: [{ id: 'x y', text: 'a', lang: 'en' }] }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/paragraphs\.0\.id/);
  });

  it('enforces size limits', () => {
    const long = 'a'.repeat(LIMITS.snippetText + 1);
    const save = { eventId: 'e1', url: 'u', title: 't', lang: 'en', text: long, context: '', paragraphId: null, markedWords: [] };
    expect(parseEnvelope(envelope('snippet.save', save)).ok).toBe(false);
    expect(parseEnvelope(envelope('snippet.save', { ...save, text: 'ok' })).ok).toBe(true);
  });

  it('refuses non-finite numbers and out-of-range ratings', () => {
    expect(parseEnvelope(envelope('review.rate', { eventId: 'e', cardId: 'c', rating: 5 as 4, durationMs: 1 })).ok).toBe(false);
    expect(parseEnvelope(envelope('reading.dwell', { url: 'u', events: [{ eventId: 'e', paragraphId: 'p', visibleMs: Number.NaN, highlighted: false }] })).ok).toBe(false);
  });
});

describe('parseReply', () => {
  it('validates the response schema of the message type', () => {
    expect(parseReply('ping', { ok: true, value: { ok: true } })).toEqual({ ok: true, value: { ok: true } });
    expect(parseReply('ping', { ok: true, value: { ok: 'yes' } }).ok).toBe(false);
  });
  it("accepts a page's stage timings, optional, and refuses negative, unknown or missing stages", () => {
    const reply = { highlights: [], scorer: 'encoder', notice: null };
    const timings = { readMs: 1.5, embedMs: 120, headMs: 3, selectMs: 2, storeMs: 4, totalMs: 130.5 };
    expect(parseReply('page.paragraphs', { ok: true, value: reply }).ok).toBe(true);
    expect(parseReply('page.paragraphs', { ok: true, value: { ...reply, timings } })).toEqual({ ok: true, value: { ...reply, timings } });
    expect(parseReply('page.paragraphs', { ok: true, value: { ...reply, timings: { ...timings, embedMs: -1 } } }).ok).toBe(false);
    expect(parseReply('page.paragraphs', { ok: true, value: { ...reply, timings: { ...timings, waitMs: 1 } } }).ok).toBe(false);
    const { storeMs: _, ...partial } = timings;
    expect(parseReply('page.paragraphs', { ok: true, value: { ...reply, timings: partial } }).ok).toBe(false);
  });
  it("accepts the embed stage's parts within the stage, and refuses parts that are negative, not numbers or larger than the stage", () => {
    const reply = { highlights: [], scorer: 'encoder', notice: null };
    const timings = { readMs: 1.5, embedMs: 120, headMs: 3, selectMs: 2, storeMs: 4, totalMs: 130.5, embedQueueMs: 20, embedLoadMs: 30.5, embedComputeMs: 60 };
    expect(parseReply('page.paragraphs', { ok: true, value: { ...reply, timings } })).toEqual({ ok: true, value: { ...reply, timings } });
    const refused = (patch: Record<string, unknown>) => parseReply('page.paragraphs', { ok: true, value: { ...reply, timings: { ...timings, ...patch } } }).ok === false;
    expect(refused({ embedQueueMs: -1 })).toBe(true);
    expect(refused({ embedLoadMs: '30' })).toBe(true);
    expect(refused({ embedComputeMs: Number.POSITIVE_INFINITY })).toBe(true);
    // Together more than the embed stage they are parts of.
    expect(refused({ embedComputeMs: 75 })).toBe(true);
    expect(refused({ embedComputeMs: 70 })).toBe(false);
  });
  it("accepts an encoder reply's timings, optional, and refuses malformed ones", () => {
    const reply = { encoderId: 'use-lite-int8', backend: 'wasm (2 threads)', dimensions: 2, vectors: [[0.6, 0.8]] };
    expect(parseReply('encoder.embed', { ok: true, value: reply }).ok).toBe(true);
    const timed = { ...reply, timings: { loadMs: 812.4, computeMs: 95 } };
    expect(parseReply('encoder.embed', { ok: true, value: timed })).toEqual({ ok: true, value: timed });
    const refused = (timings: unknown) => parseReply('encoder.embed', { ok: true, value: { ...reply, timings } }).ok === false;
    expect(refused({ loadMs: -5, computeMs: 95 })).toBe(true);
    expect(refused({ loadMs: 1, computeMs: Number.NaN })).toBe(true);
    expect(refused({ loadMs: 1 })).toBe(true);
    expect(refused({ loadMs: 1, computeMs: 2, queueMs: 3 })).toBe(true);
    expect(refused(null)).toBe(true);
  });
  it('passes errors through and explains a missing reply', () => {
    expect(parseReply('ping', { ok: false, error: 'boom' })).toEqual({ ok: false, error: 'boom' });
    const none = parseReply('ping', undefined);
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error).toMatch(/no reply/);
  });
});
