/**
 * What one run of page text is, judged on its own: prose (long enough, few links), a short
 * piece, a link list, or a stock phrase of page furniture. Where it sits is the business of
 * extraction-scoring.
 */
import type { Run } from './extraction-runs';

export enum Quality {
  /** Prose: long enough, few links. */
  Prose,
  /** Too short to judge alone; kept when it sits inside the article. */
  Short,
  /** Mostly link text: menus, tag lists, "read more" teasers. */
  Links,
  /** A stock phrase of page furniture ("Advertisement", "Share this article"). */
  Boilerplate,
}

/** Characters of Han/kana/Hangul text carry about as much as this many Latin characters. */
const DENSE_SCRIPT_WEIGHT = 3;
/** Prose is at least this long (in Latin-equivalent characters)... */
const PROSE_CHARS = 80;
/** ...or at least this long and ending like a sentence. */
const SENTENCE_CHARS = 40;
/** Above this share of link text a run is a link list. */
const LINK_DENSITY_MAX = 0.5;
/** Prose with more link text than this is a teaser, not a paragraph. */
const PROSE_LINK_DENSITY_MAX = 0.35;
/** Characters that end a sentence (or a quoted or bracketed one). */
const SENTENCE_END = new Set([...'.!?。！？…:;؟।"”»)]']);

/** Whether the last visible character of `s` ends a sentence; a loop, not a regex, for long text. */
function endsLikeSentence(s: string): boolean {
  let i = s.length - 1;
  while (i >= 0 && s.charCodeAt(i) <= 32) i--;
  return i >= 0 && SENTENCE_END.has(s[i]!);
}

/**
 * Stock phrases that are furniture whatever element holds them. Whole-run matches only, in
 * the languages of the benchmark sets; a run that merely contains such words is kept.
 */
const BOILERPLATE =
  /^(?:advertisement|advertisements|advertising|ad|sponsored(?: content)?|story continues below(?: advertisement)?|continue reading(?: below| the main story)?|read more|read next|see also|related(?: articles?| stories| content| posts| coverage)?|more from .{1,40}|share(?: this)?(?: article| story| post| on .{1,20})?|tweet|print|email|comments?|\d+ comments?|leave a comment|add a comment|follow us(?: on .{1,30})?|sign up(?: for .{1,60})?|subscribe(?: now| today)?|skip to (?:main )?content|click here(?: to .{1,60})?|loading\.*|image|photo|video|listen|watch|reklama|реклама|anzeige|publicidad|publicité|pubblicità|werbung|iklan|trending(?: now| news)?)[.!:]?$/iu;

/** Calls to action and credits that make a short run furniture wherever they appear in it. */
const CALL_TO_ACTION =
  /(?:\bshare (?:it|this)\b|\bfollow us\b|\bsign up for\b|\bsubscribe to\b|\bour newsletter\b|\ball rights reserved\b|\bfiled under\b|^\(?(?:additional )?(?:reporting|editing|writing) by\b)/iu;

/** A year or a clock time: with few words around it, the run is a date line. */
const DATE_OR_TIME = /\b(?:1[89]|20)\d\d\b|\b\d{1,2}:\d\d\b/u;
const WORD = /\p{L}{2,}/gu;

/** "20 Nov, 2019 05:47", "Updated 10:32 AM ET": when the page was touched, not what it says. */
function isDateLine(text: string): boolean {
  if (text.length > 50 || !DATE_OR_TIME.test(text)) return false;
  return (text.match(WORD)?.length ?? 0) <= 3;
}

export interface RunVerdict {
  readonly quality: Quality;
  /** Latin-equivalent length. */
  readonly weight: number;
  readonly linkDensity: number;
}

/**
 * The verdict on a run. Lengths count characters, those of Han, kana and Hangul text three
 * times (one carries about a Latin word's worth), so that CJK paragraphs are prose too.
 */
export function judgeRun(run: Run): RunVerdict {
  const weight = run.chars * denseFactor(run.raw);
  const linkDensity = run.chars > 0 ? run.linkChars / run.chars : 0;
  let quality: Quality;
  if (run.chars <= 80 && isBoilerplate(run.text)) quality = Quality.Boilerplate;
  else if (linkDensity > LINK_DENSITY_MAX) quality = Quality.Links;
  else if (
    linkDensity <= PROSE_LINK_DENSITY_MAX &&
    (weight >= PROSE_CHARS || (weight >= SENTENCE_CHARS && endsLikeSentence(run.raw)))
  ) {
    quality = Quality.Prose;
  } else quality = Quality.Short;
  return { quality, weight, linkDensity };
}

function isBoilerplate(text: string): boolean {
  return (text.length <= 60 && BOILERPLATE.test(text)) || CALL_TO_ACTION.test(text) || isDateLine(text);
}

/** How much one character of this text is worth against Latin text (sampled from its start). */
function denseFactor(text: string): number {
  const n = Math.min(text.length, 60);
  let dense = 0;
  let other = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32) continue;
    if ((c >= 0x3040 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff)) dense++;
    else other++;
  }
  return dense > other ? DENSE_SCRIPT_WEIGHT : 1;
}
