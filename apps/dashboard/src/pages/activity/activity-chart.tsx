import { useId } from 'react';
import { type DayTotals, describeDay, formatDay, OUTCOMES } from './outcomes.js';
import { useElementWidth } from './use-element-width.js';

const HEIGHT = 220;
const MARGIN = { top: 10, right: 6, bottom: 26, left: 34 };
/** The room one date label needs; fewer labels are drawn when bars are narrower. */
const LABEL_WIDTH = 48;

/** The smallest round number (1, 2 or 5 × 10ⁿ) at or above the tallest bar, so the top tick reads well. */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Requests per day, stacked by outcome, drawn by hand as SVG at the container's real width.
 * The drawing is one image for assistive technology, labelled, and pointing to the table
 * that gives every number (`tableId`); each bar's tooltip gives its day's numbers too.
 */
export function ActivityChart({ days, tableId }: { days: readonly DayTotals[]; tableId: string }) {
  const [wrapRef, width] = useElementWidth<HTMLDivElement>(640);
  const titleId = useId();
  const plotWidth = Math.max(1, width - MARGIN.left - MARGIN.right);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceMax(Math.max(0, ...days.map((day) => day.total)));
  const y = (count: number) => MARGIN.top + plotHeight - (count / top) * plotHeight;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const labelEvery = Math.max(1, Math.ceil(LABEL_WIDTH / slot));
  const ticks = top % 2 === 0 ? [0, top / 2, top] : [0, top];

  return (
    <div className="activity-chart" ref={wrapRef}>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={tableId}
      >
        <title id={titleId}>Requests per day by outcome (the numbers are in the table below)</title>
        {ticks.map((tick) => (
          <g key={tick} className="activity-axis">
            <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(tick)} y2={y(tick)} />
            <text x={MARGIN.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {days.map((day, index) => {
          const x = MARGIN.left + index * slot + (slot - barWidth) / 2;
          let base = 0;
          return (
            <g key={day.date} className="activity-bar" data-date={day.date} data-total={day.total}>
              <title>{`${formatDay(day.date)}: ${describeDay(day)}`}</title>
              {/* A transparent full-height target, so an empty or thin day still shows its tooltip. */}
              <rect
                className="activity-hit"
                x={MARGIN.left + index * slot}
                y={MARGIN.top}
                width={slot}
                height={plotHeight}
              />
              {OUTCOMES.map(({ outcome }) => {
                const count = day.outcomes[outcome];
                if (count === 0) return null;
                const rect = (
                  <rect
                    key={outcome}
                    className={`activity-segment outcome-${outcome}`}
                    data-outcome={outcome}
                    data-count={count}
                    x={x}
                    width={barWidth}
                    y={y(base + count)}
                    height={y(base) - y(base + count)}
                  />
                );
                base += count;
                return rect;
              })}
              {index % labelEvery === 0 && (
                <text className="activity-date" x={x + barWidth / 2} y={HEIGHT - 8} textAnchor="middle">
                  {formatDay(day.date)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="activity-legend" aria-label="Outcomes">
        {OUTCOMES.map(({ outcome, label }) => (
          <li key={outcome}>
            <span className={`activity-swatch outcome-${outcome}`} aria-hidden="true" />
            {label}
          </li>
        ))}
      </ul>
    </div>
  );
}
