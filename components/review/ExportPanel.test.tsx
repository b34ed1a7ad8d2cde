// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { downloadMessage, downloadText, ExportPanel, pushMessage, type ExportApi, type PushOutcome } from './ExportPanel.tsx';
import { ReviewApp, type ReviewApi } from './ReviewApp.tsx';
import { mountInBody, settle } from './test-support.tsx';

let container: HTMLElement | undefined;

async function mount(api: ExportApi, save = vi.fn()) {
  container = await mountInBody(<ExportPanel api={api} save={save} />, 0);
  return save;
}

const button = (name: RegExp) => [...container!.querySelectorAll('button')].find((b) => name.test(b.textContent ?? ''))!;
const outcome = () => container!.querySelector('[role="status"]')!;

async function click(name: RegExp) {
  await act(async () => button(name).click());
  await settle();
}

function api(over: Partial<ExportApi> = {}): ExportApi {
  return {
    exportAnki: async (format) => ({ fileName: `attention-reader-cards-2026-11-28.${format}`, text: '#separator:tab\nrow\n', cards: 3 }),
    pushAnki: async () => ({ ok: true, added: 3, skipped: 0, deck: 'Attention Reader' }),
    allowAnki: async () => true,
    ...over,
  };
}

describe('ExportPanel', () => {
  it('downloads every card as a TSV file and says where it went and what to do with it', async () => {
    const exportAnki = vi.fn(api().exportAnki);
    const save = await mount(api({ exportAnki }));
    await click(/Download for Anki \(TSV\)/);
    expect(exportAnki).toHaveBeenCalledWith('tsv');
    expect(save).toHaveBeenCalledWith('attention-reader-cards-2026-11-28.tsv', '#separator:tab\nrow\n');
    expect(outcome().textContent).toBe('Downloaded 3 cards as attention-reader-cards-2026-11-28.tsv. In Anki, choose File\u00a0→\u00a0Import and pick that file.');
    expect(outcome().getAttribute('data-tone')).toBe('ok');
  });

  it('downloads nothing when there are no cards, and says so', async () => {
    const save = await mount(api({ exportAnki: async () => ({ fileName: 'x.tsv', text: '#separator:tab\n', cards: 0 }) }));
    await click(/Download/);
    expect(save).not.toHaveBeenCalled();
    expect(outcome().textContent).toMatch(/no cards yet/);
  });

  it('sends to Anki and reports what was added', async () => {
    await mount(api({ pushAnki: async () => ({ ok: true, added: 2, skipped: 1, deck: 'Español::Lecturas' }) }));
    await click(/Send to Anki/);
    expect(outcome().textContent).toBe('Added 2 cards to Anki, in the deck “Español::Lecturas”. 1 card was already there.');
  });

  it('asks for access to Anki first, and sends nothing when the learner refuses it', async () => {
    const pushAnki = vi.fn(api().pushAnki);
    await mount(api({ allowAnki: async () => false, pushAnki }));
    await click(/Send to Anki/);
    expect(pushAnki).not.toHaveBeenCalled();
    expect(outcome().textContent).toMatch(/^Nothing was sent: sending to Anki needs your permission/);
    expect(outcome().getAttribute('data-tone')).toBe('error');
  });

  it('shows Anki’s problem in its own words, marked as an error', async () => {
    await mount(api({ pushAnki: async () => ({ ok: false, error: 'Could not reach Anki at 127.0.0.1:8765. Open Anki.', added: 0 }) }));
    await click(/Send to Anki/);
    expect(outcome().textContent).toBe('Could not reach Anki at 127.0.0.1:8765. Open Anki.');
    expect(outcome().getAttribute('data-tone')).toBe('error');
  });

  it('says so when the background could not be asked at all', async () => {
    await mount(
      api({
        exportAnki: async () => {
          throw new Error('review.export was not delivered: extension reloaded');
        },
        pushAnki: async () => {
          throw new Error('no reply');
        },
      }),
    );
    await click(/Download/);
    expect(outcome().textContent).toBe('The file could not be made: review.export was not delivered: extension reloaded');
    await click(/Send to Anki/);
    expect(outcome().textContent).toBe('Nothing was sent to Anki: no reply');
  });

  it('keeps both buttons disabled while one action runs, and says what is happening', async () => {
    let finish!: (o: PushOutcome) => void;
    await mount(api({ pushAnki: () => new Promise((r) => (finish = r)) }));
    await click(/Send to Anki/);
    expect(button(/Send to Anki/).disabled).toBe(true);
    expect(button(/Download/).disabled).toBe(true);
    expect(outcome().textContent).toMatch(/Sending to Anki…/);
    await act(async () => finish({ ok: true, added: 0, skipped: 4, deck: 'Attention Reader' }));
    await settle();
    expect(button(/Send to Anki/).disabled).toBe(false);
    expect(outcome().textContent).toBe('Anki already has all your cards (4); nothing new to add.');
  });

  it('is a labelled region', async () => {
    await mount(api());
    const section = container!.querySelector('section')!;
    expect(document.getElementById(section.getAttribute('aria-labelledby')!)?.textContent).toBe('Take your cards to Anki');
  });
});

