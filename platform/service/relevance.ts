/**
 * Relevance for a set of paragraphs, from the best tier available:
 * - encoder tier: embeddings from the offscreen encoder (cached in IndexedDB by encoder and
 *   content hash, so a paragraph seen before costs no encoder call), judged by the learner's
 *   relevance head;
 * - lexical tier: the TF-IDF model over the learner's interest words, when the encoder cannot
 *   run (failed to load, crashed, timed out). It answers at once, so the page never waits on
 *   a broken model.
 */
import { baseRate, createHead, explicitLabels, nearestInterest, needsRetrain, observe as observeHead, predict, reset as resetHead, retrainFromReplay, retrainInputs, withoutLabels, type HeadState } from '../../lib/head';
import type { Relevance } from '../../lib/scoring';
import { prototypeTexts } from '../../lib/interests';
import { createTfidf, observe as observeTfidf, scoreText, tfidfBaseRate, tfidfWithoutLabels, type TfidfState } from '../../lib/tfidf';
import { BUNDLED_ENCODER_ID, type Settings } from '../../lib/settings';
import { isFatalEncoderError } from '../../lib/encoder';
import { createWorkQueue, isCancelled, type Owner, type WorkQueue } from '../../lib/work-queue';
import { inPageContext, pageCentre, PAGE_CONTEXT_WEIGHT } from '../../lib/page-context';
import type { ReaderDatabase, ReaderDB } from '../db';
import type { IDBPTransaction } from 'idb';
import type { RemoteEncoder } from '../offscreen-client';
import type { ServiceDeps } from './deps';
import { KEYS, readHeadTx, readSettingsTx, readTfidfTx, writeHeadTx } from './state';

/** How long a page waits for the encoder (a cold start loads the model) before the lexical tier answers. */
export const ENCODER_TIMEOUT_MS = 20_000;
/**
 * Relevance ranks passages once the learner has said something about it: stated interests, or
 * one explicit judgement (save, relevant, not relevant). Implicit signals (a highlight scrolled
 * past, a long dwell), however many, never switch a learner with no stated interests from
 * level-only choices to relevance, where negatives alone would leave nothing above the base
 * rate; and until one explicit judgement exists they do not move the scores either
 * (lib/head.ts `withoutLabels`): they are kept and count once the learner has spoken.
 */
const EXPLICIT_EVIDENCE = 1;
/** Similarity to an interest worth naming in an explanation. */
const NAMEABLE_SIMILARITY = 0.2;
/**
 * Texts per encoder job. Small enough that a page the learner turns to waits for at most one
 * batch of another page's work, and that a closed tab's remaining work is dropped in steps;
 * large enough that batching inside the encoder still pays (its calls pad to the longest text).
 */
export const EMBED_BATCH = 64;

/**
 * Where the encoder time of one `embedAll` went, in ms: its jobs' wait for their turn in the
 * encoder queue behind other work (time in which none of them ran), and, from the encoder's
 * replies, the wait for the model to be ready and the inference. Absent when the cache held
 * every vector.
 */
export interface EncoderWaits {
  queueMs: number;
  loadMs: number;
  computeMs: number;
}

/** The two added, either possibly absent. */
export function addWaits(a: EncoderWaits | undefined, b: EncoderWaits | undefined): EncoderWaits | undefined {
  if (!a || !b) return a ?? b;
  return { queueMs: a.queueMs + b.queueMs, loadMs: a.loadMs + b.loadMs, computeMs: a.computeMs + b.computeMs };
}

