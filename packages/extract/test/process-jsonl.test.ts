import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { processJsonl } from '../src/index.js';

async function run(lines: string[], options?: Parameters<typeof processJsonl>[2]) {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const summary = await processJsonl(Readable.from(lines), output, options);
  output.end();
  const records = chunks
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { summary, records };
}

describe('processJsonl', () => {
  it('writes one {id, code} line per message, in order', async () => {
    const { records, summary } = await run([
      '{"id":"a","source":"sms","text":"Your code is 123456"}\n',
      '{"id":"b","source":"email","subject":"Hi","html":"<p>Order 4821 shipped</p>"}\n',
      '{"id":"c","text":"G-204817 is your Google verification code."}\n',
    ]);
    expect(records).toEqual([
      { id: 'a', code: '123456' },
      { id: 'b', code: null },
      { id: 'c', code: '204817' },
    ]);
    expect(summary).toEqual({ lines: 3, found: 2, errors: 0 });
  });

  it('reports a malformed line and keeps going', async () => {
    const { records } = await run([
      '{"id":"a","text":"Your code is 123456"}\n',
      '{not json\n',
      '[1,2]\n',
      '{"id":"d","text":42}\n',
      '{"id":"e","source":"fax","text":"x"}\n',
      '{"id":7,"text":"x"}\n',
      '{"id":"g","text":"Your code is 654321"}\n',
    ]);
    expect(records).toEqual([
      { id: 'a', code: '123456' },
      { id: null, code: null, error: 'line 2: invalid JSON' },
      { id: null, code: null, error: 'line 3: expected a JSON object' },
      { id: null, code: null, error: 'line 4: field "text" must be a string' },
      { id: null, code: null, error: 'line 5: field "source" must be "sms" or "email"' },
      { id: null, code: null, error: 'line 6: field "id" must be a string' },
      { id: 'g', code: '654321' },
    ]);
  });

  it('never echoes the offending input in an error', async () => {
    const { records } = await run(['{"id":"a","text":"Your code is 123456"\n']);
    expect(JSON.stringify(records)).not.toContain('123456');
  });

  it('rejects fields over the size limit', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const { records } = await run([
      `${JSON.stringify({ id: 'big', text: big })}\n`,
      '{"id":"ok","text":"PIN: 4821"}\n',
    ]);
    expect(records[0]).toEqual({
      id: null,
      code: null,
      error: 'line 1: field "text" is larger than 1048576 bytes',
    });
    expect(records[1]).toEqual({ id: 'ok', code: '4821' });
  });

  it('skips blank lines, accepts CRLF and null fields, and counts physical lines', async () => {
    const { records } = await run([
      '\r\n',
      '{"id":"a","html":null,"text":"Your code is 123456"}\r\n',
      '   \n',
      'oops\n',
    ]);
    expect(records).toEqual([
      { id: 'a', code: '123456' },
      { id: null, code: null, error: 'line 4: invalid JSON' },
    ]);
  });

  it('streams: a line is answered before the input ends', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const done = processJsonl(input, output);
    input.write('{"id":"first","text":"Your code is 123456"}\n');
    const first = await new Promise<string>((resolve) =>
      output.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(JSON.parse(first)).toEqual({ id: 'first', code: '123456' });
    input.end();
    await done;
  });

  it('uses the extractor it is given', async () => {
    const { records } = await run(['{"id":"a","text":"anything"}\n'], {
      extract: () => ({ code: '0000', confidence: 1, kind: 'numeric', reason: 'test' }),
    });
    expect(records).toEqual([{ id: 'a', code: '0000' }]);
  });
});
