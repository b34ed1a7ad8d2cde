/**
 * "Take your cards to Anki" on the review page: a file for Anki's File → Import, or a push
 * through the AnkiConnect add-on. The outcome is said in a sentence, in a live region, so it
 * reaches screen readers too. The background does the work behind the injected `api`.
 */
import { useState } from 'preact/hooks';
import { DEFAULT_DECK } from '../../lib/anki.ts';
import { offerDownload } from '../../platform/shipped-files.ts';
import { errorText } from '../../lib/text.ts';

export type PushOutcome = { ok: true; added: number; skipped: number; deck: string } | { ok: false; error: string; added: number };

export interface ExportApi {
  /** Every card as an Anki import file. */
  exportAnki(format: 'tsv' | 'csv'): Promise<{ fileName: string; text: string; cards: number }>;
  /** Every card to Anki through AnkiConnect; Anki's refusals come back as `{ ok: false }`. */
  pushAnki(): Promise<PushOutcome>;
  /**
   * Asks the browser for access to AnkiConnect's address on this computer (an optional
   * permission, requested on the first push, inside the click); true once it is granted.
   */
  allowAnki(): Promise<boolean>;
}

export interface ExportPanelProps {
  api: ExportApi;
  /** Hands the file to the learner; a browser download by default (tests observe it instead). */
  save?: (fileName: string, text: string) => void;
}

type Outcome = { tone: 'ok' | 'error'; text: string };

const cards = (n: number) => `${n} ${n === 1 ? 'card' : 'cards'}`;

/** What a finished download says. */
export function downloadMessage(fileName: string, count: number): Outcome {
  if (count === 0) return { tone: 'ok', text: 'You have no cards yet, so there is nothing to download. Save a passage or mark a word while you read.' };
  return { tone: 'ok', text: `Downloaded ${cards(count)} as ${fileName}. In Anki, choose File\u00a0→\u00a0Import and pick that file.` };
}

/** What a finished push says. */
export function pushMessage(outcome: PushOutcome): Outcome {
  if (!outcome.ok) {
    const before = outcome.added > 0 ? `${cards(outcome.added)} reached Anki, then it stopped. ` : '';
    return { tone: 'error', text: `${before}${outcome.error}` };
  }
  const { added, skipped } = outcome;
  const deck = outcome.deck || DEFAULT_DECK;
  if (added === 0 && skipped === 0) return { tone: 'ok', text: 'You have no cards yet, so there is nothing to send.' };
  if (added === 0) return { tone: 'ok', text: `Anki already has all your cards (${skipped}); nothing new to add.` };
  const already = skipped > 0 ? ` ${cards(skipped)} ${skipped === 1 ? 'was' : 'were'} already there.` : '';
  return { tone: 'ok', text: `Added ${cards(added)} to Anki, in the deck “${deck}”.${already}` };
}

/** Offers `text` as a file download from an extension page (no downloads permission needed). */
export function downloadText(fileName: string, text: string, doc: Document = document): void {
  const type = fileName.endsWith('.csv') ? 'text/csv' : 'text/tab-separated-values';
  offerDownload(fileName, text, `${type};charset=utf-8`, doc);
}

export function ExportPanel({ api, save = downloadText }: ExportPanelProps) {
  const [busy, setBusy] = useState<null | 'download' | 'push'>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function download() {
    setBusy('download');
    setOutcome(null);
    try {
      const file = await api.exportAnki('tsv');
      if (file.cards > 0) save(file.fileName, file.text);
      setOutcome(downloadMessage(file.fileName, file.cards));
    } catch (e) {
      setOutcome({ tone: 'error', text: `The file could not be made: ${errorText(e)}` });
    } finally {
      setBusy(null);
    }
  }

  async function push() {
    setBusy('push');
    setOutcome(null);
    try {
      if (!(await api.allowAnki())) {
        setOutcome({ tone: 'error', text: 'Nothing was sent: sending to Anki needs your permission to reach Anki on this computer (127.0.0.1:8765). Try again and choose Allow.' });
        return;
      }
      setOutcome(pushMessage(await api.pushAnki()));
    } catch (e) {
      setOutcome({ tone: 'error', text: `Nothing was sent to Anki: ${errorText(e)}` });
    } finally {
      setBusy(null);
    }
  }

  const status =
    busy === 'download' ? 'Preparing the file…' : busy === 'push' ? 'Sending to Anki… If Anki asks whether to allow this extension, answer in Anki.' : outcome?.text ?? '';

  return (
    <section class="review-export" aria-labelledby="review-export-title" aria-busy={busy !== null}>
      <h2 id="review-export-title">Take your cards to Anki</h2>
      <div class="review-export-actions">
        <button type="button" onClick={() => void download()} disabled={busy !== null}>
          Download for Anki (TSV)
        </button>
        <button type="button" onClick={() => void push()} disabled={busy !== null}>
          Send to Anki
        </button>
      </div>
      <p class="review-export-hint">Sending needs Anki open with the AnkiConnect add-on; the file works with any Anki.</p>
      <p class="review-export-outcome" role="status" aria-live="polite" data-tone={busy ? 'busy' : outcome?.tone ?? 'none'}>
        {status}
      </p>
    </section>
  );
}
