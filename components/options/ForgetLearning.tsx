/**
 * "Forget what my feedback taught": relevance goes back to the stated interests alone (the
 * learner's undo for a head that learned the wrong thing). Asks once before doing it; the
 * feedback itself stays in the history, only what was learned from it goes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../lib/text';
import { formatNumber, t } from '../../platform/i18n';

type Phase = { kind: 'idle' } | { kind: 'confirm' } | { kind: 'busy' } | { kind: 'done'; forgotten: number } | { kind: 'error'; message: string };

export function ForgetLearning({ forget }: { forget(): Promise<number> }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const confirmButton = useRef<HTMLButtonElement>(null);
  // Focus the decision once it is drawn, so that a keyboard user lands on it.
  useEffect(() => {
    if (phase.kind === 'confirm') confirmButton.current?.focus();
  }, [phase.kind]);

  async function run() {
    setPhase({ kind: 'busy' });
    try {
      setPhase({ kind: 'done', forgotten: await forget() });
    } catch (e) {
      setPhase({ kind: 'error', message: errorText(e) });
    }
  }

  return (
    <div class="forget-learning">
      <p class="hint">{t('forgetIntro')}</p>
      {phase.kind === 'confirm' ? (
        <div class="confirm" role="group" aria-labelledby="forget-confirm-text">
          <p id="forget-confirm-text">{t('forgetConfirm')}</p>
          <div class="actions">
            <button type="button" class="primary" ref={confirmButton} onClick={() => void run()}>
              {t('forgetYes')}
            </button>
            <button type="button" class="secondary" onClick={() => setPhase({ kind: 'idle' })}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          class="secondary"
          disabled={phase.kind === 'busy'}
          onClick={() => setPhase({ kind: 'confirm' })}
        >
          {t('forgetButton')}
        </button>
      )}
      <p class="status" role={phase.kind === 'error' ? 'alert' : 'status'}>
        {phase.kind === 'busy' ? t('working') : phase.kind === 'done' ? (phase.forgotten === 0 ? t('forgetNothing') : t('forgetDone', formatNumber(phase.forgotten))) : phase.kind === 'error' ? t('forgetError', phase.message) : ''}
      </p>
    </div>
  );
}
