// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchWordList, FREQUENCY_LIST_PATH, offerDownload } from './shipped-files';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('fetchWordList', () => {
  it('reads the list from its extension URL', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ lang: 'en', words: ['the', 'of'] })));
    vi.stubGlobal('fetch', fetch);
    expect(await fetchWordList((p) => `chrome-extension://abc${p}`)).toEqual({ lang: 'en', words: ['the', 'of'] });
    expect(fetch).toHaveBeenCalledWith(`chrome-extension://abc${FREQUENCY_LIST_PATH}`);
  });

  it('says plainly when the file is missing', async () => {
    vi.stubGlobal('fetch', async () => new Response('', { status: 404 }));
    await expect(fetchWordList((p) => p)).rejects.toThrow('the word list could not be read (HTTP 404)');
  });
});

describe('offerDownload', () => {
  it('clicks a hidden link to the text under the given name, leaves nothing behind, and frees the blob later', () => {
    vi.useFakeTimers();
    const revoke = vi.spyOn(URL, 'revokeObjectURL');
    const clicked: Array<{ download: string; href: string; hidden: boolean }> = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href, hidden: this.hidden });
    });
    offerDownload('backup.json', '{"a":1}', 'application/json');
    expect(clicked).toEqual([{ download: 'backup.json', href: expect.stringMatching(/^blob:/), hidden: true }]);
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60_000);
    expect(revoke).toHaveBeenCalledWith(clicked[0]!.href);
    click.mockRestore();
    revoke.mockRestore();
  });
});
