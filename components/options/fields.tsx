/**
 * Form fields shared by onboarding and the settings page. Each is a controlled field with a
 * visible label and a hint tied to it (aria-describedby); changes are reported up as
 * settings patches, and the page decides when to save.
 */
import { useEffect, useState } from 'preact/hooks';
import { HIGHLIGHT_DENSITY, type HighlightDensity, type SettingsPatch } from '../../lib/settings';
import { normaliseWhitespace } from '../../lib/text';
import { formatNumber, t } from '../../platform/i18n';
import { hasPlacementCheck, languageName, languageOptions, NATIVE_LANGUAGES, TARGET_LANGUAGES } from './languages';

type OnPatch = (patch: SettingsPatch) => void;

export const MAX_INTERESTS = 20;
export const MAX_INTEREST_CHARS = 200;
export const BUDGET_RANGE = { min: 5, max: 120, step: 5 } as const;

/** Interests as typed (one per line) to the list stored: trimmed, blank lines and repeats dropped. */
export function parseInterests(text: string): { interests: string[]; error: string | null } {
  const interests: string[] = [];
  for (const line of text.split('\n')) {
    const phrase = normaliseWhitespace(line);
    if (phrase && !interests.some((i) => i.toLowerCase() === phrase.toLowerCase())) interests.push(phrase);
  }
  if (interests.length > MAX_INTERESTS) return { interests, error: t('interestsTooMany', MAX_INTERESTS) };
  if (interests.some((i) => i.length > MAX_INTEREST_CHARS)) return { interests, error: t('interestsTooLong', MAX_INTEREST_CHARS) };
  return { interests, error: null };
}

/** What works for the chosen language, said where it is chosen (welcome steps and Settings). */
function LanguageSupport({ targetLang }: { targetLang: string }) {
  return (
    <p id="target-lang-support" class="hint" data-language-support={hasPlacementCheck(targetLang) ? 'full' : 'reading-only'}>
      {hasPlacementCheck(targetLang) ? t('languageSupportEnglish') : t('languageSupportOther', languageName(targetLang))}
    </p>
  );
}

