// Issue 17: the shipped systemd unit is one systemd accepts, and it runs this CLI's `serve`.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const UNIT = fileURLToPath(new URL('../../../deploy/agent-otp.service', import.meta.url));
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
const installed = existsSync(SYSTEMD_ANALYZE);

if (!installed) console.warn(`systemd-unit.test: ${SYSTEMD_ANALYZE} is missing, the unit is not verified`);

describe('deploy/agent-otp.service', () => {
  const unit = readFileSync(UNIT, 'utf8');

  it('starts the relay from the clone it documents, with its state kept private', () => {
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/node \/opt\/agent-otp\/apps\/cli\/bin\/agent-otp\.js serve$/m,
    );
    expect(existsSync(fileURLToPath(new URL('../bin/agent-otp.js', import.meta.url)))).toBe(true);
    expect(unit).toMatch(/^Environment=DATA_DIR=\/var\/lib\/agent-otp$/m);
    expect(unit).toMatch(/^StateDirectory=agent-otp$/m);
    expect(unit).toMatch(/^UMask=0077$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });

  it.skipIf(!installed)('passes systemd-analyze verify without a warning', async () => {
    // systemd checks that ExecStart's program exists: on a machine whose node lives
    // elsewhere, verify the same unit pointing at this node.
    const directory = mkdtempSync(join(tmpdir(), 'agent-otp-unit-'));
    const path = join(directory, 'agent-otp.service');
    const node = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;
    writeFileSync(path, unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${node} `));
    try {
      const result = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile(SYSTEMD_ANALYZE, ['verify', path], { cwd: directory }, (error, stdout, stderr) =>
          resolve({
            code: error ? Number((error as { code?: number }).code ?? 1) : 0,
            output: stdout + stderr,
          }),
        );
      });
      expect(result.output).toBe('');
      expect(result.code).toBe(0);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
