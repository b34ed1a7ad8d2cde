/**
 * Which of the system's speech voices reads a word aloud: one of the page's language that runs
 * on the device (`localService`), never a network voice, which would send the text away. The
 * exact regional variant is preferred (en-GB for an en-GB page), then the system's default.
 */

export interface VoiceLike {
  readonly lang: string;
  readonly localService: boolean;
  readonly default: boolean;
  readonly name: string;
}

function parts(tag: string): [string, string] {
  const [base = '', region = ''] = tag.toLowerCase().split(/[-_]/u);
  return [base, region];
}

/** The voice to use for text in `lang`, or null when the device has none of that language. */
export function chooseVoice<V extends VoiceLike>(voices: readonly V[], lang: string): V | null {
  const [base, region] = parts(lang);
  if (!base || base === 'und') return null;
  const local = voices.filter((v) => v.localService && parts(v.lang)[0] === base);
  const score = (v: V) => (region && parts(v.lang)[1] === region ? 2 : 0) + (v.default ? 1 : 0);
  let best: V | null = null;
  for (const v of local) if (!best || score(v) > score(best)) best = v;
  return best;
}
