import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build` puts the dashboard in this install. This file sits directly in
 * `packages/server/src` (tests) or `packages/server/dist` (built), so one relative path
 * serves both.
 *
 * @example
 * const dir = defaultDashboardDir(); // …/apps/dashboard/dist
 */
export function defaultDashboardDir(): string {
  return fileURLToPath(new URL('../../../apps/dashboard/dist', import.meta.url));
}
