/**
 * The one message protocol between the extension's contexts (content script, background,
 * offscreen document, popup, review page).
 *
 * Every message type names its request schema and its response schema here, and nowhere
 * else. Schemas are valibot: small (tree-shaken to the few validators used), typed (request
 * and response types are inferred, so a sender and a handler cannot disagree), and strict
 * about unknown keys, which matters because content scripts run beside hostile pages.
 * Validation happens where a message is received (see platform/messaging.ts); this file only
 * says what is valid.
 */
import * as v from 'valibot';
import { EncoderIdSchema, ModelFilePathSchema, ModelIdSchema } from './model-manifest';
import { LEFT_OUT_REASONS, NOTICE_CODES } from './page-notice';
import { LookupRecordSchema } from './lookup';
import { MAX_NEW_WORD_CHARS, MAX_NEW_WORDS } from './new-words';
import { MAX_NOTE_CHARS, MAX_TAG_CHARS, MAX_TAGS, ReviewCardSchema } from './review';
import { SettingsPatchSchema, SettingsSchema } from './settings';

/** Upper bounds that keep one message from a hostile or huge page cheap to validate and store. */
export const LIMITS = {
  paragraphText: 20_000,
  paragraphsPerMessage: 400,
  snippetText: 5_000,
  url: 4_096,
  title: 1_000,
  dwellEventsPerMessage: 500,
  markedWords: 50,
  cardNote: MAX_NOTE_CHARS,
  cardTags: MAX_TAGS,
  cardTag: MAX_TAG_CHARS,
  lookupWord: 100,
  lookupSentence: 2_000,
  gloss: 2_000,
  senses: 100,
  importedEntries: 20,
  syncUser: 500,
  syncSecret: 2_000,
  syncPassphraseMin: 8,
} as const;

const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_:.-]{1,128}$/));
const Url = v.pipe(v.string(), v.maxLength(LIMITS.url));
const Title = v.pipe(v.string(), v.maxLength(LIMITS.title));
const Lang = v.pipe(v.string(), v.maxLength(35));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const Finite = v.pipe(v.number(), v.finite());
const Empty = v.strictObject({});
const Ok = v.strictObject({ ok: v.literal(true) });
/** Host-permission match patterns, as `permissions.getAll()` lists them. */
const Origins = v.pipe(v.array(v.pipe(v.string(), v.maxLength(300))), v.maxLength(1000));

export const ParagraphIn = v.strictObject({
  id: Id,
  text: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.paragraphText)),
  lang: Lang,
});
export type ParagraphIn = v.InferOutput<typeof ParagraphIn>;

/** How one paragraph is shown, and the reason the learner can ask for. */
/** A stage's duration in ms: at most an hour (a reply waits at most minutes). */
const StageMs = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(3_600_000));

/**
 * Where one `encoder.embed` call's time went inside the encoder's document, in ms: waiting for
 * the model to be ready (choosing it, and a load still under way or started by this call),
 * and the inference itself (tokenising and running the model).
 */
export const EncoderTimings = v.strictObject({
  loadMs: StageMs,
  computeMs: StageMs,
});
export type EncoderTimingsOut = v.InferOutput<typeof EncoderTimings>;

/** How far the parts of the embed stage may exceed it: each part is rounded on its own. */
export const EMBED_SPLIT_SLACK_MS = 1;

/**
 * The background's stages for one `page.paragraphs` message, in ms: reading the page's and
 * learner's records, embedding (cache look-ups, waiting for the encoder's turn, and the
 * encoder itself), the relevance head, judging and choosing the highlights, storing the
 * outcome; and the whole handler. When the encoder was asked, the embed stage is split
 * further: the wait for the encoder queue's turn behind other tabs' work, the wait for the
 * model to be ready, and the inference; these lie within the embed stage (the rest of it is
 * cache look-ups and the messages to and from the encoder), so together they never exceed it.
 */
