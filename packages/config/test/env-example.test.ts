// Issue 17 (configuration): the committed `.env.example` lists every variable the schema
// knows (and each secret's _FILE form), with the schema's own default, and nothing else.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configVariables, defaultOf, loadConfig, SECRET_FILE_VARIABLES } from '../src/index.js';

const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
// Each variable is a commented `# NAME=default` line, so a copied file changes nothing.
const documented = new Map(
  [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
);

describe('.env.example', () => {
  const known = [...Object.keys(configVariables), ...SECRET_FILE_VARIABLES];

  it('lists every variable of the schema and every _FILE secret', () => {
    expect(known.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists no variable the schema does not know', () => {
    expect([...documented.keys()].filter((name) => !known.includes(name))).toEqual([]);
  });

  it("shows each variable's real default, and nothing for those without one", () => {
    const wrong = [...documented].filter(
      ([name, value]) => !name.endsWith('_FILE') && value !== (defaultOf(name) ?? ''),
    );
    expect(wrong).toEqual([]);
  });

  it('is a valid configuration as copied, and with every default written out', () => {
    expect(Object.keys(parseEnv(example))).toEqual([]);
    const uncommented = parseEnv(example.replace(/^# ([A-Z][A-Z0-9_]*=)/gm, '$1'));
    expect(loadConfig(uncommented)).toEqual(loadConfig({}));
  });
});
