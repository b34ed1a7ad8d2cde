/**
 * `page.paragraphs`, `page.summary`, `highlight.explain`: judging a page's paragraphs and
 * choosing its highlights within today's remaining budget.
 */
import { evidenceFor } from '../../lib/head';
import { EMBED_SPLIT_SLACK_MS, type PageTimingsOut, type RequestOf, type ResponseOf } from '../../lib/protocol';
import { choose, gainPhrase, judgeWithDifficulty, reasonLine, type Judgement } from '../../lib/scoring';
import { difficultyOfPrepared, newWordsOfPrepared, preparedFor, prepareText, type PreparedText } from '../../lib/difficulty';
import { shippedLexicon } from '../../lib/learner';
import { isPassage } from '../../lib/passage';
import { applySettingsPatch, isPaused, maxHighlightShare, studiesLanguage, studyLanguagePatch } from '../../lib/settings';
import { adaptBudget, committedMinutes, recordDensities, recordOffered } from '../../lib/load';
import { resolveLanguage } from '../../lib/language';
import { boundsFromHistory } from '../../lib/online-knapsack';
import { PAUSED_NOTICE, type PageNotice } from '../../lib/page-notice';
import type { PageRecord, ParagraphRecord } from '../db';
import type { ServiceDeps } from './deps';
import { isCancelled } from '../../lib/work-queue';
import { mapInSlices, type SliceScheduler } from '../../lib/slices';
import { addWaits, embeddingInContext, relevanceFor, type EncoderTier, type EncoderWaits } from './relevance';
import { createPageMemory, type PageMemory, type RememberedParagraph } from './page-memory';
import { KEYS, readBudgetTx, readHeadTx, readLearnerTx, readSettingsTx, readTodayTx } from './state';

/**
 * Paragraphs of one page considered together. Past it, a page is judged where the learner
 * reads: this message's paragraphs (the reader sends those nearest the screen first), then the
 * ones shown highlighted, then the most recently sent; the oldest are let go.
 */
export const MAX_PAGE_PARAGRAPHS = 2_000;

/**
 * Which of a page's known paragraphs (stored order: oldest first) stay with `room` places left:
 * those shown first, then the newest; in their stored order.
 */
export function keptKnown(known: readonly string[], shown: ReadonlySet<string>, room: number): string[] {
  if (known.length <= room) return [...known];
  const keep = new Set<string>();
  for (const id of known) if (keep.size < room && shown.has(id)) keep.add(id);
  for (let i = known.length - 1; i >= 0 && keep.size < room; i--) keep.add(known[i]!);
  return known.filter((id) => keep.has(id));
}

/**
 * Judges a page's paragraphs and chooses its highlights. `tabId` (the sender's tab) owns the
 * page's encoder work, so closing the tab drops what is still queued (lib/work-queue.ts), and
 * so does loading another document in it (`documentId`, where the browser gives one: a
 * single-page app changing its address keeps its document and its work).
 */
