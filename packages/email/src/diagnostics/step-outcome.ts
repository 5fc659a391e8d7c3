/** What one diagnostic step found: a message either way, and what the next step may build on. */
export type StepOutcome<T> = { ok: true; message: string; value: T } | { ok: false; message: string };

/** Raised inside a step to end it with a message for the owner (not a crash). */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

/**
 * Runs `work` for at most `ms`; past that, `cleanup` releases what it holds (a socket, a
 * client) and the step fails with `timeoutMessage`, so no test hangs on a silent peer.
 */
export async function withinDeadline<T>(
  ms: number,
  timeoutMessage: string,
  work: () => Promise<T>,
  cleanup: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cleanup();
      reject(new StepFailure(timeoutMessage));
    }, ms);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Seconds for a message ("10 s"), from the step's budget in milliseconds. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** A server's words, shortened and stripped of control characters before they reach a page or a log. */
export function serverWords(text: string | undefined): string {
  if (!text) return '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const printable = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return printable.length > 160 ? `${printable.slice(0, 157)}...` : printable;
}
