import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const sourceDir = fileURLToPath(new URL('../src/', import.meta.url));
const sources = readdirSync(sourceDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(`${sourceDir}${name}`, 'utf8') }));

// The SDK runs on Node 20+, Bun, Deno and in browsers: WebCrypto and fetch only.
describe('runtime support', () => {
  it('imports no Node built-ins', () => {
    for (const { name, text } of sources) expect(text, name).not.toMatch(/from ['"]node:|require\(/);
  });

  it('reads the environment in one guarded place only', () => {
    const readers = sources.filter(({ text }) =>
      /\bprocess\b/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')),
    );
    expect(readers.map((s) => s.name)).toEqual(['environment.ts']);
  });
});
