/**
 * Language of a piece of page text: the closest `lang` attribute when the page states one
 * (unless the text is plainly in another script: many sites declare `lang="en"` on every
 * page, whatever it says), otherwise a guess from the writing system alone.
 *
 * Script detection is deliberately simple and pure (no models, no word lists): a script that
 * a single major language owns (Hangul, kana, Thai, Greek...) names that language; a few
 * letters that only one language of a shared script uses (Ukrainian і/ї/є, Persian پ/گ, Urdu
 * ے) refine it. Latin text cannot be told apart this way, so it stays undetermined ('und')
 * and the caller's default applies.
 */

/**
 * Code-point ranges of the writing systems we can count, each with the language it implies
 * when it dominates. Ranges rather than `\p{Script=...}` tests: this runs on every block of
 * every page, and one range lookup per character is many times cheaper than a regex per script.
 */
const SCRIPT_RANGES: ReadonlyArray<readonly [from: number, to: number, script: string]> = [
  [0x41, 0x5a, 'Latin'],
  [0x61, 0x7a, 'Latin'],
  [0xc0, 0x24f, 'Latin'],
  [0x370, 0x3ff, 'Greek'],
  [0x400, 0x52f, 'Cyrillic'],
  [0x530, 0x58f, 'Armenian'],
  [0x590, 0x5ff, 'Hebrew'],
  [0x600, 0x6ff, 'Arabic'],
  [0x750, 0x77f, 'Arabic'],
  [0x8a0, 0x8ff, 'Arabic'],
  [0x900, 0x97f, 'Devanagari'],
  [0x980, 0x9ff, 'Bengali'],
  [0xa00, 0xa7f, 'Gurmukhi'],
  [0xa80, 0xaff, 'Gujarati'],
  [0xb00, 0xb7f, 'Oriya'],
  [0xb80, 0xbff, 'Tamil'],
  [0xc00, 0xc7f, 'Telugu'],
  [0xc80, 0xcff, 'Kannada'],
  [0xd00, 0xd7f, 'Malayalam'],
  [0xd80, 0xdff, 'Sinhala'],
  [0xe00, 0xe7f, 'Thai'],
  [0xe80, 0xeff, 'Lao'],
  [0xf00, 0xfff, 'Tibetan'],
  [0x1000, 0x109f, 'Myanmar'],
  [0x10a0, 0x10ff, 'Georgian'],
  [0x1100, 0x11ff, 'Hangul'],
  [0x1200, 0x139f, 'Ethiopic'],
  [0x1780, 0x17ff, 'Khmer'],
  [0x1e00, 0x1eff, 'Latin'],
  [0x1f00, 0x1fff, 'Greek'],
  [0x3040, 0x30ff, 'Kana'],
  [0x3130, 0x318f, 'Hangul'],
  [0x31f0, 0x31ff, 'Kana'],
  [0x3400, 0x4dbf, 'Han'],
  [0x4e00, 0x9fff, 'Han'],
  [0xac00, 0xd7af, 'Hangul'],
  [0xf900, 0xfaff, 'Han'],
  [0xfb1d, 0xfb4f, 'Hebrew'],
  [0xfb50, 0xfdff, 'Arabic'],
  [0xfe70, 0xfeff, 'Arabic'],
  [0xff66, 0xff9f, 'Kana'],
  [0x20000, 0x2ffff, 'Han'],
];

/** The language each script implies on its own; Latin is shared by too many to say. */
const SCRIPT_LANG: Readonly<Record<string, string>> = {
  Latin: 'und',
  Cyrillic: 'ru',
  Greek: 'el',
  Arabic: 'ar',
  Hebrew: 'he',
  Hangul: 'ko',
  Kana: 'ja',
  Han: 'zh',
  Thai: 'th',
  Devanagari: 'hi',
  Bengali: 'bn',
  Gurmukhi: 'pa',
  Gujarati: 'gu',
  Oriya: 'or',
  Tamil: 'ta',
  Telugu: 'te',
  Kannada: 'kn',
  Malayalam: 'ml',
  Sinhala: 'si',
  Georgian: 'ka',
  Armenian: 'hy',
  Ethiopic: 'am',
  Khmer: 'km',
  Lao: 'lo',
  Myanmar: 'my',
  Tibetan: 'bo',
};

