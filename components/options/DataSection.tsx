/**
 * Data and privacy: what is stored and where, a backup download, restoring a backup (after a
 * confirmation, with the background's refusal shown as it is when the file is not a good
 * backup), and deleting everything (after a confirmation).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { MAX_BACKUP_CHARS } from '../../lib/backup';
import { errorText } from '../../lib/text';
import { formatNumber, t } from '../../platform/i18n';
import type { OptionsApi } from './api';

type Phase<T = undefined> =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'error'; message: string }
  | (T extends undefined ? { kind: 'done' } : { kind: 'done'; value: T });

export function fileSize(chars: number): string {
  const kb = chars / 1024;
  return kb < 1024 ? formatNumber(Math.max(1, Math.round(kb)), { style: 'unit', unit: 'kilobyte' }) : formatNumber(kb / 1024, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
}

export type DataChange = 'imported' | 'deleted';

/** Why a file too large to be a backup is refused, as lib/backup.ts says it for one read. */
function tooLargeText(bytes: number): string {
  const mb = (n: number) => `${Math.ceil(n / (1024 * 1024))} MB`;
  return `Nothing was changed. The file is too large to be a backup (${mb(bytes)}; the limit is ${mb(MAX_BACKUP_CHARS)}).`;
}

export function DataSection({ api, onChanged }: { api: OptionsApi; onChanged(change: DataChange): void }) {
  return (
    <section class="card" aria-labelledby="data-heading">
      <h2 id="data-heading">{t('dataHeading')}</h2>
      <p>{t('dataStored')}</p>
      <p>
        <strong>{t('dataLocal')}</strong>
      </p>
      <SpacePart api={api} />
      <ExportPart api={api} />
      <ImportPart api={api} onChanged={onChanged} />
      <DeletePart api={api} onChanged={onChanged} />
    </section>
  );
}

/** How much space the data takes, and how long pages read are kept (platform/retention.ts). */
export function SpacePart({ api }: { api: OptionsApi }) {
  const [used, setUsed] = useState<number | null | undefined>(undefined);
  const [days, setDays] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    void api.storageUsed?.().then(setUsed, () => setUsed(null));
    void api.getSettings().then((s) => setDays(s.keepPagesDays), () => undefined);
  }, [api]);
  return (
    <div class="data-part">
      <h3>{t('retentionHeading')}</h3>
      {used !== undefined && <p data-storage-used>{used === null ? t('storageUnknown') : t('storageUsed', fileSize(used))}</p>}
      <label for="keep-pages-days">{t('retentionDays')}</label>{' '}
      <input
        id="keep-pages-days"
        type="number"
        min={7}
        max={3650}
        step={1}
        value={days ?? ''}
        onChange={async (e) => {
          const value = Number(e.currentTarget.value);
          if (!Number.isInteger(value) || value < 7 || value > 3650) {
            setStatus(`${t('retentionDays')}: 7–3650`);
            return;
          }
          try {
            setDays((await api.updateSettings({ keepPagesDays: value })).keepPagesDays);
            setStatus('');
          } catch (err) {
            setStatus(errorText(err));
          }
        }}
      />
      <p class="hint">{t('retentionHint')}</p>
      {status && (
        <p class="field-error" role="alert">
          {status}
        </p>
      )}
    </div>
  );
}

function ExportPart({ api }: { api: OptionsApi }) {
  const [phase, setPhase] = useState<Phase<{ fileName: string; size: string }>>({ kind: 'idle' });
  return (
    <div class="data-part">
      <h3>{t('exportHeading')}</h3>
      <p class="hint">{t('exportHint')}</p>
      <button
        type="button"
        class="secondary"
        disabled={phase.kind === 'busy'}
        onClick={async () => {
          setPhase({ kind: 'busy' });
          try {
            const { fileName, parts, chars } = await api.exportData();
            api.download(fileName, parts);
            setPhase({ kind: 'done', value: { fileName, size: fileSize(chars) } });
          } catch (e) {
            setPhase({ kind: 'error', message: errorText(e) });
          }
        }}
      >
        {t('exportButton')}
      </button>
      <p class="status" role="status">
        {phase.kind === 'done' ? t('exportDone', [phase.value.fileName, phase.value.size]) : phase.kind === 'busy' ? t('working') : ''}
      </p>
      {phase.kind === 'error' && (
        <p class="field-error" role="alert">
          {t('exportError', phase.message)}
        </p>
      )}
    </div>
  );
}

