/**
 * Learner events: saves, explicit feedback, reading time. Each is applied in one IndexedDB
 * transaction together with the record of its event id, so an event is either fully applied
 * and remembered, or not at all; a retried event (same id) finds its record and changes
 * nothing. The reply is sent only after the transaction committed: an acknowledged event is
 * on disk.
 */
import type { IDBPTransaction } from 'idb';
import { FEEDBACK_LABELS, exampleFromFeedback, update as updateHead, type HeadState, type RelevanceFeedback } from '../../lib/head';
import { applySnippetSaved, markWord } from '../../lib/learner';
import type { RequestOf, ResponseOf } from '../../lib/protocol';
import { applyDifficultyFeedback, applyDwell } from '../../lib/reading';
import { cardsFromSnippet } from '../../lib/review';
import { createSnippet, mergeSnippets, passageAround, type Snippet } from '../../lib/snippet';
import { updateTfidf } from '../../lib/tfidf';
import type { CardRecord, EventRecord, ReaderDB, SnippetRecord, StoreName } from '../db';
import type { ServiceDeps } from './deps';
import { embeddingInContext } from './relevance';
import { KEYS, atomically, readBudgetTx, readHeadTx, readLearnerTx, readSettingsTx, readTfidfTx, readTodayTx, writeHeadTx } from './state';

type WriteTx = IDBPTransaction<ReaderDB, StoreName[], 'readwrite'>;

const EVENT_STORES: StoreName[] = ['events', 'kv', 'replay', 'daily', 'paragraphs', 'embeddings', 'snippets', 'cards', 'pages'];

async function alreadyApplied(tx: WriteTx, eventId: string): Promise<EventRecord | undefined> {
  return tx.objectStore('events').get(eventId);
}

/**
 * Feeds one relevance signal to both models: the head (when the paragraph has an embedding
 * from the head's encoder) and the lexical fallback model (always, from the text), so that the
 * fallback is just as informed if it is ever needed.
 */
async function learnRelevance(tx: WriteTx, paragraphId: string, text: string, kind: RelevanceFeedback): Promise<void> {
  const settings = await readSettingsTx(tx);
  const head: HeadState | undefined = await readHeadTx(tx);
  if (head) {
    // The label teaches the vector the paragraph was scored by: in the context of its page.
    const embedding = await embeddingInContext(tx, head.encoderId, paragraphId);
    const example = embedding ? exampleFromFeedback(kind, paragraphId, embedding) : null;
    // One label: the head's core, plus one replay record added (and one deleted when full).
    if (example) await writeHeadTx(tx, updateHead(head, example), head);
  }
  // The same label and weight as the head's (one table, lib/head.ts FEEDBACK_LABELS).
  const labelled = FEEDBACK_LABELS[kind];
  if (labelled) {
    const model = await readTfidfTx(tx, settings);
    await tx.objectStore('kv').put({ key: KEYS.tfidf, value: updateTfidf(model, text, labelled.label, labelled.weight) });
  }
}

/**
 * Implicit relevance labels (long dwell, a highlight scrolled past) taken from one page per
 * day at most. A page left open, re-read or scrolled up and down cannot flood the head with
 * its own behaviour: with the weights of lib/head.ts FEEDBACK_LABELS, one page's labels
 * weigh under one explicit judgement (3 x 0.3 at most).
 */
export const IMPLICIT_LABELS_PER_PAGE = 3;
/** Implicit labels already taken today from the page at `url` (its dwell events that taught relevance). */
async function implicitLabelsToday(tx: WriteTx, day: string, url: string): Promise<number> {
  const events = await tx.objectStore('events').index('by-day').getAll(day);
  return events.filter((e) => e.kind === 'dwell' && e.data.signal && e.data.url === url).length;
}

async function today(tx: WriteTx, deps: ServiceDeps) {
  const settings = await readSettingsTx(tx);
  const budget = await readBudgetTx(tx, settings);
  return (await readTodayTx(tx, budget, settings, deps.clock)).today;
}

export async function handleSnippetSave(deps: ServiceDeps, req: RequestOf<'snippet.save'>): Promise<ResponseOf<'snippet.save'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const lexicon = await deps.lexicon();
  // Built before the transaction: it may throw a learner-readable SnippetError, which then
  // reaches the page as the reply's error and nothing is written.
  const lang = req.lang === 'und' ? 'en' : req.lang;
  // The snippet's limit applies to the selection: a long paragraph keeps the part around it.
  const kept = req.context ? passageAround(req.context, req.text, lang) : { passage: req.text, selection: undefined };
  const snippet: Snippet = createSnippet({
    passage: kept.passage,
    selection: kept.selection,
    marks: req.markedWords,
    url: req.url,
    title: req.title,
    lang,
    createdAt: now,
    paragraphId: req.paragraphId ?? undefined,
  });
  const tx = db.transaction(EVENT_STORES, 'readwrite');
  return atomically(tx, async () => {
    const seen = await alreadyApplied(tx, req.eventId);
    if (seen) {
      await tx.done;
      return { snippetId: String(seen.data.snippetId), cardsCreated: 0, duplicate: true };
    }
    const existing = (await tx.objectStore('snippets').get(snippet.id)) as (SnippetRecord & Snippet) | undefined;
    const merged = existing ? mergeSnippets(existing, snippet) : snippet;
    await tx.objectStore('snippets').put(merged as unknown as SnippetRecord);
    let created = 0;
    // A save from a word card carries the meaning chosen there, for its word's card.
    const sense = req.sense && req.markedWords[0] ? { ...req.sense, word: req.markedWords[0] } : undefined;
    for (const card of cardsFromSnippet(merged, now, sense ? { sense } : {})) {
      // Cards made by an earlier save keep their schedules.
      if (await tx.objectStore('cards').get(card.id)) continue;
      await tx.objectStore('cards').put(card as unknown as CardRecord);
      created++;
    }
    const settings = await readSettingsTx(tx);
    let learner = await readLearnerTx(tx, settings, now);
    learner = applySnippetSaved(learner, merged.context, now, { lexicon });
    for (const word of req.markedWords) learner = markWord(learner, word, 'learning', now, { lexicon });
    await tx.objectStore('kv').put({ key: KEYS.learner, value: learner });
    if (req.paragraphId) await learnRelevance(tx, req.paragraphId, req.context || req.text, 'save');
    const day = (await today(tx, deps)).day;
    await tx.objectStore('events').add({ eventId: req.eventId, kind: 'save', at: now, day, paragraphId: req.paragraphId, data: { snippetId: merged.id, url: req.url } });
    await tx.done;
    return { snippetId: merged.id, cardsCreated: created, duplicate: false };
  });
}

