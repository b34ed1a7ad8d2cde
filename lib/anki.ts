/**
 * Getting cards into Anki, two ways: a text file for File → Import (tab- or comma-separated,
 * with Anki's file headers), and an optional push through the AnkiConnect add-on.
 *
 * Anki renders fields as HTML, and page text is untrusted, so every piece of page text is
 * HTML-escaped — including `{` and `}`, which would otherwise let a page write its own cloze
 * deletions or template references. Nothing here touches the network: the AnkiConnect calls
 * take an injected fetch, so the same code runs in the extension and in tests.
 */
import { senseLine, type ClozeCard, type ReviewCard } from './review.ts';

export const ANKI_CONNECT_URL = 'http://127.0.0.1:8765';
export const ANKI_CONNECT_VERSION = 6;
export const DEFAULT_DECK = 'Attention Reader';
/** Added to every exported note, so the learner can find them all in Anki's browser. */
export const EXPORT_TAG = 'attention-reader';
/** Notes per canAddNotes and addNotes request: keeps one request well under AnkiConnect's patience. */
const ADD_BATCH = 100;

/**
 * Anki names its built-in note types and fields in the learner's UI language ("Lückentext"
 * in German), so these are settings with the English names as defaults.
 */
export interface AnkiNoteTypes {
  cloze: { modelName: string; textField: string; extraField: string };
  basic: { modelName: string; frontField: string; backField: string };
}

export const DEFAULT_NOTE_TYPES: AnkiNoteTypes = {
  cloze: { modelName: 'Cloze', textField: 'Text', extraField: 'Back Extra' },
  basic: { modelName: 'Basic', frontField: 'Front', backField: 'Back' },
};

export interface AnkiExportOptions {
  deck?: string;
  /** Extra tags for every note (spaces inside a tag become underscores). */
  tags?: readonly string[];
  noteTypes?: AnkiNoteTypes;
}

// ---------------------------------------------------------------------------------------
// Field content.

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '{': '&#123;',
  '}': '&#125;',
};

/** Page text as inert HTML for an Anki field; line breaks become <br>. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'{}]/gu, (ch) => HTML_ESCAPES[ch]!).replace(/\r\n|\r|\n/gu, '<br>');
}

/** The cloze field: the sentence with the hidden word as {{c1::word}}. */
export function clozeMarkup(card: ClozeCard): string {
  const before = card.text.slice(0, card.cloze.start);
  const answer = card.text.slice(card.cloze.start, card.cloze.end);
  const after = card.text.slice(card.cloze.end);
  // "::" inside the answer would start a cloze hint; an escaped colon renders the same.
  return `${escapeHtml(before)}{{c1::${escapeHtml(answer).replaceAll(':', '&#58;')}}}${escapeHtml(after)}`;
}

/** A link back to the page, or the escaped title alone when the address is not http(s). */
export function sourceLink(source: { url: string; title: string }): string {
  let href = '';
  let host = '';
  try {
    const u = new URL(source.url);
    if (u.protocol === 'http:' || u.protocol === 'https:') {
      href = u.href;
      host = u.hostname;
    }
  } catch {
    // not a URL: no link
  }
  const label = escapeHtml(source.title || host || source.url);
  if (!href) return label;
  return `<a href="${escapeHtml(href)}">${label}</a>`;
}

function joinParts(parts: string[]): string {
  return parts.filter((p) => p !== '').join('<br><br>');
}

/** Note type and the two field values (HTML) Anki gets for a card. */
export function ankiFields(card: ReviewCard, noteTypes: AnkiNoteTypes = DEFAULT_NOTE_TYPES): {
  modelName: string;
  fields: Record<string, string>;
  values: [string, string];
} {
  const note = escapeHtml(card.note);
  const source = sourceLink(card.source);
  if (card.kind === 'cloze') {
    const t = noteTypes.cloze;
    const meaning = card.sense ? escapeHtml(senseLine(card.sense)) : '';
    const values: [string, string] = [clozeMarkup(card), joinParts([meaning, note, source])];
    return { modelName: t.modelName, fields: { [t.textField]: values[0], [t.extraField]: values[1] }, values };
  }
  const t = noteTypes.basic;
  const values: [string, string] = [
    joinParts([`Recall the gist: ${escapeHtml(card.cue)}`, escapeHtml(card.source.title)]),
    joinParts([escapeHtml(card.text), note, source]),
  ];
  return { modelName: t.modelName, fields: { [t.frontField]: values[0], [t.backField]: values[1] }, values };
}

