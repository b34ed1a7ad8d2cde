import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup, type PopupApi } from '../../components/popup/Popup';
import { t } from '../../platform/i18n';
import { send } from '../../platform/messaging';
import { browserSites } from '../../platform/sites-api';
import '../../components/popup/popup.css';

/** An extension URL for a path WXT's typed paths do not list (copied assets, fragments). */
const assetUrl = (path: string): string => (browser.runtime.getURL as (p: string) => string)(path);

const api: PopupApi = {
  dashboard: () => send(browser.runtime, 'dashboard.get', {}),
  learner: () => send(browser.runtime, 'learner.get', {}),
  settings: () => send(browser.runtime, 'settings.get', {}),
  // The address is there only with the "activeTab" grant (the popup was opened from the
  // toolbar) or host access to the page; otherwise the popup says it cannot see the page.
  activeTabUrl: async () => (await browser.tabs.query({ active: true, currentWindow: true }))[0]?.url,
  pageSummary: (url) => send(browser.runtime, 'page.summary', { url }),
  updateSettings: (patch) => send(browser.runtime, 'settings.update', { patch }),
  openReview: () => void browser.tabs.create({ url: browser.runtime.getURL('/review.html') }),
  openOptions: (onboarding) =>
    void (onboarding ? browser.tabs.create({ url: assetUrl('/options.html#welcome') }) : browser.runtime.openOptionsPage()),
  syncStatus: () => send(browser.runtime, 'sync.status', {}),
  now: () => Date.now(),
  ...browserSites(browser.permissions),
  readThisPage: async () => {
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id === undefined) throw new Error(t('siteUnsupported'));
    return (await send(browser.runtime, 'site.read', { tabId: tab.id })).started;
  },
};

document.documentElement.lang = t('locale');
render(<Popup api={api} />, document.getElementById('app')!);