export async function handlePageParagraphs(
  deps: ServiceDeps,
  req: RequestOf<'page.paragraphs'>,
  tabId?: number,
  documentId?: string,
  memory: PageMemory = createPageMemory(),
): Promise<ResponseOf<'page.paragraphs'>> {
  const started = stageClock();
  const db = await deps.db();
  const now = deps.clock.now();
  const lexicon = await deps.lexicon();

  const read = db.transaction(['kv', 'pages', 'paragraphs', 'daily'], 'readonly');
  const settings = await readSettingsTx(read);
  if (isPaused(settings, req.url)) {
    // Paused by the learner: nothing is judged, stored or shown for this page.
    await read.done;
    return { highlights: [], scorer: deps.encoder.state.tier, notice: PAUSED_NOTICE };
  }
  const learner = await readLearnerTx(read, settings, now);
  const budget = await readBudgetTx(read, settings);
  const { today } = await readTodayTx(read, budget, settings, deps.clock);
  const page = await read.objectStore('pages').get(req.url);
  const incoming = new Map(req.paragraphs.map((p) => [p.id, p]));
  const knownIds = keptKnown(
    (page?.paragraphIds ?? []).filter((id) => !incoming.has(id)),
    new Set(req.shown),
    Math.max(0, MAX_PAGE_PARAGRAPHS - incoming.size),
  );
  const stored = await Promise.all([...knownIds, ...incoming.keys()].map((id) => read.objectStore('paragraphs').get(id)));
  await read.done;
  const readAt = stageClock();

  const storedById = new Map(stored.flatMap((r) => (r ? [[r.id, r] as const] : [])));
  // What is kept of each paragraph from the page's earlier messages (platform/service/page-memory.ts).
  const remembered = new Map<string, RememberedParagraph>();
  // Each passage's language is checked against its text too (a page-wide lang="en" on French text).
  const paragraphs = await mapInSlices(
    [...knownIds.flatMap((id) => (storedById.has(id) ? [{ id, text: storedById.get(id)!.text, lang: storedById.get(id)!.lang }] : [])), ...req.paragraphs].slice(0, MAX_PAGE_PARAGRAPHS),
    (p) => {
      const kept = memory.paragraph(p.id, p.text);
      remembered.set(p.id, kept);
      let lang = kept.langs.get(p.lang);
      if (lang === undefined) kept.langs.set(p.lang, (lang = resolveLanguage(p.lang === 'und' ? undefined : p.lang, p.text, 'und')));
      return { ...p, lang };
    },
    SLICES,
  );
  const fresh = new Set(req.paragraphs.filter((p) => !storedById.has(p.id)).map((p) => p.id));

  // A tab that loaded this document no longer needs the work still queued for its last one.
  if (tabId !== undefined && documentId !== undefined) deps.encoder.supersede(tabId, documentId);
  let scored: Awaited<ReturnType<typeof relevanceFor>>;
  const embedding = timedEmbedding(deps.encoder);
  try {
    scored = await relevanceFor(db, embedding.tier, settings, paragraphs, fresh, tabId, documentId, memory);
  } catch (e) {
    // The tab closed, or moved on to another page, before this page's turn: nothing is judged
    // or recorded for a page nobody reads.
    if (isCancelled(e)) return { highlights: [], scorer: deps.encoder.state.tier, notice: null };
    throw e;
  }
  const { tier, relevance } = scored;
  const scoredAt = stageClock();
  const ctx = { lexicon };
  // Up to MAX_PAGE_PARAGRAPHS judged per message: in slices, so that other messages (another
  // tab's first screen, the popup) are answered meanwhile. Each paragraph's text is prepared
  // once (its words, ranks, sentences, level) and kept for the page's later messages; what the
  // learner knows and how fast they read is weighed again on every message.
  const shipped = shippedLexicon(learner, ctx);
  const preparedOf = new Map<string, PreparedText>();
  const judgements: Judgement[] = await mapInSlices(
    paragraphs,
    (p) => {
      const kept = remembered.get(p.id)!;
      if (!kept.prepared || !preparedFor(kept.prepared, learner, ctx)) kept.prepared = prepareText(p.text, learner.targetLang, shipped);
      preparedOf.set(p.id, kept.prepared);
      return judgeWithDifficulty(p, difficultyOfPrepared(kept.prepared, learner, ctx), learner, relevance.get(p.id) ?? null);
    },
    SLICES,
  );
  // This page's highlights from earlier today are decided again here, not charged twice: they
  // leave what is spoken for and are kept first (no flicker).
  const offeredToday = new Set(today.highlighted);
  const previous = (page?.highlights ?? []).map((h) => h.id).filter((id) => offeredToday.has(id));
  const keep = [...new Set([...req.shown, ...previous])];
  const loadOf = new Map(judgements.map((j) => [j.id, j.loadMinutes]));
  const ownLoad = keep.filter((id) => offeredToday.has(id)).reduce((sum, id) => sum + (loadOf.get(id) ?? 0), 0);
  const choice = choose(await passagesOnly(judgements, paragraphs, remembered), {
    budgetMinutes: today.budgetMinutes,
    committedMinutes: Math.max(0, committedMinutes(today) - ownLoad),
    bounds: boundsFromHistory(today.densities),
    maxShare: maxHighlightShare(settings.density),
    studies: (lang) => studiesLanguage(settings, lang),
    harder: req.harder ?? false,
    keep,
  });
  const { chosen, notice } = choice;

  // A passage the page shows already keeps the tier and the reason it was painted with: the
  // day's bounds move as the page's own first turn adds to them, and a highlight changing its
  // shade while the learner reads it is a flicker too.
  const shownNow = new Set(req.shown);
  const painted = new Map((page?.highlights ?? []).filter((h) => shownNow.has(h.id)).map((h) => [h.id, h]));
  const highlights = chosen.map((j) => ({
    id: j.id,
    tier: painted.get(j.id)?.tier ?? j.tier,
    gainBits: j.gainBits,
    fit: j.fit,
    loadMinutes: j.loadMinutes,
    reason: painted.get(j.id)?.reason ?? reasonLine(j, choice.bar),
  }));
  // The words of each passage the learner probably does not know yet, for the page to underline
  // (only for what is shown: the page gets them, the page record does not keep them).
  const shownHighlights = settings.underlineNewWords
    ? await mapInSlices(highlights, (h) => ({ ...h, newWords: newWordsOfPrepared(preparedOf.get(h.id)!, learner, ctx) }), SLICES)
    : highlights;
  // What this page offered, for the bounds of the day's bar: the new passages only (a page
  // scored again in turns, or revisited, adds nothing twice).
  const offeredDensities = choice.candidates.filter((c) => fresh.has(c.id)).map((c) => c.density);

  const chosenAt = stageClock();
  const write = db.transaction(['kv', 'pages', 'paragraphs', 'daily'], 'readwrite');
  const paragraphStore = write.objectStore('paragraphs');
  const byId = new Map(paragraphs.map((p) => [p.id, p]));
  for (const j of judgements) {
    const p = byId.get(j.id)!;
    const prev = storedById.get(j.id);
    const record: ParagraphRecord = {
      id: j.id,
      text: p.text,
      lang: p.lang,
      firstSeen: prev?.firstSeen ?? now,
      lastSeen: now,
      lastUrl: req.url,
      gainBits: j.gainBits,
      fit: j.fit,
      loadMinutes: j.loadMinutes,
      difficultyFactor: j.difficultyFactor,
      scorer: tier,
    };
    if (!prev || !sameRecord(prev, record)) void paragraphStore.put(record);
  }
  const pageRecord: PageRecord = {
    url: req.url,
    title: req.title,
    lang: req.lang,
    lastVisited: now,
    paragraphIds: paragraphs.map((p) => p.id),
    highlights: highlights.map((h) => ({ ...h, text: byId.get(h.id)!.text })),
    notice,
    leftOut: choice.leftOut.map((l) => ({ id: l.id, reason: l.reason, line: l.line })),
  };
  void write.objectStore('pages').put(pageRecord);
  // Re-read inside the write: another tab may have added to today's record meanwhile.
  const currentBudget = await readBudgetTx(write, settings);
  const rolled = await readTodayTx(write, currentBudget, settings, deps.clock);
  if (rolled.finished) void write.objectStore('kv').put({ key: KEYS.budget, value: adaptBudget(currentBudget, rolled.finished) });
  void write.objectStore('daily').put(recordDensities(recordOffered(rolled.today, highlights), offeredDensities));
  await write.done;
  const doneAt = stageClock();

  const timings: PageTimingsOut = {
    readMs: stageMs(readAt - started),
    embedMs: stageMs(embedding.ms()),
    headMs: stageMs(scoredAt - readAt - embedding.ms()),
    selectMs: stageMs(chosenAt - scoredAt),
    storeMs: stageMs(doneAt - chosenAt),
    totalMs: stageMs(doneAt - started),
    ...embedSplit(stageMs(embedding.ms()), embedding.waits()),
  };
  return { highlights: shownHighlights, scorer: tier, notice, timings };
}

