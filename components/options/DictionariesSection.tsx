/**
 * Dictionaries on the settings page: import a dictionary or frequency list in Yomitan's format
 * (a .zip), see the imported ones with their languages and sizes, put them in the order
 * look-ups answer from, and remove one (after a confirmation). A refused file changes nothing
 * and says why in one line; a file over the size limit is refused before it is read.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/text';
import { checkFileSize, DEFAULT_LIMITS } from '../../lib/yomitan';
import type { DictionaryRecord, ImportProgress } from '../../platform/dictionary-store';
import { formatNumber, t } from '../../platform/i18n';
import type { DictionariesApi } from './dictionaries-api';

type ImportPhase =
  | { kind: 'idle' }
  | { kind: 'busy'; stage: 'checking' | 'writing'; fraction: number }
  | { kind: 'done'; title: string; size: string }
  | { kind: 'refused'; message: string };

/** A language code as its name in the page's language ("ja" -> "Japanese"), or the code itself. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([t('locale')], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "12,345 entries, 6,000 frequencies" (the parts it has). */
function sizeText(d: DictionaryRecord): string {
  const parts: string[] = [];
  if (d.counts.terms > 0 || d.counts.frequencies === 0) parts.push(t('dictionaryEntries', formatNumber(d.counts.terms)));
  if (d.counts.frequencies > 0) parts.push(t('dictionaryFrequencies', formatNumber(d.counts.frequencies)));
  return parts.join(', ');
}

function languagesText(d: DictionaryRecord): string | null {
  if (!d.sourceLanguage) return null;
  if (!d.targetLanguage || d.targetLanguage === d.sourceLanguage) return t('dictionaryLanguage', languageName(d.sourceLanguage));
  return t('dictionaryLanguages', [languageName(d.sourceLanguage), languageName(d.targetLanguage)]);
}

export function DictionariesSection({ api }: { api: DictionariesApi }) {
  const [list, setList] = useState<DictionaryRecord[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [phase, setPhase] = useState<ImportPhase>({ kind: 'idle' });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const refresh = () =>
    api.listDictionaries().then(
      (l) => {
        setList(l);
        setListError(null);
      },
      (e: unknown) => setListError(errorText(e)),
    );
  useEffect(() => void refresh(), [api]);

  async function importFile(file: File) {
    setConfirming(null);
    try {
      checkFileSize(file.size, { ...DEFAULT_LIMITS, maxZipBytes: api.maxFileBytes });
      setPhase({ kind: 'busy', stage: 'checking', fraction: 0 });
      const bytes = new Uint8Array(await file.arrayBuffer());
      const progress: ImportProgress = ({ stage, done, total }) => setPhase({ kind: 'busy', stage, fraction: total > 0 ? done / total : 1 });
      const record = await api.importDictionary(bytes, progress);
      setPhase({ kind: 'done', title: record.title, size: sizeText(record) });
    } catch (e) {
      setPhase({ kind: 'refused', message: errorText(e) });
    } finally {
      if (input.current) input.current.value = '';
      await refresh();
    }
  }

  async function change(run: () => Promise<unknown>) {
    setBusy(true);
    try {
      await run();
      setListError(null);
    } catch (e) {
      setListError(errorText(e));
    } finally {
      setBusy(false);
      await refresh();
    }
  }

  const move = (index: number, by: -1 | 1) => {
    if (!list) return;
    const ids = list.map((d) => d.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    void change(() => api.reorderDictionaries(ids));
  };

  const importing = phase.kind === 'busy';
  return (
    <section class="card dictionaries" aria-labelledby="dictionaries-heading">
      <h2 id="dictionaries-heading">{t('dictionariesHeading')}</h2>
      <p class="hint">{t('dictionariesHint')}</p>

      {list === null ? (
        <p aria-busy="true">{listError ? t('dictionariesError', listError) : t('loading')}</p>
      ) : list.length === 0 ? (
        <p data-dictionaries="0">{t('dictionariesNone')}</p>
      ) : (
        <ol class="dictionary-list" data-dictionaries={String(list.length)}>
          {list.map((d, i) => (
            <li key={d.id} data-dictionary={d.title}>
              <div class="dictionary-line">
                <div>
                  <strong>{d.title}</strong> <span class="hint">{t('dictionaryRevision', d.revision)}</span>
                  <div class="hint">{[languagesText(d), sizeText(d)].filter(Boolean).join(' · ')}</div>
                </div>
                <div class="dictionary-actions">
                  <button type="button" class="secondary" disabled={busy || importing || i === 0} aria-label={t('dictionaryMoveUpLabel', d.title)} onClick={() => move(i, -1)}>
                    {t('dictionaryMoveUp')}
                  </button>
                  <button type="button" class="secondary" disabled={busy || importing || i === list.length - 1} aria-label={t('dictionaryMoveDownLabel', d.title)} onClick={() => move(i, 1)}>
                    {t('dictionaryMoveDown')}
                  </button>
                  <button type="button" class="secondary" disabled={busy || importing} aria-label={t('dictionaryRemoveLabel', d.title)} onClick={() => setConfirming(d.id)}>
                    {t('dictionaryRemove')}
                  </button>
                </div>
              </div>
              {confirming === d.id && (
                <div class="confirm" role="alertdialog" aria-labelledby={`remove-${d.id}`} aria-modal="false">
                  <p id={`remove-${d.id}`}>{t('dictionaryRemoveConfirm', d.title)}</p>
                  <div class="actions">
                    <button
                      type="button"
                      class="danger"
                      disabled={busy}
                      onClick={() => {
                        setConfirming(null);
                        void change(() => api.removeDictionary(d.id));
                      }}
                    >
                      {t('dictionaryRemoveConfirmButton')}
                    </button>
                    <button type="button" class="secondary" onClick={() => setConfirming(null)}>
                      {t('cancel')}
                    </button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ol>
      )}
      {list !== null && listError && (
        <p class="field-error" role="alert">
          {t('dictionariesError', listError)}
        </p>
      )}

      <div class="data-part">
        <label for="dictionary-file">
          <strong>{t('dictionaryImport')}</strong>
        </label>
        <input
          id="dictionary-file"
          ref={input}
          type="file"
          accept=".zip,application/zip"
          disabled={importing}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) void importFile(file);
          }}
        />
        {importing && (
          <div class="dictionary-progress">
            <progress id="dictionary-progress" max={1} value={phase.fraction} aria-labelledby="dictionary-progress-label" />
            <span id="dictionary-progress-label">{t(phase.stage === 'checking' ? 'dictionaryChecking' : 'dictionaryWriting', formatNumber(Math.round(phase.fraction * 100)))}</span>
          </div>
        )}
        <p class="status" role="status">
          {phase.kind === 'done' ? t('dictionaryImported', [phase.title, phase.size]) : ''}
        </p>
        {phase.kind === 'refused' && (
          <p class="field-error" role="alert" data-dictionary-import="refused">
            {t('dictionaryRefused', phase.message)}
          </p>
        )}
      </div>
    </section>
  );
}
