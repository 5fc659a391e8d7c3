// Issue 17: the relay's logs are readable lines on a terminal and JSON lines anywhere else,
// unless LOG_FORMAT says which; secrets stay redacted either way.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

/** A destination that records what is written, and says whether it is a terminal. */
function capture(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text: () => string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text };
}

describe('createLogger', () => {
  it('writes readable lines to a terminal and JSON lines to anything else', () => {
    const terminal = capture(true);
    createLogger('info', terminal.stream).info({ requestId: 'otp_1', token: 'secret-token' }, 'decided');
    // Coloured for the terminal; the words under the colours are what a person reads.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape that starts an ANSI colour.
    const plain = terminal.text().replace(/\u001b\[\d+m/g, '');
    expect(terminal.text()).not.toBe(plain);
    expect(plain).toMatch(/^\[[\d:.]+\] INFO: decided\n {4}requestId: "otp_1"\n {4}token: "\[redacted\]"\n$/);
    expect(terminal.text()).not.toContain('secret-token');
    expect(() => JSON.parse(terminal.text())).toThrow();

    const pipe = capture(false);
    createLogger('info', pipe.stream).info({ requestId: 'otp_1', token: 'secret-token' }, 'decided');
    expect(JSON.parse(pipe.text())).toMatchObject({
      msg: 'decided',
      requestId: 'otp_1',
      token: '[redacted]',
    });
  });

  it('follows LOG_FORMAT over what the destination is', () => {
    const terminal = capture(true);
    createLogger('info', terminal.stream, 'json').warn('as JSON');
    expect(JSON.parse(terminal.text())).toMatchObject({ level: 40, msg: 'as JSON' });

    const pipe = capture(false);
    createLogger('info', pipe.stream, 'pretty').warn('as text');
    expect(pipe.text()).toMatch(/^\[[\d:.]+\] WARN: as text\n$/);
  });
});
