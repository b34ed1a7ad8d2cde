/** "This page": how many of the current page's passages are highlighted, and why fewer when so. */
import type { ResponseOf } from '../../lib/protocol';
import { plural, t } from '../../platform/i18n';

export type PageSummaryData = ResponseOf<'page.summary'>;

export type PageState =
  | { kind: 'loading' }
  | { kind: 'no-address' }
  | { kind: 'not-a-web-page' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; summary: PageSummaryData };

/** What the popup can ask about: only web pages, whose address the browser gave and the protocol accepts. */
export function pageUrlState(url: string | undefined): { kind: 'no-address' } | { kind: 'not-a-web-page' } | { kind: 'ok'; url: string } {
  if (!url) return { kind: 'no-address' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'no-address' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'not-a-web-page' };
  // Longer addresses than the protocol accepts cannot have been stored either.
  if (url.length > 4096) return { kind: 'no-address' };
  return { kind: 'ok', url };
}

export function PageSummary({ state }: { state: PageState }) {
  let main: string;
  let notice: string | null = null;
  switch (state.kind) {
    case 'loading':
      main = t('loading');
      break;
    case 'no-address':
      main = t('pageNoAddress');
      break;
    case 'not-a-web-page':
      main = t('pageNotWeb');
      break;
    case 'error':
      main = t('pageError', state.message);
      break;
    case 'ready': {
      const s = state.summary;
      main = s.known ? plural('pageHighlighted', s.paragraphs, [String(s.highlights.length)]) : t('pageNotRead');
      // The same line the page shows: why none or fewer of its passages are highlighted.
      notice = s.known ? (s.notice?.text ?? null) : null;
      break;
    }
  }
  return (
    <section class="page" aria-labelledby="page-heading" aria-busy={state.kind === 'loading'}>
      <h2 id="page-heading">{t('pageHeading')}</h2>
      <p class="page-main" data-page={state.kind === 'ready' ? String(state.summary.highlights.length) : state.kind}>
        {main}
      </p>
      <p class="page-notice" data-reason={state.kind === 'ready' && state.summary.known ? (state.summary.notice?.code ?? '') : ''}>
        {notice ?? ''}
      </p>
    </section>
  );
}
