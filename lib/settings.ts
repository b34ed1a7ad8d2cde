/**
 * The learner's settings: what they study, what interests them, how much reading a day they
 * want, and how dense the highlights should be. Plain data, validated with the same schema
 * wherever it enters (onboarding, options page, backup restore).
 */
import * as v from 'valibot';
import { DEFAULT_DECK, DEFAULT_NOTE_TYPES } from './anki';
import { EncoderIdSchema } from './model-manifest';

/** The encoder shipped in the extension (models/manifest.json: use-lite, int8). */
export const BUNDLED_ENCODER_ID = 'use-lite-int8';

export const HIGHLIGHT_DENSITY = ['few', 'normal', 'many'] as const;
export type HighlightDensity = (typeof HIGHLIGHT_DENSITY)[number];

/** Longest Anki names accepted, in UTF-16 code units: far above real names, well below any message limit. */
export const ANKI_NAME_LIMITS = { deck: 200, noteType: 100, field: 100 } as const;

/** Control characters and lone surrogates. */
const UNSAFE_IN_NAME = /[\p{Cc}\p{Cs}]/u;

/**
 * A name Anki shows (deck, note type, field): trimmed, never empty, and free of control
 * characters (a tab or line break would split the import file's columns or rows) and of lone
 * surrogates (Anki stores names as UTF-8, which cannot hold them).
 */
export function ankiNameSchema(maxLength: number) {
  return v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'An Anki name cannot be empty.'),
    v.maxLength(maxLength, `An Anki name can have at most ${maxLength} characters.`),
    v.check((name) => !UNSAFE_IN_NAME.test(name), 'An Anki name cannot hold tabs, line breaks or other control characters.'),
  );
}

export type AnkiNameProblem = 'empty' | 'too-long' | 'control';

/** A typed name checked as the settings will check it, so a form can say what is wrong before saving. */
export function checkAnkiName(text: string, maxLength: number): { ok: true; name: string } | { ok: false; problem: AnkiNameProblem } {
  const parsed = v.safeParse(ankiNameSchema(maxLength), text);
  if (parsed.success) return { ok: true, name: parsed.output };
  const type = parsed.issues[0].type;
  return { ok: false, problem: type === 'min_length' ? 'empty' : type === 'max_length' ? 'too-long' : 'control' };
}

/**
 * Two fields of one note type need different names: AnkiConnect matches field names ignoring
 * case, so the second would overwrite the first.
 */
export const differentFields = (a: string, b: string) => a.toLowerCase() !== b.toLowerCase();

const noteTypeName = ankiNameSchema(ANKI_NAME_LIMITS.noteType);
const fieldName = ankiNameSchema(ANKI_NAME_LIMITS.field);

/** The learner's Anki note types (lib/anki.ts AnkiNoteTypes): all names required, none shared. */
export const AnkiNoteTypesSchema = v.strictObject({
  cloze: v.pipe(
    v.strictObject({ modelName: noteTypeName, textField: fieldName, extraField: fieldName }),
    v.check((t) => differentFields(t.textField, t.extraField), 'The cloze text and extra fields need different names.'),
  ),
  basic: v.pipe(
    v.strictObject({ modelName: noteTypeName, frontField: fieldName, backField: fieldName }),
    v.check((t) => differentFields(t.frontField, t.backField), 'The basic front and back fields need different names.'),
  ),
});

/** AnkiConnect's "apiKey": printable characters without spaces, as its config holds it. */
const AnkiApiKeySchema = v.pipe(v.string(), v.trim(), v.maxLength(200), v.regex(/^[\x21-\x7e]*$/, 'an API key has no spaces or special characters'));

/** Whether the settings would take `key` as the AnkiConnect API key (the form checks before saving). */
export function isAnkiApiKey(key: string): boolean {
  return v.is(AnkiApiKeySchema, key);
}

/** Languages a learner can study besides the target language. */
export const MAX_STUDIED_LANGUAGES = 10;

/** How long pages read are kept by default: half a year. */
export const DEFAULT_KEEP_PAGES_DAYS = 180;

