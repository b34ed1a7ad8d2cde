/**
 * The settings page: everything onboarding asks, plus the language model, review retention,
 * when the day starts, where cards go in Anki, and data and privacy. A change is saved as soon as it is committed
 * (a choice made, a field left), and each section says so in a status line.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LearnerSummaryOut } from '../../lib/protocol';
import type { Settings, SettingsPatch } from '../../lib/settings';
import { errorText } from '../../lib/text';
import { formatNumber, t } from '../../platform/i18n';
import { AnkiSection } from './AnkiSection';
import type { OptionsApi } from './api';
import { DataSection } from './DataSection';
import { DictionariesSection } from './DictionariesSection';
import { BudgetFields, InterestsField, LanguageFields, parseInterests, RetentionField, RolloverField, NudgeField } from './fields';
import { NewWordsField } from './NewWordsField';
import { LevelCheck } from './LevelCheck';
import { ForgetLearning } from './ForgetLearning';
import { ModelSection } from './ModelSection';
import { SitesSection } from './SitesSection';
import { SyncSection } from './SyncSection';

type SaveState = { kind: 'idle' } | { kind: 'saved' } | { kind: 'error'; message: string };
type SectionId = 'languages' | 'interests' | 'daily' | 'reviews' | 'anki';

export function SettingsPage({ api, settings, onSettings, onDataChanged }: { api: OptionsApi; settings: Settings; onSettings(s: Settings): void; onDataChanged(kind: 'imported' | 'deleted'): void }) {
  const [saves, setSaves] = useState<Partial<Record<SectionId, SaveState>>>({});
  const [learner, setLearner] = useState<LearnerSummaryOut | null>(null);
  const [checking, setChecking] = useState(false);
  const [interestsText, setInterestsText] = useState(settings.interests.join('\n'));
  const [interestsError, setInterestsError] = useState<string | null>(null);

  useEffect(() => {
    api.getLearner().then(setLearner, () => setLearner(null));
  }, [api, settings.targetLang]);
  useEffect(() => setInterestsText(settings.interests.join('\n')), [settings.interests]);

  async function save(section: SectionId, patch: SettingsPatch) {
    try {
      onSettings(await api.updateSettings(patch));
      setSaves((s) => ({ ...s, [section]: { kind: 'saved' } }));
    } catch (e) {
      setSaves((s) => ({ ...s, [section]: { kind: 'error', message: errorText(e) } }));
    }
  }

  const status = (section: SectionId) => <SaveStatus state={saves[section] ?? { kind: 'idle' }} />;

  return (
    <div class="settings">
      <section class="card" aria-labelledby="languages-heading">
        <div class="card-head">
          <h2 id="languages-heading">{t('stepLanguages')}</h2>
          {status('languages')}
        </div>
        <LanguageFields targetLang={settings.targetLang} nativeLang={settings.nativeLang} onChange={(p) => void save('languages', p)} />
      </section>

      <section class="card" aria-labelledby="level-heading">
        <h2 id="level-heading">{t('stepLevel')}</h2>
        <p data-learner={learner?.level}>
          {learner
            ? t('learnerSummary', [learner.level, formatNumber(learner.vocabularySize), formatNumber(learner.wordsPerMinute), formatNumber(learner.knownWords), formatNumber(learner.learningWords)])
            : t('loading')}
        </p>
        {checking ? (
          <LevelCheck targetLang={settings.targetLang} loadWordList={api.loadWordList} setVocabulary={api.setVocabulary} seed={api.seed} onSaved={setLearner} />
        ) : (
          <button type="button" class="secondary" onClick={() => setChecking(true)}>
            {t('levelChange')}
          </button>
        )}
      </section>

      <section class="card" aria-labelledby="interests-heading">
        <div class="card-head">
          <h2 id="interests-heading">{t('stepInterests')}</h2>
          {status('interests')}
        </div>
        <InterestsField
          text={interestsText}
          error={interestsError}
          onText={setInterestsText}
          onCommit={() => {
            const parsed = parseInterests(interestsText);
            setInterestsError(parsed.error);
            if (!parsed.error) void save('interests', { interests: parsed.interests });
          }}
        />
        <ForgetLearning forget={api.forgetLearning} />
      </section>

      <section class="card" aria-labelledby="daily-heading">
        <div class="card-head">
          <h2 id="daily-heading">{t('stepDaily')}</h2>
          {status('daily')}
        </div>
        <BudgetFields budgetMinutes={settings.budgetMinutes} density={settings.density} onChange={(p) => void save('daily', p)} />
        <RolloverField hour={settings.rolloverHour} onChange={(p) => void save('daily', p)} />
        <NewWordsField enabled={settings.underlineNewWords} onChange={(p) => void save('daily', p)} />
      </section>

      <section class="card" aria-labelledby="reviews-heading">
        <div class="card-head">
          <h2 id="reviews-heading">{t('reviewsSettingsHeading')}</h2>
          {status('reviews')}
        </div>
        <RetentionField value={settings.desiredRetention} onChange={(p) => void save('reviews', p)} />
        <NudgeField enabled={settings.reviewNudge} onChange={(p) => void save('reviews', p)} />
      </section>

      <AnkiSection deck={settings.ankiDeck} noteTypes={settings.ankiNoteTypes} apiKey={settings.ankiApiKey} status={status('anki')} onChange={(p) => void save('anki', p)} />

      <SitesSection api={api.sites} />
      <ModelSection api={api} settings={settings} onSettings={onSettings} />
      {api.dictionaries && <DictionariesSection api={api.dictionaries} />}
      {api.sync && <SyncSection api={api.sync} />}
      <DataSection api={api} onChanged={onDataChanged} />
    </div>
  );
}

function SaveStatus({ state }: { state: SaveState }) {
  return (
    <p class={state.kind === 'error' ? 'field-error' : 'status'} role={state.kind === 'error' ? 'alert' : 'status'}>
      {state.kind === 'saved' ? t('saved') : state.kind === 'error' ? t('saveError', state.message) : ''}
    </p>
  );
}
