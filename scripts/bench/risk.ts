/**
 * Cost of rating a permission request's risk (issue 15) by input size. Agents choose the
 * action, resource, scope and context, so each rule reads a capped prefix and a bounded
 * number of values: past the caps the figures should stay flat, whatever the size.
 */
import { assessRisk, BUILT_IN_RISK_RULES, RISK_RULE_IDS, type RiskInput } from '@agent-otp/core';

const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const round = (ms: number) => Math.round(ms * 1000) / 1000;
const defaults = Object.fromEntries(
  RISK_RULE_IDS.map((id) => [id, BUILT_IN_RISK_RULES[id].defaultLevel]),
) as Parameters<typeof assessRisk>[3];

/** Median of a few runs, in milliseconds. */
function medianMs(run: () => unknown, repeats = 5): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return round([...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0);
}

function series(input: (size: number) => RiskInput) {
  return Object.fromEntries(
    SIZES.map((size) => {
      const request = input(size);
      return [`${size / 1000}k`, medianMs(() => assessRisk(request, {}, null, defaults))];
    }),
  );
}

const base: RiskInput = { kind: 'permission', action: 'db.read', resource: 'db:x', scope: {}, context: {} };

export default async function bench(): Promise<Record<string, unknown>> {
  return {
    note: 'assessRisk, median of 5 runs in ms; size = characters of one field, or members/depth of the scope',
    typical: medianMs(() =>
      assessRisk({ ...base, action: 'db.drop_table', resource: 'postgres://prod/users' }, {}, null, defaults),
    ),
    longAction: series((n) => ({ ...base, action: `${'a.'.repeat(n / 2)}drop` })),
    longResource: series((n) => ({ ...base, resource: `${'x/'.repeat(n / 2)}prod` })),
    digitsThenCurrency: series((n) => ({ ...base, scope: { note: `${'9'.repeat(n)} usd` } })),
    // The API refuses more than 50 keys; a plain object far past that still costs what the
    // engine takes to enumerate its keys (for…in builds them all), so this grows with size.
    wideScope: series((n) => ({
      ...base,
      scope: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'value'])),
    })),
    // About the largest body the API accepts (64 KB): 50 scope and 50 context keys of 600 characters.
    largestBody: medianMs(() =>
      assessRisk(
        {
          ...base,
          scope: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, `${'x'.repeat(599)}1`])),
          context: Object.fromEntries(
            Array.from({ length: 50 }, (_, i) => [`c${i}`, `${'y '.repeat(299)}12`]),
          ),
        },
        {},
        null,
        defaults,
      ),
    ),
    longArray: series((n) => ({ ...base, scope: { hosts: Array.from({ length: n }, () => 'staging') } })),
  };
}
