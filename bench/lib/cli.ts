/**
 * Command-line arguments shared by every benchmark: an optional data folder (default: the
 * set in ../shared/data) and named options, parsed by Node's own `util.parseArgs` (unknown
 * options and missing values are errors).
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchArgs<O extends Options>(argv: string[], defaultDataDir: string, options: O) {
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  if (positionals.length > 1) throw new Error(`one data folder at most, got ${positionals.join(', ')}`);
  return { dataDir: resolve(positionals[0] ?? defaultDataDir), values };
}

/** A whole number of at least 1 from an option's text, or `fallback` when it is absent. */
export function atLeastOne(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Math.floor(Number(text));
  if (!(n >= 1)) throw new Error(`expected a whole number >= 1, got ${text}`);
  return n;
}
