/**
 * Pattern and glob matching cost by input size (issue 9 items 2 and 3). Policy `matches`,
 * scope `<field>_pattern` and sender globs run on re2js (linear time); each series should
 * grow about linearly with the input. For contrast, the same shapes under JavaScript's
 * backtracking RegExp (what the relay used before) on inputs kept tiny so the bench ends.
 */
import { compileSafePattern, compileSenderGlob, type SafePattern } from '@agent-otp/shared';

const SIZES = [1_000, 10_000, 100_000, 1_000_000];
const round = (ms: number) => Math.round(ms * 100) / 100;

/** Median of a few runs, in milliseconds (the first run also builds the engine's DFA cache). */
function timeIt(run: () => unknown, repeats = 3): { firstMs: number; medianMs: number } {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { firstMs: round(times[0] ?? 0), medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? 0) };
}

function series(pattern: SafePattern, input: (size: number) => string) {
  return Object.fromEntries(
    SIZES.map((size) => {
      const text = input(size);
      return [`${size / 1000} KB`, timeIt(() => pattern.test(text))];
    }),
  );
}

/** Backtracking RegExp on small inputs: the growth the linear engine removes. */
function backtracking(regex: RegExp, input: (size: number) => string, sizes: number[]) {
  return Object.fromEntries(sizes.map((size) => [`${size} chars`, timeIt(() => regex.test(input(size)), 1)]));
}

export default async function bench(): Promise<Record<string, unknown>> {
  const aThenBang = (size: number) => `${'a'.repeat(size - 1)}!`;
  const spaces = (size: number) => `email:${' '.repeat(size - 7)}x`;
  const glob = `${'*a'.repeat(7)}*b`;
  return {
    note: 'pattern.test(text) on re2js; "firstMs" includes building the DFA cache; input sizes in characters',
    patterns: {
      '^(a|a)*$': series(compileSafePattern('^(a|a)*$'), aThenBang),
      '^(?:a|aa)+$': series(compileSafePattern('^(?:a|aa)+$'), aThenBang),
      '^email:(.|\\s)*@acme\\.com$': series(compileSafePattern('^email:(.|\\s)*@acme\\.com$'), spaces),
      // Near the 500-step program cap, with no literal for the engine to skip ahead to.
      '(?:a|aa|aaa|ab|ba){40}[^a-z]': series(compileSafePattern('(?:a|aa|aaa|ab|ba){40}[^a-z]'), (n) =>
        'a'.repeat(n),
      ),
    },
    senderGlob: {
      [glob]: series(compileSenderGlob(glob), (n) => 'a'.repeat(n)),
    },
    before: {
      'RegExp ^(a|a)*$': backtracking(/^(a|a)*$/, aThenBang, [16, 20, 22, 24]),
      'RegExp ^email:(.|\\s)*@acme\\.com$': backtracking(
        /^email:(.|\s)*@acme\.com$/,
        spaces,
        [30, 32, 34, 36],
      ),
      [`RegExp glob ${glob}`]: backtracking(
        /^.*a.*a.*a.*a.*a.*a.*a.*b$/s,
        (n) => 'a'.repeat(n),
        [16, 24, 32, 40],
      ),
    },
  };
}
