// Issue 18: IDs draw their randomness from a pooled buffer instead of one WebCrypto call per character.
// The pool must not cost what the IDs promise: unique, sortable by creation time, and every one of the
// 32 Crockford symbols equally likely in the random part.
import { B32_CHARACTERS, decodeTime, monotonicFactory } from 'ulidx';
import { describe, expect, it } from 'vitest';
import { newId } from '../src/ids.js';
import { pooledPrng } from '../src/pooled-prng.js';

const RANDOM_PART_LENGTH = 16;

describe('newId', () => {
  it('makes unique IDs that sort in the order they were made, within a millisecond too', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('evt'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('pooledPrng', () => {
  it('returns whole 256ths in [0, 1) and keeps drawing new bytes after the pool is refilled', () => {
    const prng = pooledPrng(8);
    const draws = Array.from({ length: 800 }, () => prng());
    for (const draw of draws) {
      expect(draw).toBeGreaterThanOrEqual(0);
      expect(draw).toBeLessThan(1);
      expect(Number.isInteger(draw * 256)).toBe(true);
    }
    const pools = Array.from({ length: 100 }, (_, index) => draws.slice(index * 8, index * 8 + 8).join());
    expect(new Set(pools).size).toBe(pools.length);
  });

  it('gives IDs sortable by time that draw all 32 symbols about evenly', () => {
    const ulid = monotonicFactory(pooledPrng());
    const start = Date.UTC(2026, 0, 1);
    // A new millisecond for each ID, so each random part is freshly drawn rather than incremented.
    const ids = Array.from({ length: 4_000 }, (_, index) => ulid(start + index));
    expect(ids.map((id) => decodeTime(id))).toEqual(ids.map((_, index) => start + index));
    expect([...ids].sort()).toEqual(ids);

    const counts = new Map<string, number>();
    for (const id of ids) {
      for (const symbol of id.slice(-RANDOM_PART_LENGTH)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect([...counts.keys()].sort().join('')).toBe(B32_CHARACTERS);
    // 64,000 symbols: 2,000 expected each, standard deviation about 44; ±300 is more than six of them.
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(1_700);
      expect(count).toBeLessThan(2_300);
    }
  });
});
