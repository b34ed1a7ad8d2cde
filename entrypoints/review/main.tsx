import { render } from 'preact';
import { browser } from 'wxt/browser';
import { ReviewApp } from '../../components/review/ReviewApp';
import { send } from '../../platform/messaging';
import '../../components/review/review.css';

const ANKI_CONNECT_ORIGIN = 'http://127.0.0.1:8765/*';

// The review page: due cards from the background, answers and undo sent back to it.
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
    exporter={{
      exportAnki: (format) => send(browser.runtime, 'review.export', { format }),
      pushAnki: async () => {
        // Talking to Anki on this computer needs the learner's permission, asked on this click.
        const granted = await browser.permissions.request({ origins: [ANKI_CONNECT_ORIGIN] });
        if (!granted) return { ok: false as const, error: 'Sending to Anki needs your permission to reach Anki on this computer (127.0.0.1:8765).', added: 0 };
        return send(browser.runtime, 'review.pushAnki', {});
      },
    }}
  />,
  document.getElementById('app')!,
);
