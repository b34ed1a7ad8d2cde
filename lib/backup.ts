/**
 * A full backup of the learner's data as one JSON file, and the checks a file must pass
 * before anything from it is written back.
 *
 * The storage layer hands over `{ stores: { name: records[] } }`; this module wraps it in a
 * versioned envelope. Restoring is all-or-nothing: `parseBackup` validates the whole file —
 * envelope, store names, every record against its store's schema — and only then returns
 * it, so a damaged or hostile file can never leave half its contents in the database.
 */
import * as v from 'valibot';
import { MAX_EPOCH_MS, SnippetSchema } from './snippet.ts';
import { ReviewCardSchema, ReviewLogSchema } from './review.ts';

export const BACKUP_FORMAT = 'attention-reader-backup';
export const BACKUP_VERSION = 1;
/** Larger files are refused before parsing: years of reviews fit in a small fraction. */
export const MAX_BACKUP_CHARS = 100 * 1024 * 1024;
/** Our records nest a few levels; anything much deeper is not ours. */
export const MAX_BACKUP_DEPTH = 32;
/** Keys that could reach an object's prototype when a record is later copied or merged. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface Backup {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  /** Epoch milliseconds. */
  createdAt: number;
  stores: Record<string, unknown[]>;
}

/** For each store name, the schema every record in that store must satisfy. */
export type StoreSchemas = Readonly<Record<string, v.GenericSchema>>;

/** Schemas of the records this part of the extension owns; the storage layer adds its own. */
export const REVIEW_STORE_SCHEMAS = {
  snippets: SnippetSchema,
  cards: ReviewCardSchema,
  reviewLogs: ReviewLogSchema,
} as const satisfies StoreSchemas;

export type ParseBackupResult = { ok: true; backup: Backup } | { ok: false; error: string };

export function createBackup(data: { stores: Readonly<Record<string, readonly unknown[]>> }, now: number): Backup {
  const stores: Record<string, unknown[]> = {};
  for (const [name, records] of Object.entries(data.stores)) stores[name] = [...records];
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now, stores };
}

export function serialiseBackup(backup: Backup): string {
  return JSON.stringify(backup);
}

/**
 * The same text as `serialiseBackup`, in pieces of one record each: joined, they are exactly
 * `JSON.stringify(backup)`. A large profile's backup is then never one string and never one
 * message (browsers refuse extension messages over 64 MiB); the pieces go straight into the
 * downloaded file.
 */
export function serialiseBackupParts(backup: Backup): string[] {
  const { stores, ...head } = backup;
  const parts: string[] = [`${JSON.stringify(head).slice(0, -1)},"stores":{`];
  let firstStore = true;
  for (const [name, records] of Object.entries(stores)) {
    parts.push(`${firstStore ? '' : ','}${JSON.stringify(name)}:[`);
    firstStore = false;
    records.forEach((record, i) => parts.push((i === 0 ? '' : ',') + JSON.stringify(record)));
    parts.push(']');
  }
  parts.push('}}');
  return parts;
}

/** e.g. "attention-reader-backup-2025-03-09.json" (UTC date). */
export function backupFileName(createdAt: number): string {
  return `${BACKUP_FORMAT}-${new Date(createdAt).toISOString().slice(0, 10)}.json`;
}

// ---------------------------------------------------------------------------------------
// Parsing.

interface Node {
  value: unknown;
  depth: number;
  key: string;
  parent: Node | undefined;
}

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n && n.parent; n = n.parent) parts.push(n.key);
  return parts.reverse().join('.') || '(top level)';
}

/**
 * Walks the parsed JSON once, without recursion (a hostile file may nest deeply), looking
 * for what no legitimate backup contains: prototype keys, numbers beyond the exactly
 * representable range, excessive nesting.
 */
function findStructuralProblem(root: unknown): string | undefined {
  const stack: Node[] = [{ value: root, depth: 0, key: '', parent: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `It contains a number too large to represent, at ${pathOf(node)}.`;
      if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
        return `It contains the number ${value} at ${pathOf(node)}, larger than any value the extension stores.`;
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (node.depth >= MAX_BACKUP_DEPTH) return `Its data is nested more deeply than a backup's, at ${pathOf(node)}.`;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: node.depth + 1, key: String(i), parent: node });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) {
        return `It contains the key "${key}" (at ${pathOf(node)}), which could be used to tamper with the extension.`;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], depth: node.depth + 1, key, parent: node });
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return 'it does not match the expected shape';
  const path = v.getDotPath(issue);
  return path ? `${path}: ${issue.message}` : issue.message;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // V8 says "Unexpected end of JSON input" / "Unterminated string"; Firefox "unexpected end of data".
    if (/end of (JSON )?(input|data)|unterminated string/iu.test(message)) {
      return { ok: false, error: 'The backup file is cut short: it ends in the middle of the data. It may not have been saved or downloaded completely.' };
    }
    return { ok: false, error: `The file is not valid JSON, so it is not a backup made by this extension (${message}).` };
  }
}

