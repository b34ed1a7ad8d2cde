import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReviewApp } from '../../components/review/ReviewApp';
import { ANKI_CONNECT_ORIGIN } from '../../lib/site-access';
import { send } from '../../platform/messaging';
import '../../components/review/review.css';

// The review page: due cards from the background, answers, undo and card edits sent back to it;
// suspended cards listed and brought back.
render(
  <ReviewApp
    api={{
      loadDue: async () => (await send(browser.runtime, 'review.due', {})).items,
      rate: async (cardId, rating, durationMs) => {
        await send(browser.runtime, 'review.rate', { eventId: crypto.randomUUID(), cardId, rating, durationMs });
      },
      undo: async () => {
        await send(browser.runtime, 'review.undo', {});
      },
    }}
    cardActions={{
      editNote: async (cardId, note) => (await send(browser.runtime, 'review.editCard', { cardId, note })).card,
      suspend: async (cardId) => {
        await send(browser.runtime, 'review.suspendCard', { cardId, suspended: true });
      },
      remove: async (cardId) => {
        await send(browser.runtime, 'review.deleteCard', { cardId });
      },
    }}
    suspended={{
      loadSuspended: async () => (await send(browser.runtime, 'review.suspended', {})).items,
      unsuspend: async (cardId) => (await send(browser.runtime, 'review.suspendCard', { cardId, suspended: false })).card,
    }}
    lookups={{ load: (limit) => send(browser.runtime, 'lookup.history', { limit }) }}
    exporter={{
      exportAnki: (format) => send(browser.runtime, 'review.export', { format }),
      pushAnki: () => send(browser.runtime, 'review.pushAnki', {}),
      allowAnki: () => browser.permissions.request({ origins: [ANKI_CONNECT_ORIGIN] }),
    }}
  />,
  document.getElementById('app')!,
);
