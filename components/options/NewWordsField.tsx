/**
 * The switch for underlining, inside highlighted passages, the words the learner probably does
 * not know yet (lib/new-words.ts). It applies to pages opened or read again after the change:
 * the background sends the words with each page's highlights.
 */
import { t } from '../../platform/i18n';
import type { SettingsPatch } from '../../lib/settings';

export function NewWordsField({ enabled, onChange }: { enabled: boolean; onChange(patch: SettingsPatch): void }) {
  return (
    <div class="field">
      <label>
        <input type="checkbox" checked={enabled} aria-describedby="new-words-hint" onChange={(e) => onChange({ underlineNewWords: e.currentTarget.checked })} /> {t('underlineNewWordsLabel')}
      </label>
      <p id="new-words-hint" class="hint">
        {t('underlineNewWordsHint')}
      </p>
    </div>
  );
}