/** Letters only one language of a shared script uses; checked in this order. */
const REFINEMENTS: Readonly<Record<string, ReadonlyArray<readonly [RegExp, string]>>> = {
  Cyrillic: [
    [/[ўЎ]/u, 'be'],
    [/[іїєґІЇЄҐ]/u, 'uk'],
    [/[ђћџљњЂЋЏЉЊ]/u, 'sr'],
    [/[ңөүҢӨҮ]/u, 'kk'],
  ],
  Arabic: [
    [/[ٹڈڑںےھ]/u, 'ur'],
    [/[پچژگکی]/u, 'fa'],
  ],
};

/** The last range hit: letters of one script come in runs, so most lookups end here. */
let lastRange: readonly [number, number, string] = SCRIPT_RANGES[0]!;

function scriptOf(cp: number): string | undefined {
  if (cp >= lastRange[0] && cp <= lastRange[1]) return lastRange[2];
  // Binary search: the ranges are sorted and disjoint.
  let lo = 0;
  let hi = SCRIPT_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = SCRIPT_RANGES[mid]!;
    if (cp < r[0]) hi = mid - 1;
    else if (cp > r[1]) lo = mid + 1;
    else {
      lastRange = r;
      return r[2];
    }
  }
  return undefined;
}

/** How many characters of the text we look at: enough to decide, bounded for long blocks. */
const SAMPLE_CHARS = 160;

/** Share of the letters a script needs before it names the text's language. */
const DOMINANCE = 0.5;

export interface ScriptCount {
  readonly script: string;
  readonly letters: number;
  readonly share: number;
}

/** The script with the most letters in (a prefix of) `text`, or undefined when there are none. */
export function dominantScript(text: string): ScriptCount | undefined {
  let counts: Map<string, number> | undefined;
  let letters = 0;
  let latin = 0;
  const limit = Math.min(text.length, SAMPLE_CHARS);
  for (let i = 0; i < limit; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x80) {
      // ASCII, the common case: letters are Latin, the rest is not counted.
      if ((cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a)) {
        letters++;
        latin++;
      }
      continue;
    }
    if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < limit) {
      cp = text.codePointAt(i) ?? cp;
      i++;
    }
    const script = scriptOf(cp);
    if (!script) continue;
    letters++;
    counts ??= new Map();
    counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  if (letters === 0) return undefined;
  if (!counts) return { script: 'Latin', letters, share: 1 };
  if (latin > 0) counts.set('Latin', (counts.get('Latin') ?? 0) + latin);
  // Japanese mixes kana with Han: any kana means Japanese, and its Han letters count as such.
  const kana = counts.get('Kana') ?? 0;
  if (kana > 0) {
    counts.set('Kana', kana + (counts.get('Han') ?? 0));
    counts.delete('Han');
  }
  let best: ScriptCount | undefined;
  for (const [script, n] of counts) {
    if (!best || n > best.letters) best = { script, letters: n, share: n / letters };
  }
  return best;
}

/**
 * The language a script count implies, refined by letters peculiar to one language: a BCP 47
 * primary tag, or 'und' when the script is shared by many languages (Latin) or none dominates.
 */
function languageOf(top: ScriptCount | undefined, text: string): string {
  if (!top || top.share < DOMINANCE) return 'und';
  const refinements = REFINEMENTS[top.script];
  if (refinements) {
    const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
    for (const [re, lang] of refinements) if (re.test(sample)) return lang;
  }
  return SCRIPT_LANG[top.script] ?? 'und';
}

/** The script a language is written in, for languages whose script we recognise. */
const LANG_SCRIPT: Readonly<Record<string, string>> = (() => {
  const map: Record<string, string> = {};
  for (const [script, lang] of Object.entries(SCRIPT_LANG)) if (lang !== 'und') map[lang] = script;
  for (const refs of Object.entries(REFINEMENTS)) for (const [, lang] of refs[1]) map[lang] = refs[0];
  Object.assign(map, { zh: 'Han', ja: 'Kana', mr: 'Devanagari', ne: 'Devanagari', bg: 'Cyrillic', mk: 'Cyrillic', yi: 'Hebrew', ps: 'Arabic', ku: 'Arabic' });
  for (const lang of ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'sv', 'da', 'no', 'nb', 'nn', 'fi', 'pl', 'cs', 'sk', 'sl', 'hr', 'hu', 'ro', 'tr', 'id', 'ms', 'vi', 'et', 'lv', 'lt', 'ga', 'ca', 'eu', 'gl', 'is', 'sq', 'af', 'sw', 'tl']) {
    map[lang] = 'Latin';
  }
  return map;
})();