export const SettingsSchema = v.strictObject({
  version: v.literal(1),
  /** BCP 47 tag of the language being learned. */
  targetLang: v.pipe(v.string(), v.minLength(2), v.maxLength(35)),
  nativeLang: v.pipe(v.string(), v.maxLength(35)),
  /** Stated interests, a few words or phrases each. */
  interests: v.pipe(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200))), v.maxLength(20)),
  /** Today's reading budget in minutes of focused reading. */
  budgetMinutes: v.pipe(v.number(), v.minValue(1), v.maxValue(600)),
  /** Local hour at which "today" starts (0 = midnight). */
  rolloverHour: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(23)),
  density: v.picklist(HIGHLIGHT_DENSITY),
  /** FSRS desired retention for reviews. */
  desiredRetention: v.pipe(v.number(), v.minValue(0.7), v.maxValue(0.99)),
  onboarded: v.boolean(),
  /** A gentle notification in the evening when reviews are due. */
  reviewNudge: v.boolean(),
  /**
   * The text encoder the learner chose (a manifest variant's encoderId). Optional with its
   * default, so that settings and backups written before the choice existed still validate.
   * A downloadable model is used only once all its files are on the device.
   */
  encoderId: v.optional(EncoderIdSchema, BUNDLED_ENCODER_ID),
  /** Highlighting paused on every site, or on these host names (the learner's switch in the popup). */
  pausedEverywhere: v.optional(v.boolean(), false),
  pausedSites: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(253))), v.maxLength(1000)), []),
  /**
   * Where cards go in Anki, by export file or AnkiConnect: the deck ("::" makes a subdeck)
   * and the learner's names for the note types and their fields, which Anki translates.
   */
  ankiDeck: v.optional(ankiNameSchema(ANKI_NAME_LIMITS.deck), DEFAULT_DECK),
  ankiNoteTypes: v.optional(AnkiNoteTypesSchema, DEFAULT_NOTE_TYPES),
  /**
   * The key AnkiConnect asks for when its "apiKey" option is set; empty when it asks for none.
   * It only unlocks the learner's own Anki on this computer.
   */
  ankiApiKey: v.optional(AnkiApiKeySchema, ''),
  /**
   * Languages studied besides `targetLang` (primary tags): their text is highlighted too; text in
   * any other language is not. Optional, so settings and backups from before it still validate.
   */
  studiedLanguages: v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z]{2,3}$/))), v.maxLength(MAX_STUDIED_LANGUAGES)), []),
  /**
   * Days the text and embeddings of a page read are kept after it was last read
   * (platform/retention.ts); feedback, snippets, cards and review history are kept always.
   */
  keepPagesDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(7), v.maxValue(3650)), DEFAULT_KEEP_PAGES_DAYS),
  /** Underline the words of a highlighted passage the learner probably does not know yet (lib/new-words.ts). */
  underlineNewWords: v.optional(v.boolean(), true),
});
export type Settings = v.InferOutput<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  targetLang: 'en',
  nativeLang: '',
  interests: [],
  budgetMinutes: 20,
  rolloverHour: 4,
  density: 'normal',
  desiredRetention: 0.9,
  onboarded: false,
  reviewNudge: true,
  encoderId: BUNDLED_ENCODER_ID,
  pausedEverywhere: false,
  pausedSites: [],
  ankiDeck: DEFAULT_DECK,
  ankiNoteTypes: DEFAULT_NOTE_TYPES,
  ankiApiKey: '',
  studiedLanguages: [],
  keepPagesDays: DEFAULT_KEEP_PAGES_DAYS,
  underlineNewWords: true,
};

export const SettingsPatchSchema = v.partial(v.omit(SettingsSchema, ['version']));
export type SettingsPatch = v.InferOutput<typeof SettingsPatchSchema>;

/** Stored settings merged over the defaults; anything invalid falls back to its default. */
export function readSettings(stored: unknown): Settings {
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...(typeof stored === 'object' && stored !== null ? stored : {}) };
  const parsed = v.safeParse(SettingsSchema, merged);
  if (parsed.success) return parsed.output;
  // One bad setting (say, an Anki name a later version refuses) costs only itself, not the rest.
  const repaired: Record<string, unknown> = { ...merged };
  for (const issue of parsed.issues) {
    const key = issue.path?.[0]?.key;
    if (typeof key !== 'string') continue;
    // A key this version does not know (written by a newer one) is dropped.
    if (Object.hasOwn(DEFAULT_SETTINGS, key)) repaired[key] = DEFAULT_SETTINGS[key as keyof Settings];
    else delete repaired[key];
  }
  const retried = v.safeParse(SettingsSchema, repaired);
  return retried.success ? retried.output : DEFAULT_SETTINGS;
}

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return v.parse(SettingsSchema, { ...current, ...patch });
}

/**
 * The most of a page's paragraphs each density highlights: a page never turns into a wall of
 * colour. 30% by default: about one paragraph in three, so that the highlights still pick.
 */
export function maxHighlightShare(density: HighlightDensity): number {
  return density === 'few' ? 0.15 : density === 'normal' ? 0.3 : 0.5;
}

/** Whether text in `lang` is in a language the learner studies (undetermined text counts as studied). */
export function studiesLanguage(settings: Pick<Settings, 'targetLang' | 'studiedLanguages'>, lang: string): boolean {
  const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0] ?? '';
  const p = primary(lang);
  if (p === '' || p === 'und') return true;
  return primary(settings.targetLang) === p || settings.studiedLanguages.some((l) => primary(l) === p);
}

/** The patch that adds `lang` to the languages studied besides the target language. */
export function studyLanguagePatch(settings: Settings, lang: string): SettingsPatch {
  if (studiesLanguage(settings, lang)) return {};
  return { studiedLanguages: [...settings.studiedLanguages, lang.toLowerCase().split(/[-_]/)[0]!].slice(-MAX_STUDIED_LANGUAGES) };
}

/** The host name a page's highlighting can be paused by, or null for addresses without one. */
export function siteOf(url: string): string | null {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && hostname ? hostname : null;
  } catch {
    return null;
  }
}

/** Whether the learner paused highlighting for the page at `url`. */
export function isPaused(settings: Settings, url: string): boolean {
  if (settings.pausedEverywhere) return true;
  const site = siteOf(url);
  return site !== null && settings.pausedSites.includes(site);
}

/** The patch that pauses or resumes one site. */
export function pauseSitePatch(settings: Settings, site: string, paused: boolean): SettingsPatch {
  const others = settings.pausedSites.filter((s) => s !== site);
  return { pausedSites: paused ? [...others, site] : others };
}
