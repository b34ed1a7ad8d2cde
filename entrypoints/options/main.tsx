import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { OptionsApi } from '../../components/options/api';
import { OptionsApp } from '../../components/options/OptionsApp';
import { createModelApi } from '../../components/options/model-api';
import { createDictionariesApi } from '../../components/options/dictionaries-api';
import { createSyncApi } from '../../components/options/sync-api';
import { t } from '../../platform/i18n';
import { openReaderDB, type ReaderDatabase } from '../../platform/db';
import { send } from '../../platform/messaging';
import { exportBackup, importBackup } from '../../platform/service/data';
import { systemClock } from '../../platform/service/state';
import { fetchWordList, offerDownload } from '../../platform/shipped-files';
import { browserSites } from '../../platform/sites-api';
import '../../components/options/options.css';

/** One connection for one backup or restore, closed after it so that it never blocks an upgrade. */
async function withDatabase<T>(work: (db: ReaderDatabase) => Promise<T>): Promise<T> {
  const db = await openReaderDB();
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

// The options page doubles as the first-run page (options.html#welcome).
/** An extension URL for a path WXT's typed paths do not list (copied assets, fragments). */
const assetUrl = (path: string): string => (browser.runtime.getURL as (p: string) => string)(path);

const api: OptionsApi = {
  getSettings: () => send(browser.runtime, 'settings.get', {}),
  updateSettings: (patch) => send(browser.runtime, 'settings.update', { patch }),
  getLearner: () => send(browser.runtime, 'learner.get', {}),
  setVocabulary: (vocabularySize) => send(browser.runtime, 'learner.setVocabulary', { vocabularySize }),
  loadWordList: () => fetchWordList(assetUrl),
  getDashboard: () => send(browser.runtime, 'dashboard.get', {}),
  // Backups are made and restored here, in the extension's own database: a large profile's
  // backup cannot travel in one message (browsers refuse messages over 64 MiB).
  exportData: () => withDatabase((db) => exportBackup({ db: async () => db, clock: systemClock })),
  importData: async (json) => {
    const result = await withDatabase((db) => importBackup({ db: async () => db }, { json }));
    // The background reads everything from the database; this brings its badge up to date.
    await send(browser.runtime, 'data.restored', {}).catch((e: unknown) => console.warn('[attention-reader] the badge was not refreshed', e));
    return result;
  },
  forgetLearning: async () => (await send(browser.runtime, 'relevance.reset', { confirm: 'forget what was learned' })).forgotten,
  deleteAll: async () => {
    await send(browser.runtime, 'data.deleteAll', { confirm: 'delete everything' });
  },
  storageUsed: async () => (await navigator.storage?.estimate?.())?.usage ?? null,
  download: (fileName, content) => offerDownload(fileName, content, 'application/json'),
  seed: () => crypto.getRandomValues(new Uint32Array(1))[0]!,
  sites: browserSites(browser.permissions),
  // model.* messages are answered by the encoder's own context, which is started first.
  models: createModelApi({
    send: async (type, payload) => {
      await send(browser.runtime, 'encoder.open', {});
      return send(browser.runtime, type, payload);
    },
    indexedDB,
  }),
  dictionaries: createDictionariesApi(),
  sync: createSyncApi((type, payload) => send(browser.runtime, type, payload), browser.permissions),
};

document.documentElement.lang = t('locale');
document.title = t('extensionName');
render(
  <OptionsApp
    api={api}
    location={{
      hash: location.hash,
      setHash: (hash) => history.replaceState(null, '', hash || location.pathname),
    }}
  />,
  document.getElementById('app')!,
);