export const PageTimings = v.pipe(
  v.strictObject({
    readMs: StageMs,
    embedMs: StageMs,
    headMs: StageMs,
    selectMs: StageMs,
    storeMs: StageMs,
    totalMs: StageMs,
    embedQueueMs: v.optional(StageMs),
    embedLoadMs: v.optional(StageMs),
    embedComputeMs: v.optional(StageMs),
  }),
  v.check(
    (t) => (t.embedQueueMs ?? 0) + (t.embedLoadMs ?? 0) + (t.embedComputeMs ?? 0) <= t.embedMs + EMBED_SPLIT_SLACK_MS,
    'the parts of the embed stage exceed it',
  ),
);
export type PageTimingsOut = v.InferOutput<typeof PageTimings>;

export const HighlightOut = v.strictObject({
  id: Id,
  /** 1 = strongest. */
  tier: v.picklist([1, 2, 3]),
  gainBits: Finite,
  fit: Finite,
  loadMinutes: Finite,
  reason: v.string(),
  /**
   * Words of the passage the learner probably does not know yet, as written there (lib/new-words.ts),
   * for the page to underline and count; absent when the learner turned the underline off.
   */
  newWords: v.optional(
    v.pipe(
      v.array(v.strictObject({ form: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_NEW_WORD_CHARS)), key: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_NEW_WORD_CHARS)) })),
      v.maxLength(MAX_NEW_WORDS),
    ),
  ),
});
export type HighlightOut = v.InferOutput<typeof HighlightOut>;

/**
 * The page's one line about its highlights: why none or fewer were shown (a reason code the
 * popup and the page both read), its text, and what the learner can do about it.
 */
export const PageNoticeOut = v.strictObject({
  code: v.picklist(NOTICE_CODES),
  text: v.pipe(v.string(), v.maxLength(500)),
  action: v.nullable(
    v.variant('kind', [
      v.strictObject({ kind: v.literal('show-harder') }),
      v.strictObject({ kind: v.literal('add-language'), lang: v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/), v.maxLength(35)) }),
    ]),
  ),
});
export type PageNoticeOut = v.InferOutput<typeof PageNoticeOut>;

/** A passage that was not highlighted, and why. */
export const LeftOutOut = v.strictObject({ id: Id, reason: v.picklist(LEFT_OUT_REASONS), line: v.string(), text: v.string() });
export type LeftOutOut = v.InferOutput<typeof LeftOutOut>;

export const ScorerTier = v.picklist(['encoder', 'lexical']);
export type ScorerTier = v.InferOutput<typeof ScorerTier>;

export const FeedbackKind = v.picklist(['relevant', 'not-relevant', 'too-hard', 'too-easy']);
export type FeedbackKind = v.InferOutput<typeof FeedbackKind>;

export const DashboardOut = v.strictObject({
  day: v.string(),
  budgetMinutes: Finite,
  consumedMinutes: Finite,
  paragraphsRead: Count,
  paragraphsHighlighted: Count,
  snippets: Count,
  cardsDue: Count,
  scorer: ScorerTier,
  scorerNote: v.string(),
  history: v.array(
    v.strictObject({ day: v.string(), consumedMinutes: Finite, reviewMinutes: Finite, highlighted: Count }),
  ),
});
export type DashboardOut = v.InferOutput<typeof DashboardOut>;

/** One stored file of a model: the sha256 is what a manifest entry can be pinned to. */
export const StoredModelFileOut = v.strictObject({
  file: ModelFilePathSchema,
  size: Count,
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)),
});
export type StoredModelFileOut = v.InferOutput<typeof StoredModelFileOut>;

/** A card as the review page shows it: the card itself and its two sides as plain text. */
export const LearnerSummaryOut = v.strictObject({
  targetLang: v.string(),
  vocabularySize: Count,
  level: v.string(),
  wordsPerMinute: Finite,
  knownWords: Count,
  learningWords: Count,
  /** Words that became known in the last 7 days. */
  knownThisWeek: Count,
});
export type LearnerSummaryOut = v.InferOutput<typeof LearnerSummaryOut>;

