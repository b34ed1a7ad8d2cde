/** `dashboard.get`: the popup's summary, read from stored records only (no encoder, no long scans). */
import { dueCount, type ReviewCard } from '../../lib/review';
import type { ResponseOf } from '../../lib/protocol';
import type { ServiceDeps } from './deps';
import { NEW_CARDS_PER_DAY } from './review';
import { readBudgetTx, readSettingsTx, readTodayTx } from './state';

const HISTORY_DAYS = 14;

export async function handleDashboard(deps: ServiceDeps): Promise<ResponseOf<'dashboard.get'>> {
  const db = await deps.db();
  const now = deps.clock.now();
  const tx = db.transaction(['kv', 'daily', 'snippets', 'cards'], 'readonly');
  const settings = await readSettingsTx(tx);
  const budget = await readBudgetTx(tx, settings);
  const { today } = await readTodayTx(tx, budget, settings, deps.clock);
  const snippets = await tx.objectStore('snippets').count();
  const due = (await tx.objectStore('cards').index('by-due').getAll(IDBKeyRange.upperBound(now))) as unknown as ReviewCard[];
  const days = await tx.objectStore('daily').getAll();
  await tx.done;
  const history = days
    .sort((a, b) => (a.day < b.day ? -1 : 1))
    .slice(-HISTORY_DAYS)
    .map((d) => ({ day: d.day, consumedMinutes: d.consumedMinutes, reviewMinutes: d.reviewMinutes, highlighted: d.highlighted.length }));
  return {
    day: today.day,
    budgetMinutes: today.budgetMinutes,
    consumedMinutes: today.consumedMinutes,
    paragraphsRead: today.read.length,
    paragraphsHighlighted: today.highlighted.length,
    snippets,
    cardsDue: dueCount(due, now, { newLimit: NEW_CARDS_PER_DAY }),
    scorer: deps.encoder.state.tier,
    scorerNote: deps.encoder.state.note,
    history,
  };
}
