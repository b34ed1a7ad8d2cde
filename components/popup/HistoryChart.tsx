/**
 * Fourteen days of load as stacked bars: reading (solid) under reviews (hatched), today's budget
 * as a dashed line. Shapes and patterns carry the meaning as well as colour does; the same
 * numbers are in a table one click away and summarised in the image's description for
 * screen readers. With no data yet the frame is drawn at its final size.
 */
import { formatNumber, t } from '../../platform/i18n';
import { axisMax, axisTicks, totals, type HistoryDay } from './history';
import { formatMinutes } from './LoadGauge';

const WIDTH = 300;
const HEIGHT = 128;
const PLOT = { left: 28, right: 6, top: 14, bottom: 20 } as const;
const PLOT_W = WIDTH - PLOT.left - PLOT.right;
const PLOT_H = HEIGHT - PLOT.top - PLOT.bottom;

export function dayLabel(day: string, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(t('locale'), { ...options, timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

export function describeHistory(days: readonly HistoryDay[]): string {
  const sum = totals(days);
  if (!sum.busiest) return t('chartEmpty', days.length);
  const busiest = dayLabel(sum.busiest.day, { day: 'numeric', month: 'long' });
  const today = days[days.length - 1];
  return t('chartSummary', [
    formatMinutes(sum.totalMinutes),
    formatMinutes(sum.reviewMinutes),
    formatNumber(sum.activeDays),
    busiest,
    formatMinutes(sum.busiest.totalMinutes),
    formatMinutes(today?.totalMinutes ?? 0),
  ]);
}

function Swatch({ kind }: { kind: 'reading' | 'review' | 'budget' }) {
  return (
    <svg class="swatch" width="18" height="12" viewBox="0 0 18 12" aria-hidden="true">
      {kind === 'reading' && <rect class="bar-reading" x="1" y="1" width="16" height="10" />}
      {kind === 'review' && <rect class="bar-review" x="1" y="1" width="16" height="10" fill="url(#hatch-swatch)" />}
      {kind === 'budget' && <line class="budget-line" x1="0" y1="6" x2="18" y2="6" />}
    </svg>
  );
}

/** Diagonal hatching for review minutes, so they differ from reading by pattern, not colour alone. */
function Hatch({ id, size }: { id: string; size: number }) {
  return (
    <pattern id={id} width={size} height={size} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect class="hatch-bg" width={size} height={size} />
      <line class="hatch-line" x1="0" y1="0" x2="0" y2={size} />
    </pattern>
  );
}

export function HistoryChart({ days, budgetMinutes }: { days: readonly HistoryDay[] | undefined; budgetMinutes: number | undefined }) {
  const ready = days !== undefined && days.length > 0;
  const list = days ?? [];
  const max = axisMax(list, budgetMinutes ?? 0);
  const y = (m: number) => PLOT.top + PLOT_H - (Math.min(m, max) / max) * PLOT_H;
  const slot = PLOT_W / Math.max(1, list.length || 14);
  const barW = Math.min(14, slot * 0.66);
  const description = ready ? describeHistory(list) : t('loading');
  return (
    <figure class="history">
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby="history-title history-desc"
        data-chart={ready ? 'ready' : 'loading'}
      >
        <title id="history-title">{t('chartTitle')}</title>
        <desc id="history-desc">{description}</desc>
        <defs>
          <Hatch id="hatch" size={5} />
        </defs>
        <text class="axis-unit" x={PLOT.left - 4} y={8} text-anchor="end">
          {t('chartUnit')}
        </text>
        {axisTicks(max).map((tick) => (
          <g key={tick} class="tick">
            <line class={tick === 0 ? 'axis' : 'grid'} x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(tick)} y2={y(tick)} />
            <text x={PLOT.left - 4} y={y(tick) + 3} text-anchor="end">
              {formatNumber(tick, { maximumFractionDigits: 1 })}
            </text>
          </g>
        ))}
        {list.map((d, i) => {
          const cx = PLOT.left + slot * (i + 0.5);
          const readTop = y(d.readingMinutes);
          const reviewTop = y(d.totalMinutes);
          return (
            <g key={d.day} class={`day${d.isToday ? ' today' : ''}`} data-day={d.day} data-minutes={d.totalMinutes}>
              <title>{t('chartBarTitle', [dayLabel(d.day, { weekday: 'short', day: 'numeric', month: 'short' }), formatMinutes(d.readingMinutes), formatMinutes(d.reviewMinutes)])}</title>
              {d.readingMinutes > 0 && <rect class="bar-reading" x={cx - barW / 2} y={readTop} width={barW} height={y(0) - readTop} />}
              {d.reviewMinutes > 0 && <rect class="bar-review" x={cx - barW / 2} y={reviewTop} width={barW} height={readTop - reviewTop} fill="url(#hatch)" />}
              <text class="day-label" x={cx} y={HEIGHT - 6} text-anchor="middle">
                {dayLabel(d.day, { day: 'numeric' })}
              </text>
            </g>
          );
        })}
        {budgetMinutes !== undefined && budgetMinutes > 0 && (
          <line class="budget-line" data-budget={budgetMinutes} x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(budgetMinutes)} y2={y(budgetMinutes)} />
        )}
      </svg>
      <svg width="0" height="0" aria-hidden="true" class="defs-only">
        <defs>
          <Hatch id="hatch-swatch" size={4} />
        </defs>
      </svg>
      <figcaption>
        <ul class="legend">
          <li>
            <Swatch kind="reading" />
            {t('legendReading')}
          </li>
          <li>
            <Swatch kind="review" />
            {t('legendReviews')}
          </li>
          <li>
            <Swatch kind="budget" />
            {budgetMinutes !== undefined ? t('legendBudget', formatMinutes(budgetMinutes)) : t('legendBudgetUnknown')}
          </li>
        </ul>
        <details class="history-table">
          <summary>{t('chartTableToggle')}</summary>
          <table>
            <caption class="visually-hidden">{t('chartTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tableDay')}</th>
                <th scope="col">{t('tableReading')}</th>
                <th scope="col">{t('tableReviews')}</th>
                <th scope="col">{t('tableHighlighted')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{d.isToday ? t('today') : dayLabel(d.day, { weekday: 'short', day: 'numeric' })}</th>
                  <td>{formatMinutes(d.readingMinutes)}</td>
                  <td>{formatMinutes(d.reviewMinutes)}</td>
                  <td>{formatNumber(d.highlighted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