const PartOfSpeechOut = v.picklist(['noun', 'verb', 'adjective', 'adverb']);
const ShortText = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** One meaning of a looked-up word, with how well it fits the sentence (0-1, the card's order). */
export const SenseOut = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  lemma: ShortText(200),
  pos: PartOfSpeechOut,
  gloss: ShortText(LIMITS.gloss),
  examples: v.pipe(v.array(ShortText(1_000)), v.maxLength(20)),
  synonyms: v.pipe(v.array(ShortText(200)), v.maxLength(50)),
  probability: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
});
export type SenseOut = v.InferOutput<typeof SenseOut>;

/** A word's entry from a dictionary the learner imported (Yomitan format). */
export const ImportedEntryOut = v.strictObject({
  dictionary: v.strictObject({ id: ShortText(200), title: ShortText(300) }),
  term: ShortText(200),
  reading: v.optional(ShortText(200)),
  definitions: v.pipe(v.array(ShortText(LIMITS.gloss)), v.maxLength(50)),
  tags: v.pipe(v.array(ShortText(100)), v.maxLength(50)),
});
export type ImportedEntryOut = v.InferOutput<typeof ImportedEntryOut>;

/** The meanings the bundled dictionary gives for a word in a sentence, best fit first. */
export const DictionaryLookupOut = v.strictObject({
  senses: v.pipe(v.array(SenseOut), v.maxLength(LIMITS.senses)),
  /** True when the encoder ordered them by the sentence; false: the dictionary's own order. */
  ranked: v.boolean(),
  /** Why the senses are not ranked or there are none (no dictionary for the language), else null. */
  note: v.nullable(ShortText(500)),
});
export type DictionaryLookupOut = v.InferOutput<typeof DictionaryLookupOut>;

const LookupWord = v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.lookupWord));
const LookupSentence = v.pipe(v.string(), v.maxLength(LIMITS.lookupSentence));

export const ReviewItemOut = v.strictObject({ card: ReviewCardSchema, front: v.string(), back: v.string() });
export type ReviewItemOut = v.InferOutput<typeof ReviewItemOut>;

/**
 * Every message: its request and response schemas, and which context handles it. The
 * `to` field decides which listener answers: the background answers most; the offscreen
 * document answers only what it computes.
 */
/** Sync's state for the settings page and popup (lib/sync-settings.ts); never the password or passphrase. */
const SyncStatusOut = v.strictObject({
  configured: v.boolean(),
  url: v.nullable(v.string()),
  user: v.nullable(v.string()),
  last: v.nullable(v.strictObject({ at: Count, ok: v.boolean(), line: v.string() })),
});

