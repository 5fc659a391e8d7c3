import { describe } from 'vitest';

/**
 * Declares a suite that needs an external service (dovecot, chromium, PostgreSQL…).
 *
 * A developer without the service gets a one-line notice and a skipped suite; CI sets
 * `AGENT_OTP_REQUIRE_SERVICES=1` so that a missing service fails loudly instead of
 * silently skipping the tests that matter most.
 *
 * @example
 * describeWithService('dovecot', dovecotAvailable(), () => {
 *   it('logs in', async () => { … });
 * });
 */
export function describeWithService(name: string, available: boolean, fn: () => void): void {
  if (available) {
    describe(name, fn);
    return;
  }
  if (process.env.AGENT_OTP_REQUIRE_SERVICES === '1') {
    throw new Error(`${name} is not installed but AGENT_OTP_REQUIRE_SERVICES=1: run .ci/install-services.sh`);
  }
  console.warn(
    `${name} not installed: skipping ${name} tests (set AGENT_OTP_REQUIRE_SERVICES=1 to fail instead)`,
  );
  describe.skip(name, fn);
}