/**
 * How long a paragraph's record may say it was last seen before it is written again only for
 * that. Each message of a page judges all its known paragraphs again; a record that would be
 * written as it is stored (the same judgement, the same page) is left as it is, and its
 * `lastSeen` (which only retention reads, in days: platform/retention.ts) is brought up to
 * date once this old. A huge page's messages then write their new paragraphs' records and
 * those whose judgement moved, not 2,000 records each.
 */
export const LAST_SEEN_REFRESH_MS = 60 * 60 * 1000;

/** Whether `next` says what `stored` says, its last sighting recent enough to stand. */
function sameRecord(stored: ParagraphRecord, next: ParagraphRecord): boolean {
  return (
    stored.text === next.text &&
    stored.lang === next.lang &&
    stored.firstSeen === next.firstSeen &&
    stored.lastUrl === next.lastUrl &&
    stored.gainBits === next.gainBits &&
    stored.fit === next.fit &&
    stored.loadMinutes === next.loadMinutes &&
    stored.difficultyFactor === next.difficultyFactor &&
    stored.scorer === next.scorer &&
    stored.lastSeen <= next.lastSeen &&
    next.lastSeen - stored.lastSeen < LAST_SEEN_REFRESH_MS
  );
}

/** A monotonic clock for stage timings (the worker's performance clock). */
const stageClock = (): number => globalThis.performance.now();
/** Whole-ish milliseconds, never negative (a clock step can make a difference slightly so). */
const stageMs = (ms: number): number => Math.max(0, Math.round(ms * 10) / 10);

