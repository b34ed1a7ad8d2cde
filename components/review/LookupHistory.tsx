/**
 * "Words you looked up (N)" on the review page: the learner's dictionary look-ups, newest
 * first, each with the meaning the card chose and the sentence and page it came from, and a
 * download of the whole history as CSV or JSON (lib/lookup.ts writes the files). A native
 * <details> is the disclosure, closed by default so studying stays the main thing on the page;
 * the list is read when it is opened.
 */
import { useState } from 'preact/hooks';
import { lookupsFileName, lookupsToCsv, lookupsToJson, type LookupRecord } from '../../lib/lookup.ts';
import { errorText } from '../../lib/text.ts';
import { offerDownload } from '../../platform/shipped-files.ts';

/** The background's side of this section. */
export interface LookupHistoryApi {
  /** The newest `limit` look-ups and how many there are in all. */
  load(limit: number): Promise<{ items: LookupRecord[]; total: number }>;
}

export interface LookupHistoryProps {
  api: LookupHistoryApi;
  now: () => number;
  /** Hands a file to the learner; a browser download by default (tests observe it instead). */
  save?: (fileName: string, text: string, type: string) => void;
}

/** Look-ups listed on the page; the download holds them all. */
export const LOOKUPS_LISTED = 200;
const ALL = 100_000;

export function LookupHistory({ api, now, save = (name, text, type) => offerDownload(name, text, type) }: LookupHistoryProps) {
  const [list, setList] = useState<{ items: LookupRecord[]; total: number } | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  async function load() {
    try {
      setList(await api.load(LOOKUPS_LISTED));
    } catch (e) {
      setMessage({ tone: 'error', text: `Your look-ups could not be read: ${errorText(e)}` });
    }
  }

  async function download(format: 'csv' | 'json') {
    setMessage(null);
    try {
      const { items } = await api.load(ALL);
      const name = lookupsFileName(now(), format);
      save(name, format === 'csv' ? lookupsToCsv(items) : lookupsToJson(items), format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json');
      setMessage({ tone: 'ok', text: `Downloaded ${items.length} ${items.length === 1 ? 'look-up' : 'look-ups'} as ${name}.` });
    } catch (e) {
      setMessage({ tone: 'error', text: `Not downloaded: ${errorText(e)}` });
    }
  }

  return (
    <details class="review-lookups" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load()}>
      <summary>Words you looked up{list ? ` (${list.total})` : ''}</summary>
      {list && list.items.length === 0 ? <p>No look-ups yet. Click a word while you read to see what it means there.</p> : null}
      {list && list.items.length > 0 ? (
        <ol class="review-lookup-list">
          {list.items.map((r) => (
            <li key={r.id} class="review-lookup">
              <p class="review-lookup-head">
                <span class="review-lookup-word" lang={r.lang}>
                  {r.word}
                </span>
                {r.lemma && r.lemma.toLowerCase() !== r.word.toLowerCase() ? <span class="review-sense-pos"> ({r.lemma})</span> : null}
                {r.pos ? <span class="review-sense-pos"> {r.pos}</span> : null}
                <time class="review-lookup-time" dateTime={new Date(r.at).toISOString()}>
                  {' '}
                  · {new Date(r.at).toLocaleString()}
                </time>
              </p>
              {r.gloss ? <p class="review-lookup-gloss">{r.gloss}</p> : null}
              <p class="review-lookup-sentence" lang={r.lang}>
                {r.sentence}
              </p>
              <p class="review-lookup-source">{r.title || r.url}</p>
            </li>
          ))}
        </ol>
      ) : null}
      <div class="review-lookup-export">
        <button type="button" onClick={() => void download('csv')}>
          Download as CSV
        </button>
        <button type="button" onClick={() => void download('json')}>
          Download as JSON
        </button>
      </div>
      {message ? (
        <p class={message.tone === 'error' ? 'review-error' : 'review-lookup-done'} role="status">
          {message.text}
        </p>
      ) : null}
    </details>
  );
}
