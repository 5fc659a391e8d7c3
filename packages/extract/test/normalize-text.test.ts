import { describe, expect, it } from 'vitest';
import { foldForMatching, normalizeText } from '../src/normalize-text.js';

describe('normalizeText', () => {
  it.each([
    ['Arabic-Indic', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['Persian', '۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['Devanagari', '०१२३४५६७८९', '0123456789'],
    ['Thai', '๐๑๒๓๔๕๖๗๘๙', '0123456789'],
    ['full-width', '０１２３４５６７８９', '0123456789'],
  ])('folds %s digits to ASCII', (_script, digits, ascii) => {
    expect(normalizeText(digits)).toBe(ascii);
  });

  it('removes invisible characters and bidi controls', () => {
    expect(normalizeText('12\u200b34\u200d5\u2066\u200f6\ufeff\u00ad')).toBe('123456');
  });

  it('makes exotic dashes and spaces plain', () => {
    expect(normalizeText('123\u2011456\u00a0789\u2009')).toBe('123-456 789 ');
  });

  it('keeps full-width commas from reading as decimal separators', () => {
    expect(normalizeText('123456，5分钟')).toBe('123456、5分钟');
  });
});

describe('foldForMatching', () => {
  it('lower-cases without changing length, Turkish dotted I included', () => {
    const text = 'DOĞRULAMA KODU İLE';
    expect(foldForMatching(text)).toHaveLength(text.length);
    expect(foldForMatching(text)).toBe('doğrulama kodu ile');
  });

  it('folds Arabic letter variants to the Persian forms', () => {
    expect(foldForMatching('كد تاييد')).toBe(foldForMatching('کد تایید'));
  });
});
