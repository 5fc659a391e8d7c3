import { randomFillSync } from 'node:crypto';

/** Bytes drawn from the kernel at once; one refill serves about 256 IDs of 16 random characters. */
const POOL_BYTES = 4096;

/**
 * A PRNG for ulidx that returns `byte / 256` from a pool of cryptographic random bytes, refilled with
 * one `randomFillSync` call when used up.
 *
 * ulidx's own PRNG asks WebCrypto for one byte per character (16 calls per ID), which cost about 5% of
 * the server's CPU under load (issue 18). `byte / 256` is in [0, 1) and, since 256 is a multiple of the
 * 32 Crockford symbols, `floor(byte / 256 * 32)` picks each symbol for exactly 8 byte values: no bias
 * (ulidx's `byte / 255` gives the last symbol one value fewer than the others).
 */
export function pooledPrng(poolBytes: number = POOL_BYTES): () => number {
  const pool = new Uint8Array(poolBytes);
  let next = poolBytes;
  return () => {
    if (next === poolBytes) {
      randomFillSync(pool);
      next = 0;
    }
    const byte = pool[next] as number;
    next += 1;
    return byte / 256;
  };
}