/**
 * Whether a declared `lang` is plausible for text whose dominant script is `top`: false only
 * when we know the language's script and the text is clearly written in another one (a Russian
 * paragraph on a page that declares `lang="en"` for everything). Unknown languages and mixed
 * text are given the benefit of the doubt.
 */
function fits(lang: string, top: ScriptCount | undefined): boolean {
  const primary = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  const expected = LANG_SCRIPT[primary];
  if (!expected) return true;
  if (!top || top.share < 0.8 || top.letters < 8) return true;
  if (top.script === expected) return true;
  // Japanese text may be written in Han alone; Chinese never uses kana.
  return expected === 'Kana' && top.script === 'Han';
}

/**
 * For Latin-script text, the language its function words name when they clearly name one that
 * differs from the declaration (or there is none): many sites declare `lang="en"` whatever the
 * text, and a French paragraph must not be judged as English. Only declarations of languages
 * the function-word profile knows are overruled; any other is left to `fits`.
 */
function latinOverride(declared: string | undefined, top: ScriptCount | undefined, text: string): string | undefined {
  if (!top || top.script !== 'Latin' || top.share < 0.8 || top.letters < 8) return undefined;
  const primary = declared ? primaryLanguage(declared) : 'und';
  if (primary !== 'und' && !LATIN_LANGUAGES.includes(primary)) return undefined;
  const detected = latinLanguage(text);
  return detected !== 'und' && detected !== primary ? detected : undefined;
}

/**
 * The language to report for a block: the declared one when it fits the text, else the
 * script's, else the declared one anyway, else `fallback`.
 */
export function resolveLanguage(declared: string | undefined, text: string, fallback = 'und'): string {
  const top = dominantScript(text);
  const latin = latinOverride(declared, top, text);
  if (latin) return latin;
  if (declared && fits(declared, top)) return declared;
  const detected = languageOf(top, text);
  return detected !== 'und' ? detected : (declared ?? fallback);
}

// ---------------------------------------------------------------------------------------------
// Latin-script languages, told apart by their function words.
// ---------------------------------------------------------------------------------------------

/**
 * The commonest function words of each Latin-script language we tell apart: articles,
 * prepositions, conjunctions, pronouns and forms of "to be" / "to have", which make up a
 * third or more of running text in any of them. Words shared by several of these languages
 * ("de", "a", "en", "in", "la", "que"...) are left out or kept only where they are rare in the
 * others, so that each hit says something. A word list rather than a character n-gram model:
 * a paragraph has dozens of function words, this needs no trained data, and it is readable.
 */
