/**
 * The language model: the bundled USE-lite, and the BERT-family models of the manifest that
 * the learner may download (only by pressing Download) or import from a folder, choose, and
 * remove. While a download runs, the page asks the encoder host for its progress twice a
 * second. Every refusal (a model not yet on the device, a failed download or import) is said
 * in words next to the model it concerns.
 */
import { useEffect, useState } from 'preact/hooks';
import { defaultVariant, downloadableModels, findEncoder, parseModelManifest, requiredFiles, type ManifestModel, type ModelManifest } from '../../lib/model-manifest';
import type { DashboardOut, ResponseOf } from '../../lib/protocol';
import type { Settings } from '../../lib/settings';
import { errorText } from '../../lib/text';
import manifestJson from '../../models/manifest.json';
import { formatNumber, t } from '../../platform/i18n';
import type { ModelApi, OptionsApi } from './api';

type ModelList = ResponseOf<'model.list'>;
type Note = { kind: 'ok' | 'error'; text: string };

export const DOWNLOAD_POLL_MS = 500;

const megabytes = (bytes: number) => formatNumber(bytes / 1_000_000, { maximumFractionDigits: 1 });

let shipped: ModelManifest | undefined;
const shippedManifest = () => (shipped ??= parseModelManifest(manifestJson));

export interface ModelSectionProps {
  api: OptionsApi;
  settings: Settings;
  onSettings(settings: Settings): void;
  manifest?: ModelManifest;
  pollMs?: number;
}

export function ModelSection({ api, settings, onSettings, manifest = shippedManifest(), pollMs = DOWNLOAD_POLL_MS }: ModelSectionProps) {
  const [dash, setDash] = useState<DashboardOut | null>(null);
  const [choiceNote, setChoiceNote] = useState<Note | null>(null);
  useEffect(() => {
    api.getDashboard().then(setDash, () => setDash(null));
  }, [api, settings.encoderId]);

  async function choose(encoderId: string) {
    try {
      onSettings(await api.updateSettings({ encoderId }));
      setChoiceNote({ kind: 'ok', text: t('modelChosen') });
    } catch (e) {
      setChoiceNote({ kind: 'error', text: t('saveError', errorText(e)) });
    }
  }

  const bundledChosen = findEncoder(manifest, settings.encoderId)?.model.delivery !== 'download';
  return (
    <section class="card" aria-labelledby="model-heading">
      <h2 id="model-heading">{t('modelHeading')}</h2>
      {api.models ? (
        <Models models={api.models} manifest={manifest} settings={settings} bundledChosen={bundledChosen} choose={choose} pollMs={pollMs} />
      ) : (
        <BundledOnly />
      )}
      {choiceNote && (
        <p class={choiceNote.kind === 'error' ? 'field-error' : 'status'} role={choiceNote.kind === 'error' ? 'alert' : 'status'}>
          {choiceNote.text}
        </p>
      )}
      <p class="hint">{t('modelAbout')}</p>
      <p class="hint" data-scorer={dash?.scorer}>
        {dash ? (dash.scorer === 'encoder' ? t('modelNowEncoder', dash.scorerNote) : t('modelNowLexical', dash.scorerNote)) : '\u00a0'}
      </p>
    </section>
  );
}

/** Where the browser cannot run downloaded models: the bundled one, and the others as unavailable. */
function BundledOnly() {
  return (
    <fieldset class="field">
      <legend class="visually-hidden">{t('modelHeading')}</legend>
      <label class="choice">
        <input type="radio" name="model" checked readOnly />
        <span>
          <strong>{t('modelBundled')}</strong>
          <span class="hint">{t('modelBundledHint')}</span>
        </span>
      </label>
      <label class="choice disabled">
        <input type="radio" name="model" disabled aria-describedby="model-later-hint" />
        <span>
          <strong>{t('modelLarger')}</strong>
          <span class="hint" id="model-later-hint">
            {t('modelLargerHint')}
          </span>
        </span>
      </label>
    </fieldset>
  );
}

interface ModelsProps {
  models: ModelApi;
  manifest: ModelManifest;
  settings: Settings;
  bundledChosen: boolean;
  choose(encoderId: string): Promise<void>;
  pollMs: number;
}

