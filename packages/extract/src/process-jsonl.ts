import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { extractOTP } from './extract-otp.js';
import type { ExtractInput, ExtractResult } from './types.js';

export interface JsonlOptions {
  /** The extractor to run; injectable so callers can count or wrap calls. */
  extract?: (input: ExtractInput) => ExtractResult | null;
  /** Largest accepted string field, in UTF-8 bytes. */
  maxFieldBytes?: number;
}

export interface JsonlSummary {
  lines: number;
  found: number;
  errors: number;
}

const TEXT_FIELDS = ['id', 'from', 'subject', 'text', 'html'] as const;
const ONE_MEGABYTE = 1024 * 1024;

type LineOutcome = { id: string | null; input: ExtractInput } | { error: string };

function parseLine(line: string, maxFieldBytes: number): LineOutcome {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // The parser's own message quotes the input, which may hold a code; say less.
    return { error: 'invalid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'expected a JSON object' };
  const record = value as Record<string, unknown>;
  const input: ExtractInput = {};
  for (const field of TEXT_FIELDS) {
    const fieldValue = record[field];
    if (fieldValue === undefined || fieldValue === null) continue;
    if (typeof fieldValue !== 'string') return { error: `field "${field}" must be a string` };
    if (Buffer.byteLength(fieldValue, 'utf8') > maxFieldBytes) {
      return { error: `field "${field}" is larger than ${maxFieldBytes} bytes` };
    }
    if (field !== 'id') input[field] = fieldValue;
  }
  const source = record.source;
  if (source !== undefined && source !== null) {
    if (source !== 'sms' && source !== 'email') return { error: 'field "source" must be "sms" or "email"' };
    input.source = source;
  }
  return { id: typeof record.id === 'string' ? record.id : null, input };
}

/**
 * Reads JSON Lines messages (`{"id", "source", "from", "subject", "text", "html"}`) and writes one
 * `{"id", "code"}` line per message, in order, as they arrive. A line that cannot be used yields
 * `{"id": null, "code": null, "error": "line N: …"}` and processing continues. Blank lines are skipped.
 *
 * @example
 * await processJsonl(Readable.from(['{"id":"a","text":"Your code is 123456"}\n']), process.stdout);
 * // prints {"id":"a","code":"123456"}
 */
export async function processJsonl(
  input: Readable,
  output: Writable,
  options: JsonlOptions = {},
): Promise<JsonlSummary> {
  const extract = options.extract ?? extractOTP;
  const maxFieldBytes = options.maxFieldBytes ?? ONE_MEGABYTE;
  const summary: JsonlSummary = { lines: 0, found: 0, errors: 0 };
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    summary.lines++;
    const outcome = parseLine(line, maxFieldBytes);
    let record: Record<string, string | null>;
    if ('error' in outcome) {
      summary.errors++;
      record = { id: null, code: null, error: `line ${lineNumber}: ${outcome.error}` };
    } else {
      const code = extract(outcome.input)?.code ?? null;
      if (code !== null) summary.found++;
      record = { id: outcome.id, code };
    }
    if (!output.write(`${JSON.stringify(record)}\n`)) await once(output, 'drain');
  }
  return summary;
}