const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['the', 'and', 'of', 'to', 'is', 'that', 'it', 'was', 'for', 'on', 'with', 'as', 'are', 'be', 'this', 'by', 'from', 'have', 'has', 'had', 'not', 'but', 'they', 'which', 'were', 'their', 'been', 'would', 'will', 'there', 'what', 'about', 'who', 'when', 'an', 'at', 'or', 'he', 'she', 'we', 'you', 'his', 'her', 'its', 'into', 'than', 'more', 'also'],
  fr: ['le', 'les', 'des', 'du', 'une', 'et', 'est', 'qui', 'dans', 'pour', 'pas', 'sur', 'au', 'aux', 'avec', 'ce', 'cette', 'ces', 'il', 'elle', 'ils', 'sont', 'été', 'mais', 'ou', 'nous', 'vous', 'leur', 'leurs', 'son', 'sa', 'ses', 'plus', 'être', 'fait', 'très', 'aussi', 'comme', 'ont', 'était', 'où', 'cela', 'ne', 'tout', 'même', "l'", "d'", "qu'", "n'", "c'"],
  es: ['el', 'los', 'las', 'del', 'y', 'es', 'una', 'por', 'con', 'para', 'su', 'sus', 'al', 'lo', 'más', 'pero', 'está', 'son', 'fue', 'muy', 'también', 'este', 'esta', 'entre', 'cuando', 'sin', 'sobre', 'ya', 'hay', 'desde', 'ha', 'han', 'como', 'porque', 'todo', 'era', 'les'],
  it: ['il', 'gli', 'della', 'delle', 'dei', 'degli', 'di', 'è', 'che', 'per', 'con', 'non', 'sono', 'nel', 'nella', 'alla', 'al', 'anche', 'come', 'più', 'ma', 'questo', 'questa', 'essere', 'stato', 'ha', 'hanno', 'dal', 'dalla', 'tra', 'molto', 'perché', 'una', 'lo', 'si', 'era', 'suo', 'sua', 'loro', "l'", "un'", "dell'", "all'", "nell'"],
  pt: ['os', 'da', 'do', 'das', 'dos', 'é', 'um', 'uma', 'em', 'no', 'na', 'nos', 'nas', 'para', 'com', 'não', 'por', 'mais', 'como', 'mas', 'foi', 'ao', 'são', 'seu', 'sua', 'também', 'ele', 'ela', 'pelo', 'pela', 'muito', 'isso', 'está', 'já', 'ou', 'quando', 'entre', 'sobre', 'tem', 'era'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ein', 'eine', 'zu', 'den', 'dem', 'mit', 'sich', 'auf', 'für', 'von', 'auch', 'es', 'im', 'wird', 'sind', 'war', 'wurde', 'aber', 'oder', 'nach', 'bei', 'wie', 'noch', 'einem', 'einer', 'des', 'werden', 'hat', 'dass', 'über', 'sie', 'er', 'ich', 'wir'],
  nl: ['het', 'een', 'van', 'dat', 'niet', 'op', 'te', 'zijn', 'met', 'voor', 'ook', 'aan', 'er', 'maar', 'om', 'bij', 'als', 'nog', 'door', 'naar', 'wordt', 'werd', 'dit', 'deze', 'hij', 'zij', 'ze', 'worden', 'heeft', 'uit', 'geen', 'wel', 'wat', 'kan', 'zou'],
};

const WORD_LANGS: ReadonlyMap<string, readonly string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const [lang, list] of Object.entries(FUNCTION_WORDS)) for (const w of list) map.set(w, [...(map.get(w) ?? []), lang]);
  return map;
})();

/** Characters looked at: a few sentences decide, and long blocks stay cheap. */
const LATIN_SAMPLE_CHARS = 1_200;
/** Hits the winner needs, its lead over the runner-up, and its share of the words. */
const MIN_HITS = 4;
const MIN_LEAD = 2;
const MIN_HIT_SHARE = 0.12;

/** A word, with an elided article or pronoun ("l'", "qu'") split off as its own token. */
const LATIN_TOKEN = /[a-zà-öø-ÿœ]+['’]?/giu;

/**
 * The Latin-script language of a text by its function words ('en', 'fr', 'es', 'it', 'pt',
 * 'de', 'nl'), or 'und' when the text is too short or too mixed to say with confidence.
 */
export function latinLanguage(text: string): string {
  const sample = (text.length > LATIN_SAMPLE_CHARS ? text.slice(0, LATIN_SAMPLE_CHARS) : text).toLowerCase();
  const hits = new Map<string, number>();
  let tokens = 0;
  for (const m of sample.matchAll(LATIN_TOKEN)) {
    tokens++;
    // "l'eau" gives the elided article "l'" as a token; "don't" gives "don'" and "t", neither listed.
    const word = m[0].replace('’', "'");
    for (const lang of WORD_LANGS.get(word) ?? []) hits.set(lang, (hits.get(lang) ?? 0) + 1);
  }
  const ranked = [...hits].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < MIN_HITS || best[1] < MIN_LEAD * (second?.[1] ?? 0) || best[1] < MIN_HIT_SHARE * tokens) return 'und';
  return best[0];
}

/** Languages `latinLanguage` can name. */
export const LATIN_LANGUAGES: readonly string[] = Object.keys(FUNCTION_WORDS);

/** The primary subtag, lower case ("en-GB" -> "en"). */
export function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? '';
}

/** Whether two tags name the same language, whatever their regions or scripts ("en-GB", "EN"). */
export function sameLanguage(a: string, b: string): boolean {
  return primaryLanguage(a) === primaryLanguage(b);
}

/** The language's English name for a one-line notice ("French"), or its tag when unknown. */
export function languageName(tag: string): string {
  const primary = primaryLanguage(tag);
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(primary);
    if (name && name !== primary) return name;
  } catch {
    // An invalid tag or no Intl.DisplayNames: the tag itself.
  }
  return tag;
}
