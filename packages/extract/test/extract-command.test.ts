import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXIT_FOUND,
  EXIT_NOT_FOUND,
  EXIT_USAGE,
  type ExtractCommandOptions,
  emlToExtractInput,
  registerExtractCommand,
  runExtractCommand,
} from '../../../apps/cli/src/commands/extract.js';

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return () => chunks.join('');
}

async function run(options: ExtractCommandOptions, stdinText = '', isTTY = false) {
  const stdin = Object.assign(Readable.from([Buffer.from(stdinText)]), { isTTY });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const exitCode = await runExtractCommand(options, { stdin, stdout, stderr });
  return { exitCode, stdout: out(), stderr: err() };
}

const EML = [
  'From: Acme Security <security@acme.example>',
  'To: owner@example.com',
  'Subject: =?UTF-8?B?WW91ciBBY21lIHNpZ24taW4gY29kZQ==?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/alternative; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Your sign-in code is 730215.',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<div style=3D"display:none">Order 111222</div><p>Your sign-in code is <b>730=',
  '215</b>.</p>',
  '--b1--',
  '',
].join('\r\n');

describe('agent-otp extract', () => {
  it('prints the result as JSON and exits 0 when a code is found', async () => {
    const { exitCode, stdout } = await run({ from: 'Acme', text: 'Your Acme code is 482913' });
    expect(exitCode).toBe(EXIT_FOUND);
    expect(JSON.parse(stdout)).toMatchObject({ code: '482913', kind: 'numeric', language: 'en' });
  });

  it('prints {"code":null} and exits 1 when there is none', async () => {
    const { exitCode, stdout } = await run({
      subject: 'Sale',
      html: '<p>Use SAVE20 at checkout for 20% off</p>',
    });
    expect(exitCode).toBe(EXIT_NOT_FOUND);
    expect(stdout).toBe('{"code":null}\n');
  });

  it('reads an .eml from stdin when no body flag is given', async () => {
    const { exitCode, stdout } = await run({}, EML);
    expect(exitCode).toBe(EXIT_FOUND);
    expect(JSON.parse(stdout)).toMatchObject({ code: '730215' });
  });

  it('maps a parsed .eml to extractor input', async () => {
    expect(await emlToExtractInput(EML)).toMatchObject({
      source: 'email',
      from: 'security@acme.example',
      subject: 'Your Acme sign-in code',
      text: expect.stringContaining('730215'),
      html: expect.stringContaining('display:none'),
    });
  });

  it('refuses to wait on a terminal and rejects an unknown source', async () => {
    expect((await run({}, '', true)).exitCode).toBe(EXIT_USAGE);
    const badSource = await run({ source: 'fax', text: 'Code 123456' });
    expect(badSource.exitCode).toBe(EXIT_USAGE);
    expect(badSource.stderr).toContain('--source');
  });

  it('processes JSON Lines with --jsonl and exits 0', async () => {
    const lines = '{"id":"1","text":"Your code is 123456"}\n{"id":"2","text":"hello"}\nnot json\n';
    const { exitCode, stdout } = await run({ jsonl: true }, lines);
    expect(exitCode).toBe(EXIT_FOUND);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { id: '1', code: '123456' },
      { id: '2', code: null },
      { id: null, code: null, error: 'line 3: invalid JSON' },
    ]);
  });

  describe('registered on a commander program', () => {
    const originalExitCode = process.exitCode;
    afterEach(() => {
      process.exitCode = originalExitCode;
    });

    it('parses its flags and sets the exit code', async () => {
      const program = new Command('agent-otp').exitOverride();
      registerExtractCommand(program);
      const writes: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => {
        writes.push(chunk);
        return true;
      }) as typeof process.stdout.write;
      try {
        await program.parseAsync(['extract', '--subject', 'Login', '--text', 'Your login code: 5521'], {
          from: 'user',
        });
      } finally {
        process.stdout.write = write;
      }
      expect(JSON.parse(writes.join(''))).toMatchObject({ code: '5521' });
      expect(process.exitCode).toBe(EXIT_FOUND);
      const help = program.commands.find((command) => command.name() === 'extract')?.helpInformation() ?? '';
      expect(help).toContain('--jsonl');
    });
  });
});
