/**
 * What the options page and onboarding need from the extension, as one interface: the page's
 * entrypoint implements it with protocol messages, tests with fakes.
 */
import type { DashboardOut, LearnerSummaryOut, ResponseOf } from '../../lib/protocol';
import type { Settings, SettingsPatch } from '../../lib/settings';
import type { FrequencyList } from '../../lib/vocabulary';

export interface OptionsApi {
  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  getLearner(): Promise<LearnerSummaryOut>;
  setVocabulary(vocabularySize: number): Promise<LearnerSummaryOut>;
  /** The shipped English frequency list, for the placement check. */
  loadWordList(): Promise<FrequencyList>;
  /** Which scorer answers now (the model's state). */
  getDashboard(): Promise<DashboardOut>;
  exportData(): Promise<ResponseOf<'data.export'>>;
  importData(json: string): Promise<ResponseOf<'data.import'>>;
  deleteAll(): Promise<void>;
  /** Hands a file to the browser's downloads (a DOM side effect, faked in tests). */
  download(fileName: string, text: string): void;
  /** A random seed for a new placement test. */
  seed(): number;
}
