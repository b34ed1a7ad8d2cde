/**
 * The extension's keyboard shortcuts, declared as manifest `commands` so that the browser owns
 * them: the learner sees and changes them in the browser's shortcut settings
 * (chrome://extensions/shortcuts, Firefox's "Manage Extension Shortcuts"), and a page's own
 * keys are never taken by the reader itself. The background relays a passage command to the
 * reader of the tab it was pressed on.
 */

/** Manifest command names of the two passage steps, and which way each one moves. */
export const PASSAGE_COMMANDS = { 'next-passage': 1, 'previous-passage': -1 } as const;
export type PassageCommand = keyof typeof PASSAGE_COMMANDS;
export type PassageStep = (typeof PASSAGE_COMMANDS)[PassageCommand];

/** Manifest command that opens the word card for the word at the selection or caret. */
export const LOOKUP_COMMAND = 'look-up-word';

export function passageStep(command: string): PassageStep | undefined {
  return Object.hasOwn(PASSAGE_COMMANDS, command) ? PASSAGE_COMMANDS[command as PassageCommand] : undefined;
}

interface ManifestCommand {
  suggested_key: { default: string };
  description: string;
}

/**
 * The manifest's `commands`. `_execute_action` is the browser's own command for opening the
 * popup. Alt+Shift+<letter> is free in Chrome, Edge and Firefox by default; a browser that
 * finds one taken leaves it unset, and the learner can set it.
 */
export const MANIFEST_COMMANDS: Record<PassageCommand | typeof LOOKUP_COMMAND | '_execute_action', ManifestCommand> = {
  'next-passage': { suggested_key: { default: 'Alt+Shift+N' }, description: 'Next highlighted passage (opens its toolbar)' },
  'previous-passage': { suggested_key: { default: 'Alt+Shift+P' }, description: 'Previous highlighted passage (opens its toolbar)' },
  // Chrome takes at most four suggested keys: these are the four.
  'look-up-word': { suggested_key: { default: 'Alt+Shift+L' }, description: 'Look up the word at the selection or caret (opens its word card)' },
  _execute_action: { suggested_key: { default: 'Alt+Shift+R' }, description: 'Open the Attention Reader popup' },
};
