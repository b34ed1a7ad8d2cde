/**
 * The background's answers to the protocol: one handler per message, each a small function
 * over injected dependencies (database, clock, encoder tier, word list).
 */
import { setBudget } from '../../lib/load';
import { applySettingsPatch } from '../../lib/settings';
import { StorageError, describe, isQuotaExceeded } from '../db';
import type { Handlers } from '../messaging';
import type { ServiceDeps } from './deps';
import { handleDeleteCard, handleEditCard, handleSuspendCard, handleSuspendedCards } from './cards';
import { handleDashboard } from './dashboard';
import { handleDeleteAll } from './data';
import { handleDwell, handleFeedback, handleSnippetSave, handleWordMark } from './events';
import { handlePushAnki, handleReviewExport } from './export';
import { handleLearnerGet, handleSetVocabulary } from './learner';
import { handleLookupHistory, handleWordLookup } from './lookup';
import { createPageMemory } from './page-memory';
import { handleExplain, handlePageParagraphs, handlePageSummary, handleStudyLanguage } from './page';
import { handleRelevanceReset } from './relevance';
import { handleReviewDue, handleReviewRate, handleReviewUndo } from './review';
import { KEYS, readBudgetTx, readSettingsTx, readTodayTx } from './state';

export type BackgroundMessage =
  | 'page.paragraphs'
  | 'page.summary'
  | 'highlight.explain'
  | 'language.study'
  | 'snippet.save'
  | 'feedback.give'
  | 'word.mark'
  | 'word.lookup'
  | 'lookup.history'
  | 'reading.dwell'
  | 'dashboard.get'
  | 'review.due'
  | 'review.rate'
  | 'review.undo'
  | 'review.editCard'
  | 'review.suspendCard'
  | 'review.suspended'
  | 'review.deleteCard'
  | 'review.export'
  | 'review.pushAnki'
  | 'settings.get'
  | 'settings.update'
  | 'learner.get'
  | 'learner.setVocabulary'
  | 'data.restored'
  | 'data.deleteAll'
  | 'encoder.open'
  | 'site.read'
  | 'relevance.reset'
  | 'ping';

export function createHandlers(deps: ServiceDeps): Handlers<BackgroundMessage> {
  // What the pages' earlier messages prepared and embedded, kept for their next ones.
  const memory = createPageMemory();
  return withStorageErrors({
    'page.paragraphs': (req, sender) => handlePageParagraphs(deps, req, sender.tab?.id, sender.documentId, memory),
    'page.summary': (req) => handlePageSummary(deps, req),
    'highlight.explain': (req) => handleExplain(deps, req),
    'language.study': (req) => handleStudyLanguage(deps, req),
    'snippet.save': (req) => handleSnippetSave(deps, req),
    'feedback.give': (req) => handleFeedback(deps, req),
    'word.mark': (req) => handleWordMark(deps, req),
    'word.lookup': (req) => handleWordLookup(deps, req),
    'lookup.history': (req) => handleLookupHistory(deps, req),
    'reading.dwell': (req) => handleDwell(deps, req),
    'dashboard.get': () => handleDashboard(deps),
    'review.due': () => handleReviewDue(deps),
    'review.rate': (req) => handleReviewRate(deps, req),
    'review.undo': () => handleReviewUndo(deps),
    'review.editCard': (req) => handleEditCard(deps, req),
    'review.suspendCard': (req) => handleSuspendCard(deps, req),
    'review.suspended': () => handleSuspendedCards(deps),
    'review.deleteCard': (req) => handleDeleteCard(deps, req),
    'review.export': (req) => handleReviewExport(deps, req),
    'review.pushAnki': () => handlePushAnki(deps),
    'settings.get': async () => {
      const db = await deps.db();
      return readSettingsTx(db.transaction('kv', 'readonly'));
    },
    'settings.update': async ({ patch }) => {
      const db = await deps.db();
      const tx = db.transaction(['kv', 'daily'], 'readwrite');
      const current = await readSettingsTx(tx);
      const next = applySettingsPatch(current, patch);
      await tx.objectStore('kv').put({ key: KEYS.settings, value: next });
      if (patch.budgetMinutes !== undefined) {
        // A budget the learner sets is today's budget too, and is logged like any change.
        const budget = await readBudgetTx(tx, current);
        const { today } = await readTodayTx(tx, budget, next, deps.clock);
        const updated = setBudget(budget, patch.budgetMinutes, today.day);
        await tx.objectStore('kv').put({ key: KEYS.budget, value: updated });
        await tx.objectStore('daily').put({ ...today, budgetMinutes: updated.budgetMinutes });
      }
      await tx.done;
      return next;
    },
    'learner.get': () => handleLearnerGet(deps),
    'learner.setVocabulary': (req) => handleSetVocabulary(deps, req),
    // The options page restored a backup itself; withBadgeRefresh brings the badge up to date.
    // Paragraph texts kept in memory go with the learner's data.
    'data.restored': async () => (memory.forget(), { ok: true as const }),
    'data.deleteAll': () => (memory.forget(), handleDeleteAll(deps)),
    'encoder.open': async () => {
      await deps.encoder.open();
      return { ok: true as const };
    },
    'site.read': async ({ tabId }, sender) => {
      // Only the extension's own pages may start the reader on a tab; a content script
      // could otherwise spread the reader to tabs the learner never turned it on for.
      // (The sender id is already checked to be this extension's; its pages have its URL.)
      const fromOwnPage = /^(?:chrome|moz)-extension:\/\//.test(sender.url ?? '');
      if (!fromOwnPage || !deps.readTab) throw new Error('Reading a page on request is available from the toolbar popup only.');
      return { started: await deps.readTab(tabId) };
    },
    'relevance.reset': () => handleRelevanceReset(deps),
    ping: async () => ({ ok: true as const }),
  });
}

/** A full disk becomes a message the learner can act on; nothing was saved (transactions). */
function withStorageErrors<K extends BackgroundMessage>(handlers: Handlers<K>): Handlers<K> {
  const wrapped = {} as Record<string, unknown>;
  for (const [type, handler] of Object.entries(handlers) as Array<[string, (req: unknown, sender: unknown) => Promise<unknown>]>) {
    wrapped[type] = (req: unknown, sender: unknown) =>
      handler(req, sender).catch((e: unknown) => {
        throw isQuotaExceeded(e) ? new StorageError(`Nothing was saved: ${describe(e)}.`) : e;
      });
  }
  return wrapped as Handlers<K>;
}
