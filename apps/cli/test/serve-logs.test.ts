// Issue 17, the CLI: `serve` logs readable lines for a person (LOG_FORMAT=pretty, or a
// terminal) and JSON lines for a machine (no terminal, or LOG_FORMAT=json).
import { describe, expect, it } from 'vitest';
import { createCliEnvironment } from '../../../test-support/cli.js';

/** Starts `serve` with these settings, stops it, and returns everything it printed. */
async function serveOutput(env: Record<string, string>): Promise<string[]> {
  const cli = await createCliEnvironment('sqlite', { LOG_LEVEL: 'info', ...env });
  try {
    const server = await cli.serve();
    await server.stop();
    return server.output().split('\n');
  } finally {
    await cli.cleanup();
  }
}

function jsonLines(lines: string[]): { level: number; msg: string }[] {
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

describe('serve logs', () => {
  it('prints JSON lines when its output is not a terminal', async () => {
    const lines = await serveOutput({});
    const logged = jsonLines(lines);
    expect(logged.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining(['agent-otp relay listening', 'agent-otp relay stopped']),
    );
    expect(logged.find((entry) => entry.msg === 'agent-otp relay listening')).toMatchObject({
      level: 30,
      service: 'agent-otp',
    });
  }, 60_000);

  it('prints readable lines with LOG_FORMAT=pretty, and JSON again with LOG_FORMAT=json', async () => {
    const pretty = await serveOutput({ LOG_FORMAT: 'pretty' });
    expect(jsonLines(pretty)).toEqual([]);
    // `[12:34:56.789] INFO: agent-otp relay listening`, then the fields on their own lines.
    expect(pretty).toContainEqual(
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: agent-otp relay listening$/),
    );
    expect(pretty).toContainEqual(expect.stringMatching(/^\s+url: "http:\/\/127\.0\.0\.1:\d+"$/));

    const json = await serveOutput({ LOG_FORMAT: 'json' });
    expect(jsonLines(json).map((entry) => entry.msg)).toContain('agent-otp relay listening');
  }, 90_000);

  it('refuses a LOG_FORMAT it does not know, naming it', async () => {
    const cli = await createCliEnvironment('sqlite', { LOG_FORMAT: 'xml' });
    try {
      const result = await cli.run(['config:check']);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain('LOG_FORMAT');
    } finally {
      await cli.cleanup();
    }
  }, 60_000);
});