export const PROTOCOL = {
  /** Content script -> background: the readable paragraphs of a page; answers what to highlight. */
  'page.paragraphs': {
    to: 'background',
    request: v.strictObject({
      url: Url,
      title: Title,
      lang: Lang,
      paragraphs: v.pipe(v.array(ParagraphIn), v.maxLength(LIMITS.paragraphsPerMessage)),
      /** Paragraph ids already shown, so that re-selection keeps them when it can (no flicker). */
      shown: v.pipe(v.array(Id), v.maxLength(LIMITS.paragraphsPerMessage * 10)),
      /** The learner asked for passages above their level on this page too ("show harder passages too"). */
      harder: v.optional(v.boolean()),
    }),
    response: v.strictObject({
      highlights: v.array(HighlightOut),
      scorer: ScorerTier,
      /** The page's line when none or fewer passages are shown than the learner might expect, else null. */
      notice: v.nullable(PageNoticeOut),
      /** Where the background's time went on this message (ms), for the page's performance timeline; absent when nothing was judged. */
      timings: v.optional(PageTimings),
    }),
  },
  /** Content script -> background: save a passage or selection as a snippet. */
  'snippet.save': {
    to: 'background',
    request: v.strictObject({
      eventId: Id,
      url: Url,
      title: Title,
      lang: Lang,
      text: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.snippetText)),
      /** The paragraph the passage came from, for context sentences. */
      context: v.pipe(v.string(), v.maxLength(LIMITS.paragraphText)),
      paragraphId: v.nullable(Id),
      markedWords: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(100))), v.maxLength(LIMITS.markedWords)),
      /** The meaning of the first marked word, chosen on its word card: it goes on the card's back. */
      sense: v.optional(v.strictObject({ lemma: v.pipe(v.string(), v.minLength(1), v.maxLength(200)), pos: PartOfSpeechOut, gloss: ShortText(LIMITS.gloss) })),
    }),
    response: v.strictObject({ snippetId: Id, cardsCreated: Count, duplicate: v.boolean() }),
  },
  /**
   * Content script -> background: the learner clicked a word (or pressed the look-up key on
   * it). Answers the word card: its meanings, the one fitting this sentence first, and entries
   * of imported dictionaries. Recorded once per `eventId`.
   */
  'word.lookup': {
    to: 'background',
    request: v.strictObject({ eventId: Id, word: LookupWord, sentence: LookupSentence, lang: Lang, url: Url, title: Title }),
    response: v.strictObject({
      ...DictionaryLookupOut.entries,
      imported: v.pipe(v.array(ImportedEntryOut), v.maxLength(LIMITS.importedEntries)),
      duplicate: v.boolean(),
    }),
  },
  /** Content script -> background: the learner marks a word they know, or one to ignore (a name). */
  'word.mark': {
    to: 'background',
    request: v.strictObject({
      eventId: Id,
      word: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
      lang: Lang,
      state: v.picklist(['known', 'ignored', 'learning']),
    }),
    response: v.strictObject({ duplicate: v.boolean() }),
  },
  /** Content script -> background: explicit judgement of a highlighted passage. */
  'feedback.give': {
    to: 'background',
    request: v.strictObject({ eventId: Id, paragraphId: Id, kind: FeedbackKind, url: Url }),
    response: v.strictObject({ duplicate: v.boolean() }),
  },
  /** Content script -> background: time paragraphs were visible in a focused tab. */
  'reading.dwell': {
    to: 'background',
    request: v.strictObject({
      url: Url,
      events: v.pipe(
        v.array(
          v.strictObject({
            eventId: Id,
            paragraphId: Id,
            visibleMs: v.pipe(v.number(), v.minValue(0), v.maxValue(24 * 3600_000)),
            highlighted: v.boolean(),
            /** Wall time on screen before the learner scrolled it away (platform/dwell.ts), when they did. */
            passedMs: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(24 * 3600_000))),
          }),
        ),
        v.maxLength(LIMITS.dwellEventsPerMessage),
      ),
    }),
    response: v.strictObject({ accepted: Count }),
  },
  /** Content script -> background: "why was this highlighted?" */
  'highlight.explain': {
    to: 'background',
    request: v.strictObject({ paragraphId: Id }),
    response: v.strictObject({ lines: v.array(v.string()) }),
  },
  /** Popup or demo -> background: what was highlighted on a page, and why. */
  'page.summary': {
    to: 'background',
    request: v.strictObject({ url: Url }),
    response: v.strictObject({
      known: v.boolean(),
      paragraphs: Count,
      highlights: v.array(v.strictObject({ ...HighlightOut.entries, text: v.string() })),
      notice: v.nullable(PageNoticeOut),
      /** Every passage not highlighted, with its reason (pages read before reasons were kept have none). */
      leftOut: v.array(LeftOutOut),
    }),
  },
  /** Content script -> background: the learner studies this language too (the page line's offer). */
  'language.study': {
    to: 'background',
    request: v.strictObject({ lang: v.pipe(v.string(), v.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/), v.maxLength(35)) }),
    response: v.strictObject({ studiedLanguages: v.array(v.string()) }),
  },
  /** Popup -> background: today's summary. */
  'dashboard.get': { to: 'background', request: Empty, response: DashboardOut },
  /** Review page -> background. */
  'review.due': {
    to: 'background',
    request: Empty,
    response: v.strictObject({ items: v.array(ReviewItemOut), total: Count }),
  },
  'review.rate': {
    to: 'background',
    request: v.strictObject({
      eventId: Id,
      cardId: Id,
      rating: v.picklist([1, 2, 3, 4]),
      durationMs: v.pipe(v.number(), v.minValue(0), v.maxValue(3600_000)),
    }),
    response: v.strictObject({ nextDue: Count, duplicate: v.boolean() }),
  },
  'review.undo': { to: 'background', request: Empty, response: v.strictObject({ undone: v.boolean() }) },
  /**
   * Review page -> background: change a card's note and/or tags (the schedule is kept). An
   * edit names at least one of them, so an empty request is refused rather than a no-op.
   */
  'review.editCard': {
    to: 'background',
    request: v.pipe(
      v.strictObject({
        cardId: Id,
        note: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.cardNote))),
        tags: v.optional(
          v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.cardTag))), v.maxLength(LIMITS.cardTags)),
        ),
      }),
      v.check((edit) => edit.note !== undefined || edit.tags !== undefined, 'An edit must change the note or the tags.'),
    ),
    response: v.strictObject({ card: ReviewCardSchema }),
  },
  /** Review page -> background: take a card out of the queue (or put it back); its schedule is kept. */
  'review.suspendCard': {
    to: 'background',
    request: v.strictObject({ cardId: Id, suspended: v.boolean() }),
    response: v.strictObject({ card: ReviewCardSchema }),
  },
  /**
   * Review page -> background: every suspended card with its two sides, most recently changed
   * first (a card just suspended by mistake is at the top). Unsuspending is `review.suspendCard`.
   */
  'review.suspended': {
    to: 'background',
    request: Empty,
    response: v.strictObject({ items: v.array(ReviewItemOut) }),
  },
  /** Review page -> background: delete one card; its review logs and its snippet stay. */
  'review.deleteCard': {
    to: 'background',
    request: v.strictObject({ cardId: Id }),
    response: v.strictObject({ deleted: v.boolean() }),
  },
  /** Review page -> background: the learner's look-ups, newest first (at most `limit`). */
  'lookup.history': {
    to: 'background',
    request: v.strictObject({ limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000)) }),
    response: v.strictObject({ items: v.array(LookupRecordSchema), total: Count }),
  },
  /** Review page -> background: every card as a file for Anki's File → Import. */
  'review.export': {
    to: 'background',
    request: v.strictObject({ format: v.picklist(['tsv', 'csv']) }),
    response: v.strictObject({ fileName: v.string(), text: v.string(), cards: Count }),
  },
  /** Review page -> background: every card to Anki through AnkiConnect; Anki's refusals come back in words. */
  'review.pushAnki': {
    to: 'background',
    request: Empty,
    response: v.variant('ok', [
      /** `deck`: where the notes went (the learner's setting), for the page to say so. */
      v.strictObject({ ok: v.literal(true), added: Count, skipped: Count, deck: v.string() }),
      v.strictObject({ ok: v.literal(false), error: v.string(), added: Count }),
    ]),
  },
  /** Background -> offscreen document: embed texts with the current encoder. */
  'encoder.embed': {
    to: 'offscreen',
    request: v.strictObject({
      texts: v.pipe(v.array(v.pipe(v.string(), v.maxLength(LIMITS.paragraphText))), v.maxLength(LIMITS.paragraphsPerMessage)),
    }),
    response: v.strictObject({
      encoderId: v.string(),
      backend: v.string(),
      /** Row-major, texts.length x dimensions; plain numbers because messages are JSON. */
      dimensions: Count,
      vectors: v.array(v.array(v.number())),
      /** Where the call's time went in the encoder's document; absent from an encoder that does not say. */
      timings: v.optional(EncoderTimings),
    }),
  },
  /** Background -> encoder's context: a word's meanings from the bundled dictionary, ranked against its sentence. */
  'dictionary.lookup': {
    to: 'offscreen',
    request: v.strictObject({ word: LookupWord, sentence: LookupSentence, lang: Lang }),
    response: DictionaryLookupOut,
  },
  'encoder.status': {
    to: 'offscreen',
    request: Empty,
    response: v.strictObject({ ready: v.boolean(), encoderId: v.nullable(v.string()), backend: v.string(), error: v.nullable(v.string()) }),
  },
  /**
   * Options page -> offscreen document: download a model of the manifest. The only way model
   * files ever reach the network, and only on the learner's explicit request; answers once
   * the files are stored, verified and loaded once. Progress: `model.list`'s `download`.
   */
  'model.download': {
    to: 'offscreen',
    request: v.strictObject({ encoderId: EncoderIdSchema }),
    response: v.strictObject({ encoderId: EncoderIdSchema, files: v.array(StoredModelFileOut) }),
  },
  /** Options page -> offscreen document: the models on this device, and a download in flight. */
  'model.list': {
    to: 'offscreen',
    request: Empty,
    response: v.strictObject({
      models: v.array(
        v.strictObject({
          modelId: ModelIdSchema,
          files: v.array(StoredModelFileOut),
          /** Every file of one of the manifest's variants is stored: it loads with no network. */
          complete: v.boolean(),
        }),
      ),
      download: v.nullable(v.strictObject({ encoderId: EncoderIdSchema, loadedBytes: Count, totalBytes: Count })),
      /** Why the chosen encoder (settings.encoderId) is not the one used, or null. */
      notice: v.nullable(v.string()),
    }),
  },
  /** Options page -> offscreen document: delete a downloaded or imported model's files. */
  'model.remove': {
    to: 'offscreen',
    request: v.strictObject({ modelId: ModelIdSchema }),
    response: v.strictObject({ removed: Count }),
  },
  /** Popup, options page, onboarding -> background. */
  'settings.get': { to: 'background', request: Empty, response: SettingsSchema },
  'settings.update': { to: 'background', request: v.strictObject({ patch: SettingsPatchSchema }), response: SettingsSchema },
  /** Options page -> background: the learner model in numbers, and setting the level (placement check). */
  'learner.get': { to: 'background', request: Empty, response: LearnerSummaryOut },
  'learner.setVocabulary': {
    to: 'background',
    request: v.strictObject({ vocabularySize: v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(100_000)) }),
    response: LearnerSummaryOut,
  },
  /**
   * Options page -> background: a backup was restored (the options page writes it into the
   * database itself: a large backup cannot travel in one message), so what depends on the data
   * (the badge) is brought up to date. Making and restoring backups are not messages at all.
   */
  'data.restored': { to: 'background', request: Empty, response: Ok },
  /** Options page -> background: delete all learner data. */
  'data.deleteAll': {
    to: 'background',
    request: v.strictObject({ confirm: v.literal('delete everything') }),
    response: Ok,
  },
  /**
   * Options page -> background: forget what relevance learned from the learner's feedback (the
   * head's weights, calibration and replay examples, the word-matching model's labels), keeping
   * the stated interests, everything else, and the feedback events themselves.
   */
  'relevance.reset': {
    to: 'background',
    request: v.strictObject({ confirm: v.literal('forget what was learned') }),
    response: v.strictObject({ forgotten: Count }),
  },
  /**
   * Options page -> background: turn sync on with the learner's WebDAV server (address, user,
   * password or app token, sync passphrase). Stored on this device only, never in a backup;
   * the first sync is a `sync.now`. The options page asks host access to the server's origin
   * first (a user gesture is needed for that).
   */
  'sync.configure': {
    to: 'background',
    request: v.strictObject({
      url: v.pipe(v.string(), v.maxLength(LIMITS.url), v.regex(/^https?:\/\//i, 'The server address starts with https:// or http://.')),
      user: v.pipe(v.string(), v.maxLength(LIMITS.syncUser)),
      password: v.pipe(v.string(), v.maxLength(LIMITS.syncSecret)),
      passphrase: v.pipe(v.string(), v.minLength(LIMITS.syncPassphraseMin), v.maxLength(LIMITS.syncSecret)),
    }),
    response: SyncStatusOut,
  },
  /** Options page, popup -> background: sync now; a failure is the answer's `last` line, not an error. */
  'sync.now': { to: 'background', request: Empty, response: SyncStatusOut },
  /** Options page, popup -> background: whether sync is on, where to, and the last sync's time and line. */
  'sync.status': { to: 'background', request: Empty, response: SyncStatusOut },
  /** Options page -> background: stop syncing; the link and its credentials are forgotten, the data stays. */
  'sync.stop': { to: 'background', request: Empty, response: SyncStatusOut },
  /** Options page -> background: start the encoder's context, so `model.*` messages reach it. */
  'encoder.open': { to: 'background', request: Empty, response: Ok },
  /**
   * Popup -> background: start reading one tab now, on the `activeTab` grant of the toolbar
   * click (the learner's "read this page once" on a site they have not turned on).
   */
  'site.read': {
    to: 'background',
    request: v.strictObject({ tabId: Count }),
    response: v.strictObject({ started: v.boolean() }),
  },
  /**
   * Background -> content script of each open tab: host access to `removed` was taken back
   * (`granted` is what remains); a reader on a page no longer covered stops and clears its
   * highlights.
   */
  'reader.stop': {
    to: 'page',
    request: v.strictObject({ removed: Origins, granted: Origins }),
    response: v.strictObject({ stopped: v.boolean() }),
  },
  /**
   * Background -> content script of one tab: the learner pressed the browser's shortcut for
   * the next or previous highlighted passage (manifest `commands`, lib/shortcuts.ts).
   */
  'reader.step': {
    to: 'page',
    request: v.strictObject({ step: v.picklist([1, -1]) }),
    response: v.strictObject({ moved: v.boolean() }),
  },
  /**
   * Background -> content script of one tab: the learner pressed the browser's look-up
   * shortcut; the reader opens the word card for the word at the selection or caret.
   */
  'reader.lookup': {
    to: 'page',
    request: Empty,
    response: v.strictObject({ opened: v.boolean() }),
  },
  /** Liveness probe used by tests and by the background after a restart. */
  ping: { to: 'background', request: Empty, response: Ok },
} as const;

export type MessageType = keyof typeof PROTOCOL;

/**
 * Who may send a message. `extension`: the extension's own pages (popup, options, review,
 * offscreen document) and its background. `page`: the content script, which runs in web
 * pages beside their scripts and is the first thing a hostile page would try to take over;
 * it may only report what it reads and what the learner does on the page, never read the
 * learner's data back, change settings or site access, or export, restore or delete anything.
 * (platform/messaging.ts tells the two apart by the sender's URL, which the browser sets.)
 */
export type SenderContext = 'page' | 'extension';
const PAGE_AND_EXTENSION = ['page', 'extension'] as const;
const EXTENSION_ONLY = ['extension'] as const;

export const SENDERS = {
  'page.paragraphs': PAGE_AND_EXTENSION,
  'snippet.save': PAGE_AND_EXTENSION,
  'word.mark': PAGE_AND_EXTENSION,
  'feedback.give': PAGE_AND_EXTENSION,
  'reading.dwell': PAGE_AND_EXTENSION,
  'highlight.explain': PAGE_AND_EXTENSION,
  // The in-page notice's "Add French to my languages": the learner's own click on the page
  // (trusted input only), and all it can do is add one language to those studied.
  'language.study': PAGE_AND_EXTENSION,
  // A look-up answers public dictionary text; what it records is the learner's own click.
  'word.lookup': PAGE_AND_EXTENSION,
  ping: PAGE_AND_EXTENSION,
  'dictionary.lookup': EXTENSION_ONLY,
  'lookup.history': EXTENSION_ONLY,
  'reader.lookup': EXTENSION_ONLY,
  'page.summary': EXTENSION_ONLY,
  'dashboard.get': EXTENSION_ONLY,
  'review.due': EXTENSION_ONLY,
  'review.rate': EXTENSION_ONLY,
  'review.undo': EXTENSION_ONLY,
  'review.editCard': EXTENSION_ONLY,
  'review.suspendCard': EXTENSION_ONLY,
  'review.suspended': EXTENSION_ONLY,
  'review.deleteCard': EXTENSION_ONLY,
  'review.export': EXTENSION_ONLY,
  'review.pushAnki': EXTENSION_ONLY,
  'encoder.embed': EXTENSION_ONLY,
  'encoder.status': EXTENSION_ONLY,
  'model.download': EXTENSION_ONLY,
  'model.list': EXTENSION_ONLY,
  'model.remove': EXTENSION_ONLY,
  'settings.get': EXTENSION_ONLY,
  'settings.update': EXTENSION_ONLY,
  'learner.get': EXTENSION_ONLY,
  'learner.setVocabulary': EXTENSION_ONLY,
  'data.restored': EXTENSION_ONLY,
  'data.deleteAll': EXTENSION_ONLY,
  'relevance.reset': EXTENSION_ONLY,
  'encoder.open': EXTENSION_ONLY,
  // Sync holds the learner's server credentials and all their data: the extension's own pages only.
  'sync.configure': EXTENSION_ONLY,
  'sync.now': EXTENSION_ONLY,
  'sync.status': EXTENSION_ONLY,
  'sync.stop': EXTENSION_ONLY,
  'site.read': EXTENSION_ONLY,
  'reader.stop': EXTENSION_ONLY,
  'reader.step': EXTENSION_ONLY,
} as const satisfies Record<MessageType, readonly SenderContext[]>;

/** Whether a context may send a message of this type (see SENDERS). */
export function mayBeSentFrom(type: MessageType, context: SenderContext): boolean {
  return (SENDERS[type] as readonly SenderContext[]).includes(context);
}
export type Target = (typeof PROTOCOL)[MessageType]['to'];
export type RequestOf<T extends MessageType> = v.InferOutput<(typeof PROTOCOL)[T]['request']>;
export type ResponseOf<T extends MessageType> = v.InferOutput<(typeof PROTOCOL)[T]['response']>;

/** What travels: a tagged envelope, so that foreign messages are recognisable and refused. */
export const CHANNEL = 'attention-reader/1';

export interface Envelope<T extends MessageType = MessageType> {
  channel: typeof CHANNEL;
  type: T;
  payload: RequestOf<T>;
}

export type Reply<T extends MessageType = MessageType> =
  | { ok: true; value: ResponseOf<T> }
  | { ok: false; error: string };

export type Parsed =
  | { ok: true; envelope: Envelope }
  | { ok: false; error: string };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Validates an incoming message completely: channel, known type, and its request schema. */
export function parseEnvelope(message: unknown): Parsed {
  if (!isRecord(message) || message.channel !== CHANNEL) return { ok: false, error: 'not a message of this extension' };
  const type = message.type;
  if (typeof type !== 'string' || !Object.hasOwn(PROTOCOL, type)) return { ok: false, error: `unknown message type` };
  const spec = PROTOCOL[type as MessageType];
  const result = v.safeParse(spec.request, message.payload);
  if (!result.success) {
    const issue = result.issues[0];
    const where = issue?.path?.map((p) => String(p.key)).join('.') ?? '';
    return { ok: false, error: `invalid ${type}${where ? ` at ${where}` : ''}: ${issue?.message ?? 'bad payload'}` };
  }
  return { ok: true, envelope: { channel: CHANNEL, type: type as MessageType, payload: result.output as RequestOf<MessageType> } };
}

/** Validates a reply to a message of type `type` (responses cross a boundary too). */
export function parseReply<T extends MessageType>(type: T, reply: unknown): Reply<T> {
  if (!isRecord(reply)) return { ok: false, error: `no reply to ${type} (is the extension running?)` };
  if (reply.ok === false) return { ok: false, error: typeof reply.error === 'string' ? reply.error : 'unknown error' };
  if (reply.ok !== true) return { ok: false, error: `malformed reply to ${type}` };
  const result = v.safeParse(PROTOCOL[type].response, reply.value);
  if (!result.success) return { ok: false, error: `invalid reply to ${type}: ${result.issues[0]?.message ?? ''}` };
  return { ok: true, value: result.output as ResponseOf<T> };
}

export function envelope<T extends MessageType>(type: T, payload: RequestOf<T>): Envelope<T> {
  return { channel: CHANNEL, type, payload };
}
