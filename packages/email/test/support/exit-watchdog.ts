import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

// Runs outside Node: it blocks on a pipe whose only writer is this process, so it wakes up
// however the test process ends (normal exit, vitest killing a worker, a crash or SIGKILL),
// where a process.on('exit') handler would miss the last two.
const SCRIPT = `
read _ignored
if [ -s "$1/dovecot.pgid" ]; then kill -KILL "-$(cat "$1/dovecot.pgid")" 2>/dev/null; fi
rm -rf -- "$1"
`;

/**
 * Guarantees that the dovecot process group is killed and `dir` is deleted when the test
 * process goes away without calling close(). `dismiss()` after a clean close.
 */
export function startExitWatchdog(dir: string): { dismiss: () => void } {
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'agent-otp-dovecot-watchdog', dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor its pipe may keep the test process alive.
  child.unref();
  (child.stdin as unknown as Socket | null)?.unref();
  return {
    dismiss: () => {
      if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    },
  };
}