export async function handleFeedback(deps: ServiceDeps, req: RequestOf<'feedback.give'>): Promise<ResponseOf<'feedback.give'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const tx = db.transaction(EVENT_STORES, 'readwrite');
  return atomically(tx, async () => {
    if (await alreadyApplied(tx, req.eventId)) {
      await tx.done;
      return { duplicate: true };
    }
    const paragraph = await tx.objectStore('paragraphs').get(req.paragraphId);
    if (!paragraph) {
      tx.abort();
      throw new Error('This passage is not known to the extension (reload the page and try again).');
    }
    const day = await today(tx, deps);
    if (req.kind === 'too-hard' || req.kind === 'too-easy') {
      const settings = await readSettingsTx(tx);
      const next = applyDifficultyFeedback({ today: day, learner: await readLearnerTx(tx, settings, now) }, req.kind, now);
      await tx.objectStore('daily').put(next.today);
      await tx.objectStore('kv').put({ key: KEYS.learner, value: next.learner });
    } else {
      await learnRelevance(tx, req.paragraphId, paragraph.text, req.kind);
    }
    await tx.objectStore('events').add({ eventId: req.eventId, kind: 'feedback', at: now, day: day.day, paragraphId: req.paragraphId, data: { kind: req.kind, url: req.url } });
    await tx.done;
    return { duplicate: false };
  });
}

export async function handleDwell(deps: ServiceDeps, req: RequestOf<'reading.dwell'>): Promise<ResponseOf<'reading.dwell'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const lexicon = await deps.lexicon();
  const tx = db.transaction(EVENT_STORES, 'readwrite');
  return atomically(tx, async () => {
    const settings = await readSettingsTx(tx);
    let state = { today: await today(tx, deps), learner: await readLearnerTx(tx, settings, now) };
    // Counted only once a sample carries a signal: most batches carry none.
    let implicit: number | undefined;
    let accepted = 0;
    for (const e of req.events) {
      if (await alreadyApplied(tx, e.eventId)) continue;
      const paragraph = await tx.objectStore('paragraphs').get(e.paragraphId);
      if (!paragraph) continue;
      const outcome = applyDwell(state, { ...paragraph, highlighted: e.highlighted, passedMs: e.passedMs }, e.visibleMs, now, { lexicon });
      state = { today: outcome.today, learner: outcome.learner };
      // Past the page's limit for today the dwell still counts as reading, but teaches relevance nothing.
      if (outcome.signal && implicit === undefined) implicit = await implicitLabelsToday(tx, state.today.day, req.url);
      const signal = outcome.signal && implicit !== undefined && implicit < IMPLICIT_LABELS_PER_PAGE ? outcome.signal : null;
      if (signal) {
        await learnRelevance(tx, paragraph.id, paragraph.text, signal);
        implicit = implicit! + 1;
      }
      await tx.objectStore('events').add({ eventId: e.eventId, kind: 'dwell', at: now, day: state.today.day, paragraphId: e.paragraphId, data: { visibleMs: e.visibleMs, read: outcome.read, signal, url: req.url } });
      accepted++;
    }
    if (accepted > 0) {
      await tx.objectStore('daily').put(state.today);
      await tx.objectStore('kv').put({ key: KEYS.learner, value: state.learner });
    }
    await tx.done;
    return { accepted };
  });
}

/** The learner marks a word: known, ignored (a name, not a word to learn), or learning. */
export async function handleWordMark(deps: ServiceDeps, req: RequestOf<'word.mark'>): Promise<ResponseOf<'word.mark'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const lexicon = await deps.lexicon();
  const tx = db.transaction(EVENT_STORES, 'readwrite');
  return atomically(tx, async () => {
    if (await alreadyApplied(tx, req.eventId)) {
      await tx.done;
      return { duplicate: true };
    }
    const settings = await readSettingsTx(tx);
    const learner = markWord(await readLearnerTx(tx, settings, now), req.word, req.state, now, { lexicon });
    await tx.objectStore('kv').put({ key: KEYS.learner, value: learner });
    const day = (await today(tx, deps)).day;
    await tx.objectStore('events').add({ eventId: req.eventId, kind: 'word', at: now, day, paragraphId: null, data: { word: req.word, state: req.state } });
    await tx.done;
    return { duplicate: false };
  });
}
