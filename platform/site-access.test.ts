import { describe, expect, it, vi } from 'vitest';
import { readerRegistrations, type RegisteredScript, type ScriptRegistration } from '../lib/site-access';
import { createSiteAccess, READER_RUNNING_FLAG, type SiteAccessDeps } from './site-access';

/** A browser with host grants, registered scripts and tabs, as far as site access sees them. */
function fakeBrowser(initial: { granted?: string[]; registered?: RegisteredScript[]; tabs?: Array<{ id: number; url: string; running?: boolean }> } = {}) {
  let granted = [...(initial.granted ?? [])];
  let registered: RegisteredScript[] = [...(initial.registered ?? [])];
  const tabs = (initial.tabs ?? []).map((t) => ({ ...t, running: t.running ?? false, injected: [] as string[] }));
  const added: Array<(p: { origins?: string[] }) => void> = [];
  const removed: Array<(p: { origins?: string[] }) => void> = [];
  const log: string[] = [];
  const sent: Array<{ tabId: number; message: unknown }> = [];
  const host = (url: string) => new URL(url).hostname;
  const matches = (pattern: string, url: string) => pattern === '*://*/*' || pattern === `*://${host(url)}/*`;
  const deps: SiteAccessDeps = {
    permissions: {
      getAll: async () => ({ origins: [...granted] }),
      onAdded: { addListener: (cb) => added.push(cb) },
      onRemoved: { addListener: (cb) => removed.push(cb) },
    },
    scripting: {
      getRegisteredContentScripts: async () => registered.map((r) => ({ ...r })),
      registerContentScripts: async (scripts: ScriptRegistration[]) => {
        for (const s of scripts) if (registered.some((r) => r.id === s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        log.push(`register ${scripts.map((s) => s.id).join(',')}`);
        registered = [...registered, ...scripts];
      },
      unregisterContentScripts: async ({ ids }) => {
        log.push(`unregister ${ids.join(',')}`);
        registered = registered.filter((r) => !ids.includes(r.id));
      },
      insertCSS: async ({ target, files }) => void tabs.find((t) => t.id === target.tabId)!.injected.push(...files),
      executeScript: async ({ target, files, func, args }) => {
        const tab = tabs.find((t) => t.id === target.tabId);
        if (!tab) throw new Error(`No tab with id: ${target.tabId}`);
        if (func) {
          expect(args).toEqual([READER_RUNNING_FLAG]);
          return [{ result: tab.running }];
        }
        tab.injected.push(...(files ?? []));
        tab.running = true;
        return [{}];
      },
    },
    tabs: {
      // Without a url filter, every tab (ids only, as without the "tabs" permission).
      query: async ({ url }) => tabs.filter((t) => url === undefined || url.some((p) => matches(p, t.url))).map(({ id }) => ({ id })),
      sendMessage: async (tabId, message) => {
        const tab = tabs.find((t) => t.id === tabId)!;
        if (!tab.running) throw new Error('Could not establish connection. Receiving end does not exist.');
        sent.push({ tabId, message });
        return { ok: true, value: { stopped: false } };
      },
    },
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    deps,
    log,
    sent,
    tabs,
    registered: () => registered,
    async grant(origins: string[]) {
      granted = [...granted, ...origins];
      for (const cb of added) cb({ origins });
      for (let i = 0; i < 5; i++) await settle();
    },
    async revoke(origins: string[]) {
      granted = granted.filter((o) => !origins.includes(o));
      for (const cb of removed) cb({ origins });
      for (let i = 0; i < 5; i++) await settle();
    },
  };
}

describe('site access in the background', () => {
  it('registers nothing on a fresh install, where no site is granted', async () => {
    const browser = fakeBrowser();
    await createSiteAccess(browser.deps).sync();
    expect(browser.registered()).toEqual([]);
    expect(browser.log).toEqual([]);
  });

  it('registers the reader for exactly the granted sites, and leaves a right registration alone', async () => {
    const browser = fakeBrowser({ granted: ['*://a.example/*', 'http://127.0.0.1:8765/*'] });
    const access = createSiteAccess(browser.deps);
    await access.sync();
    expect(browser.registered().map((r) => [r.id, r.matches])).toEqual([
      ['reader-colours', ['*://a.example/*']],
      ['reader', ['*://a.example/*']],
    ]);
    await access.sync();
    expect(browser.log).toEqual(['register reader-colours,reader']);
  });

  it('fixes registrations left from grants that changed while the worker was stopped', async () => {
    const browser = fakeBrowser({ granted: ['*://b.example/*'], registered: readerRegistrations(['*://a.example/*']) });
    await createSiteAccess(browser.deps).sync();
    expect(browser.registered().every((r) => r.matches?.join() === '*://b.example/*')).toBe(true);
  });

  it('on a new grant, registers the reader and starts it on open tabs of that site that are not reading yet', async () => {
    const browser = fakeBrowser({
      tabs: [
        { id: 1, url: 'https://a.example/one' },
        { id: 2, url: 'https://a.example/two', running: true },
        { id: 3, url: 'https://b.example/' },
      ],
    });
    createSiteAccess(browser.deps);
    await browser.grant(['*://a.example/*']);
    expect(browser.registered().map((r) => r.id)).toEqual(['reader-colours', 'reader']);
    expect(browser.tabs.map((t) => t.injected)).toEqual([['highlights.css', 'content-scripts/content.js'], [], []]);
  });

  it('on removal, unregisters the reader so new pages of that site are not read', async () => {
    const browser = fakeBrowser({ granted: ['*://a.example/*'] });
    const access = createSiteAccess(browser.deps);
    await access.sync();
    await browser.revoke(['*://a.example/*']);
    expect(browser.registered()).toEqual([]);
  });

  it('on removal, tells the reader of every open tab what was taken back and what remains', async () => {
    const browser = fakeBrowser({
      granted: ['*://a.example/*', '*://b.example/*'],
      tabs: [
        { id: 1, url: 'https://a.example/', running: true },
        { id: 2, url: 'https://b.example/', running: true },
        { id: 3, url: 'https://c.example/' },
      ],
    });
    const access = createSiteAccess(browser.deps);
    await access.sync();
    await browser.revoke(['*://a.example/*']);
    // Tabs without a reader refuse the message; that is no error.
    expect(browser.sent.map((s) => s.tabId)).toEqual([1, 2]);
    expect(browser.sent[0]!.message).toEqual({ channel: 'attention-reader/1', type: 'reader.stop', payload: { removed: ['*://a.example/*'], granted: ['*://b.example/*'] } });
  });

  it('applies grants given in quick succession one after another, so the last grants win', async () => {
    const browser = fakeBrowser();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    createSiteAccess(browser.deps);
    // Without serialised syncs the second would try to register ids the first just registered.
    await Promise.all([browser.grant(['*://a.example/*']), browser.grant(['*://*/*'])]);
    expect(browser.registered().map((r) => r.matches)).toEqual([['*://*/*'], ['*://*/*']]);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('starts the reader on one tab on request, and not twice', async () => {
    const browser = fakeBrowser({ tabs: [{ id: 7, url: 'https://c.example/' }] });
    const access = createSiteAccess(browser.deps);
    expect(await access.readTab(7)).toBe(true);
    expect(await access.readTab(7)).toBe(false);
    expect(browser.tabs[0]!.injected).toEqual(['highlights.css', 'content-scripts/content.js']);
    await expect(access.readTab(99)).rejects.toThrow(/No tab/);
  });
});