/**
 * `tier` with the time spent in its `embedAll` calls added up: the cache look-ups, the wait for
 * the encoder queue's turn and the encoder itself, for this message's stage timings. The rest
 * of the tier (its state, which the encoder's answers update) is the shared one.
 */
function timedEmbedding(tier: EncoderTier): { tier: EncoderTier; ms(): number; waits(): EncoderWaits | undefined } {
  let ms = 0;
  let waits: EncoderWaits | undefined;
  const timed = Object.create(tier) as EncoderTier;
  timed.embedAll = async (...args) => {
    const start = stageClock();
    try {
      const result = await tier.embedAll(...args);
      waits = addWaits(waits, result.waits);
      return result;
    } finally {
      ms += stageClock() - start;
    }
  };
  return { tier: timed, ms: () => ms, waits: () => waits };
}

/**
 * The embed stage's parts (queue, model, inference) for the reply, when the encoder was asked.
 * They lie within the stage by construction; should rounding or a clock step ever make them
 * exceed it, they are left out rather than sent as a reply the page would refuse.
 */
export function embedSplit(embedMs: number, waits: EncoderWaits | undefined): Pick<PageTimingsOut, 'embedQueueMs' | 'embedLoadMs' | 'embedComputeMs'> {
  if (!waits) return {};
  const split = { embedQueueMs: stageMs(waits.queueMs), embedLoadMs: stageMs(waits.loadMs), embedComputeMs: stageMs(waits.computeMs) };
  const parts = split.embedQueueMs + split.embedLoadMs + split.embedComputeMs;
  return Number.isFinite(parts) && parts <= embedMs + EMBED_SPLIT_SLACK_MS ? split : {};
}

/**
 * Only passages are highlight candidates: labels, captions, credits, teasers and fillers are
 * judged and stored like any block (reading time still counts on them) but never chosen
 * (lib/passage.ts).
 */
async function passagesOnly(
  judgements: readonly Judgement[],
  paragraphs: ReadonlyArray<{ id: string; text: string; lang: string }>,
  remembered: ReadonlyMap<string, RememberedParagraph>,
): Promise<Judgement[]> {
  const isOne = await mapInSlices(
    paragraphs,
    (p) => {
      const kept = remembered.get(p.id)!;
      if (kept.passage?.lang !== p.lang) kept.passage = { lang: p.lang, value: isPassage(p.text, p.lang) };
      return kept.passage.value;
    },
    SLICES,
  );
  const passages = new Set(paragraphs.filter((_, i) => isOne[i]).map((p) => p.id));
  return judgements.filter((j) => passages.has(j.id));
}

/**
 * The background's slices: about 10 ms of work, then the event loop's turn (`scheduler.yield`
 * where the worker has it, else a timer).
 */
const SLICES: SliceScheduler = {
  now: () => globalThis.performance.now(),
  yield: () => {
    const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
    return typeof scheduler?.yield === 'function' ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
  },
  sliceMs: 10,
};

/** A stored notice: records from before notices were structured hold a plain budget line. */
export function storedNotice(notice: PageRecord['notice']): PageNotice | null {
  if (notice === undefined || notice === null) return null;
  return typeof notice === 'string' ? { code: 'budget', text: notice, action: null } : notice;
}

