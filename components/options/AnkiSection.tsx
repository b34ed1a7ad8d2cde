/**
 * Where cards go in Anki: the deck, and under a disclosure the note types and their fields,
 * which Anki names in the learner's interface language ("Lückentext" for Cloze in German).
 * Each name is saved when the field is left; a blank field means its default, shown under it.
 * A name the settings would refuse is said at the field and not sent.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_DECK, DEFAULT_NOTE_TYPES, type AnkiNoteTypes } from '../../lib/anki';
import { ANKI_NAME_LIMITS, checkAnkiName, differentFields, isAnkiApiKey, type AnkiNameProblem, type SettingsPatch } from '../../lib/settings';
import { t, type MessageKey } from '../../platform/i18n';

type OnPatch = (patch: SettingsPatch) => void;

function problemText(problem: AnkiNameProblem, maxLength: number): string {
  return problem === 'too-long' ? t('ankiNameTooLong', maxLength) : t('ankiNameControl');
}

interface NameFieldProps {
  id: string;
  label: MessageKey;
  /** The saved name. */
  value: string;
  /** The name a blank field stands for. */
  fallback: string;
  maxLength: number;
  hint?: MessageKey;
  /** A check that needs more than the name itself (another field's name), or null when fine. */
  conflict?: (name: string) => string | null;
  /** Changes when the section is reset: the field then drops a draft it refused. */
  generation: number;
  onCommit(name: string): void;
}

function NameField({ id, label, value, fallback, maxLength, hint, conflict, generation, onCommit }: NameFieldProps) {
  const [text, setText] = useState(value);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(value);
    setError(null);
  }, [value, generation]);

  function commit(typed: string) {
    const checked = checkAnkiName(typed.trim() === '' ? fallback : typed, maxLength);
    const problem = checked.ok ? (conflict?.(checked.name) ?? null) : problemText(checked.problem, maxLength);
    setError(problem);
    if (problem !== null || !checked.ok) return;
    setText(checked.name);
    if (checked.name !== value) onCommit(checked.name);
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div class="field">
      <label for={id}>{t(label)}</label>
      <p id={hintId} class="hint">
        {hint && `${t(hint)} `}
        {t('ankiDefault', fallback)}
      </p>
      <input
        id={id}
        type="text"
        autoComplete="off"
        spellcheck={false}
        value={text}
        placeholder={fallback}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        aria-invalid={error ? true : undefined}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      <p id={errorId} class="field-error" role={error ? 'alert' : undefined}>
        {error ?? ''}
      </p>
    </div>
  );
}

type FieldSpec = Omit<NameFieldProps, 'generation'>;

/** AnkiConnect's optional key: a password field, saved when left, never shown in clear by default. */
function ApiKeyField({ value, onCommit }: { value: string; onCommit(key: string): void }) {
  const [text, setText] = useState(value);
  const [error, setError] = useState(false);
  useEffect(() => setText(value), [value]);
  function commit(typed: string) {
    const key = typed.trim();
    const valid = isAnkiApiKey(key);
    setError(!valid);
    if (valid && key !== value) onCommit(key);
  }
  return (
    <div class="field">
      <label for="anki-api-key">{t('ankiApiKeyLabel')}</label>
      <p id="anki-api-key-hint" class="hint">
        {t('ankiApiKeyHint')}
      </p>
      <input
        id="anki-api-key"
        type="password"
        autoComplete="off"
        spellcheck={false}
        value={text}
        aria-describedby={error ? 'anki-api-key-hint anki-api-key-error' : 'anki-api-key-hint'}
        aria-invalid={error ? true : undefined}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => commit(e.currentTarget.value)}
      />
      <p id="anki-api-key-error" class="field-error" role={error ? 'alert' : undefined}>
        {error ? t('ankiApiKeyInvalid') : ''}
      </p>
    </div>
  );
}

