import { describe, expect, it } from 'vitest';
import { extractOTP, MIN_CONFIDENCE } from '../src/index.js';

describe('extractOTP result', () => {
  it('describes the code it found', () => {
    const result = extractOTP({ source: 'sms', text: 'Your Acme verification code is 048213.' });
    expect(result).toMatchObject({
      code: '048213',
      kind: 'numeric',
      language: 'en',
      reason: 'keyword-before:verification code',
    });
    expect(result?.confidence).toBeGreaterThanOrEqual(MIN_CONFIDENCE);
    expect(result?.confidence).toBeLessThanOrEqual(1);
    expect(result?.origin).toBeUndefined();
  });

  it('reports the WebOTP origin', () => {
    const result = extractOTP({
      source: 'sms',
      text: 'Code 123456 for Example.\n\n@login.example.com #123456',
    });
    expect(result).toMatchObject({ code: '123456', origin: 'login.example.com', reason: 'web-otp' });
  });

  it('tells code kinds apart and keeps letter case as sent', () => {
    expect(extractOTP({ text: 'Your verification code: X7k2Qp' })).toMatchObject({
      code: 'X7k2Qp',
      kind: 'alphanumeric',
    });
    expect(extractOTP({ text: 'Your verification code: QWZXTR' })).toMatchObject({
      code: 'QWZXTR',
      kind: 'alphabetic',
    });
  });

  it('refuses letters-only tokens that are not labelled as the code', () => {
    expect(extractOTP({ text: 'Your code has been sent. PLEASE check your inbox.' })).toBeNull();
    expect(extractOTP({ text: 'YOUR VERIFICATION CODE IS READY' })).toBeNull();
  });

  it('reports the keyword language for each script', () => {
    const samples: Array<[string, string]> = [
      ['您的验证码是 123456', 'zh'],
      ['認証コード：123456', 'ja'],
      ['인증번호 123456', 'ko'],
      ['رمز التحقق 123456', 'ar'],
      ['کد تایید 123456', 'fa'],
      ['קוד אימות 123456', 'he'],
      ['Ваш код: 123456', 'ru'],
      ['Votre code est 123456', 'fr'],
    ];
    for (const [text, language] of samples) expect(extractOTP({ text })?.language, text).toBe(language);
  });

  it('reads subject and body together', () => {
    expect(extractOTP({ source: 'email', subject: 'Your login code', text: '\n\n551204\n\n' })?.code).toBe(
      '551204',
    );
  });

  it('falls back to the text part when the HTML part has no code', () => {
    const input = { source: 'email' as const, html: '<img src="code.png">', text: 'Your code is 662019' };
    expect(extractOTP(input)?.code).toBe('662019');
  });

  it('prefers the text part of an SMS', () => {
    expect(extractOTP({ source: 'sms', text: 'Code: 123456', html: '<p>Code: 654321</p>' })?.code).toBe(
      '123456',
    );
  });

  it('returns null for empty input and for messages without keywords', () => {
    expect(extractOTP({})).toBeNull();
    expect(extractOTP({ text: '' })).toBeNull();
    expect(extractOTP({ text: '482913' })).toBeNull();
  });

  it('stays bounded on huge input', () => {
    // Cost on hostile input is covered by security-linear-time.test.ts, without wall-clock bounds.
    const filler = 'lorem ipsum 1234 dolor '.repeat(100_000);
    expect(extractOTP({ text: `Your code is 551204. ${filler}` })?.code).toBe('551204');
    expect(extractOTP({ html: `<p>${filler}</p>` })).toBeNull();
  });
});
