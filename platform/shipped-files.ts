/**
 * Files an extension page hands to or takes from the browser: the shipped English word list
 * (read by the background for difficulty and by the options page for the word check), and a
 * text offered to the learner as a download (backups, Anki files) without the "downloads"
 * permission.
 */
import type { FrequencyList } from '../lib/vocabulary';

/** Where the build puts the word list (wxt.config.ts RUNTIME_ASSETS). */
export const FREQUENCY_LIST_PATH = '/models/frequency-en.json';

/** The shipped word list, from its extension URL (`getURL` resolves the path). */
export async function fetchWordList(getURL: (path: string) => string): Promise<FrequencyList> {
  const response = await fetch(getURL(FREQUENCY_LIST_PATH));
  if (!response.ok) throw new Error(`the word list could not be read (HTTP ${response.status})`);
  return (await response.json()) as FrequencyList;
}

/** Offers `text` as a file download from an extension page. */
export function offerDownload(fileName: string, content: string | readonly string[], type: string, doc: Document = document): void {
  // Pieces go into the file as they are: a large file is never joined into one string.
  const url = URL.createObjectURL(new Blob(typeof content === 'string' ? [content] : [...content], { type }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  doc.body.append(link);
  link.click();
  link.remove();
  // The download has started reading the blob by now; a minute's grace for slow disks.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