type ImportPhase =
  | { kind: 'idle' }
  | { kind: 'confirm'; fileName: string; json: string }
  | { kind: 'busy' }
  | { kind: 'done'; restored: Record<string, number> }
  | { kind: 'refused'; message: string };

export function ImportPart({ api, onChanged }: { api: OptionsApi; onChanged(change: DataChange): void }) {
  const [phase, setPhase] = useState<ImportPhase>({ kind: 'idle' });
  const input = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const reset = () => {
    if (input.current) input.current.value = '';
  };
  return (
    <div class="data-part">
      <h3>{t('importHeading')}</h3>
      <label for="import-file" class="hint">
        {t('importHint')}
      </label>
      <input
        id="import-file"
        ref={input}
        type="file"
        accept=".json,application/json"
        onChange={async (e) => {
          const file = e.currentTarget.files?.[0];
          if (!file) return;
          // UTF-8 takes at most 3 bytes per character of the limit: a larger file cannot be a
          // backup, and is refused before it is read into memory.
          if (file.size > 3 * MAX_BACKUP_CHARS) {
            setPhase({ kind: 'refused', message: tooLargeText(file.size) });
            reset();
            return;
          }
          try {
            setPhase({ kind: 'confirm', fileName: file.name, json: await file.text() });
            // Focus the decision, so that a keyboard user lands on it.
            queueMicrotask(() => confirmButton.current?.focus());
          } catch (err) {
            setPhase({ kind: 'refused', message: errorText(err) });
          }
        }}
      />
      {phase.kind === 'confirm' && (
        <div class="confirm" role="group" aria-labelledby="import-confirm-text">
          <p id="import-confirm-text">{t('importConfirm', phase.fileName)}</p>
          <div class="actions">
            <button
              type="button"
              class="primary"
              ref={confirmButton}
              onClick={async () => {
                const json = phase.json;
                setPhase({ kind: 'busy' });
                try {
                  const { restored } = await api.importData(json);
                  setPhase({ kind: 'done', restored });
                  onChanged('imported');
                } catch (err) {
                  setPhase({ kind: 'refused', message: errorText(err) });
                } finally {
                  reset();
                }
              }}
            >
              {t('importRestore')}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                reset();
                setPhase({ kind: 'idle' });
              }}
            >
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <p class="status" role="status">
        {phase.kind === 'busy'
          ? t('working')
          : phase.kind === 'done'
            ? t('importDone', [
                formatNumber(phase.restored.daily ?? 0),
                formatNumber(phase.restored.paragraphs ?? 0),
                formatNumber(phase.restored.snippets ?? 0),
                formatNumber(phase.restored.cards ?? 0),
              ])
            : ''}
      </p>
      {phase.kind === 'refused' && (
        <p class="field-error" role="alert" data-import="refused">
          {t('importRefused', phase.message)}
        </p>
      )}
    </div>
  );
}

function DeletePart({ api, onChanged }: { api: OptionsApi; onChanged(change: DataChange): void }) {
  const [phase, setPhase] = useState<Phase | { kind: 'confirm' }>({ kind: 'idle' });
  const confirmButton = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <div class="data-part">
      <h3>{t('deleteHeading')}</h3>
      <p class="hint">{t('deleteHint')}</p>
      {phase.kind !== 'confirm' && (
        <button
          type="button"
          class="danger"
          ref={opener}
          onClick={() => {
            setPhase({ kind: 'confirm' });
            queueMicrotask(() => confirmButton.current?.focus());
          }}
        >
          {t('deleteButton')}
        </button>
      )}
      {phase.kind === 'confirm' && (
        <div class="confirm" role="alertdialog" aria-labelledby="delete-confirm-text" aria-modal="false">
          <p id="delete-confirm-text">{t('deleteConfirm')}</p>
          <div class="actions">
            <button
              type="button"
              class="danger"
              ref={confirmButton}
              onClick={async () => {
                setPhase({ kind: 'busy' });
                try {
                  await api.deleteAll();
                  setPhase({ kind: 'done' });
                  onChanged('deleted');
                } catch (e) {
                  setPhase({ kind: 'error', message: errorText(e) });
                }
              }}
            >
              {t('deleteConfirmButton')}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                setPhase({ kind: 'idle' });
                queueMicrotask(() => opener.current?.focus());
              }}
            >
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      <p class="status" role="status">
        {phase.kind === 'done' ? t('deleteDone') : phase.kind === 'busy' ? t('working') : ''}
      </p>
      {phase.kind === 'error' && (
        <p class="field-error" role="alert">
          {t('deleteError', phase.message)}
        </p>
      )}
    </div>
  );
}
