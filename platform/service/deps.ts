/** What the background's handlers need from the outside world, injected so tests can fake it. */
import type { RequestOf, ResponseOf } from '../../lib/protocol';
import type { Lexicon } from '../../lib/vocabulary';
import type { ReaderDatabase } from '../db';
import type { EncoderTier } from './relevance';
import type { Clock } from './state';

export interface ServiceDeps {
  db(): Promise<ReaderDatabase>;
  clock: Clock;
  encoder: EncoderTier;
  /** The ranked word list of the learner's target language (platform/lexicon-source.ts); undefined when there is none. */
  lexicon(): Promise<Lexicon | undefined>;
  /** Starts the reader on one tab (platform/site-access.ts); absent where tabs cannot be scripted. */
  readTab?(tabId: number): Promise<boolean>;
  /** A word's meanings from the dictionary beside the encoder (offscreen document); absent: no dictionary. */
  lookupWord?(request: RequestOf<'dictionary.lookup'>): Promise<ResponseOf<'dictionary.lookup'>>;
  /** Entries of the learner's imported dictionaries for these terms; absent: none imported. */
  lookupImported?(terms: string[]): Promise<ResponseOf<'word.lookup'>['imported']>;
}
