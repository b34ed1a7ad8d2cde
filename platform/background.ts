/**
 * Wires the background context: the database, the encoder tier (offscreen document on
 * Chrome, in-process on Firefox), the shipped word list, and the protocol listener. Nothing
 * here keeps state that matters in memory: the service worker may be stopped at any moment,
 * and every handler reads what it needs from IndexedDB.
 */
import { createLexicon, type Lexicon } from '../lib/vocabulary';
import { notificationNudge, readQueueStatus, startBadge, withBadgeRefresh, type ActionLike, type AlarmsLike, type NotificationsLike } from './badge';
import { openReaderDB, type ReaderDatabase } from './db';
import { createExtensionDictionaryHost } from './dictionary-host';
import { createLexiconSource } from './lexicon-source';
import { createDictionaryStore } from './dictionary-store';
import { createExtensionEncoderHost, encoderHostHandlers } from './encoder-host';
import { listen, type RuntimeLike } from './messaging';
import { relayPassageCommands, type CommandsLike } from './commands';
import { createOffscreenEncoder, type ChromeLike, type RemoteEncoder } from './offscreen-client';
import { createHandlers } from './service';
import { createEncoderTier, ENCODER_TIMEOUT_MS } from './service/relevance';
import { createEncoderQueue, type TabEventsLike } from './encoder-queue';
import { warmEncoder } from './encoder-warmup';
import { startRetention } from './retention';
import { readSettingsTx, systemClock } from './service/state';
import { fetchWordList } from './shipped-files';
import { createSyncHandlers, startSyncAlarm, withSyncAfterChanges } from './sync/handlers';
import { createSiteAccess, type PermissionsLike, type ScriptingLike, type TabsLike } from './site-access';


type BrowserLike = ChromeLike & {
  runtime: RuntimeLike & { getURL(path: string): string };
  /** Chrome MV3 has `action`, Firefox MV2 `browserAction`. */
  action?: ActionLike;
  browserAction?: ActionLike;
  alarms: AlarmsLike;
  /** Present only with the "notifications" permission: the daily review nudge. */
  notifications?: NotificationsLike;
  tabs: TabsLike & TabEventsLike & { create(properties: { url: string }): Promise<unknown> };
  permissions: PermissionsLike;
  scripting: ScriptingLike;
  /** Present with a manifest `commands` key (always, in our builds). */
  commands?: CommandsLike;
};

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | null = null;
  return () => {
    value ??= make().catch((e: unknown) => {
      value = null; // let the next call retry
      throw e;
    });
    return value;
  };
}

/**
 * One database connection for the worker's life, opened again when it closes (another context
 * deleted or upgraded the database, or the browser cleared the extension's data), so that a
 * handler never gets a closed connection.
 */
function reopeningDatabase(): () => Promise<ReaderDatabase> {
  let current: Promise<ReaderDatabase> | null = null;
  const forget = () => {
    current = null;
  };
  return () => {
    current ??= openReaderDB({ onClosed: forget }).catch((e: unknown) => {
      forget(); // let the next call retry
      throw e;
    });
    return current;
  };
}

function encoderFor(browser: BrowserLike): RemoteEncoder {
  if (browser.offscreen) return createOffscreenEncoder(browser);
  // Firefox: no offscreen documents; the background page runs the encoder host itself and
  // answers the options page's model.* messages in its place.
  const host = createExtensionEncoderHost((p) => browser.runtime.getURL(p));
  const dictionary = createExtensionDictionaryHost((p) => browser.runtime.getURL(p), (texts) => host.embed({ texts }));
  listen(browser.runtime, 'offscreen', encoderHostHandlers(host));
  return { embed: (texts) => host.embed({ texts }), status: () => host.status(), lookupWord: (req) => dictionary.lookup(req), ensure: async () => {} };
}

export function startBackground(browser: BrowserLike): void {
  const db = reopeningDatabase();
  const shippedLexicon = once<Lexicon | undefined>(async () => {
    try {
      return createLexicon(await fetchWordList((p) => browser.runtime.getURL(p)));
    } catch (e) {
      console.warn('[attention-reader] word list unavailable; difficulty from the learner’s own reading only', e);
      return undefined;
    }
  });
  // Host access is the learner's to give: the reader is registered for the granted sites only.
  const sites = createSiteAccess(browser);
  void sites.sync().catch((e: unknown) => console.error('[attention-reader] could not register the reader for the granted sites', e));
  const remote = encoderFor(browser);
  // The learner's imported dictionaries (their own database, opened on the first look-up).
  const importedDictionaries = createDictionaryStore();
  // The word list of the learner's target language: one they imported, else the shipped English one.
  const lexicon = createLexiconSource({
    targetLanguage: async () => (await readSettingsTx((await db()).transaction('kv', 'readonly'))).targetLang,
    shipped: shippedLexicon,
    imported: importedDictionaries,
    onImportedUnavailable: (e) => console.warn('[attention-reader] imported frequency lists unavailable; the shipped list is used', e),
  });
  const handlers = createHandlers({ db, clock: systemClock, encoder: createEncoderTier(remote, ENCODER_TIMEOUT_MS, createEncoderQueue(browser.tabs)), lexicon, readTab: sites.readTab, ...(remote.lookupWord ? { lookupWord: remote.lookupWord } : {}), lookupImported: (terms) => importedDictionaries.lookupImported(terms) });
  // The encoder loads now, not when the first page asks (platform/encoder-warmup.ts), and
  // again when a site is turned on.
  const warm = () =>
    void warmEncoder({
      grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
      pausedEverywhere: async () => (await readSettingsTx((await db()).transaction('kv', 'readonly'))).pausedEverywhere,
      encoder: remote,
    });
  warm();
  browser.permissions.onAdded.addListener(warm);
  const badge = startBadge({
    action: (browser.action ?? browser.browserAction)!,
    alarms: browser.alarms,
    clock: systemClock,
    queue: async () => readQueueStatus(await db(), systemClock.now()),
    ...(browser.notifications
      ? {
          nudge: notificationNudge(browser.notifications, {
            enabled: async () => (await readSettingsTx((await db()).transaction('kv', 'readonly'))).reviewNudge,
            openReview: () => browser.tabs.create({ url: browser.runtime.getURL('/review.html') }),
          }),
        }
      : {}),
  });
  // Sync with the learner's own WebDAV server, only once they turned it on (platform/sync/).
  const syncDeps = { db, now: () => systemClock.now(), randomId: () => crypto.randomUUID(), alarms: browser.alarms, onSynced: () => void badge.refresh() };
  startSyncAlarm(syncDeps);
  listen(browser.runtime, 'background', withSyncAfterChanges(withBadgeRefresh({ ...handlers, ...createSyncHandlers(syncDeps) }, badge.refresh), syncDeps));
  startRetention(browser.alarms, db, () => systemClock.now());
  if (browser.commands) relayPassageCommands(browser.commands, browser.tabs);
}