export interface EncoderTier {
  /** Starts the encoder's context (offscreen document) without embedding anything. */
  open(): Promise<void>;
  /** Last outcome, for the popup and the logs. */
  state: { tier: 'encoder' | 'lexical'; note: string; encoderId: string };
  /**
   * Embeddings of `texts`, from the cache or the encoder. Encoder work goes through one queue
   * shared by all pages (lib/work-queue.ts), as jobs of `owner` (the tab asking): it rejects
   * with a CancelledError when that tab closes before its turn.
   */
  embedAll(
    db: ReaderDatabase,
    texts: ReadonlyArray<{ id: string; text: string }>,
    owner?: Owner,
    documentId?: string,
  ): Promise<{ encoderId: string; vectors: Map<string, Float32Array>; waits?: EncoderWaits }>;
  /**
   * The encoder the learner chose, told before asking: until the encoder has answered once
   * (a worker just started), cached embeddings are looked up under it, not the bundled one.
   */
  expect(encoderId: string): void;
  /** Drops the waiting encoder work of tab `owner` for any document but `documentId` (the tab loaded another page); how many batches. */
  supersede(owner: number, documentId: string): number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout: () => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what} took longer than ${ms / 1000} s`));
    }, ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

export function createEncoderTier(remote: RemoteEncoder | null, timeoutMs = ENCODER_TIMEOUT_MS, queue: WorkQueue = createWorkQueue()): EncoderTier {
  // An encoder call that outlived the timeout and has not settled (a hung model load): later
  // calls would queue behind it, so pages do not wait for it again until it settles.
  let hanging: Promise<unknown> | null = null;
  /** Whether the encoder has answered since this worker started (then its answer names the model). */
  let answered = false;

  /** One encoder call, timed from when its turn in the queue comes, not from when it was queued. */
  function embedGuarded(texts: string[]) {
    if (!remote) throw new Error(tier.state.note);
    if (hanging) throw new Error(`The language model has not answered for more than ${timeoutMs / 1000} s`);
    const call = remote.embed(texts);
    return withTimeout(call, timeoutMs, 'The language model', () => {
      hanging = call;
      const settled = () => {
        if (hanging === call) hanging = null;
      };
      call.then(settled, settled);
    });
  }

  const tier: EncoderTier = {
    open: async () => {
      await remote?.ensure();
    },
    state: remote
      ? { tier: 'encoder', note: 'on-device language model (starting)', encoderId: BUNDLED_ENCODER_ID }
      : { tier: 'lexical', note: 'word matching: no encoder in this browser', encoderId: BUNDLED_ENCODER_ID },
    expect(encoderId) {
      if (!answered && remote) tier.state = { ...tier.state, encoderId };
    },
    supersede: (owner, documentId) => queue.cancel(owner, 'the tab moved on to another page', documentId),
    async embedAll(db, items, owner, documentId) {
      if (!remote) throw new Error(tier.state.note);
      const encoderId = tier.state.encoderId;
      const keys = items.map((it) => `${encoderId}:${it.id}`);
      const tx = db.transaction('embeddings', 'readonly');
      const cached = await Promise.all(keys.map((k) => tx.store.get(k)));
      const vectors = new Map<string, Float32Array>();
      const missing: Array<{ id: string; text: string }> = [];
      let waits: EncoderWaits | undefined;
      items.forEach((it, i) => {
        const hit = cached[i];
        if (hit) vectors.set(it.id, hit.vector);
        else missing.push(it);
      });
      if (missing.length > 0) {
        try {
          const batches: Array<Array<{ id: string; text: string }>> = [];
          for (let i = 0; i < missing.length; i += EMBED_BATCH) batches.push(missing.slice(i, i + EMBED_BATCH));
          // The queue runs one job at a time, so this call's jobs never overlap: whatever of the
          // span from submitting to the last reply they did not run is time spent waiting behind
          // other work.
          const submitted = performance.now();
          let ran = 0;
          let lastEnd = submitted;
          const replies = await Promise.all(
            batches.map((batch) =>
              queue.submit(
                owner,
                async () => {
                  const start = performance.now();
                  try {
                    return await embedGuarded(batch.map((m) => m.text));
                  } finally {
                    const end = performance.now();
                    ran += end - start;
                    lastEnd = Math.max(lastEnd, end);
                  }
                },
                documentId,
              ),
            ),
          );
          waits = {
            queueMs: Math.max(0, lastEnd - submitted - ran),
            loadMs: replies.reduce((sum, r) => sum + (r.timings?.loadMs ?? 0), 0),
            computeMs: replies.reduce((sum, r) => sum + (r.timings?.computeMs ?? 0), 0),
          };
          // Each vector is cached under the encoder that made it, which is not always the one
          // asked for (the worker restarted, the choice changed, a chosen model fell back).
          const write = db.transaction('embeddings', 'readwrite');
          const at = Date.now();
          batches.forEach((batch, b) =>
            batch.forEach((m, i) => {
              const reply = replies[b]!;
              const vector = Float32Array.from(reply.vectors[i] ?? []);
              if (reply.encoderId === encoderId) vectors.set(m.id, vector);
              void write.store.put({ key: `${reply.encoderId}:${m.id}`, vector, at });
            }),
          );
          await write.done;
          answered = true;
          const changed = replies.find((r) => r.encoderId !== encoderId);
          if (changed) {
            // The model changed: vectors of the old one must not mix with new ones. Asking
            // again finds what was just stored, and embeds only what the new model lacks.
            tier.state = { tier: 'encoder', note: `on-device language model (${changed.backend})`, encoderId: changed.encoderId };
            const again = await tier.embedAll(db, items, owner, documentId);
            return { ...again, waits: addWaits(waits, again.waits) };
          }
          tier.state = { tier: 'encoder', note: `on-device language model (${replies[0]!.backend})`, encoderId };
        } catch (e) {
          // A closed tab's work is dropped; the encoder itself is fine.
          if (isCancelled(e)) throw e;
          const reason = e instanceof Error ? e.message : String(e);
          if (isFatalEncoderError(reason) && remote.restart) {
            // Out of memory or aborted: this runtime will fail every call from now on. Its
            // context is replaced (in the background, not holding this page), and the next
            // page is scored by a fresh one.
            tier.state = { tier: 'lexical', note: `word matching fallback: the language model failed (${reason}); restarting it`, encoderId };
            void remote.restart().catch((err: unknown) => console.error('[attention-reader] could not restart the encoder', err));
            throw e;
          }
          tier.state = { tier: 'lexical', note: `word matching fallback: ${reason}`, encoderId };
          throw e;
        }
      }
      return { encoderId, vectors, ...(waits ? { waits } : {}) };
    },
  };
  return tier;
}

export interface RelevanceResult {
  tier: 'encoder' | 'lexical';
  /** Null per paragraph when the learner has told us nothing about their interests yet. */
  relevance: Map<string, Relevance | null>;
  embeddings: Map<string, Float32Array>;
}

function sameInterests(head: HeadState, interests: readonly string[]): boolean {
  return head.interests.length === interests.length && head.interests.every((i, k) => i.text === interests[k]);
}

/**
 * Makes sure a head exists for `encoderId` and the current interests: built from the interests
 * at cold start, retrained from the replay buffer when the encoder changed, rebuilt with the
 * learned evidence kept when the interests changed.
 */
async function ensureHead(db: ReaderDatabase, tier: EncoderTier, settings: Settings, encoderId: string, dims: number, owner: Owner, documentId: string | undefined): Promise<HeadState> {
  const read = db.transaction(['kv', 'replay'], 'readonly');
  const head = await readHeadTx(read);
  if (head && !needsRetrain(head, encoderId) && sameInterests(head, settings.interests)) return head;

  // Interests, and the broad topics they are contrasted with at cold start (lib/interests.ts).
  const { interests, contrasts } = prototypeTexts({ phrases: settings.interests, lang: settings.targetLang });
  const replayIds = head ? retrainInputs(head).exampleIds : [];
  const paragraphTx = db.transaction('paragraphs', 'readonly');
  const replayTexts = (await Promise.all(replayIds.map((id) => paragraphTx.store.get(id)))).flatMap((p) => (p ? [{ id: p.id, text: p.text }] : []));
  const { vectors } = await tier.embedAll(db, [...interests, ...contrasts, ...replayTexts], owner, documentId);
  const embedded = (items: ReadonlyArray<{ id: string; text: string }>) =>
    items.flatMap((i) => (vectors.has(i.id) ? [{ id: i.id, text: i.text, embedding: vectors.get(i.id)! }] : []));
  let next = createHead(encoderId, dims, embedded(interests), { contrasts: embedded(contrasts) });
  // What the learner taught the old head is replayed into the new one (new encoder or new interests).
  if (head) next = retrainFromReplay({ ...head, interests: next.interests, contrasts: next.contrasts }, encoderId, dims, vectors);

  // A new head throughout (new encoder space, renumbered examples): its replay replaces the old.
  const write = db.transaction(['kv', 'replay'], 'readwrite');
  await writeHeadTx(write, next);
  await write.done;
  return next;
}

/** Paragraphs of a page around the one judged that give its context when it is labelled or explained. */
export const CONTEXT_WINDOW = 200;

/**
 * A judged paragraph's embedding in the context of its page: its cached embedding mixed with
 * the centre of its page's (the last page it was seen on) cached embeddings, at most
 * CONTEXT_WINDOW of them around it. What the head learns from a label and what "Why?" explains
 * should be the vector the score came from: on a page of up to CONTEXT_WINDOW paragraphs it is
 * exactly that; on a longer one (scored against the centre of all its known paragraphs) it is
 * the centre of the part around the paragraph instead (not measured against the whole page's;
 * it keeps a label to 200 reads rather than 2,000).
 * Undefined when the paragraph has no embedding from `encoderId`.
 */
export async function embeddingInContext(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  tx: IDBPTransaction<ReaderDB, any, IDBTransactionMode>,
  encoderId: string,
  paragraphId: string,
): Promise<Float32Array | undefined> {
  const own = (await tx.objectStore('embeddings').get(`${encoderId}:${paragraphId}`))?.vector as Float32Array | undefined;
  if (!own) return undefined;
  const paragraph = await tx.objectStore('paragraphs').get(paragraphId);
  const ids: string[] = (paragraph ? (await tx.objectStore('pages').get(paragraph.lastUrl))?.paragraphIds : undefined) ?? [];
  const at = Math.max(0, ids.indexOf(paragraphId));
  const from = Math.max(0, Math.min(at - CONTEXT_WINDOW / 2, ids.length - CONTEXT_WINDOW));
  const around = await Promise.all(ids.slice(from, from + CONTEXT_WINDOW).map((id) => tx.objectStore('embeddings').get(`${encoderId}:${id}`)));
  const vectors = around.flatMap((r) => (r && r.vector.length === own.length ? [r.vector as Float32Array] : []));
  return inPageContext([own], PAGE_CONTEXT_WEIGHT, pageCentre(vectors.length > 0 ? vectors : [own]))[0];
}

/** Embeddings kept in memory between a page's messages (platform/service/page-memory.ts). */
export interface EmbeddingMemory {
  embedding(encoderId: string, id: string): Float32Array | undefined;
  keepEmbedding(encoderId: string, id: string, vector: Float32Array): void;
}

/**
 * `tier.embedAll` of `paragraphs`, asking it only for those `memory` lacks from the encoder
 * in use: a page's earlier paragraphs are not looked up in the database again on each of its
 * messages. The vectors are the same ones (the database's, or the encoder's for new texts).
 * Should the encoder change during the call, every vector is asked again of the new one, as a
 * call for all of them would have done.
 */
async function embedRemembered(
  db: ReaderDatabase,
  tier: EncoderTier,
  paragraphs: ReadonlyArray<{ id: string; text: string }>,
  owner: Owner | undefined,
  documentId: string | undefined,
  memory: EmbeddingMemory | undefined,
): Promise<{ encoderId: string; vectors: Map<string, Float32Array> }> {
  if (!memory) return tier.embedAll(db, paragraphs, owner, documentId);
  const asked = tier.state.encoderId;
  const missing = paragraphs.filter((p) => !memory.embedding(asked, p.id));
  let answer = await tier.embedAll(db, missing, owner, documentId);
  if (answer.encoderId !== asked) answer = await tier.embedAll(db, paragraphs, owner, documentId);
  const { encoderId } = answer;
  const vectors = new Map<string, Float32Array>();
  for (const p of paragraphs) {
    const vector = answer.vectors.get(p.id) ?? memory.embedding(encoderId, p.id);
    if (!vector) continue;
    vectors.set(p.id, vector);
    memory.keepEmbedding(encoderId, p.id, vector);
  }
  return { encoderId, vectors };
}

/** Relevance of `paragraphs` from the encoder tier, falling back to the lexical tier. */
export async function relevanceFor(
  db: ReaderDatabase,
  tier: EncoderTier,
  settings: Settings,
  paragraphs: ReadonlyArray<{ id: string; text: string }>,
  fresh: ReadonlySet<string>,
  owner?: Owner,
  documentId?: string,
  memory?: EmbeddingMemory,
): Promise<RelevanceResult> {
  try {
    tier.expect(settings.encoderId);
    const { encoderId, vectors } = await embedRemembered(db, tier, paragraphs, owner, documentId, memory);
    const dims = vectors.values().next().value?.length ?? 0;
    if (dims === 0) throw new Error('no embeddings');
    let head = await ensureHead(db, tier, settings, encoderId, dims, owner, documentId);
    // Each paragraph is judged in the context of its page (lib/page-context.ts): `paragraphs`
    // are the page's paragraphs known so far, this message's and the earlier ones'. The centre
    // moves as the page grows, and the head observes each message's new paragraphs, so the
    // earlier paragraphs' relevance is worked out again on every message: from their kept
    // embeddings (`memory`), a few dot products each.
    const own = paragraphs.map((p) => vectors.get(p.id)!);
    const inContext = new Map(inPageContext(own, PAGE_CONTEXT_WEIGHT).map((v, i) => [paragraphs[i]!.id, v]));
    // Paragraphs seen for the first time move the centre of the embedding features, which
    // only counts once feedback has taught weights: without feedback a page scores the same
    // whatever was read before it (lib/head.ts, `referenceStats`).
    const freshVectors = paragraphs.filter((p) => fresh.has(p.id)).map((p) => inContext.get(p.id)!);
    if (freshVectors.length > 0) {
      const tx = db.transaction(['kv', 'replay'], 'readwrite');
      const stored = await readHeadTx(tx);
      head = observeHead(stored ?? head, freshVectors);
      // Observing changes no replay example: only the head's core is written (all of it only
      // if the stored head vanished meanwhile, e.g. the learner deleted their data).
      await writeHeadTx(tx, head, stored);
      await tx.done;
    }
    const explicit = explicitLabels(head);
    const informed = settings.interests.length > 0 || explicit >= EXPLICIT_EVIDENCE;
    const scorer = explicit >= EXPLICIT_EVIDENCE ? head : withoutLabels(head);
    const base = baseRate(scorer);
    const relevance = new Map<string, Relevance | null>();
    for (const p of paragraphs) {
      const e = inContext.get(p.id)!;
      if (!informed) {
        relevance.set(p.id, null);
        continue;
      }
      const top = nearestInterest(head, e);
      relevance.set(p.id, { pRelevant: predict(scorer, e), baseRate: base, nearest: top && top.similarity >= NAMEABLE_SIMILARITY ? top.text : undefined });
    }
    return { tier: 'encoder', relevance, embeddings: vectors };
  } catch (e) {
    // The tab closed while its work waited: nobody is left to show an answer to.
    if (isCancelled(e)) throw e;
    console.warn('[attention-reader] encoder tier unavailable, using word matching', e);
    return lexicalRelevance(db, settings, paragraphs, fresh);
  }
}

async function lexicalRelevance(
  db: ReaderDatabase,
  settings: Settings,
  paragraphs: ReadonlyArray<{ id: string; text: string }>,
  fresh: ReadonlySet<string>,
): Promise<RelevanceResult> {
  const tx = db.transaction('kv', 'readwrite');
  let model: TfidfState = await readTfidfTx(tx, settings);
  const newTexts = paragraphs.filter((p) => fresh.has(p.id)).map((p) => p.text);
  if (newTexts.length > 0) {
    model = observeTfidf(model, newTexts);
    await tx.store.put({ key: KEYS.tfidf, value: model });
  }
  await tx.done;
  const explicit = model.explicitLabels ?? 0;
  const informed = settings.interests.length > 0 || explicit >= EXPLICIT_EVIDENCE;
  const scorer = explicit >= EXPLICIT_EVIDENCE ? model : tfidfWithoutLabels(model);
  const base = tfidfBaseRate(scorer);
  const relevance = new Map<string, Relevance | null>();
  for (const p of paragraphs) relevance.set(p.id, informed ? { pRelevant: scoreText(scorer, p.text), baseRate: base } : null);
  return { tier: 'lexical', relevance, embeddings: new Map() };
}

/**
 * Forgets what relevance learned from feedback, in one transaction: the head goes back to its
 * cold start from the stated interests (lib/head.ts `reset`, replay store emptied), and the
 * word-matching model to its fresh state. Returns how many labelled examples were forgotten.
 */
export async function handleRelevanceReset(deps: Pick<ServiceDeps, 'db'>): Promise<{ forgotten: number }> {
  const db = await deps.db();
  const tx = db.transaction(['kv', 'replay'], 'readwrite');
  const settings = await readSettingsTx(tx);
  const head = await readHeadTx(tx);
  const forgotten = head?.replay.length ?? 0;
  if (head) await writeHeadTx(tx, resetHead(head), head);
  await tx.objectStore('kv').put({ key: KEYS.tfidf, value: createTfidf(settings.interests, { lang: settings.targetLang }) });
  await tx.done;
  return { forgotten };
}