export function AnkiSection({ deck, noteTypes, apiKey, status, onChange }: { deck: string; noteTypes: AnkiNoteTypes; apiKey: string; status: ComponentChildren; onChange: OnPatch }) {
  // Open at first for a learner who already changed the note types, so they see their names.
  const [open] = useState(() => JSON.stringify(noteTypes) !== JSON.stringify(DEFAULT_NOTE_TYPES));
  // Counts resets, so that fields also drop drafts they refused (their saved value may not change).
  const [generation, setGeneration] = useState(0);
  const { cloze, basic } = noteTypes;
  const defaults = DEFAULT_NOTE_TYPES;
  const model = ANKI_NAME_LIMITS.noteType;
  const field = ANKI_NAME_LIMITS.field;
  const sameAs = (other: string) => (name: string) => (differentFields(name, other) ? null : t('ankiSameField'));
  const setCloze = (change: Partial<AnkiNoteTypes['cloze']>) => onChange({ ankiNoteTypes: { cloze: { ...cloze, ...change }, basic } });
  const setBasic = (change: Partial<AnkiNoteTypes['basic']>) => onChange({ ankiNoteTypes: { cloze, basic: { ...basic, ...change } } });

  const deckField: FieldSpec = { id: 'anki-deck', label: 'ankiDeckLabel', hint: 'ankiDeckHint', value: deck, fallback: DEFAULT_DECK, maxLength: ANKI_NAME_LIMITS.deck, onCommit: (ankiDeck) => onChange({ ankiDeck }) };
  const clozeFields: FieldSpec[] = [
    { id: 'anki-cloze-model', label: 'ankiClozeModelLabel', value: cloze.modelName, fallback: defaults.cloze.modelName, maxLength: model, onCommit: (modelName) => setCloze({ modelName }) },
    { id: 'anki-cloze-text', label: 'ankiClozeTextLabel', value: cloze.textField, fallback: defaults.cloze.textField, maxLength: field, conflict: sameAs(cloze.extraField), onCommit: (textField) => setCloze({ textField }) },
    { id: 'anki-cloze-extra', label: 'ankiClozeExtraLabel', value: cloze.extraField, fallback: defaults.cloze.extraField, maxLength: field, conflict: sameAs(cloze.textField), onCommit: (extraField) => setCloze({ extraField }) },
  ];
  const basicFields: FieldSpec[] = [
    { id: 'anki-basic-model', label: 'ankiBasicModelLabel', value: basic.modelName, fallback: defaults.basic.modelName, maxLength: model, onCommit: (modelName) => setBasic({ modelName }) },
    { id: 'anki-basic-front', label: 'ankiBasicFrontLabel', value: basic.frontField, fallback: defaults.basic.frontField, maxLength: field, conflict: sameAs(basic.backField), onCommit: (frontField) => setBasic({ frontField }) },
    { id: 'anki-basic-back', label: 'ankiBasicBackLabel', value: basic.backField, fallback: defaults.basic.backField, maxLength: field, conflict: sameAs(basic.frontField), onCommit: (backField) => setBasic({ backField }) },
  ];
  const fields = (specs: FieldSpec[]) => specs.map((spec) => <NameField key={spec.id} {...spec} generation={generation} />);

  return (
    <section class="card anki" aria-labelledby="anki-heading">
      <div class="card-head">
        <h2 id="anki-heading">{t('ankiHeading')}</h2>
        {status}
      </div>
      <p class="hint">{t('ankiIntro')}</p>
      {fields([deckField])}
      <details class="anki-note-types" open={open}>
        <summary>{t('ankiNoteTypesSummary')}</summary>
        <p class="hint">{t('ankiNoteTypesHint')}</p>
        <fieldset class="field">
          <legend>{t('ankiClozeLegend')}</legend>
          <div class="field-group">{fields(clozeFields)}</div>
        </fieldset>
        <fieldset class="field">
          <legend>{t('ankiBasicLegend')}</legend>
          <div class="field-group">{fields(basicFields)}</div>
        </fieldset>
      </details>
      <ApiKeyField value={apiKey} onCommit={(ankiApiKey) => onChange({ ankiApiKey })} />
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setGeneration((n) => n + 1);
            onChange({ ankiDeck: DEFAULT_DECK, ankiNoteTypes: DEFAULT_NOTE_TYPES });
          }}
        >
          {t('ankiReset')}
        </button>
      </div>
    </section>
  );
}
