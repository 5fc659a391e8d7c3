import type { Readable, Writable } from 'node:stream';
import type { ExtractInput } from '@agent-otp/extract';
import type { Command } from 'commander';

export interface ExtractCommandOptions {
  from?: string;
  subject?: string;
  text?: string;
  html?: string;
  source?: string;
  jsonl?: boolean;
  /** Print every candidate, its score and reasons, and whether the relay would deliver the winner. */
  explain?: boolean;
  /** With --explain: print the explanation object as JSON. */
  json?: boolean;
  /** With --explain: the threshold to judge at (default EXTRACT_MIN_CONFIDENCE). */
  minConfidence?: string;
}

/** What the command takes from the configuration: EXTRACT_MIN_CONFIDENCE, read only when --explain needs it. */
export interface ExtractCommandSettings {
  minConfidence?: () => Promise<number>;
}

export interface ExtractCommandIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
}

/** Exit codes: a code was found (or JSONL processed), no code, bad usage. */
export const EXIT_FOUND = 0;
export const EXIT_NOT_FOUND = 1;
export const EXIT_USAGE = 2;

// An .eml larger than this is not a verification message; refuse rather than buffer it.
const MAX_EML_BYTES = 25 * 1024 * 1024;

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limit) throw new Error(`input is larger than ${limit} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses an RFC 822 message and maps it to extractor input.
 *
 * @example
 * await emlToExtractInput(Buffer.from('Subject: Your code\r\n\r\nYour code is 123456\r\n'));
 * // { source: 'email', subject: 'Your code', text: 'Your code is 123456\n' }
 */
export async function emlToExtractInput(eml: Buffer | string): Promise<ExtractInput> {
  // Loaded on use: registering `extract` must not load the mail parser for every command.
  const [{ simpleParser }, { emailToExtractInput }] = await Promise.all([
    import('mailparser'),
    import('@agent-otp/extract'),
  ]);
  return emailToExtractInput(await simpleParser(eml));
}

/**
 * Runs `agent-otp extract` with explicit streams and returns the exit code, so it can be tested
 * without a process.
 *
 * @example
 * const exitCode = await runExtractCommand({ text: 'Your code is 123456' }, { stdin, stdout, stderr });
 */
export async function runExtractCommand(
  options: ExtractCommandOptions,
  io: ExtractCommandIo,
  settings: ExtractCommandSettings = {},
): Promise<number> {
  const { DEFAULT_DELIVERY_CONFIDENCE, explainExtraction, extractOTP, processJsonl } = await import(
    '@agent-otp/extract'
  );
  if (options.source !== undefined && options.source !== 'sms' && options.source !== 'email') {
    io.stderr.write('--source must be "sms" or "email"\n');
    return EXIT_USAGE;
  }
  const minConfidence = options.minConfidence === undefined ? undefined : Number(options.minConfidence);
  if (minConfidence !== undefined && !(minConfidence >= 0 && minConfidence <= 1)) {
    io.stderr.write('--min-confidence must be a number from 0 to 1\n');
    return EXIT_USAGE;
  }
  if ((options.json || minConfidence !== undefined) && !options.explain) {
    io.stderr.write('--json and --min-confidence go with --explain\n');
    return EXIT_USAGE;
  }
  if (options.explain && options.jsonl) {
    io.stderr.write('--explain explains one message; it does not take --jsonl\n');
    return EXIT_USAGE;
  }
  if (options.jsonl) {
    await processJsonl(io.stdin, io.stdout);
    return EXIT_FOUND;
  }
  let input: ExtractInput;
  if (options.text !== undefined || options.html !== undefined) {
    const looksLikeEmail = options.html !== undefined || options.subject !== undefined;
    input = { source: options.source ?? (looksLikeEmail ? 'email' : 'sms') };
    if (options.from !== undefined) input.from = options.from;
    if (options.subject !== undefined) input.subject = options.subject;
    if (options.text !== undefined) input.text = options.text;
    if (options.html !== undefined) input.html = options.html;
  } else {
    if (io.stdin.isTTY) {
      io.stderr.write(
        'Give --text or --html, or pipe an .eml message (or JSON Lines with --jsonl) on stdin.\n',
      );
      return EXIT_USAGE;
    }
    try {
      input = await emlToExtractInput(await readAll(io.stdin, MAX_EML_BYTES));
    } catch (error) {
      io.stderr.write(
        `Could not read the message: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return EXIT_USAGE;
    }
    // Flags complete what the message lacks, e.g. a sender the .eml does not carry.
    if (options.from !== undefined) input.from = options.from;
    if (options.subject !== undefined) input.subject = options.subject;
    if (options.source === 'sms') input.source = 'sms';
  }
  if (options.explain) {
    const { decideDelivery, writeExplanation } = await import('./extract-explain.js');
    const threshold = minConfidence ?? (await settings.minConfidence?.()) ?? DEFAULT_DELIVERY_CONFIDENCE;
    const explained = decideDelivery(explainExtraction(input), threshold);
    if (options.json) io.stdout.write(`${JSON.stringify(explained)}\n`);
    else writeExplanation(explained, io.stdout);
    return explained.result ? EXIT_FOUND : EXIT_NOT_FOUND;
  }
  const result = extractOTP(input);
  io.stdout.write(`${JSON.stringify(result ?? { code: null })}\n`);
  return result ? EXIT_FOUND : EXIT_NOT_FOUND;
}

/**
 * Adds `agent-otp extract` to a commander program.
 *
 * @example
 * const program = new Command('agent-otp');
 * registerExtractCommand(program);
 * await program.parseAsync(['node', 'agent-otp', 'extract', '--text', 'Your code is 123456']);
 */
export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('Find the one-time code in a message (flags, an .eml on stdin, or JSON Lines with --jsonl)')
    .option('--from <sender>', 'sender address or SMS sender id')
    .option('--subject <subject>', 'email subject')
    .option('--text <text>', 'plain-text body')
    .option('--html <html>', 'HTML body')
    .option('--source <source>', 'sms or email (default: email with --html, --subject or an .eml; else sms)')
    .option(
      '--jsonl',
      'read {"id","source","from","subject","text","html"} lines from stdin, write {"id","code"} lines',
    )
    .option(
      '--explain',
      'print every candidate with its score and reasons, which won and why, and whether the relay would deliver it',
    )
    .option('--json', 'with --explain: print the explanation as JSON')
    .option(
      '--min-confidence <n>',
      'with --explain: judge delivery at this threshold (default EXTRACT_MIN_CONFIDENCE)',
    )
    .action(async (options: ExtractCommandOptions) => {
      process.exitCode = await runExtractCommand(
        options,
        { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        {
          minConfidence: async () => {
            const { loadEnvironmentConfig } = await import('@agent-otp/config');
            return loadEnvironmentConfig().extractMinConfidence;
          },
        },
      );
    });
}
