/**
 * The languages offered, named in the language of the page's texts and in themselves
 * ("German (Deutsch)"), so a learner finds their language whatever the interface language.
 */
import { messagesLocale } from '../../platform/i18n';

/** Languages to learn: the word segmentation (Intl.Segmenter) handles all of them. */
export const TARGET_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'nb', 'pl', 'cs', 'ru', 'uk', 'tr', 'el', 'ja', 'zh', 'ko', 'ar'] as const;

/** First languages: a wider list; the empty choice means "not said". */
export const NATIVE_LANGUAGES = [
  ...TARGET_LANGUAGES,
  'bg', 'ca', 'et', 'fa', 'fi', 'he', 'hi', 'hr', 'hu', 'id', 'lt', 'lv', 'ms', 'ro', 'sk', 'sl', 'sr', 'th', 'vi',
] as const;

/** Languages with a shipped frequency list: the placement check needs one. */
export function hasPlacementCheck(lang: string): boolean {
  return lang.split('-')[0]!.toLowerCase() === 'en';
}

function displayName(code: string, locale: string): string | undefined {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

export function languageName(code: string): string {
  const inInterface = displayName(code, messagesLocale());
  const inItself = displayName(code, code);
  if (!inInterface) return inItself ?? code;
  return inItself && inItself.toLowerCase() !== inInterface.toLowerCase() ? `${inInterface} (${inItself})` : inInterface;
}

/** Options sorted by name; a stored code not in the list is kept as an option, so it is not lost. */
export function languageOptions(codes: readonly string[], current: string): Array<{ code: string; name: string }> {
  const all = codes.includes(current) || !current ? [...codes] : [...codes, current];
  const locale = messagesLocale();
  return all.map((code) => ({ code, name: languageName(code) })).sort((a, b) => a.name.localeCompare(b.name, locale));
}
