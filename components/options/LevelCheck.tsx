/**
 * The level: a short yes/no word check (real words from six frequency bands and made-up
 * words that catch guessing; lib/vocabulary.ts builds and scores it), or, skipping it, a
 * picker of the six CEFR levels. Either ends in `learner.setVocabulary`.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LearnerSummaryOut } from '../../lib/protocol';
import {
  CEFR_LEVELS,
  createPlacementTest,
  scorePlacement,
  VOCABULARY_BY_LEVEL,
  type CefrLevel,
  type FrequencyList,
  type PlacementResult,
} from '../../lib/vocabulary';
import { errorText } from '../../lib/text';
import { formatNumber, plural, t, type MessageKey } from '../../platform/i18n';
import { hasPlacementCheck, languageName } from './languages';

/** Short enough for a first run (about a minute): 5 words from each of 6 bands and 12 made-up words. */
export const PLACEMENT_OPTIONS = { wordsPerBand: 5, pseudowords: 12 } as const;
/** The protocol's bounds for a vocabulary size. */
const MIN_SIZE = 100;
const MAX_SIZE = 100_000;

const LEVEL_HINT: Record<CefrLevel, MessageKey> = {
  A1: 'levelA1',
  A2: 'levelA2',
  B1: 'levelB1',
  B2: 'levelB2',
  C1: 'levelC1',
  C2: 'levelC2',
};

export interface LevelCheckProps {
  targetLang: string;
  loadWordList(): Promise<FrequencyList>;
  setVocabulary(size: number): Promise<LearnerSummaryOut>;
  seed(): number;
  /** Called after a level was stored. */
  onSaved?(summary: LearnerSummaryOut): void;
}

type Mode = 'check' | 'picker';

export function LevelCheck(props: LevelCheckProps) {
  const checkable = hasPlacementCheck(props.targetLang);
  const [mode, setMode] = useState<Mode>(checkable ? 'check' : 'picker');
  const [saved, setSaved] = useState<LearnerSummaryOut | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function save(size: number) {
    setError(null);
    try {
      const summary = await props.setVocabulary(Math.min(MAX_SIZE, Math.max(MIN_SIZE, Math.round(size))));
      setSaved(summary);
      props.onSaved?.(summary);
    } catch (e) {
      setError(t('levelSaveError', errorText(e)));
    }
  }

  return (
    <div class="level-check">
      {!checkable && <p class="hint">{t('placementEnglishOnly', languageName(props.targetLang))}</p>}
      {mode === 'check' ? (
        <WordCheck {...props} onScored={save} onPicker={() => setMode('picker')} />
      ) : (
        <LevelPicker onPick={(level) => save(VOCABULARY_BY_LEVEL[level])} onCheck={checkable ? () => setMode('check') : undefined} />
      )}
      <p class="status" role="status" data-level={saved?.level}>
        {saved ? t('levelSaved', [saved.level, formatNumber(saved.vocabularySize)]) : ''}
      </p>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function WordCheck({ loadWordList, seed, onScored, onPicker }: LevelCheckProps & { onScored(size: number): Promise<void>; onPicker(): void }) {
  const [list, setList] = useState<FrequencyList | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // A new seed per round: "try again" asks other words.
  const [round, setRound] = useState(() => seed());
  const [answers, setAnswers] = useState<Record<string, boolean>>({});
  const [result, setResult] = useState<PlacementResult | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    loadWordList().then(setList, (e: unknown) => setLoadError(errorText(e)));
    // Loaded once per mount: the list does not change while the page is open.
  }, []);
  const test = useMemo(() => (list ? createPlacementTest(list, round, PLACEMENT_OPTIONS) : null), [list, round]);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  if (loadError) {
    return (
      <div>
        <p class="field-error" role="alert">
          {t('placementLoadError', loadError)}
        </p>
        <button type="button" class="secondary" onClick={onPicker}>
          {t('placementSkip')}
        </button>
      </div>
    );
  }
  if (!test) return <p aria-busy="true">{t('loading')}</p>;

  if (result) {
    const pseudo = test.items.filter((i) => !i.real).length;
    const wrong = Math.round(result.falseAlarmRate * pseudo);
    return (
      <div class="placement-result" tabIndex={-1} ref={resultRef}>
        <p>
          <strong>{t('placementResult', [formatNumber(result.vocabularySize), result.level])}</strong>
        </p>
        {!result.reliable && <p class="warning">{plural('placementUnreliable', wrong)}</p>}
        <div class="actions">
          {!result.reliable && (
            <button type="button" class="secondary" onClick={() => void onScored(result.vocabularySize)}>
              {t('placementUseAnyway')}
            </button>
          )}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setAnswers({});
              setResult(null);
              setRound(seed());
            }}
          >
            {t('placementAgain')}
          </button>
          <button type="button" class="secondary" onClick={onPicker}>
            {t('placementSkip')}
          </button>
        </div>
      </div>
    );
  }

  return (
    <form
      class="placement"
      onSubmit={(e) => {
        e.preventDefault();
        // Every item shown is answered: unticked means "I don't know it".
        const all = Object.fromEntries(test.items.map((i) => [i.id, answers[i.id] === true]));
        const scored = scorePlacement(test, all);
        setResult(scored);
        if (scored.reliable) void onScored(scored.vocabularySize);
      }}
    >
      <fieldset>
        <legend>{t('placementLegend')}</legend>
        <p class="hint" id="placement-hint">
          {t('placementHint')}
        </p>
        <div class="word-grid" aria-describedby="placement-hint">
          {test.items.map((item) => (
            <label key={`${round}-${item.id}`} class="word">
              <input
                type="checkbox"
                name={item.id}
                checked={answers[item.id] === true}
                onChange={(e) => setAnswers((a) => ({ ...a, [item.id]: e.currentTarget.checked }))}
              />
              <span lang="en">{item.text}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary">
          {t('placementScore')}
        </button>
        <button type="button" class="secondary" onClick={onPicker}>
          {t('placementSkip')}
        </button>
      </div>
    </form>
  );
}

function LevelPicker({ onPick, onCheck }: { onPick(level: CefrLevel): Promise<void>; onCheck?: () => void }) {
  const [level, setLevel] = useState<CefrLevel | null>(null);
  return (
    <form
      class="level-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (level) void onPick(level);
      }}
    >
      <fieldset>
        <legend>{t('levelPickerLegend')}</legend>
        {CEFR_LEVELS.map((l) => (
          <label key={l} class="choice">
            <input type="radio" name="level" value={l} checked={level === l} onChange={() => setLevel(l)} />
            <span>
              <strong>{l}</strong> <span class="hint">{t(LEVEL_HINT[l])}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" disabled={!level}>
          {t('levelUse')}
        </button>
        {onCheck && (
          <button type="button" class="secondary" onClick={onCheck}>
            {t('placementInstead')}
          </button>
        )}
      </div>
    </form>
  );
}
