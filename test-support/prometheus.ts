import parsePrometheusTextFormat from 'parse-prometheus-text-format';

/** A scrape parsed by a Prometheus text-format parser, with lookups by name and labels. */
export interface Scrape {
  families: ReturnType<typeof parsePrometheusTextFormat>;
  /** Every sample of a metric family (fails the test if the family is missing). */
  samples(name: string): ReturnType<typeof parsePrometheusTextFormat>[number]['metrics'];
  /** The value of the one sample whose labels include `labels`; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** A histogram's observation count for the series whose labels include `labels`. */
  count(name: string, labels?: Record<string, string>): number | undefined;
}

const hasLabels = (have: Record<string, string> | undefined, want: Record<string, string>) =>
  Object.entries(want).every(([key, value]) => have?.[key] === value);

/**
 * Parses `/metrics` output as Prometheus would read it.
 *
 * @example
 * const scrape = parseScrape(await response.text());
 * scrape.value('agent_otp_requests', { kind: 'otp', status: 'consumed' }); // 1
 */
export function parseScrape(text: string): Scrape {
  const families = parsePrometheusTextFormat(text);
  // The parser folds a histogram's series into one unlabelled sample, losing its labels and
  // count; read as untyped, each `_bucket`/`_sum`/`_count` series keeps its labels.
  const series = parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'));
  const samples = (name: string) => {
    // A family split by the untyped reading is one family again here.
    const found = series.filter((candidate) => candidate.name === name);
    if (found.length === 0) throw new Error(`no metric family ${name} in the scrape`);
    return found.flatMap((family) => family.metrics);
  };
  const find = (name: string, labels: Record<string, string>) =>
    samples(name).find((sample) => hasLabels(sample.labels, labels));
  return {
    families,
    samples,
    value: (name, labels = {}) => {
      const sample = find(name, labels);
      return sample?.value === undefined ? undefined : Number(sample.value);
    },
    count: (name, labels = {}) => {
      // A labelled histogram has no series at all until its first observation.
      if (!series.some((family) => family.name === `${name}_count`)) return undefined;
      const sample = find(`${name}_count`, labels);
      return sample?.value === undefined ? undefined : Number(sample.value);
    },
  };
}
