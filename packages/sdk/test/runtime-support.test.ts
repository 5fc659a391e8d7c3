import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceDir = fileURLToPath(new URL('../src/', import.meta.url));
const sources = readdirSync(sourceDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(`${sourceDir}${name}`, 'utf8') }));

// The client runs on Node 20+, Bun, Deno and in browsers: WebCrypto and fetch only. The
// webhook verifier runs where webhooks are received (a server) and must be synchronous and
// constant-time, so it alone uses node:crypto, which Node, Bun and Deno all provide; it is
// its own entry point so a browser bundle of the main entry never reaches it.
const WEBHOOK_RECEIVER = 'webhooks.ts';

describe('runtime support', () => {
  it('imports no Node built-ins outside the webhook verifier', () => {
    for (const { name, text } of sources) {
      if (name === WEBHOOK_RECEIVER) continue;
      expect(text, name).not.toMatch(/from ['"]node:|require\(/);
    }
  });

  it('the webhook verifier imports node:crypto and nothing else of Node', () => {
    const verifier = sources.find(({ name }) => name === WEBHOOK_RECEIVER)?.text ?? '';
    const builtins = [...verifier.matchAll(/from ['"](node:[^'"]+)['"]/g)].map((match) => match[1]);
    expect(builtins).toEqual(['node:crypto']);
  });

  it('the main entry reaches no Node built-in: the verifier and the contract signing are subpath entries', () => {
    const index = sources.find(({ name }) => name === 'index.ts')?.text ?? '';
    expect(index).not.toMatch(/from ['"]\.\/webhooks\.js['"]/);
    for (const { name, text } of sources) {
      if (name === WEBHOOK_RECEIVER) continue;
      expect(text, name).not.toMatch(/agent-otp-contract\/webhook-signing|\.\/webhooks\.js/);
    }
    const contractIndex = readFileSync(
      fileURLToPath(new URL('../../contract/src/index.ts', import.meta.url)),
      'utf8',
    );
    expect(contractIndex).not.toMatch(/webhook-signing|webhook-signature/);
  });

  it('reads the environment in one guarded place only', () => {
    const readers = sources.filter(({ text }) =>
      /\bprocess\b/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')),
    );
    expect(readers.map((s) => s.name)).toEqual(['environment.ts']);
  });
});
