import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_CONFIDENCE, explainExtraction, extractOTP, MIN_CONFIDENCE } from '../src/index.js';
import { loadCorpus, toInput } from './corpus/index.js';

describe('explainExtraction', () => {
  it('lists the chosen code first with why, and the reference number it passed over', () => {
    const { result, candidates } = explainExtraction({ source: 'sms', text: 'OTP 482913 (Ref No. 771203)' });
    expect(result?.code).toBe('482913');
    expect(candidates[0]).toMatchObject({ code: '482913', kind: 'numeric', chosen: true });
    expect(candidates[0]?.reasons).toContain('6 digits');
    expect(candidates[0]?.reasons.some((reason) => reason.includes("keyword 'otp'"))).toBe(true);
    const reference = candidates.find((candidate) => candidate.code === '771203');
    expect(reference?.chosen).toBe(false);
    expect(reference?.reasons.some((reason) => reason.includes('(reference number)'))).toBe(true);
    expect(candidates.filter((candidate) => candidate.chosen)).toHaveLength(1);
  });

  it('names the keyword in its own language and the candidates a price rules out', () => {
    const { result, candidates } = explainExtraction({ text: 'Tu código: 551204. Total 1500 €' });
    expect(result?.code).toBe('551204');
    expect(candidates[0]?.reasons).toContain(
      "right after strong keyword 'código'".replace('strong', 'generic'),
    );
    const price = candidates.find((candidate) => candidate.code === '1500');
    expect(price?.reasons).toContain('next to a currency (a price)');
  });

  // Currency abbreviations that end in a letter JavaScript's `\b` does not know ('č', 'в', 'đ').
  it('rules out an amount before Kč, лв or đ as a price', () => {
    for (const [text, amount] of [
      ['Kód: 551204. Zaplaceno 1500 Kč', '1500'],
      ['Код: 551204. Платени 2400 лв днес', '2400'],
      ['Mã: 551204. Đã thanh toán 75000 đ hôm nay', '75000'],
    ] as const) {
      const { candidates } = explainExtraction({ text });
      const price = candidates.find((candidate) => candidate.code === amount);
      expect(price?.reasons, text).toContain('next to a currency (a price)');
    }
  });

  it('lists candidates with no chosen one when the message holds no code', () => {
    const { result, candidates } = explainExtraction({ text: 'Use code SAVE20 at checkout for 20% off.' });
    expect(result).toBeNull();
    expect(candidates.every((candidate) => !candidate.chosen)).toBe(true);
    expect(candidates.map((candidate) => candidate.code)).toContain('SAVE20');
  });

  it('explains a WebOTP line', () => {
    const { result, candidates } = explainExtraction({ text: 'Code 123456.\n\n@login.example.com #123456' });
    expect(result?.origin).toBe('login.example.com');
    expect(candidates[0]).toMatchObject({
      code: '123456',
      chosen: true,
      reasons: ["WebOTP line for 'login.example.com'"],
    });
  });

  it('bounds the candidates it lists, best first', () => {
    const text = `Your code is 482913. ${Array.from({ length: 60 }, (_, index) => `Order ${10000 + index}.`).join(' ')}`;
    const { candidates } = explainExtraction({ text });
    expect(candidates.length).toBe(20);
    const scores = candidates.map((candidate) => candidate.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('gives the same result as extractOTP on every corpus case', () => {
    for (const corpusCase of loadCorpus()) {
      const input = toInput(corpusCase);
      expect(explainExtraction(input).result, corpusCase.id).toEqual(extractOTP(input));
    }
  });

  it('documents a delivery threshold above the minimum', () => {
    expect(DEFAULT_DELIVERY_CONFIDENCE).toBeGreaterThan(MIN_CONFIDENCE);
    expect(DEFAULT_DELIVERY_CONFIDENCE).toBeLessThan(1);
  });
});