describe('on the review page', () => {
  const reviewApi: ReviewApi = { loadDue: async () => [], rate: async () => {}, undo: async () => {} };

  async function mountPage(exporter?: ExportApi) {
    container = await mountInBody(<ReviewApp api={reviewApi} exporter={exporter} />);
  }

  it('sits last on the page, after the cards and their keyboard help, when the page is given an exporter', async () => {
    await mountPage(api());
    const panel = container!.querySelector('section.review-export');
    expect(panel).not.toBeNull();
    // Studying stays first: the keyboard help belongs to the card and stays beside it.
    expect(panel!.previousElementSibling?.className).toBe('review-help');
    expect(panel!.nextElementSibling).toBeNull();
  });

  it('is absent without one', async () => {
    await mountPage();
    expect(container!.querySelector('.review-export')).toBeNull();
  });
});

describe('export wording', () => {
  it('counts in words, singular and plural', () => {
    expect(downloadMessage('a.tsv', 1).text).toMatch(/^Downloaded 1 card as a\.tsv\./);
    expect(pushMessage({ ok: true, added: 1, skipped: 0, deck: 'Attention Reader' }).text).toBe('Added 1 card to Anki, in the deck “Attention Reader”.');
    expect(pushMessage({ ok: true, added: 1, skipped: 2, deck: 'Deutsch' }).text).toBe('Added 1 card to Anki, in the deck “Deutsch”. 2 cards were already there.');
    expect(pushMessage({ ok: true, added: 0, skipped: 0, deck: 'Deutsch' }).text).toMatch(/no cards yet/);
  });

  it('says how far a push got before it failed', () => {
    expect(pushMessage({ ok: false, error: 'Anki has no profile open.', added: 100 })).toEqual({
      tone: 'error',
      text: '100 cards reached Anki, then it stopped. Anki has no profile open.',
    });
  });
});

describe('downloadText', () => {
  it('offers the text as a named file through a temporary link', async () => {
    const clicked: { download: string; href: string; inDocument: boolean }[] = [];
    const originalClick = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href, inDocument: document.body.contains(this) });
    };
    const created: Blob[] = [];
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      created.push(blob as Blob);
      return 'blob:test/1';
    });
    try {
      downloadText('cards.tsv', 'a\t{{c1::b}}\n');
      expect(clicked).toEqual([{ download: 'cards.tsv', href: 'blob:test/1', inDocument: true }]);
      expect(document.querySelector('a[download]')).toBeNull(); // the link is gone again
      expect(created[0]!.type).toMatch(/^text\/tab-separated-values/);
      expect(await created[0]!.text()).toBe('a\t{{c1::b}}\n');
    } finally {
      HTMLAnchorElement.prototype.click = originalClick;
      createObjectURL.mockRestore();
    }
  });
});
