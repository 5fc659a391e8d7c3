import { existsSync } from 'node:fs';
import { describe } from 'vitest';
import { postgresAvailable } from './postgres.js';

/** Set by `.ci/run`: a missing service is then a failure, never a skip. */
export const servicesRequired = process.env.AGENT_OTP_REQUIRE_SERVICES === '1';

export { postgresAvailable, postgresUrl } from './postgres.js';

export const dovecotInstalled = () => existsSync('/usr/sbin/dovecot');
export const chromiumInstalled = () => existsSync('/usr/bin/chromium');

/**
 * `describe` when the service is there; otherwise a one-line notice and a skip, or, with
 * AGENT_OTP_REQUIRE_SERVICES=1, a failing suite.
 */
export function describeWithService(service: string, available: boolean, name: string, fn: () => void): void {
  if (available) {
    describe(name, fn);
    return;
  }
  if (servicesRequired) {
    describe(name, () => {
      throw new Error(`${service} is required (AGENT_OTP_REQUIRE_SERVICES=1) but is not available`);
    });
    return;
  }
  console.warn(`${service} not available: skipping "${name}"`);
  describe.skip(name, fn);
}

export type Dialect = 'sqlite' | 'postgres';

/** Runs a suite on SQLite and again on PostgreSQL. */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  describe(`${name} [sqlite]`, () => fn('sqlite'));
  describeWithService('PostgreSQL', postgresAvailable(), `${name} [postgres]`, () => fn('postgres'));
}