export async function handlePageSummary(deps: ServiceDeps, req: RequestOf<'page.summary'>): Promise<ResponseOf<'page.summary'>> {
  const db = await deps.db();
  const tx = db.transaction(['pages', 'paragraphs'], 'readonly');
  const page = await tx.objectStore('pages').get(req.url);
  if (!page) {
    await tx.done;
    return { known: false, paragraphs: 0, highlights: [], notice: null, leftOut: [] };
  }
  const texts = await Promise.all((page.leftOut ?? []).map((l) => tx.objectStore('paragraphs').get(l.id)));
  await tx.done;
  const leftOut = (page.leftOut ?? []).map((l, i) => ({ ...l, text: texts[i]?.text ?? '' }));
  return { known: true, paragraphs: page.paragraphIds.length, highlights: page.highlights ?? [], notice: storedNotice(page.notice), leftOut };
}

/** `language.study`: the learner studies this language too (the page line's offer). */
export async function handleStudyLanguage(deps: ServiceDeps, req: RequestOf<'language.study'>): Promise<ResponseOf<'language.study'>> {
  const db = await deps.db();
  const tx = db.transaction('kv', 'readwrite');
  const current = await readSettingsTx(tx);
  const next = applySettingsPatch(current, studyLanguagePatch(current, req.lang));
  if (next !== current) await tx.objectStore('kv').put({ key: KEYS.settings, value: next });
  await tx.done;
  return { studiedLanguages: next.studiedLanguages };
}

export async function handleExplain(deps: ServiceDeps, req: RequestOf<'highlight.explain'>): Promise<ResponseOf<'highlight.explain'>> {
  const db = await deps.db();
  const tx = db.transaction(['paragraphs', 'kv', 'replay', 'embeddings', 'events', 'pages'], 'readonly');
  const paragraph = await tx.objectStore('paragraphs').get(req.paragraphId);
  if (!paragraph) return { lines: ['This passage has not been judged yet.'] };
  const head = await readHeadTx(tx);
  const embedding = head ? await embeddingInContext(tx, head.encoderId, req.paragraphId) : undefined;
  // Reading time is recorded per paragraph too; only what the learner said counts as feedback.
  const feedback = (await tx.objectStore('events').index('by-paragraph').getAll(req.paragraphId)).filter((e) => e.kind === 'feedback' || e.kind === 'save');
  const lines: string[] = [];
  // Exactly 0 bits is what a passage gets while the learner has stated no interest and given
  // no feedback: it was chosen for its level alone.
  lines.push(
    paragraph.gainBits === 0
      ? 'Chosen for its level: tell the extension your interests to rank passages by relevance.'
      : `Information gain: ${gainPhrase(paragraph.gainBits)}.`,
  );

  if (head && embedding) {
    const evidence = evidenceFor(head, embedding, 2);
    const interest = evidence.interests[0];
    if (interest) lines.push(`Closest of your interests: “${interest.text}” (similarity ${interest.similarity.toFixed(2)}).`);
    if (evidence.relevantExamples.length) {
      const names = await Promise.all(evidence.relevantExamples.map((n) => tx.objectStore('paragraphs').get(n.id)));
      const first = names.find((p) => p && p.id !== paragraph.id);
      if (first) lines.push(`Like a passage you found relevant: “${first.text.slice(0, 80)}${first.text.length > 80 ? '…' : ''}”`);
    }
    lines.push(`Your feedback so far decides ${Math.round((1 - evidence.interestShare) * 100)}% of this score; your stated interests the rest.`);
  }
  lines.push(`Fit to your level: ${paragraph.fit.toFixed(2)} (1 = in your readable zone), about ${paragraph.loadMinutes.toFixed(1)} min of reading.`);
  // Why it was chosen on the page it was last seen on, against that day's bar.
  const chosenOn = (await tx.objectStore('pages').get(paragraph.lastUrl))?.highlights?.find((h) => h.id === paragraph.id);
  if (chosenOn) lines.push(`Why it was chosen: ${chosenOn.reason}.`);
  if (feedback.length) lines.push(`You gave feedback on this passage ${feedback.length} time${feedback.length === 1 ? '' : 's'}.`);
  lines.push(paragraph.scorer === 'encoder' ? 'Scored by the on-device language model.' : 'Scored by word matching (the language model was unavailable).');
  await tx.done;
  return { lines };
}
