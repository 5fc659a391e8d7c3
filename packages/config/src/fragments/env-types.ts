import { z } from 'zod';

/** `true`/`false`, `1`/`0`, `yes`/`no`, as shells and compose files write them. */
export const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A TCP port; 0 asks the OS for a free one (tests, benchmarks). */
export const port = z.coerce.number().int().min(0).max(65535);
