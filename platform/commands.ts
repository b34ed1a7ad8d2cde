/**
 * Relays the browser's passage and look-up shortcuts (manifest `commands`, lib/shortcuts.ts) to
 * the reader of the tab they were pressed on. A tab without a reader (a site not turned on, a browser
 * page) has no listener; the message fails there and nothing happens, as for any key the
 * page does not use.
 */
import { envelope } from '../lib/protocol';
import { LOOKUP_COMMAND, passageStep } from '../lib/shortcuts';

export interface CommandsLike {
  onCommand: { addListener(listener: (command: string, tab?: { id?: number }) => void): void };
}

export interface TabMessagingLike {
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

export function relayPassageCommands(commands: CommandsLike, tabs: TabMessagingLike): void {
  commands.onCommand.addListener((command, tab) => {
    // The tab the shortcut was pressed on: Chrome 86+ and Firefox 126+ pass it.
    if (tab?.id === undefined) return;
    if (command === LOOKUP_COMMAND) {
      void tabs.sendMessage(tab.id, envelope('reader.lookup', {})).catch(() => undefined);
      return;
    }
    const step = passageStep(command);
    if (step === undefined) return;
    void tabs.sendMessage(tab.id, envelope('reader.step', { step })).catch(() => undefined);
  });
}