function checkEnvelope(root: unknown): { ok: true; createdAt: number; stores: Record<string, unknown> } | { ok: false; error: string } {
  if (!isPlainObject(root)) return { ok: false, error: 'This file is not an Attention Reader backup.' };
  const { version, createdAt, stores } = root;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, error: 'This backup names no format version this extension knows.' };
  }
  if (version > BACKUP_VERSION) {
    return {
      ok: false,
      error: `This backup was made by a newer version of Attention Reader (backup format ${version}; this version reads format ${BACKUP_VERSION}). Update the extension, then restore the backup.`,
    };
  }
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt) || createdAt < 0 || createdAt > MAX_EPOCH_MS) {
    return { ok: false, error: 'The backup has no valid creation time.' };
  }
  const extra = Object.keys(root).find((k) => !['format', 'version', 'createdAt', 'stores'].includes(k));
  if (extra !== undefined) return { ok: false, error: `The backup has an unexpected field "${extra}".` };
  if (!isPlainObject(stores)) return { ok: false, error: 'The backup has no data section ("stores").' };
  return { ok: true, createdAt, stores };
}

function checkStores(
  stores: Record<string, unknown>,
  schemas: StoreSchemas,
): { ok: true; stores: Record<string, unknown[]> } | { ok: false; error: string } {
  const out: Record<string, unknown[]> = {};
  for (const [name, records] of Object.entries(stores)) {
    if (!Object.hasOwn(schemas, name)) {
      return { ok: false, error: `The backup holds data of a kind this version does not know ("${name}").` };
    }
    if (!Array.isArray(records)) return { ok: false, error: `The "${name}" section of the backup is not a list.` };
    const schema = schemas[name]!;
    const valid: unknown[] = [];
    const ids = new Set<unknown>();
    for (let i = 0; i < records.length; i++) {
      const parsed = v.safeParse(schema, records[i]);
      if (!parsed.success) {
        return { ok: false, error: `Entry ${i + 1} of "${name}" is damaged (${describeIssue(parsed.issues)}).` };
      }
      const id = isPlainObject(parsed.output) ? parsed.output.id : undefined;
      if (typeof id === 'string' || typeof id === 'number') {
        if (ids.has(id)) return { ok: false, error: `Two entries of "${name}" share the id "${String(id)}".` };
        ids.add(id);
      }
      valid.push(parsed.output);
    }
    out[name] = valid;
  }
  return { ok: true, stores: out };
}

/**
 * Checks a backup file completely and returns its contents, or says why it is refused:
 * too large, empty, cut short, not JSON, not our backup, from a newer version, holding
 * prototype keys or unrepresentable numbers, an unknown store, or a record that does not
 * match its store's schema. Never throws.
 *
 * `schemas` maps each store name to the schema of its records; stores not named there are
 * refused. Defaults to the review stores (snippets, cards, reviewLogs).
 */
export function parseBackup(text: string, options: { schemas?: StoreSchemas; maxChars?: number } = {}): ParseBackupResult {
  try {
    if (typeof text !== 'string') return { ok: false, error: 'There is no backup text to read.' };
    const maxChars = options.maxChars ?? MAX_BACKUP_CHARS;
    if (text.length > maxChars) {
      const mb = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;
      return { ok: false, error: `The file is too large to be a backup (${mb(text.length)}; the limit is ${mb(maxChars)}).` };
    }
    const body = text.startsWith('\ufeff') ? text.slice(1) : text;
    if (body.trim() === '') return { ok: false, error: 'The file is empty.' };

    const json = parseJson(body);
    if (!json.ok) return json;
    // Foreign files are recognised first, so their content is not blamed for being odd.
    if (!isPlainObject(json.value) || json.value.format !== BACKUP_FORMAT) {
      return { ok: false, error: 'This file is not an Attention Reader backup.' };
    }
    const problem = findStructuralProblem(json.value);
    if (problem) return { ok: false, error: `The backup is refused. ${problem}` };
    const envelope = checkEnvelope(json.value);
    if (!envelope.ok) return envelope;
    const stores = checkStores(envelope.stores, options.schemas ?? REVIEW_STORE_SCHEMAS);
    if (!stores.ok) return stores;
    return { ok: true, backup: { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: envelope.createdAt, stores: stores.stores } };
  } catch (e) {
    // Only an injected schema that throws gets here; the file is still not restored.
    return { ok: false, error: `The backup could not be checked (${e instanceof Error ? e.message : String(e)}).` };
  }
}
