// Issue 9 item 15: text that PostgreSQL cannot store (NUL, lone surrogates) is refused where
// it enters, with the field named, and the check costs linear time however deep the value.

import { PolicyFileError, parsePolicyYaml } from '@agent-otp/core';
import { findUnstorableText } from '@agent-otp/shared';
import { describe, expect, it } from 'vitest';

describe('policy files with text no database can store', () => {
  it('refuses a NUL written with the YAML "\\0" escape, naming file, line and field', () => {
    const yaml = ['- name: ok', '  action: deny', '- name: "bad\\0name"', '  action: deny', ''].join('\n');
    expect(() => parsePolicyYaml(yaml, 'policies.yaml')).toThrow(PolicyFileError);
    expect(() => parsePolicyYaml(yaml, 'policies.yaml')).toThrow(
      /policies\.yaml:3:\d+: policy 2 \("bad.name"\) name: must not contain NUL/,
    );
  });

  it('refuses a NUL inside a condition value', () => {
    const yaml = ['- name: p', '  action: deny', '  conditions:', '    action: { equals: "x\\0" }', ''].join(
      '\n',
    );
    expect(() => parsePolicyYaml(yaml, 'p.yaml')).toThrow(
      /p\.yaml:4:\d+: .*conditions.*equals: must not contain NUL/,
    );
  });
});

describe('findUnstorableText', () => {
  it('names the path of a NUL, a lone surrogate and a bad key', () => {
    expect(findUnstorableText({ a: [{ b: 'x\u0000' }] }, 'body')).toMatchObject({
      path: 'body.a.0.b',
      segments: ['a', '0', 'b'],
    });
    expect(findUnstorableText({ a: 'ok\ud800' })?.message).toMatch(/surrogate/);
    expect(findUnstorableText({ a: '🙂 paired surrogates are fine' })).toBeUndefined();
    expect(findUnstorableText({ nested: { 'k\u0000': 1 } })?.path).toBe('nested');
  });

  it('walks a 100,000-deep value without overflowing the stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let depth = 0; depth < 100_000; depth++) deep = [deep];
    const found = findUnstorableText(deep, 'body');
    expect(found?.segments).toHaveLength(100_000);
  });
});
