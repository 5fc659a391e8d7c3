// Issue 17 / issue 18: the database layer checks its JSON columns with dependency-free shapes
// so `agent-otp pending` loads no zod. Each shape must accept exactly what the contract's zod
// schema of the same name accepts and return exactly what it returns (z.object drops unknown
// keys); these cases feed both the same values, as JSON.parse hands them over.
import { describe, expect, it } from 'vitest';
import { CaptureSourceList, JsonObject, RiskAssessment } from '../src/index.js';
import type { JsonShape } from '../src/shapes/json-shape.js';
import { CaptureSourceListShape, JsonObjectShape, RiskAssessmentShape } from '../src/shapes/stored-shapes.js';

interface ZodLike {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}

const reason = { rule: 'destructive-verb', level: 'high', text: 'deletes data' };

/** Each pair: the zod schema, its shape, and JSON texts (valid and not) to feed both. */
const CASES: [string, ZodLike, JsonShape<unknown>, string[]][] = [
  [
    'CaptureSourceList',
    CaptureSourceList,
    CaptureSourceListShape,
    [
      '["sms"]',
      '["email","sms"]',
      '[]',
      '["sms","sms"]',
      '["fax"]',
      '["SMS"]',
      '["sms",1]',
      '"sms"',
      '{"0":"sms"}',
      'null',
      '[null]',
    ],
  ],
  [
    'JsonObject',
    JsonObject,
    JsonObjectShape,
    [
      '{}',
      '{"max_uses":1,"paths":["/a"],"nested":{"deep":[null,true]}}',
      '{"b":1,"a":2,"10":3,"2":4}',
      '{"constructor":"x","toString":1,"hasOwnProperty":null}',
      '{"__proto__":{"polluted":true},"kept":1}',
      '{"":""}',
      '[]',
      '[1,2]',
      '"all"',
      '42',
      'true',
      'null',
    ],
  ],
  [
    'RiskAssessment',
    RiskAssessment,
    RiskAssessmentShape,
    [
      JSON.stringify({ level: 'low', reasons: [] }),
      JSON.stringify({ level: 'high', reasons: [reason, { ...reason, level: 'elevated' }] }),
      JSON.stringify({ reasons: [reason], level: 'high' }),
      JSON.stringify({ level: 'high', reasons: [reason], extra: 1, note: { a: 1 } }),
      JSON.stringify({ level: 'high', reasons: [{ ...reason, extra: true, score: 3 }] }),
      JSON.stringify({ level: 'high', reasons: [{ text: 'x', level: 'low', rule: 'policy' }] }),
      JSON.stringify({ level: 'high', reasons: [reason], __proto__: null }),
      '{"__proto__":{"level":"low"},"level":"low","reasons":[]}',
      JSON.stringify({ level: 'severe', reasons: [] }),
      JSON.stringify({ level: 'high' }),
      JSON.stringify({ reasons: [] }),
      JSON.stringify({ level: 'high', reasons: {} }),
      JSON.stringify({ level: 'high', reasons: [{ ...reason, level: 'off' }] }),
      JSON.stringify({ level: 'high', reasons: [{ rule: 'money', level: 'high' }] }),
      JSON.stringify({ level: 'high', reasons: [{ ...reason, rule: 7 }] }),
      JSON.stringify({ level: 'high', reasons: [null] }),
      JSON.stringify({ level: null, reasons: [] }),
      '[]',
      'null',
      '"high"',
    ],
  ],
];

describe('the stored-value shapes agree with the zod schemas', () => {
  for (const [name, schema, shape, texts] of CASES) {
    it.each(texts)(`${name}: %s`, (text) => {
      const value: unknown = JSON.parse(text);
      const expected = schema.safeParse(value);
      const actual = shape.safeParse(value);
      expect(actual.success).toBe(expected.success);
      if (actual.success && expected.success) {
        expect(actual.data).toStrictEqual(expected.data);
        // The same members in the same order, and a new object or array, as zod returns.
        expect(JSON.stringify(actual.data)).toBe(JSON.stringify(expected.data));
        expect(actual.data).not.toBe(value);
        expect(Object.getPrototypeOf(actual.data)).toBe(Object.getPrototypeOf(expected.data));
      }
    });
  }

  it('covers both verdicts for every shape', () => {
    for (const [name, schema, , texts] of CASES) {
      const verdicts = new Set(texts.map((text) => schema.safeParse(JSON.parse(text)).success));
      expect([...verdicts].sort(), name).toEqual([false, true]);
    }
  });
});

describe('a shape refusing a value', () => {
  it('names where and what it expected, never the stored content', () => {
    const refused = RiskAssessmentShape.safeParse({
      level: 'high',
      reasons: [reason, { ...reason, level: 'secret-owner-data' }],
    });
    expect(refused).toEqual({
      success: false,
      error: { message: 'reasons.1.level: expected one of "low"|"elevated"|"high"' },
    });
    const notObject = JsonObjectShape.safeParse(['an array, not an object']);
    expect(notObject.success).toBe(false);
    expect(JSON.stringify(notObject)).not.toContain('an array, not an object');
    expect(CaptureSourceListShape.safeParse('sms')).toEqual({
      success: false,
      error: { message: 'value: expected an array' },
    });
  });
});
