/**
 * What the options page and onboarding need from the extension, as one interface: the page's
 * entrypoint implements it with protocol messages, tests with fakes.
 */
import type { DashboardOut, LearnerSummaryOut, ResponseOf } from '../../lib/protocol';
import type { ImportableFile } from '../../platform/encoder/model-store';
import type { Settings, SettingsPatch } from '../../lib/settings';
import type { FrequencyList } from '../../lib/vocabulary';
import type { SitesApi } from '../../lib/site-access';
import type { DictionariesApi } from './dictionaries-api';
import type { SyncApi } from './sync-api';

export interface OptionsApi {
  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  getLearner(): Promise<LearnerSummaryOut>;
  setVocabulary(vocabularySize: number): Promise<LearnerSummaryOut>;
  /** The shipped English frequency list, for the placement check. */
  loadWordList(): Promise<FrequencyList>;
  /** Which scorer answers now (the model's state). */
  getDashboard(): Promise<DashboardOut>;
  /**
   * A backup of all learner data, as pieces of the file's text (a large profile's backup is
   * never one string or one message; see platform/service/data.ts).
   */
  exportData(): Promise<{ fileName: string; parts: string[]; chars: number }>;
  /** Restores a backup file's text, all or nothing; rejects with the reason it was refused. */
  importData(json: string): Promise<{ restored: Record<string, number> }>;
  deleteAll(): Promise<void>;
  /** Bytes the extension's data takes on this device (`navigator.storage.estimate`), or null if the browser does not say. */
  storageUsed?(): Promise<number | null>;
  /** Forgets what relevance learned from feedback; how many judgements were forgotten. */
  forgetLearning(): Promise<number>;
  /** Hands a file to the browser's downloads (a DOM side effect, faked in tests). */
  download(fileName: string, content: string | readonly string[]): void;
  /** A random seed for a new placement test. */
  seed(): number;
  /** The sites the extension may read (the browser's optional host permissions). */
  sites: SitesApi;
  /**
   * Downloadable models (see `createModelApi` in ./model-api.ts). Absent where the browser
   * cannot run them: the page then offers only the bundled model.
   */
  models?: ModelApi;
  /** Imported dictionaries (Yomitan format), stored by this page itself; absent in tests that do not use them. */
  dictionaries?: DictionariesApi;
  /** Sync with the learner's WebDAV server; absent in tests that do not use it. */
  sync?: SyncApi;
}

/** The models on this device: downloads run in the encoder host, imports in this page. */
export interface ModelApi {
  /** Stored models, a download in flight (polled for progress), and why the choice is not in use. */
  list(): Promise<ResponseOf<'model.list'>>;
  /** Only ever called from the learner's press of Download. */
  download(encoderId: string): Promise<ResponseOf<'model.download'>>;
  remove(modelId: string): Promise<ResponseOf<'model.remove'>>;
  /** Stores the files of a folder the learner picked; `required` are the files it must hold. */
  importFolder(modelId: string, files: readonly ImportableFile[], required: readonly string[]): Promise<{ stored: number }>;
}
