/**
 * Keeps the reader's content scripts registered for exactly the sites the learner granted
 * (lib/site-access.ts decides; this file talks to `scripting` and `permissions`), and starts
 * the reader on pages already open when a grant arrives or when the learner asks for one
 * page only (the `activeTab` grant of a toolbar click).
 *
 * Runs at every service-worker start: registrations persist across sessions, but a grant or
 * removal made while the worker was stopped (in the browser's extension settings) is only
 * seen by comparing again.
 */
import { envelope } from '../lib/protocol';
import { readerRegistrations, readingMatches, registrationPlan, READER_FILES, type RegisteredScript, type ScriptRegistration } from '../lib/site-access';

export interface PermissionsLike {
  getAll(): Promise<{ origins?: string[] }>;
  onAdded: { addListener(cb: (p: { origins?: string[] }) => void): void };
  onRemoved: { addListener(cb: (p: { origins?: string[] }) => void): void };
}

export interface ScriptingLike {
  getRegisteredContentScripts(): Promise<RegisteredScript[]>;
  registerContentScripts(scripts: ScriptRegistration[]): Promise<void>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  insertCSS(injection: { target: { tabId: number }; files: string[] }): Promise<void>;
  executeScript(injection: { target: { tabId: number }; files?: string[]; func?: (flag: string) => unknown; args?: string[] }): Promise<Array<{ result?: unknown }>>;
}

export interface TabsLike {
  query(filter: { url?: string[] }): Promise<Array<{ id?: number }>>;
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

export interface SiteAccessDeps {
  permissions: PermissionsLike;
  scripting: ScriptingLike;
  tabs: TabsLike;
}

/** Set by the content script in its isolated world, so the reader is never started twice on a page. */
export const READER_RUNNING_FLAG = '__attentionReaderRunning';

export interface SiteAccessService {
  /** Registers or unregisters the reader so it matches the granted sites. */
  sync(): Promise<void>;
  /** Starts the reader on one tab now (activeTab or a fresh grant); false if it was already running. */
  readTab(tabId: number): Promise<boolean>;
}

export function createSiteAccess({ permissions, scripting, tabs }: SiteAccessDeps): SiteAccessService {
  // Grants can arrive in quick succession (a site, then everywhere): one sync at a time, each
  // reading the grants afresh, so the last one always wins.
  let queue: Promise<void> = Promise.resolve();

  async function syncNow(): Promise<void> {
    const granted = (await permissions.getAll()).origins ?? [];
    const plan = registrationPlan(await scripting.getRegisteredContentScripts(), readerRegistrations(readingMatches(granted)));
    if (plan.unregister.length > 0) await scripting.unregisterContentScripts({ ids: plan.unregister });
    if (plan.register.length > 0) await scripting.registerContentScripts(plan.register);
  }

  function sync(): Promise<void> {
    queue = queue.then(syncNow, syncNow);
    return queue;
  }

  async function readTab(tabId: number): Promise<boolean> {
    const [probe] = await scripting.executeScript({
      target: { tabId },
      func: (flag: string) => (globalThis as Record<string, unknown>)[flag] === true,
      args: [READER_RUNNING_FLAG],
    });
    if (probe?.result === true) return false;
    await scripting.insertCSS({ target: { tabId }, files: [READER_FILES.css] });
    await scripting.executeScript({ target: { tabId }, files: [READER_FILES.js] });
    return true;
  }

  /** Pages already open on newly granted sites start reading without a reload. */
  async function readOpenTabs(origins: readonly string[]): Promise<void> {
    const matches = readingMatches(origins);
    if (matches.length === 0) return;
    for (const tab of await tabs.query({ url: matches })) {
      if (tab.id === undefined) continue;
      // A tab may close or navigate meanwhile; the others still start.
      await readTab(tab.id).catch((e: unknown) => console.warn('[attention-reader] could not start on an open tab', e));
    }
  }

  permissions.onAdded.addListener((added) => {
    void sync()
      .then(() => readOpenTabs(added.origins ?? []))
      .catch((e: unknown) => console.error('[attention-reader] could not apply new site access', e));
  });
  /**
   * Readers on pages of a site taken back stop and clear their highlights. Tab addresses are
   * not visible without access, so every tab is told and each reader decides for its own page
   * (lib/site-access.ts `stillReadable`); tabs without a reader do not answer.
   */
  async function stopReaders(removed: string[]): Promise<void> {
    const granted = (await permissions.getAll()).origins ?? [];
    const message = envelope('reader.stop', { removed, granted });
    await Promise.all(
      (await tabs.query({})).map((tab) => (tab.id === undefined ? undefined : tabs.sendMessage(tab.id, message).catch(() => undefined))),
    );
  }

  // New pages on a removed site are not read, because the registration no longer matches them.
  permissions.onRemoved.addListener((removed) => {
    void sync()
      .then(() => stopReaders(removed.origins ?? []))
      .catch((e: unknown) => console.error('[attention-reader] could not apply removed site access', e));
  });
  return { sync, readTab };
}
