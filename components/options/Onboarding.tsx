/**
 * First run, four short steps: languages, level, interests, daily reading. Each step is a form
 * (Enter moves on), its heading takes focus when it appears so that a screen reader announces
 * it, and each step's choices are saved when the learner moves on, so that closing the tab
 * half-way keeps what was chosen. Finishing marks the learner as onboarded.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Settings, SettingsPatch } from '../../lib/settings';
import { errorText } from '../../lib/text';
import { formatNumber, t, type MessageKey } from '../../platform/i18n';
import type { OptionsApi } from './api';
import { BudgetFields, InterestsField, LanguageFields, parseInterests } from './fields';
import { LevelCheck } from './LevelCheck';
import { SitesControl } from './SitesSection';

const STEPS: ReadonlyArray<{ id: string; title: MessageKey; intro: MessageKey }> = [
  { id: 'languages', title: 'stepLanguages', intro: 'stepLanguagesIntro' },
  { id: 'level', title: 'stepLevel', intro: 'stepLevelIntro' },
  { id: 'interests', title: 'stepInterests', intro: 'stepInterestsIntro' },
  { id: 'daily', title: 'stepDaily', intro: 'stepDailyIntro' },
];

export function Onboarding({ api, initial, onDone, onShowSettings }: { api: OptionsApi; initial: Settings; onDone(settings: Settings): void; onShowSettings(): void }) {
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<Settings>(initial);
  const [interestsText, setInterestsText] = useState(initial.interests.join('\n'));
  const [interestsError, setInterestsError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);

  useEffect(() => {
    // Not on the first render: the page's own heading comes first there.
    if (first.current) first.current = false;
    else heading.current?.focus();
  }, [step, finished]);

  const edit = (patch: SettingsPatch) => setDraft((d) => ({ ...d, ...patch }));

  async function saveAndGo(patch: SettingsPatch, next: number) {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateSettings(patch);
      setDraft(saved);
      if (next >= STEPS.length) {
        setFinished(true);
        onDone(saved);
      } else setStep(next);
    } catch (e) {
      setError(t('saveError', errorText(e)));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: Event) {
    e.preventDefault();
    const id = STEPS[step]!.id;
    if (id === 'languages') void saveAndGo({ targetLang: draft.targetLang, nativeLang: draft.nativeLang }, step + 1);
    else if (id === 'level') setStep(step + 1);
    else if (id === 'interests') {
      const parsed = parseInterests(interestsText);
      setInterestsError(parsed.error);
      if (!parsed.error) void saveAndGo({ interests: parsed.interests }, step + 1);
    } else void saveAndGo({ budgetMinutes: draft.budgetMinutes, density: draft.density, onboarded: true }, step + 1);
  }

  if (finished) {
    return (
      <section class="onboarding done" aria-labelledby="step-heading">
        <h2 id="step-heading" tabIndex={-1} ref={heading}>
          {t('doneTitle')}
        </h2>
        <p>{t('doneText', formatNumber(draft.budgetMinutes))}</p>
        <p>{t('doneHow')}</p>
        <h3>{t('sitesHeading')}</h3>
        <p class="hint">{t('sitesIntro')}</p>
        <SitesControl api={api.sites} />
        <p class="hint">{t('donePrivacy')}</p>
        <div class="actions">
          <button type="button" class="secondary" onClick={onShowSettings}>
            {t('doneSettings')}
          </button>
        </div>
      </section>
    );
  }

  const current = STEPS[step]!;
  return (
    <section class="onboarding" aria-labelledby="step-heading">
      <ol class="steps" aria-label={t('stepsLabel')}>
        {STEPS.map((s, i) => (
          <li key={s.id} class={i === step ? 'current' : i < step ? 'past' : ''} aria-current={i === step ? 'step' : undefined}>
            {t(s.title)}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} data-step={current.id}>
        <p class="step-count">{t('stepCount', [step + 1, STEPS.length])}</p>
        <h2 id="step-heading" tabIndex={-1} ref={heading}>
          {t(current.title)}
        </h2>
        <p class="intro">{t(current.intro)}</p>

        {current.id === 'languages' && <LanguageFields targetLang={draft.targetLang} nativeLang={draft.nativeLang} onChange={edit} />}
        {current.id === 'interests' && <InterestsField text={interestsText} error={interestsError} onText={setInterestsText} />}
        {current.id === 'daily' && <BudgetFields budgetMinutes={draft.budgetMinutes} density={draft.density} onChange={edit} />}
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
        {current.id !== 'level' && <StepButtons step={step} busy={busy} onBack={() => setStep(step - 1)} />}
      </form>
      {/* The level step holds forms of its own, which cannot nest in the step's form. */}
      {current.id === 'level' && (
        <>
          <LevelCheck targetLang={draft.targetLang} loadWordList={api.loadWordList} setVocabulary={api.setVocabulary} seed={api.seed} />
          <form onSubmit={submit}>
            <StepButtons step={step} busy={busy} onBack={() => setStep(step - 1)} />
          </form>
        </>
      )}
    </section>
  );
}

function StepButtons({ step, busy, onBack }: { step: number; busy: boolean; onBack(): void }) {
  const last = step === STEPS.length - 1;
  return (
    <div class="actions step-actions">
      {step > 0 && (
        <button type="button" class="secondary" onClick={onBack} disabled={busy}>
          {t('back')}
        </button>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {last ? t('finish') : t('next')}
      </button>
    </div>
  );
}
