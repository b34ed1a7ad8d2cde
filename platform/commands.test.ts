import { describe, expect, it } from 'vitest';
import { relayPassageCommands } from './commands';

function fakeBrowser(fail = false) {
  let listener: ((command: string, tab?: { id?: number }) => void) | null = null;
  const sent: Array<{ tabId: number; message: unknown }> = [];
  return {
    sent,
    press: (command: string, tab?: { id?: number }) => listener!(command, tab),
    commands: { onCommand: { addListener: (l: typeof listener) => void (listener = l) } },
    tabs: {
      sendMessage: async (tabId: number, message: unknown) => {
        sent.push({ tabId, message });
        if (fail) throw new Error('Could not establish connection. Receiving end does not exist.');
        return { ok: true, value: { moved: true } };
      },
    },
  };
}

describe('passage shortcuts relay', () => {
  it('sends the next and previous steps to the reader of the tab the keys were pressed on', () => {
    const browser = fakeBrowser();
    relayPassageCommands(browser.commands, browser.tabs);
    browser.press('next-passage', { id: 7 });
    browser.press('previous-passage', { id: 9 });
    expect(browser.sent).toEqual([
      { tabId: 7, message: { channel: 'attention-reader/1', type: 'reader.step', payload: { step: 1 } } },
      { tabId: 9, message: { channel: 'attention-reader/1', type: 'reader.step', payload: { step: -1 } } },
    ]);
  });

  it('sends the look-up shortcut to the reader of its tab, which opens the word card there', () => {
    const browser = fakeBrowser();
    relayPassageCommands(browser.commands, browser.tabs);
    browser.press('look-up-word', { id: 4 });
    browser.press('look-up-word');
    expect(browser.sent).toEqual([{ tabId: 4, message: { channel: 'attention-reader/1', type: 'reader.lookup', payload: {} } }]);
  });

  it('sends nothing for the popup command, unknown commands, or a press with no tab', () => {
    const browser = fakeBrowser();
    relayPassageCommands(browser.commands, browser.tabs);
    browser.press('_execute_action', { id: 7 });
    browser.press('something-else', { id: 7 });
    browser.press('next-passage');
    expect(browser.sent).toEqual([]);
  });

  it('stays quiet on a tab without a reader (a site not turned on)', async () => {
    const browser = fakeBrowser(true);
    relayPassageCommands(browser.commands, browser.tabs);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    browser.press('next-passage', { id: 3 });
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(browser.sent).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });
});
