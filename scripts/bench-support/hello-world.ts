/** Starts and stops the hello-world baseline server (hello-world-server.ts) as a child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./hello-world-server.ts', import.meta.url));

export interface HelloWorld {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startHelloWorld(env: { token: string; otpBody: string }): Promise<HelloWorld> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, BENCH_TOKEN: env.token, BENCH_OTP_BODY: env.otpBody },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve(Number(line));
    });
    child.once('exit', (code) => reject(new Error(`hello-world server exited (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
