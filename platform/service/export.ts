/**
 * `review.export` and `review.pushAnki`: the learner's cards, out to Anki.
 *
 * Both take every card (suspended ones too: in Anki the learner decides again), oldest first,
 * and leave the formatting and the AnkiConnect conversation to lib/anki.ts: cloze markup,
 * escaping of page text, tags, the link back to the page, and failures in plain words. The deck
 * and note types are the learner's settings, read when the request comes.
 */
import { pushToAnki, toAnkiText, type AnkiFetch, type AnkiTextFormat } from '../../lib/anki';
import { dayKey } from '../../lib/load';
import type { ReviewCard } from '../../lib/review';
import type { Settings } from '../../lib/settings';
import type { ServiceDeps } from './deps';
import { readSettingsTx } from './state';

export interface ReviewExportOut {
  fileName: string;
  text: string;
  /** Cards in the file, so the page can say what it saved without parsing the file. */
  cards: number;
}

export type PushAnkiOut = { ok: true; added: number; skipped: number; deck: string } | { ok: false; error: string; added: number };

/**
 * How long one push may take in all. Generous, because the first push waits for the learner
 * to answer Anki's permission dialog; a closed Anki fails at once (connection refused).
 */
export const ANKI_PUSH_TIMEOUT_MS = 90_000;

export interface AnkiPushDeps {
  /** The extension's fetch; tests pass a fake AnkiConnect. */
  fetch?: AnkiFetch;
  /** This extension's origin, named in the steps that fix a CORS refusal. */
  origin?: string;
  timeoutMs?: number;
}

/** Every card, and the settings that say where they go in Anki, read together. */
async function cardsAndSettings(deps: Pick<ServiceDeps, 'db'>): Promise<{ cards: ReviewCard[]; settings: Settings }> {
  const db = await deps.db();
  const tx = db.transaction(['cards', 'kv'], 'readonly');
  const [cards, settings] = await Promise.all([tx.objectStore('cards').getAll() as unknown as Promise<ReviewCard[]>, readSettingsTx(tx)]);
  await tx.done;
  // Oldest first, the order they were met in: stable across exports, so files diff cleanly.
  cards.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { cards, settings };
}

/** "attention-reader-cards-2026-11-28.tsv", dated by the learner's local day. */
export function exportFileName(now: number, tzOffsetMinutes: number, format: AnkiTextFormat): string {
  return `attention-reader-cards-${dayKey(now, tzOffsetMinutes)}.${format}`;
}

export async function handleReviewExport(deps: Pick<ServiceDeps, 'db' | 'clock'>, req: { format: AnkiTextFormat }): Promise<ReviewExportOut> {
  const { cards, settings } = await cardsAndSettings(deps);
  const now = deps.clock.now();
  const text = toAnkiText(cards, req.format, { deck: settings.ankiDeck, noteTypes: settings.ankiNoteTypes });
  return { fileName: exportFileName(now, deps.clock.tzOffsetMinutes(now), req.format), text, cards: cards.length };
}

function defaultFetch(): AnkiFetch {
  return (url, init) => globalThis.fetch(url, init);
}

function defaultOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin;
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined;
}

/**
 * Sends every card to Anki through AnkiConnect (127.0.0.1:8765). Notes Anki already has in
 * the deck are skipped, so pushing again only adds what is new. Never throws for Anki's
 * reasons: they come back as `{ ok: false, error }` in words the learner can act on.
 */
export async function handlePushAnki(deps: Pick<ServiceDeps, 'db'>, options: AnkiPushDeps = {}): Promise<PushAnkiOut> {
  const { cards, settings } = await cardsAndSettings(deps);
  const origin = options.origin ?? defaultOrigin();
  const result = await pushToAnki(cards, {
    deck: settings.ankiDeck,
    noteTypes: settings.ankiNoteTypes,
    fetch: options.fetch ?? defaultFetch(),
    signal: AbortSignal.timeout(options.timeoutMs ?? ANKI_PUSH_TIMEOUT_MS),
    ...(origin ? { origin } : {}),
    ...(settings.ankiApiKey ? { apiKey: settings.ankiApiKey } : {}),
  });
  return result.ok ? { ok: true, added: result.added, skipped: result.skipped, deck: settings.ankiDeck } : { ok: false, error: result.error, added: result.added };
}
