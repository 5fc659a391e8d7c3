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

/**
 * Where `npm run docs:build` puts the guide (served at `/guide`) in this install.
 *
 * @example
 * const dir = defaultGuideDir(); // …/docs/.vitepress/dist
 */
export function defaultGuideDir(): string {
  return fileURLToPath(new URL('../../../docs/.vitepress/dist', import.meta.url));
}
