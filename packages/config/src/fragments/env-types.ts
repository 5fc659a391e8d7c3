import * as z from 'zod/mini';

// The configuration is built on zod/mini, not classic zod: a one-shot command such as
// `agent-otp pending` parses it at start-up, and classic zod costs ~100 ms to load (issue 17,
// issue 18). zod/mini carries no message locale; load-config.ts parses with English messages.

/** `true`/`false`, `1`/`0`, `yes`/`no`, as shells and compose files write them. */
export const booleanFromEnv = z.pipe(
  z.enum(['true', 'false', '1', '0', 'yes', 'no']),
  z.transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

/** Text of at least one character. */
export const text = () => z.string().check(z.minLength(1));

/** Text without its surrounding white space, at least one character of it left. */
export const trimmedText = () => z.string().check(z.trim(), z.minLength(1));

/** A whole number from `min` to `max`, from its text as Number() reads it. */
export const wholeNumber = (min: number, max: number) =>
  z.coerce.number().check(z.int(), z.gte(min), z.lte(max));

/** A number from `min` to `max`, fractions allowed, from its text as Number() reads it. */
export const numberBetween = (min: number, max: number) => z.coerce.number().check(z.gte(min), z.lte(max));

/** A TCP port; 0 asks the OS for a free one (tests, benchmarks). */
export const port = wholeNumber(0, 65535);
