import { extractOTP } from '../src/index.js';
import { loadCorpus, toInput } from '../test/corpus/index.js';

const DURATION_MS = 2_000;

/**
 * Runs the whole extraction corpus repeatedly for about two seconds and reports throughput.
 * Called by the root `npm run bench`; no assertion on speed lives anywhere.
 *
 * @example
 * const { messagesPerSecond, messages } = await benchExtract();
 */
export async function benchExtract(): Promise<{ messagesPerSecond: number; messages: number }> {
  const inputs = loadCorpus().map(toInput);
  // Warm-up: compile the lexicon regexes and let V8 optimise before timing.
  for (const input of inputs) extractOTP(input);
  let messages = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (const input of inputs) extractOTP(input);
    messages += inputs.length;
    elapsed = performance.now() - started;
  }
  return { messagesPerSecond: Math.round((messages / elapsed) * 1000), messages };
}
