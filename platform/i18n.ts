/**
 * The extension's texts, through the browser's i18n messages (public/_locales/<lang>/messages.json),
 * so that a translation is one more messages.json and no code change.
 *
 * Outside the extension (unit tests, happy-dom) `browser.i18n.getMessage` is missing or throws;
 * the English messages are then read from the same file, so tests see the real texts. Keys are
 * typed from that file: a text asked for and not written is a compile error.
 */
import { browser } from 'wxt/browser';
import english from '../public/_locales/en/messages.json';

export type MessageKey = keyof typeof english;
export type Substitution = string | number;

interface MessageEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

/**
 * The browser's own substitution rules, for the fallback: named placeholders ($NAME$, case
 * insensitive) expand to their content, then $1..$9 take the substitutions, and $$ is a dollar.
 */
export function formatMessage(entry: MessageEntry, substitutions: readonly string[]): string {
  const placeholders = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
  const expanded = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => placeholders.get(name.toLowerCase()) ?? whole);
  return expanded.replace(/\$(\$|[1-9])/g, (_whole, what: string) => (what === '$' ? '$' : (substitutions[Number(what) - 1] ?? '')));
}

function getMessage(key: string, subs: string[]): string {
  try {
    return browser.i18n.getMessage(key as never, subs) ?? '';
  } catch {
    return ''; // not running as an extension
  }
}

/** The text for `key`, with its $1..$n filled from `substitutions`. */
export function t(key: MessageKey, substitutions: Substitution | readonly Substitution[] = []): string {
  const subs = (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
  return getMessage(key, subs) || formatMessage(english[key] as MessageEntry, subs);
}

/** The locale the served messages are written in (each messages.json names its own). */
export function messagesLocale(): string {
  return t('locale');
}

type PluralKey<K> = K extends `${infer Base}_other` ? Base : never;
export type PluralBase = PluralKey<MessageKey>;

/**
 * A count in words: `${base}_${category}` by the plural rules of the messages' language, e.g.
 * `reviewsDue_one` / `reviewsDue_other`, falling back to `_other` for categories a language's
 * file does not write. The count is $1, already formatted.
 */
export function plural(base: PluralBase, n: number, more: readonly Substitution[] = []): string {
  const locale = messagesLocale();
  const category = new Intl.PluralRules(locale).select(n);
  const key = `${base}_${category}`;
  const subs = [formatNumber(n), ...more].map(String);
  const translated = getMessage(key, subs);
  if (translated) return translated;
  return Object.hasOwn(english, key) ? t(key as MessageKey, subs) : t(`${base}_other` as MessageKey, subs);
}

export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return new Intl.NumberFormat(messagesLocale(), { maximumFractionDigits: 0, ...options }).format(n);
}