export function LanguageFields({ targetLang, nativeLang, onChange }: { targetLang: string; nativeLang: string; onChange: OnPatch }) {
  return (
    <div class="field-group">
      <div class="field">
        <label for="target-lang">{t('targetLangLabel')}</label>
        <select id="target-lang" value={targetLang} aria-describedby="target-lang-support" onChange={(e) => onChange({ targetLang: e.currentTarget.value })}>
          {languageOptions(TARGET_LANGUAGES, targetLang).map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
        <LanguageSupport targetLang={targetLang} />
      </div>
      <div class="field">
        <label for="native-lang">{t('nativeLangLabel')}</label>
        <select id="native-lang" value={nativeLang} aria-describedby="native-lang-hint" onChange={(e) => onChange({ nativeLang: e.currentTarget.value })}>
          <option value="">{t('nativeLangUnsaid')}</option>
          {languageOptions(NATIVE_LANGUAGES, nativeLang).map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
        <p id="native-lang-hint" class="hint">
          {t('nativeLangHint')}
        </p>
      </div>
    </div>
  );
}

export function InterestsField({ text, error, onText, onCommit }: { text: string; error: string | null; onText: (text: string) => void; onCommit?: () => void }) {
  return (
    <div class="field">
      <label for="interests">{t('interestsLabel')}</label>
      <p id="interests-hint" class="hint">
        {t('interestsHint')}
      </p>
      <textarea
        id="interests"
        rows={5}
        value={text}
        placeholder={t('interestsPlaceholder')}
        aria-describedby={error ? 'interests-hint interests-error' : 'interests-hint'}
        aria-invalid={error ? true : undefined}
        onInput={(e) => onText(e.currentTarget.value)}
        onChange={() => onCommit?.()}
      />
      <p id="interests-error" class="field-error" role={error ? 'alert' : undefined}>
        {error ?? ''}
      </p>
    </div>
  );
}

const DENSITY_TEXT: Record<HighlightDensity, { label: 'densityFew' | 'densityNormal' | 'densityMany'; hint: 'densityFewHint' | 'densityNormalHint' | 'densityManyHint' }> = {
  few: { label: 'densityFew', hint: 'densityFewHint' },
  normal: { label: 'densityNormal', hint: 'densityNormalHint' },
  many: { label: 'densityMany', hint: 'densityManyHint' },
};

export function clampBudget(minutes: number): number {
  if (!Number.isFinite(minutes)) return BUDGET_RANGE.min;
  return Math.min(BUDGET_RANGE.max, Math.max(BUDGET_RANGE.min, Math.round(minutes)));
}

export function BudgetFields({ budgetMinutes, density, onChange }: { budgetMinutes: number; density: HighlightDensity; onChange: OnPatch }) {
  return (
    <div class="field-group">
      <div class="field">
        <label for="budget">{t('budgetLabel')}</label>
        <p id="budget-hint" class="hint">
          {t('budgetHint')}
        </p>
        <div class="with-unit">
          <input
            id="budget"
            type="number"
            inputMode="numeric"
            min={BUDGET_RANGE.min}
            max={BUDGET_RANGE.max}
            step={BUDGET_RANGE.step}
            value={budgetMinutes}
            aria-describedby="budget-hint"
            onChange={(e) => {
              const minutes = clampBudget(e.currentTarget.valueAsNumber);
              e.currentTarget.value = String(minutes);
              onChange({ budgetMinutes: minutes });
            }}
          />
          <span>{t('minutesADay')}</span>
        </div>
      </div>
      <fieldset class="field">
        <legend>{t('densityLabel')}</legend>
        {HIGHLIGHT_DENSITY.map((d) => (
          <label key={d} class="choice">
            <input type="radio" name="density" value={d} checked={density === d} onChange={() => onChange({ density: d })} />
            <span>
              <strong>{t(DENSITY_TEXT[d].label)}</strong>
              <span class="hint">{t(DENSITY_TEXT[d].hint)}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}

export function RetentionField({ value, onChange }: { value: number; onChange: OnPatch }) {
  // The shown percentage follows the slider while it moves; the setting is saved when it stops.
  const [percent, setPercent] = useState(Math.round(value * 100));
  useEffect(() => setPercent(Math.round(value * 100)), [value]);
  const text = t('retentionValue', formatNumber(percent));
  return (
    <div class="field">
      <label for="retention">{t('retentionLabel')}</label>
      <p id="retention-hint" class="hint">
        {t('retentionHint')}
      </p>
      <div class="with-unit">
        <input
          id="retention"
          type="range"
          min={70}
          max={99}
          step={1}
          value={percent}
          aria-describedby="retention-hint"
          aria-valuetext={text}
          onInput={(e) => setPercent(e.currentTarget.valueAsNumber)}
          onChange={(e) => onChange({ desiredRetention: e.currentTarget.valueAsNumber / 100 })}
        />
        <output for="retention">{text}</output>
      </div>
    </div>
  );
}

export function NudgeField({ enabled, onChange }: { enabled: boolean; onChange: OnPatch }) {
  return (
    <div class="field">
      <label>
        <input type="checkbox" checked={enabled} onChange={(e) => onChange({ reviewNudge: e.currentTarget.checked })} /> {t('nudgeLabel')}
      </label>
    </div>
  );
}

export function RolloverField({ hour, onChange }: { hour: number; onChange: OnPatch }) {
  const format = new Intl.DateTimeFormat(t('locale'), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
  return (
    <div class="field">
      <label for="rollover">{t('rolloverLabel')}</label>
      <p id="rollover-hint" class="hint">
        {t('rolloverHint')}
      </p>
      <select id="rollover" value={String(hour)} aria-describedby="rollover-hint" onChange={(e) => onChange({ rolloverHour: Number(e.currentTarget.value) })}>
        {Array.from({ length: 24 }, (_, h) => (
          <option key={h} value={String(h)}>
            {format.format(Date.UTC(2000, 0, 1, h))}
          </option>
        ))}
      </select>
    </div>
  );
}
