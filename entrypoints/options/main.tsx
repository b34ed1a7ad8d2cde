import { render } from 'preact';
import { browser } from 'wxt/browser';
import type { OptionsApi } from '../../components/options/api';
import { OptionsApp } from '../../components/options/OptionsApp';
import { createModelApi } from '../../components/options/model-api';
import { t } from '../../platform/i18n';
import { send } from '../../platform/messaging';
import { fetchWordList, offerDownload } from '../../platform/shipped-files';
import { browserSites } from '../../platform/sites-api';
import '../../components/options/options.css';

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
  exportData: () => send(browser.runtime, 'data.export', {}),
  importData: (json) => send(browser.runtime, 'data.import', { json }),
  forgetLearning: async () => (await send(browser.runtime, 'relevance.reset', { confirm: 'forget what was learned' })).forgotten,
  deleteAll: async () => {
    await send(browser.runtime, 'data.deleteAll', { confirm: 'delete everything' });
  },
  download: (fileName, text) => offerDownload(fileName, text, 'application/json'),
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
