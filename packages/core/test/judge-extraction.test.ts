import { defaultOf, describeConfig, loadConfig } from '@agent-otp/config';
import { DEFAULT_DELIVERY_CONFIDENCE, explainExtraction, extractOTP } from '@agent-otp/extract';
import { describe, expect, it } from 'vitest';
import { deliveryThreshold, judgeExtraction } from '../src/capture/judge-extraction.js';

// Issue 14: the relay delivers a code only at or above EXTRACT_MIN_CONFIDENCE; below it, it
// says whether anything looked like a code (for the owner's note), never what.

const MESSAGES = [
  'Your verification code is 730194',
  'Login: 48213907',
  'Use code 66190733 at checkout for 20% off',
  'Your order 55501234 has shipped',
  'Your parcel is on its way',
  'Your one-time passcode: 48213907. Ref No. 55120394',
  '482913 is your Acme code. Never share this code.',
  '',
];

describe('judgeExtraction', () => {
  for (const threshold of [0, 0.5, DEFAULT_DELIVERY_CONFIDENCE, 0.95, 1]) {
    it(`delivers exactly what the extractor is at least ${threshold} sure of`, () => {
      for (const text of MESSAGES) {
        const input = { source: 'sms' as const, text };
        const found = extractOTP(input);
        const verdict = judgeExtraction(input, threshold);
        if (found && found.confidence >= threshold) {
          expect(verdict, text).toEqual({ kind: 'clear', code: found.code, confidence: found.confidence });
          continue;
        }
        expect(verdict.kind, text).toBe('unclear');
        if (verdict.kind !== 'unclear') continue;
        const scores = explainExtraction(input).candidates.map((candidate) => candidate.score);
        const anyCandidate = scores.some((score) => score > 0) || found !== null;
        expect(verdict.outcome, text).toBe(anyCandidate ? 'unclear_code' : 'no_code');
        if (verdict.outcome === 'no_code') expect(verdict.confidence, text).toBeNull();
        else {
          // Hundredths, and never more than the extractor's own best.
          expect(Number.isInteger(Math.round((verdict.confidence ?? -1) * 100)), text).toBe(true);
          expect(verdict.confidence, text).toBeCloseTo(Math.max(found?.confidence ?? 0, ...scores), 2);
        }
        // The verdict carries no code to leak.
        expect(JSON.stringify(verdict)).not.toMatch(/\d{4,}/);
      }
    });
  }

  it('uses the extractor’s default when the context names no threshold', () => {
    expect(deliveryThreshold(undefined)).toBe(DEFAULT_DELIVERY_CONFIDENCE);
    expect(deliveryThreshold(0.8)).toBe(0.8);
  });
});

describe('EXTRACT_MIN_CONFIDENCE', () => {
  it('defaults to the extractor’s DEFAULT_DELIVERY_CONFIDENCE (configuration cannot import it, so this keeps them equal)', () => {
    expect(Number(defaultOf('EXTRACT_MIN_CONFIDENCE'))).toBe(DEFAULT_DELIVERY_CONFIDENCE);
    expect(loadConfig({}).extractMinConfidence).toBe(DEFAULT_DELIVERY_CONFIDENCE);
  });

  it('is listed by config:check with its value and where it came from', () => {
    const entry = (env: Record<string, string>) =>
      describeConfig({ flags: {}, env, dotenv: {} }).entries.find((e) => e.name === 'EXTRACT_MIN_CONFIDENCE');
    expect(entry({})).toEqual({
      name: 'EXTRACT_MIN_CONFIDENCE',
      value: String(DEFAULT_DELIVERY_CONFIDENCE),
      secret: false,
      source: 'default',
    });
    expect(entry({ EXTRACT_MIN_CONFIDENCE: '0.9' })).toMatchObject({ value: '0.9', source: 'env' });
  });

  it('takes a number from 0 to 1 and refuses anything else, naming the variable', () => {
    expect(loadConfig({ EXTRACT_MIN_CONFIDENCE: '0.85' }).extractMinConfidence).toBe(0.85);
    for (const bad of ['1.5', '-0.1', 'high'])
      expect(() => loadConfig({ EXTRACT_MIN_CONFIDENCE: bad }), bad).toThrow(/EXTRACT_MIN_CONFIDENCE/);
  });
});
