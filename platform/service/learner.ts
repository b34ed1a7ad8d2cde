/**
 * `learner.get` and `learner.setVocabulary`: the learner model in numbers for the popup and
 * the options page, and setting the vocabulary size from a placement check or a chosen level.
 */
import { DEFAULT_WPM_BY_LEVEL, KNOWN_AFTER_EXPOSURES, learnerLevel, setVocabularySize, type Learner } from '../../lib/learner';
import type { RequestOf, ResponseOf } from '../../lib/protocol';
import type { ServiceDeps } from './deps';
import { KEYS, readLearnerTx, readSettingsTx } from './state';

export const WEEK_MS = 7 * 24 * 3600_000;

/**
 * Words that became `known` in the 7 days before `now`, by the time each became known
 * (`knownAt`). Records written before that time was kept carry only their last change time;
 * for them the older estimate stands: a known word whose last change lies in the window and
 * was the change that made it known (an explicit mark, or the reading that brought its clean
 * exposures to exactly KNOWN_AFTER_EXPOSURES).
 */
export function knownThisWeek(learner: Learner, now: number): number {
  const since = now - WEEK_MS;
  const inWindow = (t: number) => t > since && t <= now;
  let n = 0;
  for (const record of Object.values(learner.words)) {
    if (record.state !== 'known') continue;
    if (record.knownAt !== undefined) {
      if (inWindow(record.knownAt)) n++;
    } else if (inWindow(record.updatedAt) && (record.explicit || record.cleanExposures === KNOWN_AFTER_EXPOSURES)) n++;
  }
  return n;
}

export function learnerSummary(learner: Learner, now: number): ResponseOf<'learner.get'> {
  let knownWords = 0;
  let learningWords = 0;
  for (const record of Object.values(learner.words)) {
    if (record.state === 'known') knownWords++;
    else if (record.state === 'learning') learningWords++;
  }
  return {
    targetLang: learner.targetLang,
    vocabularySize: learner.vocabularySize,
    level: learnerLevel(learner),
    wordsPerMinute: learner.wordsPerMinute,
    knownWords,
    learningWords,
    knownThisWeek: knownThisWeek(learner, now),
  };
}

export async function handleLearnerGet(deps: ServiceDeps): Promise<ResponseOf<'learner.get'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const tx = db.transaction('kv', 'readonly');
  const learner = await readLearnerTx(tx, await readSettingsTx(tx), now);
  await tx.done;
  return learnerSummary(learner, now);
}

/**
 * Sets the vocabulary size (placement check or chosen level). While no reading has measured
 * the learner's speed yet, the default speed follows the new level too, so that the first
 * day's reading-time estimates match the level the learner just stated.
 */
export async function handleSetVocabulary(deps: ServiceDeps, req: RequestOf<'learner.setVocabulary'>): Promise<ResponseOf<'learner.setVocabulary'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const tx = db.transaction('kv', 'readwrite');
  const current = await readLearnerTx(tx, await readSettingsTx(tx), now);
  let next = setVocabularySize(current, req.vocabularySize, now);
  if (next.speedObservations === 0) next = { ...next, wordsPerMinute: DEFAULT_WPM_BY_LEVEL[learnerLevel(next)] };
  await tx.objectStore('kv').put({ key: KEYS.learner, value: next });
  await tx.done;
  return learnerSummary(next, now);
}
