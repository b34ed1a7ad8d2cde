/**
 * Loads the encoder before the first page asks for it. Loading it (the offscreen document,
 * the WebAssembly runtime's compile, the model's session) takes seconds on a cold start, and a
 * learner reads a page's first screen within a second or two: started when the background
 * starts (browser start, a worker restart) and when a site is turned on, that load overlaps
 * the browser's own start and the page's loading instead of following the page's first message.
 *
 * Only for a learner who reads somewhere: with no site turned on, or highlighting paused
 * everywhere, nothing is loaded (the encoder's process holds a few hundred MB).
 */
import { readingMatches } from '../lib/site-access';
import type { RemoteEncoder } from './offscreen-client';

export interface WarmupDeps {
  /** The origins the learner granted (permissions.getAll().origins). */
  grantedOrigins(): Promise<readonly string[]>;
  /** Whether highlighting is paused on every site. */
  pausedEverywhere(): Promise<boolean>;
  encoder: Pick<RemoteEncoder, 'status'>;
}

/** Whether the encoder was asked to load; never throws (a failed load is the encoder's to report). */
export async function warmEncoder(deps: WarmupDeps): Promise<boolean> {
  try {
    if (readingMatches(await deps.grantedOrigins()).length === 0) return false;
    if (await deps.pausedEverywhere()) return false;
    const status = await deps.encoder.status();
    if (!status.ready) console.warn('[attention-reader] the encoder did not load ahead of the first page:', status.error);
    return true;
  } catch (e) {
    console.warn('[attention-reader] the encoder could not be loaded ahead of the first page', e);
    return false;
  }
}
