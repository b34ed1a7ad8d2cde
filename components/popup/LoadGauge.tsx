/**
 * Today's load against the budget: a bar, and the same numbers in words (never colour alone).
 * Without data it keeps its exact size, so that nothing moves when the numbers arrive.
 */
import { formatNumber, t } from '../../platform/i18n';

/**
 * Minutes for display, to the tenth: a short first read is not "0", and the parts shown side
 * by side (used, left) add up to the budget as written.
 */
export function formatMinutes(m: number): string {
  return formatNumber(Number.isFinite(m) && m > 0 ? m : 0, { maximumFractionDigits: 1 });
}

export function LoadGauge({ consumed, budget }: { consumed: number | undefined; budget: number | undefined }) {
  const known = consumed !== undefined && budget !== undefined;
  const share = !known ? 0 : budget > 0 ? Math.min(consumed / budget, 1) : 1;
  const spent = known && consumed >= budget;
  const label = known ? t('gaugeLabel', [formatMinutes(consumed), formatMinutes(budget)]) : t('loading');
  const detail = !known ? '\u00a0' : spent ? t('gaugeSpent') : t('gaugeLeft', formatMinutes(budget - consumed));
  return (
    <div class="gauge">
      <div
        class={`gauge-track${spent ? ' over' : ''}`}
        role="meter"
        aria-label={t('gaugeName')}
        aria-valuemin={0}
        aria-valuemax={known ? Math.round(budget) : undefined}
        aria-valuenow={known ? Math.round(Math.min(consumed, budget) * 10) / 10 : undefined}
        aria-valuetext={known ? `${label}. ${detail}` : label}
      >
        <div class="gauge-fill" style={{ width: `${share * 100}%` }} />
      </div>
      <p class="gauge-label" data-gauge={known ? `${consumed}/${budget}` : undefined}>
        <strong>{label}</strong>
        <span class="gauge-detail">{detail}</span>
      </p>
    </div>
  );
}
