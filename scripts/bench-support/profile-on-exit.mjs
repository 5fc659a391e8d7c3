// Loaded into `agent-otp serve` with --import when BENCH_PROFILE_DIR is set (see served-relay.ts):
// samples the server's CPU from start to exit and writes a .cpuprofile (Chrome DevTools, or any
// cpuprofile reader) to that folder. Node refuses --cpu-prof in NODE_OPTIONS, and the bench's
// server is started by the CLI, so the inspector is driven from inside the process instead. The
// main thread's inspector session answers synchronously, so the profile can be written from the
// 'exit' event, after the server's own graceful shutdown.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const folder = process.env.BENCH_PROFILE_DIR;
if (folder && process.argv.includes('serve')) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(join(folder, `serve-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