function Models({ models, manifest, settings, bundledChosen, choose, pollMs }: ModelsProps) {
  const [list, setList] = useState<ModelList | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [notes, setNotes] = useState<Record<string, Note>>({});
  /** The download this page started and is waiting for (the host's list says the rest). */
  const [started, setStarted] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function refresh() {
    try {
      setList(await models.list());
      setListError(null);
    } catch (e) {
      setListError(errorText(e));
    }
  }
  useEffect(() => void refresh(), [models, settings.encoderId]);

  const inFlight = list?.download ?? null;
  const downloading = started !== null || inFlight !== null;
  useEffect(() => {
    if (!downloading) return;
    const timer = setInterval(() => void refresh(), pollMs);
    return () => clearInterval(timer);
  }, [downloading, pollMs]);

  const note = (modelId: string, value: Note) => setNotes((n) => ({ ...n, [modelId]: value }));

  async function download(model: ManifestModel) {
    const { encoderId } = defaultVariant(model);
    setStarted(encoderId);
    note(model.id, { kind: 'ok', text: '' });
    const running = models.download(encoderId);
    void refresh();
    try {
      await running;
      note(model.id, { kind: 'ok', text: t('modelDownloaded') });
    } catch (e) {
      note(model.id, { kind: 'error', text: t('modelFailed', errorText(e)) });
    } finally {
      setStarted(null);
      await refresh();
    }
  }

  async function importFolder(model: ManifestModel, input: HTMLInputElement) {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    setBusy(model.id);
    try {
      const { stored } = await models.importFolder(model.id, files, requiredFiles(model, defaultVariant(model)).map((f) => f.file));
      note(model.id, { kind: 'ok', text: t('modelImported', formatNumber(stored)) });
    } catch (e) {
      note(model.id, { kind: 'error', text: t('modelFailed', errorText(e)) });
    } finally {
      setBusy(null);
      await refresh();
    }
  }

  async function remove(model: ManifestModel) {
    setBusy(model.id);
    try {
      const { removed } = await models.remove(model.id);
      note(model.id, { kind: 'ok', text: t('modelRemoved', formatNumber(removed)) });
      // A removed model cannot answer: the choice goes back to the bundled one, visibly.
      if (findEncoder(manifest, settings.encoderId)?.model.id === model.id) await choose(defaultVariant(bundledModel(manifest)).encoderId);
    } catch (e) {
      note(model.id, { kind: 'error', text: t('modelFailed', errorText(e)) });
    } finally {
      setBusy(null);
      await refresh();
    }
  }

  const bundled = bundledModel(manifest);
  return (
    <>
      <fieldset class="field">
        <legend class="visually-hidden">{t('modelHeading')}</legend>
        <label class="choice">
          <input type="radio" name="model" value={defaultVariant(bundled).encoderId} checked={bundledChosen} onChange={() => void choose(defaultVariant(bundled).encoderId)} />
          <span>
            <strong>{t('modelChoiceTitle', [bundled.name, formatNumber(defaultVariant(bundled).approxMB, { maximumFractionDigits: 1 }), bundled.languages.join(', ')])}</strong>
            <span class="hint">{t('modelBundledShort')}</span>
          </span>
        </label>
        {downloadableModels(manifest).map((model) => {
          const variant = defaultVariant(model);
          const stored = list?.models.find((m) => m.modelId === model.id);
          const required = requiredFiles(model, variant).map((f) => f.file);
          const present = stored ? required.filter((f) => stored.files.some((s) => s.file === f)).length : 0;
          const complete = stored?.complete === true;
          const progress = inFlight?.encoderId === variant.encoderId ? inFlight : started === variant.encoderId ? { loadedBytes: 0, totalBytes: variant.approxMB * 1_000_000 } : null;
          const id = model.id.replace(/[^\w-]/g, '-');
          const state = complete
            ? t('modelStored', megabytes(stored.files.reduce((sum, f) => sum + f.size, 0)))
            : stored && stored.files.length > 0
              ? t('modelIncomplete', [formatNumber(present), formatNumber(required.length)])
              : t('modelNotStored');
          const modelNote = notes[model.id];
          return (
            <div class="model" key={model.id} data-model={model.id}>
              <label class={complete ? 'choice' : 'choice disabled'}>
                <input
                  type="radio"
                  name="model"
                  value={variant.encoderId}
                  checked={settings.encoderId === variant.encoderId}
                  disabled={!complete}
                  aria-describedby={`model-state-${id}`}
                  onChange={() => void choose(variant.encoderId)}
                />
                <span>
                  <strong>{t('modelChoiceTitle', [model.name, formatNumber(variant.approxMB, { maximumFractionDigits: 1 }), model.languages.join(', ')])}</strong>
                  <span class="hint" id={`model-state-${id}`}>
                    {state} {complete ? '' : t('modelUseFirst')}
                  </span>
                </span>
              </label>
              <p class="hint">{t('modelDownloadHint')}</p>
              {progress && (
                <p class="status" role="status">
                  <progress max={Math.max(progress.totalBytes, 1)} value={progress.loadedBytes} aria-label={model.name} />{' '}
                  {t('modelDownloading', [megabytes(progress.loadedBytes), megabytes(progress.totalBytes)])}
                </p>
              )}
              <div class="actions">
                {!complete && (
                  <button type="button" class="secondary" disabled={downloading || busy !== null} aria-describedby={downloading && !progress ? `model-busy-${id}` : undefined} onClick={() => void download(model)}>
                    {t('modelDownload', formatNumber(variant.approxMB, { maximumFractionDigits: 1 }))}
                  </button>
                )}
                <label class="secondary">
                  {t('modelImport')}{' '}
                  <input
                    type="file"
                    multiple
                    ref={(el) => el?.setAttribute('webkitdirectory', '')}
                    disabled={downloading || busy !== null}
                    aria-describedby={`model-import-hint-${id}`}
                    onChange={(e) => void importFolder(model, e.currentTarget)}
                  />
                </label>
                {stored && stored.files.length > 0 && (
                  <button type="button" class="secondary" disabled={progress !== null || busy !== null} onClick={() => void remove(model)}>
                    {t('modelRemove')}
                  </button>
                )}
              </div>
              <p class="hint" id={`model-import-hint-${id}`}>
                {t('modelImportHint')}
              </p>
              {downloading && !progress && !complete && (
                <p class="hint" id={`model-busy-${id}`}>
                  {t('modelDownloadBusy')}
                </p>
              )}
              {modelNote && modelNote.text && (
                <p class={modelNote.kind === 'error' ? 'field-error' : 'status'} role={modelNote.kind === 'error' ? 'alert' : 'status'}>
                  {modelNote.text}
                </p>
              )}
            </div>
          );
        })}
      </fieldset>
      {list?.notice && <p class="hint">{t('modelNotice', list.notice)}</p>}
      {listError && (
        <p class="field-error" role="alert">
          {t('modelListError', listError)}
        </p>
      )}
    </>
  );
}

function bundledModel(manifest: ModelManifest): ManifestModel {
  const bundled = manifest.models.find((m) => m.delivery === 'bundled');
  if (!bundled) throw new Error('the model manifest lists no bundled model');
  return bundled;
}