/** Anki tags of a card: ours, the card's, the export's, and its language. */
export function ankiTags(card: ReviewCard, extra: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const tag of [EXPORT_TAG, `lang::${card.lang}`, ...card.tags, ...extra]) {
    const t = tag.trim().replace(/\s+/gu, '_');
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Text file for File → Import.

export type AnkiTextFormat = 'tsv' | 'csv';

/** What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/u;
const FORMULA_ENTITY: Readonly<Record<string, string>> = { '=': '&#61;', '+': '&#43;', '-': '&#45;', '@': '&#64;', '\t': '&#9;', '\r': '&#13;' };

/**
 * A cell a spreadsheet opening the file would run as a formula (`=HYPERLINK(...)`, a
 * `CHAR()`-built one, `@SUM(...)`, `+`/`-` expressions, a leading tab or CR) is made inert.
 * Anki reads the note fields as HTML (`#html:true`), so there the first character becomes its
 * HTML entity: the card shows exactly the same text, and the cell starts with `&`. The other
 * columns (id, note type, deck, tags) are plain text, and get OWASP's leading apostrophe.
 */
export function defuseFormula(value: string, html: boolean): string {
  if (!FORMULA_START.test(value)) return value;
  return html ? FORMULA_ENTITY[value[0]!]! + value.slice(1) : `'${value}`;
}

/** One field of a delimited line: quoted (quotes doubled) when it holds anything special. */
export function delimitedField(value: string, separator: string): string {
  return value.includes(separator) || /["\r\n]/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The cards as a file Anki (2.1.55 or later) imports without questions: the headers name the
 * separator, say fields are HTML, and which columns hold the note's id (so importing again
 * updates notes rather than duplicating them), note type, deck and tags.
 */
export function toAnkiText(cards: readonly ReviewCard[], format: AnkiTextFormat, options: AnkiExportOptions = {}): string {
  const sep = format === 'tsv' ? '\t' : ',';
  const deck = options.deck?.trim() || DEFAULT_DECK;
  const lines = [
    `#separator:${format === 'tsv' ? 'tab' : 'comma'}`,
    '#html:true',
    '#guid column:1',
    '#notetype column:2',
    '#deck column:3',
    '#tags column:6',
  ];
  for (const card of cards) {
    const { modelName, values } = ankiFields(card, options.noteTypes);
    const row = [card.id, modelName, deck, values[0], values[1], ankiTags(card, options.tags).join(' ')];
    lines.push(row.map((f, column) => delimitedField(defuseFormula(f, column === 3 || column === 4), sep)).join(sep));
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// AnkiConnect.

export interface AnkiConnectRequest {
  action: string;
  version: typeof ANKI_CONNECT_VERSION;
  params?: Record<string, unknown>;
  key?: string;
}

export interface AnkiConnectNote {
  deckName: string;
  modelName: string;
  fields: Record<string, string>;
  tags: string[];
  options: { allowDuplicate: boolean; duplicateScope: 'deck' };
}

export function ankiRequest(action: string, params?: Record<string, unknown>, apiKey?: string): AnkiConnectRequest {
  const request: AnkiConnectRequest = { action, version: ANKI_CONNECT_VERSION };
  if (params) request.params = params;
  if (apiKey) request.key = apiKey;
  return request;
}

export function ankiConnectNotes(cards: readonly ReviewCard[], options: AnkiExportOptions = {}): AnkiConnectNote[] {
  const deckName = options.deck?.trim() || DEFAULT_DECK;
  return cards.map((card) => {
    const { modelName, fields } = ankiFields(card, options.noteTypes);
    return { deckName, modelName, fields, tags: ankiTags(card, options.tags), options: { allowDuplicate: false, duplicateScope: 'deck' } };
  });
}

/** What went wrong talking to AnkiConnect, before it is put into words. */
export type AnkiFailure =
  | { kind: 'unreachable'; detail?: string }
  | { kind: 'timeout' }
  | { kind: 'forbidden' }
  | { kind: 'permission-denied' }
  | { kind: 'http'; status: number }
  | { kind: 'malformed' }
  | { kind: 'anki'; error: string }
  /** The note type exists but lacks fields the settings name (AnkiConnect would drop their text). */
  | { kind: 'missing-fields'; modelName: string; missing: { setting: AnkiSetting; field: string }[]; available: string[] };

export interface AnkiMessageContext {
  /** This extension's origin (e.g. "chrome-extension://abc…"), named in the fix-it steps. */
  origin?: string;
  /** The deck and note types asked for, so that a missing one is traced to its setting. */
  deck?: string;
  noteTypes?: AnkiNoteTypes;
}

/** The learner's Anki settings, each a field on the options page. */
export type AnkiSetting = 'deck' | 'clozeModel' | 'clozeText' | 'clozeExtra' | 'basicModel' | 'basicFront' | 'basicBack' | 'apiKey';

/**
 * The options page's labels for those settings (public/_locales/en/messages.json), quoted in
 * messages so the learner finds the field to change; a test holds the two together.
 */
export const ANKI_SETTING_LABELS: Record<AnkiSetting, string> = {
  deck: 'Deck',
  clozeModel: 'Cloze note type',
  clozeText: 'Cloze text field',
  clozeExtra: 'Cloze extra field',
  basicModel: 'Basic note type',
  basicFront: 'Basic front field',
  basicBack: 'Basic back field',
  apiKey: 'AnkiConnect API key',
};

/** Where those settings live on the options page. */
const SETTINGS_PLACE = "in this extension's settings, under Anki";

const quoteList = (xs: readonly string[]) => xs.map((x) => `"${x}"`).join(', ');
const labelList = (settings: readonly AnkiSetting[]) => settings.map((s) => `"${ANKI_SETTING_LABELS[s]}"`).join(' and ');

/** Which note type settings name `modelName` (both, when the learner gave both the same name). */
function modelSettings(modelName: string, noteTypes: AnkiNoteTypes | undefined): AnkiSetting[] {
  if (!noteTypes) return [];
  const out: AnkiSetting[] = [];
  if (noteTypes.cloze.modelName === modelName) out.push('clozeModel');
  if (noteTypes.basic.modelName === modelName) out.push('basicModel');
  return out;
}

function corsAdvice(origin: string | undefined): string {
  const who = origin ? `"${origin}"` : "this extension's address";
  return `In Anki, open Tools → Add-ons → AnkiConnect → Config, add ${who} to "webCorsOriginList", then restart Anki.`;
}

/** A failure in words the learner can act on. */
export function describeAnkiFailure(failure: AnkiFailure, context: AnkiMessageContext = {}): string {
  switch (failure.kind) {
    case 'unreachable':
      return (
        'Could not reach Anki at 127.0.0.1:8765. Open Anki and check that the AnkiConnect add-on ' +
        '(code 2055492159) is installed, then try again. If Anki is already open, AnkiConnect may ' +
        `be refusing this extension. ${corsAdvice(context.origin)}`
      );
    case 'timeout':
      return 'Anki did not answer in time. If a dialog is open in Anki, close it and try again.';
    case 'forbidden':
      return `AnkiConnect refused this extension. ${corsAdvice(context.origin)}`;
    case 'permission-denied':
      return (
        'Anki did not allow this extension to add cards. Try again and choose "Yes" in the dialog ' +
        `Anki shows; if no dialog appears, remove the extension from "ignoreOriginList". ${corsAdvice(context.origin)}`
      );
    case 'http':
      return `AnkiConnect answered with an error (HTTP ${failure.status}). Restart Anki and try again.`;
    case 'malformed':
      return 'Something answered on port 8765, but not the way AnkiConnect does. Check that AnkiConnect is what runs there.';
    case 'anki':
      return describeAnkiError(failure.error, context);
    case 'missing-fields': {
      const fields = failure.missing.map((m) => `"${m.field}"`);
      const has = failure.available.length ? `Its fields are ${quoteList(failure.available)}. ` : '';
      return (
        `Anki's note type "${failure.modelName}" has no field called ${fields.join(' or ')}. ${has}` +
        `Enter the field names Anki shows (Tools → Manage Note Types → Fields) as ${labelList(failure.missing.map((m) => m.setting))} ${SETTINGS_PLACE} → Note types.`
      );
    }
  }
}

function describeAnkiError(error: string, context: AnkiMessageContext = {}): string {
  const modelMissing = /^model was not found: (.*)$/su.exec(error);
  if (modelMissing) {
    const name = modelMissing[1]!;
    const settings = modelSettings(name, context.noteTypes);
    const where = settings.length ? labelList(settings) : `"${ANKI_SETTING_LABELS.clozeModel}" or "${ANKI_SETTING_LABELS.basicModel}"`;
    return (
      `Anki has no note type called "${name}". Anki names its built-in note types in your language: ` +
      `look up the name in Anki (Tools → Manage Note Types) and enter it as ${where} ${SETTINGS_PLACE} → Note types.`
    );
  }
  const deckMissing = /^deck was not found: (.*)$/su.exec(error);
  if (deckMissing) {
    return `Anki has no deck called "${deckMissing[1]}". Create it in Anki, or change "${ANKI_SETTING_LABELS.deck}" ${SETTINGS_PLACE}.`;
  }
  if (/api key/iu.test(error)) {
    return `AnkiConnect asks for an API key. Copy "apiKey" from its config (Tools → Add-ons → AnkiConnect → Config) into "${ANKI_SETTING_LABELS.apiKey}" ${SETTINGS_PLACE}.`;
  }
  if (/collection is not available/iu.test(error)) return 'Anki has no profile open. Open your profile in Anki and try again.';
  if (/unsupported action/iu.test(error)) return 'This AnkiConnect is too old for this extension. Update the add-on in Anki.';
  if (/duplicate/iu.test(error)) return 'These cards are already in that Anki deck.';
  if (/empty/iu.test(error)) {
    return `The note would be empty: the field names ${SETTINGS_PLACE} → Note types do not match your note type's fields.`;
  }
  return `Anki reported: ${error}`;
}

/** The fetch AnkiConnect calls use; in the extension, `globalThis.fetch` fits. */
export type AnkiFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface AnkiConnectOptions extends AnkiMessageContext {
  fetch: AnkiFetch;
  url?: string;
  signal?: AbortSignal;
}

export type AnkiCallResult<T> = { ok: true; result: T } | { ok: false; failure: AnkiFailure; error: string };

/** Reads an AnkiConnect reply body: version 6 always answers `{ result, error }`. */
export function interpretAnkiReply(status: number, body: string): { ok: true; result: unknown } | { ok: false; failure: AnkiFailure } {
  if (status === 403) return { ok: false, failure: { kind: 'forbidden' } };
  if (status < 200 || status > 299) return { ok: false, failure: { kind: 'http', status } };
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return { ok: false, failure: { kind: 'malformed' } };
  }
  if (typeof reply !== 'object' || reply === null || !('result' in reply) || !('error' in reply)) {
    return { ok: false, failure: { kind: 'malformed' } };
  }
  const { result, error } = reply as { result: unknown; error: unknown };
  if (error !== null) return { ok: false, failure: { kind: 'anki', error: String(error) } };
  return { ok: true, result };
}

/** Sends one request; never throws. */
export async function callAnkiConnect(request: AnkiConnectRequest, options: AnkiConnectOptions): Promise<AnkiCallResult<unknown>> {
  const fail = (failure: AnkiFailure): AnkiCallResult<unknown> => ({ ok: false, failure, error: describeAnkiFailure(failure, options) });
  let status: number;
  let body: string;
  try {
    const init: Parameters<AnkiFetch>[1] = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    };
    if (options.signal) init.signal = options.signal;
    const response = await options.fetch(options.url ?? ANKI_CONNECT_URL, init);
    status = response.status;
    body = await response.text();
  } catch (e) {
    const name = (e as { name?: unknown } | null)?.name;
    if (name === 'AbortError' || name === 'TimeoutError') return fail({ kind: 'timeout' });
    // A refused connection and a CORS refusal look the same from here: a TypeError.
    return fail({ kind: 'unreachable', detail: e instanceof Error ? e.message : String(e) });
  }
  const reply = interpretAnkiReply(status, body);
  return reply.ok ? reply : fail(reply.failure);
}

export interface AnkiPushOptions extends AnkiExportOptions, AnkiConnectOptions {
  apiKey?: string;
}

export type AnkiPushResult =
  | { ok: true; added: number; skipped: number; noteIds: number[] }
  | { ok: false; error: string; added: number };

type AnkiCall = (request: AnkiConnectRequest) => Promise<AnkiCallResult<unknown>>;

/**
 * Checks that the note types the cards need exist with the fields the settings name, and
 * returns what is wrong in words (or null). This has to be asked before adding: AnkiConnect's
 * canAddNotes answers a plain `false` for a missing note type, which reads like "already in
 * Anki", and addNotes silently drops a field whose name matches none of the note type's.
 */
async function checkNoteTypes(cards: readonly ReviewCard[], options: AnkiPushOptions & { noteTypes: AnkiNoteTypes }, call: AnkiCall): Promise<string | null> {
  const { cloze, basic } = options.noteTypes;
  const wanted = new Map<string, { setting: AnkiSetting; field: string }[]>();
  const need = (modelName: string, fields: { setting: AnkiSetting; field: string }[]) => wanted.set(modelName, [...(wanted.get(modelName) ?? []), ...fields]);
  if (cards.some((c) => c.kind === 'cloze')) {
    need(cloze.modelName, [
      { setting: 'clozeText', field: cloze.textField },
      { setting: 'clozeExtra', field: cloze.extraField },
    ]);
  }
  if (cards.some((c) => c.kind !== 'cloze')) {
    need(basic.modelName, [
      { setting: 'basicFront', field: basic.frontField },
      { setting: 'basicBack', field: basic.backField },
    ]);
  }
  for (const [modelName, fields] of wanted) {
    const reply = await call(ankiRequest('modelFieldNames', { modelName }, options.apiKey));
    if (!reply.ok) {
      // An AnkiConnect without this action can still add notes: the check is a courtesy.
      if (reply.failure.kind === 'anki' && /unsupported action/iu.test(reply.failure.error)) return null;
      return reply.error;
    }
    // AnkiConnect before 2021 answered null, not an error, for a note type it did not have.
    if (reply.result === null) return describeAnkiFailure({ kind: 'anki', error: `model was not found: ${modelName}` }, options);
    const available: unknown = reply.result;
    if (!Array.isArray(available) || !available.every((f): f is string => typeof f === 'string')) {
      return describeAnkiFailure({ kind: 'malformed' }, options);
    }
    // AnkiConnect matches a note's field names to the note type's ignoring case.
    const have = new Set(available.map((f) => f.toLowerCase()));
    const missing = fields.filter((f) => !have.has(f.field.toLowerCase()));
    if (missing.length) return describeAnkiFailure({ kind: 'missing-fields', modelName, missing, available }, options);
  }
  return null;
}

/**
 * Adds the cards to Anki through AnkiConnect: asks for permission (Anki shows the learner a
 * dialog the first time), makes sure the deck exists and the note types have the fields the
 * settings name, leaves out notes Anki already has, and adds the rest. Never throws; a
 * failure comes back as a message for the learner.
 */
export async function pushToAnki(cards: readonly ReviewCard[], pushOptions: AnkiPushOptions): Promise<AnkiPushResult> {
  if (cards.length === 0) return { ok: true, added: 0, skipped: 0, noteIds: [] };
  // Deck and note types settled once, so every message can trace a missing one to its setting.
  const deck = pushOptions.deck?.trim() || DEFAULT_DECK;
  const options = { ...pushOptions, deck, noteTypes: pushOptions.noteTypes ?? DEFAULT_NOTE_TYPES };
  const call: AnkiCall = (request) => callAnkiConnect(request, options);

  const permission = await call(ankiRequest('requestPermission'));
  if (!permission.ok) {
    // AnkiConnect before 2021 has no requestPermission; the calls below still tell.
    const tooOld = permission.failure.kind === 'anki' && /unsupported action/iu.test(permission.failure.error);
    if (!tooOld) return { ok: false, error: permission.error, added: 0 };
  } else {
    const granted = permission.result as { permission?: unknown; requireApikey?: unknown } | null;
    if (granted?.permission === 'denied') {
      return { ok: false, error: describeAnkiFailure({ kind: 'permission-denied' }, options), added: 0 };
    }
    if (granted?.requireApikey === true && !options.apiKey) {
      return { ok: false, error: describeAnkiError('valid api key must be provided'), added: 0 };
    }
  }

  const created = await call(ankiRequest('createDeck', { deck }, options.apiKey));
  if (!created.ok) return { ok: false, error: created.error, added: 0 };

  const wrongNoteType = await checkNoteTypes(cards, options, call);
  if (wrongNoteType !== null) return { ok: false, error: wrongNoteType, added: 0 };

  const notes = ankiConnectNotes(cards, options);
  const noteIds: number[] = [];
  const malformed = () => ({ ok: false as const, error: describeAnkiFailure({ kind: 'malformed' }, options), added: noteIds.length });
  // canAddNotes gets the same batches as addNotes: a check of every note at once would be the
  // one request that outgrows AnkiConnect's patience on a large export.
  for (let i = 0; i < notes.length; i += ADD_BATCH) {
    const batch = notes.slice(i, i + ADD_BATCH);
    const can = await call(ankiRequest('canAddNotes', { notes: batch }, options.apiKey));
    if (!can.ok) return { ok: false, error: can.error, added: noteIds.length };
    if (!Array.isArray(can.result) || can.result.length !== batch.length) return malformed();
    const flags: unknown[] = can.result;
    const addable = batch.filter((_, j) => flags[j] === true);
    if (addable.length === 0) continue;
    const added = await call(ankiRequest('addNotes', { notes: addable }, options.apiKey));
    if (!added.ok) return { ok: false, error: added.error, added: noteIds.length };
    if (!Array.isArray(added.result)) return malformed();
    for (const id of added.result) if (typeof id === 'number') noteIds.push(id);
  }
  return { ok: true, added: noteIds.length, skipped: cards.length - noteIds.length, noteIds };
}
