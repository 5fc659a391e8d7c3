import { analyzeMessage } from '../src/analyze-message.js';
import { extractOTP } from '../src/index.js';
import { normalizeText } from '../src/normalize-text.js';
import { scoreCandidates } from '../src/score-candidates.js';

/** Sizes of the issue 9 series, in bytes (1 KB, 10 KB, 100 KB, 1 MB). */
const SIZES = [1_000, 10_000, 100_000, 1_000_000];
// Each figure is the median of a few runs after one warm-up, stopping early for slow cases.
const RUNS = 5;
const BUDGET_MS = 3_000;

export interface SizeFigure {
  bytes: number;
  /** Median milliseconds for one message of this size. */
  ms: number;
  /** The same per 1,000 bytes: flat when cost is linear, falling once a limit caps the work. */
  msPerKB: number;
}

function fill(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

// An ordinary long email: the code on top, then paragraphs with numbers, links and keywords.
const TEXT_FILLER =
  'Your order 48213 shipped on 2024-05-01 for $123.45. Track it at https://shop.example.com/t/9931. ' +
  'If you did not request a code, visit our help page or call +1 (555) 123-4567. ';
const HTML_FILLER =
  '<tr><td style="padding:8px;font-family:Arial"><p>Your order <b>48213</b> shipped for $123.45.</p>' +
  '<a href="https://shop.example.com/t/9931">Track it</a><span style="display:none">preheader 5521</span></td></tr>';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function measure(run: () => unknown): number {
  run();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < RUNS && performance.now() - started < BUDGET_MS) {
    const begun = performance.now();
    run();
    times.push(performance.now() - begun);
  }
  return median(times);
}

function series(build: (bytes: number) => () => unknown): SizeFigure[] {
  return SIZES.map((bytes) => {
    const ms = measure(build(bytes));
    return {
      bytes,
      ms: Math.round(ms * 100) / 100,
      msPerKB: Math.round((ms / (bytes / 1000)) * 1000) / 1000,
    };
  });
}

/**
 * Extraction time per message size (issue 9 item 1): plain text and HTML emails with the code
 * on top, the hostile "Your code is 482913. " repeated, and the scorer alone on the
 * whole repeated text with no scan limit, to show its cost is linear and not merely capped.
 *
 * @example
 * const { text, html } = benchExtractBySize(); // text[3] is the 1 MB figure
 */
export function benchExtractBySize(): Record<string, SizeFigure[]> {
  const code = 'Your verification code is 482913.\n\n';
  return {
    text: series((bytes) => {
      const text = code + fill(TEXT_FILLER, bytes - code.length);
      return () => extractOTP({ source: 'email', text });
    }),
    html: series((bytes) => {
      const head = `<html><head><style>.pre{display:none}</style></head><body><p>${code}</p><table>`;
      const html = `${head}${fill(HTML_FILLER, bytes - head.length - 24)}</table></body></html>`;
      return () => extractOTP({ source: 'email', html });
    }),
    repeatedCodeSentence: series((bytes) => {
      const text = fill('Your code is 482913. ', bytes);
      return () => extractOTP({ source: 'sms', text });
    }),
    scoringWithoutLimit: series((bytes) => {
      const normalized = normalizeText(fill('Your code is 482913. ', bytes));
      return () => scoreCandidates(analyzeMessage(normalized));
    }),
  };
}
