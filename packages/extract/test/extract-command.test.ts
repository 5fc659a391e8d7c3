import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EXIT_FOUND,
  EXIT_NOT_FOUND,
  EXIT_USAGE,
  type ExtractCommandOptions,
  type ExtractCommandSettings,
  emlToExtractInput,
  registerExtractCommand,
  runExtractCommand,
} from '../../../apps/cli/src/commands/extract.js';
import { DEFAULT_DELIVERY_CONFIDENCE, explainExtraction } from '../src/index.js';

function collect(stream: PassThrough): () => string {
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  return () => chunks.join('');
}

async function run(
  options: ExtractCommandOptions,
  stdinText = '',
  isTTY = false,
  settings: ExtractCommandSettings = {},
) {
  const stdin = Object.assign(Readable.from([Buffer.from(stdinText)]), { isTTY });
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const exitCode = await runExtractCommand(options, { stdin, stdout, stderr }, settings);
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

  describe('--explain (issue 14)', () => {
    const TEXT = 'Your one-time passcode: 48213907. Ref No. 55120394';

    it('prints every candidate with its score and reasons, the winner, and the relay’s decision', async () => {
      const explained = explainExtraction({ source: 'sms', text: TEXT });
      const { exitCode, stdout } = await run({ text: TEXT, explain: true, minConfidence: '0.7' });
      expect(exitCode).toBe(EXIT_FOUND);
      for (const candidate of explained.candidates) {
        const line = stdout.split('\n').find((l) => l.slice(2).startsWith(`${candidate.code} `));
        expect(line, candidate.code).toBeDefined();
        expect(line).toContain(candidate.score.toFixed(2));
        for (const reason of candidate.reasons) expect(line).toContain(reason);
        expect(line?.startsWith('→')).toBe(candidate.chosen);
      }
      expect(stdout).toContain(`Chosen: 48213907 (confidence ${explained.result?.confidence.toFixed(2)}`);
      expect(stdout).toContain(explained.result?.reason ?? 'no reason');
      expect(stdout).toMatch(/The relay would deliver it: .* ≥ EXTRACT_MIN_CONFIDENCE 0\.70/);
      // The reference number lost, and the explanation says why.
      expect(stdout).toMatch(/55120394 .*reference number/);
    });

    it('says the relay would not deliver below the threshold, and the owner would be told', async () => {
      const confidence = explainExtraction({ source: 'sms', text: TEXT }).result?.confidence ?? 0;
      const { exitCode, stdout } = await run({
        text: TEXT,
        explain: true,
        minConfidence: String(Math.min(1, confidence + 0.05)),
      });
      expect(exitCode).toBe(EXIT_FOUND);
      expect(stdout).toContain('The relay would not deliver a code');
      expect(stdout).toContain('held no clear code');
    });

    it('--json prints the explanation object with the threshold and the decision', async () => {
      const { exitCode, stdout } = await run({ text: TEXT, explain: true, json: true }, '', false, {
        minConfidence: async () => 0.95,
      });
      expect(exitCode).toBe(EXIT_FOUND);
      expect(JSON.parse(stdout)).toEqual({
        ...explainExtraction({ source: 'sms', text: TEXT }),
        minConfidence: 0.95,
        wouldDeliver: false,
      });
    });

    it('judges at the extractor’s default when nothing is configured, and explains a message with no code', async () => {
      const { exitCode, stdout } = await run({
        text: 'Your parcel is on its way',
        explain: true,
        json: true,
      });
      expect(exitCode).toBe(EXIT_NOT_FOUND);
      expect(JSON.parse(stdout)).toMatchObject({
        result: null,
        minConfidence: DEFAULT_DELIVERY_CONFIDENCE,
        wouldDeliver: false,
      });
    });

    it('refuses a threshold outside 0..1, --json without --explain, and --explain with --jsonl', async () => {
      for (const options of [
        { text: TEXT, explain: true, minConfidence: '1.5' },
        { text: TEXT, explain: true, minConfidence: 'high' },
        { text: TEXT, json: true },
        { explain: true, jsonl: true },
      ]) {
        const refused = await run(options);
        expect(refused.exitCode, JSON.stringify(options)).toBe(EXIT_USAGE);
        expect(refused.stderr).toMatch(/--min-confidence|--explain/);
      }
    });
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
