/**
 * The human table `npm run bench` prints on stderr: a benchmark that returns `summary`
 * (an array of these rows) in its figures gets one line per row.
 */
export interface SummaryRow {
  figure: string;
  value: string;
  /** What the value is compared with (a baseline measured in the same run), or context. */
  baseline: string;
  /** value / baseline, e.g. `27%`; empty when the row has no baseline. */
  ratio: string;
}

export function isSummary(value: unknown): value is SummaryRow[] {
  return (
    Array.isArray(value) &&
    value.every((row) => typeof row === 'object' && row !== null && 'figure' in row && 'value' in row)
  );
}

/** Aligned columns: figure | value | baseline | ratio. */
export function formatSummary(rows: SummaryRow[]): string {
  const header: SummaryRow = { figure: 'figure', value: 'value', baseline: 'baseline', ratio: 'ratio' };
  const all = [header, ...rows];
  const width = (key: keyof SummaryRow) => Math.max(...all.map((row) => String(row[key] ?? '').length));
  const widths = { figure: width('figure'), value: width('value'), baseline: width('baseline') };
  return all
    .map((row) =>
      [
        String(row.figure).padEnd(widths.figure),
        String(row.value).padEnd(widths.value),
        String(row.baseline ?? '').padEnd(widths.baseline),
        String(row.ratio ?? ''),
      ]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
